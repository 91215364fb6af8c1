"""An htmx request after the session ended loads the sign-in page as a whole page and comes back afterwards,
never the sign-in form swapped into a table or a form."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_get(client, url, current_url):
    return client.get(url, HTTP_HX_CURRENT_URL=current_url, **HTMX)


def test_htmx_request_without_a_session_gets_a_full_page_redirect_to_sign_in_and_back(client):
    response = htmx_get(client, "/suppliers/?q=ab", "http://testserver/suppliers/?stage=pilot")
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fsuppliers%2F%3Fstage%3Dpilot"
    assert not response.content  # nothing to swap into the page


def test_htmx_request_after_the_session_expired_is_sent_to_sign_in(buyer):
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        client.post(reverse("accounts:login"), {"login": buyer.email, "password": PASSWORD})
        assert htmx_get(client, reverse("suppliers:list"), "http://testserver/suppliers/").status_code == 200
        traveller.shift(timedelta(hours=9))
        response = htmx_get(
            client, reverse("audits:sampling_plan"), "http://testserver/quality/inspections/new/"
        )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fquality%2Finspections%2Fnew%2F"


def test_a_current_url_of_another_site_is_never_the_way_back(client):
    response = htmx_get(client, "/suppliers/", "https://evil.example/phish")
    assert response["HX-Redirect"] == "/accounts/login/?next=%2F"


def test_a_plain_request_without_a_session_still_gets_the_usual_redirect(client):
    response = client.get("/suppliers/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/suppliers/"


def test_a_signed_in_htmx_request_is_left_alone(client, buyer):
    client.force_login(buyer)
    response = htmx_get(client, reverse("suppliers:list"), "http://testserver/suppliers/")
    assert response.status_code == 200
    assert "HX-Redirect" not in response
