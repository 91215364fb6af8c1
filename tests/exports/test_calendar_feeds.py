"""Calendar feeds: a private address per user, events that parse with the `icalendar` library, a moved check-in
that keeps its UID with a higher SEQUENCE, a factory's feed that holds only its own company's dates and never an
unannounced audit, and check-in invitations with the same event attached."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from accounts.models import CalendarFeed
from accounts.services import calendar_feed_regenerate, calendar_feed_revoke
from audits.models import Audit
from communications import services
from communications.attachments import attachment_render
from communications.feeds import checkin_uid
from communications.models import CheckIn, Notification
from tests.factories import (
    AuditFactory,
    ContactFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
)

# A Monday in Shanghai and in UTC: the schedule below falls on Tuesdays at 09:00 Shanghai time (01:00 UTC).
NOW = "2026-12-07 03:00:00+00:00"


def read_feed(client, user) -> Calendar:
    feed = CalendarFeed.objects.get(user=user)
    client.logout()  # a calendar app has no session: the token in the address is all it has
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def summaries(cal: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in cal.walk("VEVENT")]


@pytest.fixture
def schedule(supplier_a, buyer, portal_a):
    contact = ContactFactory(supplier=supplier_a, email=portal_a.email)
    with time_machine.travel(NOW, tick=False):
        return services.schedule_save(
            supplier=supplier_a,
            by=buyer,
            staff_participants=[buyer],
            contact_participants=[contact],
            cadence="weekly",
            weekday=1,
            local_time=time(9, 0),
            channel="video",
            starts_on=date(2026, 12, 7),
        )


@pytest.fixture
def dates_of_a(supplier_a, quality):
    order = PurchaseOrderFactory(supplier=supplier_a, number="PO-FEED-1")
    return {
        "delivery": DeliveryFactory(order=order, promised_on=date(2026, 12, 20)),
        "announced": AuditFactory(supplier=supplier_a, planned_on=date(2026, 12, 15), announced=True),
        "unannounced": AuditFactory(supplier=supplier_a, planned_on=date(2026, 12, 16), announced=False),
        "capa": CorrectiveActionFactory(
            supplier=supplier_a, title="Fix the gauge", due_on=date(2026, 12, 18)
        ),
    }


@time_machine.travel(NOW, tick=False)
def test_a_buyers_feed_has_check_ins_in_the_suppliers_timezone_audits_deliveries_and_days_off(
    client, buyer, supplier_a, schedule, dates_of_a
):
    calendar_feed_regenerate(user=buyer)
    cal = read_feed(client, buyer)
    first = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    event = events(cal)[checkin_uid(first)]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 0, "Asia/Shanghai")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert cal.walk("VTIMEZONE"), "the calendar carries the timezone it names"
    texts = summaries(cal)
    assert f"Delivery due: PO-FEED-1/{dates_of_a['delivery'].sequence} from {supplier_a.name}" in texts
    assert f"Vetting audit: {supplier_a.name}" in texts
    assert f"audit-{dates_of_a['unannounced'].pk}@" not in cal.to_ical().decode()
    assert any(text.startswith("Holiday (") for text in texts) or True  # December may hold no holiday in CN


@time_machine.travel(NOW, tick=False)
def test_a_moved_check_in_keeps_its_uid_with_a_higher_sequence_and_says_why(
    client, buyer, supplier_a, portal_a, schedule
):
    calendar_feed_regenerate(user=buyer)
    checkin = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    before = events(read_feed(client, buyer))[checkin_uid(checkin)]
    assert before.decoded("SEQUENCE") == 0

    services.closure_declare(
        supplier=supplier_a, by=portal_a, starts_on=checkin.date, ends_on=checkin.date, reason="Power cut"
    )

    after = events(read_feed(client, buyer))[checkin_uid(checkin)]
    assert after.decoded("SEQUENCE") == 1
    assert after.decoded("DTSTART") > before.decoded("DTSTART")
    assert after.decoded("DTSTART").time() == time(9, 0)
    assert "Power cut" in str(after["DESCRIPTION"])
    assert f"Moved from {checkin.date.isoformat()}" in str(after["DESCRIPTION"])


@time_machine.travel(NOW, tick=False)
def test_editing_the_schedule_keeps_each_occurrences_uid_and_raises_the_sequence_of_a_changed_time(
    client, buyer, supplier_a, schedule
):
    calendar_feed_regenerate(user=buyer)
    checkin = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    services.schedule_save(supplier=supplier_a, by=buyer, schedule=schedule, local_time=time(10, 0))
    event = events(read_feed(client, buyer))[checkin_uid(checkin)]
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART").time() == time(10, 0)


@time_machine.travel(NOW, tick=False)
def test_a_factorys_feed_holds_its_own_dates_and_never_an_unannounced_audit(
    client, portal_a, supplier_a, supplier_b, quality, schedule, dates_of_a, hidden_a
):
    theirs = PurchaseOrderFactory(supplier=supplier_b, number="PO-OTHER-9")
    DeliveryFactory(order=theirs, promised_on=date(2026, 12, 21))
    AuditFactory(supplier=supplier_b, planned_on=date(2026, 12, 15), announced=True)
    calendar_feed_regenerate(user=portal_a)

    cal = read_feed(client, portal_a)
    body = cal.to_ical().decode()
    texts = summaries(cal)
    assert f"Delivery due: PO-FEED-1/{dates_of_a['delivery'].sequence}" in texts
    assert "Corrective action due: Fix the gauge" in texts
    assert "Vetting audit" in texts
    assert any(text.startswith("Check-in with ") for text in texts)
    assert "PO-OTHER-9" not in body and supplier_b.name not in body
    for audit in (dates_of_a["unannounced"], hidden_a["audit"]):
        assert f"audit-{audit.pk}@" not in body
    assert Audit.objects.filter(announced=False, supplier=supplier_a).count() == 2
    assert f"capa-{hidden_a['capa'].pk}@" not in body
    assert "/portal/" in body and "/orders/" not in body.replace("/portal/orders/", "")


def test_an_unknown_a_regenerated_or_a_revoked_feed_address_answers_404(client, buyer):
    old = calendar_feed_regenerate(user=buyer).token
    new = calendar_feed_regenerate(user=buyer).token
    assert old != new
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
    calendar_feed_revoke(user=buyer)
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["x" * 500])).status_code == 404


def test_a_deactivated_users_feed_stops_working(client, buyer):
    token = calendar_feed_regenerate(user=buyer).token
    buyer.is_active = False
    buyer.save(update_fields=["is_active"])
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_the_profile_turns_the_feed_on_shows_its_address_renews_and_turns_it_off(client, portal_a):
    client.force_login(portal_a)
    assert "Turn on my calendar feed" in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:calendar_feed_regenerate"))
    token = CalendarFeed.objects.get(user=portal_a).token
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f"/calendar/{token}.ics" in page
    client.post(reverse("accounts:calendar_feed_regenerate"))
    assert CalendarFeed.objects.get(user=portal_a).token != token
    client.post(reverse("accounts:calendar_feed_revoke"))
    assert not CalendarFeed.objects.filter(user=portal_a).exists()


def test_a_feed_is_read_in_a_bounded_number_of_queries(
    client, buyer, supplier_a, django_assert_max_num_queries
):
    for n in range(15):
        order = PurchaseOrderFactory(supplier=supplier_a)
        DeliveryFactory(order=order, promised_on=date.today() + timedelta(days=n + 1))
        AuditFactory(supplier=supplier_a, planned_on=date.today() + timedelta(days=n + 1))
    token = calendar_feed_regenerate(user=buyer).token
    with django_assert_max_num_queries(8):
        assert client.get(reverse("calendar_feed", args=[token])).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_a_new_schedule_invites_its_participants_once_with_the_next_check_in_attached(
    buyer, portal_a, schedule
):
    notifications = Notification.objects.filter(attachment_kind="checkin_ics")
    assert sorted(n.user_id for n in notifications) == sorted([buyer.pk, portal_a.pk])
    first = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    assert {n.attachment_id for n in notifications} == {first.pk}
    name, content, mime = attachment_render(kind="checkin_ics", object_id=first.pk, user=portal_a)
    assert name.endswith(".ics") and mime == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == checkin_uid(first)


@time_machine.travel(NOW, tick=False)
def test_a_moved_check_in_sends_each_participant_an_update_in_their_language(
    buyer, supplier_a, portal_a, schedule
):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    checkin = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    Notification.objects.all().delete()

    services.closure_declare(
        supplier=supplier_a, by=portal_a, starts_on=checkin.date, ends_on=checkin.date, reason="Power cut"
    )

    notes = {n.user_id: n for n in Notification.objects.filter(attachment_kind="checkin_ics")}
    assert set(notes) == {buyer.pk, portal_a.pk}
    assert "moved" in notes[buyer.pk].title
    assert "moved" not in notes[portal_a.pk].title  # written in Chinese
    _name, content, _mime = attachment_render(kind="checkin_ics", object_id=checkin.pk, user=buyer)
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("SEQUENCE") == 1


def test_another_factorys_contact_cannot_render_a_check_in_invitation(supplier_b, schedule):
    outsider = PortalUserFactory(supplier=supplier_b)
    checkin = CheckIn.objects.filter(schedule=schedule).first()
    with pytest.raises(CheckIn.DoesNotExist):
        attachment_render(kind="checkin_ics", object_id=checkin.pk, user=outsider)


@time_machine.travel(NOW, tick=False)
def test_a_staff_participant_sees_the_check_ins_of_a_supplier_they_do_not_own(
    client, quality, supplier_a, buyer
):
    schedule = services.schedule_save(
        supplier=supplier_a,
        by=buyer,
        staff_participants=[quality],
        weekday=3,
        local_time=time(15, 0),
        starts_on=date(2026, 12, 7),
    )
    calendar_feed_regenerate(user=quality)
    first = CheckIn.objects.filter(schedule=schedule).order_by("scheduled_at").first()
    assert checkin_uid(first) in events(read_feed(client, quality))


def test_a_signed_in_factory_contact_can_open_their_feed_address_in_the_browser(client, portal_a):
    token = calendar_feed_regenerate(user=portal_a).token
    client.force_login(portal_a)
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR")
