"""Isolation-test routes of portal invitations (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

# The welcome page is public: whoever holds a link may use it. An unknown link answers 404 (with a page).
UNKNOWN_TOKEN = "not-a-link-we-sent"

ROUTES: dict[str, Route] = {
    "suppliers:contact_invite": Route("staff", {"pk": A("supplier"), "child_pk": A("contact")}),
    "suppliers:contact_invitation_resend": Route(
        "staff", {"pk": A("supplier"), "child_pk": A("contact")}, buyer_get=405
    ),
    "suppliers:contact_invitation_revoke": Route(
        "staff", {"pk": A("supplier"), "child_pk": A("contact")}, buyer_get=405
    ),
    # Only the company's primary contact may invite colleagues: A's stock contact is not it.
    "portal:contact_invite": Route("portal", {"pk": A("contact")}, buyer_get=403, owner_get=403),
    "portal:invitation_accept": Route("public", {"token": UNKNOWN_TOKEN}, buyer_get=403, owner_get=404),
    "api:contact-invite": Route("api", {"pk": A("contact")}, buyer_get=405, owner_get=405),
    "api:contact-resend-invitation": Route("api", {"pk": A("contact")}, buyer_get=405, owner_get=405),
    "api:contact-revoke-invitation": Route("api", {"pk": A("contact")}, buyer_get=405, owner_get=405),
}

# Public pages that answer 404 to an anonymous visitor with a link we never sent.
PUBLIC_NOT_FOUND = {"portal:invitation_accept"}
