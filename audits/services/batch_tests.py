"""Batch test (lab) reports the factory submits and QC reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from core.workflow_events import workflow_emit
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record

from ..models import (
    BatchTest,
)
from .lots import lot_of

# --- Batch tests ----------------------------------------------------------------------------------------------


@transaction.atomic
def batch_test_submit(*, supplier: Supplier, by: User, **fields) -> BatchTest:
    """Record a lab report for a lot (the supplier in the portal, or QC); QC reviews it."""
    _require_own(by, supplier.pk)
    if not by.is_portal_user:
        _require(by, "inspection.edit")
    order = fields.get("order")
    if order is not None and order.supplier_id != supplier.pk:
        raise ValidationError({"order": _("That order belongs to another supplier.")})
    lot = fields.pop("lot", None)
    if lot is not None:
        if lot.supplier_id != supplier.pk:
            raise ValidationError({"lot": _("That lot belongs to another supplier.")})
        fields["order"], fields["lot_number"] = lot.order, lot.number
    test = BatchTest(
        supplier=supplier,
        uploaded_by=by,
        lot=lot or lot_of(fields.get("order"), fields.get("lot_number")),
        **fields,
    )
    test.full_clean()
    test.save()
    activity_record(
        supplier=supplier,
        actor=by,
        target=test,
        kind=ActivityKind.LAB_REPORT_UPLOADED,
        detail=f"{test.lot_number}: {test.standard} — {test.get_outcome_display()}",
    )
    return test


@transaction.atomic
def batch_test_review(*, test: BatchTest, by: User, accept: bool, note: str = "") -> BatchTest:
    """Accept or reject a lab report; a rejection needs a note the supplier sees."""
    _require(by, "inspection.edit")
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the report is rejected.")})
    review = BatchTest.Review.ACCEPTED if accept else BatchTest.Review.REJECTED
    won = BatchTest.objects.filter(pk=test.pk, review=BatchTest.Review.SUBMITTED).update(
        review=review, reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
    )
    if not won:
        raise ValidationError(_("This report was already reviewed."))
    test.refresh_from_db()
    workflow_emit("lab_report_reviewed", test=test, by=by)
    return test
