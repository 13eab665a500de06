"""Behaviour over periods: each mechanism moves what it should, on common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulate.dynamics import incentive
from simulate.replication import appraise_arm, behaviour_inputs, period_facts, run_arms
from simulate.experiment import run_experiment
from simulate.metrics import DYNAMIC_METRICS
from simulate.assemble import load_scenario

PERIODS = 4


@pytest.fixture(scope="module")
def base(root):
    sc = load_scenario(root / "params" / "presets" / "test.yaml")
    return sc.model_copy(update={"population": sc.population.model_copy(update={"n_employees": 900})})


def _with(sc, dynamics=None, policies=None):
    update = {}
    if dynamics:
        update["dynamics"] = sc.dynamics.model_copy(update=dynamics)
    if policies is not None:
        from simulate.scenario.schema import PolicySpec
        update["policies"] = [PolicySpec(**p) for p in policies]
    return sc.model_copy(update=update)


def _frame(sc, seeds=(1, 2, 3), periods=PERIODS):
    rows = []
    for s in seeds:
        for t, pol, m in run_arms(sc, s, periods):
            rows += [(s, t, pol, k, v) for k, v in m.items()]
    return pd.DataFrame(rows, columns=["seed", "period", "policy", "metric", "value"])


def _mean(df, metric, policy=None, period=None):
    q = df[df.metric == metric]
    if policy is not None:
        q = q[q.policy == policy]
    if period is not None:
        q = q[q.period == period]
    return q["value"].mean()


TWO = [{"name": "permenpanrb_2022"}, {"name": "forced_distribution"}]


@pytest.fixture(scope="module")
def two_arms(base):
    # resistance_effort 0 isolates the incentive channel (the forced curve's resistance is tested apart)
    return _frame(_with(base, dynamics={"resistance_effort": 0.0}, policies=TWO))


def test_every_period_reports_every_metric(two_arms):
    assert set(two_arms.period) == set(range(PERIODS))
    assert set(DYNAMIC_METRICS) <= set(two_arms.metric)


def test_arms_share_period_zero(two_arms):
    """Common random numbers: period 0 has the same truth and service for every arm."""
    p0 = two_arms[(two_arms.period == 0) & two_arms.metric.isin(["true_performance_mean", "wait_minutes_mean", "ikm", "effort_mean"])]
    assert (p0.groupby(["seed", "metric"])["value"].nunique() == 1).all()


def test_stakes_raise_effort_and_performance(two_arms):
    """A forced curve puts pay and career stakes on the score; the 2022 pile-up barely does."""
    last = PERIODS - 1
    assert _mean(two_arms, "effort_mean", "forced_distribution", last) > _mean(two_arms, "effort_mean", "permenpanrb_2022", last) + 0.005
    assert _mean(two_arms, "true_performance_mean", "forced_distribution", last) > _mean(two_arms, "true_performance_mean", "permenpanrb_2022", last)


def test_gaming_lowers_unmeasured_quality(base):
    sc = _with(base, dynamics={"gaming_propensity": 3.0, "gaming_quality_cost": 1.0},
               policies=[{"name": "objective_index"}])
    none = _with(base, dynamics={"gaming_propensity": 0.0, "gaming_quality_cost": 1.0},
                 policies=[{"name": "objective_index"}])
    a, b = _frame(sc), _frame(none)
    last = PERIODS - 1
    assert _mean(a, "gaming_share", period=last) > 0.05 > _mean(b, "gaming_share", period=last)
    assert _mean(a, "unmeasured_quality_mean", period=last) < _mean(b, "unmeasured_quality_mean", period=last) - 0.03


def _gameability(sc, value):
    indicators = {k: spec.model_copy(update={"gameability": value}) for k, spec in sc.work.indicators.items()}
    return sc.model_copy(update={"work": sc.work.model_copy(update={"indicators": indicators})})


def test_people_game_only_what_can_be_gamed(base):
    """Gaming effort follows the gameability of the indicators a person holds (none if nothing moves)."""
    sc = _with(base, dynamics={"gaming_propensity": 3.0, "gaming_quality_cost": 1.0},
               policies=[{"name": "objective_index"}])
    last = PERIODS - 1
    frames = {g: _frame(_gameability(sc, g), seeds=(1, 2)) for g in (0.0, 0.3, 1.2)}
    shares = {g: _mean(f, "gaming_share", period=last) for g, f in frames.items()}
    assert shares[0.0] == 0.0
    assert 0 < shares[0.3] < shares[1.2]
    assert _mean(frames[1.2], "capaian_mean", period=last) > _mean(frames[0.0], "capaian_mean", period=last)


def test_culture_and_socialisation_lower_resistance(base):
    reform = [{"name": "pp46_2011"}, {"name": "forced_distribution"}]
    plain = _frame(_with(base, policies=reform), periods=2)
    culture = _frame(_with(base, dynamics={"culture": 0.8}, policies=reform), periods=2)
    social = _frame(_with(base, dynamics={"socialisation": 0.5}, policies=reform), periods=2)
    r = lambda df: _mean(df, "resistance_mean", "forced_distribution", 0)  # noqa: E731
    assert r(plain) > 0.05
    assert r(culture) < 0.5 * r(plain)
    assert r(social) < r(plain)
    # the change shock hits the reform arm, not the status quo, in the first year
    assert _mean(plain, "resistance_mean", "forced_distribution", 0) > _mean(plain, "resistance_mean", "pp46_2011", 0)


def test_training_for_all_raises_true_performance(base):
    one = [{"name": "pp30_2019"}]
    trained = _frame(_with(base, dynamics={"training_all": 0.1}, policies=one))
    plain = _frame(_with(base, dynamics={"training_all": 0.0}, policies=one))
    gain = _mean(trained, "true_performance_mean", period=PERIODS - 1) - _mean(plain, "true_performance_mean", period=PERIODS - 1)
    assert gain > 0.1


def test_turnover_replaces_leavers(base):
    sc = _with(base, dynamics={"quit_base": 0.3}, policies=[{"name": "pp30_2019"}])
    df = _frame(sc, seeds=(4,), periods=3)
    rate = df[(df.metric == "turnover_rate")]["value"]
    assert (rate > 0.2).all() and (rate < 0.5).all()


def test_incentive_is_zero_when_the_score_ignores_performance(base):
    """A score that does not move with performance gives no incentive beyond accountability."""
    import dataclasses

    from simulate.cycle import simulate_period
    from simulate.metrics.core import metric_context
    from simulate.scenario.schema import PolicySpec

    p = simulate_period(base, seed=3)
    arm = appraise_arm(p, PolicySpec(name="forced_distribution"))
    facts = period_facts(p)
    ctx = metric_context(p.evidence, p.truth, p.service)
    inputs = behaviour_inputs(arm.appraisal, arm.followups, arm.metrics, ctx)
    per_person, reliance, parts = incentive(inputs, facts, p.truth, accountability=0.0, career_stakes=1.5,
                                            pay_spread_full=0.03)
    # The forced curve's score tracks performance: a positive incentive for everyone.
    assert parts["signal"] > 0.1 and (per_person > 0).all() and 0 <= reliance <= 1
    missed = np.any((p.evidence.capaian < 100) & p.evidence.main, axis=1)
    with_acc, _, _ = incentive(inputs, facts, p.truth, accountability=1.0, career_stakes=1.5, pay_spread_full=0.03)
    assert np.allclose(with_acc - per_person, missed.astype(float))
    # Everyone rated alike (the score ignores performance): no signal, no incentive but accountability.
    flat = dataclasses.replace(inputs, rank_score=np.zeros(p.evidence.n), predikat=np.full(p.evidence.n, 1, np.int8),
                               pay_share=np.ones(p.evidence.n))
    zero, zero_reliance, zero_parts = incentive(flat, facts, p.truth, accountability=0.0, career_stakes=1.5,
                                                pay_spread_full=0.03)
    assert zero_parts["signal"] == 0 and zero_reliance == 0 and not zero.any()
    only_acc, _, _ = incentive(flat, facts, p.truth, accountability=1.0, career_stakes=1.5, pay_spread_full=0.03)
    np.testing.assert_array_equal(only_acc, missed.astype(float))


def test_multi_period_results_are_identical_across_executors(base, tmp_path):
    sc = _with(base, policies=TWO)
    run_experiment(sc, 2, tmp_path / "a.parquet", seed=8, periods=3)
    run_experiment(sc, 2, tmp_path / "b.parquet", seed=8, periods=3, executor="processes", workers=2)
    a, b = pd.read_parquet(tmp_path / "a.parquet"), pd.read_parquet(tmp_path / "b.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert sorted(a["period"].unique()) == [0, 1, 2]


def test_an_arm_does_not_depend_on_the_other_arms(base):
    """Common random numbers: an arm's trajectory is the same run alone or beside other arms."""
    together = _frame(_with(base, policies=TWO), seeds=(7,), periods=3)
    alone = _frame(_with(base, policies=TWO[:1]), seeds=(7,), periods=3)
    a = together[together.policy == TWO[0]["name"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, alone.reset_index(drop=True))
