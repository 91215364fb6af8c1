"""Two-factor authentication: enrolment, sign-in with an app code or a recovery code, the roles that must have
it, and the invitation the others get."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.factories import TEST_TOTP_SECRET, UserFactory, mfa_enrol, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"


def sign_in(client, user, **extra):
    return client.post(reverse("accounts:login"), {"login": user.email, "password": PASSWORD}, **extra)


def enrol_through_the_pages(client):
    """Set up an authenticator app as a user does: read the key off the page, answer with the app's code."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode() and "<svg" in page.content.decode()  # key and QR code
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def test_a_buyer_enrols_an_authenticator_app_and_then_needs_its_code_to_sign_in(client, buyer):
    assert sign_in(client, buyer)["Location"] == reverse("home")
    secret = enrol_through_the_pages(client)
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert len(codes) == 10
    client.post(reverse("accounts:logout"))

    response = sign_in(client, buyer)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in while the code is pending
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert refused.status_code == 200 and "Incorrect code" in refused.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_an_app_code_is_accepted_once(client, buyer):
    mfa_enrol(buyer)
    code = totp_code()
    sign_in(client, buyer)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, buyer)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 200 and "Incorrect code" in replay.content.decode()


def test_a_recovery_code_signs_in_once(client, buyer):
    codes = mfa_enrol(buyer)
    sign_in(client, buyer)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]})["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    sign_in(client, buyer)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]})["Location"] == reverse("home")


def test_guessing_codes_is_throttled_per_account(client, buyer):
    mfa_enrol(buyer)
    sign_in(client, buyer)
    wrong = "000000" if totp_code() != "000000" else "111111"
    for _ in range(10):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert refused.status_code == 200 and "Too many failed" in refused.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_administrators_must_enrol_before_anything_else(client, role):
    user = UserFactory(role=role, mfa=False, is_staff=role == Role.ADMIN)
    assert sign_in(client, user)["Location"] == reverse("home")
    for name in ("home", "suppliers:list", "accounts:profile", "admin:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
    api = client.get(reverse("api:supplier-list"))
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    page = client.get(reverse("mfa_activate_totp"))
    assert "Your role requires two-factor authentication" in page.content.decode()
    enrol_through_the_pages(client)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("suppliers:list")).status_code == 200


def test_a_manager_cannot_turn_the_authenticator_app_off(client, manager):
    sign_in(client, manager)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).exists()


def test_a_factory_contact_may_turn_the_app_off_again(client, portal_a):
    sign_in(client, portal_a)
    enrol_through_the_pages(client)
    assert client.post(reverse("mfa_deactivate_totp"))["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=portal_a, type=Authenticator.Type.TOTP).exists()


def test_the_admin_site_signs_in_through_the_sign_in_page(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    posted = client.post(reverse("admin:login"), {"username": "x@y.test", "password": "whatever"})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("accounts:login"))


def test_factory_contacts_reach_their_security_pages(client, portal_a):
    client.force_login(portal_a)
    for name in ("mfa_index", "account_reauthenticate", "usersessions_list", "accounts:profile"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        if name != "account_reauthenticate":
            assert portal_a.supplier.name in response.content.decode(), name  # in the portal's frame
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_buyers_and_factory_contacts_are_invited_to_enrol_and_may_say_not_now(client, portal_a):
    client.force_login(portal_a)
    home = client.get(reverse("portal:home")).content.decode()
    assert 'id="mfa-prompt"' in home
    response = client.post(reverse("accounts:mfa_prompt_dismiss"), {"next": reverse("portal:home")})
    assert response["Location"] == reverse("portal:home")
    assert 'id="mfa-prompt"' not in client.get(reverse("portal:home")).content.decode()
    # Not an open redirect.
    response = client.post(reverse("accounts:mfa_prompt_dismiss"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_invitation_is_not_shown_to_someone_enrolled(client, buyer):
    client.force_login(buyer)
    assert 'id="mfa-prompt"' in client.get(reverse("home")).content.decode()
    mfa_enrol(buyer, TEST_TOTP_SECRET)
    assert 'id="mfa-prompt"' not in client.get(reverse("home")).content.decode()
    assert "Two-factor authentication is on." in client.get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("vi", ["Đăng nhập", "Mật khẩu", "Xác thực hai lớp", "Mã", "Mã không đúng."]),
        ("zh-hans", ["登录", "密码", "双重验证", "验证码", "验证码不正确。"]),
    ],
)
def test_sign_in_and_the_second_factor_read_in_the_visitors_language(client, portal_a, language, words):
    mfa_enrol(portal_a)
    login_page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in login_page
    response = client.post(
        reverse("accounts:login"),
        {"login": portal_a.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    wrong = "000000" if totp_code() != "000000" else "111111"
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE=language)
    body = login_page + response.content.decode() + refused.content.decode()
    for word in words:
        assert word in body, word
    for english in ("Sign in", "Password", "Two-factor authentication", "Incorrect code"):
        assert english not in body.replace("Forgeline", ""), english


def test_the_demo_manager_signs_in_with_the_printed_key_and_make_totps_code(client):
    from io import StringIO

    from django.core.management import call_command

    from demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, Command

    staff = Command().create_staff()
    Command().create_staff()  # idempotent: still one authenticator app each
    manager = staff[Role.MANAGER]
    assert Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).count() == 1
    assert not Authenticator.objects.filter(user=staff[Role.PROCUREMENT]).exists()
    out = StringIO()
    call_command("demo_totp", stdout=out)
    code = out.getvalue().split()[0]
    assert code == totp_code(DEMO_TOTP_SECRET) or code == totp_code(DEMO_TOTP_SECRET, at=time.time() - 5)
    client.post(reverse("accounts:login"), {"login": manager.email, "password": DEMO_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert response["Location"] == reverse("home")


def test_a_managers_home_page_asks_for_the_second_factor_once(client, manager):
    """The MFA middleware and the home page's invitation share one answer per request (it was read twice)."""
    sign_in(client, manager)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]
    assert len(reads) == 1, reads
