"""Queues at service points: M/M/c waits over a finite period that starts empty (DESIGN 3.4).

Queue model (:func:`erlang_c`, :func:`queue_metrics`)
-----------------------------------------------------
A service point with ``c`` servers, Poisson arrivals at rate ``lambda`` per opening hour and
exponential service at rate ``mu`` per server is an M/M/c queue with offered load
``a = lambda / mu`` and utilisation ``rho = a / c``. The period has ``T = days x opening hours``
hours; the queue starts empty and carries over from one day to the next (citizens come back).

* **Settled queue** (``rho < 1`` and long periods): the chance of waiting is Erlang C, from the
  numerically stable Erlang-B recursion ``B_0 = 1, B_k = a B_{k-1} / (k + a B_{k-1})`` and
  ``C = B_c / (1 - rho (1 - B_c))``; the wait ``W`` has ``P(W > w) = C exp(-(c mu - lambda) w)``.
* **Finite period** (any ``rho``): the number waiting behaves like a Brownian motion with drift
  ``m = lambda - c mu`` and variance rate ``sigma^2 = lambda + c mu`` (Poisson arrivals,
  exponential services), reflected at 0 and started at 0. Its value ``R(t)`` has the law of the
  running maximum of the free motion, ``P(R(t) > y) = Phi((m t - y) / s) + exp(2 m y / sigma^2)
  Phi((-y - m t) / s)`` with ``s = sigma sqrt(t)``, and mean ``E R(t) = m t Phi(z) + s phi(z) +
  (sigma^2 / 2m)(2 Phi(z) - 1)``, ``z = m t / s``. A citizen arriving at ``t`` (uniform over the
  period, Poisson arrivals see time averages) waits about ``R(t) / (c mu)``.
* **Both at once**: the wait is taken as ``W = 0`` with probability ``1 - p0`` and otherwise
  ``K R(U T) / (c mu)``, ``U`` uniform, where for ``rho < 1`` ``p0 = C`` and ``K = 2 c mu /
  sigma^2`` (so that a long period gives exactly the Erlang-C law above: the atom at 0 and the
  exponential tail), and for ``rho >= 1`` ``p0 = K = 1``. Both tend to 1 as ``rho -> 1`` from
  below, so the waits are continuous across ``rho = 1``. Clearly overloaded, ``R(t) ~ m t`` and
  the mean wait tends to the fluid backlog ``(rho - 1) T / 2``.

Checked against a discrete-event simulation (``tests/test_queue_des.py``) over ``c`` = 1, 2, 8,
``rho`` = .7 to 1.3 and periods of a month to a year (21 to 250 working days of 7 hours): the
mean wait is within 10 % everywhere (e.g. 8 servers at ``rho`` = .99 over a quarter: 94 minutes
against 102 +/- 7 simulated, where the stationary Erlang-C wait, 146 minutes, has not had time to
build up). The median and the 90th percentile follow from the law above (:func:`wait_quantiles`);
:func:`pooled_wait_quantiles` gives them over the citizens of many points together.

The ``backlog_days`` of an overloaded point are the working days of full capacity the fluid
queue left at the end of the period would take to clear, ``(rho - 1) x days``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import log_ndtr, ndtr

#: Gauss-Legendre nodes on [0, 1] for averages over the arrival time ``t = T u^2`` (the
#: substitution makes the integrand smooth at 0, where it behaves like sqrt(t)).
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(32)
_U = (_NODES + 1) / 2
#: Relaxation time over period length below which a queue counts as settled (1 % from stationary).
_SETTLED = 0.02
#: Bisection steps for quantiles: 2^-36 of the bracket.
_BISECTIONS = 36
_W = _WEIGHTS * _U  # weights of the average over t uniform on [0, T]: int_0^1 f(T u^2) 2u du

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
    quantiles: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`queue_metrics` as a mapping of column name to array (``quantiles=False``: NaN median and p90)."""
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
    law = _WaitLaw.build(lam, capacity, p_wait, horizon)
    wait_mean = law.mean()
    median, p90 = law.quantiles((0.5, 0.9)) if quantiles else (np.full(len(rho), np.nan),) * 2
    excess = np.maximum(rho - 1.0, 0.0)
    return {
        "utilisation": rho,
        "p_wait": p_wait,
        "wait_minutes_mean": 60.0 * wait_mean,
        "wait_minutes_median": 60.0 * median,
        "wait_minutes_p90": 60.0 * p90,
        "overloaded": overloaded,
        "backlog_days": excess * days,
    }


def _rbm_mean(m: np.ndarray, var: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``E R(t)`` of a Brownian motion with drift ``m`` and variance rate ``var`` reflected at 0, from 0."""
    s = np.sqrt(var * t)
    z = np.divide(m * t, s, out=np.zeros(np.broadcast(m, s).shape), where=s > 0)
    phi = np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
    # (var / 2m)(2 Phi(z) - 1) -> s phi(0) as m -> 0; erf-based for small |z| keeps it accurate.
    tiny = np.abs(z) < 1e-6
    safe_m = np.where(tiny | (m == 0), 1.0, m)
    third = np.where(tiny, s * (1 / np.sqrt(2 * np.pi)) * (1 - z * z / 6), var / (2 * safe_m) * (2 * ndtr(z) - 1))
    return m * t * ndtr(z) + s * phi + third


def _rbm_survival(y: np.ndarray, m: np.ndarray, var: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``P(R(t) > y)``: the running maximum's law, with the exponential term taken in logs (no overflow)."""
    s = np.sqrt(np.maximum(var * t, 1e-300))
    first = ndtr((m * t - y) / s)
    second = np.exp(np.minimum(2 * m * y / var + log_ndtr((-y - m * t) / s), 0.0))
    return np.clip(first + second, 0.0, 1.0)


class _WaitLaw:
    """The wait of an arrival at each point: 0 w.p. ``1 - p0``, else ``K R(U T) / (c mu)`` (module docstring).

    Points whose queue settles early in the period (relaxation time ``sigma^2 / m^2`` under
    :data:`_SETTLED` of it; the finite-period waits are then within 1 % of the stationary ones,
    the start-up deficit being half that fraction) take the stationary law's closed forms, ``P(W > w) = C exp(-(c mu - lambda) w)``;
    only the others need the average over arrival times.
    """

    def __init__(self, lam, capacity, p_wait, horizon):
        m = lam - capacity
        var = lam + capacity
        settling = m < 0
        self.p0 = np.where(settling, p_wait, 1.0)
        self.theta = np.where(settling, -m, 0.0)
        with np.errstate(divide="ignore"):
            self.settled = settling & (var / np.where(settling, m * m, 1.0) < _SETTLED * horizon)
        self.transient = np.flatnonzero(~self.settled)
        k = self.transient
        self.m, self.var, self.capacity = m[k, None], var[k, None], capacity[k, None]
        self.scale = np.where(settling[k], 2 * capacity[k] / np.maximum(var[k], 1e-300), 1.0)
        self.t = horizon[k, None] * _U[None, :] ** 2  # (transient points, nodes) arrival times
        self.horizon = horizon

    @classmethod
    def build(cls, lam, capacity, p_wait, horizon) -> "_WaitLaw":
        return cls(lam, capacity, p_wait, horizon)

    def mean(self) -> np.ndarray:
        """Mean wait (hours)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(self.settled, self.p0 / np.where(self.settled, self.theta, 1.0), 0.0)
        k = self.transient
        avg = (_rbm_mean(self.m, self.var, self.t) * _W).sum(axis=1)
        out[k] = self.p0[k] * self.scale * avg / self.capacity[:, 0]
        return out

    def survival(self, w: np.ndarray) -> np.ndarray:
        """``P(W > w)`` (hours); ``w`` has one row per point (and a column per value, if 2-d)."""
        w = np.asarray(w, dtype=float)
        w = np.broadcast_to(w, self.p0.shape + w.shape[1:]) if w.ndim <= 1 else w
        extra = (None,) * (w.ndim - 1)
        p0, theta = self.p0[(slice(None), *extra)], self.theta[(slice(None), *extra)]
        out = p0 * np.exp(-theta * w)
        k = self.transient
        if len(k):
            wk = w[k]
            y = (wk * (self.capacity[:, 0] / self.scale)[(slice(None), *extra)])[..., None]
            shape = (slice(None), *extra, slice(None))
            inner = (_rbm_survival(y, self.m[shape], self.var[shape], self.t[shape]) * _W).sum(axis=-1)
            out[k] = p0[k] * np.where(wk > 0, np.clip(inner, 0.0, 1.0), 1.0)
        return out

    def _upper(self) -> np.ndarray:
        """A wait (hours) that arrivals exceed with negligible probability, per point."""
        with np.errstate(divide="ignore"):
            out = np.where(self.settled, 40.0 / np.where(self.settled, self.theta, 1.0), 0.0)
        k = self.transient
        m, var, horizon = self.m[:, 0], self.var[:, 0], self.horizon[k]
        drift = np.maximum(m, 0) * horizon
        spread = np.sqrt(var * horizon)
        out[k] = self.scale * (drift + 10 * spread) / self.capacity[:, 0]
        return out + 1e-9

    def quantiles(self, qs) -> list[np.ndarray]:
        """Per-point quantiles (hours) of the wait: 0 where the chance of waiting is at most ``1 - q``."""
        tail = 1.0 - np.asarray(qs, dtype=float)[None, :]  # (1, nq)
        p0, theta = self.p0[:, None], self.theta[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(p0 > tail, np.log(p0 / tail) / np.where(theta > 0, theta, 1.0), 0.0)
        k = self.transient
        if len(k):
            lo = np.zeros((len(k), tail.shape[1]))
            hi = np.repeat(self._upper()[k, None], tail.shape[1], axis=1)
            full = np.zeros(value.shape)
            for _ in range(_BISECTIONS):
                mid = 0.5 * (lo + hi)
                full[k] = mid
                above = self.survival(full)[k] > tail
                lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
            value[k] = np.where(p0[k] > tail, 0.5 * (lo + hi), 0.0)
        return list(value.T)


def pooled_wait_quantiles(arrivals_per_hour, service_rate_per_server_per_hour, servers, opening_hours_per_day,
                          days_in_period, qs=(0.5, 0.9), weights=None) -> list[float]:
    """Quantiles (minutes) of the wait over the citizens of many points together.

    The citizens' wait is the mixture of the points' wait laws (see the module docstring) with
    weights ``weights`` (default: the arrival rates, i.e. each citizen counts once). Solved by
    bisection on the mixture's survival function; there is no loop over points.
    """
    lam = _nonneg(arrivals_per_hour, "arrivals_per_hour")
    mu = _positive(service_rate_per_server_per_hour, "service_rate_per_server_per_hour")
    c = _as_servers(servers)
    hours_per_day = _positive(opening_hours_per_day, "opening_hours_per_day")
    days = _positive(days_in_period, "days_in_period")
    lam, mu, c, hours_per_day, days = (np.atleast_1d(x) for x in np.broadcast_arrays(lam, mu, c, hours_per_day, days))
    wt = lam if weights is None else np.broadcast_to(np.asarray(weights, dtype=float), lam.shape)
    if len(lam) == 0 or wt.sum() <= 0:
        return [float("nan") for _ in qs]
    wt = wt / wt.sum()
    capacity = c * mu
    law = _WaitLaw.build(lam, capacity, erlang_c(c, lam / mu), hours_per_day * days)
    tail = 1.0 - np.asarray(qs, dtype=float)
    lo, hi = np.zeros(len(tail)), np.full(len(tail), float(law._upper().max()))
    waits = wt @ law.survival(np.zeros(len(lam))) > tail  # anyone waits beyond 0 with more than 1 - q
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        above = wt @ law.survival(np.broadcast_to(mid, (len(lam), len(tail)))) > tail
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    out = [60.0 * float(v) if ok else 0.0 for v, ok in zip(0.5 * (lo + hi), waits)]
    return out
