"""Import of the supplier list: one row per supplier, matched on registration number + country."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from suppliers.models import ProductCategory, Segment, Supplier
from suppliers.services import supplier_create, supplier_update

from .base import Cells, Column, Resource, RowErrors, service_errors

TEXT_FIELDS = {"legal_name": 300, "city": 100, "address": 2000, "website": 200, "notes": 2000}


class SupplierResource(Resource):
    """Suppliers: created as prospects (the lifecycle moves only through the vetting gates), or updated."""

    kind = "suppliers"
    capability = "supplier.edit"
    columns = [
        Column("name", True, "Shenzhen Brightway Electronics Co., Ltd.", "unique name"),
        Column("country", True, "CN", "ISO code (CN) or English name (China)"),
        Column("registration_number", False, "91440300MA5F12345X", "business registration number"),
        Column("legal_name", False, "深圳市明辉电子有限公司"),
        Column("city", False, "Shenzhen"),
        Column("address", False, "88 Keji Road, Nanshan District"),
        Column("website", False, "https://brightway.example"),
        Column("segment", False, "leverage", "strategic, leverage, bottleneck or routine (default routine)"),
        Column("categories", False, "", "existing product categories, separated by ; (Electronics; Cables)"),
        Column("owner_email", False, "", "the email of the buyer who owns it (default: you)"),
        Column("notes", False, "Met at the Canton Fair"),
    ]

    def duplicate_key(self, row: Cells):
        registration = row.text("registration_number")
        if registration:
            return ("registration", str(row.raw("country") or "").strip().lower(), registration.lower())
        return ("name", row.text("name").lower())

    def prepare(self, rows: list[Cells]) -> None:
        numbers = {row.text("registration_number") for row in rows} - {""}
        names = {row.text("name").lower() for row in rows} - {""}
        existing = (
            list(
                Supplier.objects.annotate(lname=Lower("name"))
                .filter(Q(registration_number__in=numbers) | Q(lname__in=names))
                .prefetch_related("categories")
            )
            if len(numbers) + len(names) <= 5000
            else list(Supplier.objects.annotate(lname=Lower("name")).prefetch_related("categories"))
        )
        self.by_registration = {
            (s.country.code, s.registration_number.lower()): s for s in existing if s.registration_number
        }
        self.by_name = {s.lname: s for s in existing}
        self.categories = {c.name.lower(): c for c in ProductCategory.objects.all()}
        emails = {row.text("owner_email").lower() for row in rows} - {""}
        self.owners = {u.email.lower(): u for u in User.objects.filter(email__in=emails)} if emails else {}

    def apply(self, unit: list[Cells]) -> tuple[str, str]:
        row = unit[0]
        name = row.text("name", required=True, max_length=200)
        country = row.country("country", required=True)
        registration = row.text("registration_number", max_length=100)
        fields = {field: row.text(field, max_length=length) for field, length in TEXT_FIELDS.items()}
        fields = {field: value for field, value in fields.items() if value}
        if row.text("segment"):
            fields["segment"] = row.choice("segment", Segment)
        if registration:
            fields["registration_number"] = registration
        categories = self._categories(row)
        owner = self._owner(row)
        if owner is not None:
            fields["owner"] = owner
        row.check()

        existing = self.by_registration.get((country, registration.lower())) if registration else None
        if existing is None:
            candidate = self.by_name.get(name.lower())
            # The same name without a number on file: this row adds the number rather than a second supplier.
            if candidate is not None and (not registration or not candidate.registration_number):
                existing = candidate
        try:
            if existing is None:
                supplier_create(by=self.by, categories=categories or (), name=name, country=country, **fields)
                return "create", name
            changes = {
                field: value
                for field, value in {"name": name, "country": country, **fields}.items()
                if _current(existing, field) != _comparable(value)
            }
            new_categories = None
            if categories is not None and {c.pk for c in categories} != {
                c.pk for c in existing.categories.all()
            }:
                new_categories = categories
            if not changes and new_categories is None:
                return "skip", name
            supplier_update(supplier=existing, by=self.by, categories=new_categories, **changes)
            return "update", name
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc, columns={"owner": "owner_email"})) from exc

    def _categories(self, row: Cells):
        names = [part.strip() for part in row.text("categories").replace(",", ";").split(";") if part.strip()]
        if not names:
            return None
        found = []
        for name in names:
            category = self.categories.get(name.lower())
            if category is None:
                row.error("categories", _("product category '%(name)s' not found") % {"name": name})
            else:
                found.append(category)
        return found

    def _owner(self, row: Cells):
        email = row.text("owner_email").lower()
        if not email:
            return None
        owner = self.owners.get(email)
        if owner is None or not owner.is_active or owner.is_portal_user:
            row.error("owner_email", _("no staff user has the email '%(email)s'") % {"email": email})
            return None
        return owner


def _current(instance, field: str):
    value = getattr(instance, field + "_id", None) if field == "owner" else getattr(instance, field)
    return getattr(value, "code", value)  # a CountryField's value compares by its code


def _comparable(value):
    return value.pk if isinstance(value, User) else value
