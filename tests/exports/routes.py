"""Isolation-test routes of exports and calendar feeds (merged into tests/test_isolation.py ROUTES).

List exports need no route of their own: a list page answers `?export=csv|xlsx` with the same access rules and
the same scoped selector as the page itself."""

from tests.isolation import Route

UNKNOWN_FEED = "not-a-feed-we-issued"

ROUTES: dict[str, Route] = {
    "orders:delivery_list": Route("staff"),
    "payments:payment_list": Route("staff"),
    "portal:deliveries": Route("portal", buyer_get=403, owner_get=200),
    "accounts:calendar_feed_regenerate": Route("account", buyer_get=405),
    "accounts:calendar_feed_revoke": Route("account", buyer_get=405),
    # Public by its secret token (a calendar app has no session); an unknown token answers 404.
    "calendar_feed": Route("public", {"token": UNKNOWN_FEED}, buyer_get=404, owner_get=404),
}

PUBLIC_NOT_FOUND = {"calendar_feed"}
