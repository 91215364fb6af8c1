"""ISO 2859-1 switching rules (audits/switching.py): worked sequences and every short sequence.

The exhaustive tests compare ``replay`` with a second, deliberately different reading of the rules
(``_reference``: one pass per inspection period, counting within the period) over every sequence of
accepted/rejected lots up to 12 long, from each allowed start.
"""

from itertools import product

import pytest

from audits.switching import LotResult, SwitchingDecision, next_severity, replay

A, R = True, False  # accepted, rejected


def _lots(pattern: str) -> list[LotResult]:
    """'AARA' -> lots 1..4, accepted unless the letter is R."""
    return [LotResult(label=str(number), accepted=mark == "A") for number, mark in enumerate(pattern, 1)]


def _severities(pattern: str, start: str = "normal") -> str:
    """The severity after each lot, as letters: n, t, r, d."""
    return "".join(decision.severity[0] for decision in replay(_lots(pattern), start=start))


def _reference(outcomes: tuple[bool, ...], start: str) -> list[str]:
    """The rules read period by period: returns the severity after each lot, stopping at discontinuation."""
    after: list[str] = []
    severity, period = start, []  # period: outcomes since the current severity began
    for accepted in outcomes:
        period.append(accepted)
        if severity == "normal":
            # 2 not accepted among 5 or fewer consecutive lots of this normal period, the latest included.
            if not accepted and False in period[-5:-1]:
                severity, period = "tightened", []
        elif severity == "tightened":
            if period.count(False) == 5:
                severity = "discontinued"
            elif len(period) >= 5 and all(period[-5:]):
                severity, period = "normal", []
        elif severity == "reduced" and not accepted:
            severity, period = "normal", []
        after.append(severity)
        if severity == "discontinued":
            break
    return after


@pytest.mark.parametrize("start", ["normal", "tightened", "reduced"])
def test_every_sequence_up_to_12_lots_matches_the_reference(start):
    checked = 0
    for length in range(1, 13):
        for outcomes in product((A, R), repeat=length):
            expected = _reference(outcomes, start)
            lots = [LotResult(label=str(i), accepted=ok) for i, ok in enumerate(outcomes[: len(expected)], 1)]
            assert [d.severity for d in replay(lots, start=start)] == expected, outcomes
            checked += 1
    assert checked == 2**13 - 2


def test_no_lots_means_the_start():
    assert next_severity([]) == SwitchingDecision(
        severity="normal", reason="Normal inspection at the start.", rule="start"
    )
    assert next_severity([], start="reduced").severity == "reduced"


# Normal -> tightened ---------------------------------------------------------------------------------


def test_two_rejections_in_five_lots_tighten_with_the_reason():
    decision = next_severity([("A1", A), ("B2", R), ("C3", A), ("D4", A), ("E5", R)])
    assert decision.severity == "tightened"
    assert decision.switched is True
    assert decision.rule == "normal_to_tightened"
    assert decision.lots == ("B2", "E5")
    assert decision.reason == "2 of the last 5 lots rejected (lots B2, E5): tightened from now."


def test_two_rejections_in_a_row_tighten_at_once():
    decision = next_severity([("L1", R), ("L2", R)])
    assert decision.reason == "2 of the last 2 lots rejected (lots L1, L2): tightened from now."
    assert _severities("RR") == "nt"


def test_two_rejections_six_lots_apart_do_not_tighten():
    # The first rejection has left the window of the last 5 lots when the second comes.
    assert _severities("RAAAAR") == "nnnnnn"
    assert _severities("RAAAR") == "nnnnt"
    decision = next_severity(_lots("RAAAAR"))
    assert decision.reason == (
        "Normal: 1 of the last 5 lots rejected (lot 6); a second rejection within 5 consecutive lots "
        "switches to tightened."
    )


def test_normal_with_no_rejection():
    assert next_severity(_lots("AAA")).reason == "Normal: none of the last 3 lots rejected."


def test_an_accepted_lot_never_tightens():
    assert _severities("RAAAA") == "nnnnn"


# Tightened -> normal, discontinuation ---------------------------------------------------------------


def test_five_consecutive_acceptances_on_tightened_return_to_normal():
    assert _severities("RR" + "AAAA") == "nt" + "tttt"
    assert _severities("RR" + "AAAAA") == "nt" + "ttttn"
    decision = next_severity(_lots("RRAAAAA"))
    assert decision.rule == "tightened_to_normal"
    assert (
        decision.reason
        == "5 consecutive lots accepted on tightened inspection (lots 3, 4, 5, 6, 7): normal from now."
    )


def test_a_rejection_on_tightened_restarts_the_count_of_acceptances():
    assert _severities("RR" + "AAAARAAAA") == "nt" + "ttttttttt"
    assert _severities("RR" + "AAAARAAAAA") == "nt" + "tttttttttn"
    decision = next_severity(_lots("RRAAAAR"))
    assert decision.reason == (
        "Tightened: 0 of 5 consecutive accepted lots needed to return to normal; 1 of 5 lots not accepted "
        "before inspection is discontinued (lot 7)."
    )


def test_five_rejections_on_tightened_discontinue_even_when_not_consecutive():
    pattern = "RR" + "RARARARR"
    assert _severities(pattern) == "nt" + "ttttttt" + "d"
    decision = next_severity(_lots(pattern))
    assert decision.rule == "discontinue"
    assert decision.lots == ("3", "5", "7", "9", "10")
    assert decision.reason.startswith(
        "5 lots not accepted while on tightened inspection (lots 3, 5, 7, 9, 10)"
    )


def test_the_two_lots_that_tightened_do_not_count_towards_discontinuation():
    assert _severities("RR" + "RRRR") == "nt" + "tttt"
    assert _severities("RR" + "RRRRR") == "nt" + "ttttd"


def test_rejections_of_an_earlier_tightened_period_do_not_count():
    # Tightened with 4 rejections, back to normal after 5 acceptances, tightened again: the count restarts.
    pattern = "RR" + "RRRR" + "AAAAA" + "RR" + "RRRR"
    assert _severities(pattern)[-1] == "t"
    assert _severities(pattern + "R")[-1] == "d"


def test_lots_after_discontinuation_are_refused():
    with pytest.raises(ValueError, match="discontinued"):
        replay(_lots("RRRRRRRA"))


def test_resuming_after_corrective_action_starts_on_tightened():
    assert _severities("AAAAA", start="tightened") == "ttttn"


# Reduced -> normal ----------------------------------------------------------------------------------


def test_a_rejection_on_reduced_returns_to_normal():
    assert _severities("AAR", start="reduced") == "rrn"
    decision = next_severity(_lots("AAR"), start="reduced")
    assert decision.reason == "Lot 3 not accepted on reduced inspection: normal from now."
    assert decision.rule == "reduced_to_normal"


def test_irregular_production_on_reduced_returns_to_normal():
    lots = [LotResult("L1", True), LotResult("L2", True, irregular=True)]
    decision = next_severity(lots, start="reduced")
    assert decision.severity == "normal"
    assert decision.reason == "Production irregular or delayed at lot L2: normal from now."


def test_after_reduced_the_normal_window_starts_afresh():
    # The rejection that ended reduced inspection does not count towards tightening on normal.
    assert _severities("RR", start="reduced") == "nn"
    assert _severities("RRR", start="reduced") == "nnt"


def test_normal_never_switches_to_reduced():
    # The 1999 switching score is not implemented (see audits/switching.py).
    assert set(_severities("A" * 100)) == {"n"}


# Resubmitted lots, bad input -------------------------------------------------------------------------


def test_resubmitted_lots_are_ignored():
    lots = [LotResult("L1", False), LotResult("L1", False, resubmitted=True), LotResult("L2", True)]
    decisions = replay(lots)
    assert [d.severity for d in decisions] == ["normal", "normal", "normal"]
    assert decisions[1].reason.startswith("Lot L1 was resubmitted: the switching rules ignore it.")


def test_a_long_sequence():
    # 30 good lots, a bad spell that tightens and then discontinues; all on normal while lots are good.
    pattern = "A" * 30 + "RAR" + "AAAAA" + "RAAR" + "RRARRR"
    assert _severities(pattern) == "n" * 30 + "nnt" + "ttttn" + "nnnt" + "tttttd"


@pytest.mark.parametrize("bad", [("L1",), ("L1", "yes"), ("L1", 1), "L1", None])
def test_bad_lots(bad):
    with pytest.raises(ValueError):
        replay([bad])


def test_bad_start():
    with pytest.raises(ValueError, match="start"):
        replay([], start="discontinued")
    with pytest.raises(ValueError, match="start"):
        next_severity([], start="strict")


def test_the_switching_score_adds_2_or_3_and_starts_over():
    from audits.switching import SCORE_TO_REDUCE, LotResult, class_points, replay, switching_points

    assert class_points(accept_number=1, accepted_tighter=False) == 2
    assert class_points(accept_number=2, accepted_tighter=True) == 3
    assert class_points(accept_number=5, accepted_tighter=False) == 0
    assert switching_points(accepted=False, classes=[3, 3]) == 0
    assert switching_points(accepted=True, classes=[2, 3]) == 2
    assert switching_points(accepted=True, classes=[3, 0]) == 0
    lots = [LotResult(label=str(n), accepted=True, points=3) for n in range(9)]
    lots.append(LotResult(label="x", accepted=True, points=0))  # accepted, but not at the tighter AQL
    lots += [LotResult(label=f"y{n}", accepted=True, points=2) for n in range(15)]
    decisions = replay(lots)
    assert [d.score for d in decisions[:9]] == [3 * n for n in range(1, 10)]
    assert decisions[9].score == 0 and decisions[-1].score == SCORE_TO_REDUCE
    assert decisions[-1].reduced_allowed and decisions[-1].severity == "normal"
    assert "Switching score 30" in decisions[-1].reason
    rejected = replay([*lots, LotResult(label="r", accepted=False)])[-1]
    assert rejected.score == 0 and not rejected.reduced_allowed


def test_the_score_is_kept_on_normal_only_and_restarts_at_every_switch():
    from audits.switching import LotResult, replay

    tighten = [LotResult(label="a", accepted=False), LotResult(label="b", accepted=False)]
    relax = [LotResult(label=f"t{n}", accepted=True) for n in range(5)]
    decisions = replay([*tighten, *relax, LotResult(label="n1", accepted=True, points=3)])
    assert [d.severity for d in decisions][-2:] == ["normal", "normal"]
    assert decisions[-1].score == 3 and all(d.score == 0 for d in decisions[:-1])
