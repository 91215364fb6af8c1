"""Claimed vs observed: the factory's capability statement (with history), what an audit observed, the
comparison with its variance, and a large shortfall proposed as a finding of the audit."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits import services
from audits.capability_selectors import capability_comparison
from audits.models import (
    CAPABILITY_SHORTFALL_RATIO,
    Audit,
    CapabilityObservation,
    Finding,
    capability_shortfall,
)
from suppliers.models import CapabilityClaim, CapabilityField
from suppliers.services import capability_current, capability_statement_save
from tests.factories import AuditFactory, ProductCategoryFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)


@pytest.fixture
def apparel(supplier_a):
    category = ProductCategoryFactory(name="Apparel")
    supplier_a.categories.add(category)
    return category


@pytest.fixture
def claimed(supplier_a, buyer, apparel):
    """Alpha claims 10,000 pcs of apparel a month, 4 lines, 120 people and three QC steps."""
    capability_statement_save(
        supplier=supplier_a,
        by=buyer,
        capacities={apparel: 10_000},
        production_lines=4,
        headcount=120,
        equipment="40 Juki machines",
        qc_steps="Incoming, in-line, final",
    )
    return supplier_a


@pytest.fixture
def audit(supplier_a):
    return AuditFactory(supplier=supplier_a, passed=True)


def observe(audit, by, **fields):
    fields.setdefault("observed_on", ON)
    return services.capability_observe(audit=audit, by=by, **fields)


# --- The claimed side ------------------------------------------------------------------------------------------


def test_a_changed_value_adds_a_claim_and_keeps_the_old_one_as_history(claimed, buyer, apparel):
    capability_statement_save(supplier=claimed, by=buyer, capacities={apparel: 12_000}, headcount=120)
    history = CapabilityClaim.objects.filter(supplier=claimed, field=CapabilityField.MONTHLY_CAPACITY)
    assert sorted(history.values_list("quantity", flat=True)) == [10_000, 12_000]
    assert CapabilityClaim.objects.filter(supplier=claimed, field=CapabilityField.HEADCOUNT).count() == 1
    current = capability_current(supplier=claimed)
    assert current[(CapabilityField.MONTHLY_CAPACITY, apparel.pk)].quantity == 12_000


def test_the_factory_updates_its_own_statement_marked_as_from_the_portal(claimed, portal_a):
    capability_statement_save(supplier=claimed, by=portal_a, production_lines=5)
    claim = capability_current(supplier=claimed)[(CapabilityField.PRODUCTION_LINES, None)]
    assert claim.quantity == 5 and claim.source == CapabilityClaim.Source.PORTAL


def test_a_factory_cannot_change_another_suppliers_statement(claimed, portal_b):
    with pytest.raises(PermissionDenied):
        capability_statement_save(supplier=claimed, by=portal_b, production_lines=50)
    assert capability_current(supplier=claimed)[(CapabilityField.PRODUCTION_LINES, None)].quantity == 4


def test_a_quality_lead_cannot_edit_the_statement(claimed, quality):
    with pytest.raises(PermissionDenied):
        capability_statement_save(supplier=claimed, by=quality, production_lines=50)


def test_a_capacity_beyond_the_bound_writes_nothing(claimed, buyer, apparel):
    with pytest.raises(ValidationError):
        capability_statement_save(supplier=claimed, by=buyer, capacities={apparel: 10**12}, headcount=130)
    assert capability_current(supplier=claimed)[(CapabilityField.HEADCOUNT, None)].quantity == 120


# --- The observed side -----------------------------------------------------------------------------------------


def test_observed_values_without_an_audit_are_refused(claimed, quality):
    with pytest.raises(ValidationError, match="audit or a visit"):
        services.capability_observe(
            audit=None, by=quality, field=CapabilityField.HEADCOUNT, quantity=100, observed_on=ON
        )
    assert not CapabilityObservation.objects.exists()


def test_an_observation_on_a_cancelled_audit_is_refused(claimed, quality):
    cancelled = AuditFactory(supplier=claimed, status=Audit.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        observe(cancelled, quality, field=CapabilityField.HEADCOUNT, quantity=100)


def test_capacity_is_observed_per_category_and_numbers_need_a_number(audit, quality):
    with pytest.raises(ValidationError) as caught:
        observe(audit, quality, field=CapabilityField.MONTHLY_CAPACITY, quantity=100)
    assert "category" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        observe(audit, quality, field=CapabilityField.HEADCOUNT)
    assert "quantity" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        observe(audit, quality, field=CapabilityField.QC_STEPS, text="  ")
    assert "text" in caught.value.message_dict


def test_observing_the_same_field_again_on_one_audit_corrects_it(audit, quality):
    observe(audit, quality, field=CapabilityField.HEADCOUNT, quantity=100)
    observe(audit, quality, field=CapabilityField.HEADCOUNT, quantity=90)
    assert list(CapabilityObservation.objects.values_list("quantity", flat=True)) == [90]


def test_a_buyer_without_the_audit_right_cannot_observe(audit, buyer):
    with pytest.raises(PermissionDenied):
        observe(audit, buyer, field=CapabilityField.HEADCOUNT, quantity=90)


# --- The comparison and the shortfall --------------------------------------------------------------------------


def test_the_threshold_is_seventy_percent_of_the_claim():
    assert CAPABILITY_SHORTFALL_RATIO * 100 == 70
    assert capability_shortfall(claimed=1000, observed=699)
    assert not capability_shortfall(claimed=1000, observed=700)
    assert not capability_shortfall(claimed=None, observed=10)


def test_the_comparison_shows_claimed_observed_variance_and_dates_per_field(claimed, audit, quality, apparel):
    observe(audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=apparel, quantity=6_000)
    observe(audit, quality, field=CapabilityField.HEADCOUNT, quantity=110)
    rows = {(r.field, r.category): r for r in capability_comparison(user=quality, supplier=claimed)}
    capacity = rows[(CapabilityField.MONTHLY_CAPACITY, apparel)]
    assert (capacity.variance, capacity.variance_percent, capacity.shortfall) == (-4_000, -40, True)
    assert capacity.observed_on == ON and capacity.claimed_at is not None
    headcount = rows[(CapabilityField.HEADCOUNT, None)]
    assert (headcount.variance, headcount.shortfall) == (-10, False)
    assert rows[(CapabilityField.PRODUCTION_LINES, None)].observation is None
    assert rows[(CapabilityField.QC_STEPS, None)].variance is None


def test_the_latest_observation_counts(claimed, quality, apparel):
    first = AuditFactory(supplier=claimed, passed=True)
    later = AuditFactory(supplier=claimed, passed=True)
    observe(first, quality, field=CapabilityField.HEADCOUNT, quantity=50, observed_on=date(2026, 1, 5))
    observe(later, quality, field=CapabilityField.HEADCOUNT, quantity=118, observed_on=date(2026, 6, 5))
    rows = {r.field: r for r in capability_comparison(user=quality, supplier=claimed)}
    assert rows[CapabilityField.HEADCOUNT].observation.quantity == 118


def test_the_comparison_reads_in_two_queries_however_many_rows(
    claimed, quality, buyer, django_assert_max_num_queries
):
    categories = [ProductCategoryFactory(name=f"Category {n}") for n in range(8)]
    audits = [AuditFactory(supplier=claimed, passed=True) for _ in range(3)]
    capability_statement_save(supplier=claimed, by=buyer, capacities={c: 1000 for c in categories})
    for audit in audits:
        for category in categories:
            observe(audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=category, quantity=500)
    with django_assert_max_num_queries(2):
        rows = capability_comparison(user=quality, supplier=claimed)
        assert sum(row.shortfall for row in rows) == 8
        assert all(row.observation.audit.pk and str(row.category) for row in rows if row.observation)


def test_a_large_shortfall_raises_a_prefilled_major_finding_once(claimed, audit, quality, apparel):
    observation = observe(
        audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=apparel, quantity=6_000
    )
    finding = services.capability_finding_propose(observation=observation, by=quality)
    assert finding.audit == audit and finding.severity == Finding.Severity.MAJOR
    assert (
        "6000" in finding.description and "60 %" in finding.description and "10000 pcs" in finding.description
    )
    with pytest.raises(ValidationError, match="already"):
        services.capability_finding_propose(observation=observation, by=quality)
    assert Finding.objects.filter(audit=audit).count() == 1


def test_no_finding_is_proposed_without_a_large_shortfall(claimed, audit, quality, apparel):
    observation = observe(
        audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=apparel, quantity=9_000
    )
    with pytest.raises(ValidationError, match="not a large shortfall"):
        services.capability_finding_propose(observation=observation, by=quality)
    assert not Finding.objects.exists()


# --- Pages --------------------------------------------------------------------------------------------------------


def test_the_capacity_tab_shows_the_comparison_with_a_finding_button(
    client, claimed, audit, quality, apparel
):
    observe(audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=apparel, quantity=6_000)
    client.force_login(quality)
    response = client.get(reverse("suppliers:tab", args=[claimed.pk, "capacity"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Claimed vs observed" in body and "Large shortfall" in body and "Raise a finding" in body


def test_the_finding_button_raises_the_finding_on_the_audit(client, claimed, audit, quality, apparel):
    observation = observe(
        audit, quality, field=CapabilityField.MONTHLY_CAPACITY, category=apparel, quantity=600
    )
    client.force_login(quality)
    response = client.post(reverse("audits:capability_finding_propose", args=[observation.pk]))
    assert response.status_code == 302 and response.url == audit.get_absolute_url()
    assert Finding.objects.filter(audit=audit, severity="major").count() == 1


def test_the_staff_form_saves_the_statement(client, claimed, buyer, apparel):
    client.force_login(buyer)
    url = reverse("suppliers:capability_statement", args=[claimed.pk])
    assert client.get(url).status_code == 200
    data = {
        f"capacity_{apparel.pk}": "9000",
        "capacity_unit": "pcs",
        "production_lines": "4",
        "headcount": "125",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    current = capability_current(supplier=claimed)
    assert current[(CapabilityField.MONTHLY_CAPACITY, apparel.pk)].quantity == 9000
    assert current[(CapabilityField.HEADCOUNT, None)].quantity == 125


@pytest.mark.parametrize("value", ["-1", "1000000000001", "abc"])
def test_the_staff_form_refuses_a_bad_number_and_writes_nothing(client, claimed, buyer, value):
    client.force_login(buyer)
    before = CapabilityClaim.objects.count()
    response = client.post(
        reverse("suppliers:capability_statement", args=[claimed.pk]),
        {"capacity_unit": "pcs", "headcount": value},
    )
    assert response.status_code == 400
    assert CapabilityClaim.objects.count() == before


def test_the_audit_page_records_an_observed_value(client, audit, quality, apparel):
    client.force_login(quality)
    response = client.post(
        reverse("audits:capability_observe", args=[audit.pk]),
        {"field": "monthly_capacity", "category": apparel.pk, "quantity": "700", "observed_on": "2026-11-20"},
    )
    assert response.status_code == 302
    assert CapabilityObservation.objects.get(audit=audit).quantity == 700
    assert "Capability observed" in client.get(audit.get_absolute_url()).content.decode()


def test_the_audit_page_refuses_an_observation_without_its_number(client, audit, quality):
    client.force_login(quality)
    response = client.post(
        reverse("audits:capability_observe", args=[audit.pk]),
        {"field": "headcount", "observed_on": "2026-11-20"},
    )
    assert response.status_code == 400 and "Enter the number observed." in response.content.decode()
    assert not CapabilityObservation.objects.exists()


def test_the_portal_shows_claimed_and_observed_but_never_the_internal_note(
    portal_client, claimed, audit, quality, apparel
):
    observe(
        audit,
        quality,
        field=CapabilityField.MONTHLY_CAPACITY,
        category=apparel,
        quantity=6_000,
        note="Line 2 idle",
    )
    body = portal_client.get(reverse("portal:capability")).content.decode()
    assert "10,000" in body or "10000" in body
    assert "6,000" in body or "6000" in body
    assert "Line 2 idle" not in body and "Raise a finding" not in body


def test_the_factory_updates_its_statement_in_the_portal(portal_client, claimed, apparel):
    response = portal_client.post(
        reverse("portal:capability"), {f"capacity_{apparel.pk}": "11000", "capacity_unit": "pcs"}
    )
    assert response.status_code == 302
    claim = capability_current(supplier=claimed)[(CapabilityField.MONTHLY_CAPACITY, apparel.pk)]
    assert claim.quantity == 11000 and claim.source == CapabilityClaim.Source.PORTAL


# --- API ------------------------------------------------------------------------------------------------------


def test_a_factory_token_reads_its_observations_without_the_note(api_client, portal_a, audit, quality):
    observe(audit, quality, field=CapabilityField.HEADCOUNT, quantity=90, note="Counted at the gate")
    rows = authed(api_client, portal_a).get("/api/v1/capability-observations/").json()["results"]
    assert [row["quantity"] for row in rows] == [90] and "note" not in rows[0]


def test_another_factorys_token_sees_no_observation_or_claim(api_client, portal_b, claimed, audit, quality):
    observation = observe(audit, quality, field=CapabilityField.HEADCOUNT, quantity=90)
    client = authed(api_client, portal_b)
    assert client.get("/api/v1/capability-observations/").json()["results"] == []
    assert client.get("/api/v1/capability-claims/").json()["results"] == []
    assert client.get(f"/api/v1/capability-observations/{observation.pk}/").status_code == 404


def test_a_quality_token_records_an_observation_and_one_without_an_audit_is_400(api_client, quality, audit):
    client = authed(api_client, quality)
    response = client.post(
        "/api/v1/capability-observations/",
        {"audit": audit.pk, "field": "headcount", "quantity": 80, "observed_on": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["supplier"] == audit.supplier_id
    response = client.post(
        "/api/v1/capability-observations/",
        {"field": "headcount", "quantity": 80, "observed_on": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 400 and "audit" in response.json()
    assert CapabilityObservation.objects.count() == 1


def test_a_factory_token_cannot_record_an_observation(api_client, portal_a, audit):
    response = authed(api_client, portal_a).post(
        "/api/v1/capability-observations/",
        {"audit": audit.pk, "field": "headcount", "quantity": 999, "observed_on": "2026-11-20"},
        format="json",
    )
    assert response.status_code == 403
    assert not CapabilityObservation.objects.exists()
