"""Quota accuracy by group size: how often a forced curve misrates people (stack ranking).

DESIGN 3.10. A forced curve (default 20 / 70 / 10: top, middle, bottom) is applied inside every
group of ``group_size`` people on their ratings; the truth it is judged against is the same
curve applied to true performance *across the whole workforce* (the top 20 % of all people are
truly "top"). A person is misrated when the two categories differ. Two things misrate:

- **small groups**: a group of 5 has exactly one "top" person whether it holds none or three of
  the workforce's top 20 %; the error falls as groups grow and their make-up nears the
  workforce's;
- **unreliable ratings**: rating = ``sqrt(rel) x true + sqrt(1 - rel) x noise`` (true
  performance and noise standard normal), which reorders people near the cut-offs; the error
  falls as reliability rises. At reliability 1 only the group-size error is left.

Quotas per group are rounded by largest remainders, the suite's rule for forced distributions
(:func:`simulate.policies.forced_distribution.share_quotas`): with 20 / 70 / 10 a group of 3, 4
or 5 has one top and no bottom, 7 has 1 / 5 / 1, 10 has 2 / 7 / 1. True categories use the
normal quantiles of the cumulative shares (an unbounded workforce). The rounding makes the
misrated share jump between neighbouring small sizes (a group of 5 has no bottom place, a group
of 6 has one, so more people can land in the wrong one); the fall with size is the trend over
the range, 3 to 50.

Each group size has its own seed (the root seed and the size), shared by every reliability, so
reliabilities are compared on the same people and a size's numbers do not depend on which other
sizes are run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy.special import ndtri

from simulate.classic.common import ClassicModel, Factor, check_levels, format_table
from simulate.errors import UserError
from simulate.policies.forced_distribution import share_quotas

__all__ = ["MODEL", "StackRankingResult", "run", "misrated_share", "curve_levels", "true_levels"]

GROUP_SIZES = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50)

FACTORS = (
    Factor("group_size", GROUP_SIZES, "count", "people per group the curve is applied to", low=1, high=10000),
    Factor("reliability", (0.5, 0.7, 0.9), "unit", "rating reliability (share of rating variance that is true)"),
    Factor("top_share", (0.20,), "unit", "share the curve puts in the top category", single=True),
    Factor("bottom_share", (0.10,), "unit", "share the curve puts in the bottom category", single=True),
)


def curve_levels(ratings: np.ndarray, quotas: np.ndarray) -> np.ndarray:
    """Category (0 = top) of each person from ratings (groups, size) and per-level headcounts.

    The best-rated get the best category; ``quotas`` is one row of headcounts, best first.
    """
    order = np.argsort(-ratings, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(ratings.shape[1])[None, :], axis=1)
    return np.searchsorted(np.cumsum(quotas), rank, side="right")


def true_levels(true: np.ndarray, shares: Sequence[float]) -> np.ndarray:
    """Category (0 = top) of each person by the workforce-wide quantiles of the shares."""
    cuts = ndtri(1.0 - np.cumsum(shares)[:-1])
    return (true[..., None] < cuts).sum(axis=-1)


def _draws(seed: int, size: int, people: int) -> tuple[np.ndarray, np.ndarray]:
    groups = max(1, -(-people // size))
    g = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(size,)))
    return g.standard_normal((groups, size)), g.standard_normal((groups, size))


def misrated_share(size: int, reliabilities: Sequence[float], shares: Sequence[float], people: int, seed: int,
                   quotas_for: Callable[[int], np.ndarray] | None = None) -> list[float]:
    """Share misrated in groups of ``size`` at each reliability (one set of draws for all)."""
    true, noise = _draws(seed, size, people)
    truth = true_levels(true, shares)
    quotas = quotas_for(size) if quotas_for else share_quotas([size], [*shares, *[0.0] * (5 - len(shares))])[0]
    out = []
    for rel in reliabilities:
        ratings = math.sqrt(rel) * true + math.sqrt(1.0 - rel) * noise
        out.append(float(np.mean(curve_levels(ratings, quotas) != truth)))
    return out


@dataclass
class StackRankingResult:
    """Misrated share by group size and reliability."""

    people: int
    seed: int
    shares: tuple[float, ...]
    conditions: list[dict]
    model: str = "stack_ranking"
    title: str = ""

    def to_json(self) -> dict:
        return {"model": self.model, "conditions": self.conditions}

    def table(self) -> str:
        rels = sorted({c["reliability"] for c in self.conditions})
        sizes = sorted({c["group_size"] for c in self.conditions})
        cell = {(c["group_size"], c["reliability"]): c["misrated_share"] for c in self.conditions}
        rows = [{"size": s, **{f"r{j}": cell[(s, r)] for j, r in enumerate(rels)}} for s in sizes]
        cols = [("size", "people in the group", "d")]
        cols += [(f"r{j}", f"misrated, reliability {r:.2f}", ".1%") for j, r in enumerate(rels)]
        return format_table(rows, cols, self.title + f" about {self.people:,} people per cell, seed {self.seed}")


def run(factors: dict | None = None, size: int = 100_000, seed: int = 0) -> StackRankingResult:
    """Misrated share for every group size and reliability, about ``size`` people per cell."""
    levels = check_levels(MODEL, factors or {})
    top, bottom = levels["top_share"][0], levels["bottom_share"][0]
    if top + bottom > 1:
        raise UserError(f"--set top_share / bottom_share: must add up to at most 1, got {top} + {bottom}")
    shares = (top, 1.0 - top - bottom, bottom)
    conds = []
    for s in levels["group_size"]:
        for rel, share in zip(levels["reliability"], misrated_share(s, levels["reliability"], shares, size, seed)):
            conds.append({"group_size": s, "reliability": rel, "misrated_share": share})
    title = (f"Quota accuracy by group size: a {top:.0%} / {1 - top - bottom:.0%} / {bottom:.0%} curve in each group "
             f"against the same curve on true performance across the workforce;")
    return StackRankingResult(size, seed, shares, conds, title=title)


MODEL = ClassicModel(
    name="stack_ranking",
    label="Quota accuracy by group size: how often a forced curve misrates people",
    reference="DESIGN 3.10 (stack ranking by group size); the 20/70/10 vitality curve",
    size_option="people",
    default_size=100_000,
    factors=FACTORS,
    run=run,
)
