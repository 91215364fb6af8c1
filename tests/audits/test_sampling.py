"""ISO 2859-1 single sampling plans for normal inspection (Table 1 and Table 2-A).

The expected tables below are a second, independent transcription of the standard: Table 1 row by row as
printed, and Table 2-A with every arrow already followed, so that no expectation is computed by the code
under test.
"""

from dataclasses import FrozenInstanceError
from decimal import Decimal
from itertools import pairwise

import pytest

from audits.sampling import (
    AQL_VALUES,
    INSPECTION_LEVELS,
    SamplingPlan,
    code_letter,
    inspection_result,
    plan_for_letter,
    sampling_plan,
)

LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# Table 1, as printed: lot-size range, then the code letter for S-1, S-2, S-3, S-4, I, II, III.
TABLE_1 = (
    (2, 8, "A A A A A A B"),
    (9, 15, "A A A A A B C"),
    (16, 25, "A A B B B C D"),
    (26, 50, "A B B C C D E"),
    (51, 90, "B B C C C E F"),
    (91, 150, "B B C D D F G"),
    (151, 280, "B C D E E G H"),
    (281, 500, "B C D E F H J"),
    (501, 1200, "C C E F G J K"),
    (1201, 3200, "C D E G H K L"),
    (3201, 10000, "C D F G J L M"),
    (10001, 35000, "C D F H K M N"),
    (35001, 150000, "D E G J L N P"),
    (150001, 500000, "D E G J M P Q"),
    (500001, None, "D E H K N Q R"),  # 500 001 and over
)

SAMPLE_SIZE = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}  # fmt: skip

AQL_COLUMNS = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5", "2.5",
    "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650", "1000",
)  # fmt: skip

# Table 2-A with the arrows resolved: for each code letter, one cell per AQL column above (first string
# 0.010 to 2.5, second 4.0 to 1000), written "<letter of the row the arrows lead to><Ac>/<Re>".
RESOLVED_TABLE_2A = {
    "A": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1 C0/1",
        "B0/1 A0/1 C1/2 B1/2 A1/2 A2/3 A3/4 A5/6 A7/8 A10/11 A14/15 A21/22 A30/31",
    ),
    "B": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1 C0/1",
        "B0/1 A0/1 C1/2 B1/2 B2/3 B3/4 B5/6 B7/8 B10/11 B14/15 B21/22 B30/31 B44/45",
    ),
    "C": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1 C0/1",
        "B0/1 D1/2 C1/2 C2/3 C3/4 C5/6 C7/8 C10/11 C14/15 C21/22 C30/31 C44/45 B44/45",
    ),
    "D": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1 C0/1",
        "E1/2 D1/2 D2/3 D3/4 D5/6 D7/8 D10/11 D14/15 D21/22 D30/31 D44/45 C44/45 B44/45",
    ),
    "E": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 D0/1 F1/2",
        "E1/2 E2/3 E3/4 E5/6 E7/8 E10/11 E14/15 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "F": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 E0/1 G1/2 F1/2",
        "F2/3 F3/4 F5/6 F7/8 F10/11 F14/15 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "G": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 F0/1 H1/2 G1/2 G2/3",
        "G3/4 G5/6 G7/8 G10/11 G14/15 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "H": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 G0/1 J1/2 H1/2 H2/3 H3/4",
        "H5/6 H7/8 H10/11 H14/15 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "J": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 H0/1 K1/2 J1/2 J2/3 J3/4 J5/6",
        "J7/8 J10/11 J14/15 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "K": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 J0/1 L1/2 K1/2 K2/3 K3/4 K5/6 K7/8",
        "K10/11 K14/15 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "L": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 K0/1 M1/2 L1/2 L2/3 L3/4 L5/6 L7/8 L10/11",
        "L14/15 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "M": (
        "Q0/1 P0/1 N0/1 M0/1 L0/1 N1/2 M1/2 M2/3 M3/4 M5/6 M7/8 M10/11 M14/15",
        "M21/22 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "N": (
        "Q0/1 P0/1 N0/1 M0/1 P1/2 N1/2 N2/3 N3/4 N5/6 N7/8 N10/11 N14/15 N21/22",
        "M21/22 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "P": (
        "Q0/1 P0/1 N0/1 Q1/2 P1/2 P2/3 P3/4 P5/6 P7/8 P10/11 P14/15 P21/22 N21/22",
        "M21/22 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "Q": (
        "Q0/1 P0/1 R1/2 Q1/2 Q2/3 Q3/4 Q5/6 Q7/8 Q10/11 Q14/15 Q21/22 P21/22 N21/22",
        "M21/22 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
    "R": (
        "Q0/1 P0/1 R1/2 R2/3 R3/4 R5/6 R7/8 R10/11 R14/15 R21/22 Q21/22 P21/22 N21/22",
        "M21/22 L21/22 K21/22 J21/22 H21/22 G21/22 F21/22 E21/22 E30/31 E44/45 D44/45 C44/45 B44/45",
    ),
}

# For each code letter, a lot of that letter (the top of its range) at level II, or at III for R.
LOT_FOR_LETTER = {
    "A": (8, "II"), "B": (15, "II"), "C": (25, "II"), "D": (50, "II"), "E": (90, "II"), "F": (150, "II"),
    "G": (280, "II"), "H": (500, "II"), "J": (1200, "II"), "K": (3200, "II"), "L": (10000, "II"),
    "M": (35000, "II"), "N": (150000, "II"), "P": (500000, "II"), "Q": (1_000_000, "II"),
    "R": (1_000_000, "III"),
}  # fmt: skip


def _table_1_cases() -> list[tuple[int, str, str]]:
    cases = []
    for low, high, letters in TABLE_1:
        ends = (low, high) if high is not None else (low, 10**9)
        for level, letter in zip(LEVELS, letters.split(), strict=True):
            cases.extend((lot_size, level, letter) for lot_size in ends)
    return cases


def _table_2a_cases() -> list[tuple[str, str, tuple[str, int, int, int]]]:
    cases = []
    for letter, halves in RESOLVED_TABLE_2A.items():
        cells = " ".join(halves).split()
        assert len(cells) == len(AQL_COLUMNS), letter
        for aql, cell in zip(AQL_COLUMNS, cells, strict=True):
            plan_letter, acceptance = cell[0], cell[1:]
            accept, reject = (int(number) for number in acceptance.split("/"))
            cases.append((letter, aql, (plan_letter, SAMPLE_SIZE[plan_letter], accept, reject)))
    return cases


TABLE_2A_CASES = _table_2a_cases()


# Table 1 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lot_size", "level", "letter"), _table_1_cases())
def test_code_letter_at_every_range_boundary(lot_size, level, letter):
    assert code_letter(lot_size, level) == letter


def test_every_lot_size_range_is_checked_on_both_ends():
    assert len(_table_1_cases()) == 15 * 2 * 7
    for (_, high, _), (next_low, _, _) in pairwise(TABLE_1):
        assert next_low == high + 1


def test_inspection_levels():
    assert INSPECTION_LEVELS == LEVELS


def test_level_spelling_is_forgiving():
    assert code_letter(1000, " ii ") == "J"
    assert code_letter(1000, "s-4") == "F"


def test_sampling_plan_reports_the_table_1_letter_before_arrows():
    # Lot 1000 at level II is J; at AQL 0.065 the arrows take the plan to L, but the lot stays J.
    plan = sampling_plan(1000, "II", "0.065")
    assert (plan.code_letter, plan.plan_letter) == ("J", "L")


# Table 2-A -------------------------------------------------------------------------------------------


def test_aql_values_are_the_26_columns_of_table_2a():
    assert tuple(AQL_VALUES) == tuple(Decimal(aql) for aql in AQL_COLUMNS)
    assert [str(aql) for aql in AQL_VALUES] == list(AQL_COLUMNS)
    assert all(isinstance(aql, Decimal) for aql in AQL_VALUES)


def test_every_cell_of_table_2a_is_checked():
    assert len(TABLE_2A_CASES) == 16 * 26
    assert len({(letter, aql) for letter, aql, _ in TABLE_2A_CASES}) == 16 * 26


@pytest.mark.parametrize(("letter", "aql", "expected"), TABLE_2A_CASES)
def test_plan_for_letter_matches_table_2a(letter, aql, expected):
    assert plan_for_letter(letter, aql) == expected


@pytest.mark.parametrize(("letter", "aql", "expected"), TABLE_2A_CASES)
def test_sampling_plan_matches_table_2a_for_a_lot_of_each_letter(letter, aql, expected):
    lot_size, level = LOT_FOR_LETTER[letter]
    plan_letter, sample_size, accept, reject = expected
    full_inspection = sample_size >= lot_size
    assert sampling_plan(lot_size, level, Decimal(aql)) == SamplingPlan(
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=lot_size if full_inspection else sample_size,
        accept=accept,
        reject=reject,
        full_inspection=full_inspection,
    )


def test_lot_for_letter_maps_to_its_letter():
    for letter, (lot_size, level) in LOT_FOR_LETTER.items():
        assert code_letter(lot_size, level) == letter


# Arrows, worked out by hand --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "level", "aql", "expected"),
    [
        # J (80) at 0.065 is ↓; K (125) at 0.065 is ↓ too; L (200) has 0/1.
        (1000, "II", "0.065", ("J", "L", 200, 0, 1)),
        # J at 0.10 is ↓; K (125) has 0/1.
        (1000, "II", "0.10", ("J", "K", 125, 0, 1)),
        # J at 0.25 is ↑ (between J's 0/1 at 0.15 and 1/2 at 0.65); H (50) has 0/1.
        (1000, "II", "0.25", ("J", "H", 50, 0, 1)),
        # J at 0.40 is ↓; K (125) has 1/2.
        (1000, "II", "0.40", ("J", "K", 125, 1, 2)),
        # J at 25 is ↑ (J's last plan is 21/22 at 15); H (50) has 21/22.
        (1000, "II", "25", ("J", "H", 50, 21, 22)),
        # L (200) at 10 is ↑; K (125) has 21/22.
        (5000, "II", "10", ("L", "K", 125, 21, 22)),
        # L at 1000 is ↑ all the way up through K..C; B (3) has 44/45.
        (5000, "II", "1000", ("L", "B", 3, 44, 45)),
        # F (20) at 100 is ↑ (30/31 and 44/45 exist only for A..E); E (13) has 21/22.
        (150, "II", "100", ("F", "E", 13, 21, 22)),
        # F at 250 is ↑; E (13) has 44/45.
        (150, "II", "250", ("F", "E", 13, 44, 45)),
        # C (5) at 4.0 is ↑; B (3) has 0/1.
        (20, "II", "4.0", ("C", "B", 3, 0, 1)),
        # C at 6.5 is ↓; D (8) has 1/2.
        (20, "II", "6.5", ("C", "D", 8, 1, 2)),
        # C at 1000 is ↑; B (3) has 44/45.
        (20, "II", "1000", ("C", "B", 3, 44, 45)),
        # Q (1250) at 0.025 is ↓; R (2000) has 1/2.
        (1_000_000, "II", "0.025", ("Q", "R", 2000, 1, 2)),
        # R (2000) at 0.010 is ↑ (the bottom row has no 0/1); Q (1250) has 0/1.
        (1_000_000, "III", "0.010", ("R", "Q", 1250, 0, 1)),
        # R at 0.015 is ↑ and Q at 0.015 is ↑ too; P (800) has 0/1.
        (1_000_000, "III", "0.015", ("R", "P", 800, 0, 1)),
        # R at 0.65 has its own 21/22, no arrow.
        (1_000_000, "III", "0.65", ("R", "R", 2000, 21, 22)),
        # R at 1.0 is ↑; Q (1250) has 21/22.
        (1_000_000, "III", "1.0", ("R", "Q", 1250, 21, 22)),
        # Lot 1000 at S-1 is C (5); C at 0.65 is ↓ through D and E; F (20) has 0/1.
        (1000, "S-1", "0.65", ("C", "F", 20, 0, 1)),
        # Lot 500 at S-4 is E (13); E at 1.5 is ↑; D (8) has 0/1.
        (500, "S-4", "1.5", ("E", "D", 8, 0, 1)),
    ],
)
def test_arrows(lot_size, level, aql, expected):
    plan = sampling_plan(lot_size, level, aql)
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == expected
    assert plan.full_inspection is False


# Whole-lot (100 %) inspection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "level", "aql", "expected"),
    [
        # B (3) at 0.010 is ↓ all the way to Q (1250) with 0/1: more than the 10 units of the lot.
        (10, "II", "0.010", ("B", "Q", 10, 0, 1)),
        # A (2) at 10 is ↓ (top row, no plan above), B at 10 is ↓ too; C (5) has 1/2: more than 2 units.
        (2, "II", "10", ("A", "C", 2, 1, 2)),
        # E (13) at 0.10 is ↓ down to K (125) with 0/1: more than the 90 units of the lot.
        (90, "II", "0.10", ("E", "K", 90, 0, 1)),
        # H (50) at 0.010 is ↓ to Q (1250): more than 500 units.
        (500, "II", "0.010", ("H", "Q", 500, 0, 1)),
        # A (2) at 0.65 at S-1 is ↓ to F (20) with 0/1: more than 8 units.
        (8, "S-1", "0.65", ("A", "F", 8, 0, 1)),
        # A (2) at 2.5 is ↓, B ↓, C (5) has 0/1: a sample of 5 equals a lot of 5, so inspect it all.
        (5, "II", "2.5", ("A", "C", 5, 0, 1)),
        # A (2) has 0/1 at 6.5 and the sample of 2 equals the lot of 2.
        (2, "II", "6.5", ("A", "A", 2, 0, 1)),
    ],
)
def test_whole_lot_is_inspected_when_the_sample_would_not_fit(lot_size, level, aql, expected):
    plan = sampling_plan(lot_size, level, aql)
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == expected
    assert plan.full_inspection is True
    assert plan.sample_size == lot_size


@pytest.mark.parametrize(
    ("lot_size", "full_inspection", "sample_size"),
    [
        (16, True, 16),  # C (5) at 0.65 is ↓ through D and E to F (20) with 0/1: more than 16 units
        (20, True, 20),  # the same plan of 20 for a lot of 20: the sample is the whole lot
        (21, False, 20),  # the same plan of 20 for a lot of 21: sampling again
        (25, False, 20),  # top of the C range
    ],
)
def test_whole_lot_boundary(lot_size, full_inspection, sample_size):
    plan = sampling_plan(lot_size, "II", "0.65")
    assert (plan.code_letter, plan.plan_letter, plan.accept, plan.reject) == ("C", "F", 0, 1)
    assert (plan.full_inspection, plan.sample_size) == (full_inspection, sample_size)


# Well-known worked examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lot_size", "aql", "expected"),
    [
        (1000, "2.5", ("J", 80, 5, 6)),
        (1000, "4.0", ("J", 80, 7, 8)),
        (1000, "1.0", ("J", 80, 2, 3)),
        (1000, "0.65", ("J", 80, 1, 2)),
        (1000, "0.15", ("J", 80, 0, 1)),
        (5000, "1.5", ("L", 200, 7, 8)),
        (5000, "2.5", ("L", 200, 10, 11)),
        (150, "2.5", ("F", 20, 1, 2)),
        (150, "6.5", ("F", 20, 3, 4)),
    ],
)
def test_worked_examples_at_level_ii(lot_size, aql, expected):
    plan = sampling_plan(lot_size, "II", aql)
    assert plan.code_letter == expected[0]
    assert (plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == expected
    assert plan.full_inspection is False


def test_sampling_plan_is_frozen():
    plan = sampling_plan(1000, "II", "2.5")
    with pytest.raises(FrozenInstanceError):
        plan.accept = 99


# AQL forms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("aql", [Decimal("1.0"), Decimal("1"), Decimal("1.00"), "1.0", "1", " 1.0 ", 1.0, 1])
def test_aql_one_in_any_form(aql):
    assert plan_for_letter("J", aql) == ("J", 80, 2, 3)


@pytest.mark.parametrize("aql", [Decimal("0.65"), "0.65", "0.650", 0.65])
def test_aql_0_65_in_any_form(aql):
    assert plan_for_letter("J", aql) == ("J", 80, 1, 2)


@pytest.mark.parametrize("aql", [Decimal("0.010"), Decimal("0.01"), "0.010", "0.01", 0.01])
def test_aql_0_010_in_any_form(aql):
    assert plan_for_letter("Q", aql) == ("Q", 1250, 0, 1)


@pytest.mark.parametrize("aql", [10, 10.0, "10", "10.0", Decimal("1E+1")])
def test_aql_ten_in_any_form(aql):
    assert plan_for_letter("F", aql) == ("F", 20, 5, 6)


# Invalid input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lot_size", [1, 0, -1, -1000, 2.5, 100.0, "100", None, True])
def test_invalid_lot_size(lot_size):
    with pytest.raises(ValueError, match="Lot size"):
        sampling_plan(lot_size, "II", "2.5")
    with pytest.raises(ValueError, match="Lot size"):
        code_letter(lot_size, "II")


@pytest.mark.parametrize("level", ["IV", "", "S-5", "S1", "2", "General II", None, 2])
def test_invalid_level(level):
    with pytest.raises(ValueError, match="inspection level"):
        sampling_plan(1000, level, "2.5")
    with pytest.raises(ValueError, match="inspection level"):
        code_letter(1000, level)


@pytest.mark.parametrize(
    "aql",
    [
        "0.5", "3", "2", "12", "0.001", "2000", "0", 0, -2.5, "-2.5", 2.0, 0.1 + 0.2, "abc", "", "2,5", "2.5%",
        None, True, float("nan"), float("inf"), "NaN", "Infinity", Decimal("NaN"), Decimal("sNaN"), [2.5],
    ],
)  # fmt: skip
def test_invalid_aql(aql):
    with pytest.raises(ValueError, match="AQL"):
        sampling_plan(1000, "II", aql)
    with pytest.raises(ValueError, match="AQL"):
        plan_for_letter("J", aql)


@pytest.mark.parametrize("letter", ["I", "O", "S", "", "a", "AB"])
def test_invalid_code_letter(letter):
    with pytest.raises(ValueError, match="code letter"):
        plan_for_letter(letter, "2.5")


# Accept or reject ------------------------------------------------------------------------------------


def test_inspection_result_at_the_ac_re_boundary():
    plan = sampling_plan(1000, "II", "2.5")  # J, 80, Ac 5, Re 6
    assert inspection_result(plan=plan, defects=0) == "accept"
    assert inspection_result(plan=plan, defects=5) == "accept"
    assert inspection_result(plan=plan, defects=6) == "reject"
    assert inspection_result(plan=plan, defects=80) == "reject"


def test_inspection_result_with_acceptance_number_zero():
    plan = sampling_plan(1000, "II", "0.15")  # J, 80, Ac 0, Re 1
    assert inspection_result(plan=plan, defects=0) == "accept"
    assert inspection_result(plan=plan, defects=1) == "reject"


@pytest.mark.parametrize("defects", [-1, 1.5, "1", None, True])
def test_inspection_result_rejects_invalid_defect_counts(defects):
    plan = sampling_plan(1000, "II", "2.5")
    with pytest.raises(ValueError, match="Defects"):
        inspection_result(plan=plan, defects=defects)


def test_inspection_result_is_keyword_only():
    plan = sampling_plan(1000, "II", "2.5")
    with pytest.raises(TypeError):
        inspection_result(plan, 0)  # type: ignore[misc]
