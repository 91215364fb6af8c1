"""Writes of reference letters: issue one (its KPIs frozen from kpis.py and targets.py), revoke one.

A supplier below any of its targets over the period gets a letter only from a manager, with a reason printed on
the letter; a buyer is refused with a clear message and nothing is written. A period with no data is refused:
a letter vouches for figures, never for their absence.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from communications.services.notifications import notify
from communications.services.workflow import factory_contacts
from core.clock import business_today
from core.dates import add_months
from core.inputs import EARLIEST_DATE, single_line
from suppliers.models import ActivityKind, Supplier
from suppliers.services.timeline import activity_record

from .. import kpis
from ..models import Kpi
from ..targets import meets, targets_for
from .models import (
    ADDRESSEE_MAX_LENGTH,
    DEFAULT_ADDRESSEE,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ReferenceLetter,
)

ISSUE_CAPABILITY = "letter.issue"
BELOW_TARGET_CAPABILITY = "letter.issue_below_target"  # managers: a letter despite a missed target
# The supplier's own KPIs a letter vouches for (the buyer's side of the card is not the supplier's merit).
LETTER_KPIS = (Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE, Kpi.RESPONSE_TIME)
MAX_PERIOD_DAYS = 731  # two years
MIN_VALID_MONTHS, MAX_VALID_MONTHS, DEFAULT_VALID_MONTHS = 1, 24, 12


def letter_figures(*, supplier: Supplier, start: date, end: date, today: date, now: datetime) -> dict:
    """Return a supplier's letter KPIs over [start, end] as stored on a letter: the counts kpis.py computed, the
    value, the target targets.py resolves for it and whether it is met (None: not enough data)."""
    families = kpis.all_kpis(start=start, end=end, today=today, now=now, supplier_ids=[supplier.pk])
    values = {kpi: families[kpi].get(supplier.pk, kpis.EMPTY_VALUES[kpi]) for kpi in LETTER_KPIS}
    targets = targets_for([supplier.pk])[supplier.pk]
    figures = kpis.encode_figures(values)
    for kpi, value in values.items():
        met = meets(kpi, value.value, targets[kpi])
        figures[kpi].update(
            value=None if value.value is None else str(value.value),
            target=str(targets[kpi]),
            met=met,
        )
        if kpi == Kpi.DEFECT_RATE:
            figures[kpi]["ppm"] = value.ppm
    return figures


def months_later(moment: datetime, months: int) -> datetime:
    """Return the same moment `months` calendar months later (the 31st becomes the month's last day)."""
    day = add_months(moment.date(), months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def _check_period(start, end, today: date) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationError(_("Choose the first and the last day of the period."))
    if start < EARLIEST_DATE:
        raise ValidationError(
            {"period_start": _("Periods before %(day)s are not kept.") % {"day": EARLIEST_DATE}}
        )
    if end > today:
        raise ValidationError(
            {"period_end": _("The period must have ended: its last day is today at the latest.")}
        )
    if start >= end:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError({"period_start": _("A letter covers at most 24 months.")})


def _text(value, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: _("Keep it under %(n)s characters.") % {"n": limit}})
    return value


def _missed_labels(figures: dict) -> list[str]:
    return [str(Kpi(kpi).label) for kpi in LETTER_KPIS if figures[kpi]["met"] is False]


@transaction.atomic
def reference_letter_issue(
    *,
    supplier: Supplier,
    by: User,
    period_start: date,
    period_end: date,
    addressee: str = "",
    text: str = "",
    below_target_reason: str = "",
    valid_months: int = DEFAULT_VALID_MONTHS,
    now: datetime | None = None,
) -> ReferenceLetter:
    """Issue a reference letter for a supplier over a period, its KPIs frozen as they stand now; tell the factory.

    Refused (nothing written): a period not yet over, backwards or longer than 24 months; no KPI with enough data;
    a KPI below its target unless a manager gives the reason shown on the letter; a reason when none is needed.
    """
    require_capability(by, ISSUE_CAPABILITY)
    now = now or timezone.now()
    today = business_today(now)
    _check_period(period_start, period_end, today)
    try:
        valid_months = int(valid_months)
    except (TypeError, ValueError):
        valid_months = 0
    if not MIN_VALID_MONTHS <= valid_months <= MAX_VALID_MONTHS:
        raise ValidationError(
            {
                "valid_months": _("A letter is valid for %(min)s to %(max)s months.")
                % {"min": MIN_VALID_MONTHS, "max": MAX_VALID_MONTHS}
            }
        )
    addressee = (
        single_line(_text(addressee, field="addressee", limit=ADDRESSEE_MAX_LENGTH)) or DEFAULT_ADDRESSEE
    )
    text = _text(text, field="text", limit=TEXT_MAX_LENGTH)
    reason = _text(below_target_reason, field="below_target_reason", limit=REASON_MAX_LENGTH)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)  # one letter at a time per supplier
    figures = letter_figures(supplier=supplier, start=period_start, end=period_end, today=today, now=now)
    if all(figures[kpi]["met"] is None for kpi in LETTER_KPIS):
        raise ValidationError(
            _(
                "There is not enough data over this period to vouch for %(supplier)s: no on-time delivery, defect "
                "rate or response time has its minimum sample. Choose a period with deliveries, inspections or "
                "issues."
            )
            % {"supplier": supplier.name}
        )
    missed = _missed_labels(figures)
    may_override = by.can(BELOW_TARGET_CAPABILITY)
    if missed and not may_override:
        raise ValidationError(
            _(
                "%(supplier)s missed its target over this period (%(kpis)s). Only a manager can issue a letter "
                "below target, with a reason shown on the letter."
            )
            % {"supplier": supplier.name, "kpis": ", ".join(missed)}
        )
    if missed and not reason:
        raise ValidationError(
            {
                "below_target_reason": _(
                    "%(kpis)s missed its target over this period: give the reason the letter will show."
                )
                % {"kpis": ", ".join(missed)}
            }
        )
    if reason and not missed:
        raise ValidationError(
            {"below_target_reason": _("Every KPI meets its target over this period: leave the reason empty.")}
        )
    letter = ReferenceLetter(
        supplier=supplier,
        supplier_name=supplier.name,
        supplier_country=str(supplier.country or ""),
        period_start=period_start,
        period_end=period_end,
        figures=figures,
        below_target=bool(missed),
        below_target_reason=reason,
        addressee=addressee,
        text=text,
        issued_by=by,
        issuer_name=by.full_name or by.email,
        issued_at=now,
        expires_at=months_later(now, valid_months),
    )
    letter.full_clean(exclude=["supplier", "issued_by"])
    letter.save()
    activity_record(
        supplier=supplier,
        actor=by,
        kind=ActivityKind.REFERENCE_LETTER_ISSUED,
        target=letter,
        detail=f"{period_start} – {period_end}" + (" (below target)" if missed else ""),
        url=reverse("scorecards:supplier", args=[supplier.pk]) + "#letters",
    )
    _tell_factory(letter)
    return letter


def _tell_factory(letter: ReferenceLetter) -> None:
    """Tell the supplier's portal contacts, each in their language, that a letter was issued for them."""
    notify(
        users=factory_contacts(supplier_id=letter.supplier_id, target=letter),
        key="reference_letter_issued",
        params={
            "period_start": str(letter.period_start),
            "period_end": str(letter.period_end),
            "expires_on": str(timezone.localdate(letter.expires_at)),
        },
        url=reverse("portal:reference_letters"),
    )


@transaction.atomic
def reference_letter_revoke(*, letter: ReferenceLetter, by: User, reason: str) -> ReferenceLetter:
    """Revoke a letter: its verification link says so from now on. The reason stays internal."""
    require_capability(by, ISSUE_CAPABILITY)
    reason = _text(reason, field="reason", limit=REASON_MAX_LENGTH)
    if not reason:
        raise ValidationError({"reason": _("Say why the letter is revoked.")})
    letter = ReferenceLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.is_revoked:
        raise ValidationError(_("This letter was already revoked."))
    letter.revoked_at, letter.revoked_by, letter.revoked_reason = timezone.now(), by, reason
    letter.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    activity_record(
        supplier=letter.supplier_id,
        actor=by,
        kind=ActivityKind.REFERENCE_LETTER_REVOKED,
        target=letter,
        detail=reason[:300],
        url=reverse("scorecards:supplier", args=[letter.supplier_id]) + "#letters",
    )
    return letter
