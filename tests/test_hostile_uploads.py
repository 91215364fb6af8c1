"""Hostile files through every upload field of the project: staff forms, portal forms and the API's multipart
endpoints, issue attachments included.

Script-bearing SVG and HTML, a `../` name, a zip bomb dressed as a spreadsheet and a file over the size cap are
each refused with a clear message, and nothing is written: no row, no file on disk. A PDF carrying JavaScript
and named `.html` is allowed content, so it is stored, but as `.pdf`, and it goes out as an attachment with
its own Content-Type and nosniff. A table test makes sure the list below names every upload field there is.
"""

import html
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, BatchTest, CorrectiveActionEvidence, Finding, QCInspection
from communications import services as communications
from communications.models import IssueMessage, SupplierIssue
from payments.models import Invoice
from suppliers.models import Certification, Contract
from tests.factories import AuditFactory, CorrectiveActionFactory
from tests.payments.builders import make_order, receive

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>fetch('/api/v1/suppliers/').then(r => r.text()).then(alert)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF_WITH_JS = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
TYPE_REFUSED = "This file type is not accepted"
TOO_BIG = "the limit is 1.0 MB"
BOMB_REFUSED = "This document unpacks to far more data than it holds"
SIZE_CAP = 1024 * 1024


def zip_bomb() -> bytes:
    """A 20 kB .xlsx whose worksheet inflates to 16 MB of zeros (a ratio of about 1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(16):
                member.write(b"\0" * (1 << 20))
    return buffer.getvalue()


BOMB = zip_bomb()

# (what, file name, content, browser's content type, the message the user reads)
HOSTILE = [
    ("svg with script", "logo.svg", SVG, "image/svg+xml", TYPE_REFUSED),
    ("html", "report.html", HTML, "text/html", TYPE_REFUSED),
    ("html named pdf", "report.pdf", HTML, "application/pdf", TYPE_REFUSED),
    ("../ name", "../../../../tmp/evil.html", HTML, "text/html", TYPE_REFUSED),
    ("zip bomb", "sheet.xlsx", BOMB, "application/vnd.ms-excel", BOMB_REFUSED),
    ("oversize", "big.pdf", PDF_WITH_JS + b"%" * (SIZE_CAP + 200_000), "application/pdf", TOO_BIG),
]


@dataclass
class World:
    supplier: object
    order: object
    audit: object
    issue: object
    capa: object
    today: object = field(default_factory=timezone.localdate)


@pytest.fixture
def world(supplier_a, buyer, quality, portal_a, settings):
    settings.FILE_UPLOAD_MAX_BYTES = SIZE_CAP
    supplier_a.stage = "approved"
    supplier_a.save(update_fields=["stage"])
    order = make_order(supplier_a, by=buyer, lines=[(100, "3.40")], number="PO-UP-1")
    receive(order, by=buyer, quantities=[100])
    return World(
        supplier=supplier_a,
        order=order,
        audit=AuditFactory(supplier=supplier_a),  # planned, announced
        issue=communications.issue_raise(
            supplier=supplier_a, by=buyer, category="quality", subject="Threads", description="See"
        ),
        capa=CorrectiveActionFactory(supplier=supplier_a, raised_by=quality),
    )


@dataclass(frozen=True)
class Upload:
    """One upload field reached through one door: who posts where, with what besides the file."""

    user: str  # a fixture: "admin_user" (staff) or "portal_a" (factory contact)
    api: bool
    field: str
    written: Callable[[], int]  # what must not change when the file is refused (and grows when it is fine)
    build: Callable[[World], tuple[str, dict]]
    stores: tuple[str, str]  # (app_label.Model, field) of the model field the file lands in


def invoice_form(w: World, **extra) -> dict:
    data = {
        "number": "INV-UP-1",
        "invoice_date": (w.today - timedelta(days=3)).isoformat(),
        "received_on": (w.today - timedelta(days=1)).isoformat(),
        "notes": "",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-quantity": "100",
        "form-0-unit_price": "3.40",
    }
    return {**data, **extra}


def certification(w: World) -> dict:
    return {
        "supplier": w.supplier.pk,
        "standard": "bsci",
        "number": "UP-1",
        "valid_from": w.today.isoformat(),
        "valid_until": (w.today + timedelta(days=365)).isoformat(),
    }


def issue_fields(w: World) -> dict:
    return {
        "supplier": w.supplier.pk,
        "category": "quality",
        "severity": "medium",
        "subject": "Upload",
        "description": "See file",
    }


def count(model, **filters):
    return lambda: model.objects.filter(**filters).count()


def registration_url(w: World, name: str, **kwargs) -> str:
    """Open a factory registration (as an invitation would) and return the URL of its page `name`."""
    from suppliers import registrations
    from suppliers.models import Registration

    registration = Registration.objects.create(
        company_name="Upload Works",
        email="upload@works.test",
        language="en",
        nonce="1" * 32,
        token_hash="2" * 64,
        expires_at=timezone.now() + timedelta(days=30),
        invited_by=w.supplier.owner,
    )
    token = registrations.registration_token(registration)
    Registration.objects.filter(pk=registration.pk).update(token_hash=registrations._hash(token))
    return reverse(name, kwargs={"token": token, **kwargs})


def registration_count(field_name: str):
    from suppliers.models import Registration

    return lambda: Registration.objects.exclude(**{field_name: ""}).count()


def registration_certificates():
    from suppliers.models import RegistrationCertificate

    return RegistrationCertificate.objects.count()


def _model(app_label: str, name: str):
    from django.apps import apps as registry

    return registry.get_model(app_label, name)


def late_delivery(w: World):
    """A delivery of the supplier received five days after its date: a row the factory may contest."""
    from orders.models import Delivery
    from tests.factories import DeliveryFactory

    return DeliveryFactory(
        order=w.order,
        sequence=w.order.deliveries.count() + 1,
        promised_on=w.today - timedelta(days=10),
        received_on=w.today - timedelta(days=5),
        status=Delivery.Status.RECEIVED,
        quantity_received=10,
    )


def agreement(w: World):
    """An agreed price of the supplier's SKU, which a price change may ask to move."""
    return _model("pricing", "PriceAgreement").objects.create(
        supplier=w.supplier, sku="UP-SKU", unit_price="3.40", valid_from=w.today - timedelta(days=30)
    )


def product_invitation_fields(w: World) -> dict:
    return {
        "title": "Upload tote",
        "specification": "Canvas",
        "respond_by": (w.today + timedelta(days=20)).isoformat(),
        "suppliers": [w.supplier.pk],
    }


def product_invitation(w: World):
    """An open new-product invitation to the supplier, to attach more specification files to."""
    from partnership.services.invitations import invitation_create

    data = product_invitation_fields(w)
    return invitation_create(
        by=w.supplier.owner,
        title=data["title"],
        specification=data["specification"],
        respond_by=w.today + timedelta(days=20),
        suppliers=[w.supplier],
    )


UPLOADS: dict[str, Upload] = {
    # Staff pages
    "staff product invitation spec": Upload(
        "admin_user",
        False,
        "spec_file",
        lambda: _model("partnership", "InvitationSpecFile").objects.count(),
        lambda w: (reverse("partnership:invitation_create"), product_invitation_fields(w)),
        ("partnership.InvitationSpecFile", "file"),
    ),
    "staff product invitation attachment": Upload(
        "admin_user",
        False,
        "file",
        lambda: _model("partnership", "InvitationSpecFile").objects.count(),
        lambda w: (reverse("partnership:invitation_detail", args=[product_invitation(w).pk]), {}),
        ("partnership.InvitationSpecFile", "file"),
    ),
    "staff certification": Upload(
        "admin_user",
        False,
        "document",
        count(Certification),
        lambda w: (
            reverse("suppliers:certification_create", args=[w.supplier.pk]),
            {**certification(w), "verified": "on"},
        ),
        ("suppliers.Certification", "document"),
    ),
    "staff contract": Upload(
        "admin_user",
        False,
        "document",
        count(Contract),
        lambda w: (
            reverse("suppliers:contract_create", args=[w.supplier.pk]),
            {
                "title": "Supply",
                "quality_standard": "AQL 2.5",
                "lead_time_days": "30",
                "incoterm": "FOB",
                "payment_terms_days": "30",
                "valid_from": w.today.isoformat(),
            },
        ),
        ("suppliers.Contract", "document"),
    ),
    "staff inspection": Upload(
        "admin_user",
        False,
        "report",
        count(QCInspection),
        lambda w: (
            reverse("audits:inspection_create"),
            {
                "supplier": w.supplier.pk,
                "checkpoint": "pre_shipment",
                "inspected_on": w.today.isoformat(),
                "lot_size": "1000",
                "level": "II",
                "aql_major": "2.5",
                "aql_minor": "4.0",
                "critical_defects": "0",
                "major_defects": "0",
                "minor_defects": "0",
                "defective_units": "0",
                "shared_with_supplier": "on",
            },
        ),
        ("audits.QCInspection", "report"),
    ),
    "staff audit report": Upload(
        "admin_user",
        False,
        "report",
        count(Audit, status="performed"),
        lambda w: (reverse("audits:audit_detail", args=[w.audit.pk]), {"performed_on": w.today.isoformat()}),
        ("audits.Audit", "report"),
    ),
    "staff finding evidence": Upload(
        "admin_user",
        False,
        "evidence",
        count(Finding),
        lambda w: (
            reverse("audits:finding_add", args=[w.audit.pk]),
            {"severity": "minor", "description": "Gauge"},
        ),
        ("audits.Finding", "evidence"),
    ),
    "staff issue attachment": Upload(
        "admin_user",
        False,
        "attachment",
        count(SupplierIssue),
        lambda w: (reverse("communications:issue_create"), issue_fields(w)),
        ("communications.IssueMessage", "attachment"),
    ),
    "staff reply attachment": Upload(
        "admin_user",
        False,
        "attachment",
        count(IssueMessage),
        lambda w: (reverse("communications:issue_detail", args=[w.issue.pk]), {"body": "Here"}),
        ("communications.IssueMessage", "attachment"),
    ),
    "staff invoice": Upload(
        "admin_user",
        False,
        "document",
        count(Invoice),
        lambda w: (reverse("payments:invoice_create") + f"?order={w.order.pk}", invoice_form(w)),
        ("payments.Invoice", "document"),
    ),
    # Portal pages
    # The new factory's registration form (public, through its link)
    "registration licence": Upload(
        "portal_a",
        False,
        "business_licence",
        registration_count("business_licence"),
        lambda w: (registration_url(w, "portal:registration"), {"action": "save"}),
        ("suppliers.Registration", "business_licence"),
    ),
    "registration qc process": Upload(
        "portal_a",
        False,
        "qc_process_document",
        registration_count("qc_process_document"),
        lambda w: (registration_url(w, "portal:registration"), {"action": "save"}),
        ("suppliers.Registration", "qc_process_document"),
    ),
    "registration certificate": Upload(
        "portal_a",
        False,
        "certificate-document",
        registration_certificates,
        lambda w: (
            registration_url(w, "portal:registration_item_add", kind="certificate"),
            {
                "certificate-standard": "bsci",
                "certificate-valid_from": w.today.isoformat(),
                "certificate-valid_until": (w.today + timedelta(days=365)).isoformat(),
            },
        ),
        ("suppliers.RegistrationCertificate", "document"),
    ),
    "portal certification": Upload(
        "portal_a",
        False,
        "document",
        count(Certification),
        lambda w: (reverse("portal:certification_upload"), certification(w)),
        ("suppliers.Certification", "document"),
    ),
    "portal lab report": Upload(
        "portal_a",
        False,
        "report",
        count(BatchTest),
        lambda w: (
            reverse("portal:batch_tests"),
            {
                "lot_number": "L1",
                "standard": "EN 71-3",
                "laboratory": "SGS",
                "tested_on": w.today.isoformat(),
                "outcome": "pass",
            },
        ),
        ("audits.BatchTest", "report"),
    ),
    "portal contest evidence": Upload(
        "portal_a",
        False,
        "evidence",
        lambda: _model("scorecards", "RowContest").objects.count(),
        lambda w: (
            reverse("portal:contest_create", kwargs={"kind": "delivery", "row": late_delivery(w).pk}),
            {"reason": "The port was closed for four days."},
        ),
        ("scorecards.RowContest", "evidence"),
    ),
    "portal price change document": Upload(
        "portal_a",
        False,
        "documents",
        lambda: _model("pricing", "PriceChangeDocument").objects.count(),
        lambda w: (
            reverse("portal:price_change_request"),
            {
                f"price_{agreement(w).pk}": "3.60",
                "effective_on": (w.today + timedelta(days=30)).isoformat(),
                "reason_category": "material",
                "explanation": "Cotton prices rose 12 %.",
            },
        ),
        ("pricing.PriceChangeDocument", "file"),
    ),
    "portal capa evidence": Upload(
        "portal_a",
        False,
        "file",
        count(CorrectiveActionEvidence),
        lambda w: (reverse("portal:capa_detail", args=[w.capa.pk]), {"kind": "evidence", "note": "Photo"}),
        ("audits.CorrectiveActionEvidence", "file"),
    ),
    "portal issue attachment": Upload(
        "portal_a",
        False,
        "attachment",
        count(SupplierIssue),
        lambda w: (reverse("portal:issues"), issue_fields(w)),
        ("communications.IssueMessage", "attachment"),
    ),
    "portal reply attachment": Upload(
        "portal_a",
        False,
        "attachment",
        count(IssueMessage),
        lambda w: (reverse("portal:issue_detail", args=[w.issue.pk]), {"body": "Here"}),
        ("communications.IssueMessage", "attachment"),
    ),
    "portal invoice": Upload(
        "portal_a",
        False,
        "document",
        count(Invoice),
        lambda w: (reverse("portal:invoice_submit", args=[w.order.pk]), invoice_form(w)),
        ("payments.Invoice", "document"),
    ),
    # API (multipart)
    "api certification": Upload(
        "portal_a",
        True,
        "document",
        count(Certification),
        lambda w: (reverse("api:certification-list"), certification(w)),
        ("suppliers.Certification", "document"),
    ),
    "api lab report": Upload(
        "portal_a",
        True,
        "report",
        count(BatchTest),
        lambda w: (
            reverse("api:batch-test-list"),
            {
                "order": w.order.pk,
                "lot_number": "L1",
                "standard": "EN 71-3",
                "laboratory": "SGS",
                "tested_on": w.today.isoformat(),
                "outcome": "pass",
            },
        ),
        ("audits.BatchTest", "report"),
    ),
    "api invoice": Upload(
        "admin_user",
        True,
        "document",
        count(Invoice),
        lambda w: (
            reverse("api:invoice-list"),
            {
                "order": w.order.pk,
                "number": "INV-UP-1",
                "invoice_date": (w.today - timedelta(days=3)).isoformat(),
                "lines[0]order_line": w.order.lines.get().pk,
                "lines[0]quantity": "100",
                "lines[0]unit_price": "3.40",
            },
        ),
        ("payments.Invoice", "document"),
    ),
}


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def post(client, api_client, upload: Upload, user, url: str, data: dict, file):
    if upload.api:
        api_client.force_authenticate(user)
        return api_client.post(url, {**data, upload.field: file}, format="multipart")
    client.force_login(user)
    return client.post(url, {**data, upload.field: file})


def error_text(response, upload: Upload) -> str:
    if upload.api:
        assert response.status_code == 400, response.content
        return " ".join(response.json().get(upload.field, []))
    assert response.status_code in (200, 400), response.status_code
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("door", sorted(UPLOADS), ids=sorted(UPLOADS))
def test_hostile_files_are_refused_with_a_message_and_nothing_is_stored(
    client, api_client, world, request, door
):
    upload = UPLOADS[door]
    user = request.getfixturevalue(upload.user)
    url, data = upload.build(world)
    files_before, rows_before = stored_files(), upload.written()

    for what, name, content, content_type, message in HOSTILE:
        response = post(
            client, api_client, upload, user, url, data, SimpleUploadedFile(name, content, content_type)
        )

        assert message in error_text(response, upload), (door, what)
        assert upload.written() == rows_before, (door, what)
        assert stored_files() == files_before, (door, what)
    assert not any(Path(settings.MEDIA_ROOT).parent.rglob("evil*"))


@pytest.mark.parametrize("door", sorted(UPLOADS), ids=sorted(UPLOADS))
def test_a_pdf_with_javascript_named_html_is_stored_as_pdf_and_served_as_an_attachment(
    client, api_client, world, request, door
):
    upload = UPLOADS[door]
    user = request.getfixturevalue(upload.user)
    url, data = upload.build(world)
    rows_before, files_before = upload.written(), stored_files()

    response = post(
        client,
        api_client,
        upload,
        user,
        url,
        data,
        SimpleUploadedFile("report.html", PDF_WITH_JS, "text/html"),
    )

    assert response.status_code in (201, 302), (door, response.content[:2000])
    assert upload.written() == rows_before + 1
    (new_file,) = stored_files() - files_before
    assert new_file.suffix == ".pdf" and "report" not in new_file.name
    assert new_file.read_bytes() == PDF_WITH_JS
    model = apps.get_model(upload.stores[0])
    stored_name = str(new_file.relative_to(settings.MEDIA_ROOT))
    obj = model.objects.get(**{upload.stores[1]: stored_name})
    client.force_login(user)
    download = client.get(getattr(obj, upload.stores[1]).url)
    if download.status_code == 404:  # contracts are internal: a factory contact never downloads them
        client.force_login(request.getfixturevalue("admin_user"))
        download = client.get(getattr(obj, upload.stores[1]).url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Disposition"].endswith('.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_table_names_every_upload_field_and_both_sides_and_the_api():
    fields = {
        (model._meta.label, model_field.name)
        for model in apps.get_models()
        if not model._meta.model_name.startswith("historical")
        for model_field in model._meta.get_fields()
        if isinstance(model_field, FileField)
    }
    reached = {upload.stores for upload in UPLOADS.values()}
    assert fields == reached, f"upload fields no door in UPLOADS reaches: {fields - reached}"
    assert {u.api for u in UPLOADS.values()} == {True, False}
    assert {u.user for u in UPLOADS.values()} == {"admin_user", "portal_a"}
