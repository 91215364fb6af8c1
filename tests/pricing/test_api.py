"""The pricing API: agreements, price-change requests and cost breakdowns, each scoped to the caller."""

from decimal import Decimal

import pytest

from pricing.models import PriceAgreement, PriceChangeRequest
from tests.pricing.builders import ask, days

pytestmark = pytest.mark.django_db


def test_staff_agree_a_price_and_a_new_version_through_the_api(api_client, buyer, approved_a):
    api_client.force_authenticate(buyer)
    body = {
        "supplier": approved_a.pk,
        "sku": "CUP-1",
        "unit_price": "1.20",
        "currency": "USD",
        "valid_from": days(0).isoformat(),
    }
    response = api_client.post("/api/v1/price-agreements/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api_client.post(
        f"/api/v1/price-agreements/{pk}/new-version/",
        {"valid_from": days(10).isoformat(), "unit_price": "1.25", "note": "Index"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2


def test_an_overlapping_agreement_gets_a_400_with_the_reason(api_client, buyer, tote, approved_a):
    api_client.force_authenticate(buyer)
    body = {
        "supplier": approved_a.pk,
        "sku": "TOTE-01",
        "unit_price": "1.20",
        "currency": "USD",
        "valid_from": days(0).isoformat(),
    }
    response = api_client.post("/api/v1/price-agreements/", body, format="json")
    assert response.status_code == 400
    assert "already covers" in response.content.decode()


def test_the_factory_token_asks_and_the_buyer_counters_through_the_api(api_client, portal_a, buyer, tote):
    api_client.force_authenticate(portal_a)
    body = {
        "effective_on": days(30).isoformat(),
        "reason_category": "energy",
        "explanation": "Power tariffs",
        "material": "2.00",
        "new_prices": [{"agreement": tote.pk, "new_price": "3.70"}],
    }
    response = api_client.post("/api/v1/price-change-requests/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    item = data["items"][0]
    assert (item["sku"], item["new_price"]) == ("TOTE-01", "3.7000")
    api_client.force_authenticate(buyer)
    response = api_client.post(
        f"/api/v1/price-change-requests/{data['id']}/counter/",
        {"prices": {str(item["id"]): "3.55"}, "note": "Half"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "countered"
    api_client.force_authenticate(portal_a)
    response = api_client.post(
        f"/api/v1/price-change-requests/{data['id']}/accept-counter/", {}, format="json"
    )
    assert response.status_code == 200, response.content
    assert PriceAgreement.objects.filter(version=2, unit_price=Decimal("3.55")).exists()


def test_a_factory_token_cannot_accept_its_own_request(api_client, portal_a, tote):
    change = ask(tote, by=portal_a)
    api_client.force_authenticate(portal_a)
    assert (
        api_client.post(f"/api/v1/price-change-requests/{change.pk}/accept/", {}, format="json").status_code
        == 403
    )
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REQUESTED


def test_another_factory_lists_nothing_of_a_suppliers_pricing(api_client, portal_a, portal_b, tote):
    ask(tote, by=portal_a)
    api_client.force_authenticate(portal_b)
    for resource in ("price-agreements", "price-change-requests", "cost-breakdown-requests"):
        response = api_client.get(f"/api/v1/{resource}/")
        assert response.status_code == 200
        assert response.json()["results"] == [], resource


def test_a_factory_token_cannot_name_another_suppliers_agreement(api_client, portal_b, tote):
    api_client.force_authenticate(portal_b)
    body = {
        "effective_on": days(30).isoformat(),
        "reason_category": "energy",
        "explanation": "x",
        "new_prices": [{"agreement": tote.pk, "new_price": "3.70"}],
    }
    response = api_client.post("/api/v1/price-change-requests/", body, format="json")
    assert response.status_code == 400
    assert not PriceChangeRequest.objects.exists()
