"""Writes of red-flag playbooks: take a flag's recommended action in one step, through the service of the app that
owns what it creates, and record on the flag, REVIEW_WEEKS later, whether the KPI recovered.

| flag rule | actions offered |
|---|---|
| on-time delivery | a production-review check-in, its agenda the late deliveries behind the figure |
| defect rate | a corrective action; a process audit; a switch to tightened inspection (ISO 2859-1) of a SKU |
| unanswered issue | reassign the factory's contact or ours; the factory is told in its language, and its general |
|   | manager may be copied (an email in their language with the flag's figure and target) |
| consistent miss | a contract review, decided later: amended, confirmed or exit plan |
| price above agreed, hidden cost | a cost breakdown of the SKU concerned |
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from audits import services as audit_services
from audits.models import Audit, QCInspection, Severity, SwitchRule
from communications.messages import message_render
from communications.services.checkins import checkin_schedule_one
from communications.services.notifications import notify
from core.clock import business_today
from core.inputs import single_line
from core.leases import send_once
from core.queue import enqueue_on_commit
from pricing import services as pricing_services
from suppliers.models import Contact
from suppliers.services import contact_save, supplier_update

from .. import kpis, targets
from ..models import Kpi, RedFlag, RedFlagNote
from ..tasks import general_manager_copy_email_task
from .models import REVIEW_WEEKS, ContractReview, GeneralManagerCopy, PlaybookAction
from .selectors import general_manager_for, production_review_agenda, recovery_figures

Kind = PlaybookAction.Kind
Outcome = PlaybookAction.Outcome
PRICE = "price"  # the "KPI" of a price flag: the supplier's price variance (kpis.price_variance) back to zero

# The steps each rule's playbook offers.
PLAYBOOKS = {
    RedFlag.Rule.ON_TIME_DELIVERY: (Kind.PRODUCTION_REVIEW,),
    RedFlag.Rule.DEFECT_RATE: (Kind.CORRECTIVE_ACTION, Kind.PROCESS_AUDIT, Kind.TIGHTENED_INSPECTION),
    RedFlag.Rule.UNANSWERED_ISSUE: (Kind.FACTORY_CONTACT, Kind.OUR_CONTACT),
    RedFlag.Rule.CONSISTENT_MISS: (Kind.CONTRACT_REVIEW,),
    RedFlag.Rule.PRICE_ABOVE_AGREED: (Kind.COST_BREAKDOWN,),
    RedFlag.Rule.HIDDEN_COST: (Kind.COST_BREAKDOWN,),
}


def flag_kpi(flag: RedFlag) -> str:
    """Return the KPI whose recovery a flag's actions are judged by (PRICE for the price flags)."""
    if flag.rule == RedFlag.Rule.CONSISTENT_MISS:
        return flag.period.partition(":")[2]
    return {
        RedFlag.Rule.ON_TIME_DELIVERY: Kpi.ON_TIME_DELIVERY,
        RedFlag.Rule.DEFECT_RATE: Kpi.DEFECT_RATE,
        RedFlag.Rule.UNANSWERED_ISSUE: Kpi.RESPONSE_TIME,
        RedFlag.Rule.PRICE_ABOVE_AGREED: PRICE,
        RedFlag.Rule.HIDDEN_COST: PRICE,
    }.get(flag.rule, "")


def playbook_kinds(flag: RedFlag) -> tuple[str, ...]:
    """Return the actions a flag's playbook offers (none for the rules without one)."""
    return PLAYBOOKS.get(flag.rule, ())


# --- Each step, through the owning app's service ----------------------------------------------------------------


def _production_review(flag, by, *, day: date, at: time, agenda: str = "", **_ignored):
    agenda = (agenda or "").strip() or production_review_agenda(flag=flag)
    return {"checkin": checkin_schedule_one(supplier=flag.supplier, by=by, day=day, at=at, agenda=agenda)}


def _corrective_action(flag, by, *, due_on: date, title: str = "", problem: str = "", **_ignored):
    return {
        "corrective_action": audit_services.capa_raise(
            by=by,
            supplier=flag.supplier,
            title=(title or "").strip() or _("Reduce the defect rate"),
            problem=(problem or "").strip()
            or _("Defect rate %(observed)s against a target of %(target)s (%(period)s).")
            % {"observed": flag.observed, "target": flag.target, "period": flag.period_label},
            due_on=due_on,
        )
    }


def _process_audit(flag, by, *, planned_on: date, **_ignored):
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("The date is in the past.")})
    audit = audit_services.audit_plan(
        supplier=flag.supplier, by=by, audit_type=Audit.Type.PERIODIC, planned_on=planned_on, announced=True
    )
    return {"audit": audit}


def _tightened_inspection(flag, by, *, sku: str = "", **_ignored):
    """Switch a SKU (by default the one of the supplier's latest rejected lot) to tightened inspection, the flag's
    figures as the reason; the factory is told in its language (the severity's own notice)."""
    sku = " ".join((sku or "").split())
    category = None
    if not sku:
        latest = (
            QCInspection.objects.filter(supplier=flag.supplier, result=QCInspection.Result.REJECT)
            .order_by("-pk")
            .values("sku", "product_category_id")
            .first()
        )
        if latest is None:
            raise ValidationError(
                {"sku": _("No lot of this supplier was rejected: name the SKU to tighten.")}
            )
        sku, category = latest["sku"], latest["product_category_id"]
    reason = _("%(observed)s against a target of %(target)s (%(period)s)") % {
        "observed": flag.observed,
        "target": flag.target,
        "period": flag.period_label,
    }
    switch = audit_services.severity_switch(
        supplier=flag.supplier,
        by=by,
        sku=sku,
        category=category,
        severity=Severity.TIGHTENED,
        reason=reason,
        rule=SwitchRule.DEFECT_FLAG,
    )
    return {"severity_switch": switch}


def _tell_factory(flag: RedFlag, *, name: str, side: str, message: str, copied: int | None = None) -> dict:
    """Tell the factory's portal users who their contact is now, each in their own language, with the message
    written for them (never the action's internal note); return the notice's params (its general manager's copy
    says the same)."""
    params = {
        "company": settings.FORGELINE_COMPANY_NAME,
        "name": name,
        "side": side,
        "note": (message or "").strip(),
    }
    # The general manager copied by email (`copied`: their portal account) is not told a second time here.
    users = flag.supplier.portal_users.filter(is_active=True).exclude(pk=copied)
    notify(users=users, key="contact_reassigned", params=params)
    return params


# The key under which a contact change's step hands back the factory's notice (for the general manager's copy).
NOTICE = "notice"
# The steps whose notice the factory's general manager may be copied on.
COPIED_TO_GM = (Kind.FACTORY_CONTACT, Kind.OUR_CONTACT)

# The note of an action stays with the buyer's staff; the factory reads only `message`, a separate input of the
# steps that reach it (a contact change, a cost-breakdown request).


def _factory_contact(
    flag, by, *, contact: Contact | None = None, message: str = "", copied: int | None = None, **_ignored
):
    if contact is None or contact.supplier_id != flag.supplier_id or not contact.is_active:
        raise ValidationError({"contact": _("Choose one of the supplier's current contacts.")})
    if contact.is_primary:
        raise ValidationError(
            {"contact": _("%(name)s is already the primary contact.") % {"name": contact.name}}
        )
    contact = contact_save(supplier=flag.supplier, by=by, contact=contact, is_primary=True)
    notice = _tell_factory(flag, name=contact.name, side=flag.supplier.name, message=message, copied=copied)
    return {"contact": contact, NOTICE: notice}


def _our_contact(
    flag, by, *, owner: User | None = None, message: str = "", copied: int | None = None, **_ignored
):
    if owner is None or not owner.is_staff_member or not owner.is_active:
        raise ValidationError({"owner": _("Choose a colleague.")})
    if owner.pk == flag.supplier.owner_id:
        raise ValidationError({"owner": _("%(name)s already looks after this supplier.") % {"name": owner}})
    supplier_update(supplier=flag.supplier, by=by, owner=owner)
    notice = _tell_factory(
        flag, name=str(owner), side=settings.FORGELINE_COMPANY_NAME, message=message, copied=copied
    )
    return {"new_owner": owner, NOTICE: notice}


def _contract_review(flag, by, *, note: str = "", **_ignored):
    review = ContractReview.objects.create(
        supplier=flag.supplier, opened_by=by, reason=(note or "").strip() or flag.observed
    )
    return {"contract_review": review}


def _cost_breakdown(flag, by, *, sku: str = "", message: str = "", **_ignored):
    sku = (sku or "").strip() or flag_sku(flag)
    request = pricing_services.cost_breakdown_request(
        supplier=flag.supplier, by=by, sku=sku, message=(message or "").strip()
    )
    return {"cost_breakdown": request}


def flag_sku(flag: RedFlag) -> str:
    """Return the SKU a price flag is about (its discrepancy's order line), or "" for a charge."""
    discrepancy = flag.discrepancy
    if discrepancy is None or discrepancy.line_id is None:
        return ""
    return discrepancy.line.order_line.sku


STEPS = {
    Kind.PRODUCTION_REVIEW: _production_review,
    Kind.CORRECTIVE_ACTION: _corrective_action,
    Kind.PROCESS_AUDIT: _process_audit,
    Kind.FACTORY_CONTACT: _factory_contact,
    Kind.OUR_CONTACT: _our_contact,
    Kind.CONTRACT_REVIEW: _contract_review,
    Kind.COST_BREAKDOWN: _cost_breakdown,
    Kind.TIGHTENED_INSPECTION: _tightened_inspection,
}


@transaction.atomic
def playbook_action_take(
    *, flag: RedFlag, by: User, kind: str, note: str = "", copy_general_manager: bool = False, **inputs
) -> PlaybookAction:
    """Take one step of a flag's playbook: create the check-in, corrective action, audit, contact change,
    contract review or cost-breakdown request, and record it on the flag with the day its effect is measured.

    `copy_general_manager` (a contact change only): the factory's general manager gets the same notice by email,
    in their language, with the flag's figure and target; the action records whom it went to. Asked for when no
    general manager is on file, the step is refused and nothing changes."""
    _require(by, "flag.handle")
    # One step at a time per flag: the flag row is locked (not its supplier) until the step is recorded.
    flag = RedFlag.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=flag.pk)
    if flag.state == RedFlag.State.RESOLVED:
        raise ValidationError(_("This flag is resolved; no action is taken on it."))
    if kind not in playbook_kinds(flag):
        raise ValidationError({"kind": _("This action is not part of this flag's playbook.")})
    if flag.playbook_actions.filter(kind=kind).exists():
        raise ValidationError(
            {"kind": _("“%(action)s” was already taken on this flag.") % {"action": Kind(kind).label}}
        )
    general_manager = None
    if copy_general_manager:
        if kind not in COPIED_TO_GM:
            raise ValidationError(
                {"copy_general_manager": _("Only a change of contact is copied to the general manager.")}
            )
        general_manager = general_manager_for(supplier=flag.supplier)
        if general_manager is None:
            raise ValidationError(
                {
                    "copy_general_manager": _(
                        "No general manager on file for %(supplier)s: add one with an email to its contacts, "
                        "or take the step without the copy."
                    )
                    % {"supplier": flag.supplier.name}
                }
            )
    copied = general_manager.account_id if general_manager is not None else None
    created = STEPS[kind](flag, by, note=note, copied=copied, **inputs)
    notice = created.pop(NOTICE, None)
    today = business_today()
    action = PlaybookAction.objects.create(
        flag=flag,
        kind=kind,
        kpi=flag_kpi(flag),
        note=(note or "").strip(),
        taken_by=by,
        taken_on=today,
        review_due_on=today + timedelta(weeks=REVIEW_WEEKS),
        **created,
    )
    RedFlagNote.objects.create(flag=flag, kind=RedFlagNote.Kind.NOTE, text=str(Kind(kind).label), author=by)
    if general_manager is not None:
        _general_manager_copy(action, general_manager, notice or {})
    if flag.state == RedFlag.State.OPEN:  # acting on a flag is handling it
        RedFlag.objects.filter(pk=flag.pk, state=RedFlag.State.OPEN).update(
            state=RedFlag.State.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=by
        )
    return action


def _general_manager_copy(action: PlaybookAction, general_manager, notice: dict) -> GeneralManagerCopy:
    """Record the general manager's copy of a contact change; its email is queued after the commit."""
    copy = GeneralManagerCopy.objects.create(
        action=action,
        contact=general_manager.contact,
        name=general_manager.name,
        email=general_manager.email,
        language=general_manager.language,
        params=notice,
    )
    RedFlagNote.objects.create(
        flag=action.flag,
        kind=RedFlagNote.Kind.NOTE,
        text=f"General manager copied: {copy.name}, {copy.email}",
        author=action.taken_by,
    )
    enqueue_on_commit(general_manager_copy_email_task, copy.pk)  # a broker that is down: the sweep sends it
    return copy


# --- The general manager's copy: its send-once outbox ---------------------------------------------------------


def general_manager_copy_email(copy: GeneralManagerCopy) -> tuple[str, str]:
    """Return the copy's (subject, body) in the general manager's language: the factory's notice, and why (the
    flag's rule, observed figure and target). Never the action's internal note."""
    flag = copy.action.flag
    params = copy.params or {}
    with translation.override(copy.language or settings.LANGUAGE_CODE):
        subject = single_line(
            _("%(company)s: a change of contact at %(supplier)s, for your attention")
            % {
                "company": params.get("company") or settings.FORGELINE_COMPANY_NAME,
                "supplier": flag.supplier.name,
            }
        )
        notice = message_render("contact_reassigned", params)[1]  # the notice to the factory, word for word
        body = "\n\n".join(
            [
                _("Hello %(name)s,") % {"name": copy.name},
                _("As the general manager of %(supplier)s, you receive a copy of this notice to your team:")
                % {"supplier": flag.supplier.name},
                notice,
                _("Why: %(rule)s. Observed %(observed)s against a target of %(target)s.")
                % {
                    "rule": flag.get_rule_display(),
                    "observed": flag.observed_text(),
                    "target": flag.target_text() or "-",
                },
                _("Thank you for your attention to it."),
            ]
        )
    return subject, body


def general_manager_copies_send(*, now: datetime | None = None, ids=None) -> int:
    """Email the unsent general-manager copies (all that are due, or those of `ids`), each at most once.

    Each row is claimed with a lease first (core.leases), so two runs never send one twice; a failure keeps its
    error on the row, which the sweep takes again after the back-off. Returns how many were sent.
    """
    now = now or timezone.now()
    queryset = GeneralManagerCopy.objects.all()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return send_once(
        queryset,
        now=now,
        kind="gm-copy",
        compose=general_manager_copy_email,
        address=lambda copy: copy.email,
        related=("action__flag__supplier",),
    )


@transaction.atomic
def contract_review_decide(*, review: ContractReview, by: User, outcome: str, note: str) -> ContractReview:
    """Record what a contract review decided: the contract amended, confirmed, or an exit plan."""
    _require(by, "flag.handle")
    if outcome not in ContractReview.Outcome.values:
        raise ValidationError({"outcome": _("Choose what the review decided.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was decided.")})
    won = ContractReview.objects.filter(pk=review.pk, outcome="").update(
        outcome=outcome, outcome_note=note.strip(), decided_by=by, decided_at=timezone.now()
    )
    if not won:
        raise ValidationError(_("This contract review is already decided."))
    review.refresh_from_db()
    return review


# --- Recovery, REVIEW_WEEKS later -------------------------------------------------------------------------------


def _measure(kpi: str, figures: dict, variances: dict, supplier_id: int, target_of: dict):
    """Return (outcome, value, target) of one supplier's KPI over the weeks since the action."""
    if kpi == PRICE:
        rows = variances.get(supplier_id, [])
        if not rows:
            return Outcome.NO_DATA, None, Decimal("0")
        worst = max(rows, key=lambda v: v.total)
        value = worst.percent if worst.percent is not None else worst.total
        return (Outcome.RECOVERED if worst.total <= 0 else Outcome.NOT_RECOVERED), value, Decimal("0")
    found = figures.get(kpi, {}).get(supplier_id, kpis.EMPTY_VALUES.get(kpi))
    value = found.value if found is not None else None
    target = target_of[supplier_id][kpi]
    met = targets.meets(kpi, value, target)
    outcome = {True: Outcome.RECOVERED, False: Outcome.NOT_RECOVERED, None: Outcome.NO_DATA}[met]
    return outcome, value, target


def playbook_reviews_evaluate(*, today: date, now=None, action_ids=None) -> int:
    """Record, for every action whose review day has come, whether its KPI met the target over the weeks since it
    was taken: kpis.py's formulas over each action's own window, computed in SQL for all actions at once
    (selectors.recovery_figures), and one UPDATE. Safe to run twice: only a pending action is written. Returns how
    many were recorded. The number of queries does not grow with the number of actions."""
    now = now or timezone.now()
    due = PlaybookAction.objects.filter(outcome=Outcome.PENDING, review_due_on__lte=today).exclude(kpi="")
    if action_ids is not None:
        due = due.filter(pk__in=list(action_ids))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL's JIT would compile the figures' one statement (a correlated subquery per KPI count) for
            # far longer than running it takes: off for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        rows = recovery_figures(due, today=today, now=now)
        if not rows:
            return 0
        target_of = targets.targets_for({row["supplier_id"] for row in rows})
        measured = {}
        for row in rows:
            supplier_id, kpi = row["supplier_id"], row["kpi"]
            figures = {} if kpi == PRICE else {kpi: {supplier_id: row["figure"]}}
            variances = {supplier_id: row["figure"]} if kpi == PRICE and row["figure"] else {}
            measured[row["pk"]] = _measure(kpi, figures, variances, supplier_id, target_of)
        return _record(measured, now=now)


def _record(measured: dict[int, tuple], *, now) -> int:
    """Write every measured action in one conditional UPDATE (only those still pending)."""

    def case(index: int, field):
        by_value = defaultdict(list)
        for pk, found in measured.items():
            if found[index] is not None:  # the default, NULL
                by_value[found[index]].append(pk)
        if not by_value:
            return None
        return Case(
            *[When(pk__in=pks, then=Value(value, output_field=field)) for value, pks in by_value.items()],
            default=None,
            output_field=field,
        )

    fields = {
        name: PlaybookAction._meta.get_field(name)
        for name in ("outcome", "measured_value", "measured_target")
    }
    return PlaybookAction.objects.filter(pk__in=list(measured), outcome=Outcome.PENDING).update(
        outcome=case(0, fields["outcome"]),
        measured_value=case(1, fields["measured_value"]),
        measured_target=case(2, fields["measured_target"]),
        measured_at=now,
    )
