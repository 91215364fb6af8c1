"""The REST API: tokens, scoping to the factory's own supplier, writes through services, filters, schema."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers.models import Certification, Contact, Stage, Supplier
from tests.factories import PDF_BYTES, CertificationFactory, ContactFactory, SupplierFactory, api_token_for

pytestmark = pytest.mark.django_db


def authed(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api_client


def test_anonymous_call_gets_401_with_a_token_challenge(api_client):
    response = api_client.get("/api/v1/suppliers/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_buyer_lists_suppliers_with_filters_and_pagination(api_client, buyer):
    for n in range(3):
        SupplierFactory(owner=buyer, name=f"VN {n}", country="VN", stage=Stage.VETTING)
    SupplierFactory(owner=buyer, name="CN 0", country="CN")
    data = authed(api_client, buyer).get("/api/v1/suppliers/", {"country": "VN", "ordering": "-name"}).json()
    assert data["count"] == 3 and [row["name"] for row in data["results"]] == ["VN 2", "VN 1", "VN 0"]


def test_supplier_list_api_has_constant_queries(api_client, buyer, django_assert_max_num_queries):
    for _ in range(25):
        SupplierFactory(owner=buyer)
    client = authed(api_client, buyer)
    with django_assert_max_num_queries(7):  # one of them notes the token's use (at most once a minute)
        assert client.get("/api/v1/suppliers/").status_code == 200


def test_buyer_creates_a_supplier_as_prospect(api_client, buyer):
    response = authed(api_client, buyer).post(
        "/api/v1/suppliers/", {"name": "API Co", "country": "IN", "stage": "strategic"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "prospect" and response.json()["owner"] == buyer.pk


def test_invalid_supplier_gets_400_with_field_errors(api_client, buyer):
    response = authed(api_client, buyer).post(
        "/api/v1/suppliers/", {"name": "", "country": "XX"}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) >= {"name", "country"}
    assert not Supplier.objects.exists()


def test_quality_staff_cannot_create_suppliers_over_the_api(api_client, quality):
    response = authed(api_client, quality).post(
        "/api/v1/suppliers/", {"name": "X", "country": "IN"}, format="json"
    )
    assert response.status_code == 403


def test_supplier_token_sees_only_its_own_supplier(api_client, portal_a, supplier_b):
    client = authed(api_client, portal_a)
    data = client.get("/api/v1/suppliers/").json()
    assert [row["id"] for row in data["results"]] == [portal_a.supplier_id]
    assert client.get(f"/api/v1/suppliers/{supplier_b.pk}/").status_code == 404


def test_supplier_token_cannot_edit_its_supplier(api_client, portal_a):
    response = authed(api_client, portal_a).patch(
        f"/api/v1/suppliers/{portal_a.supplier_id}/", {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 403


def test_supplier_token_cannot_set_supplier_on_a_contact(api_client, portal_a, supplier_b):
    response = authed(api_client, portal_a).post(
        "/api/v1/contacts/", {"supplier": supplier_b.pk, "name": "Sneaky", "role": "sales"}, format="json"
    )
    assert response.status_code == 201
    contact = Contact.objects.get(name="Sneaky")
    assert contact.supplier_id == portal_a.supplier_id


def test_supplier_token_cannot_move_its_contact_to_another_supplier(api_client, portal_a, supplier_b):
    contact = ContactFactory(supplier=portal_a.supplier)
    response = authed(api_client, portal_a).patch(
        f"/api/v1/contacts/{contact.pk}/", {"supplier": supplier_b.pk, "title": "QA"}, format="json"
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.supplier_id == portal_a.supplier_id and contact.title == "QA"


def test_supplier_token_cannot_delete_contacts(api_client, portal_a):
    contact = ContactFactory(supplier=portal_a.supplier)
    assert authed(api_client, portal_a).delete(f"/api/v1/contacts/{contact.pk}/").status_code == 403
    contact.refresh_from_db()
    assert contact.is_active


def test_buyer_delete_marks_a_contact_inactive(api_client, buyer, supplier_a):
    contact = ContactFactory(supplier=supplier_a)
    assert authed(api_client, buyer).delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    contact.refresh_from_db()
    assert not contact.is_active


def test_supplier_token_uploads_a_certificate_that_waits_for_review(api_client, portal_a, supplier_b):
    today = timezone.localdate()
    response = authed(api_client, portal_a).post(
        "/api/v1/certifications/",
        {
            "supplier": supplier_b.pk,
            "standard": "bsci",
            "number": "B-1",
            "valid_from": today,
            "valid_until": today + timedelta(days=700),
            "status": "verified",
            "document": SimpleUploadedFile("b.pdf", PDF_BYTES, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    cert = Certification.objects.get(number="B-1")
    assert cert.supplier_id == portal_a.supplier_id and cert.status == "pending"
    assert response.json()["document_url"].endswith(f"/api/v1/certifications/{cert.pk}/document/")


def test_certificate_upload_with_an_svg_is_refused(api_client, buyer, supplier_a):
    today = timezone.localdate()
    svg = SimpleUploadedFile("x.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    response = authed(api_client, buyer).post(
        "/api/v1/certifications/",
        {
            "supplier": supplier_a.pk,
            "standard": "bsci",
            "valid_from": today,
            "valid_until": today,
            "document": svg,
        },
        format="multipart",
    )
    assert response.status_code == 400 and "document" in response.json()


def test_supplier_token_cannot_review_certificates(api_client, portal_a):
    cert = CertificationFactory(supplier=portal_a.supplier, status="pending")
    response = authed(api_client, portal_a).post(
        f"/api/v1/certifications/{cert.pk}/review/", {"approve": True}
    )
    assert response.status_code == 403


def test_quality_staff_review_a_certificate(api_client, quality, supplier_a):
    cert = CertificationFactory(supplier=supplier_a, status="pending")
    client = authed(api_client, quality)
    response = client.post(f"/api/v1/certifications/{cert.pk}/review/", {"approve": False}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(f"/api/v1/certifications/{cert.pk}/review/", {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "verified"


def test_filter_certifications_expiring_before_a_date(api_client, buyer, supplier_a):
    today = timezone.localdate()
    soon = CertificationFactory(supplier=supplier_a, valid_until=today + timedelta(days=10))
    CertificationFactory(supplier=supplier_a, valid_until=today + timedelta(days=400))
    data = (
        authed(api_client, buyer)
        .get("/api/v1/certifications/", {"expires_before": today + timedelta(days=30)})
        .json()
    )
    assert [row["id"] for row in data["results"]] == [soon.pk]


def test_openapi_schema_describes_the_endpoints(api_client, buyer):
    response = authed(api_client, buyer).get("/api/v1/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/v1/suppliers/", "/api/v1/contacts/", "/api/v1/certifications/{id}/review/"} <= set(paths)
