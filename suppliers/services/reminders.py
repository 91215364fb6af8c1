"""Certification expiry reminders to a supplier's owner: one per threshold, emailed once through the outbox."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.leases import unsent_deliver

from .. import selectors
from ..models import (
    CertificationReminder,
)


def _threshold_for(days_left: int) -> str | None:
    if days_left < 0:
        return CertificationReminder.Threshold.EXPIRED
    if days_left <= 7:
        return CertificationReminder.Threshold.DAYS_7
    if days_left <= 30:
        return CertificationReminder.Threshold.DAYS_30
    return None


def certification_reminders_send(*, today: date, now: datetime | None = None) -> int:
    """Record a reminder for each certificate that crossed an expiry threshold, then email what is due.

    The reminder row (unique per certificate and threshold) is written first, so running this twice, even at
    once, records each threshold once; it is the outbox entry, marked sent only after the mail server accepted
    the owner's email (certification_reminders_deliver). Returns how many reminders this call emailed.
    """
    for cert in selectors.certifications_expiring(user=None, today=today, system=True):
        threshold = _threshold_for((cert.valid_until - today).days)
        if threshold is not None:
            with transaction.atomic():
                CertificationReminder.objects.get_or_create(certification=cert, threshold=threshold)
    return certification_reminders_deliver(now=now or timezone.now())


def certification_reminders_deliver(*, now: datetime) -> int:
    """Email each owner one message listing their unsent certificate reminders (the sweep calls this too)."""
    return unsent_deliver(
        CertificationReminder.objects.select_related("certification__supplier__owner"),
        now=now,
        kind="certification-reminders",
        recipient=lambda reminder: reminder.certification.supplier.owner,
        compose=_certification_reminders_email,
    )


def _certification_reminders_email(reminders) -> tuple[str, str]:
    lines = [
        f"- {r.certification.supplier.name}: {r.certification.standard_label} {r.certification.number} — "
        f"{CertificationReminder.Threshold(r.threshold).label} ({r.certification.valid_until:%Y-%m-%d})"
        for r in reminders
    ]
    return (
        _("Forgeline: %(n)s certificate(s) to renew") % {"n": len(reminders)},
        _("These certificates need a renewal from the supplier:") + "\n\n" + "\n".join(lines),
    )
