"""Writes of the payments app, one module per aggregate; callers import from the package."""

from .invoices import discrepancy_resolve, invoice_approve, invoice_record, invoice_reject
from .payments import payment_record
from .reminders import DUE_SOON_DAYS, payment_reminders_deliver, payment_reminders_send
from .terms import (
    term_change_accept,
    term_change_dispute,
    term_change_propose,
    term_change_record_agreement,
    term_change_withdraw,
)

__all__ = [
    "DUE_SOON_DAYS",
    "discrepancy_resolve",
    "invoice_approve",
    "invoice_record",
    "invoice_reject",
    "payment_record",
    "payment_reminders_deliver",
    "payment_reminders_send",
    "term_change_accept",
    "term_change_dispute",
    "term_change_propose",
    "term_change_record_agreement",
    "term_change_withdraw",
]
