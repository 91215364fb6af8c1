"""Import of what a supplier shows while vetted: contacts, certifications (their details; documents are attached
later on the supplier's page) and client references. Each row names its supplier by name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suppliers.models import Certification, CertificationStandard, ClientReference, Contact
from suppliers.services import certification_create, certification_update, contact_save, reference_save

from .base import Cells, Column, Resource, RowErrors, service_errors


def _changes(instance, fields: dict) -> dict:
    """Return the fields whose value differs from the record's."""
    return {name: value for name, value in fields.items() if getattr(instance, name) != value}


class ContactResource(Resource):
    """Contacts at a supplier, matched on supplier + name."""

    kind = "contacts"
    capability = "contact.edit"
    columns = [
        Column(
            "supplier", True, "Shenzhen Brightway Electronics Co., Ltd.", "the supplier's name in Forgeline"
        ),
        Column("name", True, "Li Wei"),
        Column(
            "role",
            False,
            "sales",
            "general_manager, sales, project_manager, quality, production, logistics, finance, other",
        ),
        Column("title", False, "Key account manager"),
        Column("email", False, "li.wei@brightway.example"),
        Column("phone", False, "+86 755 1234 5678"),
        Column("messaging", False, "WeChat: liwei_bw"),
        Column("language", False, "Chinese, English"),
        Column("is_primary", False, "yes", "yes or no"),
    ]

    def duplicate_key(self, row: Cells):
        return (row.text("supplier").lower(), row.text("name").lower())

    def prepare(self, rows):
        self.load_suppliers(rows)
        self.existing = {
            (c.supplier_id, c.name.lower()): c
            for c in Contact.objects.filter(supplier__in=list(self.suppliers.values()))
        }

    def apply(self, unit):
        row = unit[0]
        supplier = self.supplier(row)
        fields = {
            "name": row.text("name", required=True, max_length=150),
            "role": row.choice("role", Contact.Role, default=Contact.Role.SALES),
            "title": row.text("title", max_length=150),
            "email": row.text("email", max_length=254),
            "phone": row.text("phone", max_length=50),
            "messaging": row.text("messaging", max_length=100),
            "language": row.text("language", max_length=50),
            "is_primary": row.boolean("is_primary"),
        }
        row.check()
        contact = self.existing.get((supplier.pk, fields["name"].lower()))
        label = f"{fields['name']} ({supplier.name})"
        if contact is not None:
            # A blank cell leaves what is on file; an explicit value replaces it.
            primary_given = row.raw("is_primary") not in (None, "")
            fields = {
                k: v
                for k, v in fields.items()
                if (v not in ("", None, False)) or (k == "is_primary" and primary_given)
            }
            fields = _changes(contact, fields)
            if not fields:
                return "skip", label
        try:
            contact_save(supplier=supplier, by=self.by, contact=contact, **fields)
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc)) from exc
        return ("create" if contact is None else "update"), label


class CertificationResource(Resource):
    """Certificates (their details only), matched on certificate number + issuer."""

    kind = "certifications"
    capability = "certification.edit"
    columns = [
        Column(
            "supplier", True, "Shenzhen Brightway Electronics Co., Ltd.", "the supplier's name in Forgeline"
        ),
        Column("standard", True, "ISO 9001", "ISO 9001, ISO 14001, BSCI, SA8000 ... or other"),
        Column("standard_other", False, "", "the standard's name when standard is 'other'"),
        Column("number", True, "CN-QMS-2025-0042"),
        Column("issuer", True, "SGS"),
        Column("scope", False, "Design and manufacture of PCB assemblies"),
        Column("valid_from", True, "2025-01-15", "a date, 2025-01-15"),
        Column("valid_until", True, "2028-01-14"),
        Column("verified", False, "no", "yes when you have checked the certificate (needs a quality role)"),
    ]

    def duplicate_key(self, row: Cells):
        return (row.text("number").lower(), row.text("issuer").lower())

    def prepare(self, rows):
        self.load_suppliers(rows)
        numbers = {row.text("number") for row in rows} - {""}
        self.existing = (
            {
                (c.number.lower(), c.issuer.lower()): c
                for c in Certification.objects.filter(number__in=numbers).select_related("supplier")
            }
            if len(numbers) <= 5000
            else {
                (c.number.lower(), c.issuer.lower()): c
                for c in Certification.objects.exclude(number="").select_related("supplier")
            }
        )

    def apply(self, unit):
        row = unit[0]
        supplier = self.supplier(row)
        fields = {
            "standard": row.choice("standard", CertificationStandard, required=True),
            "standard_other": row.text("standard_other", max_length=100),
            "number": row.text("number", required=True, max_length=100),
            "issuer": row.text("issuer", required=True, max_length=200),
            "scope": row.text("scope", max_length=300),
            "valid_from": row.date("valid_from", required=True),
            "valid_until": row.date("valid_until", required=True),
        }
        verified = row.boolean("verified")
        if fields["valid_from"] and fields["valid_until"] and fields["valid_until"] < fields["valid_from"]:
            row.error("valid_until", _("'valid until' is before 'valid from'"))
        if verified and not self.by.can("certification.verify"):
            row.error("verified", _("your role cannot verify certificates; leave this column blank"))
        row.check()
        label = f"{fields['number']} / {fields['issuer']} ({supplier.name})"
        existing = self.existing.get((fields["number"].lower(), fields["issuer"].lower()))
        try:
            if existing is None:
                certification_create(supplier=supplier, by=self.by, verified=verified, **fields)
                return "create", label
            if existing.supplier_id != supplier.pk:
                row.error(
                    "number",
                    _("this certificate is already on file for supplier '%(name)s'")
                    % {"name": existing.supplier.name},
                )
                row.check()
            changes = _changes(existing, {k: v for k, v in fields.items() if v not in ("", None)})
            if not changes:
                return "skip", label
            certification_update(certification=existing, by=self.by, **changes)
            return "update", label
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc)) from exc


class ReferenceResource(Resource):
    """Client references, matched on supplier + company."""

    kind = "references"
    capability = "reference.edit"
    columns = [
        Column(
            "supplier", True, "Shenzhen Brightway Electronics Co., Ltd.", "the supplier's name in Forgeline"
        ),
        Column("company", True, "Nordic Home AB"),
        Column("contact_name", False, "Anna Berg"),
        Column("contact_email", False, "anna.berg@nordichome.example"),
        Column("contact_phone", False, "+46 8 123 456"),
        Column("checked_on", False, "2026-02-10", "when you called them (with an outcome)"),
        Column("outcome", False, "positive", "positive, mixed, negative or not_reached"),
        Column("notes", False, "Ships on time; packaging once wrong"),
    ]

    def duplicate_key(self, row: Cells):
        return (row.text("supplier").lower(), row.text("company").lower())

    def prepare(self, rows):
        self.load_suppliers(rows)
        self.existing = {
            (r.supplier_id, r.company.lower()): r
            for r in ClientReference.objects.filter(supplier__in=list(self.suppliers.values()))
        }

    def apply(self, unit):
        row = unit[0]
        supplier = self.supplier(row)
        fields = {
            "company": row.text("company", required=True, max_length=200),
            "contact_name": row.text("contact_name", max_length=150),
            "contact_email": row.text("contact_email", max_length=254),
            "contact_phone": row.text("contact_phone", max_length=50),
            "checked_on": row.date("checked_on"),
            "outcome": row.choice("outcome", ClientReference.Outcome),
            "notes": row.text("notes"),
        }
        if bool(fields["checked_on"]) != bool(fields["outcome"]):
            row.error("outcome", _("a checked reference needs both checked_on and outcome"))
        row.check()
        label = f"{fields['company']} ({supplier.name})"
        reference = self.existing.get((supplier.pk, fields["company"].lower()))
        if reference is not None:
            fields = _changes(reference, {k: v for k, v in fields.items() if v not in ("", None)})
            if not fields:
                return "skip", label
        try:
            reference_save(supplier=supplier, by=self.by, reference=reference, **fields)
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc)) from exc
        return ("create" if reference is None else "update"), label
