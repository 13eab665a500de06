"""Queues at service points: M/M/c waits over a finite period that starts empty (DESIGN 3.4).

Model
-----
A service point with ``c`` servers, Poisson arrivals at rate ``lambda`` per opening hour and
exponential service at rate ``mu`` per server is an M/M/c queue with offered load
``a = lambda / mu`` and utilisation ``rho = a / c``. The queue starts empty at the start of the
period and the backlog carries over from one day to the next (citizens come back the next day),
so time is continuous opening time over the horizon ``T = opening hours per day x days``.
Waits are reported in minutes of opening time and are averaged over all arrivals in ``[0, T]``.

Stationary M/M/c values (:func:`erlang_c`) are right only where the queue settles well within the
period; near ``rho = 1`` it does not (the relaxation time ``~ 2 c mu / (c mu - lambda)^2`` grows
without bound), and above ``rho = 1`` there is no steady state. One finite-horizon approximation
covers all three regimes:

* **Waiting line as a reflected Brownian motion.** While all servers are busy the number of
  citizens in the system moves up at rate ``lambda`` and down at rate ``c mu``. Approximate it by
  a Brownian motion ``X`` with drift ``theta = lambda - c mu`` and variance rate
  ``sigma^2 = 2 c mu`` (the heavy-traffic value ``lambda + c mu`` at ``rho = 1``; taking
  ``2 c mu`` everywhere makes the stationary tail below exact), reflected at a barrier. Started
  at the barrier, the reflected process at time ``t`` has the law of the running maximum
  ``M_t = max_{s <= t} X_s`` (time reversal; Harrison, *Brownian Motion and Stochastic Flow
  Systems*, 1985, ch. 1), and ``P(M_t > m) = P(tau_m <= t)`` with ``tau_m`` the first-passage
  time of ``X`` to ``m``, an inverse Gaussian law (defective when ``theta < 0``).
* **Barrier below full occupation.** The servers are not always all busy: the reflecting barrier
  sits ``D`` customers below the point where arrivals start to wait, and an arrival at ``t``
  waits ``(M_t - D)^+ / (c mu)`` hours. For ``rho < 1`` the stationary law of ``M`` is
  exponential with rate ``2 |theta| / sigma^2 = (1 - rho)``, so ``P(W > w) = exp(-(1 - rho) D)
  exp(-(c mu - lambda) w)``; choosing ``D = -ln(C) / (1 - rho)`` with ``C`` Erlang C makes this
  the exact M/M/c law ``C exp(-(c mu - lambda) w)``. As ``rho -> 1`` (``C -> 1``) ``D`` tends to
  ``D* = (1 - B) / B`` with ``B`` Erlang B at ``c`` servers and load ``c`` (``D* = 1`` for one
  server, about ``1.2 sqrt(c)`` for many); it is held there for ``rho >= 1``, where it is the
  start-up delay of filling the servers (fluid value ``c (rho - 1) ln(rho / (rho - 1))``, 3.5
  customers for 8 servers at ``rho = 1.3`` against ``D* = 3.2``). ``D`` falls with ``rho``, so
  waits rise with the arrival rate.
* **Averaged over the period.** Arrivals are uniform on ``[0, T]``. In units ``z = m /
  (sigma sqrt T)`` with ``eta = theta sqrt(T) / sigma`` the period-averaged survival is (from
  ``int_0^T P(tau_m <= t) dt = T P(tau_m <= T) - E[tau_m; tau_m <= T]``)

  ``S(z; eta) = Phi(eta - z) + e^{2 eta z} Phi(-eta - z)
  - (z / eta) [Phi(eta - z) - e^{2 eta z} Phi(-eta - z)]``

  and the mean excess ``I(z; eta) = int_z^inf S`` is closed form as well
  (:func:`_period_max_excess`). Then ``P(W > w) = S(z_D + w c mu / (sigma sqrt T); eta)`` with
  ``z_D = D / (sigma sqrt T)``, the mean wait is ``sqrt(2 T / (c mu)) I(z_D; eta)`` hours, and
  the median and 90th percentile solve ``S = 0.5`` and ``S = 0.1`` (0 when fewer arrivals wait).

Limits: for ``T`` long against the relaxation time this is the exact Erlang C law; clearly
overloaded it is the fluid backlog, a wait uniform on ``[0, (rho - 1) T]`` (mean
``(rho - 1) T / 2``) less the start-up delay ``D* / (c mu)``, and ``backlog_days`` is the
fluid queue left at the end, ``(rho - 1) x days`` working days of full capacity; at ``rho = 1``
the mean is ``(2/3) sqrt(2 / pi) sigma sqrt(T) / (c mu)`` less the offset. Every value is
continuous across ``rho = 1``, non-decreasing in the arrival rate and in the length of the
period, and non-increasing in the service rate.

Accuracy
--------
Measured against the exact time-averaged M/M/c law (uniformisation of the birth-death chain on a
truncated state space, ``exact_survival`` in ``tests/test_queue_des.py``) over ``rho`` in
{0.7, 0.8, 0.9, 0.95, 0.98, 1, 1.02, 1.05, 1.1, 1.2, 1.3}, ``c`` in {1, 2, 4, 8}, 21, 63 and 250
days of 8 hours and ``mu`` in {3, 6} per hour, the largest relative errors are 3.0 % (mean),
2.4 % (median) and 3.3 % (90th percentile), all for one server over 21 days near ``rho = 1``
(where ``D* = 1`` is about half a customer too many); with up to 32 servers and ``mu = 1.2``
(50-minute services) they stay within 5.1 %. The tests also hold it to a discrete-event
simulation over that grid (within 10 % or 3 standard errors). A few cases, in minutes (mean /
median / 90th percentile; the simulation with 400 replications, standard error of the mean in
brackets; the old bridge ``max(W_fluid, min(W_stationary, W_critical))`` gave the mean shown):

================================  =================  =================  =======================  ===
case                              approximation      exact              simulation               old
================================  =================  =================  =======================  ===
8 servers, mu 5, rho .99, 63 d    95.4 / 66.9 / 224  95.7 / 67.1 / 225  96.7 (2.8) / 69.2 / 222  145
1 server, mu 3, rho 1, 21 d       318 / 237 / 730    328 / 243 / 753    333 (10) / 249 / 769     338
4 servers, mu 3, rho .95, 21 d    71.3 / 46.3 / 177  72.0 / 46.6 / 179  75.9 (2.3) / 48.1 / 187  89
8 servers, mu 3, rho 1.1, 21 d    520 / 497 / 976    521 / 496 / 983    528 (6) / 496 / 1006     504
2 servers, mu 3, rho .8, 250 d    35.5 / 17.5 / 97.8 35.5 / 17.5 / 97.9 35.9 (0.2) / 17.8 / 98.8 36
16 servers, mu 1.2, rho 1, 21 d   120 / 87 / 282     120 / 87 / 284     125 (3) / 88 / 300       134
================================  =================  =================  =======================  ===

Pooled quantiles (:func:`pooled_wait_quantiles`) are those of the arrival-weighted mixture of
the points' wait laws ``P(W > w)`` above. Quantiles are found by safeguarded Newton steps on the
log of the survival function, for all points (or all levels of the mixture) at once; 10,000
points take about 20 ms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import log_ndtr, ndtr

_PHI0 = 1.0 / np.sqrt(2.0 * np.pi)  # standard normal density at 0

# Below these |eta| the closed forms lose digits to cancellation (error ~ 1e-16 / |eta|^k) and
# the series / quadrature used instead is accurate to ~1e-12.
_SMALL_DRIFT_SURVIVAL = 1e-4
_SMALL_DRIFT_EXCESS = 0.02
# S(z; eta) <= 2 Phi(-(z - max(eta, 0))), so S < 2e-9 beyond max(eta, 0) + 6.
_TAIL_REACH = 6.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(48)
# Safeguarded Newton steps per quantile: within 2e-12 of the root after 10 on 20,000 random points.
_NEWTON_STEPS = 12




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




def _erlang_b(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B by the stable recursion ``B_0 = 1``, ``B_k = a B_{k-1} / (k + a B_{k-1})``."""
    b = np.ones(a.shape)
    for k in range(1, int(c.max(initial=0)) + 1):
        active = c >= k
        b = np.where(active, a * b / (k + a * b), b)
    return b


def _erlang_c_from_b(b: np.ndarray, a: np.ndarray, rho: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        p_wait = b / (1.0 - rho * (1.0 - b))
    return np.where(rho >= 1.0, 1.0, np.where(a > 0, np.clip(p_wait, 0.0, 1.0), 0.0))


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
    return _erlang_c_from_b(_erlang_b(c, a), a, a / c)




def _period_max_terms(z, eta):
    """Broadcast ``z, eta`` and ``A = Phi(eta - z)``, ``B = e^{2 eta z} Phi(-eta - z)``, ``H``."""
    z, eta = np.broadcast_arrays(np.asarray(z, dtype=float), np.asarray(eta, dtype=float))
    lower = ndtr(eta - z)
    # e^{2 eta z} Phi(-eta - z) without overflow: the exponent is at most -(z - eta)^2 / 2.
    upper = np.exp(2.0 * eta * z + log_ndtr(-eta - z))
    small = np.abs(eta) < _SMALL_DRIFT_SURVIVAL
    bracket = np.array((lower - upper) / np.where(small, 1.0, eta), dtype=float)
    if np.any(small):
        zs, es = z[small], eta[small]
        density, tail = _PHI0 * np.exp(-0.5 * zs * zs), ndtr(-zs)
        g1 = 2.0 * (density - zs * tail)
        g3 = ((8.0 * zs * zs - 2.0) * density - 8.0 * zs**3 * tail) / 6.0
        bracket[small] = g1 * (1.0 + zs * es) + g3 * es * es
    return z, eta, lower, upper, bracket


def _period_max_survival(z, eta) -> np.ndarray:
    """``S(z; eta)``: ``P(M_s > z)`` averaged over ``s`` uniform on [0, 1].

    ``M_s`` is the running maximum of a Brownian motion with drift ``eta`` and unit variance
    started at 0. ``S = F(1) - E[tau; tau <= 1]`` with ``tau`` the first-passage time to ``z``
    (inverse Gaussian: ``F(1) = A + B`` and ``E[tau; tau <= 1] = z H`` with
    ``A = Phi(eta - z)``, ``B = e^{2 eta z} Phi(-eta - z)`` and ``H = (A - B) / eta``). For
    ``|eta|`` below ``_SMALL_DRIFT_SURVIVAL`` ``H`` is replaced by its Taylor series
    ``G1 (1 + z eta) + G3 eta^2``, ``G1 = 2 (phi(z) - z Phi(-z))``,
    ``G3 = ((8 z^2 - 2) phi(z) - 8 z^3 Phi(-z)) / 6``.
    """
    z, _, lower, upper, bracket = _period_max_terms(z, eta)
    return lower + upper - z * bracket


def _period_max_survival_and_slope(z, eta) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_period_max_survival` and its derivative in ``z``.

    The derivative is ``-2 phi(z - eta) + 2 (eta + z) B - H``: ``dH/dz = -2 B`` because
    ``e^{2 eta z} phi(eta + z) = phi(z - eta)``.
    """
    z, eta, lower, upper, bracket = _period_max_terms(z, eta)
    slope = -2.0 * _PHI0 * np.exp(-0.5 * (z - eta) ** 2) + 2.0 * (eta + z) * upper - bracket
    return lower + upper - z * bracket, slope


def _period_max_excess(z, eta) -> np.ndarray:
    """``I(z; eta) = int_z^inf S(u; eta) du``: mean of ``(M_s - z)^+`` over ``s`` uniform on [0, 1].

    Integrating :func:`_period_max_survival` term by term (with ``a = z - eta``,
    ``A = Phi(-a)``, ``B = e^{2 eta z} Phi(-eta - z)``)::

        I = (a^2 A - a phi(a) - B) / (2 eta) + (z (A - B) + phi(a) - a A) / (2 eta^2)
            - (A - B) / (4 eta^3)

    ``I(0; 0) = (2/3) sqrt(2/pi)``; ``I(0; eta) -> 1 / (2 |eta|)`` (stationary) as
    ``eta -> -inf`` and ``eta / 2`` (fluid) as ``eta -> inf``. For ``|eta|`` below
    ``_SMALL_DRIFT_EXCESS`` the integral is taken by 48-point Gauss-Legendre quadrature over
    ``[z, z + 2 _TAIL_REACH]`` instead, where the closed form would cancel.
    """
    z, eta = np.broadcast_arrays(np.asarray(z, dtype=float), np.asarray(eta, dtype=float))
    shape = z.shape
    z, eta = z.ravel(), eta.ravel()
    small = np.abs(eta) < _SMALL_DRIFT_EXCESS
    nu = np.where(small, 1.0, eta)
    a = z - nu
    big_a = ndtr(-a)
    big_b = np.exp(2.0 * nu * z + log_ndtr(-z - nu))
    dens = _PHI0 * np.exp(-0.5 * a * a)
    diff = big_a - big_b
    out = ((a * a * big_a - a * dens - big_b) / (2.0 * nu)
           + (z * diff + dens - a * big_a) / (2.0 * nu * nu)
           - diff / (4.0 * nu**3))
    if np.any(small):
        nodes = z[small, None] + _TAIL_REACH * (_GL_NODES + 1.0)
        values = _period_max_survival(nodes, eta[small, None])
        out[small] = _TAIL_REACH * np.sum(_GL_WEIGHTS * values, axis=1)
    return out.reshape(shape)


def _solve_decreasing(fun, target, lo, hi, iterations: int = _NEWTON_STEPS) -> np.ndarray:
    """Root of ``fun(x) = target`` in ``[lo, hi]`` for positive decreasing ``fun``, elementwise.

    Newton steps on ``ln fun`` (``fun`` returns the value and the slope), which is linear in the
    exponential tail of a settled queue and so converges at once there, kept inside a bracket
    that every evaluation narrows; a step that would leave it is replaced by the midpoint.
    """
    x = 0.5 * (lo + hi)
    log_target = np.log(target)
    for _ in range(iterations):
        value, slope = fun(x)
        above = value > target
        lo = np.where(above, x, lo)
        hi = np.where(above, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - (np.log(value) - log_target) * value / slope
        x = np.where((slope < 0) & (step >= lo) & (step <= hi), step, 0.5 * (lo + hi))
    return x




def _wait_law(lam, mu, c, horizon) -> dict[str, np.ndarray]:
    """Per point: ``P(W > w) = S(offset + w / minutes_per_unit; eta)`` where ``waits``.

    Returns ``utilisation``, ``p_wait`` (Erlang C, 1 when overloaded), ``offset`` (``z_D``),
    ``eta``, ``minutes_per_unit`` (``60 sqrt(2 T / (c mu))``) and ``waits`` (False where nobody
    can wait: no arrivals, or an Erlang B that underflows to 0). See the module docstring.
    """
    capacity = c * mu
    rho = lam / capacity
    load = lam / mu
    # Erlang B at the offered load capped at full occupation: for rho < 1 the same recursion as
    # erlang_c (the same p_wait), for rho >= 1 B(c, c), which gives D*.
    b = _erlang_b(c, np.minimum(load, c.astype(float)))
    p_wait = _erlang_c_from_b(b, load, load / c)
    rho_cap = np.minimum(rho, 1.0)
    waits = b > 0
    b = np.where(waits, b, 1.0)
    # D = -ln(C) / (1 - rho) without cancellation: C = B / g with g = 1 - rho (1 - B), so
    # 1 - C = (1 - B)(1 - rho) / g and, while 1 - C < 1/2, D = ((1 - B) / g) (-log1p(-(1 - C)) /
    # (1 - C)), whose last factor is 1 at rho = 1 (D* = (1 - B) / B); otherwise
    # D = (ln g - ln B) / (1 - rho), where 1 - rho is not small against B.
    g = 1.0 - rho_cap * (1.0 - b)
    not_waiting = (1.0 - b) * (1.0 - rho_cap) / g
    near = not_waiting < 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = -np.log1p(-np.where(near, not_waiting, 0.0)) / not_waiting
        ratio = np.where(not_waiting > 0, log_ratio, 1.0)
        far = (np.log(g) - np.log(b)) / np.where(near, 1.0, 1.0 - rho_cap)
    barrier = np.where(waits, np.where(near, (1.0 - b) / g * ratio, far), 0.0)
    sigma_root_t = np.sqrt(2.0 * capacity * horizon)  # sigma sqrt(T), in customers
    return {
        "utilisation": rho,
        "p_wait": p_wait,
        "offset": barrier / sigma_root_t,
        "eta": (lam - capacity) * horizon / sigma_root_t,
        "minutes_per_unit": 60.0 * sigma_root_t / capacity,
        "waits": waits,
    }


def _point_quantiles(law: dict[str, np.ndarray], levels: np.ndarray) -> np.ndarray:
    """Quantiles (minutes) of each point's wait, shape ``(len(levels), n)``, all points at once.

    The bracket in ``x = z - z_D``: ``S(z) <= 2 Phi(-(z - max(eta, 0)))`` bounds it by
    ``max(eta, 0) + _TAIL_REACH``; with negative drift the queue is below its stationary law, so
    ``S(z) <= e^{2 eta z}`` also bounds it by ``ln(1 / (1 - level)) / (2 |eta|) - z_D``.
    """
    target = (1.0 - levels)[:, None]
    offset, eta = law["offset"][None, :], law["eta"][None, :]
    waiting = np.where(law["waits"], _period_max_survival(law["offset"], law["eta"]), 0.0)
    reach = np.maximum(eta, 0.0) + _TAIL_REACH
    with np.errstate(divide="ignore"):
        settled = np.where(eta < 0, -np.log(target) / (2.0 * np.abs(eta)) - offset, np.inf)
    hi = np.maximum(np.minimum(reach, settled), 0.0) + np.zeros_like(target)

    def survival_and_slope(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _period_max_survival_and_slope(offset + x, eta)

    x = _solve_decreasing(survival_and_slope, target, np.zeros_like(hi), hi)
    return np.where(waiting[None, :] > target, x, 0.0) * law["minutes_per_unit"][None, :]




def queue_metrics(
    arrivals_per_hour,
    service_rate_per_server_per_hour,
    servers,
    opening_hours_per_day,
    days_in_period,
) -> pd.DataFrame:
    """Waiting times of M/M/c service points over a period that starts empty.

    A reflected Brownian motion for the waiting line, with its barrier set so that a long period
    gives Erlang C exactly, averaged over the arrivals in the period (module docstring): the
    M/M/c value where the queue settles, the fluid backlog when clearly overloaded, and right in
    between. Every value is finite and non-decreasing in the arrival rate.

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
        One row per point: ``utilisation`` (``lambda / (c mu)``, may exceed 1), ``p_wait``
        (stationary Erlang C; 1 when overloaded), ``wait_minutes_mean``, ``wait_minutes_p90``
        and ``wait_minutes_median`` (minutes of opening time, over arrivals in the period),
        ``overloaded`` (utilisation >= 1) and ``backlog_days`` (working days of full capacity
        needed to clear the queue left at the end of the period in the fluid limit; 0 unless
        overloaded).
    """
    return pd.DataFrame(_queue_arrays(arrivals_per_hour, service_rate_per_server_per_hour, servers,
                                      opening_hours_per_day, days_in_period))


def _points(arrivals_per_hour, service_rate_per_server_per_hour, servers, opening_hours_per_day,
            days_in_period):
    """Checked inputs broadcast to one flat array each: ``lam, mu, c, horizon, days``."""
    lam = _nonneg(arrivals_per_hour, "arrivals_per_hour")
    mu = _positive(service_rate_per_server_per_hour, "service_rate_per_server_per_hour")
    c = _as_servers(servers)
    hours_per_day = _positive(opening_hours_per_day, "opening_hours_per_day")
    days = _positive(days_in_period, "days_in_period")
    arrays = np.broadcast_arrays(lam, mu, c, hours_per_day, days)
    lam, mu, c, hours_per_day, days = (np.atleast_1d(x).ravel() for x in arrays)
    return lam, mu, c, hours_per_day * days, days


def _queue_arrays(
    arrivals_per_hour,
    service_rate_per_server_per_hour,
    servers,
    opening_hours_per_day,
    days_in_period,
    quantiles: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`queue_metrics` as a mapping of column name to array (``quantiles=False``: NaN median and p90)."""
    lam, mu, c, horizon, days = _points(arrivals_per_hour, service_rate_per_server_per_hour,
                                        servers, opening_hours_per_day, days_in_period)
    law = _wait_law(lam, mu, c, horizon)
    excess = _period_max_excess(law["offset"], law["eta"])
    if quantiles:
        median, p90 = _point_quantiles(law, np.array([0.5, 0.9]))
    else:
        median = p90 = np.full(len(lam), np.nan)
    rho = law["utilisation"]
    return {
        "utilisation": rho,
        "p_wait": law["p_wait"],
        "wait_minutes_mean": np.where(law["waits"], law["minutes_per_unit"] * excess, 0.0),
        "wait_minutes_p90": p90,
        "wait_minutes_median": median,
        "overloaded": rho >= 1.0,
        "backlog_days": np.maximum(rho - 1.0, 0.0) * days,
    }


def pooled_wait_quantiles(
    arrivals_per_hour,
    service_rate_per_server_per_hour,
    servers,
    opening_hours_per_day,
    days_in_period,
    q=(0.5, 0.9),
    weights=None,
) -> np.ndarray:
    """Quantiles of the wait over all citizens of many service points together.

    The pooled wait law is the mixture of the points' wait laws (module docstring) weighted by
    the citizens each point serves in the period: ``P(W > w) = sum_i n_i P(W_i > w) / sum_i n_i``.
    Each quantile is solved on this survival function with every point evaluated at once (no
    loop over points). A quantile is 0 when at most that share of citizens waits at all.

    Parameters
    ----------
    arrivals_per_hour, service_rate_per_server_per_hour, servers : array_like
        As in :func:`queue_metrics`, one entry per point.
    opening_hours_per_day, days_in_period : float or array_like
        As in :func:`queue_metrics`.
    q : sequence of float, default (0.5, 0.9)
        Quantile levels, strictly between 0 and 1 (as in :func:`numpy.quantile`).
    weights : array_like, optional
        Citizens per point (e.g. recorded visits); default ``arrivals_per_hour x opening hours
        in the period``, the expected arrivals.

    Returns
    -------
    numpy.ndarray
        One wait per level, in minutes of opening time; NaN when the weights sum to 0.
    """
    lam, mu, c, horizon, _ = _points(arrivals_per_hour, service_rate_per_server_per_hour, servers,
                                     opening_hours_per_day, days_in_period)
    levels = np.atleast_1d(np.asarray(q, dtype=float))
    if levels.ndim != 1 or not np.all((levels > 0) & (levels < 1)):
        raise ValueError("q: quantile levels must be numbers strictly between 0 and 1")
    if weights is None:
        n = lam * horizon
    else:
        n = np.broadcast_to(_nonneg(weights, "weights"), lam.shape)
    total = float(np.sum(n))
    if total <= 0:
        return np.full(len(levels), np.nan)
    law = _wait_law(lam, mu, c, horizon)
    share = np.where(law["waits"], n / total, 0.0)
    keep = share > 0
    share = share[keep]
    offset, eta, unit = (law[key][keep] for key in ("offset", "eta", "minutes_per_unit"))

    def survival_and_slope(minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        value, slope = _period_max_survival_and_slope(offset + minutes[:, None] / unit, eta)
        return value @ share, (slope / unit) @ share

    target = 1.0 - levels
    top = float(np.max((np.maximum(eta, 0.0) + _TAIL_REACH) * unit, initial=0.0))
    minutes = _solve_decreasing(survival_and_slope, target, np.zeros(len(levels)),
                                np.full(len(levels), top))
    waiting = _period_max_survival(offset, eta) @ share
    return np.where(waiting > target, minutes, 0.0)
