"""API tokens: named, shown once, stored as a hash, optionally expiring, revocable on the profile page."""

import hashlib
import importlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken
from tests.factories import api_token_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def call_api(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(reverse("api:supplier-list"))


def test_a_token_created_on_the_profile_is_shown_once_and_stored_only_as_a_hash(client, buyer, api_client):
    client.force_login(buyer)
    response = client.post(reverse("accounts:api_token_create"), {"name": "ERP import", "expires_on": ""})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode() and key.startswith("flt_")
    token = ApiToken.objects.get(user=buyer)
    assert token.name == "ERP import" and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(key in str(value) for value in row.values())  # the database never holds the key
    assert token.prefix == key[:8]
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "ERP import" in profile and token.prefix in profile and key not in profile
    assert call_api(api_client, key).status_code == 200


def test_an_unknown_revoked_or_expired_token_gets_401_with_the_token_challenge(buyer, api_client):
    with time_machine.travel(NOW, tick=False) as traveller:
        lasts_today = api_token_for(buyer, expires_on=NOW.date())
        revoked = api_token_for(buyer)
        services.api_token_revoke(token=ApiToken.objects.get(name="test token", expires_on=None), by=buyer)
        assert call_api(api_client, lasts_today).status_code == 200
        for key in (revoked, "flt_not-a-key", lasts_today + "x"):
            response = call_api(api_client, key)
            assert response.status_code == 401 and response["WWW-Authenticate"] == "Token", key
        traveller.shift(timedelta(days=1))  # the day after its last day
        response = call_api(api_client, lasts_today)
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_last_use_is_written_at_most_once_a_minute(buyer, api_client):
    with time_machine.travel(NOW, tick=False) as traveller:
        key = api_token_for(buyer)
        call_api(api_client, key)
        token = ApiToken.objects.get(user=buyer)
        assert token.last_used_at == NOW
        traveller.shift(timedelta(seconds=59))
        call_api(api_client, key)
        token.refresh_from_db()
        assert token.last_used_at == NOW
        traveller.shift(timedelta(seconds=2))
        call_api(api_client, key)
        token.refresh_from_db()
        assert token.last_used_at == NOW + timedelta(seconds=61)


def test_revoking_on_the_profile_page_stops_the_token_and_others_tokens_are_out_of_reach(
    client, buyer, quality, api_client
):
    key = api_token_for(buyer)
    token = ApiToken.objects.get(user=buyer)
    client.force_login(quality)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert call_api(api_client, key).status_code == 200
    client.force_login(buyer)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    assert "was revoked" in response.content.decode() and "Revoked" in response.content.decode()
    assert call_api(api_client, key).status_code == 401


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "expires_on": ""}, "This field is required"),
        ({"name": "ERP", "expires_on": "2020-01-01"}, "cannot be in the past"),
        ({"name": "ERP", "expires_on": "2060-01-01"}, "three years at most"),
        ({"name": "ERP", "expires_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_token_requests_are_refused_with_a_message(client, buyer, data, message):
    client.force_login(buyer)
    response = client.post(reverse("accounts:api_token_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_admin_shows_tokens_read_only_and_cannot_create_them(client, admin_user):
    key = api_token_for(admin_user)
    token = ApiToken.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash in page and key not in page
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_the_migration_hashes_the_old_plain_text_keys_which_keep_working(buyer, api_client):
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [old_key, NOW, buyer.pk],
        )
    migration = importlib.import_module("accounts.migrations.0005_hash_authtoken_keys")
    migration.hash_authtoken_keys(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=buyer)
    assert token.key_hash == hashlib.sha256(old_key.encode()).hexdigest() and token.prefix == old_key[:8]
    assert call_api(api_client, old_key).status_code == 200
