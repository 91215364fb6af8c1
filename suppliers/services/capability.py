"""Writes on the factory's capability statement: each changed value is a new claim, so the history stays."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require

from ..models import CapabilityClaim, CapabilityField, ProductCategory, Supplier


def capability_current(*, supplier: Supplier) -> dict:
    """Return the current claims of a supplier, keyed by (field, category id or None)."""
    current = {}
    for claim in CapabilityClaim.objects.filter(supplier=supplier).order_by("claimed_at", "pk"):
        current[(claim.field, claim.category_id)] = claim
    return current


def _claim(supplier, field, *, category=None, quantity=None, unit="", text="", source, by, now):
    claim = CapabilityClaim(
        supplier=supplier,
        field=field,
        category=category,
        quantity=quantity,
        unit=unit,
        text=text.strip(),
        source=source,
        claimed_by=by,
        claimed_at=now,
    )
    claim.full_clean()
    return claim


@transaction.atomic
def capability_statement_save(
    *,
    supplier: Supplier,
    by: User | None,
    capacities: dict | None = None,
    capacity_unit: str = "pcs",
    production_lines: int | None = None,
    headcount: int | None = None,
    equipment: str | None = None,
    qc_steps: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> list[CapabilityClaim]:
    """Record the values of a capability statement that changed; a value left out (None) stays as it was.

    `capacities` maps a product category to its monthly capacity (or to a (capacity, unit) pair). Staff need the right to edit suppliers; a
    factory contact edits only its own company's statement. Nothing is written when one value is refused.
    """
    now = now or timezone.now()
    if source is None:
        if by is not None and by.is_portal_user:
            source = CapabilityClaim.Source.PORTAL
        else:
            source = CapabilityClaim.Source.STAFF
    if source != CapabilityClaim.Source.REGISTRATION:
        if by is None:
            raise PermissionDenied
        if by.is_portal_user:
            if by.supplier_id != supplier.pk:
                raise PermissionDenied
        else:
            _require(by, "supplier.edit")
    current = capability_current(supplier=supplier)
    claims = []
    for category, value in (capacities or {}).items():
        # A number in `capacity_unit`, or a (number, unit) pair when categories count in different units.
        quantity, unit = value if isinstance(value, tuple) else (value, capacity_unit)
        if quantity is None:
            continue
        if not isinstance(category, ProductCategory):
            raise ValidationError(_("Choose a product category."))
        old = current.get((CapabilityField.MONTHLY_CAPACITY, category.pk))
        if old is None or old.quantity != quantity or old.unit != unit:
            claims.append(
                _claim(
                    supplier,
                    CapabilityField.MONTHLY_CAPACITY,
                    category=category,
                    quantity=quantity,
                    unit=unit,
                    source=source,
                    by=by,
                    now=now,
                )
            )
    for field, quantity in (
        (CapabilityField.PRODUCTION_LINES, production_lines),
        (CapabilityField.HEADCOUNT, headcount),
    ):
        if quantity is None:
            continue
        old = current.get((field, None))
        if old is None or old.quantity != quantity:
            claims.append(_claim(supplier, field, quantity=quantity, source=source, by=by, now=now))
    for field, text in ((CapabilityField.EQUIPMENT, equipment), (CapabilityField.QC_STEPS, qc_steps)):
        if text is None or not text.strip():
            continue
        old = current.get((field, None))
        if old is None or old.text != text.strip():
            claims.append(_claim(supplier, field, text=text, source=source, by=by, now=now))
    CapabilityClaim.objects.bulk_create(claims)
    return claims
