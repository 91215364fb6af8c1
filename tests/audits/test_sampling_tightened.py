"""ISO 2859-1 Table 2-B (tightened inspection, single sampling), cell by cell, and plan_for by severity.

RESOLVED_TABLE_2B is a second transcription of Table 2-B with every arrow already followed, taken from the
resolved matrices of AQLSchemes (see the sources in audits/sampling.py), so no expectation is computed by
the code under test. MIL_STD_105E_II_B_EXCERPT is a third, independent one for part of the table.
"""

from decimal import Decimal

import pytest

from audits.sampling import (
    SEVERITIES,
    TIGHTENED_CODE_LETTERS,
    SamplingPlan,
    code_letter,
    inspection_result,
    plan_for,
    plan_for_letter,
    sampling_plan,
)

SAMPLE_SIZE = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000, "S": 3150,
}  # fmt: skip

AQL_COLUMNS = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5", "2.5",
    "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650", "1000",
)  # fmt: skip

# Table 2-B with the arrows resolved: for each code letter, one cell per AQL column above (first string
# 0.010 to 2.5, second 4.0 to 1000), written "<letter of the row the arrows lead to><Ac>/<Re>".
RESOLVED_TABLE_2B = {
    "A": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1",
        "C0/1 B0/1 D1/2 C1/2 B1/2 A1/2 A2/3 A3/4 A5/6 A8/9 A12/13 A18/19 A27/28",
    ),
    "B": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1",
        "C0/1 B0/1 D1/2 C1/2 B1/2 B2/3 B3/4 B5/6 B8/9 B12/13 B18/19 B27/28 B41/42",
    ),
    "C": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1",
        "C0/1 E1/2 D1/2 C1/2 C2/3 C3/4 C5/6 C8/9 C12/13 C18/19 C27/28 C41/42 B41/42",
    ),
    "D": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1",
        "F1/2 E1/2 D1/2 D2/3 D3/4 D5/6 D8/9 D12/13 D18/19 D27/28 D41/42 C41/42 B41/42",
    ),
    "E": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 G1/2",
        "F1/2 E1/2 E2/3 E3/4 E5/6 E8/9 E12/13 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "F": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 H1/2 G1/2",
        "F1/2 F2/3 F3/4 F5/6 F8/9 F12/13 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "G": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 J1/2 H1/2 G1/2",
        "G2/3 G3/4 G5/6 G8/9 G12/13 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "H": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 K1/2 J1/2 H1/2 H2/3",
        "H3/4 H5/6 H8/9 H12/13 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "J": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 L1/2 K1/2 J1/2 J2/3 J3/4",
        "J5/6 J8/9 J12/13 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "K": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 M1/2 L1/2 K1/2 K2/3 K3/4 K5/6",
        "K8/9 K12/13 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "L": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 L0/1 N1/2 M1/2 L1/2 L2/3 L3/4 L5/6 L8/9",
        "L12/13 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "M": (
        "R0/1 Q0/1 P0/1 N0/1 M0/1 P1/2 N1/2 M1/2 M2/3 M3/4 M5/6 M8/9 M12/13",
        "M18/19 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "N": (
        "R0/1 Q0/1 P0/1 N0/1 Q1/2 P1/2 N1/2 N2/3 N3/4 N5/6 N8/9 N12/13 N18/19",
        "M18/19 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "P": (
        "R0/1 Q0/1 P0/1 R1/2 Q1/2 P1/2 P2/3 P3/4 P5/6 P8/9 P12/13 P18/19 N18/19",
        "M18/19 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "Q": (
        "R0/1 Q0/1 S1/2 R1/2 Q1/2 Q2/3 Q3/4 Q5/6 Q8/9 Q12/13 Q18/19 P18/19 N18/19",
        "M18/19 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
    "R": (
        "R0/1 Q0/1 S1/2 R1/2 R2/3 R3/4 R5/6 R8/9 R12/13 R18/19 Q18/19 P18/19 N18/19",
        "M18/19 L18/19 K18/19 J18/19 H18/19 G18/19 F18/19 E18/19 E27/28 E41/42 D41/42 C41/42 B41/42",
    ),
}

# MIL-STD-105E Table II-B as excerpted at http://www.nibs.org/FMOC/DPW_AC/AC-TABLE.ASC (its Table 1-B):
# rows A to L, AQL 0.65 to 15, Re where a plan is printed in the row itself and "-" for an arrow.
MIL_STD_105E_II_B_AQLS = ("0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15")
MIL_STD_105E_II_B_EXCERPT = {
    "A": "- - - - - - - -",
    "B": "- - - - - 1 - -",
    "C": "- - - - 1 - - 2",
    "D": "- - - 1 - - 2 3",
    "E": "- - 1 - - 2 3 4",
    "F": "- 1 - - 2 3 4 6",
    "G": "1 - - 2 3 4 6 9",
    "H": "- - 2 3 4 6 9 13",
    "J": "- 2 3 4 6 9 13 19",
    "K": "2 3 4 6 9 13 19 -",
    "L": "3 4 6 9 13 19 - -",
}

LOT_FOR_LETTER = {
    "A": (8, "II"), "B": (15, "II"), "C": (25, "II"), "D": (50, "II"), "E": (90, "II"), "F": (150, "II"),
    "G": (280, "II"), "H": (500, "II"), "J": (1200, "II"), "K": (3200, "II"), "L": (10000, "II"),
    "M": (35000, "II"), "N": (150000, "II"), "P": (500000, "II"), "Q": (1_000_000, "II"),
    "R": (1_000_000, "III"),
}  # fmt: skip


def _table_2b_cases() -> list[tuple[str, str, tuple[str, int, int, int]]]:
    cases = []
    for letter, halves in RESOLVED_TABLE_2B.items():
        cells = " ".join(halves).split()
        assert len(cells) == len(AQL_COLUMNS), letter
        for aql, cell in zip(AQL_COLUMNS, cells, strict=True):
            plan_letter, acceptance = cell[0], cell[1:]
            accept, reject = (int(number) for number in acceptance.split("/"))
            cases.append((letter, aql, (plan_letter, SAMPLE_SIZE[plan_letter], accept, reject)))
    return cases


TABLE_2B_CASES = _table_2b_cases()


def test_every_cell_of_table_2b_is_checked():
    assert len(TABLE_2B_CASES) == 16 * 26
    assert len({(letter, aql) for letter, aql, _ in TABLE_2B_CASES}) == 16 * 26


@pytest.mark.parametrize(("letter", "aql", "expected"), TABLE_2B_CASES)
def test_plan_for_letter_matches_table_2b(letter, aql, expected):
    assert plan_for_letter(letter, aql, "tightened") == expected


@pytest.mark.parametrize(("letter", "aql", "expected"), TABLE_2B_CASES)
def test_plan_for_matches_table_2b_for_a_lot_of_each_letter(letter, aql, expected):
    lot_size, level = LOT_FOR_LETTER[letter]
    plan_letter, sample_size, accept, reject = expected
    full_inspection = sample_size >= lot_size
    assert plan_for(lot_size, level, Decimal(aql), severity="tightened") == SamplingPlan(
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=lot_size if full_inspection else sample_size,
        accept=accept,
        reject=reject,
        full_inspection=full_inspection,
        severity="tightened",
    )


def test_table_2b_agrees_with_the_mil_std_105e_excerpt():
    checked = 0
    for letter, cells in MIL_STD_105E_II_B_EXCERPT.items():
        for aql, cell in zip(MIL_STD_105E_II_B_AQLS, cells.split(), strict=True):
            plan_letter, _, accept, reject = plan_for_letter(letter, aql, "tightened")
            if cell == "-":
                assert plan_letter != letter, (letter, aql)
            else:
                assert (plan_letter, reject) == (letter, int(cell)), (letter, aql)
                assert accept == reject - 1
            checked += 1
    assert checked == 11 * 8


def test_tightened_is_never_looser_than_normal():
    # Each tightened plan allows no more nonconforming items per item sampled than the normal plan.
    for letter, aql, (_, sample_size, accept, _) in TABLE_2B_CASES:
        _, normal_size, normal_accept, _ = plan_for_letter(letter, aql)
        assert accept / sample_size <= normal_accept / normal_size, (letter, aql)


def test_row_s_is_reached_only_by_the_arrows_at_0_025():
    assert TIGHTENED_CODE_LETTERS[-1] == "S"
    reaching_s = {(letter, aql) for letter, aql, expected in TABLE_2B_CASES if expected[0] == "S"}
    assert reaching_s == {("Q", "0.025"), ("R", "0.025")}


# Hand-picked plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "level", "aql", "severity", "expected"),
    [
        # Lot 1000 at level II is J (80): normal 2/3 at AQL 1.0, tightened 1/2.
        (1000, "II", "1.0", "normal", ("J", "J", 80, 2, 3)),
        (1000, "II", "1.0", "tightened", ("J", "J", 80, 1, 2)),
        # J at 2.5: normal 5/6, tightened 3/4; at 4.0: normal 7/8, tightened 5/6.
        (1000, "II", "2.5", "tightened", ("J", "J", 80, 3, 4)),
        (1000, "II", "4.0", "tightened", ("J", "J", 80, 5, 6)),
        # J at 0.65 is 1/2 under normal but ↓ under tightened: K (125) has 1/2.
        (1000, "II", "0.65", "tightened", ("J", "K", 125, 1, 2)),
        # J at 0.25 is 0/1 under tightened (↑ under normal).
        (1000, "II", "0.25", "tightened", ("J", "J", 80, 0, 1)),
        # J at 15 is 18/19 (normal 21/22); at 25 ↑ to H (50) 18/19.
        (1000, "II", "15", "tightened", ("J", "J", 80, 18, 19)),
        (1000, "II", "25", "tightened", ("J", "H", 50, 18, 19)),
        # Lot 1 000 000 at level III is R; at 0.025 tightened the arrow goes down to row S (3150) 1/2.
        (1_000_000, "III", "0.025", "tightened", ("R", "S", 3150, 1, 2)),
        # R at 0.015 is ↑ to Q (1250) 0/1.
        (1_000_000, "III", "0.015", "tightened", ("R", "Q", 1250, 0, 1)),
        # Lot 5000 at II is L (200): tightened 8/9 at 2.5 (normal 10/11).
        (5000, "II", "2.5", "tightened", ("L", "L", 200, 8, 9)),
    ],
)
def test_known_plans(lot_size, level, aql, severity, expected):
    plan = plan_for(lot_size, level, aql, severity=severity)
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == expected
    assert plan.severity == severity
    assert plan.full_inspection is False


def test_whole_lot_under_tightened_inspection():
    # Lot 1000 (J) at 0.010 tightened: ↓ to R (2000) 0/1, more than the lot: inspect all 1000.
    plan = plan_for(1000, "II", "0.010", severity="tightened")
    assert (plan.plan_letter, plan.sample_size, plan.accept, plan.full_inspection) == ("R", 1000, 0, True)


def test_plan_for_defaults_to_normal_and_matches_sampling_plan():
    assert plan_for(1000, "II", "2.5") == sampling_plan(1000, "II", "2.5")
    assert plan_for(1000, "II", "2.5").severity == "normal"
    assert plan_for(1000, "II", "2.5", severity=" Tightened ") == sampling_plan(
        1000, "II", "2.5", "tightened"
    )


def test_inspection_result_under_tightened_plan():
    plan = plan_for(1000, "II", "2.5", severity="tightened")  # J, 80, 3/4
    assert inspection_result(plan=plan, defects=3) == "accept"
    assert inspection_result(plan=plan, defects=4) == "reject"


def test_reduced_is_refused_on_a_disputed_cell_of_table_2c():
    assert SEVERITIES == ("normal", "tightened", "reduced")
    with pytest.raises(ValueError, match="Table 2-C"):
        plan_for(1000, "II", "4.0", severity="reduced")  # code letter J at AQL 4.0
    with pytest.raises(ValueError, match="Table 2-C"):
        plan_for_letter("J", "4.0", "reduced")


@pytest.mark.parametrize("severity", ["strict", "", "normal-ish", None, 1])
def test_invalid_severity(severity):
    with pytest.raises(ValueError, match="severity"):
        plan_for(1000, "II", "1.0", severity=severity)


def test_row_s_is_not_a_lot_letter():
    with pytest.raises(ValueError, match="code letter"):
        plan_for_letter("S", "0.025", "tightened")
    assert code_letter(10**9, "III") == "R"
