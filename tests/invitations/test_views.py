"""Invitation pages: the staff contacts tab and invite form, the welcome page, and the portal's contacts page."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from suppliers import invitations
from suppliers.models import Contact, PortalInvitation
from tests.factories import ContactFactory, PortalUserFactory

from .conftest import PASSWORD, last_link

pytestmark = pytest.mark.django_db


def invite_url(contact):
    return reverse("suppliers:contact_invite", kwargs={"pk": contact.supplier_id, "child_pk": contact.pk})


def tab_url(supplier):
    return reverse("suppliers:tab", kwargs={"pk": supplier.pk, "tab": "contacts"})


def test_the_invite_form_presets_the_language_from_the_suppliers_country(client, buyer, contact):
    client.force_login(buyer)
    response = client.get(invite_url(contact))
    assert response.status_code == 200
    assert response.context["form"].initial == {"email": "chen.wei@alpha.test", "language": "zh-hans"}


def test_a_buyer_invites_a_contact_and_sees_the_status_on_the_contacts_tab(
    client, buyer, contact, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(contact), {"email": contact.email, "language": "vi"})
    assert response.status_code == 302 and response["Location"] == tab_url(contact.supplier)
    assert mail.outbox[-1].to == [contact.email]
    page = client.get(tab_url(contact.supplier)).content.decode()
    assert "portal: invited" in page and "Resend invitation" in page and "Revoke invitation" in page


def test_a_malformed_address_is_shown_on_the_form_and_nothing_is_written(client, buyer, contact):
    client.force_login(buyer)
    response = client.post(invite_url(contact), {"email": "chen@", "language": "en"})
    assert response.status_code == 400
    assert "is not a valid email address" in response.content.decode()
    assert not PortalInvitation.objects.exists()


def test_an_existing_account_is_refused_on_the_form(client, buyer, contact, portal_a):
    client.force_login(buyer)
    response = client.post(invite_url(contact), {"email": portal_a.email, "language": "en"})
    assert response.status_code == 400 and "already exists" in response.content.decode()


def test_resend_and_revoke_buttons_answer_with_a_message(client, buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    client.force_login(buyer)
    kwargs = {"pk": contact.supplier_id, "child_pk": contact.pk}
    response = client.post(reverse("suppliers:contact_invitation_resend", kwargs=kwargs), follow=True)
    assert "previous link no longer works" in response.content.decode()
    response = client.post(reverse("suppliers:contact_invitation_revoke", kwargs=kwargs), follow=True)
    assert "was revoked" in response.content.decode()
    response = client.post(reverse("suppliers:contact_invitation_revoke", kwargs=kwargs), follow=True)
    assert "no pending invitation" in response.content.decode()
    assert PortalInvitation.objects.filter(status=PortalInvitation.Status.REVOKED).count() == 1


def test_the_contacts_tab_shows_each_status_in_pinned_queries(
    client, buyer, supplier_a, committed, django_assert_max_num_queries
):
    active = ContactFactory(supplier=supplier_a, email="active@alpha.test")
    PortalUserFactory(supplier=supplier_a, email="active@alpha.test", last_login=timezone.now())
    gone = ContactFactory(supplier=supplier_a, email="gone@alpha.test", is_active=False)
    PortalUserFactory(supplier=supplier_a, email="gone@alpha.test", is_active=False)
    for _n in range(6):
        committed(invitations.contact_invite, contact=ContactFactory(supplier=supplier_a), by=buyer)
    ContactFactory(supplier=supplier_a, name="Never Invited")
    client.force_login(buyer)
    with django_assert_max_num_queries(14):
        page = client.get(tab_url(supplier_a)).content.decode()
    assert page.count("portal: invited") == 6
    assert "portal: active" in page and "last sign-in" in page
    assert "portal: deactivated" in page and "portal: not invited" in page
    assert active.name in page and gone.name in page


def test_the_welcome_page_speaks_the_invitations_language_and_signs_the_contact_in(
    client, buyer, contact, committed
):
    committed(invitations.contact_invite, contact=contact, by=buyer, language="vi")
    link = last_link()
    page = client.get(link)
    assert page.status_code == 200 and "Chào mừng bạn đến với cổng nhà cung cấp" in page.content.decode()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and home.wsgi_request.user.email == contact.email
    assert client.get(link).status_code == 410


def test_a_weak_or_mismatched_password_is_explained(client, buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer, language="en")
    link = last_link()
    response = client.post(link, {"password1": "short", "password2": "short"})
    assert response.status_code == 400 and "too short" in response.content.decode()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert response.status_code == 400 and "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email=contact.email).exists()


@pytest.mark.parametrize("language", ["zh-hans", "vi"])
def test_the_unusable_link_pages_are_clear_in_each_language(client, buyer, contact, committed, language):
    committed(invitations.contact_invite, contact=contact, by=buyer, language=language)
    link = last_link()
    tampered = client.get(link[:-3] + "00/")
    assert tampered.status_code == 404
    client.cookies["django_language"] = language
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = client.get(link)
    assert expired.status_code == 410
    assert "This invitation link does not work" not in expired.content.decode()  # translated
    committed(invitations.contact_invitation_revoke, contact=contact, by=buyer)
    assert client.get(link).status_code == 410


def test_posting_to_a_used_link_answers_410_not_500(client, buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    link = last_link()
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    assert client.post(link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410


def test_the_primary_contact_sees_invite_buttons_and_invites_a_colleague(
    client, primary, contact, buyer, committed
):
    client.force_login(primary)
    page = client.get(reverse("portal:contacts")).content.decode()
    assert "Invite to the portal" in page
    url = reverse("portal:contact_invite", kwargs={"pk": contact.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": contact.email, "language": "zh-hans"})
    assert response.status_code == 302
    assert buyer.notifications.filter(title__contains=contact.name).exists()


def test_another_factory_contact_gets_no_invite_buttons_and_403(client, portal_a, contact):
    client.force_login(portal_a)
    assert "Invite to the portal" not in client.get(reverse("portal:contacts")).content.decode()
    assert client.get(reverse("portal:contact_invite", kwargs={"pk": contact.pk})).status_code == 403


def test_a_primary_contact_cannot_invite_another_companys_contact(client, primary, supplier_b):
    other = ContactFactory(supplier=supplier_b)
    client.force_login(primary)
    url = reverse("portal:contact_invite", kwargs={"pk": other.pk})
    assert client.post(url, {"email": "x@beta.test", "language": "en"}).status_code == 404
    assert Contact.objects.get(pk=other.pk).email != "x@beta.test"


def test_the_status_selector_takes_three_queries_whatever_the_number_of_contacts(
    buyer, supplier_a, committed, django_assert_num_queries
):
    from suppliers.selectors import contacts_with_portal_status

    for _n in range(5):
        committed(invitations.contact_invite, contact=ContactFactory(supplier=supplier_a), by=buyer)
        PortalUserFactory(supplier=supplier_a, email=ContactFactory(supplier=supplier_a).email)
    with django_assert_num_queries(3):
        contacts = contacts_with_portal_status(user=buyer, supplier=supplier_a, now=timezone.now())
    assert sorted({c.portal_status for c in contacts}) == ["active", "invited"]
