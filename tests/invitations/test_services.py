"""Portal invitations: single-use links valid 7 days, resend and revoke, acceptance, and a contact who left."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import ApiToken, User
from accounts.roles import Role
from communications.models import Notification
from suppliers import invitations, services
from suppliers.models import Activity, PortalInvitation
from tests.factories import ContactFactory, SupplierFactory, api_token_for

from .conftest import PASSWORD, last_link, token_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_an_invitation_emails_a_single_use_link_and_stores_only_its_hash(buyer, contact, committed):
    invitation = committed(invitations.contact_invite, contact=contact, by=buyer)
    token = token_of(last_link())
    assert mail.outbox[-1].to == ["chen.wei@alpha.test"]
    assert token not in str(PortalInvitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.token_hash == invitations.token_hash(token)
    assert invitation.expires_at == NOW + timedelta(days=7)
    assert invitation.sent_by == buyer and invitation.status == PortalInvitation.Status.PENDING
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.attempts == 1
    assert Activity.objects.filter(supplier=contact.supplier, kind=Activity.Kind.PORTAL_INVITED).exists()


@pytest.mark.parametrize(
    ("country", "language"), [("CN", "zh-hans"), ("HK", "zh-hans"), ("VN", "vi"), ("DE", "en")]
)
def test_the_language_is_preset_from_the_suppliers_country(buyer, country, language, committed):
    contact = ContactFactory(supplier=SupplierFactory(country=country, owner=buyer))
    assert committed(invitations.contact_invite, contact=contact, by=buyer).language == language


def test_the_email_is_written_in_the_invitations_language(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer, language="vi")
    assert "Xin chào Chen Wei" in mail.outbox[-1].body


def test_accepting_creates_a_factory_account_and_the_link_works_once(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer, language="zh-hans")
    token = token_of(last_link())
    user = invitations.invitation_accept(token=token, password=PASSWORD)
    assert user.role == Role.SUPPLIER and user.supplier == contact.supplier
    assert user.email == contact.email and user.language == "zh-hans" and user.check_password(PASSWORD)
    with pytest.raises(invitations.InvitationUnusable) as used:
        invitations.invitation_accept(token=token, password=PASSWORD)
    assert used.value.reason == "used"
    assert PortalInvitation.objects.get().user == user


def test_a_link_expires_after_seven_days(buyer, contact, committed):
    with time_machine.travel(NOW, tick=False) as traveller:
        committed(invitations.contact_invite, contact=contact, by=buyer)
        token = token_of(last_link())
        traveller.shift(timedelta(days=7, seconds=-1))
        assert invitations.invitation_for_token(token=token)
        traveller.shift(timedelta(seconds=1))
        with pytest.raises(invitations.InvitationUnusable) as expired:
            invitations.invitation_accept(token=token, password=PASSWORD)
    assert expired.value.reason == "expired"
    assert not User.objects.filter(email=contact.email).exists()


def test_a_tampered_link_is_unknown(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    token = token_of(last_link())
    with pytest.raises(invitations.InvitationUnusable) as unknown:
        invitations.invitation_for_token(token=token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert unknown.value.reason == "unknown"


def test_resending_kills_the_old_link(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer, language="vi")
    old = token_of(last_link())
    new_invitation = committed(invitations.contact_invitation_resend, contact=contact, by=buyer)
    new = token_of(last_link())
    assert new != old and new_invitation.language == "vi"
    with pytest.raises(invitations.InvitationUnusable) as replaced:
        invitations.invitation_for_token(token=old)
    assert replaced.value.reason == "revoked"
    assert invitations.invitation_accept(token=new, password=PASSWORD).is_active


def test_revoking_kills_the_link_and_a_second_revoke_says_there_is_nothing(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    token = token_of(last_link())
    assert invitations.contact_invitation_revoke(contact=contact, by=buyer) == 1
    with pytest.raises(invitations.InvitationUnusable):
        invitations.invitation_accept(token=token, password=PASSWORD)
    with pytest.raises(ValidationError):
        invitations.contact_invitation_revoke(contact=contact, by=buyer)


def test_a_revoked_invitations_queued_email_is_never_sent(buyer, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invitations.contact_invite(contact=contact, by=buyer)
    invitations.contact_invitation_revoke(contact=contact, by=buyer)
    assert invitations.invitation_send_email(invitation_id=invitation.pk) is False
    assert mail.outbox == []


def test_the_email_goes_out_once_however_often_the_task_runs(
    buyer, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invitations.contact_invite(contact=contact, by=buyer)
    assert invitations.invitation_send_email(invitation_id=invitation.pk) is True
    assert invitations.invitation_send_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_email_is_retried_later(buyer, contact, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.invitations.test_services.BrokenBackend"
    with time_machine.travel(NOW, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=False):
            invitation = invitations.contact_invite(contact=contact, by=buyer)
        assert invitations.invitation_send_email(invitation_id=invitation.pk) is False
        invitation.refresh_from_db()
        assert invitation.sent_at is None and "SMTP down" in invitation.last_error
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        traveller.shift(timedelta(minutes=5))
        assert invitations.invitations_send_emails() == 0  # waits out its back-off
        traveller.shift(timedelta(minutes=6))
        assert invitations.invitations_send_emails() == 1
        assert invitations.invitations_send_emails() == 0
    assert len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "is not a valid email address"),
        ("", "has no email address"),
    ],
)
def test_a_malformed_or_missing_address_is_refused_with_a_message(buyer, contact, email, message, committed):
    with pytest.raises(ValidationError) as refused:
        committed(invitations.contact_invite, contact=contact, by=buyer, email=email)
    assert message in str(refused.value)
    assert not PortalInvitation.objects.exists()


def test_an_address_that_already_has_an_account_is_refused(buyer, contact, committed):
    with pytest.raises(ValidationError, match="already exists"):
        committed(invitations.contact_invite, contact=contact, by=buyer, email=buyer.email.upper())
    assert not PortalInvitation.objects.exists()
    contact.refresh_from_db()
    assert contact.email == "chen.wei@alpha.test"  # nothing half-written


def test_a_contact_of_another_supplier_is_refused(buyer, contact, supplier_b, committed):
    with pytest.raises(ValidationError, match="another supplier"):
        committed(invitations.contact_invite, contact=contact, by=buyer, supplier_id=supplier_b.pk)


def test_a_contact_who_left_cannot_be_invited(buyer, contact, committed):
    services.contact_deactivate(contact=contact, by=buyer)
    with pytest.raises(ValidationError, match="has left"):
        committed(invitations.contact_invite, contact=contact, by=buyer)


def test_a_new_address_on_the_invite_corrects_the_contact(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer, email=" Chen.New@Alpha.test ")
    contact.refresh_from_db()
    assert contact.email == "chen.new@alpha.test" and mail.outbox[-1].to == ["chen.new@alpha.test"]


def test_quality_staff_may_not_invite(quality, contact, committed):
    with pytest.raises(PermissionDenied):
        committed(invitations.contact_invite, contact=contact, by=quality)


def test_a_weak_password_is_refused_and_the_link_still_works(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    token = token_of(last_link())
    with pytest.raises(ValidationError):
        invitations.invitation_accept(token=token, password="chen.wei")
    assert invitations.invitation_for_token(token=token)


def test_a_primary_contact_invites_a_colleague_and_the_owner_is_notified(primary, contact, buyer, committed):
    committed(invitations.contact_invite, contact=contact, by=primary)
    notice = Notification.objects.get(user=buyer)
    assert "Chen Wei" in notice.title and contact.supplier.name in notice.title


def test_a_factory_contact_who_is_not_primary_may_not_invite(portal_a, contact, committed):
    with pytest.raises(PermissionDenied):
        committed(invitations.contact_invite, contact=contact, by=portal_a)


def test_a_primary_contact_may_not_invite_into_another_company(primary, supplier_b, committed):
    with pytest.raises(PermissionDenied):
        committed(invitations.contact_invite, contact=ContactFactory(supplier=supplier_b), by=primary)


def test_a_contact_who_left_is_deactivated_at_once_sessions_and_tokens_ended(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    user = invitations.invitation_accept(token=token_of(last_link()), password=PASSWORD)
    browser = Client()
    response = browser.post(reverse("accounts:login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert browser.get(reverse("portal:home")).status_code == 200
    key = api_token_for(user)
    assert UserSession.objects.filter(user=user).exists()

    with translation.override("en"):  # the timeline line is written in the language of whoever acts
        services.contact_deactivate(contact=contact, by=buyer)

    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert browser.get(reverse("portal:home")).status_code == 302  # signed out
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert Client().get(reverse("api:contact-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert Activity.objects.filter(supplier=contact.supplier, kind=Activity.Kind.PORTAL_ACCESS_ENDED).exists()


def test_a_contact_who_left_has_pending_links_revoked(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    token = token_of(last_link())
    services.contact_deactivate(contact=contact, by=buyer)
    with pytest.raises(invitations.InvitationUnusable):
        invitations.invitation_accept(token=token, password=PASSWORD)


def test_the_owner_is_told_when_an_invited_contact_joins(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    invitations.invitation_accept(token=token_of(last_link()), password=PASSWORD)
    assert Notification.objects.filter(user=buyer, title__contains="joined the portal").exists()


def test_the_account_follows_the_contact_even_after_its_email_changed(buyer, contact, committed):
    committed(invitations.contact_invite, contact=contact, by=buyer)
    user = invitations.invitation_accept(token=token_of(last_link()), password=PASSWORD)
    services.contact_save(
        supplier=contact.supplier, by=buyer, contact=contact, email="chen.private@mail.test"
    )
    services.contact_deactivate(contact=contact, by=buyer)
    user.refresh_from_db()
    assert not user.is_active


def test_an_invitation_made_while_the_broker_is_down_is_saved_and_sent_by_the_sweep(
    buyer, contact, django_capture_on_commit_callbacks
):
    from unittest import mock

    from celery.app.task import Task
    from kombu.exceptions import OperationalError as BrokerDown

    with time_machine.travel(NOW, tick=False) as traveller:
        with (
            mock.patch.object(Task, "apply_async", side_effect=BrokerDown("Error 111")),
            django_capture_on_commit_callbacks(execute=True),
        ):
            invitations.contact_invite(contact=contact, by=buyer)
        assert mail.outbox == [] and PortalInvitation.objects.get().status == PortalInvitation.Status.PENDING
        traveller.shift(timedelta(minutes=10))
        assert invitations.invitations_send_emails() == 1
    assert token_of(last_link())
