"""Isolation-test routes of claimed vs observed and visit reports (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "suppliers:capability_statement": Route("staff", {"pk": A("supplier")}),
    "audits:capability_observe": Route("staff", {"pk": A("audit")}, buyer_get=405),
    "audits:capability_finding_propose": Route("staff", {"pk": A("capability_observation")}, buyer_get=405),
    "audits:visit_person_add": Route("staff", {"pk": A("audit")}, buyer_get=405),
    "audits:visit_note_add": Route("staff", {"pk": A("audit")}, buyer_get=405),
    "audits:visit_cadence": Route("staff", {"pk": A("supplier")}),
    "portal:visit_note_add": Route("portal", {"pk": A("audit")}, buyer_get=403, owner_get=405),
    # Portal page (the factory's own statement: no object in the URL)
    "portal:capability": Route("portal", buyer_get=403, owner_get=200),
    # API
    "api:capability-claim-list": Route("api", owner_get=200),
    "api:capability-claim-detail": Route("api", {"pk": A("capability_claim")}, owner_get=200),
    "api:capability-observation-list": Route("api", owner_get=200),
    "api:visit-person-list": Route("api", owner_get=200),
    "api:visit-person-detail": Route("api", {"pk": A("visit_person")}, owner_get=200),
    "api:visit-note-list": Route("api", owner_get=200),
    "api:visit-note-detail": Route("api", {"pk": A("visit_note")}, owner_get=200),
    # Staff only: a factory token lists none and gets 404 for its own supplier's cadence too.
    "api:visit-cadence-list": Route("api"),  # staff-only: a factory token gets an empty list
    "api:visit-cadence-detail": Route("api", {"pk": A("visit_cadence")}, owner_get=404),
    "api:capability-observation-detail": Route("api", {"pk": A("capability_observation")}, owner_get=200),
}
