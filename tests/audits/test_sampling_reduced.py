"""ISO 2859-1:1999 Table 2-C (reduced inspection, single sampling), cell by cell, for the AQLs it is verified for.

The expectations are not computed by the code under test. RESOLVED_TABLE_2C is the transcription of
GB/T 2828.1-2012 Table 2-C (identical to ISO 2859-1:1999) with the arrows already followed, as given in the
TypeScript SPC tool's ``MASTER_2C_RAW`` (``src/core/aql.ts``; cells "<plan letter> <n> <Ac>", Re = Ac + 1),
columns AQL 1.0 and 2.5. LAYOUT_TABLE_2C is the second, independent transcription, in the standard's layout
with its arrows (``PLAN_GRIDS.reduced`` of the NocoBase quality module ``nocobase-w8-quality.mts``). The two
agree on all 32 cells; audits/sampling.py names the sources.
"""

from decimal import Decimal

import pytest

from audits.sampling import (
    CODE_LETTERS,
    REDUCED_AQLS,
    REDUCED_SAMPLE_SIZES,
    aql_one_step_tighter,
    plan_for_letter,
    reduced_available,
    sampling_plan,
)

REDUCED_SIZE = dict(
    zip(CODE_LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True)
)

# Source 1: per code letter, the resolved plan at AQL 1.0 and at AQL 2.5 ("<plan letter> <n> <Ac>").
RESOLVED_TABLE_2C = {
    "A": ("E 5 0", "C 2 0"),
    "B": ("E 5 0", "C 2 0"),
    "C": ("E 5 0", "C 2 0"),
    "D": ("E 5 0", "C 2 0"),
    "E": ("E 5 0", "G 13 1"),
    "F": ("E 5 0", "G 13 1"),
    "G": ("J 32 1", "G 13 1"),
    "H": ("J 32 1", "H 20 2"),
    "J": ("J 32 1", "J 32 3"),
    "K": ("K 50 2", "K 50 5"),
    "L": ("L 80 3", "L 80 6"),
    "M": ("M 125 5", "M 125 8"),
    "N": ("N 200 6", "N 200 10"),
    "P": ("P 315 8", "N 200 10"),
    "Q": ("Q 500 10", "N 200 10"),
    "R": ("Q 500 10", "N 200 10"),
}

# Source 2: the printed cells of the same two columns ("D" = ↓, "U" = ↑).
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


def test_the_two_transcriptions_agree_cell_by_cell():
    for position, aql in enumerate(("1.0", "2.5")):
        column = LAYOUT_TABLE_2C[aql].split()
        for letter in CODE_LETTERS:
            plan, size, accept = RESOLVED_TABLE_2C[letter][position].split()
            assert _follow(column, letter) == (plan, int(size), int(accept)), (letter, aql)


@pytest.mark.parametrize("letter", CODE_LETTERS)
@pytest.mark.parametrize("position,aql", [(0, "1.0"), (1, "2.5")])
def test_table_2c_cell(letter, position, aql):
    plan, size, accept = RESOLVED_TABLE_2C[letter][position].split()
    assert plan_for_letter(letter, aql, "reduced") == (plan, int(size), int(accept), int(accept) + 1)


def test_reduced_sample_sizes_and_verified_columns():
    assert dict(REDUCED_SAMPLE_SIZES) == REDUCED_SIZE
    assert (Decimal("1.0"), Decimal("2.5")) == REDUCED_AQLS
    assert reduced_available("1.0") and reduced_available(2.5)
    assert not reduced_available("0.65") and not reduced_available("4.0")


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


@pytest.mark.parametrize("aql", ["0.010", "0.65", "1.5", "4.0", "6.5", "10", "1000"])
def test_other_aqls_have_no_reduced_plan(aql):
    with pytest.raises(ValueError, match="No verified reduced plan"):
        plan_for_letter("K", aql, "reduced")


def test_one_step_tighter_is_the_column_left_of_it():
    assert aql_one_step_tighter("1.0") == Decimal("0.65")
    assert aql_one_step_tighter("2.5") == Decimal("1.5")
    assert aql_one_step_tighter("0.015") == Decimal("0.010")
    assert aql_one_step_tighter("0.010") is None
