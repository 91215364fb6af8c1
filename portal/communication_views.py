"""Portal pages for check-ins, closures and issues: the factory's side of the conversation."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import PortalRequiredMixin
from communications import selectors, services
from communications.exports import PORTAL_ISSUE_COLUMNS
from communications.forms import ClosureForm, PortalIssueForm, ReplyForm
from communications.models import ActionItem, CheckIn, Closure
from core.exports import export_response
from core.views import run_service, submit
from core.waiting import waiting_narrow


class PortalCheckInsView(PortalRequiredMixin, View):
    """The check-in schedule, upcoming check-ins, shared minutes, our action items and declared closures."""

    def get(self, request, form=None, status=200):
        user = request.user
        held = (
            CheckIn.objects.visible_to(user)
            .filter(status=CheckIn.Status.HELD, shared_with_supplier=True)
            .order_by("-scheduled_at")[:20]
        )
        return render(
            request,
            "portal/checkins.html",
            {
                "schedules": selectors.schedules_for(user=user, supplier=self.supplier),
                "upcoming": waiting_narrow(
                    request,
                    selectors.checkin_list(user=user, filters={"upcoming": True, "status": "scheduled"}),
                )[:50],
                "held": held,
                "items": selectors.action_items_open(user=user),
                "closures": Closure.objects.visible_to(user).filter(ends_on__gte=timezone.localdate()),
                "form": form or ClosureForm(),
                "today": timezone.localdate(),
            },
            status=status,
        )

    def post(self, request):
        """Declare a closure."""
        form = ClosureForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.closure_declare(supplier=self.supplier, by=request.user, **data),
            _("Thank you. Check-ins inside the closure move to the next working day."),
        )
        if done:
            return redirect("portal:checkins")
        return self.get(request, form=form, status=400)


class PortalCheckInDetailView(PortalRequiredMixin, View):
    def get(self, request, pk):
        checkin = selectors.checkin_get(user=request.user, pk=pk)
        return render(
            request, "portal/checkin_detail.html", {"checkin": checkin, "items": checkin.action_items.all()}
        )


@require_POST
def portal_action_item_done(request, pk):
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    run_service(
        request,
        lambda: services.action_item_set_done(item=item, by=request.user, done=item.done_at is None),
        _("Action item updated."),
    )
    return redirect("portal:checkins")


class PortalIssueListView(PortalRequiredMixin, View):
    """Issues both ways, and the form to raise one with the buyer."""

    def get(self, request, form=None, status=200):
        issues = waiting_narrow(request, selectors.issue_list(user=request.user))
        if export := export_response(request, rows=issues, columns=PORTAL_ISSUE_COLUMNS, name="issues"):
            return export
        issues = issues[:200]
        now = timezone.now()
        for issue in issues:
            issue.hours = issue.response_hours(now)
        return render(
            request,
            "portal/issues.html",
            {
                "issues": issues,
                "form": form or PortalIssueForm(supplier=self.supplier),
            },
            status=status,
        )

    def post(self, request):
        form = PortalIssueForm(request.POST, request.FILES, supplier=self.supplier)
        if done := submit(
            request,
            form,
            lambda data: services.issue_raise(supplier=self.supplier, by=request.user, **data),
            _("Issue sent to the buyer."),
        ):
            return redirect("portal:issue_detail", pk=done.result.pk)
        return self.get(request, form=form, status=400)


class PortalIssueDetailView(PortalRequiredMixin, View):
    """An issue's thread; the factory replies (its first reply stops the buyer's clock on it)."""

    def get(self, request, pk, form=None, status=200):
        issue = selectors.issue_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/issue_detail.html",
            {"issue": issue, "form": form or ReplyForm(), "hours": issue.response_hours()},
            status=status,
        )

    def post(self, request, pk):
        issue = selectors.issue_get(user=request.user, pk=pk)
        form = ReplyForm(request.POST, request.FILES)
        if submit(
            request,
            form,
            lambda data: services.issue_reply(issue=issue, by=request.user, **data),
            _("Reply sent."),
        ):
            return redirect("portal:issue_detail", pk=pk)
        return self.get(request, pk, form=form, status=400)
