"""The factory's own scorecard in the portal: the same numbers staff see, and the buyer's side of the card."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import PortalRequiredMixin
from audits.models import QCInspection
from core.clock import business_today
from core.views import page_query
from scorecards import periods, selectors
from scorecards.contests.selectors import KIND_OF_KPI, contests_attach
from scorecards.models import Kpi, RedFlag

# Flags shown to the supplier, worded for a partner rather than as an internal alarm.
PARTNER_WORDING = {
    RedFlag.Rule.ON_TIME_DELIVERY: gettext_lazy("On-time delivery is below the target we agreed."),
    RedFlag.Rule.DEFECT_RATE: gettext_lazy(
        "The defect rate found at inspection is above the target we agreed."
    ),
    RedFlag.Rule.UNANSWERED_ISSUE: gettext_lazy("An issue is waiting for your reply."),
    RedFlag.Rule.CONSISTENT_MISS: gettext_lazy(
        "A target has been missed three weeks running: let us review it together."
    ),
    RedFlag.Rule.PRICE_ABOVE_AGREED: gettext_lazy("An invoice price is above the price agreed on the order."),
    RedFlag.Rule.HIDDEN_COST: gettext_lazy(
        "An invoice carries a charge we did not agree on the order: please send us a cost breakdown."
    ),
    RedFlag.Rule.CERTIFICATION: gettext_lazy(
        "A certificate expires soon or has expired: please upload the renewal."
    ),
    RedFlag.Rule.CAPA_OVERDUE: gettext_lazy("A corrective action is past its due date."),
    RedFlag.Rule.NO_CONTACT: gettext_lazy(
        "We have not spoken for a while: let us hold the regular check-in."
    ),
}


class PortalScorecardView(PortalRequiredMixin, View):
    def get(self, request):
        today = business_today()
        context = selectors.scorecard_context(
            user=request.user,
            supplier=self.supplier,
            today=today,
            period=periods.from_request(request, today=today),
            trend=request.GET.get("trend", "week"),
            behind_url=lambda supplier, kpi: reverse("portal:scorecard_behind", args=[kpi]),
        )
        flags = list(RedFlag.objects.visible_to(request.user).exclude(state=RedFlag.State.RESOLVED))
        for flag in flags:
            flag.partner_text = PARTNER_WORDING[flag.rule]
        context["partner_flags"] = flags
        return render(request, "portal/scorecard.html", context)


class PortalKpiBehindView(PortalRequiredMixin, View):
    """The factory's own deliveries, inspections, issues or invoices behind one number of its scorecard: the same
    rows our team sees, so every figure can be checked."""

    def get(self, request, kpi):
        if kpi not in selectors.BEHIND:
            raise Http404
        today = business_today()
        period = periods.from_request(request, today=today)
        bad_only = bool(request.GET.get("late"))
        behind = selectors.rows_behind_page(
            supplier=self.supplier,
            kpi=kpi,
            period=period,
            today=today,
            page=request.GET.get("page"),
            against_only=bad_only,
        )
        rows = behind.rows
        if kpi == Kpi.DEFECT_RATE:
            # Every inspection counts; a report QC did not share is listed without it.
            shared = set(
                QCInspection.objects.visible_to(request.user)
                .filter(pk__in=[row.obj.pk for row in rows])
                .values_list("pk", flat=True)
            )
            for row in rows:
                row.shared = row.obj.pk in shared
        contests_attach(
            rows=rows, kpi=kpi
        )  # each row's contest, and a Contest button on the others against it
        excused = selectors.excused_behind(supplier=self.supplier, period=period, today=today, kpi=kpi)
        title, explanation = selectors.BEHIND[kpi]
        return render(
            request,
            "portal/kpi_behind.html",
            {
                "rows": rows,
                "excused": excused if kpi == Kpi.ON_TIME_DELIVERY else [],
                "excused_rows": excused if kpi != Kpi.ON_TIME_DELIVERY else [],
                "contest_kind": KIND_OF_KPI.get(kpi, ""),
                "period": period,
                "today": today,
                "kpi": Kpi(kpi),
                "title": title,
                "explanation": explanation,
                "bad_only": bad_only,
                "behind": behind,
                "page": behind.page,
                "query": page_query(request),
            },
        )
