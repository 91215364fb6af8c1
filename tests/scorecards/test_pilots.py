"""Pilot programmes: the recommendation from their trial orders' results, and the pilot pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Delivery, PilotProgram
from scorecards.selectors import pilot_evaluation
from suppliers.models import Stage
from tests.factories import DeliveryFactory, PilotProgramFactory, PurchaseOrderFactory, QCInspectionFactory
from tests.orders.builders import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(supplier_a):
    """A running pilot of supplier A, 100 days in, 20 to go; targets: on-time ≥ 95 %, defects < 1 %."""
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    return PilotProgramFactory(supplier=supplier_a, name="Tote pilot")


@pytest.fixture
def trial_order(pilot):
    return PurchaseOrderFactory(supplier=pilot.supplier, number="PO-TRIAL-1", pilot=True, pilot_program=pilot)


def deliveries(order, *, on_time: int = 0, late: int = 0):
    """Received deliveries promised in the past: `on_time` on their day, `late` three days after it."""
    for n in range(on_time):
        DeliveryFactory(
            order=order,
            promised_on=days(-10 - n),
            received_on=days(-10 - n),
            quantity_received=1000,
            status=Delivery.Status.RECEIVED,
        )
    for n in range(late):
        DeliveryFactory(
            order=order,
            promised_on=days(-50 - n),
            received_on=days(-47 - n),
            quantity_received=1000,
            status=Delivery.Status.RECEIVED,
        )


def inspected(order, *, sample_size: int, defective_units: int):
    QCInspectionFactory(
        supplier=order.supplier,
        order=order,
        sample_size=sample_size,
        defective_units=defective_units,
        inspected_on=days(-5),
        report="",
    )


def evaluate(pilot):
    return pilot_evaluation(pilot=pilot, today=timezone.localdate())


# --- Recommendation -------------------------------------------------------------------------------------------


def test_both_targets_met_on_enough_data_recommends_approval(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    inspected(trial_order, sample_size=200, defective_units=1)  # 0.5 %
    evaluation = evaluate(pilot)
    assert evaluation.recommendation == "approve"
    assert evaluation.on_time.value == Decimal("100.00") and evaluation.defects.value == Decimal("0.50")
    assert evaluation.on_time_met is True and evaluation.defects_met is True
    assert evaluation.reasons == ["On-time delivery met the target.", "Defect rate met the target."]


def test_too_few_deliveries_recommends_extending(pilot, trial_order):
    deliveries(trial_order, on_time=3)
    inspected(trial_order, sample_size=200, defective_units=0)
    evaluation = evaluate(pilot)
    assert evaluation.recommendation == "extend"
    assert evaluation.on_time.value is None and evaluation.on_time_met is None
    assert "On-time delivery: not enough data yet (3 of at least 5)." in evaluation.reasons


def test_no_inspection_yet_recommends_extending(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    evaluation = evaluate(pilot)
    assert evaluation.recommendation == "extend"
    assert "Defect rate: not enough data yet (0 of at least 1)." in evaluation.reasons


def test_on_time_narrowly_missed_recommends_extending(pilot, trial_order):
    deliveries(trial_order, on_time=9, late=1)  # 90 %: under 95, not under 85
    inspected(trial_order, sample_size=200, defective_units=0)
    evaluation = evaluate(pilot)
    assert evaluation.on_time.value == Decimal("90.00") and evaluation.on_time_met is False
    assert evaluation.recommendation == "extend"
    assert "On-time delivery narrowly missed the target." in evaluation.reasons


def test_on_time_exactly_ten_points_under_target_is_still_a_narrow_miss(pilot, trial_order):
    deliveries(trial_order, on_time=17, late=3)  # 85 %
    inspected(trial_order, sample_size=200, defective_units=0)
    assert evaluate(pilot).recommendation == "extend"


def test_defects_narrowly_missed_recommend_extending(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    inspected(trial_order, sample_size=200, defective_units=3)  # 1.5 %: over 1, under 2
    evaluation = evaluate(pilot)
    assert evaluation.defects_met is False and evaluation.recommendation == "extend"
    assert "Defect rate narrowly missed the target." in evaluation.reasons


def test_on_time_wide_miss_recommends_rejection(pilot, trial_order):
    deliveries(trial_order, on_time=4, late=1)  # 80 %: more than 10 points under 95
    inspected(trial_order, sample_size=200, defective_units=0)
    evaluation = evaluate(pilot)
    assert evaluation.recommendation == "reject"
    assert "On-time delivery missed the target by a wide margin." in evaluation.reasons


def test_defects_at_twice_the_target_recommend_rejection(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    inspected(trial_order, sample_size=200, defective_units=4)  # 2 % = twice the target
    evaluation = evaluate(pilot)
    assert evaluation.recommendation == "reject"
    assert "Defect rate missed the target by a wide margin." in evaluation.reasons


def test_wide_miss_rejects_even_while_the_other_kpi_lacks_data(pilot, trial_order):
    deliveries(trial_order, on_time=2)
    inspected(trial_order, sample_size=100, defective_units=10)
    assert evaluate(pilot).recommendation == "reject"


def test_only_the_pilots_own_trial_orders_count(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    inspected(trial_order, sample_size=200, defective_units=0)
    volume = PurchaseOrderFactory(supplier=pilot.supplier)
    deliveries(volume, late=5)
    inspected(volume, sample_size=100, defective_units=50)
    evaluation = evaluate(pilot)
    assert (evaluation.on_time.denominator, evaluation.defects.denominator) == (5, 200)
    assert evaluation.recommendation == "approve"


def test_targets_of_the_pilot_are_used(pilot, trial_order):
    pilot.target_on_time_rate = Decimal("80")
    pilot.target_defect_rate = Decimal("3")
    pilot.save()
    deliveries(trial_order, on_time=4, late=1)  # 80 %
    inspected(trial_order, sample_size=100, defective_units=2)  # 2 %
    assert evaluate(pilot).recommendation == "approve"


# --- Pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def met_pilot(pilot, trial_order):
    deliveries(trial_order, on_time=5)
    inspected(trial_order, sample_size=200, defective_units=1)
    return pilot


def page(client, user, pilot):
    client.force_login(user)
    return client.get(reverse("scorecards:pilot_detail", args=[pilot.pk]))


def decide(client, user, pilot, **data):
    client.force_login(user)
    return client.post(reverse("scorecards:pilot_detail", args=[pilot.pk]), data)


def test_detail_page_shows_the_criteria_against_the_results(client, buyer, met_pilot):
    response = page(client, buyer, met_pilot)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Criteria against results" in body
    assert "≥ 95 %" in body and "&lt; 1 %" in body
    assert "100.00 %" in body and "(5 / 5)" in body
    assert "0.50 %" in body and "(1 / 200)" in body
    assert "Recommendation: approve" in body and "PO-TRIAL-1" in body


def test_detail_page_says_insufficient_data_rather_than_a_rate(client, buyer, pilot, trial_order):
    deliveries(trial_order, on_time=2)
    body = page(client, buyer, pilot).content.decode()
    assert "insufficient data" in body and "(2 / 5)" in body and "(0 / 1)" in body
    assert "100.00 %" not in body and "0.00 %" not in body
    assert "Recommendation: extend" in body


def test_detail_page_has_constant_queries(client, buyer, pilot, django_assert_max_num_queries):
    for _ in range(12):
        order = PurchaseOrderFactory(supplier=pilot.supplier, pilot=True, pilot_program=pilot)
        deliveries(order, on_time=2)
        inspected(order, sample_size=50, defective_units=0)
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("scorecards:pilot_detail", args=[pilot.pk])).status_code == 200


def test_detail_page_prints_a_target_of_100_percent_plainly(client, buyer, pilot):
    pilot.target_on_time_rate = Decimal("100")
    pilot.target_defect_rate = Decimal("10")
    pilot.save()
    body = page(client, buyer, pilot).content.decode()
    assert "≥ 100 %" in body and "&lt; 10 %" in body


def test_manager_records_a_decision(client, manager, met_pilot):
    response = decide(
        client, manager, met_pilot, decision="passed", note="Both targets met over 5 deliveries"
    )
    assert response.status_code == 302 and response.url == met_pilot.get_absolute_url()
    met_pilot.refresh_from_db()
    assert met_pilot.status == PilotProgram.Status.PASSED and met_pilot.decided_by == manager
    body = client.get(response.url).content.decode()
    assert "Passed — Mona Manager" in body and "Both targets met over 5 deliveries" in body
    assert "Record decision" not in body


def test_manager_extends_a_pilot_from_the_page(client, manager, pilot):
    new_end = pilot.ends_on + timezone.timedelta(days=30)
    response = decide(client, manager, pilot, decision="extended", note="Need more data", extend_to=new_end)
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.status == PilotProgram.Status.EXTENDED and pilot.ends_on == new_end


def test_extension_without_a_new_end_date_shows_the_error(client, manager, pilot):
    ends_on = pilot.ends_on
    response = decide(client, manager, pilot, decision="extended", note="Need more data")
    assert response.status_code == 400
    assert "An extension needs a new end date after" in response.content.decode()
    pilot.refresh_from_db()
    assert pilot.status == PilotProgram.Status.RUNNING and pilot.ends_on == ends_on


def test_buyer_sees_no_decision_form(client, buyer, met_pilot):
    body = page(client, buyer, met_pilot).content.decode()
    assert "A manager decides whether the pilot passes." in body and "Record decision" not in body


def test_buyer_gets_an_error_and_nothing_changes(client, buyer, met_pilot):
    response = decide(client, buyer, met_pilot, decision="passed", note="Looks good to me")
    assert response.status_code == 400
    body = response.content.decode()
    assert "A manager decides whether the pilot passes." in body and "Record decision" not in body
    met_pilot.refresh_from_db()
    assert met_pilot.status == PilotProgram.Status.RUNNING
    assert met_pilot.decided_by is None and met_pilot.decided_at is None and met_pilot.decision_note == ""


def test_pilot_list_shows_trial_order_counts_with_constant_queries(
    client, buyer, buyer_pilots, django_assert_max_num_queries
):
    client.force_login(buyer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("scorecards:pilot_list"))
    body = response.content.decode()
    assert body.count("<td>2</td>") == 15


@pytest.fixture
def buyer_pilots(buyer):
    for _ in range(15):
        pilot = PilotProgramFactory(supplier__owner=buyer)
        PurchaseOrderFactory.create_batch(2, supplier=pilot.supplier, pilot=True, pilot_program=pilot)


def test_pilot_list_shows_running_pilots_first(client, buyer):
    PilotProgramFactory(name="Closed pilot", status=PilotProgram.Status.PASSED, decided_at=timezone.now())
    PilotProgramFactory(name="Open pilot")
    client.force_login(buyer)
    body = client.get(reverse("scorecards:pilot_list")).content.decode()
    assert body.index("Open pilot") < body.index("Closed pilot")
