"""One response target (issue 11.5): the unanswered-issue red flag, the KPI's share answered within target, the
rows behind that share and issue escalation all hold a supplier to its own target, not the global default."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from communications.models import IssueEscalation, Side, SupplierIssue
from communications.response_targets import response_target_for, response_targets_for
from communications.services import issues_escalate
from scorecards import alerts, kpis, periods, selectors, services
from scorecards.models import Kpi, RedFlag
from scorecards.targets import response_targets_sql
from suppliers.models import ProductCategory, Stage
from tests.factories import PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def strict(supplier_a, admin_user, settings):
    """Supplier A answers within 8 hours by its own target; the default stays 24."""
    settings.FORGELINE_RESPONSE_TARGET_HOURS = 24
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("8"), supplier=supplier_a)
    return supplier_a


@pytest.fixture
def relaxed(supplier_b):
    """Supplier B has no target of its own: the default 24 hours."""
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    return supplier_b


def issue(
    supplier, *, hours_ago: float, answered_after: float | None = None, side=Side.BUYER
) -> SupplierIssue:
    raised_at = NOW - timedelta(hours=hours_ago)
    return SupplierIssue.objects.create(
        supplier=supplier,
        raised_by_side=side,
        category=SupplierIssue.Category.DELIVERY,
        subject=f"Lot raised {hours_ago} h ago",
        description="Where is it?",
        raised_by=supplier.owner if side == Side.BUYER else PortalUserFactory(supplier=supplier),
        owner=supplier.owner,
        raised_at=raised_at,
        first_response_at=None if answered_after is None else raised_at + timedelta(hours=answered_after),
        status=SupplierIssue.Status.OPEN if answered_after is None else SupplierIssue.Status.ANSWERED,
    )


def both_kinds_of_issue(supplier):
    """Answered after 12 h (late for 8, fine for 24); unanswered for 10 h (a breach of 8, not of 24);
    answered after 2 h (fine for both)."""
    return (
        issue(supplier, hours_ago=60, answered_after=12),
        issue(supplier, hours_ago=10),
        issue(supplier, hours_ago=50, answered_after=2),
    )


def rolling():
    return periods.rolling(TODAY)


def test_the_response_target_is_the_suppliers_own_else_the_default(strict, relaxed):
    assert response_target_for(strict) == timedelta(hours=8)
    assert response_target_for(relaxed) == timedelta(hours=24)
    assert response_targets_for([strict.pk, relaxed.pk]) == {
        strict.pk: timedelta(hours=8),
        relaxed.pk: timedelta(hours=24),
    }


def test_the_flag_the_kpi_share_its_rows_and_escalation_agree_on_a_suppliers_own_target(strict, relaxed):
    late_answer, waiting, quick = both_kinds_of_issue(strict)
    both_kinds_of_issue(relaxed)
    period = rolling()

    # The KPI share: against 8 h, the 12 h answer is late and the 10 h wait already counts (a breach).
    share = kpis.all_kpis(start=period.start, end=period.end, today=TODAY, now=NOW)["response_time"]
    assert (share[strict.pk].numerator, share[strict.pk].denominator) == (1, 3)
    # Against the default 24 h, both answers are within; the 10 h wait is not counted yet.
    assert (share[relaxed.pk].numerator, share[relaxed.pk].denominator) == (2, 2)

    # The rows behind the share are exactly those issues, judged the same way.
    for supplier in (strict, relaxed):
        rows = selectors.rows_behind(
            supplier=supplier, kpi=Kpi.RESPONSE_TIME, period=period, today=TODAY, now=NOW
        )
        assert len(rows) == share[supplier.pk].denominator
        assert sum(row.good for row in rows) == share[supplier.pk].numerator
    strict_rows = selectors.rows_behind(
        supplier=strict, kpi=Kpi.RESPONSE_TIME, period=period, today=TODAY, now=NOW
    )
    assert {row.obj.pk: row.good for row in strict_rows} == {
        late_answer.pk: False,
        waiting.pk: False,
        quick.pk: True,
    }

    # The red flag: the 10 h wait breaches 8 h, not 24 h.
    raised = alerts.flags_evaluate(today=TODAY, now=NOW)
    unanswered = [flag for flag in raised if flag.rule == RedFlag.Rule.UNANSWERED_ISSUE]
    assert [(flag.supplier_id, flag.issue_id, flag.target) for flag in unanswered] == [
        (strict.pk, waiting.pk, "≤ 8 h")
    ]

    # Escalation: the owner hears of the 10 h wait (past 8 h), the managers at 16 h; nothing for the default's.
    assert issues_escalate(now=NOW) == 1
    assert list(IssueEscalation.objects.values_list("issue_id", "level")) == [(waiting.pk, 1)]
    with time_machine.travel(NOW + timedelta(hours=6), tick=False):
        assert issues_escalate(now=NOW + timedelta(hours=6)) == 1  # 16 h: twice the supplier's own 8 h
    assert sorted(IssueEscalation.objects.values_list("issue_id", "level")) == [
        (waiting.pk, 1),
        (waiting.pk, 2),
    ]


def test_a_relaxed_own_target_holds_back_flag_share_and_escalation(strict, relaxed, admin_user):
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("48"), supplier=relaxed)
    waiting = issue(relaxed, hours_ago=30)  # a breach of the default 24 h, not of its own 48 h
    answered = issue(relaxed, hours_ago=70, answered_after=30)  # within 48 h
    period = rolling()

    share = kpis.all_kpis(start=period.start, end=period.end, today=TODAY, now=NOW)["response_time"][
        relaxed.pk
    ]
    assert (share.numerator, share.denominator) == (1, 1)
    rows = selectors.rows_behind(supplier=relaxed, kpi=Kpi.RESPONSE_TIME, period=period, today=TODAY, now=NOW)
    assert [(row.obj.pk, row.good) for row in rows] == [(answered.pk, True)]  # the 30 h wait: not yet counted
    assert waiting.pk not in {row.obj.pk for row in rows}
    assert not [
        f for f in alerts.flags_evaluate(today=TODAY, now=NOW) if f.rule == RedFlag.Rule.UNANSWERED_ISSUE
    ]
    assert issues_escalate(now=NOW) == 0


def test_the_buyers_own_response_is_held_to_the_buyer_response_target(strict, admin_user):
    services.target_set(by=admin_user, kpi=Kpi.BUYER_RESPONSE_TIME, value=Decimal("4"), supplier=strict)
    theirs = issue(strict, hours_ago=6, side=Side.SUPPLIER)  # we have not answered for 6 h: past our 4 h
    period = rolling()

    ours = kpis.all_kpis(start=period.start, end=period.end, today=TODAY, now=NOW)["buyer_response_time"][
        strict.pk
    ]
    assert (ours.numerator, ours.denominator) == (0, 1)
    rows = selectors.rows_behind(
        supplier=strict, kpi=Kpi.BUYER_RESPONSE_TIME, period=period, today=TODAY, now=NOW
    )
    assert [(row.obj.pk, row.good) for row in rows] == [(theirs.pk, False)]
    assert response_target_for(strict, responding_side=Side.BUYER) == timedelta(hours=4)
    assert issues_escalate(now=NOW) == 1


def test_the_sql_target_resolves_as_targets_for_does_with_categories_and_a_default_row(
    strict, relaxed, buyer, admin_user
):
    supplier_c = SupplierFactory(name="Gamma Mills", owner=buyer, stage=Stage.APPROVED)
    apparel = ProductCategory.objects.create(name="Apparel")
    relaxed.categories.add(apparel)
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("12"), category=apparel)
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("36"))  # the default row
    assert response_targets_sql()[Side.SUPPLIER] is not None  # one query for all suppliers' targets
    for supplier, hours in ((strict, 8), (relaxed, 12), (supplier_c, 36)):
        issue(supplier, hours_ago=100, answered_after=hours)  # exactly at the target: within it
        issue(supplier, hours_ago=100, answered_after=hours + 0.5)  # half an hour over: late
        assert response_target_for(supplier) == timedelta(hours=hours)
    period = rolling()
    share = kpis.all_kpis(start=period.start, end=period.end, today=TODAY, now=NOW)["response_time"]
    for supplier in (strict, relaxed, supplier_c):
        assert (share[supplier.pk].numerator, share[supplier.pk].denominator) == (1, 2)


def test_the_issue_pages_mark_a_breach_against_the_suppliers_own_target(client, strict, relaxed, manager):
    late_for_strict = issue(strict, hours_ago=10)
    fine_for_relaxed = issue(relaxed, hours_ago=10)
    client.force_login(manager)

    listed = client.get(reverse("communications:issue_list"))
    assert listed.status_code == 200
    marks = {i.pk: (i.breach, i.target_hours) for i in listed.context["page"]}
    assert marks == {late_for_strict.pk: (True, 8), fine_for_relaxed.pk: (False, 24)}
    assert "&gt; 8 h" in listed.content.decode()

    detail = client.get(reverse("communications:issue_detail", args=[late_for_strict.pk]))
    assert detail.context["target_hours"] == 8
    assert "alert-danger" in detail.content.decode()  # 10 h without a reply, past its 8 h
    detail = client.get(reverse("communications:issue_detail", args=[fine_for_relaxed.pk]))
    assert detail.context["target_hours"] == 24
