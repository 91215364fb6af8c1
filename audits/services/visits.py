"""Visit reports: the people met, challenges and ideas raised, follow-ups with owners; the factory adds to the
shared part in the portal."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.workflow_events import workflow_emit
from suppliers.models import Supplier
from suppliers.triggers import red_flags_request_check

from ..models import Audit, VisitCadence, VisitNote, VisitPerson


def _open_audit(audit: Audit | None) -> Audit:
    if audit is None:
        raise ValidationError(_("A visit report belongs to an audit or a visit: choose one."))
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status == Audit.Status.CANCELLED:
        raise ValidationError(_("This audit was cancelled."))
    return audit


@transaction.atomic
def visit_person_add(
    *, audit: Audit | None, by: User, role: str, name: str = "", area: str = ""
) -> VisitPerson:
    """Record someone met on the factory side (the role matters more than the name)."""
    _require(by, "audit.edit")
    audit = _open_audit(audit)
    person = VisitPerson(
        audit=audit, supplier_id=audit.supplier_id, role=role, name=name.strip(), area=area.strip()
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def visit_note_add(
    *,
    audit: Audit | None,
    by: User,
    kind: str,
    text: str,
    owner: str = "",
    due_on: date | None = None,
    shared: bool = True,
) -> VisitNote:
    """Add a challenge, an idea or a follow-up to a visit; a factory contact adds to its own visits' shared part."""
    if by.is_portal_user:
        visible = Audit.objects.visible_to(by).filter(pk=getattr(audit, "pk", None)).exists()
        if not visible:
            raise PermissionDenied
        shared = True  # the factory writes only in the shared part
    else:
        _require(by, "audit.edit")
    audit = _open_audit(audit)
    text, owner = (text or "").strip(), (owner or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was raised.")})
    if kind == VisitNote.Kind.FOLLOW_UP:
        errors = {}
        if not owner:
            errors["owner"] = _("A follow-up needs an owner.")
        if due_on is None:
            errors["due_on"] = _("A follow-up needs a due date.")
        if errors:
            raise ValidationError(errors)
    note = VisitNote(
        audit=audit,
        supplier_id=audit.supplier_id,
        kind=kind,
        text=text,
        owner=owner,
        due_on=due_on,
        shared=shared,
        added_by=by,
    )
    note.full_clean()
    note.save()
    if (
        note.shared
    ):  # the other side hears of it: the factory of staff's note, the audit's owner of the factory's
        workflow_emit("visit_note_added", note=note, by=by)
    return note


@transaction.atomic
def visit_cadence_set(*, supplier: Supplier, by: User, every_months: int | None) -> VisitCadence | None:
    """Set how often a supplier is visited on site (1–60 months); None removes the cadence. The visit_due red
    flag is evaluated again once this commits (raised when due, resolved when no longer due)."""
    _require(by, "supplier.edit")
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if every_months is None:
        VisitCadence.objects.filter(supplier=supplier).delete()
        red_flags_request_check(supplier.pk)
        return None
    cadence = VisitCadence.objects.filter(supplier=supplier).first() or VisitCadence(supplier=supplier)
    cadence.every_months = every_months
    cadence.full_clean()
    cadence.save()
    red_flags_request_check(supplier.pk)
    return cadence
