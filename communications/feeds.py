"""Calendar feeds (iCalendar, RFC 5545) and check-in invitations (.ics).

A user's private feed holds, for the suppliers they look after (staff) or for their own company (a factory
contact): check-ins at their time in the supplier's timezone, with the reason one moved; deliveries due; planned
announced audits (never an unannounced one); corrective actions due (factory contacts); the partner's public
holidays and closures (staff). Every event has a UID that never changes for the thing it stands for, and a
check-in's SEQUENCE grows each time it moves, so a calendar that already has the event moves it.
"""

import zoneinfo
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from accounts.models import User
from accounts.selectors import calendar_feed_by_token
from audits.models import Audit, CorrectiveAction
from orders.models import Delivery
from suppliers.models import Supplier

from . import calendar
from .models import CheckIn, CheckInSchedule, Closure

# The feed covers this window around today: enough to plan, small enough for a calendar app to poll.
PAST_DAYS = 30
AHEAD_DAYS = 180
CHECKIN_MINUTES = 30
PRODUCT_ID = "-//Forgeline//Supplier relationship calendar//EN"


def uid_domain() -> str:
    """Return the right-hand side of every UID: this installation's host name (stable, unlike a request's host)."""
    return urlsplit(settings.FORGELINE_BASE_URL).hostname or "forgeline"


def checkin_uid(checkin: CheckIn) -> str:
    """Return a check-in's UID: by schedule and date by the cadence, which survive the occurrence being moved or
    regenerated (a one-off check-in is named by its id)."""
    if checkin.schedule_id:
        return f"checkin-{checkin.schedule_id}-{checkin.original_date:%Y%m%d}@{uid_domain()}"
    return f"checkin-{checkin.pk}@{uid_domain()}"


def _url(path: str) -> str:
    return settings.FORGELINE_BASE_URL.rstrip("/") + path


def new_calendar(name: str) -> Calendar:
    """Return an empty calendar with the properties every client expects."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def checkin_event(checkin: CheckIn, *, for_user: User, stamp: datetime) -> Event:
    """Return a check-in as an event at its time in the supplier's timezone, with why it moved."""
    supplier = checkin.supplier
    start = checkin.scheduled_at.astimezone(zoneinfo.ZoneInfo(supplier.timezone))
    event = Event()
    event.add("uid", checkin_uid(checkin))
    event.add("dtstamp", stamp)
    event.add("sequence", checkin.sequence)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=CHECKIN_MINUTES))
    if for_user.is_portal_user:
        event.add("summary", _("Check-in with %(company)s") % {"company": settings.FORGELINE_COMPANY_NAME})
        path = reverse("portal:checkin_detail", args=[checkin.pk])
    else:
        event.add("summary", _("Check-in with %(supplier)s") % {"supplier": supplier.name})
        path = reverse("communications:checkin_detail", args=[checkin.pk])
    lines = []
    if checkin.moved_reason:
        lines.append(checkin.moved_note())
    if checkin.schedule_id:
        lines.append(checkin.schedule.get_channel_display())
    lines.append(_url(path))
    event.add("description", "\n".join(lines))
    event.add("url", _url(path))
    event.add("status", "CANCELLED" if checkin.status == CheckIn.Status.CANCELLED else "CONFIRMED")
    return event


def _all_day(uid: str, day: date, summary: str, *, stamp: datetime, last_day: date | None = None, url=""):
    event = Event()
    event.add("uid", f"{uid}@{uid_domain()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", (last_day or day) + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a reminder of a date, not a meeting that makes one busy
    if url:
        event.add("url", _url(url))
        event.add("description", _url(url))
    return event


# --- What a user's feed holds ---------------------------------------------------------------------------------


def feed_suppliers(user: User) -> QuerySet[Supplier]:
    """Return the suppliers whose dates go in a user's feed: a factory contact's own company; for staff, the
    suppliers they own or are the project manager or QC lead of."""
    if user.is_portal_user:
        return Supplier.objects.visible_to(user)
    return Supplier.objects.visible_to(user).filter(Q(owner=user) | Q(project_manager=user) | Q(qc_lead=user))


def feed_calendar(*, user: User, today: date, now: datetime | None = None) -> Calendar:
    """Return a user's feed as a calendar, in their language (a bounded number of queries, whatever its size)."""
    now = now or timezone.now()
    start, end = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    suppliers = list(feed_suppliers(user).only("pk", "name", "country", "timezone"))
    supplier_ids = [s.pk for s in suppliers]
    cal = new_calendar(_("Forgeline: %(name)s") % {"name": user.full_name or user.email})

    # Staff also see the check-ins they take part in with suppliers they do not look after.
    mine = Q(supplier_id__in=supplier_ids)
    if not user.is_portal_user:
        mine |= Q(schedule__in=CheckInSchedule.objects.filter(staff_participants=user).values("pk"))
    checkins = (
        CheckIn.objects.visible_to(user)
        .filter(mine, date__gte=start, date__lte=end)
        .exclude(status=CheckIn.Status.CANCELLED)
        .select_related("supplier", "schedule")
        .order_by("scheduled_at")
    )
    for checkin in checkins:
        cal.add_component(checkin_event(checkin, for_user=user, stamp=now))

    deliveries = (
        Delivery.objects.visible_to(user)
        .filter(supplier_id__in=supplier_ids, promised_on__gte=start, promised_on__lte=end)
        .exclude(status__in=[Delivery.Status.RECEIVED, Delivery.Status.CANCELLED])
        .select_related("order", "supplier")
    )
    for delivery in deliveries:
        label = f"{delivery.order.number}/{delivery.sequence}"
        summary = (
            _("Delivery due: %(delivery)s") % {"delivery": label}
            if user.is_portal_user
            else _("Delivery due: %(delivery)s from %(supplier)s")
            % {"delivery": label, "supplier": delivery.supplier.name}
        )
        path = reverse(
            "portal:order_detail" if user.is_portal_user else "orders:detail", args=[delivery.order_id]
        )
        cal.add_component(
            _all_day(f"delivery-{delivery.pk}", delivery.promised_on, summary, stamp=now, url=path)
        )

    # Only announced audits, for everyone: the feed is a link that may be forwarded, and an unannounced audit
    # must never reach the factory before it happens.
    audits = (
        Audit.objects.visible_to(user)
        .filter(
            supplier_id__in=supplier_ids,
            announced=True,
            status=Audit.Status.PLANNED,
            planned_on__gte=start,
            planned_on__lte=end,
        )
        .select_related("supplier")
    )
    for audit in audits:
        summary = _("%(type)s audit") % {"type": audit.get_audit_type_display()}
        if not user.is_portal_user:
            summary = f"{summary}: {audit.supplier.name}"
        path = reverse(
            "portal:audit_detail" if user.is_portal_user else "audits:audit_detail", args=[audit.pk]
        )
        cal.add_component(_all_day(f"audit-{audit.pk}", audit.planned_on, summary, stamp=now, url=path))

    if user.is_portal_user:
        actions = (
            CorrectiveAction.objects.visible_to(user)
            .filter(supplier_id__in=supplier_ids, due_on__gte=start, due_on__lte=end)
            .exclude(status=CorrectiveAction.Status.VERIFIED)
        )
        for action in actions:
            summary = _("Corrective action due: %(title)s") % {"title": action.title}
            path = reverse("portal:capa_detail", args=[action.pk])
            cal.add_component(_all_day(f"capa-{action.pk}", action.due_on, summary, stamp=now, url=path))
    else:
        _add_days_off(cal, suppliers, start, end, stamp=now)

    cal.add_missing_timezones()
    return cal


def _add_days_off(
    cal: Calendar, suppliers: list[Supplier], start: date, end: date, *, stamp: datetime
) -> None:
    """Add the suppliers' public holidays (once per country) and declared closures."""
    by_country: dict[str, list[str]] = {}
    for supplier in suppliers:
        by_country.setdefault(str(supplier.country), []).append(supplier.name)
    for country, names in sorted(by_country.items()):
        for day_off in calendar.public_holidays(country, start, end):
            summary = _("Holiday (%(suppliers)s): %(reason)s") % {
                "suppliers": ", ".join(sorted(names)[:3]) + ("…" if len(names) > 3 else ""),
                "reason": day_off.reason,
            }
            cal.add_component(
                _all_day(f"holiday-{country}-{day_off.day:%Y%m%d}", day_off.day, summary, stamp=stamp)
            )
    closures = Closure.objects.filter(
        supplier__in=[s.pk for s in suppliers], ends_on__gte=start, starts_on__lte=end
    ).select_related("supplier")
    for closure in closures:
        summary = _("%(supplier)s closed: %(reason)s") % {
            "supplier": closure.supplier.name,
            "reason": closure.reason,
        }
        cal.add_component(
            _all_day(
                f"closure-{closure.pk}", closure.starts_on, summary, stamp=stamp, last_day=closure.ends_on
            )
        )


# --- A check-in invitation (.ics attachment) -------------------------------------------------------------------


def checkin_invitation(*, checkin: CheckIn, user: User) -> bytes:
    """Return the .ics file of one check-in for a participant (METHOD:PUBLISH, the same UID as in the feed)."""
    cal = new_calendar(_("Check-in"))
    cal.add("method", "PUBLISH")
    cal.add_component(checkin_event(checkin, for_user=user, stamp=timezone.now()))
    cal.add_missing_timezones()
    return cal.to_ical()


# --- The feed's URL --------------------------------------------------------------------------------------------


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token: str):
    """Serve a user's private feed to whoever holds its address (a calendar app: no session, no sign-in).

    Nothing is written on the way (GET never writes): not even when the feed was last read."""
    feed = calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    user = feed.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = feed_calendar(user=user, today=timezone.localdate()).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="forgeline.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
