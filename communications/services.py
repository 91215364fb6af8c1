"""Every write on check-ins, closures, issues, escalations and notifications."""

import logging
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from accounts.roles import Role
from audits.services import capa_raise
from core.inputs import single_line
from suppliers.models import Supplier
from suppliers.services import activity_record

from . import calendar
from .models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    IssueEscalation,
    IssueMessage,
    Notification,
    Side,
    SupplierIssue,
)

GENERATE_WEEKS_AHEAD = 8
# The notification email outbox: attempts before giving up, the wait before the first retry (doubling after
# each failure), and how long a claimed row may stay "sending" before another worker may take it over.
EMAIL_MAX_ATTEMPTS = 6
EMAIL_RETRY_AFTER = timedelta(minutes=10)
EMAIL_LEASE = timedelta(minutes=15)

logger = logging.getLogger(__name__)


def response_target() -> timedelta:
    """Return the response target for issues (24 hours unless configured)."""
    return timedelta(hours=settings.FORGELINE_RESPONSE_TARGET_HOURS)


# --- Notifications --------------------------------------------------------------------------------------------


def notify(*, users, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create a notification per user; each one's email is queued after the transaction commits."""
    from .tasks import notification_email_task

    created = [
        Notification.objects.create(user=user, title=single_line(title)[:200], body=body, url=url)
        for user in {u.pk: u for u in users if u is not None and u.is_active}.values()
    ]
    for notification in created:
        transaction.on_commit(lambda pk=notification.pk: notification_email_task.delay(pk))
    return created


def notify_many(items) -> list[Notification]:
    """Create many notifications in one INSERT: items are (user, title, body, url); one task emails them all.

    One queued task for the batch, not one each: a scan that escalates to every manager costs one broker round
    trip, however many suppliers it flags. The task is queued after the transaction commits.
    """
    from .tasks import notification_emails_task

    created = Notification.objects.bulk_create(
        [
            Notification(user=user, title=single_line(title)[:200], body=body, url=url)
            for user, title, body, url in items
        ]
    )
    ids = [notification.pk for notification in created]
    if ids:
        transaction.on_commit(lambda: notification_emails_task.delay(ids))
    return created


def notification_send_email(*, notification_id: int, now: datetime | None = None) -> bool:
    """Email one notification at most once: the row is claimed by a conditional update before sending.

    Returns whether this call sent it. A failed send records the error and puts the row back to "to send"
    (retried by notifications_resend_pending_task) until EMAIL_MAX_ATTEMPTS, then marks it failed; either way
    the error is on the row, for the admin. A worker that dies after claiming frees the row after the lease.
    """
    from django.core.mail import send_mail

    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(_claimable(now), pk=notification_id)
        .filter(email_attempts__lt=EMAIL_MAX_ATTEMPTS)
        .update(
            email=Notification.Email.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{settings.FORGELINE_BASE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            # A mail header is one line: a title that still holds a line break must not stop the email.
            subject=single_line(f"Forgeline: {notification.title}"),
            message=notification.body + link,
            from_email=None,
            recipient_list=[notification.user.email],
        )
    except Exception as exc:  # any backend error: recorded on the row and retried, never lost
        gave_up = notification.email_attempts >= EMAIL_MAX_ATTEMPTS
        logger.warning(
            "Notification %s email attempt %s failed: %r", notification_id, notification.email_attempts, exc
        )
        Notification.objects.filter(pk=notification_id, email=Notification.Email.SENDING).update(
            email=Notification.Email.FAILED if gave_up else Notification.Email.PENDING,
            email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    Notification.objects.filter(pk=notification_id).update(
        email=Notification.Email.SENT, emailed_at=timezone.now(), email_last_error=""
    )
    return True


def _claimable(now: datetime) -> Q:
    """Return the condition under which a row may be claimed: to send, or stuck sending past the lease."""
    return Q(email=Notification.Email.PENDING) | Q(
        email=Notification.Email.SENDING, email_claimed_at__lt=now - EMAIL_LEASE
    )


def notifications_send_emails(*, notification_ids) -> int:
    """Email each notification of a batch at most once; return how many this call sent.

    Each is claimed on its own (notification_send_email), so a batch run twice, or alongside the resend job, sends
    nothing twice. One failing address does not hold back the others: each failure is recorded on its own row.
    """
    return sum(notification_send_email(notification_id=pk) for pk in notification_ids)


def notifications_due_for_retry(*, now: datetime) -> list[int]:
    """Return the notifications whose email should be tried (again) now.

    Pending for ten minutes with no attempt (the queue message was lost), or failed earlier and waited out the
    back-off (10, 20, 40 ... minutes after the last attempt); and those stuck sending past the lease. Rows stuck
    sending on their last allowed attempt are marked failed here, so they show in the admin instead of hanging.
    """
    Notification.objects.filter(
        email=Notification.Email.SENDING,
        email_claimed_at__lt=now - EMAIL_LEASE,
        email_attempts__gte=EMAIL_MAX_ATTEMPTS,
    ).update(email=Notification.Email.FAILED, email_last_error=_("The worker stopped while sending."))
    rows = Notification.objects.filter(
        _claimable(now), created_at__lt=now - EMAIL_RETRY_AFTER, email_attempts__lt=EMAIL_MAX_ATTEMPTS
    ).values_list("pk", "email_attempts", "email_claimed_at")
    return [
        pk
        for pk, attempts, claimed_at in rows
        if claimed_at is None or claimed_at <= now - EMAIL_RETRY_AFTER * 2 ** max(attempts - 1, 0)
    ]


def notifications_email_again(*, ids) -> int:
    """Give notifications whose email failed a fresh set of attempts (an administrator's action)."""
    return Notification.objects.filter(pk__in=ids, email=Notification.Email.FAILED).update(
        email=Notification.Email.PENDING, email_attempts=0, email_claimed_at=None
    )


def notifications_mark_read(*, user: User, ids=None) -> int:
    """Mark the user's notifications read (all, or the given ids)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


# --- Check-ins ------------------------------------------------------------------------------------------------


def local_start(supplier: Supplier, day: date, at: time) -> datetime:
    """Return the aware moment `at` o'clock on `day` in the supplier's timezone (DST handled by zoneinfo)."""
    tz = zoneinfo.ZoneInfo(supplier.timezone)
    return datetime.combine(day, at, tzinfo=tz)


def cadence_dates(schedule: CheckInSchedule, start: date, end: date) -> list[date]:
    """Return the dates the cadence gives between two dates (before moving off days off)."""
    first = schedule.starts_on + timedelta(days=(schedule.weekday - schedule.starts_on.weekday()) % 7)
    days: list[date] = []
    if schedule.cadence == CheckInSchedule.Cadence.MONTHLY:
        month = date(max(first, start).year, max(first, start).month, 1)
        while month <= end:
            day = month + timedelta(days=(schedule.weekday - month.weekday()) % 7)
            if start <= day <= end and day >= first:
                days.append(day)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return days
    step = 7 if schedule.cadence == CheckInSchedule.Cadence.WEEKLY else 14
    day = first
    if day < start:
        day += timedelta(days=((start - day).days + step - 1) // step * step)
    while day <= end:
        days.append(day)
        day += timedelta(days=step)
    return days


@transaction.atomic
def schedule_save(
    *,
    supplier: Supplier,
    by: User,
    schedule: CheckInSchedule | None = None,
    staff_participants=(),
    contact_participants=(),
    **fields,
) -> CheckInSchedule:
    """Create or change a check-in schedule and generate its next occurrences."""
    _require(by, "checkin.edit")
    schedule = schedule or CheckInSchedule(supplier=supplier, created_by=by)
    for name, value in fields.items():
        setattr(schedule, name, value)
    schedule.full_clean()
    schedule.save()
    schedule.staff_participants.set(staff_participants)
    schedule.contact_participants.set([c for c in contact_participants if c.supplier_id == supplier.pk])
    # Occurrences from today on that were not held follow the new rule (one moved off a past date stays).
    schedule.checkins.filter(
        status=CheckIn.Status.SCHEDULED, original_date__gte=timezone.localdate()
    ).delete()
    checkins_generate(schedule=schedule, today=timezone.localdate())
    activity_record(supplier=supplier, actor=by, verb=_("Check-in schedule set"), detail=str(schedule))
    return schedule


def checkins_generate(*, schedule: CheckInSchedule, today: date, weeks: int = GENERATE_WEEKS_AHEAD) -> int:
    """Create the schedule's occurrences for the coming weeks, moved off holidays, closures and the weekend.

    Safe to run twice: one occurrence per (schedule, date by the cadence) is enforced by a unique constraint.
    """
    if not schedule.is_active:
        return 0
    supplier = schedule.supplier
    created = 0
    existing = set(schedule.checkins.values_list("original_date", flat=True))
    for original in cadence_dates(schedule, today, today + timedelta(weeks=weeks)):
        if original in existing:
            continue
        day, reason = calendar.next_working_day(supplier, original)
        try:
            with transaction.atomic():
                CheckIn.objects.create(
                    schedule=schedule,
                    supplier=supplier,
                    original_date=original,
                    date=day,
                    scheduled_at=local_start(supplier, day, schedule.local_time),
                    moved_reason=reason,
                )
            created += 1
        except IntegrityError:
            continue  # another run created it first
    return created


def checkins_reschedule_for_closure(*, supplier: Supplier, closure: Closure) -> int:
    """Move the supplier's upcoming check-ins that fall inside a newly declared closure."""
    moved = 0
    for checkin in CheckIn.objects.filter(
        supplier=supplier,
        status=CheckIn.Status.SCHEDULED,
        date__gte=closure.starts_on,
        date__lte=closure.ends_on,
    ):
        day, reason = calendar.next_working_day(supplier, checkin.original_date)
        checkin.date, checkin.moved_reason = day, reason
        local_time = (
            checkin.schedule.local_time
            if checkin.schedule
            else timezone.localtime(checkin.scheduled_at, zoneinfo.ZoneInfo(supplier.timezone)).time()
        )
        checkin.scheduled_at = local_start(supplier, day, local_time)
        checkin.save(update_fields=["date", "moved_reason", "scheduled_at"])
        moved += 1
    return moved


@transaction.atomic
def closure_declare(*, supplier: Supplier, by: User, starts_on: date, ends_on: date, reason: str) -> Closure:
    """The factory declares days it is closed; check-ins inside them move to the next working day."""
    _require_own(by, supplier.pk)
    if not by.is_portal_user:
        _require(by, "checkin.edit")
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("This closure is already over.")})
    closure = Closure(supplier=supplier, starts_on=starts_on, ends_on=ends_on, reason=reason, declared_by=by)
    closure.full_clean()
    closure.save()
    checkins_reschedule_for_closure(supplier=supplier, closure=closure)
    activity_record(supplier=supplier, actor=by, verb=_("Closure declared"), detail=str(closure))
    return closure


@transaction.atomic
def checkin_record_minutes(
    *,
    checkin: CheckIn,
    by: User,
    attendees: str,
    notes: str,
    shared_with_supplier: bool = True,
    action_items: list[dict] | None = None,
) -> CheckIn:
    """Record that a check-in was held, with its minutes and action items."""
    _require(by, "checkin.edit")
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status == CheckIn.Status.CANCELLED:
        raise ValidationError(_("This check-in was cancelled."))
    if checkin.scheduled_at > timezone.now() + timedelta(hours=12):
        raise ValidationError(_("This check-in has not happened yet."))
    if not notes.strip():
        raise ValidationError({"notes": _("Write the minutes.")})
    checkin.status, checkin.held_at = CheckIn.Status.HELD, checkin.held_at or timezone.now()
    checkin.attendees, checkin.notes, checkin.shared_with_supplier = attendees, notes, shared_with_supplier
    checkin.recorded_by = by
    checkin.save()
    for index, item in enumerate(action_items or [], start=1):
        action = ActionItem(checkin=checkin, supplier_id=checkin.supplier_id, **item)
        try:
            action.full_clean(exclude=["checkin", "supplier"])
        except ValidationError as exc:
            raise ValidationError(
                _("Action %(n)s: %(e)s") % {"n": index, "e": "; ".join(exc.messages)}
            ) from exc
        action.save()
    activity_record(
        supplier=checkin.supplier_id,
        actor=by,
        verb=_("Check-in held"),
        detail=str(checkin.date),
        url=checkin.get_absolute_url(),
    )
    return checkin


def checkins_mark_missed(*, now: datetime) -> int:
    """Mark as missed the check-ins with no minutes a day after they were due (conditional, so safe twice)."""
    return CheckIn.objects.filter(
        status=CheckIn.Status.SCHEDULED, scheduled_at__lt=now - timedelta(days=1)
    ).update(status=CheckIn.Status.MISSED)


@transaction.atomic
def action_item_set_done(*, item: ActionItem, by: User, done: bool = True) -> ActionItem:
    """Tick an action item off (or reopen it); a factory contact may tick only its own side's items."""
    _require_own(by, item.supplier_id)
    if by.is_portal_user and item.owner_side != Side.SUPPLIER:
        raise PermissionDenied(_("This action belongs to the buyer."))
    if not by.is_portal_user:
        _require(by, "checkin.edit")
    item.done_at, item.done_by = (timezone.now(), by) if done else (None, None)
    item.save(update_fields=["done_at", "done_by"])
    return item


# --- Issues ---------------------------------------------------------------------------------------------------


def _notify_factory(issue: SupplierIssue, title, body: str) -> None:
    """Tell the supplier's portal users that the buyer wrote: their response time is measured.

    `title` is a lazy translation, written out in each contact's own language (the portal's), not the writer's.
    """
    from django.urls import reverse

    url = reverse("portal:issue_detail", args=[issue.pk])
    for user in issue.supplier.portal_users.filter(is_active=True):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            notify(users=[user], title=str(title) % {"subject": issue.subject}, body=body, url=url)


def _managers():
    return User.objects.filter(role=Role.MANAGER, is_active=True)


@transaction.atomic
def issue_raise(
    *,
    supplier: Supplier,
    by: User,
    category: str,
    subject: str,
    description: str,
    severity: str = "medium",
    order=None,
    delivery=None,
    inspection=None,
    owner: User | None = None,
    attachment=None,
) -> SupplierIssue:
    """Raise an issue with the supplier (staff) or with the buyer (the factory, in the portal); the clock starts."""
    _require_own(by, supplier.pk)
    if not by.is_portal_user:
        _require(by, "issue.edit")
    for name, obj in (("order", order), ("delivery", delivery), ("inspection", inspection)):
        if obj is not None and obj.supplier_id != supplier.pk:
            raise ValidationError({name: _("That belongs to another supplier.")})
    side = Side.SUPPLIER if by.is_portal_user else Side.BUYER
    owner = owner if owner is not None and not by.is_portal_user else supplier.owner
    subject = single_line(subject)  # it becomes a mail subject, which is one line
    issue = SupplierIssue(
        supplier=supplier,
        raised_by_side=side,
        category=category,
        severity=severity,
        subject=subject,
        description=description,
        order=order,
        delivery=delivery,
        inspection=inspection,
        raised_by=by,
        owner=owner,
    )
    issue.full_clean()
    issue.save()
    if attachment:
        message = IssueMessage(
            issue=issue,
            supplier=supplier,
            side=side,
            author_name=by.full_name,
            body=_("(attachment)"),
            logged_by=by,
            attachment=attachment,
        )
        message.full_clean()
        message.save()
    if side == Side.BUYER:
        _notify_factory(issue, gettext_lazy("New issue from your buyer: %(subject)s"), issue.description)
    if side == Side.SUPPLIER:
        notify(
            users=[owner],
            title=_("%(supplier)s raised an issue: %(subject)s")
            % {"supplier": supplier.name, "subject": subject},
            body=description,
            url=issue.get_absolute_url(),
        )
    activity_record(
        supplier=supplier, actor=by, verb=_("Issue raised"), detail=subject, url=issue.get_absolute_url()
    )
    return issue


@transaction.atomic
def issue_reply(
    *,
    issue: SupplierIssue,
    by: User,
    body: str,
    attachment=None,
    on_behalf_of_supplier: bool = False,
    author_name: str = "",
    sent_at: datetime | None = None,
) -> IssueMessage:
    """Add a message to an issue's thread; the responding side's first message stops the clock.

    Staff may log a reply the supplier gave by phone or email (`on_behalf_of_supplier`) with the time it
    arrived; that time, not the time of logging, stops the clock.
    """
    _require_own(by, issue.supplier_id)
    if not by.is_portal_user:
        _require(by, "issue.edit")
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")})
    issue = SupplierIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == SupplierIssue.Status.RESOLVED:
        raise ValidationError(_("This issue is resolved; raise a new one."))
    now = timezone.now()
    if by.is_portal_user:
        side, author, sent_at = Side.SUPPLIER, by.full_name, now
    elif on_behalf_of_supplier:
        if sent_at is None:
            raise ValidationError({"sent_at": _("When did the supplier reply?")})
        if sent_at > now or sent_at < issue.raised_at:
            raise ValidationError({"sent_at": _("The reply must fall between raising the issue and now.")})
        side, author = Side.SUPPLIER, author_name.strip() or _("Supplier (by phone or email)")
    else:
        side, author, sent_at = Side.BUYER, by.full_name, now
    message = IssueMessage(
        issue=issue,
        supplier_id=issue.supplier_id,
        side=side,
        author_name=author,
        body=body,
        sent_at=sent_at,
        logged_by=by,
        logged_on_behalf=on_behalf_of_supplier and not by.is_portal_user,
    )
    if attachment:
        message.attachment = attachment
    message.full_clean()
    message.save()
    if side == issue.responding_side and issue.first_response_at is None:
        # A conditional update: of two first replies at once, the earlier write wins and the clock stops once.
        SupplierIssue.objects.filter(pk=issue.pk, first_response_at__isnull=True).update(
            first_response_at=sent_at, status=SupplierIssue.Status.ANSWERED
        )
    if side == Side.BUYER:
        _notify_factory(issue, gettext_lazy("Reply from your buyer: %(subject)s"), body)
    if side == Side.SUPPLIER:
        notify(
            users=[issue.owner],
            title=_("Reply from %(supplier)s: %(subject)s")
            % {"supplier": issue.supplier.name, "subject": issue.subject},
            body=body,
            url=issue.get_absolute_url(),
        )
    return message


@transaction.atomic
def issue_resolve(*, issue: SupplierIssue, by: User, note: str) -> SupplierIssue:
    """Close an issue with a note on how it was settled."""
    _require(by, "issue.edit")
    if not note.strip():
        raise ValidationError({"note": _("Say how the issue was settled.")})
    won = (
        SupplierIssue.objects.filter(pk=issue.pk)
        .exclude(status=SupplierIssue.Status.RESOLVED)
        .update(
            status=SupplierIssue.Status.RESOLVED,
            resolved_at=timezone.now(),
            resolved_by=by,
            resolution_note=note.strip(),
        )
    )
    if not won:
        raise ValidationError(_("This issue is already resolved."))
    issue.refresh_from_db()
    activity_record(
        supplier=issue.supplier_id,
        actor=by,
        verb=_("Issue resolved"),
        detail=issue.subject,
        url=issue.get_absolute_url(),
    )
    return issue


@transaction.atomic
def issue_raise_corrective_action(*, issue: SupplierIssue, by: User, due_on: date) -> SupplierIssue:
    """Ask the supplier for a corrective action on this issue, linked both ways (once)."""
    issue = SupplierIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.corrective_action_id:
        raise ValidationError(_("A corrective action was already raised from this issue."))
    action = capa_raise(
        by=by, title=issue.subject, problem=issue.description, due_on=due_on, supplier=issue.supplier
    )
    issue.corrective_action = action
    issue.save(update_fields=["corrective_action"])
    return issue


def issues_escalate(*, now: datetime) -> int:
    """Escalate unanswered issues: at the target to the owner, at twice the target to the managers; once each.

    The unique (issue, level) row is written before anyone is notified, so a second run — or two at once —
    escalates nothing twice.
    """
    target = response_target()
    escalated = 0
    open_issues = SupplierIssue.objects.filter(
        first_response_at__isnull=True, status=SupplierIssue.Status.OPEN, raised_at__lte=now - target
    ).select_related("supplier", "owner")
    for issue in open_issues:
        for level, after in ((1, target), (2, target * 2)):
            if now < issue.raised_at + after:
                continue
            try:
                with transaction.atomic():
                    IssueEscalation.objects.create(issue=issue, level=level, escalated_at=now)
                    hours = int(after.total_seconds() // 3600)
                    if level == 1:
                        users, title = [issue.owner], _("No reply for %(h)s h: %(subject)s")
                    else:
                        users, title = list(_managers()), _("Escalated: no reply for %(h)s h: %(subject)s")
                    if issue.responding_side == Side.SUPPLIER:
                        body = _("%(supplier)s has not answered: %(subject)s")
                    else:
                        body = _("We have not answered %(supplier)s: %(subject)s")
                    notify(
                        users=users,
                        title=title % {"h": hours, "subject": issue.subject},
                        body=body % {"supplier": issue.supplier.name, "subject": issue.subject},
                        url=issue.get_absolute_url(),
                    )
                    activity_record(
                        supplier=issue.supplier_id,
                        actor=None,
                        verb=_("Issue escalated"),
                        detail=f"{issue.subject} (level {level})",
                        url=issue.get_absolute_url(),
                    )
                escalated += 1
            except IntegrityError:
                continue
    return escalated
