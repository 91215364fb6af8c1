"""Training and community programmes on staff pages, in the portal and in the API."""

from datetime import date

import pytest
from django.urls import reverse

from partnership.models import CommunityProgramme, Training
from partnership.services import training as services
from tests.helpers import authed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("training_day")]


def test_staff_offer_a_training_and_a_past_date_is_refused(client, buyer, supplier_a):
    client.force_login(buyer)
    url = reverse("partnership:training_create")
    data = {"supplier": supplier_a.pk, "topic": "5S", "status": "offered", "attendee_count": "3"}
    refused = client.post(url, {**data, "held_on": "2026-12-01"})
    assert refused.status_code == 400 and "not a past one" in refused.content.decode()
    assert not Training.objects.exists()
    assert client.post(url, {**data, "held_on": "2026-12-08"}).status_code == 302
    assert "5S" in client.get(reverse("partnership:training_list")).content.decode()


def test_the_factory_accepts_its_offered_training_in_the_portal(client, portal_a, offered):
    client.force_login(portal_a)
    assert "AQL sampling" in client.get(reverse("portal:partnership_training")).content.decode()
    client.post(reverse("portal:partnership_training_accept", args=[offered.pk]))
    offered.refresh_from_db()
    assert offered.status == Training.Status.ACCEPTED


def test_another_factory_gets_404_for_the_training_everywhere(client, api_client, portal_b, offered):
    client.force_login(portal_b)
    assert client.post(reverse("portal:partnership_training_accept", args=[offered.pk])).status_code == 404
    assert "AQL sampling" not in client.get(reverse("portal:partnership_training")).content.decode()
    api = authed(api_client, portal_b)
    assert api.get(reverse("api:training-detail", args=[offered.pk])).status_code == 404
    assert api.post(reverse("api:training-accept", args=[offered.pk])).status_code == 404
    offered.refresh_from_db()
    assert offered.status == Training.Status.OFFERED


def test_the_factory_accepts_through_the_api_and_cannot_create(api_client, portal_a, offered, supplier_a):
    api = authed(api_client, portal_a)
    assert api.post(reverse("api:training-accept", args=[offered.pk])).json()["status"] == "accepted"
    created = api.post(
        reverse("api:training-list"), {"supplier": supplier_a.pk, "topic": "x", "held_on": "2026-12-20"}
    )
    assert created.status_code == 403


def test_staff_mark_a_training_given_from_the_list(client, buyer, supplier_a):
    training = services.training_record(
        by=buyer, supplier=supplier_a, topic="Lab", held_on=date(2026, 12, 5), attendee_count=2
    )
    client.force_login(buyer)
    client.post(reverse("partnership:training_given", args=[training.pk]), {"attendee_count": "5"})
    training.refresh_from_db()
    assert (training.status, training.attendee_count) == ("given", 5)


def test_programmes_are_recorded_by_staff_and_shown_to_their_own_factory_only(
    client, buyer, portal_a, portal_b, supplier_a
):
    client.force_login(buyer)
    response = client.post(
        reverse("partnership:programme_create"),
        {
            "supplier": supplier_a.pk,
            "name": "Clinic",
            "starts_on": "2026-01-01",
            "contribution": "Two nurses",
        },
    )
    assert response.status_code == 302
    assert CommunityProgramme.objects.get().recorded_by == buyer
    client.force_login(portal_a)
    assert "Clinic" in client.get(reverse("portal:partnership_programmes")).content.decode()
    client.force_login(portal_b)
    assert "Clinic" not in client.get(reverse("portal:partnership_programmes")).content.decode()


def test_training_lists_pin_their_queries(client, buyer, supplier_a, django_assert_max_num_queries, portal_a):
    for n in range(10):
        services.training_record(by=buyer, supplier=supplier_a, topic=f"T{n}", held_on=date(2026, 12, 20))
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        client.get(reverse("partnership:training_list"))
    client.force_login(portal_a)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:partnership_training"))
