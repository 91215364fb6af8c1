"""Queueing a task after the transaction commits, without putting the broker on the write path.

The rows the write committed (an outbox row, a pending reminder) are the source of truth; the queue message is
only a nudge. When the broker is down the error is logged and the page answers normally: the periodic sweep
finds the pending rows and does the work once the broker is back.
"""

import logging

from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

try:  # the Redis client's own connection errors, when it is installed
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = KombuError

# What a publish raises when the broker cannot be reached (kombu wraps most, not all, of them).
BROKER_ERRORS = (KombuError, RedisError, ConnectionError, TimeoutError)


def task_publish(task, *args, **kwargs) -> bool:
    """Queue a task now; log and return False when the broker is unreachable (a sweep catches up)."""
    try:
        task.apply_async(args=args, kwargs=kwargs, headers=_headers())
    except BROKER_ERRORS as exc:
        logger.warning("Could not queue %s (a periodic sweep will do it): %r", task.name, exc)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue a task once the current transaction commits; a broker that is down never fails the request."""
    transaction.on_commit(lambda: task_publish(task, *args, **kwargs))


def _headers() -> dict:
    """Return the headers a queued task carries: the request id of the request that queued it."""
    from core.request_id import current_request_id

    request_id = current_request_id()
    return {"request_id": request_id} if request_id else {}
