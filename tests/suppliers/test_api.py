"""The REST API: tokens, scoping to the factory's own supplier, writes through services, filters, schema."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from suppliers.models import Certification, Contact, Stage, Supplier
from tests.factories import PDF_BYTES, CertificationFactory, ContactFactory, SupplierFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db


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


def schema_of(client) -> dict:
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def test_the_schema_lists_each_operations_error_answers_with_their_json_shape(api_client, buyer):
    paths = schema_of(authed(api_client, buyer))["paths"]

    def codes(path, method):
        return {
            code: answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            for code, answer in paths[path][method]["responses"].items()
            if code >= "400"
        }

    assert codes("/api/v1/suppliers/{id}/", "get") == {"401": "Error", "403": "Error", "404": "Error"}
    assert codes("/api/v1/suppliers/", "get") == {
        "400": "ValidationError",  # a malformed filter
        "401": "Error",
        "403": "Error",
        "404": "Error",  # a page past the end
    }
    assert codes("/api/v1/contacts/", "post") == {
        "400": "ValidationError",
        "401": "Error",
        "403": "Error",
        "415": "Error",  # a body in a media type the operation does not take
    }
    assert codes("/api/v1/contacts/{id}/", "delete") == {
        "400": "ValidationError",
        "401": "Error",
        "403": "Error",
        "404": "Error",
    }


def test_error_answers_have_the_documented_shape(api_client, buyer, portal_b, supplier_a):
    anonymous = api_client.get("/api/v1/suppliers/")
    client = authed(api_client, portal_b)
    other_suppliers = client.get(f"/api/v1/suppliers/{supplier_a.pk}/")
    forbidden = client.post("/api/v1/suppliers/", {"name": "X"}, format="json")
    past_the_end = client.get("/api/v1/suppliers/", {"page": 99})

    for response, status in ((anonymous, 401), (other_suppliers, 404), (forbidden, 403), (past_the_end, 404)):
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"} and isinstance(response.json()["detail"], str)


def test_a_search_term_with_a_null_character_is_a_400_with_the_message_under_a_name(api_client, buyer):
    response = authed(api_client, buyer).get("/api/v1/contacts/", {"search": "a\x00b"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_a_body_in_an_unsupported_media_type_is_a_415_with_a_detail(api_client, buyer, supplier_a):
    response = authed(api_client, buyer).post(
        "/api/v1/contacts/", "supplier=1", content_type="text/plain; charset=utf-8"
    )

    assert response.status_code == 415
    assert set(response.json()) == {"detail"}
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/suppliers/1.5e-43/", "/api/v1/suppliers/1/nothing-here/", "/api/v1/nope/"]
)
def test_an_unknown_api_url_answers_404_in_json(api_client, buyer, path):
    response = authed(api_client, buyer).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_url_still_answers_the_html_404_page(client, buyer):
    client.force_login(buyer)

    response = client.get("/suppliers/nothing-here/at-all/")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_certificate_download_has_a_content_type_the_schema_lists(api_client, buyer, supplier_a):
    certification = CertificationFactory(supplier=supplier_a)
    client = authed(api_client, buyer)

    response = client.get(f"/api/v1/certifications/{certification.pk}/document/")
    documented = schema_of(client)["paths"]["/api/v1/certifications/{id}/document/"]["get"]["responses"][
        "200"
    ]

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert {"application/pdf", "image/jpeg", "application/octet-stream"} <= set(documented["content"])


def test_the_schema_does_not_require_staff_only_fields_a_factory_never_receives():
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework import routers, serializers, viewsets

    class NotedSupplierSerializer(serializers.ModelSerializer):
        staff_only_fields = ("notes",)
        notes = serializers.CharField(read_only=True)

        class Meta:
            model = Supplier
            fields = ["id", "name", "notes"]
            read_only_fields = fields

    class NotedSupplierViewSet(viewsets.ReadOnlyModelViewSet):
        serializer_class = NotedSupplierSerializer
        queryset = Supplier.objects.none()

    router = routers.SimpleRouter()
    router.register("noted", NotedSupplierViewSet, basename="noted")
    schema = SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["NotedSupplier"]["required"] == ["id", "name"]
