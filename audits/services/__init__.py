"""Writes of the quality app, one module per aggregate; callers import from the package."""

from ..severity_selectors import inspection_stream
from .audits import (
    CONDITIONAL_SCORE,
    PASS_SCORE,
    audit_cancel,
    audit_complete,
    audit_plan,
    audit_result,
    audit_score,
    finding_add,
    hold_decide,
)
from .batch_tests import batch_test_review, batch_test_submit
from .capability import capability_finding_propose, capability_observe
from .corrective_actions import capa_add_evidence, capa_raise, capa_submit, capa_verify
from .inspections import (
    inspection_correct_defectives,
    inspection_excuse,
    inspection_outcome,
    inspection_record,
)
from .severity import severity_apply, severity_switch
from .verification import verification_policy_delete, verification_policy_save
from .visits import visit_cadence_set, visit_note_add, visit_person_add

__all__ = [
    "CONDITIONAL_SCORE",
    "PASS_SCORE",
    "audit_cancel",
    "audit_complete",
    "audit_plan",
    "audit_result",
    "audit_score",
    "batch_test_review",
    "batch_test_submit",
    "capa_add_evidence",
    "capa_raise",
    "capa_submit",
    "capa_verify",
    "capability_finding_propose",
    "capability_observe",
    "finding_add",
    "hold_decide",
    "inspection_correct_defectives",
    "inspection_excuse",
    "inspection_outcome",
    "inspection_record",
    "inspection_stream",
    "severity_apply",
    "severity_switch",
    "verification_policy_delete",
    "verification_policy_save",
    "visit_cadence_set",
    "visit_note_add",
    "visit_person_add",
]
