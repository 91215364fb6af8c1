"""After a write that can change a supplier's red flags, check that one supplier once the transaction commits.

Every service records its write on the supplier's activity timeline (suppliers.services.activity_record), even
those that change rows with a conditional UPDATE, so one post_save on Activity catches them all. A signal,
because the lower apps (orders, audits, communications, payments) must not know about scorecards.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save

from core.queue import enqueue_on_commit
from suppliers.models import Activity

_muted = threading.local()


@contextmanager
def muted():
    """Skip the per-write checks inside the block (bulk loads such as the demo, which scans once at the end)."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def _queue_check(sender, instance, **kwargs):
    from .tasks import red_flags_check_supplier_task

    if getattr(_muted, "on", False):
        return
    supplier_id = instance.supplier_id
    # A broker that is down is logged, never raised: the nightly scan evaluates every supplier anyway.
    enqueue_on_commit(red_flags_check_supplier_task, supplier_id)


def connect() -> None:
    """Connect the checks (called from ScorecardsConfig.ready)."""
    post_save.connect(_queue_check, sender=Activity, dispatch_uid="red-flags-after-activity")
