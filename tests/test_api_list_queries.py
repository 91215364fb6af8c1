"""Every API list answers in a number of queries that does not grow with its rows (no N+1).

Each `api:*-list` endpoint of the isolation table is read twice, by staff and by supplier A's factory contact:
once over one row of every kind per supplier (tests/conftest.py `supplier_objects`), then again after three more
rows of every kind were added (one more for supplier A, two for other suppliers). The number of queries must
be the same both times, and stay under a small ceiling.
"""

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suppliers.models import Stage, Supplier
from tests.conftest import supplier_objects
from tests.factories import SupplierFactory
from tests.test_isolation import ROUTES

API_LISTS = sorted(name for name, route in ROUTES.items() if route.area == "api" and name.endswith("-list"))
# Lists that list nothing until asked for something.
QUERY = {"api:search-list": {"q": "PO-T-"}}  # order numbers (tests.factories.PurchaseOrderFactory)
MAX_QUERIES = 15  # sessions, the user, the count, the page, and a few prefetches; never one per row
# Lists allowed a little more: the scorecards also read the price variance of the page and the two-way card's
# forecast figures (one query each).
MAX_QUERIES_OF = {"api:scorecard-list": MAX_QUERIES + 2}
# Lists of no supplier's rows (the caller's own settings and tasks, staff imports, integrations): they do not
# grow with suppliers' rows, so only their query counts are compared.
NOT_SUPPLIER_ROWS = {
    "api:import-job-list",
    "api:verification-policy-list",
    "api:me-tasks-list",
    "api:notification-preference-list",
    "api:webhook-delivery-list",
    "api:webhook-endpoint-list",
}


def read(client, name) -> tuple[int, int]:
    """Return the number of queries a GET of an API list runs, and the number of rows it lists."""
    url = reverse(name)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, QUERY.get(name, {}))
    assert response.status_code == 200, url
    data = response.json()
    if isinstance(data, dict) and "count" in data:
        return len(captured), data["count"]
    if isinstance(data, dict) and "results" in data:  # a cursor-paged list (no count): the rows of its page
        return len(captured), len(data["results"])
    # A list, or the search's groups of hits.
    return len(captured), sum(len(item["hits"]) if "hits" in item else 1 for item in data)


def add_rows(supplier_a, quality, *, others: int) -> None:
    """Add one row of every kind for supplier A and for `others` new suppliers."""
    move_rows(supplier_objects(SupplierFactory(stage=Stage.APPROVED), quality)["supplier"], to=supplier_a)
    for _ in range(others):
        supplier_objects(SupplierFactory(stage=Stage.APPROVED), quality)


def move_rows(supplier, *, to) -> None:
    """Give `to` every row of `supplier` (a row the database refuses to move, such as a second open term change
    of one supplier, stays)."""
    for model in apps.get_models():
        try:
            field = model._meta.get_field("supplier")
        except FieldDoesNotExist:
            continue
        if field.many_to_one and field.related_model is Supplier:
            for pk in model.objects.filter(supplier=supplier).values_list("pk", flat=True):
                try:
                    with transaction.atomic():
                        model.objects.filter(pk=pk).update(supplier=to)
                except IntegrityError:
                    pass


@pytest.fixture
def readers(client, buyer, portal_a):
    """Two signed-in API readers: staff and supplier A's factory contact."""
    from django.test import Client

    factory = Client()
    factory.force_login(portal_a)
    client.force_login(buyer)
    return {"staff": client, "factory": factory}


def test_the_table_names_the_api_lists():
    assert len(API_LISTS) >= 18
    assert {"api:red-flag-list", "api:invoice-discrepancy-list", "api:payment-term-change-list"} <= set(
        API_LISTS
    )


def test_no_api_list_runs_a_query_per_row(readers, supplier_a, quality):
    add_rows(supplier_a, quality, others=1)
    before = {(who, name): read(c, name) for who, c in readers.items() for name in API_LISTS}
    add_rows(supplier_a, quality, others=2)
    after = {(who, name): read(c, name) for who, c in readers.items() for name in API_LISTS}
    # The lists did grow (staff see every supplier's rows), so the query counts below compare something.
    assert not [
        name
        for name in API_LISTS
        if name not in NOT_SUPPLIER_ROWS and after["staff", name][1] <= before["staff", name][1]
    ]
    grown = {key: (before[key][0], after[key][0]) for key in before if after[key][0] != before[key][0]}
    assert not grown, f"queries grow with rows (before, after): {grown}"
    heavy = {
        key: count for key, (count, _rows) in after.items() if count > MAX_QUERIES_OF.get(key[1], MAX_QUERIES)
    }
    assert not heavy, f"more than {MAX_QUERIES} queries: {heavy}"
