"""Business events for outgoing integrations (webhooks, chat), recorded in the writing transaction.

The services of every app call `event_emit(...)` where a state changes (a delivery received, an invoice approved,
a red flag raised). The integrations app sits above them all, so it registers what recording an event does from
its AppConfig.ready(): it writes an outbox row per interested endpoint inside the same transaction, so an event
leaves only when its write committed, and a rolled-back write sends nothing. Without a recorder (or inside
`muted()`), emitting costs nothing.

A payload carries ids, the kind, the state, the supplier's id and name and a link: enough for a receiver to fetch
the rest through the API, nothing more.
"""

import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """The events an endpoint can subscribe to."""

    RED_FLAG_RAISED = "red_flag.raised", _("Red flag raised")
    RED_FLAG_RESOLVED = "red_flag.resolved", _("Red flag resolved")
    DELIVERY_RECEIVED = "delivery.received", _("Delivery received")
    INSPECTION_RECORDED = "inspection.recorded", _("Inspection recorded")
    CORRECTIVE_ACTION_STATE = "corrective_action.state_changed", _("Corrective action state changed")
    SUPPLIER_STAGE = "supplier.stage_changed", _("Supplier stage changed")
    INVOICE_STATE = "invoice.state_changed", _("Invoice state changed")
    ORDER_STATE = "order.state_changed", _("Order state changed")
    ISSUE_ESCALATED = "issue.escalated", _("Issue escalated")


@dataclass(frozen=True)
class Event:
    """One thing that happened to one row: its type, the row, its new state and a few extra fields."""

    type: str
    obj: models.Model
    state: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def supplier_id(self) -> int | None:
        return (
            self.obj.pk if self.obj._meta.model_name == "supplier" else getattr(self.obj, "supplier_id", None)
        )

    def payload(self) -> dict:
        """Return the JSON-ready data of the event (reads the supplier's name: call it only when someone listens)."""
        supplier = (
            self.obj if self.obj._meta.model_name == "supplier" else getattr(self.obj, "supplier", None)
        )
        url = self.obj.get_absolute_url() if hasattr(self.obj, "get_absolute_url") else ""
        return {
            "object": {
                "type": self.obj._meta.model_name,
                "id": self.obj.pk,
                "state": str(self.state),
                "url": f"{settings.FORGELINE_BASE_URL}{url}" if url else "",
            },
            "supplier": {"id": supplier.pk, "name": supplier.name} if supplier is not None else None,
            **self.extra,
        }


_recorders: list[Callable] = []
_state = threading.local()


def register_event_recorder(recorder: Callable) -> None:
    """Call `recorder(events=[...])` for every batch of events emitted (once per recorder)."""
    if recorder not in _recorders:
        _recorders.append(recorder)


@contextmanager
def muted():
    """Emit nothing inside the block (bulk loads such as the demo)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def events_emit(events: list[Event]) -> None:
    """Hand a batch of events to the registered recorders, inside the caller's transaction."""
    if not events or not _recorders or getattr(_state, "muted", False):
        return
    for recorder in _recorders:
        recorder(events=events)


def event_emit(type: str, obj: models.Model, *, state: str = "", **extra) -> None:
    """Record that `obj` reached `state` (an EventType), for the endpoints that subscribed to it."""
    events_emit([Event(type=type, obj=obj, state=state, extra=extra)])
