"""The demo's visit reports: a strategic supplier due for its site visit, with the report of its last one."""

from django.utils import timezone

from accounts.models import User
from audits import services as audit_services
from audits.models import Audit, VisitCadence
from scorecards.models import ACTIVE_STAGES


def _months_between(earlier, later) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def seed_visits(*, manager: User, quality: User) -> Audit | None:
    """Give the active supplier visited longest ago a visit cadence it has run past (yearly, or shorter when its
    last visit is more recent), so the nightly scan raises "Site visit due"; its last visit records the people met
    and a challenge and an idea shared with the factory (run once)."""
    if VisitCadence.objects.exists():
        return None
    today = timezone.localdate()
    for audit in (
        Audit.objects.filter(status=Audit.Status.PERFORMED, supplier__stage__in=ACTIVE_STAGES)
        .select_related("supplier")
        .order_by("performed_on", "pk")
    ):
        months = min(_months_between(audit.performed_on, today), 12)
        if (
            months >= 1
            and not Audit.objects.filter(
                supplier=audit.supplier, status=Audit.Status.PERFORMED, performed_on__gt=audit.performed_on
            ).exists()
        ):
            break
    else:
        return None
    audit_services.visit_cadence_set(supplier=audit.supplier, by=manager, every_months=months)
    audit_services.visit_person_add(audit=audit, by=quality, role="manager", name="Mr Chen", area="Plant")
    audit_services.visit_person_add(audit=audit, by=quality, role="supervisor", area="Sewing line 3")
    audit_services.visit_note_add(
        audit=audit, by=quality, kind="challenge", text="Dye lots vary between the day and night shifts."
    )
    audit_services.visit_note_add(
        audit=audit, by=quality, kind="idea", text="A shade card signed off at the start of each shift."
    )
    return audit
