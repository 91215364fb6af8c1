"""Isolation-test routes of announcements and new-product invitations (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "partnership:announcement_list": Route("staff"),
    "partnership:announcement_create": Route("staff"),
    "partnership:announcement_detail": Route("staff", {"pk": A("announcement")}),
    "partnership:announcement_withdraw": Route("staff", {"pk": A("announcement")}, buyer_get=405),
    "partnership:invitation_list": Route("staff"),
    "partnership:invitation_create": Route("staff"),
    "partnership:invitation_detail": Route("staff", {"pk": A("product_invitation")}),
    "partnership:invitation_withdraw": Route("staff", {"pk": A("product_invitation")}, buyer_get=405),
    "partnership:invitee_detail": Route("staff", {"pk": A("invitee")}),
    "partnership:sample_evaluate": Route("staff", {"pk": A("sample")}, buyer_get=405),
    # Portal pages
    "portal:announcements": Route("portal", buyer_get=403, owner_get=200),
    "portal:announcement_detail": Route("portal", {"pk": A("announcement")}, buyer_get=403, owner_get=200),
    "portal:announcement_read": Route("portal", {"pk": A("announcement")}, buyer_get=403, owner_get=405),
    "portal:invitations": Route("portal", buyer_get=403, owner_get=200),
    "portal:invitation_detail": Route(
        "portal", {"pk": A("product_invitation")}, buyer_get=403, owner_get=200
    ),
    "portal:invitation_ask": Route("portal", {"pk": A("product_invitation")}, buyer_get=403, owner_get=405),
    "portal:invitation_sample": Route(
        "portal", {"pk": A("product_invitation")}, buyer_get=403, owner_get=405
    ),
    # API
    "api:announcement-list": Route("api", owner_get=200),
    "api:announcement-detail": Route("api", {"pk": A("announcement")}, owner_get=200),
    "api:announcement-acknowledge": Route("api", {"pk": A("announcement")}, buyer_get=405, owner_get=405),
    "api:announcement-withdraw": Route("api", {"pk": A("announcement")}, buyer_get=405, owner_get=405),
    "api:product-invitation-list": Route("api", owner_get=200),
    "api:product-invitation-detail": Route("api", {"pk": A("product_invitation")}, owner_get=200),
    "api:product-invitation-respond": Route(
        "api", {"pk": A("product_invitation")}, buyer_get=405, owner_get=405
    ),
    "api:product-invitation-ask": Route("api", {"pk": A("product_invitation")}, buyer_get=405, owner_get=405),
    "api:product-invitation-samples": Route(
        "api", {"pk": A("product_invitation")}, buyer_get=405, owner_get=405
    ),
}
