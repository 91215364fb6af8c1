"""Reads: scoping, filters, dashboard figures, and query counts pinned with enough rows that an N+1 shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from suppliers import selectors
from suppliers.models import Certification, Stage
from tests.factories import (
    CertificationFactory,
    ContactFactory,
    ProductCategoryFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_suppliers(buyer):
    category = ProductCategoryFactory(name="Apparel")
    suppliers = []
    for n in range(30):
        supplier = SupplierFactory(
            owner=buyer,
            stage=[Stage.PROSPECT, Stage.VETTING, Stage.APPROVED][n % 3],
            country=["CN", "VN", "IN"][n % 3],
        )
        supplier.categories.add(category)
        CertificationFactory(supplier=supplier)
        ContactFactory(supplier=supplier)
        suppliers.append(supplier)
    return suppliers


def test_supplier_list_costs_two_queries_however_many_rows(buyer, many_suppliers, django_assert_num_queries):
    with django_assert_num_queries(2):  # the suppliers with owners, then all their categories
        rows = list(selectors.supplier_list(user=buyer, today=timezone.localdate()))
        for row in rows:
            assert row.owner.full_name
            list(row.categories.all())
    assert len(rows) == 30


def test_supplier_list_filters_by_stage_country_and_search(buyer, many_suppliers):
    today = timezone.localdate()
    assert selectors.supplier_list(user=buyer, today=today, filters={"stage": ["approved"]}).count() == 10
    assert selectors.supplier_list(user=buyer, today=today, filters={"country": "VN"}).count() == 10
    target = many_suppliers[4]
    found = selectors.supplier_list(user=buyer, today=today, filters={"q": target.name})
    assert list(found) == [target]
    contact = target.contacts.first()
    assert list(selectors.supplier_list(user=buyer, today=today, filters={"q": contact.name})) == [target]


def test_supplier_list_sorts_by_next_certificate_expiry(buyer):
    today = timezone.localdate()
    late = SupplierFactory(owner=buyer, name="Late")
    soon = SupplierFactory(owner=buyer, name="Soon")
    CertificationFactory(supplier=late, valid_until=today + timedelta(days=300))
    CertificationFactory(supplier=soon, valid_until=today + timedelta(days=3))
    CertificationFactory(
        supplier=soon, status=Certification.Status.PENDING, valid_until=today + timedelta(days=1)
    )
    rows = list(selectors.supplier_list(user=buyer, today=today, filters={"ordering": "next_cert_expiry"}))
    assert [r.name for r in rows] == ["Soon", "Late"]
    assert rows[0].next_cert_expiry == today + timedelta(days=3)


def test_factory_contact_lists_only_its_own_supplier(portal_a, supplier_b):
    rows = selectors.supplier_list(user=portal_a, today=timezone.localdate())
    assert list(rows) == [portal_a.supplier]


def test_inactive_or_anonymous_users_see_nothing(buyer, supplier_a):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.supplier_list(user=AnonymousUser(), today=timezone.localdate()).exists()
    buyer.is_active = False
    assert not selectors.supplier_list(user=buyer, today=timezone.localdate()).exists()


def test_stage_counts_list_every_stage_in_one_query(buyer, many_suppliers, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = {row["stage"]: row["count"] for row in selectors.supplier_stage_counts(user=buyer)}
    assert counts[Stage.APPROVED] == 10 and counts[Stage.STRATEGIC] == 0
    assert set(counts) == set(Stage.values)


def test_expiring_certificates_leave_out_renewed_ones(buyer):
    today = timezone.localdate()
    renewed, lapsing = SupplierFactory(owner=buyer), SupplierFactory(owner=buyer)
    CertificationFactory(supplier=renewed, valid_until=today + timedelta(days=10))
    CertificationFactory(supplier=renewed, valid_until=today + timedelta(days=900))
    expired = CertificationFactory(supplier=lapsing, valid_until=today - timedelta(days=3))
    expiring = CertificationFactory(supplier=lapsing, standard="bsci", valid_until=today + timedelta(days=29))
    CertificationFactory(supplier=lapsing, standard="wrap", valid_until=today + timedelta(days=31))
    assert list(selectors.certifications_expiring(user=buyer, today=today)) == [expired, expiring]


def test_expiring_certificates_cost_one_query(buyer, django_assert_num_queries):
    today = timezone.localdate()
    for _ in range(20):
        CertificationFactory(supplier=SupplierFactory(owner=buyer), valid_until=today + timedelta(days=5))
    with django_assert_num_queries(1):
        rows = [
            (c.supplier.name, c.valid_until)
            for c in selectors.certifications_expiring(user=buyer, today=today)
        ]
    assert len(rows) == 20


def test_pending_certificates_oldest_first(buyer, supplier_a):
    first = CertificationFactory(
        supplier=supplier_a, status="pending", submitted_at=timezone.now() - timedelta(days=2)
    )
    second = CertificationFactory(supplier=supplier_a, status="pending")
    assert list(selectors.certifications_pending(user=buyer)) == [first, second]


def test_change_log_lists_who_changed_what(buyer, supplier_a):
    from suppliers import services

    services.supplier_update(supplier=supplier_a, by=buyer, city="Hanoi")
    log = selectors.supplier_change_log(supplier=supplier_a)
    assert log[0]["changes"] == [{"field": "city", "old": "Shenzhen", "new": "Hanoi"}]
    assert log[-1]["created"]


def test_staff_of_every_role_see_every_supplier(supplier_a, supplier_b):
    for role in ("procurement", "quality", "manager", "admin"):
        user = UserFactory(role=role)
        assert selectors.supplier_list(user=user, today=timezone.localdate()).count() == 2


def test_certificates_in_force_are_verified_and_within_their_dates_as_is_valid_on_says(supplier_a):
    today = timezone.localdate()
    day = timedelta(days=1)
    in_force = CertificationFactory(supplier=supplier_a, valid_from=today, valid_until=today)
    others = [
        CertificationFactory(
            supplier=supplier_a, valid_from=today + day, valid_until=today + 9 * day
        ),  # not yet
        CertificationFactory(
            supplier=supplier_a, valid_from=today - 9 * day, valid_until=today - day
        ),  # expired
        CertificationFactory(supplier=supplier_a, status=Certification.Status.PENDING),
        CertificationFactory(supplier=supplier_a, status=Certification.Status.REJECTED),
    ]
    assert list(Certification.objects.in_force(today)) == [in_force]
    assert list(supplier_a.certifications.in_force(today)) == [in_force]
    assert in_force.is_valid_on(today) and not any(cert.is_valid_on(today) for cert in others)
