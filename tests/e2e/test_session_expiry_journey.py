"""A session that ended while a page was open: the next htmx update goes to the sign-in page as a whole page
(never the sign-in form inside the supplier table), and signing in comes back to the same page."""

from django.urls import reverse

from tests.e2e.conftest import PASSWORD


def test_filtering_after_the_session_ended_signs_in_again_and_comes_back(page, buyer, supplier_a):
    page.goto(reverse("accounts:login"))
    page.locator("input[name=login]").fill(buyer.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(reverse("suppliers:list") + "?stage=prospect")
    page.get_by_role("link", name="Alpha Factory").wait_for()
    page.context.clear_cookies()  # the session ends (idle limit, sign-out elsewhere)
    with page.expect_navigation(url="**/accounts/login/?next=*"):
        page.locator("main input[name=q]").fill("Alp")
    assert page.locator("#supplier-table input[name=password]").count() == 0
    assert "next=%2Fsuppliers%2F%3Fstage%3Dprospect" in page.url
    page.locator("input[name=login]").fill(buyer.email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/suppliers/?stage=prospect")
