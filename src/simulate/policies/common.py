"""Shared, vectorised helpers for scoring policies (DESIGN 3.6).

Small pure functions every policy needs: dense group codes, group sums / means / SDs /
z-scores through :func:`numpy.bincount`, ranks within groups, banding a score by inclusive lower
bounds, piecewise-linear conversion between two band scales, NaN-aware weighted row means,
empirical-Bayes shrinkage, and the few look-ups of the evidence every policy repeats (who
rates whom, which pool a curve or a quota applies to, per-employee indicator attributes).

Nothing here draws random numbers or loops over employees. Group codes are dense integers
``0..n_groups-1``; every ``group_*`` function returns one value per group, and
``values[codes]`` broadcasts it back to employees.

This module's public functions are a stable interface: other policy modules import them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from simulate.evidence import Evidence

__all__ = [
    "POOLS",
    "group_codes",
    "group_count",
    "group_sum",
    "group_mean",
    "group_std",
    "group_zscore",
    "zscore",
    "rank_in_group",
    "band",
    "rescale_bands",
    "nan_weighted_mean",
    "shrinkage_factor",
    "rater_keys",
    "superior_rows",
    "pool_keys",
    "pool_codes",
    "indicator_attribute",
    "indicator_values",
    "has_indicator",
    "is_leader",
]

#: Pools a distribution curve or a quota can apply to (see :func:`pool_codes`).
POOLS: tuple[str, ...] = ("unit", "work_unit", "opd", "opd_kind", "region")
Pool = Literal["unit", "work_unit", "opd", "opd_kind", "region"]


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------


def group_codes(*keys) -> tuple[np.ndarray, int]:
    """Dense group codes ``0..n_groups-1`` from one or more aligned key arrays.

    Rows with equal keys (on every key array) share a code; codes follow the sorted order of
    the keys, so the result does not depend on row order beyond that.

    Returns
    -------
    codes : ndarray of int64, shape (n,)
    n_groups : int
    """
    if not keys:
        raise ValueError("group_codes: give at least one key array")
    arrays = [np.asarray(k) for k in keys]
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError("group_codes: key arrays must have the same length")
    if n == 0:
        return np.zeros(0, dtype=np.int64), 0
    if len(arrays) == 1:
        _, codes = np.unique(arrays[0], return_inverse=True)
    else:
        stacked = np.column_stack([np.unique(a, return_inverse=True)[1] for a in arrays])
        _, codes = np.unique(stacked, axis=0, return_inverse=True)
    codes = np.asarray(codes, dtype=np.int64).ravel()
    return codes, int(codes.max()) + 1


def _n_groups(codes: np.ndarray, n_groups: int | None) -> int:
    if n_groups is not None:
        return int(n_groups)
    return int(codes.max()) + 1 if len(codes) else 0


def group_count(codes, n_groups: int | None = None, values=None) -> np.ndarray:
    """Members per group; with ``values``, members whose value is not NaN."""
    codes = np.asarray(codes, dtype=np.int64)
    ng = _n_groups(codes, n_groups)
    if values is None:
        return np.bincount(codes, minlength=ng).astype(np.int64)
    ok = ~np.isnan(np.asarray(values, dtype=float))
    return np.bincount(codes[ok], minlength=ng).astype(np.int64)


def group_sum(values, codes, n_groups: int | None = None) -> np.ndarray:
    """Sum of ``values`` per group, NaN ignored (a group with no valid value sums to 0)."""
    codes = np.asarray(codes, dtype=np.int64)
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    return np.bincount(codes[ok], weights=v[ok], minlength=_n_groups(codes, n_groups))


def group_mean(values, codes, n_groups: int | None = None) -> np.ndarray:
    """Mean of ``values`` per group, NaN ignored (NaN for a group with no valid value)."""
    codes = np.asarray(codes, dtype=np.int64)
    ng = _n_groups(codes, n_groups)
    s = group_sum(values, codes, ng)
    c = group_count(codes, ng, values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > 0, s / np.maximum(c, 1), np.nan)


def group_std(values, codes, n_groups: int | None = None, ddof: int = 0) -> np.ndarray:
    """Standard deviation of ``values`` per group, NaN ignored.

    NaN where a group has ``ddof`` or fewer valid values. Computed from deviations around the
    group mean (two passes), not from sums of squares, so large offsets do not lose precision.
    """
    codes = np.asarray(codes, dtype=np.int64)
    ng = _n_groups(codes, n_groups)
    v = np.asarray(values, dtype=float)
    mean = group_mean(v, codes, ng)
    dev2 = (v - mean[codes]) ** 2
    ss = group_sum(dev2, codes, ng)
    c = group_count(codes, ng, v)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > ddof, np.sqrt(ss / np.maximum(c - ddof, 1)), np.nan)


def group_zscore(values, codes, n_groups: int | None = None, *, ddof: int = 0, min_size: int = 2) -> np.ndarray:
    """Standardise ``values`` within groups: ``(x - group mean) / group SD``, per employee.

    Members of groups with fewer than ``min_size`` valid values, or with zero spread, get 0 (the
    group mean: nothing to compare them with). NaN values stay NaN.
    """
    codes = np.asarray(codes, dtype=np.int64)
    ng = _n_groups(codes, n_groups)
    v = np.asarray(values, dtype=float)
    mean = group_mean(v, codes, ng)[codes]
    sd = group_std(v, codes, ng, ddof=ddof)[codes]
    big = group_count(codes, ng, v)[codes] >= min_size
    usable = big & np.isfinite(sd) & (sd > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(usable, (v - mean) / np.where(usable, sd, 1.0), 0.0)
    return np.where(np.isnan(v), np.nan, z)


def zscore(values, *, ddof: int = 0) -> np.ndarray:
    """Standardise over all rows (NaN ignored, NaN kept); zero spread gives 0."""
    v = np.asarray(values, dtype=float)
    return group_zscore(v, np.zeros(len(v), dtype=np.int64), 1, ddof=ddof, min_size=1)


def rank_in_group(priority, codes, *, descending: bool = True) -> np.ndarray:
    """0-based rank of each row inside its group by ``priority``.

    ``descending=True``: rank 0 is the highest priority. Ties (and NaN, which ranks last) are
    broken by row order, so the ranking is deterministic.
    """
    codes = np.asarray(codes, dtype=np.int64)
    p = np.asarray(priority, dtype=float)
    n = len(p)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = np.where(np.isnan(p), np.inf, -p if descending else p)
    order = np.lexsort((np.arange(n), key, codes))
    sorted_codes = codes[order]
    starts = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    start_idx = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - start_idx
    return rank


# --------------------------------------------------------------------------------------------
# Scores and bands
# --------------------------------------------------------------------------------------------


def band(values, lower_bounds, codes=None) -> np.ndarray:
    """Band a score by inclusive lower bounds.

    Parameters
    ----------
    values : array_like
        Scores; NaN raises (a missing score cannot be banded silently).
    lower_bounds : sequence of float
        Inclusive lower bound of each band, in any order; a band runs up to the next bound, and
        values under the smallest bound fall in the lowest band.
    codes : sequence of int, optional
        Code of each band (same order as ``lower_bounds``). Default: the best (highest) band
        is 0, then 1, 2, ... -- the predikat convention of :mod:`simulate.predikat`.

    Returns
    -------
    ndarray of int8
    """
    v = np.asarray(values, dtype=float)
    if np.any(np.isnan(v)):
        raise ValueError("band: NaN scores cannot be banded")
    bounds = np.asarray(lower_bounds, dtype=float)
    order = np.argsort(bounds)
    if codes is None:
        codes_sorted = np.arange(len(bounds))[::-1]
    else:
        codes_arr = np.asarray(codes)
        if len(codes_arr) != len(bounds):
            raise ValueError("band: give one code per lower bound")
        codes_sorted = codes_arr[order]
    pos = np.clip(np.searchsorted(bounds[order], v, side="right") - 1, 0, len(bounds) - 1)
    return np.asarray(codes_sorted, dtype=np.int8)[pos]


def rescale_bands(values, from_bounds, to_bounds) -> np.ndarray:
    """Piecewise-linear map between two band scales with matching band edges.

    ``from_bounds`` and ``to_bounds`` are increasing edges of the same bands on the two scales
    (e.g. PP 46/2011's ``[0, 51, 61, 76, 91, 100]`` to PP 30/2019's ``[0, 50, 70, 90, 110,
    120]``): a value at a band's edge maps to the matching edge, and values inside a band are
    interpolated linearly, so a score keeps its band. Values outside the first/last edge are
    clipped to them. NaN stays NaN.
    """
    fb = np.asarray(from_bounds, dtype=float)
    tb = np.asarray(to_bounds, dtype=float)
    if fb.shape != tb.shape or fb.ndim != 1 or len(fb) < 2:
        raise ValueError("rescale_bands: give two edge lists of the same length (at least 2)")
    if np.any(np.diff(fb) <= 0) or np.any(np.diff(tb) <= 0):
        raise ValueError("rescale_bands: edges must be strictly increasing")
    return np.interp(np.asarray(values, dtype=float), fb, tb)


def nan_weighted_mean(values, weights, axis: int = -1) -> np.ndarray:
    """Weighted mean along ``axis`` ignoring NaN values, the weights renormalised over the rest.

    ``weights`` broadcasts against ``values`` (e.g. one weight per column, or a full array).
    Where every value is NaN (or every remaining weight is 0) the result is NaN.
    """
    v = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), v.shape)
    if np.any(w < 0):
        raise ValueError("nan_weighted_mean: weights must be >= 0")
    ok = ~np.isnan(v)
    w_ok = np.where(ok, w, 0.0)
    total = w_ok.sum(axis=axis)
    num = np.where(ok, v, 0.0) * w_ok
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, num.sum(axis=axis) / np.where(total > 0, total, 1.0), np.nan)


def shrinkage_factor(between_var, sampling_var) -> np.ndarray:
    """Empirical-Bayes reliability ``B = tau^2 / (tau^2 + s^2)`` in [0, 1].

    ``between_var`` (tau^2) is the variance of the true group effects, ``sampling_var`` (s^2)
    the sampling variance of one group's estimate (e.g. ``sigma^2 / n``). The shrunken effect is
    ``B x raw effect`` (Morris 1983). ``tau^2 <= 0`` gives 0, ``s^2 = 0`` with ``tau^2 > 0``
    gives 1; NaN sampling variance (no data) gives 0.
    """
    tau2 = np.maximum(np.asarray(between_var, dtype=float), 0.0)
    s2 = np.asarray(sampling_var, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        b = tau2 / (tau2 + s2)
    b = np.where(np.isnan(s2), 0.0, b)
    b = np.where((tau2 > 0) & (s2 == 0), 1.0, b)
    return np.clip(np.nan_to_num(b, nan=0.0), 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Evidence look-ups
# --------------------------------------------------------------------------------------------


def superior_rows(evidence: Evidence) -> np.ndarray:
    """Row index (into ``evidence.employees``) of each employee's superior; -1 if none/outside."""
    e = evidence.employees
    ids = e["employee_id"].to_numpy()
    sup = e["superior_id"].to_numpy()
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    pos = np.searchsorted(ids[order], sup)
    pos = np.clip(pos, 0, len(ids) - 1)
    found = (sup >= 0) & (ids[order][pos] == sup)
    return np.where(found, order[pos], -1).astype(np.int64)


def rater_keys(evidence: Evidence) -> np.ndarray:
    """Who rated each employee: the superior's ``employee_id``, or an outside rater.

    Employees without a superior in the region (OPD heads) are rated by the regional head,
    which the simulation treats as one outside rater per OPD (as :mod:`simulate.raters`
    draws them): key ``-(opd_id + 1)``. Keys are comparable integers, not row indices.
    """
    e = evidence.employees
    sup = e["superior_id"].to_numpy().astype(np.int64)
    opd = e["opd_id"].to_numpy().astype(np.int64)
    return np.where(sup >= 0, sup, -(opd + 1))


def pool_keys(evidence: Evidence, pool: str) -> np.ndarray:
    """Integer key of the pool each employee belongs to (see :func:`pool_codes` for the pools).

    Keys are readable: ``unit`` -> the appraising official's ``employee_id`` (``-(opd_id + 1)``
    for the outside rater of an OPD head), ``work_unit`` -> ``unit_id`` (``-(opd_id + 1)`` for an
    OPD without units), ``opd`` -> ``opd_id``, ``opd_kind`` -> the kind's index in
    :data:`simulate.scenario.schema.OPD_KINDS`, ``region`` -> 0.
    """
    e = evidence.employees
    if pool == "unit":
        return rater_keys(evidence)
    if pool == "work_unit":
        unit = e["unit_id"].to_numpy().astype(np.int64)
        opd = e["opd_id"].to_numpy().astype(np.int64)
        return np.where(unit >= 0, unit, -(opd + 1))
    if pool == "opd":
        return e["opd_id"].to_numpy().astype(np.int64)
    if pool == "opd_kind":
        from simulate.scenario.schema import OPD_KINDS

        return _kind_index(np.asarray(e["opd_kind"].astype(str)), OPD_KINDS)
    if pool == "region":
        return np.zeros(len(e), dtype=np.int64)
    raise ValueError(f"pool: unknown pool {pool!r}; allowed: {', '.join(POOLS)}")


def _kind_index(kinds: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    out = np.full(len(kinds), len(names), dtype=np.int64)
    for i, name in enumerate(names):  # a handful of kinds
        out[kinds == name] = i
    return out


def pool_codes(evidence: Evidence, pool: str) -> tuple[np.ndarray, int]:
    """Dense group codes of the pool a curve, a quota or a standardisation applies to.

    - ``unit``: the appraisal team, i.e. everyone with the same appraising official
      (pejabat penilai = direct superior; OPD heads grouped per OPD, see :func:`rater_keys`);
    - ``work_unit``: the organisational work unit (``unit_id``; employees of an OPD without
      units are grouped per OPD);
    - ``opd``: the perangkat daerah (or UPT);
    - ``opd_kind``: every OPD of the same kind in the region;
    - ``region``: everyone.

    Returns ``(codes, n_groups)``; :func:`pool_keys` gives the readable key of each row.
    """
    return group_codes(pool_keys(evidence, pool))


def has_indicator(evidence: Evidence) -> np.ndarray:
    """(n, K) bool: the employee holds indicator slot k (its capaian is not NaN)."""
    return ~np.isnan(np.asarray(evidence.capaian, dtype=float))


def indicator_attribute(evidence: Evidence, column: str, fill=np.nan) -> np.ndarray:
    """(n, K) array of one column of ``evidence.indicators`` for each employee's slots.

    ``evidence.indicators`` has one row per (``opd_kind``, ``slot``); this gathers ``column``
    (e.g. ``name``, ``unit``, ``scale``) for every employee and slot, ``fill`` where the
    employee's OPD kind has no indicator in that slot. Loops over OPD kinds only.
    """
    ind = evidence.indicators
    if column not in ind.columns:
        raise KeyError(f"indicator_attribute: evidence.indicators has no column {column!r}; "
                       f"available: {', '.join(map(str, ind.columns))}")
    return indicator_values(evidence, ind[column].to_numpy(), fill)


def indicator_values(evidence: Evidence, values, fill=np.nan) -> np.ndarray:
    """(n, K) array from one value per row of ``evidence.indicators`` (same order).

    Use it to compute something once per indicator (a flag from the name, a weight) and
    gather it to employees: far cheaper than string work on the (n, K) array.
    """
    ind = evidence.indicators
    values = np.asarray(values)
    if len(values) != len(ind):
        raise ValueError(f"indicator_values: need one value per indicator row ({len(ind)}), got {len(values)}")
    n, k = np.shape(evidence.capaian)
    if values.dtype == object or isinstance(fill, str):
        dtype = object
    else:  # e.g. a bool column with a NaN fill becomes float (NaN must not turn into True)
        dtype = np.result_type(values.dtype, np.asarray(fill).dtype)
    kinds = evidence.employees["opd_kind"]
    if not isinstance(kinds.dtype, pd.CategoricalDtype):
        kinds = kinds.astype(str).astype("category")
    kind_names = [str(c) for c in kinds.cat.categories]
    lut = np.full((len(kind_names) + 1, k), fill, dtype=dtype)
    kind_index = {name: i for i, name in enumerate(kind_names)}
    rows_kind = ind["opd_kind"].astype(str).to_numpy()
    slots = ind["slot"].to_numpy().astype(np.int64)
    for row in range(len(ind)):  # a dozen indicators, not employees
        if rows_kind[row] in kind_index and slots[row] < k:
            lut[kind_index[rows_kind[row]], slots[row]] = values[row]
    code = kinds.cat.codes.to_numpy().astype(np.int64)
    return lut[np.where(code < 0, len(kind_names), code)]


def is_leader(evidence: Evidence) -> np.ndarray:
    """Employees who lead an organisational unit: anyone with direct subordinates in the region.

    Unit heads (pengawas), division heads and OPD/UPT heads; PermenPANRB 6/2022 uses the led
    unit's organisational achievement as their work-result rating (regulations.md 1.3).
    """
    e = evidence.employees
    if "n_subordinates" in e.columns:
        return e["n_subordinates"].to_numpy() > 0
    rows = superior_rows(evidence)
    return np.bincount(rows[rows >= 0], minlength=len(e)) > 0
