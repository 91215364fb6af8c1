"""Sessions end after 8 hours without use and 7 days after signing in; users list and end their other
sessions; a password change ends them (and revokes API tokens unless the user keeps them)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from tests.factories import api_token_for

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"
NEW_PASSWORD = "another-long-password-42"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def signed_in(user, ip="10.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=f"Browser at {ip}")
    response = client.post(reverse("accounts:login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home"), response
    return client


def is_signed_in(client) -> bool:
    response = client.get(reverse("suppliers:list"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_session_ends_after_eight_idle_hours(buyer):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(buyer)
        traveller.shift(timedelta(hours=7, minutes=59))
        assert is_signed_in(client)
        traveller.shift(timedelta(hours=8, minutes=1))
        response = client.get(reverse("suppliers:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_use_keeps_a_session_alive_but_never_past_seven_days(buyer):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(buyer)
        for _ in range(27):  # a request every 6 hours: 6 days 18 hours
            traveller.shift(timedelta(hours=6))
            assert is_signed_in(client)
        traveller.shift(timedelta(hours=5, minutes=59))  # 6 days 23:59 after signing in
        assert is_signed_in(client)
        traveller.shift(timedelta(minutes=2))
        response = client.get(reverse("suppliers:list"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
        assert "Your session has ended" in response.content.decode()
        assert not is_signed_in(client)


def test_the_sessions_page_lists_sessions_and_ends_the_others(buyer):
    office, home = signed_in(buyer, "10.0.0.1"), signed_in(buyer, "10.0.0.2")
    page = office.get(reverse("usersessions_list")).content.decode()
    assert "10.0.0.1" in page and "10.0.0.2" in page and "This session" in page
    office.post(reverse("usersessions_list"))
    assert is_signed_in(office) and not is_signed_in(home)
    assert UserSession.objects.filter(user=buyer).count() == 1


def change_password(client, *, keep_tokens: bool):
    data = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    if keep_tokens:
        data["keep_api_tokens"] = "on"
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change_done")


def test_a_password_change_ends_the_other_sessions_and_revokes_api_tokens(buyer, api_client):
    office, home = signed_in(buyer, "10.0.0.1"), signed_in(buyer, "10.0.0.2")
    key = api_token_for(buyer)
    change_password(office, keep_tokens=False)
    assert is_signed_in(office) and not is_signed_in(home)
    assert list(UserSession.objects.filter(user=buyer).values_list("ip", flat=True)) == ["10.0.0.1"]
    assert ApiToken.objects.get(user=buyer).revoked_at is not None
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:supplier-list")).status_code == 401


def test_a_password_change_keeps_the_api_tokens_when_asked(buyer, api_client):
    office, home = signed_in(buyer, "10.0.0.1"), signed_in(buyer, "10.0.0.2")
    key = api_token_for(buyer)
    change_password(office, keep_tokens=True)
    assert not is_signed_in(home)  # sessions end either way
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(reverse("api:supplier-list")).status_code == 200


def test_a_password_reset_ends_every_session(buyer, client):
    from django.core import mail

    office = signed_in(buyer)
    client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    path = "/" + mail.outbox[0].body.split("://", 1)[1].split("/", 1)[1].split()[0]
    form = client.get(path, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not is_signed_in(office)


def test_a_password_change_is_notified_by_email_in_the_users_language(portal_a):
    from django.core import mail

    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    client = signed_in(portal_a)
    mail.outbox.clear()
    change_password(client, keep_tokens=True)
    [notice] = mail.outbox
    assert notice.to == [portal_a.email]
    assert notice.subject == "Forgeline: Mật khẩu Forgeline của bạn đã được đổi"
    assert "Địa chỉ IP: 10.0.0.1" in notice.body
