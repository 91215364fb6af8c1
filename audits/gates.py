"""The vetting gate this app owns: a passed on-site audit before a supplier is approved.

A verification policy may let evidence replace the audit (a verified certificate of a type plus months on
target): the gate then passes and says "Replaced by evidence: …" — recorded on the stage change with the other
checks, never as a waiver. The track record is read through a hook scorecards registers (this app never imports it).
"""

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suppliers.gates import APPROVAL_STAGES, Gate, register_gate
from suppliers.models import Certification, Supplier

# The words a replaced audit's detail starts with (tests and the stage history recognise it).
REPLACED_BY_EVIDENCE = gettext_lazy("Replaced by evidence")

_track_record: Callable[..., tuple[bool, str]] | None = None


def register_track_record(provider: Callable[..., tuple[bool, str]]) -> None:
    """Register the function (supplier_id=, months=, today=) -> (on target?, why) scorecards provides."""
    global _track_record
    _track_record = provider


def audit_replacement(supplier: Supplier, today: date) -> str | None:
    """Return the evidence that replaces the on-site audit under the supplier's policy, in words, or None."""
    from .verification import supplier_demands

    return audit_replacements(demands=supplier_demands([supplier.pk]), today=today).get(supplier.pk)


def audit_replacements(*, demands: dict, today: date) -> dict[int, str]:
    """Return, per supplier of `demands` (audits.verification.supplier_demands), the evidence that replaces its
    on-site audit, in words: one query for the certificates, then the track record of each supplier holding one.
    The one definition the approval gate and the re-verification status share."""
    wanted = {
        supplier_id: [policy for policy in demand.policies if policy.replacement_certificate]
        for supplier_id, demand in demands.items()
    }
    wanted = {supplier_id: policies for supplier_id, policies in wanted.items() if policies}
    if not wanted or _track_record is None:
        return {}
    standards = {policy.replacement_certificate for policies in wanted.values() for policy in policies}
    latest = {}  # (supplier, standard) -> the certificate in force that runs longest
    for cert in (
        Certification.objects.in_force(today)
        .filter(supplier_id__in=wanted, standard__in=standards)
        .order_by("valid_until", "pk")
    ):
        latest[(cert.supplier_id, cert.standard)] = cert
    found = {}
    for supplier_id, policies in wanted.items():
        for policy in policies:
            cert = latest.get((supplier_id, policy.replacement_certificate))
            if cert is None:
                continue
            on_target, why = _track_record(
                supplier_id=supplier_id, months=policy.replacement_months_on_target, today=today
            )
            if on_target:
                found[supplier_id] = _(
                    "%(replaced)s: verified %(cert)s certificate valid until %(until)s, and %(why)s"
                ) % {
                    "replaced": REPLACED_BY_EVIDENCE,
                    "cert": cert.standard_label,
                    "until": cert.valid_until,
                    "why": why,
                }
                break
    return found


def _has_passed_audit(supplier: Supplier, today: date) -> tuple[bool, str]:
    audit = supplier.audits.filter(status="performed", result="pass").order_by("-performed_on").first()
    if audit is None:
        replacement = audit_replacement(supplier, today)
        if replacement:
            return True, replacement
        return False, _("no audit passed")
    return True, _("%(type)s audit passed on %(day)s") % {
        "type": audit.get_audit_type_display(),
        "day": audit.performed_on,
    }


def register_audit_gates() -> None:
    """Register the audit gate (called from AuditsConfig.ready)."""
    register_gate(Gate("audit", gettext_lazy("A passed on-site audit"), APPROVAL_STAGES, _has_passed_audit))
