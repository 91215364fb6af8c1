"""Supplier-A objects of the communications app for the isolation test (see tests/conftest.py objects_a)."""

from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from communications.models import (
    ActionItem,
    CheckIn,
    CheckInSchedule,
    Closure,
    IssueMessage,
    Side,
    SupplierIssue,
)
from tests.factories import PDF_BYTES


def communication_objects(supplier, staff_user) -> dict:
    today = timezone.localdate()
    schedule = CheckInSchedule.objects.create(
        supplier=supplier, weekday=1, local_time=time(9, 0), starts_on=today, created_by=staff_user
    )
    checkin = CheckIn.objects.create(
        schedule=schedule,
        supplier=supplier,
        original_date=today - timedelta(days=7),
        date=today - timedelta(days=7),
        scheduled_at=timezone.now() - timedelta(days=7),
        status=CheckIn.Status.HELD,
        notes="Capacity for Q1",
        shared_with_supplier=True,
    )
    issue = SupplierIssue.objects.create(
        supplier=supplier,
        category="quality",
        subject="Loose threads on PO",
        description="See photos",
        raised_by=staff_user,
        owner=supplier.owner,
    )
    message = IssueMessage.objects.create(
        issue=issue,
        supplier=supplier,
        side=Side.BUYER,
        author_name="QC",
        body="Photos attached",
        logged_by=staff_user,
        attachment=ContentFile(PDF_BYTES, name="photos.pdf"),
    )
    return {
        "schedule": schedule,
        "checkin": checkin,
        "action_item": ActionItem.objects.create(
            checkin=checkin,
            supplier=supplier,
            description="Send capacity plan",
            owner_side=Side.SUPPLIER,
            due_on=today + timedelta(days=7),
        ),
        "closure": Closure.objects.create(
            supplier=supplier,
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=32),
            reason="Factory holiday",
            declared_by=staff_user,
        ),
        "issue": issue,
        "issue_message": message,
    }
