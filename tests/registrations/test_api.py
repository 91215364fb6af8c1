"""The staff API of factory registrations: invite, list, ask for changes, accept (idempotent); in the schema."""

import pytest
from django.urls import reverse

from suppliers import registrations
from suppliers.models import Registration, Supplier
from tests.factories import api_token_for

from .conftest import fill

pytestmark = pytest.mark.django_db


def auth(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api_client


def test_staff_invite_list_and_read_a_registration(api_client, buyer):
    client = auth(api_client, buyer)
    created = client.post(
        reverse("api:registration-list"),
        {"company_name": "Shenzhen Parts", "email": "sales@szparts.test", "language": "zh-hans"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["shown_status"] == "invited" and created.json()["language"] == "zh-hans"
    listed = client.get(reverse("api:registration-list"), {"status": "invited"}).json()
    assert [row["company_name"] for row in listed["results"]] == ["Shenzhen Parts"]


def test_a_malformed_email_is_a_400_with_a_clear_message(api_client, buyer):
    response = auth(api_client, buyer).post(
        reverse("api:registration-list"), {"company_name": "X", "email": "x@@y"}, format="json"
    )
    assert response.status_code == 400
    assert "not a valid email address" in str(response.json())
    assert not Registration.objects.exists()


def test_accept_through_the_api_twice_gives_one_supplier_and_masks_the_account(api_client, manager, invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    client = auth(api_client, manager)
    url = reverse("api:registration-accept", kwargs={"pk": invited.pk})
    first, second = client.post(url), client.post(url)
    assert first.status_code == second.status_code == 200
    assert first.json()["supplier"] == second.json()["supplier"]
    assert Supplier.objects.filter(name="Hanoi Stitch").count() == 1
    assert first.json()["bank_account_masked"] == "•••• 1234"
    assert "0011004567891234" not in first.content.decode()


def test_request_changes_through_the_api_needs_a_comment(api_client, buyer, invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    client = auth(api_client, buyer)
    url = reverse("api:registration-request-changes", kwargs={"pk": invited.pk})
    assert client.post(url, {"comment": ""}, format="json").status_code == 400
    response = client.post(url, {"comment": "Add your BSCI report"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "changes_requested"


def test_a_factory_contact_can_neither_invite_nor_see_registrations_of_others(api_client, portal_a, invited):
    client = auth(api_client, portal_a)
    assert client.get(reverse("api:registration-list")).json()["count"] == 0
    assert client.get(reverse("api:registration-detail", kwargs={"pk": invited.pk})).status_code == 404
    response = client.post(
        reverse("api:registration-list"), {"company_name": "Mine", "email": "m@example.test"}, format="json"
    )
    assert response.status_code == 403


def test_the_registration_endpoints_are_in_the_openapi_schema(api_client, buyer):
    schema = auth(api_client, buyer).get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/registrations/" in paths
    assert "post" in paths["/api/v1/registrations/{id}/accept/"]
    assert "post" in paths["/api/v1/registrations/{id}/request-changes/"]


def test_staff_send_a_new_link_through_the_api(api_client, buyer, invited):
    response = auth(api_client, buyer).post(reverse("api:registration-resend", kwargs={"pk": invited.pk}))
    assert response.status_code == 200 and response.json()["shown_status"] == "invited"
    assert Registration.objects.get().emails.count() == 2
