"""Isolation-test routes of inspection severity (merged into tests/test_isolation.py ROUTES).

Staff read every supplier's severities; a factory token reads its own (read-only) and gets 404 for another's."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    "audits:severity_list": Route("staff"),
    "audits:severity_detail": Route("staff", {"pk": A("inspection_severity")}),
    "audits:severity_switch": Route("staff", {"pk": A("inspection_severity")}, buyer_get=405),
    "api:inspection-severity-list": Route("api", owner_get=200),
    "api:inspection-severity-detail": Route("api", {"pk": A("inspection_severity")}, owner_get=200),
    "api:inspection-severity-switch": Route("api", buyer_get=405, owner_get=405),
}
