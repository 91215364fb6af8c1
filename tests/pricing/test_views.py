"""Staff and portal pages of pricing: lists with pinned queries, the answer forms, and what each side may see."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communications.models import Notification
from pricing import services
from pricing.models import CostBreakdownRequest, PriceAgreement, PriceChangeRequest
from tests.factories import PDF_BYTES
from tests.pricing.builders import agree, ask, days

pytestmark = pytest.mark.django_db


def test_the_agreement_list_shows_current_prices_in_constant_queries(
    buyer_client, approved_a, buyer, django_assert_max_num_queries
):
    for n in range(12):
        agree(approved_a, by=buyer, sku=f"SKU-{n}")
    with django_assert_max_num_queries(12):
        response = buyer_client.get(reverse("pricing:agreement_list"))
    assert response.status_code == 200
    assert response.content.count(b'id="agreement-') == 12


def test_a_buyer_agrees_a_price_in_the_form_and_a_bad_one_is_refused(buyer_client, approved_a):
    data = {
        "supplier": approved_a.pk,
        "sku": "MUG-9",
        "unit_price": "450.5",
        "currency": "JPY",
        "moq": 100,
        "lead_time_days": 30,
        "incoterm": "FOB",
        "valid_from": days(0).isoformat(),
    }
    response = buyer_client.post(reverse("pricing:agreement_create"), data)
    assert response.status_code == 400
    assert "at most 0 decimals" in response.content.decode()
    data["unit_price"] = "450"
    response = buyer_client.post(reverse("pricing:agreement_create"), data)
    assert response.status_code == 302
    assert PriceAgreement.objects.get().unit_price == Decimal("450")


def test_the_detail_page_records_a_new_version_with_why(buyer_client, tote):
    url = reverse("pricing:agreement_detail", args=[tote.pk])
    response = buyer_client.post(
        url, {"valid_from": days(5).isoformat(), "unit_price": "3.45", "note": "Review"}
    )
    assert response.status_code == 302
    page = buyer_client.get(url).content.decode()
    assert 'id="version-2"' in page and "Review" in page


def test_the_buyer_counters_on_the_change_page_and_the_factory_is_notified(buyer_client, tote, portal_a):
    change = ask(tote, by=portal_a)
    item = change.items.get()
    url = reverse("pricing:change_detail", args=[change.pk])
    assert buyer_client.get(url).status_code == 200
    response = buyer_client.post(
        url,
        {
            "action": "counter",
            f"price_{item.pk}": "3.60",
            "effective_on": days(40).isoformat(),
            "note": "Halfway",
        },
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.COUNTERED
    assert Notification.objects.filter(user=portal_a, message_key="price_change_countered").exists()


def test_refusing_without_a_reason_re_renders_the_page(buyer_client, tote, portal_a):
    change = ask(tote, by=portal_a)
    response = buyer_client.post(reverse("pricing:change_detail", args=[change.pk]), {"action": "refuse"})
    assert response.status_code == 400
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REQUESTED


def test_the_buyer_is_notified_of_a_request(tote, portal_a, buyer):
    ask(tote, by=portal_a)
    assert Notification.objects.filter(user=buyer, message_key="price_change_requested").exists()


# --- Portal -------------------------------------------------------------------------------------------------


def test_the_factory_asks_for_a_price_change_with_a_document(client, tote, portal_a):
    client.force_login(portal_a)
    url = reverse("portal:price_change_request")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            f"price_{tote.pk}": "3.80",
            "effective_on": days(30).isoformat(),
            "reason_category": "material",
            "explanation": "Copper",
            "material": "2.10",
            "labour": "0.80",
            "overhead": "0.40",
            "margin": "0.50",
            "documents": [SimpleUploadedFile("costs.pdf", PDF_BYTES, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = PriceChangeRequest.objects.get()
    assert change.documents.count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_a_disguised_html_document_is_refused_and_nothing_is_asked(client, tote, portal_a):
    client.force_login(portal_a)
    response = client.post(
        reverse("portal:price_change_request"),
        {
            f"price_{tote.pk}": "3.80",
            "effective_on": days(30).isoformat(),
            "reason_category": "material",
            "explanation": "Copper",
            "documents": [SimpleUploadedFile("costs.pdf", b"<html><script>1</script></html>")],
        },
    )
    assert response.status_code == 400
    assert not PriceChangeRequest.objects.exists()


def test_a_price_change_in_the_past_is_refused_in_the_portal(client, tote, portal_a):
    client.force_login(portal_a)
    response = client.post(
        reverse("portal:price_change_request"),
        {
            f"price_{tote.pk}": "3.80",
            "effective_on": days(-1).isoformat(),
            "reason_category": "labour",
            "explanation": "x",
        },
    )
    assert response.status_code == 400
    assert "past" in response.content.decode()


def test_the_factory_accepts_the_counter_in_the_portal(client, tote, portal_a, buyer):
    change = ask(tote, by=portal_a)
    item = change.items.get()
    services.price_change_counter(change=change, by=buyer, prices={item.pk: Decimal("3.60")}, note="Halfway")
    client.force_login(portal_a)
    url = reverse("portal:price_change_detail", args=[change.pk])
    assert "Accept the counter" in client.get(url).content.decode()
    assert client.post(url, {"action": "accept"}).status_code == 302
    assert PriceAgreement.objects.filter(version=2, unit_price=Decimal("3.60")).exists()
    assert Notification.objects.filter(user=buyer, message_key="price_counter_answered").exists()


def test_the_factory_gives_a_cost_breakdown_seen_by_staff(client, approved_a, buyer, portal_a):
    row = services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="TOTE-01")
    assert Notification.objects.filter(user=portal_a, message_key="cost_breakdown_requested").exists()
    client.force_login(portal_a)
    url = reverse("portal:cost_breakdown_answer", args=[row.pk])
    response = client.post(url, {"material": "1.10", "labour": "0.70", "overhead": "0.30", "margin": "0.20"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == CostBreakdownRequest.Status.ANSWERED
    client.force_login(buyer)
    assert "1.1" in client.get(reverse("pricing:breakdown_list")).content.decode()


def test_another_factory_never_sees_a_cost_breakdown_nor_a_price_change(
    client, approved_a, buyer, portal_a, portal_b, tote
):
    row = services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="TOTE-01")
    services.cost_breakdown_answer(
        breakdown=row,
        by=portal_a,
        material=Decimal("9.87"),
        labour=Decimal("1"),
        overhead=Decimal("1"),
        margin=Decimal("1"),
    )
    change = ask(tote, by=portal_a)
    client.force_login(portal_b)
    page = client.get(reverse("portal:prices")).content.decode()
    assert "9.87" not in page and "TOTE-01" not in page
    assert client.get(reverse("portal:cost_breakdown_answer", args=[row.pk])).status_code == 404
    assert client.get(reverse("portal:price_change_detail", args=[change.pk])).status_code == 404


def test_the_portal_prices_page_reads_in_vietnamese_and_chinese(client, tote, portal_a):
    client.force_login(portal_a)
    for language, word in (("vi", "Giá"), ("zh-hans", "价格")):
        portal_a.language = language
        portal_a.save(update_fields=["language"])
        page = client.get(reverse("portal:prices"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert word in page, language


def test_the_staff_lists_of_changes_and_breakdowns_keep_their_query_count(
    buyer_client, approved_a, buyer, portal_a, django_assert_max_num_queries
):
    for n in range(8):
        ask(agree(approved_a, by=buyer, sku=f"SKU-{n}"), by=portal_a)
        services.cost_breakdown_request(supplier=approved_a, by=buyer, sku=f"SKU-{n}")
    with django_assert_max_num_queries(14):
        assert buyer_client.get(reverse("pricing:change_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert buyer_client.get(reverse("pricing:breakdown_list")).status_code == 200


def test_the_portal_prices_page_keeps_its_query_count(
    client, approved_a, buyer, portal_a, django_assert_max_num_queries
):
    for n in range(8):
        ask(agree(approved_a, by=buyer, sku=f"SKU-{n}"), by=portal_a)
        services.cost_breakdown_request(supplier=approved_a, by=buyer, sku=f"SKU-{n}")
    client.force_login(portal_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("portal:prices")).status_code == 200
