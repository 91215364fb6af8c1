"""Production records: the factory starts production with a planned finish, logs output per line and lot, links
lab reports and in-line inspections to lots; the buyer sees progress against the required dates and is told."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from audits import services as audit_services
from audits.lot_selectors import sku_lot_consistency
from communications.models import Notification
from orders import selectors_production, services
from orders.models import ProductionLog, ProductionLot, PurchaseOrder
from tests.factories import PortalUserFactory
from tests.helpers import authed, body_of
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


@pytest.fixture
def producing(sent_order, portal_a):
    """Supplier A's sent order, in production since today with a planned finish in 20 days."""
    return services.order_start_production(order=sent_order, by=portal_a, planned_finish_on=days(20))


def log(order, by, *, sku="TOTE-01", quantity=10, lots="L1", produced_on=None, issues=""):
    return services.production_log_add(
        line=order.lines.get(sku=sku),
        by=by,
        produced_on=produced_on or days(0),
        quantity=quantity,
        lot_numbers=lots,
        issues=issues,
    )


# --- Starting production ----------------------------------------------------------------------------------------


def test_factory_starts_production_of_a_sent_order_with_a_planned_finish(sent_order, portal_a):
    order = services.order_start_production(order=sent_order, by=portal_a, planned_finish_on=days(20))
    assert order.status == PurchaseOrder.Status.IN_PRODUCTION
    assert order.production_plan.planned_finish_on == days(20)
    assert order.production_plan.started_on == days(0)


@pytest.mark.parametrize("offset", [-1, 731])
def test_a_planned_finish_in_the_past_or_absurdly_far_is_refused(sent_order, portal_a, offset):
    with pytest.raises(ValidationError):
        services.order_start_production(order=sent_order, by=portal_a, planned_finish_on=days(offset))
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT


def test_the_factory_must_give_a_planned_finish(sent_order, portal_a):
    with pytest.raises(ValidationError):
        services.order_start_production(order=sent_order, by=portal_a)


def test_production_cannot_start_on_a_draft_or_twice(approved_a, make_order, producing, portal_a, buyer):
    with pytest.raises(ValidationError):
        services.order_start_production(order=producing, by=portal_a, planned_finish_on=days(10))
    draft = make_order(approved_a)
    with pytest.raises(ValidationError):
        services.order_start_production(order=draft, by=buyer, planned_finish_on=days(10))


def test_another_suppliers_contact_cannot_start_production(sent_order, supplier_b):
    with pytest.raises(PermissionDenied):
        services.order_start_production(
            order=sent_order, by=PortalUserFactory(supplier=supplier_b), planned_finish_on=days(10)
        )


def test_the_buyer_is_told_in_their_language_when_production_starts(sent_order, portal_a, buyer):
    buyer.language = "zh-hans"
    buyer.save(update_fields=["language"])
    services.order_start_production(order=sent_order, by=portal_a, planned_finish_on=days(20))
    notification = Notification.objects.get(user=buyer, message_key="production_started")
    assert "PO-SENT" in notification.title
    with translation.override("zh-hans"):
        assert "生产" in notification.shown_title


# --- Logging production -----------------------------------------------------------------------------------------


def test_factory_logs_production_per_line_with_its_lots(producing, portal_a):
    entry = log(producing, portal_a, quantity=30, lots="L1, L2")
    assert entry.supplier_id == producing.supplier_id
    assert sorted(entry.lots.values_list("number", flat=True)) == ["L1", "L2"]
    again = log(producing, portal_a, quantity=5, lots="L2")
    assert ProductionLot.objects.filter(order=producing).count() == 2
    assert list(again.lots.values_list("number", flat=True)) == ["L2"]


def test_a_log_on_an_order_not_in_production_is_refused(sent_order, portal_a):
    with pytest.raises(ValidationError):
        log(sent_order, portal_a)
    assert not ProductionLog.objects.exists()


def test_a_log_for_another_suppliers_order_is_refused(producing, supplier_b):
    with pytest.raises(PermissionDenied):
        log(producing, PortalUserFactory(supplier=supplier_b))
    assert not ProductionLog.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("produced_on", {"produced_on": days(1)}),
        ("produced_on", {"produced_on": days(-400)}),
        ("quantity", {"quantity": 0}),
        ("quantity", {"quantity": 1_000_000_001}),
        ("quantity", {"quantity": 201}),  # twice the 100 ordered is the most a line may produce
        ("lot_numbers", {"lots": " , "}),
        ("lot_numbers", {"lots": ",".join(f"L{n}" for n in range(21))}),
        ("lot_numbers", {"lots": "L" * 65}),
    ],
)
def test_bad_log_input_is_refused_and_changes_nothing(producing, portal_a, field, kwargs):
    with pytest.raises(ValidationError) as error:
        log(producing, portal_a, **kwargs)
    assert field in error.value.message_dict
    assert not ProductionLog.objects.exists() and not ProductionLot.objects.exists()


def test_a_lot_belongs_to_one_line_of_the_order(producing, portal_a):
    log(producing, portal_a, sku="TOTE-01", lots="L1")
    with pytest.raises(ValidationError):
        log(producing, portal_a, sku="TOTE-02", lots="L1")


def test_the_buyer_is_told_when_a_log_reports_an_issue(producing, portal_a, buyer):
    log(producing, portal_a, issues="")
    assert not Notification.objects.filter(message_key="production_issue").exists()
    log(producing, portal_a, issues="Mould cracked on line 3")
    notification = Notification.objects.get(user=buyer, message_key="production_issue")
    assert "Mould cracked" in notification.body


# --- Progress -----------------------------------------------------------------------------------------------------


def test_progress_shows_produced_against_ordered_and_behind_by_the_rate(producing, portal_a):
    # Started 10 days ago: 10 a day of TOTE-01 (100 due in 30 days) is on track; TOTE-02 has nothing yet.
    PurchaseOrder.objects.filter(pk=producing.pk).update(ordered_on=days(-40))
    producing.refresh_from_db()
    producing.production_plan.started_on = days(-9)
    producing.production_plan.save()
    log(producing, portal_a, quantity=50, produced_on=days(-2))
    progress = {row.line.sku: row for row in selectors_production.order_production(order=producing)["lines"]}
    assert progress["TOTE-01"].produced == 50 and progress["TOTE-01"].percent == 50
    assert progress["TOTE-01"].projected_finish == days(0) + timedelta(days=10)
    assert not progress["TOTE-01"].behind
    # Nothing produced of TOTE-02: the planned finish (20 days) stands in, before its 45-day date.
    assert progress["TOTE-02"].projected_finish == days(20) and not progress["TOTE-02"].behind


def test_a_line_is_behind_when_the_projected_finish_falls_after_its_required_date(producing, portal_a):
    PurchaseOrder.objects.filter(pk=producing.pk).update(ordered_on=days(-40))
    producing.refresh_from_db()
    producing.production_plan.started_on = days(-29)
    producing.production_plan.save()
    log(producing, portal_a, quantity=30, produced_on=days(-1))  # 1 a day: 70 more take 70 days, due in 30
    production = selectors_production.order_production(order=producing)
    tote = next(row for row in production["lines"] if row.line.sku == "TOTE-01")
    assert tote.behind and production["behind"]


@pytest.mark.parametrize(
    ("projected", "required", "remaining", "behind"),
    [
        # Offsets in days from the frozen today: dates built at collection would use the real clock.
        (10, 9, 5, True),
        (9, 9, 5, False),
        (None, 0, 5, True),
        (None, 1, 5, False),
        (99, 1, 0, False),
    ],
)
def test_behind_has_one_definition(projected, required, remaining, behind):
    assert (
        selectors_production.is_behind(
            projected=None if projected is None else days(projected),
            required_on=days(required),
            remaining=remaining,
            today=days(0),
        )
        is behind
    )


def test_progress_costs_a_fixed_number_of_queries(producing, portal_a, django_assert_max_num_queries):
    for n in range(8):
        log(producing, portal_a, sku="TOTE-01" if n % 2 else "TOTE-02", quantity=2, lots=f"L{n}, M{n}")
    # The plan, the lines with their sums, the first log day, the latest entries and their lots.
    with django_assert_max_num_queries(5):
        production = selectors_production.order_production(order=producing)
        [list(entry.lots.all()) for entry in production["logs"]]


# --- Lots, lab reports and in-line inspections ------------------------------------------------------------------


def test_a_lab_report_for_a_logged_lot_links_to_it(producing, portal_a, approved_a):
    from tests.conftest import factory_file

    entry = log(producing, portal_a, lots="L7")
    test = audit_services.batch_test_submit(
        supplier=approved_a,
        by=portal_a,
        order=producing,
        lot_number="L7",
        standard="EN 71-3",
        laboratory="SGS",
        tested_on=days(0),
        outcome="fail",
        report=factory_file("lab.pdf"),
    )
    assert test.lot == entry.lots.get()


def test_an_inline_inspection_links_to_the_lot_it_sampled(producing, portal_a, approved_a, quality):
    lot = log(producing, portal_a, lots="L9").lots.get()
    inspection = audit_services.inspection_record(
        supplier=approved_a,
        by=quality,
        checkpoint="in_line",
        inspected_on=days(0),
        lot_size=500,
        order=producing,
        lot_number="L9",
        major_defects=2,
        defective_units=2,
    )
    assert inspection.lot == lot


def test_lot_over_lot_consistency_counts_defects_and_lab_results_per_lot(
    producing, portal_a, approved_a, quality, django_assert_max_num_queries
):
    from tests.conftest import factory_file

    for number, defects in (("L1", 0), ("L2", 3), ("L3", 1)):
        log(producing, portal_a, lots=number)
        audit_services.inspection_record(
            supplier=approved_a,
            by=quality,
            checkpoint="in_line",
            inspected_on=days(0),
            lot_size=500,
            order=producing,
            lot_number=number,
            major_defects=defects,
            defective_units=defects,
        )
        audit_services.batch_test_submit(
            supplier=approved_a,
            by=portal_a,
            order=producing,
            lot_number=number,
            standard="EN 71-3",
            laboratory="SGS",
            tested_on=days(0),
            outcome="fail" if number == "L2" else "pass",
            report=factory_file("lab.pdf"),
        )
    line = producing.lines.get(sku="TOTE-01")
    with django_assert_max_num_queries(1):
        lots = sku_lot_consistency(line=line)
    assert [lot.number for lot in lots] == ["L1", "L2", "L3"]
    assert [lot.defective for lot in lots] == [0, 3, 1]
    assert [lot.inspections_count for lot in lots] == [1, 1, 1]
    assert lots[1].defect_rate == round(100 * 3 / lots[1].sampled, 2)
    assert [(lot.tests_passed, lot.tests_failed) for lot in lots] == [(1, 0), (0, 1), (1, 0)]


# --- Pages --------------------------------------------------------------------------------------------------------


def test_buyer_sees_progress_on_the_order_page(client, producing, portal_a, buyer):
    log(producing, portal_a, quantity=25, lots="L1")
    client.force_login(buyer)
    body = body_of(client.get(reverse("orders:detail", args=[producing.pk])))
    assert 'id="production"' in body and "25</span> / 100" in body


def test_buyer_opens_the_lot_consistency_page(client, producing, portal_a, buyer):
    log(producing, portal_a, lots="L1")
    client.force_login(buyer)
    response = client.get(reverse("audits:line_lots", args=[producing.lines.get(sku="TOTE-01").pk]))
    assert response.status_code == 200 and 'data-lot="L1"' in body_of(response)


def test_factory_starts_production_and_logs_it_in_the_portal(client, sent_order, portal_a):
    client.force_login(portal_a)
    assert reverse("portal:production_start", args=[sent_order.pk]) in body_of(
        client.get(reverse("portal:order_detail", args=[sent_order.pk]))
    )
    response = client.post(
        reverse("portal:production_start", args=[sent_order.pk]), {"planned_finish_on": days(20)}
    )
    assert response.status_code == 302
    line = sent_order.lines.get(sku="TOTE-01")
    response = client.post(
        reverse("portal:production_log", args=[sent_order.pk]),
        {"line": line.pk, "produced_on": days(0), "quantity": 12, "lot_numbers": "A1", "issues": ""},
    )
    assert response.status_code == 302
    body = body_of(client.get(reverse("portal:production_log", args=[sent_order.pk])))
    assert "12</span> / 100" in body and "A1" in body


def test_portal_refuses_a_past_planned_finish_with_a_message(client, sent_order, portal_a):
    client.force_login(portal_a)
    response = client.post(
        reverse("portal:production_start", args=[sent_order.pk]), {"planned_finish_on": days(-3)}
    )
    assert response.status_code == 400 and "past" in body_of(response)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT


def test_portal_log_form_offers_only_the_orders_own_lines(
    client, producing, portal_a, approved_a, make_order
):
    other = make_order(approved_a, number="PO-OTHER", lines=[line_data(sku="OTHER-SKU")])
    client.force_login(portal_a)
    body = body_of(client.get(reverse("portal:production_log", args=[producing.pk])))
    assert "OTHER-SKU" not in body and other.number not in body
    response = client.post(
        reverse("portal:production_log", args=[producing.pk]),
        {"line": other.lines.get().pk, "produced_on": days(0), "quantity": 1, "lot_numbers": "X"},
    )
    assert response.status_code == 400 and not ProductionLog.objects.exists()


def test_another_factory_gets_404_on_the_production_pages(client, producing, supplier_b):
    client.force_login(PortalUserFactory(supplier=supplier_b))
    for name in ("portal:production_log", "portal:production_start"):
        assert client.get(reverse(name, args=[producing.pk])).status_code == 404
        assert client.post(reverse(name, args=[producing.pk]), {}).status_code == 404


@pytest.mark.parametrize(("language", "text"), [("vi", "Ghi nhận sản xuất"), ("zh-hans", "记录生产")])
def test_production_pages_are_translated_for_the_factory(client, producing, portal_a, language, text):
    portal_a.language = language
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    body = body_of(client.get(reverse("portal:production_log", args=[producing.pk])))
    assert text in body


# --- API ----------------------------------------------------------------------------------------------------------


def test_factory_starts_production_and_logs_through_the_api(api_client, sent_order, portal_a):
    client = authed(api_client, portal_a)
    response = client.post(
        reverse("api:production-plan-list"),
        {"order": sent_order.pk, "planned_finish_on": str(days(20))},
        format="json",
    )
    assert response.status_code == 201 and response.json()["order_status"] == "in_production"
    line = sent_order.lines.get(sku="TOTE-01")
    response = client.post(
        reverse("api:production-log-list"),
        {
            "order": sent_order.pk,
            "line": line.pk,
            "produced_on": str(days(0)),
            "quantity": 7,
            "lot_numbers": ["K1"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["lot_numbers"] == ["K1"]


def test_api_log_for_another_suppliers_order_is_a_404(api_client, producing, supplier_b):
    client = authed(api_client, PortalUserFactory(supplier=supplier_b))
    line = producing.lines.first()
    response = client.post(
        reverse("api:production-log-list"),
        {
            "order": producing.pk,
            "line": line.pk,
            "produced_on": str(days(0)),
            "quantity": 7,
            "lot_numbers": ["K1"],
        },
        format="json",
    )
    assert response.status_code == 404 and not ProductionLog.objects.exists()


def test_staff_read_the_logs_and_another_factory_sees_none(
    api_client, producing, portal_a, buyer, supplier_b
):
    log(producing, portal_a)
    assert len(authed(api_client, buyer).get(reverse("api:production-log-list")).json()["results"]) == 1
    other = authed(api_client, PortalUserFactory(supplier=supplier_b))
    assert other.get(reverse("api:production-log-list")).json()["results"] == []
    assert other.get(reverse("api:production-plan-list")).json()["results"] == []


def test_api_refuses_a_future_production_date(api_client, producing, portal_a):
    line = producing.lines.first()
    response = authed(api_client, portal_a).post(
        reverse("api:production-log-list"),
        {
            "order": producing.pk,
            "line": line.pk,
            "produced_on": str(days(1)),
            "quantity": 7,
            "lot_numbers": ["K1"],
        },
        format="json",
    )
    assert response.status_code == 400 and not ProductionLog.objects.exists()
