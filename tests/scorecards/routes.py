"""Isolation-test routes of the scorecards app (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    "scorecards:portfolio": Route("staff"),
    "scorecards:supplier": Route("staff", {"pk": A("supplier")}),
    "scorecards:deliveries": Route("staff", {"pk": A("supplier")}),
    "scorecards:behind": Route("staff", {"pk": A("supplier"), "kpi": "defect_rate"}),
    "scorecards:contest_list": Route("staff"),
    "scorecards:contest_detail": Route("staff", {"pk": A("row_contest")}),
    "scorecards:flag_list": Route("staff"),
    "scorecards:flag_detail": Route("staff", {"pk": A("red_flag")}),
    "scorecards:flag_bulk": Route("staff", buyer_get=405),
    "scorecards:flag_playbook": Route("staff", {"pk": A("red_flag")}, buyer_get=405),
    "scorecards:contract_review_decide": Route("staff", {"pk": A("red_flag")}, buyer_get=405),
    "scorecards:playbooks": Route("staff"),
    "portal:scorecard": Route("portal", buyer_get=403, owner_get=200),
    "portal:scorecard_behind": Route("portal", {"kpi": "on_time_delivery"}, buyer_get=403, owner_get=200),
    "portal:contests": Route("portal", buyer_get=403, owner_get=200),
    "portal:contest_detail": Route("portal", {"pk": A("row_contest")}, buyer_get=403, owner_get=200),
    "portal:contest_create": Route(
        "portal", {"kind": "inspection", "row": A("inspection")}, buyer_get=403, owner_get=200
    ),
    "api:scorecard-list": Route("api", owner_get=200),
    "api:scorecard-contest-list": Route("api", owner_get=200),
    "api:scorecard-contest-detail": Route("api", {"pk": A("row_contest")}, owner_get=200),
    "api:scorecard-contest-accept": Route("api", {"pk": A("row_contest")}, buyer_get=405, owner_get=405),
    "api:scorecard-contest-reject": Route("api", {"pk": A("row_contest")}, buyer_get=405, owner_get=405),
    "api:red-flag-list": Route("api", owner_get=200),
    "api:red-flag-detail": Route("api", {"pk": A("red_flag")}, owner_get=200),
    "api:red-flag-acknowledge": Route("api", {"pk": A("red_flag")}, buyer_get=405, owner_get=405),
    "api:red-flag-resolve": Route("api", {"pk": A("red_flag")}, buyer_get=405, owner_get=405),
    "api:red-flag-assign": Route("api", {"pk": A("red_flag")}, buyer_get=405, owner_get=405),
    "api:red-flag-bulk": Route("api", buyer_get=405, owner_get=405),
    # Playbook actions are staff-only: a flag's actions answer 404 to a factory token, and the list of all of them
    # is empty for it (like the import jobs' list): no own rows to find.
    "api:red-flag-actions": Route("api", {"pk": A("red_flag")}, owner_get=404),
    "api:playbook-action-list": Route("api"),
}
