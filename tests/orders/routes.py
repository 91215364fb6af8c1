"""Isolation-test routes of changes of sent orders (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "orders:change_answer": Route("staff", {"pk": A("order"), "change_pk": A("order_change")}, buyer_get=405),
    "orders:factory_changes_answer": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:charge_set": Route("staff", {"pk": A("order")}, buyer_get=405),
    "orders:charge_remove": Route("staff", {"pk": A("order"), "charge_pk": A("order_charge")}, buyer_get=405),
    # Portal pages
    "portal:order_change_answer": Route(
        "portal", {"pk": A("order"), "change_pk": A("order_change")}, buyer_get=403, owner_get=200
    ),
    "portal:order_decline": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    "portal:order_confirm_changes": Route("portal", {"pk": A("order")}, buyer_get=403, owner_get=200),
    # API
    "api:order-propose-change": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:order-propose-cancellation": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:order-decline": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:order-confirm-with-changes": Route("api", {"pk": A("order")}, buyer_get=405, owner_get=405),
    "api:order-change-list": Route("api", owner_get=200),
    "api:order-change-detail": Route("api", {"pk": A("order_change")}, owner_get=200),
    "api:order-change-accept": Route("api", {"pk": A("order_change")}, buyer_get=405, owner_get=405),
    "api:order-change-counter": Route("api", {"pk": A("order_change")}, buyer_get=405, owner_get=405),
    "api:order-change-withdraw": Route("api", {"pk": A("order_change")}, buyer_get=405, owner_get=405),
    "api:order-change-accept-counter": Route("api", {"pk": A("order_change")}, buyer_get=405, owner_get=405),
    "api:order-change-record-agreement": Route(
        "api", {"pk": A("order_change")}, buyer_get=405, owner_get=405
    ),
    "api:order-change-decide": Route("api", {"pk": A("order_change")}, buyer_get=405, owner_get=405),
}
