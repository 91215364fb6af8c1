"""Open-book requests: the buyer asks for the cost breakdown of a SKU; the factory answers with its amounts.

The buyer may also record its own should-cost estimate of a SKU (an internal row the factory never sees) and
assess a factory's answer in a note that stays with its staff."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.permissions import require_own_supplier as _require_own
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record

from ..models import CostBreakdownRequest
from .agreements import EDIT
from .changes import BREAKDOWN_FIELDS, check_breakdown


@transaction.atomic
def cost_breakdown_request(
    *, supplier: Supplier, by: User, sku: str, currency: str = "USD", message: str = ""
) -> CostBreakdownRequest:
    """The buyer asks a supplier for the cost breakdown of one SKU (material, labour, overhead, margin)."""
    require_capability(by, EDIT)
    sku = _given_sku(sku)
    if CostBreakdownRequest.objects.filter(
        supplier=supplier, sku=sku, status=CostBreakdownRequest.Status.REQUESTED
    ).exists():
        raise ValidationError({"sku": _("A cost breakdown of %(sku)s is already asked for.") % {"sku": sku}})
    return _breakdown_create(
        supplier=supplier,
        by=by,
        sku=sku,
        currency=_given_currency(currency),
        kind=ActivityKind.COST_BREAKDOWN_REQUESTED,
        message=message.strip(),
    )


@transaction.atomic
def cost_breakdown_answer(
    *, breakdown: CostBreakdownRequest, by: User, note: str = "", **amounts
) -> CostBreakdownRequest:
    """The factory answers with the four amounts of one unit's cost; only the buyer's staff and itself see them."""
    if not by.is_portal_user:
        raise PermissionDenied(_("Only the factory answers a cost-breakdown request."))
    _require_own(by, breakdown.supplier_id)
    if breakdown.internal:
        raise PermissionDenied(_("This is not a request to the factory."))
    values = _all_four(amounts, breakdown.currency)
    won = CostBreakdownRequest.objects.filter(
        pk=breakdown.pk, status=CostBreakdownRequest.Status.REQUESTED
    ).update(
        status=CostBreakdownRequest.Status.ANSWERED,
        answered_by=by,
        answered_at=timezone.now(),
        answer_note=(note or "").strip()[:4000],
        **values,
    )
    breakdown.refresh_from_db()
    if not won:
        raise ValidationError(_("This request was already answered."))
    activity_record(
        supplier=breakdown.supplier_id,
        actor=by,
        target=breakdown,
        kind=ActivityKind.COST_BREAKDOWN_GIVEN,
        detail=breakdown.sku,
        url=breakdown.get_absolute_url(),
    )
    return breakdown


def _all_four(amounts: dict, currency: str) -> dict:
    values = check_breakdown(amounts, currency)
    missing = [name for name in BREAKDOWN_FIELDS if name not in values]
    if missing:
        raise ValidationError({name: _("Give this amount (0 when there is none).") for name in missing})
    return values


@transaction.atomic
def cost_estimate_record(
    *, supplier: Supplier, by: User, sku: str, currency: str = "USD", note: str = "", **amounts
) -> CostBreakdownRequest:
    """The buyer records its own should-cost estimate of a SKU: internal, never shown to the factory."""
    require_capability(by, EDIT)
    sku = _given_sku(sku)
    currency = _given_currency(currency)
    now = timezone.now()
    return _breakdown_create(
        supplier=supplier,
        by=by,
        sku=sku,
        currency=currency,
        kind=ActivityKind.COST_ESTIMATE_RECORDED,
        internal=True,
        status=CostBreakdownRequest.Status.ANSWERED,
        requested_at=now,
        answered_by=by,
        answered_at=now,
        answer_note=(note or "").strip(),
        **_all_four(amounts, currency),
    )


def _given_sku(sku: str) -> str:
    sku = (sku or "").strip()
    if not sku:
        raise ValidationError({"sku": _("Give the SKU.")})
    return sku


def _given_currency(currency: str) -> str:
    return (currency or "USD").strip().upper()


def _breakdown_create(
    *, supplier: Supplier, by: User, sku: str, currency: str, kind: str, **fields
) -> CostBreakdownRequest:
    """Save one breakdown row the buyer starts (a request or its own estimate) and record it on the timeline."""
    row = CostBreakdownRequest(supplier=supplier, sku=sku, currency=currency, requested_by=by, **fields)
    row.full_clean()
    row.save()
    activity_record(
        supplier=supplier,
        actor=by,
        target=row,
        kind=kind,
        detail=sku,
        url=row.get_absolute_url(),
    )
    return row


@transaction.atomic
def cost_breakdown_assess(
    *, breakdown: CostBreakdownRequest, by: User, assessment: str
) -> CostBreakdownRequest:
    """The buyer writes (or rewrites) its assessment of a factory's answer; it stays with the buyer's staff."""
    require_capability(by, EDIT)
    text = (assessment or "").strip()
    if not text:
        raise ValidationError({"assessment": _("Write the assessment.")})
    if len(text) > 4000:
        raise ValidationError({"assessment": _("Keep the assessment under 4,000 characters.")})
    if breakdown.internal or breakdown.status != CostBreakdownRequest.Status.ANSWERED:
        raise ValidationError(_("Only a factory's answer can be assessed."))
    CostBreakdownRequest.objects.filter(pk=breakdown.pk).update(
        assessment=text, assessed_by=by, assessed_at=timezone.now()
    )
    breakdown.refresh_from_db()
    activity_record(
        supplier=breakdown.supplier_id,
        actor=by,
        target=breakdown,
        kind=ActivityKind.COST_BREAKDOWN_ASSESSED,
        detail=breakdown.sku,
        url=breakdown.get_absolute_url(),
    )
    return breakdown
