"""Tests of simulate.citizens: the queue, selective response, the SKM survey, complaints, ratings.

Oracles: Erlang C by the direct factorial formula and textbook values, the M/M/1 mean wait,
a discrete-event (Lindley recursion) simulation of the M/M/1 queue for the stable, critical and
overloaded regimes, and the selective-response density integrated numerically. Statistical
checks use fixed seeds and tolerances many standard errors wide.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from simulate.citizens import (
    ELEMENT_NAMES,
    GRADES,
    HIDDEN_COLUMNS,
    POINT_COLUMNS,
    ServiceOutcome,
    answer_probabilities,
    citizen_ratings,
    complaint_probability,
    erlang_c,
    queue_metrics,
    satisfaction_level,
    selective_response_cdf,
    selective_response_draws,
    simulate_service,
    surveys_in_period,
    wait_penalty,
)
from simulate.scenario.schema import CitizenParams, SatisfactionParams, ServiceParams

# A long period (12 months x 21 days x 7 hours) so stationary M/M/c results apply away from rho = 1.
HOURS, DAYS = 7.0, 252.0
#: A period long enough for the queue to settle: the finite-period waits are then Erlang C's.
LONG_DAYS = 1e7


def erlang_c_direct(c: int, a: float) -> float:
    """Erlang C by the textbook factorial formula (independent of the recursion)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


#: Citizens an hour each test point sees at the default demand (a point of the kind with the
#: region's whole demand for it).
ARRIVALS = {"dukcapil": 40.0, "puskesmas": 14.0, "kecamatan": 8.0}


def region_employees(kinds, arrivals=None) -> np.ndarray:
    """Employees of a region whose residents bring ``arrivals`` an hour to a point holding all of its kind's demand."""
    p = CitizenParams()
    hours_per_year = 12 * p.working_days_per_month * p.opening_hours_per_day
    kinds = np.asarray(kinds, dtype=object)
    rate = np.array([ARRIVALS[k] if arrivals is None else arrivals for k in kinds], dtype=float)
    per_resident = np.array([p.services[k].visits_per_resident_per_year for k in kinds])
    return rate * hours_per_year / (p.residents_per_employee * per_resident)


def make_points(n: int, kind: str = "kecamatan", servers: int = 3, staff: int = 10,
                server_performance: float = 0.0, staff_performance: float = 0.0,
                quality: float = 0.0, start_id: int = 0) -> pd.DataFrame:
    return pd.DataFrame({
        "point_id": np.arange(start_id, start_id + n),
        "opd_kind": kind,
        "n_staff": staff,
        "n_servers": servers,
        "demand_share": 1.0,
        "region_employees": region_employees([kind] * n),
        "server_performance": server_performance,
        "staff_performance": staff_performance,
        "quality": quality,
    })


# --------------------------------------------------------------------------------------------
# Erlang C
# --------------------------------------------------------------------------------------------


@given(rho=st.floats(0.0, 0.999))
def test_erlang_c_single_server_is_utilisation(rho):
    assert erlang_c(1, rho) == pytest.approx(rho, abs=1e-12)


@pytest.mark.parametrize("c, a, expected", [
    (1, 0.5, 0.5),
    (2, 1.0, 1.0 / 3.0),  # (1/2)(2/1) / (1 + 1 + 1)
    (3, 2.0, 4.0 / 9.0),  # (8/6)(3/1) / (1 + 2 + 2 + 4)
], ids=["one server half busy", "two servers one erlang", "three servers two erlangs"])
def test_erlang_c_textbook_values(c, a, expected):
    assert erlang_c(c, a) == pytest.approx(expected, rel=1e-12)


@given(c=st.integers(1, 12), rho=st.floats(0.001, 0.99))
def test_erlang_c_matches_factorial_formula(c, rho):
    a = rho * c
    assert erlang_c(c, a) == pytest.approx(erlang_c_direct(c, a), rel=1e-9)


def test_erlang_c_vectorised_over_points_matches_one_by_one():
    servers = np.array([1, 2, 3, 7, 20, 4, 1])
    loads = np.array([0.3, 1.5, 2.0, 6.5, 12.0, 4.0, 0.0])
    together = erlang_c(servers, loads)
    alone = np.array([erlang_c(c, a) for c, a in zip(servers, loads)]).ravel()
    np.testing.assert_allclose(together, alone, rtol=1e-14)
    assert together[5] == 1.0  # rho = 1: everyone waits
    assert together[6] == 0.0  # no load: nobody waits


@pytest.mark.parametrize("servers", [0, -1, 1.5, np.nan])
def test_erlang_c_rejects_bad_servers(servers):
    with pytest.raises(ValueError, match="servers"):
        erlang_c(np.array([2, servers]), np.array([1.0, 1.0]))


def test_erlang_c_rejects_negative_load():
    with pytest.raises(ValueError, match="offered_load"):
        erlang_c(2, -0.1)


# --------------------------------------------------------------------------------------------
# Queue metrics
# --------------------------------------------------------------------------------------------


@given(mu=st.floats(0.5, 60.0), rho=st.floats(0.01, 0.8))
def test_mm1_mean_wait_is_rho_over_mu_minus_lambda(mu, rho):
    lam = rho * mu
    q = queue_metrics(lam, mu, 1, HOURS, LONG_DAYS)
    assert q["wait_minutes_mean"].iloc[0] == pytest.approx(60.0 * rho / (mu - lam), rel=1e-5)
    assert q["p_wait"].iloc[0] == pytest.approx(rho, rel=1e-9)
    assert not q["overloaded"].iloc[0]
    assert q["backlog_days"].iloc[0] == 0.0
    # Over a year the queue starts empty and has not quite settled: a little below the stationary mean.
    year = queue_metrics(lam, mu, 1, HOURS, DAYS)["wait_minutes_mean"].iloc[0]
    assert year <= 60.0 * rho / (mu - lam) * (1 + 1e-9)


def test_mmc_mean_median_and_p90_follow_erlang_c_once_settled():
    lam, mu, c = 9.0, 4.0, 3  # rho = 0.75
    p = erlang_c_direct(c, lam / mu)
    q = queue_metrics(lam, mu, c, HOURS, LONG_DAYS).iloc[0]
    assert q["wait_minutes_mean"] == pytest.approx(60.0 * p / (c * mu - lam), rel=1e-5)
    assert q["wait_minutes_p90"] == pytest.approx(60.0 * math.log(p / 0.1) / (c * mu - lam), rel=1e-4)
    assert q["wait_minutes_median"] == pytest.approx(60.0 * math.log(p / 0.5) / (c * mu - lam), rel=1e-4)
    # With P(wait) <= 0.1 the 90th percentile wait is zero (and the median with P(wait) <= 0.5).
    light = queue_metrics(1.0, 4.0, 3, HOURS, DAYS).iloc[0]
    assert light["p_wait"] < 0.1 and light["wait_minutes_p90"] == 0.0 and light["wait_minutes_median"] == 0.0


@settings(max_examples=300, deadline=None)
@given(
    c=st.integers(1, 25), mu=st.floats(0.2, 30.0),
    f1=st.floats(0.0, 3.0), f2=st.floats(0.0, 3.0),
    hours=st.floats(1.0, 12.0), days=st.floats(1.0, 260.0),
)
def test_wait_is_non_decreasing_in_arrivals_including_overload(c, mu, f1, f2, hours, days):
    low, high = sorted((f1, f2))
    q = queue_metrics(np.array([low, high]) * c * mu, mu, c, hours, days)
    for col in ("utilisation", "p_wait", "wait_minutes_mean", "wait_minutes_median", "wait_minutes_p90",
                "backlog_days"):
        a, b = q[col].to_numpy()
        assert np.isfinite([a, b]).all(), col
        assert b >= a * (1 - 1e-6) - 1e-9, col


@settings(max_examples=200, deadline=None)
@given(c=st.integers(1, 25), lam=st.floats(0.0, 200.0), m1=st.floats(0.2, 30.0), m2=st.floats(0.2, 30.0))
def test_wait_is_non_increasing_in_service_rate(c, lam, m1, m2):
    slow, fast = sorted((m1, m2))
    q = queue_metrics(lam, np.array([slow, fast]), c, HOURS, DAYS)
    for col in ("wait_minutes_mean", "wait_minutes_median", "wait_minutes_p90", "backlog_days"):
        a, b = q[col].to_numpy()
        assert b <= a * (1 + 1e-6) + 1e-9, col


def test_overloaded_points_are_finite_backlogs_growing_with_utilisation():
    mu, c = 5.0, 2
    rho = np.array([1.0, 1.1, 1.5, 2.0, 3.0])
    q = queue_metrics(rho * c * mu, mu, c, HOURS, DAYS)
    assert q["overloaded"].all()
    assert (q["p_wait"] == 1.0).all()
    assert np.isfinite(q[["wait_minutes_mean", "wait_minutes_p90", "backlog_days"]].to_numpy()).all()
    assert np.all(np.diff(q["backlog_days"]) > 0)
    assert np.all(np.diff(q["wait_minutes_mean"]) > 0)
    np.testing.assert_allclose(q["backlog_days"], (rho - 1.0) * DAYS)
    # Clearly overloaded: the mean wait tends to the fluid (rho - 1) x days / 2 working days, in minutes.
    np.testing.assert_allclose(q["wait_minutes_mean"].iloc[2:], (rho[2:] - 1.0) * DAYS / 2 * HOURS * 60, rtol=0.01)
    np.testing.assert_allclose(q["wait_minutes_p90"].iloc[2:], 0.9 * (rho[2:] - 1.0) * DAYS * HOURS * 60, rtol=0.01)


def test_wait_is_continuous_across_full_utilisation():
    mu, c = 5.0, 4
    rho = np.array([1 - 1e-6, 1.0, 1 + 1e-6])
    q = queue_metrics(rho * c * mu, mu, c, HOURS, DAYS)
    for col in ("wait_minutes_mean", "wait_minutes_p90"):
        v = q[col].to_numpy()
        assert v[0] > 0
        np.testing.assert_allclose(v, v[1], rtol=1e-3)


def test_zero_arrivals_mean_no_wait():
    q = queue_metrics([0.0, 0.0], [5.0, 0.1], [1, 10], HOURS, DAYS)
    cols = ["utilisation", "p_wait", "wait_minutes_mean", "wait_minutes_p90", "backlog_days"]
    assert (q[cols] == 0).all().all()
    assert not q["overloaded"].any()


@pytest.mark.parametrize("kwargs, name", [
    (dict(servers=0), "servers"),
    (dict(servers=[1, 0]), "servers"),
    (dict(service_rate_per_server_per_hour=0.0), "service_rate_per_server_per_hour"),
    (dict(arrivals_per_hour=-1.0), "arrivals_per_hour"),
    (dict(days_in_period=0.0), "days_in_period"),
    (dict(opening_hours_per_day=np.inf), "opening_hours_per_day"),
])
def test_queue_metrics_names_the_bad_argument(kwargs, name):
    args = dict(arrivals_per_hour=1.0, service_rate_per_server_per_hour=2.0, servers=1,
                opening_hours_per_day=HOURS, days_in_period=DAYS)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        queue_metrics(**args)


@settings(max_examples=200, deadline=None)
@given(c=st.integers(1, 25), mu=st.floats(0.2, 30.0), rho=st.floats(0.0, 2.0),
       d1=st.floats(1.0, 500.0), d2=st.floats(1.0, 500.0))
def test_wait_is_non_decreasing_in_the_length_of_the_period(c, mu, rho, d1, d2):
    # The queue starts empty and only builds up, so a longer period has longer average waits.
    short, long = sorted((d1, d2))
    q = queue_metrics(rho * c * mu, mu, c, HOURS, np.array([short, long]))
    for col in ("wait_minutes_mean", "wait_minutes_median", "wait_minutes_p90"):
        a, b = q[col].to_numpy()
        assert b >= a * (1 - 1e-9) - 1e-12, col


@pytest.mark.parametrize("eta", [-40.0, -2.0, -0.01, 0.0, 5e-5, 0.3, 4.0])
@pytest.mark.parametrize("z", [0.0, 0.05, 0.7, 2.0])
def test_period_averaged_running_maximum_matches_quadrature(eta, z):
    # P(max_{s<=t} B_s > z) for B a unit Brownian motion with drift eta (Harrison 1985, 1.8),
    # averaged over t uniform on [0, 1], and its integral over the level: the closed forms
    # behind every wait.
    from simulate.citizens.queue import _period_max_excess, _period_max_survival

    def running_max_tail(level, t):
        s = math.sqrt(t)
        return (stats.norm.sf((level - eta * t) / s)
                + math.exp(2 * eta * level) * stats.norm.cdf((-level - eta * t) / s))

    def survival(level):
        return integrate.quad(lambda t: running_max_tail(level, t), 0, 1, epsabs=1e-13, limit=200)[0]

    assert float(_period_max_survival(z, eta)) == pytest.approx(survival(z), rel=1e-9, abs=1e-12)
    excess = integrate.quad(lambda u: float(_period_max_survival(u, eta)), z, np.inf, epsabs=1e-13, limit=200)[0]
    assert float(_period_max_excess(z, eta)) == pytest.approx(excess, rel=1e-8, abs=1e-13)


def test_period_averaged_running_maximum_limits():
    from simulate.citizens.queue import _period_max_excess

    # Driftless: E max_{s<=t} B_s = sqrt(2 t / pi), averaged over t: (2/3) sqrt(2 / pi).
    assert float(_period_max_excess(0.0, 0.0)) == pytest.approx(2 / 3 * math.sqrt(2 / math.pi), rel=1e-12)
    # Strong negative drift: the stationary exponential law, mean 1 / (2 |eta|).
    assert float(_period_max_excess(0.0, -1e4)) == pytest.approx(0.5e-4, rel=1e-3)
    # Strong positive drift: the fluid path eta t, mean eta / 2.
    assert float(_period_max_excess(0.0, 1e3)) == pytest.approx(500.0, rel=1e-5)
    # Across the switch to quadrature near zero drift the values join up.
    eta = np.array([-0.02 - 1e-12, -0.02 + 1e-12, 0.02 - 1e-12, 0.02 + 1e-12])
    v = _period_max_excess(np.full(4, 0.01), eta)
    np.testing.assert_allclose(v[::2], v[1::2], rtol=1e-10)


def _lindley_mm1_mean_wait(lam: float, mu: float, horizon: float, reps: int, seed: int) -> float:
    """Mean wait (hours) of customers arriving in [0, horizon] at an M/M/1 queue starting empty."""
    rng = np.random.default_rng(seed)
    n = int(lam * horizon * 1.5) + 50
    gaps = rng.exponential(1 / lam, (n, reps))
    service = rng.exponential(1 / mu, (n, reps))
    arrival = np.cumsum(gaps, axis=0)
    wait = np.zeros(reps)
    total = np.zeros(reps)
    count = np.zeros(reps)
    for i in range(n):
        inside = arrival[i] <= horizon
        total += np.where(inside, wait, 0.0)
        count += inside
        if i + 1 < n:
            wait = np.maximum(0.0, wait + service[i] - gaps[i + 1])
    return float(total.sum() / count.sum())


@pytest.mark.parametrize("rho, rel", [
    (0.5, 0.05),  # stationary M/M/1 (start-up from empty shortens waits by well under 5%)
    (1.0, 0.10),  # critical load: the reflected Brownian motion (diffusion error ~ a few %)
    (1.6, 0.05),  # overloaded: close to the fluid backlog (rho - 1) T / 2
], ids=["stable", "critical", "overloaded"])
def test_queue_waits_match_a_discrete_event_simulation(rho, rel):
    mu, horizon = 4.0, 150.0  # one server, 150 opening hours
    simulated = _lindley_mm1_mean_wait(rho * mu, mu, horizon, reps=2000, seed=7)
    model = queue_metrics(rho * mu, mu, 1, 1.0, horizon)["wait_minutes_mean"].iloc[0] / 60.0
    assert model == pytest.approx(simulated, rel=rel)


# --------------------------------------------------------------------------------------------
# Selective response
# --------------------------------------------------------------------------------------------


def _target_cdf(x: float, s: float) -> float:
    """CDF of the density phi(z)(1 + s|z|), integrated numerically (independent of the sampler)."""
    norm = 1 + s * math.sqrt(2 / math.pi)
    value, _ = integrate.quad(lambda z: stats.norm.pdf(z) * (1 + s * abs(z)) / norm, -np.inf, x)
    return value


@pytest.mark.parametrize("s", [0.0, 0.5, 2.0, 10.0])
def test_selective_response_matches_target_density(s):
    z = selective_response_draws(200_000, s, rng=11)
    # E|z| under phi(z)(1 + s|z|) / (1 + s sqrt(2/pi)) is (sqrt(2/pi) + s) / (1 + s sqrt(2/pi)).
    expected_abs = (math.sqrt(2 / math.pi) + s) / (1 + s * math.sqrt(2 / math.pi))
    assert np.mean(np.abs(z)) == pytest.approx(expected_abs, abs=0.01)  # SE about 0.0014
    assert abs(np.mean(z)) < 0.01  # symmetric; SE about 0.0025
    grid = np.linspace(-3, 3, 13)
    target = np.array([_target_cdf(x, s) for x in grid])
    np.testing.assert_allclose(selective_response_cdf(grid, s), target, atol=1e-9)
    ks = stats.kstest(z, lambda x: selective_response_cdf(x, s))
    assert ks.statistic < 0.006  # expected about 0.002 for 200,000 draws


def test_selective_response_without_selectivity_is_standard_normal():
    z = selective_response_draws(100_000, 0.0, rng=3)
    assert stats.kstest(z, "norm").statistic < 0.008
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(selective_response_cdf(x, 0.0), stats.norm.cdf(x))


def test_selective_response_rejects_negative_selectivity():
    with pytest.raises(ValueError, match="selectivity"):
        selective_response_draws(10, -0.5, rng=0)


@given(mean=st.floats(-4, 4), sd=st.floats(0.1, 3), s=st.floats(0, 5))
def test_answer_probabilities_are_a_distribution(mean, sd, s):
    p = answer_probabilities(mean, sd, [-1.6, -0.5, 1.1], s)
    assert p.shape == (4,)
    assert np.all(p >= 0) and p.sum() == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------
# Small rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("per_year, months, expected", [
    (1, 12, 1), (1, 6, 1), (1, 1, 1), (12, 12, 12), (12, 6, 6), (4, 3, 1), (4, 12, 4), (2, 9, 2), (3, 6, 2),
])
def test_surveys_in_period(per_year, months, expected):
    assert surveys_in_period(per_year, months) == expected


def test_wait_penalty_is_flat_below_tolerance_then_doublings():
    np.testing.assert_allclose(wait_penalty([0, 30, 60, 120, 240], 60.0), [0, 0, 0, 1, 2])


def test_complaint_probability_is_the_rate_when_small_and_never_above_one():
    assert complaint_probability(4.0, 0.0) == pytest.approx(0.004, rel=0.003)
    assert complaint_probability(4.0, -1.0) == pytest.approx(0.004 * math.e, rel=0.01)
    assert complaint_probability(4.0, -50.0) <= 1.0
    assert complaint_probability(0.0, -3.0) == 0.0


def test_satisfaction_level_uses_staff_quality_facility_and_wait():
    p = SatisfactionParams()
    base = satisfaction_level(0.0, 0.0, 0.0, 0.0, p)
    assert base == pytest.approx(p.expectation)
    assert satisfaction_level(1.0, 1.0, 0.0, 0.0, p) == pytest.approx(p.expectation + p.staff_weight)
    assert satisfaction_level(1.0, 0.0, 0.0, 0.0, p) == pytest.approx(p.expectation + p.staff_weight / 2)
    assert satisfaction_level(0.0, 0.0, 1.0, 0.0, p) == pytest.approx(p.expectation + p.facility_weight)
    assert satisfaction_level(0.0, 0.0, 0.0, p.wait_tolerance_minutes, p) == pytest.approx(base)
    four_times = satisfaction_level(0.0, 0.0, 0.0, 4 * p.wait_tolerance_minutes, p)
    assert four_times == pytest.approx(base - 2 * p.wait_weight)


# --------------------------------------------------------------------------------------------
# simulate_service
# --------------------------------------------------------------------------------------------


def mixed_points(n: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kinds = np.array(["dukcapil", "puskesmas", "kecamatan"])[np.arange(n) % 3]
    servers = np.where(kinds == "dukcapil", 10, np.where(kinds == "puskesmas", 5, 3))
    return pd.DataFrame({
        "point_id": np.arange(100, 100 + n),
        "opd_kind": kinds,
        "n_staff": servers * 5,
        "n_servers": servers - (np.arange(n) % 7 == 0) * (servers // 2),  # some overloaded points
        "demand_share": 1.0,
        "region_employees": region_employees(kinds),
        "server_performance": rng.normal(0, 0.5, n),
        "staff_performance": rng.normal(0, 0.3, n),
        "quality": rng.normal(0, 0.3, n),
    })


def test_same_seed_gives_identical_frames_and_other_seeds_differ():
    pts, params = mixed_points(), CitizenParams(surveys_per_year=4)
    a = simulate_service(pts, params, 12, rng=5).to_frame()
    b = simulate_service(pts, params, 12, rng=np.random.SeedSequence(5)).to_frame()
    pd.testing.assert_frame_equal(a, b)
    c = simulate_service(pts, params, 12, rng=6).to_frame()
    assert not np.allclose(a["ikm"], c["ikm"])


def test_outcome_columns_and_result_object():
    pts = mixed_points()
    out = simulate_service(pts, CitizenParams(), 12, rng=1)
    assert isinstance(out, ServiceOutcome)
    assert list(out.points.columns) == list(POINT_COLUMNS)
    assert out.points["point_id"].tolist() == pts["point_id"].tolist()
    assert list(out.observable().columns) == [c for c in POINT_COLUMNS if c not in HIDDEN_COLUMNS]
    assert "facility_quality" in out.observable().columns
    assert not set(HIDDEN_COLUMNS) & set(out.observable().columns)
    summary = out.summary()
    assert list(summary.columns) == ["all", "dukcapil", "puskesmas", "kecamatan"]
    shares = summary.loc[[f"grade_{g}_share" for g in GRADES], "all"]
    assert shares.sum() == pytest.approx(1.0)
    assert summary.loc["service_points", "all"] == len(pts)
    assert "Service delivery" in out._repr_html_()
    assert len(ELEMENT_NAMES) == 9
    with pytest.raises(Exception):
        out.points = pd.DataFrame()  # frozen


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    perf=st.floats(-3, 3), servers=st.integers(1, 12),
    months=st.integers(1, 24), per_year=st.integers(1, 52),
    kind=st.sampled_from(["dukcapil", "puskesmas", "kecamatan"]),
)
def test_outcome_bounds(seed, perf, servers, months, per_year, kind):
    pts = make_points(6, kind=kind, servers=servers, server_performance=perf,
                      staff_performance=perf, quality=-perf)
    out = simulate_service(pts, CitizenParams(surveys_per_year=per_year), months, rng=seed).points
    elements = out[[f"element_{i}" for i in range(1, 10)]].to_numpy()
    assert np.all((elements >= 1) & (elements <= 4))
    assert out["ikm"].between(1, 4).all()
    assert out["ikm_converted"].between(25, 100).all()
    assert out["ikm_grade"].isin(GRADES).all()
    assert out["ikm_true"].between(1, 4).all()
    assert (out["respondents"] > 0).all() and (out["respondents"] <= out["visits"]).all()
    assert (out["surveys"] == surveys_in_period(per_year, months)).all()
    assert ((out["complaints"] >= 0) & (out["complaints"] <= out["visits"])).all()
    numeric = out.drop(columns=["opd_kind", "ikm_grade"]).to_numpy(dtype=float)
    assert np.isfinite(numeric).all()


def test_more_surveys_mean_more_respondents_and_less_ikm_sampling_variance():
    pts = make_points(1500)  # identical points: IKM differences across points are sampling noise
    yearly = simulate_service(pts, CitizenParams(surveys_per_year=1), 12, rng=21).points
    monthly = simulate_service(pts, CitizenParams(surveys_per_year=12), 12, rng=21).points
    assert (monthly["respondents"] > 5 * yearly["respondents"]).all()
    # Facility draws are common to both runs; remove their effect with the hidden truth.
    var_yearly = np.var(yearly["ikm"] - yearly["ikm_true"])
    var_monthly = np.var(monthly["ikm"] - monthly["ikm_true"])
    assert var_monthly < var_yearly / 4  # expected ratio about 1/11; estimates are within ~4%


def test_better_staff_mean_higher_ikm_shorter_waits_and_fewer_complaints():
    params = CitizenParams()
    weak = make_points(400, "dukcapil", servers=9, server_performance=-0.5, staff_performance=-0.5,
                       quality=-0.5)
    strong = make_points(400, "dukcapil", servers=9, server_performance=0.5, staff_performance=0.5,
                         quality=0.5, start_id=400)
    out = simulate_service(pd.concat([weak, strong], ignore_index=True), params, 12, rng=8).points
    w, s = out.iloc[:400], out.iloc[400:]
    assert s["wait_minutes_mean"].mean() < w["wait_minutes_mean"].mean()
    # A 1 SD staff difference moves latent satisfaction by at least staff_weight = 0.35 SD;
    # per-point IKM noise (facilities, sampling) is about 0.1, so means over 400 points differ by >> 0.05.
    assert s["ikm"].mean() > w["ikm"].mean() + 0.05
    assert s["complaints_per_1000"].mean() < 0.85 * w["complaints_per_1000"].mean()
    assert s["satisfaction_true"].mean() > w["satisfaction_true"].mean() + 0.3


def test_unmeasured_quality_reaches_citizens():
    low = make_points(300, quality=-1.0)
    high = make_points(300, quality=1.0, start_id=300)
    out = simulate_service(pd.concat([low, high], ignore_index=True), CitizenParams(), 12, rng=4).points
    assert out["ikm"].iloc[300:].mean() > out["ikm"].iloc[:300].mean() + 0.05
    # Same servers and speed: quality does not change the queue.
    rate = out["service_rate_per_hour"].to_numpy()
    np.testing.assert_allclose(rate[:300], rate[300:])


def test_overloaded_points_have_backlogs_long_waits_and_low_ikm():
    ok = make_points(200, "dukcapil", servers=12)  # rho = 40 / 60
    jam = make_points(200, "dukcapil", servers=6, start_id=200)  # rho = 40 / 30
    out = simulate_service(pd.concat([ok, jam], ignore_index=True), CitizenParams(), 12, rng=2).points
    assert not out["overloaded"].iloc[:200].any() and out["overloaded"].iloc[200:].all()
    assert (out["backlog_days"].iloc[200:] > 50).all() and (out["backlog_days"].iloc[:200] == 0).all()
    assert np.isfinite(out["wait_minutes_mean"]).all()
    assert out["ikm"].iloc[200:].max() < out["ikm"].iloc[:200].min()
    # Element 3 (waktu penyelesaian) carries extra weight on the wait.
    jammed = out.iloc[200:]
    others = jammed[["element_1", "element_2", "element_4", "element_5", "element_8"]].mean(axis=1)
    assert (jammed["element_3"] <= others).mean() > 0.9


def test_facility_quality_is_drawn_per_point_and_drives_element_9():
    out = simulate_service(make_points(4000), CitizenParams(), 12, rng=9).points
    assert out["facility_quality"].mean() == pytest.approx(0.0, abs=0.06)  # SE 0.016
    assert out["facility_quality"].std() == pytest.approx(1.0, abs=0.05)
    # Element 9 (sarana prasarana) loads 1.5 times on facilities: its slope is about 1.5 times
    # that of element 1 (about 0.23 vs 0.15; standard errors below 0.002).
    slope9 = np.polyfit(out["facility_quality"], out["element_9"], 1)[0]
    slope1 = np.polyfit(out["facility_quality"], out["element_1"], 1)[0]
    assert slope9 > 1.3 * slope1 > 0


def test_survey_without_selection_is_unbiased_for_the_hidden_ikm():
    params = CitizenParams(surveys_per_year=12, satisfaction=SatisfactionParams(selectivity=0.0))
    out = simulate_service(make_points(300), params, 12, rng=13).points
    # 300 points x ~4,000 respondents: the mean gap has SE about 0.001.
    assert (out["ikm"] - out["ikm_true"]).mean() == pytest.approx(0.0, abs=0.01)


def test_zero_arrivals_give_no_visits_no_survey_and_no_error():
    services = dict(CitizenParams().services)
    services["kecamatan"] = ServiceParams(visits_per_resident_per_year=0.0, service_minutes=18.0, counter_share=0.15)
    out = simulate_service(make_points(5), CitizenParams(services=services), 12, rng=0).points
    assert (out["visits"] == 0).all() and (out["respondents"] == 0).all()
    assert (out["wait_minutes_mean"] == 0).all() and (out["complaints"] == 0).all()
    assert out["ikm"].isna().all() and (out["ikm_grade"] == "").all()
    summary = simulate_service(make_points(5), CitizenParams(services=services), 12, rng=0).summary()
    assert np.isnan(summary.loc["ikm_converted_mean", "all"])


def test_empty_points_frame():
    out = simulate_service(make_points(0), CitizenParams(), 12, rng=0)
    assert len(out.points) == 0 and list(out.points.columns) == list(POINT_COLUMNS)


@pytest.mark.parametrize("change, message", [
    (dict(opd_kind="back_office"), "opd_kind"),
    (dict(n_servers=0), "n_servers"),
    (dict(n_staff=0), "n_staff"),
    (dict(quality=np.nan), "quality"),
])
def test_bad_points_are_rejected_with_the_column_named(change, message):
    pts = make_points(3).assign(**change)
    with pytest.raises(ValueError, match=message):
        simulate_service(pts, CitizenParams(), 12, rng=0)


def test_missing_column_and_bad_period_are_rejected():
    with pytest.raises(ValueError, match="quality"):
        simulate_service(make_points(3).drop(columns="quality"), CitizenParams(), 12, rng=0)
    with pytest.raises(ValueError, match="period_months"):
        simulate_service(make_points(3), CitizenParams(), 0, rng=0)


# --------------------------------------------------------------------------------------------
# Citizen ratings of individual staff
# --------------------------------------------------------------------------------------------


def test_citizen_ratings_nan_without_ratings_and_within_scale():
    perf = np.linspace(-2, 2, 50)
    level = np.zeros(50)
    none = citizen_ratings(perf, level, 0.0, 12, CitizenParams(), rng=0)
    assert np.isnan(none).all()
    some = citizen_ratings(perf, level, 0.2, 3, CitizenParams(), rng=0)  # ~0.6 ratings each
    assert np.isnan(some).any() and (~np.isnan(some)).any()
    got = some[~np.isnan(some)]
    assert np.all((got >= 1) & (got <= 4))


def test_citizen_ratings_follow_the_category_probabilities():
    sat = SatisfactionParams()
    perf = np.repeat([-1.0, 0.0, 1.0], 200)
    level = np.full(perf.shape, 0.4)
    ratings = citizen_ratings(perf, level, 500.0, 12, sat, rng=17)  # ~6,000 ratings each
    probs = answer_probabilities(level + sat.staff_weight * perf, np.full(perf.shape, sat.respondent_sd),
                                 sat.cutpoints, sat.selectivity)
    expected = (probs * np.arange(1, 5)).sum(axis=-1)
    # Mean of 200 people x 6,000 ratings: SE about 0.0006 per group.
    for g in range(3):
        rows = slice(200 * g, 200 * (g + 1))
        assert ratings[rows].mean() == pytest.approx(expected[rows].mean(), abs=0.005)
    means = [ratings[perf == v].mean() for v in (-1.0, 0.0, 1.0)]
    assert means[0] < means[1] < means[2]


def test_citizen_ratings_deterministic_and_validated():
    perf, level = np.array([0.1, -0.3]), np.array([0.2, 0.5])
    a = citizen_ratings(perf, level, 5.0, 6, CitizenParams(), rng=3)
    b = citizen_ratings(perf, level, 5.0, 6, CitizenParams(), rng=3)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="point_satisfaction_level"):
        citizen_ratings(perf, level[:1], 5.0, 6, CitizenParams(), rng=3)
    with pytest.raises(ValueError, match="ratings_per_month"):
        citizen_ratings(perf, level, -1.0, 6, CitizenParams(), rng=3)
