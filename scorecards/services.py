"""Writes of the scorecards app: red-flag workflow, weekly snapshots, KPI targets."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from suppliers.models import Supplier

from . import kpis
from .models import Kpi, KpiSnapshot, KpiTarget, RedFlag
from .targets import meets, targets_for

WINDOW_DAYS = 90



# --- Red flags ------------------------------------------------------------------------------------------------


@transaction.atomic
def flag_acknowledge(*, flag: RedFlag, by: User, note: str = "") -> RedFlag:
    """Say the flag is seen and being handled."""
    _require(by, "flag.handle")
    won = RedFlag.objects.filter(pk=flag.pk, state=RedFlag.State.OPEN).update(
        state=RedFlag.State.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=by,
        note=note.strip() or flag.note,
    )
    if not won:
        raise ValidationError(_("Only an open flag can be acknowledged."))
    flag.refresh_from_db()
    return flag


@transaction.atomic
def flag_resolve(*, flag: RedFlag, by: User, note: str) -> RedFlag:
    """Close a flag with a note on what was done."""
    _require(by, "flag.handle")
    if not note.strip():
        raise ValidationError({"note": _("Say what was done about it.")})
    won = RedFlag.objects.filter(pk=flag.pk).exclude(state=RedFlag.State.RESOLVED).update(
        state=RedFlag.State.RESOLVED, resolved_at=timezone.now(), resolved_by=by, note=note.strip()
    )
    if not won:
        raise ValidationError(_("This flag is already resolved."))
    flag.refresh_from_db()
    return flag


@transaction.atomic
def flag_assign(*, flag: RedFlag, by: User, owner: User) -> RedFlag:
    """Give a flag to a colleague."""
    _require(by, "flag.handle")
    if not owner.is_staff_member:
        raise ValidationError({"owner": _("Give the flag to a colleague.")})
    flag.owner = owner
    flag.save(update_fields=["owner"])
    return flag


# --- Snapshots ------------------------------------------------------------------------------------------------


def week_start_of(day: date) -> date:
    """Return the Monday of a day's ISO week."""
    return day - timedelta(days=day.weekday())


def snapshots_write(*, week_start: date, now=None) -> int:
    """Write every supplier's KPIs for one ISO week (rolling 90 days ending that Sunday); safe to run again.

    One aggregate per KPI family for all suppliers, then one upsert: a second run for the same week
    overwrites the same rows.
    """
    end = week_start + timedelta(days=6)
    start = end - timedelta(days=WINDOW_DAYS)
    as_of = min(end + timedelta(days=1), timezone.localdate())
    families = kpis.all_kpis(start=start, end=end, today=as_of, now=now)
    supplier_ids = list(Supplier.objects.values_list("pk", flat=True))
    targets = targets_for(supplier_ids)
    rows = []
    for kpi, values in families.items():
        for supplier_id, value in values.items():
            if supplier_id not in targets:
                continue
            target = targets[supplier_id][kpi]
            rows.append(KpiSnapshot(
                supplier_id=supplier_id, kpi=kpi, week_start=week_start, numerator=value.numerator,
                denominator=value.denominator, sample=value.sample, value=value.value, target=target,
                met=meets(kpi, value.value, target),
            ))
    KpiSnapshot.objects.bulk_create(
        rows, batch_size=2000, update_conflicts=True, unique_fields=["supplier", "kpi", "week_start"],
        update_fields=["numerator", "denominator", "sample", "value", "target", "met"],
    )
    return len(rows)


# --- Targets --------------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, by: User, kpi: str, value, category=None, supplier=None) -> KpiTarget:
    """Set a KPI target: the default, for a product category, or for one supplier (kept in its history)."""
    _require(by, "target.edit")
    if kpi not in Kpi.values:
        raise ValidationError({"kpi": _("Unknown KPI.")})
    target, _created = KpiTarget.objects.update_or_create(
        kpi=kpi, category=category, supplier=supplier, defaults={"value": value}
    )
    target.full_clean()
    return target
