"""Red-flag rules (ARCHITECTURE.md): each flag is unique per (supplier, rule, period), so evaluating twice, or
twice at once, raises it once. KPI rules read the KPI formulas for all the suppliers at once."""

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from audits.models import CorrectiveAction, QCInspection
from audits.selectors import visits_due
from audits.verification import LAPSED, verification_status_bulk
from communications.models import CheckInSchedule, Family, Side, SupplierIssue
from communications.selectors import last_contact_at
from communications.services import notify_grouped
from core.events import Event, EventType, events_emit
from orders.models import Delivery
from payments.models import InvoiceDiscrepancy
from suppliers import selectors as supplier_selectors
from suppliers.models import Supplier

from . import kpis, periods
from .flag_notices import flags_notify_factory
from .models import ACTIVE_STAGES, Kpi, KpiSnapshot, RedFlag, RedFlagNote, verification_period_key
from .periods import iso_week
from .targets import meets, targets_for

Rule = RedFlag.Rule

RECOMMENDED_ACTIONS = {
    Rule.ON_TIME_DELIVERY: gettext_lazy("Review production schedules with the supplier."),
    Rule.DEFECT_RATE: gettext_lazy("Strengthen QC processes: more in-line checks, a corrective action."),
    Rule.UNANSWERED_ISSUE: gettext_lazy("Reassign contacts: call the dedicated contact or their manager."),
    Rule.CONSISTENT_MISS: gettext_lazy(
        "Consistent delays or quality issues: revisit contracts and processes."
    ),
    Rule.PRICE_ABOVE_AGREED: gettext_lazy("Demand transparency on hidden costs and price hikes."),
    Rule.HIDDEN_COST: gettext_lazy("Demand transparency; request a cost breakdown."),
    Rule.CERTIFICATION: gettext_lazy("Ask the supplier for the renewed certificate."),
    Rule.CAPA_OVERDUE: gettext_lazy("Chase the corrective action; consider a follow-up audit."),
    Rule.NO_CONTACT: gettext_lazy("Hold the regular check-in: regular contact builds trust."),
    Rule.VISIT_DUE: gettext_lazy("Plan a site visit: compare actual production with what was claimed."),
    Rule.VERIFICATION_DUE: gettext_lazy(
        "Renew the evidence before it lapses: plan the audit, re-assess capacity or ask for the certificate."
    ),
}


# The discrepancy kinds a red flag is raised for: (rule, the prefix of the flag's period key).
MONEY_RULES = {
    InvoiceDiscrepancy.Kind.PRICE: (Rule.PRICE_ABOVE_AGREED, "discrepancy"),
    InvoiceDiscrepancy.Kind.CHARGE: (Rule.HIDDEN_COST, "charge"),
}


@dataclass(frozen=True)
class Candidate:
    """A flag a rule wants raised."""

    supplier_id: int
    rule: str
    period: str
    observed: str
    target: str = ""
    severity: str = RedFlag.Severity.MEDIUM
    detail: str = ""
    url: str = ""
    # The row the flag is about (RedFlag.SOURCES), so the flag follows that row's portal rule.
    issue_id: int | None = None
    discrepancy_id: int | None = None
    certification_id: int | None = None
    corrective_action_id: int | None = None


def _kpi_candidates(supplier_ids, scanned, today: date, targets) -> list[Candidate]:
    start = periods.rolling(today).start
    period = iso_week(today)
    found = []
    # Aggregated over the scanned suppliers only (a subquery, not a long list of ids): less to count.
    deliveries = kpis.on_time_delivery(
        start=start, end=today, today=today, deliveries=Delivery.objects.filter(supplier__in=scanned)
    )
    defects = kpis.defect_rate(
        start=start, end=today, inspections=QCInspection.objects.filter(supplier__in=scanned)
    )
    for supplier_id in supplier_ids:
        target = targets[supplier_id]
        otd = deliveries.get(supplier_id)
        if otd is not None and meets(Kpi.ON_TIME_DELIVERY, otd.value, target[Kpi.ON_TIME_DELIVERY]) is False:
            found.append(
                Candidate(
                    supplier_id,
                    Rule.ON_TIME_DELIVERY,
                    period,
                    observed=f"{otd.value} % ({otd.numerator}/{otd.denominator})",
                    target=f"≥ {target[Kpi.ON_TIME_DELIVERY]} %",
                    severity=RedFlag.Severity.HIGH
                    if otd.value < target[Kpi.ON_TIME_DELIVERY] - 10
                    else RedFlag.Severity.MEDIUM,
                )
            )
        dr = defects.get(supplier_id)
        if dr is not None and meets(Kpi.DEFECT_RATE, dr.value, target[Kpi.DEFECT_RATE]) is False:
            found.append(
                Candidate(
                    supplier_id,
                    Rule.DEFECT_RATE,
                    period,
                    observed=f"{dr.value} % ({dr.numerator}/{dr.denominator})",
                    target=f"< {target[Kpi.DEFECT_RATE]} %",
                    severity=RedFlag.Severity.HIGH
                    if dr.value >= target[Kpi.DEFECT_RATE] * 2
                    else RedFlag.Severity.MEDIUM,
                )
            )
    return found


def _consistent_miss_candidates(supplier_ids, today: date) -> list[Candidate]:
    """The same KPI missed in each of the last three weekly snapshots (one query: the weeks are a subquery)."""
    weeks = (
        KpiSnapshot.objects.filter(week_start__lte=today)
        .values_list("week_start", flat=True)
        .distinct()
        .order_by("-week_start")[:3]
    )
    # Only the supplier's own KPIs: our payment timeliness and response time are our failings, not theirs.
    rows = KpiSnapshot.objects.filter(
        week_start__in=weeks,
        met=False,
        supplier_id__in=supplier_ids,
        kpi__in=[Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE, Kpi.RESPONSE_TIME],
    )
    misses: dict[tuple[int, str], list[date]] = {}
    for supplier_id, kpi, week in rows.order_by().values_list("supplier_id", "kpi", "week_start"):
        misses.setdefault((supplier_id, kpi), []).append(week)
    # A snapshot is one per (supplier, KPI, week): three misses are the three weeks, so there were three weeks to
    # look back at, and the last of them names the period.
    return [
        Candidate(
            supplier_id,
            Rule.CONSISTENT_MISS,
            f"{iso_week(max(missed))}:{kpi}",
            observed=_("missed 3 weeks running"),
            target=str(Kpi(kpi).label),
            severity=RedFlag.Severity.HIGH,
        )
        for (supplier_id, kpi), missed in misses.items()
        if len(missed) == 3
    ]


def _event_candidates(supplier_ids, today: date, now: datetime, targets) -> list[Candidate]:
    found = []
    # The shortest target bounds the query (no issue younger than it can have breached its own); each issue is
    # then held to its own supplier's target (the one escalation and the response KPI use, targets.py).
    shortest = min(timedelta(hours=float(t[Kpi.RESPONSE_TIME])) for t in targets.values())
    unanswered = SupplierIssue.objects.filter(
        supplier_id__in=supplier_ids,
        raised_by_side=Side.BUYER,
        first_response_at__isnull=True,
        status=SupplierIssue.Status.OPEN,
        raised_at__lt=now - shortest,
    ).values_list("pk", "supplier_id", "subject", "raised_at")
    for pk, supplier_id, subject, raised_at in unanswered:
        target = targets[supplier_id][Kpi.RESPONSE_TIME]
        if now - raised_at < timedelta(hours=float(target)):
            continue  # breached at the target, as escalation counts it
        hours = f"{target.normalize():f}"  # 24, 24.5
        waited = int((now - raised_at).total_seconds() // 3600)
        found.append(
            Candidate(
                supplier_id,
                Rule.UNANSWERED_ISSUE,
                f"issue-{pk}",
                observed=f"{waited} h",
                target=f"≤ {hours} h",
                detail=subject,
                url=f"/communications/issues/{pk}/",
                issue_id=pk,
                severity=RedFlag.Severity.HIGH
                if now - raised_at >= timedelta(hours=2 * float(target))
                else RedFlag.Severity.MEDIUM,
            )
        )
    # A price above the agreed one, and an extra charge not agreed on the order: both hidden costs, each with
    # its own rule (and recommended action), read from one query of open discrepancies.
    money = InvoiceDiscrepancy.objects.filter(
        supplier_id__in=supplier_ids,
        kind__in=MONEY_RULES,
        status=InvoiceDiscrepancy.Status.OPEN,
    ).values_list("pk", "supplier_id", "invoice_id", "kind", "expected", "invoiced")
    for pk, supplier_id, invoice_id, kind, expected, invoiced in money:
        rule, key = MONEY_RULES[kind]
        found.append(
            Candidate(
                supplier_id,
                rule,
                f"{key}-{pk}",
                observed=f"{invoiced.normalize():f}",
                target=f"{expected.normalize():f}",
                url=f"/payments/invoices/{invoice_id}/",
                discrepancy_id=pk,
            )
        )
    for cert in supplier_selectors.certifications_expiring(user=None, today=today, system=True).filter(
        supplier_id__in=supplier_ids
    ):
        expired = cert.valid_until < today
        found.append(
            Candidate(
                cert.supplier_id,
                Rule.CERTIFICATION,
                f"cert-{cert.pk}",
                observed=_("expired") if expired else _("expires %(day)s") % {"day": cert.valid_until},
                detail=cert.standard_label,
                url=f"/suppliers/{cert.supplier_id}/certifications/",
                certification_id=cert.pk,
                severity=RedFlag.Severity.HIGH if expired else RedFlag.Severity.MEDIUM,
            )
        )
    overdue = CorrectiveAction.objects.filter(
        supplier_id__in=supplier_ids,
        due_on__lt=today,
        status__in=[CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REJECTED],
    ).values_list("pk", "supplier_id", "title", "due_on")
    for pk, supplier_id, title, due_on in overdue:
        found.append(
            Candidate(
                supplier_id,
                Rule.CAPA_OVERDUE,
                f"capa-{pk}",
                observed=_("due %(day)s") % {"day": due_on},
                detail=title,
                url=f"/quality/corrective-actions/{pk}/",
                corrective_action_id=pk,
            )
        )
    # Only schedules already running: a new one has had no chance of contact yet.
    schedules = CheckInSchedule.objects.filter(
        supplier_id__in=supplier_ids, is_active=True, starts_on__lte=today
    )
    gaps, started = {}, {}
    for schedule in schedules.order_by().only("supplier_id", "cadence", "starts_on"):
        gaps[schedule.supplier_id] = min(gaps.get(schedule.supplier_id, 999), schedule.max_gap_days)
        started[schedule.supplier_id] = min(
            started.get(schedule.supplier_id, schedule.starts_on), schedule.starts_on
        )
    if gaps:
        last = last_contact_at(supplier_ids=list(gaps))
        for supplier_id, gap in gaps.items():
            seen = last.get(supplier_id)
            if seen is None and (today - started[supplier_id]).days <= gap:
                continue  # no contact yet, but the schedule is younger than the gap
            if seen is None or now - seen > timedelta(days=gap):
                observed = (
                    _("never") if seen is None else _("%(days)s days ago") % {"days": (now - seen).days}
                )
                found.append(
                    Candidate(
                        supplier_id,
                        Rule.NO_CONTACT,
                        iso_week(today),
                        observed=observed,
                        target=_("≤ %(days)s days") % {"days": gap},
                    )
                )
    return (
        found + _visit_due_candidates(supplier_ids, today) + _verification_due_candidates(supplier_ids, today)
    )


def _visit_period(last_visit: date | None) -> str:
    """Name a visit due after the visit it follows: one flag per visit missed, and a new visit starts a new one."""
    return f"visit-after-{last_visit}" if last_visit else "visit-never"


def _visit_due_candidates(supplier_ids, today: date) -> list[Candidate]:
    """A supplier whose visit cadence ran out (audits.selectors.visits_due: the Visits due list's definition)."""
    return [
        Candidate(
            row["supplier"].pk,
            Rule.VISIT_DUE,
            _visit_period(row["last_visit"]),
            observed=_("never visited")
            if row["last_visit"] is None
            else _("last visit %(day)s") % {"day": row["last_visit"]},
            target=_("every %(months)s months") % {"months": row["every_months"]},
            url=reverse("audits:visit_cadence", args=[row["supplier"].pk]),
        )
        for row in visits_due(user=None, today=today, supplier_ids=supplier_ids, system=True)
    ]


def _stale_flags(candidates: list[Candidate], unresolved) -> list[tuple[int, str]]:
    """Return (pk, rule) of the unresolved flags of the rules that resolve by themselves which no longer hold: a
    site visit performed since or the cadence lengthened or removed (visit due); the evidence renewed or no longer
    asked for (verification due). A new period is a new problem, so the old one's flag resolves."""
    due = {(c.supplier_id, c.rule, c.period) for c in candidates if c.rule in SELF_RESOLVING}
    return [
        (pk, rule)
        for pk, supplier_id, rule, period in unresolved
        if rule in SELF_RESOLVING and (supplier_id, rule, period) not in due
    ]


def _resolve_by_themselves(stale: list[tuple[int, str]], now: datetime) -> None:
    """Resolve flags whose problem is gone, each with its rule's note saying so (four writes, however many)."""
    if not stale:
        return
    rule_of = dict(stale)
    flags = list(
        RedFlag.objects.filter(pk__in=rule_of).exclude(state=RedFlag.State.RESOLVED).select_for_update()
    )
    for rule in {flag.rule for flag in flags}:
        RedFlag.objects.filter(pk__in=[flag.pk for flag in flags if flag.rule == rule]).update(
            state=RedFlag.State.RESOLVED, resolved_at=now, note=str(SELF_RESOLVING[rule])
        )
    RedFlagNote.objects.bulk_create(
        [
            RedFlagNote(
                flag=flag, kind=RedFlagNote.Kind.RESOLVED, text=str(SELF_RESOLVING[flag.rule]), created_at=now
            )
            for flag in flags
        ]
    )
    for flag in flags:
        flag.state = RedFlag.State.RESOLVED
    events_emit(
        [
            Event(
                EventType.RED_FLAG_RESOLVED, flag, state=flag.state, extra={"red_flag": flag.event_fields()}
            )
            for flag in flags
        ]
    )


VISIT_DONE_NOTE = gettext_lazy(
    "Resolved by itself: a site visit was performed, or the visit cadence changed."
)
VERIFICATION_RENEWED_NOTE = gettext_lazy(
    "Resolved by itself: the evidence was renewed, or the verification policy no longer asks for it."
)
# The rules whose flags resolve by themselves once the problem is gone, with the note that says why.
SELF_RESOLVING = {Rule.VISIT_DUE: VISIT_DONE_NOTE, Rule.VERIFICATION_DUE: VERIFICATION_RENEWED_NOTE}


def _verification_due_candidates(supplier_ids, today: date) -> list[Candidate]:
    """Each requirement of a supplier's verification policy due within 30 days or lapsed (audits.verification: the
    definition the supplier page shows). One flag per requirement and due date: renewing it moves the date."""
    found = []
    for supplier_id, requirements in verification_status_bulk(supplier_ids=supplier_ids, today=today).items():
        for row in requirements:
            if not row.flagged:
                continue
            what = row.code.removeprefix("cert:")
            if row.due_on is None:
                observed = _("never")
            elif row.state == LAPSED:
                observed = _("lapsed %(day)s") % {"day": row.due_on}
            else:
                observed = _("due %(day)s") % {"day": row.due_on}
            found.append(
                Candidate(
                    supplier_id,
                    Rule.VERIFICATION_DUE,
                    verification_period_key(what, row.due_on),
                    observed=observed,
                    target=_("every %(months)s months") % {"months": row.every_months}
                    if row.every_months
                    else "",
                    detail=row.label,
                    url=reverse("suppliers:detail", args=[supplier_id]),
                    severity=RedFlag.Severity.HIGH if row.state == LAPSED else RedFlag.Severity.MEDIUM,
                )
            )
    return found


LAPSED_NOTE = gettext_lazy("Severity raised to high by itself: the requirement lapsed.")


def _raise_lapsed(candidates: list[Candidate], unresolved, now: datetime) -> None:
    """Raise to high the unresolved verification-due flags raised while due soon whose requirement has lapsed since
    with the same due date (the same period, so no new flag): the severity a new flag would have, and a note."""
    lapsed = {
        (c.supplier_id, c.period): c
        for c in candidates
        if c.rule == Rule.VERIFICATION_DUE and c.severity == RedFlag.Severity.HIGH
    }
    pks = [
        pk
        for pk, supplier_id, rule, period in unresolved
        if rule == Rule.VERIFICATION_DUE and (supplier_id, period) in lapsed
    ]
    if not pks:
        return
    flags = list(
        RedFlag.objects.filter(pk__in=pks)
        .exclude(severity=RedFlag.Severity.HIGH)
        .select_for_update()
        .only("pk", "supplier_id", "period")
    )
    for flag in flags:  # a handful at most: one lapse a requirement, and only once
        observed = lapsed[(flag.supplier_id, flag.period)].observed[:100]
        RedFlag.objects.filter(pk=flag.pk).update(severity=RedFlag.Severity.HIGH, observed=observed)
    RedFlagNote.objects.bulk_create(
        [
            RedFlagNote(flag=flag, kind=RedFlagNote.Kind.NOTE, text=str(LAPSED_NOTE), created_at=now)
            for flag in flags
        ]
    )


# Rules measured again every week. While a supplier's flag of one is open or acknowledged, a later week's miss is
# the same problem still being worked on, not a new flag: the inbox holds one flag per problem (and the managers
# get one escalation) until someone resolves it; a miss after that raises a new one.
RECURRING_RULES = (Rule.ON_TIME_DELIVERY, Rule.DEFECT_RATE, Rule.CONSISTENT_MISS, Rule.NO_CONTACT)


def _problem(rule: str, period: str) -> tuple[str, str]:
    """Return what a recurring flag is about: its rule, and for a consistent miss the KPI (`2026-W48:defect_rate`)."""
    return rule, period.partition(":")[2]


def _unresolved(suppliers) -> list[tuple]:
    """Return (pk, supplier, rule, period) of the suppliers' unresolved flags of the rules a scan looks back at:
    the recurring ones (held back while open) and those that resolve by themselves (SELF_RESOLVING). One query."""
    return list(
        RedFlag.objects.filter(supplier__in=suppliers, rule__in=(*RECURRING_RULES, *SELF_RESOLVING))
        .exclude(state=RedFlag.State.RESOLVED)
        .order_by()
        .values_list("pk", "supplier_id", "rule", "period")
    )


def _without_open_recurring(candidates: list[Candidate], unresolved) -> list[Candidate]:
    """Drop the recurring candidates whose problem already has an unresolved flag."""
    still_open = {
        (supplier_id, *_problem(rule, period))
        for _pk, supplier_id, rule, period in unresolved
        if rule in RECURRING_RULES
    }
    return [
        candidate
        for candidate in candidates
        if (candidate.supplier_id, *_problem(candidate.rule, candidate.period)) not in still_open
    ]


def flags_evaluate(*, today: date, now: datetime, supplier_ids=None) -> list[RedFlag]:
    """Evaluate every rule for the given suppliers (all active ones when None); return the flags newly raised.

    All candidates go in one INSERT that skips any (supplier, rule, period) already raised — by an earlier run or a
    concurrent one — so a scan that runs twice raises each flag once, in a number of queries that does not grow
    with the suppliers. Only the rows this run inserted are its own; a consistent miss among them is escalated once.
    """
    suppliers = Supplier.objects.filter(stage__in=ACTIVE_STAGES)
    if supplier_ids is not None:
        suppliers = suppliers.filter(pk__in=list(supplier_ids))
    owners = dict(suppliers.values_list("pk", "owner_id"))
    ids = list(owners)
    if not ids:
        return []
    targets = targets_for(ids)
    candidates = (
        _kpi_candidates(ids, suppliers, today, targets)
        + _consistent_miss_candidates(ids, today)
        + _event_candidates(ids, today, now, targets)
    )
    unresolved = _unresolved(suppliers)
    candidates = _without_open_recurring(candidates, unresolved)
    stale = _stale_flags(candidates, unresolved)
    if not candidates and not stale:
        return []
    with transaction.atomic():  # the flags and their escalation notices land together, or not at all
        _resolve_by_themselves(stale, now)
        _raise_lapsed(candidates, unresolved, now)
        if not candidates:
            return []
        raised = _flags_insert(candidates, owners, run=uuid.uuid4(), now=now)
        _escalate(raised)
        flags_notify_factory(raised)
        events_emit(
            [
                Event(
                    EventType.RED_FLAG_RAISED, flag, state=flag.state, extra={"red_flag": flag.event_fields()}
                )
                for flag in raised
            ]
        )
    return raised


def _flag_values(candidate: Candidate, owners, actions: dict[str, str]) -> dict:
    """Return the columns of the flag a candidate raises (the same on every database); `actions` holds each rule's
    recommended action, translated once for the run."""
    return {
        "supplier_id": candidate.supplier_id,
        "rule": candidate.rule,
        "period": candidate.period,
        "severity": candidate.severity,
        "observed": candidate.observed[:100],
        "target": candidate.target[:100],
        "recommended_action": actions[candidate.rule],
        "detail": candidate.detail[:300],
        "url": candidate.url,
        "owner_id": owners[candidate.supplier_id],
        "escalated": candidate.rule == Rule.CONSISTENT_MISS,
        **{f"{source}_id": getattr(candidate, f"{source}_id") for source in RedFlag.SOURCES},
    }


# One statement for any number of flags: the rows go as one JSON array (one parameter to send, not one array per
# column to quote), read back into typed columns. RETURNING gives back only the rows this statement inserted, never
# one a conflict skipped, so it is exactly this run's set even while another scan runs, and whole, so the flags need
# no second read. (The statement starts with INSERT: tests/worker_settings.py pauses a worker right after it.)
_INSERT_FLAGS_SQL = """
INSERT INTO scorecards_redflag (supplier_id, rule, period, severity, observed, target, recommended_action, detail,
                                url, owner_id, escalated, issue_id, discrepancy_id, certification_id,
                                corrective_action_id, state, raised_at, run, note)
SELECT c.*, %(state)s, %(raised_at)s, %(run)s, ''
FROM jsonb_to_recordset(%(rows)s::jsonb) AS c(
    supplier_id bigint, rule varchar, period varchar, severity varchar, observed varchar, target varchar,
    recommended_action varchar, detail varchar, url varchar, owner_id bigint, escalated boolean, issue_id bigint,
    discrepancy_id bigint, certification_id bigint, corrective_action_id bigint)
ON CONFLICT (supplier_id, rule, period) DO NOTHING
RETURNING *
"""


def _flags_insert(candidates, owners, *, run: uuid.UUID, now: datetime) -> list[RedFlag]:
    """Insert the candidates' flags, skipping those already raised; return the ones inserted, with supplier."""
    actions = {rule: str(action) for rule, action in RECOMMENDED_ACTIONS.items()}
    rows = [_flag_values(candidate, owners, actions) for candidate in candidates]
    if connection.vendor == "postgresql":
        params = {"rows": json.dumps(rows), "state": RedFlag.State.OPEN, "raised_at": now, "run": run}
        # Newest first, as a read of the flags would give them (RedFlag.Meta.ordering: one raised_at for all).
        raised = sorted(RedFlag.objects.raw(_INSERT_FLAGS_SQL, params), key=lambda flag: -flag.pk)
        if not raised:
            return []
        # Each supplier read once (a flag holds the same one as its siblings), not once per flag.
        suppliers = Supplier.objects.in_bulk({flag.supplier_id for flag in raised})
        for flag in raised:
            flag.supplier = suppliers[flag.supplier_id]
        return raised
    # SQLite (the embedded default): Django's bulk insert does not say which rows a conflict skipped, so the run's
    # token (indexed) finds the ones this run inserted.
    RedFlag.objects.bulk_create(
        [RedFlag(**row, raised_at=now, run=run) for row in rows], ignore_conflicts=True
    )
    return list(RedFlag.objects.filter(run=run).select_related("supplier"))


ESCALATED_MANY = gettext_lazy("Escalated: %(n)s KPIs missed three weeks running")


def _escalate(raised: list[RedFlag]) -> None:
    """Notify every manager of each escalated flag (one INSERT, one queued email task)."""
    escalated = [flag for flag in raised if flag.escalated]
    if not escalated:
        return
    managers = list(User.objects.filter(role=Role.MANAGER, is_active=True))
    notices = [
        (
            _("Escalated: %(supplier)s — %(kpi)s missed three weeks running")
            % {"supplier": flag.supplier.name, "kpi": flag.target},
            str(flag.recommended_action),
            flag.get_absolute_url(),
        )
        for flag in escalated
    ]
    # One email per manager for the whole scan, listing every escalation, not one email each.
    everything = [(manager, title, body, url) for title, body, url in notices for manager in managers]
    flags_url = reverse("scorecards:flag_list") + "?state=open"
    notify_grouped(everything, summary_title=ESCALATED_MANY, summary_url=flags_url, family=Family.RED_FLAGS)
