"""QC inspections: the ISO 2859-1 sampling plan applied, the result from defects by class, the report shared."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.events import EventType, event_emit
from core.inputs import single_line
from orders.models import Delivery, PurchaseOrder
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import (
    QCInspection,
)
from ..sampling import NORMAL, lot_plans
from ..severity_selectors import inspection_stream
from .lots import lot_of
from .severity import severity_apply, severity_check_open, severity_state_lock

# --- QC inspections -------------------------------------------------------------------------------------------


def inspection_outcome(
    *,
    lot_size: int,
    level: str,
    aql_major,
    aql_minor,
    critical: int,
    major: int,
    minor: int,
    severity: str = NORMAL,
) -> dict:
    """Return the sampling plan fields and the result the defects give under ISO 2859-1 (single sampling, at the
    severity in force: Table 2-A for normal, 2-B for tightened, 2-C for reduced, except that a lot on reduced whose
    code letter and AQL land on a disputed cell of Table 2-C is inspected on the normal plan: sampling.lot_plans).

    Where the two AQLs lead to different sample sizes (an arrow in the table), the larger sample is drawn
    and each class is judged by its own Ac/Re. Any critical defect rejects the lot (AQL 0 for critical).
    """
    plans = lot_plans(lot_size, level, aql_major, aql_minor, severity)
    major_plan, minor_plan = plans.major, plans.minor
    rejected = critical > 0 or major >= major_plan.reject or minor >= minor_plan.reject
    return {
        "code_letter": major_plan.code_letter,
        "sample_size": max(major_plan.sample_size, minor_plan.sample_size),
        "major_accept": major_plan.accept,
        "major_reject": major_plan.reject,
        "minor_accept": minor_plan.accept,
        "minor_reject": minor_plan.reject,
        "computed_result": QCInspection.Result.REJECT if rejected else QCInspection.Result.ACCEPT,
    }


@transaction.atomic
def inspection_record(
    *,
    supplier: Supplier,
    by: User,
    checkpoint: str,
    inspected_on: date,
    lot_size: int,
    level: str = "II",
    aql_major=Decimal("2.5"),
    aql_minor=Decimal("4.0"),
    critical_defects: int = 0,
    major_defects: int = 0,
    minor_defects: int = 0,
    defective_units: int = 0,
    order: PurchaseOrder | None = None,
    delivery: Delivery | None = None,
    lot_number: str = "",
    notes: str = "",
    report=None,
    shared_with_supplier: bool = True,
    result: str | None = None,
    override_reason: str = "",
) -> QCInspection:
    """Record an inspection under the severity in force for its SKU (ISO 2859-1 switching), then apply the
    switching rules; the result follows from the defects and can be overridden only with a reason."""
    _require(by, "inspection.edit")
    if delivery is not None:
        order = order or delivery.order
        if delivery.order_id != order.pk:
            raise ValidationError({"delivery": _("That delivery belongs to another order.")})
    if order is not None and order.supplier_id != supplier.pk:
        raise ValidationError({"order": _("That order belongs to another supplier.")})
    lot = lot_of(order, lot_number)
    sku, category = inspection_stream(supplier=supplier, order=order, lot=lot)
    # Locked until the lot is recorded and the rules applied: lots of one stream are counted one at a time.
    state = severity_state_lock(supplier=supplier, sku=sku, category=category)
    severity_check_open(state)
    try:
        plan = inspection_outcome(
            severity=state.severity,
            lot_size=lot_size,
            level=level,
            aql_major=aql_major,
            aql_minor=aql_minor,
            critical=critical_defects,
            major=major_defects,
            minor=minor_defects,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if defective_units > critical_defects + major_defects + minor_defects:
        raise ValidationError({"defective_units": _("More defective units than defects counted.")})
    if (critical_defects or major_defects or minor_defects) and not defective_units:
        raise ValidationError({"defective_units": _("Defects were counted: how many units had them?")})
    result = result or plan["computed_result"]
    if result == plan["computed_result"]:
        override_reason = ""
    elif not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _("The sampling plan says %(result)s; say why you override it.")
                % {"result": QCInspection.Result(plan["computed_result"]).label}
            }
        )
    inspection = QCInspection(
        supplier=supplier,
        order=order,
        lot=lot,
        sku=sku,
        product_category=category,
        severity=state.severity,
        delivery=delivery,
        checkpoint=checkpoint,
        inspector=by,
        inspected_on=inspected_on,
        lot_number=lot_number,
        lot_size=lot_size,
        level=level,
        aql_major=aql_major,
        aql_minor=aql_minor,
        critical_defects=critical_defects,
        major_defects=major_defects,
        minor_defects=minor_defects,
        defective_units=defective_units,
        result=result,
        override_reason=override_reason.strip(),
        notes=notes,
        shared_with_supplier=shared_with_supplier,
        **plan,
    )
    if report:
        inspection.report = report
    inspection.full_clean()
    inspection.save()
    kind = (
        ActivityKind.INSPECTION_PASSED
        if result == QCInspection.Result.ACCEPT
        else ActivityKind.INSPECTION_FAILED
    )
    activity_record(
        supplier=supplier,
        actor=by,
        target=inspection,
        kind=kind,
        detail=f"{inspection.get_checkpoint_display()}, "
        f"{inspection.defective_units}/{inspection.sample_size}",
        url=inspection.get_absolute_url(),
    )
    event_emit(
        EventType.INSPECTION_RECORDED,
        inspection,
        state=inspection.result,
        inspection={
            "checkpoint": inspection.checkpoint,
            "inspected_on": str(inspection.inspected_on),
            "order_id": inspection.order_id,
            "delivery_id": inspection.delivery_id,
            "sample_size": inspection.sample_size,
            "defective_units": inspection.defective_units,
        },
    )
    severity_apply(state=state, inspection=inspection)
    red_flags_request_check(supplier.pk)
    return inspection


def _contest_reason(reason: str, message: str) -> str:
    reason = single_line(reason).strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason[:300]


@transaction.atomic
def inspection_excuse(*, inspection: QCInspection, by: User, reason: str) -> QCInspection:
    """Excuse an inspection from the defect rate (a factory's contest accepted): listed apart with who and why."""
    _require(by, "delivery.excuse")
    reason = _contest_reason(
        reason, _("Say why this inspection is excused; the factory and the scorecard show it.")
    )
    won = QCInspection.objects.filter(pk=inspection.pk, excused_at__isnull=True).update(
        excused_at=timezone.now(), excused_by=by, excuse_reason=reason
    )
    if not won:
        raise ValidationError(_("This inspection is already excused."))
    inspection.refresh_from_db()
    red_flags_request_check(inspection.supplier_id)
    return inspection


@transaction.atomic
def inspection_correct_defectives(
    *, inspection: QCInspection, by: User, defective_units: int, reason: str
) -> QCInspection:
    """Correct the defective units the defect rate counts for an inspection (a factory's contest accepted); the
    count QC recorded stays as found, the correction is kept with who and why."""
    _require(by, "delivery.excuse")
    reason = _contest_reason(reason, _("Say why the defective count is corrected."))
    inspection = QCInspection.objects.select_for_update().get(pk=inspection.pk)
    if not isinstance(defective_units, int) or isinstance(defective_units, bool) or defective_units < 0:
        raise ValidationError({"defective_units": _("Enter a whole number of defective units, 0 or more.")})
    if defective_units >= inspection.counted_defective_units:
        raise ValidationError(
            {
                "defective_units": _("A corrected count is lower than the %(n)s defective units counted now.")
                % {"n": inspection.counted_defective_units}
            }
        )
    inspection.corrected_defective_units = defective_units
    inspection.corrected_at = timezone.now()
    inspection.corrected_by = by
    inspection.correction_reason = reason
    inspection.save(
        update_fields=["corrected_defective_units", "corrected_at", "corrected_by", "correction_reason"]
    )
    red_flags_request_check(inspection.supplier_id)
    return inspection
