"""Improvement ideas on staff pages, in the portal and in the API: propose, review, implement, comment; a factory
contact never opens another supplier's idea nor reads the buyer's internal review note."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from partnership.models import IdeaComment, ImprovementIdea
from partnership.services import ideas as services
from tests.factories import PurchaseOrderFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db
Status = ImprovementIdea.Status


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


@pytest.fixture
def idea_a(supplier_a, buyer):
    idea = services.idea_propose(
        by=buyer,
        supplier=supplier_a,
        kind="design",
        title="Snap-fit lid",
        description="Drop the two screws",
        estimated_annual_saving=Decimal("800"),
    )
    services.idea_note_update(idea=idea, by=buyer, review_note="SECRETNOTE margin")
    return idea


def test_the_staff_list_filters_by_supplier_status_and_kind(client, buyer, idea_a, supplier_b):
    services.idea_propose(
        by=buyer, supplier=supplier_b, kind="logistics", title="Pallet height", description="Fit 2 more"
    )
    client.force_login(buyer)
    url = reverse("partnership:idea_list")
    assert "Pallet height" in client.get(url).content.decode()
    page = client.get(
        url, {"supplier": idea_a.supplier_id, "status": "proposed", "kind": "design"}
    ).content.decode()
    assert "Snap-fit lid" in page and "Pallet height" not in page
    assert "Snap-fit lid" not in client.get(url, {"kind": "logistics"}).content.decode()
    assert (
        client.get(url, {"status": "nonsense", "kind": "x", "supplier": "99999999999999"}).status_code == 200
    )


def test_the_staff_list_pins_its_queries(client, buyer, supplier_a, django_assert_max_num_queries):
    for n in range(12):
        services.idea_propose(
            by=buyer, supplier=supplier_a, kind="process", title=f"Idea {n}", description="x"
        )
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partnership:idea_list")).status_code == 200


def test_staff_review_accept_and_implement_from_the_detail_page(client, buyer, idea_a):
    client.force_login(buyer)
    url = idea_a.get_absolute_url()
    assert "SECRETNOTE" in client.get(url).content.decode()
    client.post(url, {"action": "transition", "transition-status": "accepted"})
    response = client.post(
        url,
        {
            "action": "implement",
            "implement-implemented_on": "2026-12-01",
            "implement-realised_saving": "650.25",
        },
    )
    assert response.status_code == 302
    idea_a.refresh_from_db()
    assert (idea_a.status, idea_a.realised_saving) == (Status.IMPLEMENTED, Decimal("650.25"))


def test_a_bad_move_on_the_page_shows_the_message_and_changes_nothing(client, buyer, idea_a):
    client.force_login(buyer)
    url = idea_a.get_absolute_url()
    response = client.post(
        url,
        {"action": "implement", "implement-implemented_on": "2026-12-01", "implement-realised_saving": "5"},
    )
    assert response.status_code == 400
    assert "only on an implemented idea" in response.content.decode()
    response = client.post(url, {"action": "transition", "transition-status": "declined"})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(url, {"action": "bogus"})
    assert response.status_code == 400
    idea_a.refresh_from_db()
    assert idea_a.status == Status.PROPOSED


def test_the_factory_proposes_in_the_portal_and_only_its_own_orders_are_offered(
    client, portal_a, supplier_a, supplier_b
):
    own, other = PurchaseOrderFactory(supplier=supplier_a), PurchaseOrderFactory(supplier=supplier_b)
    client.force_login(portal_a)
    form = client.get(reverse("portal:partnership_idea_new")).content.decode()
    assert own.number in form and other.number not in form
    refused = client.post(
        reverse("portal:partnership_idea_new"),
        {"kind": "quality", "title": "Jig", "description": "A jig", "order": other.pk, "currency": "USD"},
    )
    assert refused.status_code == 400 and not ImprovementIdea.objects.exists()
    response = client.post(
        reverse("portal:partnership_idea_new"),
        {
            "kind": "quality",
            "title": "Jig",
            "description": "A jig",
            "order": own.pk,
            "estimated_annual_saving": "1200",
            "currency": "USD",
        },
    )
    idea = ImprovementIdea.objects.get()
    assert response.url == reverse("portal:partnership_idea_detail", args=[idea.pk])
    assert (idea.supplier, idea.raised_side, idea.order) == (supplier_a, "factory", own)


def test_a_negative_or_huge_saving_in_the_portal_is_refused(client, portal_a):
    client.force_login(portal_a)
    for saving in ("-1", "100000000000"):
        response = client.post(
            reverse("portal:partnership_idea_new"),
            {
                "kind": "quality",
                "title": "Jig",
                "description": "A jig",
                "estimated_annual_saving": saving,
                "currency": "USD",
            },
        )
        assert response.status_code == 400
    assert not ImprovementIdea.objects.exists()


def test_the_factory_reads_and_comments_on_its_own_idea_without_the_internal_note(client, portal_a, idea_a):
    client.force_login(portal_a)
    url = reverse("portal:partnership_idea_detail", args=[idea_a.pk])
    page = client.get(url).content.decode()
    assert "Snap-fit lid" in page and "SECRETNOTE" not in page
    assert "Snap-fit lid" in client.get(reverse("portal:partnership_ideas")).content.decode()
    assert client.post(url, {"body": "We tried it"}).status_code == 302
    assert IdeaComment.objects.get().author == portal_a


def test_another_factory_gets_404_for_the_idea_everywhere(client, api_client, portal_b, idea_a):
    client.force_login(portal_b)
    url = reverse("portal:partnership_idea_detail", args=[idea_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hi"}).status_code == 404
    assert "Snap-fit lid" not in client.get(reverse("portal:partnership_ideas")).content.decode()
    api = authed(api_client, portal_b)
    assert api.get(reverse("api:improvement-idea-detail", args=[idea_a.pk])).status_code == 404
    assert (
        api.post(reverse("api:improvement-idea-comment", args=[idea_a.pk]), {"body": "x"}).status_code == 404
    )
    assert api.get(reverse("api:improvement-idea-list")).json()["results"] == []
    assert not IdeaComment.objects.exists()


def test_the_api_hides_the_review_note_from_the_factory_and_lets_it_propose(
    api_client, portal_a, buyer, idea_a
):
    api = authed(api_client, portal_a)
    item = api.get(reverse("api:improvement-idea-detail", args=[idea_a.pk])).json()
    assert "review_note" not in item and item["title"] == "Snap-fit lid"
    created = api.post(
        reverse("api:improvement-idea-list"),
        {"supplier": idea_a.supplier_id, "kind": "process", "title": "Kanban", "description": "Cards"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["raised_side"] == "factory"
    assert (
        api.post(
            reverse("api:improvement-idea-transition", args=[idea_a.pk]), {"status": "accepted"}
        ).status_code
        == 403
    )
    staff = authed(api_client, buyer)
    assert (
        "SECRETNOTE"
        in staff.get(reverse("api:improvement-idea-detail", args=[idea_a.pk])).json()["review_note"]
    )


def test_the_api_review_refuses_a_bad_move_with_a_400(api_client, buyer, idea_a):
    api = authed(api_client, buyer)
    url = reverse("api:improvement-idea-implement", args=[idea_a.pk])
    assert api.post(url, {"implemented_on": "2026-12-01", "realised_saving": "10"}).status_code == 400
    assert (
        api.post(
            reverse("api:improvement-idea-transition", args=[idea_a.pk]), {"status": "accepted"}
        ).status_code
        == 200
    )
    assert api.post(url, {"implemented_on": "2026-12-01", "realised_saving": "-10"}).status_code == 400
    response = api.post(url, {"implemented_on": "2026-12-01", "realised_saving": "10"})
    assert response.status_code == 200 and response.json()["status"] == "implemented"


def test_a_factory_cannot_propose_through_the_api_for_another_supplier(api_client, portal_b, supplier_a):
    response = authed(api_client, portal_b).post(
        reverse("api:improvement-idea-list"),
        {"supplier": supplier_a.pk, "kind": "process", "title": "Kanban", "description": "Cards"},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not ImprovementIdea.objects.exists()


def test_the_implementation_date_in_the_form_is_bounded(client, buyer, idea_a):
    services.idea_transition(idea=idea_a, by=buyer, to=Status.ACCEPTED)
    client.force_login(buyer)
    response = client.post(
        idea_a.get_absolute_url(),
        {"action": "implement", "implement-implemented_on": "1900-01-01", "implement-realised_saving": "1"},
    )
    assert response.status_code == 400
    idea_a.refresh_from_db()
    assert idea_a.implemented_on is None


@pytest.mark.parametrize(
    "name",
    ["idea_list", "idea_create", "training_list", "training_create", "programme_list", "programme_create"],
)
@pytest.mark.parametrize("junk", ["²", "٣", "99999999999999999999", "-1", "1e3"])
def test_a_junk_supplier_in_the_address_is_ignored_not_a_500(client, buyer, name, junk):
    client.force_login(buyer)
    assert client.get(reverse(f"partnership:{name}"), {"supplier": junk}).status_code == 200
