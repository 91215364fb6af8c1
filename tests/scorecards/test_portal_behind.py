"""The factory checks the rows behind its own scorecard in the portal: the same rows staff see, its own only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import QCInspection
from orders.models import Delivery
from scorecards import kpis
from suppliers.models import Stage
from tests.factories import DeliveryFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db

KPIS = ["on_time_delivery", "defect_rate", "response_time", "payment_timeliness", "buyer_response_time"]


def received(supplier, *, days_ago: int, late_by: int, number: str):
    order = PurchaseOrderFactory(supplier=supplier, number=number)
    promised = timezone.localdate() - timedelta(days=days_ago)
    return DeliveryFactory(
        order=order,
        promised_on=promised,
        received_on=promised + timedelta(days=late_by),
        status=Delivery.Status.RECEIVED,
        quantity_received=100,
    )


@pytest.fixture
def deliveries(supplier_a, supplier_b):
    for supplier in (supplier_a, supplier_b):
        supplier.stage = Stage.APPROVED
        supplier.save(update_fields=["stage"])
    mine = [
        received(supplier_a, days_ago=10 + n, late_by=3 if n < 2 else 0, number=f"PO-A-{n}") for n in range(6)
    ]
    theirs = [received(supplier_b, days_ago=12, late_by=5, number="PO-B-SECRET")]
    return mine, theirs


def test_the_factory_sees_exactly_its_rows_behind_on_time_delivery(client, portal_a, deliveries):
    mine, _theirs = deliveries
    client.force_login(portal_a)
    url = reverse("portal:scorecard_behind", args=["on_time_delivery"])
    response = client.get(url)
    assert response.status_code == 200
    assert {row.obj.pk for row in response.context["rows"]} == {d.pk for d in mine}
    page = response.content.decode()
    assert "PO-B-SECRET" not in page
    today = timezone.localdate()
    value = kpis.on_time_delivery(start=today - timedelta(days=90), end=today, today=today)[
        portal_a.supplier_id
    ]
    assert sum(row.good for row in response.context["rows"]) == value.numerator == 4
    late = client.get(url, {"late": "1"})
    assert {row.obj.pk for row in late.context["rows"]} == {d.pk for d in mine[:2]}


def test_the_other_factory_never_sees_them(client, portal_b, deliveries):
    client.force_login(portal_b)
    response = client.get(reverse("portal:scorecard_behind", args=["on_time_delivery"]))
    page = response.content.decode()
    assert "PO-A-" not in page and "PO-B-SECRET" in page


def test_the_portal_scorecard_links_each_number_to_its_portal_rows(client, portal_a, deliveries):
    client.force_login(portal_a)
    page = client.get(reverse("portal:scorecard"), {"period": "90d"}).content.decode()
    for kpi in KPIS:
        assert f'href="{reverse("portal:scorecard_behind", args=[kpi])}?period=90d"' in page
    assert "/scorecards/" not in page.replace("/portal/scorecard/", "")  # never a staff link


@pytest.mark.parametrize("kpi", KPIS)
def test_every_behind_page_renders_for_the_factory(client, portal_a, deliveries, kpi):
    client.force_login(portal_a)
    assert client.get(reverse("portal:scorecard_behind", args=[kpi]), {"period": "90d"}).status_code == 200


def test_an_unknown_kpi_is_not_found(client, portal_a):
    client.force_login(portal_a)
    assert client.get(reverse("portal:scorecard_behind", args=["salary"])).status_code == 404


def test_an_inspection_report_qc_did_not_share_counts_but_is_not_linked(
    client, portal_a, deliveries, quality
):
    from tests.factories import QCInspectionFactory

    shared = QCInspectionFactory(
        supplier=portal_a.supplier,
        inspected_on=timezone.localdate() - timedelta(days=5),
        lot_number="LOT-SHARED",
    )
    hidden = QCInspectionFactory(
        supplier=portal_a.supplier,
        inspected_on=timezone.localdate() - timedelta(days=4),
        lot_number="LOT-HIDDEN",
        shared_with_supplier=False,
    )
    client.force_login(portal_a)
    response = client.get(reverse("portal:scorecard_behind", args=["defect_rate"]))
    rows = {row.obj.pk: row for row in response.context["rows"]}
    assert set(rows) == {shared.pk, hidden.pk}
    assert rows[shared.pk].shared and not rows[hidden.pk].shared
    page = response.content.decode()
    assert "LOT-SHARED" in page and "LOT-HIDDEN" not in page and "report not shared" in page
    assert QCInspection.objects.count() == 2
