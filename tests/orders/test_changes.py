"""Changes of a sent order are proposals: the factory accepts or counters, a manager records an agreement, the
buyer withdraws or accepts a counter; the factory declines an order or confirms it with changes of its own."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from communications.models import Notification
from orders import services
from orders.models import Delivery, OrderChange, PurchaseOrder
from scorecards import kpis
from tests.helpers import authed, body_of
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


def propose_quantity(order, buyer, *, sku="TOTE-01", quantity=150, reason="Promo extended"):
    services.order_line_change(line=order.lines.get(sku=sku), by=buyer, quantity=quantity, reason=reason)
    return order.changes.get(
        kind=OrderChange.Kind.QUANTITY, status=OrderChange.Status.PROPOSED, line__sku=sku
    )


def propose_date(order, buyer, *, sku="TOTE-01", required_on=None, reason="Store opening moved"):
    services.order_line_change(
        line=order.lines.get(sku=sku), by=buyer, required_on=required_on or days(60), reason=reason
    )
    return order.changes.get(
        kind=OrderChange.Kind.REQUIRED_DATE, status=OrderChange.Status.PROPOSED, line__sku=sku
    )


def planned(order) -> dict:
    return {
        d.promised_on: d.quantity_planned for d in order.deliveries.filter(status=Delivery.Status.PLANNED)
    }


# --- The factory answers ---------------------------------------------------------------------------------------


def test_factory_accepting_a_quantity_change_applies_it_to_the_line_and_its_delivery(
    sent_order, buyer, portal_a
):
    change = propose_quantity(sent_order, buyer)
    services.order_change_accept(change=change, by=portal_a)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.ACCEPTED and change.answered_by == portal_a
    assert sent_order.lines.get(sku="TOTE-01").quantity == 150
    assert planned(sent_order) == {days(30): 150, days(45): 40}


def test_factory_counter_keeps_the_old_date_until_the_buyer_accepts_the_counter(sent_order, buyer, portal_a):
    change = propose_date(sent_order, buyer, required_on=days(20))
    services.order_change_counter(
        change=change, by=portal_a, required_on=days(25), reason="Dyeing takes 25 days"
    )
    change.refresh_from_db()
    assert change.status == OrderChange.Status.COUNTERED and change.counter_required_on == days(25)
    assert sent_order.lines.get(sku="TOTE-01").required_on == days(30)
    services.order_change_accept_counter(change=change, by=buyer)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.COUNTER_ACCEPTED
    assert sent_order.lines.get(sku="TOTE-01").required_on == days(25)
    assert planned(sent_order) == {days(25): 100, days(45): 40}


def test_a_counter_needs_a_reason_and_the_value_the_change_is_about(sent_order, buyer, portal_a):
    change = propose_quantity(sent_order, buyer)
    with pytest.raises(ValidationError) as exc:
        services.order_change_counter(change=change, by=portal_a, quantity=120, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.order_change_counter(change=change, by=portal_a, reason="Only 120 in stock")
    assert "quantity" in exc.value.message_dict
    change.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED and change.counter_reason == ""


def test_a_counter_date_in_the_past_is_refused(sent_order, buyer, portal_a):
    change = propose_date(sent_order, buyer)
    with pytest.raises(ValidationError, match="from today on"):
        services.order_change_counter(change=change, by=portal_a, required_on=days(-1), reason="Oops")


def test_a_change_answered_twice_is_refused_the_second_time(sent_order, buyer, portal_a):
    change = propose_quantity(sent_order, buyer)
    services.order_change_accept(change=change, by=portal_a)
    with pytest.raises(ValidationError, match="cannot be answered again"):
        services.order_change_counter(change=change, by=portal_a, quantity=120, reason="Second thoughts")
    assert sent_order.lines.get(sku="TOTE-01").quantity == 150


def test_staff_cannot_answer_for_the_factory_and_another_factory_cannot_either(
    sent_order, buyer, portal_b, manager
):
    change = propose_quantity(sent_order, buyer)
    with pytest.raises(PermissionDenied):
        services.order_change_accept(change=change, by=manager)
    with pytest.raises(PermissionDenied):
        services.order_change_accept(change=change, by=portal_b)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED


# --- The buyer's side and a manager's agreement ------------------------------------------------------------------


def test_a_manager_records_an_agreement_reached_another_way_and_the_change_applies(
    sent_order, buyer, manager
):
    change = propose_quantity(sent_order, buyer)
    with pytest.raises(ValidationError) as exc:
        services.order_change_record_agreement(change=change, by=manager, note=" ")
    assert "note" in exc.value.message_dict
    services.order_change_record_agreement(change=change, by=manager, note="Agreed with Ada by phone")
    change.refresh_from_db()
    assert change.status == OrderChange.Status.AGREED and change.answer_note == "Agreed with Ada by phone"
    assert sent_order.lines.get(sku="TOTE-01").quantity == 150


def test_a_buyer_cannot_record_an_agreement_only_a_manager(sent_order, buyer):
    change = propose_quantity(sent_order, buyer)
    with pytest.raises(PermissionDenied):
        services.order_change_record_agreement(change=change, by=buyer, note="Trust me")
    assert sent_order.lines.get(sku="TOTE-01").quantity == 100


def test_withdrawing_a_change_leaves_the_order_as_it_was_and_frees_the_line_for_another(
    sent_order, buyer, portal_a
):
    change = propose_quantity(sent_order, buyer)
    with pytest.raises(ValidationError, match="already waiting"):
        propose_quantity(sent_order, buyer, quantity=160)
    services.order_change_withdraw(change=change, by=buyer)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.WITHDRAWN
    assert sent_order.lines.get(sku="TOTE-01").quantity == 100
    assert propose_quantity(sent_order, buyer, quantity=160).new_quantity == 160


def test_an_accepted_cancellation_cancels_the_order_and_closes_other_open_changes(
    sent_order, buyer, portal_a
):
    quantity = propose_quantity(sent_order, buyer)
    services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    cancellation = sent_order.changes.get(kind=OrderChange.Kind.CANCELLATION)
    services.order_change_accept(change=cancellation, by=portal_a)
    sent_order.refresh_from_db()
    quantity.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.CANCELLED
    assert quantity.status == OrderChange.Status.CLOSED


def test_accepting_a_cancellation_after_goods_shipped_is_refused_and_changes_nothing(
    sent_order, buyer, portal_a
):
    services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    change = sent_order.changes.get()
    services.delivery_ship(
        delivery=sent_order.deliveries.get(sequence=1), by=portal_a, shipped_on=days(0), quantity_shipped=100
    )
    with pytest.raises(ValidationError, match="already shipped"):
        services.order_change_accept(change=change, by=portal_a)
    change.refresh_from_db()
    sent_order.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED and sent_order.status == PurchaseOrder.Status.SENT


# --- Decline, confirm with changes -------------------------------------------------------------------------------


def test_factory_declines_a_sent_order_with_a_reason(sent_order, portal_a):
    with pytest.raises(ValidationError):
        services.order_decline(order=sent_order, by=portal_a, reason="")
    order = services.order_decline(order=sent_order, by=portal_a, reason="No capacity until March")
    assert order.status == PurchaseOrder.Status.DECLINED and order.decline_reason == "No capacity until March"
    assert set(order.deliveries.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}
    with pytest.raises(ValidationError, match="not possible now"):
        services.order_acknowledge(order=order, by=portal_a)


def test_factory_confirms_with_changes_and_the_buyer_accepts_one_and_rejects_another(
    sent_order, buyer, portal_a
):
    tote1, tote2 = sent_order.lines.get(sku="TOTE-01"), sent_order.lines.get(sku="TOTE-02")
    created = services.order_confirm_with_changes(
        order=sent_order,
        by=portal_a,
        reason="Fabric shortage",
        lines=[
            {"line": tote1, "quantity": 90, "required_on": tote1.required_on},
            {"line": tote2, "quantity": 40, "required_on": days(50)},
        ],
    )
    assert [(c.kind, c.side) for c in created] == [("quantity", "factory"), ("required_date", "factory")]
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.ACKNOWLEDGED
    assert tote1.quantity == 100  # the order's values stand until the buyer answers
    services.order_factory_change_decide(change=created[0], by=buyer, accept=True)
    services.order_factory_change_decide(
        change=created[1], by=buyer, accept=False, note="Store opens on time"
    )
    assert sent_order.lines.get(sku="TOTE-01").quantity == 90
    assert sent_order.lines.get(sku="TOTE-02").required_on == days(45)


def test_the_buyer_accepts_all_the_factorys_changes_at_once(sent_order, buyer, portal_a):
    tote1, tote2 = sent_order.lines.get(sku="TOTE-01"), sent_order.lines.get(sku="TOTE-02")
    services.order_confirm_with_changes(
        order=sent_order,
        by=portal_a,
        reason="Line 2 later",
        lines=[{"line": tote1, "quantity": 95}, {"line": tote2, "required_on": days(52)}],
    )
    decided = services.order_factory_changes_decide_all(order=sent_order, by=buyer, accept=True)
    assert {c.status for c in decided} == {OrderChange.Status.ACCEPTED}
    assert planned(sent_order) == {days(30): 95, days(52): 40}
    with pytest.raises(ValidationError, match="No change of the factory"):
        services.order_factory_changes_decide_all(order=sent_order, by=buyer, accept=True)


def test_confirming_with_nothing_different_or_a_bad_line_changes_nothing(sent_order, portal_a):
    tote1 = sent_order.lines.get(sku="TOTE-01")
    with pytest.raises(ValidationError, match="Nothing differs"):
        services.order_confirm_with_changes(
            order=sent_order, by=portal_a, reason="ok", lines=[{"line": tote1, "quantity": 100}]
        )
    with pytest.raises(ValidationError, match="from today on"):
        services.order_confirm_with_changes(
            order=sent_order, by=portal_a, reason="ok", lines=[{"line": tote1, "required_on": days(-2)}]
        )
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT and not sent_order.changes.exists()


# --- The two-way card --------------------------------------------------------------------------------------------


def test_two_way_card_counts_late_proposals_and_those_the_factory_absorbed(
    approved_a, make_order, buyer, portal_a
):
    order = make_order(
        approved_a,
        lines=[
            line_data(sku="A", quantity=100, required_on=days(10)),
            line_data(sku="B", quantity=100, required_on=days(12)),
            line_data(sku="C", quantity=100, required_on=days(40)),
        ],
    )
    services.order_send(order=order, by=buyer)
    late_accepted = propose_quantity(order, buyer, sku="A", quantity=120)
    late_countered = propose_quantity(order, buyer, sku="B", quantity=130)
    early_accepted = propose_quantity(order, buyer, sku="C", quantity=140)
    services.order_change_accept(change=late_accepted, by=portal_a)
    services.order_change_counter(change=late_countered, by=portal_a, quantity=110, reason="Only 110")
    services.order_change_accept_counter(change=late_countered, by=buyer)
    services.order_change_accept(change=early_accepted, by=portal_a)
    counted = kpis.late_order_changes(start=days(-90), end=days(0), supplier_ids=[approved_a.pk])
    assert counted[approved_a.pk] == kpis.LateChanges(proposed_late=2, absorbed=1)


def make_and_send(supplier, make_order, buyer):
    return services.order_send(order=make_order(supplier), by=buyer)


def test_factory_changes_and_drafts_do_not_count_on_the_two_way_card(approved_a, make_order, buyer, portal_a):
    order = make_order(approved_a, lines=[line_data(sku="A", required_on=days(5))])
    services.order_line_change(line=order.lines.get(), by=buyer, quantity=50)  # a draft: no proposal
    services.order_send(order=order, by=buyer)
    services.order_confirm_with_changes(
        order=order,
        by=portal_a,
        reason="Short of cotton",
        lines=[{"line": order.lines.get(), "quantity": 40}],
    )
    services.order_factory_changes_decide_all(order=order, by=buyer, accept=True)
    assert kpis.late_order_changes(start=days(-90), end=days(0), supplier_ids=None) == {
        approved_a.pk: kpis.LateChanges(0, 0)
    }


def test_late_changes_are_counted_for_all_suppliers_in_one_query(
    approved_a, approved_b, make_order, buyer, django_assert_max_num_queries
):
    for supplier in (approved_a, approved_b):
        for n in range(3):
            order = make_and_send(supplier, make_order, buyer)
            services.order_line_change(
                line=order.lines.get(), by=buyer, required_on=days(90 + n), reason="Later"
            )
    with django_assert_max_num_queries(1):
        counted = kpis.late_order_changes(start=days(-90), end=days(0))
    assert counted[approved_a.pk].proposed_late == 0 and counted[approved_b.pk].proposed_late == 0


# --- Notifications to the other side, in its own language --------------------------------------------------------


def test_a_proposal_tells_the_factory_in_its_language_and_the_counter_tells_the_buyer(
    sent_order, buyer, portal_a, django_capture_on_commit_callbacks
):
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    with django_capture_on_commit_callbacks():
        change = propose_date(sent_order, buyer)
    to_factory = Notification.objects.get(user=portal_a)
    assert to_factory.family == "orders"
    with translation.override("vi"):
        shown = to_factory.shown_title, to_factory.shown_body
    assert sent_order.number in shown[0] and shown[0] != f"Change proposed to order {sent_order.number}"
    assert "→" in shown[1]
    assert to_factory.url == reverse("portal:order_detail", args=[sent_order.pk])
    with django_capture_on_commit_callbacks():
        services.order_change_counter(change=change, by=portal_a, required_on=days(70), reason="Holiday")
    to_buyer = Notification.objects.get(user=buyer)
    assert to_buyer.title == f"The factory countered your change to {sent_order.number}"
    assert "Holiday" in to_buyer.body and to_buyer.url == reverse("orders:detail", args=[sent_order.pk])


def test_a_new_order_notice_follows_the_contact_into_a_new_language(approved_a, make_order, buyer, portal_a):
    order = make_and_send(approved_a, make_order, buyer)
    notice = Notification.objects.get(user=portal_a)
    assert notice.family == "orders" and notice.title == f"New purchase order {order.number}"
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    with translation.override(portal_a.language):
        assert order.number in notice.shown_title and notice.shown_title != notice.title


def test_a_refused_answer_notifies_nobody(sent_order, buyer, portal_a):
    change = propose_quantity(sent_order, buyer)
    before = Notification.objects.count()
    with pytest.raises(ValidationError):
        services.order_change_counter(change=change, by=portal_a, quantity=None, reason="No")
    assert Notification.objects.count() == before


# --- Pages and API -----------------------------------------------------------------------------------------------


def test_staff_page_shows_the_counter_and_accepts_it(buyer_client, sent_order, buyer, portal_a):
    change = propose_date(sent_order, buyer)
    services.order_change_counter(change=change, by=portal_a, required_on=days(65), reason="Chinese New Year")
    body = body_of(buyer_client.get(reverse("orders:detail", args=[sent_order.pk])))
    assert "Countered by the factory" in body and "Chinese New Year" in body and "Accept the counter" in body
    response = buyer_client.post(
        reverse("orders:change_answer", args=[sent_order.pk, change.pk]),
        {"action": "accept_counter"},
        follow=True,
    )
    assert "The factory&#x27;s counter is accepted." in body_of(response)
    assert sent_order.lines.get(sku="TOTE-01").required_on == days(65)


def test_a_buyer_recording_an_agreement_gets_a_message_and_nothing_changes(buyer_client, sent_order, buyer):
    change = propose_quantity(sent_order, buyer)
    response = buyer_client.post(
        reverse("orders:change_answer", args=[sent_order.pk, change.pk]),
        {"action": "agree", "note": "phone"},
        follow=True,
    )
    assert "Your role does not allow this." in body_of(response)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED


def test_factory_counters_in_the_portal_and_bad_input_shows_the_error(portal_client, sent_order, buyer):
    change = propose_quantity(sent_order, buyer)
    url = reverse("portal:order_change_answer", args=[sent_order.pk, change.pk])
    page = body_of(portal_client.get(url))
    assert "Accept the change" in page and "The quantity we can make" in page
    response = portal_client.post(url, {"action": "counter", "quantity": "", "reason": "Only 120"})
    assert response.status_code == 400 and "Give the quantity you can make" in body_of(response)
    response = portal_client.post(
        url, {"action": "counter", "quantity": "120", "reason": "Only 120"}, follow=True
    )
    assert "Your counter was sent to the buyer." in body_of(response)
    change.refresh_from_db()
    assert change.status == OrderChange.Status.COUNTERED and change.counter_quantity == 120


def test_another_factory_gets_404_on_the_change_pages(client, sent_order, buyer, portal_b):
    change = propose_quantity(sent_order, buyer)
    client.force_login(portal_b)
    for url in (
        reverse("portal:order_change_answer", args=[sent_order.pk, change.pk]),
        reverse("portal:order_decline", args=[sent_order.pk]),
        reverse("portal:order_confirm_changes", args=[sent_order.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "accept", "reason": "x"}).status_code == 404
    change.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED


def test_factory_declines_and_confirms_with_changes_in_the_portal(portal_client, sent_order, approved_a):
    tote1, tote2 = sent_order.lines.get(sku="TOTE-01"), sent_order.lines.get(sku="TOTE-02")
    url = reverse("portal:order_confirm_changes", args=[sent_order.pk])
    data = {
        f"quantity_{tote1.pk}": "80",
        f"required_on_{tote1.pk}": tote1.required_on.isoformat(),
        f"quantity_{tote2.pk}": "40",
        f"required_on_{tote2.pk}": tote2.required_on.isoformat(),
        "reason": "",
    }
    assert portal_client.post(url, data).status_code == 400
    response = portal_client.post(url, {**data, "reason": "Cotton"}, follow=True)
    assert "your changes wait for the buyer" in body_of(response)
    assert sent_order.changes.get().new_quantity == 80
    response = portal_client.post(reverse("portal:order_decline", args=[sent_order.pk]), {"reason": "No"})
    assert response.status_code == 400  # acknowledged now: it can no longer be declined


def test_api_factory_counters_and_buyer_accepts_the_counter(api_client, sent_order, buyer, portal_a):
    response = authed(api_client, buyer).post(
        reverse("api:order-propose-change", args=[sent_order.pk]),
        {
            "line": sent_order.lines.get(sku="TOTE-02").pk,
            "required_on": days(40).isoformat(),
            "reason": "Sooner",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    change_id = response.json()[0]["id"]
    response = authed(api_client, portal_a).post(
        reverse("api:order-change-counter", args=[change_id]),
        {"required_on": days(42).isoformat(), "reason": "Two more days"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "countered"
    response = authed(api_client, buyer).post(reverse("api:order-change-accept-counter", args=[change_id]))
    assert response.status_code == 200 and response.json()["status"] == "counter_accepted"
    assert sent_order.lines.get(sku="TOTE-02").required_on == days(42)


def test_api_bad_answers_get_400_and_another_factory_404(api_client, sent_order, buyer, portal_a, portal_b):
    change = propose_quantity(sent_order, buyer)
    url = reverse("api:order-change-counter", args=[change.pk])
    assert (
        authed(api_client, portal_b).post(url, {"quantity": 5, "reason": "x"}, format="json").status_code
        == 404
    )
    response = authed(api_client, portal_a).post(url, {"quantity": "lots", "reason": ""}, format="json")
    assert response.status_code == 400
    response = authed(api_client, portal_a).post(
        reverse("api:order-confirm-with-changes", args=[sent_order.pk]),
        {"reason": "x", "lines": [{"line": 987654321, "quantity": 3}]},
        format="json",
    )
    assert response.status_code == 400
    change.refresh_from_db()
    assert change.status == OrderChange.Status.PROPOSED


def test_the_factory_token_lists_only_its_own_changes(api_client, sent_order, buyer, portal_b):
    propose_quantity(sent_order, buyer)
    assert authed(api_client, portal_b).get(reverse("api:order-change-list")).json()["results"] == []
