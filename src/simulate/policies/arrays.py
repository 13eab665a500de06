"""Vectorised array helpers for scoring policies (DESIGN 3.6): groups, ranks, bands, row means.

Dense group codes, group sums / means / SDs / z-scores through :func:`numpy.bincount`, ranks
within groups, banding a score by inclusive lower bounds, piecewise-linear conversion between
two band scales, NaN-aware weighted row means and empirical-Bayes shrinkage. Nothing here
draws random numbers or loops over employees. Group codes are dense integers
``0..n_groups-1``; every ``group_*`` function returns one value per group, and
``values[codes]`` broadcasts it back to employees.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "group_codes", "group_count", "group_sum", "group_mean", "group_std", "group_stats", "group_zscore",
    "rank_in_group", "band", "rescale_bands", "nan_weighted_mean", "row_sum", "row_count", "row_mean",
    "row_nanmean", "shrinkage_factor",
]


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
    return group_stats(values, codes, n_groups, ddof=ddof)[2]


def group_stats(values, codes, n_groups: int | None = None,
                ddof: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`group_count` (of valid values), :func:`group_mean` and :func:`group_std` at once.

    The same numbers as the three calls, bit for bit, with each group sum done once.
    """
    codes = np.asarray(codes, dtype=np.int64)
    ng = _n_groups(codes, n_groups)
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    valid_codes = codes[ok]
    count = np.bincount(valid_codes, minlength=ng).astype(np.int64)
    total = np.bincount(valid_codes, weights=v[ok], minlength=ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    dev2 = (v - mean[codes]) ** 2
    ss = group_sum(dev2, codes, ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(count > ddof, np.sqrt(ss / np.maximum(count - ddof, 1)), np.nan)
    return count, mean, sd


def group_zscore(values, codes, n_groups: int | None = None, *, ddof: int = 0, min_size: int = 2) -> np.ndarray:
    """Standardise ``values`` within groups: ``(x - group mean) / group SD``, per employee.

    Members of groups with fewer than ``min_size`` valid values, or with zero spread, get 0 (the
    group mean: nothing to compare them with). NaN values stay NaN.
    """
    codes = np.asarray(codes, dtype=np.int64)
    v = np.asarray(values, dtype=float)
    count, mean, sd = group_stats(v, codes, n_groups, ddof=ddof)
    mean, sd = mean[codes], sd[codes]
    big = count[codes] >= min_size
    usable = big & np.isfinite(sd) & (sd > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(usable, (v - mean) / np.where(usable, sd, 1.0), 0.0)
    return np.where(np.isnan(v), np.nan, z)


def _sort_by_group(key, codes) -> np.ndarray:
    """Row order sorted by group code, then ``key``, ties in row order: ``np.lexsort((key, codes))``.

    The same permutation, several times faster. NumPy's default sort of the keys is fast but
    not stable; equal keys (runs in the sorted keys) are put back in row order by sorting
    ``run number x n + row`` (unique integers). Then a stable sort by the group codes, cast to
    16 bits where they fit so that NumPy radix-sorts them.
    """
    key = np.asarray(key)
    codes = np.asarray(codes)
    n = len(key)
    order = np.argsort(key)
    if n > 1:
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        if ordered.dtype.kind == "f":  # NaN (sorted last) ties with NaN
            same |= np.isnan(ordered[1:]) & np.isnan(ordered[:-1])
        if same.any():
            run = np.concatenate([[0], np.cumsum(~same)])
            order = np.sort(run * n + order) % n
    grouped = codes[order]
    if n and -(2**15) <= grouped.min() and grouped.max() < 2**15:
        grouped = grouped.astype(np.int16)
    return order[np.argsort(grouped, kind="stable")]


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
    order = _sort_by_group(key, codes)
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
    given = np.asarray(weights, dtype=float)
    w = np.broadcast_to(given, v.shape)
    if w.size and np.any(given < 0):  # every given weight is used once w is not empty
        raise ValueError("nan_weighted_mean: weights must be >= 0")
    ok = ~np.isnan(v)
    w_ok = np.where(ok, w, 0.0)
    num = np.where(ok, v, 0.0) * w_ok
    if v.ndim == 2 and axis in (1, -1):  # rows of a matrix: the same sums, faster
        total, num_total = row_sum(w_ok), row_sum(num)
    else:
        total, num_total = w_ok.sum(axis=axis), num.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, num_total / np.where(total > 0, total, 1.0), np.nan)


#: Up to this many columns :func:`row_sum` adds columns one by one (see there).
_SEQUENTIAL_SUM_COLUMNS = 7


def row_sum(values) -> np.ndarray:
    """``values.sum(axis=1)`` of a 2-D float or bool array, bit for bit, and faster.

    NumPy reduces along a short last axis with per-row overhead (tens of microseconds for
    (4500, 4)). For fewer than 8 columns it adds them in order, ``((0 + v0) + v1) + ...`` (its
    pairwise summation only starts at 8 elements), so adding whole columns in that order gives
    the same bits at a fraction of the cost; ``tests/test_policies_national.py`` checks this
    against ``sum(axis=1)``. Wider arrays, and other dtypes, use ``sum(axis=1)`` itself. Bool
    arrays give int64 counts (as ``sum`` does).
    """
    v = np.asarray(values)
    if v.ndim != 2 or not 0 < v.shape[1] <= _SEQUENTIAL_SUM_COLUMNS or v.dtype not in (np.float64, np.bool_):
        return v.sum(axis=1)
    if v.dtype == np.bool_:  # counts: add the 0/1 bytes as int8 (at most 7), then widen
        v = v.view(np.int8)
        out = v[:, 0].copy()
        for j in range(1, v.shape[1]):  # a few columns
            out += v[:, j]
        return out.astype(np.int64)
    # NumPy starts from the identity 0 (which turns a -0.0 first term into +0.0): so do we.
    out = v[:, 0] + 0.0  # a new array
    for j in range(1, v.shape[1]):  # a few columns
        out += v[:, j]
    return out


def row_count(mask) -> np.ndarray:
    """True values per row of a 2-D bool array (int64), like ``mask.sum(axis=1)``."""
    return row_sum(np.asarray(mask, dtype=bool))


def row_mean(values) -> np.ndarray:
    """Mean of each row of a 2-D float array: ``values.mean(axis=1)``, same bits (see :func:`row_sum`)."""
    v = np.asarray(values, dtype=float)
    return row_sum(v) / v.shape[1]  # what ``mean`` does: the sum divided by the count


def row_nanmean(values) -> np.ndarray:
    """Mean of each row of a 2-D array ignoring NaN: ``np.nanmean(values, axis=1)``, same bits.

    NaN (without a warning) for a row with no value. Computed the way NumPy's ``nanmean`` does
    (NaN replaced by 0, summed along the row, divided by the count) without its overhead.
    """
    v = np.asarray(values, dtype=float)
    missing = np.isnan(v)
    total = row_sum(np.where(missing, 0.0, v))
    count = v.shape[1] - row_count(missing)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


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
