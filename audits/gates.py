"""The vetting gate this app owns: a passed on-site audit before a supplier is approved."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from suppliers.gates import APPROVAL_STAGES, Gate, register_gate
from suppliers.models import Supplier


def _has_passed_audit(supplier: Supplier, today: date) -> tuple[bool, str]:
    audit = supplier.audits.filter(status="performed", result="pass").order_by("-performed_on").first()
    if audit is None:
        return False, _("no audit passed")
    return True, _("%(type)s audit passed on %(day)s") % {
        "type": audit.get_audit_type_display(),
        "day": audit.performed_on,
    }


def register_audit_gates() -> None:
    """Register the audit gate (called from AuditsConfig.ready)."""
    register_gate(Gate("audit", _("A passed on-site audit"), APPROVAL_STAGES, _has_passed_audit))
