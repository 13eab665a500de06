"""The rater model: each term does what its name says."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.population import generate_population
from simulate.raters import (
    generate_ratings,
    peer_ratings,
    recency_factor,
    sibling_positions,
    supervisor_ratings,
)
from simulate.rng import stream
from simulate.scales import DI_ATAS, DI_BAWAH, SESUAI, to_expectation, to_likert5, to_score_100
from simulate.assemble import scenario_from_dict
from simulate.work import generate_truth


@pytest.fixture(scope="module")
def world():
    sc = scenario_from_dict({"population": {"n_employees": 3000}})
    pop = generate_population(sc.population, stream(1, "population"))
    truth = generate_truth(pop, sc.truth, 12, stream(1, "truth"))
    return sc, pop, truth


def _sup(sc, pop, truth, seed=5, **update):
    params = sc.raters.supervisor.model_copy(update=update)
    return supervisor_ratings(pop, truth, params, sc.truth, sc.appraisal, sc.raters.results_idiosyncratic_share,
                              stream(seed, "raters"), sc.raters.results_noise_sd)


def test_perfect_raters_reproduce_the_truth(world):
    sc, pop, truth = world
    b, r = _sup(sc, pop, truth, leniency_sd=0, slope_sd=0, slope_mean=1, idiosyncratic_sd=0, noise_sd=0,
                halo=0, ingroup_bias=0, stakes_inflation=0, perspective_sd=0)
    sc0 = sc.raters.model_copy(update={"results_noise_sd": 0.0})
    _, r0 = supervisor_ratings(pop, truth, sc.raters.supervisor.model_copy(update=dict(
        leniency_sd=0, slope_sd=0, slope_mean=1, idiosyncratic_sd=0, noise_sd=0, halo=0, ingroup_bias=0,
        stakes_inflation=0, perspective_sd=0)), sc.truth, sc.appraisal, 0.0, stream(5, "raters"), sc0.results_noise_sd)
    assert np.allclose(b, truth.behaviour)
    assert np.allclose(r0, truth.results)


def test_stakes_inflation_shifts_pay_linked_ratings(world):
    sc, pop, truth = world
    paid, _ = _sup(sc, pop, truth)
    research, _ = supervisor_ratings(pop, truth, sc.raters.supervisor, sc.truth,
                                     sc.appraisal.model_copy(update={"pay_linked": False}),
                                     sc.raters.results_idiosyncratic_share, stream(5, "raters"), sc.raters.results_noise_sd)
    assert np.allclose(paid - research, sc.raters.supervisor.stakes_inflation)


def test_halo_raises_inter_dimension_correlation(world):
    sc, pop, truth = world
    def mean_r(h):
        b, _ = _sup(sc, pop, truth, halo=h, leniency_sd=0)
        c = np.corrcoef(b, rowvar=False)
        return c[~np.eye(7, dtype=bool)].mean()
    assert mean_r(0.0) < mean_r(0.4) < mean_r(0.8)


def test_central_tendency_compresses_and_leniency_spreads_raters(world):
    sc, pop, truth = world
    flat, _ = _sup(sc, pop, truth, slope_mean=0.3, slope_sd=0, leniency_sd=0)
    wide, _ = _sup(sc, pop, truth, slope_mean=1.5, slope_sd=0, leniency_sd=0)
    assert flat.mean(axis=1).std() < wide.mean(axis=1).std()
    sup = pop.employees["superior_id"].to_numpy()
    def between_rater_sd(ratings):
        overall = ratings.mean(axis=1)
        keys, inv = np.unique(sup, return_inverse=True)
        means = np.bincount(inv, weights=overall) / np.bincount(inv)
        return means.std()
    low, _ = _sup(sc, pop, truth, leniency_sd=0.1)
    high, _ = _sup(sc, pop, truth, leniency_sd=1.5)
    assert between_rater_sd(low) < between_rater_sd(high)


def test_ingroup_bias_favours_ratees_like_the_rater(world):
    sc, pop, truth = world
    b0, _ = _sup(sc, pop, truth, ingroup_bias=0.0)
    b1, _ = _sup(sc, pop, truth, ingroup_bias=0.4)
    diff = (b1 - b0).mean(axis=1)
    assert np.all(np.isclose(diff, 0.0, atol=1e-4) | np.isclose(diff, 0.4, atol=1e-4))
    assert (diff > 0).mean() > 0.4


def test_recency_weights_make_recent_months_count_more():
    assert recency_factor(0.0, 12) == pytest.approx(0.0, abs=1e-12)
    assert 0 < recency_factor(0.2, 12) < recency_factor(1.0, 12)
    assert recency_factor(1.0, 1) == 0.0


def test_peers_share_the_superior_and_never_rate_themselves(world):
    sc, pop, truth = world
    sup = pop.employees["superior_id"].to_numpy()
    order, pos, size = sibling_positions(sup)
    assert (pos < size).all()
    ind, n = peer_ratings(pop, truth, sc.raters.peer, 2, stream(2, "raters"), individual=True)
    assert ind.shape == (2, pop.n, 7)
    assert (n == np.minimum(size - 1, 2)).all()
    assert np.isnan(ind[0][size == 1]).all()


def test_subordinates_rate_only_heads(world):
    sc, pop, truth = world
    out = generate_ratings(pop, truth, sc.raters, sc.truth, sc.appraisal, 0, stream(3, "raters"))
    heads = pop.employees["n_subordinates"].to_numpy() > 0
    assert np.isnan(out["subordinate_behaviour"][~heads]).all()
    assert not np.isnan(out["subordinate_behaviour"][heads]).any()
    assert (out["n_subordinates"] == pop.employees["n_subordinates"].to_numpy()).all()


def test_rotation_moves_the_turn_each_period(world):
    sc, pop, truth = world
    p0 = generate_ratings(pop, truth, sc.raters, sc.truth, sc.appraisal, 0, stream(3, "raters"))
    p1 = generate_ratings(pop, truth, sc.raters, sc.truth, sc.appraisal, 1, stream(3, "raters"))
    _, _, size = sibling_positions(pop.employees["superior_id"].to_numpy())
    assert ((p1["turn_order"] - p0["turn_order"]) % size == (-1 % size)).all()


def test_scales_map_latent_ratings(world):
    sc = world[0]
    scales = sc.raters.scales
    z = np.array([-10.0, scales.expectation_below + 1e-9, 0.0, scales.expectation_above + 1e-9, np.nan])
    assert list(to_expectation(z, scales)[:4]) == [DI_BAWAH, SESUAI, SESUAI, DI_ATAS]
    assert list(to_likert5(np.array([-9, -2.0, 0.0, 1.0, 9, np.nan]), scales)) == [1, 2, 4, 4, 5, 0]
    s = to_score_100(np.array([-100.0, 0.0, 100.0]), scales)
    assert list(s) == [0.0, scales.score_center, 100.0]


@pytest.mark.parametrize("source", ["peer", "subordinate"])
def test_mean_over_raters_is_drawn_with_the_right_distribution(world, source):
    """The mean rating over several raters, drawn in one go, matches rating one rater at a time.

    Same mean and variance per ratee group (by number of raters) as the mean of individual
    ratings built term by term with :func:`rate`.
    """
    from simulate.raters import draw_raters, rate, subordinate_ratings

    sc, pop, truth = world
    params = getattr(sc.raters, source)
    n = pop.n
    local = pop.employees["local_origin"].to_numpy()
    sums, counts = [], []
    for rep in range(30):
        rng = stream(rep, "raters")
        if source == "peer":
            direct, count = peer_ratings(pop, truth, params, 2, rng)
            ind, _ = peer_ratings(pop, truth, params, 2, stream(rep, "calibration"), individual=True)
            one_by_one = np.nansum(ind, axis=0) / np.maximum(count, 1)[:, None]
            one_by_one[count == 0] = np.nan
        else:
            direct, count = subordinate_ratings(pop, truth, params, rng)
            sup = pop.employees["superior_id"].to_numpy()
            rows = np.flatnonzero(sup >= 0)
            r2 = stream(rep, "calibration")
            raters = draw_raters(n, params, r2, local_origin=local)
            each = rate(truth.behaviour[sup[rows]], raters, rows, params, local[sup[rows]], r2)
            one_by_one = np.full((n, 7), np.nan)
            for d in range(7):
                one_by_one[:, d] = np.bincount(sup[rows], weights=each[:, d], minlength=n) / np.maximum(count, 1)
            one_by_one[count == 0] = np.nan
        sums.append((direct.mean(axis=1), one_by_one.mean(axis=1)))
        counts.append(count)
    count = counts[0]
    for k in np.unique(count[count > 0])[:3]:
        sel = count == k
        if sel.sum() < 30:
            continue
        a = np.concatenate([s[0][sel] for s in sums])
        b = np.concatenate([s[1][sel] for s in sums])
        assert abs(a.mean() - b.mean()) < 0.05 + 4 * b.std() / np.sqrt(len(b) / 10)
        assert 0.9 < a.var() / b.var() < 1.1, (k, a.var(), b.var())


def test_superiors_perspective_is_shared_and_adds_its_variance(world):
    """The perspective is one draw per ratee: given the same draws, two superiors share it exactly."""
    sc, pop, truth = world
    view = np.random.default_rng(1).standard_normal(pop.n)
    quiet = dict(leniency_sd=0, slope_sd=0, slope_mean=1, idiosyncratic_sd=0, noise_sd=0, halo=0,
                 ingroup_bias=0, stakes_inflation=0, perspective_sd=0.8)
    params = sc.raters.supervisor.model_copy(update=quiet)
    a, _ = supervisor_ratings(pop, truth, params, sc.truth, sc.appraisal, 0.0, stream(5, "raters"), 0.0,
                              perspective=view)
    b, _ = supervisor_ratings(pop, truth, params, sc.truth, sc.appraisal, 0.0, stream(6, "raters"), 0.0,
                              perspective=view)
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(a - truth.behaviour, np.repeat(0.8 * view[:, None], 7, axis=1), atol=1e-5)
    # Drawn from the rater stream when not given: then it varies like the impression.
    c, _ = supervisor_ratings(pop, truth, params, sc.truth, sc.appraisal, 0.0, stream(5, "raters"), 0.0)
    assert np.std((c - truth.behaviour)[:, 0]) == pytest.approx(0.8, rel=0.06)
