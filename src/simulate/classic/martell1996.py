"""Small bias, big gap: Martell, Lane & Emrich (1996).

Martell, R. F., Lane, D. M., & Emrich, C. (1996). Male-female differences: A computer
simulation. *American Psychologist, 51*(2), 157-158. The specification (issue 14):

- an organisation of 8 levels holding 500 / 350 / 200 / 150 / 100 / 75 / 40 / 10 people,
  bottom to top (``level_sizes``), half men and half women at the start at every level (a level
  of odd size gets its extra person's sex by a coin flip);
- every person's performance score ~ N(50, 10), fixed for the person; the rating used for
  promotion adds ``bias`` points for men, where a bias explaining a share ``p`` of the rating
  variance is ``2 x 10 x sqrt(p / (1 - p))`` (for a group indicator held by half the workforce,
  the variance of the bias term is bias^2 / 4, so p = (bias^2 / 4) / (100 + bias^2 / 4));
- each cycle ``attrition`` (15 %) of all employees, chosen at random, leave (a fixed number,
  ``round(attrition x headcount)``: 214 of 1,425); the openings are
  filled from the top level down, each by the best-rated people of the level below (whose
  places then open in turn); openings at level 1 are hired from outside, sex by a coin flip and
  performance ~ N(50, 10) (should a level below ever have fewer people left than the openings
  above it, which needs far more than 15 % attrition, the rest are hired from outside too);
- the run ends when no original employee remains (each simulation stops at its own cycle); the
  output is the share of men at each level then, averaged over simulations;
- conditions: p = 0, .01, .05 (``bias_variance_share``).

Every simulation has its own seed (spawned from the root in a fixed order) and every condition
reuses those seeds, so the conditions start from the same organisations. Vectorised over
simulations and employees; the loops are over cycles and over the levels of the ladder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from simulate.classic.common import ClassicModel, Factor, block_generators, check_levels, draw_blocks, format_table
from simulate.errors import UserError

__all__ = ["MODEL", "MartellResult", "run", "bias_points", "simulate_condition"]

LEVEL_SIZES = (500, 350, 200, 150, 100, 75, 40, 10)

FACTORS = (
    Factor("bias_variance_share", (0.0, 0.01, 0.05), "unit", "share of rating variance explained by the bias for men"),
    Factor("attrition", (0.15,), "share", "share of all employees leaving at random each cycle", single=True),
    Factor("mean", (50.0,), "positive", "mean performance score (points)", single=True),
    Factor("sd", (10.0,), "positive", "SD of performance scores (points)", single=True),
    Factor("max_cycles", (1000,), "count", "safety stop: cycles at most", high=100000, single=True),
)


def bias_points(p: float, sd: float = 10.0) -> float:
    """Points added to men's ratings for a bias explaining a share ``p`` of rating variance.

    ``2 sd sqrt(p / (1 - p))`` (issue 14; half the workforce men): 0 at p = 0, 2.01 at .01,
    4.59 at .05 with sd = 10.
    """
    if not 0 <= p < 1:
        raise UserError(f"bias_variance_share: must be from 0 to below 1, got {p}")
    return 2.0 * sd * math.sqrt(p / (1.0 - p))


@dataclass
class Ladder:
    """The organisation, one array per level, shape (simulations, level size)."""

    score: list[np.ndarray]   # performance + bias (what promotion ranks on)
    male: list[np.ndarray]
    original: list[np.ndarray]


def _initial(gens, sizes: Sequence[int], mean: float, sd: float, bias: float) -> Ladder:
    score, male, original = [], [], []
    n_sim = len(gens)
    for n in sizes:  # levels, not employees
        perf = draw_blocks(gens, 1, lambda g, k: g.normal(mean, sd, (k, n)))
        # Exactly half men (the odd one by a coin flip): men are the lowest random keys.
        n_men = n // 2 + (draw_blocks(gens, 1, lambda g, k: g.integers(0, 2, k)) if n % 2 else 0)
        keys = draw_blocks(gens, 1, lambda g, k: g.random((k, n)))
        m = np.argsort(np.argsort(keys, axis=1), axis=1) < np.reshape(n_men, (-1, 1))
        score.append(perf + bias * m)
        male.append(m)
        original.append(np.ones((n_sim, n), dtype=bool))
    return Ladder(score, male, original)


def _promote(ladder: Ladder, vacant: list[np.ndarray], upper: int) -> None:
    """Fill level ``upper``'s openings with the best-rated of level ``upper - 1`` (in place)."""
    low = upper - 1
    need = vacant[upper].sum(axis=1)
    if need.sum() == 0:
        return
    kmax = int(need.max())  # openings of the fullest row: only that many best candidates matter
    rows = np.arange(need.size)[:, None]
    # Openings in slot order, candidates best-first (vacant places rank last).
    slots = np.argsort(~vacant[upper], axis=1, kind="stable")[:, :kmax]
    ranked = np.where(vacant[low], -np.inf, ladder.score[low])
    top = np.argpartition(-ranked, kmax - 1, axis=1)[:, :kmax]
    cands = np.take_along_axis(top, np.argsort(-np.take_along_axis(ranked, top, axis=1), axis=1, kind="stable"), axis=1)
    available = (~vacant[low]).sum(axis=1)
    take = np.arange(kmax)[None, :] < np.minimum(need, available)[:, None]
    r = np.broadcast_to(rows, take.shape)[take]
    s, c = slots[take], cands[take]
    for arr in (ladder.score, ladder.male, ladder.original):
        arr[upper][r, s] = arr[low][r, c]
    vacant[upper][r, s] = False
    vacant[low][r, c] = True


def _hire(gens, ladder: Ladder, level: int, hires: np.ndarray, mean: float, sd: float, bias: float) -> None:
    """Fill the ``hires`` slots of ``level`` from outside: sex by a coin flip, performance ~ N(mean, sd)."""
    per_sim = hires.sum(axis=1)
    perf = draw_blocks(gens, 1, lambda g, k: g.normal(mean, sd, k), per_sim)
    male = draw_blocks(gens, 1, lambda g, k: g.integers(0, 2, k).astype(bool), per_sim)
    ladder.male[level][hires] = male
    ladder.score[level][hires] = perf + bias * male
    ladder.original[level][hires] = False


def simulate_condition(p: float, n_sims: int, seed: int, *, sizes: Sequence[int] = LEVEL_SIZES,
                       attrition: float = 0.15, mean: float = 50.0, sd: float = 10.0,
                       max_cycles: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Share of men per level at each simulation's end, shape (n_sims, levels), and its cycles."""
    gens, _ = block_generators(seed, n_sims, 1)
    bias = bias_points(p, sd)
    ladder = _initial(gens, sizes, mean, sd, bias)
    bounds = np.cumsum([0, *sizes])
    total = int(bounds[-1])
    leaving = int(round(attrition * total))
    done = np.zeros(n_sims, dtype=bool)
    cycles = np.zeros(n_sims, dtype=np.int64)
    result = np.full((n_sims, len(sizes)), np.nan)
    for cycle in range(1, max_cycles + 1):
        keys = draw_blocks(gens, 1, lambda g, k: g.random((k, total)))
        # The `leaving` smallest keys of a row leave: a random subset of fixed size.
        kth = np.partition(keys, leaving - 1, axis=1)[:, leaving - 1:leaving] if leaving else None
        gone = keys <= kth if leaving else np.zeros_like(keys, dtype=bool)
        vacant = [gone[:, bounds[i]:bounds[i + 1]].copy() for i in range(len(sizes))]
        for upper in range(len(sizes) - 1, 0, -1):  # top level first
            _promote(ladder, vacant, upper)
        for level, hires in enumerate(vacant):
            # Level 1's openings are hired from outside; a higher level's only when the level below
            # has too few people left to fill them (never at the published 15 %).
            if level == 0 or hires.any():
                _hire(gens, ladder, level, hires, mean, sd, bias)
        left = sum(o.sum(axis=1) for o in ladder.original)
        now = (left == 0) & ~done
        if now.any():
            result[now] = np.column_stack([m[now].mean(axis=1) for m in ladder.male])
            cycles[now] = cycle
            done |= now
        if done.all():
            break
    if not done.all():
        raise UserError(f"martell1996: original employees remain after max_cycles={max_cycles}; raise it "
                        "(--set max_cycles=...) or the attrition")
    return result, cycles


@dataclass
class MartellResult:
    """Share of men by level (bottom first) for each condition, averaged over simulations."""

    simulations: int
    seed: int
    conditions: list[dict]
    level_names: tuple[str, ...]
    cycles: list[np.ndarray] = field(repr=False, default_factory=list)
    model: str = "martell1996"

    def to_json(self) -> dict:
        return {"model": self.model, "simulations": self.simulations, "conditions": self.conditions}

    def table(self) -> str:
        rows, cols = [], [("p", "bias (share of rating variance)", ".2f"), ("points", "bias (points)", ".2f")]
        for j, name in enumerate(self.level_names):
            cols.append((f"l{j}", name, ".1%"))
        cols.append(("cycles", "cycles run (mean)", ".1f"))
        for c, cyc in zip(self.conditions, self.cycles):
            row = {"p": c["bias_variance_share"], "points": bias_points(c["bias_variance_share"], self.sd), "cycles": float(np.mean(cyc))}
            row.update({f"l{j}": s for j, s in enumerate(c["share_men_by_level"])})
            rows.append(row)
        title = (f"Small bias, big gap ({self.reference_text}): share of men at each level (bottom to top) "
                 f"once no original employee remains, {self.simulations} simulations, seed {self.seed}")
        return format_table(rows, cols, title)

    reference_text: str = "Martell, Lane & Emrich 1996"
    sd: float = 10.0


def run_ladder(levels: dict, size: int, seed: int, sizes: Sequence[int], level_names: Sequence[str],
               model: str, reference_text: str) -> MartellResult:
    """Every bias condition on one ladder (shared by the Indonesian variant)."""
    attrition, mean, sd = levels["attrition"][0], levels["mean"][0], levels["sd"][0]
    conds, cycles = [], []
    for p in levels["bias_variance_share"]:
        if p >= 1:
            raise UserError("--set bias_variance_share: must be below 1")
        shares, cyc = simulate_condition(p, size, seed, sizes=sizes, attrition=attrition, mean=mean, sd=sd,
                                         max_cycles=levels["max_cycles"][0])
        conds.append({"bias_variance_share": p, "share_men_by_level": [float(x) for x in shares.mean(axis=0)]})
        cycles.append(cyc)
    return MartellResult(size, seed, conds, tuple(level_names), cycles, model=model,
                         reference_text=reference_text, sd=sd)


def run(factors: dict | None = None, size: int = 100, seed: int = 0) -> MartellResult:
    """Run every bias condition for ``size`` simulations."""
    levels = check_levels(MODEL, factors or {})
    return run_ladder(levels, size, seed, LEVEL_SIZES, [f"level {i + 1}" for i in range(len(LEVEL_SIZES))],
                      "martell1996", "Martell, Lane & Emrich 1996")


MODEL = ClassicModel(
    name="martell1996",
    label="Small bias, big gap: a bias for men compounding up an 8-level pyramid",
    reference="Martell, Lane & Emrich (1996), American Psychologist 51(2)",
    size_option="simulations",
    default_size=100,
    factors=FACTORS,
    run=run,
)
