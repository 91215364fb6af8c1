"""The API's invitation actions on a contact: staff only, in the schema, clear errors."""

import pytest
from django.core import mail
from django.urls import reverse

from suppliers.models import PortalInvitation
from tests.factories import ContactFactory, api_token_for

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {api_token_for(user)}"}


def test_staff_invite_resend_and_revoke_through_the_api(
    api_client, buyer, contact, django_capture_on_commit_callbacks
):
    headers = auth(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:contact-invite", kwargs={"pk": contact.pk}),
            {"language": "vi"},
            format="json",
            **headers,
        )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending" and response.json()["language"] == "vi"
    assert "token_hash" not in response.json() and "nonce" not in response.json()
    assert len(mail.outbox) == 1
    response = api_client.post(reverse("api:contact-resend-invitation", kwargs={"pk": contact.pk}), **headers)
    assert response.status_code == 201
    response = api_client.post(reverse("api:contact-revoke-invitation", kwargs={"pk": contact.pk}), **headers)
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    assert PortalInvitation.objects.filter(status=PortalInvitation.Status.PENDING).count() == 0


def test_bad_input_gets_400_with_a_message(api_client, buyer, contact, portal_a):
    headers = auth(buyer)
    url = reverse("api:contact-invite", kwargs={"pk": contact.pk})
    response = api_client.post(url, {"email": "nope"}, format="json", **headers)
    assert response.status_code == 400 and "not a valid email address" in str(response.json())
    response = api_client.post(url, {"email": portal_a.email}, format="json", **headers)
    assert response.status_code == 400 and "already exists" in str(response.json())
    response = api_client.post(url, {"language": "klingon"}, format="json", **headers)
    assert response.status_code == 400
    revoke = reverse("api:contact-revoke-invitation", kwargs={"pk": contact.pk})
    assert api_client.post(revoke, **headers).status_code == 400


def test_factory_contacts_cannot_use_the_invitation_api(api_client, portal_a, portal_b, contact, supplier_b):
    own = api_client.post(reverse("api:contact-invite", kwargs={"pk": contact.pk}), **auth(portal_a))
    assert own.status_code == 403
    other = api_client.post(reverse("api:contact-invite", kwargs={"pk": contact.pk}), **auth(portal_b))
    assert other.status_code == 404
    assert not PortalInvitation.objects.exists()


def test_quality_staff_are_refused(api_client, quality, contact):
    response = api_client.post(reverse("api:contact-invite", kwargs={"pk": contact.pk}), **auth(quality))
    assert response.status_code == 403


def test_the_invitation_actions_are_in_the_openapi_schema(client, buyer):
    client.force_login(buyer)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for action in ("invite", "resend-invitation", "revoke-invitation"):
        assert f"/api/v1/contacts/{{id}}/{action}/" in paths
    assert "PortalInvitation" in schema["components"]["schemas"]


def test_staff_may_invite_the_contact_of_any_supplier(api_client, buyer, supplier_b):
    other = ContactFactory(supplier=supplier_b)
    response = api_client.post(reverse("api:contact-invite", kwargs={"pk": other.pk}), **auth(buyer))
    assert response.status_code == 201
