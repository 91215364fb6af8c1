"""Stock users and suppliers, as in healthchecks' tests: staff of every role, and a factory contact each for
supplier A and supplier B (B is the outsider for A's objects)."""

import shutil

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from audits.models import BatchTest, CorrectiveActionEvidence, Finding, HoldProposal
from orders.models import DateProposal, OrderChange
from tests.audits.capability_objects import capability_objects
from tests.audits.switching_objects import switching_objects
from tests.communications.objects import communication_objects
from tests.factories import (
    PDF_BYTES,
    AuditFactory,
    CapacityAssessmentFactory,
    CertificationFactory,
    ClientReferenceFactory,
    ContactFactory,
    ContractFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    OrderLineFactory,
    PilotProgramFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    SupplierFactory,
    UserFactory,
)
from tests.orders.objects import disruption_objects, production_objects
from tests.partnership.ideas_objects import ideas_objects
from tests.partnership.outreach_objects import outreach_objects
from tests.payments.objects import payment_objects
from tests.planning.objects import forecast_objects
from tests.pricing.objects import pricing_objects
from tests.registrations.objects import registration_objects
from tests.scorecards.objects import scorecard_objects


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: rate limits and used sign-in codes live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Give each test its own upload folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_language():
    """Leave the active language as every test found it: a test that renders in Vietnamese must not leak it."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language) if language else translation.deactivate()


@pytest.fixture
def buyer(db):
    return UserFactory(role=Role.PROCUREMENT, full_name="Bea Buyer")


@pytest.fixture
def quality(db):
    return UserFactory(role=Role.QUALITY, full_name="Quinn Quality")


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER, full_name="Mona Manager")


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN, full_name="Adam Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def supplier_a(buyer):
    return SupplierFactory(name="Alpha Factory", owner=buyer)


@pytest.fixture
def supplier_b(buyer):
    return SupplierFactory(name="Beta Works", owner=buyer)


@pytest.fixture
def portal_a(supplier_a):
    return PortalUserFactory(supplier=supplier_a, full_name="Ada Alpha")


@pytest.fixture
def portal_b(supplier_b):
    return PortalUserFactory(supplier=supplier_b, full_name="Bo Beta")


@pytest.fixture
def vetted_supplier(supplier_a, quality):
    """Supplier A with every piece of evidence `approved` needs (contact, certificate, reference, assessment,
    a passed audit and a passed pilot)."""
    ContactFactory(supplier=supplier_a, is_primary=True)
    AuditFactory(supplier=supplier_a, passed=True)
    PilotProgramFactory(supplier=supplier_a, status="passed", decided_at=timezone.now())
    CertificationFactory(supplier=supplier_a)
    ClientReferenceFactory(supplier=supplier_a)
    CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality)
    return supplier_a


@pytest.fixture
def objects_a(supplier_a, quality):
    """One object of every kind that belongs to supplier A (and that A's factory contact may see)."""
    return supplier_objects(supplier_a, quality)


def supplier_objects(supplier, quality):
    """Build one object of every kind that belongs to a supplier (and that its factory contact may see)."""
    order = PurchaseOrderFactory(supplier=supplier)
    line = OrderLineFactory(order=order)
    delivery = DeliveryFactory(order=order)
    audit = AuditFactory(supplier=supplier, passed=True, report=factory_file("audit.pdf"))
    finding = Finding.objects.create(
        audit=audit,
        supplier=supplier,
        severity="major",
        description="Gauge out of date",
        evidence=factory_file("finding.pdf"),
    )
    inspection = QCInspectionFactory(supplier=supplier, order=order, delivery=delivery, inspector=quality)
    capa = CorrectiveActionFactory(supplier=supplier, finding=finding, raised_by=quality)
    return {
        "supplier": supplier,
        "contact": ContactFactory(supplier=supplier),
        "certification": CertificationFactory(supplier=supplier),
        "reference": ClientReferenceFactory(supplier=supplier),
        "assessment": CapacityAssessmentFactory(supplier=supplier, assessed_by=quality),
        "contract": ContractFactory(supplier=supplier),
        "order": order,
        "line": line,
        "delivery": delivery,
        "proposal": DateProposal.objects.create(
            delivery=delivery,
            proposed_on=delivery.promised_on.replace(day=1),
            reason="Typhoon",
            proposed_by=quality,
        ),
        "order_change": OrderChange.objects.create(
            order=order,
            supplier=supplier,
            line=line,
            kind=OrderChange.Kind.QUANTITY,
            old_value=str(line.quantity),
            new_value=str(line.quantity + 10),
            new_quantity=line.quantity + 10,
            reason="Forecast raised",
            changed_by=quality,
            days_before_required=20,
        ),
        "pilot": PilotProgramFactory(supplier=supplier),
        "inspection": inspection,
        "batch_test": BatchTest.objects.create(
            supplier=supplier,
            lot_number="L1",
            standard="EN 71-3",
            laboratory="SGS",
            tested_on=order.ordered_on,
            outcome="pass",
            report=factory_file("lab.pdf"),
            uploaded_by=quality,
        ),
        "audit": audit,
        "finding": finding,
        "capa": capa,
        "evidence": CorrectiveActionEvidence.objects.create(
            action=capa, supplier=supplier, file=factory_file("evidence.pdf"), uploaded_by=quality
        ),
        "hold": HoldProposal.objects.create(supplier=supplier, audit=audit, reason="Critical finding"),
        **communication_objects(supplier, quality),
        **payment_objects(supplier, quality),
        **pricing_objects(supplier, quality),
        **registration_objects(supplier, quality, factory_file),
        **disruption_objects(supplier, quality),
        **production_objects(supplier, quality),
        **scorecard_objects(supplier, quality),
        **forecast_objects(supplier, quality),
        **ideas_objects(supplier, quality),
        **capability_objects(supplier, quality),
        **switching_objects(supplier, quality),
        **outreach_objects(supplier, quality),
    }


@pytest.fixture
def hidden_a(supplier_a, quality):
    """A planned unannounced audit of supplier A, with a finding and a corrective action: all hidden from A."""
    audit = AuditFactory(supplier=supplier_a, announced=False, report=factory_file("hidden.pdf"))
    finding = Finding.objects.create(
        audit=audit,
        supplier=supplier_a,
        severity="critical",
        description="Locked exit",
        evidence=factory_file("hidden-finding.pdf"),
    )
    return {
        "audit": audit,
        "finding": finding,
        "capa": CorrectiveActionFactory(supplier=supplier_a, finding=finding, raised_by=quality),
    }


def factory_file(name: str):
    from django.core.files.base import ContentFile

    return ContentFile(PDF_BYTES, name=name)


@pytest.fixture
def api_client():
    return APIClient()


# Signed-in browsers. `client` is pytest-django's one browser: a test that needs two people at once takes
# `staff_client` (a second browser) next to `portal_client`.


@pytest.fixture
def buyer_client(client, buyer):
    """The buyer's signed-in browser."""
    client.force_login(buyer)
    return client


@pytest.fixture
def manager_client(client, manager):
    """The manager's signed-in browser."""
    client.force_login(manager)
    return client


@pytest.fixture
def portal_client(client, portal_a):
    """Supplier A's factory contact's signed-in browser."""
    client.force_login(portal_a)
    return client


@pytest.fixture
def staff_client(buyer):
    """A second browser, signed in as the buyer (for tests that also use `portal_client`)."""
    staff = Client()
    staff.force_login(buyer)
    return staff
