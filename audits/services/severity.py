"""Inspection severity per supplier and SKU: the ISO 2859-1 switching rules (audits.switching) applied after every
recorded lot, and the switches quality staff make by hand (always with a reason).

A stream's state keeps the severity in force and the last inspection before the lots that now count: the rules
replay those lots starting from that severity. A switch (automatic or by hand) moves that mark to the latest
inspection, which is exactly what the rules do themselves (every count starts over at a switch), so a replay after
a switch never reads the lots before it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.inputs import single_line
from core.workflow_events import workflow_emit
from suppliers.models import ProductCategory, Supplier

from ..models import InspectionSeverity, QCInspection, Severity, SeveritySwitch, SwitchRule
from ..sampling import NORMAL, aql_one_step_tighter, plan_for_letter
from ..switching import SCORE_TO_REDUCE, LotResult, class_points, replay, switching_points

# A pre-production sample is not a lot: it is inspected under the severity in force but does not move it.
NOT_A_LOT = (QCInspection.Checkpoint.PRE_PRODUCTION,)
HAND_SEVERITIES = (Severity.NORMAL, Severity.TIGHTENED, Severity.REDUCED, Severity.DISCONTINUED)
_LOT_FIELDS = (
    "pk", "order_id", "lot_number", "result", "shared_with_supplier", "code_letter", "aql_major", "aql_minor",
    "major_accept", "minor_accept", "major_defects", "minor_defects",
)  # fmt: skip
REASON_MAX = 500


def _stream_filter(*, sku: str, category: ProductCategory | int | None) -> dict:
    category_id = getattr(category, "pk", category)
    return {"sku": "" if category_id else sku, "category_id": category_id}


def severity_state_lock(
    *, supplier: Supplier, sku: str, category: ProductCategory | int | None = None
) -> InspectionSeverity:
    """Return the stream's state row locked for this transaction, creating it (normal) on its first lot."""
    keys = _stream_filter(sku=sku, category=category)
    state, _created = InspectionSeverity.objects.get_or_create(supplier=supplier, **keys)
    return InspectionSeverity.objects.select_for_update(of=("self",)).get(pk=state.pk)


def severity_check_open(state: InspectionSeverity) -> None:
    """Refuse a new inspection of a stream whose inspection is discontinued."""
    if state.severity == Severity.DISCONTINUED:
        raise ValidationError(
            _(
                "Inspection of %(product)s from %(supplier)s is discontinued since %(since)s (%(why)s). Quality "
                "staff resume it, on tightened inspection, with a reason once the corrective action is accepted."
            )
            % {
                "product": state.product_label,
                "supplier": state.supplier,
                "since": timezone.localdate(state.since),
                "why": state.explanation,
            }
        )


# A lot whose inspection report was not shared with the factory is counted but never named: the reasons are read in
# the portal, the factory's notices and the API, where the factory must not learn of a report hidden from it.
UNSHARED_LOT = "(unshared)"


def _label(row: dict) -> str:
    if not row["shared_with_supplier"]:
        return UNSHARED_LOT
    return row["lot_number"] or f"#{row['pk']}"


def _switch(state, *, to, rule, lots=(), window=0, reason="", by=None, inspection=None, progress=""):
    """Record a switch on the state (already locked) and in its history; tell the factory."""
    switch = SeveritySwitch.objects.create(
        state=state,
        supplier_id=state.supplier_id,
        from_severity=state.severity,
        to_severity=to,
        rule=rule,
        lots=list(lots),
        window=window,
        reason=reason,
        inspection=inspection,
        by=by,
    )
    state.severity, state.rule, state.lots, state.window = to, rule, list(lots), window
    state.reason, state.progress, state.since = reason, progress, switch.at
    if inspection is not None:
        state.counting_after = inspection
    else:  # a hand switch: the lots so far are behind it
        latest = QCInspection.objects.filter(supplier_id=state.supplier_id, **_stream_lookup(state)).order_by(
            "-pk"
        )
        state.counting_after = latest.first()
    state.save()
    workflow_emit("inspection_severity_switched", switch=switch)
    return switch


def _stream_lookup(state: InspectionSeverity) -> dict:
    return {"sku": state.sku, "product_category_id": state.category_id}


def _accepted_tighter(letter: str, aql, defects: int) -> bool:
    """Would this class have been accepted at the AQL one step tighter (Table 2-A, the same code letter)?"""
    tighter = aql_one_step_tighter(aql)
    return tighter is not None and defects <= plan_for_letter(letter, tighter, NORMAL)[2]


def _points(row: dict) -> int:
    """The lot's switching score points (ISO 2859-1 9.3.3.2), from the plan it was judged by."""
    accepted = row["result"] == QCInspection.Result.ACCEPT
    if not accepted:
        return 0
    classes = [
        class_points(
            accept_number=row[f"{kind}_accept"],
            accepted_tighter=row[f"{kind}_accept"] >= 2
            and _accepted_tighter(row["code_letter"], row[f"aql_{kind}"], row[f"{kind}_defects"]),
        )
        for kind in ("major", "minor")
    ]
    return switching_points(accepted=accepted, classes=classes)


def _stream_lots(state: InspectionSeverity) -> tuple[list[LotResult], list[int]]:
    """Return the stream's lots since the last switch (oldest first) and their inspections' pks.

    Reads only the inspections after the state's mark, plus, to tell a resubmitted lot, the earlier inspections of
    the same lot numbers (one bounded query each, however long the stream's history)."""
    stream = QCInspection.objects.filter(supplier_id=state.supplier_id, **_stream_lookup(state)).exclude(
        checkpoint__in=NOT_A_LOT
    )
    recent = stream
    if state.counting_after_id is not None:
        recent = stream.filter(pk__gt=state.counting_after_id)
    rows = list(recent.order_by("pk").values(*_LOT_FIELDS))
    seen: set[tuple] = set()
    numbers = {row["lot_number"] for row in rows if row["lot_number"]}
    if numbers and state.counting_after_id is not None:
        seen.update(
            stream.filter(pk__lte=state.counting_after_id, lot_number__in=numbers).values_list(
                "order_id", "lot_number"
            )
        )
    lots: list[LotResult] = []
    pks: list[int] = []
    for row in rows:
        key = (row["order_id"], row["lot_number"])
        resubmitted = bool(row["lot_number"]) and key in seen
        seen.add(key)
        lots.append(
            LotResult(
                label=_label(row),
                accepted=row["result"] == QCInspection.Result.ACCEPT,
                resubmitted=resubmitted,
                points=_points(row),
            )
        )
        pks.append(row["pk"])
    return lots, pks


def severity_score(state: InspectionSeverity) -> int:
    """Return the stream's switching score (ISO 2859-1 9.3.3): 0 unless it is on normal inspection."""
    if state.severity != Severity.NORMAL:
        return 0
    lots, _pks = _stream_lots(state)
    decisions = replay(lots, start=state.severity) if lots else []
    return decisions[-1].score if decisions else 0


def severity_apply(
    *, state: InspectionSeverity, inspection: QCInspection | None = None
) -> InspectionSeverity:
    """Replay the switching rules over the stream's lots since the last switch and store the severity they give.

    Call with the state locked (severity_state_lock), in the transaction that recorded the lot. Safe to run twice:
    a switch moves the mark past its lot, so the same lots are never counted again."""
    lots, pks = _stream_lots(state)
    # A long run of lots (the first lot of a stream whose history predates severities) may switch more than once:
    # each switch is recorded at its own lot, and the lots after it are replayed from the new severity.
    while lots and state.severity != Severity.DISCONTINUED:
        decisions = replay(lots, start=state.severity, until_switch=True)
        decision = decisions[-1]
        if decision.severity == state.severity:
            if state.progress != decision.reason[:400]:
                state.progress = decision.reason[:400]
                state.save(update_fields=["progress", "updated_at"])
            break
        turn = len(decisions) - 1
        trigger = inspection if inspection is not None and inspection.pk == pks[turn] else None
        _switch(
            state,
            to=decision.severity,
            rule=decision.rule,
            lots=decision.lots,
            window=decision.window,
            reason=decision.reason,
            inspection=trigger or QCInspection.objects.get(pk=pks[turn]),
        )
        lots, pks = lots[turn + 1 :], pks[turn + 1 :]
    return state


def _reason(reason: str) -> str:
    reason = single_line(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the inspection severity changes; it stays as it is.")})
    return reason[:REASON_MAX]


@transaction.atomic
def severity_switch(
    *,
    supplier: Supplier,
    by: User,
    severity: str,
    reason: str,
    sku: str = "",
    category: ProductCategory | int | None = None,
    rule: str = SwitchRule.HAND,
) -> SeveritySwitch:
    """Switch a stream's severity by hand (quality staff, with a reason); a discontinued one resumes on tightened.

    `rule` says why for the record: HAND, or DEFECT_FLAG when a red flag's playbook tightens (its reason: the
    figures)."""
    _require(by, "inspection.edit")
    reason = _reason(reason)
    if severity not in HAND_SEVERITIES:
        raise ValidationError({"severity": _("Choose normal, tightened, reduced or discontinued.")})
    sku = single_line(sku or "")[:64]
    state = severity_state_lock(supplier=supplier, sku=sku, category=category)
    if state.severity == severity:
        raise ValidationError(
            {
                "severity": _("Inspection of %(product)s is already %(severity)s.")
                % {"product": state.product_label, "severity": Severity(severity).label.lower()}
            }
        )
    if state.severity == Severity.DISCONTINUED and (
        severity != Severity.TIGHTENED or rule != SwitchRule.HAND
    ):
        raise ValidationError(
            {
                "severity": _(
                    "Inspection of %(product)s is discontinued: quality staff resume it, on tightened inspection, "
                    "with a reason once the corrective action is accepted (ISO 2859-1)."
                )
                % {"product": state.product_label}
            }
        )
    if severity == Severity.REDUCED:
        _check_reduced_allowed(state)
    if state.severity == Severity.DISCONTINUED:
        rule = SwitchRule.RESUME
    return _switch(state, to=severity, rule=rule, reason=reason, by=by)


def _check_reduced_allowed(state: InspectionSeverity) -> None:
    """Refuse reduced inspection unless the stream is on normal with a switching score of 30 (ISO 2859-1 9.3.3).
    Quality staff's switch is the authority's approval."""
    if state.severity != Severity.NORMAL:
        raise ValidationError(
            {"severity": _("Reduced inspection starts from normal inspection only (ISO 2859-1).")}
        )
    score = severity_score(state)
    if score < SCORE_TO_REDUCE:
        raise ValidationError(
            {
                "severity": _(
                    "Reduced inspection needs a switching score of %(needed)s on normal inspection (ISO 2859-1); "
                    "%(product)s has %(score)s."
                )
                % {"needed": SCORE_TO_REDUCE, "product": state.product_label, "score": score}
            }
        )
    # No AQL is refused: Table 2-C has an agreed plan in every column. A lot whose code letter and AQL land on one
    # of its disputed cells is inspected on the normal plan while the SKU stays on reduced (sampling.lot_plans).
