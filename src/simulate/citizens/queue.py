"""Queues at service points: M/M/c waits, overload backlogs and the bridge between them (DESIGN 3.4).

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
"""

from __future__ import annotations

import numpy as np
import pandas as pd

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


