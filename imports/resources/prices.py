"""Import of a supplier's price list: one row per SKU and start date, each through the pricing services.

A row is matched on supplier (registration number + country) + SKU + valid_from. A row on file with the same values
is skipped; a SKU with an agreement in force on the row's date gets a new version from it (the one before ends the
day before, noted "price-list import"); a SKU without one gets its first agreement. A price on file is never
overwritten: a row that differs from the version of its date is refused, as on the pages.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django_countries import countries

from pricing.models import PriceAgreement
from pricing.services.agreements import EDIT, price_agreement_create, price_agreement_import_version
from suppliers.models import Incoterm, Supplier

from .base import Cells, Column, Resource, RowErrors, service_errors

COLUMNS = {
    "unit_price": "unit_price",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
    "currency": "currency",
}


def _country_code(value) -> str:
    """Return the ISO code of a country cell (CN or China), or '' when it names none."""
    text = str(value or "").strip()
    if text.upper() in countries:
        return countries.alpha2(text.upper())
    return countries.by_name(text, insensitive=True) or ""


class PriceListResource(Resource):
    """Price agreements per supplier and SKU, matched on registration number + country + SKU + valid_from."""

    kind = "price_lists"
    capability = EDIT
    columns = [
        Column(
            "supplier_registration_number", True, "91440300MA5EXAMPLE", "the supplier's registration number"
        ),
        Column("supplier_country", True, "CN", "the supplier's country (code or English name)"),
        Column("sku", True, "BW-PCB-220"),
        Column("description", False, "Controller board, rev. C"),
        Column("unit_price", True, "2.35", "in the currency's decimals (none for JPY, KRW, VND)"),
        Column("currency", False, "USD", "3 letters (default USD)"),
        Column("moq", False, "500", "minimum order quantity (default 1)"),
        Column("lead_time_days", False, "45", "default 30"),
        Column("incoterm", False, "FOB", "EXW, FCA, FOB, CFR, CIF, CPT, CIP, DAP, DPU or DDP (default FOB)"),
        Column("valid_from", True, "2027-01-01"),
        Column("valid_to", False, "", "empty: until a new version replaces it"),
        Column("note", False, "2027 price list", "why the price is set or changes"),
    ]

    def duplicate_key(self, row: Cells):
        return (
            row.text("supplier_registration_number").lower(),
            row.text("supplier_country").lower(),
            row.text("sku").lower(),
            row.text("valid_from"),
        )

    def prepare(self, rows):
        keys = {
            (
                _country_code(row.raw("supplier_country")),
                str(row.raw("supplier_registration_number") or "").strip(),
            )
            for row in rows
        }
        query = Q(pk__in=[])
        for country, number in keys:
            if number:
                query |= Q(country=country, registration_number=number)
        suppliers = Supplier.objects.filter(query).only("pk", "name", "country", "registration_number")
        self.by_key = {
            (supplier.country.code, supplier.registration_number): supplier for supplier in suppliers
        }

    def _supplier(self, row: Cells) -> Supplier | None:
        number = row.text("supplier_registration_number", required=True, max_length=100)
        country = row.country("supplier_country", required=True)
        if not (number and country):
            return None
        supplier = self.by_key.get((country, number))
        if supplier is None:
            row.error(
                "supplier_registration_number",
                _("no supplier with registration number %(number)s in %(country)s")
                % {"number": number, "country": country},
            )
        return supplier

    def apply(self, unit):
        row = unit[0]
        supplier = self._supplier(row)
        sku = row.text("sku", required=True, max_length=64)
        values = {
            "description": row.text("description", max_length=300),
            "unit_price": row.decimal("unit_price", required=True),
            "currency": (row.text("currency", max_length=3) or "USD").upper(),
            "moq": row.integer("moq", minimum=1, default=1),
            "lead_time_days": row.integer("lead_time_days", default=30),
            "incoterm": row.choice("incoterm", Incoterm, default=Incoterm.FOB),
            "valid_to": row.date("valid_to"),
        }
        valid_from = row.date("valid_from", required=True)
        note = row.text("note", max_length=2000)
        if values["lead_time_days"] is not None and values["lead_time_days"] > 3650:
            row.error("lead_time_days", _("at most 3650 days"))
        row.check()
        label = (
            f"{sku} {values['unit_price'].normalize():f} {values['currency']} ({supplier.name}, {valid_from})"
        )
        same_day = PriceAgreement.objects.filter(supplier=supplier, sku=sku, valid_from=valid_from).first()
        if same_day is not None:
            # The same price from the same day is the row already loaded (its end may have come from a later one).
            compared = ("unit_price", "currency") + (("valid_to",) if values["valid_to"] else ())
            if all(getattr(same_day, name) == values[name] for name in compared):
                return "skip", label
            raise RowErrors(
                [
                    _(
                        "row %(row)s: %(sku)s already has version %(version)s from %(day)s at %(price)s; a price on file is not overwritten"
                    )
                    % {
                        "row": row.number,
                        "sku": sku,
                        "version": same_day.version,
                        "day": valid_from.isoformat(),
                        "price": f"{same_day.unit_price.normalize():f}",
                    }
                ]
            )
        current = (
            PriceAgreement.objects.filter(supplier=supplier, sku=sku, valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
            .order_by("-valid_from")
            .first()
        )
        try:
            if current is None:
                price_agreement_create(
                    supplier=supplier,
                    by=self.by,
                    sku=sku,
                    valid_from=valid_from,
                    note=note,
                    source=PriceAgreement.Source.IMPORT,
                    **values,
                )
            else:
                price_agreement_import_version(
                    agreement=current, by=self.by, valid_from=valid_from, note=note, **values
                )
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc, columns=COLUMNS)) from exc
        return "create", label
