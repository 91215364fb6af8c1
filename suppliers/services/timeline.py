"""Writes on the activity timeline: one line per thing that happened, by kind and row."""

from django.db import models

from accounts.models import User
from core.workflow_events import workflow_emit

from ..models import (
    Activity,
    Supplier,
)


def activity_record(
    *,
    supplier: Supplier | int,
    actor: User | None,
    kind: str,
    target: models.Model | None = None,
    detail: str = "",
    url: str = "",
) -> Activity:
    """Add a line to a supplier's activity timeline: what happened (`kind`) to which row (`target`)."""
    supplier_id = supplier if isinstance(supplier, int) else supplier.pk
    activity = Activity.objects.create(
        supplier_id=supplier_id,
        actor=actor,
        kind=kind,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=target.pk if target is not None else None,
        detail=str(detail)[:300],
        url=url,
    )
    # Communications tells the other side (core/workflow_events.py); the timeline itself stays staff-only.
    workflow_emit("activity_recorded", activity=activity, target=target)
    return activity
