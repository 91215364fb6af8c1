"""The KPI cell of the portfolio and of a supplier's scorecard, in one definition.

A tag rather than an included template: the portfolio draws 250 of them per page, and an include (a context pushed,
five {% translate %} nodes) per cell was a fifth of the page's time at size M. For the same reason its words are
translated once per page, its numbers localized once each, and its markup put together as format_html would,
without escaping twice.
"""

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

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
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(
            value
        )  # what localize gives an int without grouping, in every language: the counts are ints
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


def _price_variance_html(context, variances) -> str:
    """Return what a supplier invoiced beyond the agreed prices, one line per currency ("—" for none)."""
    if not variances:
        return '<span class="text-muted small">—</span>'
    lines = []
    for v in variances:
        over = v.total > 0
        line = (
            f'<div class="{"text-danger" if over else ""}"><span class="fw-semibold">{"+" if over else ""}'
            f"{_shown(context, floatformat(v.total, '2g'))} {conditional_escape(v.currency)}</span>"
        )
        if v.percent is not None:
            line += (
                f' <span class="small">({"+" if v.percent > 0 else ""}{_shown(context, v.percent)} %)</span>'
            )
        if v.charges:
            line += '<div class="small text-muted">{}</div>'.format(
                conditional_escape(gettext("of which unagreed charges %(amount)s"))
                % {"amount": _shown(context, floatformat(v.charges, "2g"))}
            )
        lines.append(line + "</div>")
    return "".join(lines)


@register.simple_tag(takes_context=True)
def price_variance(context, variances):
    """Render a supplier's price variance over the period: invoiced beyond the agreed prices plus unagreed
    charges, per currency, red when over."""
    return mark_safe(_price_variance_html(context, variances))


@register.simple_tag(takes_context=True)
def portfolio_row(context, card):
    """Render one supplier's row of the portfolio: name, stage and owner; its KPI cells; price variance; ideas
    credited; score, grade and standing; open red flags. A tag for the reason kpi_cell is one (50 rows a page)."""
    supplier = card.supplier
    period = context.get("period")
    href = reverse("scorecards:supplier", args=[supplier.pk])
    if period is not None and period.kind != "rolling":
        href += f"?period={conditional_escape(period.key)}"
    parts = [
        f'<tr>\n    <td><a class="fw-semibold" href="{href}">{conditional_escape(supplier.name)}</a>'
        f'<div class="small text-muted">{conditional_escape(card.stage_label)} · '
        f"{render_value_in_context(supplier.owner, context)}</div></td>\n    ",
        "".join(f"<td>{kpi_cell(context, cell)}</td>" for cell in card.cells.values()),
        f'\n    <td class="small">{_price_variance_html(context, card.price_variance)}</td>',
        '\n    <td class="small ideas-credit">',
    ]
    if card.ideas.implemented:
        n = card.ideas.implemented
        parts.append(
            conditional_escape(ngettext("%(n)s implemented", "%(n)s implemented", n))
            % {"n": _shown(context, n)}
        )
        parts.extend(
            "<div>{}</div>".format(
                conditional_escape(gettext("realised %(realised)s %(currency)s"))
                % {
                    "realised": _shown(context, floatformat(s["realised"], "2g")),
                    "currency": conditional_escape(s["currency"]),
                }
            )
            for s in card.ideas.savings
        )
    else:
        parts.append("—")
    parts.append("</td>\n    <td>")
    if card.score is not None:
        badge = {"A": "success", "B": "primary", "C": "warning"}.get(card.grade, "danger")
        parts.append(
            f'<span class="badge text-bg-{badge}">{conditional_escape(card.grade)}</span> '
            f'{_shown(context, card.score)}<div class="small text-muted">{conditional_escape(card.standing_label)}</div>'
        )
    else:
        parts.append(f'<span class="text-muted small">{conditional_escape(gettext("unrated"))}</span>')
    parts.append("</td>\n    <td>")
    if card.open_flags:
        parts.append(
            f'<a class="badge text-bg-danger" href="{reverse("scorecards:flag_list")}?supplier={supplier.pk}">'
            f"{_shown(context, card.open_flags)}</a>"
        )
    else:
        parts.append("—")
    parts.append("</td></tr>")
    return mark_safe("".join(parts))
