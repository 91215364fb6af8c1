"""ISO 2859-1 switching rules between normal, tightened and reduced inspection, as a pure function.

Given the results of a supplier's lots in the order they were inspected (for one product and one class of
nonconformity), ``next_severity`` replays the switching rules from the start and says under which severity
the next lot is inspected, and why. ``replay`` gives the same decision after every lot.

The rules (ISO 2859-1 clause 9, worded the same way in MIL-STD-105E 8.3 and 8.4 and ANSI/ASQ Z1.4), all on
*original* inspection, i.e. ignoring resubmitted lots:

* Normal at the start (unless the responsible authority says otherwise: ``start``).
* Normal → tightened when 2 out of 5 or fewer consecutive lots on normal inspection are not accepted.
* Tightened → normal when 5 consecutive lots on tightened inspection are accepted.
* Discontinuation when the cumulative number of lots not accepted in a sequence of consecutive lots on
  tightened inspection reaches 5: acceptance under the standard stops until the supplier has acted to
  improve and the responsible authority agrees the action is likely to work; inspection then resumes on
  tightened (pass the lots since resumption with ``start="tightened"``).
* Reduced → normal when a lot on reduced inspection is not accepted, or production becomes irregular or
  delayed (``LotResult.irregular``).

Sources: the switching procedure text of ANSI/ASQ Z1.4 and ISO 2859-1 quoted at
https://aqlrule.com/manual/switch.html, the ISO 2859-1 switching chart at
https://www.sqconline.com/switching-rules-iso-2859-1, and MIL-STD-105E 8.3.4 and 8.4 as quoted at
text-id.123dok.com (MIL-STD-105E sections 8.3-8.6) and altius-chinaservices.cn (4.7-4.8). They agree on
each rule above. (One commercial page, tradeaiders.com, says discontinuation comes after 10 failed lots on
tightened; every other source says 5, and 5 is used.)

Normal → reduced (ISO 2859-1:1999 clause 9.3.3): a switching score, set to zero when normal inspection
starts and updated after each lot on original normal inspection. A lot whose plan has an acceptance number of
0 or 1 adds 2 when it is accepted; one whose acceptance number is 2 or more adds 3 when it would have been
accepted at the AQL one step tighter; any other lot sets the score back to 0. Reduced inspection may start
once the score reaches 30, production is steady and the responsible authority approves: the last two are
judgements, so the rules never switch to reduced by themselves; the score only makes the switch possible
(quality staff confirm it by hand with a reason). Sources: sqconline.com/switching-rules-iso-2859-1 ("switching
score value is at least 30"), aqlrule.com/manual/switch.html (ISO version: zero at the start, updated after each
lot on original normal inspection), and two implementations citing clause 9.3.3.2 with the same +2 / +3 / reset
rule and threshold (the Python "capstat" switching module; the GB/T 2828.1-2012 SPC tool named in
audits/sampling.py, ``aqlSwitch``). Where a lot has two classes of nonconformity judged under one severity
(major and minor), the caller gives each class's points and the lot earns the smaller (0, a reset, if any
class resets). A lot whose points are not given is scored on the acceptance number 0 or 1 rule (2 when
accepted), which can only reach the threshold later than the standard.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .sampling import NORMAL, REDUCED, SEVERITIES, TIGHTENED

DISCONTINUED = "discontinued"
STARTS = SEVERITIES

# The numbers of the rules, named as the standard states them.
REJECTIONS_TO_TIGHTEN = 2  # 2 ...
TIGHTEN_WINDOW = 5  # ... out of 5 or fewer consecutive lots on normal inspection
ACCEPTANCES_TO_RELAX = 5  # 5 consecutive lots accepted on tightened inspection
REJECTIONS_TO_DISCONTINUE = 5  # 5 lots not accepted in a sequence on tightened inspection
SCORE_TO_REDUCE = 30  # the switching score that allows reduced inspection (with the authority's approval)


@dataclass(frozen=True)
class LotResult:
    """The outcome of one lot on inspection."""

    label: str  # what people call the lot (a lot number, or the inspection's reference)
    accepted: bool
    resubmitted: bool = False  # a lot inspected again after rework: ignored by the switching rules
    irregular: bool = False  # production became irregular or delayed at this lot (ends reduced inspection)
    points: int | None = (
        None  # switching score points on normal inspection (switching_points); None: 2 if accepted
    )


def class_points(*, accept_number: int, accepted_tighter: bool) -> int:
    """Return one class's switching score points for an accepted lot (clause 9.3.3.2): 2 when the plan's Ac is
    0 or 1; when it is 2 or more, 3 if the lot would have been accepted at the AQL one step tighter, else 0."""
    if accept_number <= 1:
        return 2
    return 3 if accepted_tighter else 0


def switching_points(*, accepted: bool, classes: Iterable[int]) -> int:
    """Return a lot's switching score points: 0 (the score starts over) unless it was accepted, else the smallest
    of its classes' points (class_points)."""
    classes = list(classes)
    if not accepted:
        return 0
    return min(classes) if classes else 2


@dataclass(frozen=True)
class SwitchingDecision:
    """The severity for the next lot and the reason, in words, after the lots seen so far."""

    severity: str  # normal, tightened, reduced or discontinued
    reason: str
    rule: str  # start, stay, normal_to_tightened, tightened_to_normal, reduced_to_normal, discontinue
    lots: tuple[str, ...] = ()  # the labels of the lots the rule looked at
    switched: bool = False  # True when the last lot changed the severity
    window: int = 0  # normal → tightened: how many consecutive lots on normal the rejections were counted in
    score: int = 0  # the switching score after this lot (normal inspection only; 0 elsewhere)

    @property
    def reduced_allowed(self) -> bool:
        """True when the switching score allows reduced inspection (quality staff still have to approve it)."""
        return self.severity == NORMAL and self.score >= SCORE_TO_REDUCE


def _lots(labels: Iterable[str]) -> str:
    labels = list(labels)
    return f"lot {labels[0]}" if len(labels) == 1 else f"lots {', '.join(labels)}"


def _coerce(result: LotResult | tuple) -> LotResult:
    if isinstance(result, LotResult):
        lot = result
    elif isinstance(result, tuple) and len(result) == 2:
        lot = LotResult(label=result[0], accepted=result[1])
    else:
        raise ValueError(f"Expected a LotResult or a (label, accepted) pair, not {result!r}")
    if not isinstance(lot.accepted, bool):
        raise ValueError(f"Lot {lot.label!r}: accepted must be True or False, not {lot.accepted!r}")
    return lot


def _start_reason(severity: str) -> str:
    if severity == NORMAL:
        return "Normal inspection at the start."
    if severity == TIGHTENED:
        return "Tightened inspection at the start, as set by the responsible authority."
    return "Reduced inspection at the start, as set by the responsible authority."


def replay(
    results: Iterable[LotResult | tuple], *, start: str = NORMAL, until_switch: bool = False
) -> list[SwitchingDecision]:
    """Return the switching decision after each lot (resubmitted lots included, as "no change").

    until_switch: stop at the first lot that changes the severity (its decision is the last one returned), so a
    caller can record each switch at its own lot and replay the rest from there."""
    if start not in STARTS:
        raise ValueError(f"Unknown start {start!r}; expected one of {', '.join(STARTS)}")
    severity = start
    normal_window: list[LotResult] = []  # the last lots on normal inspection since normal began
    accepted_run: list[LotResult] = []  # consecutive accepted lots on tightened since the last rejection
    tightened_rejections: list[LotResult] = []  # lots not accepted since tightened began
    score = [0]  # the switching score since normal began (a list so _step can update it in place)
    decisions: list[SwitchingDecision] = []
    for raw in results:
        lot = _coerce(raw)
        if severity == DISCONTINUED:
            raise ValueError(
                f"Lot {lot.label!r} comes after inspection was discontinued; once corrective action is "
                "accepted, replay the lots since then with start='tightened'"
            )
        if lot.resubmitted:
            previous = decisions[-1] if decisions else None
            decisions.append(
                SwitchingDecision(
                    severity=severity,
                    reason=f"Lot {lot.label} was resubmitted: the switching rules ignore it. "
                    + (previous.reason if previous else _start_reason(severity)),
                    rule="stay",
                    lots=(lot.label,),
                )
            )
            continue
        decisions.append(_step(severity, lot, normal_window, accepted_run, tightened_rejections, score))
        new_severity = decisions[-1].severity
        if until_switch and new_severity != severity:
            return decisions
        if new_severity != severity:
            normal_window.clear()
            accepted_run.clear()
            tightened_rejections.clear()
            score[0] = 0
        severity = new_severity
    return decisions


def _step(
    severity: str,
    lot: LotResult,
    normal_window: list[LotResult],
    accepted_run: list[LotResult],
    tightened_rejections: list[LotResult],
    score: list[int],
) -> SwitchingDecision:
    """Apply the rules of the current severity to one more lot (the lists carry the state, in place)."""
    if severity == NORMAL:
        points = lot.points if lot.points is not None else (2 if lot.accepted else 0)
        score[0] = score[0] + points if points and lot.accepted else 0
        normal_window.append(lot)
        del normal_window[:-TIGHTEN_WINDOW]
        rejected = [item.label for item in normal_window if not item.accepted]
        if len(rejected) >= REJECTIONS_TO_TIGHTEN:
            return SwitchingDecision(
                severity=TIGHTENED,
                reason=f"{len(rejected)} of the last {len(normal_window)} lots rejected ({_lots(rejected)}): "
                "tightened from now.",
                rule="normal_to_tightened",
                lots=tuple(rejected),
                switched=True,
                window=len(normal_window),
            )
        if rejected:
            reason = (
                f"Normal: 1 of the last {len(normal_window)} lots rejected ({_lots(rejected)}); "
                f"a second rejection within {TIGHTEN_WINDOW} consecutive lots switches to tightened."
            )
        else:
            reason = f"Normal: none of the last {len(normal_window)} lots rejected."
        if score[0] >= SCORE_TO_REDUCE:
            reason += (
                f" Switching score {score[0]}: reduced inspection may start once quality staff approve it "
                "(steady production)."
            )
        return SwitchingDecision(
            severity=NORMAL, reason=reason, rule="stay", lots=tuple(rejected), score=score[0]
        )

    if severity == TIGHTENED:
        if lot.accepted:
            accepted_run.append(lot)
        else:
            accepted_run.clear()
            tightened_rejections.append(lot)
        rejected = [item.label for item in tightened_rejections]
        if len(rejected) >= REJECTIONS_TO_DISCONTINUE:
            return SwitchingDecision(
                severity=DISCONTINUED,
                reason=f"{len(rejected)} lots not accepted while on tightened inspection ({_lots(rejected)}): "
                "inspection discontinued until the supplier's corrective action is accepted; it then "
                "resumes on tightened.",
                rule="discontinue",
                lots=tuple(rejected),
                switched=True,
            )
        if len(accepted_run) >= ACCEPTANCES_TO_RELAX:
            accepted = [item.label for item in accepted_run]
            return SwitchingDecision(
                severity=NORMAL,
                reason=f"{len(accepted)} consecutive lots accepted on tightened inspection ({_lots(accepted)}): "
                "normal from now.",
                rule="tightened_to_normal",
                lots=tuple(accepted),
                switched=True,
            )
        reason = (
            f"Tightened: {len(accepted_run)} of {ACCEPTANCES_TO_RELAX} consecutive accepted lots needed to "
            f"return to normal; {len(rejected)} of {REJECTIONS_TO_DISCONTINUE} lots not accepted before "
            "inspection is discontinued" + (f" ({_lots(rejected)})." if rejected else ".")
        )
        return SwitchingDecision(severity=TIGHTENED, reason=reason, rule="stay", lots=tuple(rejected))

    # Reduced.
    if not lot.accepted:
        return SwitchingDecision(
            severity=NORMAL,
            reason=f"Lot {lot.label} not accepted on reduced inspection: normal from now.",
            rule="reduced_to_normal",
            lots=(lot.label,),
            switched=True,
        )
    if lot.irregular:
        return SwitchingDecision(
            severity=NORMAL,
            reason=f"Production irregular or delayed at lot {lot.label}: normal from now.",
            rule="reduced_to_normal",
            lots=(lot.label,),
            switched=True,
        )
    return SwitchingDecision(
        severity=REDUCED, reason="Reduced: no lot rejected since reduced began.", rule="stay"
    )


def next_severity(results: Iterable[LotResult | tuple], *, start: str = NORMAL) -> SwitchingDecision:
    """Return the severity for the next lot after these lots (oldest first), with the reason."""
    decisions = replay(results, start=start)
    if decisions:
        return decisions[-1]
    if start not in STARTS:
        raise ValueError(f"Unknown start {start!r}; expected one of {', '.join(STARTS)}")
    return SwitchingDecision(severity=start, reason=_start_reason(start), rule="start")
