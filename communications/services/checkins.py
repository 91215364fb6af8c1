"""Check-ins: schedules in the supplier's timezone, occurrences moved off holidays and closures, minutes and action items."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from .. import calendar
from ..models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    Side,
)
from .notifications import notify

GENERATE_WEEKS_AHEAD = 8


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
    upcoming = schedule.checkins.filter(
        status=CheckIn.Status.SCHEDULED, original_date__gte=timezone.localdate()
    )
    revisions = {c.original_date: (c.sequence, c.scheduled_at) for c in upcoming}
    upcoming.delete()
    checkins_generate(schedule=schedule, today=timezone.localdate())
    _carry_revisions(schedule, revisions)
    activity_record(
        supplier=supplier,
        actor=by,
        target=schedule,
        kind=ActivityKind.CHECKIN_SCHEDULE_SET,
        detail=str(schedule),
    )
    red_flags_request_check(supplier.pk)
    next_checkin = schedule.checkins.filter(
        status=CheckIn.Status.SCHEDULED, scheduled_at__gte=timezone.now()
    ).first()
    if next_checkin is not None:
        # One invitation, for the next occurrence, not one per generated week: the others reach each
        # participant's calendar through the feed, and an invitation follows whenever one of them moves.
        checkin_notify_participants(checkin=next_checkin, moved=False)
    return schedule


@transaction.atomic
def checkin_schedule_one(*, supplier: Supplier, by: User, day: date, at: time, agenda: str = "") -> CheckIn:
    """Schedule one check-in outside any cadence (a production review), with its agenda; the factory is told."""
    _require(by, "checkin.edit")
    if day < timezone.localdate():
        raise ValidationError({"day": _("The date is in the past.")})
    working, _moved = calendar.next_working_day(supplier, day)
    if working != day:  # the factory's holiday, closure or weekend: a one-off meeting is not moved silently
        why = calendar.day_off_reason(supplier, day) or _("a weekend day")
        raise ValidationError(
            {
                "day": _("%(name)s does not work on %(day)s (%(why)s); the next working day is %(next)s.")
                % {"name": supplier.name, "day": day.isoformat(), "why": why, "next": working.isoformat()}
            }
        )
    checkin = CheckIn(
        supplier=supplier,
        original_date=day,
        date=day,
        scheduled_at=local_start(supplier, day, at),
        agenda=(agenda or "").strip(),
    )
    checkin.full_clean(exclude=["schedule"])
    checkin.save()
    activity_record(
        supplier=supplier,
        actor=by,
        target=checkin,
        kind=ActivityKind.CHECKIN_SCHEDULE_SET,
        detail=str(checkin),
        url=checkin.get_absolute_url(),
    )
    notify(
        users=supplier.portal_users.filter(is_active=True),
        key="checkin_planned",
        params={"day": day.isoformat(), "time": at.strftime("%H:%M"), "agenda": checkin.agenda},
        url=reverse("portal:checkin_detail", args=[checkin.pk]),
    )
    red_flags_request_check(supplier.pk)
    return checkin


def _carry_revisions(schedule: CheckInSchedule, revisions: dict) -> None:
    """Give each regenerated occurrence the iCalendar revision of the one it replaces, one more if its time
    changed: the event keeps its UID (schedule and date by the cadence), and calendars take the newer time."""
    for checkin in schedule.checkins.filter(original_date__in=list(revisions)):
        sequence, scheduled_at = revisions[checkin.original_date]
        checkin.sequence = sequence + (1 if checkin.scheduled_at != scheduled_at else 0)
        if checkin.sequence:
            checkin.save(update_fields=["sequence"])


def checkin_participants(checkin: CheckIn) -> list[User]:
    """Return the people invited to a check-in: the schedule's staff participants, and the factory contacts among
    its supplier participants who have a portal account (matched by email)."""
    if checkin.schedule_id is None:
        return []
    schedule = checkin.schedule
    staff = list(schedule.staff_participants.filter(is_active=True))
    emails = [e.lower() for e in schedule.contact_participants.values_list("email", flat=True) if e]
    contacts = [
        user
        for user in User.objects.filter(supplier_id=checkin.supplier_id, is_active=True)
        if user.email.lower() in emails
    ]
    return staff + contacts


def checkin_notify_participants(*, checkin: CheckIn, moved: bool) -> int:
    """Tell each participant, in their language, of a check-in scheduled or moved, with its .ics attached (the
    feed's UID and a higher SEQUENCE, so their calendar moves the event). Returns how many were told."""
    supplier = checkin.supplier
    told = 0
    for user in checkin_participants(checkin):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            zone = zoneinfo.ZoneInfo(supplier.timezone if user.is_portal_user else (user.timezone or "UTC"))
            when = timezone.localtime(checkin.scheduled_at, zone)
            values = {
                "supplier": supplier.name if not user.is_portal_user else settings.FORGELINE_COMPANY_NAME,
                "when": f"{date_format(when.date(), 'SHORT_DATE_FORMAT')} {when:%H:%M} ({zone.key})",
            }
            if moved:
                title = _("Check-in with %(supplier)s moved to %(when)s") % values
            else:
                title = _("Check-in with %(supplier)s on %(when)s") % values
            body = _("The invitation is attached; open it to put the check-in in your calendar.")
            if checkin.moved_reason:
                body = f"{checkin.moved_note()}\n\n{body}"
            path = "portal:checkin_detail" if user.is_portal_user else "communications:checkin_detail"
            told += len(
                notify(
                    users=[user],
                    title=title,
                    body=body,
                    url=reverse(path, args=[checkin.pk]),
                    attachment=("checkin_ics", checkin.pk),
                )
            )
    return told


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
    for checkin in CheckIn.objects.select_related("schedule", "supplier").filter(
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
        checkin.sequence += 1
        checkin.save(update_fields=["date", "moved_reason", "scheduled_at", "sequence"])
        checkin_notify_participants(checkin=checkin, moved=True)
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
    activity_record(
        supplier=supplier, actor=by, target=closure, kind=ActivityKind.CLOSURE_DECLARED, detail=str(closure)
    )
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
        target=checkin,
        kind=ActivityKind.CHECKIN_HELD,
        detail=str(checkin.date),
        url=checkin.get_absolute_url(),
    )
    red_flags_request_check(checkin.supplier_id)
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
