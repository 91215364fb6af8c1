"""Supplier-A objects of the scorecards app for the isolation test."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from orders.models import Delivery, PurchaseOrder
from scorecards.contests.models import RowContest
from scorecards.letters.models import ReferenceLetter
from scorecards.models import RedFlag
from scorecards.playbooks.models import PlaybookAction
from tests.factories import PDF_BYTES, DeliveryFactory, PurchaseOrderFactory


def scorecard_objects(supplier, staff_user) -> dict:
    order = PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.ACKNOWLEDGED)
    promised = timezone.localdate() - timedelta(days=12)
    late = DeliveryFactory(
        order=order,
        promised_on=promised,
        received_on=promised + timedelta(days=4),
        status=Delivery.Status.RECEIVED,
        quantity_received=100,
    )
    flag = RedFlag.objects.create(
        supplier=supplier,
        rule=RedFlag.Rule.ON_TIME_DELIVERY,
        period="2026-W47",
        observed="80 % (8/10)",
        target="≥ 95 %",
        recommended_action="Review production schedules with the supplier.",
        owner=staff_user,
    )
    # A playbook action taken on the flag (staff-only: in no portal list, only in the staff API's), so the lists
    # of actions have a row per supplier. Not returned: no URL takes its id.
    today = timezone.localdate()
    PlaybookAction.objects.create(
        flag=flag,
        kind=PlaybookAction.Kind.PRODUCTION_REVIEW,
        kpi="on_time_delivery",
        taken_by=staff_user,
        taken_on=today,
        review_due_on=today + timedelta(weeks=8),
    )
    # A reference letter, written as issued (the service would ask for a period with enough data).
    letter = ReferenceLetter.objects.create(
        supplier=supplier,
        supplier_name=supplier.name,
        supplier_country=str(supplier.country),
        period_start=today - timedelta(days=180),
        period_end=today - timedelta(days=1),
        figures={},
        # Below target, with the manager's reason: every text of the letter is then filled (the list-isolation test
        # rewrites each to a marker, and a reason on a letter on target would break its constraint).
        below_target=True,
        below_target_reason="The port strike of June, excused by us.",
        addressee="To the sourcing team of a prospective customer",
        text="A dependable partner for our kitchenware range.",
        issued_by=staff_user,
        issuer_name=staff_user.full_name,
        expires_at=timezone.now() + timedelta(days=365),
    )
    return {
        "reference_letter": letter,
        "red_flag": flag,
        "row_contest": RowContest.objects.create(
            supplier=supplier,
            kind=RowContest.Kind.DELIVERY,
            delivery=late,
            reason="The port was closed.",
            evidence=ContentFile(PDF_BYTES, name="port-notice.pdf"),
            opened_by=staff_user,
        ),
    }
