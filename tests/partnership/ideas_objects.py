"""Supplier-A objects of improvement ideas, training and programmes for the isolation fixtures (merged into
tests/conftest.py supplier_objects)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partnership.models import CommunityProgramme, IdeaComment, ImprovementIdea, Training


def ideas_objects(supplier, staff_user) -> dict:
    """An idea with a comment and a staff-only review note, an offered training and a programme of `supplier`."""
    idea = ImprovementIdea.objects.create(
        supplier=supplier,
        kind="cost_saving",
        title=f"{supplier.name} lighter carton",
        description=f"{supplier.name} uses a 5-ply carton where 3-ply holds",
        currency="USD",
        estimated_annual_saving=Decimal("1200.00"),
        raised_by=staff_user,
        raised_side="buyer",
        credited_to="buyer",
        review_note=f"{supplier.name} internal margin note",
    )
    IdeaComment.objects.create(idea=idea, author=staff_user, body=f"{supplier.name} sample next week")
    today = timezone.localdate()
    training = Training.objects.create(
        supplier=supplier,
        topic=f"{supplier.name} AQL sampling",
        held_on=today + timedelta(days=14),
        people=f"{supplier.name} QC team",
        attendee_count=4,
        given_by=staff_user,
    )
    programme = CommunityProgramme.objects.create(
        supplier=supplier,
        name=f"{supplier.name} village school",
        starts_on=today - timedelta(days=30),
        contribution=f"{supplier.name} books and desks",
        recorded_by=staff_user,
    )
    return {"improvement_idea": idea, "training": training, "community_programme": programme}
