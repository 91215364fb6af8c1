"""Inspection severity per supplier and SKU: the stored state follows the switching rules lot after lot, hand
switches need a reason, a discontinued SKU takes no new inspection until it is resumed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits import services
from audits.models import InspectionSeverity, QCInspection, Severity, SeveritySwitch, SwitchRule
from audits.services.severity import severity_switch
from audits.switching import next_severity
from tests.audits.severity_lots import record, state_of
from tests.factories import (
    OrderLineFactory,
    ProductCategoryFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
)

pytestmark = pytest.mark.django_db

# Lot of 1000 at level II: code letter J; AQL 2.5 major → normal n=80 Ac 5, tightened n=80 Ac 3.
REJECT = {"major_defects": 6, "defective_units": 6}
ACCEPT = {}


def test_two_rejections_in_five_lots_tighten_the_sku_with_the_lots_named(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "A1", **ACCEPT)
    first = record(supplier_a, quality, tote_order, "B2", **REJECT)
    record(supplier_a, quality, tote_order, "C3", **ACCEPT)
    record(supplier_a, quality, tote_order, "D4", **ACCEPT)
    assert state_of(supplier_a).severity == Severity.NORMAL
    last = record(supplier_a, quality, tote_order, "E5", **REJECT)
    state = state_of(supplier_a)
    assert (state.severity, state.rule, state.lots, state.window) == (
        Severity.TIGHTENED,
        SwitchRule.NORMAL_TO_TIGHTENED,
        ["B2", "E5"],
        5,
    )
    assert state.explanation == "2 of the last 5 lots rejected (lots B2, E5)"
    assert first.severity == last.severity == Severity.NORMAL
    switch = SeveritySwitch.objects.get(state=state)
    assert (switch.from_severity, switch.to_severity, switch.inspection, switch.automatic) == (
        Severity.NORMAL,
        Severity.TIGHTENED,
        last,
        True,
    )
    # The next lot is inspected under Table 2-B: same sample of 80, Ac 3 instead of 5 at AQL 2.5.
    nxt = record(supplier_a, quality, tote_order, "F6", major_defects=4, defective_units=4)
    assert (nxt.severity, nxt.sample_size, nxt.major_accept, nxt.major_reject) == ("tightened", 80, 3, 4)
    assert nxt.result == QCInspection.Result.REJECT  # 4 major defects pass on normal, not on tightened


def test_applying_the_rules_twice_changes_nothing(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "A1", **REJECT)
    record(supplier_a, quality, tote_order, "A2", **REJECT)
    state = state_of(supplier_a)
    services.severity_apply(state=state)
    services.severity_apply(state=state)
    assert state_of(supplier_a).severity == Severity.TIGHTENED
    assert SeveritySwitch.objects.filter(state=state).count() == 1


def test_a_resubmitted_lot_does_not_count_twice(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "A1", **REJECT)
    record(supplier_a, quality, tote_order, "A1", **REJECT)  # the same lot, inspected again after rework
    assert state_of(supplier_a).severity == Severity.NORMAL


def test_five_lots_rejected_on_tightened_discontinue_and_block_the_sku(supplier_a, quality, tote_order):
    for n in range(2):
        record(supplier_a, quality, tote_order, f"N{n}", **REJECT)
    for n in range(5):
        record(supplier_a, quality, tote_order, f"T{n}", **REJECT)
    state = state_of(supplier_a)
    assert state.severity == Severity.DISCONTINUED
    with pytest.raises(ValidationError, match="discontinued"):
        record(supplier_a, quality, tote_order, "X1", **ACCEPT)
    assert not QCInspection.objects.filter(lot_number="X1").exists()
    # Another SKU of the same supplier is not blocked.
    other = PurchaseOrderFactory(supplier=supplier_a)
    OrderLineFactory(order=other, sku="MUG-02")
    record(supplier_a, quality, other, "M1", **ACCEPT)
    with pytest.raises(ValidationError, match="resume it, on tightened"):
        severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="normal", reason="Fixed")
    severity_switch(
        supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="CAPA verified"
    )
    state.refresh_from_db()
    assert (state.severity, state.rule) == (Severity.TIGHTENED, SwitchRule.RESUME)
    inspection = record(supplier_a, quality, tote_order, "X1", **ACCEPT)
    assert inspection.severity == "tightened"


def test_a_hand_switch_without_a_reason_is_refused_and_changes_nothing(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "A1", **ACCEPT)
    with pytest.raises(ValidationError, match="Say why"):
        severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="  \n ")
    assert state_of(supplier_a).severity == Severity.NORMAL
    assert not SeveritySwitch.objects.exists()


def test_a_hand_switch_to_reduced_without_the_score_or_to_the_same_severity_is_refused(supplier_a, quality):
    with pytest.raises(ValidationError, match="switching score of 30"):
        severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="reduced", reason="Good run")
    severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="Complaint")
    with pytest.raises(ValidationError, match="already tightened"):
        severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="Again")
    assert SeveritySwitch.objects.count() == 1


def test_a_buyer_cannot_switch_by_hand(supplier_a, buyer):
    with pytest.raises(PermissionDenied):
        severity_switch(supplier=supplier_a, by=buyer, sku="TOTE-01", severity="tightened", reason="Why not")


def test_a_hand_switch_restarts_the_count(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "A1", **REJECT)
    severity_switch(supplier=supplier_a, by=quality, sku="TOTE-01", severity="tightened", reason="Complaint")
    for n in range(4):
        record(supplier_a, quality, tote_order, f"T{n}", **ACCEPT)
    assert state_of(supplier_a).severity == Severity.TIGHTENED
    record(supplier_a, quality, tote_order, "T4", **ACCEPT)
    state = state_of(supplier_a)
    assert (state.severity, state.lots) == (Severity.NORMAL, ["T0", "T1", "T2", "T3", "T4"])


def test_an_inspection_without_a_sku_falls_back_to_the_suppliers_only_category(supplier_a, quality):
    category = ProductCategoryFactory(name="Bags")
    supplier_a.categories.add(category)
    record(supplier_a, quality, **REJECT)
    record(supplier_a, quality, **REJECT)
    state = InspectionSeverity.objects.get(supplier=supplier_a)
    assert (state.sku, state.category, state.severity) == ("", category, Severity.TIGHTENED)
    assert state.product_label == "Bags"
    first, second = QCInspection.objects.order_by("pk").values_list("pk", flat=True)
    assert state.explanation == f"2 of the last 2 lots rejected (lots #{first}, #{second})"


def test_the_lot_of_a_logged_production_lot_names_its_lines_sku(supplier_a, quality):
    from orders.models import ProductionLot

    order = PurchaseOrderFactory(supplier=supplier_a)
    OrderLineFactory(order=order, sku="CAP-1")
    line = OrderLineFactory(order=order, sku="CAP-2")
    ProductionLot.objects.create(order=order, line=line, supplier=supplier_a, number="L-9")
    inspection = record(supplier_a, quality, order, "L-9")
    assert inspection.sku == "CAP-2"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(results=st.lists(st.booleans(), min_size=1, max_size=40))
def test_the_stored_state_follows_the_pure_rules_over_long_lot_sequences(results, supplier_a, quality):
    order = PurchaseOrderFactory(supplier=supplier_a)
    sku = f"SKU-{order.pk}"
    OrderLineFactory(order=order, sku=sku)
    labels = []
    for n, accepted in enumerate(results):
        expected = next_severity(list(zip(labels, results[:n], strict=True)))
        if expected.severity == "discontinued":
            with pytest.raises(ValidationError):
                record(supplier_a, quality, order, f"L{n}", **(ACCEPT if accepted else REJECT))
            return
        inspection = record(supplier_a, quality, order, f"L{n}", **(ACCEPT if accepted else REJECT))
        assert inspection.severity == expected.severity
        assert inspection.result == ("accept" if accepted else "reject")
        labels.append(f"L{n}")
        state = state_of(supplier_a, sku)
        decision = next_severity(list(zip(labels, results[: n + 1], strict=True)))
        assert state.severity == decision.severity
        if decision.switched:
            assert state.lots == list(decision.lots)


def history(supplier, results):
    """Inspections recorded before severities existed: no SKU, no category, the rules never applied."""
    return [
        QCInspectionFactory(
            supplier=supplier,
            lot_number=f"H{n}",
            result=QCInspection.Result.ACCEPT if accepted else QCInspection.Result.REJECT,
            computed_result=QCInspection.Result.ACCEPT if accepted else QCInspection.Result.REJECT,
        )
        for n, accepted in enumerate(results)
    ]


def test_a_history_that_switches_several_times_is_recorded_switch_by_switch(supplier_a, quality):
    # Tightened after H0, H1; normal after H2–H6; tightened again after H7, H8.
    rows = history(supplier_a, [False, False, True, True, True, True, True, False, False])
    state, _ = InspectionSeverity.objects.get_or_create(supplier=supplier_a, sku="", category=None)
    services.severity_apply(state=state)
    state.refresh_from_db()
    assert (state.severity, state.rule, state.lots) == (
        Severity.TIGHTENED,
        SwitchRule.NORMAL_TO_TIGHTENED,
        ["H7", "H8"],
    )
    assert state.counting_after == rows[-1]
    switches = SeveritySwitch.objects.filter(state=state).order_by("pk")
    assert [(s.to_severity, s.inspection) for s in switches] == [
        (Severity.TIGHTENED, rows[1]),
        (Severity.NORMAL, rows[6]),
        (Severity.TIGHTENED, rows[8]),
    ]
    services.severity_apply(state=state)  # safe to run again
    assert SeveritySwitch.objects.filter(state=state).count() == 3


def test_a_history_that_discontinues_part_way_stops_there_without_an_error(supplier_a, quality):
    rows = history(supplier_a, [False, False, False, False, False, False, False, True, True])
    state, _ = InspectionSeverity.objects.get_or_create(supplier=supplier_a, sku="", category=None)
    services.severity_apply(state=state)
    state.refresh_from_db()
    assert state.severity == Severity.DISCONTINUED
    assert state.counting_after == rows[6]


def test_a_lot_whose_report_is_not_shared_is_counted_but_never_named(supplier_a, quality, tote_order):
    record(supplier_a, quality, tote_order, "S1", shared_with_supplier=False, **REJECT)
    record(supplier_a, quality, tote_order, "S2", **REJECT)
    state = state_of(supplier_a)
    assert state.severity == Severity.TIGHTENED
    assert state.lots == ["(unshared)", "S2"]
    assert "S1" not in state.explanation
    assert "S1" not in str(SeveritySwitch.objects.get(state=state).reason)
