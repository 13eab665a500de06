"""PP 46/2011 (Penilaian Prestasi Kerja PNS) with Perka BKN 1/2013: SKP formulas, score, bands.

The old system (2014-2021): each SKP activity is scored on quantity, quality, time and (when a
cost target exists) cost; the SKP value is the mean over activities plus bonuses; the final
score is 60 % SKP + 40 % behaviour, banded into five sebutan (domain/regulations.md 3).
Constants live in ``data/reference/pp46_time_cost.csv``, ``pp46_bonus.csv``,
``score_weights.csv`` and ``pp46_bands.csv``.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = [
    "quantity_value",
    "quality_value",
    "time_value",
    "cost_value",
    "activity_value",
    "extra_task_bonus",
    "creativity_bonus",
    "skp_value",
    "final_score",
    "predikat",
]

_EFFICIENCY_DECIMALS = 9


@cache
def _parameters(name: str) -> dict[str, float]:
    """A ``parameter,value`` table as a dict (read once; callers must not change it)."""
    table = load_table(name)
    return dict(zip(table["parameter"], table["value"].astype(float), strict=True))


def _readonly(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


# The reference tables are fixed for the life of the process: each function below reads its
# table once and keeps the arrays the formulas need (read-only), so a call costs no CSV copy.


@lru_cache(maxsize=1)
def _extra_task_table() -> tuple[np.ndarray, np.ndarray]:
    """Lower task counts of the extra-task bonus bands and the bonus below/in each band."""
    table = load_table("pp46_bonus")
    rows = table[table["kind"] == "extra_tasks"].sort_values("min_count")
    mins = rows["min_count"].to_numpy(float)
    bonus = np.concatenate([[0.0], rows["bonus"].to_numpy(float)])
    return _readonly(mins), _readonly(bonus)


@lru_cache(maxsize=1)
def _creativity_table() -> tuple[tuple[str, float], ...]:
    """(level, bonus) pairs of the creativity bonus, in table order."""
    table = load_table("pp46_bonus")
    rows = table[table["kind"] == "creativity"]
    return tuple(dict(zip(rows["level"], rows["bonus"].astype(float), strict=True)).items())


@lru_cache(maxsize=1)
def _score_weights() -> tuple[float, float]:
    """(SKP weight, behaviour weight) of the final score."""
    table = load_table("score_weights")
    weights = table[table["regulation"] == "pp46_2011"].iloc[0]
    return weights["skp_weight"], weights["behaviour_weight"]


@lru_cache(maxsize=1)
def _bands() -> tuple[np.ndarray, np.ndarray]:
    """Sorted inclusive lower bounds of the sebutan bands and their predikat codes."""
    bands = load_table("pp46_bands").sort_values("lower_bound")
    return _readonly(bands["lower_bound"].to_numpy(float)), _readonly(bands["code"].to_numpy())


def _ratio_value(target, realisation, name: str) -> np.ndarray:
    target = np.asarray(target, dtype=float)
    realisation = np.asarray(realisation, dtype=float)
    if np.any(~(target > 0)):
        raise ValueError(f"{name}: target must be > 0")
    if np.any(realisation < 0):
        raise ValueError(f"{name}: realisation must be >= 0")
    return realisation / target * 100.0


def quantity_value(target, realisation) -> np.ndarray:
    """Quantity aspect (kuantitas): ``R / T x 100``, Perka BKN 1/2013 (output units)."""
    return _ratio_value(target, realisation, "quantity")


def quality_value(target, realisation) -> np.ndarray:
    """Quality aspect (kualitas): ``R / T x 100``, Perka BKN 1/2013 (quality target usually 100)."""
    return _ratio_value(target, realisation, "quality")


def _efficiency_value(target, realisation, name: str) -> np.ndarray:
    """Shared time/cost formula of Perka BKN 1/2013 with the 1.76 factor and the 24 % break.

    ``efficiency = 100 - R / T x 100``; if ``efficiency <= 24``:
    ``((1.76 T - R) / T) x 100``, else ``76 - ((((1.76 T - R) / T) x 100) - 100)``.
    Meeting the target exactly gives 76; exactly 24 % under target gives the maximum 100; just
    past the break the value drops to about 76 and falls further with more "efficiency" (the
    formula's own discontinuity, kept as written). The regulation sets no floor, so a
    realisation beyond 1.76 x the target gives a negative value; it is returned as computed.
    """
    p = _parameters("pp46_time_cost")
    ratio = _ratio_value(target, realisation, name) / 100.0
    # Rounded so float noise (24.000000000000004 for R = 0.76 T) cannot cross the break,
    # where the formula jumps from 100 to 76.
    efficiency = np.round(100.0 - ratio * 100.0, _EFFICIENCY_DECIMALS)
    raw = (p["factor"] - ratio) * 100.0
    return np.where(efficiency <= p["efficiency_break"], raw, p["base_value"] - (raw - 100.0))


def time_value(target, realisation) -> np.ndarray:
    """Time aspect (waktu), Perka BKN 1/2013; target (TW) and realisation (RW) in months.

    ``efficiency = 100 - RW / TW x 100``; if ``efficiency <= 24``:
    ``((1.76 TW - RW) / TW) x 100``, else ``76 - ((((1.76 TW - RW) / TW) x 100) - 100)``
    (regulations.md 3.3). On target: 76; 24 % faster: 100; 25 % faster: 75; a month late on
    12: 67.67.
    """
    return _efficiency_value(target, realisation, "time")


def cost_value(target, realisation) -> np.ndarray:
    """Cost aspect (biaya), Perka BKN 1/2013: the :func:`time_value` formula applied to the
    target cost (TB) and real cost (RB), in rupiah. Only scored when the activity has a cost
    target.
    """
    return _efficiency_value(target, realisation, "cost")


def activity_value(quantity, quality, time, cost=None) -> np.ndarray:
    """Value of one SKP activity: the mean of its 3 or 4 aspect values, Perka BKN 1/2013.

    ``perhitungan`` = sum of the aspect values; ``nilai capaian SKP`` = perhitungan / number of
    aspects. Worked example: ``(100 + 90 + 76 + 76) / 4 = 85.50``.

    Parameters
    ----------
    quantity, quality, time : array_like
        Aspect values (from :func:`quantity_value`, :func:`quality_value`, :func:`time_value`).
    cost : array_like, optional
        Cost aspect values; ``NaN`` (or ``None`` for all) marks an activity without a cost
        target, which is averaged over 3 aspects.

    Returns
    -------
    numpy.ndarray
        Activity value (unrounded).
    """
    core = (
        np.asarray(quantity, dtype=float)
        + np.asarray(quality, dtype=float)
        + np.asarray(time, dtype=float)
    )
    if cost is None:
        return core / 3.0
    cost = np.asarray(cost, dtype=float)
    has_cost = ~np.isnan(cost)
    return np.where(
        has_cost, (core + np.where(has_cost, cost, 0.0)) / np.where(has_cost, 4.0, 3.0), core / 3.0
    )


def extra_task_bonus(extra_tasks) -> np.ndarray:
    """Bonus for additional tasks (tugas tambahan), Perka BKN 1/2013 **[unverified]**.

    1-3 tasks add 1, 4-6 add 2, 7 or more add 3 (``data/reference/pp46_bonus.csv``).
    """
    mins, bonus = _extra_task_table()
    count = np.asarray(extra_tasks, dtype=float)
    if np.any(count < 0):
        raise ValueError("extra_tasks: must be >= 0")
    return bonus[np.searchsorted(mins, count, side="right")]


def creativity_bonus(creativity) -> np.ndarray:
    """Bonus for creativity (kreativitas), Perka BKN 1/2013 **[unverified]**.

    ``creativity`` names who recognised it: ``none`` 0, ``unit_kerja`` 3, ``organisasi`` 6,
    ``negara`` 12 (``data/reference/pp46_bonus.csv``).
    """
    lookup = _creativity_table()
    levels = np.asarray(creativity, dtype=str)
    bonus = np.zeros(levels.shape)
    known = np.zeros(levels.shape, dtype=bool)
    for level, value in lookup:  # four levels
        is_level = levels == level
        bonus[is_level] = value
        known |= is_level
    if not known.all():
        unknown = sorted(set(levels[~known].ravel()))
        allowed = ", ".join(level for level, _ in lookup)
        raise ValueError(f"creativity: unknown level(s) {unknown}; allowed: {allowed}")
    return bonus


def skp_value(activity_values, extra_tasks=0, creativity="none") -> np.ndarray:
    """SKP value: mean of the activity values plus the extra-task and creativity bonuses.

    Perka BKN 1/2013 (regulations.md 3.3); the bonus values are **[unverified]**.

    Parameters
    ----------
    activity_values : array_like, shape (..., n_activities)
        Activity values; ``NaN`` pads employees with fewer activities.
    extra_tasks : array_like of int, shape (...)
        Number of additional tasks (tugas tambahan).
    creativity : array_like of str, shape (...)
        Recognition level of creativity (see :func:`creativity_bonus`).

    Returns
    -------
    numpy.ndarray, shape (...)
        SKP value (not capped; the bonuses can lift it above 100).
    """
    values = np.asarray(activity_values, dtype=float)
    counted = _count_last_axis(~np.isnan(values))
    if np.any(counted == 0):
        raise ValueError("activity_values: every SKP needs at least one activity value")
    mean = np.nansum(values, axis=-1) / counted
    return mean + extra_task_bonus(extra_tasks) + creativity_bonus(creativity)


def _count_last_axis(mask: np.ndarray) -> np.ndarray:
    """``mask.sum(axis=-1)`` (int64); a few columns of a 2-D mask are added one by one as int8
    (the bools' 0/1 bytes), far cheaper than NumPy's row reduction."""
    if mask.ndim != 2 or mask.shape[1] > 127:
        return mask.sum(axis=-1)
    flags = mask.view(np.int8)
    out = np.zeros(mask.shape[0], dtype=np.int8)
    for j in range(mask.shape[1]):  # the activities of one SKP: a handful
        out += flags[:, j]
    return out.astype(np.int64)


def final_score(skp, behaviour) -> np.ndarray:
    """Nilai prestasi kerja = 60 % SKP + 40 % behaviour (PP 46/2011; ``score_weights.csv``)."""
    skp_weight, behaviour_weight = _score_weights()
    return skp_weight * np.asarray(skp, dtype=float) + behaviour_weight * np.asarray(behaviour, dtype=float)


def predikat(score) -> np.ndarray:
    """Sebutan (band) of a PP 46/2011 score as predikat codes 0-4.

    Printed bands (regulations.md 3.2): >= 91 Sangat Baik (0); 76-90 Baik (1); 61-75 Cukup
    (2); 51-60 Kurang (3); <= 50 Buruk (4). The bands are printed for whole numbers; for
    fractional scores each band's printed lower bound is an inclusive threshold and the band
    runs up to the next threshold, so 90.99 is Baik, 75.5 is Cukup and 50.5 is Buruk (not yet
    51). Scores are used as given (no rounding first). ``NaN`` raises.
    """
    lower_bounds, codes = _bands()
    values = np.asarray(score, dtype=float)
    if np.any(np.isnan(values)):
        raise ValueError("score: NaN cannot be banded")
    position = np.clip(np.searchsorted(lower_bounds, values, side="right") - 1, 0, len(codes) - 1)
    return codes[position].astype(np.int8)
