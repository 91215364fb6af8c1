"""Every number and date people or scripts can write has a bound that answers 400 or a form error, never a 500
or a worker tied up for a user-chosen range.

Two kinds of test: walks of the models, forms and serializers that fail on an integer or date a user can write
without a bound (so a new field cannot forget it), and a table that feeds the maximum + 1 and absurd values to
each write endpoint and form and checks the answer is a refusal and that no row changed; the same request with
sensible values then succeeds, so each refusal is about the value under test.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from audits.models import Audit, BatchTest, CorrectiveAction, Finding, QCInspection
from communications.calendar import MAX_LOOKAHEAD_DAYS, next_working_day
from communications.models import ActionItem, CheckIn, CheckInSchedule, Closure
from core.inputs import MAX_QUANTITY
from orders import services as orders
from orders.models import DateProposal, Delivery, OrderChange, OrderLine, PilotProgram, PurchaseOrder
from partnership.models import ImprovementIdea, Training
from payments import services as payments
from payments.models import Invoice, Payment, PaymentTermChange
from suppliers.models import CapacityAssessment, Certification, ClientReference, Contract
from tests.factories import PDF_BYTES, AuditFactory, ContactFactory
from tests.payments.builders import make_order, receive
from tests.test_upload_rules import PROJECT_APPS, import_project_modules, subclasses

pytestmark = pytest.mark.django_db

# --- The walks ------------------------------------------------------------------------------------------------

# Numbers and dates only the code writes (computed from bounded inputs), never typed by a user.
SERVER_SET = {
    # The row a timeline line is about, and the send attempts of the outbox rows: set by services, never typed.
    "suppliers.Activity.object_id",
    "suppliers.CertificationReminder.attempts",
    "suppliers.PortalInvitation.attempts",
    "suppliers.RegistrationEmail.attempts",
    "payments.PaymentReminder.attempts",
    "scorecards.WeeklyDigest.attempts",
    "scorecards.GeneralManagerCopy.attempts",
    "orders.Delivery.sequence",
    "orders.OrderChange.days_before_required",
    "audits.QCInspection.sample_size",
    "audits.QCInspection.major_accept",
    "audits.QCInspection.major_reject",
    "audits.QCInspection.minor_accept",
    "audits.QCInspection.minor_reject",
    "communications.CheckIn.original_date",
    "communications.CheckIn.date",
    "communications.IssueEscalation.level",
    "communications.Notification.email_attempts",
    "payments.Invoice.due_on",
    "payments.Invoice.paid_on",
    "payments.PaymentTermChange.previous_terms_days",
    "scorecards.KpiSnapshot.week_start",
    "scorecards.KpiSnapshot.numerator",
    "scorecards.KpiSnapshot.denominator",
    "scorecards.KpiSnapshot.sample",
    # The day a daily digest covers, and the window of a stored KPI row: computed by the jobs that write them.
    "communications.DailyDigest.day",
    "scorecards.CurrentKpi.start",
    "scorecards.CurrentKpi.end",
    "scorecards.CurrentKpi.today",
    # A forecast's version number: the next after the supplier's previous one (planning.services.forecast_publish).
    "planning.Forecast.version",
}
# Serializer fields that are ids looked up among the caller's own rows, not amounts.
ID_FIELDS = {"InvoiceLineSerializer.order_line"}


def has(validators, kind) -> bool:
    return any(isinstance(validator, kind) for validator in validators)


def user_written_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.model_name.startswith("historical"):
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.label}.{field.name}"
            if not field.editable or field.choices or name in SERVER_SET:
                continue
            if isinstance(field, models.DateTimeField | models.AutoField | models.ForeignKey):
                continue
            if isinstance(field, models.IntegerField | models.DateField):
                yield name, field


def test_every_integer_and_date_a_user_can_write_has_a_bound_on_the_model():
    unbounded = [
        name
        for name, field in user_written_fields()
        if not has(field._validators, MaxValueValidator)
        or (isinstance(field, models.DateField) and not has(field._validators, MinValueValidator))
    ]
    assert not unbounded, f"give these fields bounds (suppliers/inputs.py): {unbounded}"
    assert len(list(user_written_fields())) >= 40


def test_server_set_names_only_fields_that_exist():
    existing = {
        f"{model._meta.label}.{field.name}" for model in apps.get_models() for field in model._meta.fields
    }
    assert existing >= SERVER_SET


def form_field_bounded(form_field) -> bool:
    if isinstance(form_field, forms.DecimalField):
        return form_field.max_digits is not None
    if isinstance(form_field, forms.IntegerField):
        return form_field.max_value is not None or has(form_field.validators, MaxValueValidator)
    if isinstance(form_field, forms.DateField):
        return has(form_field.validators, MaxValueValidator) and has(form_field.validators, MinValueValidator)
    return True


def test_every_number_and_date_field_of_a_form_has_a_bound():
    import_project_modules()
    unbounded = []
    for form_class in subclasses(forms.BaseForm):
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        model_fields = {f.name: f for f in model._meta.fields} if model is not None else {}
        for name, form_field in form_class.base_fields.items():
            if name in model_fields:
                continue  # a ModelForm runs the model field's validators (walked above)
            if not form_field_bounded(form_field):
                unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not unbounded, unbounded


def test_every_number_and_date_field_of_a_serializer_has_a_bound():
    import_project_modules()
    unbounded = []
    for serializer_class in subclasses(serializers.BaseSerializer):
        for name, field in getattr(serializer_class, "_declared_fields", {}).items():
            if field.read_only or f"{serializer_class.__name__}.{name}" in ID_FIELDS:
                continue
            if isinstance(field, serializers.DecimalField):
                bounded = field.max_digits is not None
            elif isinstance(field, serializers.IntegerField):
                bounded = field.max_value is not None
            elif isinstance(field, serializers.DateField):
                bounded = has(field.validators, MaxValueValidator) and has(
                    field.validators, MinValueValidator
                )
            else:
                continue
            if not bounded:
                unbounded.append(f"{serializer_class.__module__}.{serializer_class.__name__}.{name}")
    assert not unbounded, unbounded


# --- Work proportional to a range -----------------------------------------------------------------------------


def test_back_to_back_closures_do_not_make_the_next_working_day_search_run_on(supplier_a, portal_a):
    start = timezone.localdate() + timedelta(days=1)
    # Sixty year-long closures in a row: the search stops at its horizon instead of walking 60 years.
    Closure.objects.bulk_create(
        Closure(
            supplier=supplier_a,
            starts_on=start + timedelta(days=365 * n),
            ends_on=start + timedelta(days=365 * n + 364),
            reason="Closed",
            declared_by=portal_a,
        )
        for n in range(60)
    )

    day, reason = next_working_day(supplier_a, start)

    assert (day - start).days == MAX_LOOKAHEAD_DAYS and reason


# --- The table: each write endpoint and form, fed the maximum + 1 and absurd values ---------------------------

BIG = MAX_QUANTITY + 1
HUGE_INTS = (BIG, 3_000_000_000, 2**63, "99999999999999999999999999999")
HUGE_DECIMALS = ("1e20", "99999999999999999", "NaN", "Infinity")
ABSURD_DATES = ("9999-12-31", "2101-01-01", "0001-01-01", "1999-12-31")
FAR_DATES = ("9999-12-31", "2101-01-01")  # for fields that already refuse the past


@dataclass
class World:
    today: date
    supplier: object
    pilot_supplier: object
    order: object  # sent, one line of 100 due in 30 days, its delivery planned
    received: object  # received in full, ready to be invoiced
    due: object  # sent, one line of 100 due a month ago, its delivery planned: receivable
    invoice: object  # approved, nothing paid
    audit: object  # planned
    finding: object
    checkin: object


@pytest.fixture
def world(supplier_a, supplier_b, buyer, admin_user, portal_a, quality):
    supplier_a.stage = "approved"
    supplier_a.save(update_fields=["stage"])
    supplier_b.stage = "pilot"
    supplier_b.save(update_fields=["stage"])
    ContactFactory(supplier=supplier_a)
    today = timezone.localdate()
    order = orders.order_create(
        supplier=supplier_a,
        by=buyer,
        number="PO-BOUND-1",
        ordered_on=today,
        lines=[
            {
                "sku": "A",
                "description": "Item",
                "quantity": 100,
                "unit_price": Decimal("2"),
                "required_on": today + timedelta(days=30),
            }
        ],
    )
    orders.order_send(order=order, by=buyer)
    received = make_order(supplier_a, by=buyer, lines=[(100, "3.40")], number="PO-BOUND-2")
    receive(received, by=buyer, quantities=[100])
    due = make_order(supplier_a, by=buyer, lines=[(100, "3.40")], number="PO-BOUND-4")
    billed = make_order(supplier_a, by=buyer, lines=[(10, "1.00")], number="PO-BOUND-3")
    receive(billed, by=buyer, quantities=[10])
    invoice = payments.invoice_record(
        order=billed,
        by=buyer,
        number="INV-BOUND-1",
        invoice_date=today - timedelta(days=5),
        lines=[{"order_line": billed.lines.get(), "quantity": 10, "unit_price": Decimal("1.00")}],
    )
    payments.invoice_approve(invoice=invoice, by=admin_user)
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality)
    return World(
        today=today,
        supplier=supplier_a,
        pilot_supplier=supplier_b,
        order=order,
        received=received,
        due=due,
        invoice=invoice,
        audit=audit,
        finding=Finding.objects.create(
            audit=audit, supplier=supplier_a, severity="major", description="Gauge"
        ),
        checkin=CheckIn.objects.create(
            supplier=supplier_a,
            original_date=today - timedelta(days=1),
            date=today - timedelta(days=1),
            scheduled_at=timezone.now() - timedelta(days=1),
        ),
    )


@dataclass(frozen=True)
class Case:
    """One write: who, where, a valid payload, the field to corrupt and its bad values, and the rows to watch."""

    user: str
    api: bool
    url: Callable[[World], str]
    data: Callable[[World], dict]
    field: str  # a key of data; "lines.0.quantity" reaches into a JSON list
    bad: tuple
    watch: tuple  # models whose rows must not change on a refusal (and some of which change on success)
    files: Callable[[], dict] | None = None  # sent as multipart with these files
    redirects: bool = False  # a form posted from another page: refused with a message and a redirect back


def days(w: World, n: int) -> str:
    return (w.today + timedelta(days=n)).isoformat()


def delivery(w: World) -> Delivery:
    return w.order.deliveries.get()


def order_json(w: World) -> dict:
    return {
        "number": "PO-NEW-1",
        "supplier": w.supplier.pk,
        "ordered_on": days(w, 0),
        "currency": "USD",
        "incoterm": "FOB",
        "lines": [
            {
                "sku": "B",
                "description": "Item",
                "quantity": 10,
                "unit": "pcs",
                "unit_price": "1.50",
                "required_on": days(w, 20),
            },
            {
                "sku": "C",
                "description": "Item",
                "quantity": 10,
                "unit": "pcs",
                "unit_price": "1.50",
                "required_on": days(w, 20),
            },
        ],
    }


def order_form(w: World) -> dict:
    data = {key: value for key, value in order_json(w).items() if key != "lines"}
    data.update({"lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1"})
    data["lines-MAX_NUM_FORMS"] = "1000"
    for index, line in enumerate(order_json(w)["lines"]):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = value
    return data


def invoice_json(w: World) -> dict:
    return {
        "order": w.received.pk,
        "number": "INV-NEW-1",
        "invoice_date": days(w, -3),
        "lines": [{"order_line": w.received.lines.get().pk, "quantity": 100, "unit_price": "3.40"}],
    }


def invoice_form(w: World, *, staff: bool) -> dict:
    data = {
        "number": "INV-NEW-1",
        "invoice_date": days(w, -3),
        "notes": "",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-quantity": "100",
        "form-0-unit_price": "3.40",
    }
    if staff:
        data["received_on"] = days(w, -1)
    return data


def inspection(w: World) -> dict:
    return {
        "supplier": w.supplier.pk,
        "checkpoint": "pre_shipment",
        "inspected_on": days(w, -1),
        "lot_size": 1000,
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "critical_defects": 0,
        "major_defects": 0,
        "minor_defects": 0,
        "defective_units": 0,
    }


def certification(w: World) -> dict:
    return {
        "supplier": w.supplier.pk,
        "standard": "bsci",
        "valid_from": days(w, -10),
        "valid_until": days(w, 300),
    }


def contract(w: World) -> dict:
    return {
        "title": "Supply",
        "quality_standard": "AQL 2.5",
        "lead_time_days": 30,
        "incoterm": "FOB",
        "payment_terms_days": 30,
        "valid_from": days(w, 0),
    }


def assessment(w: World) -> dict:
    return {
        "assessed_on": days(w, -1),
        "revenue_band": "1m_10m",
        "headcount": 250,
        "production_lines": 4,
        "monthly_capacity": 50000,
        "capacity_unit": "units",
        "financial_risk": "low",
    }


def url(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


ship = {"shipped_on": "", "quantity_shipped": 100, "tracking_reference": "MSKU1"}
CASES: dict[str, Case] = {
    # Orders and deliveries: the API and the forms of both sides
    "api ship quantity": Case(
        "portal_a",
        True,
        lambda w: reverse("api:delivery-ship", args=[delivery(w).pk]),
        lambda w: {**ship, "shipped_on": days(w, 0)},
        "quantity_shipped",
        HUGE_INTS,
        (Delivery,),
    ),
    "api ship date": Case(
        "portal_a",
        True,
        lambda w: reverse("api:delivery-ship", args=[delivery(w).pk]),
        lambda w: {**ship, "shipped_on": days(w, 0)},
        "shipped_on",
        ("0001-01-01", "1999-12-31"),
        (Delivery,),
    ),
    "api receive quantity": Case(
        "admin_user",
        True,
        lambda w: reverse("api:delivery-receive", args=[delivery(w).pk]),
        lambda w: {"received_on": days(w, 0), "quantity_received": 100},
        "quantity_received",
        HUGE_INTS,
        (Delivery,),
    ),
    "api receive date": Case(
        "admin_user",
        True,
        lambda w: reverse("api:delivery-receive", args=[delivery(w).pk]),
        lambda w: {"received_on": days(w, 0), "quantity_received": 100},
        "received_on",
        ("0001-01-01", "1999-12-31"),
        (Delivery,),
    ),
    "api propose date": Case(
        "portal_a",
        True,
        lambda w: reverse("api:delivery-propose-date", args=[delivery(w).pk]),
        lambda w: {"proposed_on": days(w, 40), "reason": "Typhoon"},
        "proposed_on",
        FAR_DATES,
        (DateProposal,),
    ),
    "api order line quantity": Case(
        "admin_user",
        True,
        lambda w: reverse("api:order-list"),
        order_json,
        "lines.0.quantity",
        HUGE_INTS,
        (PurchaseOrder, OrderLine, Delivery),
    ),
    "api order total": Case(
        "admin_user",
        True,
        lambda w: reverse("api:order-list"),
        order_json,
        "lines.1.quantity",
        (MAX_QUANTITY,),  # each line fits, the two together do not
        (PurchaseOrder, OrderLine, Delivery),
    ),
    "api order price": Case(
        "admin_user",
        True,
        lambda w: reverse("api:order-list"),
        order_json,
        "lines.0.unit_price",
        HUGE_DECIMALS,
        (PurchaseOrder, OrderLine),
    ),
    "api order dates": Case(
        "admin_user",
        True,
        lambda w: reverse("api:order-list"),
        order_json,
        "lines.0.required_on",
        ABSURD_DATES,
        (PurchaseOrder, OrderLine),
    ),
    "api order date": Case(
        "admin_user",
        True,
        lambda w: reverse("api:order-list"),
        order_json,
        "ordered_on",
        ABSURD_DATES,
        (PurchaseOrder,),
    ),
    "portal ship form": Case(
        "portal_a",
        False,
        lambda w: reverse("portal:delivery_ship", args=[delivery(w).pk]),
        lambda w: {**ship, "shipped_on": days(w, 0)},
        "quantity_shipped",
        (*HUGE_INTS, "1e10"),
        (Delivery,),
    ),
    "portal propose form": Case(
        "portal_a",
        False,
        lambda w: reverse("portal:delivery_propose", args=[delivery(w).pk]),
        lambda w: {"proposed_on": days(w, 40), "reason": "Typhoon"},
        "proposed_on",
        FAR_DATES,
        (DateProposal,),
    ),
    "staff receive form": Case(
        "admin_user",
        False,
        lambda w: reverse("orders:delivery_receive", args=[w.due.pk, w.due.deliveries.get().pk]),
        lambda w: {"received_on": days(w, 0), "received_0": 100, "rejected_0": 0, "confirmed": "1"},
        "received_0",
        HUGE_INTS,
        (Delivery,),
    ),
    "staff line change form": Case(
        "admin_user",
        False,
        lambda w: reverse("orders:line_change", args=[w.order.pk, w.order.lines.get().pk]),
        lambda w: {"quantity": 120, "required_on": days(w, 30), "reason": "More needed"},
        "quantity",
        HUGE_INTS,
        (OrderLine, Delivery, OrderChange),  # a sent order: the valid change is a proposal
    ),
    "staff line change date": Case(
        "admin_user",
        False,
        lambda w: reverse("orders:line_change", args=[w.order.pk, w.order.lines.get().pk]),
        lambda w: {"quantity": 100, "required_on": days(w, 35), "reason": "Later"},
        "required_on",
        ABSURD_DATES,
        (OrderLine, Delivery, OrderChange),  # a sent order: the valid change is a proposal
    ),
    "staff order form": Case(
        "admin_user",
        False,
        lambda w: reverse("orders:create"),
        order_form,
        "lines-0-quantity",
        HUGE_INTS,
        (PurchaseOrder, OrderLine, Delivery),
    ),
    "staff order form date": Case(
        "admin_user",
        False,
        lambda w: reverse("orders:create"),
        order_form,
        "lines-0-required_on",
        ABSURD_DATES,
        (PurchaseOrder, OrderLine, Delivery),
    ),
    "staff pilot form": Case(
        "admin_user",
        False,
        lambda w: reverse("scorecards:pilot_create", args=[w.pilot_supplier.pk]),
        lambda w: {
            "name": "Trial",
            "starts_on": days(w, 0),
            "ends_on": days(w, 120),
            "target_on_time_rate": "95",
            "target_defect_rate": "1",
        },
        "ends_on",
        ABSURD_DATES,
        (PilotProgram,),
    ),
    # Quality
    "api inspection lot": Case(
        "admin_user",
        True,
        lambda w: reverse("api:inspection-list"),
        inspection,
        "lot_size",
        HUGE_INTS,
        (QCInspection,),
    ),
    "api inspection defects": Case(
        "admin_user",
        True,
        lambda w: reverse("api:inspection-list"),
        inspection,
        "minor_defects",
        HUGE_INTS,
        (QCInspection,),
    ),
    "api inspection date": Case(
        "admin_user",
        True,
        lambda w: reverse("api:inspection-list"),
        inspection,
        "inspected_on",
        ABSURD_DATES,
        (QCInspection,),
    ),
    "staff inspection form": Case(
        "admin_user",
        False,
        lambda w: reverse("audits:inspection_create"),
        inspection,
        "lot_size",
        HUGE_INTS,
        (QCInspection,),
    ),
    "api lab report date": Case(
        "portal_a",
        True,
        lambda w: reverse("api:batch-test-list"),
        lambda w: {
            "lot_number": "L1",
            "standard": "EN 71-3",
            "laboratory": "SGS",
            "tested_on": days(w, -1),
            "outcome": "pass",
        },
        "tested_on",
        ABSURD_DATES,
        (BatchTest,),
        files=lambda: {"report": SimpleUploadedFile("lab.pdf", PDF_BYTES)},
    ),
    "staff audit plan form": Case(
        "admin_user",
        False,
        lambda w: reverse("audits:audit_create"),
        lambda w: {
            "supplier": w.supplier.pk,
            "audit_type": "periodic",
            "announced": "on",
            "planned_on": days(w, 10),
            "lead_auditor": w.audit.lead_auditor_id,
        },
        "planned_on",
        ABSURD_DATES,
        (Audit,),
    ),
    "staff audit performed form": Case(
        "admin_user",
        False,
        lambda w: reverse("audits:audit_detail", args=[w.audit.pk]),
        lambda w: {"performed_on": days(w, -1)},
        "performed_on",
        ("0001-01-01", "1999-12-31"),
        (Audit,),
    ),
    "staff capa form": Case(
        "admin_user",
        False,
        lambda w: reverse("audits:capa_create") + f"?finding={w.finding.pk}",
        lambda w: {"title": "Fix", "problem": "Defects", "due_on": days(w, 14)},
        "due_on",
        ABSURD_DATES,
        (CorrectiveAction,),
    ),
    # Check-ins and closures
    "api closure end": Case(
        "portal_a",
        True,
        lambda w: reverse("api:closure-list"),
        lambda w: {"starts_on": days(w, 1), "ends_on": days(w, 10), "reason": "Holiday"},
        "ends_on",
        (*FAR_DATES, "2030-01-01"),  # the last one is in the window but over a year long
        (Closure,),
    ),
    "api closure start": Case(
        "portal_a",
        True,
        lambda w: reverse("api:closure-list"),
        lambda w: {"starts_on": days(w, 1), "ends_on": days(w, 10), "reason": "Holiday"},
        "starts_on",
        ("0001-01-01", "1999-12-31"),
        (Closure,),
    ),
    "portal closure form": Case(
        "portal_a",
        False,
        lambda w: reverse("portal:checkins"),
        lambda w: {"starts_on": days(w, 1), "ends_on": days(w, 10), "reason": "Holiday"},
        "ends_on",
        (*FAR_DATES, "2030-01-01"),
        (Closure,),
    ),
    "staff schedule form": Case(
        "admin_user",
        False,
        lambda w: reverse("communications:schedule_create", args=[w.supplier.pk]),
        lambda w: {
            "cadence": "weekly",
            "weekday": "2",
            "local_time": "09:00",
            "channel": "video",
            "starts_on": days(w, 0),
            "is_active": "on",
        },
        "starts_on",
        ABSURD_DATES,
        (CheckInSchedule,),
    ),
    "staff minutes action item": Case(
        "admin_user",
        False,
        lambda w: reverse("communications:checkin_detail", args=[w.checkin.pk]),
        lambda w: {
            "attendees": "Li",
            "notes": "Discussed the delays.",
            "shared_with_supplier": "on",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-description": "Send the plan",
            "items-0-owner_side": "supplier",
            "items-0-due_on": days(w, 7),
        },
        "items-0-due_on",
        ABSURD_DATES,
        (ActionItem,),
    ),
    # Payments
    "api invoice quantity": Case(
        "admin_user",
        True,
        lambda w: reverse("api:invoice-list"),
        invoice_json,
        "lines.0.quantity",
        HUGE_INTS,
        (Invoice,),
    ),
    "api invoice price": Case(
        "admin_user",
        True,
        lambda w: reverse("api:invoice-list"),
        invoice_json,
        "lines.0.unit_price",
        HUGE_DECIMALS,
        (Invoice,),
    ),
    "api invoice date": Case(
        "admin_user",
        True,
        lambda w: reverse("api:invoice-list"),
        invoice_json,
        "invoice_date",
        ("0001-01-01", "1999-12-31"),
        (Invoice,),
    ),
    "staff invoice form": Case(
        "admin_user",
        False,
        lambda w: reverse("payments:invoice_create") + f"?order={w.received.pk}",
        lambda w: invoice_form(w, staff=True),
        "form-0-quantity",
        HUGE_INTS,
        (Invoice,),
    ),
    "portal invoice form": Case(
        "portal_a",
        False,
        lambda w: reverse("portal:invoice_submit", args=[w.received.pk]),
        lambda w: invoice_form(w, staff=False),
        "form-0-unit_price",
        HUGE_DECIMALS,
        (Invoice,),
        files=lambda: {"document": SimpleUploadedFile("invoice.pdf", PDF_BYTES)},
    ),
    "api payment amount": Case(
        "admin_user",
        True,
        lambda w: reverse("api:payment-list"),
        lambda w: {"invoice": w.invoice.pk, "paid_on": days(w, 0), "amount": "5.00", "reference": "TT-1"},
        "amount",
        HUGE_DECIMALS,
        (Payment,),
    ),
    "staff payment form": Case(
        "admin_user",
        False,
        lambda w: reverse("payments:payment_record", args=[w.invoice.pk]),
        lambda w: {"paid_on": days(w, 0), "amount": "5.00", "reference": "TT-1"},
        "paid_on",
        ABSURD_DATES,
        (Payment,),
    ),
    "api term change days": Case(
        "admin_user",
        True,
        lambda w: reverse("api:payment-term-change-list"),
        lambda w: {
            "supplier": w.supplier.pk,
            "new_terms_days": 45,
            "effective_on": days(w, 30),
            "reason": "Cash",
        },
        "new_terms_days",
        (366, *HUGE_INTS),
        (PaymentTermChange,),
    ),
    "staff term change form": Case(
        "admin_user",
        False,
        lambda w: reverse("payments:term_change_create"),
        lambda w: {
            "supplier": w.supplier.pk,
            "new_terms_days": 45,
            "effective_on": days(w, 30),
            "reason": "Cash",
        },
        "effective_on",
        FAR_DATES,
        (PaymentTermChange,),
    ),
    # Suppliers: certificates, assessments, contracts, references
    "api certification": Case(
        "admin_user",
        True,
        lambda w: reverse("api:certification-list"),
        certification,
        "valid_until",
        ABSURD_DATES,
        (Certification,),
    ),
    "staff assessment form": Case(
        "admin_user",
        False,
        lambda w: reverse("suppliers:assessment_create", args=[w.supplier.pk]),
        assessment,
        "monthly_capacity",
        HUGE_INTS,
        (CapacityAssessment,),
    ),
    "staff contract form days": Case(
        "admin_user",
        False,
        lambda w: reverse("suppliers:contract_create", args=[w.supplier.pk]),
        contract,
        "payment_terms_days",
        (366, *HUGE_INTS),
        (Contract,),
    ),
    "staff contract form date": Case(
        "admin_user",
        False,
        lambda w: reverse("suppliers:contract_create", args=[w.supplier.pk]),
        contract,
        "valid_from",
        ABSURD_DATES,
        (Contract,),
    ),
    "staff reference form": Case(
        "admin_user",
        False,
        lambda w: reverse("suppliers:reference_create", args=[w.supplier.pk]),
        lambda w: {"company": "Acme", "checked_on": days(w, -1), "outcome": "positive"},
        "checked_on",
        ABSURD_DATES,
        (ClientReference,),
    ),
    # Partnership: an idea's saving (API and portal form), a training's date and number of people
    "api idea saving": Case(
        "portal_a",
        True,
        lambda w: reverse("api:improvement-idea-list"),
        lambda w: {
            "supplier": w.supplier.pk,
            "kind": "process",
            "title": "Jig",
            "description": "A jig",
            "currency": "USD",
            "estimated_annual_saving": "100",
        },
        "estimated_annual_saving",
        (*HUGE_DECIMALS, "-1"),
        (ImprovementIdea,),
    ),
    "portal idea saving": Case(
        "portal_a",
        False,
        lambda w: reverse("portal:partnership_idea_new"),
        lambda w: {
            "supplier": w.supplier.pk,
            "kind": "process",
            "title": "Jig",
            "description": "A jig",
            "currency": "USD",
            "estimated_annual_saving": "100",
        },
        "estimated_annual_saving",
        (*HUGE_DECIMALS, "-1"),
        (ImprovementIdea,),
    ),
    "training date": Case(
        "admin_user",
        False,
        lambda w: reverse("partnership:training_create"),
        lambda w: {
            "supplier": w.supplier.pk,
            "topic": "5S",
            "held_on": days(w, 3),
            "status": "offered",
            "attendee_count": 2,
        },
        "held_on",
        (*ABSURD_DATES, "2020-01-01"),
        (Training,),
    ),
    "api training people": Case(
        "admin_user",
        True,
        lambda w: reverse("api:training-list"),
        lambda w: {
            "supplier": w.supplier.pk,
            "topic": "5S",
            "held_on": days(w, 3),
            "status": "offered",
            "attendee_count": 2,
        },
        "attendee_count",
        (*HUGE_INTS, -1),
        (Training,),
    ),
}


def snapshot(watch) -> list:
    return [list(model.objects.order_by("pk").values()) for model in watch]


def with_value(data: dict, path: str, value) -> dict:
    data = json.loads(json.dumps(data))
    target, *rest = path.split(".")
    if not rest:
        data[target] = value
    else:
        data[target][int(rest[0])][rest[1]] = value
    return data


def send(client, api_client, case: Case, user, url: str, data: dict):
    if case.api:
        api_client.force_authenticate(user)
        if case.files:
            return api_client.post(url, {**data, **case.files()}, format="multipart")
        return api_client.post(url, data, format="json")
    client.force_login(user)
    return client.post(url, {**data, **(case.files() if case.files else {})})


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_the_maximum_plus_one_and_absurd_values_are_refused_and_change_nothing(
    client, api_client, world, request, name
):
    case = CASES[name]
    user = request.getfixturevalue(case.user)
    url, valid = case.url(world), case.data(world)
    before = snapshot(case.watch)

    for value in case.bad:
        response = send(client, api_client, case, user, url, with_value(valid, case.field, value))

        if case.redirects:
            levels = [m.level_tag for m in response.wsgi_request._messages]
            assert response.status_code == 302 and "error" in levels, (name, value, response.status_code)
        else:
            assert response.status_code == 400, (name, value, response.status_code, response.content[:500])
        if case.api:
            assert case.field.rsplit(".", 1)[-1] in json.dumps(response.json()) or "non_field_errors" in (
                response.json()
            ), (name, value, response.json())
        assert snapshot(case.watch) == before, (name, value)

    # The same request with sensible values goes through: each refusal above was about the value under test.
    response = send(client, api_client, case, user, url, valid)
    assert response.status_code in (200, 201, 302), (name, response.status_code, response.content[:3000])
    assert snapshot(case.watch) != before, name


# --- Ids in query strings -------------------------------------------------------------------------------------

ID_PARAMS = [
    ("orders:list", "supplier"),
    ("audits:inspection_create", "order"),
    ("audits:inspection_create", "supplier"),
    ("audits:capa_create", "finding"),
    ("audits:capa_create", "inspection"),
    ("payments:invoice_create", "order"),
    ("scorecards:portfolio", "owner"),
    ("scorecards:portfolio", "category"),
    ("communications:issue_create", "supplier"),
]


@pytest.mark.parametrize(("name", "param"), ID_PARAMS, ids=[f"{n}?{p}" for n, p in ID_PARAMS])
def test_an_id_in_a_query_string_that_no_key_can_hold_is_not_a_500(
    client, admin_user, supplier_a, name, param
):
    client.force_login(admin_user)
    for value in ("²", "99999999999999999999999", "-1", "1e3"):
        response = client.get(reverse(name) + f"?{param}={value}")
        assert response.status_code in (200, 403, 404), (name, param, value)


def test_a_renewal_id_no_key_can_hold_is_not_a_500_in_the_portal(client, portal_a):
    client.force_login(portal_a)
    for value in ("²", "99999999999999999999999"):
        assert client.get(reverse("portal:certification_upload") + f"?renews={value}").status_code in (
            200,
            404,
        )


def test_staff_declaring_a_closure_for_a_supplier_id_that_is_not_a_number_get_a_400(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    for value in ("abc", "²", "99999999999999999999999"):
        response = api_client.post(
            reverse("api:closure-list"),
            {"supplier": value, "starts_on": "2030-01-01", "ends_on": "2030-01-05", "reason": "Holiday"},
            format="json",
        )
        assert response.status_code == 400 and "supplier" in response.json(), value
    assert not Closure.objects.exists()


def test_staff_uploading_a_lab_report_for_a_supplier_id_that_is_not_a_number_get_a_400(
    api_client, admin_user
):
    api_client.force_authenticate(admin_user)
    for value in ("abc", "²", "99999999999999999999999"):
        response = api_client.post(
            reverse("api:batch-test-list"),
            {
                "supplier": value,
                "lot_number": "L1",
                "standard": "EN 71-3",
                "laboratory": "SGS",
                "tested_on": "2026-01-05",
                "outcome": "pass",
                "report": SimpleUploadedFile("lab.pdf", PDF_BYTES),
            },
            format="multipart",
        )
        assert response.status_code == 400 and "supplier" in response.json(), value
    assert not BatchTest.objects.exists()
