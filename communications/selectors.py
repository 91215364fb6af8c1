"""Reads of check-ins, the partner's calendar, issues and notifications; all start from visible_to(user)."""

from datetime import date, timedelta

from django.db.models import Count, DateTimeField, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audits.models import Audit
from core.filters import exact_filters
from orders.models import Delivery

from . import calendar
from .models import ActionItem, CheckIn, CheckInSchedule, IssueMessage, Notification, SupplierIssue


def checkin_list(*, user: User, filters: dict | None = None) -> QuerySet[CheckIn]:
    """Return check-ins (upcoming first by default; `status` filters) with their supplier."""
    filters = filters or {}
    queryset = CheckIn.objects.visible_to(user).select_related("supplier", "schedule")
    queryset = queryset.filter(**exact_filters(CheckIn, filters, ("supplier", "status")))
    if filters.get("upcoming"):
        queryset = queryset.filter(scheduled_at__gte=timezone.now() - timedelta(hours=2))
        return queryset.order_by("scheduled_at")
    return queryset.order_by("-scheduled_at")


def checkin_get(*, user: User, pk: int) -> CheckIn:
    """Return one check-in the user may see (minutes not shared stay hidden from the factory), or 404."""
    queryset = CheckIn.objects.visible_to(user).select_related("supplier", "schedule", "recorded_by")
    if user.is_portal_user:
        queryset = queryset.filter(Q(status=CheckIn.Status.SCHEDULED) | Q(shared_with_supplier=True))
    return get_object_or_404(queryset.prefetch_related("action_items"), pk=pk)


def schedules_for(*, user: User, supplier) -> QuerySet[CheckInSchedule]:
    """Return a supplier's check-in schedules with participants."""
    return (
        CheckInSchedule.objects.visible_to(user)
        .filter(supplier=supplier)
        .prefetch_related("staff_participants", "contact_participants")
    )


def action_items_open(*, user: User, supplier=None) -> QuerySet[ActionItem]:
    """Return action items not done yet, soonest due first."""
    queryset = (
        ActionItem.objects.visible_to(user).filter(done_at__isnull=True).select_related("checkin", "supplier")
    )
    if supplier is not None:
        queryset = queryset.filter(supplier=supplier)
    return queryset.order_by("due_on", "pk")


def partner_calendar(*, supplier, start: date, days: int = 90) -> dict:
    """Return the supplier's holidays and closures for the coming days and the deliveries promised on them."""
    end = start + timedelta(days=days)
    off = calendar.days_off(supplier, start, end)
    rest = calendar.weekend(supplier.country)
    deliveries = list(
        Delivery.objects.filter(supplier=supplier, promised_on__gte=start, promised_on__lte=end)
        .exclude(status__in=[Delivery.Status.RECEIVED, Delivery.Status.CANCELLED])
        .select_related("order")
        .order_by("promised_on")
    )
    for delivery in deliveries:
        delivery.day_off = off.get(delivery.promised_on)
        if delivery.day_off is None and delivery.promised_on.weekday() in rest:
            delivery.day_off = calendar.DayOff(delivery.promised_on, _("weekend"), "weekend")
    return {
        "days_off": sorted(off.values(), key=lambda d: d.day),
        "deliveries": deliveries,
        "weekend": sorted(calendar.weekend(supplier.country)),
    }


def last_contact_at(*, supplier_ids=None) -> dict[int, object]:
    """Return, per supplier, the last time we were in touch: a held check-in, a message either way, or a visit
    (a performed audit, counted from the start of its day) (2 queries)."""
    checkins = CheckIn.objects.filter(status=CheckIn.Status.HELD)
    messages = IssueMessage.objects.all()
    visits = Audit.objects.filter(status=Audit.Status.PERFORMED, performed_on__isnull=False)
    if supplier_ids is not None:
        checkins, messages, visits = (
            checkins.filter(supplier_id__in=supplier_ids),
            messages.filter(supplier_id__in=supplier_ids),
            visits.filter(supplier_id__in=supplier_ids),
        )
    # The visits ride along with the messages in one UNION query, so the red-flag scan's query count holds.
    visit_rows = (
        visits.order_by().values("supplier_id").annotate(at=Cast(Max("performed_on"), DateTimeField()))
    )
    result: dict[int, object] = {}
    for rows in (
        checkins.values("supplier_id").annotate(at=Max("held_at")),
        messages.order_by().values("supplier_id").annotate(at=Max("sent_at")).union(visit_rows, all=True),
    ):
        for row in rows:
            if row["at"] and (row["supplier_id"] not in result or row["at"] > result[row["supplier_id"]]):
                result[row["supplier_id"]] = row["at"]
    return result


def issue_list(*, user: User, filters: dict | None = None) -> QuerySet[SupplierIssue]:
    """Return issues with supplier and owner, newest first; `waiting` keeps only those with no reply yet."""
    filters = filters or {}
    queryset = (
        SupplierIssue.objects.visible_to(user)
        .select_related("supplier", "owner")
        .annotate(message_count=Count("messages"))
    )
    queryset = queryset.filter(
        **exact_filters(SupplierIssue, filters, ("supplier", "status", "category", "raised_by_side"))
    )
    if filters.get("waiting"):
        queryset = queryset.filter(first_response_at__isnull=True).exclude(
            status=SupplierIssue.Status.RESOLVED
        )
    return queryset.order_by("-raised_at")


def issue_get(*, user: User, pk: int) -> SupplierIssue:
    """Return one issue with its thread, or 404."""
    return get_object_or_404(
        SupplierIssue.objects.visible_to(user)
        .select_related(
            "supplier", "owner", "raised_by", "order", "delivery", "inspection", "corrective_action"
        )
        .prefetch_related(
            Prefetch("messages", queryset=IssueMessage.objects.order_by("sent_at", "pk")), "escalations"
        ),
        pk=pk,
    )


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """Return the user's notifications, newest first (the daily digest is an email only: it lists these)."""
    return (
        Notification.objects.filter(user=user)
        .exclude(message_key="daily_digest")
        .order_by("-created_at", "-pk")
    )


def unread_count(*, user: User) -> int:
    """Return how many notifications the user has not read (one query)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
