"""Objects supplier A's factory contact must never be offered, with names that are easy to find in a page.

Supplier B's rows (B is "Beta Works" in tests/conftest.py) and A's own rows that the portal hides from A (a
draft order, an unshared inspection, a planned unannounced audit with its finding and corrective action), each
named with "Zeta-" so that a page, a form or a filter form that lists one is caught by a text search. The
unshared inspection is labelled by its date (its label is "checkpoint date — supplier"), hence an odd date.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from audits.models import BatchTest, Finding
from communications.models import CheckIn, CheckInSchedule, Closure, SupplierIssue
from orders.models import PurchaseOrder
from scorecards.models import RedFlag
from tests.factories import (
    AuditFactory,
    CertificationFactory,
    ContactFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    OrderLineFactory,
    PilotProgramFactory,
    ProductCategoryFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    UserFactory,
)
from tests.payments.factories import InvoiceFactory, PaymentFactory, TermChangeFactory

# Text that must not appear in anything A's factory contact can open (compared case-insensitively).
UNSHARED_INSPECTION_DAY = date(2001, 2, 3)
# ("Zeta-" has a hyphen, so no random token of a page, which is letters and digits only, can contain it.)
MARKERS = ("zeta-", "beta works", UNSHARED_INSPECTION_DAY.isoformat())


def rival_objects(*, supplier_a, supplier_b, staff_user) -> dict[str, list]:
    """Create B's rows of every kind an API choice or a portal form could name, and A's hidden rows; return
    them by model label, so that a test can check querysets by primary key as well as pages by text."""
    today = timezone.localdate()
    rivals: dict[str, list] = {}

    def add(obj):
        rivals.setdefault(obj._meta.label, []).append(obj)
        return obj

    # People and categories: a buyer's colleague not named on A, and a product category only B makes.
    add(UserFactory(role=Role.QUALITY, full_name="Zora Zeta-Staff"))
    supplier_b.categories.add(add(ProductCategoryFactory(name="Zeta-category")))
    add(supplier_b)
    add(ContactFactory(supplier=supplier_b, name="Zed Zeta-son"))
    add(CertificationFactory(supplier=supplier_b, number="CERT-ZETA-1"))
    pilot = add(PilotProgramFactory(supplier=supplier_b, name="Zeta-pilot programme"))
    add(PurchaseOrderFactory(supplier=supplier_b, number="PO-ZETA-DRAFT", status=PurchaseOrder.Status.DRAFT))
    shipped = add(
        PurchaseOrderFactory(
            supplier=supplier_b,
            number="PO-ZETA-SHIPPED",
            status=PurchaseOrder.Status.SHIPPED,
            pilot=True,
            pilot_program=pilot,
        )
    )
    OrderLineFactory(order=shipped, sku="SKU-ZETA-1")
    add(DeliveryFactory(order=shipped))
    add(
        QCInspectionFactory(supplier=supplier_b, order=shipped, lot_number="LOT-ZETA-1", inspector=staff_user)
    )
    add(
        BatchTest.objects.create(
            supplier=supplier_b,
            lot_number="LAB-ZETA-1",
            standard="EN 71-3",
            laboratory="Zeta-Labs",
            tested_on=today,
            outcome="pass",
            uploaded_by=staff_user,
        )
    )
    audit = add(AuditFactory(supplier=supplier_b, passed=True, firm="Zeta-Audit Firm"))
    finding = add(
        Finding.objects.create(audit=audit, supplier=supplier_b, severity="major", description="Zeta-finding")
    )
    add(CorrectiveActionFactory(supplier=supplier_b, finding=finding, title="Zeta-corrective action"))
    add(
        SupplierIssue.objects.create(
            supplier=supplier_b,
            category="quality",
            subject="Zeta-issue",
            description="Zeta-issue text",
            raised_by=staff_user,
            owner=supplier_b.owner,
        )
    )
    schedule = CheckInSchedule.objects.create(
        supplier=supplier_b,
        weekday=1,
        local_time=timezone.now().time(),
        starts_on=today,
        created_by=staff_user,
    )
    add(
        CheckIn.objects.create(
            schedule=schedule,
            supplier=supplier_b,
            original_date=today,
            date=today,
            scheduled_at=timezone.now(),
            moved_reason="Zeta-holiday",
        )
    )
    add(
        Closure.objects.create(
            supplier=supplier_b,
            starts_on=today + timedelta(days=40),
            ends_on=today + timedelta(days=41),
            reason="Zeta-closure",
            declared_by=staff_user,
        )
    )
    invoice = add(InvoiceFactory(order=shipped, number="INV-ZETA-1", submitted_by=staff_user))
    add(
        PaymentFactory(
            invoice=invoice, reference="PAY-ZETA-1", amount=Decimal("1.00"), recorded_by=staff_user
        )
    )
    add(TermChangeFactory(supplier=supplier_b, reason="Zeta-terms", proposed_by=staff_user))
    add(
        RedFlag.objects.create(
            supplier=supplier_b,
            rule=RedFlag.Rule.DEFECT_RATE,
            period="ZETA-W01",
            observed="Zeta-observed",
            recommended_action="Zeta-action",
        )
    )

    # A's own rows that the portal hides from A.
    add(
        PurchaseOrderFactory(supplier=supplier_a, number="PO-ZETA-A-DRAFT", status=PurchaseOrder.Status.DRAFT)
    )
    add(
        QCInspectionFactory(
            supplier=supplier_a,
            inspected_on=UNSHARED_INSPECTION_DAY,
            lot_number="LOT-ZETA-UNSHARED",
            shared_with_supplier=False,
            inspector=staff_user,
        )
    )
    hidden = add(AuditFactory(supplier=supplier_a, announced=False, firm="Zeta-unannounced"))
    hidden_finding = add(
        Finding.objects.create(
            audit=hidden, supplier=supplier_a, severity="critical", description="Zeta-exit"
        )
    )
    add(CorrectiveActionFactory(supplier=supplier_a, finding=hidden_finding, title="Zeta-hidden action"))
    return rivals
