"""factory_boy factories for every model the tests build."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from suppliers.models import (
    CapacityAssessment,
    Certification,
    ClientReference,
    Contact,
    Contract,
    ProductCategory,
    Stage,
    Supplier,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


# The authenticator-app key of every user the factories enrol (managers and administrators by default).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def mfa_enrol(user: User, secret: str = TEST_TOTP_SECRET) -> list[str]:
    """Give a user an authenticator app (with `secret`) and recovery codes; return the recovery codes."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return RecoveryCodes.activate(user).generate_codes()


def totp_code(secret: str = TEST_TOTP_SECRET, at=None) -> str:
    """Return the code an authenticator app with `secret` shows now (or at the Unix time `at`)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def api_token_for(user: User, **kwargs) -> str:
    """Issue an API token for a user and return its key (what an `Authorization: Token` header carries)."""
    from accounts.services import api_token_create

    kwargs.setdefault("name", "test token")
    return api_token_create(user=user, **kwargs)[1]


class UserFactory(factory.django.DjangoModelFactory):
    """A user; managers and administrators come with an authenticator app (TEST_TOTP_SECRET), as their role
    requires. `UserFactory(role=Role.MANAGER, mfa=False)` makes one who has yet to enrol."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@forgeline.test")
    full_name = factory.Faker("name")
    role = Role.PROCUREMENT
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        enrol = obj.mfa_required if extracted is None else extracted
        if create and enrol:
            mfa_enrol(obj)


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ["name"]

    name = factory.Iterator(["Apparel", "Electronics", "Furniture"])


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Factory {n:03d} Ltd")
    country = "CN"
    city = "Shenzhen"
    timezone = "Asia/Shanghai"
    owner = factory.SubFactory(UserFactory, role=Role.PROCUREMENT)
    stage = Stage.PROSPECT


class PortalUserFactory(UserFactory):
    role = Role.SUPPLIER
    supplier = factory.SubFactory(SupplierFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Faker("name")
    role = Contact.Role.SALES
    email = factory.Sequence(lambda n: f"contact{n}@factory.test")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    supplier = factory.SubFactory(SupplierFactory)
    standard = "iso_9001"
    number = factory.Sequence(lambda n: f"ISO-{n:05d}")
    issuer = "SGS"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    status = Certification.Status.VERIFIED
    document = factory.django.FileField(filename="cert.pdf", data=PDF_BYTES)


class ClientReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientReference

    supplier = factory.SubFactory(SupplierFactory)
    company = factory.Faker("company")
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    outcome = ClientReference.Outcome.POSITIVE


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    supplier = factory.SubFactory(SupplierFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    assessed_by = factory.SubFactory(UserFactory, role=Role.QUALITY)
    revenue_band = CapacityAssessment.RevenueBand.FROM_10M
    headcount = 400
    production_lines = 6
    monthly_capacity = 50000
    financial_risk = CapacityAssessment.Risk.LOW


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    supplier = factory.SubFactory(SupplierFactory)
    title = "Master supply agreement"
    quality_standard = "AQL 2.5"
    lead_time_days = 45
    incoterm = "FOB"
    payment_terms_days = 30
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=31))
    document = factory.django.FileField(filename="contract.pdf", data=PDF_BYTES)


# --- Orders ---------------------------------------------------------------------------------------------------

from audits.models import Audit, CorrectiveAction, QCInspection  # noqa: E402
from orders.models import Delivery, OrderLine, PilotProgram, PurchaseOrder  # noqa: E402


class PilotProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotProgram

    supplier = factory.SubFactory(SupplierFactory, stage=Stage.PILOT)
    name = factory.Sequence(lambda n: f"Pilot {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=100))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    status = PilotProgram.Status.RUNNING


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    number = factory.Sequence(lambda n: f"PO-T-{n:05d}")
    supplier = factory.SubFactory(SupplierFactory, stage=Stage.APPROVED)
    buyer = factory.SelfAttribute("supplier.owner")
    ordered_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    status = PurchaseOrder.Status.SENT


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(PurchaseOrderFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    description = "Canvas tote bag"
    quantity = 1000
    unit_price = Decimal("3.40")
    required_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    order = factory.SubFactory(PurchaseOrderFactory)
    supplier = factory.SelfAttribute("order.supplier")
    sequence = factory.Sequence(lambda n: n + 1)
    promised_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    original_promised_on = factory.SelfAttribute("promised_on")
    quantity_planned = 1000


# --- Quality --------------------------------------------------------------------------------------------------


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    supplier = factory.SubFactory(SupplierFactory)
    audit_type = Audit.Type.VETTING
    planned_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    lead_auditor = factory.SubFactory(UserFactory, role=Role.QUALITY)
    status = Audit.Status.PLANNED

    class Params:
        passed = factory.Trait(
            status=Audit.Status.PERFORMED,
            performed_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=28)),
            result=Audit.Result.PASS,
            score=Decimal("92.0"),
        )


class QCInspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QCInspection

    supplier = factory.SubFactory(SupplierFactory)
    checkpoint = QCInspection.Checkpoint.PRE_SHIPMENT
    inspector = factory.SubFactory(UserFactory, role=Role.QUALITY)
    inspected_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    lot_size = 1000
    code_letter = "J"
    sample_size = 80
    major_accept, major_reject, minor_accept, minor_reject = 5, 6, 7, 8
    computed_result = QCInspection.Result.ACCEPT
    result = QCInspection.Result.ACCEPT
    shared_with_supplier = True
    report = factory.django.FileField(filename="inspection.pdf", data=PDF_BYTES)


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveAction

    supplier = factory.SubFactory(SupplierFactory)
    title = factory.Sequence(lambda n: f"Corrective action {n}")
    problem = "Defects above AQL."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    raised_by = factory.SubFactory(UserFactory, role=Role.QUALITY)
