"""Security headers, checked on every page: a Content-Security-Policy without 'unsafe-inline' whose nonce every
inline script carries, HTML without inline event handlers or style attributes (which that policy would block),
a Permissions-Policy, and Cache-Control: no-store on everything private (signed-in pages, PDFs, downloads, the
API). The pages come from the isolation test's table of every URL pattern, so a new page is checked too."""

import re
from base64 import b64encode
from hashlib import sha256
from html import unescape
from html.parser import HTMLParser

from django.test import override_settings
from django.urls import reverse

from tests.test_isolation import ADMIN_SAMPLES, ROUTES, build_url

# <script type="..."> values a browser runs; any other type is a data block (json_script, DRF's CSRF token).
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}


def policy_of(response) -> dict[str, list[str]]:
    """Parse the Content-Security-Policy header into {directive: [sources]}."""
    policy = {}
    for directive in response.get("Content-Security-Policy", "").split(";"):
        if directive.strip():
            name, *sources = directive.split()
            policy[name] = sources
    return policy


def nonce_of(policy) -> str | None:
    nonces = [s[len("'nonce-") : -1] for s in policy.get("script-src", []) if s.startswith("'nonce-")]
    return nonces[0] if nonces else None


class InlineCode(HTMLParser):
    """Collect what a policy without 'unsafe-inline' blocks: inline handlers, style attributes and blocks,
    javascript: URLs, and the nonce of every inline script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline_script_nonces: list[str | None] = []
        self.script_nonces: list[str] = []
        self.forgeline_page = False  # built on templates/_skeleton.html

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith(("on", "hx-on")):
                self.problems.append(f"<{tag} {name}=...>: an inline event handler")
            elif name == "style":
                self.problems.append(f'<{tag} style="{value}">: a style attribute')
            elif name in ("href", "src", "action", "formaction") and re.match(
                r"\s*javascript:", value or "", re.I
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("a <style> block")
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.forgeline_page = True
        if tag == "script":
            if attributes.get("nonce"):
                self.script_nonces.append(attributes["nonce"])
            if "src" not in attributes and (attributes.get("type") or "").lower() in SCRIPT_TYPES:
                self.inline_script_nonces.append(attributes.get("nonce"))


def page_problems(response, *, private: bool) -> list[str]:
    """Return what is wrong with one response's headers and, for HTML, its markup."""
    problems = []
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy is {response.get('Permissions-Policy')!r}")
    if private and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}")
    if not response.get("Content-Type", "").startswith("text/html"):
        return problems
    policy = policy_of(response)
    for directive in ("default-src", "script-src", "style-src"):
        if not policy.get(directive) or UNSAFE_SOURCES & set(policy[directive]):
            problems.append(f"{directive} is {policy.get(directive)}")
    for directive in ("object-src", "base-uri", "frame-ancestors"):
        if policy.get(directive) != ["'none'"]:
            problems.append(f"{directive} is {policy.get(directive)}")
    if policy.get("form-action") != ["'self'"]:
        problems.append(f"form-action is {policy.get('form-action')}")
    html = InlineCode()
    html.feed(response.content.decode())
    problems += html.problems
    nonce = nonce_of(policy)
    if html.forgeline_page and not nonce:
        problems.append("a Forgeline page whose policy has no nonce")
    if any(n != nonce for n in html.inline_script_nonces):
        problems.append(f"inline <script> with nonce {html.inline_script_nonces}, policy's is {nonce}")
    if any(n != nonce for n in html.script_nonces):
        problems.append(f"<script nonce> values {html.script_nonces} differ from the policy's {nonce}")
    return problems


def walk(client, urls, *, private=True, headers=None):
    """GET every url; return ({url: problems} for those with any, the number of HTML pages read)."""
    failures, html_pages = {}, 0
    for url in urls:
        response = client.get(url, headers=headers or {})
        html_pages += response.get("Content-Type", "").startswith("text/html") and bool(response.content)
        problems = page_problems(response, private=private)
        if problems:
            failures[f"{url} ({response.status_code})"] = problems
    return failures, html_pages


def route_urls(objects, areas):
    urls = [
        build_url(name, route.kwargs, objects)
        for name, route in sorted(ROUTES.items())
        if route.area in areas
    ]
    # The browsable API's HTML pages, and the list page an htmx request gets as a fragment.
    return urls + [
        build_url(n, r.kwargs, objects) + "?format=api" for n, r in ROUTES.items() if r.area == "api"
    ]


def test_every_staff_page_download_and_api_page_passes_the_policy(client, objects_a, manager):
    client.force_login(manager)
    urls = route_urls(objects_a, {"staff", "account", "public", "files", "api"})
    failures, html_pages = walk(client, urls)
    htmx_failures, _ = walk(client, [reverse("suppliers:list")], headers={"HX-Request": "true"})
    assert not {**failures, **htmx_failures}
    assert html_pages > 100  # the walk read real pages, so the checks above can fail


def test_every_portal_page_and_api_page_passes_the_policy(client, objects_a, portal_a):
    client.force_login(portal_a)
    urls = route_urls(objects_a, {"portal", "account", "public", "files", "api"})
    failures, html_pages = walk(client, urls)
    assert not failures
    # Portal pages, sign-in and account pages; the API answers a factory contact in JSON (the browsable API is
    # for staff only), so its pages are not among them.
    assert html_pages > 40


def test_admin_pages_pass_the_policy(client, objects_a, admin_user):
    client.force_login(admin_user)
    supplier = {"object_id": objects_a["supplier"].pk}
    urls = [build_url(name, kwargs, objects_a) for name, kwargs in ADMIN_SAMPLES] + [
        reverse("admin:suppliers_supplier_add"),
        reverse("admin:suppliers_supplier_history", kwargs=supplier),
        reverse("admin:accounts_user_changelist"),
    ]
    failures, html_pages = walk(client, urls)
    assert not failures
    assert html_pages == len(urls)


def test_signed_out_pages_pass_the_policy(client, db):
    urls = [reverse(name) for name in ("accounts:login", "accounts:password_reset", "home")]
    failures, html_pages = walk(client, urls, private=False)
    assert not failures
    assert html_pages == 2  # home redirects to the login page


def test_error_pages_pass_the_policy(client, manager, portal_a):
    for user in (manager, portal_a):
        client.force_login(user)
        failures, html_pages = walk(
            client, ["/no-such-page/", reverse("portal:home" if user == manager else "home")]
        )
        assert not failures
        assert html_pages >= 1


def test_every_forgeline_page_gets_its_own_nonce(client, manager):
    client.force_login(manager)
    first, second = (nonce_of(policy_of(client.get(reverse("suppliers:list")))) for _ in range(2))
    assert first and second and first != second
    page = client.get(reverse("suppliers:list"))
    assert f'nonce="{nonce_of(policy_of(page))}"' in page.content.decode()


def test_server_error_page_has_no_inline_style(rf):
    from django.views.defaults import server_error

    html = InlineCode()
    html.feed(server_error(rf.get("/")).content.decode())
    assert not html.problems


def test_swagger_ui_starts_from_a_script_file_not_an_inline_script(client, buyer):
    client.force_login(buyer)
    page = client.get(reverse("api:docs"))
    assert not page_problems(page, private=True)
    script_url = re.search(r'<script src="([^"]*script[^"]*)"', page.content.decode()).group(1)
    script = client.get(unescape(script_url))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
    assert "no-store" in script["Cache-Control"]  # it holds the CSRF token


def test_digest_preview_allows_exactly_the_style_attributes_of_the_email(client, manager):
    client.force_login(manager)
    response = client.get(reverse("scorecards:digest_preview"))
    email = unescape(re.search(r'srcdoc="([^"]*)"', response.content.decode()).group(1))
    styles = set(re.findall(r'style="([^"]*)"', email))
    assert len(styles) > 5
    allowed = {s for s in policy_of(response)["style-src"] if s.startswith("'sha256-")}
    assert allowed == {
        f"'sha256-{b64encode(sha256(unescape(s).encode()).digest()).decode()}'" for s in styles
    }
    assert "'unsafe-hashes'" in policy_of(response)["style-src"]
    assert not page_problems(response, private=True)
    # Every other page allows no style attribute at all.
    assert policy_of(client.get(reverse("scorecards:portfolio")))["style-src"] == ["'self'"]


def test_api_answers_are_never_stored(api_client, buyer):
    anonymous = api_client.get(reverse("api:supplier-list"))
    assert anonymous.status_code == 401 and anonymous["Cache-Control"] == "no-store"
    api_client.force_authenticate(buyer)
    signed_in = api_client.get(reverse("api:supplier-list"))
    assert signed_in.status_code == 200 and signed_in["Cache-Control"] == "no-store"


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, manager):
    client.force_login(manager)
    response = client.get(reverse("accounts:login"))  # Django's login view is never_cache
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_static_files_keep_their_cache_lifetime_for_a_signed_in_user(client, manager):
    client.force_login(manager)
    with override_settings(WHITENOISE_USE_FINDERS=True):  # whitenoise serves static/ without collectstatic
        static = client.get("/static/css/forgeline.css")
    assert static.status_code == 200
    assert "no-store" not in static["Cache-Control"] and "max-age" in static["Cache-Control"]
