"""Factory registrations: the invitation, the draft through the link, submit once, ask for changes, accept once;
and bank details that change only through a verified request."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from communications.models import Notification
from suppliers import registrations
from suppliers.models import (
    BankAccount,
    BankDetailsChange,
    Certification,
    ClientReference,
    Contact,
    PortalInvitation,
    Registration,
    Stage,
    Supplier,
)
from suppliers.services import banking
from tests.factories import PortalUserFactory, SupplierFactory, UserFactory

from .conftest import fill, last_link, token_of

pytestmark = pytest.mark.django_db


def test_an_invitation_emails_a_link_in_the_factorys_language_and_stores_only_its_hash(invited):
    token = token_of(last_link())
    assert mail.outbox[-1].to == ["owner@hanoistitch.test"]
    assert "Hanoi Stitch" in mail.outbox[-1].subject
    assert mail.outbox[-1].subject == "Forgeline: Hanoi Stitch, mời đăng ký làm nhà cung cấp"
    assert token not in str(Registration.objects.filter(pk=invited.pk).values().get())
    assert registrations.registration_for_token(token=token) == invited
    assert invited.expires_at == invited.created_at + timedelta(days=30)
    assert invited.status == Registration.Status.INVITED


@pytest.mark.parametrize(
    ("company", "email", "field"),
    [
        ("New Co", "not-an-address", "email"),
        ("New Co", "taken@example.test", "email"),
        ("", "fresh@example.test", "company_name"),
        ("Existing Supplier", "fresh@example.test", "company_name"),
    ],
)
def test_a_bad_invitation_says_what_is_wrong_and_writes_nothing(buyer, company, email, field):
    UserFactory(email="taken@example.test")
    SupplierFactory(name="Existing Supplier")
    with pytest.raises(ValidationError) as caught:
        registrations.registration_invite(company_name=company, email=email, by=buyer)
    assert field in caught.value.message_dict
    assert not Registration.objects.exists()


def test_a_quality_lead_cannot_invite_a_factory(quality):
    with pytest.raises(PermissionDenied):
        registrations.registration_invite(company_name="X", email="x@example.test", by=quality)


@pytest.mark.parametrize("token", ["", "x" * 300, "deadbeef"])
def test_a_tampered_or_unknown_link_is_unusable_as_unknown(invited, token):
    with pytest.raises(registrations.RegistrationUnusable) as caught:
        registrations.registration_for_token(token=token)
    assert caught.value.reason == "unknown"


def test_an_altered_character_makes_the_link_unknown(invited):
    token = token_of(last_link())
    altered = token[:-1] + ("0" if token[-1] != "0" else "1")
    with pytest.raises(registrations.RegistrationUnusable) as caught:
        registrations.registration_for_token(token=altered)
    assert caught.value.reason == "unknown"


def test_an_expired_link_is_unusable_and_the_draft_cannot_be_saved(invited):
    token = token_of(last_link())
    later = invited.expires_at + timedelta(seconds=1)
    with pytest.raises(registrations.RegistrationUnusable) as caught:
        registrations.registration_for_token(token=token, now=later)
    assert caught.value.reason == "expired"
    with pytest.raises(registrations.RegistrationUnusable):
        registrations.registration_save(registration=invited, legal_name="Late", now=later)
    invited.refresh_from_db()
    assert invited.legal_name == "" and invited.display_status(now=later) == "expired"


def test_the_draft_is_saved_and_continued_with_the_same_link(invited):
    registrations.registration_save(registration=invited, legal_name="Hanoi Stitch JSC")
    again = registrations.registration_for_token(token=token_of(last_link()))
    assert again.legal_name == "Hanoi Stitch JSC"
    assert again.status == Registration.Status.IN_PROGRESS


def test_a_registration_lacking_required_parts_cannot_be_submitted(invited):
    with pytest.raises(ValidationError) as caught:
        registrations.registration_submit(registration=invited)
    assert "business licence" in " ".join(caught.value.messages)
    invited.refresh_from_db()
    assert invited.status == Registration.Status.INVITED


def test_an_upload_that_is_not_an_allowed_document_is_refused(invited):
    from django.core.files.uploadedfile import SimpleUploadedFile

    script = SimpleUploadedFile("licence.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        registrations.registration_save(registration=invited, business_licence=script)
    assert "business_licence" in caught.value.message_dict
    invited.refresh_from_db()
    assert not invited.business_licence


def test_a_registration_submitted_twice_is_submitted_once_and_tells_the_inviter_once(invited, buyer):
    fill(invited)
    first = registrations.registration_submit(registration=invited)
    second = registrations.registration_submit(registration=invited)
    assert first.status == second.status == Registration.Status.SUBMITTED
    assert first.submitted_at == second.submitted_at
    assert Notification.objects.filter(user=buyer, title__contains="Hanoi Stitch").count() == 1


def test_a_submitted_registration_can_no_longer_be_edited(invited):
    fill(invited)
    registrations.registration_submit(registration=invited)
    with pytest.raises(ValidationError):
        registrations.registration_save(registration=invited, legal_name="Changed")
    with pytest.raises(ValidationError):
        registrations.registration_item_add(registration=invited, item="reference", company="Late Co")


def test_asking_for_changes_emails_the_comment_in_the_factorys_language_and_reopens_the_draft(
    invited, buyer, committed
):
    fill(invited)
    registrations.registration_submit(registration=invited)
    committed(
        registrations.registration_request_changes,
        registration=invited,
        by=buyer,
        comment="Please upload the licence in colour.",
    )
    invited.refresh_from_db()
    assert invited.status == Registration.Status.CHANGES_REQUESTED
    assert "Please upload the licence in colour." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["owner@hanoistitch.test"]
    assert token_of(last_link()) == token_of(mail.outbox[0].body.split("/portal/register/")[1].split()[0])
    registrations.registration_save(registration=invited, city="Ha Noi")
    assert registrations.registration_submit(registration=invited).status == Registration.Status.SUBMITTED


def test_asking_for_changes_needs_a_comment(invited, buyer):
    fill(invited)
    registrations.registration_submit(registration=invited)
    with pytest.raises(ValidationError) as caught:
        registrations.registration_request_changes(registration=invited, by=buyer, comment="  ")
    assert "comment" in caught.value.message_dict


def test_accepting_creates_a_prospect_with_everything_declared_and_evidence_pending(invited, manager, buyer):
    fill(invited)
    registrations.registration_submit(registration=invited)
    supplier = registrations.registration_accept(registration=invited, by=manager)
    assert supplier.stage == Stage.PROSPECT and supplier.owner == buyer
    assert supplier.legal_name == "Hanoi Stitch Garment JSC" and supplier.registration_number == "0101234567"
    assert [c.name for c in supplier.categories.all()] == ["Apparel"]
    contact = Contact.objects.get(supplier=supplier)
    assert contact.is_primary and contact.email == "owner@hanoistitch.test" and contact.language == "vi"
    certification = Certification.objects.get(supplier=supplier)
    assert certification.status == Certification.Status.PENDING and certification.document
    assert certification.document.name.startswith("certifications/")
    assert ClientReference.objects.get(supplier=supplier).checked_on is None
    account = BankAccount.objects.get(supplier=supplier)
    assert account.account_masked == "•••• 1234" and account.account_number == "0011004567891234"
    invitation = PortalInvitation.objects.get(contact=contact)
    assert invitation.language == "vi"
    invited.refresh_from_db()
    assert invited.status == Registration.Status.ACCEPTED and invited.supplier == supplier


def test_accepting_twice_creates_one_supplier(invited, manager):
    fill(invited)
    registrations.registration_submit(registration=invited)
    first = registrations.registration_accept(registration=invited, by=manager)
    second = registrations.registration_accept(registration=invited, by=manager)
    assert first == second
    assert Supplier.objects.filter(name="Hanoi Stitch").count() == 1
    assert Contact.objects.filter(supplier=first).count() == 1


def test_after_acceptance_the_link_is_used(invited, manager):
    token = token_of(last_link())
    fill(invited)
    registrations.registration_submit(registration=invited)
    registrations.registration_accept(registration=invited, by=manager)
    with pytest.raises(registrations.RegistrationUnusable) as caught:
        registrations.registration_for_token(token=token)
    assert caught.value.reason == "used"


def test_an_accept_that_fails_half_way_writes_nothing(invited, manager):
    fill(invited)
    registrations.registration_submit(registration=invited)
    # A supplier of that name appeared meanwhile: the prospect cannot be created, and nothing else is.
    SupplierFactory(name="Hanoi Stitch")
    with pytest.raises(ValidationError), transaction.atomic():
        registrations.registration_accept(registration=invited, by=manager)
    invited.refresh_from_db()
    assert invited.status == Registration.Status.SUBMITTED and invited.supplier is None
    assert not Contact.objects.filter(email="owner@hanoistitch.test").exists()
    assert not BankAccount.objects.exists()


def test_only_a_submitted_registration_can_be_accepted(invited, manager):
    with pytest.raises(ValidationError):
        registrations.registration_accept(registration=invited, by=manager)
    assert not Supplier.objects.filter(name="Hanoi Stitch").exists()


def test_a_registration_number_already_registered_in_the_country_is_refused_at_submit(invited):
    SupplierFactory(name="Older", country="VN", registration_number="0101234567")
    fill(invited)
    with pytest.raises(ValidationError) as caught:
        registrations.registration_submit(registration=invited)
    assert "registration_number" in caught.value.message_dict


def test_a_revoked_registration_link_stops_working(invited, buyer):
    token = token_of(last_link())
    registrations.registration_revoke(registration=invited, by=buyer)
    with pytest.raises(registrations.RegistrationUnusable) as caught:
        registrations.registration_for_token(token=token)
    assert caught.value.reason == "revoked"


def test_an_entry_of_another_registration_cannot_be_removed(invited, buyer):
    other = registrations.registration_invite(company_name="Other", email="other@example.test", by=buyer)
    site = registrations.registration_item_add(
        registration=other, item="site", kind="own_factory", name="Theirs", address="1 Road"
    )
    with pytest.raises(ValidationError):
        registrations.registration_item_remove(registration=invited, item="site", pk=site.pk)
    assert other.sites.count() == 1


# --- Bank details ---------------------------------------------------------------------------------------------


@pytest.fixture
def account(supplier_a):
    return BankAccount.objects.create(
        supplier=supplier_a,
        account_holder="Alpha",
        bank_name="Old Bank",
        account_number="GB29NWBK60161331926819",
    )


def test_a_factory_contact_requests_a_change_and_the_owner_is_told_in_their_language(
    account, supplier_a, buyer
):
    buyer.language = "zh-hans"
    buyer.save()
    contact = PortalUserFactory(supplier=supplier_a)
    change = banking.bank_change_request(
        supplier=supplier_a,
        by=contact,
        reason="We moved bank",
        account_holder="Alpha",
        bank_name="New Bank",
        account_number="DE89 3704 0044 0532 0130 00",
    )
    account.refresh_from_db()
    assert account.bank_name == "Old Bank"  # nothing changes before verification
    notification = Notification.objects.get(user=buyer)
    assert "•••• 3000" in notification.body and "DE89370400440532013000" not in notification.body
    assert notification.title == f"{supplier_a.name} 申请变更银行信息"
    assert change.status == BankDetailsChange.Status.PENDING


def test_a_factory_contact_cannot_request_a_change_for_another_supplier(supplier_b, portal_a):
    with pytest.raises(PermissionDenied):
        banking.bank_change_request(
            supplier=supplier_b,
            by=portal_a,
            reason="x",
            account_holder="x",
            bank_name="x",
            account_number="1",
        )


def test_a_verified_change_applies_and_a_second_decision_is_refused(account, supplier_a, buyer, manager):
    change = banking.bank_change_request(
        supplier=supplier_a,
        by=buyer,
        reason="New",
        account_holder="Alpha",
        bank_name="New",
        account_number="12345678",
    )
    banking.bank_change_decide(change=change, by=manager, approve=True, note="Called the GM")
    account.refresh_from_db()
    assert (
        account.bank_name == "New"
        and account.account_masked == "•••• 5678"
        and account.verified_by == manager
    )
    with pytest.raises(ValidationError):
        banking.bank_change_decide(change=change, by=manager, approve=False, note="again")


def test_the_requester_cannot_verify_their_own_change(account, supplier_a, buyer):
    change = banking.bank_change_request(
        supplier=supplier_a,
        by=buyer,
        reason="New",
        account_holder="A",
        bank_name="B",
        account_number="99998888",
    )
    with pytest.raises(ValidationError):
        banking.bank_change_decide(change=change, by=buyer, approve=True, note="self")
    change.refresh_from_db()
    assert change.status == BankDetailsChange.Status.PENDING


def test_only_one_change_waits_at_a_time(account, supplier_a, buyer):
    fields = {"reason": "New", "account_holder": "A", "bank_name": "B", "account_number": "11112222"}
    banking.bank_change_request(supplier=supplier_a, by=buyer, **fields)
    with pytest.raises(ValidationError):
        banking.bank_change_request(supplier=supplier_a, by=buyer, **fields)
    assert BankDetailsChange.objects.count() == 1


def test_a_rejected_change_leaves_the_account_as_it_was(account, supplier_a, buyer, manager):
    change = banking.bank_change_request(
        supplier=supplier_a,
        by=buyer,
        reason="New",
        account_holder="A",
        bank_name="Fraud",
        account_number="666",
    )
    banking.bank_change_decide(change=change, by=manager, approve=False, note="GM never asked for it")
    account.refresh_from_db()
    assert account.bank_name == "Old Bank"


def test_masking_shows_only_the_last_four_characters():
    from suppliers.models.registrations import mask_account

    assert mask_account("DE89 3704 0044 0532 0130 00") == "•••• 3000"
    assert mask_account("123") == "••••"
    assert mask_account("") == ""


def test_a_new_link_replaces_an_expired_one_and_keeps_the_draft(invited, buyer, committed):
    old = token_of(last_link())
    registrations.registration_save(registration=invited, legal_name="Kept JSC")
    later = invited.expires_at + timedelta(days=1)
    committed(registrations.registration_resend, registration=invited, by=buyer, now=later)
    new = token_of(last_link())
    assert new != old
    with pytest.raises(registrations.RegistrationUnusable):
        registrations.registration_for_token(token=old, now=later)
    assert registrations.registration_for_token(token=new, now=later).legal_name == "Kept JSC"


def test_a_submitted_registration_gets_no_new_link(invited, buyer):
    fill(invited)
    registrations.registration_submit(registration=invited)
    with pytest.raises(ValidationError):
        registrations.registration_resend(registration=invited, by=buyer)
