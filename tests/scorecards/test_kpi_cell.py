"""The KPI cell the portfolio and every scorecard draw (`{% kpi_cell cell %}`), in the reader's language."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

CELL = Template("{% load scorecard_tags %}{% kpi_cell cell %}")


def cell(value, *, met=True, trend="", better=True):
    return SimpleNamespace(
        value=SimpleNamespace(value=value, numerator=1234, denominator=5678),
        display="" if value is None else f"{value} %",
        met=met,
        trend=trend,
        better=better,
        target=Decimal("95.00"),
    )


def draw(made, period=None, language="en") -> str:
    with translation.override(language):
        return CELL.render(Context({"cell": made, "period": period}))


def test_a_figure_on_target_with_its_counts_and_target():
    assert draw(cell(Decimal("97.5"))) == (
        '<span class="fw-semibold text-success">97.5 %</span>'
        '<div class="small text-muted">1234/5678 · target 95</div>'
    )


@pytest.mark.parametrize(
    ("period", "title"),
    [
        (None, "against last week"),
        (SimpleNamespace(kind="rolling"), "against last week"),
        (SimpleNamespace(kind="month"), "against the period before"),
    ],
)
def test_a_missed_target_and_its_trend_against_the_period_before(period, title):
    assert draw(cell(Decimal("80.0"), met=False, trend="down", better=False), period) == (
        '<span class="fw-semibold text-danger">80.0 %</span>'
        f' <span class="text-danger" title="{title}">▼</span>'
        '<div class="small text-muted">1234/5678 · target 95</div>'
    )


def test_no_figure_says_so_in_the_readers_language():
    assert draw(cell(None)) == '<span class="text-muted small">insufficient data</span>'
    assert "insufficient data" not in draw(cell(None), language="zh-hans")
    assert "target" not in draw(cell(Decimal("97.5"), trend="up"), language="vi")


def test_the_figure_is_escaped():
    made = cell(Decimal("1"))
    made.display = "<b>1</b>"
    assert "&lt;b&gt;1&lt;/b&gt;" in draw(made)


# --- The portfolio's row and the price variance (`{% portfolio_row card %}`, `{% price_variance v %}`) ----------

ROW = Template("{% load scorecard_tags %}{% portfolio_row card %}")
VARIANCE = Template("{% load scorecard_tags %}{% price_variance variances %}")


def variance(total, *, currency="USD", percent=None, charges=Decimal(0)):
    return SimpleNamespace(total=Decimal(total), currency=currency, percent=percent, charges=charges)


def portfolio_card(**fields):
    fields = {"open_flags": 0, **fields}
    return SimpleNamespace(
        supplier=SimpleNamespace(pk=7, name="<Kestrel & Co>", owner="Bo <Buyer>"),
        stage_label="approved",
        cells={"on_time_delivery": cell(Decimal("97.5"))},
        price_variance=[],
        ideas=SimpleNamespace(implemented=0, savings=[]),
        score=Decimal("91.5"),
        grade="A",
        standing_label="preferred",
        **fields,
    )


def row(card, period=None, language="en") -> str:
    with translation.override(language):
        return ROW.render(Context({"card": card, "period": period}))


def test_a_row_links_the_scorecard_for_the_period_shown_and_escapes_what_people_typed():
    drawn = row(portfolio_card())
    assert '<a class="fw-semibold" href="/scorecards/suppliers/7/">&lt;Kestrel &amp; Co&gt;</a>' in drawn
    assert "approved · Bo &lt;Buyer&gt;" in drawn
    assert (
        '<span class="badge text-bg-success">A</span> 91.5<div class="small text-muted">preferred</div>'
        in drawn
    )
    assert "<td>—</td></tr>" in drawn  # no open flag
    month = SimpleNamespace(kind="month", key="2026-11")
    assert 'href="/scorecards/suppliers/7/?period=2026-11"' in row(portfolio_card(), month)


def test_a_row_shows_its_flags_ideas_and_an_unrated_score_in_the_readers_language():
    card = portfolio_card(open_flags=3)
    card.score, card.grade = None, ""
    card.ideas = SimpleNamespace(implemented=2, savings=[{"currency": "USD", "realised": Decimal("1234.5")}])
    drawn = row(card)
    assert '<a class="badge text-bg-danger" href="/scorecards/red-flags/?supplier=7">3</a>' in drawn
    assert "2 implemented<div>realised 1,234.50 USD</div>" in drawn
    assert '<span class="text-muted small">unrated</span>' in drawn
    chinese = row(card, language="zh-hans")
    assert "unrated" not in chinese and "implemented" not in chinese and "realised" not in chinese
    vietnamese = row(card, language="vi")
    assert "unrated" not in vietnamese and "implemented" not in vietnamese
    assert "1234,50 USD" in vietnamese  # the decimal comma (Vietnamese groups no thousands)


def test_the_price_variance_is_red_when_over_with_its_unagreed_charges():
    with translation.override("en"):
        over = VARIANCE.render(
            Context({"variances": [variance("150.5", percent=Decimal("2.5"), charges=Decimal("40"))]})
        )
        under = VARIANCE.render(Context({"variances": [variance("-20", currency="<EUR>")]}))
        none = VARIANCE.render(Context({"variances": []}))
    assert over == (
        '<div class="text-danger"><span class="fw-semibold">+150.50 USD</span> <span class="small">(+2.5 %)</span>'
        '<div class="small text-muted">of which unagreed charges 40.00</div></div>'
    )
    assert under == '<div class=""><span class="fw-semibold">-20.00 &lt;EUR&gt;</span></div>'
    assert none == '<span class="text-muted small">—</span>'
