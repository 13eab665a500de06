"""Average ranks (ties sharing their mean rank), as ``scipy.stats.rankdata``, from one unstable sort.

Every metric that ranks (Spearman validity overall and within each kind of office, the truth's
order) goes through :func:`average_ranks`; ``make bench`` (fastpaths) compares it with scipy.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["average_ranks", "sorted_ranks", "group_ranks"]


def average_ranks(x: np.ndarray) -> np.ndarray:
    """``scipy.stats.rankdata(x)``: ranks from 1 of the values of ``x`` (flattened), ties sharing their mean rank.

    The same values, bit for bit (every rank is a whole or half number, exact in floating
    point), from one unstable sort: tied values get the same mean rank in whatever order the
    sort leaves them, so scipy's stable sort is not needed. Input with NaN goes to scipy.
    """
    return _sorted_ranks(np.asarray(x).ravel())[2]


def _sorted_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``(order, sorted values, average ranks, distinct)`` of ``x`` from one sort.

    ``order = argsort(x)`` (unstable); ``distinct`` is true when no two values are equal (and
    none is NaN), so that the order is the only one and ``order[::-1]`` equals
    ``argsort(-x, kind="stable")``. See :func:`average_ranks` for the ranks.
    """
    n = len(x)
    order = _argsort(x)
    s = x[order]
    if n == 0 or (s.dtype.kind == "f" and np.isnan(s[-1])):  # argsort puts NaN last
        return order, s, stats.rankdata(x), False
    tie, distinct = _tied_ranks(s)
    ranks = np.empty(n)
    ranks[order] = tie
    return order, s, ranks, distinct


#: Arrays shorter than this are sorted by NumPy's default; longer ones are sampled first.
_SAMPLE_FROM = 1 << 16
#: Share of a stride sample held by its most frequent value above which the stable sort is used.
_TIED_SHARE = 0.25


def _argsort(x: np.ndarray) -> np.ndarray:
    """An order that sorts ``x``: NumPy's default sort, or its stable sort when one value repeats a lot.

    The default (a vectorised quicksort) slows down two- to tenfold when a large share of the
    values are equal (a rank by predikat, 4 - predikat, has five values, most of them one), while
    the stable sort speeds up; which is used is chosen from the most frequent value's share of
    every ``n // 4096``-th value (``make bench``: fastpaths). Ties may come in either order: the
    average ranks do not depend on it, and a caller that reads the order itself needs distinct
    values, whose order is the only one.
    """
    n = len(x)
    if n >= _SAMPLE_FROM:
        _, counts = np.unique(x[:: n // 4096], return_counts=True)
        if counts.max() >= _TIED_SHARE * counts.sum():
            return np.argsort(x, kind="stable")
    return np.argsort(x)


def _tied_ranks(s: np.ndarray) -> tuple[np.ndarray, bool]:
    """Average ranks of the sorted, non-empty, NaN-free values ``s``, in their sorted positions;
    and whether no two values are equal."""
    n = len(s)
    new = np.empty(n, dtype=bool)  # first of a run of equal values
    new[0] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    if new.all():
        return np.arange(1, n + 1), True
    starts = np.flatnonzero(new)
    counts = np.diff(starts, append=n)
    return np.repeat(starts + 1 + (counts - 1) / 2, counts), False


def sorted_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(order, average_ranks(x))`` from one sort, ``order = argsort(x)`` (unstable; ``x`` one-dimensional).

    The order lets :func:`group_ranks` rank ``x`` within groups without sorting again.
    """
    order, _, ranks, _ = _sorted_ranks(np.asarray(x).ravel())
    return order, ranks


def group_ranks(x: np.ndarray, order: np.ndarray, group: np.ndarray, position: np.ndarray,
                sizes: np.ndarray) -> list[np.ndarray] | None:
    """``average_ranks(x[rows_g])`` for every group ``g``, from ``order = argsort(x)``, without sorting again.

    ``group`` is each element's group code (0 to ``len(sizes) - 1``), ``position`` its index among
    its group's rows (``rows_g = flatnonzero(group == g)``, ascending) and ``sizes`` the groups'
    sizes. Filtering the order by group gives each group's values in order; the average ranks of
    sorted values do not depend on how ties are ordered, so they are those of the group's own
    sort, bit for bit. None when ``x`` holds NaN (rank each group with :func:`average_ranks`).
    """
    if len(x) and np.isnan(x[order[-1]]):  # argsort puts NaN last
        return None
    in_order = group[order]
    out = []
    for g, m in enumerate(sizes):
        ranks = np.empty(m)
        if m:
            sub = order[in_order == g]
            ranks[position[sub]] = _tied_ranks(x[sub])[0]
        out.append(ranks)
    return out
