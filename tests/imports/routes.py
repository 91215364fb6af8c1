"""Isolation-test routes of the imports app (merged into tests/test_isolation.py ROUTES).

Import jobs belong to no supplier: staff see them all, factory contacts none (the API list is empty for them).
"""

from tests.isolation import Route

MISSING = 987654321

ROUTES: dict[str, Route] = {
    "imports:list": Route("staff"),
    "imports:detail": Route("staff", {"pk": MISSING}, buyer_get=404),
    "imports:progress": Route("staff", {"pk": MISSING}, buyer_get=404),
    "imports:confirm": Route("staff", {"pk": MISSING}, buyer_get=405),
    "imports:cancel": Route("staff", {"pk": MISSING}, buyer_get=405),
    "imports:template": Route("staff", {"kind": "suppliers", "file_kind": "xlsx"}),
    # A factory contact's list is empty by design (tests/imports/test_views_and_api.py): no own rows to find.
    "api:import-job-list": Route("api"),
    "api:import-job-detail": Route("api", {"pk": MISSING}, buyer_get=404, owner_get=404),
    "api:import-job-rows": Route("api", {"pk": MISSING}, buyer_get=404, owner_get=404),
    "api:import-job-confirm": Route("api", {"pk": MISSING}, buyer_get=405, owner_get=405),
    "api:import-job-cancel": Route("api", {"pk": MISSING}, buyer_get=405, owner_get=405),
}
