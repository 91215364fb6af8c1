"""Writes on payments: the three-way match, discrepancies and approval, payments, due dates from the terms in
force, payment-term changes and their acceptance rules, and the payment reminders."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from orders import services as order_services
from payments import selectors, services
from payments.models import (
    Invoice,
    InvoiceDiscrepancy,
    InvoiceLine,
    Payment,
    PaymentReminder,
    PaymentTermChange,
)
from payments.tasks import payment_reminders_task
from suppliers.models import Activity
from tests.factories import ContractFactory, PortalUserFactory
from tests.helpers import InDays, on_the_day
from tests.orders.builders import line_data
from tests.payments.builders import bill, days, make_order, pdf, receive, record

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        "invoices": Invoice.objects.count(),
        "lines": InvoiceLine.objects.count(),
        "discrepancies": InvoiceDiscrepancy.objects.count(),
        "payments": Payment.objects.count(),
        "term_changes": PaymentTermChange.objects.count(),
    }


def discrepancies(invoice) -> list[tuple[str, Decimal, Decimal]]:
    return [(d.kind, d.expected, d.invoiced) for d in invoice.discrepancies.order_by("pk")]


def approved(invoice, buyer) -> Invoice:
    return services.invoice_approve(invoice=invoice, by=buyer)


# --- Three-way match: price -----------------------------------------------------------------------------------


def test_price_above_the_agreed_price_opens_a_discrepancy_and_holds_the_invoice(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    assert invoice.status == Invoice.Status.DISPUTED
    assert discrepancies(invoice) == [("price", Decimal("3.4000"), Decimal("3.5500"))]
    assert invoice.amount == Decimal("355.00")
    assert Activity.objects.filter(kind=Activity.Kind.INVOICE_RECEIVED_WITH_DISCREPANCIES).exists()


@pytest.mark.parametrize("price", ["3.40", "3.10"])
def test_price_equal_to_or_below_the_agreed_price_matches(received_order, buyer, price):
    invoice = record(received_order, by=buyer, items=[(100, price)])
    assert invoice.status == Invoice.Status.SUBMITTED
    assert discrepancies(invoice) == []


def test_a_tenth_of_a_cent_above_the_agreed_price_is_still_a_price_hike(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.4001")])
    assert discrepancies(invoice) == [("price", Decimal("3.4000"), Decimal("3.4001"))]


# --- Three-way match: quantity --------------------------------------------------------------------------------


def test_billing_more_than_was_received_opens_a_quantity_discrepancy(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(120, "3.40")])
    assert invoice.status == Invoice.Status.DISPUTED
    assert discrepancies(invoice) == [("quantity", Decimal("100"), Decimal("120"))]


def test_billing_what_a_partial_receipt_brought_matches(approved_a, buyer):
    order = make_order(approved_a, by=buyer, lines=[(100, "3.40")])
    receive(order, by=buyer, quantities=[60])
    assert record(order, by=buyer, items=[(60, "3.40")]).status == Invoice.Status.SUBMITTED
    beyond = record(order, by=buyer, items=[(1, "3.40")], number="INV-2")
    assert discrepancies(beyond) == [("quantity", Decimal("0"), Decimal("1"))]


def test_billing_the_full_order_after_a_partial_receipt_is_a_discrepancy(approved_a, buyer):
    order = make_order(approved_a, by=buyer, lines=[(100, "3.40")])
    receive(order, by=buyer, quantities=[60])
    invoice = record(order, by=buyer, items=[(100, "3.40")])
    assert discrepancies(invoice) == [("quantity", Decimal("60"), Decimal("100"))]


def test_nothing_received_yet_makes_every_billed_line_a_quantity_discrepancy(two_line_order, buyer):
    invoice = record(two_line_order, by=buyer, items=[(100, "3.40"), (40, "4.10")])
    assert discrepancies(invoice) == [
        ("quantity", Decimal("0"), Decimal("100")),
        ("quantity", Decimal("0"), Decimal("40")),
    ]


def test_units_on_earlier_invoices_of_the_order_count_against_the_receipts(received_order, buyer):
    record(received_order, by=buyer, items=[(70, "3.40")])
    second = record(received_order, by=buyer, items=[(50, "3.40")], number="INV-2")
    assert discrepancies(second) == [("quantity", Decimal("30"), Decimal("50"))]


def test_lines_draw_in_order_on_the_units_received_for_the_order(two_line_order, buyer):
    receive(two_line_order, by=buyer, quantities=[100])  # the first delivery only
    invoice = record(two_line_order, by=buyer, items=[(100, "3.40"), (40, "4.10")])
    assert discrepancies(invoice) == [("quantity", Decimal("0"), Decimal("40"))]
    assert invoice.discrepancies.get().line.order_line.sku == "SKU-2"


def test_a_line_both_overpriced_and_overbilled_gets_one_discrepancy_of_each_kind(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(150, "3.90")])
    assert sorted(kind for kind, _, _ in discrepancies(invoice)) == ["price", "quantity"]
    assert invoice.discrepancies.values("line").distinct().count() == 1


def test_a_rejected_invoice_frees_its_units_for_the_corrected_one(received_order, buyer):
    wrong = record(received_order, by=buyer, items=[(100, "3.90")])
    services.invoice_reject(invoice=wrong, by=buyer, reason="Price not agreed; send it at 3.40.")
    corrected = record(received_order, by=buyer, items=[(100, "3.40")], number="INV-1-R")
    assert corrected.status == Invoice.Status.SUBMITTED
    wrong.refresh_from_db()
    assert wrong.status == Invoice.Status.REJECTED
    assert wrong.discrepancies.get().resolution_note == "Invoice rejected: Price not agreed; send it at 3.40."


# --- Discrepancies and approval -------------------------------------------------------------------------------


def test_approval_is_blocked_while_a_discrepancy_is_open(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    with pytest.raises(ValidationError, match=r"Resolve the open discrepancies first \(1 open\)"):
        services.invoice_approve(invoice=invoice, by=buyer)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DISPUTED and invoice.decided_by is None


def test_resolving_the_last_discrepancy_lets_the_invoice_be_approved(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(150, "3.55")])
    price, quantity = invoice.discrepancies.order_by("kind")
    services.discrepancy_resolve(discrepancy=price, by=buyer, note="Copper surcharge accepted by email.")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DISPUTED  # one still open
    services.discrepancy_resolve(discrepancy=quantity, by=buyer, note="50 more arrived on the next truck.")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.SUBMITTED
    invoice = approved(invoice, buyer)
    assert invoice.status == Invoice.Status.APPROVED and invoice.decided_by == buyer


def test_resolving_needs_a_note_and_changes_nothing_without_one(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    discrepancy = invoice.discrepancies.get()
    with pytest.raises(ValidationError) as exc:
        services.discrepancy_resolve(discrepancy=discrepancy, by=buyer, note="  ")
    assert exc.value.message_dict == {"note": ["Write down how the discrepancy was settled."]}
    discrepancy.refresh_from_db()
    assert discrepancy.status == InvoiceDiscrepancy.Status.OPEN


def test_resolving_twice_fails_the_second_time(received_order, buyer):
    discrepancy = record(received_order, by=buyer, items=[(100, "3.55")]).discrepancies.get()
    services.discrepancy_resolve(discrepancy=discrepancy, by=buyer, note="Accepted.")
    with pytest.raises(ValidationError, match="already resolved"):
        services.discrepancy_resolve(discrepancy=discrepancy, by=buyer, note="Accepted again.")


def test_approving_twice_fails_the_second_time(received_order, buyer):
    invoice = approved(record(received_order, by=buyer, items=[(100, "3.40")]), buyer)
    with pytest.raises(
        ValidationError, match=r"The invoice is Approved for payment; it cannot be approved now\."
    ):
        services.invoice_approve(invoice=invoice, by=buyer)


def test_quality_staff_cannot_approve_or_resolve(received_order, buyer, quality):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    with pytest.raises(PermissionDenied):
        services.discrepancy_resolve(discrepancy=invoice.discrepancies.get(), by=quality, note="ok")
    with pytest.raises(PermissionDenied):
        services.invoice_approve(invoice=invoice, by=quality)


def test_an_approved_invoice_cannot_be_rejected(received_order, buyer):
    invoice = approved(record(received_order, by=buyer, items=[(100, "3.40")]), buyer)
    with pytest.raises(ValidationError, match="cannot be rejected now"):
        services.invoice_reject(invoice=invoice, by=buyer, reason="Changed our mind")


# --- Recording an invoice: bad input changes nothing ----------------------------------------------------------


def test_a_line_not_on_the_order_is_refused_and_nothing_is_written(received_order, two_line_order, buyer):
    before = row_counts()
    foreign_line = two_line_order.lines.first()
    with pytest.raises(ValidationError, match=r"Line 1: that item is not on order PO-PAY-1\."):
        services.invoice_record(
            order=received_order,
            by=buyer,
            number="INV-X",
            invoice_date=days(-1),
            lines=bill(two_line_order, (10, "3.40"), lines=[foreign_line]),
        )
    assert row_counts() == before


def test_a_bad_line_refuses_the_whole_invoice(two_line_order, buyer):
    receive(two_line_order, by=buyer, quantities=[100, 40])
    before = row_counts()
    with pytest.raises(ValidationError, match="Line 2:"):
        record(two_line_order, by=buyer, items=[(100, "3.40"), (40, "-1")])
    assert row_counts() == before


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"invoice_date": InDays(2)}, {"invoice_date": ["An invoice date cannot be in the future."]}),
        ({"received_on": InDays(-20)}, {"received_on": ["An invoice cannot arrive before its own date."]}),
    ],
)
def test_impossible_dates_are_refused(received_order, buyer, fields, error):
    with pytest.raises(ValidationError) as exc:
        record(received_order, by=buyer, items=[(100, "3.40")], **on_the_day(fields))
    assert exc.value.message_dict == error
    assert not Invoice.objects.exists()


def test_an_invoice_number_is_used_once_per_supplier(received_order, buyer):
    record(received_order, by=buyer, items=[(50, "3.40")], number="INV-7")
    with pytest.raises(ValidationError, match="already sent an invoice with this number"):
        record(received_order, by=buyer, items=[(50, "3.40")], number="INV-7")
    assert Invoice.objects.count() == 1


def test_a_draft_order_cannot_be_invoiced(approved_a, buyer):
    draft = order_services.order_create(
        supplier=approved_a, by=buyer, number="PO-D", ordered_on=days(-1), lines=[line_data()]
    )
    with pytest.raises(ValidationError, match=r"The order is Draft; it cannot be invoiced\."):
        record(draft, by=buyer, items=[(1, "3.40")])


def test_quality_staff_cannot_record_invoices(received_order, quality):
    with pytest.raises(PermissionDenied):
        record(received_order, by=quality, items=[(100, "3.40")])


def test_a_factory_contact_must_attach_the_pdf(received_order, portal_a):
    with pytest.raises(ValidationError) as exc:
        record(received_order, by=portal_a, items=[(100, "3.40")])
    assert exc.value.message_dict == {"document": ["Attach the invoice as a PDF."]}
    invoice = record(received_order, by=portal_a, items=[(100, "3.40")], document=pdf())
    assert invoice.submitted_by == portal_a and invoice.received_on == days(0)


def test_the_factory_of_b_cannot_invoice_an_order_of_a(received_order, portal_b):
    with pytest.raises(PermissionDenied):
        record(received_order, by=portal_b, items=[(100, "3.40")], document=pdf())
    assert not Invoice.objects.exists()


# --- Due date from the terms in force -------------------------------------------------------------------------


def test_due_date_is_the_invoice_date_plus_the_contracts_terms(received_order, buyer, approved_a):
    ContractFactory(supplier=approved_a, payment_terms_days=45, reference="MSA-9", valid_from=days(-100))
    invoice = record(received_order, by=buyer, items=[(100, "3.40")], invoice_date=days(-10))
    assert invoice.payment_terms_days == 45
    assert invoice.due_on == days(35)
    assert invoice.terms_source == "contract MSA-9"


def test_without_a_contract_in_force_the_terms_are_30_days(received_order, buyer, approved_a):
    ContractFactory(supplier=approved_a, payment_terms_days=60, valid_from=days(-400), valid_until=days(-40))
    ContractFactory(supplier=approved_a, payment_terms_days=90, signed_on=None)  # never signed
    invoice = record(received_order, by=buyer, items=[(100, "3.40")], invoice_date=days(-5))
    assert (invoice.payment_terms_days, invoice.due_on) == (30, days(25))


def test_an_accepted_change_sets_the_terms_from_its_effective_date(approved_a, buyer, portal_a):
    ContractFactory(supplier=approved_a, payment_terms_days=30, valid_from=days(-100))
    change = services.term_change_propose(
        supplier=approved_a, by=buyer, new_terms_days=60, effective_on=days(10), reason="Volume up"
    )
    services.term_change_accept(change=change, by=portal_a)
    assert selectors.payment_terms_for(supplier=approved_a, on=days(9)).days == 30
    assert selectors.payment_terms_for(supplier=approved_a, on=days(10)).days == 60


def test_a_contract_signed_after_a_term_change_replaces_it(approved_a, buyer, portal_a):
    change = services.term_change_propose(
        supplier=approved_a, by=buyer, new_terms_days=60, effective_on=days(0), reason="Volume up"
    )
    services.term_change_accept(change=change, by=portal_a)
    ContractFactory(supplier=approved_a, payment_terms_days=45, valid_from=days(5))
    assert selectors.payment_terms_for(supplier=approved_a, on=days(4)).days == 60
    assert selectors.payment_terms_for(supplier=approved_a, on=days(5)).days == 45


# --- Payments -------------------------------------------------------------------------------------------------


@pytest.fixture
def approved_invoice(received_order, buyer):
    """INV-1 for 340.00 USD, dated 10 days ago, due in 20 days, approved."""
    return approved(record(received_order, by=buyer, items=[(100, "3.40")]), buyer)


def test_a_part_payment_marks_the_invoice_partially_paid(approved_invoice, buyer):
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(-1), amount=Decimal("100"), reference="TT1"
    )
    approved_invoice.refresh_from_db()
    assert approved_invoice.status == Invoice.Status.PARTIALLY_PAID and approved_invoice.paid_on is None


def test_payments_reaching_the_amount_mark_it_paid_on_the_latest_payment_date(approved_invoice, buyer):
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(-1), amount=Decimal("240"), reference="TT2"
    )
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(-3), amount=Decimal("100"), reference="TT1"
    )
    approved_invoice.refresh_from_db()
    assert approved_invoice.status == Invoice.Status.PAID
    assert approved_invoice.paid_on == days(-1)
    assert Activity.objects.filter(kind=Activity.Kind.INVOICE_PAID).exists()


def test_overpayment_is_refused_and_nothing_is_written(approved_invoice, buyer):
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("300"), reference="TT1"
    )
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.payment_record(
            invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("40.01"), reference="TT2"
        )
    assert exc.value.message_dict == {
        "amount": ["That is more than the 40.00 USD still open on this invoice."]
    }
    assert row_counts() == before


def test_a_paid_invoice_takes_no_more_payments(approved_invoice, buyer):
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("340"), reference="TT1"
    )
    with pytest.raises(ValidationError, match="already paid in full"):
        services.payment_record(
            invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("1"), reference="TT2"
        )


def test_the_same_transfer_recorded_twice_is_refused(approved_invoice, buyer):
    """A double click on 'Record payment' must not pay twice."""
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("100"), reference="TT1"
    )
    with pytest.raises(ValidationError) as exc:
        services.payment_record(
            invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("100"), reference="TT1"
        )
    assert exc.value.message_dict == {"reference": ["A payment with this reference is already recorded."]}
    assert approved_invoice.payments.count() == 1


def test_an_invoice_on_hold_cannot_be_paid(received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    with pytest.raises(ValidationError, match="approve it before paying"):
        services.payment_record(
            invoice=invoice, by=buyer, paid_on=days(0), amount=Decimal("1"), reference="T"
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"paid_on": InDays(1)}, "paid_on"),
        ({"amount": Decimal("0")}, "amount"),
        ({"reference": " "}, "reference"),
    ],
)
def test_bad_payment_input_is_refused_with_its_field(approved_invoice, buyer, fields, field):
    data = {"paid_on": days(0), "amount": Decimal("10"), "reference": "TT1", **on_the_day(fields)}
    with pytest.raises(ValidationError) as exc:
        services.payment_record(invoice=approved_invoice, by=buyer, **data)
    assert list(exc.value.message_dict) == [field]
    assert not Payment.objects.exists()


def test_quality_staff_cannot_record_payments(approved_invoice, quality):
    with pytest.raises(PermissionDenied):
        services.payment_record(
            invoice=approved_invoice, by=quality, paid_on=days(0), amount=Decimal("1"), reference="T"
        )


# --- Payment-term changes -------------------------------------------------------------------------------------


@pytest.fixture
def proposal(approved_a, buyer):
    """A proposal to supplier A: 30 → 60 days from 10 days ahead."""
    return services.term_change_propose(
        supplier=approved_a,
        by=buyer,
        new_terms_days=60,
        effective_on=days(10),
        reason="Align with group terms",
    )


def test_proposed_terms_do_not_apply_until_the_supplier_accepts(proposal, approved_a, portal_a):
    assert proposal.previous_terms_days == 30
    assert selectors.payment_terms_for(supplier=approved_a, on=days(30)).days == 30
    services.term_change_accept(change=proposal, by=portal_a, comment="OK for us")
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.ACCEPTED and proposal.answered_by == portal_a
    assert selectors.payment_terms_for(supplier=approved_a, on=days(30)).days == 60


def test_disputed_terms_never_apply(proposal, approved_a, portal_a):
    services.term_change_dispute(change=proposal, by=portal_a, comment="Too long for our bank.")
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.DISPUTED
    assert proposal.supplier_comment == "Too long for our bank."
    assert selectors.payment_terms_for(supplier=approved_a, on=days(30)).days == 30


def test_disputing_needs_a_comment(proposal, portal_a):
    with pytest.raises(ValidationError) as exc:
        services.term_change_dispute(change=proposal, by=portal_a, comment="   ")
    assert exc.value.message_dict == {"comment": ["Tell us what you disagree with; the buyer reads it."]}
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_a_manager_may_record_an_agreement_reached_another_way(proposal, approved_a, portal_a, manager):
    services.term_change_dispute(change=proposal, by=portal_a, comment="Not 60; call us.")
    services.term_change_record_agreement(
        change=proposal, by=manager, note="Agreed on the call of Monday with Ada; letter on file."
    )
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.AGREED and proposal.agreed_by == manager
    assert proposal.supplier_comment == "Not 60; call us."  # the dispute stays on the record
    assert selectors.payment_terms_for(supplier=approved_a, on=days(10)).days == 60


def test_an_agreement_needs_a_note(proposal, manager):
    with pytest.raises(ValidationError) as exc:
        services.term_change_record_agreement(change=proposal, by=manager, note="")
    assert list(exc.value.message_dict) == ["note"]


def test_a_buyer_cannot_record_an_offline_agreement(proposal, buyer):
    with pytest.raises(PermissionDenied):
        services.term_change_record_agreement(change=proposal, by=buyer, note="They said yes on the phone.")
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_staff_cannot_accept_on_the_suppliers_behalf(proposal, buyer, manager):
    for user in (buyer, manager):
        with pytest.raises(PermissionDenied, match="Only the supplier answers a proposal"):
            services.term_change_accept(change=proposal, by=user)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_the_supplier_of_b_cannot_accept_or_dispute_a_proposal_to_a(proposal, portal_b):
    with pytest.raises(PermissionDenied):
        services.term_change_accept(change=proposal, by=portal_b)
    with pytest.raises(PermissionDenied):
        services.term_change_dispute(change=proposal, by=portal_b, comment="No")
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_deciding_twice_fails(proposal, portal_a, approved_a):
    services.term_change_accept(change=proposal, by=portal_a)
    other_contact = PortalUserFactory(supplier=approved_a)
    with pytest.raises(
        ValidationError, match="This proposal is accepted by the supplier; it cannot be answered"
    ):
        services.term_change_dispute(change=proposal, by=other_contact, comment="We did not agree")
    with pytest.raises(ValidationError):
        services.term_change_accept(change=proposal, by=portal_a)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.ACCEPTED and proposal.answered_by == portal_a


def test_an_accepted_change_cannot_be_agreed_again_or_withdrawn(proposal, portal_a, manager):
    services.term_change_accept(change=proposal, by=portal_a)
    with pytest.raises(ValidationError):
        services.term_change_record_agreement(change=proposal, by=manager, note="Again")
    with pytest.raises(ValidationError):
        services.term_change_withdraw(change=proposal, by=manager)


def test_a_withdrawn_proposal_can_no_longer_be_accepted(proposal, buyer, portal_a, approved_a):
    services.term_change_withdraw(change=proposal, by=buyer)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.term_change_accept(change=proposal, by=portal_a)
    assert selectors.payment_terms_for(supplier=approved_a, on=days(30)).days == 30


def test_one_proposal_at_a_time_waits_for_the_supplier(proposal, approved_a, buyer):
    with pytest.raises(ValidationError, match="already waiting for its answer"):
        services.term_change_propose(
            supplier=approved_a, by=buyer, new_terms_days=45, effective_on=days(10), reason="Another"
        )


def test_proposing_the_terms_already_in_force_is_refused(approved_a, buyer):
    with pytest.raises(ValidationError) as exc:
        services.term_change_propose(
            supplier=approved_a, by=buyer, new_terms_days=30, effective_on=days(1), reason="Same"
        )
    assert exc.value.message_dict == {
        "new_terms_days": ["30 days are already the terms in force (default terms (no contract in force))."]
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"effective_on": InDays(-1)}, "effective_on"),
        ({"reason": ""}, "reason"),
        ({"new_terms_days": 400}, "new_terms_days"),
    ],
)
def test_a_bad_proposal_is_refused_and_writes_nothing(approved_a, buyer, fields, field):
    data = {"new_terms_days": 60, "effective_on": days(1), "reason": "Group terms", **on_the_day(fields)}
    with pytest.raises(ValidationError) as exc:
        services.term_change_propose(supplier=approved_a, by=buyer, **data)
    assert field in exc.value.message_dict
    assert not PaymentTermChange.objects.exists()


def test_quality_staff_cannot_propose_terms(approved_a, quality):
    with pytest.raises(PermissionDenied):
        services.term_change_propose(
            supplier=approved_a, by=quality, new_terms_days=60, effective_on=days(1), reason="x"
        )


def test_the_factory_is_emailed_a_proposal(approved_a, buyer, portal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.term_change_propose(
            supplier=approved_a, by=buyer, new_terms_days=60, effective_on=days(1), reason="Group terms"
        )
    assert [m.to for m in mail.outbox] == [[portal_a.email]]
    assert "from 30 to 60 days" in mail.outbox[0].body


def test_every_step_of_a_term_change_is_on_the_supplier_timeline(proposal, portal_a, manager, approved_a):
    services.term_change_dispute(change=proposal, by=portal_a, comment="Too long")
    services.term_change_record_agreement(change=proposal, by=manager, note="Agreed at the fair")
    kinds = list(Activity.objects.filter(supplier=approved_a).values_list("kind", flat=True))
    for kind in (Activity.Kind.TERMS_PROPOSED, Activity.Kind.TERMS_DISPUTED, Activity.Kind.TERMS_AGREED):
        assert kind in kinds


# --- Reminders ------------------------------------------------------------------------------------------------


def invoice_due_in(order, buyer, *, due_in: int, number: str) -> Invoice:
    """An approved invoice due `due_in` days from today (30-day terms)."""
    return approved(
        record(order, by=buyer, items=[(10, "3.40")], number=number, invoice_date=days(due_in - 30)), buyer
    )


def test_reminders_go_once_per_invoice_and_kind_even_when_the_task_runs_twice(received_order, buyer):
    invoice_due_in(received_order, buyer, due_in=2, number="SOON")
    invoice_due_in(received_order, buyer, due_in=-4, number="LATE")
    invoice_due_in(received_order, buyer, due_in=10, number="LATER")
    assert payment_reminders_task() == 2
    assert payment_reminders_task() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [buyer.email]
    body = mail.outbox[0].body
    assert "SOON" in body and "LATE" in body and "LATER" not in body
    assert set(PaymentReminder.objects.values_list("invoice__number", "kind")) == {
        ("SOON", "due_soon"),
        ("LATE", "overdue"),
    }


def test_an_invoice_gets_the_due_soon_then_the_overdue_reminder(received_order, buyer):
    invoice = invoice_due_in(received_order, buyer, due_in=1, number="SOON")
    assert services.payment_reminders_send(today=days(0)) == 1
    assert services.payment_reminders_send(today=days(3)) == 1
    assert services.payment_reminders_send(today=days(4)) == 0
    assert set(invoice.reminders.values_list("kind", flat=True)) == {"due_soon", "overdue"}


def test_paid_and_rejected_invoices_get_no_reminder(received_order, buyer):
    paid = invoice_due_in(received_order, buyer, due_in=-2, number="PAID")
    services.payment_record(invoice=paid, by=buyer, paid_on=days(0), amount=paid.amount, reference="TT1")
    rejected = record(received_order, by=buyer, items=[(10, "9.99")], number="REJ", invoice_date=days(-40))
    services.invoice_reject(invoice=rejected, by=buyer, reason="Wrong price")
    assert services.payment_reminders_send(today=days(0)) == 0
    assert not mail.outbox
