"""The weekly manager scorecard: what it holds (`digest_context`), how it reads (email, text, PDF), when it is due
(Monday 07:00 in each manager's own timezone) and how it goes out exactly once per manager and ISO week
(`digest_outbox.digest_send`, with its lease and retries).
"""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, role_can
from audits.models import Audit
from communications.models import CheckIn
from core.clock import business_timezone, business_today
from core.pdf import render_pdf
from suppliers.models import Segment, Supplier

from . import charts, periods, selectors
from .models import ACTIVE_STAGES, HIGHER_IS_BETTER, DigestPreference, Kpi, KpiSnapshot, RedFlag
from .periods import iso_week

SEND_WEEKDAY, SEND_HOUR = 0, 7  # Monday 07:00, the manager's local time
AUDIT_DAYS, CHECKIN_DAYS = 14, 7
MOVER_COUNT, CHART_SUPPLIER_COUNT = 5, 3
# The digest is a summary, whatever the number of suppliers: the worst few and every supplier with a new or an
# escalated flag in detail (at most DETAIL_LIMIT rows), the rest as counts, and the flags of those suppliers
# listed (at most FLAG_ROWS of each kind) with every flag counted by rule. The full table is one click away (XLSX).
DETAIL_WORST, DETAIL_LIMIT, FLAG_ROWS = 15, 40, 40
HOURS_KPIS = (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME)
EMAIL_KPIS = selectors.SUPPLIER_KPIS
PDF_KPIS = selectors.SUPPLIER_KPIS + selectors.BUYER_KPIS
SEVERITY_ORDER = {RedFlag.Severity.HIGH: 0, RedFlag.Severity.MEDIUM: 1, RedFlag.Severity.LOW: 2}
ISO_WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


# --- Weeks, recipients, what is due ---------------------------------------------------------------------------


def week_monday(week: str) -> date:
    """Return the Monday of an ISO week written like 2026-W48; ValueError when it is no such week."""
    match = ISO_WEEK_PATTERN.match(week or "")
    if not match:
        raise ValueError(f"Not an ISO week like 2026-W48: {week!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def manager_timezone(user: User) -> zoneinfo.ZoneInfo:
    """Return a user's timezone (UTC when the stored name is unknown)."""
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def current_iso_week(user: User, *, now: datetime | None = None) -> str:
    """Return the ISO week it is now in the user's timezone."""
    return iso_week((now or timezone.now()).astimezone(manager_timezone(user)).date())


def digest_recipients() -> QuerySet[User]:
    """Return the users who get the weekly digest: active, in a role that receives it, not opted out."""
    roles = [role for role in Role.values if role_can(role, "digest.receive")]
    return User.objects.filter(role__in=roles, is_active=True).exclude(digest_preference__enabled=False)


# --- What the digest holds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mover:
    """One supplier KPI that moved between the last two weekly snapshots."""

    supplier: Supplier
    kpi: str
    before: Decimal
    after: Decimal
    better: bool

    @property
    def label(self) -> str:
        return Kpi(self.kpi).label

    @property
    def unit(self) -> str:
        return "h" if self.kpi in HOURS_KPIS else "%"

    @property
    def change(self) -> str:
        """Return the change with its sign and unit, e.g. "+4.50 %"."""
        delta = self.after - self.before
        return f"{'+' if delta > 0 else ''}{delta} {self.unit}"


def target_text(kpi: str, target: Decimal) -> str:
    """Return a KPI's target as the comparison it must meet, e.g. "≥ 95 %", "< 1 %", "≤ 24 h"."""
    value = f"{target.normalize():f}"
    if kpi in HOURS_KPIS:
        return f"≤ {value} h"
    return f"≥ {value} %" if kpi in HIGHER_IS_BETTER else f"< {value} %"


def _digest_suppliers(
    manager: User, preference: DigestPreference | None, chosen_ids: list[int]
) -> QuerySet[Supplier]:
    """Return the active suppliers a manager's digest covers: all, or those their preference filters to."""
    suppliers = Supplier.objects.visible_to(manager).filter(stage__in=ACTIVE_STAGES)
    if preference is None:
        return suppliers
    if preference.segment:
        suppliers = suppliers.filter(segment=preference.segment)
    if preference.owner_id:
        suppliers = suppliers.filter(owner_id=preference.owner_id)
    if chosen_ids:
        suppliers = suppliers.filter(pk__in=chosen_ids)
    return suppliers


def _movers(cards, monday: date) -> list[Mover]:
    """Return the supplier KPIs that moved most between last week's snapshot and the week before (one query).

    Ranked by the change as a share of the target, so hours and percentages compare. When last week's
    snapshot is not written yet (the snapshot job runs Monday 00:30 UTC, after Monday 07:00 in East Asia),
    the live value stands in for it: on a Monday both cover the same 90 days.
    """
    by_id = {card.supplier.pk: card for card in cards}
    last_week, week_before = monday - timedelta(days=7), monday - timedelta(days=14)
    rows = KpiSnapshot.objects.filter(
        supplier_id__in=list(by_id),
        kpi__in=EMAIL_KPIS,
        week_start__in=[last_week, week_before],
        value__isnull=False,
    ).values_list("supplier_id", "kpi", "week_start", "value")
    values = {(supplier_id, kpi, week): value for supplier_id, kpi, week, value in rows}
    ranked = []
    for card in cards:
        for kpi in EMAIL_KPIS:
            before = values.get((card.supplier.pk, kpi, week_before))
            after = values.get((card.supplier.pk, kpi, last_week), card.cells[kpi].value.value)
            if before is None or after is None or before == after:
                continue
            target = card.cells[kpi].target or Decimal(1)
            mover = Mover(
                card.supplier, kpi, before, after, better=(after > before) == (kpi in HIGHER_IS_BETTER)
            )
            ranked.append((abs(after - before) / abs(target), mover))
    ranked.sort(key=lambda pair: (-pair[0], pair[1].supplier.name, pair[1].kpi))
    return [mover for _share, mover in ranked[:MOVER_COUNT]]


def _trend_charts(cards, today: date) -> list[dict]:
    """Return 52-week on-time and defect charts for the worst few rated suppliers (one query)."""
    worst = [card for card in cards if card.score is not None][:CHART_SUPPLIER_COUNT]
    if not worst:
        return []
    kpis = (Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE)
    series: dict[tuple[int, str], list] = {}
    snapshots = (
        KpiSnapshot.objects.filter(
            supplier_id__in=[card.supplier.pk for card in worst],
            kpi__in=kpis,
            week_start__gte=today - timedelta(weeks=52),
        )
        .order_by("week_start")
        .values_list("supplier_id", "kpi", "week_start", "value")
    )
    for supplier_id, kpi, week_start, value in snapshots:
        series.setdefault((supplier_id, kpi), []).append((week_start.strftime("%Y-%m-%d"), value))
    return [
        {
            "supplier": card.supplier,
            "charts": [
                {
                    "kpi": Kpi(kpi).label,
                    "svg": charts.line_chart(
                        series.get((card.supplier.pk, kpi), []),
                        target=card.cells[kpi].target,
                        unit="%",
                        title=f"{card.supplier.name}: {Kpi(kpi).label}",
                    ),
                }
                for kpi in kpis
            ],
        }
        for card in worst
        if any((card.supplier.pk, kpi) in series for kpi in kpis)  # no snapshots yet: no chart to draw
    ]


def _rows(cards, kpis) -> list[dict]:
    return [
        {
            "card": card,
            "cells": [
                {"cell": card.cells[kpi], "target": target_text(kpi, card.cells[kpi].target)} for kpi in kpis
            ],
        }
        for card in cards
    ]


def _detail_cards(cards, in_digest: QuerySet[RedFlag], since: datetime) -> list:
    """Return the cards the digest shows in full, worst first: the worst few, then those with news (one query).

    News is a flag raised in the last seven days or an escalated flag still open.
    """
    with_news = set(
        in_digest.filter(Q(raised_at__gte=since) | Q(escalated=True)).values_list("supplier_id", flat=True)
    )
    chosen = {card.supplier.pk for card in cards[:DETAIL_WORST]}
    for card in cards[DETAIL_WORST:]:
        if len(chosen) >= DETAIL_LIMIT:
            break
        if card.supplier.pk in with_news:
            chosen.add(card.supplier.pk)
    return [card for card in cards if card.supplier.pk in chosen]


def _flag_counts(in_digest: QuerySet[RedFlag], since: datetime) -> list[dict]:
    """Return every flag of the digest counted by rule and severity: new this week and older still open."""
    rows = (
        in_digest.values("rule", "severity")
        .annotate(
            new=Count("pk", filter=Q(raised_at__gte=since)), open=Count("pk", filter=Q(raised_at__lt=since))
        )
        .order_by()
    )
    counted = [
        {
            "rule": RedFlag.Rule(row["rule"]).label if row["rule"] in RedFlag.Rule.values else row["rule"],
            "severity": row["severity"],
            "severity_label": RedFlag.Severity(row["severity"]).label
            if row["severity"] in RedFlag.Severity.values
            else row["severity"],
            "new": row["new"],
            "open": row["open"],
        }
        for row in rows
    ]
    counted.sort(
        key=lambda row: (SEVERITY_ORDER.get(row["severity"], 9), -(row["new"] + row["open"]), row["rule"])
    )
    return counted


def full_table_path() -> str:
    """Return the path of the full portfolio table as a spreadsheet (the digest links to it)."""
    return reverse("scorecards:portfolio") + "?export=xlsx"


def digest_context(*, manager: User, iso_week: str, now: datetime | None = None) -> dict:
    """Return what a manager's weekly digest shows for an ISO week, in a constant number of queries.

    The suppliers they oversee (their preference, by default every active supplier), worst first, with KPIs
    against target; the biggest movers; red flags raised in the seven days before the digest and older ones still
    open; audits planned in the next 14 days and check-ins in the next 7. A past week is told as it stood at its
    end.
    """
    tz = manager_timezone(manager)
    monday = week_monday(iso_week)
    week_end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)
    as_of = min(now or timezone.now(), week_end)
    # The KPI day is the business calendar's, as on the pages (core/clock.py); the week is the manager's.
    today = min(business_today(as_of), monday + timedelta(days=6))

    preference = DigestPreference.objects.filter(user=manager).select_related("owner").first()
    chosen_ids = list(preference.suppliers.values_list("pk", flat=True)) if preference else []
    cards = selectors.sort_worst_first(
        selectors.portfolio(
            user=manager, suppliers=_digest_suppliers(manager, preference, chosen_ids), today=today
        )
    )
    ids = [card.supplier.pk for card in cards]

    since = as_of - timedelta(days=7)
    in_digest = (
        RedFlag.objects.filter(supplier_id__in=ids, raised_at__lt=as_of)
        .filter(Q(raised_at__gte=since) | ~Q(state=RedFlag.State.RESOLVED))
        .order_by()
    )
    detail_cards = _detail_cards(cards, in_digest, since)
    detail_ids = [card.supplier.pk for card in detail_cards]
    detail_set = set(detail_ids)
    flags = sorted(
        in_digest.filter(supplier_id__in=detail_ids).select_related("supplier", "owner"),
        key=lambda flag: (
            SEVERITY_ORDER.get(flag.severity, 9),
            flag.supplier.name,
            -flag.raised_at.timestamp(),
        ),
    )
    new_flags = [flag for flag in flags if flag.raised_at >= since]
    open_flags = [flag for flag in flags if flag.raised_at < since]
    flag_counts = _flag_counts(in_digest, since)
    rest = [card for card in cards if card.supplier.pk not in detail_set]
    audits = list(
        Audit.objects.filter(
            supplier_id__in=ids,
            status=Audit.Status.PLANNED,
            planned_on__gte=today,
            planned_on__lte=today + timedelta(days=AUDIT_DAYS),
        )
        .select_related("supplier", "lead_auditor")
        .order_by("planned_on", "supplier__name")
    )
    checkins = list(
        CheckIn.objects.filter(
            supplier_id__in=ids,
            status=CheckIn.Status.SCHEDULED,
            scheduled_at__gte=as_of,
            scheduled_at__lt=as_of + timedelta(days=CHECKIN_DAYS),
        )
        .select_related("supplier")
        .order_by("scheduled_at", "supplier__name")
    )
    missed = [card for card in cards if card.misses_own_target]
    base_url = settings.FORGELINE_BASE_URL.rstrip("/")
    return {
        "manager": manager,
        "iso_week": iso_week,
        "monday": monday,
        "today": today,
        "timezone_name": str(tz),
        "business_timezone_name": str(business_timezone()),  # the calendar `today` is a day of
        "preference": preference,
        "chosen_count": len(chosen_ids),
        "segment_label": Segment(preference.segment).label
        if preference and preference.segment in Segment.values
        else "",
        "cards": cards,
        "detail_cards": detail_cards,
        "rows": _rows(detail_cards, EMAIL_KPIS),
        "pdf_rows": _rows(detail_cards, PDF_KPIS),
        "rest": {
            "count": len(rest),
            "on_target": sum(1 for card in rest if card.score is not None and not card.misses_own_target),
            "below_target": sum(1 for card in rest if card.misses_own_target),
            "unrated": sum(1 for card in rest if card.score is None and not card.misses_own_target),
        },
        "kpis": [Kpi(kpi) for kpi in EMAIL_KPIS],
        "pdf_kpis": [Kpi(kpi) for kpi in PDF_KPIS],
        "window_start": periods.rolling(today).start,
        "missed_count": len(missed),
        "unrated_count": sum(1 for card in cards if card.score is None),
        "movers": _movers(cards, monday),
        "new_flags": new_flags[:FLAG_ROWS],
        "open_flags": open_flags[:FLAG_ROWS],
        "new_flag_count": sum(row["new"] for row in flag_counts),
        "open_flag_count": sum(row["open"] for row in flag_counts),
        "flags_not_listed": sum(row["new"] + row["open"] for row in flag_counts)
        - len(new_flags[:FLAG_ROWS])
        - len(open_flags[:FLAG_ROWS]),
        "flag_counts": flag_counts,
        "audits": audits,
        "checkins": checkins,
        "audit_days": AUDIT_DAYS,
        "checkin_days": CHECKIN_DAYS,
        "trend_charts": _trend_charts(cards, today),
        "base_url": base_url,
        "portfolio_url": base_url + reverse("scorecards:portfolio"),
        "full_table_url": base_url + full_table_path(),
        "flags_url": base_url + reverse("scorecards:flag_list"),
        "preferences_url": base_url + reverse("scorecards:digest_preferences"),
        "generated_at": as_of,
    }


# --- How it reads ---------------------------------------------------------------------------------------------


def digest_render(context: dict) -> tuple[str, str, str]:
    """Return the subject, text body and HTML body of a digest, in the manager's language and timezone."""
    manager = context["manager"]
    with translation.override(manager.language), timezone.override(context["timezone_name"]):
        subject = _("Forgeline weekly scorecard — %(week)s") % {"week": context["iso_week"]}
        text = render_to_string("emails/weekly_digest.txt", context)
        html = render_to_string("emails/weekly_digest.html", context)
    return subject, text, html


def digest_pdf(context: dict) -> bytes:
    """Return the digest's scorecard PDF (through render_pdf and its static-only URL fetcher)."""
    with translation.override(context["manager"].language), timezone.override(context["timezone_name"]):
        return render_pdf(template_name="pdf/weekly_scorecard.html", context=context)


def digest_pdf_filename(week: str) -> str:
    """Return the attachment name of a week's scorecard PDF."""
    return f"scorecard-{week}.pdf"


def digest_message(*, manager: User, iso_week: str, now: datetime | None = None) -> EmailMultiAlternatives:
    """Build a manager's weekly digest email: text, HTML alternative and the scorecard PDF attached."""
    context = digest_context(manager=manager, iso_week=iso_week, now=now)
    subject, text, html = digest_render(context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[manager.email])
    message.attach_alternative(html, "text/html")
    message.attach(digest_pdf_filename(iso_week), digest_pdf(context), "application/pdf")
    return message


# --- Preferences ----------------------------------------------------------------------------------------------
