"""Contests of scorecard rows in the demo: the factory contests a late delivery (waiting for a manager) and an
inspection's defective count (decided: corrected after a recount)."""

from datetime import timedelta

from django.db.models import F

from audits.models import QCInspection
from scorecards.contests import services as contests
from scorecards.contests.models import RowContest

from .history import History


def contests_open_and_decided(history: History) -> None:
    """One open contest on a late delivery, and one decided on an inspection's defective count."""
    if history.portal is None or RowContest.objects.filter(supplier=history.supplier).exists():
        return
    late = (
        history.supplier.deliveries.filter(
            status="received",
            promised_on__gte=history.today - timedelta(days=80),
            received_on__gt=F("promised_on"),
            excused_at__isnull=True,
        )
        .order_by("-promised_on")
        .first()
    )
    if late is not None:
        contests.row_contest_open(
            by=history.portal,
            kind=RowContest.Kind.DELIVERY,
            row_id=late.pk,
            reason="The buyer's forwarder collected two days after the goods were ready at our gate; "
            "the booking confirmation is attached to the order's shipment.",
        )
    inspection = (
        QCInspection.objects.filter(
            supplier=history.supplier,
            inspected_on__gte=history.today - timedelta(days=80),
            defective_units__gte=2,
            excused_at__isnull=True,
        )
        .order_by("-inspected_on")
        .first()
    )
    if inspection is not None:
        opened = contests.row_contest_open(
            by=history.portal,
            kind=RowContest.Kind.INSPECTION,
            row_id=inspection.pk,
            reason="Some cartons were counted twice: the inspector's photo log shows the same units.",
        )
        contests.row_contest_accept(
            contest=opened,
            by=history.manager,
            note="QC recounted from the photo log: half of the units were listed twice.",
            outcome=RowContest.Outcome.CORRECTED,
            corrected_defective_units=inspection.defective_units // 2,
        )
