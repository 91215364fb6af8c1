"""The issue lists' columns (staff and portal), for their pages and their CSV/XLSX exports (core/exports.py)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display


def _response_clock(issue) -> str:
    hours = issue.response_hours(timezone.now())
    if issue.first_response_at:
        return gettext("answered in %(h)s h") % {"h": hours}
    return gettext("%(h)s h, no reply") % {"h": hours}


ISSUE_COLUMNS = [
    Column(_("Issue"), attr("subject")),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Raised"), attr("raised_at"), "datetime"),
    Column(_("Response clock"), _response_clock),
    Column(_("Status"), display("status")),
    Column(_("Owner"), lambda issue: str(issue.owner) if issue.owner else ""),
]

PORTAL_ISSUE_COLUMNS = [
    Column(_("Issue"), attr("subject")),
    Column(_("Raised"), attr("raised_at"), "datetime"),
    Column(_("Status"), display("status")),
]
