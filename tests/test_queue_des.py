"""The finite-period queue waits against a discrete-event simulation of the same M/M/c queue.

The reference simulates FCFS M/M/c queues that start empty, with the Kiefer-Wolfowitz workload
vector (the c servers' remaining work, sorted), customer by customer, for many replications at
once. It is the reference, not production code.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulate.citizens.queue import pooled_wait_quantiles, queue_metrics

HOURS = 7.0


def simulate_waits(lam: float, mu: float, c: int, horizon: float, reps: int, seed: int) -> list[np.ndarray]:
    """Waits (hours) of the arrivals in ``[0, horizon]``, one array per replication."""
    rng = np.random.default_rng(seed)
    n = int(lam * horizon + 6 * np.sqrt(lam * horizon) + 10)
    times = np.cumsum(rng.exponential(1 / lam, (n, reps)), axis=0)
    service = rng.exponential(1 / mu, (n, reps))
    work = np.zeros((reps, c))
    waits = np.empty((n, reps))
    previous = np.zeros(reps)
    for k in range(n):  # customers, each step over every replication
        work -= (times[k] - previous)[:, None]
        previous = times[k]
        np.maximum(work, 0.0, out=work)
        work.sort(axis=1)
        waits[k] = work[:, 0]
        work[:, 0] += service[k]
    inside = times <= horizon
    return [waits[inside[:, r], r] for r in range(reps)]


def reference(lam, mu, c, days, reps=100, seed=1):
    """Mean wait (minutes) with its standard error over replications, and the pooled median and p90."""
    per_rep = simulate_waits(lam, mu, c, days * HOURS, reps, seed)
    means = np.array([w.mean() for w in per_rep]) * 60
    pooled = np.concatenate(per_rep) * 60
    return means.mean(), means.std(ddof=1) / np.sqrt(reps), np.median(pooled), np.quantile(pooled, 0.9)


def check(c, rho, days, reps=100, mean_rel=0.12, quantile_rel=0.18):
    mu = 5.0 if c > 1 else 4.0
    mean, se, median, p90 = reference(rho * c * mu, mu, c, days, reps)
    q = queue_metrics(rho * c * mu, mu, c, HOURS, days).iloc[0]
    assert abs(q["wait_minutes_mean"] - mean) <= max(mean_rel * mean, 3 * se), (q["wait_minutes_mean"], mean, se)
    for got, want, name in ((q["wait_minutes_median"], median, "median"), (q["wait_minutes_p90"], p90, "p90")):
        if want < 1.0:
            assert got < 1.0, name  # most arrivals find a free server
        else:
            assert got == pytest.approx(want, rel=quantile_rel), name


def test_eight_servers_near_saturation_over_a_quarter():
    """The case the stationary Erlang-C wait got wrong: 145 minutes against about 100 simulated."""
    mu, c, rho, days = 5.0, 8, 0.99, 63
    mean, se, _, _ = reference(rho * c * mu, mu, c, days, reps=150)
    model = queue_metrics(rho * c * mu, mu, c, HOURS, days)["wait_minutes_mean"].iloc[0]
    assert abs(model - mean) <= max(0.12 * mean, 3 * se)
    check(c, rho, days, reps=150)


@pytest.mark.slow
@pytest.mark.parametrize("days", [21, 63, 250], ids=["month", "quarter", "year"])
@pytest.mark.parametrize("rho", [0.7, 0.9, 0.99, 1.1, 1.3])
@pytest.mark.parametrize("c", [1, 2, 8])
def test_waits_match_the_simulation_across_load_servers_and_period(c, rho, days):
    check(c, rho, days, reps=60 if days == 250 else 100)


def test_pooled_quantiles_over_unequal_points_match_the_simulation():
    mu, days = np.array([5.0, 4.0, 5.0]), 63
    servers = np.array([8, 1, 3])
    lam = np.array([0.9, 0.7, 0.8]) * servers * mu
    pooled = []
    for k in range(3):
        waits = simulate_waits(lam[k], mu[k], int(servers[k]), days * HOURS, reps=60, seed=10 + k)
        pooled.append(np.concatenate(waits) * 60)
    everyone = np.concatenate(pooled)  # each point contributes in proportion to its arrivals
    median, p90 = pooled_wait_quantiles(lam, mu, servers, HOURS, days)
    assert median == pytest.approx(np.median(everyone), rel=0.15, abs=0.5)
    assert p90 == pytest.approx(np.quantile(everyone, 0.9), rel=0.15)
    # One point alone gives that point's quantiles.
    alone = pooled_wait_quantiles(lam[:1], mu[:1], servers[:1], HOURS, days)
    row = queue_metrics(lam[0], mu[0], servers[0], HOURS, days).iloc[0]
    assert alone[0] == pytest.approx(row["wait_minutes_median"], rel=1e-6, abs=1e-6)
    assert alone[1] == pytest.approx(row["wait_minutes_p90"], rel=1e-6)
