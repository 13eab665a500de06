"""Forced distribution with firing: Scullen, Bergey & Aiman-Smith (2005).

Scullen, S. E., Bergey, P. K., & Aiman-Smith, L. (2005). Forced distribution rating systems and
the improvement of workforce potential: A baseline simulation. *Personnel Psychology, 58*(1),
1-32. The specification is the one reconstructed in ``domain/literature.md`` 4.2 (from
third-party replications of the paper's Table 1; not checked against the paper itself):

- an organisation is ``groups`` (10) groups of ``group_size`` (10) employees, run for ``years``
  (30); results are averaged over many organisations;
- performance potential ~ N(0, 1) among applicants and fixed for each person (no learning);
- **selection**: each opening draws ``round(1 / selection_ratio)`` applicants (10 at .10, 3 at
  .33) scored ``v potential + sqrt(1 - v^2) e`` and hires the best score (see
  :func:`simulate.classic.common.best_of_applicants`); the initial workforce is hired the same
  way (the R replica's assumption, literature.md section 9);
- **each year**: a Poisson(``turnover`` x headcount) number of employees (at most the
  headcount) leave at random and are replaced at once through selection; mean potential is
  recorded (after voluntary turnover, before firing); then everyone is rated
  ``sqrt(rel) potential + sqrt(1 - rel) e`` (Eq. 3) and the lowest-rated are fired *within each
  group* and replaced through selection;
- **share fired**: ``round(fire_share x headcount)`` people per organisation, spread evenly over
  the groups; what does not divide evenly goes one each to groups chosen at random (with 5 %
  and groups of 10, half the groups, chosen at random, fire one person).

The 80 conditions cross validity (.30 / .50), selection ratio (.10 / .33), turnover (0 to .20 by
.05), share fired (.05 / .10) and reliability (.50 / .70); a no-firing control at the baseline
(fire .10, reliability .70, validity .30, selection ratio .10, turnover .10) is added, the
reference for "no drift without firing".

Each condition uses the same block seeds (common random numbers: the initial workforces of every
condition start from the same draws), blocks of :data:`BLOCK` organisations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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

__all__ = ["MODEL", "ScullenResult", "run", "simulate_condition", "BASELINE"]

#: Organisations per seed block (a fixed part of the model's numbers: changing it changes them).
BLOCK = 25

#: The baseline of the published design (the R replica's defaults).
BASELINE = {"validity": 0.30, "selection_ratio": 0.10, "turnover": 0.10, "fire_share": 0.10, "reliability": 0.70}

FACTORS = (
    Factor("validity", (0.30, 0.50), "unit", "correlation of the selection score with potential"),
    Factor("selection_ratio", (0.10, 0.33), "share", "hires per applicant (1 / applicants per opening)"),
    Factor("turnover", (0.0, 0.05, 0.10, 0.15, 0.20), "unit", "expected share leaving voluntarily each year"),
    Factor("fire_share", (0.05, 0.10), "unit", "share of the workforce fired each year (lowest rated per group)"),
    Factor("reliability", (0.50, 0.70), "unit", "rating reliability (share of rating variance that is potential)"),
    Factor("groups", (10,), "count", "groups per organisation", high=1000, single=True),
    Factor("group_size", (10,), "count", "employees per group", high=1000, single=True),
    Factor("years", (30,), "count", "years simulated", high=500, single=True),
)

GRID_ORDER = ("validity", "selection_ratio", "turnover", "fire_share", "reliability")


def applicants_per_opening(selection_ratio: float) -> int:
    """Applicants drawn per opening: ``round(1 / SR)``, at least 1 (10 at .10, 3 at .33)."""
    return max(1, int(round(1.0 / selection_ratio)))


def fired_per_group(rng_blocks, block: int, n_orgs: int, groups: int, total: int) -> np.ndarray:
    """People fired in each group, shape (organisations, groups): ``total`` per organisation.

    ``total // groups`` in every group and one more in ``total % groups`` groups chosen at random.
    """
    base, extra = divmod(total, groups)
    counts = np.full((n_orgs, groups), base, dtype=np.int64)
    if extra:
        keys = draw_blocks(rng_blocks, block, lambda g, k: g.random((k, groups)))
        chosen = np.argsort(np.argsort(keys, axis=1), axis=1) < extra
        counts += chosen
    return counts


def lowest_rated(ratings: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mask of the ``counts[o, g]`` lowest ratings in each group; ``ratings`` (orgs, groups, size)."""
    order = np.argsort(ratings, axis=2, kind="stable")
    size = ratings.shape[2]
    fired = np.empty(ratings.shape, dtype=bool)
    np.put_along_axis(fired, order, np.arange(size)[None, None, :] < counts[:, :, None], axis=2)
    return fired


def voluntary_leavers(gens, block: int, n_orgs: int, headcount: int, turnover: float) -> np.ndarray:
    """Mask (orgs, headcount): a Poisson(turnover x headcount) number leave each organisation at random."""
    k = np.minimum(draw_blocks(gens, block, lambda g, n: g.poisson(turnover * headcount, n)), headcount)
    keys = draw_blocks(gens, block, lambda g, n: g.random((n, headcount)))
    # The k smallest keys of a row leave: a uniformly random subset of size k.
    kth = np.take_along_axis(np.sort(keys, axis=1), np.maximum(k - 1, 0)[:, None], axis=1)
    return (keys <= kth) & (k > 0)[:, None]


def hire_into(pot: np.ndarray, mask: np.ndarray, gens, block: int, applicants: int, validity: float) -> None:
    """Replace the potential of every ``mask`` slot by a new hire's (in place, block by block)."""
    per_block = mask.reshape(len(gens), -1).sum(axis=1)
    if per_block.sum() == 0:
        return
    pot[mask] = draw_blocks(gens, block, lambda g, k: best_of_applicants(g, k, applicants, validity), per_block)


def simulate_condition(cond: dict, n_orgs: int, seed: int, *, groups: int = 10, group_size: int = 10,
                       years: int = 30, firing: bool = True) -> np.ndarray:
    """Mean potential of each organisation each year, shape (n_orgs, years).

    Vectorised over organisations and employees; the loop is over years only.
    """
    gens, n_sim = block_generators(seed, n_orgs, BLOCK)
    headcount = groups * group_size
    applicants = applicants_per_opening(cond["selection_ratio"])
    v, rel = cond["validity"], cond["reliability"]
    pot = draw_blocks(gens, BLOCK, lambda g, k: best_of_applicants(g, k * headcount, applicants, v).reshape(k, headcount))
    total_fired = int(round(cond["fire_share"] * headcount))
    means = np.empty((n_sim, years))
    for year in range(years):
        if cond["turnover"] > 0:
            hire_into(pot, voluntary_leavers(gens, BLOCK, n_sim, headcount, cond["turnover"]), gens, BLOCK, applicants, v)
        means[:, year] = pot.mean(axis=1)
        if not firing or total_fired == 0:
            continue
        counts = fired_per_group(gens, BLOCK, n_sim, groups, total_fired)
        noise = draw_blocks(gens, BLOCK, lambda g, k: g.standard_normal((k, headcount)))
        ratings = math.sqrt(rel) * pot + math.sqrt(1.0 - rel) * noise
        fired = lowest_rated(ratings.reshape(n_sim, groups, group_size), counts).reshape(n_sim, headcount)
        hire_into(pot, fired, gens, BLOCK, applicants, v)
    return means[:n_orgs]


@dataclass
class ScullenResult:
    """Mean potential by year for each condition (averaged over organisations).

    ``by_organisation`` keeps each condition's (organisations, years) array for checks.
    """

    organisations: int
    seed: int
    conditions: list[dict]
    by_organisation: list[np.ndarray] = field(repr=False, default_factory=list)
    model: str = "scullen2005"

    def to_json(self) -> dict:
        return {"model": self.model, "organisations": self.organisations, "conditions": self.conditions}

    def gain(self, i: int, year: int) -> float:
        """Condition ``i``'s mean potential at ``year`` (1-based) minus year 1 (before any firing)."""
        mp = self.conditions[i]["mean_potential"]
        return mp[year - 1] - mp[0]

    def table(self) -> str:
        rows = []
        for c in self.conditions:
            mp = c["mean_potential"]
            years = len(mp)
            row = {**c, "fired": f"{c['fire_share']:.0%}" if c["firing"] else "none",
                   "y1": mp[0], "y5": mp[min(4, years - 1)], "y10": mp[min(9, years - 1)], "yN": mp[-1],
                   "gain": mp[-1] - mp[0]}
            rows.append(row)
        n_years = len(self.conditions[0]["mean_potential"]) if self.conditions else 0
        cols = [("validity", "selection validity", ".2f"), ("selection_ratio", "selection ratio", ".2f"),
                ("turnover", "yearly turnover", ".2f"), ("fired", "fired each year", ""),
                ("reliability", "rating reliability", ".2f"), ("y1", "potential yr 1", ".3f"),
                ("y5", "yr 5", ".3f"), ("y10", "yr 10", ".3f"), ("yN", f"yr {n_years}", ".3f"),
                ("gain", f"gain yr 1-{n_years}", "+.3f")]
        title = (f"Forced distribution with firing (Scullen, Bergey & Aiman-Smith 2005): mean workforce potential "
                 f"(SD units of the applicant pool), {self.organisations:,} organisations, seed {self.seed}")
        return format_table(rows, cols, title)


def conditions_of(levels: dict) -> list[dict]:
    """The firing conditions (every combination) and the no-firing control at the baseline."""
    conds = [{**c, "firing": True} for c in grid(levels, GRID_ORDER)]
    control = {k: (BASELINE[k] if BASELINE[k] in levels[k] else levels[k][0]) for k in GRID_ORDER}
    return conds + [{**control, "firing": False}]


def run(factors: dict | None = None, size: int = 1000, seed: int = 0) -> ScullenResult:
    """Run every condition for ``size`` organisations; ``factors`` overrides factor levels."""
    levels = check_levels(MODEL, factors or {})
    groups, group_size, years = levels["groups"][0], levels["group_size"][0], levels["years"][0]
    out, arrays = [], []
    for cond in conditions_of(levels):
        per_org = simulate_condition(cond, size, seed, groups=groups, group_size=group_size, years=years,
                                     firing=cond["firing"])
        arrays.append(per_org)
        out.append({**{k: cond[k] for k in GRID_ORDER}, "firing": cond["firing"],
                    "mean_potential": [float(x) for x in per_org.mean(axis=0)]})
    return ScullenResult(size, seed, out, arrays)


MODEL = ClassicModel(
    name="scullen2005",
    label="Forced distribution with firing: workforce potential over 30 years",
    reference="Scullen, Bergey & Aiman-Smith (2005), Personnel Psychology 58(1); literature.md 4.2",
    size_option="organisations",
    default_size=1000,
    factors=FACTORS,
    run=run,
)
