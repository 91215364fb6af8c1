"""Staff pages for QC inspections, batch tests, audits, findings, corrective actions and hold proposals.

One module per aggregate; every view is importable from `audits.views` as before."""

from .audits import (
    AuditDetailView,
    AuditListView,
    AuditPlanView,
    audit_cancel,
    audit_report_pdf,
    finding_add,
    hold_decide,
)
from .capability import capability_finding_propose, capability_observe
from .corrective_actions import (
    CapaDetailView,
    CapaListView,
    CapaRaiseView,
    capa_problem_from_inspection,
    capa_verify,
)
from .inspections import (
    BatchTestListView,
    InspectionCreateView,
    InspectionDetailView,
    InspectionListView,
    batch_test_review,
    inspection_choices,
    sampling_plan_preview,
)
from .lots import LineLotsView
from .severity import SeverityDetailView, SeverityListView, severity_switch
from .verification import VerificationPolicyEditView, VerificationPolicyListView, verification_policy_delete
from .visits import visit_cadence, visit_note_add, visit_person_add

__all__ = [
    "AuditDetailView",
    "AuditListView",
    "AuditPlanView",
    "BatchTestListView",
    "CapaDetailView",
    "CapaListView",
    "CapaRaiseView",
    "InspectionCreateView",
    "InspectionDetailView",
    "InspectionListView",
    "LineLotsView",
    "SeverityDetailView",
    "SeverityListView",
    "VerificationPolicyEditView",
    "VerificationPolicyListView",
    "audit_cancel",
    "audit_report_pdf",
    "batch_test_review",
    "capa_problem_from_inspection",
    "capa_verify",
    "capability_finding_propose",
    "capability_observe",
    "finding_add",
    "hold_decide",
    "inspection_choices",
    "sampling_plan_preview",
    "severity_switch",
    "verification_policy_delete",
    "visit_cadence",
    "visit_note_add",
    "visit_person_add",
]
