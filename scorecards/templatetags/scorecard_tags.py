"""The KPI cell of the portfolio and of a supplier's scorecard, in one definition.

A tag rather than an included template: the portfolio draws 200 of them per page, and an include (a context pushed,
five {% translate %} nodes) per cell was a fifth of the page's time at size M.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def kpi_cell(context, cell):
    """Render one KPI: the figure in green or red against its target, its trend against the period before, and the
    counts behind it; "insufficient data" when there is no figure."""
    if cell.value.value is None:
        return format_html('<span class="text-muted small">{}</span>', gettext("insufficient data"))
    period = context.get("period")
    trend = ""
    if cell.trend:
        title = (
            gettext("against last week")
            if not period or period.kind == "rolling"
            else gettext("against the period before")
        )
        trend = format_html(
            ' <span class="{}" title="{}">{}</span>',
            "text-success" if cell.better else "text-danger",
            title,
            "▲" if cell.trend == "up" else "▼",
        )
    return format_html(
        '<span class="fw-semibold {}">{}</span>{}<div class="small text-muted">{}/{} · {} {}</div>',
        "text-success" if cell.met else "text-danger",
        render_value_in_context(cell.display, context),
        trend,
        render_value_in_context(cell.value.numerator, context),
        render_value_in_context(cell.value.denominator, context),
        gettext("target"),
        render_value_in_context(cell.target.normalize(), context),
    )
