"""The portfolio of every active supplier, one supplier's scorecard, and the rows behind each of its numbers."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from accounts.models import User
from accounts.permissions import StaffRequiredMixin
from accounts.roles import STAFF_ROLES
from core.clock import business_today
from core.exports import export_response
from core.views import page_query
from suppliers import selectors as supplier_selectors
from suppliers.models import ProductCategory, Segment

from .. import periods, selectors
from ..contests.selectors import contests_attach
from ..exports import portfolio_columns
from ..letters import selectors as letter_selectors
from ..letters import services as letter_services
from ..letters.forms import LetterIssueForm, LetterRevokeForm
from ..models import Kpi

PORTFOLIO_PAGE_SIZE = 50


class PortfolioView(StaffRequiredMixin, View):
    """Every active supplier's KPIs against target, trend, open red flags and standing; worst first on request."""

    def get(self, request):
        today = business_today()
        period = periods.from_request(request, today=today)
        filters = {k: request.GET.get(k, "") for k in ("owner", "segment", "category", "country")}
        sort = request.GET.get("sort", "worst")
        sort = sort if sort in selectors.SORTS else "worst"
        # Ranked, counted and paged in SQL over the stored KPI rows; cards are built for the page shown only.
        ranked = selectors.portfolio_ranked(
            user=request.user, filters=filters, period=period, today=today, sort=sort
        )
        summary = ranked.summary()
        paginator = Paginator(ranked.rows, PORTFOLIO_PAGE_SIZE)
        paginator.count = summary["total"]  # counted with the rest of the summary, in one query
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        if export := export_response(
            request,
            rows=_every_card(ranked, today=today),
            columns=portfolio_columns(),
            name=f"portfolio-{period.key}",
        ):
            return export
        return render(
            request,
            "scorecards/portfolio.html",
            {
                "cards": selectors.cards_with_ideas_credit(
                    selectors.cards_with_price_variance(ranked.cards(page.object_list), period=period),
                    period=period,
                    today=today,
                ),
                "page": page,
                "query": query.urlencode(),
                "total": summary["total"],
                "missing_targets": summary["missing_targets"],
                "as_of": summary["as_of"],
                "filters": filters,
                "sort": sort,
                "kpis": [Kpi(k) for k in Kpi.values],
                "period": period,
                "today": today,
                "period_choices": periods.choices(today=today),
                "owners": User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name"),
                "segments": Segment.choices,
                "categories": ProductCategory.objects.all(),
                "open_flags": selectors.flag_list(user=request.user).count(),
            },
        )


def _every_card(ranked, *, today, chunk: int = 500):
    """Yield the cards of every ranked supplier, in order, a chunk at a time (the export of the whole portfolio)."""
    total = len(ranked.rows) if isinstance(ranked.rows, list) else ranked.summary()["total"]
    for start in range(0, total, chunk):
        cards = selectors.cards_with_price_variance(
            ranked.cards(ranked.rows[start : start + chunk]), period=ranked.period
        )
        yield from selectors.cards_with_ideas_credit(cards, period=ranked.period, today=today)


def staff_behind_url(supplier, kpi: str) -> str:
    """Return the staff page listing the rows behind one KPI of a supplier."""
    if kpi == Kpi.ON_TIME_DELIVERY:
        return reverse("scorecards:deliveries", args=[supplier.pk])
    return reverse("scorecards:behind", args=[supplier.pk, kpi])


def scorecard_page(request, supplier, *, letter_form=None, status: int = 200):
    """Render a supplier's staff scorecard, with its reference letters and the form to issue one."""
    today = business_today()
    context = selectors.scorecard_context(
        user=request.user,
        supplier=supplier,
        today=today,
        period=periods.from_request(request, today=today),
        trend=request.GET.get("trend", "week"),
        behind_url=staff_behind_url,
    )
    context.update(
        letters=letter_selectors.letter_list(user=request.user, supplier=supplier),
        letter_form=letter_form or LetterIssueForm(user=request.user),
        may_issue_letters=request.user.can(letter_services.ISSUE_CAPABILITY),
        revoke_form=LetterRevokeForm(),
    )
    return render(request, "scorecards/scorecard.html", context, status=status)


class SupplierScorecardView(StaffRequiredMixin, View):
    """One supplier's scorecard: KPIs with the counts behind them, 52-week trends, the two-way card, flags, and its
    reference letters."""

    def get(self, request, pk):
        return scorecard_page(request, supplier_selectors.supplier_get(user=request.user, pk=pk))


class KpiBehindView(StaffRequiredMixin, View):
    """The deliveries, inspections, issues or invoices behind one number of a supplier's scorecard."""

    def get(self, request, pk, kpi=Kpi.ON_TIME_DELIVERY):
        if kpi not in selectors.BEHIND:
            raise Http404
        supplier = supplier_selectors.supplier_get(user=request.user, pk=pk)
        today = business_today()
        period = periods.from_request(request, today=today)
        bad_only = bool(request.GET.get("late"))
        behind = selectors.rows_behind_page(
            supplier=supplier,
            kpi=kpi,
            period=period,
            today=today,
            page=request.GET.get("page"),
            against_only=bad_only,
        )
        rows = contests_attach(rows=behind.rows, kpi=kpi)  # contested rows are marked until decided
        excused = selectors.excused_behind(supplier=supplier, period=period, today=today, kpi=kpi)
        title, explanation = selectors.BEHIND[kpi]
        return render(
            request,
            "scorecards/kpi_behind.html",
            {
                "supplier": supplier,
                "rows": rows,
                "excused": excused if kpi == Kpi.ON_TIME_DELIVERY else [],
                "excused_rows": excused if kpi != Kpi.ON_TIME_DELIVERY else [],
                "period": period,
                "today": today,
                "kpi": Kpi(kpi),
                "title": title,
                "explanation": explanation,
                "bad_only": bad_only,
                "good_count": behind.good,
                "behind": behind,
                "page": behind.page,
                "query": page_query(request),
            },
        )
