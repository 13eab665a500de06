"""Martell, Lane & Emrich (1996) on the Indonesian ladder: pelaksana -> pengawas -> administrator -> JPT.

The mechanism is :mod:`simulate.classic.martell1996`'s (fixed performance ~ N(50, 10), bias
points for men of ``2 x 10 x sqrt(p / (1 - p))``, random departures, openings filled from the top
down by the best-rated of the level below, outside hires at the bottom with sex by a coin flip,
run until no original employee remains). What changes:

- **Four levels** (bottom to top), sized like one kabupaten's structural ladder (``LEVEL_SIZES``):
  2,000 pelaksana (staff in administrative posts), 500 pengawas (the former eselon IV
  section heads), 150 administrator (the former eselon III heads of division or of an UPT)
  and 35 JPT pratama (heads of dinas and badan, the sekda, assistants), roughly 57 : 14 : 4 : 1.
  [Assumption] Rough proportions for a kabupaten of some 4,500 ASN, not a BKN count; the
  fungsional track, which has its own ladder, is left out.
- **Departures** default to 5 % a year (``attrition``) [assumption: exits in the Indonesian
  civil service are mostly retirements, a few percent a year; 15 % is the original's setting,
  ``--set attrition=0.15``].
- [Simplification] Promotion to JPT goes to the best-rated administrators, as the open
  selection (seleksi terbuka, UU 20/2023) would if it ranked on the same biased appraisal; the
  start is half men and half women at every level, to isolate the bias (the real ladder starts
  with fewer women in structural posts).
"""

from __future__ import annotations

from simulate.classic.common import ClassicModel, Factor, check_levels
from simulate.classic.martell1996 import FACTORS as ORIGINAL_FACTORS
from simulate.classic.martell1996 import MartellResult, run_ladder

__all__ = ["MODEL", "run", "LEVEL_SIZES", "LEVEL_NAMES"]

LEVEL_SIZES = (2000, 500, 150, 35)
LEVEL_NAMES = ("pelaksana", "pengawas", "administrator", "JPT")

FACTORS = tuple(
    Factor("attrition", (0.05,), "share", "share of all employees leaving at random each year", single=True)
    if f.name == "attrition" else f
    for f in ORIGINAL_FACTORS
)


def run(factors: dict | None = None, size: int = 100, seed: int = 0) -> MartellResult:
    """Every bias condition for ``size`` simulations on the four-level Indonesian ladder."""
    levels = check_levels(MODEL, factors or {})
    return run_ladder(levels, size, seed, LEVEL_SIZES, LEVEL_NAMES, "martell1996_id",
                      "Martell, Lane & Emrich 1996 on pelaksana -> pengawas -> administrator -> JPT")


MODEL = ClassicModel(
    name="martell1996_id",
    label="Martell 1996 on the pelaksana -> pengawas -> administrator -> JPT ladder",
    reference="Martell, Lane & Emrich (1996); the structural ladder of the ASN law (UU 20/2023)",
    size_option="simulations",
    default_size=100,
    factors=FACTORS,
    run=run,
)
