"""axe-core finds no serious or critical accessibility violation on the main staff and portal pages (every control
labelled, text contrast of 4.5:1, landmarks), and every page has a skip link, marks the current page in the navbar
and shows where the keyboard focus is."""

import pytest
from django.urls import reverse

from audits.models import ChecklistQuestion, ChecklistSection, ChecklistTemplate
from tests.e2e.conftest import login
from tests.e2e.phone import axe_violations
from tests.e2e.test_phone_journey import PORTAL_PAGES
from tests.factories import AuditFactory, UserFactory
from tests.test_isolation import ROUTES, build_url

STAFF_PAGES = [
    "home",
    "suppliers:list",
    "suppliers:detail",
    "audits:audit_create",
    "orders:list",
    "orders:detail",
    "scorecards:portfolio",
    "scorecards:flag_list",
    "payments:invoice_list",
    "payments:invoice_detail",
    "communications:issue_list",
    "communications:checkin_list",
    "audits:inspection_list",
    "audits:audit_list",
    "audits:capa_list",
    "audits:capa_detail",
]


@pytest.fixture
def checklist_audit(objects_a, quality):
    """A planned audit of supplier A with a checklist of 22 questions, as the one the walk-through found."""
    template = ChecklistTemplate.objects.create(name="Factory audit")
    for position, title in enumerate(["Quality system", "Production"], start=1):
        section = ChecklistSection.objects.create(template=template, title=title, position=position)
        for n in range(11):
            ChecklistQuestion.objects.create(section=section, text=f"{title} question {n + 1}", weight=1)
    return AuditFactory(supplier=objects_a["supplier"], lead_auditor=quality, template=template)


def check_pages(page, urls):
    found = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        found += axe_violations(page)
    assert not found, "\n".join(found)


def test_main_staff_pages_have_no_serious_accessibility_violation(page, objects_a, checklist_audit):
    quality = UserFactory(role="quality")
    login(page, quality.email)
    urls = [build_url(name, ROUTES[name].kwargs, objects_a) for name in STAFF_PAGES]
    urls.append(reverse("audits:audit_detail", args=[checklist_audit.pk]))  # the checklist to score
    check_pages(page, urls)


def test_portal_pages_have_no_serious_accessibility_violation(page, objects_a, portal_a):
    login(page, portal_a.email)
    check_pages(page, [build_url(name, ROUTES[name].kwargs, objects_a) for name in PORTAL_PAGES])


def test_a_keyboard_user_skips_to_the_content_and_sees_the_focus(page, objects_a, portal_a):
    login(page, portal_a.email)
    page.goto(reverse("portal:orders"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("(e) => e === document.activeElement")
    assert skip.is_visible()  # shown once focused
    outline = skip.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_navbar_marks_the_current_page(page, objects_a, portal_a):
    login(page, portal_a.email)
    page.goto(reverse("portal:order_detail", args=[objects_a["order"].pk]))
    current = page.locator('.navbar [aria-current="page"]')
    assert current.count() == 1 and current.inner_text().strip() == "Orders"
