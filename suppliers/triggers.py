"""The red-flag trigger: services whose writes the red-flag rules read ask for one check of that supplier.

The rules live higher up (scorecards), so this app only keeps the hook: scorecards registers what a check does
from its AppConfig.ready() (as later apps register their vetting gates), and every service that changes what a
rule reads (a receipt, an inspection, an issue reply, a corrective action, an invoice, a check-in, a certificate,
a stage), or what the supplier's stored KPI rows hold (an order sent or changed, a forecast published), calls
red_flags_request_check(supplier_id) explicitly. The ids are collected per transaction, so a
service that writes many rows queues one check per supplier, once the transaction commits (none on a rollback).
"""

import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

_check: Callable[[int], None] | None = None
_state = threading.local()


def register_red_flags_check(callback: Callable[[int], None] | None) -> None:
    """Set what a requested check does with a supplier id (scorecards queues its task); None turns checks off."""
    global _check
    _check = callback


@contextmanager
def muted():
    """Skip the per-write checks inside the block (bulk loads such as the demo, which scans once at the end)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


class _Batch:
    """The suppliers to check when the current transaction commits."""

    def __init__(self, key: str | None):
        self.key = key
        self.supplier_ids: set[int] = set()
        self.done = False

    def flush(self) -> None:
        self.done = True
        if _check is not None:
            for supplier_id in sorted(self.supplier_ids):
                _check(supplier_id)


def _transaction_key(connection) -> str | None:
    """Name the transaction of the code's own: its outermost atomic block that is not a test case's wrapper.

    In a test every block nests in the test case's, which never commits; there the code's own outermost block
    is a savepoint, whose id is unique, so each service call outside a test's own atomic() is its own batch.
    """
    for index, block in enumerate(connection.atomic_blocks):
        if not getattr(block, "_from_testcase", False):
            return connection.savepoint_ids[index - 1] if index else "transaction"
    return None


def red_flags_request_check(supplier_id: int) -> None:
    """Check one supplier's red-flag rules once the current transaction commits (once per supplier and commit)."""
    if getattr(_state, "muted", False) or _check is None:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _check(supplier_id)  # autocommit: the write is already committed
        return
    key = _transaction_key(connection)
    batch = getattr(connection, "red_flags_batch", None)
    # A batch whose callback ran, or was dropped with a rolled-back block, is over: start another.
    current = (
        key is not None
        and batch is not None
        and batch.key == key
        and not batch.done
        and any(callback == batch.flush for _, callback, _ in connection.run_on_commit)
    )
    if not current:
        batch = _Batch(key)
        connection.red_flags_batch = batch
        transaction.on_commit(batch.flush)
    batch.supplier_ids.add(supplier_id)
