"""Scullen, Bergey & Aiman-Smith (2005) with the Indonesian rules: the 2022 curve and the PP 30/2019 path.

The organisation, selection, voluntary turnover and ratings are those of
:mod:`simulate.classic.scullen2005` (10 units of 10, 30 years, the same factor levels). What
changes is what happens to the lowest-rated:

- **The 2022 curve** (PermenPANRB 6/2022, ``data/reference/distribution_curve_2022.csv``): in a
  unit whose organisational predikat is ``org_predikat`` (default ``baik``), the curve sets a
  minimum number of people rated below expectation (Butuh Perbaikan, Kurang or Sangat Kurang),
  taken from :func:`simulate.rules.permenpanrb_2022.curve.curve_limits` for the unit's size: for a
  unit rated Baik, "at least one" Butuh Perbaikan or Kurang, i.e. 1 of 10. [Assumption] Units
  rate exactly that minimum below expectation, and it is the lowest-rated (the curve is met at
  its least severe). ``istimewa`` sets no minimum (nobody is ever dismissed).
- **The PP 30/2019 path** (Art. 56-58; :mod:`simulate.rewards.career`): a person rated below
  expectation starts an improvement path and is dismissed only when rated below expectation in
  ``poor_periods`` consecutive yearly periods (default 2, as issue 14 states it); any period
  rated at or above expectation ends the path. [Simplification] The regulation's sequence for
  annual appraisals is improvement (6 months), then reassignment (12 months), then dismissal,
  i.e. the third poor year (``--set poor_periods=3``); the sources do not make dismissal
  automatic, so this is the strictest reading. ``poor_periods=1`` is Scullen's immediate firing
  of one person per group.
- The dismissed are replaced through the same selection; a new hire (after voluntary turnover
  or dismissal) starts with no poor periods.

Conditions: validity x selection ratio x turnover x reliability x ``poor_periods`` (1 and 2 by
default: the curve with immediate dismissal and with the improvement path), plus a control
with no dismissal at the baseline. Mean potential is recorded each year after voluntary
turnover and before dismissal, as in the original.
"""

from __future__ import annotations

import math

import numpy as np

from simulate.classic.common import (
    ClassicModel,
    Factor,
    best_of_applicants,
    block_generators,
    check_levels,
    draw_blocks,
    format_table,
    grid,
)
from simulate.classic.scullen2005 import (
    BASELINE,
    BLOCK,
    ScullenResult,
    applicants_per_opening,
    hire_into,
    lowest_rated,
    voluntary_leavers,
)
from simulate.predikat import BAIK
from simulate.rules.permenpanrb_2022.curve import curve_limits
from simulate.rules.permenpanrb_2022.organisation import ORG_PREDIKAT

__all__ = ["MODEL", "run", "below_expectation_per_unit", "simulate_condition"]

FACTORS = (
    Factor("validity", (0.30, 0.50), "unit", "correlation of the selection score with potential"),
    Factor("selection_ratio", (0.10, 0.33), "share", "hires per applicant (1 / applicants per opening)"),
    Factor("turnover", (0.0, 0.05, 0.10, 0.15, 0.20), "unit", "expected share leaving voluntarily each year"),
    Factor("reliability", (0.50, 0.70), "unit", "rating reliability (share of rating variance that is potential)"),
    Factor("poor_periods", (1, 2), "count", "consecutive periods below expectation before dismissal", high=30),
    Factor("org_predikat", ("baik",), "choice", "the units' organisational predikat (sets the curve)",
           choices=tuple(ORG_PREDIKAT), single=True),
    Factor("groups", (10,), "count", "units per organisation", high=1000, single=True),
    Factor("group_size", (10,), "count", "employees per unit", high=1000, single=True),
    Factor("years", (30,), "count", "years simulated", high=500, single=True),
)

GRID_ORDER = ("validity", "selection_ratio", "turnover", "reliability", "poor_periods")


def below_expectation_per_unit(group_size: int, org_predikat: str = "baik") -> int:
    """People the 2022 curve requires below expectation in a unit of ``group_size``.

    The sum of the curve's minimums (``at_least`` / ``at_least_one``) on levels below Baik, with
    the suite's rounding rules for small units: 1 for a unit of 10 rated Baik; 6 + 1 = 7 for a
    unit of 10 rated Kurang; 0 for Istimewa.
    """
    org = ORG_PREDIKAT.index(org_predikat)
    total = 0
    for c, limit in curve_limits([group_size], org):
        if c.kind in ("at_least", "at_least_one") and min(c.levels) > BAIK:
            total += int(limit[0])
    return total


def simulate_condition(cond: dict, n_orgs: int, seed: int, *, groups: int = 10, group_size: int = 10,
                       years: int = 30, dismissal: bool = True, below: int = 1) -> np.ndarray:
    """Mean potential of each organisation each year, shape (n_orgs, years)."""
    gens, n_sim = block_generators(seed, n_orgs, BLOCK)
    headcount = groups * group_size
    applicants = applicants_per_opening(cond["selection_ratio"])
    v, rel = cond["validity"], cond["reliability"]
    pot = draw_blocks(gens, BLOCK, lambda g, k: best_of_applicants(g, k * headcount, applicants, v).reshape(k, headcount))
    streak = np.zeros((n_sim, headcount), dtype=np.int64)
    counts = np.full((n_sim, groups), below, dtype=np.int64)
    means = np.empty((n_sim, years))
    for year in range(years):
        if cond["turnover"] > 0:
            left = voluntary_leavers(gens, BLOCK, n_sim, headcount, cond["turnover"])
            hire_into(pot, left, gens, BLOCK, applicants, v)
            streak[left] = 0
        means[:, year] = pot.mean(axis=1)
        if not dismissal or below == 0:
            continue
        noise = draw_blocks(gens, BLOCK, lambda g, k: g.standard_normal((k, headcount)))
        ratings = math.sqrt(rel) * pot + math.sqrt(1.0 - rel) * noise
        poor = lowest_rated(ratings.reshape(n_sim, groups, group_size), counts).reshape(n_sim, headcount)
        streak = np.where(poor, streak + 1, 0)
        out = streak >= cond["poor_periods"]
        hire_into(pot, out, gens, BLOCK, applicants, v)
        streak[out] = 0
    return means[:n_orgs]


def run(factors: dict | None = None, size: int = 1000, seed: int = 0) -> ScullenResult:
    """Every condition for ``size`` organisations (JSON like ``scullen2005``'s, with the path's keys)."""
    levels = check_levels(MODEL, factors or {})
    groups, group_size, years = levels["groups"][0], levels["group_size"][0], levels["years"][0]
    org = levels["org_predikat"][0]
    below = below_expectation_per_unit(group_size, org)
    conds = [{**c, "dismissal": True} for c in grid(levels, GRID_ORDER)]
    base = {**BASELINE, "poor_periods": 2}
    control = {k: (base[k] if base[k] in levels[k] else levels[k][0]) for k in GRID_ORDER}
    conds.append({**control, "dismissal": False})
    out, arrays = [], []
    for cond in conds:
        per_org = simulate_condition(cond, size, seed, groups=groups, group_size=group_size, years=years,
                                     dismissal=cond["dismissal"], below=below)
        arrays.append(per_org)
        out.append({**{k: cond[k] for k in GRID_ORDER}, "org_predikat": org, "below_expectation_per_unit": below,
                    "dismissal": cond["dismissal"], "mean_potential": [float(x) for x in per_org.mean(axis=0)]})
    return IndonesianScullenResult(size, seed, out, arrays, model="scullen2005_id")


class IndonesianScullenResult(ScullenResult):
    """The same table as the original's, with the path's columns."""

    def table(self) -> str:
        rows = []
        for c in self.conditions:
            mp = c["mean_potential"]
            n = len(mp)
            rows.append({**c, "path": (f"after {c['poor_periods']} poor yr" if c["dismissal"] else "none"),
                         "y1": mp[0], "y5": mp[min(4, n - 1)], "y10": mp[min(9, n - 1)], "yN": mp[-1],
                         "gain": mp[-1] - mp[0]})
        n_years = len(self.conditions[0]["mean_potential"]) if self.conditions else 0
        first = self.conditions[0] if self.conditions else {"org_predikat": "baik", "below_expectation_per_unit": 1}
        cols = [("validity", "selection validity", ".2f"), ("selection_ratio", "selection ratio", ".2f"),
                ("turnover", "yearly turnover", ".2f"), ("reliability", "rating reliability", ".2f"),
                ("path", "dismissed", ""), ("y1", "potential yr 1", ".3f"), ("y5", "yr 5", ".3f"),
                ("y10", "yr 10", ".3f"), ("yN", f"yr {n_years}", ".3f"), ("gain", f"gain yr 1-{n_years}", "+.3f")]
        title = (f"The 2022 curve with the PP 30/2019 path (units rated {first['org_predikat']}: "
                 f"{first['below_expectation_per_unit']} per unit below expectation each year): mean workforce "
                 f"potential, {self.organisations:,} organisations, seed {self.seed}")
        return format_table(rows, cols, title)


MODEL = ClassicModel(
    name="scullen2005_id",
    label="Scullen 2005 with the 2022 curve and the PP 30/2019 improvement -> dismissal path",
    reference="Scullen, Bergey & Aiman-Smith (2005); PermenPANRB 6/2022 curve; PP 30/2019 Art. 56-58",
    size_option="organisations",
    default_size=1000,
    factors=FACTORS,
    run=run,
)
