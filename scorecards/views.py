"""Staff pages of the scorecards app: pilot programmes and their evaluation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from orders import selectors as order_selectors
from orders import services as order_services
from orders.forms import PilotDecisionForm, PilotForm
from orders.models import PilotProgram
from suppliers import selectors as supplier_selectors
from suppliers.views import add_service_errors

from . import selectors
from .kpis import kpi_today


class PilotListView(StaffRequiredMixin, View):
    def get(self, request):
        return render(
            request, "scorecards/pilot_list.html", {"pilots": order_selectors.pilot_list(user=request.user)}
        )


class PilotCreateView(StaffRequiredMixin, View):
    """Start a pilot programme for a supplier in the pilot stage."""

    capability = "order.edit"

    def get(self, request, supplier_pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        today = timezone.localdate()
        form = PilotForm(
            initial={
                "name": f"{supplier.name} pilot",
                "starts_on": today,
                "ends_on": today + timezone.timedelta(days=120),
            }
        )
        return render(request, "scorecards/pilot_form.html", {"form": form, "supplier": supplier})

    def post(self, request, supplier_pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        form = PilotForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    pilot = order_services.pilot_create(
                        supplier=supplier, by=request.user, **form.cleaned_data
                    )
                messages.success(request, _("Pilot programme started. Place trial orders against it."))
                return redirect(pilot)
            except ValidationError as exc:
                add_service_errors(form, exc)
        return render(request, "scorecards/pilot_form.html", {"form": form, "supplier": supplier}, status=400)


class PilotDetailView(StaffRequiredMixin, View):
    """A pilot's success criteria against its results, a recommendation, and the decision."""

    def get(self, request, pk, form=None, status=200):
        pilot = get_object_or_404(
            PilotProgram.objects.visible_to(request.user).select_related("supplier", "decided_by"), pk=pk
        )
        evaluation = selectors.pilot_evaluation(pilot=pilot, today=timezone.localdate())
        return render(
            request,
            "scorecards/pilot_detail.html",
            {
                "pilot": pilot,
                "evaluation": evaluation,
                "orders": pilot.orders.order_by("ordered_on"),
                "form": form
                or PilotDecisionForm(
                    initial={
                        "decision": {"approve": "passed", "reject": "rejected"}.get(
                            evaluation.recommendation, "extended"
                        )
                    }
                ),
            },
            status=status,
        )

    def post(self, request, pk):
        pilot = get_object_or_404(PilotProgram.objects.visible_to(request.user), pk=pk)
        form = PilotDecisionForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    order_services.pilot_decide(pilot=pilot, by=request.user, **form.cleaned_data)
                messages.success(request, _("Decision recorded."))
                return redirect(pilot)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
        return self.get(request, pk, form=form, status=400)


# --- Scorecards and red flags ---------------------------------------------------------------------------------

from django import forms  # noqa: E402
from django.http import Http404  # noqa: E402
from django.utils.http import url_has_allowed_host_and_scheme  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import STAFF_ROLES  # noqa: E402
from orders.models import OrderChange  # noqa: E402
from suppliers.models import ProductCategory, Segment, Supplier  # noqa: E402
from suppliers.views import paginate, require_staff, run_service  # noqa: E402

from . import charts, periods, services  # noqa: E402
from .models import HIGHER_IS_BETTER, Kpi, RedFlag  # noqa: E402

HOURS_KPIS = (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME)


def period_from(request, today):
    """Return the period a page was asked for (?period=90d|2026-W48|2026-11|2026-Q4), the rolling 90 days by
    default; a malformed or future one is said on the page and the default used."""
    try:
        return periods.parse(request.GET.get("period", ""), today=today)
    except ValueError as exc:
        messages.warning(request, str(exc))
        return periods.rolling(today)


TREND_KINDS = {
    "week": gettext_lazy("Weekly, rolling 90 days (52 weeks)"),
    "month": gettext_lazy("By month (12)"),
    "quarter": gettext_lazy("By quarter (8)"),
}


PORTFOLIO_PAGE_SIZE = 50


class PortfolioView(StaffRequiredMixin, View):
    """Every active supplier's KPIs against target, trend, open red flags and standing; worst first on request."""

    def get(self, request):
        today = kpi_today()
        period = period_from(request, today)
        filters = {k: request.GET.get(k, "") for k in ("owner", "segment", "category", "country")}
        cards = selectors.portfolio(user=request.user, filters=filters, period=period, today=today)
        if request.GET.get("sort", "worst") == "worst":
            cards = selectors.sort_worst_first(cards)
        # Every supplier's KPIs are computed (worst first ranks them all); only one page of rows is drawn.
        page, query = paginate(request, cards, per_page=PORTFOLIO_PAGE_SIZE)
        return render(
            request,
            "scorecards/portfolio.html",
            {
                "cards": page.object_list,
                "page": page,
                "query": query,
                "total": len(cards),
                "missing_targets": sum(card.misses_own_target for card in cards),
                "filters": filters,
                "sort": request.GET.get("sort", "worst"),
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


def _chart_for(kpi: str, points, target) -> str:
    unit = "h" if kpi in HOURS_KPIS else "%"
    return charts.line_chart(points, target=target, unit=unit, title=str(Kpi(kpi).label))


def staff_behind_url(supplier, kpi: str) -> str:
    """Return the staff page listing the rows behind one KPI of a supplier."""
    if kpi == Kpi.ON_TIME_DELIVERY:
        return reverse("scorecards:deliveries", args=[supplier.pk])
    return reverse("scorecards:behind", args=[supplier.pk, kpi])


def scorecard_context(*, user, supplier, today, period=None, trend: str = "week", behind_url=None) -> dict:
    """Everything a supplier's scorecard shows (staff page, portal page, email and PDF share it).

    The KPIs over `period` (the rolling 90 days by default); the charts weekly (the rolling figure at each
    week's end, from the snapshots) or per calendar month or quarter. `behind_url(supplier, kpi)` gives the page
    listing the rows behind each number (staff or portal), None for none.
    """
    period = period or periods.rolling(today)
    trend = trend if trend in TREND_KINDS else "week"
    card = selectors.portfolio(
        user=user, suppliers=Supplier.objects.filter(pk=supplier.pk), today=today, period=period
    )[0]
    for kpi, cell in card.cells.items():
        cell.behind_url = behind_url(supplier, kpi) if behind_url else ""
    series = []
    if trend == "week":
        weekly = selectors.supplier_trend(supplier=supplier, today=today)
        chart_points = {
            k: [(s.week_start.strftime("%Y-%m-%d"), s.value) for s in weekly[k]] for k in Kpi.values
        }
    else:
        by_period = selectors.supplier_series(supplier=supplier, kind=trend, today=today)
        chart_points = {k: [(p.period.short_label, p.value.value) for p in by_period[k]] for k in Kpi.values}
        series = [
            {"period": point.period, "cells": [by_period[k][index] for k in Kpi.values]}
            for index, point in enumerate(by_period[Kpi.ON_TIME_DELIVERY])
        ][::-1]
    late_changes = OrderChange.objects.filter(
        supplier=supplier,
        changed_at__date__gte=period.start,
        changed_at__date__lte=period.end,
        days_before_required__lt=14,
    ).count()
    return {
        "supplier": supplier,
        "card": card,
        "today": today,
        "period": period,
        "window_start": period.start,
        "window_end": min(period.end, today),
        "supplier_kpis": [card.cells[k] for k in selectors.SUPPLIER_KPIS],
        "buyer_kpis": [card.cells[k] for k in selectors.BUYER_KPIS],
        "charts": [
            {"kpi": Kpi(k).label, "svg": _chart_for(k, chart_points[k], card.cells[k].target)}
            for k in Kpi.values
        ],
        "trend": trend,
        "trend_label": TREND_KINDS[trend],
        "trend_kinds": TREND_KINDS.items(),
        "series": series,
        "series_kpis": [Kpi(k) for k in Kpi.values],
        "hours_kpis": HOURS_KPIS,
        "period_choices": periods.choices(today=today),
        "late_changes": late_changes,
        "higher_is_better": HIGHER_IS_BETTER,
        "flags": RedFlag.objects.visible_to(user)
        .filter(supplier=supplier)
        .exclude(state=RedFlag.State.RESOLVED)
        .select_related("owner"),
    }


class SupplierScorecardView(StaffRequiredMixin, View):
    """One supplier's scorecard: KPIs with the counts behind them, 52-week trends, the two-way card, flags."""

    def get(self, request, pk):
        from suppliers import selectors as supplier_selectors

        supplier = supplier_selectors.supplier_get(user=request.user, pk=pk)
        today = kpi_today()
        return render(
            request,
            "scorecards/scorecard.html",
            scorecard_context(
                user=request.user,
                supplier=supplier,
                today=today,
                period=period_from(request, today),
                trend=request.GET.get("trend", "week"),
                behind_url=staff_behind_url,
            ),
        )


BEHIND = {
    Kpi.ON_TIME_DELIVERY: (
        gettext_lazy("Deliveries due"),
        gettext_lazy(
            "Due: promised in the period and received, or past the promised date. Late: received after the promised "
            "date the buyer accepted, or not received yet past it. Cancelled deliveries do not count."
        ),
    ),
    Kpi.DEFECT_RATE: (
        gettext_lazy("Inspections"),
        gettext_lazy("Every QC inspection in the period: defective units found ÷ units sampled."),
    ),
    Kpi.RESPONSE_TIME: (
        gettext_lazy("Our issues and the supplier's first reply"),
        gettext_lazy(
            "Issues we raised on days of the period (the supplier's calendar), once answered or older than the target. "
            "Hours to the first reply; … still waiting."
        ),
    ),
    Kpi.PAYMENT_TIMELINESS: (
        gettext_lazy("Invoices due"),
        gettext_lazy("Invoices falling due in the period, paid or past due; rejected invoices do not count."),
    ),
    Kpi.BUYER_RESPONSE_TIME: (
        gettext_lazy("The supplier's issues and our first reply"),
        gettext_lazy(
            "Issues the supplier raised on days of the period, once answered or older than the target."
        ),
    ),
}


class KpiBehindView(StaffRequiredMixin, View):
    """The deliveries, inspections, issues or invoices behind one number of a supplier's scorecard."""

    def get(self, request, pk, kpi=Kpi.ON_TIME_DELIVERY):
        from suppliers import selectors as supplier_selectors

        if kpi not in BEHIND:
            raise Http404
        supplier = supplier_selectors.supplier_get(user=request.user, pk=pk)
        today = kpi_today()
        period = period_from(request, today)
        rows = selectors.rows_behind(supplier=supplier, kpi=kpi, period=period, today=today)
        bad_only = bool(request.GET.get("late"))
        if bad_only:
            rows = [row for row in rows if not row.good]
        title, explanation = BEHIND[kpi]
        return render(
            request,
            "scorecards/kpi_behind.html",
            {
                "supplier": supplier,
                "rows": rows,
                "period": period,
                "today": today,
                "kpi": Kpi(kpi),
                "title": title,
                "explanation": explanation,
                "bad_only": bad_only,
                "good_count": sum(1 for row in rows if row.good),
            },
        )


class FlagListView(StaffRequiredMixin, View):
    """The alerts inbox: open and acknowledged red flags, filtered; mine; resolved."""

    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("state", "supplier", "rule", "severity", "mine")}
        page, query = paginate(request, selectors.flag_list(user=request.user, filters=filters))
        return render(
            request,
            "scorecards/flag_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "rules": RedFlag.Rule.choices,
                "states": RedFlag.State.choices,
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


class FlagActionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("acknowledge", "acknowledge"), ("resolve", "resolve"), ("assign", "assign")],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        required=False,
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
    )


class FlagDetailView(StaffRequiredMixin, View):
    """One red flag: what was observed against which target, the recommended action, and its workflow."""

    def get(self, request, pk):
        flag = get_object_or_404(
            RedFlag.objects.visible_to(request.user).select_related(
                "supplier", "owner", "acknowledged_by", "resolved_by"
            ),
            pk=pk,
        )
        return render(
            request,
            "scorecards/flag_detail.html",
            {
                "flag": flag,
                "staff": User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name"),
            },
        )

    def post(self, request, pk):
        require_staff(request, "flag.handle")
        flag = get_object_or_404(RedFlag.objects.visible_to(request.user), pk=pk)
        form = FlagActionForm(request.POST)
        if not form.is_valid():
            # A stale page (a colleague left, an unknown action): say so on the flag, change nothing.
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect(flag)
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        if action == "acknowledge":
            run_service(
                request,
                lambda: services.flag_acknowledge(flag=flag, by=request.user, note=note),
                _("Acknowledged."),
            )
        elif action == "resolve":
            run_service(
                request, lambda: services.flag_resolve(flag=flag, by=request.user, note=note), _("Resolved.")
            )
        elif form.cleaned_data["owner"] is not None:
            owner = form.cleaned_data["owner"]
            run_service(
                request,
                lambda: services.flag_assign(flag=flag, by=request.user, owner=owner),
                _("Assigned to %(name)s.") % {"name": owner},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = flag.get_absolute_url()
        return redirect(target)


# --- The weekly manager digest ----------------------------------------------------------------------------------

from base64 import b64encode  # noqa: E402
from hashlib import sha256  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.middleware.csp import get_nonce  # noqa: E402
from django.utils.csp import CSP, build_policy  # noqa: E402

from . import digest  # noqa: E402
from .alerts import ACTIVE_STAGES  # noqa: E402
from .models import DigestPreference, WeeklyDigest  # noqa: E402


def style_attribute_policy(html: str) -> dict:
    """Return the site's CSP, with style-src also allowing exactly the style="..." values found in `html`."""

    class StyleAttributes(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)  # values as the browser hashes them: entities decoded
            self.values = set()

        def handle_starttag(self, tag, attrs):
            self.values.update(value for name, value in attrs if name == "style" and value)

    parser = StyleAttributes()
    parser.feed(html)
    parser.close()
    hashes = sorted(f"'sha256-{b64encode(sha256(v.encode()).digest()).decode()}'" for v in parser.values)
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [*policy.get("style-src", [CSP.SELF]), CSP.UNSAFE_HASHES, *hashes]
    return policy


class DigestPreviewView(StaffRequiredMixin, View):
    """This week's scorecard email exactly as the manager will get it, with a link to its PDF."""

    capability = "digest.receive"

    def get(self, request):
        week = digest.current_iso_week(request.user)
        subject, text, html = digest.digest_render(digest.digest_context(manager=request.user, iso_week=week))
        response = render(
            request,
            "scorecards/digest_preview.html",
            {
                "iso_week": week,
                "subject": subject,
                "text": text,
                "html": html,
                "pdf_name": digest.digest_pdf_filename(week),
                "sent": WeeklyDigest.objects.filter(manager=request.user, iso_week=week).first(),
                "opted_out": DigestPreference.objects.filter(user=request.user, enabled=False).exists(),
            },
        )
        # The email styles itself with style="..." attributes (mail programs drop stylesheets), and its srcdoc
        # frame lives under this page's Content-Security-Policy. Rather than 'unsafe-inline', this one page
        # allows exactly the attribute values the email has, by hash; the frame's sandbox runs no script.
        policy = build_policy(style_attribute_policy(html), nonce=get_nonce(request))
        response.headers["Content-Security-Policy"] = policy
        return response


class DigestPreviewPdfView(StaffRequiredMixin, View):
    """This week's scorecard PDF, as attached to the email."""

    capability = "digest.receive"

    def get(self, request):
        week = digest.current_iso_week(request.user)
        pdf = digest.digest_pdf(digest.digest_context(manager=request.user, iso_week=week))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{digest.digest_pdf_filename(week)}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DigestPreferenceForm(forms.ModelForm):
    """A manager's weekly scorecard choice: on or off, and which suppliers."""

    segment = forms.ChoiceField(
        label=gettext_lazy("Only this segment"),
        required=False,
        choices=[("", gettext_lazy("All segments")), *Segment.choices],
    )

    class Meta:
        model = DigestPreference
        fields = ["enabled", "segment", "owner", "suppliers"]
        help_texts = {
            "enabled": gettext_lazy(
                "Every Monday at 07:00 in your timezone, with the scorecard PDF attached."
            ),
            "owner": gettext_lazy("Leave empty for every owner."),
            "suppliers": gettext_lazy(
                "Leave empty for every active supplier that matches the choices above."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "full_name"
        )
        self.fields["owner"].empty_label = gettext_lazy("Any owner")
        self.fields["suppliers"].queryset = Supplier.objects.filter(stage__in=ACTIVE_STAGES).order_by("name")
        self.fields["suppliers"].widget.attrs["size"] = 12

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("enabled"):
            return cleaned
        # A digest that would always be empty is a mistake worth saying at once, not every Monday.
        matching = Supplier.objects.filter(stage__in=ACTIVE_STAGES)
        if cleaned.get("segment"):
            matching = matching.filter(segment=cleaned["segment"])
        if cleaned.get("owner"):
            matching = matching.filter(owner=cleaned["owner"])
        if cleaned.get("suppliers"):
            matching = matching.filter(pk__in=[s.pk for s in cleaned["suppliers"]])
        if not matching.exists():
            raise forms.ValidationError(
                _("No active supplier matches these choices: widen the segment, owner or supplier selection.")
            )
        return cleaned


class DigestPreferencesView(StaffRequiredMixin, View):
    """Opt out of the weekly scorecard email, or choose the suppliers it covers."""

    capability = "digest.receive"

    def get(self, request, form=None, status=200):
        instance = DigestPreference.objects.filter(user=request.user).first() or DigestPreference(
            user=request.user
        )
        return render(
            request,
            "scorecards/digest_preferences.html",
            {"form": form or DigestPreferenceForm(instance=instance)},
            status=status,
        )

    def post(self, request):
        instance = DigestPreference.objects.filter(user=request.user).first() or DigestPreference(
            user=request.user
        )
        form = DigestPreferenceForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                digest.digest_preference_save(user=request.user, **form.cleaned_data)
                messages.success(request, _("Your weekly scorecard choice is saved."))
                return redirect("scorecards:digest_preferences")
            except ValidationError as exc:
                add_service_errors(form, exc)
        return self.get(request, form=form, status=400)
