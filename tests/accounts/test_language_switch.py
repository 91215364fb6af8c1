"""The navbar's language menu (staff and portal) switches the pages' language through Django's set_language,
back to the same page, and keeps the choice on the user's profile."""

import re
import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The label of each button of the language menu.
LANGUAGE_NAME = re.compile(r'name="language" value="[^"]+" lang="[^"]+"[^>]*>([^<]+)</button>')


def shown_names(body: str) -> set[str]:
    """Return the language names the menu shows, in one Unicode form (Django's own names mix them)."""
    return {unicodedata.normalize("NFC", name) for name in LANGUAGE_NAME.findall(body)}


def switch(client, language, next_url):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_staff_navbar_offers_every_language_and_marks_the_current_one(client, buyer):
    client.force_login(buyer)
    body = client.get(reverse("suppliers:list")).content.decode()
    assert f'action="{reverse("set_language")}"' in body
    for code, _name in settings.LANGUAGES:
        assert f'name="language" value="{code}"' in body
    assert {"English", "简体中文", "Tiếng Việt"} <= shown_names(body)
    assert 'value="en" lang="en" aria-current="true"' in body


def test_each_language_is_offered_in_its_own_words_whatever_the_page_language(client, portal_a):
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    body = client.get(reverse("portal:orders")).content.decode()
    assert {"English", "简体中文", "Tiếng Việt"} <= shown_names(body)
    assert "Tiếng Anh" not in body


def test_a_factory_contact_switches_to_vietnamese_and_back_to_the_same_page(client, portal_a):
    client.force_login(portal_a)
    response = switch(client, "vi", reverse("portal:orders"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:orders")
    portal_a.refresh_from_db()
    assert portal_a.language == "vi"
    page = client.get(reverse("portal:orders"))
    assert page.headers["Content-Language"] == "vi"
    assert 'value="vi" lang="vi" aria-current="true"' in page.content.decode()


def test_the_choice_is_kept_on_the_profile_for_the_next_sign_in(client, buyer):
    client.force_login(buyer)
    switch(client, "zh-hans", "/")
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # another browser
    client.force_login(buyer)
    assert client.get(reverse("suppliers:list")).headers["Content-Language"] == "zh-hans"


def test_a_language_the_site_does_not_offer_changes_nothing(client, buyer):
    client.force_login(buyer)
    response = switch(client, "fr", "/suppliers/")
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    buyer.refresh_from_db()
    assert buyer.language == "en"


def test_a_next_address_of_another_site_is_not_followed(client, buyer):
    client.force_login(buyer)
    response = switch(client, "vi", "https://evil.example/")
    assert response["Location"] == "/"


def test_anonymous_visitors_switch_too_without_a_profile(client):
    response = switch(client, "vi", reverse("accounts:login"))
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"


def test_saving_the_profile_language_outranks_an_earlier_switch(client, buyer):
    client.force_login(buyer)
    switch(client, "vi", "/")
    client.post(
        reverse("accounts:profile"),
        {"full_name": buyer.full_name, "timezone": buyer.timezone, "language": "zh-hans"},
    )
    assert client.get(reverse("suppliers:list")).headers["Content-Language"] == "zh-hans"
