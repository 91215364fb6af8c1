"""Staff pages: rendering, clear form errors that change nothing, stage changes, and pinned query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from suppliers.models import Certification, Contact, Stage, StageChange, Supplier
from tests.factories import (
    PDF_BYTES,
    CertificationFactory,
    ContactFactory,
    ProductCategoryFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def test_dashboard_counts_suppliers_by_stage_and_lists_expiring_certificates(buyer_client, buyer):
    supplier = SupplierFactory(owner=buyer, stage=Stage.APPROVED, name="Expiring Co")
    CertificationFactory(supplier=supplier, valid_until=timezone.localdate() + timedelta(days=9))
    response = buyer_client.get(reverse("home"))
    assert response.status_code == 200
    assert 'data-stage="approved">1<' in response.content.decode()
    assert "Expiring Co" in response.content.decode()


def test_supplier_list_page_has_constant_queries(buyer_client, buyer, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            supplier = SupplierFactory(owner=buyer)
            CertificationFactory(supplier=supplier)
            supplier.categories.add(ProductCategoryFactory())

    add(3)
    with django_assert_max_num_queries(12) as captured:
        response = buyer_client.get(reverse("suppliers:list"))
    assert response.status_code == 200
    few = len(captured.captured_queries)
    add(22)  # 25 rows: a whole page
    with django_assert_max_num_queries(few):
        assert buyer_client.get(reverse("suppliers:list")).status_code == 200


def test_supplier_list_answers_htmx_with_the_table_only(buyer_client, supplier_a):
    response = buyer_client.get(reverse("suppliers:list") + "?q=Alpha", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Alpha Factory" in body and "<html" not in body


def test_supplier_list_filter_by_stage(buyer_client, buyer):
    SupplierFactory(owner=buyer, name="In Vetting", stage=Stage.VETTING)
    SupplierFactory(owner=buyer, name="Just Found", stage=Stage.PROSPECT)
    body = buyer_client.get(reverse("suppliers:list") + "?stage=vetting").content.decode()
    assert "In Vetting" in body and "Just Found" not in body


def test_supplier_list_paginates(buyer_client, buyer):
    for n in range(30):
        SupplierFactory(owner=buyer, name=f"S{n:02d}")
    body = buyer_client.get(reverse("suppliers:list") + "?page=2").content.decode()
    assert "S29" in body and "S00" not in body and "2 / 2" in body


def test_creating_a_supplier_with_errors_shows_them_and_saves_nothing(buyer_client):
    response = buyer_client.post(
        reverse("suppliers:create"), {"name": "", "country": "ZZ", "timezone": "UTC", "segment": "routine"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "is not one of the available choices" in body
    assert not Supplier.objects.exists()


def test_creating_a_supplier_makes_a_prospect_owned_by_the_buyer(buyer_client, buyer):
    response = buyer_client.post(
        reverse("suppliers:create"),
        {"name": "New Co", "country": "VN", "timezone": "Asia/Ho_Chi_Minh", "segment": "routine"},
    )
    supplier = Supplier.objects.get(name="New Co")
    assert response.status_code == 302 and response["Location"] == supplier.get_absolute_url()
    assert supplier.owner == buyer and supplier.stage == Stage.PROSPECT


def test_quality_staff_cannot_open_the_supplier_form(client, quality):
    client.force_login(quality)
    assert client.get(reverse("suppliers:create")).status_code == 403


@pytest.mark.parametrize(
    "tab",
    ["overview", "contacts", "certifications", "references", "capacity", "contracts", "stages", "changes"],
)
def test_every_tab_renders_with_constant_queries(buyer_client, objects_a, tab, django_assert_max_num_queries):
    supplier = objects_a["supplier"]
    for _ in range(10):
        ContactFactory(supplier=supplier)
        CertificationFactory(supplier=supplier)
    with django_assert_max_num_queries(20):
        response = buyer_client.get(reverse("suppliers:tab", args=[supplier.pk, tab]))
    assert response.status_code == 200


def test_stage_page_shows_missing_evidence_and_keeps_the_stage(manager_client, supplier_a):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    response = manager_client.post(
        reverse("suppliers:stage", args=[supplier_a.pk]),
        {"to_stage": "approved", "reason": "Pilot went well"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Missing for Approved: A verified certification in force" in body
    supplier_a.refresh_from_db()
    assert supplier_a.stage == Stage.PILOT and not StageChange.objects.exists()


def test_manager_waives_on_the_stage_page(manager_client, supplier_a, manager):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    response = manager_client.post(
        reverse("suppliers:stage", args=[supplier_a.pk]),
        {
            "to_stage": "approved",
            "reason": "Strategic need",
            "waive": ["certification", "reference", "capacity", "audit", "pilot"],
            "waiver_reason": "CEO decision, evidence due in 30 days",
        },
    )
    assert response.status_code == 302
    change = StageChange.objects.get()
    assert change.changed_by == manager and change.waiver_reason.startswith("CEO decision")
    history = manager_client.get(reverse("suppliers:tab", args=[supplier_a.pk, "stages"])).content.decode()
    assert "CEO decision" in history and "Strategic need" in history


def test_buyer_sees_no_waiver_fields(buyer_client, supplier_a):
    body = buyer_client.get(reverse("suppliers:stage", args=[supplier_a.pk])).content.decode()
    assert 'name="waive"' not in body


def test_buyer_is_not_offered_moves_that_need_a_manager(buyer_client, vetted_supplier):
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    url = reverse("suppliers:stage", args=[vetted_supplier.pk])
    body = buyer_client.get(url).content.decode()
    assert '<option value="vetting"' in body and '<option value="approved"' not in body
    response = buyer_client.post(url, {"to_stage": "approved", "reason": "ok"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    vetted_supplier.refresh_from_db()
    assert vetted_supplier.stage == Stage.PILOT


def test_adding_a_certificate_with_a_disguised_file_is_refused(buyer_client, supplier_a):
    fake = SimpleUploadedFile(
        "cert.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = buyer_client.post(
        reverse("suppliers:certification_create", args=[supplier_a.pk]),
        {
            "standard": "iso_9001",
            "valid_from": "2026-01-01",
            "valid_until": "2028-01-01",
            "document": fake,
        },
    )
    assert response.status_code == 400
    assert "This file type is not accepted" in response.content.decode()
    assert not Certification.objects.exists()


def test_adding_a_verified_certificate(buyer_client, supplier_a, buyer):
    pdf = SimpleUploadedFile("iso.pdf", PDF_BYTES, content_type="application/pdf")
    response = buyer_client.post(
        reverse("suppliers:certification_create", args=[supplier_a.pk]),
        {
            "standard": "iso_9001",
            "number": "Q-1",
            "valid_from": "2026-01-01",
            "valid_until": "2028-01-01",
            "document": pdf,
            "verified": "on",
        },
    )
    assert response.status_code == 302
    cert = Certification.objects.get()
    assert cert.status == Certification.Status.VERIFIED and cert.verified_by == buyer
    assert not cert.document.name.endswith("iso.pdf")  # the server chose the stored name


def test_certificate_review_from_the_tab(buyer_client, supplier_a):
    cert = CertificationFactory(supplier=supplier_a, status="pending")
    url = reverse("suppliers:certification_review", args=[supplier_a.pk, cert.pk])
    buyer_client.post(url, {"decision": "reject"})
    cert.refresh_from_db()
    assert cert.status == "pending"  # a rejection without a note is refused
    buyer_client.post(url, {"decision": "reject", "note": "Scope does not cover the sewing line"})
    cert.refresh_from_db()
    assert cert.status == "rejected" and cert.review_note.startswith("Scope")


def test_contact_who_left_is_kept_but_inactive(buyer_client, supplier_a):
    contact = ContactFactory(supplier=supplier_a, is_primary=True)
    buyer_client.post(reverse("suppliers:contact_deactivate", args=[supplier_a.pk, contact.pk]))
    contact.refresh_from_db()
    assert not contact.is_active and not contact.is_primary and Contact.objects.count() == 1


def test_document_download_is_an_attachment_with_nosniff(buyer_client, objects_a):
    cert = objects_a["certification"]
    response = buyer_client.get(reverse("suppliers:certification_document", args=[cert.supplier_id, cert.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_edit_form_links_the_current_file_through_the_checked_view(buyer_client, objects_a):
    cert = objects_a["certification"]
    body = buyer_client.get(
        reverse("suppliers:certification_edit", args=[cert.supplier_id, cert.pk])
    ).content.decode()
    assert f'href="/files/{cert.document.name}"' in body
