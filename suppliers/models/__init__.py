"""Suppliers and the evidence gathered while vetting them: contacts, certifications, client references,
capacity and financial assessments, contracts; the stage history and the activity timeline.

One module per aggregate; everything is importable from `suppliers.models` as before."""

from .activity import Activity, ActivityKind
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
from .suppliers import ProductCategory, Segment, Stage, StageChange, Supplier

__all__ = [
    "Activity",
    "ActivityKind",
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
    "Segment",
    "Stage",
    "StageChange",
    "Supplier",
]
