"""Supplier-A objects of factory registrations and bank details for the isolation test (tests/conftest.py)."""

from datetime import date, timedelta

from django.utils import timezone

from suppliers.models import BankDetailsChange, Registration, RegistrationCertificate


def registration_objects(supplier, staff_user, file) -> dict:
    """Supplier A's accepted registration (with its documents), a declared certificate and a bank change."""
    registration = Registration.objects.create(
        company_name=f"{supplier.name} (registered)",
        email="registrant@alpha.test",
        language="en",
        nonce="0" * 32,
        token_hash=f"{supplier.pk:064d}",
        expires_at=timezone.now() + timedelta(days=30),
        invited_by=staff_user,
        status=Registration.Status.ACCEPTED,
        supplier=supplier,
        business_licence=file("licence.pdf"),
        qc_process_document=file("qc.pdf"),
    )
    certificate = RegistrationCertificate.objects.create(
        registration=registration,
        standard="iso_9001",
        number="REG-CERT-1",
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 1, 1),
        document=file("declared.pdf"),
    )
    change = BankDetailsChange.objects.create(
        supplier=supplier,
        account_holder=supplier.name,
        bank_name="Bank of Alpha",
        account_number="DE89370400440532013000",
        reason="New bank",
        requested_by=staff_user,
    )
    return {"registration": registration, "registration_certificate": certificate, "bank_change": change}
