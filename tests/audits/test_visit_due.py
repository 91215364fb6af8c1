"""The visit cadence and its "visit due" red flag: one definition (audits.selectors.visits_due) for the Visits due
list, the flag and the bench; the flag resolves by itself once a site visit is performed or the cadence changes;
a staff page and an API set the cadence; the other side hears of a note added to a visit report's shared part."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits import services
from audits.models import Audit, VisitCadence
from audits.selectors import visit_due_on, visits_due
from communications.models import Notification
from scorecards import alerts, tasks
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.factories import AuditFactory, SupplierFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db

CREATED = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def approved(buyer):
    """An approved supplier created on 15 January 2025."""
    with time_machine.travel(CREATED, tick=False):
        return SupplierFactory(name="Gamma Garments", owner=buyer, stage=Stage.APPROVED)


def _visit(supplier, day):
    return AuditFactory(supplier=supplier, status=Audit.Status.PERFORMED, performed_on=day, result="pass")


def _scan(day=NOW):
    with time_machine.travel(day, tick=False):
        return alerts.flags_evaluate(today=day.date(), now=day)


def test_due_runs_from_the_last_visit_or_else_from_the_suppliers_creation():
    created = datetime(2025, 1, 15, 12, tzinfo=UTC)
    assert visit_due_on(last_visit=date(2025, 1, 31), created_at=created, every_months=1) == date(2025, 2, 28)
    assert visit_due_on(last_visit=None, created_at=created, every_months=12) == date(2026, 1, 15)


def test_a_never_visited_supplier_is_due_once_the_cadence_has_passed_since_it_was_created(approved, quality):
    VisitCadence.objects.create(supplier=approved, every_months=12)
    assert visits_due(user=quality, today=date(2026, 1, 14)) == []
    (row,) = visits_due(user=quality, today=date(2026, 1, 15))
    assert (row["supplier"], row["last_visit"], row["due_on"]) == (approved, None, date(2026, 1, 15))


def test_the_visits_due_list_is_one_query_however_many_suppliers(quality, django_assert_num_queries):
    for number in range(4):
        supplier = SupplierFactory(name=f"S{number}", stage=Stage.APPROVED)
        VisitCadence.objects.create(supplier=supplier, every_months=1)
        _visit(supplier, date(2025, 1, 1))
    with django_assert_num_queries(1):
        rows = visits_due(user=quality, today=date(2026, 1, 1))
    assert len(rows) == 4


@pytest.mark.parametrize("stage", [Stage.PROSPECT, Stage.VETTING, Stage.SUSPENDED, Stage.OFFBOARDED])
def test_an_inactive_supplier_is_neither_listed_nor_flagged_as_visit_due(
    approved, quality, buyer_client, stage
):
    VisitCadence.objects.create(supplier=approved, every_months=12)
    _visit(approved, date(2025, 2, 1))
    assert [row["supplier"] for row in visits_due(user=quality, today=NOW.date())] == [approved]
    with time_machine.travel(NOW, tick=False):
        assert 'id="visits-due"' in buyer_client.get(reverse("audits:audit_list")).content.decode()
    approved.stage = stage
    approved.save(update_fields=["stage"])
    assert visits_due(user=quality, today=NOW.date()) == []
    assert not [flag for flag in _scan() if flag.rule == RedFlag.Rule.VISIT_DUE]
    with time_machine.travel(NOW, tick=False):
        assert 'id="visits-due"' not in buyer_client.get(reverse("audits:audit_list")).content.decode()


def test_a_factory_contact_sees_no_visit_due(approved, portal_a):
    VisitCadence.objects.create(supplier=approved, every_months=1)
    assert visits_due(user=portal_a, today=date(2030, 1, 1)) == []


def test_the_nightly_scan_raises_visit_due_once_for_staff_only(approved, buyer):
    from tests.factories import PortalUserFactory

    contact = PortalUserFactory(supplier=approved)
    VisitCadence.objects.create(supplier=approved, every_months=12)
    _visit(approved, date(2025, 2, 1))
    raised = _scan()
    (flag,) = [f for f in raised if f.rule == RedFlag.Rule.VISIT_DUE]
    assert flag.period == "visit-after-2025-02-01"
    assert flag.observed == "last visit 2025-02-01" and flag.target == "every 12 months"
    assert flag.recommended_action.startswith("Plan a site visit: compare actual production")
    assert flag.url == reverse("audits:visit_cadence", args=[approved.pk])
    assert _scan() == []  # unique per (supplier, rule, period)
    assert flag.period_label == "since the site visit of 2025-02-01"
    # The buyer plans it, perhaps unannounced: the factory is neither shown nor told.
    assert not RedFlag.objects.visible_to(contact).filter(rule=RedFlag.Rule.VISIT_DUE).exists()
    assert not Notification.objects.filter(user=contact).exists()


def test_no_flag_before_due_nor_for_a_supplier_without_a_cadence(approved, supplier_b):
    VisitCadence.objects.create(supplier=approved, every_months=12)
    _visit(approved, date(2025, 3, 3))
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    _scan()
    assert not RedFlag.objects.filter(rule=RedFlag.Rule.VISIT_DUE).exists()


def test_a_performed_site_audit_resolves_the_flag_by_itself(approved, quality):
    VisitCadence.objects.create(supplier=approved, every_months=12)
    _scan()
    flag = RedFlag.objects.get(rule=RedFlag.Rule.VISIT_DUE)
    assert flag.period == "visit-never" and flag.observed == "never visited"
    audit = AuditFactory(supplier=approved, planned_on=date(2026, 3, 1))
    with time_machine.travel(NOW, tick=False):
        services.audit_complete(audit=audit, by=quality, performed_on=date(2026, 3, 1), summary="Seen lines")
    _scan()
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED and flag.resolved_at == NOW
    assert flag.notes.get().kind == "resolved"
    assert RedFlag.objects.filter(rule=RedFlag.Rule.VISIT_DUE).count() == 1  # nothing new: not due again yet


def test_a_longer_cadence_resolves_the_flag_and_a_shorter_one_raises_it(approved, manager):
    VisitCadence.objects.create(supplier=approved, every_months=6)
    _visit(approved, date(2025, 6, 1))
    _scan()
    flag = RedFlag.objects.get(rule=RedFlag.Rule.VISIT_DUE)
    services.visit_cadence_set(supplier=approved, by=manager, every_months=24)
    _scan()
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED
    services.visit_cadence_set(supplier=approved, by=manager, every_months=None)
    assert not VisitCadence.objects.exists()


def test_a_performed_audit_and_a_cadence_change_request_a_red_flag_check(
    approved, quality, manager, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.red_flags_check_supplier_task, "delay", queued.append)
    audit = AuditFactory(supplier=approved)
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_complete(audit=audit, by=quality, performed_on=audit.planned_on)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_cadence_set(supplier=approved, by=manager, every_months=12)
    assert queued == [approved.pk, approved.pk]


@pytest.mark.parametrize("months", [0, 61])
def test_a_cadence_outside_1_to_60_months_is_refused(approved, manager, months):
    with pytest.raises(ValidationError):
        services.visit_cadence_set(supplier=approved, by=manager, every_months=months)
    assert not VisitCadence.objects.exists()


def test_the_cadence_page_sets_it_with_clear_errors(client, approved, manager, quality):
    url = reverse("audits:visit_cadence", args=[approved.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 200
    for bad, message in [("61", "1 to 60"), ("0", "1 to 60"), ("twelve", "whole number")]:
        response = client.post(url, {"every_months": bad})
        assert response.status_code == 400 and message in response.content.decode()
    assert not VisitCadence.objects.exists()
    assert client.post(url, {"every_months": "12"}).status_code == 302
    assert VisitCadence.objects.get(supplier=approved).every_months == 12
    body = client.get(url).content.decode()
    assert "never visited" in body and "2026-01-15" in body  # created 2025-01-15, yearly
    client.force_login(quality)  # quality staff see it but set no supplier's cadence
    assert client.post(url, {"every_months": "3"}).status_code == 403
    assert VisitCadence.objects.get(supplier=approved).every_months == 12


def test_the_visits_due_list_and_the_flag_link_to_the_cadence_page(client, approved, quality):
    VisitCadence.objects.create(supplier=approved, every_months=1)
    client.force_login(quality)
    body = client.get(reverse("audits:audit_list")).content.decode()
    assert reverse("audits:visit_cadence", args=[approved.pk]) in body
    _scan()
    flag = RedFlag.objects.get(rule=RedFlag.Rule.VISIT_DUE)
    body = client.get(flag.get_absolute_url()).content.decode()
    assert "Site visit due" in body and "Plan a site visit" in body and "no site visit yet" in body


def test_the_api_sets_a_cadence_for_staff_and_shows_a_factory_token_none(
    api_client, supplier_a, manager, portal_a
):
    staff = authed(api_client, manager)
    assert (
        staff.post("/api/v1/visit-cadences/", {"supplier": supplier_a.pk, "every_months": 12}).status_code
        == 201
    )
    response = staff.post("/api/v1/visit-cadences/", {"supplier": supplier_a.pk, "every_months": 6})
    assert response.status_code == 201 and VisitCadence.objects.get().every_months == 6
    bad = staff.post("/api/v1/visit-cadences/", {"supplier": supplier_a.pk, "every_months": 61})
    assert bad.status_code == 400 and "every_months" in bad.json()
    cadence = VisitCadence.objects.get()
    factory = authed(api_client, portal_a)
    assert factory.get("/api/v1/visit-cadences/").json()["results"] == []
    assert factory.get(f"/api/v1/visit-cadences/{cadence.pk}/").status_code == 404
    assert (
        factory.post("/api/v1/visit-cadences/", {"supplier": supplier_a.pk, "every_months": 1}).status_code
        == 403
    )
    assert VisitCadence.objects.get().every_months == 6


def test_a_shared_note_by_staff_tells_the_factory_in_its_language(supplier_a, portal_a, quality):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    audit = AuditFactory(supplier=supplier_a, passed=True, lead_auditor=quality)
    services.visit_note_add(audit=audit, by=quality, kind="challenge", text="Internal doubt", shared=False)
    assert not Notification.objects.filter(user=portal_a).exists()
    services.visit_note_add(audit=audit, by=quality, kind="idea", text="Shared moulds")
    notice = Notification.objects.get(user=portal_a)
    assert notice.message_key == "visit_note_added" and notice.params["kind"] == "idea"
    assert notice.url == reverse("portal:audit_detail", args=[audit.pk])


def test_a_factory_note_tells_the_audits_lead_auditor(supplier_a, portal_a, quality):
    audit = AuditFactory(supplier=supplier_a, passed=True, lead_auditor=quality)
    services.visit_note_add(audit=audit, by=portal_a, kind="idea", text="Kanban on line 2")
    notice = Notification.objects.get(user=quality)
    assert notice.message_key == "visit_note_added_by_factory" and "Kanban on line 2" in notice.body
    assert not Notification.objects.filter(user=portal_a).exists()


def test_the_factory_hears_nothing_of_a_note_on_a_hidden_unannounced_audit(hidden_a, portal_a, quality):
    services.visit_note_add(audit=hidden_a["audit"], by=quality, kind="idea", text="Surprise")
    assert not Notification.objects.filter(user=portal_a).exists()
