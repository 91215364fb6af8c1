"""Contests of scorecard rows, on the staff side: the list (open first) and one contest with its decision."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, submit
from core.waiting import waiting_narrow

from ..contests import selectors, services
from ..contests.forms import ContestDecisionForm
from ..contests.models import RowContest


class ContestListView(StaffRequiredMixin, View):
    """Every contest the factories opened, the open ones first; filtered by status and row kind."""

    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("status", "kind")}
        contests = waiting_narrow(request, selectors.contest_list(user=request.user, filters=filters))
        page, query = paginate(request, contests)
        return render(
            request,
            "scorecards/contest_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "statuses": RowContest.Status.choices,
                "kinds": RowContest.Kind.choices,
            },
        )


class ContestDetailView(StaffRequiredMixin, View):
    """One contest: the row, the factory's reason and evidence, and the manager's decision."""

    def get(self, request, pk, form=None, status=200):
        contest = selectors.contest_get(user=request.user, pk=pk)
        return render(
            request,
            "scorecards/contest_detail.html",
            {"contest": contest, "form": form or ContestDecisionForm(contest=contest)},
            status=status,
        )

    def post(self, request, pk):
        require_staff(request, services.DECIDE_CAPABILITY)
        contest = selectors.contest_get(user=request.user, pk=pk)
        form = ContestDecisionForm(request.POST, contest=contest)

        def decide(data):
            if data["decision"] == "accept":
                return services.row_contest_accept(
                    contest=contest,
                    by=request.user,
                    note=data["note"],
                    outcome=data.get("outcome") or RowContest.Outcome.EXCUSED,
                    corrected_defective_units=data.get("corrected_defective_units"),
                )
            return services.row_contest_reject(contest=contest, by=request.user, note=data["note"])

        try:
            if submit(request, form, decide, _("Decision recorded; the factory is told.")):
                return redirect(contest)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        return self.get(request, pk, form=form, status=400)
