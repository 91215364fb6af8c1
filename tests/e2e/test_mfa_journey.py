"""A manager is made to set up an authenticator app at the first sign-in, then signs in with it."""

import re
import time

from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import TOTP_PERIOD, enter_totp_code, login
from tests.factories import UserFactory, totp_code


def test_manager_enrols_an_authenticator_app_and_signs_in_with_it(page):
    manager = UserFactory(role=Role.MANAGER, full_name="Mona Manager", mfa=False)

    # Password accepted, but a manager cannot use the app without a second factor: off to enrolment.
    login(page, manager.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_text("Your role requires two-factor authentication")).to_be_visible()
    page.goto("/suppliers/")  # every other page sends back here
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()

    # The "app" reads the key shown on the page and answers with its code.
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    # A code typed as its 30-second window ends is refused ("Incorrect code"), as a real app's would be: the app
    # then shows the next one, and so does this test (the page keeps the same key).
    for _attempt in range(2):
        page.get_by_label("Authenticator code").fill(totp_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Turn on").click()
        if "/accounts/2fa/totp/activate/" not in page.url:
            break
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 1)
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert page.locator("#recovery_codes li").count() == 10
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # Sign out, and in again: the password alone is not enough any more.
    page.get_by_role("button", name=manager.get_short_name()).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(manager.email.upper())
    page.locator("input[name=password]").fill("pw-for-tests-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    page.locator("input[name=code]").fill("000000" if totp_code(secret) != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    enter_totp_code(page, secret)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
