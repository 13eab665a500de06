"""What citizens think: satisfaction, the SKM survey's answers, complaints and ratings of staff (DESIGN 3.4).

Citizen satisfaction (:func:`satisfaction_level`)
-------------------------------------------------
The latent satisfaction of a visit (SD units) is

``expectation + staff_weight x (staff_performance + quality) / 2 + facility_weight x facility
- wait_weight x log2(max(1, wait / wait_tolerance))``.

Citizens meet both the staff's general performance (competence, behaviour) and the quality of
the service that indicators do not measure, so the staff term is the mean of the two: gaming
that lowers unmeasured quality lowers satisfaction. The wait is the point's mean wait; the
penalty is flat below the tolerance (about an hour, Spechbach et al. 2019) and falls by
``wait_weight`` per doubling beyond it (domain/literature.md 7). A visitor's own satisfaction is
the point level plus ``respondent_sd`` times a standard-normal draw, so the mean over all visits
is the point level (``satisfaction_true``, hidden).

The SKM survey (:func:`simulate_service`)
-----------------------------------------
``surveys_per_year`` is scaled to the period: ``max(1, round_half_up(surveys_per_year x
period_months / 12))`` surveys (PermenPANRB 14/2017 asks for at least one per year, and a period
is appraised on at least one survey), each covering an equal window of the period. A survey
samples the Krejcie-Morgan number of respondents for ``N`` = visits in its window
(:func:`simulate.rules.skm.krejcie_morgan_sample_size`). Response is selective: respondents'
standardised satisfaction has density proportional to ``phi(z) (1 + selectivity |z|)``
(:func:`selective_response_draws`), so the very satisfied and very dissatisfied are
over-represented. Each of the 9 elements is answered as the respondent's latent plus an
element-specific extra loading (:data:`ELEMENT_EXTRA_LOADINGS`: element 3 *waktu penyelesaian*
carries 1.5 times the wait term, elements 6 and 7 *kompetensi* and *perilaku pelaksana* 1.5
times the staff term, element 9 *sarana dan prasarana* 1.5 times the facility term) plus
``element_sd`` noise, cut into 1-4 at ``cutpoints``. Element means (NRR) pool all respondents
of the period; the IKM, its conversion and grade come from :mod:`simulate.rules.skm`.

Complaints follow ``complaints_per_1000 x visits / 1000 x exp(-(level - expectation))``: an
average point (level at expectation) receives the base rate, and the rate grows by a factor
``e`` for every SD the point's satisfaction falls below expectation (and shrinks likewise above).
So that a point with a backlog of weeks cannot receive more complaints than visits, each visit
complains at most once, with probability ``1 - exp(-r)`` for ``r = complaints_per_1000 / 1000 x
exp(-(level - expectation))`` (:func:`complaint_probability`), i.e. complaints are
``Binomial(visits, 1 - exp(-r))``; for an ordinary point ``r`` is well below 0.05 and this is the
Poisson count with mean ``visits x r`` to within a few percent.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr
from simulate.citizens.queue import _nonneg

_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
from simulate.rng import RngLike, as_generator
from simulate.scenario.schema import CitizenParams, SatisfactionParams

#: The 9 SKM elements (unsur) of PermenPANRB 14/2017, in order (domain/regulations.md 4.2).
ELEMENT_NAMES: tuple[str, ...] = (
    "persyaratan",
    "sistem_mekanisme_prosedur",
    "waktu_penyelesaian",
    "biaya_tarif",
    "produk_spesifikasi_layanan",
    "kompetensi_pelaksana",
    "perilaku_pelaksana",
    "penanganan_pengaduan",
    "sarana_prasarana",
)

#: Extra loading of each element on the three drivers of satisfaction, on top of the overall
#: latent (a modelling choice, not regulation): element 3 (completion time) feels the wait
#: penalty 1.5 times, elements 6-7 (staff competence, behaviour) the staff term 1.5 times and
#: element 9 (facilities) the facility term 1.5 times. Rows: wait, staff, facility.
ELEMENT_EXTRA_LOADINGS: dict[str, np.ndarray] = {
    "wait": np.array([0, 0, 0.5, 0, 0, 0, 0, 0, 0], dtype=float),
    "staff": np.array([0, 0, 0, 0, 0, 0.5, 0.5, 0, 0], dtype=float),
    "facility": np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.5], dtype=float),
}

#: SKM service-quality grades, best first.
GRADES: tuple[str, ...] = ("A", "B", "C", "D")


# --------------------------------------------------------------------------------------------
# Satisfaction and selective response
# --------------------------------------------------------------------------------------------


def wait_penalty(wait_minutes, tolerance_minutes: float) -> np.ndarray:
    """Doublings of the wait beyond the tolerance: ``log2(max(1, wait / tolerance))``.

    Flat (zero) for waits up to the tolerance; waits below about an hour barely move
    satisfaction (Spechbach et al. 2019; Thompson et al. 1996; domain/literature.md 7).
    """
    w = _nonneg(wait_minutes, "wait_minutes")
    return np.log2(np.maximum(1.0, w / float(tolerance_minutes)))


def _drivers(staff_performance, quality, facility_quality, wait_minutes, params: SatisfactionParams):
    staff_term = 0.5 * (np.asarray(staff_performance, float) + np.asarray(quality, float))
    staff = params.staff_weight * staff_term
    facility = params.facility_weight * np.asarray(facility_quality, float)
    wait = -params.wait_weight * wait_penalty(wait_minutes, params.wait_tolerance_minutes)
    return {"wait": wait, "staff": staff, "facility": facility}


def satisfaction_level(
    staff_performance, quality, facility_quality, wait_minutes, params: SatisfactionParams
) -> np.ndarray:
    """Latent satisfaction of an average visit to a service point (SD units).

    ``expectation + staff_weight (staff_performance + quality) / 2 + facility_weight facility
    - wait_weight log2(max(1, wait / wait_tolerance))`` (see the module docstring).
    """
    d = _drivers(staff_performance, quality, facility_quality, wait_minutes, params)
    return params.expectation + d["staff"] + d["facility"] + d["wait"]


def _mixture_weight(selectivity: float) -> float:
    """Probability of the standard-normal component of the selective response density."""
    if not np.isfinite(selectivity) or selectivity < 0:
        raise ValueError(f"selectivity: must be finite and >= 0, got {selectivity}")
    return 1.0 / (1.0 + selectivity * _SQRT_2_OVER_PI)


def selective_response_draws(n: int, selectivity: float, rng: RngLike = None) -> np.ndarray:
    """Standardised satisfaction of ``n`` respondents under selective response.

    The propensity to answer rises by ``selectivity`` per SD of distance from the mean, so
    respondents' density is ``phi(z) (1 + selectivity |z|) / (1 + selectivity sqrt(2/pi))``.
    It is sampled exactly as a two-component mixture: with probability
    ``1 / (1 + selectivity sqrt(2/pi))`` a standard normal, otherwise ``+-R`` with ``R`` Rayleigh(1)
    (density ``r exp(-r^2/2)``, which is ``2 r phi(r) / sqrt(2/pi)``) and a fair random sign.
    ``selectivity = 0`` gives the standard normal.
    """
    rng = as_generator(rng)
    if n < 0:
        raise ValueError(f"n: must be >= 0, got {n}")
    p_normal = _mixture_weight(selectivity)
    u = rng.random(n)
    normal = u < p_normal
    z = np.empty(n)
    n_normal = int(normal.sum())
    z[normal] = rng.standard_normal(n_normal)
    # Given u >= p_normal, u is uniform on [p_normal, 1): its halves give an independent sign.
    magnitude = rng.rayleigh(1.0, n - n_normal)
    upper = u[~normal] >= p_normal + 0.5 * (1.0 - p_normal)
    z[~normal] = np.where(upper, magnitude, -magnitude)
    return z


def selective_response_cdf(x, selectivity: float) -> np.ndarray:
    """CDF of :func:`selective_response_draws`' distribution (mixture of normal and signed Rayleigh)."""
    x = np.asarray(x, dtype=float)
    p_normal = _mixture_weight(selectivity)
    half_tail = 0.5 * np.exp(-0.5 * x * x)
    rayleigh = np.where(x < 0, half_tail, 1.0 - half_tail)
    return p_normal * ndtr(x) + (1.0 - p_normal) * rayleigh


def answer_probabilities(mean, sd, cutpoints, selectivity: float = 0.0) -> np.ndarray:
    """Probabilities of the answers 1-4 for a latent ``mean + sd z`` cut at ``cutpoints``.

    ``z`` follows the selective response distribution (standard normal when
    ``selectivity = 0``). Returns an array of shape ``broadcast(mean, sd).shape + (4,)``.
    """
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    cuts = np.asarray(cutpoints, dtype=float)
    below = selective_response_cdf((cuts - mean[..., None]) / sd[..., None], selectivity)
    upper = np.concatenate([below, np.ones(below.shape[:-1] + (1,))], axis=-1)
    lower = np.concatenate([np.zeros(below.shape[:-1] + (1,)), below], axis=-1)
    return np.clip(upper - lower, 0.0, 1.0)


def complaint_probability(complaints_per_1000, satisfaction_gap) -> np.ndarray:
    """Probability that one visit leads to a complaint: ``1 - exp(-r)``.

    ``r = complaints_per_1000 / 1000 x exp(-satisfaction_gap)`` with ``satisfaction_gap`` the
    point's latent satisfaction minus the expectation (SD). For small ``r`` this is ``r``: the
    base rate at an average point, ``e`` times more per SD below expectation; it never exceeds 1.
    """
    rate = _nonneg(complaints_per_1000, "complaints_per_1000") / 1000.0
    with np.errstate(over="ignore"):
        r = rate * np.exp(-np.asarray(satisfaction_gap, dtype=float))
    return -np.expm1(-r)


def surveys_in_period(surveys_per_year: int, period_months: int) -> int:
    """SKM surveys held in a period: ``max(1, round_half_up(surveys_per_year x months / 12))``.

    PermenPANRB 14/2017 requires at least one survey a year; a period of any length is appraised
    on at least one survey (a yearly survey still informs a six-month period).
    """
    if surveys_per_year < 1:
        raise ValueError(f"surveys_per_year: must be >= 1, got {surveys_per_year}")
    _check_months(period_months)
    return max(1, int(np.floor(surveys_per_year * period_months / 12.0 + 0.5)))


def _check_months(period_months) -> None:
    whole = isinstance(period_months, (int, np.integer)) and not isinstance(period_months, bool)
    if not whole or period_months < 1:
        raise ValueError(f"period_months: must be a whole number of months >= 1, got {period_months!r}")



# --------------------------------------------------------------------------------------------
# Ratings of individual counter staff
# --------------------------------------------------------------------------------------------


def citizen_ratings(
    server_performance_individual,
    point_satisfaction_level,
    ratings_per_month,
    period_months: int,
    params: CitizenParams | SatisfactionParams,
    rng: RngLike = None,
) -> np.ndarray:
    """Mean 1-4 rating each counter staff member receives from citizens they served.

    Each staff member receives ``m ~ Poisson(ratings_per_month x period_months)`` ratings. A
    rating's latent is ``point level + staff_weight x own performance + respondent_sd z`` with
    ``z`` from the selective response distribution (the very pleased and the very annoyed press
    the button more), cut at ``cutpoints``. The four category probabilities are exact
    (:func:`answer_probabilities`), so the counts per category are one multinomial draw per
    person, vectorised; the mean is ``sum(k x count_k) / m``.

    Parameters
    ----------
    server_performance_individual : array_like
        General performance of each counter staff member (SD).
    point_satisfaction_level : array_like
        Latent satisfaction level of the service point each person serves at (SD), e.g.
        ``ServiceOutcome.points.satisfaction_true`` gathered per person. Note the level already
        contains the point's mean staff term; pass a level net of it to avoid counting it twice.
    ratings_per_month : float or array_like
        Expected ratings per person per month (>= 0), e.g. ``params.citizen_ratings_per_staff``.
    period_months : int
        Months in the period (>= 1).
    params : CitizenParams or SatisfactionParams
        Satisfaction parameters (``staff_weight``, ``respondent_sd``, ``cutpoints``,
        ``selectivity``).
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    numpy.ndarray
        Mean rating in [1, 4] per person; ``NaN`` where no rating was received.
    """
    rng = as_generator(rng)
    _check_months(period_months)
    sat = params.satisfaction if isinstance(params, CitizenParams) else params
    if not isinstance(sat, SatisfactionParams):
        raise TypeError(
            f"params: expected CitizenParams or SatisfactionParams, got {type(params).__name__}"
        )
    perf = np.asarray(server_performance_individual, dtype=float)
    level = np.asarray(point_satisfaction_level, dtype=float)
    if perf.ndim != 1 or level.shape != perf.shape:
        raise ValueError(
            "point_satisfaction_level: must have one value per staff member, "
            f"got shapes {level.shape} and {perf.shape}"
        )
    if np.any(~np.isfinite(perf)) or np.any(~np.isfinite(level)):
        raise ValueError("server_performance_individual, point_satisfaction_level: must be finite")
    rate = np.broadcast_to(_nonneg(ratings_per_month, "ratings_per_month"), perf.shape)
    counts = rng.poisson(rate * period_months)
    latent_mean = level + sat.staff_weight * perf
    probs = answer_probabilities(latent_mean, np.full(perf.shape, sat.respondent_sd),
                                 sat.cutpoints, sat.selectivity)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    by_answer = rng.multinomial(counts, probs)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (by_answer * np.arange(1, 5)).sum(axis=-1) / np.maximum(counts, 1)
    return np.where(counts > 0, mean, np.nan)

