"""Disruptions a manager declares, and the deliveries they (or the buyer's own changes) excuse from on-time delivery.

The seeds ask the buyer to "be understanding of genuine disruptions (e.g., weather, supply chain issues)": a
typhoon that closed the ports is not the factory's lateness. An excused delivery stays on the scorecard, counted
apart with who excused it and why; only the on-time KPI (and so its red flags) leaves it out.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from core.clock import business_today
from core.inputs import DATE_BOUNDS, check_bounds, single_line
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import Delivery, Disruption, DisruptionCause, OrderChange


@transaction.atomic
def disruption_declare(
    *,
    by: User,
    title: str,
    cause: str,
    region: str,
    starts_on: date,
    ends_on: date,
    suppliers,
    description: str = "",
) -> Disruption:
    """Declare a disruption for a region or port and a period, linked to the suppliers it hit."""
    require_capability(by, "disruption.declare")
    title, region = single_line(title).strip(), single_line(region).strip()
    errors = {}
    if not title:
        errors["title"] = _("Name the disruption, e.g. “Typhoon Koinu”.")
    if not region:
        errors["region"] = _("Say which region or port it closed.")
    if cause not in DisruptionCause.values or cause == DisruptionCause.BUYER_CHANGE:
        errors["cause"] = _("Choose what caused it (a buyer's change is excused delivery by delivery).")
    check_bounds("starts_on", starts_on, DATE_BOUNDS)
    check_bounds("ends_on", ends_on, DATE_BOUNDS)
    if ends_on < starts_on:
        errors["ends_on"] = _("A disruption ends on or after the day it starts.")
    if (ends_on - starts_on).days > 366:
        errors["ends_on"] = _("A disruption lasts a year at most; declare a new one after that.")
    suppliers = list(suppliers)
    if not suppliers:
        errors["suppliers"] = _("Link at least one supplier it hit.")
    if errors:
        raise ValidationError(errors)
    disruption = Disruption.objects.create(
        title=title,
        cause=cause,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        declared_by=by,
    )
    disruption.suppliers.set(suppliers)
    for supplier in suppliers:
        activity_record(
            supplier=supplier,
            actor=by,
            target=disruption,
            kind=ActivityKind.DISRUPTION_DECLARED,
            detail=str(disruption)[:300],
            url=disruption.get_absolute_url(),
        )
    return disruption


def disruption_hits(disruption: Disruption, delivery: Delivery) -> bool:
    """Tell whether a delivery is one the disruption may excuse: its supplier linked, promised in or after it."""
    last_day = disruption.ends_on + timedelta(days=Disruption.AFTERMATH_DAYS)
    return (
        disruption.suppliers.filter(pk=delivery.supplier_id).exists()
        and disruption.starts_on <= delivery.promised_on <= last_day
    )


def buyer_changed(delivery: Delivery) -> bool:
    """Tell whether the buyer changed the delivery's order after sending it (quantity, date, cancellation)."""
    return OrderChange.objects.filter(order_id=delivery.order_id).exists()


@transaction.atomic
def delivery_excuse(
    *,
    delivery: Delivery,
    by: User,
    reason: str,
    disruption: Disruption | None = None,
    contest_accepted: bool = False,
) -> Delivery:
    """Excuse a delivery from on-time delivery: hit by a declared disruption, by the buyer's own change, or late
    for a reason the factory showed in a contest the manager accepted (`contest_accepted`, scorecards' contests)."""
    require_capability(by, "delivery.excuse")
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    reason = single_line(reason).strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why this delivery is excused; the factory and the scorecard show it.")}
        )
    if delivery.excused_at is not None:
        raise ValidationError(_("This delivery is already excused."))
    if delivery.status == Delivery.Status.CANCELLED:
        raise ValidationError(_("A cancelled delivery does not count; there is nothing to excuse."))
    if not delivery.is_late(business_today()):
        raise ValidationError(_("This delivery is not late; there is nothing to excuse."))
    if disruption is not None:
        if not disruption_hits(disruption, delivery):
            raise ValidationError(
                {
                    "disruption": _(
                        "This disruption did not hit this delivery: its supplier is not linked, or the delivery "
                        "was promised before it started or more than %(days)s days after it ended."
                    )
                    % {"days": Disruption.AFTERMATH_DAYS}
                }
            )
    elif not contest_accepted and not buyer_changed(delivery):
        raise ValidationError(
            _(
                "Only a delivery hit by a declared disruption or by our own change to the order can be excused."
            )
        )
    delivery.excused_at = timezone.now()
    delivery.excused_by = by
    delivery.excuse_reason = reason[:300]
    delivery.excuse_disruption = disruption
    delivery.save(update_fields=["excused_at", "excused_by", "excuse_reason", "excuse_disruption"])
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=ActivityKind.DELIVERY_EXCUSED,
        detail=f"{delivery}: {reason}"[:300],
        url=delivery.get_absolute_url(),
    )
    red_flags_request_check(delivery.supplier_id)
    return delivery


@transaction.atomic
def delivery_excuse_withdraw(*, delivery: Delivery, by: User, reason: str) -> Delivery:
    """Withdraw an excuse given by mistake: the delivery counts for on-time delivery again."""
    require_capability(by, "delivery.excuse")
    reason = single_line(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the excuse is withdrawn.")})
    won = Delivery.objects.filter(pk=delivery.pk, excused_at__isnull=False).update(
        excused_at=None, excused_by=None, excuse_reason="", excuse_disruption=None
    )
    if not won:
        raise ValidationError(_("This delivery is not excused."))
    delivery.refresh_from_db()
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=ActivityKind.DELIVERY_EXCUSE_WITHDRAWN,
        detail=f"{delivery}: {reason}"[:300],
        url=delivery.get_absolute_url(),
    )
    red_flags_request_check(delivery.supplier_id)
    return delivery


def disruption_deliveries(disruption: Disruption) -> list[Delivery]:
    """Return the deliveries a disruption may excuse (its linked suppliers', promised in or after it), each with
    `late` set: only a late one can be excused."""
    last_day = disruption.ends_on + timedelta(days=Disruption.AFTERMATH_DAYS)
    today = business_today()
    deliveries = list(
        Delivery.objects.filter(
            supplier__in=Supplier.objects.filter(disruptions=disruption),
            promised_on__gte=disruption.starts_on,
            promised_on__lte=last_day,
        )
        .exclude(status=Delivery.Status.CANCELLED)
        .select_related("order", "supplier", "excused_by")
        .order_by("supplier__name", "promised_on", "pk")
    )
    for delivery in deliveries:
        delivery.late = delivery.is_late(today)
    return deliveries
