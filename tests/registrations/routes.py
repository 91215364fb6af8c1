"""Isolation-test routes of factory registrations and bank details (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

# The registration form is public: whoever holds a link may use it (staff are kept out of /portal/: 403). An
# unknown link answers 404 (with a page).
UNKNOWN_TOKEN = "not-a-registration-link-we-sent"

ROUTES: dict[str, Route] = {
    "suppliers:registration_list": Route("staff"),
    "suppliers:registration_invite": Route("staff"),
    "suppliers:registration_detail": Route("staff", {"pk": A("registration")}),
    "suppliers:registration_request_changes": Route("staff", {"pk": A("registration")}, buyer_get=302),
    "suppliers:registration_accept": Route("staff", {"pk": A("registration")}, buyer_get=405),
    "suppliers:registration_revoke": Route("staff", {"pk": A("registration")}, buyer_get=405),
    "suppliers:registration_resend": Route("staff", {"pk": A("registration")}, buyer_get=405),
    "suppliers:bank_details": Route("staff", {"pk": A("supplier")}),
    "suppliers:bank_change_decide": Route(
        "staff", {"pk": A("supplier"), "child_pk": A("bank_change")}, buyer_get=405
    ),
    "portal:bank_details": Route("portal", buyer_get=403, owner_get=200),
    "portal:registration": Route("public", {"token": UNKNOWN_TOKEN}, buyer_get=403, owner_get=404),
    "portal:registration_item_add": Route(
        "public", {"token": UNKNOWN_TOKEN, "kind": "site"}, buyer_get=403, owner_get=405
    ),
    "portal:registration_item_remove": Route(
        "public", {"token": UNKNOWN_TOKEN, "kind": "site", "pk": 1}, buyer_get=403, owner_get=405
    ),
    "api:registration-list": Route("api", owner_get=200),
    "api:registration-detail": Route("api", {"pk": A("registration")}, owner_get=200),
    "api:registration-accept": Route("api", {"pk": A("registration")}, buyer_get=405, owner_get=405),
    "api:registration-resend": Route("api", {"pk": A("registration")}, buyer_get=405, owner_get=405),
    "api:registration-request-changes": Route("api", {"pk": A("registration")}, buyer_get=405, owner_get=405),
}

# Public pages that answer 404 to an anonymous visitor with a link we never sent.
PUBLIC_NOT_FOUND = {"portal:registration"}
