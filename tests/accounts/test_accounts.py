"""Accounts: the role/supplier rule, sign-in and where it lands, throttling, preferences, tokens."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"


def test_factory_contact_without_supplier_is_refused_by_the_database(supplier_a):
    with pytest.raises(IntegrityError):
        User.objects.create(email="x@f.test", full_name="X", role=Role.SUPPLIER)


def test_staff_member_with_a_supplier_is_refused_by_the_database(supplier_a):
    with pytest.raises(IntegrityError):
        User.objects.create(email="x@f.test", full_name="X", role=Role.PROCUREMENT, supplier=supplier_a)


def test_emails_are_case_insensitive_at_sign_in(client, buyer):
    response = client.post(reverse("accounts:login"), {"login": buyer.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_factory_contact_lands_in_the_portal(client, portal_a):
    response = client.post(
        reverse("accounts:login"), {"login": portal_a.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert portal_a.supplier.name in response.content.decode()


def test_wrong_password_shows_an_error(client, buyer):
    response = client.post(reverse("accounts:login"), {"login": buyer.email, "password": "nope"})
    assert response.status_code == 200 and "are not correct" in response.content.decode()


def test_throttling_locks_the_username_from_one_address_only(client, buyer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(
            reverse("accounts:login"), {"login": buyer.email, "password": "bad"}, REMOTE_ADDR="10.0.0.1"
        )
    locked = client.post(
        reverse("accounts:login"), {"login": buyer.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429 and "locked" in locked.content.decode()
    # A colleague behind the same office address still signs in...
    colleague = UserFactory(role=Role.QUALITY)
    ok = client.post(
        reverse("accounts:login"), {"login": colleague.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert ok.status_code == 302
    client.logout()
    # ...and so does the same user from another address.
    ok = client.post(
        reverse("accounts:login"), {"login": buyer.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert ok.status_code == 302


def test_pages_need_a_login(client):
    response = client.get(reverse("suppliers:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_password_reset_sends_a_link(client, buyer):
    client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_saves_timezone_and_dates_show_in_it(client, buyer, supplier_a):
    from datetime import UTC, datetime

    from suppliers.models import StageChange

    StageChange.objects.create(
        supplier=supplier_a,
        from_stage="prospect",
        to_stage="vetting",
        changed_by=buyer,
        changed_at=datetime(2026, 1, 1, 20, 0, tzinfo=UTC),
        reason="r",
    )
    client.force_login(buyer)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Bea B", "timezone": "Asia/Shanghai", "language": "en"}
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.timezone == "Asia/Shanghai"
    body = client.get(reverse("suppliers:tab", args=[supplier_a.pk, "stages"])).content.decode()
    assert "2026-01-02 04:00" in body  # 20:00 UTC is 04:00 the next day in Shanghai


def test_profile_refuses_an_unknown_timezone(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Bea", "timezone": "Mars/Base", "language": "en"}
    )
    assert response.status_code == 200 and "not one of the available choices" in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.timezone == "UTC"


def test_staff_opening_the_portal_get_403_with_an_explanation(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("portal:home"))
    assert (
        response.status_code == 403 and "supplier portal is for factory contacts" in response.content.decode()
    )


def test_user_timezone_is_active_during_the_request(client, buyer, supplier_a):
    from django.utils import timezone

    buyer.timezone = "Asia/Ho_Chi_Minh"
    buyer.save()
    client.force_login(buyer)
    response = client.get(reverse("suppliers:list"))
    assert response.status_code == 200
    assert timezone.get_current_timezone_name() == "UTC"  # and it is switched off afterwards
