"""ISO 2859-1 single sampling plans: normal (Table 2-A), tightened (Table 2-B) and reduced inspection (Table 2-C).

ISO 2859-1 (whose tables are the same as ANSI/ASQ Z1.4 and the former MIL-STD-105E) indexes sampling plans
for inspection by attributes by the acceptance quality limit (AQL). Picking a plan takes two look-ups:

1. Table 1 turns the lot size and the inspection level into a sample size code letter. General levels
   I, II (the usual one) and III; special levels S-1 to S-4 give small samples where large risks are
   acceptable.
2. The master table of the inspection severity gives for the code letter's row and the AQL's column the
   sample size n, the acceptance number Ac and the rejection number Re: accept the lot when the sample
   holds at most Ac nonconforming items (or nonconformities), reject it at Re or more (for single sampling
   under normal, tightened and, since the 1999 edition, reduced inspection Re is always Ac + 1). Table 2-A is for normal inspection, Table
   2-B for tightened inspection (same sample sizes per code letter plus a row S of 3150 that only arrows
   lead to; smaller acceptance numbers: 1, 2, 3, 5, 8, 12, 18, 27, 41 instead of 1, 2, 3, 5, 7, 10, 14, 21,
   30, 44).

Many cells hold an arrow instead of Ac/Re. ↓ means "use the first sampling plan below the arrow" and ↑
"use the first sampling plan above the arrow": go down (or up) the same AQL column to the first cell that
has Ac/Re, and take the sample size of *that* row (``plan_letter``) rather than the sample size of the
lot's own code letter. When the sample size so reached equals or exceeds the lot size, the standard calls
for 100 % inspection: the whole lot is inspected against the same Ac/Re.

The tables are written out below as data, in the standard's own layout (split in two halves to fit the
page); they are not derived from a formula. AQLs of 10 and less may be read as percent nonconforming or as
nonconformities per 100 items, higher AQLs only as nonconformities per 100 items.

Sources for Table 2-B (MIL-STD-105E Table II-B, public domain, US DoD; the same plans as ANSI/ASQ Z1.4
Table II-B and ISO 2859-1 Table 2-B, which took the master tables over unchanged), compared cell by cell:

* AQLSchemes by John Lawson (CRAN; read in the fork github.com/fjgonzalezmgt/AQLSchemesCust,
  R/AAZ14Single.R), which cites the MIL-STD-105E scan at https://archive.org/details/MIL-STD-105E_1. It
  holds every table with the arrows already followed (sample size, Ac and Re per code letter and AQL).
  Its normal-inspection matrices equal our Table 2-A in all 416 cells, which vouches for the transcription;
  the layout of Table 2-B below is read from its tightened matrices (an arrow wherever the plan's sample
  size is not the row's own).
* Planesmuestra (CRAN; github.com/cran/Planesmuestra, data/milstd105eplans.rda, after Montgomery,
  Introduction to Statistical Quality Control, 5th ed.): sample size and Ac per code letter, severity and
  AQL, arrows not kept. Its tightened sample sizes (A 2 ... R 2000, S 3150) and all 136 Ac values of the
  cells where Table 2-B prints a plan agree with AQLSchemes; no cell disagrees.
* The MIL-STD-105E Table II-B excerpt at http://www.nibs.org/FMOC/DPW_AC/AC-TABLE.ASC (Table 1-B there:
  rows A to L, AQL 0.65 to 15, Re or arrow per cell) agrees with both in every one of those 96 cells.

Row S of Table 2-B holds only the plan 1/2 at AQL 0.025 (the end of the ↓ arrows of rows Q and R); no lot
has code letter S, so its other cells are never read and are left blank (·) here rather than guessed.

Table 2-C (reduced inspection, ISO 2859-1:1999): every cell that two independent transcriptions of the 1999 table
give alike, in all 26 AQL columns; nothing is taken from one source only:

* GB/T 2828.1-2012 (an identical adoption of ISO 2859-1:1999) Tables 2-A, 2-B and 2-C, transcribed with the
  arrows already followed in a TypeScript SPC tool (``src/core/aql.ts``, ``MASTER_2C_RAW``; its tests cite the
  standard's PDF by SHA-256 7a336944..., pages 21-23, and two read-only reviews). Its Tables 2-A and 2-B equal
  ours in 831 of 832 cells (the one difference: 2-B row A at AQL 10, which it gives as A 2 0/1 where we follow
  MIL-STD-105E to D 8 1/2), which vouches for it.
* EGTools (github.com/EGTools/EGToolsPP, ``src/functions/FxEgQC.cpp``, table ``kT1_R``, commit 697c03f5...), an
  Excel add-in embedding the ISO 2859-1:1999 tables as token strings, arrows as printed. Its Tables 2-A and 2-B
  (``kT1_N``, ``kT1_T``) equal ours in all 832 cells, which vouches for it.
* A NocoBase quality module (``nocobase-w8-quality.mts``, ``PLAN_GRIDS.reduced``) that prints the 2-C columns
  1.0 and 2.5 in the standard's own layout, with arrows, checked against a scan of GB/T 2828.1-2012 and the
  SQC Online ISO 2859-1 calculator; and the ISO version of the AQL Inspector's Rule (aqlinspectorsrule.com,
  "Example 3") on one cell: reduced, AQL 1.0, code letter G -> arrows through H to J, n = 32, Ac 1, Re 2.

The first two agree on every cell (arrows, sample sizes, Ac) but one per column in the 14 columns 0.15 to 65,
always the diagonal plan of the row whose own cell holds it (R at 0.15, Q at 0.25, P at 0.40, N at 0.65, M at 1.0,
L at 1.5, K at 2.5, J at 4.0, H at 6.5, G at 10, F at 15, E at 25, D at 40, C at 65): GB/T gives Ac 5 Re 6, EGTools
Ac 4 Re 5. M at 1.0 and K at 2.5 keep 5/6, which the NocoBase module also gives (two transcriptions against one).
The other 12 are marked ``?``: no plan is read from them. A lot under reduced inspection whose code letter and AQL
land on one is inspected on the normal plan (Table 2-A) instead, and the SKU stays on reduced (``lot_plans``). No
arrow leads to a disputed cell, so only the lots of that one code letter are affected.

The 1999 edition removed the gap between Ac and Re of the 1989 reduced plans (BS 6001-1:1999 / ISO 2859-1:1999
foreword: "reduced plans have been changed to eliminate the gap between the acceptance and rejection
numbers"), so Re = Ac + 1 here as in Tables 2-A and 2-B; the acceptance numbers 6 and 8 are new in 2-C.
Reduced sample sizes per code letter: A 2, B 2, C 2, D 3, E 5, F 8, G 13, H 20, J 32, K 50, L 80, M 125,
N 200, P 315, Q 500, R 800 (all sources). Not covered: double and multiple sampling.
"""

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Literal

from django.utils.translation import gettext, gettext_noop

INSPECTION_LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

# Sample size code letters in the standard's order (it skips I and O) with their sample sizes (Table 2-A).
CODE_LETTERS = ("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R")
_SIZES = (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000)
SAMPLE_SIZES = MappingProxyType(dict(zip(CODE_LETTERS, _SIZES, strict=True)))
# Table 2-B adds a row S (3150) below R that only the arrows of rows Q and R at AQL 0.025 lead to.
TIGHTENED_CODE_LETTERS = (*CODE_LETTERS, "S")
TIGHTENED_SAMPLE_SIZES = MappingProxyType({**SAMPLE_SIZES, "S": 3150})

# Table 2-C: the reduced sample size of each code letter (two rows smaller; A, B and C all take 2).
REDUCED_SAMPLE_SIZES = MappingProxyType(
    dict(zip(CODE_LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True))
)

NORMAL, TIGHTENED, REDUCED = "normal", "tightened", "reduced"
SEVERITIES = (NORMAL, TIGHTENED, REDUCED)

# The preferred AQLs, in the order of the columns of Table 2-A.
AQL_VALUES: tuple[Decimal, ...] = tuple(
    Decimal(value)
    for value in (
        "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65", "1.0", "1.5",
        "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250", "400", "650", "1000",
    )
)  # fmt: skip

# Table 1: upper end of each lot-size range (2-8, 9-15, ..., 150001-500000; the last range, 500001 and
# over, is open) ...
_LOT_SIZE_UPPER_BOUNDS = (8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10000, 35000, 150000, 500000)
# ... and, per inspection level, the code letter of each of the 15 ranges in that order.
_TABLE_1 = {
    "S-1": "AAAABBBBCCCCDDD",
    "S-2": "AAABBBCCCDDDEEE",
    "S-3": "AABBCCDDEEFFGGH",
    "S-4": "AABCCDEEFGGHJJK",
    "I": "AABCCDEFGHJKLMN",
    "II": "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}

# Table 2-A: code letter, sample size, then one cell per AQL column: "Ac/Re", ↓ or ↑.
_TABLE_2A_LOW_AQLS = """
          0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5
A      2  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B      3  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C      5  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1
D      8  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑
E     13  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓
F     20  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2
G     32  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3
H     50  ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4
J     80  ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6
K    125  ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8
L    200  ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11
M    315  ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15
N    500  ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22
P    800  ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑
Q   1250  0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑
R   2000  ↑     ↑     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑
"""
_TABLE_2A_HIGH_AQLS = """
          4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
A      2  ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31
B      3  0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45
C      5  ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑
D      8  ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑
E     13  1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑     ↑
F     20  2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑
G     32  3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑
H     50  5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J     80  7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K    125  10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L    200  14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M    315  21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N    500  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P    800  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q   1250  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R   2000  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
"""

# Table 2-B (tightened inspection): code letter, sample size, then one cell per AQL column: "Ac/Re", ↓, ↑
# or · (a blank of row S, never read).
_TABLE_2B_LOW_AQLS = """
          0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5
A      2  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B      3  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C      5  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
D      8  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1
E     13  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓
F     20  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓
G     32  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2
H     50  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3
J     80  ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4
K    125  ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6
L    200  ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9
M    315  ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13
N    500  ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19
P    800  ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑
Q   1250  ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑
R   2000  0/1   ↑     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑
S   3150  ·     ·     1/2   ·     ·     ·     ·     ·     ·     ·     ·     ·     ·
"""
_TABLE_2B_HIGH_AQLS = """
          4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
A      2  ↓     ↓     ↓     ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28
B      3  ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42
C      5  0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑
D      8  ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑     ↑
E     13  ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑     ↑     ↑
F     20  1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑
G     32  2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑
H     50  3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J     80  5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K    125  8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L    200  12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M    315  18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N    500  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P    800  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q   1250  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R   2000  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
S   3150  ·     ·     ·     ·     ·     ·     ·     ·     ·     ·     ·     ·     ·
"""

# Table 2-C (reduced inspection, ISO 2859-1:1999): code letter, reduced sample size, then one cell per AQL column:
# "Ac/Re", ↓, ↑, or ? where the published transcriptions disagree (see the module docstring). Every other cell is
# given alike by two independent transcriptions (GB/T 2828.1-2012 and EGTools' ISO 2859-1:1999 table), arrows
# included; M at 1.0 and K at 2.5 are 5/6 by two transcriptions against one (EGTools: 4/5).
_TABLE_2C_LOW_AQLS = """
          0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5
A      2  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
B      2  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓
C      2  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1
D      3  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑
E      5  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓
F      8  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓
G     13  ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2
H     20  ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3
J     32  ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4
K     50  ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6
L     80  ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   ?     6/7
M    125  ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9
N    200  ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11
P    315  ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11 ↑
Q    500  0/1   ↑     ↑     ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11 ↑     ↑
R    800  ↑     ↑     ↑     1/2   2/3   3/4   ?     6/7   8/9   10/11 ↑     ↑     ↑
"""
_TABLE_2C_HIGH_AQLS = """
          4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
A      2  ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31
B      2  0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31
C      2  ↑     ↓     ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11 14/15 21/22 ↑
D      3  ↓     ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11 14/15 21/22 ↑     ↑
E      5  ↓     1/2   2/3   3/4   ?     6/7   8/9   10/11 14/15 21/22 ↑     ↑     ↑
F      8  1/2   2/3   3/4   ?     6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑
G     13  2/3   3/4   ?     6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑
H     20  3/4   ?     6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
J     32  ?     6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
K     50  6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
L     80  8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
M    125  10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
N    200  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
P    315  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
Q    500  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
R    800  ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑
"""

_DOWN: Literal["down"] = "down"
_UP: Literal["up"] = "up"
_BLANK: Literal["blank"] = "blank"
_DISPUTED: Literal["disputed"] = "disputed"
type _Cell = tuple[int, int] | Literal["down", "up", "blank", "disputed"]


@dataclass(frozen=True)
class SamplingPlan:
    """One single sampling plan, as chosen for a lot."""

    code_letter: str  # the lot's code letter from Table 1 (before any arrow moved it)
    plan_letter: str  # the code letter whose sample size is used after following arrows
    sample_size: int  # units to inspect; the whole lot (= lot size) when the plan's sample would not fit
    accept: int  # Ac
    reject: int  # Re
    full_inspection: bool  # True when the plan's sample size equals or exceeds the lot size
    severity: str = NORMAL  # normal (Table 2-A), tightened (Table 2-B) or reduced (Table 2-C)


def _parse_cell(text: str) -> _Cell:
    """Turn one printed cell of a master table into (Ac, Re), "down", "up" or "blank"."""
    if text == "↓":
        return _DOWN
    if text == "↑":
        return _UP
    if text == "·":
        return _BLANK
    if text == "?":
        return _DISPUTED
    accept, reject = text.split("/")
    return int(accept), int(reject)


def _parse_master_table(
    name: str, sizes: MappingProxyType, *blocks: str, columns: tuple[Decimal, ...] = AQL_VALUES
) -> dict[Decimal, dict[str, _Cell]]:
    """Read the printed halves of a master table into one dict per AQL column of code letter -> cell."""
    table: dict[Decimal, dict[str, _Cell]] = {}
    for block in blocks:
        header, *rows = block.strip().splitlines()
        aqls = [Decimal(value) for value in header.split()]
        for row in rows:
            letter, size, *cells = row.split()
            if sizes.get(letter) != int(size) or len(cells) != len(aqls):
                raise RuntimeError(f"{name} row {letter} is malformed: {row!r}")
            for aql, cell in zip(aqls, cells, strict=True):
                table.setdefault(aql, {})[letter] = _parse_cell(cell)
    if tuple(table) != columns or any(tuple(column) != tuple(sizes) for column in table.values()):
        raise RuntimeError(f"{name} must have one column per AQL it covers and one row per code letter")
    return table


def _parse_table_2a(*blocks: str) -> dict[Decimal, dict[str, _Cell]]:
    """Read the printed halves of Table 2-A into one dict per AQL column of code letter -> cell."""
    return _parse_master_table("Table 2-A", SAMPLE_SIZES, *blocks)


_TABLE_2A = _parse_table_2a(_TABLE_2A_LOW_AQLS, _TABLE_2A_HIGH_AQLS)
_TABLE_2B = _parse_master_table("Table 2-B", TIGHTENED_SAMPLE_SIZES, _TABLE_2B_LOW_AQLS, _TABLE_2B_HIGH_AQLS)
_TABLE_2C = _parse_master_table("Table 2-C", REDUCED_SAMPLE_SIZES, _TABLE_2C_LOW_AQLS, _TABLE_2C_HIGH_AQLS)
_MASTER_TABLES = {
    NORMAL: (_TABLE_2A, SAMPLE_SIZES),
    TIGHTENED: (_TABLE_2B, TIGHTENED_SAMPLE_SIZES),
    REDUCED: (_TABLE_2C, REDUCED_SAMPLE_SIZES),
}


class ReducedPlanDisputed(ValueError):
    """Table 2-C has no agreed plan for this code letter and AQL (the transcriptions disagree): the lot is inspected
    on the normal plan instead (``lot_plans``)."""


def reduced_plan_agreed(letter: str, aql: Decimal | str | float) -> bool:
    """Return True when Table 2-C's cell for this code letter and AQL is one two independent transcriptions agree on
    (the one rule for "a reduced plan can be used here"); False on the 12 disputed cells."""
    if letter not in CODE_LETTERS:
        raise ValueError(f"Unknown code letter {letter!r}; expected one of {''.join(CODE_LETTERS)}")
    return _TABLE_2C[_normalise_aql(aql)][letter] != _DISPUTED


# The (code letter, AQL) cells of Table 2-C where no reduced plan is used, in column order.
REDUCED_DISPUTED_CELLS: tuple[tuple[str, Decimal], ...] = tuple(
    (letter, aql) for aql, column in _TABLE_2C.items() for letter, cell in column.items() if cell == _DISPUTED
)


# Shown on the inspection form and page, in the portal's inspection reports and the API (a factory reads it too).
REDUCED_FALLBACK = gettext_noop(
    "Reduced plan not available for this lot size at AQL %(aqls)s (published transcriptions of ISO 2859-1 Table "
    "2-C disagree); the normal plan applies."
)


def reduced_fallback_note(aqls) -> str:
    """Return the plain-words reason a lot on reduced inspection is inspected on the normal plan (translated)."""
    return gettext(REDUCED_FALLBACK) % {"aqls": " / ".join(str(aql) for aql in aqls)}


def aql_one_step_tighter(aql: Decimal | str | float) -> Decimal | None:
    """Return the preferred AQL one step tighter (the column left of it in Table 2-A), None for 0.010."""
    index = AQL_VALUES.index(_normalise_aql(aql))
    return AQL_VALUES[index - 1] if index else None


def _normalise_severity(severity: str) -> str:
    """Return the severity in its spelling here, or raise ValueError."""
    normalised = severity.strip().lower() if isinstance(severity, str) else severity
    if normalised not in SEVERITIES:
        raise ValueError(f"Unknown inspection severity {severity!r}; expected one of {', '.join(SEVERITIES)}")
    return normalised


def _check_lot_size(lot_size: int) -> int:
    """Return the lot size, or raise ValueError unless it is an integer of at least 2."""
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise ValueError(f"Lot size must be an integer, not {lot_size!r}")
    if lot_size < 2:
        raise ValueError(f"Lot size must be at least 2 (ISO 2859-1 Table 1 starts at 2), not {lot_size}")
    return lot_size


def _normalise_level(level: str) -> str:
    """Return the inspection level in its standard spelling, or raise ValueError."""
    normalised = level.strip().upper() if isinstance(level, str) else level
    if normalised not in INSPECTION_LEVELS:
        raise ValueError(
            f"Unknown inspection level {level!r}; expected one of {', '.join(INSPECTION_LEVELS)}"
        )
    return normalised


def _normalise_aql(aql: Decimal | str | float) -> Decimal:
    """Return the AQL as the standard's Decimal value, or raise ValueError if it is not a preferred AQL."""
    if isinstance(aql, Decimal):
        value = aql
    elif isinstance(aql, bool):
        value = None
    elif isinstance(aql, int):
        value = Decimal(aql)
    elif isinstance(aql, float):
        # repr() is the shortest decimal that round-trips: 0.65 -> "0.65", not 0.65000000000000002220...
        value = Decimal(repr(aql))
    elif isinstance(aql, str):
        try:
            value = Decimal(aql.strip())
        except InvalidOperation:
            value = None
    else:
        value = None
    if value is None or not value.is_finite() or value not in _TABLE_2A:
        preferred = ", ".join(str(v) for v in AQL_VALUES)
        raise ValueError(f"AQL {aql!r} is not one of the preferred AQLs of ISO 2859-1: {preferred}")
    return AQL_VALUES[AQL_VALUES.index(value)]


def code_letter(lot_size: int, level: str) -> str:
    """Return the sample size code letter of Table 1 for a lot size and inspection level."""
    lot_size = _check_lot_size(lot_size)
    level = _normalise_level(level)
    return _TABLE_1[level][bisect_left(_LOT_SIZE_UPPER_BOUNDS, lot_size)]


def plan_for_letter(
    letter: str, aql: Decimal | str | float, severity: str = NORMAL
) -> tuple[str, int, int, int]:
    """Return (plan letter, sample size, Ac, Re) from Table 2-A, 2-B or 2-C for a code letter, following arrows.

    A reduced plan is refused (ReducedPlanDisputed, a ValueError) on a disputed cell of Table 2-C."""
    severity = _normalise_severity(severity)
    table, sizes = _MASTER_TABLES[severity]
    if letter not in CODE_LETTERS:
        raise ValueError(f"Unknown code letter {letter!r}; expected one of {''.join(CODE_LETTERS)}")
    if severity == REDUCED and not reduced_plan_agreed(letter, aql):
        raise ReducedPlanDisputed(reduced_fallback_note([_normalise_aql(aql)]))
    letters = tuple(sizes)
    column = table[_normalise_aql(aql)]
    index = letters.index(letter)
    cell = column[letter]
    if cell in (_DOWN, _UP):
        # "Use the first sampling plan below (above) the arrow": keep going the arrow's way to the first
        # cell that has Ac/Re, skipping any further arrows in between.
        step = 1 if cell == _DOWN else -1
        while cell in (_DOWN, _UP, _BLANK):
            index += step
            if not 0 <= index < len(letters):
                raise RuntimeError(f"Arrow from {letter} at AQL {aql} ({severity}) leads off the table")
            cell = column[letters[index]]
    if not isinstance(cell, tuple):
        raise RuntimeError(f"No plan for {letter} at AQL {aql} ({severity})")
    plan_letter = letters[index]
    accept, reject = cell
    return plan_letter, sizes[plan_letter], accept, reject


def sampling_plan(
    lot_size: int, level: str, aql: Decimal | str | float, severity: str = NORMAL
) -> SamplingPlan:
    """Return the ISO 2859-1 single sampling plan for a lot, under normal inspection unless told otherwise."""
    severity = _normalise_severity(severity)
    letter = code_letter(lot_size, level)
    plan_letter, sample_size, accept, reject = plan_for_letter(letter, aql, severity)
    full_inspection = sample_size >= lot_size
    return SamplingPlan(
        code_letter=letter,
        plan_letter=plan_letter,
        sample_size=lot_size if full_inspection else sample_size,
        accept=accept,
        reject=reject,
        full_inspection=full_inspection,
        severity=severity,
    )


def plan_for(lot_size: int, level: str, aql: Decimal | str | float, severity: str = NORMAL) -> SamplingPlan:
    """Return the single sampling plan for a lot at an inspection severity (normal, tightened or reduced).

    The same look-up as ``sampling_plan``; "reduced" raises ReducedPlanDisputed on a disputed cell of Table 2-C
    (``lot_plans`` falls back to the normal plan there).
    """
    return sampling_plan(lot_size, level, aql, severity)


@dataclass(frozen=True)
class LotPlans:
    """The plans a lot is inspected on: one per class of nonconformity (major, minor)."""

    major: SamplingPlan
    minor: SamplingPlan
    # The AQLs whose reduced cell is disputed for the lot's code letter: when any, both plans are normal (Table 2-A)
    # although the SKU is on reduced inspection.
    disputed_aqls: tuple[Decimal, ...] = ()

    @property
    def fallback_note(self) -> str:
        """Why a lot on reduced inspection is on the normal plan, in plain words ("" when it is not)."""
        return reduced_fallback_note(self.disputed_aqls) if self.disputed_aqls else ""


def reduced_disputed_aqls(letter: str, *aqls: Decimal | str | float) -> tuple[Decimal, ...]:
    """Return those of the AQLs (normalised, without repeats) whose Table 2-C cell for the code letter is disputed."""
    return tuple(dict.fromkeys(_normalise_aql(aql) for aql in aqls if not reduced_plan_agreed(letter, aql)))


def lot_plans(
    lot_size: int,
    level: str,
    aql_major: Decimal | str | float,
    aql_minor: Decimal | str | float,
    severity: str,
) -> LotPlans:
    """Return the major and minor plans of a lot at the severity in force.

    Under reduced inspection, when the lot's code letter and either AQL land on a disputed cell of Table 2-C, the
    whole lot is inspected on the normal plan (Table 2-A) and ``disputed_aqls`` says which AQLs caused it."""
    severity = _normalise_severity(severity)
    disputed: tuple[Decimal, ...] = ()
    if severity == REDUCED:
        disputed = reduced_disputed_aqls(code_letter(lot_size, level), aql_major, aql_minor)
        if disputed:
            severity = NORMAL
    return LotPlans(
        major=sampling_plan(lot_size, level, aql_major, severity),
        minor=sampling_plan(lot_size, level, aql_minor, severity),
        disputed_aqls=disputed,
    )


def inspection_result(*, plan: SamplingPlan, defects: int) -> str:
    """Return "accept" when the defects found are at most Ac, else "reject"."""
    if isinstance(defects, bool) or not isinstance(defects, int) or defects < 0:
        raise ValueError(f"Defects must be a non-negative integer, not {defects!r}")
    return "accept" if defects <= plan.accept else "reject"
