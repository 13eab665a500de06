"""Service delivery and citizens: queues, the SKM survey, complaints and citizen ratings (DESIGN 3.4).

This is how appraisal reaches citizens: better (or harder-working) counter staff serve faster,
shorter waits and better staff raise citizens' latent satisfaction, and the satisfaction survey
(SKM, PermenPANRB 14/2017) and complaints make part of it visible to the appraisal system.
Everything is vectorised over service points (and over respondents); the only Python loops run
over the 9 SKM elements, over the number of servers ``k`` in the Erlang recursion and over the
surveys of the period. All draws come from the ``rng`` handed in.

Queue model (:func:`erlang_c`, :func:`queue_metrics`)
-----------------------------------------------------
A service point with ``c`` servers, Poisson arrivals at rate ``lambda`` per opening hour and
exponential service at rate ``mu`` per server is an M/M/c queue with offered load
``a = lambda / mu`` and utilisation ``rho = a / c``.

* Stable (``rho < 1``): the probability of waiting is Erlang C, computed from the numerically
  stable Erlang-B recursion ``B_0 = 1, B_k = a B_{k-1} / (k + a B_{k-1})`` and
  ``C = B_c / (1 - rho (1 - B_c))``. The mean wait in the queue is ``C / (c mu - lambda)`` hours
  and ``P(Wq > t) = C exp(-(c mu - lambda) t)``, so the 90th percentile is 0 when ``C <= 0.1``
  and ``ln(C / 0.1) / (c mu - lambda)`` otherwise.
* Overloaded (``rho >= 1``): no steady state exists; the queue grows over the period instead.
  Let ``T`` be the opening hours of the period (``days x opening hours per day``) and let the
  backlog carry over from one day to the next (citizens come back the next day). In the fluid
  limit the queue at opening hour ``t`` is ``(lambda - c mu) t`` citizens, so a citizen arriving
  at ``t`` waits ``(lambda - c mu) t / (c mu) = (rho - 1) t`` opening hours. Arrivals are uniform
  over ``[0, T]``, hence the mean wait is ``(rho - 1) T / 2`` hours, i.e.
  ``(rho - 1) x days_in_period / 2`` working days, and its 90th percentile
  ``0.9 (rho - 1) T``. The backlog left at the end of the period, ``(rho - 1) x days_in_period``
  working days of full capacity, is reported as ``backlog_days``. Waits are reported in minutes
  of opening time (``days x opening hours x 60``), so they stay finite.
* Near ``rho = 1`` (the bridge): the stationary wait tends to infinity while the fluid backlog is
  zero, but over a finite period neither is right: a queue that starts empty at critical load
  behaves like a reflected Brownian motion with variance rate ``sigma^2 = lambda + c mu`` (Poisson
  arrivals and exponential services), so the queue at time ``t`` has mean
  ``sigma sqrt(2 t / pi)``. Averaged over arrivals uniform on ``[0, T]`` and divided by the
  service capacity this gives the critical-load wait ``W_crit = (2/3) sqrt(2 / pi) sigma sqrt(T) /
  (c mu)`` hours, and its 90th percentile ``q90 sigma sqrt(T) / (c mu)`` with
  ``q90 = 1.18032`` the 90th percentile of ``sqrt(U) |Z|``. The reported wait is
  ``max(W_fluid, min(W_stationary, W_crit))`` (``W_stationary = inf`` when ``rho >= 1``,
  ``W_fluid = 0`` when ``rho < 1``), and the same for the 90th percentile. This is the M/M/c
  value wherever the queue settles within the period (everywhere except within a few percent of
  ``rho = 1`` for the default year), the fluid backlog when clearly overloaded, and it is
  continuous and non-decreasing in the arrival rate (and non-increasing in the service rate)
  across ``rho = 1``.

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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr

from simulate.evidence import frame_html
from simulate.frames import LazyFrame, frame_column, frame_raw
from simulate.rng import RngLike, as_generator, copy_generator
from simulate.rules.skm import (
    N_ELEMENTS,
    convert_ikm,
    ikm_from_element_means,
    ikm_grade,
    krejcie_morgan_sample_size,
)
from simulate.scenario.schema import COUNTER_KINDS, CitizenParams, SatisfactionParams

__all__ = [
    "ELEMENT_NAMES",
    "ELEMENT_EXTRA_LOADINGS",
    "POINT_INPUT_COLUMNS",
    "POINT_COLUMNS",
    "HIDDEN_COLUMNS",
    "GRADES",
    "erlang_c",
    "queue_metrics",
    "wait_penalty",
    "satisfaction_level",
    "selective_response_draws",
    "selective_response_cdf",
    "surveys_in_period",
    "complaint_probability",
    "answer_probabilities",
    "simulate_service",
    "plan_service",
    "compose_service",
    "ServicePlan",
    "ServiceOutcome",
    "citizen_ratings",
]

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

#: Columns :func:`simulate_service` needs in its ``points`` frame.
POINT_INPUT_COLUMNS: tuple[str, ...] = (
    "point_id",
    "opd_kind",
    "n_staff",
    "n_servers",
    "server_performance",
    "staff_performance",
    "quality",
)

#: Columns of :attr:`ServiceOutcome.points`, in order.
POINT_COLUMNS: tuple[str, ...] = (
    "point_id",
    "opd_kind",
    "n_staff",
    "servers",
    "visits",
    "arrivals_per_hour",
    "service_rate_per_hour",
    "utilisation",
    "overloaded",
    "p_wait",
    "wait_minutes_mean",
    "wait_minutes_p90",
    "backlog_days",
    "facility_quality",
    "surveys",
    "respondents",
    *(f"element_{i}" for i in range(1, N_ELEMENTS + 1)),
    "ikm",
    "ikm_converted",
    "ikm_grade",
    "complaints",
    "complaints_per_1000",
    "satisfaction_true",
    "ikm_true",
)

#: Hidden truth kept for metrics, never shown to an appraisal system.
HIDDEN_COLUMNS: tuple[str, ...] = ("satisfaction_true", "ikm_true")

#: SKM service-quality grades, best first.
GRADES: tuple[str, ...] = ("A", "B", "C", "D")

# 90th percentile of sqrt(U) |Z| (U uniform on [0, 1], Z standard normal): solves
# 0.1 = int_0^1 2 (1 - Phi(q / sqrt(u))) du (scipy brentq + quad; checked in the tests).
_CRITICAL_P90 = 1.1803198704477356
# Mean of sqrt(U) |Z|: E sqrt(U) = 2/3 times E|Z| = sqrt(2/pi).
_CRITICAL_MEAN = (2.0 / 3.0) * np.sqrt(2.0 / np.pi)
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)


# --------------------------------------------------------------------------------------------
# Queue
# --------------------------------------------------------------------------------------------


def _as_servers(servers, name: str = "servers") -> np.ndarray:
    c = np.asarray(servers)
    if c.dtype == bool or not np.issubdtype(c.dtype, np.number):
        raise ValueError(f"{name}: must be whole numbers >= 1, got dtype {c.dtype}")
    cf = c.astype(float)
    if np.any(~np.isfinite(cf)) or np.any(cf < 1) or np.any(cf != np.floor(cf)):
        bad = cf[~(np.isfinite(cf) & (cf >= 1) & (cf == np.floor(cf)))].ravel()[0]
        raise ValueError(
            f"{name}: every service point needs a whole number of servers >= 1, got {bad:g}"
        )
    return cf.astype(np.int64)


def _nonneg(values, name: str) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x < 0):
        raise ValueError(f"{name}: must be finite and >= 0")
    return x


def _positive(values, name: str) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise ValueError(f"{name}: must be finite and > 0")
    return x


def erlang_c(servers, offered_load) -> np.ndarray:
    """Probability that an arriving customer waits in an M/M/c queue (Erlang C).

    Uses the numerically stable Erlang-B recursion (no factorials or powers), vectorised over
    service points: ``B_0 = 1``, ``B_k = a B_{k-1} / (k + a B_{k-1})`` for ``k = 1..c``, then
    ``C = B_c / (1 - rho (1 - B_c))`` with ``rho = a / c`` (e.g. Gross & Harris, *Fundamentals of
    Queueing Theory*, M/M/c). An overloaded queue (``rho >= 1``) makes every customer wait:
    ``C = 1``. No load gives ``C = 0``.

    Parameters
    ----------
    servers : array_like of int
        Number of servers ``c >= 1`` per service point.
    offered_load : array_like of float
        Offered load ``a = lambda / mu >= 0`` (Erlangs), broadcast against ``servers``.

    Returns
    -------
    numpy.ndarray
        ``P(wait)`` in [0, 1].
    """
    c = _as_servers(servers)
    a = _nonneg(offered_load, "offered_load")
    c, a = np.broadcast_arrays(c, a)
    b = np.ones(a.shape)
    for k in range(1, int(c.max(initial=0)) + 1):
        active = c >= k
        b = np.where(active, a * b / (k + a * b), b)
    rho = a / c
    with np.errstate(divide="ignore", invalid="ignore"):
        p_wait = b / (1.0 - rho * (1.0 - b))
    return np.where(rho >= 1.0, 1.0, np.where(a > 0, np.clip(p_wait, 0.0, 1.0), 0.0))


def queue_metrics(
    arrivals_per_hour,
    service_rate_per_server_per_hour,
    servers,
    opening_hours_per_day,
    days_in_period,
) -> pd.DataFrame:
    """Waiting times of M/M/c service points over a period, with overload as a backlog.

    See the module docstring for the derivation: the M/M/c (Erlang C) waits when the queue is
    stable, the fluid backlog ``(rho - 1) x days_in_period / 2`` working days of mean wait when it
    is overloaded, bridged across ``rho = 1`` by the finite-period critical-load wait, so every
    value is finite and non-decreasing in the arrival rate.

    Parameters
    ----------
    arrivals_per_hour : array_like
        Citizen arrivals per opening hour, ``lambda >= 0``.
    service_rate_per_server_per_hour : array_like
        Citizens one server completes per hour, ``mu > 0``.
    servers : array_like of int
        Servers (counters staffed) ``c >= 1``.
    opening_hours_per_day : float or array_like
        Opening hours per working day (> 0).
    days_in_period : float or array_like
        Working days in the period (> 0); the backlog carries over from day to day.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``utilisation`` (``lambda / (c mu)``, may exceed 1), ``p_wait``,
        ``wait_minutes_mean`` and ``wait_minutes_p90`` (minutes of opening time),
        ``overloaded`` (utilisation >= 1) and ``backlog_days`` (working days of full capacity
        needed to clear the queue left at the end of the period; 0 unless overloaded).
    """
    return pd.DataFrame(_queue_arrays(arrivals_per_hour, service_rate_per_server_per_hour, servers,
                                      opening_hours_per_day, days_in_period))


def _queue_arrays(
    arrivals_per_hour,
    service_rate_per_server_per_hour,
    servers,
    opening_hours_per_day,
    days_in_period,
) -> dict[str, np.ndarray]:
    """:func:`queue_metrics` as a mapping of column name to array."""
    lam = _nonneg(arrivals_per_hour, "arrivals_per_hour")
    mu = _positive(service_rate_per_server_per_hour, "service_rate_per_server_per_hour")
    c = _as_servers(servers)
    hours_per_day = _positive(opening_hours_per_day, "opening_hours_per_day")
    days = _positive(days_in_period, "days_in_period")
    lam, mu, c, hours_per_day, days = np.broadcast_arrays(lam, mu, c, hours_per_day, days)
    lam, mu, hours_per_day, days = (np.atleast_1d(x) for x in (lam, mu, hours_per_day, days))
    c = np.atleast_1d(c)

    capacity = c * mu
    rho = lam / capacity
    overloaded = rho >= 1.0
    p_wait = erlang_c(c, lam / mu)
    horizon = hours_per_day * days  # opening hours in the period

    # Stationary M/M/c waits (hours); infinite when overloaded.
    slack = np.where(overloaded, 1.0, capacity - lam)
    stationary_mean = np.where(overloaded, np.inf, p_wait / slack)
    with np.errstate(divide="ignore"):
        tail = np.log(np.where(p_wait > 0, p_wait, 1.0) / 0.1)
    stationary_p90 = np.where(overloaded, np.inf, np.where(p_wait > 0.1, tail / slack, 0.0))

    # Finite-period critical-load waits (reflected Brownian motion, hours).
    scale = np.sqrt((lam + capacity) * horizon) / capacity
    critical_mean = _CRITICAL_MEAN * scale
    critical_p90 = _CRITICAL_P90 * scale

    # Fluid backlog when overloaded (hours).
    excess = np.maximum(rho - 1.0, 0.0)
    fluid_mean = excess * horizon / 2.0
    fluid_p90 = 0.9 * excess * horizon

    wait_mean = np.maximum(fluid_mean, np.minimum(stationary_mean, critical_mean))
    wait_p90 = np.maximum(fluid_p90, np.minimum(stationary_p90, critical_p90))
    return {
        "utilisation": rho,
        "p_wait": p_wait,
        "wait_minutes_mean": 60.0 * wait_mean,
        "wait_minutes_p90": 60.0 * wait_p90,
        "overloaded": overloaded,
        "backlog_days": excess * days,
    }


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
# Service outcome of one period
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ServiceOutcome:
    """Service delivery at every counter-service point over one period.

    ``points`` has one row per service point with the columns :data:`POINT_COLUMNS`; the
    columns in :data:`HIDDEN_COLUMNS` (``satisfaction_true``: mean latent satisfaction of all
    visits; ``ikm_true``: the IKM a complete, non-selective census of visits would give in
    expectation) are truth for metrics, never evidence. Waits are minutes of opening time;
    IKM columns are ``NaN`` (grade ``''``) at a point without respondents.

    ``points`` may be given as its columns (in :data:`POINT_COLUMNS` order): the frame is then
    built on first use (:mod:`simulate.frames`), while :meth:`column` reads an array directly
    (multi-period runs read a few columns per arm).
    """

    points: pd.DataFrame
    period_months: int = 12
    surveys: int = 1

    @property
    def n_points(self) -> int:
        return len(self.column("point_id"))

    def column(self, name: str) -> np.ndarray:
        """One column of :attr:`points` as an array (without building the frame)."""
        return np.asarray(frame_column(self, "points", name))

    def to_frame(self) -> pd.DataFrame:
        """All columns, hidden truth included (a copy)."""
        return self.points.copy()

    def observable_columns(self) -> dict[str, np.ndarray] | pd.DataFrame:
        """:meth:`observable` as columns while the table has not been built (else the frame)."""
        raw = frame_raw(self, "points")
        if isinstance(raw, pd.DataFrame):
            return self.observable()
        return {c: v for c, v in raw.items() if c not in HIDDEN_COLUMNS}

    def observable(self) -> pd.DataFrame:
        """What an appraisal system can see: every column except :data:`HIDDEN_COLUMNS`."""
        raw = frame_raw(self, "points")
        if isinstance(raw, pd.DataFrame):
            return raw.drop(columns=list(HIDDEN_COLUMNS))
        return pd.DataFrame({c: v for c, v in raw.items() if c not in HIDDEN_COLUMNS})

    def summary(self) -> pd.DataFrame:
        """Headline service metrics, overall and per OPD kind (rows: metrics)."""
        groups = {"all": self.points}
        for kind in COUNTER_KINDS:
            sub = self.points[self.points["opd_kind"] == kind]
            if len(sub):
                groups[kind] = sub
        return pd.DataFrame({name: _summarise(df) for name, df in groups.items()})

    def _repr_html_(self) -> str:
        note = (f"{len(self.points):,} service points, {self.period_months} months, "
                f"{self.surveys} SKM survey(s) in the period. Waits in minutes of opening time "
                "(visit-weighted); IKM converted 25-100.")
        return frame_html("Service delivery and citizen satisfaction", self.summary(), note)



#: ``points`` may be given as its columns and is then built on first use.
ServiceOutcome.points = LazyFrame("points")


def _summarise(df: pd.DataFrame) -> dict[str, float]:
    visits = df["visits"].to_numpy(float)
    total = visits.sum()

    def weighted(col: str) -> float:
        return float(np.average(df[col], weights=visits)) if total > 0 else float("nan")

    graded = df["ikm_grade"].to_numpy(str)
    graded = graded[graded != ""]
    out = {
        "service_points": float(len(df)),
        "visits": float(total),
        "overloaded_share": float(df["overloaded"].mean()) if len(df) else float("nan"),
        "wait_minutes_mean": weighted("wait_minutes_mean"),
        "wait_minutes_p90": weighted("wait_minutes_p90"),
        "respondents": float(df["respondents"].sum()),
        "ikm_converted_mean": float(df["ikm_converted"].mean()) if len(graded) else float("nan"),
    }
    for grade in GRADES:
        out[f"grade_{grade}_share"] = float(np.mean(graded == grade)) if len(graded) else float("nan")
    complaints = float(df["complaints"].sum())
    out["complaints_per_1000"] = 1000.0 * complaints / total if total > 0 else float("nan")
    return out


def _validate_points(points: pd.DataFrame, params: CitizenParams) -> pd.DataFrame:
    if not isinstance(points, pd.DataFrame):
        raise TypeError(f"points: expected a pandas DataFrame, got {type(points).__name__}")
    missing = [c for c in POINT_INPUT_COLUMNS if c not in points.columns]
    if missing:
        raise ValueError(
            f"points: missing column(s) {', '.join(missing)}; needed: {', '.join(POINT_INPUT_COLUMNS)}"
        )
    kinds = points["opd_kind"].astype(str).to_numpy()
    unknown = sorted(set(kinds) - set(params.services))
    if unknown:
        raise ValueError(
            f"points.opd_kind: {unknown[0]!r} has no service parameters; "
            f"allowed: {', '.join(sorted(params.services))}"
        )
    _as_servers(points["n_staff"].to_numpy(), "points.n_staff")
    _as_servers(points["n_servers"].to_numpy(), "points.n_servers")
    for col in ("server_performance", "staff_performance", "quality"):
        values = points[col].to_numpy(dtype=float)
        if np.any(~np.isfinite(values)):
            raise ValueError(f"points.{col}: must be finite numbers (SD units)")
    return points


def simulate_service(
    points: pd.DataFrame,
    params: CitizenParams,
    period_months: int = 12,
    rng: RngLike = None,
) -> ServiceOutcome:
    """Simulate one period of counter service, the SKM survey and complaints (DESIGN 3.4).

    Parameters
    ----------
    points : pandas.DataFrame
        One row per service point with :data:`POINT_INPUT_COLUMNS`: ``point_id`` (int),
        ``opd_kind`` (one of ``params.services``, a subset of ``COUNTER_KINDS``), ``n_staff``
        and ``n_servers`` (whole numbers >= 1), ``server_performance`` (mean general performance
        of the counter staff, SD), ``staff_performance`` (mean general performance of all staff
        of the point, SD) and ``quality`` (mean true unmeasured service quality, SD).
    params : CitizenParams
        Queue, survey, complaint and satisfaction parameters.
    period_months : int
        Length of the period in months (>= 1).
    rng : None, int, SeedSequence or Generator
        Source of every draw (see :func:`simulate.rng.as_generator`).

    Returns
    -------
    ServiceOutcome

    Notes
    -----
    Per point: service rate per server ``60 / service_minutes x exp(speed_per_sd x
    server_performance)`` per hour; visits in each survey window ``Poisson(arrivals_per_hour x
    opening hours of the window)``, and the queue uses the realised arrival rate (visits /
    opening hours); facility quality ``N(facility_quality_mean, 1)``; waits from
    :func:`queue_metrics`; satisfaction from :func:`satisfaction_level`; the survey, elements,
    IKM and complaints as in the module docstring. Draw order (facility, visits, then
    respondents survey by survey, then complaints) is fixed, so changing the number of surveys
    does not change facilities, and every draw but the complaints is independent of the staff's
    performance (:func:`plan_service`: policy arms of a multi-period run share them).
    """
    points = _validate_points(points, params)
    plan = plan_service(points, params, period_months, rng)
    return compose_service(plan, points["server_performance"].to_numpy(dtype=float),
                           points["staff_performance"].to_numpy(dtype=float), points["quality"].to_numpy(dtype=float))


@dataclass(frozen=True, eq=False)
class ServicePlan:
    """The draws of one period of service that do not depend on the staff (see :func:`plan_service`).

    ``surveys`` holds, per survey, the respondents per point and (when kept) each respondent's
    answer noise per element (selective response plus element noise, float32, ``(9, total)``);
    without kept draws, :func:`compose_service` draws them from ``rng`` as it goes (the same
    numbers). ``rng`` then continues with the complaints, whose probability depends on the staff.
    """

    params: CitizenParams
    period_months: int
    static: dict
    per_kind: dict
    days: float
    hours: float
    n_surveys: int
    facility: np.ndarray
    window_visits: np.ndarray
    samples: list
    noise: list | None
    rng: np.random.Generator


def plan_service(points: pd.DataFrame, params: CitizenParams, period_months: int = 12, rng: RngLike = None,
                 *, keep_draws: bool = False) -> ServicePlan:
    """Draw what :func:`simulate_service` needs besides the staff's performance.

    Only ``point_id``, ``opd_kind``, ``n_staff`` and ``n_servers`` of ``points`` are read.
    ``keep_draws`` materialises the survey answer noise, so the plan can be composed many times
    without drawing again (a few MB for a kabupaten; the national preset does not keep them).
    """
    rng = as_generator(rng)
    _check_months(period_months)
    n = len(points)
    kinds = points["opd_kind"].astype(str).to_numpy()

    def per_kind(attr: str) -> np.ndarray:
        out = np.empty(n)
        for kind, service in params.services.items():
            out[kinds == kind] = getattr(service, attr)
        return out

    kind_values = {a: per_kind(a) for a in ("arrivals_per_hour", "service_minutes", "speed_per_sd",
                                            "facility_quality_mean", "complaints_per_1000")}
    days = params.working_days_per_month * period_months
    hours = days * params.opening_hours_per_day
    n_surveys = surveys_in_period(params.surveys_per_year, period_months)

    # Draws, in a fixed order.
    facility = kind_values["facility_quality_mean"] + rng.standard_normal(n)
    per_window = kind_values["arrivals_per_hour"] * hours / n_surveys
    window_visits = rng.poisson(np.repeat(per_window[:, None], n_surveys, axis=1))
    samples = [krejcie_morgan_sample_size(window_visits[:, s]) for s in range(n_surveys)]
    noise = [_answer_noise(int(k.sum()), params.satisfaction, rng) for k in samples] if keep_draws else None
    static = {
        "point_id": points["point_id"].to_numpy(),
        "opd_kind": kinds,
        "n_staff": points["n_staff"].to_numpy().astype(np.int64),
        "servers": points["n_servers"].to_numpy().astype(np.int64),
    }
    return ServicePlan(params=params, period_months=int(period_months), static=static, per_kind=kind_values,
                       days=days, hours=hours, n_surveys=n_surveys, facility=facility, window_visits=window_visits,
                       samples=samples, noise=noise, rng=rng)


def _answer_noise(total: int, sat: SatisfactionParams, rng: np.random.Generator) -> np.ndarray:
    """Answer noise of ``total`` respondents, (9, total) float32: selective response + element noise."""
    out = np.empty((N_ELEMENTS, total), dtype=np.float32)
    if total == 0:
        return out
    latent = selective_response_draws(total, sat.selectivity, rng).astype(np.float32)
    latent *= np.float32(sat.respondent_sd)
    for e in range(N_ELEMENTS):
        y = out[e]
        y[:] = rng.standard_normal(total, dtype=np.float32)
        y *= np.float32(sat.element_sd)
        y += latent
    return out


def compose_service(plan: ServicePlan, server_performance: np.ndarray, staff_performance: np.ndarray,
                    quality: np.ndarray, *, reuse: bool = False, rng: np.random.Generator | None = None) -> ServiceOutcome:
    """:func:`simulate_service` from a plan and each point's staff performance and quality.

    With ``reuse`` the plan may be composed again: its generator is copied, so every
    composition sees the same random numbers. ``rng`` overrides the generator for the
    staff-dependent draws (a copy of ``plan.rng`` the caller goes on drawing from).
    """
    params, sat = plan.params, plan.params.satisfaction
    n = len(plan.facility)
    if reuse and plan.noise is None:
        raise ValueError("compose_service: a plan without kept draws (keep_draws=False) can be composed only once")
    if rng is None:
        rng = copy_generator(plan.rng) if reuse else plan.rng
    visits = plan.window_visits.sum(axis=1)
    servers = plan.static["servers"]
    k = plan.per_kind

    arrivals = visits / plan.hours
    service_rate = 60.0 / k["service_minutes"] * np.exp(k["speed_per_sd"] * server_performance)
    queue = _queue_arrays(arrivals, service_rate, servers, params.opening_hours_per_day, plan.days)
    wait = queue["wait_minutes_mean"]

    drivers = _drivers(staff_performance, quality, plan.facility, wait, sat)
    level = sat.expectation + drivers["staff"] + drivers["facility"] + drivers["wait"]
    # (n, 9): each element's extra loading on the point's wait, staff and facility terms
    element_shift = sum(ELEMENT_EXTRA_LOADINGS[key][None, :] * drivers[key][:, None] for key in drivers)

    sums, respondents = _run_surveys(level, element_shift, plan.samples, plan.noise, sat, rng)
    complaints = rng.binomial(visits, complaint_probability(k["complaints_per_1000"], level - sat.expectation))
    with np.errstate(invalid="ignore", divide="ignore"):
        per_respondent = sums / np.maximum(respondents, 1)[:, None]
        element_means = np.where(respondents[:, None] > 0, per_respondent, np.nan)
        per_1000 = np.where(visits > 0, 1000.0 * complaints / np.maximum(visits, 1), np.nan)
    ikm = ikm_from_element_means(element_means)
    converted = convert_ikm(ikm)

    # Expected IKM of a complete, non-selective census of all visits (hidden truth).
    total_sd = np.hypot(sat.respondent_sd, sat.element_sd)
    probs = answer_probabilities(level[:, None] + element_shift, total_sd, sat.cutpoints)
    ikm_true = ikm_from_element_means((probs * np.arange(1, 5)).sum(axis=-1))

    columns = {
        **plan.static,
        "visits": visits.astype(np.int64),
        "arrivals_per_hour": arrivals,
        "service_rate_per_hour": service_rate,
        "utilisation": queue["utilisation"],
        "overloaded": queue["overloaded"],
        "p_wait": queue["p_wait"],
        "wait_minutes_mean": wait,
        "wait_minutes_p90": queue["wait_minutes_p90"],
        "backlog_days": queue["backlog_days"],
        "facility_quality": plan.facility,
        "surveys": np.full(n, plan.n_surveys, dtype=np.int64),
        "respondents": respondents.astype(np.int64),
        **{f"element_{i + 1}": element_means[:, i] for i in range(N_ELEMENTS)},
        "ikm": ikm,
        "ikm_converted": converted,
        "ikm_grade": ikm_grade(converted).astype(object),
        "complaints": complaints.astype(np.int64),
        "complaints_per_1000": per_1000,
        "satisfaction_true": level,
        "ikm_true": ikm_true,
    }
    # In column order: a frame built from it needs no column selection (much slower).
    return ServiceOutcome(points={c: columns[c] for c in POINT_COLUMNS}, period_months=plan.period_months,
                          surveys=plan.n_surveys)


def _run_surveys(
    level: np.ndarray,
    element_shift: np.ndarray,
    samples: list,
    noise: list | None,
    sat: SatisfactionParams,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Answer sums per point and element, and respondents per point, over all surveys.

    ``samples`` holds the respondents per point of each survey; ``noise`` each survey's answer
    noise (:func:`_answer_noise`), or None to draw it here survey by survey (memory stays at a
    few arrays of one survey's respondents). Respondents are laid out point by point, so answers
    are summed per point with ``np.add.reduceat`` over contiguous segments. Latents and element
    noise are single precision (the answers only compare them with three cut-points).
    """
    n = len(level)
    sums = np.zeros((n, N_ELEMENTS))
    respondents = np.zeros(n, dtype=np.int64)
    cuts = np.asarray(sat.cutpoints, dtype=np.float32)
    shifted = {e for e in range(N_ELEMENTS) if np.any(element_shift[:, e] != 0)}
    level32 = level.astype(np.float32)
    for s, sample in enumerate(samples):
        total = int(sample.sum())
        if total == 0:
            continue
        respondents += sample
        surveyed = sample > 0
        starts = np.concatenate([[0], np.cumsum(sample[surveyed])[:-1]])
        answers = _answer_noise(total, sat, rng) if noise is None else noise[s]
        base = np.repeat(level32, sample)
        for e in range(N_ELEMENTS):
            y = answers[e] + base
            if e in shifted:
                y += np.repeat(element_shift[:, e].astype(np.float32), sample)
            # answer - 1 = number of cut-points below the latent (answers 1..4)
            above = (y > cuts[0]).view(np.int8)
            above += (y > cuts[1]).view(np.int8)
            above += (y > cuts[2]).view(np.int8)
            sums[surveyed, e] += np.add.reduceat(above, starts, dtype=np.int64) + sample[surveyed]
    return sums, respondents


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
