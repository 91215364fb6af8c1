"""The playbook review pass (the nightly task) computes every due action's recovery in SQL at once: its queries do
not grow with the number of actions, and its outcomes are those of kpis.py's formulas over each action's own
window (all_kpis and price_variance, window by window, as the pass did before)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scorecards import kpis, targets
from scorecards.models import RedFlag
from scorecards.playbooks.models import REVIEW_WEEKS, PlaybookAction
from scorecards.playbooks.services import (
    PRICE,
    _measure,
    flag_kpi,
    playbook_kinds,
    playbook_reviews_evaluate,
)
from tests.factories import SupplierFactory
from tests.payments.factories import InvoiceLineFactory
from tests.scorecards.builders import delivery, inspection, invoice, issue

pytestmark = pytest.mark.django_db

Rule, Outcome = RedFlag.Rule, PlaybookAction.Outcome
TODAY = date(2026, 11, 25)
REVIEW_DAY = TODAY + timedelta(weeks=REVIEW_WEEKS + 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.combine(REVIEW_DAY, time(9), tzinfo=UTC), tick=False):
        yield


RULES = [
    (Rule.ON_TIME_DELIVERY, "2026-W48"),
    (Rule.DEFECT_RATE, "2026-W48"),
    (Rule.UNANSWERED_ISSUE, "issue-{n}"),
    (Rule.CONSISTENT_MISS, "2026-W48:response_time"),
    (Rule.HIDDEN_COST, "charge-{n}"),
]


def supplier_with_history(n: int, manager):
    """A supplier whose figures after TODAY are good or bad depending on n, with one flag of each rule."""
    supplier = SupplierFactory(owner=manager)
    for week in range(n % 4 + 2):
        promised = TODAY + timedelta(weeks=week, days=n % 5)
        delivery(supplier, promised, promised + timedelta(days=(week + n) % 3))
        inspection(supplier, TODAY + timedelta(days=7 * week + n % 6), 100, (n + week) % 3)
        raised = datetime.combine(TODAY + timedelta(days=5 * week + n), time(8), tzinfo=UTC)
        issue(supplier, raised, answered_after=None if (n + week) % 4 == 0 else 6 * (n % 7) + week)
        billed = invoice(supplier, TODAY + timedelta(days=40 + 3 * week), status="approved")
        InvoiceLineFactory(
            invoice=billed, unit_price=Decimal("3.40") + Decimal("0.10") * ((n + week) % 3 - 1)
        )
    flags = [
        RedFlag.objects.create(
            supplier=supplier,
            rule=rule,
            period=period.format(n=n),
            observed="x",
            target="y",
            recommended_action="Act.",
        )
        for rule, period in RULES
    ]
    return supplier, flags


def take_all(flags, manager, *, offset: int):
    """Take every step of every flag's playbook (bulk), on days a few apart: many windows."""
    actions = []
    for index, flag in enumerate(flags):
        for step, kind in enumerate(playbook_kinds(flag)):
            day = TODAY - timedelta(days=(offset + index + step) % 9)
            actions.append(
                PlaybookAction(
                    flag=flag,
                    kind=kind,
                    kpi=flag_kpi(flag),
                    taken_by=manager,
                    taken_on=day,
                    review_due_on=day + timedelta(weeks=REVIEW_WEEKS),
                )
            )
    return PlaybookAction.objects.bulk_create(actions)


def expected(action: PlaybookAction) -> tuple:
    """Return what kpis.py's formulas say of one action, over its window alone (the pass's former way)."""
    start, end, supplier_id = action.taken_on, action.review_due_on, action.flag.supplier_id
    now = datetime.combine(REVIEW_DAY, time(9), tzinfo=UTC)
    figures = kpis.all_kpis(start=start, end=end, today=REVIEW_DAY, now=now, supplier_ids=[supplier_id])
    variances = kpis.price_variance(start=start, end=end, supplier_ids=[supplier_id])
    return _measure(action.kpi, figures, variances, supplier_id, targets.targets_for([supplier_id]))


def recorded() -> dict:
    return {
        pk: (outcome, value, target)
        for pk, outcome, value, target in PlaybookAction.objects.values_list(
            "pk", "outcome", "measured_value", "measured_target"
        )
    }


def test_every_due_action_gets_the_outcome_of_the_kpi_formulas_over_its_own_window(manager):
    actions = []
    for n in range(6):
        _supplier, flags = supplier_with_history(n, manager)
        actions += take_all(flags, manager, offset=n)
    assert {a.kpi for a in actions} >= {"on_time_delivery", "defect_rate", "response_time", PRICE}
    assert playbook_reviews_evaluate(today=REVIEW_DAY) == len(actions)
    found = recorded()
    outcomes = set()
    for action in PlaybookAction.objects.select_related("flag"):
        outcome, value, target = expected(action)
        stored_value = None if value is None else round(value, 2)
        assert found[action.pk] == (outcome, stored_value, target), (action.kind, action.kpi, action.taken_on)
        outcomes.add(outcome)
    assert outcomes >= {Outcome.RECOVERED, Outcome.NOT_RECOVERED}
    assert playbook_reviews_evaluate(today=REVIEW_DAY) == 0  # only pending actions are written


def test_an_action_not_yet_due_stays_pending(manager):
    _supplier, flags = supplier_with_history(1, manager)
    (action,) = take_all(flags[:1], manager, offset=0)
    assert playbook_reviews_evaluate(today=action.review_due_on - timedelta(days=1)) == 0
    action.refresh_from_db()
    assert action.outcome == Outcome.PENDING and action.measured_at is None


def count_review_queries() -> int:
    PlaybookAction.objects.update(outcome=Outcome.PENDING, measured_value=None, measured_target=None)
    with CaptureQueriesContext(connection) as captured:
        playbook_reviews_evaluate(today=REVIEW_DAY)
    return len(captured)


def test_the_review_pass_takes_the_same_queries_for_few_or_many_actions(manager):
    for n in range(2):
        _supplier, flags = supplier_with_history(n, manager)
        take_all(flags, manager, offset=n)
    few = count_review_queries()
    for n in range(2, 8):
        _supplier, flags = supplier_with_history(n, manager)
        take_all(flags, manager, offset=n)
    assert PlaybookAction.objects.count() > 30
    assert count_review_queries() == few
    assert few <= 10  # the span, targets (2), currencies, figures, the UPDATE; the transaction and SET jit
