"""Isolation-test routes of reference letters (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

# The verification page is public: whoever holds a letter's link may open it. A link we never signed answers
# 200 with "This link is not valid" (never a 404 that would tell a made-up id from a real one).
FORGED_TOKEN = "not-a-letter-we-signed"

ROUTES: dict[str, Route] = {
    "scorecards:letter_issue": Route("staff", {"pk": A("supplier")}, buyer_get=405),
    "scorecards:letter_pdf": Route("staff", {"pk": A("reference_letter")}),
    "scorecards:letter_revoke": Route("staff", {"pk": A("reference_letter")}, buyer_get=405),
    "portal:reference_letters": Route("portal", buyer_get=403, owner_get=200),
    "portal:reference_letter_pdf": Route(
        "portal", {"pk": A("reference_letter")}, buyer_get=403, owner_get=200
    ),
    "letter_verify": Route("public", {"token": FORGED_TOKEN}, owner_get=200),
    "api:reference-letter-list": Route("api", owner_get=200),
    "api:reference-letter-detail": Route("api", {"pk": A("reference_letter")}, owner_get=200),
    "api:reference-letter-pdf": Route("api", {"pk": A("reference_letter")}, owner_get=200),
    "api:reference-letter-revoke": Route("api", {"pk": A("reference_letter")}, buyer_get=405, owner_get=405),
}
