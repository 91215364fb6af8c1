"""Writes of the integrations app (callers import from the package)."""

from .deliveries import (
    BACKOFF_BASE,
    BACKOFF_MAX,
    MAX_ATTEMPTS,
    PAUSE_AFTER,
    deliveries_due,
    deliveries_send,
    delivery_replay,
    delivery_send,
    events_prune,
    events_record,
)
from .targets import (
    channel_create,
    channel_update,
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_update,
    target_pause,
    target_resume,
)

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_MAX",
    "MAX_ATTEMPTS",
    "PAUSE_AFTER",
    "channel_create",
    "channel_update",
    "deliveries_due",
    "deliveries_send",
    "delivery_replay",
    "delivery_send",
    "endpoint_create",
    "endpoint_rotate_secret",
    "endpoint_update",
    "events_prune",
    "events_record",
    "target_pause",
    "target_resume",
]
