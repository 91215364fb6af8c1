"""The factory's contests of rows behind its scorecard: contest a row, see each contest and its decision."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import paginate, submit
from scorecards.contests import selectors, services
from scorecards.contests.forms import RowContestForm
from scorecards.contests.models import RowContest


class PortalContestListView(PortalRequiredMixin, View):
    """The factory's own contests, open first, with each decision."""

    def get(self, request):
        page, query = paginate(request, selectors.contest_list(user=request.user))
        return render(request, "portal/contest_list.html", {"page": page, "query": query})


class PortalContestCreateView(PortalRequiredMixin, View):
    """Contest one of the factory's own rows (404 for any other), with a reason and optional evidence."""

    def get(self, request, kind, row, form=None, status=200):
        obj = services.contestable_row(user=request.user, kind=kind, pk=row)
        return render(
            request,
            "portal/contest_form.html",
            {
                "form": form or RowContestForm(),
                "kind": RowContest.Kind(kind),
                "row": obj,
                "back": reverse("portal:scorecard_behind", args=[_KPI_OF_KIND[kind]]),
            },
            status=status,
        )

    def post(self, request, kind, row):
        services.contestable_row(user=request.user, kind=kind, pk=row)  # 404 before anything else
        form = RowContestForm(request.POST, request.FILES)
        done = submit(
            request,
            form,
            lambda data: services.row_contest_open(by=request.user, kind=kind, row_id=row, **data),
            _("Thank you. Our team will look at your contest; the decision will be shown here."),
        )
        if done:
            return redirect("portal:contest_detail", done.result.pk)
        return self.get(request, kind, row, form=form, status=400)


_KPI_OF_KIND = {kind: kpi for kpi, kind in selectors.KIND_OF_KPI.items()}


class PortalContestDetailView(PortalRequiredMixin, View):
    """One of the factory's contests: its row, reason, evidence and the decision once taken."""

    def get(self, request, pk):
        contest = selectors.contest_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/contest_detail.html",
            {"contest": contest, "behind_kpi": _KPI_OF_KIND[contest.kind]},
        )
