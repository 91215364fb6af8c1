"""Junk in a filter never answers 500: every page and API list ignores a malformed filter or explains it.

Every GET page of the isolation table (tests/test_isolation.py ROUTES) that the staff user or supplier A's
factory contact may open is requested with junk in each of its query parameters: those its own page offers (the
fields of its GET forms, the parameters of its sort and page links), those its API view filters, orders and
searches by, and every parameter any list view of the project reads. The answer may be the page (the junk
ignored), a form error (400) or a JSON 400 (the API), a 404 (a page number past the end), never a 500.
"""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import resolve

from tests.test_isolation import NOT_DATA, ROUTES, build_url

JUNK = (
    "x",
    "-1",
    "99999999999999999999",
    "2026-13-45",
    "'; drop table suppliers_supplier; --",
    "%00",
    "nul\x00byte",
    "1.5",
    "x" * 3000,
)

# What each parameter a page offers is also fed on its own: not a number, too big for one, a NUL character.
ALONE = ("x", "99999999999999999999", "nul\x00byte")

# Every query parameter a list view of the project reads (views and selectors), so that a filter a page does
# not offer in its form (a link from another page) is fed junk too.
KNOWN_PARAMETERS = {
    "aql_major", "aql_minor", "audit_type", "category", "checkpoint", "country", "due_from", "due_to",
    "expires_before", "export", "finding", "paid_from", "paid_to",
    "inspection", "kpi", "late", "level", "lot_size", "mine", "order", "ordering", "outcome", "owner", "page",
    "period", "pilot", "q", "raised_by_side", "renews", "result", "review", "rule", "search", "segment",
    "severity", "sort", "stage", "state", "status", "supplier", "to", "todo", "trend", "upcoming", "waiting",
    "preview",
}  # fmt: skip

GET_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
HREF = re.compile(r"\bhref=\"([^\"]*\?[^\"]*)\"", re.I)


def offered_parameters(response) -> set[str]:
    """Return the query parameters a page offers: its GET forms' fields and its links' parameters."""
    if not response["Content-Type"].startswith("text/html"):
        return set()
    body = response.content.decode()
    names = set()
    for form in GET_FORM.findall(body):
        opening = form[: form.index(">")].lower()
        if 'method="post"' not in opening:
            names |= set(FIELD_NAME.findall(form))
    for href in HREF.findall(body):
        names |= {key for key, _ in parse_qsl(urlsplit(unescape(href)).query, keep_blank_values=True)}
    return names - {"csrfmiddlewaretoken", "next"}


def api_parameters(url) -> set[str]:
    """Return the query parameters an API view filters, searches, orders and pages by."""
    view = getattr(resolve(url).func, "cls", None)
    if view is None:
        return set()
    names = {"page", "ordering", "search", "format"}
    names |= set(getattr(view, "filterset_fields", None) or ())
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    return names


def readable(route, as_staff: bool) -> bool:
    expected = route.buyer_get if as_staff else route.owner_get
    return (
        route.area in ("staff", "portal", "api")
        and expected == 200
        and not (route.area == "staff" and not as_staff)
    )


CASES = sorted(
    [(name, route, True) for name, route in ROUTES.items() if readable(route, True) and name not in NOT_DATA]
    + [
        (name, route, False)
        for name, route in ROUTES.items()
        if readable(route, False) and name not in NOT_DATA
    ],
    key=lambda case: (case[0], case[2]),
)


@pytest.mark.parametrize(
    ("name", "route", "as_staff"),
    CASES,
    ids=[f"{name}-{'staff' if as_staff else 'factory'}" for name, _, as_staff in CASES],
)
def test_junk_in_any_filter_is_ignored_or_explained_never_a_500(
    client, objects_a, buyer, portal_a, name, route, as_staff
):
    client.raise_request_exception = False  # collect every 500, not only the first
    client.force_login(buyer if as_staff else portal_a)
    url = build_url(name, route.kwargs, objects_a)
    plain = client.get(url)
    assert plain.status_code == 200, name
    offered = offered_parameters(plain) | api_parameters(url)
    failures = []
    # Every parameter at once with each junk value, then each parameter the page offers alone (a view that
    # stops at the first bad filter would hide the next one).
    queries = [dict.fromkeys(offered | KNOWN_PARAMETERS, junk) for junk in JUNK]
    queries += [{parameter: junk} for parameter in sorted(offered) for junk in ALONE]
    for query in queries:
        response = client.get(url, query)
        if response.status_code not in (200, 302, 400, 404):
            junk = next(iter(query.values()))
            failures.append((sorted(query) if len(query) == 1 else "all", junk[:20], response.status_code))
    assert not failures, (name, failures)
