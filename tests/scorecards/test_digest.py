"""The weekly manager scorecard email: what it holds, when it is due in each manager's timezone, and that it is
sent exactly once per manager and ISO week, with its PDF."""

import html as html_lib
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from communications.models import CheckIn
from core.leases import LEASE
from core.mail import message_id
from scorecards import digest, digest_outbox
from scorecards.models import DigestPreference, Kpi, KpiSnapshot, RedFlag, WeeklyDigest
from scorecards.tasks import weekly_digest_send_task, weekly_digests_due_task
from suppliers.models import Segment, Stage
from tests.factories import AuditFactory, PurchaseOrderFactory, SupplierFactory, UserFactory
from tests.orders.builders import days
from tests.scorecards.builders import received_deliveries

pytestmark = pytest.mark.django_db

# A Monday 07:00 UTC in the past, whenever the suite runs: week 47 of 2026.
MONDAY_0700_UTC = "2026-11-16T07:00:00+00:00"


def supplier_with_deliveries(name: str, *, on_time: int, late: int, **fields):
    """An approved supplier with `on_time` + `late` received deliveries in the last 90 days."""
    supplier = SupplierFactory(name=name, stage=Stage.APPROVED, **fields)
    received_deliveries(PurchaseOrderFactory(supplier=supplier), on_time=on_time, late=late, first=20)
    return supplier


@pytest.fixture
def kestrel(buyer):
    """A strategic supplier at 80 % on time (4 of 5)."""
    return supplier_with_deliveries(
        "Kestrel Textiles", on_time=4, late=1, owner=buyer, segment=Segment.STRATEGIC
    )


@pytest.fixture
def osprey(quality):
    """A routine supplier at 100 % on time, owned by someone else."""
    owner = UserFactory(role=Role.PROCUREMENT, full_name="Otto Owner")
    return supplier_with_deliveries("Osprey Metals", on_time=5, late=0, owner=owner, segment=Segment.ROUTINE)


@pytest.fixture
def berlin_manager(db):
    return UserFactory(role=Role.MANAGER, full_name="Bernd Berlin", timezone="Europe/Berlin")


def this_week(user) -> str:
    return digest.current_iso_week(user)


def html_body(message) -> str:
    ((content, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return content


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- Exactly once ---------------------------------------------------------------------------------------------


def test_due_task_triggered_twice_sends_one_email_per_manager(manager, kestrel):
    other = UserFactory(role=Role.MANAGER, full_name="Max Manager")
    assert weekly_digests_due_task.delay(now=MONDAY_0700_UTC).get() == 2
    assert weekly_digests_due_task.delay(now=MONDAY_0700_UTC).get() == 0  # both sent: nobody is due again
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, other.email])
    assert set(WeeklyDigest.objects.values_list("iso_week", "state")) == {("2026-W47", "sent")}


def test_digest_send_called_twice_sends_once(manager, kestrel):
    week = this_week(manager)
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week=week) is True
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week=week) is False
    assert weekly_digest_send_task.delay(manager.pk, week).get() is False
    assert len(mail.outbox) == 1
    row = WeeklyDigest.objects.get(manager=manager, iso_week=week)
    assert row.state == WeeklyDigest.State.SENT and row.sent_at is not None


def test_digest_left_sending_by_a_dead_worker_is_taken_again_after_the_lease_and_sent_once(manager, kestrel):
    claimed = datetime.fromisoformat(MONDAY_0700_UTC)
    row = WeeklyDigest.objects.create(
        manager=manager,
        iso_week="2026-W47",
        state=WeeklyDigest.State.SENDING,
        claimed_by="worker-1:42",
        claimed_at=claimed,
        attempts=1,
    )
    # Within the lease the row belongs to the worker that claimed it (it may still be rendering).
    assert digest_outbox.digests_due(now=claimed + timedelta(minutes=5)) == []
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-W47", now=claimed) is False
    assert mail.outbox == []

    # The next hourly run after the lease (the worker was killed) takes it again, and sends it once.
    later = (claimed + LEASE + timedelta(minutes=50)).isoformat()
    assert weekly_digests_due_task.delay(now=later).get() == 1
    assert weekly_digests_due_task.delay(now=later).get() == 0
    (message,) = mail.outbox
    row.refresh_from_db()
    assert (row.state, row.attempts) == (WeeklyDigest.State.SENT, 2)
    assert row.claimed_by and row.claimed_by != "worker-1:42"
    assert message.extra_headers["Message-ID"] == message_id("digest", row.pk)


def test_digest_left_pending_between_insert_and_claim_is_sent_by_the_next_run(manager, kestrel):
    WeeklyDigest.objects.create(manager=manager, iso_week="2026-W47")
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-W47") is True
    assert len(mail.outbox) == 1


def test_failed_send_is_marked_failed_with_the_error_and_retried_after_the_back_off(
    manager, kestrel, monkeypatch
):
    def refuse(self, messages):
        raise SMTPException("relay refused")

    first = datetime.fromisoformat(MONDAY_0700_UTC)
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(SMTPException):
        digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-W47", now=first)
    row = WeeklyDigest.objects.get(manager=manager, iso_week="2026-W47")
    assert row.state == WeeklyDigest.State.FAILED and "relay refused" in row.error and row.attempts == 1
    monkeypatch.undo()
    # Visible and waiting out its back-off: not retried at once ...
    assert digest_outbox.digests_due(now=first + timedelta(minutes=5)) == []
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-W47", now=first) is False
    assert mail.outbox == []
    # ... but by the next hourly run once the mail server is back.
    assert weekly_digests_due_task.delay(now=(first + timedelta(hours=1)).isoformat()).get() == 1
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.state, row.error, row.attempts) == (WeeklyDigest.State.SENT, "", 2)


def test_opted_out_manager_gets_no_email(manager, kestrel):
    DigestPreference.objects.create(user=manager, enabled=False)
    assert weekly_digests_due_task.delay(now=MONDAY_0700_UTC).get() == 0
    assert digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-W47") is False
    assert mail.outbox == [] and not WeeklyDigest.objects.exists()


def test_only_managers_receive_the_digest(manager, buyer, quality, admin_user):
    assert list(digest.digest_recipients()) == [manager]
    assert digest_outbox.digest_send(manager_id=buyer.pk, iso_week="2026-W47") is False


def test_malformed_week_is_refused(manager):
    with pytest.raises(ValueError):
        digest_outbox.digest_send(manager_id=manager.pk, iso_week="2026-48")
    with pytest.raises(ValueError):
        digest.week_monday("2026-W54")


# --- Each manager's Monday 07:00, across DST changes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "week"),
    [
        ("2026-10-26T06:00:00+00:00", "2026-W44"),  # 07:00 CET, the day after the October change
        ("2026-03-23T06:00:00+00:00", "2026-W13"),  # 07:00 CET, the week before the March change (29th)
        ("2026-03-30T05:00:00+00:00", "2026-W14"),  # 07:00 CEST, the day after the March change
    ],
)
def test_berlin_manager_gets_it_monday_0700_local_before_and_after_dst_changes(
    berlin_manager, kestrel, instant, week
):
    assert digest_outbox.digests_due(now=datetime.fromisoformat(instant)) == [(berlin_manager.pk, week)]
    weekly_digests_due_task.delay(now=instant)
    (message,) = mail.outbox
    assert message.to == [berlin_manager.email] and week in message.subject


@pytest.mark.parametrize(
    "instant",
    [
        "2026-10-26T05:00:00+00:00",  # 06:00 CET
        "2026-03-23T05:00:00+00:00",  # 06:00 CET
        "2026-03-30T04:00:00+00:00",  # 06:00 CEST
    ],
)
def test_berlin_manager_is_not_due_before_monday_0700_local(berlin_manager, instant):
    monday = datetime.fromisoformat(instant)
    last_week = digest.iso_week((monday - timedelta(days=3)).date())
    WeeklyDigest.objects.create(manager=berlin_manager, iso_week=last_week, state=WeeklyDigest.State.SENT)
    assert digest_outbox.digests_due(now=monday) == []


@pytest.mark.parametrize(
    ("instant", "week"),
    [
        ("2026-10-26T07:00:00+00:00", "2026-W44"),  # 08:00 CET
        ("2026-03-25T13:00:00+00:00", "2026-W13"),  # Wednesday afternoon
        ("2026-03-29T21:00:00+00:00", "2026-W13"),  # Sunday 23:00 CEST, the last hour of the week
    ],
)
def test_a_digest_missed_at_0700_is_sent_by_a_later_run_in_the_same_week_and_once(
    berlin_manager, kestrel, instant, week
):
    assert digest_outbox.digests_due(now=datetime.fromisoformat(instant)) == [(berlin_manager.pk, week)]
    assert weekly_digests_due_task.delay(now=instant).get() == 1
    assert weekly_digests_due_task.delay(now=instant).get() == 0
    (message,) = mail.outbox
    assert week in message.subject


@pytest.mark.parametrize("first_hour", ["2026-03-28T00:00:00+00:00", "2026-10-24T00:00:00+00:00"])
def test_hourly_runs_through_a_dst_weekend_send_exactly_one_email(berlin_manager, manager, first_hour):
    start = datetime.fromisoformat(first_hour)
    for user in (berlin_manager, manager):  # last week's went out last Monday
        WeeklyDigest.objects.create(
            manager=user, iso_week=digest.iso_week(start.date()), state=WeeklyDigest.State.SENT
        )
    for hour in range(72):  # Saturday to Monday night, every hour, as beat runs it
        weekly_digests_due_task.delay(now=(start + timedelta(hours=hour)).isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([berlin_manager.email, manager.email])


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        digest_outbox.digests_due(now=datetime(2026, 11, 16, 7))


# --- What it holds ----------------------------------------------------------------------------------------------


def test_pdf_is_attached_and_its_text_shows_supplier_names_and_kpis(manager, kestrel, osprey):
    week = this_week(manager)
    digest_outbox.digest_send(manager_id=manager.pk, iso_week=week)
    (message,) = mail.outbox
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"scorecard-{week}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Kestrel Textiles" in text and "Osprey Metals" in text
    assert "80.00 %" in text and "100.00 %" in text


def test_email_lists_kpis_against_target_worst_first_with_a_text_alternative(manager, kestrel, osprey):
    digest_outbox.digest_send(manager_id=manager.pk, iso_week=this_week(manager))
    (message,) = mail.outbox
    body = html_body(message)
    assert body.index("Kestrel Textiles") < body.index("Osprey Metals")  # 80 % is worse than 100 %
    assert "80.00 %" in body and "≥ 95 %" in body
    assert "Kestrel Textiles" in message.body and "80.00 %" in message.body


def test_email_html_loads_nothing_from_outside(manager, kestrel):
    digest_outbox.digest_send(manager_id=manager.pk, iso_week=this_week(manager))
    body = html_body(mail.outbox[0])
    assert not re.search(r"<(img|link|script|iframe)\b", body)
    assert not re.search(r"\bsrc=|url\(|@import", body)
    assert 'style="' in body


def test_manager_with_a_segment_filter_gets_only_those_suppliers(manager, kestrel, osprey):
    DigestPreference.objects.create(user=manager, segment=Segment.STRATEGIC)
    context = digest.digest_context(manager=manager, iso_week=this_week(manager))
    assert [card.supplier for card in context["cards"]] == [kestrel]
    digest_outbox.digest_send(manager_id=manager.pk, iso_week=this_week(manager))
    body = html_body(mail.outbox[0])
    assert "Kestrel Textiles" in body and "Osprey Metals" not in body


def test_owner_and_chosen_suppliers_narrow_the_digest(manager, kestrel, osprey, buyer):
    preference = DigestPreference.objects.create(user=manager, owner=buyer)
    week = this_week(manager)
    assert [c.supplier for c in digest.digest_context(manager=manager, iso_week=week)["cards"]] == [kestrel]
    preference.owner = None
    preference.save()
    preference.suppliers.set([osprey])
    assert [c.supplier for c in digest.digest_context(manager=manager, iso_week=week)["cards"]] == [osprey]


def test_inactive_suppliers_are_left_out(manager, kestrel):
    SupplierFactory(name="Prospect Only", stage=Stage.PROSPECT)
    cards = digest.digest_context(manager=manager, iso_week=this_week(manager))["cards"]
    assert [card.supplier for card in cards] == [kestrel]


def test_biggest_movers_compare_last_weeks_snapshot_with_the_week_before(manager, kestrel, osprey):
    week = this_week(manager)
    monday = digest.week_monday(week)

    def snapshot(supplier, kpi, weeks_ago, value, target):
        KpiSnapshot.objects.create(
            supplier=supplier,
            kpi=kpi,
            week_start=monday - timedelta(weeks=weeks_ago),
            value=Decimal(value),
            target=Decimal(target),
        )

    snapshot(kestrel, Kpi.ON_TIME_DELIVERY, 2, "96", "95")
    snapshot(kestrel, Kpi.ON_TIME_DELIVERY, 1, "84", "95")  # 12 points worse
    snapshot(osprey, Kpi.DEFECT_RATE, 2, "2.0", "1")
    snapshot(osprey, Kpi.DEFECT_RATE, 1, "0.5", "1")  # 1.5 points better, on a 1 % target: the bigger move
    movers = digest.digest_context(manager=manager, iso_week=week)["movers"]
    assert [(m.supplier, m.kpi, m.better) for m in movers] == [
        (osprey, Kpi.DEFECT_RATE, True),
        (kestrel, Kpi.ON_TIME_DELIVERY, False),
    ]
    assert movers[1].change == "-12.00 %"


def test_red_flags_new_this_week_and_still_open(manager, kestrel):
    now = timezone.now()

    def flag(period, raised_days_ago, state=RedFlag.State.OPEN):
        return RedFlag.objects.create(
            supplier=kestrel,
            rule=RedFlag.Rule.ON_TIME_DELIVERY,
            period=period,
            observed="80 %",
            recommended_action="Review schedules",
            state=state,
            raised_at=now - timedelta(days=raised_days_ago),
        )

    new = flag("new", 2)
    new_resolved = flag("new-resolved", 3, RedFlag.State.RESOLVED)
    still_open = flag("old-open", 30, RedFlag.State.ACKNOWLEDGED)
    flag("old-resolved", 30, RedFlag.State.RESOLVED)
    context = digest.digest_context(manager=manager, iso_week=this_week(manager))
    assert set(context["new_flags"]) == {new, new_resolved}
    assert context["open_flags"] == [still_open]


def test_upcoming_audits_and_checkins(manager, kestrel):
    soon = AuditFactory(supplier=kestrel, planned_on=days(5))
    AuditFactory(supplier=kestrel, planned_on=days(20))
    AuditFactory(supplier=kestrel, planned_on=days(3), status="cancelled")
    now = timezone.now()

    def checkin(in_days):
        day = (now + timedelta(days=in_days)).date()
        return CheckIn.objects.create(
            supplier=kestrel, original_date=day, date=day, scheduled_at=now + timedelta(days=in_days)
        )

    next_checkin = checkin(3)
    checkin(10)
    context = digest.digest_context(manager=manager, iso_week=this_week(manager))
    assert context["audits"] == [soon]
    assert context["checkins"] == [next_checkin]


def test_digest_context_runs_the_same_queries_for_3_and_20_suppliers(manager):
    def build(count):
        now = timezone.now()
        for n in range(count):
            supplier = supplier_with_deliveries(f"Count {count} Supplier {n:02d}", on_time=4, late=1)
            RedFlag.objects.create(
                supplier=supplier,
                rule=RedFlag.Rule.DEFECT_RATE,
                period="p",
                observed="2 %",
                recommended_action="QC",
                raised_at=now - timedelta(days=1),
            )
            AuditFactory(supplier=supplier, planned_on=days(4))
            CheckIn.objects.create(
                supplier=supplier, original_date=days(2), date=days(2), scheduled_at=now + timedelta(days=2)
            )
            for weeks_ago, value in ((1, "80"), (2, "90")):
                KpiSnapshot.objects.create(
                    supplier=supplier,
                    kpi=Kpi.ON_TIME_DELIVERY,
                    value=Decimal(value),
                    target=Decimal(95),
                    week_start=digest.week_monday(this_week(manager)) - timedelta(weeks=weeks_ago),
                )

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            context = digest.digest_context(manager=manager, iso_week=this_week(manager))
            digest.digest_render(context)
        return len(context["cards"]), len(queries)

    build(3)
    three = count_queries()
    build(17)
    twenty = count_queries()
    assert (three[0], twenty[0]) == (3, 20)
    assert twenty[1] == three[1] <= 17


def flag_for(supplier, *, days_ago: int, escalated: bool = False, rule=RedFlag.Rule.DEFECT_RATE):
    return RedFlag.objects.create(
        supplier=supplier,
        rule=rule,
        period=f"p{days_ago}-{escalated}",
        observed="2 %",
        recommended_action="QC",
        escalated=escalated,
        raised_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def many_suppliers(manager, monkeypatch):
    """Ten suppliers: Worst 0 ... 3 below target (score 0, so by name), then six on target, some with flags.

    The digest shows the worst three and those with news in detail (at most five); the rest as counts.
    """
    monkeypatch.setattr(digest, "DETAIL_WORST", 3)
    monkeypatch.setattr(digest, "DETAIL_LIMIT", 5)
    monkeypatch.setattr(digest, "FLAG_ROWS", 2)
    worst = [supplier_with_deliveries(f"Worst {n}", on_time=3, late=2 + n) for n in range(4)]
    fine = [supplier_with_deliveries(f"Fine {n}", on_time=5, late=0) for n in range(6)]
    flag_for(fine[0], days_ago=2)  # new this week
    flag_for(fine[1], days_ago=40, escalated=True)  # escalated, still open
    flag_for(fine[2], days_ago=40)  # old, neither new nor escalated
    flag_for(fine[3], days_ago=1)  # new, but the detail is full by then
    return worst, fine


def test_the_digest_details_the_worst_and_those_with_news_and_counts_the_rest(manager, many_suppliers):

    context = digest.digest_context(manager=manager, iso_week=this_week(manager))
    shown = {card.supplier.name for card in context["detail_cards"]}
    assert len(context["cards"]) == 10
    assert {"Worst 0", "Worst 1", "Worst 2"} <= shown and "Worst 3" not in shown
    assert len(shown) == 5 and {"Fine 0", "Fine 1"} & shown and "Fine 2" not in shown
    assert [row["card"].supplier.name for row in context["rows"]] == [
        card.supplier.name for card in context["detail_cards"]
    ]
    rest = context["rest"]
    assert rest["count"] == 5 and rest["on_target"] + rest["below_target"] + rest["unrated"] == 5
    assert rest["below_target"] == 1  # Worst 3
    assert context["full_table_url"].endswith("/scorecards/?export=xlsx")


def test_every_flag_is_counted_by_rule_though_only_the_detailed_suppliers_flags_are_listed(
    manager, many_suppliers
):
    context = digest.digest_context(manager=manager, iso_week=this_week(manager))
    (counts,) = context["flag_counts"]
    assert (counts["new"], counts["open"]) == (2, 2)
    assert (context["new_flag_count"], context["open_flag_count"]) == (2, 2)
    listed = context["new_flags"] + context["open_flags"]
    assert {flag.supplier.name for flag in listed} <= {card.supplier.name for card in context["detail_cards"]}
    assert context["flags_not_listed"] == 4 - len(listed)
    _subject, text, html = digest.digest_render(context)
    assert "And 5 other suppliers: 4 on target, 1 below a target, 0 unrated." in text
    assert "?export=xlsx" in html and "Every supplier's KPIs as a spreadsheet" in html


def test_the_pdf_stays_short_however_many_suppliers(manager, many_suppliers):
    data = digest.digest_pdf(digest.digest_context(manager=manager, iso_week=this_week(manager)))
    text = pdf_text(data)
    assert (
        "Worst 0" in text and "Fine 2" not in text.split("KPIs against target")[1].split("other supplier")[0]
    )
    assert "And 5 other suppliers" in text


# --- Pages ------------------------------------------------------------------------------------------------------


def test_preview_page_shows_exactly_the_email_the_manager_gets(client, manager, kestrel, osprey):
    client.force_login(manager)
    page = client.get(reverse("scorecards:digest_preview")).content.decode()
    digest_outbox.digest_send(manager_id=manager.pk, iso_week=this_week(manager))
    (message,) = mail.outbox
    srcdoc = re.search(r'srcdoc="([^"]*)"', page).group(1)
    assert html_lib.unescape(srcdoc) == html_body(message)
    assert html_lib.escape(message.subject, quote=False) in page
    assert reverse("scorecards:digest_preview_pdf") in page


def test_preview_pdf_downloads(client, manager, kestrel):
    client.force_login(manager)
    response = client.get(reverse("scorecards:digest_preview_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "Kestrel Textiles" in pdf_text(response.content)
    assert f"scorecard-{this_week(manager)}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["digest_preview", "digest_preview_pdf", "digest_preferences"])
def test_digest_pages_are_for_managers_only(client, buyer, quality, admin_user, name):
    for user in (buyer, quality, admin_user):
        client.force_login(user)
        assert client.get(reverse(f"scorecards:{name}")).status_code == 403


def test_manager_opts_out_and_chooses_suppliers(client, manager, kestrel, osprey):
    client.force_login(manager)
    assert client.get(reverse("scorecards:digest_preferences")).status_code == 200
    response = client.post(
        reverse("scorecards:digest_preferences"),
        {"enabled": "on", "segment": Segment.STRATEGIC, "suppliers": [kestrel.pk]},
    )
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=manager)
    assert preference.enabled and preference.segment == Segment.STRATEGIC
    assert list(preference.suppliers.all()) == [kestrel]
    client.post(reverse("scorecards:digest_preferences"), {"segment": ""})
    preference.refresh_from_db()
    assert preference.enabled is False
    assert list(digest.digest_recipients()) == []


def test_preferences_that_match_no_supplier_are_refused_with_a_clear_error(client, manager, kestrel, osprey):
    client.force_login(manager)
    response = client.post(
        reverse("scorecards:digest_preferences"),
        {"enabled": "on", "segment": Segment.ROUTINE, "suppliers": [kestrel.pk]},
    )
    assert response.status_code == 400
    assert "No active supplier matches these choices" in response.content.decode()
    response = client.post(reverse("scorecards:digest_preferences"), {"enabled": "on", "segment": "nonsense"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not DigestPreference.objects.exists()


# --- The operator's command -------------------------------------------------------------------------------------


def test_command_with_week_sends_and_a_second_run_sends_nothing(manager, berlin_manager, kestrel):
    out = io.StringIO()
    call_command("send_weekly_scorecards", "--week", "2026-W48", stdout=out)
    assert "2 sent, 0 skipped" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, berlin_manager.email])
    assert all("2026-W48" in m.subject for m in mail.outbox)
    out = io.StringIO()
    call_command("send_weekly_scorecards", "--week", "2026-W48", stdout=out)
    assert "0 sent, 2 skipped" in out.getvalue()
    assert len(mail.outbox) == 2


def test_command_without_week_sends_the_current_week(manager, kestrel):
    call_command("send_weekly_scorecards", stdout=io.StringIO())
    assert WeeklyDigest.objects.get(manager=manager).iso_week == this_week(manager)


def test_command_refuses_a_malformed_week(manager):
    with pytest.raises(CommandError):
        call_command("send_weekly_scorecards", "--week", "48", stdout=io.StringIO())


def test_preview_page_escapes_supplier_text_in_the_email_and_its_text_version(client, manager):
    supplier_with_deliveries("Evil <script>alert(1)</script> Ltd", on_time=5, late=0)
    client.force_login(manager)
    page = client.get(reverse("scorecards:digest_preview")).content.decode()
    assert "<script>alert(1)" not in page
    assert "Evil &amp;lt;script&amp;gt;" in page  # escaped in the email, and the email escaped into srcdoc


def test_finding_who_is_due_takes_two_queries_however_many_managers(django_assert_num_queries):
    for n in range(12):
        UserFactory(role=Role.MANAGER, full_name=f"Manager {n}", timezone="Asia/Shanghai" if n % 2 else "UTC")
    with django_assert_num_queries(2):
        due = digest_outbox.digests_due(now=datetime.fromisoformat(MONDAY_0700_UTC))
    assert len(due) == 12
