"""Red-flag playbooks: each flag's recommended action taken in one step through the owning app's service, recorded
on the flag; REVIEW_WEEKS later the flag records whether the KPI recovered; the portfolio says which actions
worked. Staff only: a factory contact never sees an action, only what it created and may already see."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, CorrectiveAction
from communications.models import CheckIn, Notification
from pricing.models import CostBreakdownRequest
from scorecards.models import RedFlag, RedFlagNote
from scorecards.playbooks import selectors
from scorecards.playbooks.models import REVIEW_WEEKS, ContractReview, PlaybookAction
from scorecards.playbooks.services import (
    contract_review_decide,
    playbook_action_take,
    playbook_reviews_evaluate,
)
from scorecards.tasks import playbook_reviews_task
from tests.factories import ContactFactory, SupplierFactory, UserFactory
from tests.scorecards.builders import delivery, inspection, order_for

pytestmark = pytest.mark.django_db

Rule, Kind, Outcome = RedFlag.Rule, PlaybookAction.Kind, PlaybookAction.Outcome
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-25 09:00 +00:00", tick=False):
        yield


def make_flag(supplier, rule=Rule.ON_TIME_DELIVERY, period="2026-W48", **fields) -> RedFlag:
    fields.setdefault("observed", "60.00 % (3/5)")
    fields.setdefault("target", "≥ 95 %")
    fields.setdefault("recommended_action", "Review production schedules with the supplier.")
    return RedFlag.objects.create(supplier=supplier, rule=rule, period=period, **fields)


def late_deliveries(supplier, count=3):
    for days in range(count):
        promised = TODAY - timedelta(days=20 + days)
        delivery(supplier, promised, promised + timedelta(days=6))


# --- Taking an action -------------------------------------------------------------------------------------------


def test_on_time_flag_schedules_a_production_review_with_the_late_deliveries_on_its_agenda(
    supplier_a, manager, portal_a
):
    late_deliveries(supplier_a, 2)
    flag = make_flag(supplier_a)
    action = playbook_action_take(
        flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY + timedelta(days=5), at=time(10)
    )
    checkin = action.checkin
    assert (
        checkin.supplier == supplier_a
        and checkin.schedule is None
        and checkin.date == TODAY + timedelta(days=5)
    )
    order = order_for(supplier_a)
    assert checkin.agenda.count(f"{order.number}/") == 2
    assert "promised" in checkin.agenda
    assert action.review_due_on == TODAY + timedelta(weeks=REVIEW_WEEKS)
    assert action.outcome == Outcome.PENDING and action.kpi == "on_time_delivery"
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.ACKNOWLEDGED
    assert flag.notes.filter(kind=RedFlagNote.Kind.NOTE).exists()
    assert Notification.objects.filter(user=portal_a, url__contains=f"/check-ins/{checkin.pk}/").exists()


def test_a_production_review_on_the_factorys_day_off_is_refused_with_the_next_working_day(
    supplier_a, manager
):
    flag = make_flag(supplier_a)
    with pytest.raises(ValidationError) as caught:
        playbook_action_take(  # Saturday 2026-11-28
            flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY + timedelta(days=3), at=time(10)
        )
    assert "the next working day is 2026-11-30" in str(caught.value)
    assert not CheckIn.objects.exists() and not flag.playbook_actions.exists()


def test_defect_flag_raises_a_corrective_action_and_plans_a_process_audit(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.DEFECT_RATE, observed="3.00 %", target="< 1 %")
    capa = playbook_action_take(
        flag=flag, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=30)
    )
    audit = playbook_action_take(
        flag=flag, by=manager, kind=Kind.PROCESS_AUDIT, planned_on=TODAY + timedelta(days=14)
    )
    assert CorrectiveAction.objects.get(pk=capa.corrective_action_id).supplier == supplier_a
    assert "3.00 %" in capa.corrective_action.problem
    assert Audit.objects.get(pk=audit.audit_id).planned_on == TODAY + timedelta(days=14)
    assert flag.playbook_actions.count() == 2


def test_the_same_action_twice_on_one_flag_is_refused(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.DEFECT_RATE)
    playbook_action_take(
        flag=flag, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=30)
    )
    with pytest.raises(ValidationError, match="already taken"):
        playbook_action_take(
            flag=flag, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=30)
        )
    assert CorrectiveAction.objects.count() == 1


def test_a_resolved_flag_takes_no_action(supplier_a, manager):
    flag = make_flag(supplier_a, state=RedFlag.State.RESOLVED)
    with pytest.raises(ValidationError, match="resolved"):
        playbook_action_take(flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(10))
    assert not CheckIn.objects.exists() and not PlaybookAction.objects.exists()


def test_an_action_of_another_playbook_is_refused(supplier_a, manager):
    flag = make_flag(supplier_a)
    with pytest.raises(ValidationError, match="not part of"):
        playbook_action_take(flag=flag, by=manager, kind=Kind.CONTRACT_REVIEW)
    flag = make_flag(supplier_a, Rule.CERTIFICATION, period="cert-1")
    with pytest.raises(ValidationError, match="not part of"):
        playbook_action_take(flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(10))


def test_a_failing_step_writes_nothing(supplier_a, manager):
    flag = make_flag(supplier_a)
    with pytest.raises(ValidationError, match="past"):
        playbook_action_take(
            flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY - timedelta(days=1), at=time(10)
        )
    assert not PlaybookAction.objects.exists()
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.OPEN


def test_reassigning_the_factory_contact_makes_it_primary_and_tells_the_factory_in_its_language(
    supplier_a, manager, portal_a
):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    old = ContactFactory(supplier=supplier_a, is_primary=True, name="Old Wang")
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = make_flag(supplier_a, Rule.UNANSWERED_ISSUE, period="issue-7")
    action = playbook_action_take(flag=flag, by=manager, kind=Kind.FACTORY_CONTACT, contact=new)
    new.refresh_from_db()
    old.refresh_from_db()
    assert action.contact == new and new.is_primary and not old.is_primary
    told = Notification.objects.get(user=portal_a)
    assert told.message_key == "contact_reassigned" and "Li Na" in str(told.params)


def test_a_contact_of_another_supplier_is_refused(supplier_a, supplier_b, manager):
    flag = make_flag(supplier_a, Rule.UNANSWERED_ISSUE, period="issue-7")
    with pytest.raises(ValidationError, match="current contacts"):
        playbook_action_take(
            flag=flag, by=manager, kind=Kind.FACTORY_CONTACT, contact=ContactFactory(supplier=supplier_b)
        )


def test_reassigning_our_contact_changes_the_suppliers_owner(supplier_a, manager, portal_a):
    colleague = UserFactory(full_name="Carla Colleague")
    flag = make_flag(supplier_a, Rule.UNANSWERED_ISSUE, period="issue-7")
    playbook_action_take(flag=flag, by=manager, kind=Kind.OUR_CONTACT, owner=colleague)
    supplier_a.refresh_from_db()
    assert supplier_a.owner == colleague
    assert Notification.objects.filter(user=portal_a, message_key="contact_reassigned").exists()
    with pytest.raises(ValidationError):
        playbook_action_take(
            flag=make_flag(supplier_a, Rule.UNANSWERED_ISSUE, period="issue-8"),
            by=manager,
            kind=Kind.OUR_CONTACT,
            owner=colleague,
        )


def test_a_consistent_miss_opens_a_contract_review_decided_once(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.CONSISTENT_MISS, period="2026-W48:defect_rate")
    action = playbook_action_take(
        flag=flag, by=manager, kind=Kind.CONTRACT_REVIEW, note="Three months over 1 %."
    )
    assert action.kpi == "defect_rate"
    review = action.contract_review
    with pytest.raises(ValidationError):
        contract_review_decide(review=review, by=manager, outcome=ContractReview.Outcome.AMENDED, note="")
    contract_review_decide(
        review=review, by=manager, outcome=ContractReview.Outcome.AMENDED, note="AQL tightened."
    )
    with pytest.raises(ValidationError, match="already decided"):
        contract_review_decide(
            review=review, by=manager, outcome=ContractReview.Outcome.EXIT_PLAN, note="No."
        )
    review.refresh_from_db()
    assert review.outcome == ContractReview.Outcome.AMENDED


def test_the_internal_note_never_reaches_the_factory_only_the_message_does(supplier_a, manager, portal_a):
    new = ContactFactory(supplier=supplier_a, name="Li Na")
    flag = make_flag(supplier_a, Rule.UNANSWERED_ISSUE, period="issue-8")
    action = playbook_action_take(
        flag=flag,
        by=manager,
        kind=Kind.FACTORY_CONTACT,
        contact=new,
        note="Considering an exit plan",
        message="Li Na answers our issues from today.",
    )
    assert action.note == "Considering an exit plan"
    told = Notification.objects.get(user=portal_a)
    assert "exit plan" not in str(told.params) and "answers our issues" in str(told.params)
    price = make_flag(supplier_a, Rule.PRICE_ABOVE_AGREED, period="discrepancy-2")
    action = playbook_action_take(
        flag=price,
        by=manager,
        kind=Kind.COST_BREAKDOWN,
        sku="SKU-3",
        note="Margin looks padded",
        message="Please",
    )
    assert CostBreakdownRequest.objects.get(pk=action.cost_breakdown_id).message == "Please"


def test_a_price_flag_requests_the_cost_breakdown_of_its_sku(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.PRICE_ABOVE_AGREED, period="discrepancy-1")
    action = playbook_action_take(flag=flag, by=manager, kind=Kind.COST_BREAKDOWN, sku="SKU-9")
    assert CostBreakdownRequest.objects.get(pk=action.cost_breakdown_id).sku == "SKU-9"


def test_only_staff_who_handle_flags_take_actions(supplier_a, portal_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        playbook_action_take(
            flag=make_flag(supplier_a), by=portal_a, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(10)
        )


# --- Recovery ---------------------------------------------------------------------------------------------------


def test_eight_weeks_later_the_flag_records_whether_on_time_delivery_recovered(supplier_a, manager):
    recovered_flag = make_flag(supplier_a)
    other = SupplierFactory(owner=manager)
    failed_flag = make_flag(other)
    kept = playbook_action_take(
        flag=recovered_flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23)
    )
    missed = playbook_action_take(
        flag=failed_flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23)
    )
    for week in range(1, 7):
        promised = TODAY + timedelta(weeks=week)
        delivery(supplier_a, promised, promised)  # on time
        delivery(other, promised, promised + timedelta(days=3))  # late
    assert playbook_reviews_evaluate(today=TODAY + timedelta(weeks=REVIEW_WEEKS) - timedelta(days=1)) == 0
    with time_machine.travel(timezone.now() + timedelta(weeks=REVIEW_WEEKS), tick=False):
        assert playbook_reviews_task() == 2
        assert playbook_reviews_task() == 0  # idempotent
    kept.refresh_from_db()
    missed.refresh_from_db()
    assert kept.outcome == Outcome.RECOVERED and kept.measured_value == 100
    assert missed.outcome == Outcome.NOT_RECOVERED and missed.measured_value == 0
    assert missed.measured_target == 95


def test_too_few_deliveries_since_the_action_records_no_data(supplier_a, manager):
    action = playbook_action_take(
        flag=make_flag(supplier_a), by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23)
    )
    delivery(supplier_a, TODAY + timedelta(days=7), TODAY + timedelta(days=7))
    playbook_reviews_evaluate(today=TODAY + timedelta(weeks=REVIEW_WEEKS), action_ids=[action.pk])
    action.refresh_from_db()
    assert action.outcome == Outcome.NO_DATA and action.measured_value is None


def test_defect_rate_recovery_uses_the_kpi_engine(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.DEFECT_RATE)
    action = playbook_action_take(
        flag=flag, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=30)
    )
    inspection(supplier_a, TODAY + timedelta(days=10), 200, 1)  # 0.5 % < 1 %
    playbook_reviews_evaluate(today=TODAY + timedelta(weeks=REVIEW_WEEKS))
    action.refresh_from_db()
    assert action.outcome == Outcome.RECOVERED and action.measured_value == pytest.approx(0.5)


def test_review_weeks_are_one_setting(settings):
    assert REVIEW_WEEKS == settings.FORGELINE_PLAYBOOK_REVIEW_WEEKS == 8


# --- What worked ------------------------------------------------------------------------------------------------


def test_what_worked_counts_per_flag_kind_and_action_in_one_query(manager):
    for n in range(6):
        supplier = SupplierFactory(owner=manager)
        flag = make_flag(supplier)
        action = playbook_action_take(
            flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23)
        )
        outcome = [Outcome.RECOVERED, Outcome.NOT_RECOVERED, Outcome.PENDING][n % 3]
        PlaybookAction.objects.filter(pk=action.pk).update(outcome=outcome)
        defect = make_flag(supplier, Rule.DEFECT_RATE)
        playbook_action_take(
            flag=defect, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=9)
        )
    with CaptureQueriesContext(connection) as captured:
        rows = selectors.playbook_effectiveness()
    assert len(captured) == 1
    by_kind = {row["kind"]: row for row in rows}
    assert (by_kind["production_review"]["taken"], by_kind["production_review"]["recovered"]) == (6, 2)
    assert (by_kind["production_review"]["not_recovered"], by_kind["production_review"]["pending"]) == (2, 2)
    assert (by_kind["corrective_action"]["taken"], by_kind["corrective_action"]["pending"]) == (6, 6)


# --- Pages and API ----------------------------------------------------------------------------------------------


def test_the_flag_page_offers_the_step_and_takes_it(client, manager, supplier_a):
    client.force_login(manager)
    late_deliveries(supplier_a, 1)
    flag = make_flag(supplier_a)
    page = client.get(flag.get_absolute_url())
    assert 'data-playbook="production_review"' in page.content.decode()
    url = reverse("scorecards:flag_playbook", args=[flag.pk])
    response = client.post(url, {"kind": "production_review", "day": "2026-12-01", "at": "10:00"})
    assert response.status_code == 302
    assert flag.playbook_actions.get().checkin.date == date(2026, 12, 1)
    again = client.post(url, {"kind": "production_review", "day": "2026-12-02", "at": "10:00"}, follow=True)
    assert "already taken" in again.content.decode()
    assert CheckIn.objects.count() == 1
    missing = client.post(url, {"kind": "production_review"}, follow=True)
    assert "This action needs it." in missing.content.decode()


def test_the_what_worked_page_keeps_its_query_count(client, manager):
    client.force_login(manager)
    url = reverse("scorecards:playbooks")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for _n in range(4):
        supplier = SupplierFactory(owner=manager)
        playbook_action_take(
            flag=make_flag(supplier), by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23)
        )
    assert count() <= before + 1  # the rows appear; no query per action
    assert "Schedule a production review" in client.get(url).content.decode()


def test_the_flag_page_query_count_does_not_grow_with_actions(client, manager, supplier_a):
    client.force_login(manager)
    flag = make_flag(supplier_a, Rule.DEFECT_RATE)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(flag.get_absolute_url()).status_code == 200
        return len(captured)

    playbook_action_take(flag=flag, by=manager, kind=Kind.CORRECTIVE_ACTION, due_on=TODAY + timedelta(days=9))
    one = count()
    playbook_action_take(flag=flag, by=manager, kind=Kind.PROCESS_AUDIT, planned_on=TODAY + timedelta(days=9))
    assert count() <= one


def test_api_takes_and_lists_actions_for_staff(api_client, manager, supplier_a):
    api_client.force_authenticate(manager)
    flag = make_flag(supplier_a, Rule.CONSISTENT_MISS, period="2026-W48:on_time_delivery")
    url = reverse("api:red-flag-actions", args=[flag.pk])
    created = api_client.post(url, {"kind": "contract_review", "note": "Three periods late."}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "contract_review" and created.json()["outcome"] == "pending"
    twice = api_client.post(url, {"kind": "contract_review"}, format="json")
    assert twice.status_code == 400
    assert [a["kind"] for a in api_client.get(url).json()] == ["contract_review"]
    listed = api_client.get(reverse("api:playbook-action-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["flag"] for row in rows] == [flag.pk]
    other = make_flag(supplier_a)
    missing = api_client.post(
        reverse("api:red-flag-actions", args=[other.pk]), {"kind": "production_review"}, format="json"
    )
    assert missing.status_code == 400 and "day" in str(missing.json())
    assert not other.playbook_actions.exists()


def test_factory_contacts_get_404_from_every_playbook_url(client, api_client, supplier_a, manager, portal_a):
    flag = make_flag(supplier_a)
    playbook_action_take(flag=flag, by=manager, kind=Kind.PRODUCTION_REVIEW, day=TODAY, at=time(23))
    client.force_login(portal_a)
    assert (
        client.post(
            reverse("scorecards:flag_playbook", args=[flag.pk]), {"kind": "production_review"}
        ).status_code
        == 404
    )
    api_client.force_authenticate(portal_a)
    url = reverse("api:red-flag-actions", args=[flag.pk])
    assert api_client.get(url).status_code == 404
    assert (
        api_client.post(
            url, {"kind": "production_review", "day": "2026-12-01", "at": "10:00"}, format="json"
        ).status_code
        == 404
    )
    listed = api_client.get(reverse("api:playbook-action-list"))
    assert listed.status_code == 200 and listed.json()["count"] == 0
    assert PlaybookAction.objects.count() == 1


def test_the_contract_review_outcome_is_recorded_from_the_flag_page(client, manager, supplier_a):
    client.force_login(manager)
    flag = make_flag(supplier_a, Rule.CONSISTENT_MISS, period="2026-W48:on_time_delivery")
    playbook_action_take(flag=flag, by=manager, kind=Kind.CONTRACT_REVIEW)
    url = reverse("scorecards:contract_review_decide", args=[flag.pk])
    refused = client.post(url, {"outcome": "exit_plan", "note": ""}, follow=True)
    assert "This field is required." in refused.content.decode()
    client.post(url, {"outcome": "exit_plan", "note": "Second source qualified by March."})
    review = ContractReview.objects.get()
    assert review.outcome == ContractReview.Outcome.EXIT_PLAN and review.decided_by == manager
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "Exit plan: Second source qualified by March." in page


def test_a_price_flag_recovers_when_nothing_is_invoiced_above_the_agreed_price(supplier_a, manager):
    flag = make_flag(supplier_a, Rule.HIDDEN_COST, period="charge-1")
    action = playbook_action_take(flag=flag, by=manager, kind=Kind.COST_BREAKDOWN, sku="SKU-1")
    playbook_reviews_evaluate(today=TODAY + timedelta(weeks=REVIEW_WEEKS))
    action.refresh_from_db()
    assert action.outcome == Outcome.NO_DATA  # nothing invoiced since: no evidence either way
