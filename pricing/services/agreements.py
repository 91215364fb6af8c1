"""Price agreements: the first version of a supplier's SKU, and new versions from a date that close the one before.

Versions of one supplier's SKU never overlap. A price changes only through a new version: one a buyer records
with a note (who and why), or one an accepted price-change request makes (pricing/services/changes.py).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from core.inputs import DATE_BOUNDS, check_bounds
from core.money import check_decimals
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record

from ..models import PriceAgreement

EDIT = "price.edit"


def _lock_supplier(supplier_id: int) -> None:
    """Serialise writes of one supplier's agreements, so two versions cannot both pass the overlap check."""
    Supplier.objects.select_for_update().filter(pk=supplier_id).first()


def _check_no_overlap(
    *, supplier_id: int, sku: str, valid_from: date, valid_to: date | None, exclude: int | None = None
) -> None:
    """Refuse a period that meets another agreement version of the same supplier and SKU."""
    clash = PriceAgreement.objects.filter(supplier_id=supplier_id, sku=sku).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        clash = clash.filter(valid_from__lte=valid_to)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    other = clash.order_by("valid_from").first()
    if other is not None:
        until = other.valid_to.isoformat() if other.valid_to else _("open-ended")
        raise ValidationError(
            {
                "valid_from": _(
                    "An agreement for %(sku)s already covers %(start)s to %(end)s (version %(version)s); "
                    "periods of one SKU may not overlap. Make a new version of it instead."
                )
                % {"sku": sku, "start": other.valid_from.isoformat(), "end": until, "version": other.version}
            }
        )


def _check_values(*, unit_price: Decimal, currency: str, valid_from: date, valid_to: date | None) -> None:
    check_bounds("valid_from", valid_from, DATE_BOUNDS)
    check_bounds("valid_to", valid_to, DATE_BOUNDS)
    if unit_price is None:
        raise ValidationError({"unit_price": _("Give the unit price.")})
    check_decimals(unit_price, currency, field="unit_price")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The agreement cannot end before it starts.")})


def _save(agreement: PriceAgreement, *, by: User | None) -> PriceAgreement:
    agreement.full_clean()
    agreement.save()
    activity_record(
        supplier=agreement.supplier_id,
        actor=by,
        target=agreement,
        kind=ActivityKind.PRICE_AGREED,
        detail=f"{agreement} {_('from')} {agreement.valid_from}"
        + (f": {agreement.note}" if agreement.note else ""),
        url=agreement.get_absolute_url(),
    )
    return agreement


@transaction.atomic
def price_agreement_create(
    *,
    supplier: Supplier,
    by: User,
    sku: str,
    unit_price: Decimal,
    currency: str,
    valid_from: date,
    valid_to: date | None = None,
    description: str = "",
    moq: int = 1,
    lead_time_days: int = 30,
    incoterm: str = "FOB",
    note: str = "",
    source: str = PriceAgreement.Source.CREATED,
) -> PriceAgreement:
    """Agree a price with a supplier for a SKU over a period that no other version of the SKU covers."""
    require_capability(by, EDIT)
    sku, currency = sku.strip(), currency.strip().upper()
    if not sku:
        raise ValidationError({"sku": _("Give the SKU.")})
    _check_values(unit_price=unit_price, currency=currency, valid_from=valid_from, valid_to=valid_to)
    _lock_supplier(supplier.pk)
    _check_no_overlap(supplier_id=supplier.pk, sku=sku, valid_from=valid_from, valid_to=valid_to)
    last = PriceAgreement.objects.filter(supplier=supplier, sku=sku).aggregate(v=Max("version"))["v"] or 0
    return _save(
        PriceAgreement(
            supplier=supplier,
            sku=sku,
            description=description.strip(),
            unit_price=unit_price,
            currency=currency,
            moq=moq,
            lead_time_days=lead_time_days,
            incoterm=incoterm,
            valid_from=valid_from,
            valid_to=valid_to,
            version=last + 1,
            note=note.strip(),
            source=source,
            created_by=by,
        ),
        by=by,
    )


def _new_version(
    *,
    agreement: PriceAgreement,
    by: User | None,
    valid_from: date,
    note: str,
    source: str,
    price_change=None,
    **values,
) -> PriceAgreement:
    """Close `agreement` the day before `valid_from` and add the next version from that day (caller is atomic)."""
    _lock_supplier(agreement.supplier_id)
    agreement = PriceAgreement.objects.get(pk=agreement.pk)
    fields = {
        name: values.get(name) if values.get(name) not in (None, "") else getattr(agreement, name)
        for name in ("unit_price", "currency", "moq", "lead_time_days", "incoterm", "description")
    }
    fields["currency"] = fields["currency"].strip().upper()
    valid_to = values.get("valid_to")
    _check_values(
        unit_price=fields["unit_price"], currency=fields["currency"], valid_from=valid_from, valid_to=valid_to
    )
    if valid_from <= agreement.valid_from:
        raise ValidationError(
            {
                "valid_from": _("A new version starts after the one it replaces (from %(day)s).")
                % {"day": agreement.valid_from.isoformat()}
            }
        )
    if agreement.valid_to is not None and valid_from > agreement.valid_to + timedelta(days=1):
        raise ValidationError(
            {
                "valid_from": _(
                    "Version %(version)s ended on %(day)s; agree a new price for the SKU instead."
                )
                % {"version": agreement.version, "day": agreement.valid_to.isoformat()}
            }
        )
    later = PriceAgreement.objects.filter(
        supplier_id=agreement.supplier_id, sku=agreement.sku, valid_from__gt=agreement.valid_from
    ).first()
    if later is not None:
        raise ValidationError(
            _("Version %(version)s of %(sku)s follows this one; make the new version from the latest.")
            % {"version": later.version, "sku": agreement.sku}
        )
    agreement.valid_to = valid_from - timedelta(days=1)
    agreement.save(update_fields=["valid_to"])
    _check_no_overlap(
        supplier_id=agreement.supplier_id, sku=agreement.sku, valid_from=valid_from, valid_to=valid_to
    )
    last = PriceAgreement.objects.filter(supplier_id=agreement.supplier_id, sku=agreement.sku).aggregate(
        v=Max("version")
    )["v"]
    return _save(
        PriceAgreement(
            supplier_id=agreement.supplier_id,
            sku=agreement.sku,
            valid_from=valid_from,
            valid_to=valid_to,
            version=last + 1,
            previous=agreement,
            source=source,
            price_change=price_change,
            note=note,
            created_by=by,
            **fields,
        ),
        by=by,
    )


@transaction.atomic
def price_agreement_new_version(
    *,
    agreement: PriceAgreement,
    by: User,
    valid_from: date,
    note: str,
    unit_price: Decimal | None = None,
    valid_to: date | None = None,
    currency: str | None = None,
    moq: int | None = None,
    lead_time_days: int | None = None,
    incoterm: str | None = None,
) -> PriceAgreement:
    """A buyer makes a new version of an agreement from a date, saying why; the one before closes the day before."""
    require_capability(by, EDIT)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why the agreement changes; it stays in its history.")})
    return _new_version(
        agreement=agreement,
        by=by,
        valid_from=valid_from,
        note=note,
        source=PriceAgreement.Source.NEW_VERSION,
        unit_price=unit_price,
        valid_to=valid_to,
        currency=currency,
        moq=moq,
        lead_time_days=lead_time_days,
        incoterm=incoterm,
    )


@transaction.atomic
def price_agreement_import_version(
    *, agreement: PriceAgreement, by: User, valid_from: date, note: str = "", **values
) -> PriceAgreement:
    """A price list's row makes a new version of an agreement from its date (noted as an import when unexplained)."""
    require_capability(by, EDIT)
    return _new_version(
        agreement=agreement,
        by=by,
        valid_from=valid_from,
        note=note.strip() or _("Price-list import"),
        source=PriceAgreement.Source.IMPORT,
        **values,
    )
