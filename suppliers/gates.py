"""Vetting gates: the evidence a supplier must show before it may enter a stage.

Each gate is a small function of (supplier, today). This app registers the gates it can check itself;
later apps (audits, pilots) register theirs from their AppConfig.ready(), so this app never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .models import Stage, Supplier


@dataclass(frozen=True)
class GateResult:
    """The outcome of one gate for one supplier."""

    code: str
    label: str
    passed: bool
    detail: str = ""

    def as_record(self) -> dict:
        """Return the result as stored in StageChange.checks."""
        return {
            "code": self.code,
            "label": str(self.label),
            "passed": self.passed,
            "detail": str(self.detail),
        }


@dataclass(frozen=True)
class Gate:
    """A named check that must pass before a supplier enters any of `stages`."""

    code: str
    label: str
    stages: frozenset[str]
    check: Callable[[Supplier, date], tuple[bool, str]]

    def evaluate(self, supplier: Supplier, today: date) -> GateResult:
        passed, detail = self.check(supplier, today)
        return GateResult(self.code, self.label, passed, detail)


_GATES: dict[str, Gate] = {}


def register_gate(gate: Gate) -> None:
    """Add a gate (registering the same code again replaces it, so reloads are harmless)."""
    _GATES[gate.code] = gate


def gate_label(code: str, fallback: str = "") -> str:
    """Return a gate's label in the reader's language (a recorded gate no longer registered: its stored label)."""
    gate = _GATES.get(code)
    return str(gate.label) if gate is not None else (fallback or code)


def gates_for(stage: str) -> list[Gate]:
    """Return the gates a supplier must pass to enter a stage, in registration order."""
    return [gate for gate in _GATES.values() if stage in gate.stages]


def evaluate_gates(*, supplier: Supplier, stage: str, today: date) -> list[GateResult]:
    """Evaluate every gate of a stage for one supplier."""
    return [gate.evaluate(supplier, today) for gate in gates_for(stage)]


# --- The gates this app can check -----------------------------------------------------------------------------

APPROVAL_STAGES = frozenset({Stage.APPROVED, Stage.STRATEGIC})


def _has_active_contact(supplier: Supplier, today: date) -> tuple[bool, str]:
    count = supplier.contacts.filter(is_active=True).count()
    return count > 0, _("%(n)s active contact(s)") % {"n": count}


def _has_valid_certification(supplier: Supplier, today: date) -> tuple[bool, str]:
    first = supplier.certifications.in_force(today).order_by("valid_until").first()
    if first is None:
        return False, _("no verified certificate in force today")
    return True, _("%(cert)s valid until %(until)s") % {
        "cert": first.standard_label,
        "until": first.valid_until,
    }


def _has_checked_reference(supplier: Supplier, today: date) -> tuple[bool, str]:
    ref = (
        supplier.references.filter(checked_on__isnull=False, outcome="positive")
        .order_by("-checked_on")
        .first()
    )
    if ref is None:
        return False, _("no reference checked with a positive outcome")
    return True, _("%(company)s, checked on %(day)s") % {"company": ref.company, "day": ref.checked_on}


def _has_capacity_assessment(supplier: Supplier, today: date) -> tuple[bool, str]:
    assessment = supplier.assessments.order_by("-assessed_on").first()
    if assessment is None:
        return False, _("no capacity and financial assessment")
    return True, _("assessed on %(day)s, financial risk %(risk)s") % {
        "day": assessment.assessed_on,
        "risk": assessment.get_financial_risk_display(),
    }


def _has_contract_in_force(supplier: Supplier, today: date) -> tuple[bool, str]:
    for contract in supplier.contracts.all():
        if contract.is_in_force_on(today):
            return True, str(contract)
    return False, _("no signed contract in force today")


def register_builtin_gates() -> None:
    """Register the gates of this app (called from SuppliersConfig.ready)."""
    register_gate(
        Gate("contact", _("At least one active contact"), frozenset({Stage.VETTING}), _has_active_contact)
    )
    register_gate(
        Gate(
            "certification",
            _("A verified certification in force"),
            APPROVAL_STAGES,
            _has_valid_certification,
        )
    )
    register_gate(
        Gate(
            "reference",
            _("A client reference checked with a positive outcome"),
            frozenset({Stage.PILOT}) | APPROVAL_STAGES,
            _has_checked_reference,
        )
    )
    register_gate(
        Gate(
            "capacity",
            _("A capacity and financial assessment"),
            frozenset({Stage.PILOT}) | APPROVAL_STAGES,
            _has_capacity_assessment,
        )
    )
    register_gate(
        Gate(
            "contract", _("A signed contract in force"), frozenset({Stage.STRATEGIC}), _has_contract_in_force
        )
    )
