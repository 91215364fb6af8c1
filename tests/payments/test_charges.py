"""Hidden charges: extra-charge lines on invoices (with a reason), the charges a buyer agreed on the order, the
three-way match that holds an unagreed charge as a discrepancy with a hidden_cost red flag, and the price variance
per supplier on the portfolio, the scorecards and the API. Never another supplier's."""

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from communications.models import Notification
from orders import services as order_services
from orders.models import OrderCharge
from payments import selectors, services
from payments.models import Invoice, InvoiceCharge, InvoiceDiscrepancy, InvoiceLine
from scorecards import alerts, kpis, periods
from scorecards.models import RedFlag
from tests.factories import PortalUserFactory
from tests.helpers import authed, body_of
from tests.payments.builders import days, make_order, pdf, receive, record

pytestmark = pytest.mark.django_db

FREIGHT = {"kind": "freight", "amount": Decimal("250.00"), "reason": "Sea freight to Rotterdam"}


def agree(order, by, kind="freight", cap="300.00", note="") -> OrderCharge:
    return order_services.order_charge_set(order=order, by=by, kind=kind, amount_cap=Decimal(cap), note=note)


def charged(order, by, *charges, number="INV-C1", items=((100, "3.40"),)) -> Invoice:
    return record(order, by=by, items=list(items), number=number, charges=[dict(c) for c in charges])


def charge_discrepancies(invoice) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (d.charge.kind, d.expected, d.invoiced)
        for d in invoice.discrepancies.filter(kind=InvoiceDiscrepancy.Kind.CHARGE).order_by("pk")
    ]


def evaluate() -> list[RedFlag]:
    return alerts.flags_evaluate(today=timezone.localdate(), now=timezone.now())


# --- Services: charges on an invoice ---------------------------------------------------------------------------


def test_a_charge_is_billed_with_its_reason_and_adds_to_the_invoice_amount(received_order, buyer):
    agree(received_order, buyer)
    invoice = charged(received_order, buyer, FREIGHT)
    charge = invoice.charges.get()
    assert (charge.kind, charge.amount, charge.reason) == (
        "freight",
        Decimal("250.00"),
        "Sea freight to Rotterdam",
    )
    assert invoice.amount == Decimal("590.00")  # 100 × 3.40 + 250


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_charge_without_a_reason_is_refused_and_nothing_is_written(received_order, buyer, reason):
    with pytest.raises(ValidationError) as refused:
        charged(received_order, buyer, {**FREIGHT, "reason": reason})
    assert "Charge 1: say what the charge is for" in " ".join(refused.value.messages)
    assert not Invoice.objects.exists() and not InvoiceCharge.objects.exists()


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("0", "USD", "greater than or equal to 0.01"),
        ("-5", "USD", "greater than or equal to 0.01"),
        ("100000000.01", "USD", "less than or equal to 100000000"),
        ("12.345", "USD", "no more than 2 decimal places"),
        ("1500.50", "JPY", "An amount in JPY has at most 0 decimals."),
    ],
)
def test_a_charge_out_of_bounds_or_with_too_many_decimals_is_refused(
    received_order, buyer, amount, currency, message
):
    PurchaseOrderModel = type(received_order)
    PurchaseOrderModel.objects.filter(pk=received_order.pk).update(currency=currency)
    received_order.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        charged(received_order, buyer, {**FREIGHT, "amount": Decimal(amount)})
    assert message in " ".join(refused.value.messages)
    assert not Invoice.objects.exists()


def test_a_charge_of_an_unknown_kind_is_refused(received_order, buyer):
    with pytest.raises(ValidationError):
        charged(received_order, buyer, {**FREIGHT, "kind": "bribe"})
    assert not Invoice.objects.exists()


# --- Three-way match of charges ------------------------------------------------------------------------------


def test_an_unagreed_charge_opens_a_discrepancy_and_a_hidden_cost_flag(received_order, buyer):
    invoice = charged(received_order, buyer, FREIGHT)
    assert invoice.status == Invoice.Status.DISPUTED
    assert charge_discrepancies(invoice) == [("freight", Decimal("0"), Decimal("250.00"))]
    (flag,) = [f for f in evaluate() if f.rule == RedFlag.Rule.HIDDEN_COST]
    discrepancy = invoice.discrepancies.get()
    assert (flag.supplier_id, flag.discrepancy, flag.period) == (
        invoice.supplier_id,
        discrepancy,
        f"charge-{discrepancy.pk}",
    )
    assert flag.recommended_action == "Demand transparency; request a cost breakdown."
    assert (flag.observed, flag.target) == ("250", "0")
    assert str(flag.period_label) == f"charge discrepancy #{discrepancy.pk}"


def test_a_charge_within_the_agreed_amount_matches(received_order, buyer):
    agree(received_order, buyer, cap="250.00")
    invoice = charged(received_order, buyer, FREIGHT)
    assert invoice.status == Invoice.Status.SUBMITTED
    assert not invoice.discrepancies.exists()
    assert not [f for f in evaluate() if f.rule == RedFlag.Rule.HIDDEN_COST]


def test_a_charge_above_the_agreed_amount_opens_a_discrepancy_for_what_was_left(received_order, buyer):
    agree(received_order, buyer, cap="200.00")
    invoice = charged(received_order, buyer, FREIGHT)
    assert charge_discrepancies(invoice) == [("freight", Decimal("200.00"), Decimal("250.00"))]


def test_an_agreed_charge_of_another_kind_does_not_cover_it(received_order, buyer):
    agree(received_order, buyer, kind="tooling", cap="5000.00")
    invoice = charged(received_order, buyer, FREIGHT)
    assert charge_discrepancies(invoice) == [("freight", Decimal("0"), Decimal("250.00"))]


def test_the_agreed_amount_is_shared_by_all_the_orders_invoices(received_order, buyer):
    receive_more = received_order  # 100 received; bill 50 on each invoice
    agree(receive_more, buyer, cap="300.00")
    first = charged(receive_more, buyer, FREIGHT, number="INV-C1", items=[(50, "3.40")])
    second = charged(receive_more, buyer, FREIGHT, number="INV-C2", items=[(50, "3.40")])
    assert not first.discrepancies.exists()
    assert charge_discrepancies(second) == [("freight", Decimal("50.00"), Decimal("250.00"))]


def test_a_rejected_invoices_charges_no_longer_use_the_agreed_amount(received_order, buyer):
    agree(received_order, buyer, cap="300.00")
    first = charged(received_order, buyer, FREIGHT, number="INV-C1", items=[(50, "3.40")])
    services.invoice_reject(invoice=first, by=buyer, reason="Wrong bank details")
    second = charged(received_order, buyer, FREIGHT, number="INV-C2", items=[(50, "3.40")])
    assert not second.discrepancies.exists()


def test_a_price_above_the_agreed_price_stays_a_price_discrepancy_beside_the_charge(received_order, buyer):
    invoice = charged(received_order, buyer, FREIGHT, items=[(100, "3.55")])
    assert sorted(invoice.discrepancies.values_list("kind", flat=True)) == ["charge", "price"]
    rules = sorted(f.rule for f in evaluate() if f.supplier_id == invoice.supplier_id)
    assert RedFlag.Rule.PRICE_ABOVE_AGREED in rules and RedFlag.Rule.HIDDEN_COST in rules


def test_running_the_match_and_the_rules_twice_raises_once(received_order, buyer):
    from payments.services.invoices import _charges_match

    invoice = charged(received_order, buyer, FREIGHT)
    assert _charges_match(invoice=invoice, charges=list(invoice.charges.all())) == []
    assert invoice.discrepancies.count() == 1
    first = [f for f in evaluate() if f.rule == RedFlag.Rule.HIDDEN_COST]
    assert len(first) == 1 and evaluate() == []
    assert RedFlag.objects.filter(rule=RedFlag.Rule.HIDDEN_COST).count() == 1


def test_resolving_a_charge_discrepancy_releases_the_invoice_as_for_a_price(received_order, buyer):
    invoice = charged(received_order, buyer, FREIGHT)
    services.discrepancy_resolve(
        discrepancy=invoice.discrepancies.get(), by=buyer, note="Freight accepted by email of 3 May"
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.SUBMITTED
    assert services.invoice_approve(invoice=invoice, by=buyer).status == Invoice.Status.APPROVED
    assert not [f for f in evaluate() if f.rule == RedFlag.Rule.HIDDEN_COST]


def test_a_charge_discrepancy_names_its_charge_and_no_line(received_order, buyer):
    invoice = charged(received_order, buyer, FREIGHT)
    discrepancy = invoice.discrepancies.get()
    assert discrepancy.line is None and discrepancy.charge == invoice.charges.get()
    assert discrepancy.subject == "Freight"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses one on a line too
        InvoiceDiscrepancy.objects.filter(pk=discrepancy.pk).update(line=InvoiceLine.objects.get())


def test_the_factory_hears_of_the_hidden_cost_flag_in_its_own_language(received_order, buyer, portal_a):
    charged(received_order, buyer, FREIGHT)
    evaluate()
    notice = Notification.objects.filter(user=portal_a, message_key="red_flag").get()
    assert (notice.params, notice.url) == ({"rule": "hidden_cost"}, reverse("portal:scorecard"))
    with translation.override("zh-hans"):
        assert "隐性成本" in notice.shown_title
    with translation.override("vi"):
        assert "chi phí ẩn" in notice.shown_title


# --- Agreed charges on the order -------------------------------------------------------------------------------


def test_agreeing_a_kind_again_changes_its_amount(received_order, buyer):
    agree(received_order, buyer, cap="100.00")
    agree(received_order, buyer, cap="150.00", note="Agreed by phone")
    charge = OrderCharge.objects.get()
    assert (charge.amount_cap, charge.note) == (Decimal("150.00"), "Agreed by phone")


@pytest.mark.parametrize(
    ("cap", "message"), [("0", "0.01"), ("100000001", "100000000"), ("1.234", "decimal")]
)
def test_an_agreed_charge_out_of_bounds_is_refused(received_order, buyer, cap, message):
    with pytest.raises(ValidationError) as refused:
        agree(received_order, buyer, cap=cap)
    assert message in " ".join(refused.value.messages)
    assert not OrderCharge.objects.exists()


def test_a_factory_contact_cannot_agree_a_charge(received_order, portal_a):
    with pytest.raises(PermissionDenied):
        agree(received_order, portal_a)


def test_a_closed_order_keeps_its_agreed_charges(received_order, buyer):
    charge = agree(received_order, buyer)
    type(received_order).objects.filter(pk=received_order.pk).update(status="closed")
    with pytest.raises(ValidationError):
        order_services.order_charge_remove(charge=charge, by=buyer)
    assert OrderCharge.objects.exists()


# --- Price variance (kpis.py) ---------------------------------------------------------------------------------


def test_price_variance_sums_price_differences_and_unagreed_charges_against_the_agreed_value(
    received_order, buyer, approved_b
):
    agree(received_order, buyer, kind="tooling", cap="100.00")
    charged(
        received_order,
        buyer,
        FREIGHT,
        {"kind": "tooling", "amount": Decimal("80.00"), "reason": "Mould"},
        items=[(100, "3.50")],
    )
    # Another supplier, billed below the agreed price: a negative variance.
    other = make_order(approved_b, by=buyer, lines=[(10, "2.00")], number="PO-B-1")
    receive(other, by=buyer, quantities=[10])
    record(other, by=buyer, items=[(10, "1.90")], number="INV-B-1")
    variance = kpis.price_variance(start=days(-90), end=days(0))
    (mine,) = variance[received_order.supplier_id]
    assert (mine.currency, mine.lines, mine.charges, mine.agreed) == (
        "USD",
        Decimal("10"),
        Decimal("250"),
        Decimal("340"),
    )
    assert (mine.total, mine.percent) == (Decimal("260.00"), Decimal("76.5"))
    (theirs,) = variance[approved_b.pk]
    assert (theirs.total, theirs.percent) == (Decimal("-1.00"), Decimal("-5.0"))


def test_price_variance_leaves_out_rejected_invoices_and_invoices_outside_the_window(received_order, buyer):
    invoice = charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    assert kpis.price_variance(start=days(-5), end=days(0)) == {}  # dated 10 days ago
    services.invoice_reject(invoice=invoice, by=buyer, reason="Send it without the freight")
    assert kpis.price_variance(start=days(-90), end=days(0)) == {}


def test_price_variance_is_one_query_for_any_number_of_suppliers(
    received_order, buyer, approved_b, django_assert_max_num_queries
):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    for n in range(3):
        order = make_order(approved_b, by=buyer, lines=[(10, "2.00")], number=f"PO-B-{n}")
        receive(order, by=buyer, quantities=[10])
        record(order, by=buyer, items=[(10, "2.10")], number=f"INV-B-{n}", charges=[FREIGHT])
    with django_assert_max_num_queries(1):
        variance = kpis.price_variance(start=days(-90), end=days(0))
    assert len(variance) == 2 and variance[approved_b.pk][0].charges == Decimal("750")


# --- Pages -----------------------------------------------------------------------------------------------------


def charge_rows(*charges) -> dict:
    data = {"charges-TOTAL_FORMS": "3", "charges-INITIAL_FORMS": "0"}
    for index, (kind, amount, reason) in enumerate(charges):
        data.update(
            {
                f"charges-{index}-kind": kind,
                f"charges-{index}-amount": amount,
                f"charges-{index}-reason": reason,
            }
        )
    return data


def staff_invoice_post(order, *charges) -> dict:
    line = order.lines.get()
    return {
        "number": "INV-S1",
        "invoice_date": days(-2).isoformat(),
        "received_on": days(-1).isoformat(),
        "notes": "",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-quantity": "100",
        "form-0-unit_price": str(line.unit_price),
        **charge_rows(*charges),
    }


def test_staff_record_an_invoice_with_a_charge_and_see_the_hold(buyer_client, received_order):
    url = reverse("payments:invoice_create") + f"?order={received_order.pk}"
    assert "Extra charges" in body_of(buyer_client.get(url))
    response = buyer_client.post(url, staff_invoice_post(received_order, ("freight", "250", "Sea freight")))
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and invoice.status == Invoice.Status.DISPUTED
    page = body_of(buyer_client.get(invoice.get_absolute_url()))
    assert "Sea freight" in page and "Extra charge not agreed on the order" in page
    assert "agreed 0.00 USD, charged 250.00 USD" in page


def test_staff_form_refuses_a_charge_without_a_reason_and_keeps_the_input(buyer_client, received_order):
    url = reverse("payments:invoice_create") + f"?order={received_order.pk}"
    response = buyer_client.post(url, staff_invoice_post(received_order, ("freight", "250", "")))
    assert response.status_code == 400
    assert "a charge without a reason is refused" in body_of(response)
    assert not Invoice.objects.exists()


def test_staff_form_refuses_a_charge_with_no_amount(buyer_client, received_order):
    url = reverse("payments:invoice_create") + f"?order={received_order.pk}"
    response = buyer_client.post(url, staff_invoice_post(received_order, ("freight", "", "Freight")))
    assert response.status_code == 400 and "Enter the amount of the charge." in body_of(response)


def test_the_order_page_agrees_and_withdraws_a_charge(buyer_client, received_order):
    response = buyer_client.post(
        reverse("orders:charge_set", args=[received_order.pk]),
        {"kind": "tooling", "amount_cap": "1200.00", "note": "Mould for the new handle"},
    )
    assert response.status_code == 302
    page = body_of(buyer_client.get(received_order.get_absolute_url()))
    assert "Agreed extra charges" in page and "Mould for the new handle" in page and "1,200.00 USD" in page
    charge = OrderCharge.objects.get()
    buyer_client.post(reverse("orders:charge_remove", args=[received_order.pk, charge.pk]))
    assert not OrderCharge.objects.exists()


def test_the_order_page_refuses_a_bad_cap_with_the_form_in_place(buyer_client, received_order):
    response = buyer_client.post(
        reverse("orders:charge_set", args=[received_order.pk]), {"kind": "tooling", "amount_cap": "-3"}
    )
    assert response.status_code == 400 and "Agreed extra charges" in body_of(response)
    assert not OrderCharge.objects.exists()


def test_withdrawing_a_charge_of_another_order_answers_404(buyer_client, received_order, buyer, approved_b):
    other = make_order(approved_b, by=buyer, lines=[(10, "2.00")], number="PO-B-1")
    charge = agree(other, buyer)
    response = buyer_client.post(reverse("orders:charge_remove", args=[received_order.pk, charge.pk]))
    assert response.status_code == 404 and OrderCharge.objects.exists()


def test_portfolio_and_scorecard_show_the_price_variance(buyer_client, received_order, buyer):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    portfolio = body_of(buyer_client.get(reverse("scorecards:portfolio")))
    assert "Price variance" in portfolio and "+260.00 USD" in portfolio
    card = body_of(buyer_client.get(reverse("scorecards:supplier", args=[received_order.supplier_id])))
    assert "+260.00 USD" in card and "(+76.5 %)" in card and "of which unagreed charges 250.00" in card
    streamed = buyer_client.get(reverse("scorecards:portfolio") + "?export=csv").streaming_content
    export = b"".join(streamed).decode("utf-8-sig")
    assert "Price variance" in export and "+260.00 USD (+76.5 %)" in export


def test_portfolio_queries_stay_constant_with_price_variance(
    buyer_client, received_order, buyer, approved_b, django_assert_max_num_queries
):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    buyer_client.get(reverse("scorecards:portfolio"))  # warm the session and caches
    with django_assert_max_num_queries(30) as counted:
        buyer_client.get(reverse("scorecards:portfolio"))
    few = len(counted.captured_queries)
    for n in range(4):
        order = make_order(approved_b, by=buyer, lines=[(10, "2.00")], number=f"PO-B-{n}")
        receive(order, by=buyer, quantities=[10])
        record(order, by=buyer, items=[(10, "2.10")], number=f"INV-B-{n}", charges=[FREIGHT])
    with django_assert_max_num_queries(few):
        buyer_client.get(reverse("scorecards:portfolio"))


# --- Portal -----------------------------------------------------------------------------------------------------


def portal_submission(order, *charges) -> dict:
    return {
        "number": "F-2026-7",
        "invoice_date": days(-1).isoformat(),
        "notes": "",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-quantity": "100",
        "form-0-unit_price": "3.40",
        "document": pdf(),
        **charge_rows(*charges),
    }


def test_the_factory_adds_a_charge_in_the_portal_and_sees_the_difference(
    portal_client, received_order, buyer
):
    agree(received_order, buyer, kind="samples", cap="50.00", note="Two pre-production samples")
    url = reverse("portal:invoice_submit", args=[received_order.pk])
    form = body_of(portal_client.get(url))
    assert "Extra charges" in form and "Samples ≤ 50.00 USD" in form
    response = portal_client.post(
        url,
        portal_submission(received_order, ("freight", "250.00", "Sea freight"), ("samples", "50", "Samples")),
    )
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and invoice.amount == Decimal("640.00")
    page = body_of(portal_client.get(reverse("portal:invoice_detail", args=[invoice.pk])))
    assert (
        "Sea freight" in page
        and "Extra charge not agreed on the order" in page
        and "agreed 0.00, charged 250.00" in page
    )
    assert invoice.discrepancies.count() == 1


def test_the_portal_refuses_a_charge_without_a_reason(portal_client, received_order):
    url = reverse("portal:invoice_submit", args=[received_order.pk])
    response = portal_client.post(url, portal_submission(received_order, ("freight", "250.00", "")))
    assert response.status_code == 400 and "a charge without a reason is refused" in body_of(response)
    assert not Invoice.objects.exists()


def test_the_portal_order_page_shows_the_agreed_charges(portal_client, received_order, buyer):
    agree(received_order, buyer, kind="tooling", cap="1200", note="Handle mould")
    page = body_of(portal_client.get(reverse("portal:order_detail", args=[received_order.pk])))
    assert "Extra charges we agreed" in page and "up to 1,200.00 USD" in page and "Handle mould" in page


def test_the_portal_scorecard_shows_the_factorys_own_variance_and_partner_wording(
    portal_client, received_order, buyer
):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    evaluate()
    page = body_of(portal_client.get(reverse("portal:scorecard")))
    assert "+260.00 USD" in page
    assert "An invoice carries a charge we did not agree on the order" in page


def test_the_portal_speaks_the_factorys_language_about_charges(client, received_order, buyer):
    for language, word in (("zh-hans", "额外费用"), ("vi", "Chi phí phát sinh")):
        contact = PortalUserFactory(supplier=received_order.supplier, language=language)
        client.force_login(contact)
        page = body_of(client.get(reverse("portal:invoice_submit", args=[received_order.pk])))
        assert word in page, language


# --- API --------------------------------------------------------------------------------------------------------


def invoice_json(order, *charges) -> dict:
    return {
        "order": order.pk,
        "number": "INV-API-1",
        "invoice_date": days(-3).isoformat(),
        "lines": [{"order_line": order.lines.get().pk, "quantity": 100, "unit_price": "3.40"}],
        "charges": list(charges),
    }


def test_an_erp_records_an_invoice_with_charges_and_reads_the_discrepancy(api_client, buyer, received_order):
    body = (
        authed(api_client, buyer)
        .post(
            "/api/v1/invoices/",
            invoice_json(received_order, {"kind": "freight", "amount": "250.00", "reason": "Sea freight"}),
            format="json",
        )
        .json()
    )
    assert body["status"] == "disputed" and body["amount"] == "590.00"
    assert body["charges"] == [
        {"id": body["charges"][0]["id"], "kind": "freight", "amount": "250.00", "reason": "Sea freight"}
    ]
    (discrepancy,) = body["discrepancies"]
    assert (discrepancy["kind"], discrepancy["charge"], discrepancy["line"]) == (
        "charge",
        body["charges"][0]["id"],
        None,
    )


def test_the_api_refuses_a_charge_without_a_reason_with_the_services_message(
    api_client, buyer, received_order
):
    response = authed(api_client, buyer).post(
        "/api/v1/invoices/",
        invoice_json(received_order, {"kind": "freight", "amount": "250.00", "reason": ""}),
        format="json",
    )
    assert response.status_code == 400
    assert "a charge without a reason is refused" in str(response.json())
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1", "100000000.01", "1.001", "abc"])
def test_the_api_refuses_a_charge_out_of_bounds(api_client, buyer, received_order, amount):
    response = authed(api_client, buyer).post(
        "/api/v1/invoices/",
        invoice_json(received_order, {"kind": "freight", "amount": amount, "reason": "Freight"}),
        format="json",
    )
    assert response.status_code == 400 and not Invoice.objects.exists()


def test_the_order_api_shows_the_agreed_charges(api_client, buyer, received_order, portal_a):
    agree(received_order, buyer, kind="tooling", cap="1200", note="Handle mould")
    for user in (buyer, portal_a):
        body = authed(api_client, user).get(f"/api/v1/orders/{received_order.pk}/").json()
        assert body["agreed_charges"] == [
            {
                "id": OrderCharge.objects.get().pk,
                "kind": "tooling",
                "amount_cap": "1200.00",
                "note": "Handle mould",
            }
        ]


def test_the_scorecard_api_gives_the_price_variance(api_client, buyer, received_order, portal_a, approved_b):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    body = authed(api_client, portal_a).get("/api/v1/scorecards/").json()
    (card,) = body["results"]
    assert card["price_variance"] == [
        {
            "currency": "USD",
            "amount": "260.00",
            "price_differences": "10.00",
            "unagreed_charges": "250.00",
            "agreed_value": "340.00",
            "percent": "76.5",
        }
    ]


# --- Isolation --------------------------------------------------------------------------------------------------


def test_another_factory_sees_none_of_the_charges_or_their_discrepancies(
    api_client, client, buyer, received_order, portal_b
):
    agree(received_order, buyer, kind="tooling")
    invoice = charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    discrepancy = invoice.discrepancies.get(kind="charge")
    assert not InvoiceCharge.objects.visible_to(portal_b).exists()
    assert not OrderCharge.objects.visible_to(portal_b).exists()
    api = authed(api_client, portal_b)
    assert api.get(f"/api/v1/invoice-discrepancies/{discrepancy.pk}/").status_code == 404
    assert api.get("/api/v1/invoice-discrepancies/").json()["count"] == 0
    assert api.get(f"/api/v1/invoices/{invoice.pk}/").status_code == 404
    assert all(card["price_variance"] == [] for card in api.get("/api/v1/scorecards/").json()["results"])
    client.force_login(portal_b)
    assert client.get(reverse("portal:invoice_detail", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("portal:order_detail", args=[received_order.pk])).status_code == 404
    assert "260.00" not in body_of(client.get(reverse("portal:scorecard")))


def test_a_factory_contact_cannot_reach_the_staff_charge_pages(client, received_order, buyer, portal_a):
    charge = agree(received_order, buyer)
    client.force_login(portal_a)
    assert client.post(reverse("orders:charge_set", args=[received_order.pk]), {}).status_code == 404
    assert (
        client.post(reverse("orders:charge_remove", args=[received_order.pk, charge.pk])).status_code == 404
    )
    assert OrderCharge.objects.exists()


def test_invoice_charges_selector_reads_in_two_queries(received_order, buyer, django_assert_max_num_queries):
    invoice = charged(
        received_order,
        buyer,
        FREIGHT,
        {"kind": "tooling", "amount": Decimal("80.00"), "reason": "Mould"},
        {"kind": "other", "amount": Decimal("5.00"), "reason": "Bank fee"},
    )
    with django_assert_max_num_queries(2):
        rows = selectors.invoice_charges(invoice=invoice)
        assert [len(row.discrepancies.all()) for row in rows] == [1, 1, 1]


@time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.get_fixed_timezone(0)), tick=False)
def test_price_variance_follows_the_period_asked_for(received_order, buyer):
    charged(received_order, buyer, FREIGHT, items=[(100, "3.50")])
    quarter = periods.parse("2026-Q4", today=timezone.localdate())
    assert kpis.price_variance(start=quarter.start, end=quarter.end)[received_order.supplier_id][
        0
    ].total == Decimal("260.00")
