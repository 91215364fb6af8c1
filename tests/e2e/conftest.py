"""Browser fixtures for the end-to-end journeys: Debian's Chromium driven by Playwright against the
pytest-django live server.

Playwright's own browser downloads are never used: the tests launch /usr/bin/chromium. Without it the
tests fail (they are not skipped) so that a missing browser is never mistaken for a passing suite.
"""

import os
import re
import threading
import time
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.factories import TEST_TOTP_SECRET, totp_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network: without these Chromium stalls on its background requests.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SharedConnectionServer(ThreadedWSGIServer):
    """The live server, one request at a time when its threads share the test's in-memory SQLite connection.

    Django hands every request thread the very same connection object there; two requests at once (a page and its
    htmx updates) then interleave their statements on it, and one may read the session as missing and answer as
    signed out. Connections stay threaded (Chromium keeps idle ones open); only the application is serialised, body
    included, and only when the connection is shared (PostgreSQL runs untouched).
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = SharedConnectionServer
DEFAULT_TIMEOUT_MS = 10_000
PASSWORD = "pw-for-tests-123"  # what tests.factories.UserFactory sets
TOTP_PERIOD = 30  # seconds; allauth's default MFA_TOTP_PERIOD
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = E2E_DIR.parent.parent / "var" / "e2e-screenshots"


def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/e2e as `e2e`, so `-m "not e2e"` leaves the browser journeys out."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the `page` fixture can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_calls_beside_playwright():
    """Let the browser journeys' own ORM calls through, and only theirs: Playwright's sync API runs an asyncio
    event loop in this thread, and Django refuses ORM calls made there ("You cannot call this from an async
    context"). Set for the tests of this package only, and put back after the last of them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_allow_orm_calls_beside_playwright):
    """One headless Chromium for the browser journeys (closed after the last of them, so that Playwright's
    event loop is gone before the tests that follow)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"The e2e tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium` (do not run `playwright install`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Chromium reports every Content-Security-Policy violation in the console ("Refused to ... because it violates
# the following Content Security Policy directive ..."); this also reports each `securitypolicyviolation` event,
# so a violation is seen whichever way the browser tells it. Init scripts run outside the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} refused ` +
    `${event.blockedURI || "inline code"} on ${location.pathname} (${event.sourceFile}:${event.lineNumber})`);
});
"""
CSP_MARKER = "Content Security Policy"


def watch_for_csp_violations(context) -> list[str]:
    """Collect every Content-Security-Policy violation any page of `context` reports, as "url: message"."""
    violations = []
    context.add_init_script(script=REPORT_CSP_VIOLATIONS)

    def on_console(message):
        if CSP_MARKER in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return violations


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    """A fresh browser context (no cookies) on the live server, one page, closed after the test.

    The test fails if any page it opened reported a Content-Security-Policy violation (`page.csp_violations`).
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.csp_violations = violations
    yield page
    report = getattr(request.node, "rep_call", None)
    try:
        if report is not None and report.failed:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    except Exception as exc:  # a screenshot must never hide the test's own failure
        print(f"e2e: could not save a screenshot: {exc}")
    finally:
        context.close()
    if violations:
        message = "Content-Security-Policy violations:\n" + "\n".join(violations)
        if report is not None and report.passed:
            pytest.fail(message, pytrace=False)
        print(message)  # next to the test's own failure


def login(page, email, password=PASSWORD, totp_secret=None):
    """Sign in through the login form (and the second factor, if asked) and wait until the browser has left
    the sign-in pages. The code comes from `totp_secret`, by default the factories' TEST_TOTP_SECRET."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/2fa/authenticate/" in page.url:
        enter_totp_code(page, totp_secret or TEST_TOTP_SECRET)
    if "/accounts/login/" in page.url or "/accounts/2fa/authenticate/" in page.url:
        alerts = page.locator(".alert, .invalid-feedback").all_inner_texts()
        raise AssertionError(f"Sign-in as {email} failed; still on {page.url}: {alerts}")


def enter_totp_code(page, secret):
    """Type the authenticator app's current code; a code is accepted once, so wait for a fresh one if the
    current one was used a moment ago (by the enrolment or an earlier sign-in in the same test)."""
    for _attempt in range(2):
        page.locator("input[name=code]").fill(totp_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        if "/accounts/2fa/authenticate/" not in page.url:
            return
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 1)  # the next code
