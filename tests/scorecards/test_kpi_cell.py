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
