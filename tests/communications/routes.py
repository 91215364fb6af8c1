"""Isolation-test routes of the communications app (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    "communications:checkin_list": Route("staff"),
    "communications:checkin_detail": Route("staff", {"pk": A("checkin")}),
    "communications:action_item_toggle": Route("staff", {"pk": A("action_item")}, buyer_get=405),
    "communications:calendar": Route("staff", {"supplier_pk": A("supplier")}),
    "communications:schedule_create": Route("staff", {"supplier_pk": A("supplier")}),
    "communications:schedule_edit": Route("staff", {"supplier_pk": A("supplier"), "pk": A("schedule")}),
    "communications:issue_list": Route("staff"),
    "communications:issue_create": Route("staff"),
    "communications:issue_detail": Route("staff", {"pk": A("issue")}),
    "communications:issue_resolve": Route("staff", {"pk": A("issue")}, buyer_get=405),
    "communications:issue_capa": Route("staff", {"pk": A("issue")}, buyer_get=405),
    "communications:notifications": Route("staff"),
    # Notifications are the user's own (not a supplier's objects); marking read is a POST.
    "communications:notifications_read_all": Route("staff", buyer_get=405),
    "communications:notification_preferences": Route("staff"),
    "communications:notification_open": Route("staff", {"pk": 1}, buyer_get=405),
    "portal:checkins": Route("portal", buyer_get=403, owner_get=200),
    "portal:checkin_detail": Route("portal", {"pk": A("checkin")}, buyer_get=403, owner_get=200),
    "portal:action_item_done": Route("portal", {"pk": A("action_item")}, buyer_get=403, owner_get=405),
    "portal:issues": Route("portal", buyer_get=403, owner_get=200),
    "portal:issue_detail": Route("portal", {"pk": A("issue")}, buyer_get=403, owner_get=200),
    "portal:notifications": Route("portal", buyer_get=403, owner_get=200),
    "portal:notifications_read_all": Route("portal", buyer_get=403, owner_get=405),
    "portal:notification_preferences": Route("portal", buyer_get=403, owner_get=200),
    "portal:notification_open": Route("portal", {"pk": 1}, buyer_get=403, owner_get=405),
    "api:issue-list": Route("api", owner_get=200),
    "api:issue-detail": Route("api", {"pk": A("issue")}, owner_get=200),
    "api:issue-reply": Route("api", {"pk": A("issue")}, buyer_get=405, owner_get=405),
    "api:checkin-list": Route("api", owner_get=200),
    "api:checkin-detail": Route("api", {"pk": A("checkin")}, owner_get=200),
    "api:closure-list": Route("api", owner_get=200),
    # One's own settings, not a supplier's objects: every signed-in caller reads its own.
    "api:notification-preference-list": Route("api", owner_get=200, buyer_get=200),
    "api:notification-preference-set-timings": Route("api", buyer_get=405, owner_get=405),
    "api:closure-detail": Route("api", {"pk": A("closure")}, owner_get=200),
}

# Uploaded files: (object name in objects_a, field, whether A's factory contact may download it).
