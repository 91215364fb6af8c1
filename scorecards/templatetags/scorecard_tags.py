"""The KPI cell of the portfolio and of a supplier's scorecard, in one definition.

A tag rather than an included template: the portfolio draws 250 of them per page, and an include (a context pushed,
five {% translate %} nodes) per cell was a fifth of the page's time at size M. For the same reason its words are
translated once per page, its numbers localized once each, and its markup put together as format_html would,
without escaping twice.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

_WORDS = "scorecard_tags.kpi_cell.words"  # the key of the translated words in the template's render context
_SHOWN = "scorecard_tags.kpi_cell.shown"  # the key of the numbers already rendered


def _words(context) -> dict[str, str]:
    """Return the cell's words, translated and escaped, once per template render (one language throughout)."""
    words = context.render_context.get(_WORDS)
    if words is None:
        words = {
            "insufficient": conditional_escape(gettext("insufficient data")),
            "last_week": conditional_escape(gettext("against last week")),
            "period_before": conditional_escape(gettext("against the period before")),
            "target": conditional_escape(gettext("target")),
        }
        context.render_context[_WORDS] = words
    return words


def _shown(context, value) -> str:
    """Return a number as the template would print it, each distinct one localized once per render: targets and
    counts repeat across a page's 250 cells, and localizing was half the cell's cost."""
    shown = context.render_context.get(_SHOWN)
    if shown is None:
        shown = context.render_context[_SHOWN] = {}
    key = (type(value), str(value))  # Decimal("2.0") equals Decimal("2") and 2, but each prints otherwise
    if key not in shown:
        shown[key] = render_value_in_context(value, context)
    return shown[key]


@register.simple_tag(takes_context=True)
def kpi_cell(context, cell):
    """Render one KPI: the figure in green or red against its target, its trend against the period before, and the
    counts behind it; "insufficient data" when there is no figure."""
    words = _words(context)
    if cell.value.value is None:
        return mark_safe(f'<span class="text-muted small">{words["insufficient"]}</span>')
    trend = ""
    if cell.trend:
        period = context.get("period")
        title = words["last_week"] if not period or period.kind == "rolling" else words["period_before"]
        trend = (
            f' <span class="{"text-success" if cell.better else "text-danger"}" title="{title}">'
            f"{'▲' if cell.trend == 'up' else '▼'}</span>"
        )
    return mark_safe(
        f'<span class="fw-semibold {"text-success" if cell.met else "text-danger"}">'
        f"{render_value_in_context(cell.display, context)}</span>{trend}"
        f'<div class="small text-muted">{_shown(context, cell.value.numerator)}/'
        f"{_shown(context, cell.value.denominator)} · {words['target']} "
        f"{_shown(context, cell.target.normalize())}</div>"
    )
