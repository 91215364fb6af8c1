"""Training and community programmes corrected after recording: the bounds of recording hold, a refusal changes
nothing, a given training stays given, and the factory hears of a new date or topic, or of a training given, in its
own language. Staff pages and the API (PATCH) do the same; a factory never edits and another's answers 404."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from communications.messages import message_render
from communications.models import Notification
from partnership.services import training as services
from tests.helpers import authed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("training_day")]


@pytest.fixture
def given(supplier_a, buyer):
    return services.training_record(
        by=buyer, supplier=supplier_a, topic="5S", held_on=date(2026, 11, 2), status="given", attendee_count=6
    )


@pytest.fixture
def programme(supplier_a, buyer):
    return services.programme_record(
        by=buyer, supplier=supplier_a, name="Clinic", starts_on=date(2026, 1, 1), contribution="Two nurses"
    )


def _values(training):
    training.refresh_from_db()
    return (training.topic, training.held_on, training.attendee_count, training.status, training.people)


def _notes(user, key):
    return Notification.objects.filter(user=user, message_key=key)


# --- Services ---------------------------------------------------------------------------------------------------


def test_a_new_date_of_an_offered_training_tells_the_factory_in_its_language(offered, buyer, portal_a):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    services.training_update(training=offered, by=buyer, held_on=date(2026, 12, 22), people="QC team")
    assert _values(offered) == ("AQL sampling", date(2026, 12, 22), 4, "offered", "QC team")
    note = _notes(portal_a, "training_changed").get()
    assert note.params["old_held_on"] == "2026-12-20" and note.params["held_on"] == "2026-12-22"
    with translation.override("zh-hans"):
        title, _body = message_render(note.message_key, note.params)
    assert "AQL sampling" in title and "2026-12-22" in title and "Training changed" not in title
    with translation.override("vi"):
        title, _body = message_render(note.message_key, note.params)
    assert "Đào tạo" in title


def test_a_new_topic_tells_the_factory_but_a_new_head_count_does_not(offered, buyer, portal_a):
    services.training_update(training=offered, by=buyer, attendee_count=9)
    assert not _notes(portal_a, "training_changed").exists()
    services.training_update(training=offered, by=buyer, topic="AQL sampling, level II")
    assert _notes(portal_a, "training_changed").get().params["topic"] == "AQL sampling, level II"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": date(2026, 12, 4)}, "held_on"),  # an offer is for today or later
        ({"held_on": date(1999, 12, 31)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"attendee_count": 10_001}, "attendee_count"),
        ({"attendee_count": -1}, "attendee_count"),
        ({"attendee_count": True}, "attendee_count"),
        ({"topic": "   "}, "topic"),
        ({"status": "given"}, "held_on"),  # given in the future
        ({"status": "accepted"}, "status"),  # only the factory accepts
        ({"status": "lost"}, "status"),
    ],
)
def test_a_refused_correction_names_its_field_and_changes_nothing(offered, buyer, portal_a, changes, field):
    before = _values(offered)
    with pytest.raises(ValidationError) as refused:
        services.training_update(training=offered, by=buyer, **changes)
    assert field in refused.value.message_dict
    assert _values(offered) == before
    assert not _notes(portal_a, "training_changed").exists()


def test_a_given_training_cannot_move_back_to_offered_nor_into_the_future(given, buyer):
    before = _values(given)
    with pytest.raises(ValidationError, match="moved back"):
        services.training_update(training=given, by=buyer, status="offered", held_on=date(2026, 12, 20))
    with pytest.raises(ValidationError, match="future"):
        services.training_update(training=given, by=buyer, held_on=date(2026, 12, 6))
    assert _values(given) == before


def test_a_given_training_is_corrected_without_telling_the_factory(given, buyer, portal_a):
    services.training_update(training=given, by=buyer, held_on=date(2026, 11, 3), attendee_count=10_000)
    assert _values(given)[1:3] == (date(2026, 11, 3), 10_000)
    assert not _notes(portal_a, "training_changed").exists()


def test_a_factory_and_a_portal_token_never_correct_a_training(offered, portal_a):
    before = _values(offered)
    with pytest.raises(PermissionDenied):
        services.training_update(training=offered, by=portal_a, topic="Mine now")
    assert _values(offered) == before


def test_marking_a_training_given_tells_the_factory_in_its_language(supplier_a, buyer, portal_a):
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    training = services.training_record(by=buyer, supplier=supplier_a, topic="Lab", held_on=date(2026, 12, 5))
    services.training_mark_given(training=training, by=buyer, attendee_count=5)
    note = _notes(portal_a, "training_given").get()
    title, _body = message_render(note.message_key, note.params)
    assert title == "Training 'Lab' recorded as given on 2026-12-05"
    with translation.override("vi"):
        title, _body = message_render(note.message_key, note.params)
    assert "Lab" in title and "2026-12-05" in title and "recorded as given" not in title


def test_a_correction_to_given_tells_the_factory_once(supplier_a, buyer, portal_a):
    training = services.training_record(by=buyer, supplier=supplier_a, topic="Lab", held_on=date(2026, 12, 5))
    services.training_update(training=training, by=buyer, status="given")
    assert _notes(portal_a, "training_given").count() == 1
    assert not _notes(portal_a, "training_changed").exists()


def test_a_programme_is_corrected_and_a_bad_period_changes_nothing(programme, buyer):
    services.programme_update(
        programme=programme,
        by=buyer,
        name="Village clinic",
        ends_on=date(2026, 12, 31),
        contribution="Nurses",
    )
    programme.refresh_from_db()
    assert (programme.name, programme.ends_on, programme.contribution) == (
        "Village clinic",
        date(2026, 12, 31),
        "Nurses",
    )
    for changes in (
        {"starts_on": date(2027, 1, 1)},
        {"ends_on": date(2025, 12, 31)},
        {"name": ""},
        {"contribution": " "},
        {"starts_on": date(2101, 1, 1)},
    ):
        with pytest.raises(ValidationError):
            services.programme_update(programme=programme, by=buyer, **changes)
        programme.refresh_from_db()
        assert (programme.name, programme.starts_on, programme.ends_on) == (
            "Village clinic",
            date(2026, 1, 1),
            date(2026, 12, 31),
        )


def test_a_factory_never_corrects_a_programme(programme, portal_a):
    with pytest.raises(PermissionDenied):
        services.programme_update(programme=programme, by=portal_a, name="Ours")
    programme.refresh_from_db()
    assert programme.name == "Clinic"


# --- Staff pages ------------------------------------------------------------------------------------------------


def _training_form(**overrides):
    data = {"topic": "AQL sampling", "held_on": "2026-12-21", "status": "offered", "attendee_count": "4"}
    return {**data, **overrides}


def test_staff_correct_a_training_on_its_page_and_a_past_date_is_refused(client, buyer, offered, portal_a):
    client.force_login(buyer)
    url = reverse("partnership:training_edit", args=[offered.pk])
    page = client.get(url)
    assert page.status_code == 200 and "AQL sampling" in page.content.decode()
    refused = client.post(url, _training_form(held_on="2026-12-01"))
    assert refused.status_code == 400 and "not a past one" in refused.content.decode()
    assert _values(offered)[1] == date(2026, 12, 20)
    assert client.post(url, _training_form()).status_code == 302
    assert _values(offered)[1] == date(2026, 12, 21)
    assert _notes(portal_a, "training_changed").exists()
    assert (
        reverse("partnership:training_edit", args=[offered.pk])
        in client.get(reverse("partnership:training_list")).content.decode()
    )


def test_staff_page_refuses_moving_a_given_training_back(client, buyer, given):
    client.force_login(buyer)
    url = reverse("partnership:training_edit", args=[given.pk])
    refused = client.post(url, _training_form(held_on="2026-12-20", topic="5S"))
    assert refused.status_code == 400 and "moved back" in refused.content.decode()
    assert _values(given)[3] == "given"


def test_staff_correct_a_programme_on_its_page(client, buyer, programme):
    client.force_login(buyer)
    url = reverse("partnership:programme_edit", args=[programme.pk])
    assert "Two nurses" in client.get(url).content.decode()
    data = {"name": "Clinic", "starts_on": "2026-03-01", "ends_on": "2026-02-01", "contribution": "Nurses"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "on or after the day it starts" in refused.content.decode()
    assert client.post(url, {**data, "ends_on": ""}).status_code == 302
    programme.refresh_from_db()
    assert (programme.starts_on, programme.ends_on, programme.contribution) == (
        date(2026, 3, 1),
        None,
        "Nurses",
    )


def test_a_factory_contact_cannot_open_the_edit_pages(client, portal_a, offered, programme):
    client.force_login(portal_a)
    for url in (
        reverse("partnership:training_edit", args=[offered.pk]),
        reverse("partnership:programme_edit", args=[programme.pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404)
        assert client.post(url, {"topic": "x", "name": "x"}).status_code in (302, 403, 404)
    assert _values(offered)[0] == "AQL sampling"


def test_staff_get_404_for_a_missing_training(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("partnership:training_edit", args=[999_999])).status_code == 404


# --- API --------------------------------------------------------------------------------------------------------


def test_staff_patch_a_training_with_the_same_bounds(api_client, buyer, offered, portal_a):
    api = authed(api_client, buyer)
    url = reverse("api:training-detail", args=[offered.pk])
    refused = api.patch(url, {"held_on": "2026-12-01"}, format="json")
    assert refused.status_code == 400 and "held_on" in refused.json()
    assert api.patch(url, {"attendee_count": 10_001}, format="json").status_code == 400
    assert _values(offered)[1:3] == (date(2026, 12, 20), 4)
    done = api.patch(url, {"topic": "AQL II", "attendee_count": 7}, format="json")
    assert done.status_code == 200 and done.json()["topic"] == "AQL II" and done.json()["attendee_count"] == 7
    assert _notes(portal_a, "training_changed").exists()
    assert api.put(url, {"topic": "x"}, format="json").status_code == 405


def test_staff_cannot_patch_a_given_training_back_to_offered(api_client, buyer, given):
    api = authed(api_client, buyer)
    url = reverse("api:training-detail", args=[given.pk])
    refused = api.patch(url, {"status": "offered", "held_on": "2026-12-20"}, format="json")
    assert refused.status_code == 400
    assert _values(given)[3] == "given"


def test_only_the_factory_makes_a_training_accepted_and_the_answer_says_accepted(
    api_client, buyer, offered, portal_a
):
    staff = authed(api_client, buyer)
    url = reverse("api:training-detail", args=[offered.pk])
    refused = staff.patch(url, {"status": "accepted"}, format="json")
    assert refused.status_code == 400 and "Only the factory accepts" in str(refused.json()["status"])
    assert _values(offered)[3] == "offered"
    answer = authed(api_client, portal_a).post(reverse("api:training-accept", args=[offered.pk]))
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    # An accepted training corrected without a new date keeps its status.
    kept = authed(api_client, buyer).patch(url, {"status": "accepted", "topic": "AQL II"}, format="json")
    assert kept.status_code == 200 and kept.json()["status"] == "accepted"


def test_staff_patch_a_programme(api_client, buyer, programme):
    api = authed(api_client, buyer)
    url = reverse("api:community-programme-detail", args=[programme.pk])
    assert api.patch(url, {"ends_on": "2025-01-01"}, format="json").status_code == 400
    done = api.patch(url, {"ends_on": "2026-06-30", "name": "Clinic II"}, format="json")
    assert done.status_code == 200 and done.json()["ends_on"] == "2026-06-30"


def test_a_factory_token_never_patches_and_another_suppliers_answers_404(
    api_client, portal_a, portal_b, offered, programme
):
    own, other = authed(api_client, portal_a), None
    assert (
        own.patch(
            reverse("api:training-detail", args=[offered.pk]), {"topic": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        own.patch(
            reverse("api:community-programme-detail", args=[programme.pk]), {"name": "x"}, format="json"
        ).status_code
        == 403
    )
    other = authed(api_client, portal_b)
    assert (
        other.patch(
            reverse("api:training-detail", args=[offered.pk]), {"topic": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        other.patch(
            reverse("api:community-programme-detail", args=[programme.pk]), {"name": "x"}, format="json"
        ).status_code
        == 404
    )
    assert _values(offered)[0] == "AQL sampling"
    programme.refresh_from_db()
    assert programme.name == "Clinic"


def test_a_new_date_of_an_accepted_training_asks_the_factory_to_accept_again(offered, buyer, portal_a):
    services.training_accept(training=offered, by=portal_a)
    services.training_update(training=offered, by=buyer, held_on=date(2026, 12, 22))
    offered.refresh_from_db()
    assert offered.status == "offered"
    assert offered.accepted_by is None and offered.accepted_at is None
    assert _notes(portal_a, "training_changed").exists()


def test_a_correction_of_the_people_keeps_an_accepted_training_accepted(offered, buyer, portal_a):
    services.training_accept(training=offered, by=portal_a)
    services.training_update(training=offered, by=buyer, attendee_count=9)
    offered.refresh_from_db()
    assert offered.status == "accepted" and offered.accepted_by == portal_a


def test_a_patch_naming_another_supplier_is_refused(api_client, buyer, offered, programme, supplier_b):
    api = authed(api_client, buyer)
    for url in (
        reverse("api:training-detail", args=[offered.pk]),
        reverse("api:community-programme-detail", args=[programme.pk]),
    ):
        refused = api.patch(url, {"supplier": supplier_b.pk, "name": "x", "topic": "x"}, format="json")
        assert refused.status_code == 400 and "supplier" in refused.json()
    assert _values(offered)[0] == "AQL sampling"
    programme.refresh_from_db()
    assert programme.name == "Clinic"
