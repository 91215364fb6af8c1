"""Improvement ideas: either side proposes, the buyer reviews through a state machine that refuses bad moves, the
realised saving is bounded and recorded only on an implemented idea, and the other side hears in its language."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from communications.messages import message_render
from communications.models import Notification
from partnership.models import ImprovementIdea
from partnership.services import ideas as services
from tests.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db
Status = ImprovementIdea.Status


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


def propose(by, supplier, **overrides):
    data = {
        "kind": "cost_saving",
        "title": "Thinner carton",
        "description": "A 3-ply carton holds the load",
        "currency": "USD",
        "estimated_annual_saving": Decimal("5000"),
    }
    return services.idea_propose(by=by, supplier=supplier, **{**data, **overrides})


def test_a_factory_idea_is_credited_to_the_factory_and_the_buyer_is_told(portal_a, supplier_a, buyer):
    idea = propose(portal_a, supplier_a)
    assert (idea.status, idea.raised_side, idea.credited_to) == (Status.PROPOSED, "factory", "factory")
    note = Notification.objects.get(user=buyer, message_key="idea_proposed_by_factory")
    assert note.url == idea.get_absolute_url()


def test_a_staff_idea_tells_the_factory_in_its_own_language(portal_a, supplier_a, buyer):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    idea = propose(buyer, supplier_a, credited_to="shared")
    assert idea.credited_to == "shared"
    note = Notification.objects.get(user=portal_a, message_key="idea_proposed_by_buyer")
    with translation.override("zh-hans"):
        title, _body = message_render(note.message_key, note.params)
    assert "Thinner carton" in title and "The buyer proposes" not in title


def test_a_factory_cannot_propose_for_another_supplier(portal_b, supplier_a):
    with pytest.raises(PermissionDenied):
        propose(portal_b, supplier_a)
    assert not ImprovementIdea.objects.exists()


def test_another_suppliers_order_reference_is_refused(portal_a, supplier_a, supplier_b):
    other = PurchaseOrderFactory(supplier=supplier_b)
    with pytest.raises(ValidationError, match="not one of this supplier's orders"):
        propose(portal_a, supplier_a, order=other)
    assert not ImprovementIdea.objects.exists()
    own = PurchaseOrderFactory(supplier=supplier_a)
    assert propose(portal_a, supplier_a, order=own).order == own


@pytest.mark.parametrize(
    ("saving", "message"),
    [
        (Decimal("-1"), "cannot be negative"),
        (Decimal("1000000000.01"), "at most"),
        (Decimal("10.555"), "at most 2 decimals"),
        ("lots", "as a number"),
        (Decimal("NaN"), "as a number"),
    ],
)
def test_a_bad_estimated_saving_is_refused(portal_a, supplier_a, saving, message):
    with pytest.raises(ValidationError, match=message):
        propose(portal_a, supplier_a, estimated_annual_saving=saving)
    assert not ImprovementIdea.objects.exists()


def test_yen_savings_have_no_decimals(portal_a, supplier_a):
    with pytest.raises(ValidationError, match="JPY has at most 0 decimals"):
        propose(portal_a, supplier_a, currency="jpy", estimated_annual_saving=Decimal("10.5"))
    assert (
        propose(portal_a, supplier_a, currency="jpy", estimated_annual_saving=Decimal("10")).currency == "JPY"
    )


def test_the_review_moves_forward_and_the_factory_hears_each_step(portal_a, supplier_a, buyer):
    idea = propose(portal_a, supplier_a)
    idea = services.idea_transition(idea=idea, by=buyer, to=Status.UNDER_REVIEW)
    idea = services.idea_transition(idea=idea, by=buyer, to=Status.ACCEPTED, review_note="Margin 4 %")
    idea = services.idea_record_implementation(
        idea=idea, by=buyer, implemented_on=date(2026, 12, 1), realised_saving=Decimal("3200.50")
    )
    idea.refresh_from_db()
    assert (idea.status, idea.realised_saving, idea.review_note) == (
        Status.IMPLEMENTED,
        Decimal("3200.50"),
        "Margin 4 %",
    )
    keys = list(Notification.objects.filter(user=portal_a).values_list("message_key", flat=True))
    assert keys.count("idea_status_changed") == 2 and "idea_implemented" in keys
    assert not any("Margin" in n.body for n in Notification.objects.filter(user=portal_a))


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.PROPOSED, Status.IMPLEMENTED),
        (Status.UNDER_REVIEW, Status.PROPOSED),
        (Status.UNDER_REVIEW, Status.UNDER_REVIEW),
        (Status.DECLINED, Status.ACCEPTED),
        (Status.IMPLEMENTED, Status.DECLINED),
        (Status.ACCEPTED, Status.UNDER_REVIEW),
    ],
)
def test_the_state_machine_refuses_a_bad_move_with_a_message(portal_a, supplier_a, buyer, start, to):
    idea = propose(portal_a, supplier_a)
    ImprovementIdea.objects.filter(pk=idea.pk).update(status=start)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(idea=idea, by=buyer, to=to, decline_reason="No")
    assert refused.value.messages
    idea.refresh_from_db()
    assert idea.status == start


def test_declining_needs_a_reason_the_factory_reads(portal_a, supplier_a, buyer):
    idea = propose(portal_a, supplier_a)
    with pytest.raises(ValidationError, match="Say why"):
        services.idea_transition(idea=idea, by=buyer, to=Status.DECLINED)
    idea = services.idea_transition(idea=idea, by=buyer, to=Status.DECLINED, decline_reason="Tooling cost")
    assert idea.decline_reason == "Tooling cost"
    note = Notification.objects.get(user=portal_a, message_key="idea_status_changed")
    assert "Tooling cost" in note.body and "Declined" in note.title


def test_the_factory_cannot_review_its_own_idea(portal_a, supplier_a):
    idea = propose(portal_a, supplier_a)
    with pytest.raises(PermissionDenied):
        services.idea_transition(idea=idea, by=portal_a, to=Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.idea_record_implementation(
            idea=idea, by=portal_a, implemented_on=date(2026, 12, 1), realised_saving=Decimal("1")
        )


def test_a_realised_saving_on_an_idea_not_accepted_is_refused_and_changes_nothing(
    portal_a, supplier_a, buyer
):
    idea = propose(portal_a, supplier_a)
    with pytest.raises(ValidationError, match="only on an implemented idea"):
        services.idea_record_implementation(
            idea=idea, by=buyer, implemented_on=date(2026, 12, 1), realised_saving=Decimal("10")
        )
    idea.refresh_from_db()
    assert (idea.status, idea.realised_saving) == (Status.PROPOSED, None)


@pytest.mark.parametrize(
    ("saving", "day", "message"),
    [
        (Decimal("-5"), date(2026, 12, 1), "cannot be negative"),
        (Decimal("99999999999"), date(2026, 12, 1), "at most"),
        (None, date(2026, 12, 1), "Give the realised saving"),
        (Decimal("5"), date(2026, 12, 6), "cannot be in the future"),
        (Decimal("5"), None, "Give the day"),
    ],
)
def test_a_bad_implementation_is_refused_and_the_idea_stays_accepted(
    portal_a, supplier_a, buyer, saving, day, message
):
    idea = services.idea_transition(idea=propose(portal_a, supplier_a), by=buyer, to=Status.ACCEPTED)
    with pytest.raises(ValidationError, match=message):
        services.idea_record_implementation(idea=idea, by=buyer, implemented_on=day, realised_saving=saving)
    idea.refresh_from_db()
    assert (idea.status, idea.realised_saving) == (Status.ACCEPTED, None)


def test_a_comment_reaches_the_other_side(portal_a, supplier_a, buyer):
    idea = propose(buyer, supplier_a)
    services.idea_comment(idea=idea, by=portal_a, body="We can sample it next week")
    assert Notification.objects.filter(user=buyer, message_key="idea_commented").exists()
    services.idea_comment(idea=idea, by=buyer, body="Good")
    assert Notification.objects.filter(user=portal_a, message_key="idea_commented").exists()
    with pytest.raises(ValidationError, match="Write a comment"):
        services.idea_comment(idea=idea, by=buyer, body="   ")


def test_another_factory_cannot_comment(portal_b, supplier_a, buyer):
    idea = propose(buyer, supplier_a)
    with pytest.raises(PermissionDenied):
        services.idea_comment(idea=idea, by=portal_b, body="Hello")
    assert not idea.comments.exists()
