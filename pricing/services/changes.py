"""Justified price changes: the factory asks, with a reason and evidence; the buyer accepts, counters or refuses.

An accepted change (or a counter the factory accepted) becomes a new agreement version of each SKU from its
effective date, in one transaction. Every answer is a conditional update, so of two answers exactly one wins.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.permissions import require_own_supplier as _require_own
from core.inputs import DATE_BOUNDS, check_bounds
from core.money import check_decimals
from suppliers.models import ActivityKind
from suppliers.services import activity_record

from ..models import MAX_PRICE, PriceAgreement, PriceChangeDocument, PriceChangeItem, PriceChangeRequest
from .agreements import EDIT, _new_version

MAX_ITEMS = 200
MAX_DOCUMENTS = 10
BREAKDOWN_FIELDS = ("material", "labour", "overhead", "margin")


def _require_factory(by: User, change_or_supplier_id) -> None:
    if not by.is_portal_user:
        raise PermissionDenied(_("Only the factory asks for a price change or answers a counter."))
    _require_own(by, change_or_supplier_id)


def check_breakdown(values: dict, currency: str) -> dict:
    """Return the cost-breakdown amounts given (material, labour, overhead, margin), each checked."""
    found = {}
    for name in BREAKDOWN_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if value < 0 or value > MAX_PRICE:
            raise ValidationError({name: _("Give an amount from 0 to %(max)s.") % {"max": MAX_PRICE}})
        check_decimals(value, currency, field=name)
        found[name] = value
    return found


def _record(change: PriceChangeRequest, *, by: User, kind: str, detail: str) -> None:
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=kind,
        detail=f"PCR-{change.pk}: {detail}",
        url=change.get_absolute_url(),
    )


@transaction.atomic
def price_change_request(
    *,
    by: User,
    items: list[dict],
    effective_on: date,
    reason_category: str,
    explanation: str,
    index_reference: str = "",
    breakdown: dict | None = None,
    documents: list | None = None,
) -> PriceChangeRequest:
    """The factory asks to change the price of one or more SKUs from a date, with a reason and its evidence.

    `items` = [{"agreement": PriceAgreement, "new_price": Decimal}]; each agreement is the factory's own and in
    force on the effective date. `breakdown` holds material, labour, overhead and margin amounts (any of them).
    """
    if not by.is_portal_user or by.supplier_id is None:
        raise PermissionDenied(_("Only the factory asks for a price change."))
    supplier_id = by.supplier_id
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Explain why the price must change; the buyer reads it.")})
    check_bounds("effective_on", effective_on, DATE_BOUNDS)
    if effective_on < timezone.localdate():
        raise ValidationError({"effective_on": _("A new price cannot take effect in the past.")})
    if not items:
        raise ValidationError(_("Choose at least one SKU and its new price."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(_("A request holds at most %(max)s SKUs.") % {"max": MAX_ITEMS})
    documents = list(documents or [])
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError({"documents": _("Attach at most %(max)s documents.") % {"max": MAX_DOCUMENTS}})
    rows, errors, seen = [], [], set()
    for item in items:
        agreement: PriceAgreement = item["agreement"]
        new_price = item.get("new_price")
        if agreement.supplier_id != supplier_id:
            raise PermissionDenied(_("That agreement is not your company's."))  # never said which company
        if agreement.sku in seen:
            errors.append(_("%(sku)s is given twice.") % {"sku": agreement.sku})
            continue
        seen.add(agreement.sku)
        if not agreement.in_force_on(effective_on):
            errors.append(
                _("%(sku)s: version %(version)s is not in force on %(day)s.")
                % {"sku": agreement.sku, "version": agreement.version, "day": effective_on.isoformat()}
            )
            continue
        try:
            if new_price is None or new_price < 0 or new_price > MAX_PRICE:
                raise ValidationError(_("give a new price from 0 to %(max)s.") % {"max": MAX_PRICE})
            check_decimals(new_price, agreement.currency, field="new_price")
        except ValidationError as exc:
            errors.append(
                _("%(sku)s: %(errors)s") % {"sku": agreement.sku, "errors": "; ".join(exc.messages)}
            )
            continue
        if new_price == agreement.unit_price:
            errors.append(_("%(sku)s: the new price is the agreed price.") % {"sku": agreement.sku})
            continue
        rows.append(
            PriceChangeItem(
                agreement=agreement, sku=agreement.sku, old_price=agreement.unit_price, new_price=new_price
            )
        )
    if errors:
        raise ValidationError(errors)
    busy = PriceChangeItem.objects.filter(
        request__supplier_id=supplier_id, request__status__in=PriceChangeRequest.OPEN, sku__in=seen
    ).values_list("sku", flat=True)
    if busy:
        raise ValidationError(
            _("A price change of %(skus)s is already waiting for an answer.")
            % {"skus": ", ".join(sorted(set(busy)))}
        )
    amounts = check_breakdown(breakdown or {}, rows[0].agreement.currency)
    change = PriceChangeRequest(
        supplier_id=supplier_id,
        effective_on=effective_on,
        reason_category=reason_category,
        explanation=explanation,
        index_reference=(index_reference or "").strip(),
        requested_by=by,
        **amounts,
    )
    change.full_clean()
    change.save()
    for row in rows:
        row.request = change
    PriceChangeItem.objects.bulk_create(rows)
    for upload in documents:
        document = PriceChangeDocument(request=change, supplier_id=supplier_id, file=upload, uploaded_by=by)
        document.full_clean()
        document.save()
    summary = ", ".join(
        f"{row.sku} {row.old_price.normalize():f} → {row.new_price.normalize():f}" for row in rows
    )
    _record(change, by=by, kind=ActivityKind.PRICE_CHANGE_REQUESTED, detail=summary)
    return change


def _transition(change: PriceChangeRequest, *, allowed_from, to: str, **fields) -> PriceChangeRequest:
    """Move a request on with a conditional update, so that of two answers exactly one wins."""
    won = PriceChangeRequest.objects.filter(pk=change.pk, status__in=allowed_from).update(status=to, **fields)
    change.refresh_from_db()
    if not won:
        raise ValidationError(
            _("This request is %(status)s; it cannot be answered again.")
            % {"status": change.get_status_display().lower()}
        )
    return change


def _apply(change: PriceChangeRequest, *, by: User, effective_on: date, countered: bool) -> None:
    """Make each item's new price a new agreement version from the effective date (inside the caller's atomic)."""
    if effective_on < timezone.localdate():
        raise ValidationError(
            {
                "effective_on": _("The effective date %(day)s has passed; counter with a new date instead.")
                % {"day": effective_on.isoformat()}
            }
        )
    for item in change.items.select_related("agreement").order_by("pk"):
        price = item.counter_price if countered and item.counter_price is not None else item.new_price
        version = _new_version(
            agreement=item.agreement,
            by=by,
            valid_from=effective_on,
            note=_("Price change PCR-%(pk)s: %(reason)s")
            % {"pk": change.pk, "reason": change.get_reason_category_display()},
            source=PriceAgreement.Source.PRICE_CHANGE,
            price_change=change,
            unit_price=price,
        )
        item.new_agreement = version
        item.save(update_fields=["new_agreement"])


def _decided(by: User, note: str = "") -> dict:
    return {"decided_by": by, "decided_at": timezone.now(), "decision_note": (note or "").strip()}


@transaction.atomic
def price_change_accept(*, change: PriceChangeRequest, by: User, note: str = "") -> PriceChangeRequest:
    """The buyer accepts the factory's prices: each becomes a new agreement version from the effective date."""
    require_capability(by, EDIT)
    change = _transition(
        change,
        allowed_from=[PriceChangeRequest.Status.REQUESTED],
        to=PriceChangeRequest.Status.ACCEPTED,
        **_decided(by, note),
    )
    _apply(change, by=by, effective_on=change.effective_on, countered=False)
    _record(
        change,
        by=by,
        kind=ActivityKind.PRICE_CHANGE_ACCEPTED,
        detail=_("accepted from %(day)s") % {"day": change.effective_on},
    )
    return change


@transaction.atomic
def price_change_counter(
    *,
    change: PriceChangeRequest,
    by: User,
    prices: dict[int, Decimal],
    note: str,
    effective_on: date | None = None,
) -> PriceChangeRequest:
    """The buyer counters with its own price per SKU (`prices` by item id) and possibly another date, and why."""
    require_capability(by, EDIT)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why you propose other prices; the factory reads it.")})
    check_bounds("effective_on", effective_on, DATE_BOUNDS)
    if effective_on is not None and effective_on < timezone.localdate():
        raise ValidationError({"effective_on": _("A new price cannot take effect in the past.")})
    items = list(change.items.select_related("agreement").order_by("pk"))
    errors, differs = [], effective_on is not None and effective_on != change.effective_on
    for item in items:
        price = prices.get(item.pk)
        if price is None:
            price = item.new_price
        try:
            if price < 0 or price > MAX_PRICE:
                raise ValidationError(_("give a price from 0 to %(max)s.") % {"max": MAX_PRICE})
            check_decimals(price, item.currency, field="price")
        except ValidationError as exc:
            errors.append(_("%(sku)s: %(errors)s") % {"sku": item.sku, "errors": "; ".join(exc.messages)})
            continue
        item.counter_price = price
        differs = differs or price != item.new_price
    if errors:
        raise ValidationError(errors)
    if not differs:
        raise ValidationError(_("The counter is what the factory asked: accept the request instead."))
    change = _transition(
        change,
        allowed_from=[PriceChangeRequest.Status.REQUESTED],
        to=PriceChangeRequest.Status.COUNTERED,
        counter_effective_on=effective_on or change.effective_on,
        counter_note=note,
        **_decided(by, note),
    )
    PriceChangeItem.objects.bulk_update(items, ["counter_price"])
    summary = ", ".join(f"{item.sku} {item.counter_price.normalize():f}" for item in items)
    _record(
        change,
        by=by,
        kind=ActivityKind.PRICE_CHANGE_COUNTERED,
        detail=f"{summary} ({change.counter_effective_on})",
    )
    return change


@transaction.atomic
def price_change_refuse(*, change: PriceChangeRequest, by: User, reason: str) -> PriceChangeRequest:
    """The buyer refuses the change with a reason; the agreed prices stay."""
    require_capability(by, EDIT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you refuse; the factory reads it.")})
    change = _transition(
        change,
        allowed_from=[PriceChangeRequest.Status.REQUESTED],
        to=PriceChangeRequest.Status.REFUSED,
        **_decided(by, reason),
    )
    _record(change, by=by, kind=ActivityKind.PRICE_CHANGE_REFUSED, detail=reason)
    return change


@transaction.atomic
def price_change_counter_answer(
    *, change: PriceChangeRequest, by: User, accept: bool, note: str = ""
) -> PriceChangeRequest:
    """The factory accepts the buyer's counter (its prices apply from its date) or declines it (nothing changes)."""
    _require_factory(by, change.supplier_id)
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": _("Say why you decline the counter; the buyer reads it.")})
    status = (
        PriceChangeRequest.Status.COUNTER_ACCEPTED if accept else PriceChangeRequest.Status.COUNTER_DECLINED
    )
    change = _transition(
        change,
        allowed_from=[PriceChangeRequest.Status.COUNTERED],
        to=status,
        answered_by=by,
        answered_at=timezone.now(),
        answer_note=note,
    )
    if accept:
        _apply(change, by=by, effective_on=change.counter_effective_on or change.effective_on, countered=True)
    _record(change, by=by, kind=ActivityKind.PRICE_COUNTER_ANSWERED, detail=change.get_status_display())
    return change
