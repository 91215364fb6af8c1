"""The red-flag inbox's and the portfolio's columns, for their pages and their CSV/XLSX exports
(core/exports.py)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display

from .models import Kpi


def _observed_target(flag) -> str:
    return f"{flag.observed_text()} / {flag.target_text()}" if flag.target else flag.observed_text()


FLAG_COLUMNS = [
    Column(_("Flag"), display("rule")),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Observed / target"), _observed_target),
    Column(_("Raised"), lambda flag: timezone.localtime(flag.raised_at).date(), "date"),
    Column(_("State"), display("state")),
    Column(_("Owner"), lambda flag: str(flag.owner) if flag.owner else ""),
]


def _kpi_value(kpi):
    # "insufficient data" is an empty cell, never 0: the export keeps the KPI rule of the page.
    return lambda card: card.cells[kpi].value.value


def _price_variance(card) -> str:
    # One currency a supplier: "+260.00 USD (+76.5 %)"; several: each, separated by "; ".
    return "; ".join(
        f"{v.total:+,.2f} {v.currency}" + ("" if v.percent is None else f" ({v.percent:+} %)")
        for v in card.price_variance
    )


def _ideas(card) -> str:
    # "2 implemented; realised 1,200.00 USD": the count and each currency's realised saving, as the page shows.
    if not card.ideas.implemented:
        return ""
    savings = "; ".join(f"realised {s['realised']:,.2f} {s['currency']}" for s in card.ideas.savings)
    return f"{card.ideas.implemented} implemented" + (f"; {savings}" if savings else "")


def portfolio_columns() -> list[Column]:
    """Return the portfolio's columns: the supplier, each KPI's value for the period, price variance, improvement
    ideas credited, the score and open flags."""
    return [
        Column(_("Supplier"), attr("supplier.name")),
        *(Column(Kpi(kpi).label, _kpi_value(kpi), "number") for kpi in Kpi.values),
        Column(_("Price variance"), _price_variance),
        Column(_("Improvement ideas"), _ideas),
        Column(_("Score"), attr("score"), "number"),
        Column(_("Red flags"), attr("open_flags"), "number"),
    ]
