"""factory_boy factories for every model the tests build."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from suppliers.models import (
    CapacityAssessment,
    Certification,
    ClientReference,
    Contact,
    Contract,
    ProductCategory,
    Stage,
    Supplier,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@forgeline.test")
    full_name = factory.Faker("name")
    role = Role.PROCUREMENT
    password = factory.django.Password("pw-for-tests-123")


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ["name"]

    name = factory.Iterator(["Apparel", "Electronics", "Furniture"])


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Factory {n:03d} Ltd")
    country = "CN"
    city = "Shenzhen"
    timezone = "Asia/Shanghai"
    owner = factory.SubFactory(UserFactory, role=Role.PROCUREMENT)
    stage = Stage.PROSPECT


class PortalUserFactory(UserFactory):
    role = Role.SUPPLIER
    supplier = factory.SubFactory(SupplierFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Faker("name")
    role = Contact.Role.SALES
    email = factory.Sequence(lambda n: f"contact{n}@factory.test")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    supplier = factory.SubFactory(SupplierFactory)
    standard = "iso_9001"
    number = factory.Sequence(lambda n: f"ISO-{n:05d}")
    issuer = "SGS"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    status = Certification.Status.VERIFIED
    document = factory.django.FileField(filename="cert.pdf", data=PDF_BYTES)


class ClientReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientReference

    supplier = factory.SubFactory(SupplierFactory)
    company = factory.Faker("company")
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    outcome = ClientReference.Outcome.POSITIVE


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    supplier = factory.SubFactory(SupplierFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    assessed_by = factory.SubFactory(UserFactory, role=Role.QUALITY)
    revenue_band = CapacityAssessment.RevenueBand.FROM_10M
    headcount = 400
    production_lines = 6
    monthly_capacity = 50000
    financial_risk = CapacityAssessment.Risk.LOW


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    supplier = factory.SubFactory(SupplierFactory)
    title = "Master supply agreement"
    quality_standard = "AQL 2.5"
    lead_time_days = 45
    incoterm = "FOB"
    payment_terms_days = 30
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=31))
    document = factory.django.FileField(filename="contract.pdf", data=PDF_BYTES)
