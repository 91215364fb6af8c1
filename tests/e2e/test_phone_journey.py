"""A factory contact on a 390×844 phone: every portal page fits the screen (no sideways scrolling, every action
within reach), in English and Vietnamese (the longest words), and a corrective action is answered with a photo
taken by the phone's camera without losing what was typed."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from audits.models import CorrectiveAction, CorrectiveActionEvidence
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.e2e.phone import PHONE, layout_problems
from tests.test_isolation import ROUTES, build_url

# Portal URL names that answer a file (a PDF, a document), not a page.
DOWNLOAD_SUFFIXES = ("_pdf", "_document", "_download")
PORTAL_PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if route.area == "portal" and route.owner_get == 200 and not name.endswith(DOWNLOAD_SUFFIXES)
)
# The factory contact's own account pages, in the portal's layout.
ACCOUNT_PAGES = ["accounts:profile", "accounts:password_change", "usersessions_list", "mfa_index"]


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A phone-sized touch browser (390×844, as an iPhone 12–15) on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="en-GB",
        timezone_id="UTC",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, violations


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_portal_pages_are_listed():
    assert {"portal:order_detail", "portal:invoices", "portal:capa_detail"} <= set(PORTAL_PAGES)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_portal_page_fits_a_phone(phone, objects_a, portal_a, language):
    portal_a.language = language
    portal_a.save(update_fields=["language"])
    login(phone, portal_a.email)
    problems = {}
    urls = [build_url(name, ROUTES[name].kwargs, objects_a) for name in PORTAL_PAGES]
    urls += [reverse(name) for name in ACCOUNT_PAGES]
    for url in urls:
        response = phone.goto(url)
        assert response.status == 200, url
        found = layout_problems(phone)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {'; '.join(found)}" for url, found in problems.items())


def test_the_order_page_actions_are_on_screen(phone, objects_a, portal_a):
    login(phone, portal_a.email)
    phone.goto(reverse("portal:order_detail", args=[objects_a["order"].pk]))
    for name in ("Propose new date", "Record shipment"):
        action = phone.get_by_role("link", name=name).or_(phone.get_by_role("button", name=name)).first
        action.scroll_into_view_if_needed()
        box = action.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)


def test_the_menu_opens_and_fits_on_a_phone(phone, portal_a):
    login(phone, portal_a.email)
    phone.goto(reverse("portal:home"))
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Orders").wait_for()
    assert not layout_problems(phone)


def test_a_factory_answers_a_corrective_action_with_a_camera_photo(phone, objects_a, portal_a):
    capa = objects_a["capa"]
    login(phone, portal_a.email)
    phone.goto(reverse("portal:capa_detail", args=[capa.pk]))
    # The factory starts typing its answer...
    phone.get_by_label("Containment").fill("Held back the whole lot; 14 cartons sorted.")
    phone.get_by_label("Root cause").fill("Gauge calibration lapsed in March.")
    # ...then takes a photo of the recalibrated gauge and attaches it.
    file_input = phone.locator("input[type=file][name=file]")
    assert file_input.get_attribute("capture") == "environment"
    assert file_input.get_attribute("accept") == "image/*,application/pdf"
    file_input.set_input_files({"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()})
    phone.get_by_label("What it shows").fill("Gauge after calibration")
    phone.get_by_role("button", name="Attach").click()
    phone.get_by_text("Evidence attached.").wait_for()
    phone.get_by_role("link", name="Gauge after calibration").wait_for()
    # Nothing typed was lost.
    assert phone.get_by_label("Containment").input_value() == "Held back the whole lot; 14 cartons sorted."
    assert phone.get_by_label("Root cause").input_value() == "Gauge calibration lapsed in March."
    assert not layout_problems(phone)
    # The rest of the answer, and it goes to QC.
    phone.get_by_label("Owner at the supplier").fill("Li Wei, QA manager")
    phone.get_by_label("Corrective action").fill("Gauge recalibrated; calibration log checked weekly.")
    phone.get_by_label("Preventive action").fill("Calibration dates in the ERP with reminders.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Submit for verification").click()
    phone.get_by_text("Your answer was sent to our QC team.").wait_for()
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.SUBMITTED
    assert capa.containment == "Held back the whole lot; 14 cartons sorted."
    evidence = CorrectiveActionEvidence.objects.filter(action=capa, note="Gauge after calibration").get()
    assert evidence.file.read()[:2] == b"\xff\xd8"  # the JPEG as taken


@pytest.mark.parametrize("width", [1280])
def test_the_vietnamese_navbar_keeps_each_item_on_one_line(page, buyer, width):
    buyer.language = "vi"
    buyer.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 800})
    login(page, buyer.email)
    page.goto(reverse("suppliers:list"))
    heights = page.eval_on_selector_all(
        ".navbar .nav-link",
        "(links) => links.map((l) => [l.innerText.trim(), l.getBoundingClientRect().height])",
    )
    assert heights and all(height < 48 for _text, height in heights), heights  # one line is about 40 px
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not layout_problems(page)
