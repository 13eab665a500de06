"""Evaluating a regional case's claims on an experiment's results.

A claim is one sentence of a seed article turned into a number per replication:

* ``compare`` minus ``against`` at a period (``first``, ``last``, an index, or ``mean`` over
  periods), where each side is an arm, the difference of two arms (``("a", "b")``), a number
  (a threshold such as 16 working hours) or nothing (0);
* ``trend``: the same with every arm's value replaced by its change from the first to the last
  period;
* ``steps``: every period-to-period change of ``compare`` (one row per step, "period by period").

:func:`evaluate` computes the per-replication values, their mean and 95 % t interval over
replications; a claim **holds** when the interval excludes 0 in the expected direction. Its
**margin** is the mean in the expected direction over the interval's half-width: above 1 exactly
when the claim holds (1.05 is marginal, 3 is clear). A claim's **basis** is ``finding`` when it
emerges from the model, ``assumption`` when a parameter the case sets makes it hold.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import stats

from simulate.errors import UserError
from simulate.experiment import summarise
from simulate.regions.load import get_region
from simulate.regions.types import PeriodSpec, Region, Side

__all__ = ["CLAIM_COLUMNS", "SUMMARY_COLUMNS", "arm_frame", "arm_summary", "evaluate"]

#: Columns of the claims table (:func:`evaluate`).
CLAIM_COLUMNS: tuple[str, ...] = (
    "region", "claim", "label_id", "label_en", "text_id", "text_en", "metric", "period", "compare", "against",
    "expected", "mean", "ci_low", "ci_high", "replications", "margin", "holds", "basis",
)
#: Columns of summary.csv (one row per arm, period and metric).
SUMMARY_COLUMNS: tuple[str, ...] = ("policy", "period", "metric", "mean", "ci_low", "ci_high")


def _arm_table(results: pd.DataFrame, region: Region, arm_key: str, metric: str) -> pd.DataFrame:
    """replication x period values of one arm and metric."""
    arm = region.arm(arm_key)
    q = results[(results["metric"] == metric) & (results["policy"] == arm.policy)]
    if "variant" in results.columns:
        q = q[q["variant"] == arm.variant]
    elif arm.variant != region.variants[0].key:
        q = q.iloc[0:0]
    if q.empty:
        raise UserError(f"{region.key}: no results for arm {arm_key!r} (policy {arm.policy!r}, variant "
                        f"{arm.variant!r}) and metric {metric!r}")
    return q.pivot_table(index="replication", columns="period", values="value", aggfunc="mean").sort_index(axis=1)


def _side_table(results: pd.DataFrame, region: Region, side: Side, metric: str) -> pd.DataFrame | float:
    if side is None:
        return 0.0
    if isinstance(side, (int, float)) and not isinstance(side, bool):
        return float(side)
    if isinstance(side, tuple):
        a, b = side
        return _arm_table(results, region, a, metric) - _arm_table(results, region, b, metric)
    return _arm_table(results, region, side, metric)


def _at(table: pd.DataFrame | float, period: PeriodSpec) -> pd.Series | float:
    if not isinstance(table, pd.DataFrame):
        return table
    cols = list(table.columns)
    if period == "first":
        return table[cols[0]]
    if period == "last":
        return table[cols[-1]]
    if period == "mean":
        return table.mean(axis=1)
    if period == "trend":
        return table[cols[-1]] - table[cols[0]]
    if isinstance(period, (int, np.integer)):
        if period not in table.columns:
            raise UserError(f"period {period}: not in the results (periods {cols[0]}..{cols[-1]})")
        return table[period]
    raise ValueError(f"period: must be first, last, mean, trend, steps or a period number, got {period!r}")


def _half_width_95(v: np.ndarray) -> float:
    """Half-width of the 95 % t interval of the mean of ``v`` (finite values, at least two)."""
    n = len(v)
    return float(stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n))


def _interval(values: np.ndarray) -> tuple[float, float, float, int]:
    """Mean, 95 % interval and count of the finite ``values`` (no interval below two)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(v.mean())
    if n < 2:
        return mean, float("nan"), float("nan"), n
    half = _half_width_95(v)
    return mean, mean - half, mean + half, n


def _margin(mean: float, lo: float, hi: float, expected: str) -> float:
    """The mean in the expected direction over the 95 % half-width (NaN without an interval)."""
    half = (hi - lo) / 2
    signed = mean if expected == "higher" else -mean
    if not np.isfinite(half):
        return float("nan")
    if half == 0:
        return float(np.copysign(np.inf, signed)) if signed != 0 else 0.0
    return float(signed / half)


def _side_name(side: Side) -> str:
    if side is None:
        return ""
    if isinstance(side, tuple):
        return f"{side[0]} - {side[1]}"
    if isinstance(side, (int, float)):
        return f"{float(side):g}"
    return str(side)


def evaluate(region: Region | str, results: pd.DataFrame) -> pd.DataFrame:
    """The claims table of ``region`` from a results frame (one row per claim, or per step).

    ``results`` holds the experiment's tidy rows (``policy``, ``replication``, ``period``,
    ``metric``, ``value`` and, with variants, ``variant``). For each claim the value per
    replication is computed (see the module docstring) and summarised by its mean and 95 % t
    interval over replications; ``holds`` is True when the interval excludes 0 in the expected
    direction (``ci_low > 0`` for ``higher``, ``ci_high < 0`` for ``lower``).
    """
    region = get_region(region) if isinstance(region, str) else region
    rows = []
    for claim in region.claims:
        compare = _side_table(results, region, claim.compare, claim.metric)
        against = _side_table(results, region, claim.against, claim.metric)
        if claim.period == "steps":
            if not isinstance(compare, pd.DataFrame):
                raise ValueError(f"{claim.key}: 'steps' needs an arm to compare")
            cols = list(compare.columns)
            diff = compare - against
            pieces = [(f"{a}->{b}", diff[b] - diff[a]) for a, b in pairwise(cols)]
        else:
            value = _at(compare, claim.period) - _at(against, claim.period)
            pieces = [(str(claim.period), value)]
        for period_label, value in pieces:
            arr = np.atleast_1d(np.asarray(value, dtype=float))
            mean, lo, hi, n = _interval(arr)
            holds = bool(lo > 0) if claim.expected == "higher" else bool(hi < 0)
            margin = _margin(mean, lo, hi, claim.expected)
            rows.append({
                "region": region.key, "claim": claim.key, "label_id": claim.label_id, "label_en": claim.label_en,
                "text_id": claim.text_id, "text_en": claim.text_en, "metric": claim.metric, "period": period_label,
                "compare": _side_name(claim.compare), "against": _side_name(claim.against),
                "expected": claim.expected, "mean": mean, "ci_low": lo, "ci_high": hi, "replications": n,
                "margin": float(margin), "holds": holds, "basis": claim.basis,
            })
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def arm_frame(region: Region, results: pd.DataFrame) -> pd.DataFrame:
    """The results rows of the region's arms, with an ``arm`` column (arms in their configured order)."""
    parts = []
    for arm in region.arms:
        q = results[results["policy"] == arm.policy]
        if "variant" in results.columns:
            q = q[q["variant"] == arm.variant]
        elif arm.variant != region.variants[0].key:
            continue
        parts.append(q.assign(arm=arm.key))
    return pd.concat(parts, ignore_index=True) if parts else results.iloc[0:0].assign(arm=pd.Series(dtype=str))


def arm_summary(region: Region, results: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % interval per arm, period and metric (``policy`` holds the arm key)."""
    frame = arm_frame(region, results)
    s = summarise(frame.drop(columns=["policy"] + [c for c in ("variant",) if c in frame]).rename(columns={"arm": "policy"}))
    return s

