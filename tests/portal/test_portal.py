"""The supplier portal: the factory's own profile, contacts and certificates, and renewals."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from suppliers.models import Certification, Contact
from tests.factories import PDF_BYTES, CertificationFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_company_and_asks_for_renewals(portal_client, supplier_a):
    expiring = CertificationFactory(
        supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=12)
    )
    body = portal_client.get(reverse("portal:home")).content.decode()
    assert supplier_a.name in body and "Certificates to renew" in body
    assert f"?renews={expiring.pk}" in body


def test_renewal_upload_is_pending_and_links_the_old_certificate(portal_client, supplier_a, portal_a):
    old = CertificationFactory(supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=12))
    form = portal_client.get(reverse("portal:certification_upload") + f"?renews={old.pk}")
    assert form.status_code == 200
    response = portal_client.post(
        reverse("portal:certification_upload"),
        {
            "replaces": old.pk,
            "standard": "iso_9001",
            "number": "NEW-1",
            "valid_from": "2026-11-01",
            "valid_until": "2029-11-01",
            "document": SimpleUploadedFile("new.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    new = Certification.objects.get(number="NEW-1")
    assert new.status == "pending" and new.replaces == old and new.submitted_by == portal_a
    assert "pending" in portal_client.get(reverse("portal:certifications")).content.decode().lower()


def test_upload_without_a_document_is_refused(portal_client):
    response = portal_client.post(
        reverse("portal:certification_upload"),
        {
            "standard": "iso_9001",
            "valid_from": "2026-11-01",
            "valid_until": "2029-11-01",
        },
    )
    assert response.status_code == 400 and not Certification.objects.exists()


def test_renewal_of_another_suppliers_certificate_is_refused(portal_client, supplier_b):
    theirs = CertificationFactory(supplier=supplier_b)
    assert (
        portal_client.get(reverse("portal:certification_upload") + f"?renews={theirs.pk}").status_code == 404
    )
    response = portal_client.post(
        reverse("portal:certification_upload"),
        {
            "replaces": theirs.pk,
            "standard": "iso_9001",
            "valid_from": "2026-11-01",
            "valid_until": "2029-11-01",
            "document": SimpleUploadedFile("new.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 400 and not Certification.objects.filter(replaces=theirs).exists()


def test_factory_contact_adds_and_edits_its_contacts(portal_client, supplier_a):
    portal_client.post(reverse("portal:contact_create"), {"name": "New QC", "role": "quality"})
    contact = Contact.objects.get(name="New QC")
    assert contact.supplier == supplier_a
    portal_client.post(
        reverse("portal:contact_edit", args=[contact.pk]),
        {"name": "New QC", "role": "quality", "phone": "+84 1"},
    )
    contact.refresh_from_db()
    assert contact.phone == "+84 1"


def test_contact_form_errors_are_shown(portal_client):
    response = portal_client.post(reverse("portal:contact_create"), {"name": "", "email": "not-an-email"})
    body = response.content.decode()
    assert response.status_code == 400 and "Enter a valid email address." in body
    assert not Contact.objects.exists()


def test_portal_pages_have_constant_queries(portal_client, supplier_a, django_assert_max_num_queries):
    for _ in range(15):
        ContactFactory(supplier=supplier_a)
        CertificationFactory(supplier=supplier_a)
    for name in ("portal:home", "portal:contacts", "portal:certifications"):
        # 13: one of them is whether the contact has a second factor (the home page invites them to set one up),
        # one counts what waits for the factory (the navbar's total), one reads its closures ahead (home page)
        with django_assert_max_num_queries(13):
            assert portal_client.get(reverse(name)).status_code == 200


def test_factory_contact_downloads_its_own_certificate(portal_client, supplier_a):
    cert = CertificationFactory(supplier=supplier_a)
    response = portal_client.get(reverse("portal:certification_document", args=[cert.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
