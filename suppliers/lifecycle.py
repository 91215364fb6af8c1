"""Which lifecycle moves are allowed, and which need a manager's approval."""

from django.utils.translation import gettext_lazy as _

from .models import Stage

# From each stage, the stages a supplier may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.PROSPECT: frozenset({Stage.VETTING, Stage.OFFBOARDED}),
    Stage.VETTING: frozenset({Stage.PROSPECT, Stage.PILOT, Stage.APPROVED, Stage.ON_HOLD, Stage.OFFBOARDED}),
    Stage.PILOT: frozenset({Stage.VETTING, Stage.APPROVED, Stage.ON_HOLD, Stage.OFFBOARDED}),
    Stage.APPROVED: frozenset({Stage.STRATEGIC, Stage.ON_HOLD, Stage.SUSPENDED, Stage.OFFBOARDED}),
    Stage.STRATEGIC: frozenset({Stage.APPROVED, Stage.ON_HOLD, Stage.SUSPENDED, Stage.OFFBOARDED}),
    Stage.ON_HOLD: frozenset(
        {Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC, Stage.SUSPENDED, Stage.OFFBOARDED}
    ),
    Stage.SUSPENDED: frozenset({Stage.ON_HOLD, Stage.APPROVED, Stage.OFFBOARDED}),
    Stage.OFFBOARDED: frozenset({Stage.PROSPECT}),
}

# Entering these is a decision a manager approves (ARCHITECTURE.md: managers approve stage changes).
MANAGER_APPROVAL_STAGES = frozenset({Stage.APPROVED, Stage.STRATEGIC, Stage.SUSPENDED, Stage.OFFBOARDED})

STAGE_DESCRIPTIONS = {
    Stage.PROSPECT: _("Found, not yet assessed."),
    Stage.VETTING: _("Certifications, references, capacity and audits are being checked."),
    Stage.PILOT: _("Trial orders before volume."),
    Stage.APPROVED: _("Cleared for regular orders."),
    Stage.STRATEGIC: _("A long-term partner under a signed contract."),
    Stage.ON_HOLD: _("No new orders until an open question is settled."),
    Stage.SUSPENDED: _("No orders; the relationship is under review."),
    Stage.OFFBOARDED: _("No longer a supplier."),
}


def allowed_targets(stage: str) -> list[str]:
    """Return the stages reachable from a stage, in lifecycle order."""
    targets = TRANSITIONS.get(stage, frozenset())
    return [value for value in Stage.values if value in targets]
