"""Every write on suppliers and their vetting evidence.

One module per aggregate; every service is importable from `suppliers.services` as before."""

from .banking import bank_change_decide, bank_change_request
from .capability import capability_current, capability_statement_save
from .evidence import (
    assessment_save,
    certification_create,
    certification_review,
    certification_update,
    contact_deactivate,
    contact_save,
    contract_save,
    reference_save,
)
from .reminders import certification_reminders_deliver, certification_reminders_send
from .suppliers import (
    supplier_change_stage,
    supplier_create,
    supplier_registration_check_record,
    supplier_update,
)
from .timeline import activity_record

__all__ = [
    "activity_record",
    "assessment_save",
    "bank_change_decide",
    "bank_change_request",
    "capability_current",
    "capability_statement_save",
    "certification_create",
    "certification_reminders_deliver",
    "certification_reminders_send",
    "certification_review",
    "certification_update",
    "contact_deactivate",
    "contact_save",
    "contract_save",
    "reference_save",
    "supplier_change_stage",
    "supplier_create",
    "supplier_registration_check_record",
    "supplier_update",
]
