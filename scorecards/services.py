"""Writes of the scorecards app: red-flag workflow, weekly snapshots, current KPI rows, KPI targets."""

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.clock import business_today
from core.events import EventType, event_emit
from core.queue import enqueue_on_commit
from core.upserts import upsert_keeping_newest
from suppliers.models import Supplier

from . import kpis, periods
from .models import (
    ACTIVE_STAGES,
    CurrentKpi,
    DigestPreference,
    Kpi,
    KpiSnapshot,
    KpiTarget,
    RedFlag,
    RedFlagNote,
)
from .targets import meets, targets_for
from .tasks import current_kpis_refresh_task

# --- Red flags ------------------------------------------------------------------------------------------------


@transaction.atomic
def flag_acknowledge(*, flag: RedFlag, by: User, note: str = "") -> RedFlag:
    """Say the flag is seen and being handled."""
    _require(by, "flag.handle")
    won = RedFlag.objects.filter(pk=flag.pk, state=RedFlag.State.OPEN).update(
        state=RedFlag.State.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
        note=note.strip() or flag.note,
    )
    if not won:
        raise ValidationError(_("Only an open flag can be acknowledged."))
    RedFlagNote.objects.create(flag=flag, kind=RedFlagNote.Kind.ACKNOWLEDGED, text=note.strip(), author=by)
    flag.refresh_from_db()
    return flag


@transaction.atomic
def flag_resolve(*, flag: RedFlag, by: User, note: str) -> RedFlag:
    """Close a flag with a note on what was done."""
    _require(by, "flag.handle")
    if not note.strip():
        raise ValidationError({"note": _("Say what was done about it.")})
    won = (
        RedFlag.objects.filter(pk=flag.pk)
        .exclude(state=RedFlag.State.RESOLVED)
        .update(state=RedFlag.State.RESOLVED, resolved_at=timezone.now(), resolved_by=by, note=note.strip())
    )
    if not won:
        raise ValidationError(_("This flag is already resolved."))
    # The acknowledgement's note stays in the history: the resolution adds its own.
    RedFlagNote.objects.create(flag=flag, kind=RedFlagNote.Kind.RESOLVED, text=note.strip(), author=by)
    flag.refresh_from_db()
    event_emit(EventType.RED_FLAG_RESOLVED, flag, state=flag.state, red_flag=flag.event_fields())
    return flag


@transaction.atomic
def flag_assign(*, flag: RedFlag, by: User, owner: User) -> RedFlag:
    """Give a flag to a colleague."""
    _require(by, "flag.handle")
    if not owner.is_staff_member:
        raise ValidationError({"owner": _("Give the flag to a colleague.")})
    flag.owner = owner
    flag.save(update_fields=["owner"])
    RedFlagNote.objects.create(flag=flag, kind=RedFlagNote.Kind.ASSIGNED, text=str(owner), author=by)
    return flag


BULK_ACTIONS = ("acknowledge", "assign")


@transaction.atomic
def flags_bulk_handle(
    *, flags, by: User, action: str, owner: User | None = None, note: str = ""
) -> list[RedFlag]:
    """Acknowledge or assign several flags at once: all of them, or none when one cannot be."""
    _require(by, "flag.handle")
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose acknowledge or assign.")})
    flags = list(flags)
    if not flags:
        raise ValidationError(_("Tick at least one flag."))
    if action == "assign" and owner is None:
        raise ValidationError({"owner": _("Choose whom to give the flags to.")})
    done = []
    for flag in flags:
        try:
            if action == "acknowledge":
                done.append(flag_acknowledge(flag=flag, by=by, note=note))
            else:
                done.append(flag_assign(flag=flag, by=by, owner=owner))
        except ValidationError as exc:
            # One flag that cannot be handled undoes the others (atomic): say which one.
            raise ValidationError(
                _("%(flag)s: %(reason)s Nothing was changed.")
                % {"flag": flag, "reason": " ".join(exc.messages)}
            ) from None
    return done


# --- Snapshots ------------------------------------------------------------------------------------------------


def week_start_of(day: date) -> date:
    """Return the Monday of a day's ISO week."""
    return day - timedelta(days=day.weekday())


SNAPSHOT_COLUMNS = ("supplier_id", "kpi", "numerator", "denominator", "sample", "value", "target", "met")
# One statement for every supplier's snapshots, whatever their number: one array per column, unnested into rows.
_UPSERT_SNAPSHOTS_SQL = """
INSERT INTO scorecards_kpisnapshot (supplier_id, kpi, week_start, numerator, denominator, sample, value, target, met)
SELECT s.supplier_id, s.kpi, %(week_start)s, s.numerator, s.denominator, s.sample, s.value, s.target, s.met
FROM unnest(%(supplier_id)s::bigint[], %(kpi)s::varchar[], %(numerator)s::int[], %(denominator)s::int[],
            %(sample)s::int[], %(value)s::numeric[], %(target)s::numeric[], %(met)s::boolean[])
     AS s (supplier_id, kpi, numerator, denominator, sample, value, target, met)
ON CONFLICT (supplier_id, kpi, week_start) DO UPDATE SET
    numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, sample = EXCLUDED.sample,
    value = EXCLUDED.value, target = EXCLUDED.target, met = EXCLUDED.met
"""


def snapshots_write(*, week_start: date, now=None) -> int:
    """Write every supplier's KPIs for one ISO week (rolling 90 days ending that Sunday); safe to run again.

    One aggregate per KPI family for all suppliers, then one upsert: a second run for the same week
    overwrites the same rows. The query count does not grow with the number of suppliers.
    """
    end = week_start + timedelta(days=6)
    start = periods.rolling(end).start
    as_of = min(end + timedelta(days=1), business_today(now))
    families = kpis.all_kpis(start=start, end=end, today=as_of, now=now)
    # Every supplier with a value in some family (each is a row of suppliers_supplier, by the foreign keys).
    targets = targets_for(sorted(set().union(*families.values())))
    rows = []
    for kpi, values in families.items():
        for supplier_id, value in values.items():
            target = targets[supplier_id][kpi]
            rows.append(
                (
                    supplier_id,
                    kpi,
                    value.numerator,
                    value.denominator,
                    value.sample,
                    value.value,
                    target,
                    meets(kpi, value.value, target),
                )
            )
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = dict(zip(SNAPSHOT_COLUMNS, map(list, zip(*rows, strict=True)), strict=True))
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_SNAPSHOTS_SQL, {**columns, "week_start": week_start})
    else:
        # SQLite has no arrays: Django's upsert, in as many statements as its parameter limit needs.
        KpiSnapshot.objects.bulk_create(
            [
                KpiSnapshot(week_start=week_start, **dict(zip(SNAPSHOT_COLUMNS, row, strict=True)))
                for row in rows
            ],
            update_conflicts=True,
            unique_fields=["supplier", "kpi", "week_start"],
            update_fields=["numerator", "denominator", "sample", "value", "target", "met"],
        )
    return len(rows)


# --- Current KPI rows (what the portfolio and the API read) ---------------------------------------------------

_ROW_FIELDS = ["start", "end", "today", "as_of", "figures", "score", "misses_target", "forecasting"]


def _windows_due(*, today: date, supplier_count: int) -> list[periods.Period]:
    """Return the windows the nightly pass computes: the rolling one, the running periods, and each closed period
    not yet computed after its end for every active supplier (a closed period is computed once, when closed)."""
    kept = periods.stored(today=today)
    settled = dict(
        CurrentKpi.objects.filter(
            period__in=[p.key for p in kept], today__gt=F("end"), supplier__stage__in=ACTIVE_STAGES
        )
        .values_list("period")
        .annotate(n=Count("pk"))
    )
    return [
        period
        for period in kept
        if period.kind == "rolling" or period.end >= today or settled.get(period.key, 0) < supplier_count
    ]


def _by_period(grouped: dict, starts) -> dict:
    """Split {(supplier_id, period start): value} into {period start: {supplier_id: value}} for the given starts."""
    by_start: dict = {start: {} for start in starts}
    for (supplier_id, bucket), value in grouped.items():
        if bucket in by_start:
            by_start[bucket][supplier_id] = value
    return by_start


def _by_window(windows, compute, *, per_kpi: bool = False) -> list[tuple[periods.Period, dict]]:
    """Return (window, figures) for each window: `compute(start=, end=)` once per rolling window, and once per
    calendar kind over the span of its windows, `compute(start=, end=, by=kind)` (the same GROUP BY with the period
    as a key: {(supplier_id, period start): value}, or {kpi: that} when `per_kpi`), split back into the windows'
    {supplier_id: value} ({kpi: {supplier_id: value}} when `per_kpi`)."""
    result = [
        (window, compute(start=window.start, end=window.end))
        for window in windows
        if window.kind == "rolling"
    ]
    for kind in periods.KINDS:
        of_kind = [w for w in windows if w.kind == kind]
        if not of_kind:
            continue
        grouped = compute(start=min(w.start for w in of_kind), end=max(w.end for w in of_kind), by=kind)
        starts = [w.start for w in of_kind]
        if per_kpi:
            split = {kpi: _by_period(values, starts) for kpi, values in grouped.items()}
            by_start = {start: {kpi: split[kpi][start] for kpi in grouped} for start in starts}
        else:
            by_start = _by_period(grouped, starts)
        result.extend((w, by_start[w.start]) for w in of_kind)
    return result


@transaction.atomic
def current_kpis_refresh(*, today: date, now, supplier_ids=None, every_window: bool = False) -> int:
    """Compute with kpis.py and store the KPI rows of some suppliers (every active one by default) as of `now`.

    For some suppliers (after a write): every kept window, since a write may change a closed period (an
    inspection recorded a week late). For every active supplier (the nightly pass): the rolling 90 days, the
    running week, month and quarter, and the closed periods not yet computed since they closed (`every_window`:
    all of them, after a target changed). A handful of
    GROUP BYs whatever the number of suppliers (the KPI families and the two-way card's forecast figures), then
    one upsert that keeps the newest: a stored row is replaced only when `now` is at least its `as_of`, so a
    refresh that started earlier but commits later (tasks finishing out of order) leaves the newer figures. Returns
    the number of rows written (inserted or replaced; rows kept as newer are not counted).
    """
    from .selectors.cards import card_build  # the card's score, without a query

    if supplier_ids is None:
        ids = list(Supplier.objects.filter(stage__in=ACTIVE_STAGES).values_list("pk", flat=True))
        windows = (
            periods.stored(today=today)
            if every_window
            else _windows_due(today=today, supplier_count=len(ids))
        )
        only = None
    else:
        # Suppliers deleted since the check was queued have nothing to store.
        ids = list(Supplier.objects.filter(pk__in=list(supplier_ids)).values_list("pk", flat=True))
        windows = periods.stored(today=today)
        only = ids
    if not ids:
        return 0
    targets = targets_for(ids)
    # The two-way card's forecast figures ({window key: {supplier_id: ForecastNotice}}), then the KPI families.
    forecasting = {
        window.key: notices
        for window, notices in _by_window(windows, partial(kpis.forecast_notice, supplier_ids=only))
    }
    families_by_window = _by_window(
        windows, partial(kpis.all_kpis, today=today, now=now, supplier_ids=only), per_kpi=True
    )
    rows = []
    for window, families in families_by_window:
        for supplier_id in ids:
            values = {kpi: families[kpi][supplier_id] for kpi in Kpi.values if supplier_id in families[kpi]}
            card = card_build(
                supplier=None,
                values={**kpis.EMPTY_VALUES, **values},
                targets=targets[supplier_id],
            )
            rows.append(
                CurrentKpi(
                    supplier_id=supplier_id,
                    period=window.key,
                    start=window.start,
                    end=window.end,
                    today=today,
                    as_of=now,
                    figures=kpis.encode_figures(values),
                    score=card.score,
                    misses_target=card.misses_own_target,
                    forecasting=kpis.encode_forecast_notice(
                        forecasting[window.key].get(supplier_id, kpis.ForecastNotice())
                    ),
                )
            )
    return upsert_keeping_newest(
        CurrentKpi,
        rows,
        unique_fields=["supplier", "period"],
        update_fields=_ROW_FIELDS,
        newest_by="as_of",
    )


def current_kpis_refresh_all() -> int:
    """Recompute every active supplier's rows over every kept window now (after a target changed)."""
    now = timezone.now()
    return current_kpis_refresh(today=business_today(now), now=now, every_window=True)


# --- Targets --------------------------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, by: User, kpi: str, value, category=None, supplier=None) -> KpiTarget:
    """Set a KPI target: the default, for a product category, or for one supplier (kept in its history)."""
    _require(by, "target.edit")
    if kpi not in Kpi.values:
        raise ValidationError({"kpi": _("Unknown KPI.")})
    # Checked before the write: a value past the column's digits must be a message, not a database error.
    KpiTarget(kpi=kpi, category=category, supplier=supplier, value=value).full_clean(
        validate_unique=False, validate_constraints=False
    )
    target, _created = KpiTarget.objects.update_or_create(
        kpi=kpi, category=category, supplier=supplier, defaults={"value": value}
    )
    target.full_clean()
    # The stored scores and "misses a target" counts were made against the old target.
    enqueue_on_commit(current_kpis_refresh_task)
    return target


# --- The weekly email ----------------------------------------------------------------------------------------


@transaction.atomic
def digest_preference_save(
    *, user: User, enabled: bool, segment: str = "", owner: User | None = None, suppliers=()
) -> DigestPreference:
    """Save a manager's digest choice: on or off, and which suppliers (a segment, an owner, chosen ones)."""
    if not user.can("digest.receive"):
        raise ValidationError(_("Only managers receive the weekly scorecard."))
    preference, _created = DigestPreference.objects.get_or_create(user=user)
    preference.enabled, preference.segment, preference.owner = enabled, segment, owner
    preference.full_clean()
    preference.save(update_fields=["enabled", "segment", "owner"])
    preference.suppliers.set(suppliers)
    return preference
