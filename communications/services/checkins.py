"""Check-ins: schedules in the supplier's timezone, occurrences moved off holidays and closures, minutes and action items."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
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
    schedule.checkins.filter(
        status=CheckIn.Status.SCHEDULED, original_date__gte=timezone.localdate()
    ).delete()
    checkins_generate(schedule=schedule, today=timezone.localdate())
    activity_record(
        supplier=supplier,
        actor=by,
        target=schedule,
        kind=ActivityKind.CHECKIN_SCHEDULE_SET,
        detail=str(schedule),
    )
    red_flags_request_check(supplier.pk)
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
