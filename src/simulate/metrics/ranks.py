"""Average ranks (ties sharing their mean rank), as ``scipy.stats.rankdata``, from one unstable sort.

Every metric that ranks (Spearman validity overall and within each kind of office, the truth's
order) goes through :func:`average_ranks`; ``make bench`` (fastpaths) compares it with scipy.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["average_ranks"]


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
    order = np.argsort(x)
    s = x[order]
    if n == 0 or (s.dtype.kind == "f" and np.isnan(s[-1])):  # argsort puts NaN last
        return order, s, stats.rankdata(x), False
    new = np.empty(n, dtype=bool)  # first of a run of equal values
    new[0] = True
    np.not_equal(s[1:], s[:-1], out=new[1:])
    ranks = np.empty(n)
    if new.all():
        ranks[order] = np.arange(1, n + 1)
        return order, s, ranks, True
    starts = np.flatnonzero(new)
    counts = np.diff(starts, append=n)
    ranks[order] = np.repeat(starts + 1 + (counts - 1) / 2, counts)
    return order, s, ranks, False
