"""The public registration pages (through the link) and the staff pages (list, invite, review, accept),
and bank details in the portal and on the supplier's page."""

import pytest
from django.core import mail
from django.urls import reverse

from suppliers import registrations
from suppliers.models import BankAccount, BankDetailsChange, Registration, Supplier
from tests.factories import ProductCategoryFactory

from .conftest import fill, last_link, pdf

pytestmark = pytest.mark.django_db


def test_staff_invite_a_factory_from_the_registrations_page(
    client, buyer, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("suppliers:registration_invite"),
            {"company_name": "Saigon Shoes", "email": "info@saigonshoes.test", "language": "vi"},
        )
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/registrations/{registration.pk}/")
    assert mail.outbox[-1].to == ["info@saigonshoes.test"]
    listing = client.get(reverse("suppliers:registration_list"), {"status": "invited"})
    assert "Saigon Shoes" in listing.content.decode()


def test_a_malformed_email_gets_a_clear_message_on_the_invite_page(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("suppliers:registration_invite"), {"company_name": "X", "email": "nope@", "language": "en"}
    )
    assert response.status_code == 400
    assert "is not a valid email address" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_list_filters_expired_registrations(client, buyer, invited):
    Registration.objects.filter(pk=invited.pk).update(expires_at=invited.created_at)
    client.force_login(buyer)
    with_expired = client.get(reverse("suppliers:registration_list"), {"status": "expired"}).content.decode()
    invited_only = client.get(reverse("suppliers:registration_list"), {"status": "invited"}).content.decode()
    assert "Hanoi Stitch" in with_expired and "Hanoi Stitch" not in invited_only


def test_the_list_page_runs_a_fixed_number_of_queries(client, buyer, django_assert_max_num_queries):
    for number in range(12):
        registrations.registration_invite(
            company_name=f"Co {number}", email=f"c{number}@example.test", by=buyer
        )
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("suppliers:registration_list")).status_code == 200


def test_the_factory_saves_a_draft_through_the_link_in_its_language(client, invited):
    link = last_link()
    page = client.get(link)
    assert page.status_code == 200
    assert '<html lang="vi">' in page.content.decode()
    response = client.post(
        link, {"action": "save", "legal_name": "Hanoi Stitch JSC", "bank_account_number": "9876 5432 1"}
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.legal_name == "Hanoi Stitch JSC" and invited.bank_account_number == "987654321"
    again = client.get(link).content.decode()
    assert "987654321" not in again and "•••• 4321" in again


def test_an_empty_account_number_keeps_the_saved_one(client, invited):
    link = last_link()
    client.post(link, {"action": "save", "bank_account_number": "12345678"})
    client.post(link, {"action": "save", "bank_account_number": "", "city": "Hanoi"})
    invited.refresh_from_db()
    assert invited.bank_account_number == "12345678" and invited.city == "Hanoi"


def test_the_factory_adds_and_removes_entries(client, invited):
    link = last_link()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    add = reverse("portal:registration_item_add", kwargs={"token": token, "kind": "site"})
    response = client.post(
        add, {"site-kind": "subcontractor", "site-name": "Dyeing partner", "site-address": "Nam Dinh"}
    )
    assert response.status_code == 302
    site = invited.sites.get()
    remove = reverse(
        "portal:registration_item_remove", kwargs={"token": token, "kind": "site", "pk": site.pk}
    )
    assert client.post(remove).status_code == 302
    assert not invited.sites.exists()


def test_a_bad_entry_shows_the_form_again_with_its_error(client, invited):
    token = last_link().rstrip("/").rsplit("/", 1)[-1]
    category = ProductCategoryFactory(name="Apparel")
    add = reverse("portal:registration_item_add", kwargs={"token": token, "kind": "capacity"})
    response = client.post(
        add, {"capacity-category": category.pk, "capacity-monthly_capacity": "99999999999"}
    )
    assert response.status_code == 400
    assert not invited.capacities.exists()


def test_an_upload_of_the_wrong_kind_is_refused_with_a_message(client, invited):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(last_link(), {"action": "save", "business_licence": fake})
    assert response.status_code == 400
    invited.refresh_from_db()
    assert not invited.business_licence


def form_data(registration, **changes):
    """Return what the browser posts for the draft form as it stands (file inputs left empty)."""
    from suppliers.registration_forms import RegistrationDraftForm

    form = RegistrationDraftForm(instance=registration)
    data = {
        name: form.initial.get(name) or ""
        for name in form.fields
        if name not in ("business_licence", "qc_process_document")
    }
    data["country"] = str(registration.country)
    return {**data, **changes}


def test_submitting_twice_through_the_page_submits_once(client, invited):
    fill(invited)
    link = last_link()
    assert client.post(link, form_data(invited, action="submit")).status_code == 302
    assert client.post(link, form_data(invited, action="submit")).status_code == 302
    invited.refresh_from_db()
    assert invited.status == Registration.Status.SUBMITTED
    page = client.get(link)
    assert page.status_code == 200 and 'action="' not in page.content.decode().split("<main")[1]


def test_submitting_an_incomplete_registration_lists_what_is_missing(client, invited):
    response = client.post(last_link(), {"action": "submit", "legal_name": "Only a name"})
    assert response.status_code == 400
    invited.refresh_from_db()
    assert invited.status == Registration.Status.IN_PROGRESS and invited.legal_name == "Only a name"


@pytest.mark.parametrize(
    ("change", "status"),
    [("tampered", 404), ("expired", 410), ("revoked", 410), ("accepted", 410)],
)
def test_an_unusable_link_gets_a_clear_page_not_an_error(client, invited, manager, change, status):
    link = last_link()
    if change == "tampered":
        link = link[:-3] + ("0" if link[-3] != "0" else "1") + link[-2:]
    elif change == "expired":
        Registration.objects.filter(pk=invited.pk).update(expires_at=invited.created_at)
    elif change == "revoked":
        registrations.registration_revoke(registration=invited, by=manager)
    else:
        fill(invited)
        registrations.registration_submit(registration=invited)
        registrations.registration_accept(registration=invited, by=manager)
    for response in (client.get(link), client.post(link, {"action": "save", "legal_name": "x"})):
        assert response.status_code == status
        assert "registration link does not work" in response.content.decode()


def test_staff_review_then_accept_as_prospect_from_the_review_page(client, buyer, invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    client.force_login(buyer)
    page = client.get(reverse("suppliers:registration_detail", kwargs={"pk": invited.pk})).content.decode()
    assert "Hanoi Stitch Garment JSC" in page and "•••• 1234" in page and "0011004567891234" not in page
    response = client.post(reverse("suppliers:registration_accept", kwargs={"pk": invited.pk}))
    supplier = Supplier.objects.get(name="Hanoi Stitch")
    assert response["Location"] == supplier.get_absolute_url()
    again = client.post(reverse("suppliers:registration_accept", kwargs={"pk": invited.pk}))
    assert again.status_code == 302 and Supplier.objects.filter(name="Hanoi Stitch").count() == 1


def test_asking_for_changes_without_a_comment_says_so(client, buyer, invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    client.force_login(buyer)
    url = reverse("suppliers:registration_request_changes", kwargs={"pk": invited.pk})
    assert client.post(url, {"comment": ""}).status_code == 400
    assert client.post(url, {"comment": "Sharper scan please"}).status_code == 302
    invited.refresh_from_db()
    assert invited.status == Registration.Status.CHANGES_REQUESTED


def test_a_quality_lead_may_read_but_not_accept(client, quality, invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    client.force_login(quality)
    assert client.get(reverse("suppliers:registration_detail", kwargs={"pk": invited.pk})).status_code == 200
    client.post(reverse("suppliers:registration_accept", kwargs={"pk": invited.pk}))
    assert not Supplier.objects.filter(name="Hanoi Stitch").exists()


def test_the_portal_shows_bank_details_masked_and_takes_a_change_request(client, portal_a, supplier_a):
    BankAccount.objects.create(
        supplier=supplier_a,
        account_holder="Alpha",
        bank_name="Old Bank",
        account_number="GB29NWBK60161331926819",
    )
    client.force_login(portal_a)
    page = client.get(reverse("portal:bank_details")).content.decode()
    assert "•••• 6819" in page and "GB29NWBK60161331926819" not in page
    response = client.post(
        reverse("portal:bank_details"),
        {"account_holder": "Alpha", "bank_name": "New Bank", "account_number": "12345678", "reason": "Moved"},
    )
    assert response.status_code == 302
    assert BankDetailsChange.objects.get(supplier=supplier_a).status == "pending"


def test_staff_verify_a_change_on_the_suppliers_bank_page(client, manager, portal_a, supplier_a):
    from suppliers.services import banking

    change = banking.bank_change_request(
        supplier=supplier_a,
        by=portal_a,
        reason="Moved",
        account_holder="A",
        bank_name="New",
        account_number="55554444",
    )
    client.force_login(manager)
    page = client.get(reverse("suppliers:bank_details", kwargs={"pk": supplier_a.pk})).content.decode()
    assert "•••• 4444" in page and "55554444" not in page
    url = reverse("suppliers:bank_change_decide", kwargs={"pk": supplier_a.pk, "child_pk": change.pk})
    client.post(url, {"approve": "1", "note": "Called back"})
    assert BankAccount.objects.get(supplier=supplier_a).account_masked == "•••• 4444"


def test_the_registration_form_has_a_phone_friendly_layout(client, invited):
    body = client.get(last_link()).content.decode()
    assert 'name="viewport"' in body and "w-100" in body
    assert "<table" not in body
    assert pdf  # the helper is shared with the service tests


def test_staff_send_an_expired_registration_a_new_link(
    client, buyer, invited, django_capture_on_commit_callbacks
):
    Registration.objects.filter(pk=invited.pk).update(expires_at=invited.created_at)
    client.force_login(buyer)
    page = client.get(reverse("suppliers:registration_detail", kwargs={"pk": invited.pk})).content.decode()
    assert "Send a new link" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("suppliers:registration_resend", kwargs={"pk": invited.pk}))
    client.logout()  # the factory opens it, not signed in (staff are kept out of /portal/)
    assert client.get(last_link()).status_code == 200
    assert len(mail.outbox) == 2
