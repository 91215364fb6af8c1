"""Isolation-test routes of the pricing app (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "pricing:agreement_list": Route("staff"),
    "pricing:agreement_create": Route("staff"),
    "pricing:agreement_detail": Route("staff", {"pk": A("price_agreement")}),
    "pricing:change_list": Route("staff"),
    "pricing:change_detail": Route("staff", {"pk": A("price_change")}),
    "pricing:breakdown_list": Route("staff"),
    "pricing:breakdown_create": Route("staff"),
    "pricing:breakdown_estimate": Route("staff"),
    "pricing:breakdown_detail": Route("staff", {"pk": A("cost_breakdown")}),
    # Portal pages
    "portal:prices": Route("portal", buyer_get=403, owner_get=200),
    "portal:price_change_request": Route("portal", buyer_get=403, owner_get=200),
    "portal:price_change_detail": Route("portal", {"pk": A("price_change")}, buyer_get=403, owner_get=200),
    "portal:cost_breakdown_answer": Route(
        "portal", {"pk": A("cost_breakdown")}, buyer_get=403, owner_get=200
    ),
    # API
    "api:price-agreement-list": Route("api", owner_get=200),
    "api:price-agreement-detail": Route("api", {"pk": A("price_agreement")}, owner_get=200),
    "api:price-agreement-new-version": Route(
        "api", {"pk": A("price_agreement")}, buyer_get=405, owner_get=405
    ),
    "api:price-change-request-list": Route("api", owner_get=200),
    "api:price-change-request-detail": Route("api", {"pk": A("price_change")}, owner_get=200),
    "api:price-change-request-accept": Route("api", {"pk": A("price_change")}, buyer_get=405, owner_get=405),
    "api:price-change-request-counter": Route("api", {"pk": A("price_change")}, buyer_get=405, owner_get=405),
    "api:price-change-request-refuse": Route("api", {"pk": A("price_change")}, buyer_get=405, owner_get=405),
    "api:price-change-request-accept-counter": Route(
        "api", {"pk": A("price_change")}, buyer_get=405, owner_get=405
    ),
    "api:price-change-request-decline-counter": Route(
        "api", {"pk": A("price_change")}, buyer_get=405, owner_get=405
    ),
    "api:cost-breakdown-request-list": Route("api", owner_get=200),
    "api:cost-breakdown-request-detail": Route("api", {"pk": A("cost_breakdown")}, owner_get=200),
    "api:cost-breakdown-request-answer": Route(
        "api", {"pk": A("cost_breakdown")}, buyer_get=405, owner_get=405
    ),
    "api:cost-breakdown-request-assess": Route(
        "api", {"pk": A("cost_breakdown")}, buyer_get=405, owner_get=405
    ),
    "api:cost-breakdown-request-estimate": Route("api", buyer_get=405, owner_get=405),
}
