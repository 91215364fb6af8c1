"""Isolation-test routes of verification policies (merged into tests/test_isolation.py ROUTES).

Policies belong to no supplier: staff read them, managers change them, a factory contact finds none (the API list
is empty for it, like import jobs)."""

from tests.isolation import Route

MISSING = 987654321

ROUTES: dict[str, Route] = {
    "audits:policy_list": Route("staff"),
    "audits:policy_create": Route("staff", buyer_get=403),  # managers only
    "audits:policy_edit": Route("staff", {"pk": MISSING}, buyer_get=403),
    "audits:policy_delete": Route("staff", {"pk": MISSING}, buyer_get=405),
    "api:verification-policy-list": Route("api"),
    "api:verification-policy-detail": Route("api", {"pk": MISSING}, buyer_get=404, owner_get=404),
}
