"""Reads of the scorecards app, one module per aggregate: the portfolio's cards, a supplier's scorecard, the rows
behind a KPI, the red-flag inbox and pilot evaluations. Callers import from the package."""

from .behind import BEHIND, BehindPage, RowBehind, excused_behind, rows_behind, rows_behind_page
from .cards import (
    BUYER_KPIS,
    DEFAULT_WEIGHTS,
    EMPTY_BY_KPI,
    STANDING_LABELS,
    SUPPLIER_KPIS,
    KpiCell,
    SeriesPoint,
    SupplierCard,
    cards_with_ideas_credit,
    cards_with_price_variance,
    portfolio,
    score_card,
    sort_worst_first,
    supplier_series,
    supplier_trend,
)
from .flags import flag_list, flag_notes
from .pilots import PilotEvaluation, pilot_evaluation
from .ranked import SORTS, RankedSuppliers, portfolio_ranked, portfolio_suppliers
from .scorecard import HOURS_KPIS, TREND_KINDS, scorecard_context

__all__ = [
    "BEHIND",
    "BUYER_KPIS",
    "DEFAULT_WEIGHTS",
    "EMPTY_BY_KPI",
    "HOURS_KPIS",
    "SORTS",
    "STANDING_LABELS",
    "SUPPLIER_KPIS",
    "TREND_KINDS",
    "BehindPage",
    "KpiCell",
    "PilotEvaluation",
    "RankedSuppliers",
    "RowBehind",
    "SeriesPoint",
    "SupplierCard",
    "cards_with_ideas_credit",
    "cards_with_price_variance",
    "excused_behind",
    "flag_list",
    "flag_notes",
    "pilot_evaluation",
    "portfolio",
    "portfolio_ranked",
    "portfolio_suppliers",
    "rows_behind",
    "rows_behind_page",
    "score_card",
    "scorecard_context",
    "sort_worst_first",
    "supplier_series",
    "supplier_trend",
]
