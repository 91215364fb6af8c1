"""The red-flag workflow keeps every note, words its period, lists the most severe and oldest first, and handles
several flags at once (page and API), all of them or none."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scorecards import selectors, services
from scorecards.models import RedFlag, RedFlagNote, period_words
from tests.factories import SupplierFactory, UserFactory
from tests.scorecards.builders import queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

Rule, Severity, State = RedFlag.Rule, RedFlag.Severity, RedFlag.State
FLAGS = reverse("scorecards:flag_list")
BULK = reverse("scorecards:flag_bulk")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-11-25 09:00 +00:00", tick=False):
        yield


def flag(supplier, *, rule=Rule.ON_TIME_DELIVERY, period="2026-W48", days_old=0, **fields) -> RedFlag:
    fields.setdefault("observed", "60.00 % (3/5)")
    fields.setdefault("recommended_action", "Review production schedules with the supplier.")
    return RedFlag.objects.create(
        supplier=supplier,
        rule=rule,
        period=period,
        raised_at=timezone.now() - timedelta(days=days_old),
        **fields,
    )


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("2026-W48", "Week 48, 2026"),
        ("2026-W07:on_time_delivery", "On-time delivery, three weeks to Week 7, 2026"),
        ("cert-19", "certificate #19 expiry"),
        ("issue-4", "issue #4"),
        ("capa-12", "corrective action #12"),
        ("discrepancy-3", "price discrepancy #3"),
        ("something-else", "something-else"),
    ],
)
def test_a_period_key_is_shown_in_words(key, words):
    assert period_words(key) == words


def test_resolving_keeps_the_acknowledgement_note(supplier_a, buyer, quality):
    made = flag(supplier_a)
    services.flag_acknowledge(flag=made, by=buyer, note="Calling the plant manager.")
    services.flag_resolve(flag=made, by=quality, note="New schedule agreed.")
    notes = list(selectors.flag_notes(flag=made).values_list("kind", "text", "author"))
    assert notes == [
        (RedFlagNote.Kind.ACKNOWLEDGED, "Calling the plant manager.", buyer.pk),
        (RedFlagNote.Kind.RESOLVED, "New schedule agreed.", quality.pk),
    ]


def test_the_flag_page_shows_every_note_and_the_period_in_words(client, buyer, quality, supplier_a):
    made = flag(supplier_a, rule=Rule.CERTIFICATION, period="cert-19")
    services.flag_acknowledge(flag=made, by=buyer, note="Asked for the renewal.")
    services.flag_resolve(flag=made, by=quality, note="Renewed certificate received.")
    client.force_login(buyer)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Asked for the renewal." in page and "Renewed certificate received." in page
    assert "certificate #19 expiry" in page
    assert "cert-19" not in page


def test_the_inbox_lists_the_most_severe_first_and_the_oldest_first_within_a_severity(
    client, buyer, supplier_a
):
    low = flag(supplier_a, period="2026-W40", severity=Severity.LOW, days_old=30)
    medium_new = flag(supplier_a, period="2026-W41", severity=Severity.MEDIUM, days_old=1)
    medium_old = flag(supplier_a, period="2026-W42", severity=Severity.MEDIUM, days_old=10)
    high = flag(supplier_a, period="2026-W43", severity=Severity.HIGH, days_old=0)
    client.force_login(buyer)
    listed = [f.pk for f in client.get(FLAGS).context["page"]]
    assert listed == [high.pk, medium_old.pk, medium_new.pk, low.pk]


def test_bulk_acknowledge_through_the_inbox_notes_each_flag(client, buyer, supplier_a, supplier_b):
    first, second = flag(supplier_a), flag(supplier_b)
    client.force_login(buyer)
    response = client.post(
        BULK, {"flags": [first.pk, second.pk], "action": "acknowledge", "note": "On it."}, follow=True
    )
    assert "2 flags updated." in response.content.decode()
    for made in (first, second):
        made.refresh_from_db()
        assert made.state == State.ACKNOWLEDGED
        assert made.notes.get().text == "On it."


def test_bulk_assign_gives_every_ticked_flag_to_the_colleague(client, buyer, quality, supplier_a):
    flags = [flag(supplier_a, period=f"2026-W{n}") for n in (40, 41, 42)]
    client.force_login(buyer)
    client.post(BULK, {"flags": [f.pk for f in flags], "action": "assign", "owner": quality.pk})
    assert set(RedFlag.objects.values_list("owner", flat=True)) == {quality.pk}


def test_bulk_acknowledge_changes_nothing_when_one_flag_cannot_be_acknowledged(client, buyer, supplier_a):
    open_flag = flag(supplier_a, period="2026-W40")
    resolved = flag(supplier_a, period="2026-W41", state=State.RESOLVED)
    client.force_login(buyer)
    page = client.post(
        BULK, {"flags": [open_flag.pk, resolved.pk], "action": "acknowledge"}, follow=True
    ).content.decode()
    assert "Nothing was changed." in page
    open_flag.refresh_from_db()
    assert open_flag.state == State.OPEN
    assert not RedFlagNote.objects.exists()


def test_bulk_without_a_ticked_flag_or_an_owner_says_so(client, buyer, supplier_a):
    made = flag(supplier_a)
    client.force_login(buyer)
    assert (
        "Tick at least one flag."
        in client.post(BULK, {"action": "acknowledge"}, follow=True).content.decode()
    )
    with pytest.raises(ValidationError):
        services.flags_bulk_handle(flags=[made], by=buyer, action="assign")


def test_a_factory_contact_cannot_bulk_handle_flags(client, portal_a, supplier_a):
    made = flag(supplier_a)
    client.force_login(portal_a)
    response = client.post(BULK, {"flags": [made.pk], "action": "acknowledge"})
    assert response.status_code in (403, 404)
    made.refresh_from_db()
    assert made.state == State.OPEN


def test_the_inbox_with_checkboxes_keeps_its_query_count(client, manager, supplier_a):
    client.force_login(manager)
    for n in range(3):
        flag(supplier_a, period=f"2026-W{n:02d}", owner=UserFactory())
    few = queries(client, FLAGS)
    for n in range(17):
        flag(SupplierFactory(), period=f"2026-W{n:02d}", owner=UserFactory())
    many = queries(client, FLAGS)
    assert many <= few, f"{few} queries for 3 flags, {many} for 20"


# --- API ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def api(api_client, buyer):
    api_client.force_authenticate(buyer)
    return api_client


def test_api_bulk_acknowledges_and_returns_the_flags_with_their_notes(api, supplier_a):
    first, second = flag(supplier_a, period="2026-W40"), flag(supplier_a, period="2026-W41")
    response = api.post(
        reverse("api:red-flag-bulk"),
        {"flags": [first.pk, second.pk], "action": "acknowledge", "note": "Seen."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [row["notes"][0]["text"] for row in response.json()] == ["Seen.", "Seen."]
    assert {row["period_label"] for row in response.json()} == {"Week 40, 2026", "Week 41, 2026"}


def test_api_bulk_with_a_flag_of_no_one_is_refused_and_changes_nothing(api, supplier_a):
    made = flag(supplier_a)
    response = api.post(
        reverse("api:red-flag-bulk"), {"flags": [made.pk, 999999], "action": "acknowledge"}, format="json"
    )
    assert response.status_code == 400
    made.refresh_from_db()
    assert made.state == State.OPEN


def test_api_assigns_a_flag(api, supplier_a, quality):
    made = flag(supplier_a)
    response = api.post(reverse("api:red-flag-assign", args=[made.pk]), {"owner": quality.pk}, format="json")
    assert response.status_code == 200, response.content
    made.refresh_from_db()
    assert made.owner == quality
