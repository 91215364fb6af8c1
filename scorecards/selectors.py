"""Reads of the scorecards app: a pilot programme's results against its success criteria."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from audits.models import QCInspection
from orders.models import Delivery, PilotProgram

from . import kpis
from .kpis import kpi_today


@dataclass(frozen=True)
class PilotEvaluation:
    """A pilot's on-time delivery and defect rate against its targets, and what to do about it."""

    pilot: PilotProgram
    on_time: kpis.KpiValue
    defects: kpis.KpiValue
    recommendation: str  # "approve", "extend" or "reject"
    reasons: list[str]

    @property
    def on_time_met(self) -> bool | None:
        value = self.on_time.value
        return None if value is None else value >= self.pilot.target_on_time_rate

    @property
    def defects_met(self) -> bool | None:
        value = self.defects.value
        return None if value is None else value < self.pilot.target_defect_rate


def pilot_evaluation(*, pilot: PilotProgram, today: date) -> PilotEvaluation:
    """Measure a pilot's trial orders with the KPI formulas and recommend approve, extend or reject.

    Approve when both targets are met on enough data; reject when either is missed by a wide margin
    (on-time more than 10 points under target, or defects at twice the target or more); otherwise extend.
    """
    deliveries = Delivery.objects.filter(order__pilot_program=pilot)
    inspections = QCInspection.objects.filter(order__pilot_program=pilot)
    end = min(pilot.ends_on, today)
    on_time = kpis.on_time_delivery(
        start=pilot.starts_on, end=pilot.ends_on, today=today, deliveries=deliveries
    ).get(pilot.supplier_id, kpis.EMPTY_DELIVERIES)
    defects = kpis.defect_rate(start=pilot.starts_on, end=end, inspections=inspections).get(
        pilot.supplier_id, kpis.EMPTY_INSPECTIONS
    )
    reasons: list[str] = []
    wide_miss, all_met = False, True
    for label, value, met, badly in (
        (
            _("On-time delivery"),
            on_time,
            on_time.value is not None and on_time.value >= pilot.target_on_time_rate,
            on_time.value is not None and on_time.value < pilot.target_on_time_rate - 10,
        ),
        (
            _("Defect rate"),
            defects,
            defects.value is not None and defects.value < pilot.target_defect_rate,
            defects.value is not None and defects.value >= pilot.target_defect_rate * 2,
        ),
    ):
        all_met = all_met and met
        if value.value is None:
            reasons.append(
                _("%(kpi)s: not enough data yet (%(n)s of at least %(min)s).")
                % {"kpi": label, "n": value.sample, "min": value.minimum_sample}
            )
        elif badly:
            wide_miss = True
            reasons.append(_("%(kpi)s missed the target by a wide margin.") % {"kpi": label})
        elif not met:
            reasons.append(_("%(kpi)s narrowly missed the target.") % {"kpi": label})
        else:
            reasons.append(_("%(kpi)s met the target.") % {"kpi": label})
    if wide_miss:
        recommendation = "reject"
    elif all_met:
        recommendation = "approve"
    else:
        recommendation = "extend"
    return PilotEvaluation(pilot, on_time, defects, recommendation, reasons)


# --- Scorecards -----------------------------------------------------------------------------------------------

from dataclasses import field  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402
from django.db.models import Count, Q, QuerySet  # noqa: E402

from suppliers.models import Supplier  # noqa: E402

from .models import HIGHER_IS_BETTER, Kpi, KpiSnapshot, RedFlag  # noqa: E402
from .targets import meets, targets_for  # noqa: E402

WINDOW_DAYS = 90
SUPPLIER_KPIS = [Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE, Kpi.RESPONSE_TIME]
BUYER_KPIS = [Kpi.PAYMENT_TIMELINESS, Kpi.BUYER_RESPONSE_TIME]
# Weights of the overall score (configurable in settings).
DEFAULT_WEIGHTS = {Kpi.ON_TIME_DELIVERY: 40, Kpi.DEFECT_RATE: 40, Kpi.RESPONSE_TIME: 20}


@dataclass
class KpiCell:
    """One KPI of one supplier against its target, with the trend against the previous week's snapshot."""

    kpi: str
    value: kpis.KpiValue
    target: object
    met: bool | None
    trend: str = ""  # "up", "down" or "" (better/worse is read with HIGHER_IS_BETTER)
    better: bool | None = None

    @property
    def label(self) -> str:
        return Kpi(self.kpi).label

    @property
    def display(self) -> str:
        if self.value.value is None:
            return ""
        return f"{self.value.value} h" if self.kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME) else f"{self.value.value} %"


@dataclass
class SupplierCard:
    """A supplier's row of the portfolio: KPI cells, open flags, overall score, grade and standing."""

    supplier: Supplier
    cells: dict = field(default_factory=dict)
    open_flags: int = 0
    score: Decimal | None = None
    grade: str = ""
    standing: str = ""
    explanation: list = field(default_factory=list)


def _sub_score(kpi: str, value: Decimal, target: Decimal) -> Decimal:
    """Score one KPI 0–100: 100 at or better than target; a rate loses 4 points per point short (0 at 25 short),
    defects and hours lose everything at twice the target."""
    if kpi in HIGHER_IS_BETTER:
        return max(Decimal(0), Decimal(100) - 4 * max(Decimal(0), target - value))
    if not target:
        return Decimal(100) if not value else Decimal(0)
    over = max(Decimal(0), value / target - 1)
    return max(Decimal(0), Decimal(100) * (1 - over))


def score_card(card: SupplierCard) -> None:
    """Fill the overall score, grade and standing of a card, with the reasons."""
    weights = getattr(django_settings, "FORGELINE_SCORE_WEIGHTS", DEFAULT_WEIGHTS)
    total = weighted = Decimal(0)
    for kpi, weight in weights.items():
        cell = card.cells.get(kpi)
        if cell is None or cell.value.value is None:
            card.explanation.append(_("%(kpi)s: insufficient data, left out.") % {"kpi": Kpi(kpi).label})
            continue
        sub = _sub_score(kpi, cell.value.value, cell.target)
        weighted += sub * weight
        total += weight
        card.explanation.append(_("%(kpi)s: %(sub)s / 100 × weight %(w)s.") % {
            "kpi": Kpi(kpi).label, "sub": sub.quantize(Decimal("1")), "w": weight})
    if not total:
        card.standing = "unrated"
        return
    card.score = (weighted / total).quantize(Decimal("0.1"))
    card.grade = "A" if card.score >= 90 else "B" if card.score >= 75 else "C" if card.score >= 60 else "D"
    if card.grade == "A" and card.open_flags == 0:
        card.standing = "preferred"
    elif card.grade in ("A", "B"):
        card.standing = "approved"
    elif card.grade == "C":
        card.standing = "watch"
    else:
        card.standing = "probation"
    card.explanation.append(_("Score %(s)s → grade %(g)s; %(f)s open red flags → %(st)s.") % {
        "s": card.score, "g": card.grade, "f": card.open_flags, "st": card.standing})


def portfolio(*, user, filters: dict | None = None, today=None, suppliers=None) -> list[SupplierCard]:
    """Return a card per visible active supplier: KPIs against target, trend, flags, score (constant queries)."""
    from .alerts import ACTIVE_STAGES

    filters = filters or {}
    today = today or kpi_today()
    queryset = suppliers if suppliers is not None else Supplier.objects.visible_to(user).filter(stage__in=ACTIVE_STAGES)
    # Malformed filter values are ignored, not a server error.
    if str(filters.get("owner", "")).isdigit():
        queryset = queryset.filter(owner_id=filters["owner"])
    if str(filters.get("category", "")).isdigit():
        queryset = queryset.filter(categories=filters["category"])
    for key in ("segment", "country"):
        if filters.get(key):
            queryset = queryset.filter(**{key: str(filters[key])[:20]})
    queryset = queryset.select_related("owner").annotate(
        open_flags=Count("red_flags", filter=~Q(red_flags__state=RedFlag.State.RESOLVED), distinct=True)
    ).order_by("name")
    suppliers = list(queryset)
    ids = [s.pk for s in suppliers]
    start = today - timedelta(days=WINDOW_DAYS)
    families = kpis.all_kpis(start=start, end=today, today=today)
    targets = targets_for(ids)
    previous = _previous_values(ids, today)
    cards = []
    for supplier in suppliers:
        card = SupplierCard(supplier=supplier, open_flags=supplier.open_flags)
        for kpi in Kpi.values:
            value = families[kpi].get(supplier.pk, EMPTY_BY_KPI[kpi])
            target = targets[supplier.pk][kpi]
            cell = KpiCell(kpi, value, target, meets(kpi, value.value, target))
            before = previous.get((supplier.pk, kpi))
            if value.value is not None and before is not None and value.value != before:
                cell.trend = "up" if value.value > before else "down"
                cell.better = (value.value > before) == (kpi in HIGHER_IS_BETTER)
            card.cells[kpi] = cell
        score_card(card)
        cards.append(card)
    return cards


EMPTY_BY_KPI = {
    Kpi.ON_TIME_DELIVERY: kpis.EMPTY_DELIVERIES,
    Kpi.DEFECT_RATE: kpis.EMPTY_INSPECTIONS,
    Kpi.RESPONSE_TIME: kpis.EMPTY_ISSUES,
    Kpi.PAYMENT_TIMELINESS: kpis.EMPTY_INVOICES,
    Kpi.BUYER_RESPONSE_TIME: kpis.EMPTY_ISSUES,
}


def _previous_values(ids, today) -> dict:
    """Return each (supplier, kpi)'s value in the snapshot of the week before this one (one query)."""
    last_week = today - timedelta(days=today.weekday() + 7)
    rows = KpiSnapshot.objects.filter(supplier_id__in=ids, week_start=last_week).values_list("supplier_id", "kpi", "value")
    return {(supplier_id, kpi): value for supplier_id, kpi, value in rows}


def sort_worst_first(cards: list[SupplierCard]) -> list[SupplierCard]:
    """Sort cards worst first: unrated last, then by score, then by open flags."""
    return sorted(cards, key=lambda c: (c.score is None, c.score if c.score is not None else 0, -c.open_flags))


def supplier_trend(*, supplier: Supplier, weeks: int = 52, today=None) -> dict[str, list[KpiSnapshot]]:
    """Return a supplier's weekly snapshots for the last `weeks` weeks, per KPI (one query)."""
    today = today or kpi_today()
    since = today - timedelta(weeks=weeks)
    result: dict[str, list] = {kpi: [] for kpi in Kpi.values}
    for snapshot in KpiSnapshot.objects.filter(supplier=supplier, week_start__gte=since).order_by("week_start"):
        result[snapshot.kpi].append(snapshot)
    return result


def flag_list(*, user, filters: dict | None = None) -> QuerySet[RedFlag]:
    """Return red flags, open first, with supplier and owner."""
    filters = filters or {}
    queryset = RedFlag.objects.visible_to(user).select_related("supplier", "owner")
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    else:
        queryset = queryset.exclude(state=RedFlag.State.RESOLVED)
    for key in ("supplier", "rule", "severity"):
        if filters.get(key):
            queryset = queryset.filter(**{key: filters[key]})
    if filters.get("mine"):
        queryset = queryset.filter(owner=user)
    return queryset.order_by("-raised_at", "-pk")
