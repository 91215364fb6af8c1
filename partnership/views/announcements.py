"""Staff pages of announcements: the list, publishing one, one with its read receipts, withdrawing it."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, run_service, submit

from ..forms.announcements import AnnouncementForm
from ..models import Announcement
from ..selectors import announcements as selectors
from ..services import announcements as services


class AnnouncementListView(StaffRequiredMixin, View):
    """Announcements and market insights published to suppliers, newest first, with how many contacts read each."""

    def get(self, request):
        kind = request.GET.get("kind", "")
        page, query = paginate(request, selectors.announcement_list(user=request.user, kind=kind))
        return render(
            request,
            "partnership/announcements/list.html",
            {
                "page": page,
                "query": query,
                "kind": kind,
                "kinds": Announcement.Kind.choices,
                "can_publish": request.user.can(services.PUBLISH),
            },
        )


class AnnouncementCreateView(StaffRequiredMixin, View):
    """Write an announcement, choose its audience and publish it."""

    capability = services.PUBLISH

    def get(self, request):
        return self.render(AnnouncementForm(user=request.user))

    def post(self, request):
        form = AnnouncementForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.announcement_publish(by=request.user, **data),
            _("Published: the factory contacts of each supplier in the audience were notified."),
        )
        if done:
            return redirect(done.result)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "partnership/announcements/form.html", {"form": form}, status=status)


class AnnouncementDetailView(StaffRequiredMixin, View):
    """One announcement with who read it and who has not, per supplier and contact."""

    def get(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        receipts = selectors.announcement_receipts(announcement=announcement)
        return render(
            request,
            "partnership/announcements/detail.html",
            {
                "announcement": announcement,
                "receipts": receipts,
                "read_suppliers": sum(1 for row in receipts if row.any_read),
                "can_publish": request.user.can(services.PUBLISH),
            },
        )


@require_POST
def announcement_withdraw(request, pk):
    """Withdraw an announcement: it leaves the portal."""
    require_staff(request, services.PUBLISH)
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.announcement_withdraw(announcement=announcement, by=request.user),
        _("Withdrawn: suppliers no longer see this announcement."),
    )
    return redirect(announcement)
