"""Truth and work evidence: bounds, the capaian rule, knobs that researchers turn."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.population import generate_population
from simulate.rng import stream
from simulate.assemble import scenario_from_dict
from simulate.work import generate_truth, generate_work


def _period(overrides=None, n=3000, seed=3):
    sc = scenario_from_dict({"population": {"n_employees": n}, **(overrides or {})})
    pop = generate_population(sc.population, stream(seed, "population"))
    truth = generate_truth(pop, sc.truth, 12, stream(seed, "truth"))
    work = generate_work(pop, truth, sc.work, sc.truth, 12, stream(seed, "work"))
    return sc, pop, truth, work


@pytest.fixture(scope="module")
def default():
    return _period()


def test_truth_has_the_designed_structure(default):
    sc, pop, truth, _ = default
    assert truth.behaviour.shape == (pop.n, 7)
    assert ((truth.effort >= 0) & (truth.effort <= 1)).all()
    c = np.corrcoef(truth.behaviour, rowvar=False)
    off = c[~np.eye(7, dtype=bool)]
    assert abs(off.mean() - sc.truth.inter_dimension_correlation) < 0.05
    assert abs(np.corrcoef(truth.results, truth.general)[0, 1] - sc.truth.results_general_loading) < 0.05


def test_indicator_validity_is_the_loading_of_truth(default):
    sc, pop, truth, work = default
    # For log-scale higher-is-better indicators log(realisation) is linear in the signal.
    table = work["indicators"]
    kinds = pop.employees["opd_kind"].astype(str).to_numpy()
    row = table[table["name"] == "pendidikan_program"].iloc[0]
    who = kinds == "pendidikan"
    x = np.log(work["realisation"][who, row["slot"]])
    r = np.corrcoef(x, truth.results[who])[0, 1]
    spec = sc.work.indicators["pendidikan_program"]
    # attenuated by contamination (the unit's share) and by measurement noise
    expected = spec.validity * np.sqrt(1 - spec.contamination) * np.sqrt(spec.reliability)
    assert abs(r - expected) < 0.06


def test_capaian_follows_the_lower_is_better_rule(default):
    _, _, _, work = default
    lower = work["lower_is_better"]
    t, r, c = work["target"], work["realisation"], work["capaian"]
    assert np.allclose(c[lower], np.maximum(0, (2 - r[lower] / t[lower]) * 100))
    higher = ~lower & ~np.isnan(c)
    assert np.allclose(c[higher], r[higher] / t[higher] * 100)
    assert np.isnan(c[np.isnan(t)]).all()


def test_lenient_targets_push_capaian_above_100(default):
    _, _, _, work = default
    assert np.nanmedian(work["capaian"]) > 100
    _, _, _, strict = _period({"work": {"target_leniency_mean": -0.5}})
    assert np.nanmedian(strict["capaian"]) < np.nanmedian(work["capaian"])


def test_lateness_falls_with_effort(default):
    _, _, truth, work = default
    late = work["late_days"].sum(axis=1)
    high = truth.effort > np.quantile(truth.effort, 0.75)
    low = truth.effort < np.quantile(truth.effort, 0.25)
    assert late[high].mean() < late[low].mean()
    assert work["late_days"].shape[1] == 4


def test_every_kind_has_its_indicators(default):
    _, pop, _, work = default
    held = (~np.isnan(work["capaian"])).sum(axis=1)
    assert (held >= 2).all()
    assert work["main"].any(axis=1).all()


def test_org_capaian_tracks_unit_results(default):
    _, pop, truth, work = default
    from simulate.work import unit_groups
    g = unit_groups(pop)
    means = np.bincount(g, weights=truth.results) / np.maximum(np.bincount(g), 1)
    org = np.zeros_like(means)
    org[g] = work["org_capaian"]
    used = np.bincount(g) > 3
    assert np.corrcoef(org[used], means[used])[0, 1] > 0.3
