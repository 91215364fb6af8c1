"""Quality records: QC inspections with AQL sampling, batch test reports, on-site audits with checklists,
findings, corrective actions (SCAR/CAPA) with evidence, and proposals to put a supplier on hold.

One module per aggregate; everything is importable from `audits.models` as before."""

from .audits import (
    Audit,
    AuditAnswer,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    Finding,
    HoldProposal,
)
from .capability import CAPABILITY_SHORTFALL_RATIO, CapabilityObservation, capability_shortfall
from .corrective_actions import CorrectiveAction, CorrectiveActionEvidence
from .inspections import AQL_CHOICES, BatchTest, QCInspection
from .severity import InspectionSeverity, Severity, SeveritySwitch, SwitchRule
from .verification import VerificationPolicy
from .visits import VisitCadence, VisitNote, VisitPerson

__all__ = [
    "AQL_CHOICES",
    "CAPABILITY_SHORTFALL_RATIO",
    "Audit",
    "AuditAnswer",
    "BatchTest",
    "CapabilityObservation",
    "ChecklistQuestion",
    "ChecklistSection",
    "ChecklistTemplate",
    "CorrectiveAction",
    "CorrectiveActionEvidence",
    "Finding",
    "HoldProposal",
    "InspectionSeverity",
    "QCInspection",
    "Severity",
    "SeveritySwitch",
    "SwitchRule",
    "VerificationPolicy",
    "VisitCadence",
    "VisitNote",
    "VisitPerson",
    "capability_shortfall",
]
