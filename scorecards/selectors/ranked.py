"""The portfolio and the scorecards API read from the stored KPI rows (CurrentKpi): rank, filter, count and page in
SQL, then build cards for the rows shown only.

A supplier without a stored row yet (made active a moment ago) is computed now, and its score joins the ranking
through a CASE in the same ORDER BY; past NARROW_LIMIT of them, or for a period not kept as rows (a week further
back than the page offers), every card is computed now, as the portfolio always did. A supplier's own scorecard
reads its row too, when the row is current (supplier_card).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.filters import exact_filters
from core.inputs import is_id
from suppliers.models import Supplier

from .. import kpis, periods
from ..models import ACTIVE_STAGES, CurrentKpi, RedFlag
from ..targets import targets_for
from .cards import NARROW_LIMIT, SupplierCard, _previous_values, card_build, portfolio, sort_worst_first

SORTS = ("worst", "name")


@dataclass
class RankedSuppliers:
    """The suppliers of the portfolio in the order asked for, with what is needed to draw any page of them."""

    rows: QuerySet | list  # suppliers (a queryset ranked in SQL), or the computed cards (the fallback)
    period: periods.Period
    today: date
    stored: bool  # read from the stored rows
    live_values: dict = field(default_factory=dict)  # {supplier_id: {kpi: KpiValue}} computed now
    live_targets: dict = field(default_factory=dict)  # their targets, {supplier_id: {kpi: target}}

    def summary(self) -> dict:
        """Return how many suppliers, how many miss a target of their own, and the moment the figures date from."""
        if not self.stored:
            return {
                "total": len(self.rows),
                "missing_targets": sum(card.misses_own_target for card in self.rows),
                "as_of": None,
            }
        return self.rows.aggregate(
            total=Count("pk"),
            missing_targets=Count("pk", filter=Q(misses_target=True)),
            as_of=Min("row__as_of"),
        )

    def cards(self, page_rows) -> list[SupplierCard]:
        """Return the cards of one page of `rows` (a constant number of queries, whatever the page's size)."""
        if not self.stored:
            return list(page_rows)
        if isinstance(page_rows, QuerySet):
            # A page still to read (the portfolio's) is ranked over narrow rows (ids and the sort's columns) in a
            # subquery, and only its rows are read whole: sorting every supplier's stored figures to keep fifty
            # was 40 % of the query at size M. (A page read already, the API paginator's, is used as it is.)
            page_rows = self.rows.filter(pk__in=page_rows.values("pk"))
        suppliers = list(page_rows)
        ids = [s.pk for s in suppliers]
        # The stored figures came with the page's rows; the targets of suppliers computed now are known already.
        values = {
            s.pk: kpis.decode_figures(s.kpi_figures) if s.kpi_figures is not None else self.live_values[s.pk]
            for s in suppliers
        }
        unknown = [pk for pk in ids if pk not in self.live_targets]
        targets = {**self.live_targets, **(targets_for(unknown) if unknown else {})}
        previous = _previous(self.period, ids, self.today)
        cards = []
        for supplier in suppliers:
            card = card_build(
                supplier=supplier,
                values=values[supplier.pk],
                targets=targets[supplier.pk],
                previous=previous,
                open_flags=supplier.open_flags,
            )
            card.as_of = supplier.as_of
            cards.append(card)
        return cards


def portfolio_suppliers(*, user, filters: dict | None = None) -> QuerySet[Supplier]:
    """Return the active suppliers the user may see, narrowed by the portfolio's filters (malformed ones ignored)."""
    filters = filters or {}
    queryset = Supplier.objects.visible_to(user).filter(stage__in=ACTIVE_STAGES)
    if is_id(filters.get("owner")):
        queryset = queryset.filter(owner_id=filters["owner"])
    if is_id(filters.get("category")):
        queryset = queryset.filter(categories=filters["category"])
    return queryset.filter(**exact_filters(Supplier, filters, ("segment", "country")))


def portfolio_ranked(
    *, user, filters: dict | None = None, period: periods.Period, today: date, sort: str = "worst"
) -> RankedSuppliers:
    """Return the portfolio's suppliers ranked (worst first: lowest score, unrated last, then most open flags; or
    by name) from the stored KPI rows of `period`, falling back to computing them now (see the module)."""
    suppliers = portfolio_suppliers(user=user, filters=filters)
    if _kept_as_rows(period, today):
        suppliers = _with_stored_row(suppliers, period)
        missing = list(
            suppliers.filter(row__id__isnull=True).values_list("pk", flat=True)[: NARROW_LIMIT + 1]
        )
        if len(missing) <= NARROW_LIMIT:
            return _ranked_in_sql(suppliers, missing, user=user, period=period, today=today, sort=sort)
    cards = portfolio(user=user, suppliers=suppliers, period=period, today=today)
    cards = sort_worst_first(cards) if sort == "worst" else cards
    return RankedSuppliers(rows=cards, period=period, today=today, stored=False)


def _ranked_in_sql(suppliers, missing, *, user, period, today, sort) -> RankedSuppliers:
    live_values, targets, scores, misses = {}, {}, [], []
    if missing:
        families = kpis.all_kpis(start=period.start, end=period.end, today=today, supplier_ids=missing)
        targets = targets_for(missing)
        for pk in missing:
            values = kpis.supplier_values(families, pk)
            card = card_build(supplier=None, values=values, targets=targets[pk])
            live_values[pk] = values
            if card.score is not None:
                scores.append(When(pk=pk, then=Value(card.score)))
            if card.misses_own_target:
                misses.append(pk)
    score = F("row__score")
    if scores:
        score = Coalesce(
            score, Case(*scores, default=None, output_field=DecimalField(max_digits=4, decimal_places=1))
        )
    missed = F("row__misses_target")
    if misses:
        missed = Coalesce(
            missed, Case(When(pk__in=misses, then=True), default=False, output_field=BooleanField())
        )
    ranked = suppliers.annotate(
        score=score,
        misses_target=missed,
        open_flags=_open_flags(user),
        **STORED_ROW,
    ).select_related("owner")
    # What a card shows of its supplier (the page, the API, the export): fifty suppliers and their owners read
    # whole were a quarter of the page's time in building model instances.
    ranked = ranked.only("name", "stage", "owner", "owner__full_name", "owner__email")
    if sort == "worst":
        ranked = ranked.order_by(F("score").asc(nulls_last=True), "-open_flags", "name", "pk")
    else:
        ranked = ranked.order_by("name", "pk")
    return RankedSuppliers(
        rows=ranked, period=period, today=today, stored=True, live_values=live_values, live_targets=targets
    )


# What the page reads of a supplier's stored row (aliased "row" by _with_stored_row): the figures and their time.
STORED_ROW = {
    "as_of": F("row__as_of"),
    "kpi_figures": F("row__figures"),
    "forecast_figures": F("row__forecasting"),
}


def _kept_as_rows(period: periods.Period, today: date) -> bool:
    """Whether the period is one the stored rows keep (the rolling window and the periods the picker offers)."""
    return period.key in {p.key for p in periods.stored(today=today)}


def _with_stored_row(suppliers: QuerySet, period: periods.Period) -> QuerySet:
    """Join each supplier's stored row of the period as "row" (none for a supplier without one)."""
    return suppliers.alias(row=FilteredRelation("current_kpis", condition=Q(current_kpis__period=period.key)))


def _open_flags(user) -> Coalesce:
    """Count each supplier's unresolved flags the user may see (a factory contact: those the portal shows it)."""
    flags = (
        RedFlag.objects.visible_to(user)
        .filter(supplier=OuterRef("pk"))
        .exclude(state=RedFlag.State.RESOLVED)
        .order_by()
        .values("supplier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(flags, output_field=IntegerField()), 0)


def _previous(period: periods.Period, ids: list[int], today: date) -> dict:
    """Return {(supplier_id, kpi): value} to draw the trend against: last week's snapshot for the rolling window,
    the period before for a calendar one (its stored rows, else computed for these suppliers)."""
    if period.kind == "rolling":
        return _previous_values(ids, today)
    before = period.previous()
    found = {
        row.supplier_id: row.kpi_values()
        for row in CurrentKpi.objects.filter(period=before.key, supplier_id__in=ids)
    }
    absent = [pk for pk in ids if pk not in found]
    if absent:
        families = kpis.all_kpis(start=before.start, end=before.end, today=today, supplier_ids=absent)
        for pk in absent:
            found[pk] = kpis.supplier_values(families, pk)
    return {(pk, kpi): value.value for pk, values in found.items() for kpi, value in values.items()}


def supplier_card(*, user, supplier: Supplier, period: periods.Period, today: date):
    """Return one supplier's card over `period` and its two-way card's forecast figures, for its scorecard.

    From its stored row when that row is current (the card's `as_of` is then the row's), else computed now with
    kpis.py, as the portfolio does for a supplier without a row. Current: computed today for a window still
    running, or after the period closed for a closed one. A running window's row from an earlier day (before the
    nightly pass has run) is left aside: a scorecard's figures sit beside the rows behind them, which are read as
    they are now. A row from earlier today may still be behind a write whose refresh has not run; the page says
    "as of" when its figures are from. Constant queries (three from a stored row, with the trend's).
    """
    queryset = Supplier.objects.filter(pk=supplier.pk).annotate(open_flags=_open_flags(user))
    if _kept_as_rows(period, today):
        queryset = _with_stored_row(queryset, period).annotate(computed_on=F("row__today"), **STORED_ROW)
    found = queryset.select_related("owner").get()
    computed_on = getattr(found, "computed_on", None)
    # Current: computed today for a window still running; computed after it closed for a closed period.
    stored = getattr(found, "kpi_figures", None) is not None and (
        computed_on == today or (period.end < today and computed_on > period.end)
    )
    if stored:
        values = kpis.decode_figures(found.kpi_figures)
    else:
        families = kpis.all_kpis(start=period.start, end=period.end, today=today, supplier_ids=[found.pk])
        values = kpis.supplier_values(families, found.pk)
    if stored and found.forecast_figures is not None:
        forecasting = kpis.decode_forecast_notice(found.forecast_figures)
    else:
        forecasting = kpis.forecast_notice(start=period.start, end=period.end, supplier_ids=[found.pk]).get(
            found.pk, kpis.ForecastNotice()
        )
    card = card_build(
        supplier=found,
        values=values,
        targets=targets_for([found.pk])[found.pk],
        previous=_previous(period, [found.pk], today),
        open_flags=found.open_flags,
    )
    card.as_of = found.as_of if stored else None
    return card, forecasting
