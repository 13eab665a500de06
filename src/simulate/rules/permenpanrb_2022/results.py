"""Rating work results (hasil kerja) from indicator achievements, after PermenPANRB 6/2022.

The rating (di bawah / sesuai / di atas ekspektasi, codes 0 / 1 / 2, :mod:`simulate.scales`)
feeds the quadrant (:mod:`simulate.rules.permenpanrb_2022.employee_predikat`).
"""

from __future__ import annotations

import numpy as np

from simulate.scales import DI_ATAS, DI_BAWAH, SESUAI

__all__ = ["rate_results"]


def _row_count(mask: np.ndarray) -> np.ndarray:
    """True values per row of a 2-D bool array (int64), as ``mask.sum(axis=1)``.

    Adds the columns one by one: NumPy's row reduction costs tens of microseconds per call on
    a (4500, 4) array, a handful of column additions a few. Up to 127 columns the 0/1 bytes
    of the bool array are added as int8 (no casting), then widened.
    """
    if mask.shape[1] > 127:
        return mask.sum(axis=1)
    flags = np.asarray(mask, dtype=bool).view(np.int8)
    out = np.zeros(mask.shape[0], dtype=np.int8)
    for j in range(mask.shape[1]):  # a few result slots
        out += flags[:, j]
    return out.astype(np.int64)


def rate_results(
    capaian_matrix,
    main_mask,
    exceeds_above: float = 110.0,
    below_under: float = 100.0,
    most_share: float = 0.5,
    small_share: float = 1.0 / 3.0,
) -> np.ndarray:
    """Rate work results di bawah / sesuai / di atas ekspektasi from indicator achievements.

    Follows the BKN guidance on PermenPANRB 6/2022 (regulations.md 1.3): *di atas* when most or
    all results exceed expectation and no main result is below; *sesuai* when most or all meet
    expectation with at most a small part of the main results below; *di bawah* when most or all
    are below. The guidance is verbal; the numbers below are this model's reading:

    - a result **exceeds** expectation when its achievement is above ``exceeds_above`` (default
      110 %: beyond the PermenPANRB 8/2021 Sangat Baik band of 101-110 %, where the value is
      capped at 120), and is **below** when under ``below_under`` (default 100 %: the target is
      missed, the 8/2021 Cukup band or worse); otherwise it **meets** expectation;
    - "most" means more than ``most_share`` (default 0.5, i.e. a strict majority) of the
      employee's results; "a small part" means at most ``small_share`` (default 1/3) of the main
      results;
    - *di atas*: exceeding results are a majority and no main result is below;
      *sesuai*: results that meet or exceed are a majority and main results below are at most
      the small part; *di bawah*: everything else (which includes "most or all below").

    Parameters
    ----------
    capaian_matrix : array_like, shape (n_employees, n_results)
        Achievement per result, percent (:func:`simulate.rules.capaian.capaian`); ``NaN`` pads
        employees with fewer results.
    main_mask : array_like of bool, shape (n_employees, n_results) or (n_results,)
        True for main (utama) results, False for additional (tambahan) ones.
    exceeds_above, below_under : float
        Achievement thresholds in percent (``below_under <= exceeds_above``).
    most_share, small_share : float
        Shares in [0, 1] as described above.

    Returns
    -------
    numpy.ndarray of int8, shape (n_employees,)
        0 di bawah, 1 sesuai, 2 di atas ekspektasi.
    """
    achieved = np.atleast_2d(np.asarray(capaian_matrix, dtype=float))
    main = np.broadcast_to(np.asarray(main_mask, dtype=bool), achieved.shape)
    if below_under > exceeds_above:
        raise ValueError("below_under must be <= exceeds_above")
    for name, share in (("most_share", most_share), ("small_share", small_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name}: must be within [0, 1], got {share}")
    present = ~np.isnan(achieved)
    n_results = _row_count(present)
    if np.any(n_results == 0):
        raise ValueError("capaian_matrix: every employee needs at least one result")
    exceeds = present & (achieved > exceeds_above)
    below = present & (achieved < below_under)
    n_main = _row_count(present & main)
    main_below = _row_count(below & main)
    # A tiny slack keeps "at most 1/3" true for exactly 1 of 3 despite float rounding.
    few_main_below = main_below <= small_share * n_main + 1e-9
    above = (_row_count(exceeds) > most_share * n_results) & (main_below == 0)
    meets = (_row_count(present & ~below) > most_share * n_results) & few_main_below
    return np.where(above, DI_ATAS, np.where(meets, SESUAI, DI_BAWAH)).astype(np.int8)
