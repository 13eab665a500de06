"""Functional-position credit points (angka kredit): PermenPANRB 1/2023 and PerBKN 3/2023.

A year at a predikat earns a percentage of the position's annual credit coefficient: Sangat Baik
150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %, Sangat Kurang 25 %
(``data/reference/angka_kredit_percent.csv``; domain/regulations.md 1.7).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = ["credit_percent", "annual_credit", "round_half_up"]

#: Decimals the PerBKN 3/2023 worked examples print (2 months at Baik -> 2.08).
CREDIT_DECIMALS = 2


@lru_cache(maxsize=None)  # a static reference table
def _percents() -> np.ndarray:
    """The ``percent`` column of ``angka_kredit_percent.csv`` in code order, read once; read-only."""
    out = load_table("angka_kredit_percent").sort_values("code")["percent"].to_numpy(float)
    out.flags.writeable = False
    return out


def credit_percent(predikat) -> np.ndarray:
    """Percent of the annual coefficient earned at each predikat code (0-4)."""
    table = _percents()
    codes = np.asarray(predikat, dtype=np.int64)
    if np.any((codes < 0) | (codes >= len(table))):
        raise ValueError("predikat: codes must be 0-4")
    return table[codes]


def round_half_up(value, decimals: int) -> np.ndarray:
    """Round halves away from zero for non-negative values (2.085 -> 2.09), unlike numpy's
    round-half-to-even. A 1e-9 nudge absorbs binary representation error (2.085 is stored as
    2.08499...)."""
    scale = 10.0**decimals
    return np.floor(np.asarray(value, dtype=float) * scale + 0.5 + 1e-9) / scale


def annual_credit(
    predikat, coefficient, months=12, decimals: int | None = CREDIT_DECIMALS
) -> np.ndarray:
    """Credit points earned: ``months / 12 x percent(predikat) / 100 x coefficient``.

    PerBKN 3/2023 (regulations.md 1.7). Examples: Ahli Pertama (coefficient 12.5) a full year
    at Sangat Baik = 18.75; 2 months at Baik = 2.0833 -> 2.08.

    Parameters
    ----------
    predikat : array_like of int
        Predikat codes 0-4 (0 sangat_baik ... 4 sangat_kurang).
    coefficient : array_like
        Annual credit coefficient of the position (credit points per year), >= 0.
    months : array_like, default 12
        Months of the period at that predikat, 0-12.
    decimals : int or None, default 2
        The published examples print 2 decimals, so each period's credit is rounded half-up to
        2 decimals (the figure entered in the credit record). ``None`` returns the unrounded
        value; use it when summing many short periods to avoid accumulating rounding.

    Returns
    -------
    numpy.ndarray
        Credit points.
    """
    months = np.asarray(months, dtype=float)
    coefficient = np.asarray(coefficient, dtype=float)
    if np.any((months < 0) | (months > 12)):
        raise ValueError("months: must be between 0 and 12")
    if np.any(coefficient < 0):
        raise ValueError("coefficient: must be >= 0")
    credit = months / 12.0 * credit_percent(predikat) / 100.0 * coefficient
    return credit if decimals is None else round_half_up(credit, decimals)
