"""``forced_distribution``: predikat quotas over a pool, by share or by headcount.

Sources: DESIGN 3.5-3.6 and 3.10 (forced distribution, quota accuracy by group size, "taking
turns" under quotas); the forced-ranking literature the classic models reimplement (Scullen,
Bergey & Aiman-Smith 2005; the 20/70/10 "vitality curve" used as the default). Indonesian rules
impose a curve only through PermenPANRB 6/2022's organisational predikat (see
``permenpanrb_2022``); this policy is the pure quota alternative a region might adopt.

How the predikat is assigned
----------------------------
1. **Ranking**: everyone is ranked within their pool (``pool``: ``unit`` = the appraisal team
   of one appraising official, OPD heads grouped per OPD; ``work_unit``; ``opd``; ``opd_kind``;
   ``region``) by a base score, highest first: ``base`` is a registered policy with a numeric
   score (default ``pp30_2019``, parameters ``base_params``) or ``supervisor`` = the mean of the
   superior's latent results judgement and latent behaviour rating (mean of the 7 dimensions),
   half each. Ties are broken by row order (the lower ``employee_id`` first); a NaN score ranks
   last.
2. **Quotas per pool** (``mode``):

   - ``share``: ``shares`` = share of each level, best first, summing to 1. Rounded with the
     **largest-remainder (Hamilton) method**: each level gets ``floor(share x n)`` (exact
     products rounded to 9 decimals first, so 0.7 x 10 is 7), and the people left over go one
     each to the levels with the largest remainders; ties between equal remainders go to the
     level with the larger share, then to the better level. Consequences for small pools
     with the default 20/70/10: a pool of 1 or 2 -> everyone Baik (for 2, Sangat Baik's
     remainder .4 ties Baik's and Baik has the larger share); 3, 4 or 5 -> 1 Sangat Baik and
     the rest Baik; 7 -> 1 / 5 / 1; 10 -> 2 / 7 / 1. With 10/20/40/20/10: 1 -> Butuh
     Perbaikan (the middle level); 2 -> Baik + Butuh Perbaikan; 3 -> Baik, Butuh Perbaikan,
     Kurang; 10 -> exactly 1 / 2 / 4 / 2 / 1. Levels with share 0 never receive anyone, and
     every pool's quotas sum to its size.
   - ``headcount``: ``headcount`` maps levels to a number of people per pool (e.g. one Sangat
     Baik and one Butuh Perbaikan per team); levels are filled best to worst, each with
     ``min(count, people left)``, and everyone else gets ``fill`` (default ``baik``). In a pool
     smaller than the headcounts the better levels are filled first.

   Levels are laid out in rank order: the best-ranked get the best level.
3. **Strategic rotation** ("taking turns", DESIGN 3.5; ``rotation``, on by default): when an
   employee's superior rotates the top slot (``evidence.rater_rotates``), the top-level slots
   that the superior's team wins in the pool by score are handed to the team members next in
   line (lowest ``evidence.turn_order``, ties by score) instead of the best-scored. The team
   keeps the same set of rank positions (so every quota still holds exactly and other teams
   are untouched); the displaced members take the team's remaining positions in score order,
   i.e. the ranks the turn holders vacated (a swap: in an OPD pool, a team's best scorer
   displaced by a low-ranked turn holder takes that holder's rank). In a ``unit`` pool, where the
   team is the pool, the turn holder(s) simply get the top. ``turn_holder`` and ``rotated``
   (predikat differs from the score-based one) are in the components.

The score of the appraisal is the base score; the components hold the pool, its size, the rank
by score, the final rank and the predikat the quota would give without rotation. The notes hold
one row per pool with its size and the headcount per level.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.errors import ScenarioError
from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, check_base, raise_problems, register, run_base
from simulate.policies.common import (
    group_codes,
    pool_codes,
    pool_sizes,
    rank_in_group,
    rater_keys,
    row_count,
)
from simulate.predikat import PREDIKAT

__all__ = ["ForcedDistributionParams", "score", "share_quotas", "headcount_quotas", "levels_by_rank", "supervisor_score"]

_N = len(PREDIKAT)
_DECIMALS = 9


class ForcedDistributionParams(PolicyParams):
    """Parameters of ``forced_distribution``."""

    pool: Literal["unit", "work_unit", "opd", "opd_kind", "region"] = Field(
        "unit", description="Group the quotas apply to: 'unit' (same appraising official), 'work_unit', 'opd', 'opd_kind' or 'region'.")
    mode: Literal["share", "headcount"] = Field("share", description="Quotas by 'share' of the pool or by fixed 'headcount' per pool.")
    shares: list[float] = Field(
        default_factory=lambda: [0.20, 0.70, 0.10, 0.0, 0.0],
        description="mode 'share': share of sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang (sum to 1); "
                    "rounded per pool by largest remainders.")
    headcount: dict[str, int] = Field(
        default_factory=lambda: {"sangat_baik": 1},
        description="mode 'headcount': people per pool at each listed level (e.g. sangat_baik: 1, butuh_perbaikan: 1); "
                    "filled best to worst; everyone else gets 'fill'.")
    fill: Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"] = Field(
        "baik", description="mode 'headcount': level of everyone not placed by a headcount.")
    base: str = Field("pp30_2019", description="Ranking score: a registered policy with a numeric score, or 'supervisor' (mean latent supervisor rating).")
    base_params: dict[str, Any] = Field(default_factory=dict, description="Parameters of the base policy (validated by the base).")
    rotation: bool = Field(True, description="Honour strategic rotation: teams of rotating superiors give their top slots by turn order.")

    @model_validator(mode="after")
    def _check(self) -> "ForcedDistributionParams":
        problems = []
        if len(self.shares) != _N:
            problems.append(f"shares: must list {_N} shares (sangat_baik ... sangat_kurang), got {len(self.shares)}")
        bad = [f"shares[{i}]: must be between 0 and 1, got {s}" for i, s in enumerate(self.shares) if not 0 <= s <= 1]
        problems += bad
        if not bad and abs(sum(self.shares) - 1.0) > 1e-6:
            problems.append(f"shares: must sum to 1; the sum is {sum(self.shares):.6g}")
        for level, count in self.headcount.items():
            if level not in PREDIKAT:
                problems.append(f"headcount.{level}: unknown predikat; allowed: {', '.join(PREDIKAT)}")
            elif level == self.fill:
                problems.append(f"headcount.{level}: is the fill level; remove it or choose another fill")
            if count < 0:
                problems.append(f"headcount.{level}: must be >= 0, got {count}")
        raise_problems("forced_distribution", problems)
        check_base(self.base, self.base_params, "forced_distribution", extra_choices=("supervisor",))
        return self


# --------------------------------------------------------------------------------------------
# Quotas (vectorised over pools)
# --------------------------------------------------------------------------------------------

def share_quotas(sizes, shares) -> np.ndarray:
    """Headcount per level for each pool size, largest-remainder method (see module docstring).

    Parameters
    ----------
    sizes : array_like of int, shape (P,)
    shares : sequence of 5 floats summing to 1, best level first

    Returns
    -------
    ndarray of int64, shape (P, 5); each row sums to its size.
    """
    n = np.asarray(sizes, dtype=np.int64)
    s = np.asarray(shares, dtype=float)
    exact = np.round(n[:, None] * s[None, :], _DECIMALS)
    floor = np.floor(exact).astype(np.int64)
    rem = np.round(exact - floor, _DECIMALS)
    left = n - floor.sum(axis=1)
    p, k = exact.shape
    rows = np.repeat(np.arange(p), k)
    levels = np.tile(np.arange(k), p)
    order = np.lexsort((levels, -np.tile(s, p), -rem.ravel(), rows))
    rank = np.empty(p * k, dtype=np.int64)
    rank[order] = np.tile(np.arange(k), p)  # rows are contiguous blocks of k after the sort
    extra = (rank.reshape(p, k) < left[:, None]).astype(np.int64)
    return floor + extra


def headcount_quotas(sizes, headcount: dict[str, int], fill: str) -> np.ndarray:
    """Headcount per level for each pool size: listed levels best to worst, the rest ``fill``."""
    n = np.asarray(sizes, dtype=np.int64)
    out = np.zeros((len(n), _N), dtype=np.int64)
    left = n.copy()
    for level, name in enumerate(PREDIKAT):  # five levels, not employees
        if name == fill:
            continue
        take = np.minimum(int(headcount.get(name, 0)), left)
        out[:, level] = take
        left = left - take
    out[:, PREDIKAT.index(fill)] = left
    return out


def levels_by_rank(rank, pool, quotas) -> np.ndarray:
    """Predikat of each rank position given its pool's quotas (levels laid out best first)."""
    bounds = np.cumsum(quotas, axis=1)[:, :_N - 1]
    return row_count(np.asarray(rank)[:, None] >= bounds[np.asarray(pool)]).astype(np.int8)


def supervisor_score(evidence: Evidence) -> np.ndarray:
    """Mean latent supervisor rating: half results judgement, half mean behaviour rating (SD units)."""
    behaviour = np.nanmean(np.asarray(evidence.supervisor_behaviour, dtype=float), axis=1)
    return 0.5 * np.asarray(evidence.supervisor_results, dtype=float) + 0.5 * behaviour


def _rotate(rank, pool, top, rotates, turn_order, team) -> tuple[np.ndarray, np.ndarray]:
    """Rank positions after strategic rotation, and the turn holders (see module docstring)."""
    new_rank = rank.copy()
    holder = np.zeros(len(rank), dtype=bool)
    idx = np.flatnonzero(rotates)
    if not len(idx):
        return new_rank, holder
    g, ng = group_codes(pool[idx], team[idx])
    r = rank[idx]
    wins = np.bincount(g, weights=(r < top[pool[idx]]).astype(float), minlength=ng).astype(np.int64)
    turn_rank = rank_in_group(np.asarray(turn_order, dtype=float)[idx] * (len(rank) + 1) + r, g, descending=False)
    is_holder = turn_rank < wins[g]
    new_order = np.lexsort((np.where(is_holder, turn_rank, r), ~is_holder, g))
    pos_order = np.lexsort((r, g))
    new_rank[idx[new_order]] = r[pos_order]
    holder[idx] = is_holder
    return new_rank, holder


def _quotas(evidence: Evidence, params: ForcedDistributionParams) -> np.ndarray:
    """Quotas of every pool: they depend on the pool sizes and the parameters only, so they are
    memoised on the employee table (read-only)."""
    if params.mode == "share":
        key = ("forced_distribution.quotas", params.pool, "share", tuple(params.shares))
    else:
        key = ("forced_distribution.quotas", params.pool, "headcount",
               tuple(sorted(params.headcount.items())), params.fill)

    def compute() -> np.ndarray:
        sizes = pool_sizes(evidence, params.pool)
        quotas = (share_quotas(sizes, params.shares) if params.mode == "share"
                  else headcount_quotas(sizes, params.headcount, params.fill))
        quotas.flags.writeable = False
        return quotas

    return evidence.structure.derive(key, compute)


def _quota_notes(evidence: Evidence, params: ForcedDistributionParams) -> pd.DataFrame:
    """One row per pool: its size and quota per level. Fixed by the employee table and the
    parameters, so built once (memoised) and handed out as a copy."""
    def build() -> pd.DataFrame:
        _, n_pools = pool_codes(evidence, params.pool)
        quotas = _quotas(evidence, params)
        return pd.DataFrame({"pool_id": np.arange(n_pools), "pool_size": pool_sizes(evidence, params.pool),
                             **{f"n_{name}": quotas[:, level] for level, name in enumerate(PREDIKAT)}})

    key = ("forced_distribution.notes", params.pool, params.mode, tuple(params.shares),
           tuple(sorted(params.headcount.items())), params.fill)
    return evidence.structure.derive(key, build).copy()


@register(
    "forced_distribution", ForcedDistributionParams,
    label="Distribusi paksa (kuota per kelompok)", label_en="Forced distribution (quota per group)",
    reference="DESIGN 3.5, 3.6, 3.10; forced ranking (Scullen, Bergey & Aiman-Smith 2005); largest-remainder rounding",
)
def score(evidence: Evidence, params: ForcedDistributionParams) -> Appraisal:
    """Quotas of predikat per pool by share (largest remainders) or headcount, with strategic rotation.

    DESIGN 3.5-3.6 (forced distribution, taking turns); see the module docstring for the
    ranking, the rounding rules for small pools and the rotation rule.
    """
    if params.base == "supervisor":
        base_score = supervisor_score(evidence)
    else:
        base = run_base(evidence, params.base, params.base_params)
        base_score = np.asarray(base.score, dtype=float)
        if len(base_score) and np.all(np.isnan(base_score)):
            raise ScenarioError("forced_distribution: invalid parameters",
                                [f"base: policy {params.base!r} gives no numeric score to rank on; "
                                 "choose a policy with a score (e.g. 'pp30_2019') or 'supervisor'"])
    pool, _ = pool_codes(evidence, params.pool)
    sizes = pool_sizes(evidence, params.pool)
    quotas = _quotas(evidence, params)
    rank = rank_in_group(base_score, pool)
    by_score = levels_by_rank(rank, pool, quotas)
    final_rank, holder = rank, np.zeros(len(rank), dtype=bool)
    if params.rotation:
        rotates = np.asarray(evidence.rater_rotates, dtype=bool)
        final_rank, holder = _rotate(rank, pool, quotas[:, 0], rotates, evidence.turn_order, rater_keys(evidence))
    predikat = levels_by_rank(final_rank, pool, quotas)

    notes = _quota_notes(evidence, params)
    components = components_frame({
        "base_score": base_score, "pool_id": pool, "pool_size": sizes[pool], "rank_by_score": rank,
        "final_rank": final_rank, "predikat_by_score": by_score, "turn_holder": holder,
        "rotated": predikat != by_score,
    })
    return Appraisal(
        policy="forced_distribution", rule="forced_distribution",
        employee_id=evidence.structure.column("employee_id"),
        score=base_score, predikat=predikat, components=components, notes=notes, params=params,
    )
