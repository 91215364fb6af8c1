"""A reference letter in the demo: the buyer vouches for a well-performing factory over the last twelve months (one
with a portal login first, so that its contact finds the letter in the portal, if one of those is on target)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from core.clock import business_today
from scorecards.letters import services as letters
from scorecards.letters.models import ReferenceLetter
from scorecards.models import ACTIVE_STAGES
from suppliers.models import Supplier


def seed_reference_letter(*, buyer: User) -> ReferenceLetter | None:
    """Issue one letter for the first active supplier on target over the last year (the service decides)."""
    if ReferenceLetter.objects.exists():
        return None
    today = business_today()
    with_portal = set(User.objects.filter(role=Role.SUPPLIER).values_list("supplier_id", flat=True))
    candidates = sorted(
        Supplier.objects.filter(stage__in=ACTIVE_STAGES).order_by("name"),
        key=lambda s: s.pk not in with_portal,
    )
    for supplier in candidates:
        try:
            with transaction.atomic():
                return letters.reference_letter_issue(
                    supplier=supplier,
                    by=buyer,
                    period_start=today - timedelta(days=366),
                    period_end=today - timedelta(days=1),
                    text=f"{supplier.name} has delivered on time and to specification throughout the year, and "
                    "answers our questions within the day. We recommend them without reservation.",
                )
        except ValidationError:
            continue  # below a target, or too little data: not one to vouch for
    return None
