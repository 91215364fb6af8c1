"""Isolation-test routes of production records (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "audits:line_lots": Route("staff", {"pk": A("line")}),
    # Portal pages
    "portal:production_start": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    "portal:production_log": Route("portal", {"pk": A("production_order")}, buyer_get=403, owner_get=200),
    # API
    "api:production-plan-list": Route("api", owner_get=200),
    "api:production-plan-detail": Route("api", {"pk": A("production_plan")}, owner_get=200),
    "api:production-log-list": Route("api", owner_get=200),
    "api:production-log-detail": Route("api", {"pk": A("production_log")}, owner_get=200),
}
