"""The task-first home pages: what waits for each role and for a factory, counted in one query, linked to lists
filtered to exactly those rows, with the total on the navbar and the same items at /api/v1/me/tasks/."""

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audits.models import BatchTest, CorrectiveAction, HoldProposal
from communications.models import CheckIn, Side, SupplierIssue
from core.waiting import waiting_counts, waiting_items_for
from orders.models import DateProposal, OrderChange, PurchaseOrder
from partnership.models import (
    Announcement,
    AnnouncementRead,
    AnnouncementRecipient,
    InvitationMessage,
    Invitee,
    ProductInvitation,
    Sample,
    Training,
)
from payments.models import Invoice, PaymentTermChange
from planning.models import Forecast
from planning.services import forecast_publish
from pricing.models import PriceAgreement, PriceChangeRequest
from scorecards.models import RedFlag, RowContest
from suppliers.models import Certification, CertificationStandard
from tests.factories import (
    AuditFactory,
    CertificationFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    PilotProgramFactory,
    PurchaseOrderFactory,
    SupplierFactory,
    UserFactory,
)
from tests.payments.factories import InvoiceFactory, TermChangeFactory
from tests.planning.builders import line as forecast_line
from tests.pricing.builders import change_row

pytestmark = pytest.mark.django_db

PERIODS = itertools.count(1)  # red flags are unique per (supplier, rule, period)

# A Wednesday morning: "this week" runs Monday 30 November to Sunday 6 December.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

STAFF_KEYS = {
    "holds_to_decide", "pilots_to_decide", "contests_to_decide", "terms_to_settle", "dates_to_answer", "changes_to_answer", "invoices_on_hold",
    "issues_awaiting_us", "orders_to_inspect", "capas_to_verify", "lab_reports_to_review", "flags_mine",
    "checkins_this_week", "minutes_due", "price_changes_to_answer", "invitation_questions", "samples_to_evaluate",
}  # fmt: skip
PORTAL_KEYS = {
    "orders_to_acknowledge", "changes_to_answer_portal", "capas_due", "certificates_expiring", "issues_awaiting_reply", "terms_to_answer",
    "invoices_rejected", "next_checkins", "price_counters_to_answer", "forecasts_to_answer",
    "announcements_unread", "invitations_to_answer", "training_to_accept",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def acknowledged_order(supplier, **kwargs):
    return PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.ACKNOWLEDGED, **kwargs)


def make_waiting(supplier, staff, n):
    """Create `n` rows of every kind that waits (for the staff user or for the supplier's factory)."""
    today = timezone.localdate()
    standards = [value for value, _label in CertificationStandard.choices]
    for i in range(n):
        audit = AuditFactory(supplier=supplier, passed=True)
        HoldProposal.objects.create(supplier=supplier, audit=audit, reason="Critical finding")
        PilotProgramFactory(
            supplier=supplier, starts_on=today - timedelta(days=120), ends_on=today - timedelta(days=1)
        )
        TermChangeFactory(
            supplier=supplier,
            proposed_by=staff,
            status=PaymentTermChange.Status.DISPUTED,
            supplier_comment="No",
        )
        proposed = PaymentTermChange.objects.filter(
            supplier=supplier, status=PaymentTermChange.Status.PROPOSED
        )
        if not proposed.exists():  # proposed, the factory's to answer: one at a time per supplier
            TermChangeFactory(supplier=supplier, proposed_by=staff)
        if not Forecast.objects.filter(supplier=supplier).exists():  # only the newest version is answered
            forecast_publish(
                supplier=supplier,
                by=UserFactory(role=Role.PROCUREMENT),
                lines=[forecast_line((today + timedelta(days=40)).strftime("%Y-%m"), 500)],
            )
        RowContest.objects.create(  # a factory's contest of a scorecard row, a manager's to decide
            supplier=supplier, kind=RowContest.Kind.DELIVERY, reason="Port closed", opened_by=staff,
            delivery=DeliveryFactory(order=acknowledged_order(supplier)),
        )  # fmt: skip
        delivery = DeliveryFactory(order=acknowledged_order(supplier))
        DateProposal.objects.create(
            delivery=delivery,
            proposed_on=delivery.promised_on + timedelta(days=3),
            reason="Typhoon",
            proposed_by=staff,
        )
        # A change we proposed, the factory's to answer; a change the factory proposed, ours to answer.
        for side in (OrderChange.Side.BUYER, OrderChange.Side.FACTORY):
            changed = acknowledged_order(supplier)
            OrderChange.objects.create(
                order=changed, supplier=supplier, kind=OrderChange.Kind.QUANTITY, side=side,
                old_value="100", new_value="120", reason="Forecast", changed_by=staff, days_before_required=20,
            )  # fmt: skip
        # A price change the factory asked for (ours to answer), and one we countered (the factory's to answer).
        for status in (PriceChangeRequest.Status.REQUESTED, PriceChangeRequest.Status.COUNTERED):
            agreement = PriceAgreement.objects.create(
                supplier=supplier,
                sku=f"W-{next(PERIODS)}",
                unit_price=1,
                valid_from=today - timedelta(days=9),
            )
            change_row(agreement, requested_by=staff, status=status)
        order = acknowledged_order(supplier)
        InvoiceFactory(order=order, status=Invoice.Status.DISPUTED, submitted_by=staff)
        InvoiceFactory(
            order=order, status=Invoice.Status.REJECTED, submitted_by=staff, rejection_reason="Wrong"
        )
        for side in (Side.SUPPLIER, Side.BUYER):
            SupplierIssue.objects.create(
                supplier=supplier, raised_by_side=side, category="quality", subject=f"Issue {i}",
                description="-", raised_by=staff, owner=supplier.owner,
            )  # fmt: skip
        PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.SHIPPED)
        PurchaseOrderFactory(supplier=supplier)  # sent: to acknowledge
        CorrectiveActionFactory(supplier=supplier, raised_by=staff, status=CorrectiveAction.Status.SUBMITTED)
        CorrectiveActionFactory(supplier=supplier, raised_by=staff)  # open: the factory's to answer
        BatchTest.objects.create(
            supplier=supplier, lot_number=f"L{i}", standard="EN 71-3", laboratory="SGS", tested_on=today,
            outcome="pass", report="lab.pdf", uploaded_by=staff,
        )  # fmt: skip
        RedFlag.objects.create(
            supplier=supplier, rule=RedFlag.Rule.ON_TIME_DELIVERY, period=f"P{next(PERIODS)}", observed="80 %",
            target="95 %", recommended_action="Review", owner=staff,
        )  # fmt: skip
        CertificationFactory(supplier=supplier, standard=standards[i], valid_until=today + timedelta(days=10))
        # The partnership ledger: an announcement to read, an invitation to answer, a training to accept.
        announcement = Announcement.objects.create(
            title=f"Market note {i}", body="-", audience=Announcement.Audience.CHOSEN, published_by=staff
        )
        AnnouncementRecipient.objects.create(announcement=announcement, supplier=supplier)
        invitation = ProductInvitation.objects.create(
            title=f"New lamp {i}", specification="-", respond_by=today + timedelta(days=10), created_by=staff
        )
        Invitee.objects.create(invitation=invitation, supplier=supplier)
        # And, for the buyer who sent it, an earlier invitation the factory answered with a question and samples.
        asked = ProductInvitation.objects.create(
            title=f"Old lamp {i}", specification="-", respond_by=today + timedelta(days=10), created_by=staff
        )
        invitee = Invitee.objects.create(
            invitation=asked, supplier=supplier, status=Invitee.Status.INTERESTED
        )
        InvitationMessage.objects.create(invitee=invitee, author=staff, from_factory=True, text="Which RAL?")
        Sample.objects.create(invitee=invitee, sent_on=today, quantity=5, recorded_by=staff)
        Training.objects.create(
            supplier=supplier, topic=f"5S {i}", held_on=today + timedelta(days=5), given_by=staff
        )
        # This week: one check-in tomorrow (to come) and one on Monday (past, minutes not recorded).
        for day in (today + timedelta(days=1), today - timedelta(days=2)):
            CheckIn.objects.create(
                supplier=supplier, original_date=day, date=day,
                scheduled_at=datetime.combine(day, time(9), tzinfo=UTC) + timedelta(minutes=i),
            )  # fmt: skip


def counts_for(user):
    return {key: n for key, n in waiting_counts(user=user).items() if n}


def test_buyer_sees_what_waits_for_a_buyer_with_counts(buyer, supplier_a):
    make_waiting(supplier_a, buyer, 3)
    assert counts_for(buyer) == {
        "price_changes_to_answer": 3,
        "holds_to_decide": 3,
        "dates_to_answer": 3,
        "changes_to_answer": 3,
        "invoices_on_hold": 3,
        "issues_awaiting_us": 3,
        "flags_mine": 3,
        "checkins_this_week": 6,
        "minutes_due": 3,
        "invitation_questions": 3,
        "samples_to_evaluate": 3,
    }


def test_quality_sees_inspections_corrective_actions_and_lab_reports_but_not_invoices(quality, supplier_a):
    make_waiting(supplier_a, quality, 2)
    supplier_a.qc_lead = quality
    supplier_a.save(update_fields=["qc_lead"])
    counts = counts_for(quality)
    assert counts == {
        "orders_to_inspect": 2,
        "capas_to_verify": 2,
        "lab_reports_to_review": 2,
        "issues_awaiting_us": 2,
        "flags_mine": 2,
        "checkins_this_week": 4,
        "minutes_due": 2,
    }


def test_manager_sees_approvals_pilots_and_disputed_terms(manager, supplier_a):
    make_waiting(supplier_a, manager, 2)
    counts = counts_for(manager)
    assert counts["pilots_to_decide"] == counts["terms_to_settle"] == counts["holds_to_decide"] == 2
    assert counts["contests_to_decide"] == 2
    # A manager who looks after no supplier has no check-ins of their own.
    assert "checkins_this_week" not in counts and "minutes_due" not in counts


def test_red_flags_count_only_those_assigned_to_me(buyer, quality, supplier_a):
    make_waiting(supplier_a, quality, 2)
    assert "flags_mine" not in counts_for(buyer)
    RedFlag.objects.filter(owner=quality).update(state=RedFlag.State.RESOLVED)
    assert "flags_mine" not in counts_for(quality)


def test_factory_sees_only_its_own_items(portal_a, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 2)
    assert counts_for(portal_a) == {
        "price_counters_to_answer": 2,
        "orders_to_acknowledge": 2,
        "changes_to_answer_portal": 2,
        "capas_due": 2,
        "certificates_expiring": 2,
        "issues_awaiting_reply": 2,
        "terms_to_answer": 1,
        "forecasts_to_answer": 1,
        "invoices_rejected": 2,
        "next_checkins": 2,
        "announcements_unread": 2,
        "invitations_to_answer": 2,
        "training_to_accept": 2,
    }
    assert {item.key for item in waiting_items_for(user=portal_a)} == PORTAL_KEYS


def test_staff_roles_never_get_portal_items_nor_the_reverse(buyer, quality, manager, portal_a):
    for user in (buyer, quality, manager):
        assert {item.key for item in waiting_items_for(user=user)} <= STAFF_KEYS
    assert {item.key for item in waiting_items_for(user=manager)} == STAFF_KEYS


def test_a_factory_never_counts_another_factorys_rows(portal_a, portal_b, buyer, supplier_a, supplier_b):
    make_waiting(supplier_b, buyer, 3)
    assert counts_for(portal_a) == {}
    assert counts_for(portal_b)["capas_due"] == 3


def test_a_factory_never_counts_corrective_actions_of_an_unannounced_audit(portal_a, hidden_a):
    assert hidden_a["capa"].status == CorrectiveAction.Status.OPEN
    assert "capas_due" not in counts_for(portal_a)


def test_partnership_rows_wait_only_while_the_factory_has_something_to_do(
    portal_a, portal_b, buyer, supplier_a
):
    make_waiting(supplier_a, buyer, 2)
    today = timezone.localdate()
    keys = ("announcements_unread", "invitations_to_answer", "training_to_accept")
    assert [counts_for(portal_a).get(key) for key in keys] == [2, 2, 2]
    first, second = Announcement.objects.order_by("pk")[:2]
    AnnouncementRead.objects.create(announcement=first, supplier=supplier_a, user=portal_a)
    second.withdrawn_at = timezone.now()
    second.save(update_fields=["withdrawn_at"])
    invitees = list(Invitee.objects.filter(status=Invitee.Status.PENDING).order_by("pk"))
    invitees[0].status = Invitee.Status.INTERESTED
    invitees[0].save(update_fields=["status"])
    ProductInvitation.objects.filter(pk=invitees[1].invitation_id).update(
        respond_by=today - timedelta(days=1)
    )
    trainings = list(Training.objects.order_by("pk"))
    trainings[0].status = Training.Status.ACCEPTED
    trainings[0].save(update_fields=["status"])
    Training.objects.filter(pk=trainings[1].pk).update(held_on=today - timedelta(days=1))
    assert [counts_for(portal_a).get(key) for key in keys] == [None, None, None]


def test_another_contact_of_the_same_factory_still_has_the_announcement_to_read(portal_a, buyer, supplier_a):
    from tests.factories import PortalUserFactory

    make_waiting(supplier_a, buyer, 1)
    AnnouncementRead.objects.create(
        announcement=Announcement.objects.get(), supplier=supplier_a, user=portal_a
    )
    colleague = PortalUserFactory(supplier=supplier_a)
    assert "announcements_unread" not in counts_for(portal_a)
    assert counts_for(colleague)["announcements_unread"] == 1


def test_a_buyer_answering_the_question_and_evaluating_the_samples_clears_the_invitation(
    buyer, manager, supplier_a
):
    make_waiting(supplier_a, buyer, 2)
    assert counts_for(buyer)["invitation_questions"] == counts_for(buyer)["samples_to_evaluate"] == 2
    assert "invitation_questions" not in counts_for(manager)  # the buyer who sent it answers
    first = Invitee.objects.filter(status=Invitee.Status.INTERESTED).order_by("pk").first()
    InvitationMessage.objects.create(invitee=first, author=buyer, from_factory=False, text="RAL 9010.")
    Sample.objects.filter(invitee=first).update(result=Sample.Result.PASSED)
    counts = counts_for(buyer)
    assert counts["invitation_questions"] == counts["samples_to_evaluate"] == 1


def test_a_renewal_uploaded_takes_the_certificate_off_the_factorys_list(portal_a, supplier_a):
    old = CertificationFactory(supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=5))
    assert counts_for(portal_a) == {"certificates_expiring": 1}
    CertificationFactory(supplier=supplier_a, replaces=old, status=Certification.Status.PENDING)
    assert counts_for(portal_a) == {}


def test_an_inactive_user_has_nothing_waiting(buyer, supplier_a):
    make_waiting(supplier_a, buyer, 1)
    buyer.is_active = False
    assert waiting_counts(user=buyer) == {}


# --- Constant queries -----------------------------------------------------------------------------------------


def test_all_counts_of_a_user_take_one_query(manager, supplier_a, django_assert_num_queries):
    make_waiting(supplier_a, manager, 6)
    with django_assert_num_queries(1):
        counts = waiting_counts(user=manager)
    assert counts["holds_to_decide"] == 6


def home_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [Role.PROCUREMENT, Role.QUALITY, Role.MANAGER])
def test_the_staff_home_page_makes_as_many_queries_with_many_rows_as_with_one(
    client, role, django_assert_max_num_queries
):
    user = UserFactory(role=role)
    supplier = SupplierFactory(owner=user, qc_lead=user)
    make_waiting(supplier, user, 1)
    client.force_login(user)
    few = home_queries(client, reverse("home"))
    make_waiting(SupplierFactory(owner=user, qc_lead=user), user, 8)
    assert home_queries(client, reverse("home")) == few
    with django_assert_max_num_queries(45):
        client.get(reverse("home"))


def test_the_portal_home_makes_as_many_queries_with_many_rows_as_with_one(
    portal_client, buyer, supplier_a, django_assert_max_num_queries
):
    make_waiting(supplier_a, buyer, 1)
    few = home_queries(portal_client, reverse("portal:home"))
    make_waiting(supplier_a, buyer, 8)
    assert home_queries(portal_client, reverse("portal:home")) == few
    with django_assert_max_num_queries(40):
        portal_client.get(reverse("portal:home"))


def test_the_navbar_total_costs_one_query_per_page(buyer_client, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 3)
    with CaptureQueriesContext(connection) as ctx:
        response = buyer_client.get(reverse("suppliers:list"))
    counting = [q for q in ctx.captured_queries if "waiting_rows" in q["sql"]]
    assert len(counting) == 1
    # holds, dates, changes, price changes, invoices, issues, flags, minutes, invitation questions and samples
    # (not check-ins ahead)
    total = 3 * 10
    assert (
        f'id="waiting-total" title="{total} things wait for you">{total}</span>' in response.content.decode()
    )


def test_the_home_page_reuses_the_navbar_counts(buyer_client, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 2)
    with CaptureQueriesContext(connection) as ctx:
        buyer_client.get(reverse("home"))
    assert len([q for q in ctx.captured_queries if "waiting_rows" in q["sql"]]) == 1


# --- Links land on exactly the counted rows ----------------------------------------------------------------------

LIST_CONTEXT = (
    "page", "pilots", "actions", "issues", "changes", "certifications", "upcoming", "forecasts", "announcements",
    "invitations", "trainings",
)  # fmt: skip


def rows_on(response):
    for name in LIST_CONTEXT:
        if name in response.context:
            value = response.context[name]
            return value.paginator.count if hasattr(value, "paginator") else len(list(value))
    raise AssertionError(f"no list in the context of {response.request['PATH_INFO']}")


def test_each_staff_link_lists_exactly_the_counted_rows(client, manager, supplier_a):
    supplier_a.owner = manager
    supplier_a.save(update_fields=["owner"])
    make_waiting(supplier_a, manager, 3)
    # Noise that must not show behind any link: rows of other kinds and states.
    acknowledged_order(supplier_a)
    CorrectiveActionFactory(supplier=supplier_a, raised_by=manager, status=CorrectiveAction.Status.VERIFIED)
    client.force_login(manager)
    counts = waiting_counts(user=manager)
    assert set(counts) == STAFF_KEYS
    for item in waiting_items_for(user=manager):
        response = client.get(item.url())
        assert response.status_code == 200, item.key
        assert rows_on(response) == counts[item.key] > 0, item.key
        assert 'id="waiting-filter"' in response.content.decode(), item.key


def test_each_portal_link_lists_exactly_the_counted_rows(
    portal_client, portal_a, buyer, supplier_a, supplier_b
):
    make_waiting(supplier_a, buyer, 3)
    make_waiting(supplier_b, buyer, 2)
    CertificationFactory(supplier=supplier_a, standard=CertificationStandard.choices[-1][0])  # not to renew
    counts = waiting_counts(user=portal_a)
    for item in waiting_items_for(user=portal_a):
        response = portal_client.get(item.url())
        assert response.status_code == 200, item.key
        expected = 1 if item.key in ("terms_to_answer", "forecasts_to_answer") else 3
        assert rows_on(response) == counts[item.key] == expected, item.key


def test_an_unknown_or_foreign_filter_changes_nothing(client, portal_a, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 2)
    client.force_login(portal_a)
    everything = rows_on(client.get(reverse("portal:orders")))
    for junk in ("nope", "capas_to_verify", "x" * 500, ""):
        response = client.get(reverse("portal:orders"), {"todo": junk})
        assert response.status_code == 200
        assert rows_on(response) == everything
        assert 'id="waiting-filter"' not in response.content.decode()


# --- Pages ---------------------------------------------------------------------------------------------------


def test_the_staff_home_shows_each_item_with_its_count_and_link(buyer_client, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 4)
    body = buyer_client.get(reverse("home")).content.decode()
    assert "Invoices on hold" in body
    assert f"{reverse('payments:invoice_list')}?todo=invoices_on_hold" in body
    assert "Corrective actions to verify" not in body  # a buyer does not verify them


def test_a_staff_user_with_nothing_waiting_is_told_so(buyer_client):
    body = buyer_client.get(reverse("home")).content.decode()
    assert 'id="waiting-none"' in body
    assert 'id="waiting-total"' not in body


def test_the_portal_home_shows_the_factorys_items_and_holidays_ahead(
    portal_client, portal_a, buyer, supplier_a
):
    make_waiting(supplier_a, buyer, 2)
    body = portal_client.get(reverse("portal:home")).content.decode()
    assert "Orders to acknowledge" in body
    assert f"{reverse('portal:capa_list')}?todo=capas_due" in body
    assert 'id="days-off"' in body
    total = (
        2 * 10 + 1 + 1
    )  # every portal item but the check-ins ahead (one term proposal, one forecast at a time)
    assert f'id="waiting-total" title="{total} things wait for you">{total}</span>' in body


def test_the_portal_home_lists_declared_closures_ahead(portal_client, portal_a, buyer, supplier_a):
    from communications.models import Closure

    today = timezone.localdate()
    Closure.objects.create(
        supplier=supplier_a, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=4),
        reason="Boiler maintenance", declared_by=buyer,
    )  # fmt: skip
    body = portal_client.get(reverse("portal:home")).content.decode()
    assert body.count("Boiler maintenance") == 2


def test_the_portal_home_reads_in_vietnamese(portal_client, portal_a, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 1)
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    body = portal_client.get(reverse("portal:home")).content.decode()
    assert "Đơn hàng cần xác nhận" in body
    assert "Orders to acknowledge" not in body


# --- API ---------------------------------------------------------------------------------------------------------


def test_the_api_returns_the_home_pages_items_and_total(api_client, buyer, supplier_a):
    make_waiting(supplier_a, buyer, 2)
    api_client.force_authenticate(buyer)
    data = api_client.get(reverse("api:me-tasks-list")).json()
    items = {item["key"]: item for item in data["items"]}
    assert items["invoices_on_hold"]["count"] == 2
    assert items["invoices_on_hold"]["url"].endswith("?todo=invoices_on_hold")
    assert len(items["invoices_on_hold"]["rows"]) == 2
    assert data["total"] == 2 * 10
    bare = api_client.get(reverse("api:me-tasks-list"), {"preview": "0"}).json()
    assert all(item["rows"] == [] for item in bare["items"])


def test_a_factory_token_gets_only_its_own_items(api_client, portal_a, buyer, supplier_b):
    make_waiting(supplier_b, buyer, 2)
    api_client.force_authenticate(portal_a)
    data = api_client.get(reverse("api:me-tasks-list")).json()
    assert {item["key"] for item in data["items"]} == PORTAL_KEYS
    assert data["total"] == 0 and all(item["count"] == 0 for item in data["items"])


def test_the_tasks_endpoint_is_in_the_openapi_schema(api_client, buyer):
    api_client.force_authenticate(buyer)
    schema = api_client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/me/tasks/" in schema["paths"]


def test_anonymous_callers_get_401_from_the_tasks_endpoint(api_client):
    assert api_client.get(reverse("api:me-tasks-list")).status_code == 401


def test_this_week_runs_monday_to_sunday_in_the_business_calendar(buyer, supplier_a):
    for day in (
        "2026-11-29",
        "2026-11-30",
        "2026-12-06",
        "2026-12-07",
    ):  # Sunday before, Monday, Sunday, Monday after
        CheckIn.objects.create(
            supplier=supplier_a, original_date=day, date=day,
            scheduled_at=datetime.fromisoformat(f"{day}T09:00:00+00:00"),
        )  # fmt: skip
    assert counts_for(buyer)["checkins_this_week"] == 2


def test_answering_a_date_proposal_takes_it_off_the_buyers_list(buyer, supplier_a):
    make_waiting(supplier_a, buyer, 2)
    DateProposal.objects.filter(pk=DateProposal.objects.first().pk).update(
        status=DateProposal.Status.ACCEPTED
    )
    assert counts_for(buyer)["dates_to_answer"] == 1


# --- Counts stop at a cap ---------------------------------------------------------------------------------------


def test_a_count_stops_at_the_cap_and_shows_as_more_than(buyer_client, buyer, supplier_a, monkeypatch):
    """Counting stops at COUNT_CAP rows, whatever waits: the badge and the card read "2+" (cap 3 here), the
    link still lists every row, and the counts are still one query."""
    import core.waiting

    monkeypatch.setattr(core.waiting, "COUNT_CAP", 3)
    make_waiting(supplier_a, buyer, 4)
    counts = counts_for(buyer)
    assert counts["invoices_on_hold"] == 3
    assert counts["checkins_this_week"] == 3
    body = buyer_client.get(reverse("home")).content.decode()
    assert 'id="waiting-total"' in body
    assert ">2+</span>" in body
    assert "See them all" in body
    listed = buyer_client.get(f"{reverse('payments:invoice_list')}?todo=invoices_on_hold")
    assert rows_on(listed) == 4


def test_a_count_under_the_cap_is_shown_as_it_is(buyer_client, buyer, supplier_a):
    from core.waiting import COUNT_CAP, count_label

    assert count_label(COUNT_CAP - 1) == str(COUNT_CAP - 1)
    assert count_label(COUNT_CAP) == f"{COUNT_CAP - 1}+"
    make_waiting(supplier_a, buyer, 2)
    body = buyer_client.get(reverse("home")).content.decode()
    assert "See them all" not in body
    assert 'waiting-count">2</span>' in body


def test_counts_follow_new_rows_and_the_clock_once_the_compiled_sql_is_kept(buyer, supplier_a):
    """Each item's SQL is kept per user and day: the rows it counts, and an item reading now(), stay live."""
    assert counts_for(buyer) == {}  # compiles and keeps every item of the buyer
    make_waiting(supplier_a, buyer, 2)
    counts = counts_for(buyer)
    assert counts["issues_awaiting_us"] == 2 and counts["invoices_on_hold"] == 2
    due_now = counts["minutes_due"]
    day = NOW.date()
    CheckIn.objects.create(
        supplier=supplier_a, original_date=day, date=day, scheduled_at=NOW + timedelta(minutes=30)
    )
    assert counts_for(buyer)["minutes_due"] == due_now  # not due yet
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert counts_for(buyer)["minutes_due"] == due_now + 1


def test_an_item_whose_rows_read_the_database_while_built_is_compiled_afresh(buyer, supplier_a, monkeypatch):
    """An item that runs a query to build its rows (here: the ids of disputed invoices, read in Python) bakes the
    answer into its SQL, so its SQL is not kept: a row that waits later is counted the same day."""
    import core.waiting

    def rows(*, user, today):
        held = list(Invoice.objects.filter(status=Invoice.Status.DISPUTED).values_list("pk", flat=True))
        return Invoice.objects.visible_to(user).filter(pk__in=held or [0])

    item = core.waiting.WaitingItem(
        key="test_ids_read_in_python",
        label="ids",
        audience=core.waiting.STAFF,
        rows=rows,
        url_name="payments:invoice_list",
    )
    monkeypatch.setitem(core.waiting._REGISTRY, item.key, item)
    assert counts_for(buyer).get(item.key, 0) == 0
    make_waiting(supplier_a, buyer, 2)
    assert counts_for(buyer)[item.key] == 2
    assert not any(key[0] == item.key for key in core.waiting._COMPILED)


@pytest.mark.parametrize("role", [*sorted(r.value for r in Role if r != Role.SUPPLIER), "factory"])
def test_every_kept_item_compiles_the_same_all_day(role, portal_a):
    """The counts keep an item's SQL per user and day, so an item must give the same SQL and parameters at any
    time of the same day unless it says it reads the clock (a moment in its SQL, or the date taken from the clock
    rather than from `today`, would be counted stale). Compiled at 00:30 and 23:30 in the business timezone: the
    items that differ are exactly those marked `reads_clock`."""
    from core.clock import business_timezone

    user = portal_a if role == "factory" else UserFactory(role=role)
    today = NOW.date()
    tz = business_timezone()

    def compiled_at(moment):
        with time_machine.travel(moment, tick=False):
            return {
                item.key: (
                    None
                    if (rows := item.rows(user=user, today=today)).query.is_empty()
                    else str(rows.order_by().values("pk")[:5].query.sql_with_params())
                )
                for item in waiting_items_for(user=user)
            }

    early = compiled_at(datetime.combine(today, time(0, 30), tzinfo=tz))
    late = compiled_at(datetime.combine(today, time(23, 30), tzinfo=tz))
    reads_clock = {item.key for item in waiting_items_for(user=user) if item.reads_clock}
    assert early
    assert {key for key in early if early[key] != late[key]} == reads_clock
