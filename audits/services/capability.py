"""Claimed vs observed: an audit records what it saw of the capability statement; a large shortfall is
proposed as a finding of that audit."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from suppliers.models import NUMERIC_CAPABILITY_FIELDS, CapabilityField, ProductCategory
from suppliers.services import capability_current

from ..models import Audit, CapabilityObservation, Finding, capability_shortfall
from .audits import finding_add


@transaction.atomic
def capability_observe(
    *,
    audit: Audit | None,
    by: User,
    field: str,
    observed_on: date,
    category: ProductCategory | None = None,
    quantity: int | None = None,
    text: str = "",
    note: str = "",
) -> CapabilityObservation:
    """Record (or correct) what an audit observed of one field of the capability statement."""
    _require(by, "audit.edit")
    if audit is None:
        raise ValidationError(_("Observed values are recorded on an audit or a visit: choose one."))
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status == Audit.Status.CANCELLED:
        raise ValidationError(_("This audit was cancelled."))
    if field not in CapabilityField.values:
        raise ValidationError({"field": _("Choose a field of the capability statement.")})
    if field == CapabilityField.MONTHLY_CAPACITY:
        if category is None:
            raise ValidationError({"category": _("Capacity is observed per product category: choose one.")})
    else:
        category = None
    text = (text or "").strip()
    if field in NUMERIC_CAPABILITY_FIELDS:
        if quantity is None:
            raise ValidationError({"quantity": _("Enter the number observed.")})
        text = ""
    else:
        if not text:
            raise ValidationError({"text": _("Describe what was observed.")})
        quantity = None
    observation = CapabilityObservation.objects.filter(
        audit=audit, field=field, category=category
    ).first() or CapabilityObservation(
        audit=audit, supplier_id=audit.supplier_id, field=field, category=category
    )
    observation.quantity, observation.text, observation.note = quantity, text, (note or "").strip()
    observation.observed_on, observation.observed_by = observed_on, by
    observation.full_clean(exclude=["finding"])
    observation.save()
    return observation


@transaction.atomic
def capability_finding_propose(*, observation: CapabilityObservation, by: User) -> Finding:
    """Raise a major finding on the observation's audit for a large shortfall against the current claim."""
    _require(by, "audit.edit")
    observation = CapabilityObservation.objects.select_for_update().get(pk=observation.pk)
    if observation.finding_id:
        raise ValidationError(_("A finding was already raised for this shortfall."))
    claim = capability_current(supplier=observation.supplier).get(
        (observation.field, observation.category_id)
    )
    if claim is None or not capability_shortfall(claimed=claim.quantity, observed=observation.quantity):
        raise ValidationError(_("What was observed is not a large shortfall against the claim."))
    label = observation.get_field_display()
    if observation.category_id:
        label = f"{label} ({observation.category})"
    share = round(observation.quantity * 100 / claim.quantity)
    description = _(
        "%(field)s observed on %(observed_on)s: %(observed)s, %(share)s %% of the %(claimed)s claimed "
        "(claim of %(claimed_on)s)."
    ) % {
        "field": label,
        "observed_on": date_format(observation.observed_on),
        "observed": observation.quantity,
        "share": share,
        "claimed": claim.display_value,
        "claimed_on": date_format(claim.claimed_at.date()),
    }
    finding = finding_add(
        audit=observation.audit,
        by=by,
        severity=Finding.Severity.MAJOR,
        clause=_("Capability statement"),
        description=description,
    )
    observation.finding = finding
    observation.save(update_fields=["finding"])
    return finding
