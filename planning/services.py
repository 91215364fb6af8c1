"""Every write of demand planning: the buyer publishes a forecast version, the factory answers it per month."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability, require_own_supplier
from core.clock import business_today
from core.dates import add_months
from core.inputs import MAX_QUANTITY, single_line
from core.workflow_events import workflow_emit
from suppliers.models import ProductCategory, Supplier
from suppliers.triggers import red_flags_request_check

from .models import CapacityAnswer, Confidence, Forecast, ForecastLine
from .months import month_start
from .rules import HORIZON_MONTHS, MAX_LINES

PUBLISH = "forecast.publish"


def _clean_line(raw: dict, *, first: object, last: object, number: int) -> ForecastLine:
    """Return an unsaved line from a dict of month, sku or category, quantity, unit, confidence; refuse bad values."""
    where = _("Line %(n)s") % {"n": number}
    month = raw.get("month")
    if month is None:
        raise ValidationError(_("%(where)s: give the month.") % {"where": where})
    month = month_start(month)
    if month < first:
        raise ValidationError(
            _("%(where)s: %(month)s is a past month; a forecast looks ahead.")
            % {"where": where, "month": f"{month:%Y-%m}"}
        )
    if month > last:
        raise ValidationError(
            _("%(where)s: %(month)s is more than %(n)s months ahead.")
            % {"where": where, "month": f"{month:%Y-%m}", "n": HORIZON_MONTHS}
        )
    sku = single_line(raw.get("sku") or "")[:64]
    category = raw.get("category")
    if isinstance(category, int):
        category = ProductCategory.objects.filter(pk=category).first()
    if bool(sku) == bool(category):
        raise ValidationError(
            _("%(where)s: name a SKU or a product category (one of the two).") % {"where": where}
        )
    quantity = raw.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(
            _("%(where)s: the quantity must be a whole number from 1 to %(max)s.")
            % {"where": where, "max": MAX_QUANTITY}
        )
    confidence = raw.get("confidence") or Confidence.LIKELY
    if confidence not in Confidence.values:
        raise ValidationError(_("%(where)s: choose firm, likely or indicative.") % {"where": where})
    unit = single_line(raw.get("unit") or "pcs")[:20] or "pcs"
    return ForecastLine(
        month=month, sku=sku, category=category or None, quantity=quantity, unit=unit, confidence=confidence
    )


@transaction.atomic
def forecast_publish(*, supplier: Supplier, by: User, lines: list[dict], note: str = "") -> Forecast:
    """Publish a new version of the supplier's rolling forecast; the previous version stays readable."""
    require_capability(by, PUBLISH)
    if not lines:
        raise ValidationError(_("Add at least one forecast line."))
    if len(lines) > MAX_LINES:
        raise ValidationError(_("A forecast holds at most %(n)s lines.") % {"n": MAX_LINES})
    today = business_today()
    first = month_start(today)
    last = add_months(first, HORIZON_MONTHS)
    cleaned = [_clean_line(raw, first=first, last=last, number=n) for n, raw in enumerate(lines, start=1)]
    seen = set()
    for line in cleaned:
        if line.key in seen:
            raise ValidationError(
                _("%(item)s appears twice for %(month)s; give one quantity per month.")
                % {"item": line.item, "month": f"{line.month:%Y-%m}"}
            )
        seen.add(line.key)
    # Lock the supplier row so two buyers publishing at once get versions n and n+1, not the same number twice.
    Supplier.objects.select_for_update().filter(pk=supplier.pk).first()
    previous = (
        Forecast.objects.filter(supplier=supplier).order_by("-version").values_list("version", flat=True)
    )
    forecast = Forecast.objects.create(
        supplier=supplier,
        version=(previous.first() or 0) + 1,
        published_on=today,
        published_at=timezone.now(),
        published_by=by,
        note=note.strip(),
    )
    for line in cleaned:
        line.forecast = forecast
    ForecastLine.objects.bulk_create(cleaned)
    workflow_emit("forecast_published", forecast=forecast, by=by)
    # The supplier's stored two-way card figures (forecast accuracy of the months ahead) read the new version.
    red_flags_request_check(supplier.pk)
    return forecast


@transaction.atomic
def capacity_answer(
    *, forecast: Forecast, by: User, month, status: str, committed_quantity: int, reason: str = ""
) -> CapacityAnswer:
    """Record (or replace) the factory's answer to one month of the newest forecast: a commitment or a shortfall."""
    if not by.is_portal_user:
        raise PermissionDenied(_("The factory answers its forecast."))
    require_own_supplier(by, forecast.supplier_id)
    newest = Forecast.objects.filter(supplier_id=forecast.supplier_id).order_by("-version").first()
    if newest.pk != forecast.pk:
        raise ValidationError(
            _("Version %(old)s was replaced by version %(new)s; answer the newest one.")
            % {"old": forecast.version, "new": newest.version}
        )
    if month is None:
        raise ValidationError({"month": _("Choose a month of the forecast.")})
    month = month_start(month)
    if not forecast.lines.filter(month=month).exists():
        raise ValidationError(
            {"month": _("This forecast has no line for %(month)s.") % {"month": f"{month:%Y-%m}"}}
        )
    if status not in CapacityAnswer.Status.values:
        raise ValidationError({"status": _("Choose a commitment or a shortfall.")})
    if isinstance(committed_quantity, bool) or not isinstance(committed_quantity, int):
        raise ValidationError({"committed_quantity": _("Give the capacity as a whole number.")})
    if not 0 <= committed_quantity <= MAX_QUANTITY:
        raise ValidationError(
            {"committed_quantity": _("The capacity must be from 0 to %(max)s.") % {"max": MAX_QUANTITY}}
        )
    reason = (reason or "").strip()
    if status == CapacityAnswer.Status.SHORTFALL and not reason:
        raise ValidationError({"reason": _("Say why the factory cannot make the full quantity.")})
    answer, _created = CapacityAnswer.objects.update_or_create(
        forecast=forecast,
        month=month,
        defaults={
            "status": status,
            "committed_quantity": committed_quantity,
            "reason": reason,
            "answered_by": by,
            "answered_at": timezone.now(),
        },
    )
    workflow_emit("forecast_answered", answer=answer, by=by)
    return answer
