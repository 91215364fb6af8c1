"""Visit reports: the people met on the factory side, challenges and ideas raised, follow-ups with owners and
due dates; the factory sees the shared part and adds to it in the portal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits import services
from audits.models import Audit, VisitCadence, VisitNote, VisitPerson
from audits.selectors import visits_due
from suppliers.models import Stage, Supplier
from tests.factories import AuditFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(supplier_a):
    return AuditFactory(supplier=supplier_a, passed=True)


def test_a_visit_records_the_people_met_by_role_with_an_optional_name(audit, quality):
    services.visit_person_add(audit=audit, by=quality, role=VisitPerson.Role.SUPERVISOR, area="Line 3")
    services.visit_person_add(audit=audit, by=quality, role=VisitPerson.Role.MANAGER, name="Mr Chen")
    assert sorted(audit.people_met.values_list("role", flat=True)) == ["manager", "supervisor"]


def test_a_follow_up_needs_an_owner_and_a_due_date(audit, quality):
    with pytest.raises(ValidationError) as caught:
        services.visit_note_add(audit=audit, by=quality, kind="follow_up", text="Send the line layout")
    assert {"owner", "due_on"} <= set(caught.value.message_dict)
    assert not VisitNote.objects.exists()
    note = services.visit_note_add(
        audit=audit,
        by=quality,
        kind="follow_up",
        text="Send the line layout",
        owner="Mr Chen",
        due_on=date(2026, 12, 20),
    )
    assert note.shared and note.owner == "Mr Chen"


def test_notes_without_an_audit_are_refused(quality):
    with pytest.raises(ValidationError, match="audit or a visit"):
        services.visit_note_add(audit=None, by=quality, kind="idea", text="Shared moulds")


def test_the_factory_adds_to_its_own_visits_shared_part_only(audit, portal_a, portal_b):
    note = services.visit_note_add(
        audit=audit, by=portal_a, kind="idea", text="Share the mould", shared=False
    )
    assert note.shared and note.added_by == portal_a
    with pytest.raises(PermissionDenied):
        services.visit_note_add(audit=audit, by=portal_b, kind="idea", text="Not mine")


def test_the_factory_cannot_add_to_a_hidden_unannounced_audit(hidden_a, portal_a):
    with pytest.raises(PermissionDenied):
        services.visit_note_add(audit=hidden_a["audit"], by=portal_a, kind="idea", text="Peek")


def test_the_portal_shows_the_shared_part_and_never_an_internal_note(portal_client, audit, quality):
    services.visit_person_add(audit=audit, by=quality, role="inspector", name="Ms Lin")
    services.visit_note_add(audit=audit, by=quality, kind="challenge", text="Dye lots vary")
    services.visit_note_add(
        audit=audit, by=quality, kind="challenge", text="Owner seems stretched", shared=False
    )
    body = portal_client.get(reverse("portal:audit_detail", args=[audit.pk])).content.decode()
    assert "Ms Lin" in body and "Dye lots vary" in body and "Owner seems stretched" not in body


def test_the_factory_adds_a_follow_up_in_the_portal_and_a_bad_one_changes_nothing(portal_client, audit):
    url = reverse("portal:visit_note_add", args=[audit.pk])
    response = portal_client.post(url, {"kind": "follow_up", "text": "Send fabric tests"})
    assert response.status_code == 400 and not VisitNote.objects.exists()
    response = portal_client.post(
        url, {"kind": "follow_up", "text": "Send fabric tests", "owner": "Ms Lin", "due_on": "2026-12-20"}
    )
    assert response.status_code == 302
    assert VisitNote.objects.get().owner == "Ms Lin"


def test_staff_record_a_person_and_a_note_on_the_audit_page(client, audit, quality):
    client.force_login(quality)
    assert (
        client.post(reverse("audits:visit_person_add", args=[audit.pk]), {"role": "operator"}).status_code
        == 302
    )
    response = client.post(
        reverse("audits:visit_note_add", args=[audit.pk]), {"kind": "idea", "text": "Kanban", "shared": "on"}
    )
    assert response.status_code == 302
    body = client.get(audit.get_absolute_url()).content.decode()
    assert "Visit report" in body and "Kanban" in body
    response = client.post(reverse("audits:visit_person_add", args=[audit.pk]), {"role": "astronaut"})
    assert response.status_code == 400 and VisitPerson.objects.count() == 1


def test_a_factory_token_reads_only_its_shared_visit_notes(api_client, audit, quality, portal_a, portal_b):
    services.visit_note_add(audit=audit, by=quality, kind="idea", text="Shared moulds")
    services.visit_note_add(audit=audit, by=quality, kind="idea", text="Internal doubt", shared=False)
    rows = authed(api_client, portal_a).get("/api/v1/visit-notes/").json()["results"]
    assert [row["text"] for row in rows] == ["Shared moulds"] and "shared" not in rows[0]
    assert authed(api_client, portal_b).get("/api/v1/visit-notes/").json()["results"] == []


def test_a_visit_counts_as_contact_for_the_no_contact_rule(supplier_a, supplier_b):
    from datetime import UTC, datetime, time

    from communications.selectors import last_contact_at

    visited = AuditFactory(supplier=supplier_a, passed=True)
    AuditFactory(supplier=supplier_b)  # planned, not performed: no contact yet
    last = last_contact_at(supplier_ids=[supplier_a.pk, supplier_b.pk])
    assert last == {supplier_a.pk: datetime.combine(visited.performed_on, time.min, tzinfo=UTC)}


def test_a_supplier_past_its_visit_cadence_is_listed_as_visit_due(supplier_a, supplier_b, quality, client):
    Supplier.objects.filter(pk__in=[supplier_a.pk, supplier_b.pk]).update(stage=Stage.APPROVED)
    AuditFactory(
        supplier=supplier_a, status=Audit.Status.PERFORMED, performed_on=date(2025, 10, 31), result="pass"
    )
    AuditFactory(
        supplier=supplier_b, status=Audit.Status.PERFORMED, performed_on=date(2026, 6, 1), result="pass"
    )
    VisitCadence.objects.create(supplier=supplier_a, every_months=12)
    VisitCadence.objects.create(supplier=supplier_b, every_months=12)
    assert visits_due(user=quality, today=date(2026, 10, 30)) == []
    (due,) = visits_due(user=quality, today=date(2026, 10, 31))
    assert (due["supplier"], due["due_on"]) == (supplier_a, date(2026, 10, 31))
    client.force_login(quality)
    assert "Visits due" in client.get(reverse("audits:audit_list")).content.decode()


def test_a_supplier_with_a_cadence_and_no_visit_yet_is_due_once_the_cadence_passed_since_it_was_created(
    supplier_a, quality
):
    Supplier.objects.filter(pk=supplier_a.pk).update(stage=Stage.APPROVED)
    VisitCadence.objects.create(supplier=supplier_a, every_months=6)
    created = supplier_a.created_at.date()
    assert visits_due(user=quality, today=created) == []
    later = date(created.year + 1, created.month, 1)
    assert [row["supplier"] for row in visits_due(user=quality, today=later)] == [supplier_a]
