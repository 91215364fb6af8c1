"""Shared helpers of the registration tests: the link of the last email, a document, a filled-in registration."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from suppliers import registrations
from tests.factories import PDF_BYTES, ProductCategoryFactory

LINK = re.compile(r"https?://[^/\s]+(/portal/register/[^/\s]+/)")


def last_link() -> str:
    """Return the path of the registration link in the last email sent."""
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def pdf(name: str = "doc.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a service as if its transaction committed: what it queued for after the commit (the email) runs."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def invited(buyer, committed):
    """A registration just sent to Hanoi Stitch, in Vietnamese."""
    return committed(
        registrations.registration_invite,
        company_name="Hanoi Stitch",
        email="Owner@HanoiStitch.test",
        language="vi",
        by=buyer,
    )


def fill(registration):
    """Fill in everything a registration needs to be submitted, with one entry of each kind."""
    registrations.registration_save(
        registration=registration,
        legal_name="Hanoi Stitch Garment JSC",
        registration_number="0101234567",
        business_licence=pdf("licence.pdf"),
        country="VN",
        city="Hanoi",
        address="12 Tran Phu, Ha Dong",
        contact_name="Nguyen Van An",
        contact_phone="+84 24 1234 5678",
        moq="500 pcs per colour",
        lead_time_days=45,
        main_equipment="120 Juki sewing machines",
        qc_process_document=pdf("qc.pdf"),
        bank_account_holder="Hanoi Stitch Garment JSC",
        bank_name="Vietcombank",
        bank_swift="BFTVVNVX",
        bank_account_number="0011 0045 6789 1234",
        bank_currency="USD",
    )
    _add(registration, "site", kind="own_factory", name="Ha Dong factory", address="12 Tran Phu")
    _add(registration, "capacity", category=ProductCategoryFactory(name="Apparel"), monthly_capacity=80000)
    _add(
        registration,
        "certificate",
        standard="bsci",
        number="BSCI-77",
        issuer="amfori",
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 12, 31),
        document=pdf("bsci.pdf"),
    )
    _add(registration, "reference", company="Nordic Wear AB", contact_email="buyer@nordicwear.test")
    registration.refresh_from_db()
    return registration


def _add(registration, item, **fields):
    return registrations.registration_item_add(registration=registration, item=item, **fields)
