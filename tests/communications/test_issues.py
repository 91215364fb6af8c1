"""Issues: the response clock (who stops it, and when), escalations at 1x and 2x the target (once each),
resolving, corrective actions, and notifications whose email goes out exactly once."""

import contextlib
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone, translation

from accounts.roles import Role
from audits.models import CorrectiveAction
from communications import services
from communications.models import IssueEscalation, IssueMessage, Notification, Side, SupplierIssue
from communications.tasks import notification_email_task, notifications_resend_pending_task
from tests.factories import (
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TARGET = timedelta(hours=24)


def raise_issue(supplier, by, **fields) -> SupplierIssue:
    fields = {
        "category": "quality",
        "subject": "Loose threads on PO-1",
        "description": "See the photos of lot 4.",
        **fields,
    }
    return services.issue_raise(supplier=supplier, by=by, **fields)


def raised_at(issue, when) -> SupplierIssue:
    """Move the moment the issue was raised (the clock's start) and return the fresh row."""
    SupplierIssue.objects.filter(pk=issue.pk).update(raised_at=when)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def issue(supplier_a, buyer):
    """Raised with supplier A by its owner, 30 hours ago."""
    return raised_at(raise_issue(supplier_a, buyer), timezone.now() - timedelta(hours=30))


# --- The response clock: raised by the buyer ------------------------------------------------------------------


def test_raising_an_issue_starts_the_clock_with_the_suppliers_owner_as_owner(supplier_a, buyer, quality):
    issue = raise_issue(supplier_a, quality)

    assert (issue.raised_by_side, issue.status, issue.first_response_at) == (Side.BUYER, "open", None)
    assert issue.owner == buyer == supplier_a.owner
    assert issue.responding_side == Side.SUPPLIER


def test_the_suppliers_first_reply_in_the_portal_stops_the_clock(issue, portal_a):
    message = services.issue_reply(issue=issue, by=portal_a, body="We are sorting the lot.")

    issue.refresh_from_db()
    assert issue.first_response_at == message.sent_at
    assert issue.status == SupplierIssue.Status.ANSWERED
    assert (message.side, message.author_name, message.logged_on_behalf) == (
        Side.SUPPLIER,
        "Ada Alpha",
        False,
    )
    assert issue.response_hours() == round((message.sent_at - issue.raised_at).total_seconds() / 3600, 1)
    assert issue.response_hours() == pytest.approx(30.0, abs=0.1)


def test_a_second_supplier_reply_does_not_move_the_first_response(issue, portal_a):
    first = services.issue_reply(issue=issue, by=portal_a, body="Checking.")
    services.issue_reply(issue=issue, by=portal_a, body="Sorted: 40 pieces out.")

    issue.refresh_from_db()
    assert issue.first_response_at == first.sent_at


def test_the_buyers_own_follow_up_does_not_stop_the_clock(issue, buyer):
    message = services.issue_reply(issue=issue, by=buyer, body="Any news?")

    issue.refresh_from_db()
    assert (issue.first_response_at, issue.status) == (None, SupplierIssue.Status.OPEN)
    assert message.side == Side.BUYER


def test_a_reply_logged_by_staff_stops_the_clock_at_the_time_it_arrived_not_at_logging(issue, buyer, quality):
    arrived = issue.raised_at + timedelta(hours=3)

    message = services.issue_reply(
        issue=issue,
        by=quality,
        body="Mr Li phoned: they replace the lot.",
        on_behalf_of_supplier=True,
        author_name="Mr Li",
        sent_at=arrived,
    )

    issue.refresh_from_db()
    assert issue.first_response_at == arrived
    assert issue.response_hours() == 3.0
    assert issue.status == SupplierIssue.Status.ANSWERED
    assert (message.side, message.author_name, message.logged_by, message.logged_on_behalf) == (
        Side.SUPPLIER,
        "Mr Li",
        quality,
        True,
    )


@pytest.mark.parametrize(
    "when",
    [
        lambda issue: issue.raised_at - timedelta(minutes=1),
        lambda issue: timezone.now() + timedelta(hours=1),
        lambda issue: None,
    ],
    ids=["before-raising", "in-the-future", "missing"],
)
def test_a_logged_reply_time_outside_raising_to_now_is_refused(issue, buyer, when):
    with pytest.raises(ValidationError) as exc:
        services.issue_reply(
            issue=issue, by=buyer, body="They called.", on_behalf_of_supplier=True, sent_at=when(issue)
        )

    assert "sent_at" in exc.value.message_dict
    assert not IssueMessage.objects.exists()
    issue.refresh_from_db()
    assert (issue.first_response_at, issue.status) == (None, SupplierIssue.Status.OPEN)


def test_an_empty_reply_is_refused(issue, portal_a):
    with pytest.raises(ValidationError):
        services.issue_reply(issue=issue, by=portal_a, body="  ")
    assert not IssueMessage.objects.exists()


def test_a_factory_contact_of_b_can_neither_reply_to_nor_raise_an_issue_of_a(issue, supplier_a, portal_b):
    with pytest.raises(PermissionDenied):
        services.issue_reply(issue=issue, by=portal_b, body="Hello")
    with pytest.raises(PermissionDenied):
        raise_issue(supplier_a, portal_b)

    assert SupplierIssue.objects.count() == 1 and not IssueMessage.objects.exists()


# --- The response clock: raised by the supplier ---------------------------------------------------------------


def test_an_issue_raised_in_the_portal_goes_to_the_owner_whatever_owner_is_asked(
    supplier_a, portal_a, buyer, manager
):
    issue = raise_issue(supplier_a, portal_a, category="documentation", subject="Spec unclear", owner=manager)

    assert (issue.raised_by_side, issue.owner, issue.responding_side) == (Side.SUPPLIER, buyer, Side.BUYER)
    note = Notification.objects.get()
    assert note.user == buyer
    assert note.title == "Alpha Factory raised an issue: Spec unclear"
    assert note.url == issue.get_absolute_url()


def test_on_an_issue_the_supplier_raised_the_buyers_first_reply_stops_the_clock(
    supplier_a, portal_a, quality
):
    issue = raise_issue(supplier_a, portal_a, subject="Sample approval is late")

    services.issue_reply(issue=issue, by=portal_a, body="Any update?")
    issue.refresh_from_db()
    assert issue.first_response_at is None

    reply = services.issue_reply(issue=issue, by=quality, body="Approved today.")
    issue.refresh_from_db()
    assert (issue.first_response_at, issue.status) == (reply.sent_at, SupplierIssue.Status.ANSWERED)


def test_a_supplier_reply_notifies_the_owner_and_a_buyer_reply_the_factory(issue, portal_a, buyer):
    services.issue_reply(issue=issue, by=buyer, body="Any news?")
    # The buyer's message goes to the factory's portal users (their response time is measured), not to us.
    assert list(Notification.objects.values_list("user", flat=True)) == [portal_a.pk]
    Notification.objects.all().delete()

    services.issue_reply(issue=issue, by=portal_a, body="On it.")
    assert list(Notification.objects.values_list("user", "title")) == [
        (buyer.pk, "Reply from Alpha Factory: Loose threads on PO-1")
    ]


# --- What an issue may point at -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["order", "delivery", "inspection"])
def test_raising_an_issue_on_another_suppliers_order_delivery_or_inspection_is_refused(
    supplier_a, supplier_b, buyer, quality, field
):
    order = PurchaseOrderFactory(supplier=supplier_b)
    other = {
        "order": order,
        "delivery": DeliveryFactory(order=order),
        "inspection": QCInspectionFactory(supplier=supplier_b, inspector=quality),
    }[field]

    with pytest.raises(ValidationError) as exc:
        raise_issue(supplier_a, buyer, **{field: other})

    assert field in exc.value.message_dict
    assert not SupplierIssue.objects.exists()


def test_an_issue_may_point_at_the_suppliers_own_order(supplier_a, buyer):
    order = PurchaseOrderFactory(supplier=supplier_a)

    assert raise_issue(supplier_a, buyer, order=order).order == order


# --- Resolving and corrective actions -------------------------------------------------------------------------


def test_resolving_needs_a_note_and_happens_once(issue, buyer, manager):
    with pytest.raises(ValidationError) as no_note:
        services.issue_resolve(issue=issue, by=buyer, note="  ")
    assert "note" in no_note.value.message_dict

    services.issue_resolve(issue=issue, by=buyer, note=" Lot replaced. ")
    issue.refresh_from_db()
    assert (issue.status, issue.resolved_by, issue.resolution_note) == ("resolved", buyer, "Lot replaced.")
    first_resolution = issue.resolved_at

    with pytest.raises(ValidationError, match="already resolved"):
        services.issue_resolve(issue=issue, by=manager, note="Again")
    issue.refresh_from_db()
    assert (issue.resolved_by, issue.resolved_at) == (buyer, first_resolution)


def test_a_resolved_issue_takes_no_more_replies(issue, buyer, portal_a):
    services.issue_resolve(issue=issue, by=buyer, note="Settled.")

    with pytest.raises(ValidationError, match="resolved"):
        services.issue_reply(issue=issue, by=portal_a, body="One more thing")
    assert not IssueMessage.objects.exists()


def test_a_factory_contact_cannot_resolve(issue, portal_a):
    with pytest.raises(PermissionDenied):
        services.issue_resolve(issue=issue, by=portal_a, note="We say it is fine.")
    issue.refresh_from_db()
    assert issue.status == SupplierIssue.Status.OPEN


def test_a_corrective_action_is_raised_from_an_issue_and_linked_once(issue, quality, supplier_a):
    due = timezone.localdate() + timedelta(days=14)

    services.issue_raise_corrective_action(issue=issue, by=quality, due_on=due)
    issue.refresh_from_db()
    action = issue.corrective_action
    assert (action.supplier, action.title, action.problem, action.due_on) == (
        supplier_a,
        issue.subject,
        issue.description,
        due,
    )

    with pytest.raises(ValidationError, match="already raised"):
        services.issue_raise_corrective_action(issue=issue, by=quality, due_on=due)
    assert CorrectiveAction.objects.count() == 1


def test_a_buyer_without_the_capa_right_cannot_raise_a_corrective_action(issue, buyer):
    with pytest.raises(PermissionDenied):
        services.issue_raise_corrective_action(issue=issue, by=buyer, due_on=timezone.localdate())
    assert not CorrectiveAction.objects.exists()


def test_two_requests_at_once_raise_only_one_corrective_action(issue, quality):
    first_copy = SupplierIssue.objects.get(pk=issue.pk)
    second_copy = SupplierIssue.objects.get(pk=issue.pk)
    due = timezone.localdate() + timedelta(days=14)

    services.issue_raise_corrective_action(issue=first_copy, by=quality, due_on=due)
    with contextlib.suppress(ValidationError):
        services.issue_raise_corrective_action(issue=second_copy, by=quality, due_on=due)

    assert CorrectiveAction.objects.count() == 1


# --- Escalation -----------------------------------------------------------------------------------------------


@pytest.fixture
def managers(manager):
    other = UserFactory(role=Role.MANAGER, full_name="Max Manager")
    UserFactory(role=Role.MANAGER, full_name="Gone Manager", is_active=False)
    return {manager, other}


def test_before_the_target_nothing_escalates(issue):
    assert services.issues_escalate(now=issue.raised_at + TARGET - timedelta(seconds=1)) == 0
    assert not IssueEscalation.objects.exists() and not Notification.objects.exists()


def test_at_the_target_the_owner_is_notified_and_emailed_once(
    issue, buyer, managers, django_capture_on_commit_callbacks
):
    now = issue.raised_at + TARGET

    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_escalate(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_escalate(now=now) == 0
        assert services.issues_escalate(now=now + timedelta(hours=5)) == 0

    assert list(IssueEscalation.objects.values_list("issue", "level", "escalated_at")) == [(issue.pk, 1, now)]
    note = Notification.objects.get()
    assert (note.user, note.title) == (buyer, "No reply for 24 h: Loose threads on PO-1")
    assert note.email == Notification.Email.SENT
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([buyer.email], "Forgeline: No reply for 24 h: Loose threads on PO-1")
    ]
    assert note.url in mail.outbox[0].body


def test_at_twice_the_target_every_active_manager_is_notified_once(
    issue, buyer, managers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.issues_escalate(now=issue.raised_at + TARGET)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_escalate(now=issue.raised_at + 2 * TARGET) == 1
        assert services.issues_escalate(now=issue.raised_at + 2 * TARGET) == 0
        assert services.issues_escalate(now=issue.raised_at + 5 * TARGET) == 0

    assert sorted(IssueEscalation.objects.values_list("level", flat=True)) == [1, 2]
    level_2 = Notification.objects.filter(title="Escalated: no reply for 48 h: Loose threads on PO-1")
    assert {n.user for n in level_2} == managers
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in managers)
    assert Notification.objects.filter(user=buyer).count() == 1


def test_an_issue_first_seen_at_twice_the_target_escalates_both_levels_at_once(issue, buyer, managers):
    assert services.issues_escalate(now=issue.raised_at + 2 * TARGET) == 2

    assert sorted(IssueEscalation.objects.values_list("level", flat=True)) == [1, 2]
    assert {n.user for n in Notification.objects.all()} == managers | {buyer}


def test_an_answered_issue_never_escalates(issue, portal_a, managers):
    services.issue_reply(issue=issue, by=portal_a, body="Checking.")
    Notification.objects.all().delete()

    assert services.issues_escalate(now=issue.raised_at + 10 * TARGET) == 0
    assert not IssueEscalation.objects.exists() and not Notification.objects.exists()


def test_a_resolved_issue_without_a_reply_never_escalates(issue, buyer, managers):
    services.issue_resolve(issue=issue, by=buyer, note="Settled on the phone.")

    assert services.issues_escalate(now=issue.raised_at + 10 * TARGET) == 0
    assert not IssueEscalation.objects.exists()


def test_an_issue_the_supplier_raised_escalates_to_the_owner_too(supplier_a, portal_a, buyer):
    issue = raised_at(raise_issue(supplier_a, portal_a, subject="Spec unclear"), timezone.now() - 2 * TARGET)
    Notification.objects.all().delete()

    assert services.issues_escalate(now=issue.raised_at + TARGET) == 1
    assert Notification.objects.get().user == buyer


def test_the_escalation_of_an_issue_the_supplier_raised_does_not_blame_the_supplier(supplier_a, portal_a):
    issue = raised_at(raise_issue(supplier_a, portal_a, subject="Spec unclear"), timezone.now() - 2 * TARGET)
    Notification.objects.all().delete()

    services.issues_escalate(now=issue.raised_at + TARGET)

    assert "Alpha Factory has not answered" not in Notification.objects.get().body


# --- Notifications and their email ----------------------------------------------------------------------------


@pytest.fixture
def notification(buyer):
    return Notification.objects.create(user=buyer, title="Hello", body="Body text", url="/issues/1/")


def test_a_notification_is_emailed_exactly_once_even_when_sent_twice(notification, buyer, settings):
    assert services.notification_send_email(notification_id=notification.pk) is True
    assert services.notification_send_email(notification_id=notification.pk) is False
    notification_email_task.delay(notification.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == ([buyer.email], "Forgeline: Hello")
    assert message.body == f"Body text\n\n{settings.FORGELINE_BASE_URL}/issues/1/"
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT and notification.emailed_at is not None


def test_a_failing_smtp_server_leaves_the_row_to_send_with_the_error_and_a_later_run_sends_it(notification):
    smtp_down = mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 try later")
    )
    with smtp_down:
        assert services.notification_send_email(notification_id=notification.pk) is False

    notification.refresh_from_db()
    assert (notification.email, notification.emailed_at) == (Notification.Email.PENDING, None)
    assert (notification.email_attempts, notification.email_last_error) == (1, "SMTPException: 451 try later")
    assert mail.outbox == []

    # Not at once: the resend job waits ten minutes after a failed attempt before trying again.
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert notifications_resend_pending_task.delay().get() == 0
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=timezone.now() - timedelta(minutes=11)
    )
    assert notifications_resend_pending_task.delay().get() == 1

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.email, notification.email_attempts, notification.email_last_error) == (
        Notification.Email.SENT,
        2,
        "",
    )


def test_a_pending_email_whose_queue_message_was_lost_is_sent_once_by_the_resend_job(notification):
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert notifications_resend_pending_task.delay().get() == 1
    assert notifications_resend_pending_task.delay().get() == 0
    assert len(mail.outbox) == 1


def test_notify_queues_each_email_only_after_the_write_commits(
    buyer, quality, django_capture_on_commit_callbacks
):
    gone = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks() as callbacks:
        created = services.notify(users=[buyer, buyer, quality, gone, None], title="Heads up")
        assert mail.outbox == []

    assert {n.user for n in created} == {buyer, quality}
    assert len(callbacks) == 2 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.email, quality.email])


def test_marking_notifications_read_touches_only_the_users_own(buyer, quality):
    mine = Notification.objects.create(user=buyer, title="Mine")
    other = Notification.objects.create(user=quality, title="Theirs")

    assert services.notifications_mark_read(user=buyer, ids=[mine.pk, other.pk]) == 1

    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_the_factory_is_told_in_each_contacts_own_language_whoever_writes(issue, portal_a, buyer):
    chinese = PortalUserFactory(supplier=issue.supplier, language="zh-hans")
    vietnamese = PortalUserFactory(supplier=issue.supplier, language="vi")
    with translation.override("en"):  # the buyer writes in English
        services.issue_reply(issue=issue, by=buyer, body="Any news?")
        assert translation.get_language() == "en"  # the writer's language is back afterwards
    # Rendered in each reader's language when read (or emailed), whatever the writer's language.
    titles = {}
    for notification in Notification.objects.select_related("user"):
        with translation.override(notification.user.language):
            titles[notification.user_id] = notification.shown_title
    assert titles == {
        portal_a.pk: "Reply from your buyer: Loose threads on PO-1",
        chinese.pk: "采购方的回复：Loose threads on PO-1",
        vietnamese.pk: titles[vietnamese.pk],
    }
    assert titles[vietnamese.pk] != titles[portal_a.pk] and "Loose threads on PO-1" in titles[vietnamese.pk]
