"""Inspection severity on the pages and the API: the inspection form says which severity applies and why and shows
the plan at it; staff list and switch by hand (reason required); the factory reads its own, translated."""

import pytest
from django.urls import reverse

from audits import services
from audits.models import InspectionSeverity, Severity, SeveritySwitch
from tests.audits import severity_lots
from tests.factories import OrderLineFactory, PurchaseOrderFactory, SupplierFactory
from tests.helpers import authed, body_of

pytestmark = pytest.mark.django_db


def record(supplier, by, order, lot, rejected):
    return severity_lots.record(
        supplier, by, order, lot, **({"major_defects": 6, "defective_units": 6} if rejected else {})
    )


@pytest.fixture
def tightened_order(supplier_a, quality):
    """An order of SKU TOTE-01 whose lots B2 and E5 (of A1..E5) were rejected: tightened."""
    order = PurchaseOrderFactory(supplier=supplier_a)
    OrderLineFactory(order=order, sku="TOTE-01")
    for lot in ("A1", "B2", "C3", "D4", "E5"):
        record(supplier_a, quality, order, lot, rejected=lot in ("B2", "E5"))
    return order


def test_the_next_inspection_form_shows_tightened_with_the_reason_and_the_tightened_plan(
    client, quality, tightened_order
):
    client.force_login(quality)
    page = body_of(client.get(reverse("audits:inspection_create") + f"?order={tightened_order.pk}"))
    assert "Severity: tightened</strong> — 2 of the last 5 lots rejected (lots B2, E5)" in page
    fragment = body_of(
        client.get(
            reverse("audits:sampling_plan"),
            {"supplier": tightened_order.supplier_id, "order": tightened_order.pk, "lot_size": 1000},
        )
    )
    assert "tightened" in fragment and "Tightened plan (Table 2-B)" in fragment
    assert "sample 80, accept ≤ 3, reject ≥ 4" in fragment  # Table 2-B, J at AQL 2.5 (normal: Ac 5)


def test_the_plan_of_a_supplier_on_normal_says_normal_and_uses_table_2a(client, quality, supplier_a):
    client.force_login(quality)
    fragment = body_of(
        client.get(reverse("audits:sampling_plan"), {"supplier": supplier_a.pk, "lot_size": 1000})
    )
    assert "Severity: normal</strong> — normal at the start" in fragment
    assert "sample 80, accept ≤ 5, reject ≥ 6" in fragment


def test_the_inspection_page_says_which_severity_it_was_inspected_under(client, quality, tightened_order):
    client.force_login(quality)
    nxt = record(tightened_order.supplier, quality, tightened_order, "F6", rejected=False)
    page = body_of(client.get(nxt.get_absolute_url()))
    assert "tightened inspection · TOTE-01" in page


def test_a_hand_switch_without_a_reason_shows_a_clear_message_and_changes_nothing(
    client, quality, tightened_order
):
    state = InspectionSeverity.objects.get(sku="TOTE-01")
    client.force_login(quality)
    response = client.post(
        reverse("audits:severity_switch", args=[state.pk]), {"severity": "normal", "reason": " "}
    )
    assert response.status_code == 400
    assert "Say why the inspection severity changes" in body_of(response)
    state.refresh_from_db()
    assert state.severity == Severity.TIGHTENED and SeveritySwitch.objects.count() == 1


def test_quality_staff_switch_back_to_normal_by_hand_with_a_reason(client, quality, tightened_order):
    state = InspectionSeverity.objects.get(sku="TOTE-01")
    client.force_login(quality)
    response = client.post(
        reverse("audits:severity_switch", args=[state.pk]), {"severity": "normal", "reason": "New mould"}
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.severity == Severity.NORMAL and state.explanation == "switched by hand: New mould"
    page = body_of(client.get(reverse("audits:severity_detail", args=[state.pk])))
    assert "New mould" in page and "the switching rules" in page


def test_a_buyer_cannot_switch_by_hand(client, buyer, tightened_order):
    state = InspectionSeverity.objects.get(sku="TOTE-01")
    client.force_login(buyer)
    response = client.post(
        reverse("audits:severity_switch", args=[state.pk]), {"severity": "normal", "reason": "x"}
    )
    assert response.status_code == 403
    state.refresh_from_db()
    assert state.severity == Severity.TIGHTENED


def many_states(quality, count=12):
    for n in range(count):
        supplier = SupplierFactory()
        services.severity_switch(
            supplier=supplier, by=quality, sku=f"S-{n}", severity="tightened", reason="r"
        )


def test_the_staff_list_shows_tightened_first_in_a_fixed_number_of_queries(
    client, quality, tightened_order, django_assert_max_num_queries
):
    many_states(quality)
    client.force_login(quality)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audits:severity_list"))
    page = body_of(response)
    assert response.status_code == 200 and "TOTE-01" in page
    assert "2 of the last 5 lots rejected (lots B2, E5)" in page


def test_the_portal_list_shows_the_factory_its_severity_in_its_language(
    client, portal_a, portal_b, tightened_order, django_assert_max_num_queries
):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    with django_assert_max_num_queries(14):
        page = body_of(client.get(reverse("portal:inspections")))
    assert "检验严格度" in page and "加严" in page
    assert "最近 5 批中有 2 批被拒收（批次 B2, E5）" in page
    client.force_login(portal_b)
    other = body_of(client.get(reverse("portal:inspections")))
    assert "TOTE-01" not in other and "B2, E5" not in other  # not "B2" alone: a nonce or token may hold it


def test_the_api_lists_severities_to_staff_and_to_the_factory_its_own(
    api_client, quality, portal_a, portal_b, tightened_order, django_assert_max_num_queries
):
    many_states(quality)
    client = authed(api_client, quality)
    with django_assert_max_num_queries(8):
        rows = client.get(reverse("api:inspection-severity-list")).json()["results"]
    assert rows[0]["severity"] == "tightened" and len(rows) == 13
    own = authed(api_client, portal_a).get(reverse("api:inspection-severity-list")).json()["results"]
    assert [row["sku"] for row in own] == ["TOTE-01"]
    assert own[0]["explanation"] == "2 of the last 5 lots rejected (lots B2, E5)"
    state = InspectionSeverity.objects.get(sku="TOTE-01")
    assert (
        authed(api_client, portal_b)
        .get(reverse("api:inspection-severity-detail", args=[state.pk]))
        .status_code
        == 404
    )
    detail = (
        authed(api_client, portal_a).get(reverse("api:inspection-severity-detail", args=[state.pk])).json()
    )
    switch = detail["switches"][0]
    assert switch["to_severity"] == "tightened" and "by" not in switch and "inspection" not in switch
    staff = authed(api_client, quality).get(reverse("api:inspection-severity-detail", args=[state.pk])).json()
    assert {"by", "inspection"} <= set(staff["switches"][0])


def test_the_api_switch_needs_quality_staff_and_a_reason(api_client, quality, buyer, portal_a, supplier_a):
    url = reverse("api:inspection-severity-switch")
    payload = {"supplier": supplier_a.pk, "sku": "MUG-1", "severity": "tightened", "reason": ""}
    assert authed(api_client, portal_a).post(url, payload, format="json").status_code == 403
    assert authed(api_client, buyer).post(url, payload, format="json").status_code == 403
    refused = authed(api_client, quality).post(url, payload, format="json")
    assert refused.status_code == 400 and not InspectionSeverity.objects.filter(sku="MUG-1").exists()
    reduced = authed(api_client, quality).post(
        url, {**payload, "severity": "reduced", "reason": "ok"}, format="json"
    )
    assert reduced.status_code == 400 and "switching score of 30" in reduced.content.decode()
    done = authed(api_client, quality).post(url, {**payload, "reason": "Complaint"}, format="json")
    assert done.status_code == 201 and done.json()["to_severity"] == "tightened"
    assert InspectionSeverity.objects.get(sku="MUG-1").severity == Severity.TIGHTENED
