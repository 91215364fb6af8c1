"""Portal isolation, checked on every URL pattern of the project.

The table below names every URL pattern. The first test walks the URLconf and fails when a pattern is
missing from the table, so a new page, download or API endpoint is covered without anyone remembering.
Each pattern is then requested as anonymous, as a factory contact of supplier B (for objects of supplier A),
as a factory contact of supplier A, and as a buyer.
"""

import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from core.api import StaffBrowsableContentNegotiation
from tests.audits.capability_routes import ROUTES as CAPABILITY_ROUTES
from tests.audits.switching_routes import ROUTES as SWITCHING_ROUTES
from tests.audits.verification_routes import ROUTES as VERIFICATION_ROUTES
from tests.communications.routes import ROUTES as COMMUNICATION_ROUTES
from tests.exports.routes import PUBLIC_NOT_FOUND as FEED_PUBLIC_NOT_FOUND
from tests.exports.routes import ROUTES as EXPORT_ROUTES
from tests.imports.routes import ROUTES as IMPORT_ROUTES
from tests.integrations.routes import ROUTES as INTEGRATION_ROUTES
from tests.invitations.routes import PUBLIC_NOT_FOUND as INVITATION_PUBLIC_NOT_FOUND
from tests.invitations.routes import ROUTES as INVITATION_ROUTES
from tests.isolation import A, Route
from tests.orders.disruption_routes import ROUTES as DISRUPTION_ROUTES
from tests.orders.production_routes import ROUTES as PRODUCTION_ROUTES
from tests.orders.routes import ROUTES as ORDER_CHANGE_ROUTES
from tests.partnership.ideas_routes import ROUTES as IDEAS_ROUTES
from tests.partnership.outreach_routes import ROUTES as OUTREACH_ROUTES
from tests.payments.routes import ROUTES as PAYMENT_ROUTES
from tests.planning.routes import ROUTES as PLANNING_ROUTES
from tests.pricing.routes import ROUTES as PRICING_ROUTES
from tests.registrations.routes import PUBLIC_NOT_FOUND as REGISTRATION_PUBLIC_NOT_FOUND
from tests.registrations.routes import ROUTES as REGISTRATION_ROUTES
from tests.rivals import MARKERS as RIVAL_MARKERS
from tests.rivals import rival_objects
from tests.scorecards.letter_routes import ROUTES as LETTER_ROUTES
from tests.scorecards.routes import ROUTES as SCORECARD_ROUTES

METHODS = ["get", "post", "put", "patch", "delete"]
MISSING = 987654321  # an id no row has


ROUTES: dict[str, Route] = {
    "home": Route("staff"),
    "search": Route("staff"),
    "api:search-list": Route("api", owner_get=200),
    "api:me-tasks-list": Route("api", owner_get=200),
    "files:download": Route("files", {"name": A("certification#document")}, owner_get=200),
    "set_language": Route("public", buyer_get=302),
    "healthz": Route("public"),  # 200 or 503 for the container's health probe; no data
    "health": Route("public"),  # JSON health report (config/health.py): 200 or 503, no secrets
    # Staff pages
    "suppliers:list": Route("staff"),
    "suppliers:create": Route("staff"),
    "suppliers:picker": Route("staff"),
    "suppliers:detail": Route("staff", {"pk": A("supplier")}),
    "suppliers:tab": Route("staff", {"pk": A("supplier"), "tab": "certifications"}),
    "suppliers:edit": Route("staff", {"pk": A("supplier")}),
    "suppliers:stage": Route("staff", {"pk": A("supplier")}),
    "suppliers:registration_check": Route("staff", {"pk": A("supplier")}, buyer_get=405),
    "suppliers:contact_create": Route("staff", {"pk": A("supplier")}),
    "suppliers:contact_edit": Route("staff", {"pk": A("supplier"), "child_pk": A("contact")}),
    "suppliers:contact_deactivate": Route(
        "staff", {"pk": A("supplier"), "child_pk": A("contact")}, buyer_get=405
    ),
    "suppliers:certification_create": Route("staff", {"pk": A("supplier")}),
    "suppliers:certification_edit": Route("staff", {"pk": A("supplier"), "child_pk": A("certification")}),
    "suppliers:certification_review": Route(
        "staff", {"pk": A("supplier"), "child_pk": A("certification")}, buyer_get=405
    ),
    "suppliers:certification_document": Route("staff", {"pk": A("supplier"), "child_pk": A("certification")}),
    "suppliers:reference_create": Route("staff", {"pk": A("supplier")}),
    "suppliers:reference_edit": Route("staff", {"pk": A("supplier"), "child_pk": A("reference")}),
    "suppliers:assessment_create": Route("staff", {"pk": A("supplier")}),
    "suppliers:assessment_edit": Route("staff", {"pk": A("supplier"), "child_pk": A("assessment")}),
    "suppliers:contract_create": Route("staff", {"pk": A("supplier")}),
    "suppliers:contract_edit": Route("staff", {"pk": A("supplier"), "child_pk": A("contract")}),
    "suppliers:contract_document": Route("staff", {"pk": A("supplier"), "child_pk": A("contract")}),
    "orders:list": Route("staff"),
    "orders:create": Route("staff"),
    "orders:detail": Route("staff", {"pk": A("order")}),
    "orders:send": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:cancel": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:close": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:line_change": Route("staff", {"pk": A("order"), "line_pk": A("line")}),
    "orders:delivery_receive": Route("staff", {"pk": A("order"), "delivery_pk": A("delivery")}),
    "orders:supplier_hints": Route("staff"),
    "orders:renumber": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:pdf": Route("staff", {"pk": A("order")}),
    "orders:proposal_decide": Route("staff", {"pk": A("order"), "proposal_pk": A("proposal")}, buyer_get=405),
    "audits:inspection_list": Route("staff"),
    "audits:inspection_create": Route("staff", buyer_get=403),  # quality staff record inspections
    "audits:inspection_detail": Route("staff", {"pk": A("inspection")}),
    "audits:sampling_plan": Route("staff"),
    "audits:inspection_choices": Route("staff", buyer_get=403),
    "audits:batch_test_list": Route("staff"),
    "audits:batch_test_review": Route("staff", {"pk": A("batch_test")}, buyer_get=405),
    "audits:audit_list": Route("staff"),
    "audits:audit_create": Route("staff", buyer_get=403),
    "audits:audit_detail": Route("staff", {"pk": A("audit")}),
    "audits:audit_cancel": Route("staff", {"pk": A("audit")}, buyer_get=405),
    "audits:finding_add": Route("staff", {"pk": A("audit")}, buyer_get=405),
    "audits:audit_pdf": Route("staff", {"pk": A("audit")}),
    "audits:hold_decide": Route("staff", {"pk": A("hold")}, buyer_get=405),
    "audits:capa_list": Route("staff"),
    "audits:capa_create": Route("staff", buyer_get=403),
    "audits:capa_detail": Route("staff", {"pk": A("capa")}),
    "audits:capa_verify": Route("staff", {"pk": A("capa")}, buyer_get=405),
    "scorecards:pilot_list": Route("staff"),
    "scorecards:pilot_create": Route("staff", {"supplier_pk": A("supplier")}),
    "scorecards:pilot_detail": Route("staff", {"pk": A("pilot")}),
    # The weekly digest is a manager's: a buyer is refused.
    "scorecards:digest_preview": Route("staff", buyer_get=403),
    "scorecards:digest_preview_pdf": Route("staff", buyer_get=403),
    "scorecards:digest_preferences": Route("staff", buyer_get=403),
    # Portal pages
    "portal:orders": Route("portal", buyer_get=403, owner_get=200),
    "portal:order_detail": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    "portal:order_pdf": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    "portal:delivery_propose": Route("portal", {"pk": A("delivery")}, buyer_get=403, owner_get=200),
    "portal:delivery_ship": Route("portal", {"pk": A("delivery")}, buyer_get=403, owner_get=200),
    "portal:inspections": Route("portal", buyer_get=403, owner_get=200),
    "portal:batch_tests": Route("portal", buyer_get=403, owner_get=200),
    "portal:audits": Route("portal", buyer_get=403, owner_get=200),
    "portal:audit_detail": Route("portal", {"pk": A("audit")}, buyer_get=403, owner_get=200),
    "portal:audit_pdf": Route("portal", {"pk": A("audit")}, buyer_get=403, owner_get=200),
    "portal:capa_list": Route("portal", buyer_get=403, owner_get=200),
    "portal:capa_detail": Route("portal", {"pk": A("capa")}, buyer_get=403, owner_get=200),
    "portal:home": Route("portal", buyer_get=403, owner_get=200),
    "portal:search": Route("portal", buyer_get=403, owner_get=200),
    "portal:contacts": Route("portal", buyer_get=403, owner_get=200),
    "portal:contact_create": Route("portal", buyer_get=403, owner_get=200),
    "portal:contact_edit": Route("portal", {"pk": A("contact")}, buyer_get=403, owner_get=200),
    "portal:certifications": Route("portal", buyer_get=403, owner_get=200),
    "portal:certification_upload": Route("portal", buyer_get=403, owner_get=200),
    "portal:certification_document": Route(
        "portal", {"pk": A("certification")}, buyer_get=403, owner_get=200
    ),
    # API
    "api:api-root": Route("api", owner_get=200),
    "api:schema": Route("api", owner_get=200),
    "api:docs": Route("api", owner_get=200),
    "api:supplier-list": Route("api", owner_get=200),
    "api:supplier-detail": Route("api", {"pk": A("supplier")}, owner_get=200),
    "api:contact-list": Route("api", owner_get=200),
    "api:contact-detail": Route("api", {"pk": A("contact")}, owner_get=200),
    "api:certification-list": Route("api", owner_get=200),
    "api:certification-detail": Route("api", {"pk": A("certification")}, owner_get=200),
    "api:certification-review": Route("api", {"pk": A("certification")}, buyer_get=405, owner_get=405),
    "api:certification-document": Route("api", {"pk": A("certification")}, owner_get=200),
    "api:order-list": Route("api", owner_get=200),
    "api:order-detail": Route("api", {"pk": A("order")}, owner_get=200),
    "api:order-send": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:order-acknowledge": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:delivery-list": Route("api", owner_get=200),
    "api:delivery-detail": Route("api", {"pk": A("delivery")}, owner_get=200),
    "api:delivery-receive": Route("api", {"pk": A("delivery")}, buyer_get=405, owner_get=405),
    "api:delivery-ship": Route("api", {"pk": A("delivery")}, buyer_get=405, owner_get=405),
    "api:delivery-propose-date": Route("api", {"pk": A("delivery")}, buyer_get=405, owner_get=405),
    "api:inspection-list": Route("api", owner_get=200),
    "api:inspection-detail": Route("api", {"pk": A("inspection")}, owner_get=200),
    "api:batch-test-list": Route("api", owner_get=200),
    "api:batch-test-detail": Route("api", {"pk": A("batch_test")}, owner_get=200),
    "api:audit-list": Route("api", owner_get=200),
    "api:audit-detail": Route("api", {"pk": A("audit")}, owner_get=200),
    "api:corrective-action-list": Route("api", owner_get=200),
    "api:corrective-action-detail": Route("api", {"pk": A("capa")}, owner_get=200),
    "api:corrective-action-submit": Route("api", {"pk": A("capa")}, buyer_get=405, owner_get=405),
    "api:corrective-action-verify": Route("api", {"pk": A("capa")}, buyer_get=405, owner_get=405),
    # The signed-in user's own account pages (they hold no supplier's objects)
    "accounts:login": Route("public", buyer_get=302),
    "accounts:logout": Route("public"),  # GET asks to confirm (anonymous: on to the sign-in page)
    "accounts:profile": Route("account"),
    "accounts:api_token_create": Route("account", buyer_get=405),
    "accounts:api_token_revoke": Route("account", {"pk": MISSING}, buyer_get=405),
    "accounts:mfa_prompt_dismiss": Route("account", buyer_get=405),
    "accounts:password_change": Route("account"),
    "accounts:password_change_done": Route("account"),
    "accounts:password_reset": Route("public"),
    "accounts:password_reset_done": Route("public"),
    "accounts:password_reset_confirm": Route("public", {"uidb36": "1", "key": "set-password"}),
    "accounts:password_reset_complete": Route("public"),
    # django-allauth's names for the same pages, and its second-factor and sessions pages
    "account_login": Route("public", buyer_get=302),
    "account_logout": Route("public"),
    "account_signup": Route("public", buyer_get=302),  # says that an administrator creates accounts
    "account_reauthenticate": Route("account"),
    "account_change_password": Route("account"),
    "account_reset_password": Route("public"),
    "account_reset_password_done": Route("public"),
    "account_reset_password_from_key": Route("public", {"uidb36": "1", "key": "set-password"}),
    "account_reset_password_from_key_done": Route("public"),
    "mfa_index": Route("account"),
    "mfa_authenticate": Route("public", buyer_get=302),  # only within a sign-in
    "mfa_reauthenticate": Route("account", buyer_get=302),  # the buyer has no code to confirm with
    "mfa_activate_totp": Route("account", buyer_get=302),  # asks to confirm the password first
    "mfa_deactivate_totp": Route("account", buyer_get=404),  # the buyer has no authenticator app
    "mfa_view_recovery_codes": Route("account", buyer_get=404),
    "mfa_generate_recovery_codes": Route("account", buyer_get=302),  # asks to confirm first
    "mfa_download_recovery_codes": Route("account", buyer_get=404),
    "usersessions_list": Route("account"),
}

ROUTES.update(COMMUNICATION_ROUTES)
ROUTES.update(PAYMENT_ROUTES)
ROUTES.update(PRICING_ROUTES)
ROUTES.update(DISRUPTION_ROUTES)
ROUTES.update(PLANNING_ROUTES)
ROUTES.update(IDEAS_ROUTES)
ROUTES.update(SCORECARD_ROUTES)
ROUTES.update(LETTER_ROUTES)
ROUTES.update(INVITATION_ROUTES)
ROUTES.update(ORDER_CHANGE_ROUTES)
ROUTES.update(REGISTRATION_ROUTES)
ROUTES.update(IMPORT_ROUTES)
ROUTES.update(EXPORT_ROUTES)
ROUTES.update(VERIFICATION_ROUTES)
PUBLIC_NOT_FOUND = INVITATION_PUBLIC_NOT_FOUND | REGISTRATION_PUBLIC_NOT_FOUND | FEED_PUBLIC_NOT_FOUND
ROUTES.update(INTEGRATION_ROUTES)
ROUTES.update(PRODUCTION_ROUTES)
ROUTES.update(CAPABILITY_ROUTES)
ROUTES.update(SWITCHING_ROUTES)
ROUTES.update(OUTREACH_ROUTES)

# Django's admin site is one namespace with dozens of generated patterns: covered as a whole (a factory
# contact gets 404 anywhere under it), with samples that carry an object of supplier A.
ADMIN_SAMPLES = [
    ("admin:index", {}),
    ("admin:suppliers_supplier_changelist", {}),
    ("admin:suppliers_supplier_change", {"object_id": A("supplier")}),
    ("admin:suppliers_certification_change", {"object_id": A("certification")}),
]


def all_url_names():
    """Return every (namespaced name, has a format suffix) in the project's URLconf."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                found.append(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_pattern_is_in_the_isolation_table():
    names = set(all_url_names())
    missing = sorted(n for n in names if n not in ROUTES and not n.startswith("admin:"))
    assert not missing, f"Add these URL patterns to ROUTES in {__file__}: {missing}"
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES names patterns that no longer exist: {stale}"


def build_url(name, kwargs, objects, missing=False):
    resolved = {}
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("@"):
            object_name, _, file_field = value[1:].partition("#")
            if file_field:
                stored = getattr(objects[object_name], file_field).name
                resolved[key] = stored.rsplit("/", 1)[0] + "/0000missing.pdf" if missing else stored
            else:
                resolved[key] = MISSING if missing else objects[object_name].pk
        else:
            resolved[key] = value
    return reverse(name, kwargs=resolved)


def request(client, method, url):
    kwargs = {"content_type": "application/json", "data": {}} if method in ("put", "patch", "delete") else {}
    if method == "post":
        kwargs = {"data": {}}
    return getattr(client, method)(url, **kwargs)


CASES = sorted(ROUTES.items())
SIGN_IN_AFTERWARDS = {"set_language", "accounts:logout", "account_logout", "mfa_authenticate"}


@pytest.mark.parametrize(("name", "route"), CASES, ids=[name for name, _ in CASES])
def test_anonymous_is_sent_to_login_or_gets_401(client, objects_a, name, route):
    url = build_url(name, route.kwargs, objects_a)
    response = client.get(url)
    if route.area == "public":
        assert response.status_code in (200, 302, 405) or (
            name in PUBLIC_NOT_FOUND and response.status_code == 404
        )
        if response.status_code == 302:
            # Signing out (anonymous: nothing to sign out of) and changing the language may land on the sign-in page.
            assert "/accounts/login/" not in response["Location"] or name in SIGN_IN_AFTERWARDS
    elif route.area == "api":
        assert response.status_code == 401, url
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "route"), CASES, ids=[name for name, _ in CASES])
def test_factory_contact_of_b_gets_404_for_objects_of_a_on_every_method(
    client, objects_a, portal_b, name, route
):
    client.force_login(portal_b)
    if route.area == "staff":
        # Staff pages do not exist for a factory contact, whatever the object.
        for method in METHODS:
            response = request(client, method, build_url(name, route.kwargs, objects_a))
            expected = 302 if name == "home" else 404  # home sends a factory contact to the portal
            assert response.status_code == expected, (method, name)
        return
    if not route.object_of_a:
        return
    for method in METHODS:
        theirs = request(client, method, build_url(name, route.kwargs, objects_a))
        missing = request(client, method, build_url(name, route.kwargs, objects_a, missing=True))
        # Exactly as for an object that does not exist; 405 only where the method is not served at all.
        assert theirs.status_code == missing.status_code, (method, name)
        assert theirs.status_code == 404 or (theirs.status_code == 405 and missing.status_code == 405), (
            method,
            name,
        )


@pytest.mark.parametrize(("name", "route"), CASES, ids=[name for name, _ in CASES])
def test_factory_contact_of_a_reaches_its_own_objects(client, objects_a, portal_a, name, route):
    if route.owner_get is None:
        return
    client.force_login(portal_a)
    response = client.get(build_url(name, route.kwargs, objects_a))
    assert response.status_code == route.owner_get, name


@pytest.mark.parametrize(("name", "route"), CASES, ids=[name for name, _ in CASES])
def test_buyer_reaches_staff_pages_and_api_but_not_the_portal(client, objects_a, buyer, name, route):
    client.force_login(buyer)
    response = client.get(build_url(name, route.kwargs, objects_a))
    assert response.status_code == route.buyer_get, name


@pytest.mark.parametrize(("name", "kwargs"), ADMIN_SAMPLES, ids=[n for n, _ in ADMIN_SAMPLES])
def test_factory_contact_gets_404_in_the_admin_site(client, objects_a, portal_b, name, kwargs):
    client.force_login(portal_b)
    for method in ("get", "post"):
        assert request(client, method, build_url(name, kwargs, objects_a)).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "portal:home",
        "portal:contacts",
        "portal:certifications",
        "portal:certification_upload",
        "api:supplier-list",
        "api:contact-list",
        "api:certification-list",
    ],
)
def test_lists_seen_by_b_hold_nothing_of_a(client, objects_a, portal_b, name):
    client.force_login(portal_b)
    body = client.get(reverse(name)).content.decode()
    for marker in (objects_a["supplier"].name, objects_a["contact"].name, objects_a["certification"].number):
        assert marker not in body, (name, marker)


# Every kind of uploaded file, found in the app registry: each model with a FileField, so that a new upload
# model is covered without anyone remembering. A's factory contact may download its own, except these.
INTERNAL_FILES = {"suppliers.Contract.document"}  # contracts are internal
FILES = sorted(
    f"{model._meta.label}.{field.name}"
    for model in apps.get_models()
    for field in model._meta.fields
    if isinstance(field, models.FileField)
)


def object_of_model(objects, label):
    """Return the key and the object of `objects` (the `objects_a` fixture) that is a row of model `label`."""
    found = [(kind, obj) for kind, obj in objects.items() if obj._meta.label == label]
    assert found, f"{label} has an uploaded file: add a row of it to supplier_objects() in tests/conftest.py"
    return found[0]


@pytest.mark.parametrize("file_field", FILES)
def test_uploaded_files_follow_their_objects_visibility(
    client, objects_a, portal_a, portal_b, buyer, file_field
):
    label, _, field = file_field.rpartition(".")
    kind, obj = object_of_model(objects_a, label)
    url = getattr(obj, field).url
    assert url.startswith("/files/")
    owner_may = file_field not in INTERNAL_FILES
    for user, expected in ((portal_b, 404), (portal_a, 200 if owner_may else 404), (buyer, 200)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, (user, kind)
        if expected == 200:
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"].startswith("attachment")


def test_every_kind_of_upload_is_found():
    assert {
        "suppliers.Certification.document",
        "audits.BatchTest.report",
        "payments.Invoice.document",
    } <= set(FILES)
    assert set(FILES) >= INTERNAL_FILES


def test_unshared_inspection_report_is_hidden_from_the_factory(client, objects_a, portal_a):
    inspection = objects_a["inspection"]
    inspection.shared_with_supplier = False
    inspection.save()
    client.force_login(portal_a)
    assert client.get(inspection.report.url).status_code == 404
    assert client.get(reverse("api:inspection-detail", kwargs={"pk": inspection.pk})).status_code == 404
    assert client.get(reverse("api:inspection-list")).json()["count"] == 0


def test_table_covers_supplier_scoped_objects_of_every_kind(objects_a):
    used = {
        v[1:].partition("#")[0]
        for route in ROUTES.values()
        for v in route.kwargs.values()
        if isinstance(v, str) and v[:1] == "@"
    } | {object_of_model(objects_a, file_field.rpartition(".")[0])[0] for file_field in FILES}
    assert used == set(objects_a), f"objects no route or file test uses: {set(objects_a) - used}"


# --- The unannounced-audit rule: until it is performed, the factory sees it nowhere -------------------------


def routes_taking(*object_names):
    """The portal and API routes whose URL takes one of these objects."""
    wanted = {f"@{object_name}" for object_name in object_names}
    return sorted(
        (name, route)
        for name, route in ROUTES.items()
        if route.area in ("portal", "api") and wanted & {str(v) for v in route.kwargs.values()}
    )


def assert_answers_like_a_missing_object(client, objects, name, route):
    """On every method, the route answers for this object exactly as for a missing one: 404 (405 if unserved)."""
    for method in METHODS:
        response = request(client, method, build_url(name, route.kwargs, objects))
        missing = request(client, method, build_url(name, route.kwargs, objects, missing=True))
        assert response.status_code == missing.status_code, (method, name)
        assert response.status_code in (404, 405), (method, name)


HIDDEN_ROUTES = routes_taking("audit", "capa")


@pytest.mark.parametrize(("name", "route"), HIDDEN_ROUTES, ids=[name for name, _ in HIDDEN_ROUTES])
def test_planned_unannounced_audit_answers_404_to_its_own_factory(
    client, objects_a, hidden_a, portal_a, name, route
):
    client.force_login(portal_a)
    assert_answers_like_a_missing_object(client, {**objects_a, **hidden_a}, name, route)


# --- The buyer's internal cost estimate: of the factory's own SKU, yet never the factory's to see ------------

INTERNAL_ROUTES = routes_taking("cost_breakdown")


@pytest.fixture
def internal_a(supplier_a, buyer):
    from pricing import services as pricing_services

    estimate = pricing_services.cost_estimate_record(
        supplier=supplier_a,
        by=buyer,
        sku="ISO-SKU",
        note="INTERNALONLY teardown",
        material=Decimal("1"),
        labour=Decimal("1"),
        overhead=Decimal("1"),
        margin=Decimal("1"),
    )
    return {"cost_breakdown": estimate}


@pytest.mark.parametrize(("name", "route"), INTERNAL_ROUTES, ids=[name for name, _ in INTERNAL_ROUTES])
def test_internal_cost_estimate_answers_404_to_its_own_factory(
    client, objects_a, internal_a, portal_a, name, route
):
    client.force_login(portal_a)
    assert_answers_like_a_missing_object(client, {**objects_a, **internal_a}, name, route)


@pytest.mark.parametrize(
    ("routes", "expected"),
    [
        (
            HIDDEN_ROUTES,
            {
                "portal:audit_detail",
                "portal:audit_pdf",
                "portal:capa_detail",
                "api:audit-detail",
                "api:corrective-action-detail",
                "api:corrective-action-submit",
            },
        ),
        (
            INTERNAL_ROUTES,
            {
                "portal:cost_breakdown_answer",
                "api:cost-breakdown-request-detail",
                "api:cost-breakdown-request-answer",
            },
        ),
    ],
    ids=["unannounced-audit", "internal-cost-estimate"],
)
def test_hidden_row_routes_cover_the_portal_pages_and_the_api(routes, expected):
    assert expected <= {name for name, _ in routes}


def test_internal_cost_estimate_is_in_no_list_page_or_notice_of_its_factory(
    client, objects_a, internal_a, portal_a, buyer
):
    estimate = internal_a["cost_breakdown"]
    client.force_login(portal_a)
    for name in ("portal:prices", "communications:notifications", "portal:home"):
        assert "INTERNALONLY" not in client.get(reverse(name)).content.decode(), name
    ids = [row["id"] for row in client.get(reverse("api:cost-breakdown-request-list")).json()["results"]]
    assert objects_a["cost_breakdown"].pk in ids and estimate.pk not in ids
    # The buyer's staff see it (so the checks above can fail).
    client.force_login(buyer)
    ids = [row["id"] for row in client.get(reverse("api:cost-breakdown-request-list")).json()["results"]]
    assert estimate.pk in ids
    assert "INTERNALONLY" in client.get(reverse("pricing:breakdown_list")).content.decode()


@pytest.mark.parametrize(
    "name", ["portal:audits", "portal:capa_list", "api:audit-list", "api:corrective-action-list"]
)
def test_planned_unannounced_audit_is_in_no_list_of_its_factory(client, objects_a, hidden_a, portal_a, name):
    client.force_login(portal_a)
    body = client.get(reverse(name)).content.decode()
    assert "Locked exit" not in body
    assert hidden_a["capa"].title not in body
    # The visible ones are listed, so the checks above can fail.
    visible = objects_a["capa"].title if "capa" in name or "corrective" in name else "Gauge out of date"
    if name == "portal:audits":
        visible = reverse("portal:audit_detail", kwargs={"pk": objects_a["audit"].pk})
    assert visible in body


@pytest.mark.parametrize(("kind", "field"), [("audit", "report"), ("finding", "evidence")])
def test_planned_unannounced_audit_files_are_hidden(client, hidden_a, portal_a, buyer, kind, field):
    url = getattr(hidden_a[kind], field).url
    client.force_login(portal_a)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    assert client.get(url).status_code == 200


def test_once_performed_the_unannounced_audit_shows(client, hidden_a, portal_a, quality):
    from audits import services

    services.audit_complete(audit=hidden_a["audit"], by=quality, performed_on=hidden_a["audit"].planned_on)
    client.force_login(portal_a)
    response = client.get(reverse("portal:audit_detail", kwargs={"pk": hidden_a["audit"].pk}))
    assert response.status_code == 200 and "Locked exit" in response.content.decode()


# --- Choices: no page, form or filter form shows a factory contact what it may not see ----------------------
# Supplier B's rows, and A's own hidden rows (a draft order, an unshared inspection, a planned unannounced
# audit), carry recognisable names (tests/rivals.py); A's factory contact opens every portal page and every API
# endpoint, and no <option>, nor anything else on the page, may name one of them. tests/test_api_scoping.py
# checks the same querysets directly.

OPTION = re.compile(r"<option\b[^>]*>(.*?)</option>", re.S | re.I)
# The OpenAPI schema and its viewer, and one's own notification settings, hold no rows of a supplier.
NOT_DATA = {"api:schema", "api:docs", "portal:notification_preferences", "api:notification-preference-list"}
OWN_ROUTES = sorted(
    (name, route)
    for name, route in ROUTES.items()
    if route.area in ("portal", "api") and route.owner_get is not None and name not in NOT_DATA
)


@pytest.fixture
def rivals(objects_a, supplier_a, supplier_b, quality):
    return rival_objects(supplier_a=supplier_a, supplier_b=supplier_b, staff_user=quality)


def marked(text: str) -> list[str]:
    """Return the markers of rival rows that a text contains."""
    lowered = text.lower()
    return [marker for marker in RIVAL_MARKERS if marker in lowered]


def is_text(response) -> bool:
    return response["Content-Type"].split(";")[0] in ("text/html", "application/json")


@pytest.mark.parametrize(("name", "route"), OWN_ROUTES, ids=[name for name, _ in OWN_ROUTES])
def test_no_page_form_or_filter_form_offers_a_factory_contact_anything_it_may_not_see(
    client, monkeypatch, rivals, objects_a, portal_a, name, route
):
    # The browsable API is staff-only (see the next tests); it is opened to the factory contact here so that
    # the forms and filter forms it would render are read too: the choices behind them are scoped as well.
    monkeypatch.setattr(StaffBrowsableContentNegotiation, "may_browse", staticmethod(lambda request: True))
    client.force_login(portal_a)
    url = build_url(name, route.kwargs, objects_a)
    response = client.get(url, {"format": "api"} if route.area == "api" else {})
    assert response.status_code == route.owner_get, name
    if not is_text(response):
        return  # a download (PDF): its own test checks what it holds
    body = response.content.decode()
    if route.area == "api":
        assert response["Content-Type"].startswith("text/html"), name
    leaked = {option: marked(option) for option in OPTION.findall(body) if marked(option)}
    assert not leaked, (name, leaked)
    assert not marked(body), (name, marked(body))


def test_browsable_api_forms_list_the_factory_contacts_own_objects(
    client, monkeypatch, rivals, objects_a, portal_a
):
    """The check above reads real option lists: the factory's own supplier and orders are in them."""
    monkeypatch.setattr(StaffBrowsableContentNegotiation, "may_browse", staticmethod(lambda request: True))
    client.force_login(portal_a)
    options = OPTION.findall(client.get(reverse("api:invoice-list"), {"format": "api"}).content.decode())
    assert "Alpha Factory" in options and objects_a["order"].number in options


API_ROUTES = sorted(
    (name, route) for name, route in ROUTES.items() if route.area == "api" and name not in NOT_DATA
)


@pytest.mark.parametrize(("name", "route"), API_ROUTES, ids=[name for name, _ in API_ROUTES])
def test_factory_contacts_get_json_when_they_ask_for_the_browsable_api(
    client, rivals, objects_a, portal_a, name, route
):
    client.force_login(portal_a)
    url = build_url(name, route.kwargs, objects_a)
    plain = client.get(url)
    if plain["Content-Type"] != "application/json":
        return  # a download
    for asked in (client.get(url, {"format": "api"}), client.get(url, HTTP_ACCEPT="text/html")):
        assert asked.status_code == plain.status_code, name
        assert asked["Content-Type"] == "application/json", name
        # Links (the API root's) keep the format asked for, as DRF does for `?format=json`.
        assert json.loads(asked.content.decode().replace("?format=api", "")) == plain.json(), name


def test_staff_still_get_the_browsable_api_with_every_supplier(client, rivals, buyer):
    client.force_login(buyer)
    response = client.get(reverse("api:order-list"), {"format": "api"})
    assert response["Content-Type"].startswith("text/html")
    assert {"Alpha Factory", "Beta Works"} <= set(OPTION.findall(response.content.decode()))
    assert client.get(reverse("api:order-list"), HTTP_ACCEPT="text/html")["Content-Type"].startswith(
        "text/html"
    )


def test_anonymous_and_bad_token_callers_get_json_401_from_the_browsable_api(db, client):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token not-a-token"}):
        response = client.get(reverse("api:order-list"), {"format": "api"}, **headers)
        assert response.status_code == 401 and response["Content-Type"] == "application/json"
        assert response.has_header("WWW-Authenticate")


# --- Staff-only fields: a factory contact's JSON carries only what its portal pages show ---------------------


@pytest.fixture
def staff_notes(objects_a, quality):
    """Plant staff-only values (marked STAFFONLY) on A's objects that A's factory contact may see."""
    inspection = objects_a["inspection"]
    inspection.notes = "STAFFONLY inspection note"
    inspection.result, inspection.override_reason = "reject", "STAFFONLY override reason"
    inspection.save()
    flag = objects_a["red_flag"]
    flag.detail, flag.note, flag.escalated = "STAFFONLY detail", "STAFFONLY flag note", True
    flag.recommended_action = "STAFFONLY recommended action"
    flag.save()
    objects_a["order"].notes = "STAFFONLY order note"
    objects_a["order"].save()
    objects_a["invoice"].notes = "STAFFONLY invoice note"
    objects_a["invoice"].save()
    objects_a["capa"].inspection = inspection
    objects_a["capa"].save()
    objects_a["issue"].inspection = inspection
    objects_a["issue"].save()
    objects_a["cost_breakdown"].assessment = "STAFFONLY assessment of the factory's costs"
    objects_a["cost_breakdown"].save()
    return objects_a


READ_ROUTES = sorted(
    (name, route)
    for name, route in ROUTES.items()
    if route.area == "api" and route.owner_get == 200 and name not in NOT_DATA
)


def api_items(response) -> list[dict]:
    data = response.json()
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else [data]


def test_factory_json_carries_no_staff_only_field_or_value(api_client, staff_notes, portal_a, buyer):
    seen_by = {}
    for user in (portal_a, buyer):
        api_client.force_authenticate(user)
        bodies, keys = [], set()
        for name, route in READ_ROUTES:
            url = build_url(name, route.kwargs, staff_notes)
            response = api_client.get(url)
            if response["Content-Type"] != "application/json":
                continue  # a download
            serializer_class = getattr(resolve(url).func.cls, "serializer_class", None)
            staff_only = set(getattr(serializer_class, "staff_only_fields", ()))
            bodies.append(response.content.decode())
            keys |= {
                (name, key) for item in api_items(response) if isinstance(item, dict) for key in item
            } & {(name, key) for key in staff_only}
        seen_by[user] = ("\n".join(bodies), keys)
    portal_body, portal_keys = seen_by[portal_a]
    assert "STAFFONLY" not in portal_body
    assert not portal_keys, sorted(portal_keys)
    # Staff read all of it (so the checks above can fail).
    staff_body, staff_keys = seen_by[buyer]
    assert staff_body.count("STAFFONLY") >= 7
    assert {key for _name, key in staff_keys} >= {
        "notes",
        "override_reason",
        "recommended_action",
        "inspection",
    }


def test_portal_pages_show_no_staff_only_value(client, staff_notes, portal_a):
    client.force_login(portal_a)
    for name, route in ROUTES.items():
        if route.area == "portal" and route.owner_get == 200:
            response = client.get(build_url(name, route.kwargs, staff_notes))
            if is_text(response):
                assert "STAFFONLY" not in response.content.decode(), name
