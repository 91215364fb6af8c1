"""Portal pages of announcements: the factory contact reads what the buyer addressed to its company and marks
each one read (an explicit POST: a GET never records anything)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import PortalRequiredMixin
from core.views import run_service
from core.waiting import waiting_narrow
from partnership.selectors import announcements as selectors
from partnership.services import announcements as services


class PortalAnnouncementListView(PortalRequiredMixin, View):
    """Announcements and market insights addressed to this factory, newest first; unread ones stand out."""

    def get(self, request):
        announcements = waiting_narrow(request, selectors.announcement_list(user=request.user))[:100]
        return render(request, "portal/partnership_announcements.html", {"announcements": announcements})


class PortalAnnouncementDetailView(PortalRequiredMixin, View):
    """One announcement (404 when it is not addressed to this factory, or was withdrawn)."""

    def get(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/partnership_announcement_detail.html",
            {
                "announcement": announcement,
                "read": selectors.announcement_read_by(announcement=announcement, user=request.user),
            },
        )


@require_POST
def portal_announcement_read(request, pk):
    """Mark an announcement as read: the buyer sees the receipt (the first time counts)."""
    if not request.user.is_authenticated or not request.user.is_portal_user:
        raise PermissionDenied
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.announcement_mark_read(announcement=announcement, by=request.user),
        _("Thank you: the buyer sees that you read it."),
    )
    return redirect("portal:announcement_detail", pk=announcement.pk)
