"""Allowance (TPP / tunjangan kinerja) deductions for discipline and cuts linked to the predikat.

Pure formulas the reward schemes build on (DESIGN 3.7; domain/regulations.md 5.2):

- lateness, early leave and absence: Permentan 68/2012 (Ministry of Agriculture tukin), monthly
  and cumulative, capped at 100 % (``data/reference/lateness_deductions.csv``);
- predikat-linked cuts: KLHK (Permen LHK 6/2024: next year's tukin 90 / 85 / 80 %) and Bakamla
  (Perban 1/2023: monthly -1 % / -2 %) (``data/reference/tukin_predikat_cuts.csv``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = [
    "BANDS",
    "lateness_band",
    "discipline_deduction_percent",
    "paid_after_deduction",
    "predikat_paid_percent",
    "predikat_cut_percent",
    "SCHEMES",
]

#: Number of lateness (TL1-TL4) or early-leave (PSW1-PSW4) bands.
BANDS = 4
#: Predikat-linked cut schemes in ``tukin_predikat_cuts.csv``.
SCHEMES = ("klhk", "bakamla")
_MAX_DEDUCTION = 100.0


@lru_cache(maxsize=None)  # reference tables are static; callers only read the rows
def _rows(kind: str):
    table = load_table("lateness_deductions")
    return table[table["kind"] == kind].sort_values("code")


@lru_cache(maxsize=None)
def _percents(kind: str) -> np.ndarray:
    """The ``percent`` column of :func:`_rows` (band order), read once; read-only."""
    out = _rows(kind)["percent"].to_numpy(float)
    out.flags.writeable = False
    return out


def lateness_band(minutes) -> np.ndarray:
    """Band 0-4 of a late arrival (or early leave), Permentan 68/2012.

    0 = on time (< 1 minute); 1 = TL1 (1 - <31 min); 2 = TL2 (31 - <61); 3 = TL3 (61 - <91);
    4 = TL4 (>= 91 min, or no attendance record, given as ``NaN``).
    """
    edges = _rows("late")["minutes_from"].to_numpy(float)
    late = np.asarray(minutes, dtype=float)
    band = np.searchsorted(edges, late, side="right")
    return np.where(np.isnan(late), BANDS, band).astype(np.int8)


def discipline_deduction_percent(
    late_counts=None, early_leave_counts=None, absent_days=0
) -> np.ndarray:
    """Monthly deduction (percent) for lateness, early leave and absence, Permentan 68/2012.

    ``sum_b late_b x rate_b + sum_b early_b x rate_b + absent_days x 4``, with rates 0.5 / 1 /
    1.5 / 2 % for bands 1-4 and 4 % per day absent; cumulative over the month and capped at
    100 % (nothing more than the whole amount can be withheld). Permentan applies it to the
    whole tukin; regional TPP schemes usually apply such a table to the discipline component
    only. The caller chooses the amount it applies to (see :func:`paid_after_deduction`).

    Parameters
    ----------
    late_counts : array_like, shape (..., 4), optional
        Occurrences of TL1-TL4 in the month.
    early_leave_counts : array_like, shape (..., 4), optional
        Occurrences of PSW1-PSW4 in the month.
    absent_days : array_like, shape (...)
        Days absent without a valid reason.

    Returns
    -------
    numpy.ndarray
        Deduction in percent, 0-100.
    """
    absent_days = np.asarray(absent_days, dtype=float)
    if np.any(absent_days < 0):
        raise ValueError("absent_days: must be >= 0")
    total = absent_days * _percents("absent")[0]
    for kind, counts in (("late", late_counts), ("early_leave", early_leave_counts)):
        if counts is None:
            continue
        counts = np.asarray(counts, dtype=float)
        if counts.shape[-1:] != (BANDS,):
            raise ValueError(
                f"{kind}_counts: last axis must hold the {BANDS} bands, got shape {counts.shape}"
            )
        if np.any(counts < 0):
            raise ValueError(f"{kind}_counts: must be >= 0")
        total = total + counts @ _percents(kind)
    return np.minimum(total, _MAX_DEDUCTION)


def paid_after_deduction(amount, deduction_percent) -> np.ndarray:
    """Amount paid after a percentage deduction: ``amount x (1 - deduction / 100)`` (rupiah)."""
    return np.asarray(amount, dtype=float) * (
        1.0 - np.asarray(deduction_percent, dtype=float) / 100.0
    )


@lru_cache(maxsize=None)
def _scheme_table(scheme: str):
    table = load_table("tukin_predikat_cuts")
    rows = table[table["scheme"] == scheme].sort_values("code")
    if rows.empty:
        raise ValueError(
            f"scheme: unknown {scheme!r}; allowed: {', '.join(sorted(table['scheme'].unique()))}"
        )
    return rows


@lru_cache(maxsize=None)
def _paid_percents(scheme: str) -> np.ndarray:
    """Percent paid at each predikat code under ``scheme`` (code order), read once; read-only."""
    out = _scheme_table(scheme)["paid_percent"].to_numpy(float)
    out.flags.writeable = False
    return out


def predikat_paid_percent(predikat, scheme: str) -> np.ndarray:
    """Share (percent) of the position-class amount paid at each predikat code (0-4).

    ``klhk``: Sangat Baik / Baik 100, Butuh Perbaikan 90, Kurang 85, Sangat Kurang 80 (applied
    to next year's tukin, Permen LHK 6/2024). ``bakamla``: Kurang 99, Sangat Kurang 98, others
    100 (monthly, Perban Bakamla 1/2023).
    """
    table = _paid_percents(scheme)
    codes = np.asarray(predikat, dtype=np.int64)
    if np.any((codes < 0) | (codes >= len(table))):
        raise ValueError("predikat: codes must be 0-4")
    return table[codes]


def predikat_cut_percent(predikat, scheme: str) -> np.ndarray:
    """Cut (percent of the class amount) at each predikat code: ``100 - paid percent``."""
    return 100.0 - predikat_paid_percent(predikat, scheme)
