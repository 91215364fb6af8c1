"""Every write of training and community programmes: staff offer or record a training, the factory accepts an
offered one; staff record the community or social programmes they support with a supplier."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability, require_own_supplier
from communications.services.notifications import notify
from communications.services.workflow import staff_contacts, tell_factory
from core.clock import business_today
from core.inputs import EARLIEST_DATE, LATEST_DATE, single_line
from suppliers.models import Supplier

from ..models import CommunityProgramme, Training
from ..models.training import MAX_ATTENDEES
from .ideas import EDIT


def _check_date(value, *, field: str) -> date:
    if value is None:
        raise ValidationError({field: _("Give the date.")})
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError({field: _("Give a date between 2000 and 2100.")})
    return value


def _check_held_on(status: str, held_on: date, today: date) -> None:
    """Refuse a training's day that its status does not allow: one given is not dated in the future; one offered
    (or accepted) is for today or a later day."""
    if status == Training.Status.GIVEN:
        if held_on > today:
            raise ValidationError(
                {"held_on": _("A training given cannot be dated in the future; offer it instead.")}
            )
    elif held_on < today:
        raise ValidationError(
            {"held_on": _("A training is offered for today or a later day, not a past one.")}
        )


def _check_period(starts_on: date, ends_on: date | None) -> None:
    """Refuse a programme that ends before it starts (an open-ended one has no end)."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A programme ends on or after the day it starts.")})


def _check_count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ATTENDEES:
        raise ValidationError(
            {
                "attendee_count": _("The number of people is a whole number from 0 to %(max)s.")
                % {"max": MAX_ATTENDEES}
            }
        )
    return value


@transaction.atomic
def training_record(
    *,
    by: User,
    supplier: Supplier,
    topic: str,
    held_on: date,
    given_by: User | None = None,
    status: str = Training.Status.OFFERED,
    people: str = "",
    attendee_count: int = 0,
    notes: str = "",
) -> Training:
    """Offer a training to a supplier (a future date) or record one already given (a past date)."""
    require_capability(by, EDIT)
    topic = single_line(topic or "")[:200]
    if not topic:
        raise ValidationError({"topic": _("Give the topic of the training.")})
    held_on = _check_date(held_on, field="held_on")
    if status not in (Training.Status.OFFERED, Training.Status.GIVEN):
        raise ValidationError({"status": _("Choose offered or given.")})
    _check_held_on(status, held_on, business_today())
    given_by = given_by or by
    if not given_by.is_staff_member:
        raise ValidationError({"given_by": _("A training is given by a member of staff.")})
    training = Training.objects.create(
        supplier=supplier,
        topic=topic,
        held_on=held_on,
        people=(people or "").strip()[:2000],
        attendee_count=_check_count(attendee_count),
        given_by=given_by,
        status=status,
        notes=(notes or "").strip()[:5000],
    )
    if status == Training.Status.OFFERED:
        tell_factory(
            supplier_id=supplier.pk,
            target=training,
            key="training_offered",
            params={"topic": topic, "held_on": str(held_on)},
            url=reverse("portal:partnership_training"),
        )
    return training


@transaction.atomic
def training_accept(*, training: Training, by: User) -> Training:
    """The factory accepts an offered training; the staff member giving it and the supplier's owner are told."""
    if not by.is_portal_user:
        raise PermissionDenied(_("The factory accepts a training it is offered."))
    require_own_supplier(by, training.supplier_id)
    training = Training.objects.select_for_update().get(pk=training.pk)
    if training.status != Training.Status.OFFERED:
        raise ValidationError(
            _("Only an offered training can be accepted; this one is %(status)s.")
            % {"status": training.get_status_display().lower()}
        )
    if training.held_on < business_today():
        raise ValidationError(_("This training's date has passed; ask the buyer for a new date."))
    training.status = Training.Status.ACCEPTED
    training.accepted_by = by
    training.accepted_at = timezone.now()
    training.save(update_fields=["status", "accepted_by", "accepted_at"])
    notify(
        users=staff_contacts(supplier_id=training.supplier_id, also=[training.given_by_id]),
        key="training_accepted",
        params={
            "supplier": training.supplier.name,
            "topic": training.topic,
            "held_on": str(training.held_on),
        },
        url=training.get_absolute_url(),
    )
    return training


@transaction.atomic
def training_mark_given(
    *,
    training: Training,
    by: User,
    attendee_count: int | None = None,
    people: str | None = None,
    notes: str = "",
) -> Training:
    """Record that an offered or accepted training took place, with who came."""
    require_capability(by, EDIT)
    training = Training.objects.select_for_update().get(pk=training.pk)
    if training.status == Training.Status.GIVEN:
        raise ValidationError(_("This training is already recorded as given."))
    if training.held_on > business_today():
        raise ValidationError(
            _("This training is planned for %(day)s; record it as given on or after that day.")
            % {"day": training.held_on}
        )
    training.status = Training.Status.GIVEN
    if attendee_count is not None:
        training.attendee_count = _check_count(attendee_count)
    if people is not None and people.strip():
        training.people = people.strip()[:2000]
    if notes and notes.strip():
        training.notes = "\n".join(filter(None, [training.notes, notes.strip()]))[:5000]
    training.save(update_fields=["status", "attendee_count", "people", "notes"])
    _tell_given(training)
    return training


@transaction.atomic
def programme_record(
    *,
    by: User,
    supplier: Supplier,
    name: str,
    starts_on: date,
    contribution: str,
    ends_on: date | None = None,
    description: str = "",
) -> CommunityProgramme:
    """Record a community or social programme supported with a supplier."""
    if by.is_portal_user:
        raise PermissionDenied
    require_capability(by, EDIT)
    name = single_line(name or "")[:200]
    if not name:
        raise ValidationError({"name": _("Give the programme's name.")})
    starts_on = _check_date(starts_on, field="starts_on")
    if ends_on is not None:
        ends_on = _check_date(ends_on, field="ends_on")
    _check_period(starts_on, ends_on)
    contribution = (contribution or "").strip()
    if not contribution:
        raise ValidationError({"contribution": _("Say what the contribution is (money, time, goods).")})
    return CommunityProgramme.objects.create(
        supplier=supplier,
        name=name,
        description=(description or "").strip()[:5000],
        starts_on=starts_on,
        ends_on=ends_on,
        contribution=contribution[:2000],
        recorded_by=by,
    )


# What staff may correct on a recorded training, and on a community programme.
TRAINING_FIELDS = ("topic", "held_on", "people", "attendee_count", "given_by", "status", "notes")
PROGRAMME_FIELDS = ("name", "description", "starts_on", "ends_on", "contribution")


@transaction.atomic
def training_update(*, training: Training, by: User, **changes) -> Training:
    """Correct a recorded training with the bounds of recording one (an offered one today or later, a given one not
    in the future, 0–10,000 people); a given one stays given. The factory is told of a new date or topic."""
    require_capability(by, EDIT)
    if by.is_portal_user:
        raise PermissionDenied(_("The buyer corrects its training records."))
    unknown = set(changes) - set(TRAINING_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    training = Training.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=training.pk)
    before = {"topic": training.topic, "held_on": training.held_on, "status": training.status}
    status = changes.get("status") or training.status
    if status not in Training.Status.values:
        raise ValidationError({"status": _("Choose offered, accepted or given.")})
    if training.status == Training.Status.GIVEN and status != Training.Status.GIVEN:
        raise ValidationError({"status": _("A training given cannot be moved back to offered.")})
    if status == Training.Status.ACCEPTED and training.status != Training.Status.ACCEPTED:
        raise ValidationError({"status": _("Only the factory accepts a training.")})
    if "topic" in changes:
        training.topic = single_line(changes["topic"] or "")[:200]
        if not training.topic:
            raise ValidationError({"topic": _("Give the topic of the training.")})
    if "held_on" in changes:
        training.held_on = _check_date(changes["held_on"], field="held_on")
    # The date bound of recording applies when the date or the status changes; a correction of the people of a
    # training whose day has passed is not refused for that day.
    if training.held_on != before["held_on"] or status != before["status"]:
        _check_held_on(status, training.held_on, business_today())
    if "attendee_count" in changes:
        training.attendee_count = _check_count(changes["attendee_count"])
    if "people" in changes:
        training.people = (changes["people"] or "").strip()[:2000]
    if "notes" in changes:
        training.notes = (changes["notes"] or "").strip()[:5000]
    if changes.get("given_by") is not None:
        if not changes["given_by"].is_staff_member:
            raise ValidationError({"given_by": _("A training is given by a member of staff.")})
        training.given_by = changes["given_by"]
    # The factory accepted a day: a new day (or staff putting it back to offered) asks it to accept again.
    if status == Training.Status.ACCEPTED and training.held_on != before["held_on"]:
        status = Training.Status.OFFERED
    if status == Training.Status.OFFERED:
        training.accepted_by, training.accepted_at = None, None
    training.status = status
    training.save(
        update_fields=[
            "topic",
            "held_on",
            "people",
            "attendee_count",
            "given_by",
            "status",
            "notes",
            "accepted_by",
            "accepted_at",
        ]
    )
    if before["status"] != Training.Status.GIVEN and status == Training.Status.GIVEN:
        _tell_given(training)
    elif status != Training.Status.GIVEN and (
        training.topic != before["topic"] or training.held_on != before["held_on"]
    ):
        tell_factory(
            supplier_id=training.supplier_id,
            target=training,
            key="training_changed",
            params={
                "old_topic": before["topic"],
                "old_held_on": str(before["held_on"]),
                "topic": training.topic,
                "held_on": str(training.held_on),
            },
            url=reverse("portal:partnership_training"),
        )
    return training


def _tell_given(training: Training) -> None:
    tell_factory(
        supplier_id=training.supplier_id,
        target=training,
        key="training_given",
        params={"topic": training.topic, "held_on": str(training.held_on)},
        url=reverse("portal:partnership_training"),
    )


@transaction.atomic
def programme_update(*, programme: CommunityProgramme, by: User, **changes) -> CommunityProgramme:
    """Correct a recorded community programme: its name, description, period (start on or before end) and
    contribution, with the checks of recording one."""
    if by.is_portal_user:
        raise PermissionDenied(_("The buyer corrects its programme records."))
    require_capability(by, EDIT)
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    programme = CommunityProgramme.objects.select_for_update().get(pk=programme.pk)
    if "name" in changes:
        programme.name = single_line(changes["name"] or "")[:200]
        if not programme.name:
            raise ValidationError({"name": _("Give the programme's name.")})
    if "description" in changes:
        programme.description = (changes["description"] or "").strip()[:5000]
    if "starts_on" in changes:
        programme.starts_on = _check_date(changes["starts_on"], field="starts_on")
    if "ends_on" in changes:
        ends_on = changes["ends_on"]
        programme.ends_on = None if ends_on is None else _check_date(ends_on, field="ends_on")
    _check_period(programme.starts_on, programme.ends_on)
    if "contribution" in changes:
        programme.contribution = (changes["contribution"] or "").strip()[:2000]
        if not programme.contribution:
            raise ValidationError({"contribution": _("Say what the contribution is (money, time, goods).")})
    programme.save(update_fields=list(PROGRAMME_FIELDS))
    return programme
