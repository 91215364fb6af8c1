"""One "today" for everything the KPIs touch (pages, the portal, the API, the weekly email and its PDF, pilot
evaluations, red-flag scans, snapshots, the late and overdue marks on lists).

The rule: a KPI window ends on `business_today()`, the date on the business calendar — the timezone
FORGELINE_BUSINESS_TIMEZONE (by default TIME_ZONE) — whoever looks and whatever their own timezone, so a page
and the PDF mailed minutes later cut the same period. A team that works at UTC+7 sets it to Asia/Ho_Chi_Minh:
its day's entries then count the same day instead of the next UTC midnight. Dates a person types, or sees
proposed in a form, are their own local date (`timezone.localdate()` under the timezone the middleware activated).
"""

import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def business_timezone() -> zoneinfo.ZoneInfo:
    """Return the timezone of the business calendar KPI windows are cut on."""
    return zoneinfo.ZoneInfo(getattr(settings, "FORGELINE_BUSINESS_TIMEZONE", "") or settings.TIME_ZONE)


def business_today(now: datetime | None = None) -> date:
    """Return today on the business calendar (at `now`, by default the present moment)."""
    return (now or timezone.now()).astimezone(business_timezone()).date()
