"""The buyer's own should-cost estimates and its assessment of a factory's cost breakdown: staff see both beside
the factory's answer; the factory never sees either."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pricing import selectors, services
from pricing.models import CostBreakdownRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOUR = {
    "material": Decimal("2.00"),
    "labour": Decimal("0.80"),
    "overhead": Decimal("0.40"),
    "margin": Decimal("0.30"),
}


def answered(supplier, buyer, factory, **amounts):
    row = services.cost_breakdown_request(supplier=supplier, by=buyer, sku="TOTE-01")
    return services.cost_breakdown_answer(breakdown=row, by=factory, **{**FOUR, **amounts})


def estimate(supplier, buyer, **amounts):
    values = {
        "material": Decimal("1.60"),
        "labour": Decimal("0.80"),
        "overhead": Decimal("0.40"),
        "margin": Decimal("0.20"),
    }
    return services.cost_estimate_record(supplier=supplier, by=buyer, sku="TOTE-01", **{**values, **amounts})


# --- Services --------------------------------------------------------------------------------------------------


def test_an_internal_estimate_is_recorded_with_all_four_amounts(approved_a, buyer):
    row = estimate(approved_a, buyer, note="teardown of a sample")
    assert row.internal and row.status == CostBreakdownRequest.Status.ANSWERED
    assert row.breakdown_total == Decimal("3.00")
    assert row.answered_by == buyer and row.answer_note == "teardown of a sample"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"margin": None}, "margin"),
        ({"labour": Decimal("-1")}, "labour"),
        ({"material": Decimal("1.234"), "currency": "USD"}, "material"),
        ({"material": Decimal("1.5"), "currency": "JPY"}, "material"),
        ({"sku": " "}, "sku"),
    ],
)
def test_a_bad_estimate_is_refused_and_nothing_is_written(approved_a, buyer, change, field):
    data = {"sku": "TOTE-01", "currency": "USD", **FOUR, **change}
    with pytest.raises(ValidationError) as caught:
        services.cost_estimate_record(supplier=approved_a, by=buyer, **data)
    assert field in caught.value.message_dict
    assert not CostBreakdownRequest.objects.exists()


def test_only_roles_that_edit_prices_record_estimates_or_assess(approved_a, buyer, quality, portal_a):
    with pytest.raises(PermissionDenied):
        estimate(approved_a, quality)
    row = answered(approved_a, buyer, portal_a)
    for who in (quality, portal_a):
        with pytest.raises(PermissionDenied):
            services.cost_breakdown_assess(breakdown=row, by=who, assessment="Margin looks high")


def test_the_buyer_assesses_a_factory_answer_not_an_open_request_nor_its_own_estimate(
    approved_a, buyer, portal_a
):
    row = answered(approved_a, buyer, portal_a)
    row = services.cost_breakdown_assess(
        breakdown=row, by=buyer, assessment="  Margin 10 % above our teardown. "
    )
    assert row.assessment == "Margin 10 % above our teardown." and row.assessed_by == buyer
    with pytest.raises(ValidationError):
        services.cost_breakdown_assess(breakdown=row, by=buyer, assessment="   ")
    with pytest.raises(ValidationError):
        services.cost_breakdown_assess(breakdown=row, by=buyer, assessment="x" * 4001)
    open_row = services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="MUG-2")
    with pytest.raises(ValidationError):
        services.cost_breakdown_assess(breakdown=open_row, by=buyer, assessment="Too early")
    with pytest.raises(ValidationError):
        services.cost_breakdown_assess(breakdown=estimate(approved_a, buyer), by=buyer, assessment="Ours")


def test_the_factory_cannot_answer_an_internal_estimate(approved_a, buyer, portal_a):
    row = estimate(approved_a, buyer)
    with pytest.raises(PermissionDenied):
        services.cost_breakdown_answer(breakdown=row, by=portal_a, **FOUR)


# --- Selectors -------------------------------------------------------------------------------------------------


def test_the_comparison_sets_the_factory_answer_beside_the_newest_internal_estimate(
    approved_a, buyer, portal_a, tote, django_assert_num_queries
):
    estimate(approved_a, buyer, material=Decimal("1.00"))
    newest = estimate(approved_a, buyer)
    estimate(approved_a, buyer, currency="EUR")  # another currency is not compared
    row = answered(approved_a, buyer, portal_a)
    with django_assert_num_queries(2):
        seen = selectors.breakdown_comparison(user=buyer, breakdown=row)
    # The EUR estimate and the USD one were recorded in the same instant as others: the newest USD one is compared.
    assert seen["other"].internal and seen["other"].currency == "USD"
    lines = {line["name"]: line for line in seen["lines"]}
    assert lines["material"]["difference"] == Decimal("0.40") and lines["material"]["share"] == Decimal(
        "25.0"
    )
    assert lines["breakdown_total"]["mine"] == Decimal("3.50") and lines["breakdown_total"][
        "other"
    ] == Decimal("3.00")
    assert seen["agreed"] == tote
    assert len(seen["history"]) == 4
    assert newest.pk in {r.pk for r in seen["history"]}


def test_a_factory_never_gets_an_internal_estimate_from_the_selectors(approved_a, buyer, portal_a):
    row = estimate(approved_a, buyer)
    assert row not in selectors.breakdown_list(user=portal_a)
    assert row in selectors.breakdown_list(user=buyer)
    assert list(selectors.breakdown_list(user=buyer, filters={"kind": "internal"})) == [row]
    assert not selectors.breakdown_list(user=buyer, filters={"kind": "factory"}).exists()
    with pytest.raises(Exception) as caught:
        selectors.breakdown_get(user=portal_a, pk=row.pk)
    assert caught.type.__name__ == "Http404"
    assert list(CostBreakdownRequest.objects.filter(supplier=approved_a).portal_hidden()) == [row]


# --- Pages -----------------------------------------------------------------------------------------------------


def test_a_buyer_records_an_estimate_in_the_form_and_a_bad_one_is_refused(buyer_client, approved_a):
    url = reverse("pricing:breakdown_estimate")
    data = {"supplier": approved_a.pk, "sku": "TOTE-01", "currency": "USD", **FOUR, "note": "teardown"}
    response = buyer_client.post(url, {**data, "margin": ""})
    assert response.status_code == 400 and "margin" in response.context["form"].errors
    response = buyer_client.post(url, {**data, "material": "1.234"})
    assert response.status_code == 400
    assert not CostBreakdownRequest.objects.exists()
    response = buyer_client.post(url, data)
    row = CostBreakdownRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == row.get_absolute_url()
    assert row.internal


def test_the_detail_page_compares_and_takes_an_assessment(
    client, approved_a, buyer, portal_a, django_assert_max_num_queries
):
    estimate(approved_a, buyer)
    row = answered(approved_a, buyer, portal_a)
    client.force_login(buyer)
    url = reverse("pricing:breakdown_detail", args=[row.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="line-material"' in body and "25.0 %" in body
    response = client.post(url, {"assessment": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"assessment": "Material 25 % above our teardown: ask for the resin invoices."}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.assessment.startswith("Material 25 %")
    assert "Material 25 % above our teardown" in client.get(url).content.decode()


def test_a_quality_user_reads_the_page_but_cannot_assess(client, approved_a, buyer, portal_a, quality):
    row = answered(approved_a, buyer, portal_a)
    client.force_login(quality)
    url = reverse("pricing:breakdown_detail", args=[row.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"assessment": "fine"}).status_code == 403
    assert client.get(reverse("pricing:breakdown_estimate")).status_code == 403


def test_the_factory_page_shows_its_answer_but_never_the_assessment(client, approved_a, buyer, portal_a):
    row = answered(approved_a, buyer, portal_a)
    services.cost_breakdown_assess(breakdown=row, by=buyer, assessment="Margin looks padded")
    estimate(approved_a, buyer, note="Our teardown says 3.00")
    client.force_login(portal_a)
    for url in (reverse("portal:prices"), reverse("portal:cost_breakdown_answer", args=[row.pk])):
        body = client.get(url).content.decode()
        assert "Margin looks padded" not in body and "teardown" not in body


# --- API -------------------------------------------------------------------------------------------------------


def test_staff_record_an_estimate_and_assess_through_the_api(api_client, approved_a, buyer, portal_a):
    api_client.force_authenticate(buyer)
    payload = {
        "supplier": approved_a.pk,
        "sku": "TOTE-01",
        "currency": "USD",
        **{k: str(v) for k, v in FOUR.items()},
    }
    response = api_client.post(
        reverse("api:cost-breakdown-request-estimate"), {**payload, "margin": "-1"}, format="json"
    )
    assert response.status_code == 400 and not CostBreakdownRequest.objects.exists()
    response = api_client.post(reverse("api:cost-breakdown-request-estimate"), payload, format="json")
    assert response.status_code == 201 and response.json()["internal"] is True
    row = answered(approved_a, buyer, portal_a)
    url = reverse("api:cost-breakdown-request-assess", args=[row.pk])
    assert api_client.post(url, {"assessment": ""}, format="json").status_code == 400
    response = api_client.post(url, {"assessment": "Labour rate in line with the region"}, format="json")
    assert response.status_code == 200 and response.json()["assessment"].startswith("Labour rate")


def test_a_factory_token_gets_neither_estimates_nor_assessments(api_client, approved_a, buyer, portal_a):
    row = answered(approved_a, buyer, portal_a)
    services.cost_breakdown_assess(breakdown=row, by=buyer, assessment="Margin looks padded")
    internal = estimate(approved_a, buyer)
    api_client.force_authenticate(portal_a)
    listed = api_client.get(reverse("api:cost-breakdown-request-list")).json()["results"]
    assert [item["id"] for item in listed] == [row.pk]
    assert not {"assessment", "internal", "assessed_at"} & set(listed[0])
    assert api_client.get(reverse("api:cost-breakdown-request-detail", args=[internal.pk])).status_code == 404
    assert (
        api_client.get(reverse("api:cost-breakdown-request-list") + "?internal=true").json()["results"] == []
    )
    payload = {"supplier": approved_a.pk, "sku": "X", **{k: str(v) for k, v in FOUR.items()}}
    assert (
        api_client.post(reverse("api:cost-breakdown-request-estimate"), payload, format="json").status_code
        == 403
    )
    url = reverse("api:cost-breakdown-request-assess", args=[row.pk])
    assert api_client.post(url, {"assessment": "mine"}, format="json").status_code == 403


def test_another_role_without_price_edit_cannot_estimate_through_the_api(api_client, approved_a):
    api_client.force_authenticate(UserFactory(role="quality"))
    payload = {"supplier": approved_a.pk, "sku": "X", **{k: str(v) for k, v in FOUR.items()}}
    assert (
        api_client.post(reverse("api:cost-breakdown-request-estimate"), payload, format="json").status_code
        == 403
    )


def test_the_agreement_page_lists_the_skus_breakdowns_with_the_estimates_marked(
    client, approved_a, buyer, tote
):
    estimate(approved_a, buyer)
    services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="OTHER-SKU")
    client.force_login(buyer)
    body = client.get(reverse("pricing:agreement_detail", args=[tote.pk])).content.decode()
    assert body.count("Internal estimate") == 1
    assert "OTHER-SKU" not in body
