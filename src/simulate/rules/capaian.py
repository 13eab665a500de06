"""Indicator achievement (capaian) and its value: PermenPANRB 8/2021 (domain/regulations.md 1.8).

``capaian`` compares an indicator's realisation with its target (percent); ``capaian_value`` maps
an achievement to the 0-120 value scale the SKP uses. The band table lives in
``data/reference/capaian_value_bands.csv``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = ["capaian", "capaian_value"]


@lru_cache(maxsize=1)
def _value_bands() -> tuple[np.ndarray, ...]:
    """Columns of the value band table sorted by achievement: lower and upper achievement,
    lower and upper value, and each band's slope (read once, read-only)."""
    bands = load_table("capaian_value_bands").sort_values("capaian_lower")
    c_lo, c_hi = bands["capaian_lower"].to_numpy(float), bands["capaian_upper"].to_numpy(float)
    v_lo, v_hi = bands["value_lower"].to_numpy(float), bands["value_upper"].to_numpy(float)
    slope = (v_hi - v_lo) / (c_hi - c_lo)
    out = (c_lo, c_hi, v_lo, v_hi, slope)
    for values in out:
        values.flags.writeable = False
    return out


def capaian(target, realisation, lower_is_better=False) -> np.ndarray:
    """Achievement of an indicator against its target, in percent.

    PermenPANRB 8/2021 annex (capaian IKI): a normal indicator scores ``R / T x 100``; a
    "lower is better" indicator (time, error rate, cost) scores ``(1 + (1 - R / T)) x 100``.

    Parameters
    ----------
    target : array_like
        Target (T), in the indicator's unit; must be > 0.
    realisation : array_like
        Realisation (R), same unit, >= 0.
    lower_is_better : array_like of bool, default False
        Whether a smaller realisation is better; broadcast against ``target``.

    Returns
    -------
    numpy.ndarray
        Achievement in percent (100 = target met exactly). Lower-is-better achievements are
        floored at 0: a realisation more than twice the target would otherwise give a negative
        achievement, which the regulation's value table (starting at 0 %) does not cover.

    Raises
    ------
    ValueError
        If a target is not > 0 or a realisation is negative.
    """
    target = np.asarray(target, dtype=float)
    realisation = np.asarray(realisation, dtype=float)
    if np.any(~(target > 0)):
        raise ValueError("target: must be > 0 (achievement divides by the target)")
    if np.any(realisation < 0):
        raise ValueError("realisation: must be >= 0")
    ratio = realisation / target
    lower_better = (2.0 - ratio) * 100.0
    return np.where(
        np.asarray(lower_is_better, dtype=bool), np.maximum(lower_better, 0.0), ratio * 100.0
    )


def capaian_value(capaian, target_is_maximum=False) -> np.ndarray:
    """Value (0-120) of an achievement, PermenPANRB 8/2021 annex (regulations.md 1.8).

    Piecewise linear by band (``data/reference/capaian_value_bands.csv``):

    - Sangat Kurang, below 60 %: ``capaian / 59 x 49``;
    - Kurang, 60-79 %: ``50 + (69 - 50) / (79 - 60) x (capaian - 60)``;
    - Cukup, 80-99 %: ``70 + (89 - 70) / (99 - 80) x (capaian - 80)``;
    - above 110 %: 120.

    **[unverified]** The Baik and Sangat Baik formulas were not found. This function
    interpolates so that the annex worked example holds: 100 % -> 109 (Baik), then 101 % -> 110
    and 110 % -> 120 (Sangat Baik, linear in between, the same form as the verified bands).
    Achievements in the gaps between printed bands (e.g. 99.5 %) use the band below's formula
    extended (99.5 % -> 89.5).

    Parameters
    ----------
    capaian : array_like
        Achievement in percent (>= 0).
    target_is_maximum : array_like of bool, default False
        Whether the target is already the maximum possible (e.g. 100 % coverage): reaching it
        counts as Sangat Baik with value 120 (PermenPANRB 8/2021 annex).

    Returns
    -------
    numpy.ndarray
        Value on the 0-120 scale.
    """
    c_lo, c_hi, v_lo, v_hi, slope = _value_bands()
    achieved = np.asarray(capaian, dtype=float)
    # The band is the last lower bound <= the achievement (the first band below all bounds):
    # ``clip(searchsorted(c_lo, achieved, 'right') - 1, 0, ...)``, counted with one comparison
    # per band, several times faster than searchsorted on an (n, K) array. The comparisons are
    # added as int8 (a bool array viewed as its 0/1 bytes), then widened for the look-ups. (A
    # NaN achievement lands in the first band instead of the last; its value is NaN either way.)
    band = np.zeros(achieved.shape, dtype=np.int8)
    for lower in c_lo[1:]:  # five bands
        band += np.asarray(achieved >= lower).view(np.int8)
    band = band.astype(np.intp)
    value = v_lo[band] + slope[band] * (achieved - c_lo[band])
    value = np.where(achieved > c_hi[-1], v_hi[-1], value)
    at_maximum = np.asarray(target_is_maximum, dtype=bool) & (achieved >= 100.0)
    return np.where(at_maximum, v_hi[-1], value)
