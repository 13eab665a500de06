"""The organisational predikat of PermenPANRB 6/2022: its codes and the banding of unit achievement.

The unit's organisational predikat (istimewa ... sangat kurang, codes 0-4) fixes which
distribution curve its employees' predikat must meet (:mod:`simulate.rules.permenpanrb_2022.curve`).
Table: ``data/reference/org_predikat_thresholds.csv``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = [
    "ORG_PREDIKAT",
    "ISTIMEWA",
    "ORG_BAIK",
    "ORG_BUTUH_PERBAIKAN",
    "ORG_KURANG",
    "ORG_SANGAT_KURANG",
    "org_predikat",
]

#: Organisational predikat, best first (codes 0-4).
ORG_PREDIKAT: tuple[str, ...] = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ISTIMEWA, ORG_BAIK, ORG_BUTUH_PERBAIKAN, ORG_KURANG, ORG_SANGAT_KURANG = range(5)


def org_predikat(org_capaian, thresholds=None) -> np.ndarray:
    """Organisational predikat code (0 istimewa ... 4 sangat_kurang) from unit achievement.

    PermenPANRB 6/2022 leaves the organisational predikat to the leader one level up
    (regulations.md 1.5-1.6) and prints no cut-offs. **[unverified]** default
    (``data/reference/org_predikat_thresholds.csv``): the PP 30/2019 bands applied to the unit's
    achievement of its perjanjian kinerja, istimewa >= 110 %, baik >= 90 %, butuh perbaikan
    >= 70 %, kurang >= 50 %, sangat kurang below 50 % (inclusive lower bounds).

    Parameters
    ----------
    org_capaian : array_like
        Unit achievement, percent.
    thresholds : sequence of 4 floats, optional
        Inclusive lower bounds for istimewa, baik, butuh_perbaikan and kurang (decreasing).

    Returns
    -------
    numpy.ndarray of int8
    """
    bounds = _default_org_thresholds() if thresholds is None else np.asarray(thresholds, dtype=float)
    if bounds.shape != (4,) or np.any(np.diff(bounds) > 0):
        raise ValueError(
            "thresholds: need 4 decreasing lower bounds (istimewa, baik, butuh_perbaikan, kurang)"
        )
    achieved = np.asarray(org_capaian, dtype=float)
    if np.any(np.isnan(achieved)):
        raise ValueError("org_capaian: NaN cannot be banded")
    # Count the bounds the achievement falls below: 0 of them -> istimewa, all 4 -> sangat kurang.
    below = np.zeros(achieved.shape, dtype=np.int8)
    for bound in bounds:  # four bounds
        below += achieved < bound
    return below[()] if below.ndim == 0 else below  # a scalar in, a NumPy scalar out


@lru_cache(maxsize=1)
def _default_org_thresholds() -> np.ndarray:
    """Lower bounds of istimewa ... kurang from ``org_predikat_thresholds.csv`` (read-only)."""
    table = load_table("org_predikat_thresholds").sort_values("code")
    bounds = table["lower_bound"].to_numpy(float)[:-1]
    bounds.flags.writeable = False
    return bounds
