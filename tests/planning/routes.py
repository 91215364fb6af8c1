"""Isolation-test routes of the demand outlook (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "planning:forecast_list": Route("staff"),
    "planning:forecast_detail": Route("staff", {"pk": A("forecast")}),
    "planning:forecast_publish": Route("staff", {"supplier_pk": A("supplier")}),
    # Portal pages
    "portal:forecasts": Route("portal", buyer_get=403, owner_get=200),
    "portal:forecast_detail": Route("portal", {"pk": A("forecast")}, buyer_get=403, owner_get=200),
    # API
    "api:forecast-list": Route("api", owner_get=200),
    "api:forecast-detail": Route("api", {"pk": A("forecast")}, owner_get=200),
    "api:forecast-answer": Route("api", {"pk": A("forecast")}, buyer_get=405, owner_get=405),
}
