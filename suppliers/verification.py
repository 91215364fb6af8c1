"""The hook through which the audits app shows a supplier's re-verification status on its page (this app never
imports audits: audits registers its selector from its AppConfig.ready(), as it registers its gate)."""

from collections.abc import Callable
from datetime import date

_status: Callable | None = None


def register_verification_status(provider: Callable) -> None:
    """Register the function (supplier=, today=) -> requirements (audits.verification.verification_status)."""
    global _status
    _status = provider


def verification_rows(*, supplier, today: date) -> list:
    """Return what the supplier must renew with its state, or nothing when no app registered a provider."""
    return _status(supplier=supplier, today=today) if _status else []
