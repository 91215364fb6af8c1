"""Disruptions: a manager declares a typhoon for a port and a period, excuses the deliveries it hit, and on-time
delivery (with its red flags) stops counting them, while the scorecard still shows them, apart, with the reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Delivery, Disruption, DisruptionCause, OrderChange, PurchaseOrder
from scorecards import alerts, kpis, periods, selectors
from scorecards.models import Kpi, RedFlag
from suppliers.models import Stage
from tests.factories import DeliveryFactory, PurchaseOrderFactory
from tests.orders.builders import days

pytestmark = pytest.mark.django_db


def typhoon(manager, *suppliers, starts=-20, ends=-16):
    return services.disruption_declare(
        by=manager,
        title="Typhoon Koinu",
        cause=DisruptionCause.WEATHER,
        region="Shenzhen ports",
        starts_on=days(starts),
        ends_on=days(ends),
        suppliers=suppliers,
    )


def received(supplier, *, promised: int, late_days: int = 0, order=None) -> Delivery:
    order = order or PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.ACKNOWLEDGED)
    return DeliveryFactory(
        order=order,
        promised_on=days(promised),
        received_on=days(promised + late_days),
        quantity_received=1000,
        status=Delivery.Status.RECEIVED,
    )


def on_time(supplier):
    today = timezone.localdate()
    window = periods.rolling(today)
    return kpis.all_kpis(start=window.start, end=today, today=today)[Kpi.ON_TIME_DELIVERY][supplier.pk]


# --- Declaring ------------------------------------------------------------------------------------------------


def test_a_manager_declares_a_disruption_linked_to_the_suppliers_it_hit(manager, supplier_a, supplier_b):
    disruption = typhoon(manager, supplier_a)
    assert set(disruption.suppliers.all()) == {supplier_a}
    assert supplier_a.activities.filter(kind="disruption_declared").exists()
    assert not supplier_b.activities.filter(kind="disruption_declared").exists()


def test_a_buyer_cannot_declare_a_disruption(buyer, supplier_a):
    with pytest.raises(PermissionDenied):
        typhoon(buyer, supplier_a)
    assert not Disruption.objects.exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("ends_on", {"starts_on": days(-3), "ends_on": days(-5)}),
        ("suppliers", {"suppliers": []}),
        ("cause", {"cause": DisruptionCause.BUYER_CHANGE}),
        ("cause", {"cause": "volcano"}),
        ("title", {"title": "   "}),
        ("region", {"region": ""}),
        ("ends_on", {"starts_on": days(-800), "ends_on": days(-1)}),
    ],
)
def test_a_bad_declaration_is_refused_with_a_message_and_creates_nothing(manager, supplier_a, field, changes):
    data = {
        "title": "Typhoon",
        "cause": DisruptionCause.WEATHER,
        "region": "Shenzhen",
        "starts_on": days(-5),
        "ends_on": days(-3),
        "suppliers": [supplier_a],
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.disruption_declare(by=manager, **data)
    assert field in error.value.message_dict
    assert not Disruption.objects.exists()


# --- Excusing -------------------------------------------------------------------------------------------------


def test_an_excused_delivery_no_longer_counts_against_on_time_delivery(manager, supplier_a):
    received(supplier_a, promised=-30)
    late = received(supplier_a, promised=-18, late_days=6)
    assert (on_time(supplier_a).numerator, on_time(supplier_a).denominator) == (1, 2)
    services.delivery_excuse(
        delivery=late, by=manager, reason="Port closed", disruption=typhoon(manager, supplier_a)
    )
    value = on_time(supplier_a)
    assert (value.numerator, value.denominator) == (1, 1)
    late.refresh_from_db()
    assert late.excused_by == manager and late.excuse_reason == "Port closed"


def test_the_rows_behind_list_the_excused_delivery_apart_with_its_reason(manager, supplier_a):
    counted = received(supplier_a, promised=-30)
    late = received(supplier_a, promised=-18, late_days=6)
    disruption = typhoon(manager, supplier_a)
    services.delivery_excuse(delivery=late, by=manager, reason="Port closed", disruption=disruption)
    today = timezone.localdate()
    period = periods.rolling(today)
    rows = selectors.rows_behind(supplier=supplier_a, kpi=Kpi.ON_TIME_DELIVERY, period=period, today=today)
    excused = selectors.excused_behind(supplier=supplier_a, period=period, today=today)
    assert [row.obj for row in rows] == [counted]
    assert excused == [late] and excused[0].excuse_disruption == disruption


def test_on_time_red_flags_ignore_excused_deliveries(manager, supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    order = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.ACKNOWLEDGED)
    for n in range(5):
        received(supplier_a, promised=-30 - n, order=order)
    late = received(supplier_a, promised=-18, late_days=6, order=order)
    services.delivery_excuse(
        delivery=late, by=manager, reason="Port closed", disruption=typhoon(manager, supplier_a)
    )
    alerts.flags_evaluate(today=timezone.localdate(), now=timezone.now(), supplier_ids=[supplier_a.pk])
    assert not RedFlag.objects.filter(supplier=supplier_a, rule=RedFlag.Rule.ON_TIME_DELIVERY).exists()


def test_without_the_excuse_the_same_deliveries_raise_the_on_time_flag(manager, supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    order = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.ACKNOWLEDGED)
    for n in range(5):
        received(supplier_a, promised=-30 - n, order=order)
    received(supplier_a, promised=-18, late_days=6, order=order)
    alerts.flags_evaluate(today=timezone.localdate(), now=timezone.now(), supplier_ids=[supplier_a.pk])
    assert RedFlag.objects.filter(supplier=supplier_a, rule=RedFlag.Rule.ON_TIME_DELIVERY).exists()


@pytest.mark.parametrize(
    ("promised", "linked", "message"),
    [
        (-40, True, "did not hit"),  # before the typhoon started
        (-18, False, "did not hit"),  # another supplier's
    ],
)
def test_a_disruption_excuses_only_its_suppliers_deliveries_in_its_period(
    manager, supplier_a, supplier_b, promised, linked, message
):
    late = received(supplier_a, promised=promised, late_days=3)
    disruption = typhoon(manager, supplier_a if linked else supplier_b)
    with pytest.raises(ValidationError, match=message):
        services.delivery_excuse(delivery=late, by=manager, reason="Typhoon", disruption=disruption)
    late.refresh_from_db()
    assert late.excused_at is None


def test_a_delivery_late_because_of_our_own_change_can_be_excused_without_a_disruption(
    manager, buyer, supplier_a
):
    late = received(supplier_a, promised=-18, late_days=6)
    with pytest.raises(ValidationError, match="declared disruption or by our own change"):
        services.delivery_excuse(delivery=late, by=manager, reason="We moved it")
    OrderChange.objects.create(
        order=late.order,
        supplier=supplier_a,
        kind=OrderChange.Kind.REQUIRED_DATE,
        old_value="a",
        new_value="b",
        reason="Our launch moved",
        changed_by=buyer,
        days_before_required=3,
    )
    services.delivery_excuse(delivery=late, by=manager, reason="We moved the launch")
    late.refresh_from_db()
    assert late.excused_at is not None and late.excuse_disruption is None


def test_an_excuse_needs_a_manager_and_a_reason(manager, buyer, supplier_a):
    late = received(supplier_a, promised=-18, late_days=6)
    disruption = typhoon(manager, supplier_a)
    with pytest.raises(PermissionDenied):
        services.delivery_excuse(delivery=late, by=buyer, reason="Typhoon", disruption=disruption)
    with pytest.raises(ValidationError):
        services.delivery_excuse(delivery=late, by=manager, reason="  ", disruption=disruption)
    services.delivery_excuse(delivery=late, by=manager, reason="Typhoon", disruption=disruption)
    with pytest.raises(ValidationError, match="already excused"):
        services.delivery_excuse(delivery=late, by=manager, reason="Again", disruption=disruption)


def test_a_withdrawn_excuse_counts_the_delivery_again(manager, supplier_a):
    late = received(supplier_a, promised=-18, late_days=6)
    services.delivery_excuse(
        delivery=late, by=manager, reason="Typhoon", disruption=typhoon(manager, supplier_a)
    )
    services.delivery_excuse_withdraw(delivery=late, by=manager, reason="Wrong supplier")
    assert on_time(supplier_a).denominator == 1
    with pytest.raises(ValidationError, match="not excused"):
        services.delivery_excuse_withdraw(delivery=late, by=manager, reason="Again")


def test_a_date_proposal_carries_its_cause(portal_a, supplier_a):
    order = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.ACKNOWLEDGED)
    delivery = DeliveryFactory(order=order, promised_on=days(10))
    proposal = services.delivery_propose_date(
        delivery=delivery,
        by=portal_a,
        proposed_on=days(14),
        reason="Port closed",
        cause=DisruptionCause.LOGISTICS,
    )
    assert proposal.get_cause_display() == "Port or logistics"
    with pytest.raises(ValidationError):
        services.delivery_propose_date(
            delivery=delivery, by=portal_a, proposed_on=days(15), reason="x", cause="gremlins"
        )


# --- Pages and API ----------------------------------------------------------------------------------------------


def test_a_manager_declares_on_the_page_and_excuses_from_the_disruptions_page(client, manager, supplier_a):
    late = received(supplier_a, promised=-18, late_days=6)
    client.force_login(manager)
    response = client.post(
        reverse("orders:disruption_create"),
        {
            "title": "Typhoon Koinu",
            "cause": "weather",
            "region": "Shenzhen ports",
            "starts_on": days(-20).isoformat(),
            "ends_on": days(-16).isoformat(),
            "suppliers": [supplier_a.pk],
        },
    )
    disruption = Disruption.objects.get()
    assert response.status_code == 302 and response.url == disruption.get_absolute_url()
    page = client.get(disruption.get_absolute_url())
    assert f'id="delivery-{late.pk}"' in page.content.decode()
    response = client.post(
        reverse("orders:delivery_excuse", args=[late.pk]),
        {"reason": "Port closed", "disruption": disruption.pk, "next_disruption": disruption.pk},
    )
    assert response.url == disruption.get_absolute_url()
    late.refresh_from_db()
    assert late.excused_at is not None


def test_a_bad_declaration_on_the_page_shows_the_error_and_saves_nothing(client, manager, supplier_a):
    client.force_login(manager)
    response = client.post(
        reverse("orders:disruption_create"),
        {"title": "T", "cause": "weather", "region": "R", "starts_on": "2026-12-05", "ends_on": "2026-12-01"},
    )
    assert response.status_code == 400
    assert not Disruption.objects.exists()


def test_a_buyer_cannot_excuse_on_the_page(client, buyer, manager, supplier_a):
    late = received(supplier_a, promised=-18, late_days=6)
    disruption = typhoon(manager, supplier_a)
    client.force_login(buyer)
    response = client.post(
        reverse("orders:delivery_excuse", args=[late.pk]), {"reason": "x", "disruption": disruption.pk}
    )
    assert response.status_code == 403
    late.refresh_from_db()
    assert late.excused_at is None


def test_the_api_excuses_for_a_manager_and_a_factory_sees_its_disruption_but_not_who_else_it_hit(
    api_client, manager, supplier_a, supplier_b, portal_a, portal_b
):
    late = received(supplier_a, promised=-18, late_days=6)
    disruption = typhoon(manager, supplier_a, supplier_b)
    api_client.force_authenticate(manager)
    response = api_client.post(
        f"/api/v1/deliveries/{late.pk}/excuse/", {"reason": "Port closed", "disruption": disruption.pk}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["excuse_reason"] == "Port closed"
    api_client.force_authenticate(portal_a)
    seen = api_client.get(f"/api/v1/disruptions/{disruption.pk}/").json()
    assert seen["title"] == "Typhoon Koinu" and "suppliers" not in seen and "declared_by" not in seen
    own = typhoon(manager, supplier_b)
    assert api_client.get(f"/api/v1/disruptions/{own.pk}/").status_code == 404
    assert (
        api_client.post(f"/api/v1/deliveries/{late.pk}/withdraw-excuse/", {"reason": "x"}).status_code == 403
    )


def test_the_factory_sees_its_excused_delivery_apart_on_the_rows_behind_its_figure(
    portal_client, manager, supplier_a
):
    late = received(supplier_a, promised=-18, late_days=6)
    services.delivery_excuse(
        delivery=late, by=manager, reason="Port closed", disruption=typhoon(manager, supplier_a)
    )
    page = portal_client.get(reverse("portal:scorecard_behind", args=["on_time_delivery"]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="deliveries-excused"' in body and "Port closed" in body


def test_disruptions_list_stays_at_constant_queries(
    client, manager, supplier_a, supplier_b, django_assert_max_num_queries
):
    for n in range(12):
        typhoon(manager, supplier_a, supplier_b, starts=-30 - n, ends=-20 - n)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:disruption_list"))
    assert response.status_code == 200 and response.content.decode().count("Typhoon Koinu") == 12


def test_excused_ratio_survives_to_the_next_day(manager, supplier_a):
    """The excuse is stored on the row, not recomputed: tomorrow's KPI leaves it out too."""
    late = received(supplier_a, promised=-18, late_days=6)
    services.delivery_excuse(
        delivery=late, by=manager, reason="Typhoon", disruption=typhoon(manager, supplier_a)
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    window = periods.rolling(tomorrow)
    families = kpis.all_kpis(start=window.start, end=tomorrow, today=tomorrow)
    assert supplier_a.pk not in families[Kpi.ON_TIME_DELIVERY]


def test_an_on_time_delivery_cannot_be_excused_and_the_disruption_page_offers_only_late_ones(
    client, manager, supplier_a
):
    on_time_delivery = received(supplier_a, promised=-18)
    late = received(supplier_a, promised=-17, late_days=3)
    disruption = typhoon(manager, supplier_a)
    with pytest.raises(ValidationError, match="not late"):
        services.delivery_excuse(
            delivery=on_time_delivery, by=manager, reason="Typhoon", disruption=disruption
        )
    client.force_login(manager)
    body = client.get(disruption.get_absolute_url()).content.decode()
    assert body.count('action="/orders/deliveries/') == 1
    assert f'action="{reverse("orders:delivery_excuse", args=[late.pk])}"' in body
