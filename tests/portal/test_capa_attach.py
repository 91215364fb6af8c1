"""A factory contact attaches evidence (a phone photo) to a corrective action without losing the answer it is
typing: from the page, "Attach" redraws only the evidence part (htmx); the file is checked like any upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audits.models import CorrectiveActionEvidence
from tests.factories import CorrectiveActionFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def photo(name="IMG_0042.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def capa(supplier_a, quality):
    return CorrectiveActionFactory(supplier=supplier_a, raised_by=quality, title="Loose handle seams")


@pytest.fixture
def url(capa):
    return reverse("portal:capa_detail", args=[capa.pk])


def test_the_evidence_input_offers_the_phone_camera(client, portal_a, url):
    client.force_login(portal_a)
    body = client.get(url).content.decode()
    assert 'accept="image/*,application/pdf"' in body and 'capture="environment"' in body
    assert f'hx-post="{url}"' in body and 'hx-target="#capa-summary"' in body


def test_attaching_from_the_page_redraws_only_the_evidence_part(client, portal_a, capa, url):
    client.force_login(portal_a)
    response = client.post(url, {"kind": "evidence", "file": photo(), "note": "Needle log"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    evidence = CorrectiveActionEvidence.objects.get()
    assert (evidence.action, evidence.uploaded_by) == (capa, portal_a)
    assert 'id="capa-summary"' in body and "Evidence attached." in body and evidence.file.url in body
    # The answer form is not in the fragment: what the factory typed there stays on the page.
    assert 'name="root_cause"' not in body and "<html" not in body
    capa.refresh_from_db()
    assert capa.status == "open"


def test_a_refused_file_shows_its_error_in_place_and_attaches_nothing(client, portal_a, url):
    client.force_login(portal_a)
    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(url, {"kind": "evidence", "file": fake}, **HTMX)
    assert response.status_code == 200
    assert "This file type is not accepted" in response.content.decode()
    assert not CorrectiveActionEvidence.objects.exists()


def test_without_htmx_attaching_still_reloads_the_page(client, portal_a, url):
    client.force_login(portal_a)
    response = client.post(url, {"kind": "evidence", "file": photo()})
    assert response.status_code == 302 and response.url == url
    assert CorrectiveActionEvidence.objects.count() == 1


def test_the_lab_report_input_accepts_a_photo_or_a_pdf(client, portal_a):
    client.force_login(portal_a)
    body = client.get(reverse("portal:batch_tests")).content.decode()
    assert 'accept="image/*,application/pdf"' in body
