"""Isolation-test routes of the orders app's disruptions (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "orders:disruption_list": Route("staff"),
    "orders:disruption_create": Route("staff", buyer_get=403),  # a manager's
    "orders:disruption_detail": Route("staff", {"pk": A("disruption")}),
    "orders:delivery_excuse": Route("staff", {"pk": A("delivery")}, buyer_get=405),
    "orders:delivery_excuse_withdraw": Route("staff", {"pk": A("delivery")}, buyer_get=405),
    # API: a factory reads the disruptions that hit it (never which others they hit)
    "api:disruption-list": Route("api", owner_get=200),
    "api:disruption-detail": Route("api", {"pk": A("disruption")}, owner_get=200),
    "api:delivery-excuse": Route("api", {"pk": A("delivery")}, buyer_get=405, owner_get=405),
    "api:delivery-withdraw-excuse": Route("api", {"pk": A("delivery")}, buyer_get=405, owner_get=405),
}
