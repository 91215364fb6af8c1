"""ISO 2859-1:1999 Table 2-C (reduced inspection, single sampling), cell by cell.

The expectations are not computed by the code under test. Three transcriptions of the table:

* SOURCE_1_TABLE_2C: GB/T 2828.1-2012 Table 2-C (identical to ISO 2859-1:1999) with the arrows already followed,
  as given in the TypeScript SPC tool's ``MASTER_2C_RAW`` (``src/core/aql.ts``), all 26 columns.
* EGTOOLS_TABLE_2C: EGTools' ISO 2859-1:1999 table ``kT1_R`` (EGTools/EGToolsPP, ``src/functions/FxEgQC.cpp``,
  commit 697c03f5...), its printed arrows followed, all 26 columns.
* LAYOUT_TABLE_2C: the NocoBase quality module's ``PLAN_GRIDS.reduced`` (``nocobase-w8-quality.mts``), columns 1.0
  and 2.5 in the standard's layout with its arrows.

Sources 1 and 3 agree on every cell but one diagonal cell in each of the 14 columns 0.15 to 65 (source 1: Ac 5,
EGTools: Ac 4). Forgeline uses every cell two transcriptions agree on: the agreed cells of 1 and 3, and M at 1.0 and
K at 2.5, where sources 1 and 2 agree against 3. The other 12 disputed cells give no reduced plan (the lot is
inspected on the normal plan). docs/iso2859-reduced-inspection-sources.md names the sources.
"""

from decimal import Decimal

import pytest

from audits.sampling import (
    AQL_VALUES,
    CODE_LETTERS,
    REDUCED_DISPUTED_CELLS,
    REDUCED_SAMPLE_SIZES,
    ReducedPlanDisputed,
    aql_one_step_tighter,
    lot_plans,
    plan_for_letter,
    reduced_plan_agreed,
    sampling_plan,
)

REDUCED_SIZE = dict(
    zip(CODE_LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True)
)

# Source 1 (GB/T 2828.1-2012, MASTER_2C_RAW): per AQL column, the resolved plan of each code letter A..R in order
# ("<plan letter> <n> <Ac>", Re = Ac + 1).
SOURCE_1_TABLE_2C = {
    "0.010": "Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0",
    "0.015": "P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0",
    "0.025": "N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0",
    "0.040": "M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, R 800 1, R 800 1, R 800 1",
    "0.065": "L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, Q 500 1, Q 500 1, Q 500 1, R 800 2",
    "0.10": "K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, P 315 1, P 315 1, P 315 1, Q 500 2, R 800 3",
    "0.15": "J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, N 200 1, N 200 1, N 200 1, P 315 2, Q 500 3, R 800 5",
    "0.25": "H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, M 125 1, M 125 1, M 125 1, N 200 2, P 315 3, Q 500 5, R 800 6",
    "0.40": "G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, L 80 1, L 80 1, L 80 1, M 125 2, N 200 3, P 315 5, Q 500 6, R 800 8",
    "0.65": "F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, K 50 1, K 50 1, K 50 1, L 80 2, M 125 3, N 200 5, P 315 6, Q 500 8, R 800 10",
    "1.0": "E 5 0, E 5 0, E 5 0, E 5 0, E 5 0, E 5 0, J 32 1, J 32 1, J 32 1, K 50 2, L 80 3, M 125 5, N 200 6, P 315 8, Q 500 10, Q 500 10",
    "1.5": "D 3 0, D 3 0, D 3 0, D 3 0, D 3 0, H 20 1, H 20 1, H 20 1, J 32 2, K 50 3, L 80 5, M 125 6, N 200 8, P 315 10, P 315 10, P 315 10",
    "2.5": "C 2 0, C 2 0, C 2 0, C 2 0, G 13 1, G 13 1, G 13 1, H 20 2, J 32 3, K 50 5, L 80 6, M 125 8, N 200 10, N 200 10, N 200 10, N 200 10",
    "4.0": "B 2 0, B 2 0, B 2 0, F 8 1, F 8 1, F 8 1, G 13 2, H 20 3, J 32 5, K 50 6, L 80 8, M 125 10, M 125 10, M 125 10, M 125 10, M 125 10",
    "6.5": "A 2 0, A 2 0, E 5 1, E 5 1, E 5 1, F 8 2, G 13 3, H 20 5, J 32 6, K 50 8, L 80 10, L 80 10, L 80 10, L 80 10, L 80 10, L 80 10",
    "10": "D 3 1, D 3 1, D 3 1, D 3 1, E 5 2, F 8 3, G 13 5, H 20 6, J 32 8, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10",
    "15": "C 2 1, C 2 1, C 2 1, D 3 2, E 5 3, F 8 5, G 13 6, H 20 8, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10",
    "25": "A 2 1, B 2 1, C 2 2, D 3 3, E 5 5, F 8 6, G 13 8, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10",
    "40": "A 2 2, B 2 2, C 2 3, D 3 5, E 5 6, F 8 8, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10",
    "65": "A 2 3, B 2 3, C 2 5, D 3 6, E 5 8, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10",
    "100": "A 2 5, B 2 5, C 2 6, D 3 8, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10",
    "150": "A 2 7, B 2 7, C 2 8, D 3 10, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14",
    "250": "A 2 10, B 2 10, C 2 10, D 3 14, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21",
    "400": "A 2 14, B 2 14, C 2 14, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21",
    "650": "A 2 21, B 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21",
    "1000": "A 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30",
}

# Source 3 (EGTools/EGToolsPP src/functions/FxEgQC.cpp, kT1_R, commit 697c03f5...): its printed rows with the arrows
# followed, in the same form.
EGTOOLS_TABLE_2C = {
    "0.010": "Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0, Q 500 0",
    "0.015": "P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0, P 315 0",
    "0.025": "N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0, N 200 0",
    "0.040": "M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, M 125 0, R 800 1, R 800 1, R 800 1",
    "0.065": "L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, L 80 0, Q 500 1, Q 500 1, Q 500 1, R 800 2",
    "0.10": "K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, K 50 0, P 315 1, P 315 1, P 315 1, Q 500 2, R 800 3",
    "0.15": "J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, J 32 0, N 200 1, N 200 1, N 200 1, P 315 2, Q 500 3, R 800 4",
    "0.25": "H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, H 20 0, M 125 1, M 125 1, M 125 1, N 200 2, P 315 3, Q 500 4, R 800 6",
    "0.40": "G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, G 13 0, L 80 1, L 80 1, L 80 1, M 125 2, N 200 3, P 315 4, Q 500 6, R 800 8",
    "0.65": "F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, F 8 0, K 50 1, K 50 1, K 50 1, L 80 2, M 125 3, N 200 4, P 315 6, Q 500 8, R 800 10",
    "1.0": "E 5 0, E 5 0, E 5 0, E 5 0, E 5 0, E 5 0, J 32 1, J 32 1, J 32 1, K 50 2, L 80 3, M 125 4, N 200 6, P 315 8, Q 500 10, Q 500 10",
    "1.5": "D 3 0, D 3 0, D 3 0, D 3 0, D 3 0, H 20 1, H 20 1, H 20 1, J 32 2, K 50 3, L 80 4, M 125 6, N 200 8, P 315 10, P 315 10, P 315 10",
    "2.5": "C 2 0, C 2 0, C 2 0, C 2 0, G 13 1, G 13 1, G 13 1, H 20 2, J 32 3, K 50 4, L 80 6, M 125 8, N 200 10, N 200 10, N 200 10, N 200 10",
    "4.0": "B 2 0, B 2 0, B 2 0, F 8 1, F 8 1, F 8 1, G 13 2, H 20 3, J 32 4, K 50 6, L 80 8, M 125 10, M 125 10, M 125 10, M 125 10, M 125 10",
    "6.5": "A 2 0, A 2 0, E 5 1, E 5 1, E 5 1, F 8 2, G 13 3, H 20 4, J 32 6, K 50 8, L 80 10, L 80 10, L 80 10, L 80 10, L 80 10, L 80 10",
    "10": "D 3 1, D 3 1, D 3 1, D 3 1, E 5 2, F 8 3, G 13 4, H 20 6, J 32 8, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10, K 50 10",
    "15": "C 2 1, C 2 1, C 2 1, D 3 2, E 5 3, F 8 4, G 13 6, H 20 8, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10, J 32 10",
    "25": "A 2 1, B 2 1, C 2 2, D 3 3, E 5 4, F 8 6, G 13 8, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10, H 20 10",
    "40": "A 2 2, B 2 2, C 2 3, D 3 4, E 5 6, F 8 8, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10, G 13 10",
    "65": "A 2 3, B 2 3, C 2 4, D 3 6, E 5 8, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10, F 8 10",
    "100": "A 2 5, B 2 5, C 2 6, D 3 8, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10, E 5 10",
    "150": "A 2 7, B 2 7, C 2 8, D 3 10, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14, E 5 14",
    "250": "A 2 10, B 2 10, C 2 10, D 3 14, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21, E 5 21",
    "400": "A 2 14, B 2 14, C 2 14, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21, D 3 21",
    "650": "A 2 21, B 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21, C 2 21",
    "1000": "A 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30, B 2 30",
}

# Source 2: the printed cells of columns 1.0 and 2.5 ("D" = ↓, "U" = ↑).
LAYOUT_TABLE_2C = {
    "1.0": "D D D D 0/1 U D D 1/2 2/3 3/4 5/6 6/7 8/9 10/11 U",
    "2.5": "D D 0/1 U D D 1/2 2/3 3/4 5/6 6/7 8/9 10/11 U U U",
}


def _follow(column: list[str], letter: str) -> tuple[str, int, int]:
    index = CODE_LETTERS.index(letter)
    while column[index] in ("D", "U"):
        index += 1 if column[index] == "D" else -1
    accept, reject = (int(part) for part in column[index].split("/"))
    assert reject == accept + 1  # the 1999 edition has no gap
    return CODE_LETTERS[index], REDUCED_SIZE[CODE_LETTERS[index]], accept


def _cells(source: dict[str, str], aql: str) -> dict[str, tuple[str, int, int, int]]:
    """One column of a resolved transcription: code letter -> (plan letter, n, Ac, Re)."""
    cells = [cell.split() for cell in source[aql].split(", ")]
    assert len(cells) == len(CODE_LETTERS)
    return {
        letter: (plan, int(size), int(accept), int(accept) + 1)
        for letter, (plan, size, accept) in zip(CODE_LETTERS, cells, strict=True)
    }


# The cells where sources 1 and 3 disagree (source 1 Ac 5 Re 6, EGTools Ac 4 Re 5) ...
DIAGONAL = {
    "0.15": "R", "0.25": "Q", "0.40": "P", "0.65": "N", "1.0": "M", "1.5": "L", "2.5": "K", "4.0": "J",
    "6.5": "H", "10": "G", "15": "F", "25": "E", "40": "D", "65": "C",
}  # fmt: skip
# ... of which these two are settled by source 2 (5/6, with source 1); the other 12 are not used.
SETTLED_BY_SOURCE_2 = {("1.0", "M"), ("2.5", "K")}
DISPUTED = {(aql, letter) for aql, letter in DIAGONAL.items()} - SETTLED_BY_SOURCE_2
ALL_CELLS = [(aql, letter) for aql in SOURCE_1_TABLE_2C for letter in CODE_LETTERS]


def test_the_transcriptions_cover_every_column_and_differ_only_on_the_diagonal():
    assert list(SOURCE_1_TABLE_2C) == list(EGTOOLS_TABLE_2C) == [str(aql) for aql in AQL_VALUES]
    differ = {
        (aql, letter)
        for aql, letter in ALL_CELLS
        if _cells(SOURCE_1_TABLE_2C, aql)[letter] != _cells(EGTOOLS_TABLE_2C, aql)[letter]
    }
    assert differ == set(DIAGONAL.items())
    for aql, letter in differ:
        size = REDUCED_SIZE[letter]
        assert _cells(SOURCE_1_TABLE_2C, aql)[letter] == (letter, size, 5, 6)
        assert _cells(EGTOOLS_TABLE_2C, aql)[letter] == (letter, size, 4, 5)


def test_source_2_agrees_with_source_1_on_its_two_columns():
    for aql in ("1.0", "2.5"):
        column = LAYOUT_TABLE_2C[aql].split()
        for letter in CODE_LETTERS:
            assert _follow(column, letter) == _cells(SOURCE_1_TABLE_2C, aql)[letter][:3], (letter, aql)


@pytest.mark.parametrize("aql,letter", [cell for cell in ALL_CELLS if cell not in DISPUTED])
def test_table_2c_agreed_cell(aql, letter):
    expected = _cells(SOURCE_1_TABLE_2C, aql)[letter]
    if (aql, letter) not in SETTLED_BY_SOURCE_2:
        assert _cells(EGTOOLS_TABLE_2C, aql)[letter] == expected  # two sources, 1 and 3
    else:
        assert _follow(LAYOUT_TABLE_2C[aql].split(), letter) == expected[:3]  # two sources, 1 and 2
    assert reduced_plan_agreed(letter, aql)
    assert plan_for_letter(letter, aql, "reduced") == expected


@pytest.mark.parametrize("aql,letter", sorted(DISPUTED))
def test_table_2c_disputed_cell_has_no_reduced_plan(aql, letter):
    assert not reduced_plan_agreed(letter, aql)
    with pytest.raises(ReducedPlanDisputed, match=rf"AQL {aql} \(published transcriptions .* disagree\)"):
        plan_for_letter(letter, aql, "reduced")


def test_the_disputed_cells_are_the_twelve_off_1_0_and_2_5():
    assert {(str(aql), letter) for letter, aql in REDUCED_DISPUTED_CELLS} == DISPUTED
    assert len(REDUCED_DISPUTED_CELLS) == 12


def test_reduced_sample_sizes():
    assert dict(REDUCED_SAMPLE_SIZES) == REDUCED_SIZE


def test_a_lot_on_a_disputed_cell_is_inspected_on_the_normal_plan():
    # Lot 1000 at level II: code letter J; J at AQL 4.0 is disputed, J at 2.5 is not.
    plans = lot_plans(1000, "II", "2.5", "4.0", "reduced")
    assert plans.disputed_aqls == (Decimal("4.0"),)
    assert plans.major == sampling_plan(1000, "II", "2.5") and plans.minor == sampling_plan(1000, "II", "4.0")
    assert (plans.major.severity, plans.major.sample_size, plans.major.accept, plans.minor.accept) == (
        "normal",
        80,
        5,
        7,
    )
    assert plans.fallback_note == (
        "Reduced plan not available for this lot size at AQL 4.0 (published transcriptions of ISO 2859-1 "
        "Table 2-C disagree); the normal plan applies."
    )
    # Lot 500: code letter H, agreed at both AQLs: the reduced plans.
    plans = lot_plans(500, "II", "2.5", "4.0", "reduced")
    assert plans.disputed_aqls == () and plans.fallback_note == ""
    assert (plans.major.severity, plans.major.sample_size, plans.major.accept, plans.minor.accept) == (
        "reduced",
        20,
        2,
        3,
    )
    # Normal and tightened never fall back.
    assert lot_plans(1000, "II", "2.5", "4.0", "normal").disputed_aqls == ()
    assert lot_plans(1000, "II", "2.5", "4.0", "tightened").major.severity == "tightened"


def test_m_at_1_0_and_k_at_2_5_keep_5_6():
    assert plan_for_letter("M", "1.0", "reduced") == ("M", 125, 5, 6)
    assert plan_for_letter("K", "2.5", "reduced") == ("K", 50, 5, 6)
    assert lot_plans(1000, "II", "2.5", "1.0", "reduced").disputed_aqls == ()


def test_the_iso_example_of_the_aql_inspectors_rule():
    # Reduced, AQL 1.0, lot 125 at level III: code letter G, arrows through H to J: n 32, Ac 1, Re 2.
    plan = sampling_plan(125, "III", "1.0", "reduced")
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == (
        "G",
        "J",
        32,
        1,
        2,
    )


def test_a_reduced_sample_as_large_as_the_lot_means_full_inspection():
    plan = sampling_plan(4, "II", "1.0", "reduced")  # code letter A -> E, n 5 >= 4
    assert plan.full_inspection and plan.sample_size == 4 and (plan.accept, plan.reject) == (0, 1)


def test_one_step_tighter_is_the_column_left_of_it():
    assert aql_one_step_tighter("1.0") == Decimal("0.65")
    assert aql_one_step_tighter("2.5") == Decimal("1.5")
    assert aql_one_step_tighter("0.015") == Decimal("0.010")
    assert aql_one_step_tighter("0.010") is None
