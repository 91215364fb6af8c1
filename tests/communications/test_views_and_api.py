"""Pages and API of the communications app: staff pages render and their forms refuse bad input without
writing anything; list pages keep a constant number of queries; the portal declares closures, replies, raises
issues and ticks action items; a factory token raises and answers issues for its own company only."""

import re
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from communications import services
from communications.models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    IssueMessage,
    Notification,
    Side,
    SupplierIssue,
)
from tests.factories import DeliveryFactory, PurchaseOrderFactory, SupplierFactory
from tests.helpers import authed, body_of

pytestmark = pytest.mark.django_db


def row(body: str, text: str) -> str:
    """The table row (or list item) of a page that contains `text`."""
    for chunk in re.findall(r"<(?:tr|li)\b.*?</(?:tr|li)>", body, flags=re.S):
        if text in chunk:
            return chunk
    raise AssertionError(f"no row with {text!r}")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def raise_issue(supplier, by, **fields) -> SupplierIssue:
    fields = {"category": "quality", "subject": "Loose threads", "description": "See photos", **fields}
    return services.issue_raise(supplier=supplier, by=by, **fields)


def hours_ago(issue, hours) -> SupplierIssue:
    SupplierIssue.objects.filter(pk=issue.pk).update(raised_at=timezone.now() - timedelta(hours=hours))
    issue.refresh_from_db()
    return issue


def make_checkin(supplier, *, at, **fields) -> CheckIn:
    return CheckIn.objects.create(
        supplier=supplier, original_date=at.date(), date=at.date(), scheduled_at=at, **fields
    )


def with_items(checkin, *sides) -> list[ActionItem]:
    return [
        ActionItem.objects.create(
            checkin=checkin,
            supplier=checkin.supplier,
            description=f"{side} task {n}",
            owner_side=side,
            due_on=timezone.localdate() + timedelta(days=7),
        )
        for n, side in enumerate(sides)
    ]


# --- Check-ins ------------------------------------------------------------------------------------------------


def test_check_in_list_shows_upcoming_check_ins_with_why_they_moved_and_open_action_items(
    buyer_client, supplier_a
):
    make_checkin(
        supplier_a,
        at=timezone.now() + timedelta(days=2),
        moved_reason="Moved from 2026-10-06: National Day",
    )
    held = make_checkin(supplier_a, at=timezone.now() - timedelta(days=3), status=CheckIn.Status.HELD)
    with_items(held, Side.SUPPLIER)

    response = buyer_client.get(reverse("communications:checkin_list"))

    assert response.status_code == 200
    body = body_of(response)
    assert "Moved from 2026-10-06: National Day" in body
    assert "supplier task 0" in row(body, "supplier task 0") and "Alpha Factory" in row(
        body, "supplier task 0"
    )
    assert body.count("<tr>") == 2  # the header and the one upcoming check-in (the held one is not upcoming)


def test_check_in_list_filters_missed_ones(buyer_client, supplier_a):
    make_checkin(supplier_a, at=timezone.now() - timedelta(days=3), status=CheckIn.Status.MISSED)
    make_checkin(supplier_a, at=timezone.now() + timedelta(days=3))

    body = body_of(buyer_client.get(reverse("communications:checkin_list") + "?status=missed"))

    assert body.count(">Missed</td>") == 1 and ">Scheduled</td>" not in body


def next_holiday_within(days: int) -> tuple[str, str, date, str]:
    """A country, its timezone, and a weekday public holiday of it within the coming `days` (from the library)."""
    today = timezone.localdate()
    for code, tz in (
        ("CN", "Asia/Shanghai"),
        ("IN", "Asia/Kolkata"),
        ("VN", "Asia/Ho_Chi_Minh"),
        ("US", "UTC"),
    ):
        years = [today.year, today.year + 1]
        calendar = holidays.country_holidays(code, years=years, language="en_US")
        for day in sorted(calendar):
            if today < day < today + timedelta(days=days) and day.weekday() < 5:
                return code, tz, day, calendar[day]
    raise AssertionError("no holiday in the window in any of the countries tried")


def test_the_partner_calendar_lists_holidays_and_marks_a_delivery_promised_on_one(buyer_client, buyer):
    code, tz, holiday, name = next_holiday_within(80)
    supplier = SupplierFactory(country=code, timezone=tz, owner=buyer)
    order = PurchaseOrderFactory(supplier=supplier, number="PO-HOLIDAY")
    DeliveryFactory(order=order, sequence=1, promised_on=holiday)
    ordinary = holiday + timedelta(days=1)
    while ordinary.weekday() >= 5 or ordinary in holidays.country_holidays(code, years=ordinary.year):
        ordinary += timedelta(days=1)
    DeliveryFactory(order=order, sequence=2, promised_on=ordinary)
    Closure.objects.create(
        supplier=supplier,
        starts_on=timezone.localdate() + timedelta(days=5),
        ends_on=timezone.localdate() + timedelta(days=5),
        reason="Boiler maintenance",
        declared_by=buyer,
    )

    response = buyer_client.get(reverse("communications:calendar", args=[supplier.pk]))

    assert response.status_code == 200
    body = body_of(response)
    assert "public holiday" in row(body, escape(name))
    assert "closure" in row(body, "Boiler maintenance")
    on_holiday = row(body, "PO-HOLIDAY/1")
    assert "text-danger" in on_holiday and f"on a day off: {escape(name)}" in on_holiday
    assert "on a day off" not in row(body, "PO-HOLIDAY/2")


def test_the_partner_calendar_shows_the_suppliers_own_weekend(buyer_client, buyer):
    dhaka = SupplierFactory(country="BD", timezone="Asia/Dhaka", owner=buyer)

    body = body_of(buyer_client.get(reverse("communications:calendar", args=[dhaka.pk])))

    assert "weekend: Fri, Sat" in body


@pytest.fixture
def due_checkin(supplier_a):
    """Supplier A's check-in that started an hour ago."""
    return make_checkin(supplier_a, at=timezone.now() - timedelta(hours=1))


def test_check_in_detail_shows_the_time_the_move_and_the_minutes_form(buyer_client, buyer, supplier_a):
    buyer.timezone = "Europe/Berlin"
    buyer.save()
    checkin = make_checkin(
        supplier_a,
        at=datetime(2030, 3, 12, 1, 0, tzinfo=UTC),
        moved_reason="Moved from 2030-03-11: Annual maintenance shutdown",
    )

    response = buyer_client.get(checkin.get_absolute_url())

    assert response.status_code == 200
    body = body_of(response)
    assert "Tue 2030-03-12 02:00 (your time)" in body
    assert "Moved from 2030-03-11: Annual maintenance shutdown" in body
    assert 'name="notes"' in body and 'name="items-TOTAL_FORMS"' in body


def test_check_in_detail_shows_the_time_in_the_suppliers_timezone_too(buyer_client, buyer, supplier_a):
    buyer.timezone = "Europe/Berlin"
    buyer.save()
    checkin = make_checkin(supplier_a, at=datetime(2030, 3, 12, 1, 0, tzinfo=UTC))

    body = body_of(buyer_client.get(checkin.get_absolute_url()))

    assert "Tue 2030-03-12 02:00 (your time) · Tue 2030-03-12 09:00 Asia/Shanghai" in body


def minutes_post(notes="Agreed the Q1 capacity.", **items) -> dict:
    data = {
        "attendees": "Bea, Ada",
        "notes": notes,
        "shared_with_supplier": "on",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    data.update(items)
    return data


def test_saving_minutes_with_an_action_item_marks_the_check_in_held(buyer_client, due_checkin):
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = minutes_post(
        **{
            "items-0-description": "Send capacity plan",
            "items-0-owner_side": "supplier",
            "items-0-due_on": due,
        }
    )

    response = buyer_client.post(due_checkin.get_absolute_url(), data)

    assert response.status_code == 302
    due_checkin.refresh_from_db()
    assert (due_checkin.status, due_checkin.notes) == (CheckIn.Status.HELD, "Agreed the Q1 capacity.")
    assert list(due_checkin.action_items.values_list("description", "owner_side")) == [
        ("Send capacity plan", "supplier")
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (minutes_post(notes=""), "This field is required."),
        (
            minutes_post(**{"items-0-description": "Send capacity plan", "items-0-owner_side": "supplier"}),
            "This field is required.",
        ),
    ],
    ids=["no-minutes", "action-item-without-due-date"],
)
def test_minutes_with_errors_show_them_and_write_nothing(buyer_client, due_checkin, data, error):
    response = buyer_client.post(due_checkin.get_absolute_url(), data)

    assert response.status_code == 400
    assert error in body_of(response)
    due_checkin.refresh_from_db()
    assert (due_checkin.status, due_checkin.notes) == (CheckIn.Status.SCHEDULED, "")
    assert not ActionItem.objects.exists()


def test_minutes_of_a_future_check_in_show_the_services_refusal(buyer_client, supplier_a):
    future = make_checkin(supplier_a, at=timezone.now() + timedelta(days=3))

    response = buyer_client.post(future.get_absolute_url(), minutes_post())

    assert response.status_code == 400
    assert "This check-in has not happened yet." in body_of(response)
    future.refresh_from_db()
    assert future.status == CheckIn.Status.SCHEDULED


def test_staff_tick_off_an_action_item_from_the_check_in_page(buyer_client, due_checkin):
    (item,) = with_items(due_checkin, Side.BUYER)

    response = buyer_client.post(reverse("communications:action_item_toggle", args=[item.pk]))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None


def test_the_schedule_form_saves_and_generates_check_ins(buyer_client, supplier_a):
    response = buyer_client.post(
        reverse("communications:schedule_create", args=[supplier_a.pk]),
        {
            "cadence": "weekly",
            "weekday": "2",
            "local_time": "10:30",
            "channel": "video",
            "starts_on": timezone.localdate().isoformat(),
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    schedule = CheckInSchedule.objects.get()
    assert schedule.local_time == time(10, 30) and schedule.checkins.exists()


def test_the_schedule_form_with_errors_shows_them_and_writes_nothing(buyer_client, supplier_a):
    response = buyer_client.post(
        reverse("communications:schedule_create", args=[supplier_a.pk]),
        {"cadence": "daily", "weekday": "2", "local_time": "", "channel": "video", "starts_on": ""},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in body_of(response)
    assert not CheckInSchedule.objects.exists() and not CheckIn.objects.exists()


# --- Issues ---------------------------------------------------------------------------------------------------


def test_issue_list_shows_the_response_clock_and_a_breach_badge(buyer_client, supplier_a, buyer):
    hours_ago(raise_issue(supplier_a, buyer, subject="Unanswered for long"), 30)
    answered = hours_ago(raise_issue(supplier_a, buyer, subject="Answered quickly"), 30)
    services.issue_reply(
        issue=answered,
        by=buyer,
        body="Phoned",
        on_behalf_of_supplier=True,
        sent_at=answered.raised_at + timedelta(hours=3),
    )
    hours_ago(raise_issue(supplier_a, buyer, subject="Fresh one"), 2)

    response = buyer_client.get(reverse("communications:issue_list"))

    assert response.status_code == 200
    body = body_of(response)
    late = row(body, "Unanswered for long")
    assert "30.0 h, no reply" in late and "&gt; 24 h" in late
    quick = row(body, "Answered quickly")
    assert "answered in 3.0 h" in quick and "&gt; 24 h" not in quick and "Answered" in quick
    fresh = row(body, "Fresh one")
    assert "2.0 h, no reply" in fresh and "&gt; 24 h" not in fresh


def test_issue_list_filters_waiting_issues(buyer_client, supplier_a, buyer, portal_a):
    raise_issue(supplier_a, buyer, subject="Still waiting")
    answered = raise_issue(supplier_a, buyer, subject="Got an answer")
    services.issue_reply(issue=answered, by=portal_a, body="Yes")

    body = body_of(buyer_client.get(reverse("communications:issue_list") + "?waiting=1"))

    assert "Still waiting" in body and "Got an answer" not in body


def test_issue_detail_shows_the_running_clock_and_the_forms(buyer_client, supplier_a, buyer):
    issue = hours_ago(raise_issue(supplier_a, buyer), 30)

    response = buyer_client.get(issue.get_absolute_url())

    assert response.status_code == 200
    clock = re.search(r'<div class="alert ([^"]+)" id="response-clock">(.*?)</div>', body_of(response), re.S)
    assert "alert-danger" in clock.group(1)
    assert re.search(r"No reply yet: 30\.0 hours and counting\s*\(target 24 h\)", clock.group(2))
    assert "Log a reply the supplier gave by phone or email" in body_of(response)


def test_logging_a_phoned_reply_reads_the_time_in_the_users_timezone_and_stops_the_clock(
    buyer_client, buyer, supplier_a
):
    buyer.timezone = "Europe/Berlin"
    buyer.save()
    issue = raise_issue(supplier_a, buyer)
    SupplierIssue.objects.filter(pk=issue.pk).update(raised_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))

    response = buyer_client.post(
        issue.get_absolute_url(),
        {
            "kind": "log",
            "author_name": "Mr Li",
            "sent_at": "2026-01-05T12:00",
            "body": "They replace the lot.",
        },
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.first_response_at == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    body = body_of(buyer_client.get(issue.get_absolute_url()))
    assert "Response time: 3.0 hours" in body and "Mr Li" in body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": ""}, "This field is required."),
        ({"kind": "log", "body": "They called", "sent_at": ""}, "This field is required."),
        (
            {"kind": "log", "body": "They called", "sent_at": "2099-01-01T10:00"},
            "The reply must fall between raising the issue and now.",
        ),
    ],
    ids=["empty-reply", "log-without-time", "log-in-the-future"],
)
def test_reply_forms_with_errors_show_them_and_write_nothing(buyer_client, supplier_a, buyer, data, error):
    issue = raise_issue(supplier_a, buyer)

    response = buyer_client.post(issue.get_absolute_url(), data)

    assert response.status_code == 400
    assert error in body_of(response)
    assert not IssueMessage.objects.exists()
    issue.refresh_from_db()
    assert issue.first_response_at is None


def test_raising_an_issue_from_the_form_starts_the_clock(buyer_client, supplier_a, buyer):
    response = buyer_client.post(
        reverse("communications:issue_create"),
        {
            "supplier": supplier_a.pk,
            "category": "delivery",
            "severity": "high",
            "subject": "Shipment late",
            "description": "Container missed the vessel.",
        },
    )

    issue = SupplierIssue.objects.get()
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert (issue.supplier, issue.owner, issue.raised_by_side) == (supplier_a, buyer, Side.BUYER)


@pytest.mark.parametrize("case", ["no-subject", "other-suppliers-order"])
def test_the_issue_form_with_errors_shows_them_and_writes_nothing(buyer_client, supplier_a, supplier_b, case):
    data = {
        "supplier": supplier_a.pk,
        "category": "quality",
        "severity": "medium",
        "subject": "S",
        "description": "D",
    }
    if case == "no-subject":
        data["subject"], error = "", "This field is required."
    else:
        data["order"], error = (
            PurchaseOrderFactory(supplier=supplier_b).pk,
            "Select a valid choice.",
        )

    response = buyer_client.post(reverse("communications:issue_create"), data)

    assert response.status_code == 400
    assert error in body_of(response)
    assert not SupplierIssue.objects.exists()


def test_resolving_from_the_page_needs_a_note(buyer_client, supplier_a, buyer):
    issue = raise_issue(supplier_a, buyer)
    url = reverse("communications:issue_resolve", args=[issue.pk])

    refused = buyer_client.post(url, {"note": ""})
    issue.refresh_from_db()
    assert refused.status_code == 302 and issue.status == SupplierIssue.Status.OPEN
    assert messages_of(refused)[-1] == "Say how the issue was settled."

    buyer_client.post(url, {"note": "Replaced"})
    again = buyer_client.post(url, {"note": "Replaced twice"})
    issue.refresh_from_db()
    assert (issue.status, issue.resolution_note) == (SupplierIssue.Status.RESOLVED, "Replaced")
    assert messages_of(again)[-1] == "This issue is already resolved."


def test_the_notifications_page_lists_the_users_own_and_mark_all_read_is_a_post(buyer_client, buyer, quality):
    Notification.objects.create(user=buyer, title="Reply from Alpha Factory")
    Notification.objects.create(user=buyer, title="No reply for 24 h: Loose threads")
    theirs = Notification.objects.create(user=quality, title="Not for the buyer")

    before = body_of(buyer_client.get(reverse("communications:checkin_list")))
    assert re.search(r'id="unread-count">2<', before)

    response = buyer_client.get(reverse("communications:notifications"))

    body = body_of(response)
    assert "Reply from Alpha Factory" in body and "No reply for 24 h: Loose threads" in body
    assert "Not for the buyer" not in body
    assert "Mark all read" in body
    # Looking at the list reads nothing: a prefetching browser or a link preview must not clear the badge.
    assert Notification.objects.filter(user=buyer, read_at__isnull=True).count() == 2

    done = buyer_client.post(reverse("communications:notifications_read_all"))

    assert done.status_code == 302 and done["Location"] == reverse("communications:notifications")
    assert not Notification.objects.filter(user=buyer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'id="unread-count"' not in body_of(buyer_client.get(reverse("communications:checkin_list")))


def test_opening_a_notification_marks_only_that_one_read_and_goes_to_its_page(buyer_client, buyer, quality):
    first = Notification.objects.create(user=buyer, title="First", url="/communications/issues/")
    second = Notification.objects.create(user=buyer, title="Second")
    theirs = Notification.objects.create(user=quality, title="Theirs")

    assert buyer_client.get(reverse("communications:notification_open", args=[first.pk])).status_code == 405
    opened = buyer_client.post(reverse("communications:notification_open", args=[first.pk]))
    someone_elses = buyer_client.post(reverse("communications:notification_open", args=[theirs.pk]))

    assert opened.status_code == 302 and opened["Location"] == "/communications/issues/"
    assert someone_elses.status_code == 404
    first.refresh_from_db(), second.refresh_from_db(), theirs.refresh_from_db()
    assert first.read_at is not None and second.read_at is None and theirs.read_at is None
    # One without a link goes back to the list.
    back = buyer_client.post(reverse("communications:notification_open", args=[second.pk]))
    assert back["Location"] == reverse("communications:notifications")


def test_a_factory_contact_reads_its_notifications_in_the_portal(client, portal_a, buyer):
    mine = Notification.objects.create(
        user=portal_a, title="New issue from your buyer", url="/portal/issues/"
    )
    client.force_login(portal_a)

    page = client.get(reverse("portal:notifications"))
    assert "New issue from your buyer" in body_of(page)
    assert reverse("portal:notification_open", args=[mine.pk]) in body_of(page)
    mine.refresh_from_db()
    assert mine.read_at is None

    opened = client.post(reverse("portal:notification_open", args=[mine.pk]))
    assert opened["Location"] == "/portal/issues/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    Notification.objects.create(user=portal_a, title="Another")
    assert client.post(reverse("portal:notifications_read_all"))["Location"] == reverse(
        "portal:notifications"
    )
    assert not Notification.objects.filter(user=portal_a, read_at__isnull=True).exists()


def test_an_issue_resolved_without_a_reply_stops_counting(buyer_client, supplier_a, buyer):
    issue = hours_ago(raise_issue(supplier_a, buyer), 50)
    services.issue_resolve(issue=issue, by=buyer, note="Settled on the phone.")

    body = body_of(buyer_client.get(issue.get_absolute_url()))

    assert "and counting" not in body


# --- Query counts ---------------------------------------------------------------------------------------------


def fill_issues(n, buyer):
    for i in range(n):
        supplier = SupplierFactory(owner=buyer)
        issue = raise_issue(supplier, buyer, subject=f"Issue {i}")
        services.issue_reply(issue=issue, by=buyer, body="Any news?")


def test_issue_list_page_has_constant_queries(buyer_client, buyer, django_assert_max_num_queries):
    fill_issues(30, buyer)
    with django_assert_max_num_queries(12) as captured:
        response = buyer_client.get(reverse("communications:issue_list"))
    assert response.status_code == 200
    many = len(captured.captured_queries)

    SupplierIssue.objects.all().delete()
    fill_issues(3, buyer)
    with django_assert_max_num_queries(12) as captured:
        buyer_client.get(reverse("communications:issue_list"))
    assert len(captured.captured_queries) == many


def fill_checkins(n, buyer):
    for i in range(n):
        supplier = SupplierFactory(owner=buyer)
        schedule = CheckInSchedule.objects.create(
            supplier=supplier,
            weekday=1,
            local_time=time(9, 0),
            starts_on=timezone.localdate(),
            created_by=buyer,
        )
        make_checkin(supplier, at=timezone.now() + timedelta(days=1, minutes=i), schedule=schedule)
        past = make_checkin(supplier, at=timezone.now() - timedelta(days=2, minutes=i), status="held")
        with_items(past, Side.SUPPLIER)


def test_check_in_list_page_has_constant_queries(buyer_client, buyer, django_assert_max_num_queries):
    fill_checkins(30, buyer)
    with django_assert_max_num_queries(12) as captured:
        response = buyer_client.get(reverse("communications:checkin_list"))
    assert response.status_code == 200
    many = len(captured.captured_queries)

    CheckIn.objects.all().delete()
    fill_checkins(3, buyer)
    with django_assert_max_num_queries(12) as captured:
        buyer_client.get(reverse("communications:checkin_list"))
    assert len(captured.captured_queries) == many


# --- Portal ---------------------------------------------------------------------------------------------------


def closure_data(**overrides) -> dict:
    return {
        "starts_on": "2030-03-11",
        "ends_on": "2030-03-15",
        "reason": "Annual maintenance shutdown",
        **overrides,
    }


def test_a_factory_declares_a_closure_in_the_portal_and_its_check_in_moves(
    portal_client, supplier_a, portal_a
):
    checkin = make_checkin(supplier_a, at=datetime(2030, 3, 12, 1, 0, tzinfo=UTC))

    response = portal_client.post(reverse("portal:checkins"), closure_data())

    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.supplier, closure.declared_by) == (supplier_a, portal_a)
    checkin.refresh_from_db()
    assert checkin.date == date(2030, 3, 18)
    assert checkin.moved_reason == "Moved from 2030-03-12: Annual maintenance shutdown"
    assert "Annual maintenance shutdown" in body_of(portal_client.get(reverse("portal:checkins")))


def test_a_closure_that_ends_before_it_starts_is_refused_in_the_portal(portal_client):
    response = portal_client.post(reverse("portal:checkins"), closure_data(ends_on="2030-03-01"))

    assert response.status_code == 400
    assert "A closure cannot end before it starts." in body_of(response)
    assert not Closure.objects.exists()


def test_a_factory_replies_to_an_issue_in_the_portal_and_stops_the_clock(portal_client, supplier_a, buyer):
    issue = hours_ago(raise_issue(supplier_a, buyer), 5)
    listing = body_of(portal_client.get(reverse("portal:issues")))
    assert "please reply" in row(listing, "Loose threads")

    response = portal_client.post(
        reverse("portal:issue_detail", args=[issue.pk]), {"body": "We re-inspect today."}
    )

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == SupplierIssue.Status.ANSWERED
    assert issue.first_response_at == IssueMessage.objects.get().sent_at
    page = body_of(portal_client.get(reverse("portal:issue_detail", args=[issue.pk])))
    assert "first reply after 5.0 h" in page and "We re-inspect today." in page
    assert "please reply" not in body_of(portal_client.get(reverse("portal:issues")))


def test_an_empty_portal_reply_is_refused(portal_client, supplier_a, buyer):
    issue = raise_issue(supplier_a, buyer)

    response = portal_client.post(reverse("portal:issue_detail", args=[issue.pk]), {"body": ""})

    assert response.status_code == 400
    assert not IssueMessage.objects.exists()


def test_a_factory_raises_an_issue_with_the_buyer_in_the_portal(portal_client, supplier_a, buyer):
    order = PurchaseOrderFactory(supplier=supplier_a)

    response = portal_client.post(
        reverse("portal:issues"),
        {
            "category": "documentation",
            "severity": "medium",
            "subject": "Label artwork missing",
            "description": "We need the final artwork to print.",
            "order": order.pk,
        },
    )

    issue = SupplierIssue.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:issue_detail", args=[issue.pk])
    assert (issue.supplier, issue.raised_by_side, issue.owner, issue.order) == (
        supplier_a,
        Side.SUPPLIER,
        buyer,
        order,
    )
    assert Notification.objects.get().user == buyer


def test_a_factory_cannot_raise_an_issue_on_another_suppliers_order(portal_client, supplier_b):
    other = PurchaseOrderFactory(supplier=supplier_b)

    response = portal_client.post(
        reverse("portal:issues"),
        {"category": "quality", "severity": "medium", "subject": "S", "description": "D", "order": other.pk},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in body_of(response)
    assert not SupplierIssue.objects.exists()


def test_a_factory_ticks_its_own_action_item_but_not_the_buyers(portal_client, supplier_a):
    held = make_checkin(
        supplier_a,
        at=timezone.now() - timedelta(days=1),
        status=CheckIn.Status.HELD,
        shared_with_supplier=True,
    )
    theirs, ours = with_items(held, Side.SUPPLIER, Side.BUYER)
    page = body_of(portal_client.get(reverse("portal:checkins")))
    assert reverse("portal:action_item_done", args=[theirs.pk]) in page
    assert reverse("portal:action_item_done", args=[ours.pk]) not in page

    done = portal_client.post(reverse("portal:action_item_done", args=[theirs.pk]))
    refused = portal_client.post(reverse("portal:action_item_done", args=[ours.pk]))

    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert done.status_code == 302 and theirs.done_at is not None
    assert refused.status_code == 302 and ours.done_at is None
    assert messages_of(refused)[-1] == "This action belongs to the buyer."


def test_action_items_of_unshared_minutes_stay_hidden_from_the_factory(portal_client, supplier_a):
    private = make_checkin(
        supplier_a,
        at=timezone.now() - timedelta(days=1),
        status=CheckIn.Status.HELD,
        shared_with_supplier=False,
    )
    ActionItem.objects.create(
        checkin=private,
        supplier=supplier_a,
        description="Find a second source for totes",
        owner_side=Side.BUYER,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    assert portal_client.get(reverse("portal:checkin_detail", args=[private.pk])).status_code == 404

    assert "Find a second source for totes" not in body_of(portal_client.get(reverse("portal:checkins")))


def test_the_portal_shows_the_schedule_and_its_check_ins_at_the_same_clock_time(
    portal_client, supplier_a, buyer
):
    schedule = CheckInSchedule.objects.create(
        supplier=supplier_a, weekday=1, local_time=time(9, 0), starts_on=date(2030, 3, 1), created_by=buyer
    )
    make_checkin(supplier_a, at=datetime(2030, 3, 12, 1, 0, tzinfo=UTC), schedule=schedule)

    body = body_of(portal_client.get(reverse("portal:checkins")))

    assert "09:00 (Asia/Shanghai)" in body
    assert "Tue 2030-03-12 09:00" in body


# --- API ------------------------------------------------------------------------------------------------------


def test_a_factory_token_raises_an_issue_for_its_own_company_whatever_supplier_it_names(
    api_client, portal_a, supplier_a, supplier_b, buyer
):
    response = authed(api_client, portal_a).post(
        reverse("api:issue-list"),
        {
            "supplier": supplier_b.pk,
            "category": "commercial",
            "subject": "Price of cotton",
            "description": "Up 8 %",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    issue = SupplierIssue.objects.get()
    assert (issue.supplier, issue.raised_by_side, issue.owner) == (supplier_a, Side.SUPPLIER, buyer)
    assert response.json()["supplier"] == supplier_a.pk


def test_a_factory_token_replies_and_stops_the_clock_but_cannot_resolve(
    api_client, portal_a, supplier_a, buyer
):
    issue = raise_issue(supplier_a, buyer)
    client = authed(api_client, portal_a)

    reply = client.post(reverse("api:issue-reply", args=[issue.pk]), {"body": "Checking now"}, format="json")

    assert reply.status_code == 200
    assert reply.json()["status"] == "answered" and reply.json()["messages"][0]["body"] == "Checking now"
    issue.refresh_from_db()
    assert issue.first_response_at is not None

    patch = client.patch(reverse("api:issue-detail", args=[issue.pk]), {"status": "resolved"}, format="json")
    resolve = client.post(
        reverse("api:issue-detail", args=[issue.pk]) + "resolve/", {"note": "done"}, format="json"
    )
    assert patch.status_code == 405 and resolve.status_code == 404
    issue.refresh_from_db()
    assert issue.status == SupplierIssue.Status.ANSWERED and issue.resolved_at is None


def test_api_lists_are_scoped_to_the_tokens_company(api_client, portal_a, supplier_a, supplier_b, buyer):
    raise_issue(supplier_a, buyer, subject="For A")
    other_issue = raise_issue(supplier_b, buyer, subject="For B")
    make_checkin(supplier_a, at=timezone.now() + timedelta(days=1))
    make_checkin(supplier_b, at=timezone.now() + timedelta(days=1))
    for supplier in (supplier_a, supplier_b):
        Closure.objects.create(
            supplier=supplier,
            starts_on=date(2030, 3, 11),
            ends_on=date(2030, 3, 15),
            reason="x",
            declared_by=buyer,
        )
    client = authed(api_client, portal_a)

    for name in ("api:issue-list", "api:checkin-list", "api:closure-list"):
        results = client.get(reverse(name)).json()["results"]
        assert [r["supplier"] for r in results] == [supplier_a.pk], name
    assert client.get(reverse("api:issue-detail", args=[other_issue.pk])).status_code == 404
    reply = client.post(reverse("api:issue-reply", args=[other_issue.pk]), {"body": "Hi"}, format="json")
    assert reply.status_code == 404 and not IssueMessage.objects.exists()


def test_a_staff_token_must_name_the_supplier(api_client, buyer, supplier_a):
    client = authed(api_client, buyer)
    data = {"category": "quality", "subject": "S", "description": "D"}

    missing = client.post(reverse("api:issue-list"), data, format="json")
    created = client.post(reverse("api:issue-list"), {**data, "supplier": supplier_a.pk}, format="json")

    assert missing.status_code == 400 and "supplier" in missing.json()
    assert created.status_code == 201 and created.json()["raised_by_side"] == "buyer"


def test_a_factory_token_declares_a_closure_for_its_own_company(api_client, portal_a, supplier_a, supplier_b):
    checkin = make_checkin(supplier_a, at=datetime(2030, 3, 12, 1, 0, tzinfo=UTC))

    response = authed(api_client, portal_a).post(
        reverse("api:closure-list"),
        {"supplier": supplier_b.pk, **closure_data()},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Closure.objects.get().supplier == supplier_a
    checkin.refresh_from_db()
    assert checkin.date == date(2030, 3, 18)


def test_a_staff_token_declares_a_closure_for_the_supplier_it_names(api_client, buyer, supplier_a):
    response = authed(api_client, buyer).post(
        reverse("api:closure-list"), {"supplier": supplier_a.pk, **closure_data()}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["supplier"] == supplier_a.pk
    assert Closure.objects.get().supplier == supplier_a


@pytest.mark.parametrize("supplier", ["abc", [1], {"id": 1}, 10**20, None])
def test_a_staff_tokens_closure_for_a_malformed_or_missing_supplier_is_400(api_client, buyer, supplier):
    data = closure_data() if supplier is None else {"supplier": supplier, **closure_data()}

    response = authed(api_client, buyer).post(reverse("api:closure-list"), data, format="json")

    assert response.status_code == 400 and "supplier" in response.json()
    assert not Closure.objects.exists()


def test_the_schema_lets_staff_name_the_supplier_of_a_closure(api_client, buyer):
    schema = authed(api_client, buyer).get("/api/v1/schema/", {"format": "json"}).json()

    closure = schema["components"]["schemas"]["ClosureRequest"]
    assert closure["properties"]["supplier"]["type"] == "integer"


def test_a_factory_token_cannot_tell_another_suppliers_order_from_a_missing_one(
    api_client, portal_a, supplier_b
):
    other = PurchaseOrderFactory(supplier=supplier_b)
    client = authed(api_client, portal_a)
    data = {"category": "quality", "subject": "S", "description": "D"}

    existing = client.post(reverse("api:issue-list"), {**data, "order": other.pk}, format="json")
    missing = client.post(reverse("api:issue-list"), {**data, "order": other.pk + 1000}, format="json")

    assert existing.status_code == missing.status_code == 400
    assert existing.json() == {"order": [f'Invalid pk "{other.pk}" - object does not exist.']}
    assert not SupplierIssue.objects.exists()
