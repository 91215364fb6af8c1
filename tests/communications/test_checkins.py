"""Check-ins: the cadence, occurrences in the supplier's own timezone (DST included), closures that move them,
minutes with action items, missed check-ins, and who may tick an action item off."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communications import services
from communications.models import ActionItem, CheckIn, CheckInSchedule, Closure, Side
from communications.tasks import checkins_generate_task
from tests.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def schedule_for(supplier, by, **fields) -> CheckInSchedule:
    fields = {"weekday": 1, "local_time": time(9, 0), "starts_on": date(2030, 1, 1), **fields}
    return CheckInSchedule.objects.create(supplier=supplier, created_by=by, **fields)


def rows(schedule) -> list[tuple]:
    return list(
        schedule.checkins.order_by("original_date").values_list(
            "original_date", "date", "scheduled_at", "moved_reason", "status"
        )
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def checkin(supplier, *, at, status=CheckIn.Status.SCHEDULED, **fields) -> CheckIn:
    day = at.date()
    return CheckIn.objects.create(
        supplier=supplier, original_date=day, date=day, scheduled_at=at, status=status, **fields
    )


# --- The cadence ----------------------------------------------------------------------------------------------


def test_weekly_cadence_gives_every_weekday_from_the_first_one_on_or_after_the_start():
    schedule = CheckInSchedule(cadence="weekly", weekday=1, starts_on=date(2030, 1, 2))  # a Wednesday

    assert services.cadence_dates(schedule, date(2029, 12, 1), date(2030, 1, 31)) == [
        date(2030, 1, 8),
        date(2030, 1, 15),
        date(2030, 1, 22),
        date(2030, 1, 29),
    ]


def test_biweekly_cadence_keeps_its_fortnight_rhythm_whatever_the_window_start():
    schedule = CheckInSchedule(cadence="biweekly", weekday=1, starts_on=date(2030, 1, 1))

    assert services.cadence_dates(schedule, date(2030, 1, 10), date(2030, 2, 28)) == [
        date(2030, 1, 15),
        date(2030, 1, 29),
        date(2030, 2, 12),
        date(2030, 2, 26),
    ]
    # A window starting on a "wrong" week still lands on the same grid.
    assert services.cadence_dates(schedule, date(2030, 1, 2), date(2030, 1, 20)) == [date(2030, 1, 15)]


def test_monthly_cadence_gives_the_first_of_that_weekday_in_each_month():
    schedule = CheckInSchedule(cadence="monthly", weekday=1, starts_on=date(2030, 1, 1))

    assert services.cadence_dates(schedule, date(2030, 1, 1), date(2030, 3, 31)) == [
        date(2030, 1, 1),
        date(2030, 2, 5),
        date(2030, 3, 5),
    ]


def test_monthly_cadence_skips_a_first_weekday_before_the_start_and_crosses_the_year():
    late_start = CheckInSchedule(cadence="monthly", weekday=1, starts_on=date(2030, 1, 2))
    assert services.cadence_dates(late_start, date(2030, 1, 1), date(2030, 3, 31)) == [
        date(2030, 2, 5),
        date(2030, 3, 5),
    ]

    schedule = CheckInSchedule(cadence="monthly", weekday=0, starts_on=date(2030, 1, 1))
    assert services.cadence_dates(schedule, date(2030, 12, 1), date(2031, 2, 28)) == [
        date(2030, 12, 2),
        date(2031, 1, 6),
        date(2031, 2, 3),
    ]


# --- Generating occurrences -----------------------------------------------------------------------------------


def test_generating_check_ins_twice_gives_the_same_rows(supplier_a, buyer):
    schedule = schedule_for(supplier_a, buyer, starts_on=date(2027, 1, 5))

    created = services.checkins_generate(schedule=schedule, today=date(2027, 1, 26), weeks=8)
    first = rows(schedule)
    again = services.checkins_generate(schedule=schedule, today=date(2027, 1, 26), weeks=8)

    assert created == 9 and again == 0
    assert rows(schedule) == first
    assert CheckIn.objects.count() == 9


def test_generated_check_ins_move_off_the_spring_festival_with_the_reason(supplier_a, buyer):
    schedule = schedule_for(supplier_a, buyer, starts_on=date(2027, 1, 5))

    services.checkins_generate(schedule=schedule, today=date(2027, 1, 26), weeks=8)

    moved = schedule.checkins.get(original_date=date(2027, 2, 9))
    assert moved.date == date(2027, 2, 11)
    assert moved.scheduled_at == utc(2027, 2, 11, 1, 0)  # 09:00 in Shanghai
    assert moved.moved_reason.startswith("Moved from 2027-02-09: Chinese New Year (Spring Festival)")
    unmoved = schedule.checkins.exclude(pk=moved.pk)
    assert all(c.date == c.original_date and c.moved_reason == "" for c in unmoved)


def test_a_paused_schedule_generates_nothing(supplier_a, buyer):
    schedule = schedule_for(supplier_a, buyer, is_active=False)

    assert services.checkins_generate(schedule=schedule, today=date(2030, 1, 1)) == 0
    assert not CheckIn.objects.exists()


def test_the_daily_task_generates_for_every_active_schedule_and_is_safe_twice(supplier_a, supplier_b, buyer):
    today = timezone.localdate()
    schedule_for(supplier_a, buyer, starts_on=today)
    schedule_for(supplier_b, buyer, starts_on=today, cadence="biweekly")
    schedule_for(supplier_b, buyer, starts_on=today, is_active=False, weekday=3)

    created = checkins_generate_task.delay().get()

    assert created == CheckIn.objects.count() > 0
    assert set(CheckIn.objects.values_list("supplier_id", flat=True)) == {supplier_a.pk, supplier_b.pk}
    assert checkins_generate_task.delay().get() == 0


# --- The supplier's timezone ----------------------------------------------------------------------------------


def test_a_lisbon_check_in_is_at_nine_wet_in_winter_and_nine_west_after_the_clocks_change(buyer):
    lisbon = SupplierFactory(country="PT", timezone="Europe/Lisbon", owner=buyer)
    schedule = schedule_for(lisbon, buyer)

    services.checkins_generate(schedule=schedule, today=date(2030, 3, 19), weeks=3)

    at = dict(schedule.checkins.values_list("date", "scheduled_at"))
    assert at == {
        date(2030, 3, 19): utc(2030, 3, 19, 9, 0),  # WET = UTC+0
        date(2030, 3, 26): utc(2030, 3, 26, 9, 0),
        date(2030, 4, 2): utc(2030, 4, 2, 8, 0),  # WEST = UTC+1 since Sunday 31 March
        date(2030, 4, 9): utc(2030, 4, 9, 8, 0),
    }


def test_a_lisbon_check_in_in_july_is_at_eight_utc(buyer):
    lisbon = SupplierFactory(country="PT", timezone="Europe/Lisbon", owner=buyer)
    schedule = schedule_for(lisbon, buyer)

    services.checkins_generate(schedule=schedule, today=date(2030, 7, 9), weeks=0)

    assert list(schedule.checkins.values_list("scheduled_at", flat=True)) == [utc(2030, 7, 9, 8, 0)]


def test_mexico_city_has_no_dst_so_nine_oclock_is_fifteen_utc_all_year(buyer):
    mexico = SupplierFactory(country="MX", timezone="America/Mexico_City", owner=buyer)
    schedule = schedule_for(mexico, buyer)

    services.checkins_generate(schedule=schedule, today=date(2030, 1, 8), weeks=0)
    services.checkins_generate(schedule=schedule, today=date(2030, 7, 9), weeks=0)

    assert list(schedule.checkins.order_by("date").values_list("scheduled_at", flat=True)) == [
        utc(2030, 1, 8, 15, 0),
        utc(2030, 7, 9, 15, 0),
    ]


def test_a_shanghai_check_in_at_nine_is_one_oclock_utc(supplier_a, buyer):
    schedule = schedule_for(supplier_a, buyer)

    services.checkins_generate(schedule=schedule, today=date(2030, 3, 12), weeks=0)

    assert list(schedule.checkins.values_list("scheduled_at", flat=True)) == [utc(2030, 3, 12, 1, 0)]


def test_an_auckland_morning_check_in_is_the_previous_evening_in_utc_but_keeps_its_local_date(buyer):
    auckland = SupplierFactory(country="NZ", timezone="Pacific/Auckland", owner=buyer)
    schedule = schedule_for(auckland, buyer, local_time=time(8, 0))

    services.checkins_generate(schedule=schedule, today=date(2030, 3, 12), weeks=0)

    row = schedule.checkins.get()
    assert row.scheduled_at == utc(2030, 3, 11, 19, 0)  # NZDT = UTC+13
    assert row.scheduled_at.astimezone(ZoneInfo("Pacific/Auckland")).date() == row.date == date(2030, 3, 12)


# --- Schedules ------------------------------------------------------------------------------------------------


def test_saving_a_schedule_keeps_only_the_suppliers_own_contacts_and_generates_check_ins(
    supplier_a, supplier_b, buyer, quality
):
    own, other = ContactFactory(supplier=supplier_a), ContactFactory(supplier=supplier_b)

    schedule = services.schedule_save(
        supplier=supplier_a,
        by=buyer,
        staff_participants=[buyer, quality],
        contact_participants=[own, other],
        cadence="weekly",
        weekday=2,
        local_time=time(10, 30),
        channel="video",
        starts_on=timezone.localdate(),
    )

    assert list(schedule.contact_participants.all()) == [own]
    assert set(schedule.staff_participants.all()) == {buyer, quality}
    assert schedule.checkins.count() == len(
        services.cadence_dates(schedule, timezone.localdate(), timezone.localdate() + timedelta(weeks=8))
    )


def test_a_factory_contact_cannot_set_a_schedule(supplier_a, portal_a):
    with pytest.raises(PermissionDenied):
        services.schedule_save(
            supplier=supplier_a, by=portal_a, weekday=1, local_time=time(9, 0), starts_on=timezone.localdate()
        )
    assert not CheckInSchedule.objects.exists()


def test_editing_a_schedule_keeps_an_upcoming_check_in_that_was_moved_off_a_past_holiday(supplier_a, buyer):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    schedule = schedule_for(
        supplier_a, buyer, weekday=yesterday.weekday(), starts_on=today - timedelta(days=8)
    )
    CheckIn.objects.create(
        schedule=schedule,
        supplier=supplier_a,
        original_date=yesterday,
        date=today + timedelta(days=1),
        scheduled_at=timezone.now() + timedelta(days=1),
        moved_reason=f"Moved from {yesterday.isoformat()}: Factory holiday",
    )

    services.schedule_save(supplier=supplier_a, by=buyer, schedule=schedule, channel="call")

    assert schedule.checkins.filter(original_date=yesterday).exists()


# --- Closures -------------------------------------------------------------------------------------------------


@pytest.fixture
def march_checkins(supplier_a, buyer):
    """Supplier A's Tuesdays 5, 12, 19 and 26 March 2030 at 09:00 Shanghai time."""
    schedule = schedule_for(supplier_a, buyer, starts_on=date(2030, 3, 5))
    services.checkins_generate(schedule=schedule, today=date(2030, 3, 5), weeks=3)
    assert schedule.checkins.count() == 4
    return schedule


@pytest.mark.parametrize("who", ["portal_a", "buyer"])
def test_declaring_a_closure_moves_the_check_ins_inside_it_and_records_why(
    request, supplier_a, march_checkins, who
):
    user = request.getfixturevalue(who)
    before = {c.original_date: c.scheduled_at for c in march_checkins.checkins.all()}

    closure = services.closure_declare(
        supplier=supplier_a,
        by=user,
        starts_on=date(2030, 3, 11),
        ends_on=date(2030, 3, 15),
        reason="Annual maintenance shutdown",
    )

    assert closure.declared_by == user
    moved = march_checkins.checkins.get(original_date=date(2030, 3, 12))
    assert moved.date == date(2030, 3, 18)
    assert moved.scheduled_at == utc(2030, 3, 18, 1, 0)  # still 09:00 in Shanghai
    assert moved.moved_reason == "Moved from 2030-03-12: Annual maintenance shutdown"
    others = march_checkins.checkins.exclude(pk=moved.pk)
    assert {c.original_date: c.scheduled_at for c in others} == {
        d: at for d, at in before.items() if d != date(2030, 3, 12)
    }
    assert all(c.moved_reason == "" for c in others)


def test_a_closure_does_not_move_a_check_in_already_held_or_cancelled(supplier_a, march_checkins, portal_a):
    march_checkins.checkins.filter(original_date=date(2030, 3, 12)).update(status=CheckIn.Status.CANCELLED)

    services.closure_declare(
        supplier=supplier_a,
        by=portal_a,
        starts_on=date(2030, 3, 11),
        ends_on=date(2030, 3, 15),
        reason="Power cut",
    )

    cancelled = march_checkins.checkins.get(original_date=date(2030, 3, 12))
    assert (cancelled.date, cancelled.moved_reason) == (date(2030, 3, 12), "")


def test_a_factory_contact_of_b_cannot_declare_a_closure_for_a(supplier_a, march_checkins, portal_b):
    with pytest.raises(PermissionDenied):
        services.closure_declare(
            supplier=supplier_a,
            by=portal_b,
            starts_on=date(2030, 3, 11),
            ends_on=date(2030, 3, 15),
            reason="x",
        )

    assert not Closure.objects.exists()
    assert march_checkins.checkins.get(original_date=date(2030, 3, 12)).date == date(2030, 3, 12)


def test_a_closure_that_is_already_over_or_ends_before_it_starts_is_refused(supplier_a, portal_a):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as over:
        services.closure_declare(
            supplier=supplier_a, by=portal_a, starts_on=yesterday, ends_on=yesterday, reason="Too late"
        )
    with pytest.raises(ValidationError) as backwards:
        services.closure_declare(
            supplier=supplier_a,
            by=portal_a,
            starts_on=date(2030, 3, 15),
            ends_on=date(2030, 3, 11),
            reason="x",
        )

    assert "ends_on" in over.value.message_dict
    assert "A closure cannot end before it starts." in backwards.value.messages
    assert not Closure.objects.exists()


def test_a_one_off_check_in_moved_by_a_closure_keeps_its_local_time(supplier_a, portal_a):
    one_off = CheckIn.objects.create(
        supplier=supplier_a,
        original_date=date(2030, 3, 13),
        date=date(2030, 3, 13),
        scheduled_at=utc(2030, 3, 13, 1, 0),  # 09:00 in Shanghai
    )

    services.closure_declare(
        supplier=supplier_a,
        by=portal_a,
        starts_on=date(2030, 3, 11),
        ends_on=date(2030, 3, 15),
        reason="Stocktake",
    )

    one_off.refresh_from_db()
    assert one_off.date == date(2030, 3, 18)
    assert one_off.scheduled_at == utc(2030, 3, 18, 1, 0)


# --- Minutes --------------------------------------------------------------------------------------------------


@pytest.fixture
def past_checkin(supplier_a):
    return checkin(supplier_a, at=timezone.now() - timedelta(hours=2))


def good_items() -> list[dict]:
    due = timezone.localdate() + timedelta(days=7)
    return [
        {
            "description": "Send the capacity plan",
            "owner_side": Side.SUPPLIER,
            "owner_name": "Ada",
            "due_on": due,
        },
        {"description": "Approve the new label", "owner_side": Side.BUYER, "due_on": due},
    ]


def test_recording_minutes_marks_the_check_in_held_and_creates_the_action_items(
    past_checkin, buyer, supplier_a
):
    services.checkin_record_minutes(
        checkin=past_checkin,
        by=buyer,
        attendees="Bea, Ada",
        notes="Capacity for Q1",
        action_items=good_items(),
    )

    past_checkin.refresh_from_db()
    assert past_checkin.status == CheckIn.Status.HELD
    assert past_checkin.held_at is not None and past_checkin.recorded_by == buyer
    assert (past_checkin.notes, past_checkin.attendees) == ("Capacity for Q1", "Bea, Ada")
    items = list(
        past_checkin.action_items.order_by("pk").values_list("description", "owner_side", "supplier_id")
    )
    assert items == [
        ("Send the capacity plan", "supplier", supplier_a.pk),
        ("Approve the new label", "buyer", supplier_a.pk),
    ]


def test_minutes_of_a_check_in_that_has_not_happened_yet_are_refused(supplier_a, buyer):
    future = checkin(supplier_a, at=timezone.now() + timedelta(days=2))

    with pytest.raises(ValidationError, match="has not happened yet"):
        services.checkin_record_minutes(checkin=future, by=buyer, attendees="", notes="Too early")

    future.refresh_from_db()
    assert (future.status, future.notes) == (CheckIn.Status.SCHEDULED, "")


def test_minutes_are_required(past_checkin, buyer):
    with pytest.raises(ValidationError) as exc:
        services.checkin_record_minutes(checkin=past_checkin, by=buyer, attendees="Bea", notes="   ")

    assert "notes" in exc.value.message_dict
    past_checkin.refresh_from_db()
    assert past_checkin.status == CheckIn.Status.SCHEDULED


@pytest.mark.parametrize(
    "bad",
    [
        {"description": "Ship samples", "owner_side": "vendor"},
        {"description": "Ship samples", "owner_side": Side.SUPPLIER, "due_on": None},
        {"description": "", "owner_side": Side.SUPPLIER},
    ],
    ids=["unknown-side", "no-due-date", "no-description"],
)
def test_one_bad_action_item_refuses_the_minutes_and_writes_nothing(past_checkin, buyer, bad):
    items = good_items()
    items.append({"due_on": timezone.localdate(), **bad})

    with pytest.raises(ValidationError, match="Action 3"):
        services.checkin_record_minutes(
            checkin=past_checkin, by=buyer, attendees="Bea", notes="Minutes", action_items=items
        )

    past_checkin.refresh_from_db()
    assert (past_checkin.status, past_checkin.notes, past_checkin.held_at) == (
        CheckIn.Status.SCHEDULED,
        "",
        None,
    )
    assert not ActionItem.objects.exists()


def test_minutes_of_a_cancelled_check_in_are_refused(supplier_a, buyer):
    cancelled = checkin(supplier_a, at=timezone.now() - timedelta(hours=2), status=CheckIn.Status.CANCELLED)

    with pytest.raises(ValidationError, match="cancelled"):
        services.checkin_record_minutes(checkin=cancelled, by=buyer, attendees="", notes="Minutes")


def test_a_factory_contact_cannot_record_minutes(past_checkin, portal_a):
    with pytest.raises(PermissionDenied):
        services.checkin_record_minutes(checkin=past_checkin, by=portal_a, attendees="", notes="Minutes")


# --- Missed check-ins -----------------------------------------------------------------------------------------


def test_only_check_ins_more_than_a_day_past_with_no_minutes_are_marked_missed_and_twice_is_safe(supplier_a):
    now = timezone.now()
    overdue = checkin(supplier_a, at=now - timedelta(hours=25))
    recent = checkin(supplier_a, at=now - timedelta(hours=23))
    held = checkin(supplier_a, at=now - timedelta(days=3), status=CheckIn.Status.HELD, notes="Done")
    cancelled = checkin(supplier_a, at=now - timedelta(days=3), status=CheckIn.Status.CANCELLED)
    upcoming = checkin(supplier_a, at=now + timedelta(days=3))

    assert services.checkins_mark_missed(now=now) == 1
    assert services.checkins_mark_missed(now=now) == 0

    statuses = {c.pk: c.status for c in CheckIn.objects.all()}
    assert statuses == {
        overdue.pk: CheckIn.Status.MISSED,
        recent.pk: CheckIn.Status.SCHEDULED,
        held.pk: CheckIn.Status.HELD,
        cancelled.pk: CheckIn.Status.CANCELLED,
        upcoming.pk: CheckIn.Status.SCHEDULED,
    }


# --- Action items ---------------------------------------------------------------------------------------------


@pytest.fixture
def items(past_checkin, buyer):
    services.checkin_record_minutes(
        checkin=past_checkin, by=buyer, attendees="", notes="Minutes", action_items=good_items()
    )
    return {i.owner_side: i for i in past_checkin.action_items.all()}


def test_a_factory_contact_ticks_off_its_own_sides_action_item(items, portal_a):
    item = services.action_item_set_done(item=items[Side.SUPPLIER], by=portal_a)

    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == portal_a


def test_a_factory_contact_cannot_tick_off_the_buyers_action_item(items, portal_a):
    with pytest.raises(PermissionDenied):
        services.action_item_set_done(item=items[Side.BUYER], by=portal_a)

    items[Side.BUYER].refresh_from_db()
    assert items[Side.BUYER].done_at is None


def test_a_factory_contact_of_b_cannot_tick_off_as_action_item(items, portal_b):
    with pytest.raises(PermissionDenied):
        services.action_item_set_done(item=items[Side.SUPPLIER], by=portal_b)

    items[Side.SUPPLIER].refresh_from_db()
    assert items[Side.SUPPLIER].done_at is None


def test_staff_tick_either_side_and_reopen_an_item(items, quality):
    for item in items.values():
        services.action_item_set_done(item=item, by=quality)
        item.refresh_from_db()
        assert item.done_by == quality

    services.action_item_set_done(item=items[Side.SUPPLIER], by=quality, done=False)

    items[Side.SUPPLIER].refresh_from_db()
    assert (items[Side.SUPPLIER].done_at, items[Side.SUPPLIER].done_by) == (None, None)
