"""Reads of claimed vs observed: the supplier's current capability statement next to what audits saw."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from accounts.models import User
from suppliers.models import NUMERIC_CAPABILITY_FIELDS, CapabilityClaim, CapabilityField, Supplier

from .models import CapabilityObservation, capability_shortfall

FIELD_ORDER = {value: index for index, value in enumerate(CapabilityField.values)}


@dataclass
class CapabilityRow:
    """One line of the comparison: a field (per category for capacity), claimed and observed."""

    field: str
    label: str
    category: object
    claim: CapabilityClaim | None
    observation: CapabilityObservation | None

    @property
    def numeric(self) -> bool:
        return self.field in NUMERIC_CAPABILITY_FIELDS

    @property
    def claimed_at(self) -> datetime | None:
        return self.claim.claimed_at if self.claim else None

    @property
    def observed_on(self) -> date | None:
        return self.observation.observed_on if self.observation else None

    @property
    def variance(self) -> int | None:
        """Return observed minus claimed, for numbers both sides have."""
        if not (self.numeric and self.claim and self.observation) or self.claim.quantity is None:
            return None
        return self.observation.quantity - self.claim.quantity

    @property
    def variance_percent(self) -> int | None:
        """Return the variance in % of the claim, rounded."""
        if self.variance is None or not self.claim.quantity:
            return None
        return round(self.variance * 100 / self.claim.quantity)

    @property
    def shortfall(self) -> bool:
        """Return whether the observation falls short of the claim by more than the threshold."""
        if self.variance is None:
            return False
        return capability_shortfall(claimed=self.claim.quantity, observed=self.observation.quantity)


def capability_comparison(*, user: User, supplier: Supplier) -> list[CapabilityRow]:
    """Return claimed vs observed per field: the current claim and the latest observation (two queries)."""
    claims = {}
    for claim in (
        CapabilityClaim.objects.visible_to(user)
        .filter(supplier=supplier)
        .select_related("category")
        .order_by("claimed_at", "pk")
    ):
        claims[(claim.field, claim.category_id)] = claim
    observations = {}
    for observation in (
        CapabilityObservation.objects.visible_to(user)
        .filter(supplier=supplier)
        .select_related("category", "audit")
        .order_by("observed_on", "pk")
    ):
        observations[(observation.field, observation.category_id)] = observation
    rows = []
    for key in claims.keys() | observations.keys():
        claim, observation = claims.get(key), observations.get(key)
        either = claim or observation
        rows.append(
            CapabilityRow(
                field=key[0],
                label=either.get_field_display(),
                category=either.category,
                claim=claim,
                observation=observation,
            )
        )
    rows.sort(key=lambda row: (FIELD_ORDER[row.field], str(row.category or "")))
    return rows


def audit_capability_observations(*, user: User, audit) -> QuerySet[CapabilityObservation]:
    """Return what an audit observed of the capability statement."""
    return (
        CapabilityObservation.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("category", "finding")
        .order_by("field", "category__name", "pk")
    )
