"""Stock users and suppliers, as in healthchecks' tests: staff of every role, and a factory contact each for
supplier A and supplier B (B is the outsider for A's objects)."""

import shutil

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import (
    CapacityAssessmentFactory,
    CertificationFactory,
    ClientReferenceFactory,
    ContactFactory,
    ContractFactory,
    PortalUserFactory,
    SupplierFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Give each test its own upload folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


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
    """Supplier A with every piece of evidence `approved` needs (contact, certificate, reference, assessment)."""
    ContactFactory(supplier=supplier_a, is_primary=True)
    CertificationFactory(supplier=supplier_a)
    ClientReferenceFactory(supplier=supplier_a)
    CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality)
    return supplier_a


@pytest.fixture
def objects_a(supplier_a, quality):
    """One object of every kind that belongs to supplier A."""
    return {
        "supplier": supplier_a,
        "contact": ContactFactory(supplier=supplier_a),
        "certification": CertificationFactory(supplier=supplier_a),
        "reference": ClientReferenceFactory(supplier=supplier_a),
        "assessment": CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality),
        "contract": ContractFactory(supplier=supplier_a),
    }


@pytest.fixture
def api_client():
    return APIClient()
