"""A new supplier's timezone follows its country; a registration number is one supplier's per country; a sort
chosen on the supplier list survives a filter change."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from suppliers import services
from suppliers.models import Supplier
from suppliers.timezones import country_timezone
from tests.factories import SupplierFactory, api_token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


@pytest.mark.parametrize(
    ("country", "zone"),
    [("CN", "Asia/Shanghai"), ("VN", "Asia/Ho_Chi_Minh"), ("BD", "Asia/Dhaka"), ("ZZ", "UTC"), ("", "UTC")],
)
def test_a_country_has_a_main_timezone(country, zone):
    assert country_timezone(country) == zone


def test_a_new_supplier_without_a_timezone_gets_its_countrys(buyer_client):
    response = buyer_client.post(
        reverse("suppliers:create"),
        {"name": "Hanoi Knits", "country": "VN", "timezone": "", "segment": "routine"},
    )
    assert response.status_code == 302
    assert Supplier.objects.get(name="Hanoi Knits").timezone == "Asia/Ho_Chi_Minh"


def test_the_new_supplier_form_offers_the_countrys_timezone_as_the_default(buyer_client):
    page = buyer_client.get(reverse("suppliers:create")).content.decode()
    assert "The country&#x27;s main timezone" in page or "The country's main timezone" in page


def test_a_chosen_timezone_is_kept(buyer, supplier_a):
    made = services.supplier_create(by=buyer, name="Kept", country="CN", timezone="Asia/Hong_Kong")
    assert made.timezone == "Asia/Hong_Kong"


def test_a_supplier_created_over_the_api_without_a_timezone_gets_its_countrys(api_client, buyer):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(buyer)}")
    response = api_client.post("/api/v1/suppliers/", {"name": "API Co", "country": "IN"}, format="json")
    assert response.status_code == 201, response.json()
    assert Supplier.objects.get(name="API Co").timezone == "Asia/Kolkata"


def test_a_registration_number_taken_in_the_same_country_is_refused(buyer_client, buyer):
    SupplierFactory(name="First", country="CN", registration_number="91310000-X")
    response = buyer_client.post(
        reverse("suppliers:create"),
        {"name": "Second", "country": "CN", "registration_number": " 91310000-X ", "segment": "routine"},
    )
    assert response.status_code == 400
    assert "A supplier of this country is already registered under this number." in response.content.decode()
    assert not Supplier.objects.filter(name="Second").exists()


def test_the_same_registration_number_in_another_country_or_an_empty_one_is_fine(buyer):
    SupplierFactory(name="First", country="CN", registration_number="12345")
    services.supplier_create(by=buyer, name="Second", country="VN", registration_number="12345")
    services.supplier_create(by=buyer, name="No number 1", country="CN", registration_number="")
    services.supplier_create(by=buyer, name="No number 2", country="CN", registration_number="")
    with pytest.raises(ValidationError):
        services.supplier_create(by=buyer, name="Third", country="CN", registration_number="12345")


def test_the_database_refuses_a_duplicate_registration_number_too(buyer):
    SupplierFactory(name="First", country="CN", registration_number="12345")
    with pytest.raises(IntegrityError), transaction.atomic():
        Supplier.objects.create(name="Second", country="CN", registration_number="12345", owner=buyer)


def test_the_api_refuses_a_duplicate_registration_number(api_client, buyer):
    SupplierFactory(name="First", country="CN", registration_number="12345")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(buyer)}")
    response = api_client.post(
        "/api/v1/suppliers/",
        {"name": "Second", "country": "CN", "registration_number": "12345"},
        format="json",
    )
    assert response.status_code == 400


def test_a_sort_chosen_on_the_table_is_kept_by_the_filter_form(buyer_client, supplier_a):
    response = buyer_client.get(reverse("suppliers:list"), {"ordering": "-country"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'name="ordering" id="ordering-input" value="-country" hx-swap-oob="true"' in page
    full = buyer_client.get(reverse("suppliers:list"), {"ordering": "-country", "stage": "approved"})
    assert 'name="ordering" id="ordering-input" value="-country"' in full.content.decode()
