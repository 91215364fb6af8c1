"""Roles and what each may do: the one place the permission matrix of ARCHITECTURE.md lives."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement (buyer)")
    QUALITY = "quality", _("Quality (QC lead, auditor)")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    SUPPLIER = "supplier", _("Factory contact (supplier portal)")


STAFF_ROLES = frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN})

# Capabilities, each granted to a set of roles. Views and API permissions ask `user.can(capability)`;
# nothing else in the code compares roles.
CAPABILITIES: dict[str, frozenset[str]] = {
    # Suppliers: buyers own the relationship; managers and admins may do everything.
    "supplier.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "supplier.change_stage": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # Entering approved/strategic, suspending or offboarding is a decision a manager approves.
    "supplier.approve_stage": frozenset({Role.MANAGER, Role.ADMIN}),
    "supplier.waive_gate": frozenset({Role.MANAGER, Role.ADMIN}),
    "contact.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "reference.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "assessment.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "contract.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # Certifications are evidence that quality staff check as well as buyers.
    "certification.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "certification.verify": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    # Orders and deliveries: buyers place and change orders; quality staff receive goods at inspection too.
    "order.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # The rolling demand forecast shared with a factory: the buyers' word on what they will order.
    "forecast.publish": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # A change of a sent order agreed with the factory outside the portal is a manager's to record.
    "order.record_agreement": frozenset({Role.MANAGER, Role.ADMIN}),
    "delivery.receive": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "pilot.decide": frozenset({Role.MANAGER, Role.ADMIN}),
    # A disruption (a typhoon, a port closure) and the deliveries it excuses from on-time delivery: a manager's call.
    "disruption.declare": frozenset({Role.MANAGER, Role.ADMIN}),
    "delivery.excuse": frozenset({Role.MANAGER, Role.ADMIN}),
    # Quality: inspections, audits, findings and corrective actions belong to QC.
    "inspection.edit": frozenset({Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "audit.edit": frozenset({Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    # Verification policies (what is re-verified how often) are a management decision.
    "policy.edit": frozenset({Role.MANAGER, Role.ADMIN}),
    "capa.edit": frozenset({Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "hold.decide": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # Payments: buyers record invoices and payments and propose new terms; an agreement on terms reached
    # outside the portal is a manager's to record.
    "invoice.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "payment.record": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "terms.propose": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "terms.record_agreement": frozenset({Role.MANAGER, Role.ADMIN}),
    # Prices: buyers agree prices per SKU and answer the factory's justified price changes.
    "price.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    # Scorecards: anyone on staff works red flags; targets are an administrator's.
    "flag.handle": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "target.edit": frozenset({Role.ADMIN}),
    "digest.receive": frozenset({Role.MANAGER}),
    # Reference letters: buyers vouch for a supplier on target; only a manager for one below target, with a reason.
    "letter.issue": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "letter.issue_below_target": frozenset({Role.MANAGER, Role.ADMIN}),
    # Outgoing webhooks and chat channels send data out of the company: an administrator's decision.
    "integration.manage": frozenset({Role.ADMIN}),
    # Partnership ledger: every staff role reviews improvement ideas and records training and programmes.
    "partnership.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    # Communications: every staff role talks to suppliers.
    "checkin.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    "issue.edit": frozenset({Role.PROCUREMENT, Role.QUALITY, Role.MANAGER, Role.ADMIN}),
    # Partnership: buyers and managers write to factories (announcements) and invite them to new products.
    "announcement.publish": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
    "product_invitation.edit": frozenset({Role.PROCUREMENT, Role.MANAGER, Role.ADMIN}),
}


def role_can(role: str, capability: str) -> bool:
    """Return whether a role holds a capability; unknown capabilities are denied."""
    return role in CAPABILITIES.get(capability, frozenset())
