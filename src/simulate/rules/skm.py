"""Citizen satisfaction survey (Survei Kepuasan Masyarakat, SKM): PermenPANRB 14/2017.

Respondents answer 9 service elements (unsur) on a 1-4 scale. The per-element value (NRR) is the
mean of the filled answers, the index (IKM, 1-4) is the mean of the 9 element values (weight 1/9
each), the converted index is IKM x 25 (25-100) and the service quality grade (mutu pelayanan) is
A/B/C/D from the converted index (domain/regulations.md 4.3-4.4). The minimum number of
respondents follows Krejcie & Morgan (1970) (regulations.md 4.5).

Grade bounds and sample-size constants are read from ``data/reference/skm_grades.csv`` and
``data/reference/krejcie_morgan_parameters.csv``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = [
    "N_ELEMENTS",
    "CONVERSION_FACTOR",
    "nrr_per_element",
    "ikm_from_responses",
    "ikm_from_element_means",
    "convert_ikm",
    "ikm_grade",
    "krejcie_morgan_sample_size",
]

#: Number of service elements (unsur) in PermenPANRB 14/2017.
N_ELEMENTS = 9
#: IKM (1-4) times this gives the converted index (25-100), PermenPANRB 14/2017 annex.
CONVERSION_FACTOR = 25.0
# Float noise from averaging (e.g. 76.60999999999999 for a true 76.61) must not change a grade;
# converted indices are published to 2 decimals, so rounding to 9 decimals only removes noise.
_GRADE_DECIMALS = 9


@lru_cache(maxsize=None)
def _grade_table() -> tuple[np.ndarray, np.ndarray]:
    """Grades and their lower bounds, ascending (read once; the arrays are read-only)."""
    table = load_table("skm_grades").sort_values("lower_converted")
    grades, lowers = table["grade"].to_numpy(dtype=str), table["lower_converted"].to_numpy(dtype=float)
    grades.flags.writeable = lowers.flags.writeable = False
    return grades, lowers


def _km_parameters() -> dict[str, float]:
    return dict(_km_parameter_items())


@lru_cache(maxsize=None)
def _km_parameter_items() -> tuple[tuple[str, float], ...]:
    table = load_table("krejcie_morgan_parameters")
    return tuple(zip(table["parameter"], table["value"].astype(float).tolist(), strict=True))


def nrr_per_element(responses) -> np.ndarray:
    """Per-element mean answer (NRR, 1-4) over the respondents who answered that element.

    Parameters
    ----------
    responses : array_like, shape (n_respondents, 9)
        Answers 1-4; ``NaN`` or ``0`` marks an unanswered element.

    Returns
    -------
    numpy.ndarray, shape (9,)
        NRR per element (PermenPANRB 14/2017: total perception score of the element divided by
        the number of filled answers). An element nobody answered is ``NaN``.

    Raises
    ------
    ValueError
        If the array is not two-dimensional with 9 columns, or an answer is not 0/NaN or 1-4.
    """
    answers = np.asarray(responses, dtype=float)
    if answers.ndim != 2 or answers.shape[1] != N_ELEMENTS:
        raise ValueError(
            f"responses: expected shape (n_respondents, {N_ELEMENTS}), got {answers.shape}"
        )
    answered = np.isfinite(answers) & (answers != 0)
    if np.any(answered & ((answers < 1) | (answers > 4))):
        raise ValueError("responses: answers must be 1-4 (0 or NaN for an unanswered element)")
    filled = answered.sum(axis=0)
    total = np.where(answered, answers, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(filled > 0, total / np.maximum(filled, 1), np.nan)


def ikm_from_responses(responses) -> float:
    """The IKM (1-4) of one service unit from its respondents' answers.

    PermenPANRB 14/2017 annex: IKM = sum over the 9 elements of NRR_i x 1/9, where NRR_i is the
    mean of the filled answers to element i (see :func:`nrr_per_element`).

    Parameters
    ----------
    responses : array_like, shape (n_respondents, 9)
        Answers 1-4; ``NaN`` or ``0`` marks an unanswered element.

    Returns
    -------
    float
        IKM on the 1-4 scale; ``NaN`` if some element has no answer at all (the index is then
        undefined).
    """
    return float(ikm_from_element_means(nrr_per_element(responses)))


def ikm_from_element_means(element_means) -> np.ndarray:
    """IKM (1-4) from element means: the equally weighted (1/9) mean, PermenPANRB 14/2017.

    Parameters
    ----------
    element_means : array_like, shape (..., 9)
        NRR per element on the 1-4 scale, for any number of units.

    Returns
    -------
    numpy.ndarray, shape (...)
        IKM per unit on the 1-4 scale (``NaN`` where an element mean is ``NaN``).
    """
    means = np.asarray(element_means, dtype=float)
    if means.ndim == 0 or means.shape[-1] != N_ELEMENTS:
        raise ValueError(
            f"element_means: last axis must have {N_ELEMENTS} elements, got {means.shape}"
        )
    return means.mean(axis=-1)


def convert_ikm(ikm) -> np.ndarray:
    """Converted IKM (25-100) = IKM (1-4) x 25, PermenPANRB 14/2017 annex."""
    return np.asarray(ikm, dtype=float) * CONVERSION_FACTOR


def ikm_grade(converted) -> np.ndarray:
    """Service quality grade (mutu pelayanan) A/B/C/D from the converted IKM (25-100).

    Half-open intervals on the converted index, PermenPANRB 14/2017 annex
    (domain/regulations.md 4.4): ``D < 65.00 <= C < 76.61 <= B < 88.31 <= A``. Bounds come from
    ``data/reference/skm_grades.csv``. Values below 25 are graded D; ``NaN`` gives ``''``.

    Parameters
    ----------
    converted : array_like
        Converted IKM, 25-100.

    Returns
    -------
    numpy.ndarray of str
        ``'A'``, ``'B'``, ``'C'`` or ``'D'`` per value.
    """
    grades, lowers = _grade_table()
    values = np.round(np.asarray(converted, dtype=float), _GRADE_DECIMALS)
    index = np.clip(np.searchsorted(lowers, values, side="right") - 1, 0, len(grades) - 1)
    return np.where(np.isnan(values), "", grades[index])


def krejcie_morgan_sample_size(population) -> np.ndarray:
    """Minimum SKM sample size for a population of service users, Krejcie & Morgan (1970).

    ``n = chi2 N P (1-P) / (d^2 (N-1) + chi2 P (1-P))`` with chi2 = 3.841, P = 0.5, d = 0.05
    (``data/reference/krejcie_morgan_parameters.csv``), rounded to the nearest integer with
    halves rounded up. Rounding to nearest (not up) is what reproduces every row of the
    published table used by PermenPANRB 14/2017 (e.g. 100 -> 79.5 -> 80 but 20 -> 19.06 -> 19,
    2000 -> 322.35 -> 322); ``data/reference/krejcie_morgan.csv`` holds the table and the tests
    check each row. A population of 0 gives 0; ``n`` never exceeds ``N``.

    Parameters
    ----------
    population : array_like of int
        Number of service users in the reference period (N >= 0).

    Returns
    -------
    numpy.ndarray of int64
        Minimum number of respondents.
    """
    n_pop = np.asarray(population, dtype=float)
    if np.any(n_pop < 0) or np.any(~np.isfinite(n_pop)):
        raise ValueError("population: must be a finite number >= 0")
    p = _km_parameters()
    spread = p["chi_square"] * p["proportion"] * (1.0 - p["proportion"])
    exact = spread * n_pop / (p["margin"] ** 2 * (n_pop - 1.0) + spread)
    return np.minimum(np.floor(exact + 0.5), n_pop).astype(np.int64)
