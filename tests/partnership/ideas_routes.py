"""Isolation-test routes of improvement ideas, training and programmes (merged into tests/test_isolation.py ROUTES)."""

from tests.isolation import A, Route

ROUTES: dict[str, Route] = {
    # Staff pages
    "partnership:idea_list": Route("staff"),
    "partnership:idea_create": Route("staff"),
    "partnership:idea_detail": Route("staff", {"pk": A("improvement_idea")}),
    "partnership:training_list": Route("staff"),
    "partnership:training_create": Route("staff"),
    "partnership:training_given": Route("staff", {"pk": A("training")}, buyer_get=405),
    "partnership:training_edit": Route("staff", {"pk": A("training")}),
    "partnership:programme_list": Route("staff"),
    "partnership:programme_edit": Route("staff", {"pk": A("community_programme")}),
    "partnership:programme_create": Route("staff"),
    # Portal pages
    "portal:partnership_ideas": Route("portal", buyer_get=403, owner_get=200),
    "portal:partnership_idea_new": Route("portal", buyer_get=403, owner_get=200),
    "portal:partnership_idea_detail": Route(
        "portal", {"pk": A("improvement_idea")}, buyer_get=403, owner_get=200
    ),
    "portal:partnership_training": Route("portal", buyer_get=403, owner_get=200),
    "portal:partnership_training_accept": Route(
        "portal", {"pk": A("training")}, buyer_get=403, owner_get=405
    ),
    "portal:partnership_programmes": Route("portal", buyer_get=403, owner_get=200),
    # API
    "api:improvement-idea-list": Route("api", owner_get=200),
    "api:improvement-idea-detail": Route("api", {"pk": A("improvement_idea")}, owner_get=200),
    "api:improvement-idea-transition": Route(
        "api", {"pk": A("improvement_idea")}, buyer_get=405, owner_get=405
    ),
    "api:improvement-idea-implement": Route(
        "api", {"pk": A("improvement_idea")}, buyer_get=405, owner_get=405
    ),
    "api:improvement-idea-comment": Route("api", {"pk": A("improvement_idea")}, buyer_get=405, owner_get=405),
    "api:training-list": Route("api", owner_get=200),
    "api:training-detail": Route("api", {"pk": A("training")}, owner_get=200),
    "api:training-accept": Route("api", {"pk": A("training")}, buyer_get=405, owner_get=405),
    "api:community-programme-list": Route("api", owner_get=200),
    "api:community-programme-detail": Route("api", {"pk": A("community_programme")}, owner_get=200),
}
