"""The forecast's staff pages, portal pages and API: publish, read what changed, answer per month; isolation."""

import pytest
import time_machine
from django.urls import reverse

from planning.models import CapacityAnswer, Forecast
from tests.helpers import authed
from tests.planning.builders import line, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


@pytest.fixture
def forecast_a(supplier_a, buyer):
    publish(supplier_a, buyer, [line("2027-01", 1000), line("2027-02", 500)])
    return publish(supplier_a, buyer, [line("2027-01", 1200), line("2027-03", 300)], note="Spring range")


def lines_post(*rows, note=""):
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "note": note,
    }
    for n, (month, sku, quantity) in enumerate(rows):
        data.update(
            {
                f"lines-{n}-month": month,
                f"lines-{n}-sku": sku,
                f"lines-{n}-quantity": str(quantity),
                f"lines-{n}-unit": "pcs",
                f"lines-{n}-confidence": "firm",
            }
        )
    return data


# --- Staff pages -----------------------------------------------------------------------------------------------


def test_the_forecast_list_takes_the_same_queries_for_many_versions(
    buyer_client, supplier_a, supplier_b, buyer, django_assert_max_num_queries
):
    for supplier in (supplier_a, supplier_b):
        for n in range(4):
            publish(supplier, buyer, [line("2027-01", 100 + n), line("2027-02", 50)])
    with django_assert_max_num_queries(10):  # fixed: session, user, count, page, suppliers
        page = buyer_client.get(reverse("planning:forecast_list"))
    assert page.status_code == 200
    assert page.content.decode().count(">v4</a>") == 2  # not a bare "v4": a nonce may hold one


def test_the_publish_page_starts_from_the_newest_version_and_publishes_the_next(
    buyer_client, supplier_a, forecast_a
):
    url = reverse("planning:forecast_publish", args=[supplier_a.pk])
    page = buyer_client.get(url)
    assert 'value="Spring' not in page.content.decode()  # the note is per version
    assert page.context["formset"].initial[0]["quantity"] == 1200
    response = buyer_client.post(url, lines_post(("2027-01", "TOTE-01", 1500), ("2027-04", "BAG-9", 80)))
    newest = Forecast.objects.get(supplier=supplier_a, version=3)
    assert response.status_code == 302 and response.url == newest.get_absolute_url()
    assert newest.lines.count() == 2


def test_a_forecast_shorter_than_six_months_is_published_with_a_warning(buyer_client, supplier_a):
    url = reverse("planning:forecast_publish", args=[supplier_a.pk])
    response = buyer_client.post(url, lines_post(("2027-02", "TOTE-01", 500)), follow=True)
    body = response.content.decode()
    assert Forecast.objects.filter(supplier=supplier_a).count() == 1
    assert "reaches 3 month(s) ahead" in body and 'id="forecast-reach"' in body
    assert "shorter than the 6 months" in body
    # Six months, counting December, is enough: no warning.
    response = buyer_client.post(url, lines_post(("2027-05", "TOTE-01", 500)), follow=True)
    body = response.content.decode()
    assert "month(s) ahead; factories plan" not in body and "Reaches 6 months ahead" in body
    assert "shorter than the" not in body


def test_a_past_month_or_a_line_with_neither_sku_nor_category_is_refused_on_the_page(
    buyer_client, supplier_a
):
    url = reverse("planning:forecast_publish", args=[supplier_a.pk])
    assert buyer_client.post(url, lines_post(("2026-11", "TOTE-01", 10))).status_code == 400
    assert buyer_client.post(url, lines_post(("2027-01", "", 10))).status_code == 400
    assert not Forecast.objects.exists()


def test_quality_staff_read_forecasts_but_do_not_publish(client, quality, supplier_a, forecast_a):
    client.force_login(quality)
    assert client.get(forecast_a.get_absolute_url()).status_code == 200
    assert client.get(reverse("planning:forecast_publish", args=[supplier_a.pk])).status_code == 403


def test_the_detail_page_shows_what_changed_and_the_factorys_answers(buyer_client, forecast_a, portal_a):
    from datetime import date

    from planning import services

    services.capacity_answer(
        forecast=forecast_a,
        by=portal_a,
        month=date(2027, 1, 1),
        status="shortfall",
        committed_quantity=900,
        reason="Chinese New Year closure",
    )
    html = buyer_client.get(forecast_a.get_absolute_url()).content.decode()
    assert "Chinese New Year closure" in html
    for marker in ("diff-up", "diff-removed", "diff-added"):
        assert marker in html


# --- Portal ----------------------------------------------------------------------------------------------------


def test_the_factory_reads_its_forecast_and_commits_capacity_for_a_month(portal_client, forecast_a):
    url = reverse("portal:forecast_detail", args=[forecast_a.pk])
    page = portal_client.get(url)
    assert page.status_code == 200 and 'id="month-2027-01"' in page.content.decode()
    response = portal_client.post(
        url, {"month": "2027-01", "status": "committed", "committed_quantity": "1200"}
    )
    assert response.status_code == 302
    assert CapacityAnswer.objects.get().committed_quantity == 1200


def test_a_shortfall_without_reason_is_refused_in_the_portal(portal_client, forecast_a):
    url = reverse("portal:forecast_detail", args=[forecast_a.pk])
    response = portal_client.post(
        url, {"month": "2027-01", "status": "shortfall", "committed_quantity": "600"}
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert not CapacityAnswer.objects.exists()


def test_a_factory_reads_its_forecast_in_chinese(client, portal_a, forecast_a):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    html = client.get(reverse("portal:forecast_detail", args=[forecast_a.pk])).content.decode()
    assert "已承诺产能" in html


def test_another_factory_gets_404_on_the_forecast_and_its_answer(client, portal_b, forecast_a):
    client.force_login(portal_b)
    url = reverse("portal:forecast_detail", args=[forecast_a.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"month": "2027-01", "status": "committed", "committed_quantity": "1"})
    assert response.status_code == 404
    assert forecast_a.pk not in [f.pk for f in client.get(reverse("portal:forecasts")).context["forecasts"]]
    assert not CapacityAnswer.objects.exists()


def test_the_factory_home_lists_a_forecast_to_answer(portal_client, forecast_a):
    html = portal_client.get(reverse("portal:home")).content.decode()
    assert "Forecasts to answer" in html


# --- API -------------------------------------------------------------------------------------------------------


def test_the_api_publishes_a_version_and_refuses_a_past_month(api_client, buyer, supplier_a):
    api = authed(api_client, buyer)
    body = {
        "supplier": supplier_a.pk,
        "lines": [{"month": "2027-02-14", "sku": "TOTE-01", "quantity": 700, "confidence": "indicative"}],
    }
    created = api.post("/api/v1/forecasts/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["version"] == 1 and created.json()["lines"][0]["month"] == "2027-02-01"
    body["lines"][0]["month"] = "2026-10-01"
    refused = api.post("/api/v1/forecasts/", body, format="json")
    assert refused.status_code == 400 and "past month" in str(refused.json())
    assert Forecast.objects.count() == 1


def test_the_factory_answers_through_the_api_and_gets_404_for_another_supplier(
    api_client, portal_a, portal_b, forecast_a
):
    url = f"/api/v1/forecasts/{forecast_a.pk}/answer/"
    other = authed(api_client, portal_b).post(
        url, {"month": "2027-01-01", "status": "committed", "committed_quantity": 5}, format="json"
    )
    assert other.status_code == 404
    api = authed(api_client, portal_a)
    missing_reason = api.post(
        url, {"month": "2027-01-01", "status": "shortfall", "committed_quantity": 5}, format="json"
    )
    assert missing_reason.status_code == 400
    answered = api.post(
        url,
        {"month": "2027-01-01", "status": "shortfall", "committed_quantity": 5, "reason": "Mould repair"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "shortfall"
    listed = api.get("/api/v1/forecasts/").json()
    assert [row["id"] for row in listed["results"]] == [forecast_a.pk, forecast_a.pk - 1]
    assert listed["results"][0]["answers"][0]["reason"] == "Mould repair"


def test_staff_cannot_answer_for_the_factory_through_the_api(api_client, buyer, forecast_a):
    response = authed(api_client, buyer).post(
        f"/api/v1/forecasts/{forecast_a.pk}/answer/",
        {"month": "2027-01-01", "status": "committed", "committed_quantity": 5},
        format="json",
    )
    assert response.status_code == 403


def test_an_answer_for_a_month_the_forecast_does_not_name_shows_why_and_writes_nothing(
    portal_client, forecast_a
):
    url = reverse("portal:forecast_detail", args=[forecast_a.pk])
    response = portal_client.post(url, {"month": "2027-09", "status": "committed", "committed_quantity": "5"})
    assert response.status_code == 400
    assert "valid choice" in response.content.decode()
    assert not CapacityAnswer.objects.exists()
