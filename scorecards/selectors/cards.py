"""The portfolio's cards: each supplier's KPIs against target with trend, score, grade and standing; a supplier's
weekly trend and its series by calendar period."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.conf import settings as django_settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.clock import business_today
from core.filters import exact_filters
from core.inputs import is_id
from partnership.selectors.ideas import IdeasCredit, ideas_credit
from suppliers.models import Stage, Supplier

from .. import kpis, periods
from ..models import ACTIVE_STAGES, HIGHER_IS_BETTER, Kpi, KpiSnapshot, RedFlag
from ..targets import meets, targets_for

NARROW_LIMIT = 100
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
    behind_url: str = ""  # the page listing the rows behind the number, where the page offers one

    @property
    def label(self) -> str:
        return Kpi(self.kpi).label

    @property
    def display(self) -> str:
        if self.value.value is None:
            return ""
        return (
            f"{self.value.value} h"
            if self.kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME)
            else f"{self.value.value} %"
        )


@dataclass
class SupplierCard:
    """A supplier's row of the portfolio: KPI cells, open flags, overall score, grade and standing."""

    supplier: Supplier
    cells: dict = field(default_factory=dict)
    open_flags: int = 0
    score: Decimal | None = None
    grade: str = ""
    standing: str = ""  # a code (the API's value); standing_label is what people read
    as_of: datetime | None = None  # when the figures were computed, if read from stored rows (None: just now)
    # What it invoiced beyond what was agreed, one per currency (kpis.price_variance); filled where shown.
    price_variance: list = field(default_factory=list)
    # Improvement ideas implemented and credited to the factory in the period (partnership); filled where shown.
    ideas: IdeasCredit = field(default_factory=IdeasCredit)

    @property
    def misses_own_target(self) -> bool:
        """Whether one of the supplier's own KPIs misses its target (ours — payment, our replies — do not count)."""
        return any(self.cells[kpi].met is False for kpi in SUPPLIER_KPIS)

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS.get(self.standing, self.standing))

    @property
    def stage_label(self) -> str:
        """Return the supplier's stage as get_stage_display words it (which hashes every stage's translated label
        on each call, fifty times a portfolio page)."""
        return str(STAGE_LABELS.get(self.supplier.stage, self.supplier.stage))

    @cached_property
    def explanation(self) -> list[str]:
        """Return how the score was reached, a line per KPI weighed and one for the standing.

        Built when read, in the language active then: only a scorecard shows it, and a portfolio page would
        otherwise word it for every card it draws.
        """
        return score_explanation(self)


STAGE_LABELS = dict(Stage.choices)
STANDING_LABELS = {
    "preferred": gettext_lazy("preferred"),
    "approved": gettext_lazy("approved"),
    "watch": gettext_lazy("watch"),
    "probation": gettext_lazy("probation"),
    "unrated": gettext_lazy("unrated"),
}


def _sub_score(kpi: str, value: Decimal, target: Decimal) -> Decimal:
    """Score one KPI 0–100: 100 at or better than target; a rate loses 4 points per point short (0 at 25 short),
    defects and hours lose everything at twice the target."""
    if kpi in HIGHER_IS_BETTER:
        return max(Decimal(0), Decimal(100) - 4 * max(Decimal(0), target - value))
    if not target:
        return Decimal(100) if not value else Decimal(0)
    over = max(Decimal(0), value / target - 1)
    return max(Decimal(0), Decimal(100) * (1 - over))


def _score_weights() -> dict:
    return getattr(django_settings, "FORGELINE_SCORE_WEIGHTS", DEFAULT_WEIGHTS)


def score_card(card: SupplierCard) -> None:
    """Fill the overall score, grade and standing of a card (its explanation is worded when read)."""
    total = weighted = Decimal(0)
    for kpi, weight in _score_weights().items():
        cell = card.cells.get(kpi)
        if cell is None or cell.value.value is None:
            continue
        weighted += _sub_score(kpi, cell.value.value, cell.target) * weight
        total += weight
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


def score_explanation(card: SupplierCard) -> list[str]:
    """Return the reasons of a scored card's score: each KPI's sub-score and weight (or why it was left out), then
    the grade and standing they give."""
    lines = []
    for kpi, weight in _score_weights().items():
        cell = card.cells.get(kpi)
        if cell is None or cell.value.value is None:
            lines.append(_("%(kpi)s: insufficient data, left out.") % {"kpi": Kpi(kpi).label})
            continue
        sub = _sub_score(kpi, cell.value.value, cell.target)
        lines.append(
            _("%(kpi)s: %(sub)s / 100 × weight %(w)s.")
            % {"kpi": Kpi(kpi).label, "sub": sub.quantize(Decimal("1")), "w": weight}
        )
    if card.score is not None:
        lines.append(
            _("Score %(s)s → grade %(g)s; %(f)s open red flags → %(st)s.")
            % {"s": card.score, "g": card.grade, "f": card.open_flags, "st": card.standing_label}
        )
    return lines


def portfolio(
    *, user, filters: dict | None = None, today=None, suppliers=None, period: periods.Period | None = None
) -> list[SupplierCard]:
    """Return a card per visible active supplier: KPIs against target, trend, flags, score (constant queries).

    Over the rolling 90 days by default, the trend against last week's snapshot; over a calendar week, month or
    quarter, the trend against the period before it. `suppliers` narrows the cards (and the KPI queries) to some.
    """
    filters = filters or {}
    today = today or business_today()
    queryset = (
        suppliers
        if suppliers is not None
        else Supplier.objects.visible_to(user).filter(stage__in=ACTIVE_STAGES)
    )
    # Malformed filter values are ignored, not a server error.
    if is_id(filters.get("owner")):
        queryset = queryset.filter(owner_id=filters["owner"])
    if is_id(filters.get("category")):
        queryset = queryset.filter(categories=filters["category"])
    queryset = queryset.filter(**exact_filters(Supplier, filters, ("segment", "country")))
    queryset = queryset.select_related("owner").annotate(open_flags=_open_flags_count(user)).order_by("name")
    narrowed = suppliers is not None
    suppliers = list(queryset)
    ids = [s.pk for s in suppliers]
    period = period or periods.rolling(today)
    # A few suppliers (one scorecard, a manager's chosen ones): their ids let the supplier indexes narrow the rows.
    # Many: scanning the window once is cheaper than a long IN list.
    only = ids if narrowed and len(ids) <= NARROW_LIMIT else None
    families = kpis.all_kpis(start=period.start, end=period.end, today=today, supplier_ids=only)
    targets = targets_for(ids)
    if period.kind == "rolling":
        previous = _previous_values(ids, today)
    else:
        before = period.previous()
        previous = {
            (supplier_id, kpi): value.value
            for kpi, values in kpis.all_kpis(
                start=before.start, end=before.end, today=today, supplier_ids=only
            ).items()
            for supplier_id, value in values.items()
        }
    return [
        card_build(
            supplier=supplier,
            values=kpis.supplier_values(families, supplier.pk),
            targets=targets[supplier.pk],
            previous=previous,
            open_flags=supplier.open_flags,
        )
        for supplier in suppliers
    ]


def cards_with_price_variance(cards: list[SupplierCard], *, period: periods.Period) -> list[SupplierCard]:
    """Fill each card's price variance over the period (one query, whatever the number of cards)."""
    if not cards:
        return cards
    variance = kpis.price_variance(
        start=period.start, end=period.end, supplier_ids=[card.supplier.pk for card in cards]
    )
    for card in cards:
        card.price_variance = variance.get(card.supplier.pk, [])
    return cards


def cards_with_ideas_credit(
    cards: list[SupplierCard], *, period: periods.Period, today
) -> list[SupplierCard]:
    """Fill each card's improvement-ideas credit over the period up to today, as its scorecard shows it (one query,
    whatever the number of cards)."""
    if not cards:
        return cards
    credit = ideas_credit(
        start=period.start, end=min(period.end, today), supplier_ids=[card.supplier.pk for card in cards]
    )
    for card in cards:
        card.ideas = credit.get(card.supplier.pk, IdeasCredit())
    return cards


def card_build(
    *,
    supplier: Supplier | None,
    values: dict,
    targets: dict,
    previous: dict | None = None,
    open_flags: int = 0,
) -> SupplierCard:
    """Return a supplier's card from its KPI values ({kpi: KpiValue}) and targets, scored, with the trend against
    `previous` ({(supplier_id, kpi): value}). No query: the portfolio, its stored rows and their refresh share it."""
    card = SupplierCard(supplier=supplier, open_flags=open_flags)
    previous = previous or {}
    for kpi in Kpi.values:
        value = values[kpi]
        target = targets[kpi]
        cell = KpiCell(kpi, value, target, meets(kpi, value.value, target))
        before = previous.get((supplier.pk, kpi)) if supplier is not None else None
        if value.value is not None and before is not None and value.value != before:
            cell.trend = "up" if value.value > before else "down"
            cell.better = (value.value > before) == (kpi in HIGHER_IS_BETTER)
        card.cells[kpi] = cell
    score_card(card)
    return card


def _open_flags_count(user) -> Count:
    """Count each supplier's unresolved flags the user may see.

    A factory contact's count (and so its standing and the score's explanation) leaves out the flags the portal
    hides from it, or the number alone would tell of a hidden audit. Staff count every flag, in the plain join.
    """
    unresolved = ~Q(red_flags__state=RedFlag.State.RESOLVED)
    if not (user is not None and user.is_authenticated and user.is_staff_member):
        unresolved &= Q(red_flags__in=RedFlag.objects.visible_to(user))
    return Count("red_flags", filter=unresolved, distinct=True)


EMPTY_BY_KPI = kpis.EMPTY_VALUES


def _previous_values(ids, today) -> dict:
    """Return each (supplier, kpi)'s value in the snapshot of the week before this one (one query)."""
    last_week = today - timedelta(days=today.weekday() + 7)
    rows = KpiSnapshot.objects.filter(supplier_id__in=ids, week_start=last_week).values_list(
        "supplier_id", "kpi", "value"
    )
    return {(supplier_id, kpi): value for supplier_id, kpi, value in rows}


def sort_worst_first(cards: list[SupplierCard]) -> list[SupplierCard]:
    """Sort cards worst first: unrated last, then by score, then by open flags."""
    return sorted(
        cards, key=lambda c: (c.score is None, c.score if c.score is not None else 0, -c.open_flags)
    )


def supplier_trend(*, supplier: Supplier, weeks: int = 52, today=None) -> dict[str, list[KpiSnapshot]]:
    """Return a supplier's weekly snapshots for the last `weeks` weeks, per KPI (one query)."""
    today = today or business_today()
    since = today - timedelta(weeks=weeks)
    result: dict[str, list] = {kpi: [] for kpi in Kpi.values}
    for snapshot in KpiSnapshot.objects.filter(supplier=supplier, week_start__gte=since).order_by(
        "week_start"
    ):
        result[snapshot.kpi].append(snapshot)
    return result


@dataclass
class SeriesPoint:
    """One calendar period of a supplier's KPI series."""

    kpi: str
    period: periods.Period
    value: kpis.KpiValue
    target: Decimal
    met: bool | None

    @property
    def display(self) -> str:
        if self.value.value is None:
            return ""
        return (
            f"{self.value.value} h"
            if self.kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME)
            else f"{self.value.value} %"
        )


def supplier_series(
    *, supplier: Supplier, kind: str, today=None, count: int | None = None
) -> dict[str, list]:
    """Return a supplier's KPIs per calendar week, month or quarter, oldest first, per KPI (five queries).

    The running period is last, with its figures to date. Each point is held to the supplier's target now.
    """
    today = today or business_today()
    span = periods.series(kind, count=count or periods.SERIES_LENGTH[kind], today=today)
    families = kpis.all_kpis(
        start=span[0].start, end=span[-1].end, today=today, supplier_ids=[supplier.pk], by=kind
    )
    targets = targets_for([supplier.pk])[supplier.pk]
    result: dict[str, list] = {}
    for kpi in Kpi.values:
        values = families[kpi]
        points = []
        for period in span:
            value = values.get((supplier.pk, period.start), EMPTY_BY_KPI[kpi])
            points.append(
                SeriesPoint(kpi, period, value, targets[kpi], meets(kpi, value.value, targets[kpi]))
            )
        result[kpi] = points
    return result
