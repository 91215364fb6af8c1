"""The demo's partnership ledger: improvement ideas from both sides (one implemented, credited on the scorecard),
a training given, one offered whose date was corrected, and a community programme."""

from datetime import timedelta
from decimal import Decimal

from partnership.models import ImprovementIdea, Training
from partnership.services import ideas, training

from .history import History


def seed_ideas(history: History) -> None:
    """A factory idea implemented 3 weeks ago with its realised saving, one under review, a buyer's idea the factory
    commented on; a training given last month, one offered for next month that the factory accepted and the buyer
    then moved a week later (back to offered: the factory is asked to accept the new day); a school programme."""
    supplier, buyer = history.supplier, history.buyer
    if ImprovementIdea.objects.filter(supplier=supplier).exists():
        return
    factory = history.portal or buyer
    carton = _factory_idea(
        history,
        kind="cost_saving",
        title="Fold the tees in 3, not 4: smaller cartons",
        description="A three-fold fits 60 tees per carton instead of 48; fewer cartons and less freight volume.",
        estimated_annual_saving=Decimal("18000"),
    )
    ideas.idea_transition(
        idea=carton, by=buyer, to="under_review", review_note="Freight is 6 % of landed cost."
    )
    ideas.idea_transition(idea=carton, by=buyer, to="accepted")
    ideas.idea_record_implementation(
        idea=carton,
        by=buyer,
        implemented_on=history.today - timedelta(days=21),
        realised_saving=Decimal("3650.00"),
    )
    review = _factory_idea(
        history,
        kind="quality",
        title="Inline needle detector before packing",
        description="One detector at the end of the line instead of spot checks at final inspection.",
        estimated_annual_saving=Decimal("4000"),
    )
    ideas.idea_transition(idea=review, by=buyer, to="under_review")
    mixed = ideas.idea_propose(
        by=buyer,
        supplier=supplier,
        kind="logistics",
        title="Consolidate with the Da Nang shipments",
        description="Share containers with our other Vietnamese supplier on the same sailing.",
        currency="USD",
        credited_to="shared",
    )
    ideas.idea_comment(idea=mixed, by=factory, body="We can deliver to the consolidator on Tuesdays.")
    _training(
        history,
        topic="AQL sampling and defect classes",
        held_on=history.today - timedelta(days=30),
        status="given",
        people="QC supervisor, 3 line inspectors",
        attendee_count=4,
    )
    offered = _training(
        history,
        topic="Chemical compliance (REACH, CPSIA)",
        held_on=history.today + timedelta(days=24),
        people="Compliance officer, purchasing",
        attendee_count=2,
        notes="Two hours, online; bring the current restricted-substances list.",
    )
    if history.portal:
        training.training_accept(training=offered, by=history.portal)
    # The trainer cannot come that day: the corrected date puts it back to offered and the factory is told.
    training.training_update(training=offered, by=buyer, held_on=history.today + timedelta(days=31))
    training.programme_record(
        by=buyer,
        supplier=supplier,
        name="Workers' children summer school",
        description="A summer school in the factory's community hall for the workers' children.",
        starts_on=history.today - timedelta(days=120),
        contribution="USD 2,000 a year and books",
    )


def _factory_idea(history: History, **fields) -> ImprovementIdea:
    """An idea the factory proposes in the portal (or, without a portal login, the buyer on its behalf, credited to
    the factory), priced in USD."""
    credit = {} if history.portal else {"credited_to": "factory"}
    return ideas.idea_propose(
        by=history.portal or history.buyer, supplier=history.supplier, currency="USD", **credit, **fields
    )


def _training(history: History, **fields) -> Training:
    """A training the buyer records with the supplier, given by the demo's QC."""
    return training.training_record(
        by=history.buyer, supplier=history.supplier, given_by=history.qc, **fields
    )
