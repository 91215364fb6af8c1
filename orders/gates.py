"""The vetting gate this app owns: a passed pilot programme before a supplier is approved."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from suppliers.gates import APPROVAL_STAGES, Gate, register_gate
from suppliers.models import Supplier


def _has_passed_pilot(supplier: Supplier, today: date) -> tuple[bool, str]:
    from .models import PilotProgram

    pilot = supplier.pilots.filter(status=PilotProgram.Status.PASSED).order_by("-decided_at").first()
    if pilot is None:
        return False, _("no pilot programme passed")
    return True, _("%(name)s passed on %(day)s") % {"name": pilot.name, "day": pilot.decided_at.date()}


def register_order_gates() -> None:
    """Register the pilot gate (called from OrdersConfig.ready)."""
    register_gate(Gate("pilot", _("A passed pilot programme"), APPROVAL_STAGES, _has_passed_pilot))
