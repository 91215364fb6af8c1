"""Contests of scorecard rows: the factory contests a late delivery, a defective count or a slow answer on its own
rows; a manager accepts (the row is excused, or the count corrected) or rejects; the KPIs, the stored KPI rows, the
red flags and the bench's raw SQL all leave an excused row out and count a corrected inspection at its new figure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from audits.models import QCInspection
from communications.models import Notification
from core.clock import business_today
from scorecards import alerts, kpis, periods, selectors, services
from scorecards.contests import services as contest_services
from scorecards.contests.models import RowContest
from scorecards.models import CurrentKpi, Kpi, RedFlag
from suppliers.models import Stage
from tests.factories import PortalUserFactory
from tests.scorecards.contest_builders import (
    contest,
    defective_inspection,
    late_delivery,
    on_time_delivery,
    slow_issue,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("UTC"))  # a Wednesday, mid-quarter
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def figures(supplier):
    today = business_today()
    window = periods.rolling(today)
    return {
        kpi: values.get(supplier.pk, kpis.EMPTY_VALUES[kpi])
        for kpi, values in kpis.all_kpis(start=window.start, end=today, today=today).items()
    }


# --- Opening a contest ----------------------------------------------------------------------------------------


def test_the_factory_contests_its_late_delivery_with_a_reason_and_evidence(portal_a, supplier_a):
    late = late_delivery(supplier_a)
    opened = contest_services.row_contest_open(
        by=portal_a,
        kind="delivery",
        row_id=late.pk,
        reason="  The port was closed.  ",
        evidence=ContentFile(PDF, name="port-notice.pdf"),
    )
    assert opened.status == RowContest.Status.OPEN and opened.delivery == late
    assert opened.supplier == supplier_a and opened.reason == "The port was closed."
    assert opened.evidence.name.startswith("contests/") and opened.evidence.name.endswith(".pdf")


def test_a_contest_on_another_suppliers_row_is_a_404_and_creates_nothing(portal_b, supplier_a):
    late = late_delivery(supplier_a)
    with pytest.raises(Http404):
        contest(portal_b, late, "delivery")
    assert not RowContest.objects.exists()


@pytest.mark.parametrize("kind", ["delivery", "inspection", "issue", "invoice"])
def test_a_contest_on_a_missing_row_or_an_unknown_kind_is_a_404(portal_a, kind):
    with pytest.raises(Http404):
        contest_services.row_contest_open(by=portal_a, kind=kind, row_id=999_999, reason="Why not")


def test_a_second_open_contest_on_the_same_row_is_refused(portal_a, supplier_a):
    late = late_delivery(supplier_a)
    contest(portal_a, late, "delivery")
    colleague = PortalUserFactory(supplier=supplier_a)
    with pytest.raises(ValidationError, match="already contested"):
        contest(colleague, late, "delivery")
    assert RowContest.objects.count() == 1


def test_a_rejected_contest_may_be_followed_by_a_new_one(portal_a, supplier_a, manager):
    late = late_delivery(supplier_a)
    contest_services.row_contest_reject(
        contest=contest(portal_a, late, "delivery"), by=manager, note="No proof."
    )
    assert contest(portal_a, late, "delivery", reason="Here is the port notice.").is_open


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_contest_without_a_reason_or_with_too_long_a_one_is_refused(portal_a, supplier_a, reason):
    late = late_delivery(supplier_a)
    with pytest.raises(ValidationError) as refused:
        contest(portal_a, late, "delivery", reason=reason)
    assert "reason" in refused.value.message_dict
    assert not RowContest.objects.exists()


def test_evidence_that_is_not_an_accepted_file_is_refused(portal_a, supplier_a):
    late = late_delivery(supplier_a)
    with pytest.raises(ValidationError):
        contest_services.row_contest_open(
            by=portal_a,
            kind="delivery",
            row_id=late.pk,
            reason="See",
            evidence=ContentFile(b"<html><script>1</script></html>", name="x.pdf"),
        )
    assert not RowContest.objects.exists()


def test_rows_that_count_nothing_against_the_factory_cannot_be_contested(portal_a, supplier_a):
    with pytest.raises(ValidationError, match="not late"):
        contest(portal_a, on_time_delivery(supplier_a), "delivery")
    with pytest.raises(ValidationError, match="no defective"):
        contest(portal_a, defective_inspection(supplier_a, defective=0), "inspection")
    assert not RowContest.objects.exists()


def test_staff_do_not_open_contests(buyer, supplier_a):
    with pytest.raises(PermissionDenied):
        contest(buyer, late_delivery(supplier_a), "delivery")


# --- Deciding ---------------------------------------------------------------------------------------------------


def test_an_accepted_contest_excuses_the_late_delivery_from_on_time_delivery(portal_a, supplier_a, manager):
    late = late_delivery(supplier_a)
    on_time_delivery(supplier_a)
    assert (
        figures(supplier_a)[Kpi.ON_TIME_DELIVERY].numerator,
        figures(supplier_a)[Kpi.ON_TIME_DELIVERY].denominator,
    ) == (1, 2)
    decided = contest_services.row_contest_accept(
        contest=contest(portal_a, late, "delivery"), by=manager, note="The port notice shows it."
    )
    assert decided.status == RowContest.Status.ACCEPTED and decided.decided_by == manager
    late.refresh_from_db()
    assert late.excused_by == manager and late.excuse_reason == "The port notice shows it."
    value = figures(supplier_a)[Kpi.ON_TIME_DELIVERY]
    assert (value.numerator, value.denominator) == (1, 1)


def test_an_accepted_contest_excuses_the_inspection_from_the_defect_rate(portal_a, supplier_a, manager):
    contested = defective_inspection(supplier_a, sample=100, defective=4)
    defective_inspection(supplier_a, sample=50, defective=1, days_ago=7)
    assert figures(supplier_a)[Kpi.DEFECT_RATE].numerator == 5
    contest_services.row_contest_accept(
        contest=contest(portal_a, contested, "inspection"), by=manager, note="Damaged in our warehouse."
    )
    value = figures(supplier_a)[Kpi.DEFECT_RATE]
    assert (value.numerator, value.denominator, value.sample) == (1, 50, 1)
    contested.refresh_from_db()
    assert contested.excused_by == manager and contested.excuse_reason == "Damaged in our warehouse."


def test_a_corrected_inspection_counts_its_corrected_defective_figure(portal_a, supplier_a, manager):
    contested = defective_inspection(supplier_a, sample=100, defective=4)
    decided = contest_services.row_contest_accept(
        contest=contest(portal_a, contested, "inspection"),
        by=manager,
        note="Three were counted twice.",
        outcome=RowContest.Outcome.CORRECTED,
        corrected_defective_units=1,
    )
    assert decided.outcome == RowContest.Outcome.CORRECTED and decided.corrected_defective_units == 1
    contested.refresh_from_db()
    assert contested.defective_units == 4  # as QC found it
    assert (contested.corrected_defective_units, contested.corrected_by) == (1, manager)
    value = figures(supplier_a)[Kpi.DEFECT_RATE]
    assert (value.numerator, value.denominator) == (1, 100)
    today = business_today()
    (row,) = selectors.rows_behind(
        supplier=supplier_a, kpi=Kpi.DEFECT_RATE, period=periods.rolling(today), today=today
    )
    assert row.detail == "1/100"


@pytest.mark.parametrize("corrected", [None, 4, 9, -1])
def test_a_correction_must_lower_the_count(portal_a, supplier_a, manager, corrected):
    contested = defective_inspection(supplier_a, sample=100, defective=4)
    opened = contest(portal_a, contested, "inspection")
    with pytest.raises(ValidationError):
        contest_services.row_contest_accept(
            contest=opened,
            by=manager,
            note="Fewer.",
            outcome="corrected",
            corrected_defective_units=corrected,
        )
    opened.refresh_from_db()
    contested.refresh_from_db()
    assert opened.is_open and contested.corrected_defective_units is None


def test_only_an_inspection_can_be_corrected(portal_a, supplier_a, manager):
    opened = contest(portal_a, late_delivery(supplier_a), "delivery")
    with pytest.raises(ValidationError):
        contest_services.row_contest_accept(
            contest=opened, by=manager, note="x", outcome="corrected", corrected_defective_units=0
        )


def test_an_accepted_contest_excuses_the_issue_from_the_response_time(portal_a, supplier_a, manager):
    slow = slow_issue(supplier_a, answered_after=40)
    for hours in (1, 2, 3):
        slow_issue(supplier_a, hours_ago=90 + hours, answered_after=hours)
    before = figures(supplier_a)[Kpi.RESPONSE_TIME]
    assert (before.numerator, before.denominator) == (3, 4)
    contest_services.row_contest_accept(
        contest=contest(portal_a, slow, "issue"), by=manager, note="We answered by phone at once."
    )
    after = figures(supplier_a)[Kpi.RESPONSE_TIME]
    assert (after.numerator, after.denominator, after.value) == (3, 3, 2)
    today = business_today()
    excused = selectors.excused_behind(
        supplier=supplier_a, period=periods.rolling(today), today=today, kpi=Kpi.RESPONSE_TIME
    )
    assert excused == [slow]


def test_a_rejected_contest_keeps_the_row_counting_and_says_why(portal_a, supplier_a, manager):
    late = late_delivery(supplier_a)
    decided = contest_services.row_contest_reject(
        contest=contest(portal_a, late, "delivery"), by=manager, note="The port was open that week."
    )
    assert (
        decided.status == RowContest.Status.REJECTED
        and decided.decision_note == "The port was open that week."
    )
    late.refresh_from_db()
    assert late.excused_at is None
    assert figures(supplier_a)[Kpi.ON_TIME_DELIVERY].denominator == 1


def test_a_decision_needs_a_manager_and_a_reason_and_is_taken_once(portal_a, supplier_a, manager, buyer):
    opened = contest(portal_a, late_delivery(supplier_a), "delivery")
    with pytest.raises(PermissionDenied):
        contest_services.row_contest_accept(contest=opened, by=buyer, note="Fine.")
    with pytest.raises(ValidationError):
        contest_services.row_contest_reject(contest=opened, by=manager, note="  ")
    contest_services.row_contest_reject(contest=opened, by=manager, note="No.")
    with pytest.raises(ValidationError, match="already decided"):
        contest_services.row_contest_accept(contest=opened, by=manager, note="Yes after all.")


# --- What follows a decision: stored rows, red flags, the bench -------------------------------------------------


@pytest.fixture
def approved(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    return supplier_a


def test_the_stored_kpi_rows_are_refreshed_after_a_decision(
    portal_a, approved, manager, django_capture_on_commit_callbacks
):
    contested = defective_inspection(approved, sample=100, defective=4)
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    stored = CurrentKpi.objects.get(supplier=approved, period="90d")
    assert stored.kpi_values()[Kpi.DEFECT_RATE].numerator == 4
    opened = contest(portal_a, contested, "inspection")
    with django_capture_on_commit_callbacks(execute=True):
        contest_services.row_contest_accept(contest=opened, by=manager, note="Transport damage.")
    stored.refresh_from_db()
    assert stored.kpi_values()[Kpi.DEFECT_RATE] == kpis.EMPTY_INSPECTIONS


def test_defect_rate_red_flags_follow_the_excused_inspection(portal_a, approved, manager):
    contested = defective_inspection(approved, sample=100, defective=10)
    today, now = business_today(), timezone.now()
    alerts.flags_evaluate(today=today, now=now, supplier_ids=[approved.pk])
    raised = RedFlag.objects.get(supplier=approved, rule=RedFlag.Rule.DEFECT_RATE)
    raised.delete()
    contest_services.row_contest_accept(
        contest=contest(portal_a, contested, "inspection"), by=manager, note="Ok."
    )
    alerts.flags_evaluate(today=today, now=now, supplier_ids=[approved.pk])
    assert not RedFlag.objects.filter(supplier=approved, rule=RedFlag.Rule.DEFECT_RATE).exists()


def test_a_corrected_inspection_below_the_target_raises_no_defect_flag(portal_a, approved, manager):
    contested = defective_inspection(approved, sample=100, defective=10)
    contest_services.row_contest_accept(
        contest=contest(portal_a, contested, "inspection"),
        by=manager,
        note="Nine were cosmetic, within the agreed standard.",
        outcome="corrected",
        corrected_defective_units=0,
    )
    alerts.flags_evaluate(today=business_today(), now=timezone.now(), supplier_ids=[approved.pk])
    assert not RedFlag.objects.filter(supplier=approved, rule=RedFlag.Rule.DEFECT_RATE).exists()


def test_the_bench_raw_sql_matches_the_kpis_with_excused_and_corrected_rows(
    portal_a, approved, manager, buyer
):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's raw SQL is PostgreSQL's")
    from bench import rawsql
    from bench.engine_cases import current_kpi_mismatches

    late = late_delivery(approved)
    for n in range(5):
        on_time_delivery(approved, days_ago=20 + n)
    excused = defective_inspection(approved, sample=100, defective=7)
    corrected = defective_inspection(approved, sample=80, defective=5, days_ago=8)
    defective_inspection(approved, sample=50, defective=1, days_ago=9)
    slow = slow_issue(approved, answered_after=40)
    for hours in (1, 2, 3):
        slow_issue(approved, hours_ago=90 + hours, answered_after=hours)
    accept = contest_services.row_contest_accept
    accept(contest=contest(portal_a, late, "delivery"), by=manager, note="Typhoon.")
    accept(contest=contest(portal_a, excused, "inspection"), by=manager, note="Transport.")
    accept(
        contest=contest(portal_a, corrected, "inspection"),
        by=manager,
        note="Recount.",
        outcome="corrected",
        corrected_defective_units=2,
    )
    accept(contest=contest(portal_a, slow, "issue"), by=manager, note="Phone.")
    today, now = business_today(), timezone.now()
    window = periods.rolling(today)
    app = kpis.all_kpis(start=window.start, end=today, today=today, now=now, supplier_ids=[approved.pk])
    with connection.cursor() as cursor:
        raw = rawsql.kpis_group_by(
            cursor, start=window.start, end=today, today=today, now=now, target_hours=24
        )
    for kpi in ("on_time_delivery", "defect_rate", "response_time"):
        value = app[kpi][approved.pk]
        assert raw[kpi][approved.pk][:3] == (value.numerator, value.denominator, value.sample), kpi
    assert app["defect_rate"][approved.pk].numerator == 2 + 1
    services.current_kpis_refresh(today=today, now=now)
    assert current_kpi_mismatches(today=today, now=now) == []


# --- Notifications ----------------------------------------------------------------------------------------------


def test_the_manager_is_told_of_a_contest_and_the_factory_of_the_decision_in_its_language(
    supplier_a, manager, django_capture_on_commit_callbacks
):
    factory = PortalUserFactory(supplier=supplier_a, language="vi")
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    late = late_delivery(supplier_a)
    with django_capture_on_commit_callbacks(execute=True):
        opened = contest(factory, late, "delivery")
    told = Notification.objects.get(user=manager, message_key="row_contest_opened")
    assert told.url == opened.get_absolute_url()
    with translation.override("zh-hans"):
        assert told.shown_title != "Alpha Factory contests a scorecard row: " + opened.row_label
    with django_capture_on_commit_callbacks(execute=True):
        contest_services.row_contest_accept(contest=opened, by=manager, note="Typhoon.")
    decided = Notification.objects.get(user=factory, message_key="row_contest_accepted")
    assert decided.url == f"/portal/contests/{opened.pk}/"
    with translation.override("vi"):
        shown = decided.shown_title
    with translation.override("en"):
        assert shown != decided.shown_title
    assert any(message.to == [factory.email] for message in mail.outbox)


def test_another_factory_is_never_told_of_the_decision(
    portal_a, portal_b, supplier_a, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opened = contest(portal_a, late_delivery(supplier_a), "delivery")
        contest_services.row_contest_reject(contest=opened, by=manager, note="No.")
    assert Notification.objects.filter(user=portal_a, message_key="row_contest_rejected").exists()
    assert not Notification.objects.filter(user=portal_b).exists()


def test_an_excused_inspection_stays_on_the_qc_record_with_its_counts(portal_a, supplier_a, manager):
    contested = defective_inspection(supplier_a, defective=4)
    contest_services.row_contest_accept(
        contest=contest(portal_a, contested, "inspection"), by=manager, note="x"
    )
    assert QCInspection.objects.get(pk=contested.pk).defective_units == 4
