"""What a list holds, checked on every list page and API list a factory contact can open.

Supplier A and supplier B each get one row of every kind (tests/conftest.py `supplier_objects`), and every free
text of A's rows (names, numbers, lot numbers, subjects, reasons…) is rewritten to a marker ("amark-…"). Every
portal page and API endpoint of the isolation table that lists (no object of A in its URL) is opened by B's
factory contact: no marker and, in the API, no id of A's rows may appear. A's own contact opens the same lists
and finds its rows there, so the checks can fail.
"""

import pytest
from django.db import models
from django.urls import resolve

from suppliers.models import Stage, Supplier
from tests.conftest import supplier_objects
from tests.test_isolation import NOT_DATA, ROUTES, api_items, build_url

LIST_ROUTES = sorted(
    (name, route)
    for name, route in ROUTES.items()
    if route.area in ("portal", "api")
    and route.owner_get == 200
    and not route.object_of_a
    and name not in NOT_DATA
    and name != "api:api-root"
)
MARKER = "amark-"


# Texts that are codes the app reads back (a KPI period, a currency, a time zone…), not free text: kept.
# Lists that list nothing until asked for something (the search): asked for the markers.
def query_for(name) -> dict:
    return {"q": "amark"} if "search" in name else {}


CODES = {"period", "currency", "country", "timezone", "language", "phone", "registration_number", "key"}


def marked_fields(obj):
    """Return the free-text fields of a row: text without choices, long enough for a marker, not a code."""
    for field in obj._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
            and not field.choices
            and field.name not in CODES
            and (field.max_length or 100) >= 16
        ):
            yield field


@pytest.fixture
def markers_of_a(objects_a) -> set[str]:
    """Rewrite every free text of A's rows to a marker of its own; return the markers."""
    markers = set()
    for kind, obj in objects_a.items():
        values = {
            field.attname: f"{MARKER}{kind}-{field.name}"[: field.max_length or 100]
            for field in marked_fields(obj)
        }
        type(obj).objects.filter(pk=obj.pk).update(**values)
        markers |= set(values.values())
    return markers


@pytest.fixture
def objects_b(supplier_a, supplier_b, quality):
    """B's rows; both suppliers approved, so that the lists of active suppliers (scorecards) show them too."""
    Supplier.objects.filter(pk__in=[supplier_a.pk, supplier_b.pk]).update(stage=Stage.APPROVED)
    return supplier_objects(supplier_b, quality)


def ids_of(objects: dict, model) -> set[int]:
    return {obj.pk for obj in objects.values() if isinstance(obj, model)}


def listed_model(url):
    """Return the model an API list serves (None for a view that is not a model list)."""
    view = getattr(resolve(url).func, "cls", None)
    queryset = getattr(view, "queryset", None)
    return None if queryset is None else queryset.model


@pytest.mark.parametrize(("name", "route"), LIST_ROUTES, ids=[name for name, _ in LIST_ROUTES])
def test_factory_contact_of_b_finds_none_of_as_rows_in_any_list(
    client, objects_a, objects_b, markers_of_a, portal_b, name, route
):
    assert len(markers_of_a) > 40  # names, numbers, subjects of every kind of row: enough that a leak shows
    client.force_login(portal_b)
    url = build_url(name, route.kwargs, objects_b)
    response = client.get(url, query_for(name))
    assert response.status_code == 200, name
    body = response.content.decode()
    assert MARKER not in body, (name, sorted(marker for marker in markers_of_a if marker in body))
    model = listed_model(url) if route.area == "api" else None
    if model is not None:
        listed = {item.get("id") for item in api_items(response) if isinstance(item, dict)}
        theirs = ids_of(objects_a, model) - ids_of(objects_b, model)
        assert not listed & theirs, (name, listed & theirs)


@pytest.mark.parametrize(("name", "route"), LIST_ROUTES, ids=[name for name, _ in LIST_ROUTES])
def test_factory_contact_of_a_finds_its_own_rows_in_the_same_lists(
    client, objects_a, objects_b, markers_of_a, portal_a, name, route
):
    """The counterpart of the test above: the lists do show rows, so a leak there would be seen."""
    client.force_login(portal_a)
    url = build_url(name, route.kwargs, objects_a)
    response = client.get(url, query_for(name))
    assert response.status_code == 200, name
    body = response.content.decode()
    model = listed_model(url) if route.area == "api" else None
    listed = {item.get("id") for item in api_items(response) if isinstance(item, dict)} if model else set()
    assert MARKER in body or (model is not None and listed & ids_of(objects_a, model)), name
