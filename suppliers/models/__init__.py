"""Suppliers and the evidence gathered while vetting them: contacts, certifications, client references,
capacity and financial assessments, contracts; the stage history and the activity timeline.

One module per aggregate; everything is importable from `suppliers.models` as before."""

from .activity import Activity, ActivityKind
from .banking import BankAccount, BankDetailsChange
from .capability import NUMERIC_CAPABILITY_FIELDS, CapabilityClaim, CapabilityField
from .contracts import Contract, Incoterm
from .evidence import (
    CapacityAssessment,
    Certification,
    CertificationReminder,
    CertificationStandard,
    ClientReference,
    Contact,
)
from .invitations import PortalInvitation
from .registrations import (
    Registration,
    RegistrationCapacity,
    RegistrationCertificate,
    RegistrationEmail,
    RegistrationReference,
    RegistrationSite,
)
from .suppliers import ACTIVE_STAGES, ProductCategory, RiskTier, Segment, Stage, StageChange, Supplier

__all__ = [
    "ACTIVE_STAGES",
    "NUMERIC_CAPABILITY_FIELDS",
    "Activity",
    "ActivityKind",
    "BankAccount",
    "BankDetailsChange",
    "CapabilityClaim",
    "CapabilityField",
    "CapacityAssessment",
    "Certification",
    "CertificationReminder",
    "CertificationStandard",
    "ClientReference",
    "Contact",
    "Contract",
    "Incoterm",
    "PortalInvitation",
    "ProductCategory",
    "Registration",
    "RegistrationCapacity",
    "RegistrationCertificate",
    "RegistrationEmail",
    "RegistrationReference",
    "RegistrationSite",
    "RiskTier",
    "Segment",
    "Stage",
    "StageChange",
    "Supplier",
]
