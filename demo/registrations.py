"""The demo's factory registrations: one submitted and waiting for review, one invited and not started."""

from datetime import date

from accounts.models import User
from demo.files import demo_pdf
from suppliers import registrations
from suppliers.models import ProductCategory, Registration

WAITING = "Da Nang Leatherworks"  # filled in Vietnamese and submitted: a buyer reviews it
INVITED = "Ningbo Bright Lamps"  # invited in Chinese, the link not opened yet


def seed_registrations(*, buyer: User) -> None:
    """Invite two new factories; one has filled in everything and submitted (safe to run twice)."""
    if Registration.objects.filter(company_name__in=[WAITING, INVITED]).exists():
        return
    registrations.registration_invite(
        company_name=INVITED, email="sales@ningbo-lamps.example", language="zh-hans", by=buyer
    )
    waiting = registrations.registration_invite(
        company_name=WAITING, email="owner@danang-leather.example", language="vi", by=buyer
    )
    registrations.registration_save(
        registration=waiting,
        legal_name="Da Nang Leatherworks Co., Ltd",
        registration_number="0401987654",
        business_licence=demo_pdf("Business licence 0401987654"),
        country="VN",
        city="Da Nang",
        address="88 Nguyen Van Linh, Hai Chau",
        contact_name="Le Thi Hoa",
        contact_title="Director",
        moq="300 pieces per style",
        lead_time_days=40,
        main_equipment="40 industrial sewing machines, 2 leather splitters, hot-stamping press",
        production_limitations="No chrome-free tanning in house (done by a subcontractor)",
        qc_process_document=demo_pdf("QC process: incoming, in-line, final AQL 2.5"),
        bank_account_holder="Da Nang Leatherworks Co., Ltd",
        bank_name="Vietcombank Da Nang",
        bank_swift="BFTVVNVX",
        bank_account_number="0041000123456789",
        bank_currency="USD",
    )
    category, _ = ProductCategory.objects.get_or_create(name="Accessories")
    add = registrations.registration_item_add
    add(
        registration=waiting,
        item="site",
        kind="own_factory",
        name="Hai Chau workshop",
        address="88 Nguyen Van Linh",
    )
    add(
        registration=waiting,
        item="site",
        kind="subcontractor",
        name="Hoa Khanh tannery",
        address="Lien Chieu",
    )
    add(registration=waiting, item="capacity", category=category, monthly_capacity=12000, unit="pcs")
    add(
        registration=waiting,
        item="certificate",
        standard="bsci",
        number="BSCI-DN-2291",
        issuer="amfori",
        valid_from=date(2026, 2, 1),
        valid_until=date(2028, 1, 31),
        document=demo_pdf("amfori BSCI audit report"),
    )
    add(
        registration=waiting,
        item="reference",
        company="Nordic Home AB",
        contact_email="sourcing@nordichome.example",
    )
    registrations.registration_submit(registration=waiting)


def registration_link() -> str:
    """Return the link of the invited, not yet started registration, for seed_demo to print (empty if none)."""
    invited = Registration.objects.filter(company_name=INVITED).first()
    return registrations.registration_url(invited) if invited else ""
