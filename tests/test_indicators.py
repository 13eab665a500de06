"""Indicator objectivity and the dimension-rating metrics: oracles, monotone contamination, halo that shows."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.assemble import scenario_from_dict
from simulate.cycle import simulate_period
from simulate.metrics.indicators import INDICATOR_METRICS, indicator_signal, rating_metrics
from simulate.policies import apply_policy
from simulate.metrics import policy_metrics


def _scenario(baseline, n=3000, **indicator):
    data = baseline.model_dump(mode="json")
    data["population"]["n_employees"] = n
    data["population"]["opd_mix"] = {k: 0.2 for k in data["population"]["opd_mix"]}
    data["work"]["indicators"]["dukcapil_dokumen"].update(indicator)
    return scenario_from_dict(data)


def test_signal_inverts_each_scale():
    z = np.array([-1.5, 0.0, 0.7])
    assert np.allclose(indicator_signal(320 * np.exp(0.25 * z), "log", 320, 0.25, False), z)
    assert np.allclose(indicator_signal(24 * np.exp(-0.35 * z), "log", 24, 0.35, True), z)
    from scipy.special import expit, logit
    assert np.allclose(indicator_signal(100 * expit(logit(0.85) + 0.6 * z), "logit_percent", 85, 0.6, False), z)
    assert np.allclose(indicator_signal(10 + 2 * z, "linear", 10, 2, False), z)


def test_indicator_metrics_match_the_model(baseline):
    """Oracle: validity = validity x sqrt(1 - contamination) x sqrt(reliability), shares add up to 1."""
    sc = _scenario(baseline, n=6000, validity=0.8, contamination=0.3, reliability=0.9)
    p = simulate_period(sc, 2)
    m = policy_metrics(apply_policy(p.evidence, "permenpanrb_2022"), p.evidence, p.truth, p.service)
    name = "dukcapil_dokumen"
    expected = 0.8 * np.sqrt(0.7) * np.sqrt(0.9)
    assert m[f"indicator_validity.{name}"] == pytest.approx(expected, abs=0.05)
    assert m[f"indicator_person_share.{name}"] == pytest.approx(m[f"indicator_validity.{name}"] ** 2, rel=1e-9)
    shares = sum(m[f"{k}.{name}"] for k in INDICATOR_METRICS if k.endswith("_share"))
    assert shares == pytest.approx(1.0, abs=1e-9)
    assert m[f"indicator_gaming_share.{name}"] == 0.0 and m[f"indicator_gaming_gap.{name}"] == 0.0
    assert 0.1 < m[f"indicator_unit_share.{name}"] < 0.5
    for ind in sc.work.indicators:  # every indicator of the scenario is reported
        assert np.isfinite(m[f"indicator_validity.{ind}"])


@settings(max_examples=12, deadline=None)
@given(validity=st.floats(0.3, 0.95), low=st.floats(0.0, 0.4), step=st.floats(0.2, 0.5))
def test_validity_falls_as_contamination_rises_at_fixed_noise(baseline, validity, low, step):
    """Everything else fixed (the same seed, reliability and validity), more contamination lowers validity."""
    values = []
    for c in (low, low + step):
        p = simulate_period(_scenario(baseline, n=2500, validity=validity, contamination=c), 4)
        m = policy_metrics(apply_policy(p.evidence, "pp46_2011"), p.evidence, p.truth, p.service)
        values.append(m["indicator_validity.dukcapil_dokumen"])
    assert values[1] < values[0]


def test_halo_moves_the_interdimension_correlation(baseline):
    rows = []
    for halo in (0.1, 0.5, 0.9):
        data = baseline.model_dump(mode="json")
        data["population"]["n_employees"] = 2000
        data["raters"]["supervisor"]["halo"] = halo
        p = simulate_period(scenario_from_dict(data), 6)
        m = policy_metrics(apply_policy(p.evidence, "permenpanrb_2022"), p.evidence, p.truth, p.service)
        rows.append((m["rating_interdimension_r"], m["rating_dimension_validity"]))
    inter, validity = zip(*rows)
    assert inter[0] < inter[1] < inter[2]
    assert validity[0] > validity[1] > validity[2]


def test_rating_metrics_on_a_hand_made_population():
    """Oracle: two raters of 50 ratees each, leniency -1 and +1, ratings = truth + leniency."""
    rng = np.random.default_rng(0)
    true = rng.standard_normal((100, 7))
    codes = np.repeat([0, 1], 50)
    sup = true + np.where(codes == 0, -1.0, 1.0)[:, None]

    class E:
        supervisor_behaviour = sup

    class T:
        behaviour = true

    m = rating_metrics(E, T, codes, np.bincount(codes))
    assert m["rating_dimension_validity"] == pytest.approx(np.mean([np.corrcoef(sup[:, k], true[:, k])[0, 1]
                                                                     for k in range(7)]))
    assert m["rater_leniency_sd"] == pytest.approx(np.sqrt(2.0), rel=0.02)  # components of +-1 around 0
    assert m["rating_spread_sd"] == pytest.approx(sup.mean(axis=1).std())


def test_generate_writes_the_hidden_truth_only_when_asked(root, tmp_path):
    def generate(*extra):
        out = subprocess.run([sys.executable, "-m", "simulate.cli", "generate", str(root / "params" / "presets" / "test.yaml"),
                              "--out", str(tmp_path), "--replications", "2", *extra], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return sorted((tmp_path / "test").iterdir())[-1]

    plain = generate()
    assert not (plain / "hidden_truth.parquet").exists()
    folder = generate("--truth")
    truth = pd.read_parquet(folder / "hidden_truth.parquet")
    employees = pd.read_parquet(folder / "employees.parquet")
    assert len(truth) == len(employees) and {"results", "overall", "unit_shock"} <= set(truth.columns)
    assert not set(truth.columns) & (set(employees.columns) - {"employee_id"})
    assert json.loads((folder / "manifest.json").read_text())["root_seed"] == 7


def test_sweeps_accept_every_reported_metric_and_list_them(tmp_path, root):
    from simulate.errors import ScenarioError
    from simulate.sweep import load_sweep

    base = (root / "params" / "sweeps" / "leniency_grid.yaml").read_text()
    good = tmp_path / "good.yaml"
    good.write_text(base.replace("metrics: [", "metrics: [rating_interdimension_r, resistance_mean, "
                                 "indicator_validity.dukcapil_dokumen, ")
                    .replace("../presets/", str(root / "params" / "presets") + "/"))
    assert "metrics: [" in base
    load_sweep(good)
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("rating_interdimension_r", "rating_interdimension"))
    with pytest.raises(ScenarioError) as err:
        load_sweep(bad)
    assert "did you mean 'rating_interdimension_r'" in str(err.value) and "allowed:" in str(err.value)


def test_decision_study_rows_and_spearman_brown(baseline):
    from simulate.metrics.decision import decision_study
    from simulate.metrics.reliability import spearman_brown

    data = baseline.model_dump(mode="json")
    data["population"]["n_employees"] = 1500
    table = decision_study(scenario_from_dict(data), replications=2)
    kinds = {spec.opd_kind for spec in baseline.work.indicators.values()}
    assert set(table["name"]) == set(baseline.work.indicators) | {"supervisor", "peer", "supervisor_peer"} | kinds
    assert set(table["averaged_over"]) == {"periods", "indicators", "raters"}
    assert (table.loc[table["averaged_over"] == "indicators", "name"] == table.loc[table["averaged_over"] == "indicators",
                                                                                    "opd_kind"]).all()
    for row in table.itertuples():
        r = row.reliability_1
        assert row.reliability_3 == pytest.approx(spearman_brown(r, 3))
        k = row.k_for_70
        if r <= 0:  # no amount of data makes a measure with no stable part reliable
            assert k == float("inf")
            continue
        assert spearman_brown(r, k) >= 0.70 - 1e-9 and (k == 1 or spearman_brown(r, k - 1) < 0.70)
    sup = table.set_index("name").loc["supervisor"]
    assert 0.3 < sup["reliability_1"] < 0.6 and sup["averaged_over"] == "raters"


def test_period_reliability_of_a_pure_indicator_is_that_of_true_results(baseline):
    """Oracle: an indicator with validity 1, no contamination and no noise tracks true results exactly."""
    from simulate import dynamics
    from simulate.metrics.decision import period_reliability
    from simulate.population import generate_population
    from simulate.rng import stream

    sc = _scenario(baseline, n=3000, validity=1.0, contamination=0.0, reliability=1.0)
    got = period_reliability(sc, 9)["dukcapil_dokumen"]
    pop = generate_population(sc.population, stream(9, "population"))
    t0 = dynamics.period_truth(pop, sc, 9, 0, None)
    t1 = dynamics.period_truth(pop, sc, 9, 1, dynamics.initial_state(pop, t0))
    rows = np.flatnonzero(np.asarray(pop.employees["opd_kind"].astype(str)) == "dukcapil")
    assert got == pytest.approx(np.corrcoef(t0.results[rows], t1.results[rows])[0, 1], abs=1e-6)


@pytest.mark.slow
def test_indicator_lab_runs_under_kinerja_run(root, tmp_path):
    out = subprocess.run([sys.executable, "-m", "simulate.cli", "run", str(root / "params" / "indicator_lab.yaml"),
                          "--replications", "2", "--out", str(tmp_path), "--lang", "en"],
                         capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    (folder,) = [p for p in (tmp_path / "indicator_lab").iterdir() if not p.name.startswith(".")]
    html = (folder / "report.html").read_text()
    assert "Dokumen diproses" in html and "How much data is enough" in html and "Where it stops being objective" in html
    assert html.count("<img") >= 1 and "Traceback" not in html


def test_attribution_error_oracles():
    from simulate.metrics.indicators import attribution_errors

    rng = np.random.default_rng(2)
    overall = rng.standard_normal(400)

    class T:
        pass

    class E:
        pass

    T.overall = overall
    E.unit_ikm = np.where(np.arange(400) < 300, 80 + 5 * overall, np.nan)  # the clerk's own performance
    E.unit_complaints_per_1000 = np.where(np.arange(400) < 300, rng.random(400), np.nan)  # unrelated
    got = attribution_errors(E, T)
    assert got["attribution_error_ikm"] == pytest.approx(0.0, abs=1e-12)
    assert got["attribution_error_complaints"] > 0.97


def test_a_sweep_writes_a_page_people_can_read(root, tmp_path):
    from simulate.sweep import load_sweep
    from simulate.sweep.page import metric_label, render_sweep_page
    from simulate.sweep.run import run_sweep

    sweep = load_sweep(root / "params" / "sweeps" / "leniency_grid.yaml", replications=2)
    result = run_sweep(sweep, tmp_path)
    page = (tmp_path / "sweep.html").read_text()
    assert page.count("<img") == len(sweep.metrics) * 2  # each metric against each of the two swept parameters
    from simulate.paramlabels import parameter_label

    assert metric_label("rating_interdimension_r") in page and parameter_label("raters.supervisor.halo") in page
    assert "raters.supervisor.halo" not in page  # swept parameters in plain words, not their code names
    # Sobol' indices: an interval that includes zero and a negative first-order index are flagged.
    sens = pd.DataFrame([{"metric": "validity_spearman", "policy": "p", "period": 0, "factor": "a", "S1": -0.05,
                          "S1_conf": 0.02, "ST": 0.4, "ST_conf": 0.1},
                         {"metric": "validity_spearman", "policy": "p", "period": 0, "factor": "b", "S1": 0.3,
                          "S1_conf": 0.5, "ST": 0.5, "ST_conf": 0.1}])
    text = render_sweep_page("x", "sobol", result.design, result.experiment.summary(), sens, 2, 1,
                             ["validity_spearman"], lang="en")
    assert text.count("negative first-order index") == 1 and text.count("S1: interval includes zero") == 1
    assert metric_label("indicator_validity.dukcapil_dokumen", "en") == "Indicator validity (dukcapil_dokumen)"


def test_inter_indicator_r_on_hand_made_data():
    """Oracle: three indicators of one kind; pairwise r by hand, a constant column NaN, too few rows NaN."""
    from simulate.metrics.within import inter_indicator_r

    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    z = np.column_stack([a, 2 * a + 1, a[::-1]])  # r(a, b) = 1, r(a, c) = r(b, c) = -1
    per, mean = inter_indicator_r(z)
    assert per == pytest.approx([0.0, 0.0, -1.0]) and mean == pytest.approx(-1 / 3)
    b = np.array([1.0, 3.0, 2.0, 5.0, 4.0])  # r(a, b) = 0.8 by hand: sum dx dy = 8 over 10
    per, mean = inter_indicator_r(np.column_stack([a, b]))
    assert per == pytest.approx([0.8, 0.8]) and mean == pytest.approx(0.8)
    per, mean = inter_indicator_r(np.column_stack([a, b, np.full(5, 2.0)]))  # a constant indicator says nothing
    assert per[:2] == pytest.approx([0.8, 0.8]) and np.isnan(per[2]) and mean == pytest.approx(0.8)
    per, mean = inter_indicator_r(np.column_stack([a, np.r_[b[:3], np.nan, np.nan]]))  # 3 complete rows
    assert mean == pytest.approx(np.corrcoef(a[:3], b[:3])[0, 1])
    assert np.isnan(inter_indicator_r(a[:, None])[1]) and np.isnan(inter_indicator_r(z[:2])[1])


def test_rater_agreement_on_hand_made_data():
    from simulate.metrics.within import rater_agreement

    sup = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0], [9.0, 9.0]])
    peer = np.array([[1.0, 3.0], [3.0, 5.0], [2.0, 4.0], [5.0, 7.0], [np.nan, np.nan]])  # means 2, 4, 3, 6
    n_peers = np.array([2, 2, 2, 2, 0])  # the last ratee has no peers
    assert rater_agreement(sup, peer, n_peers) == pytest.approx(np.corrcoef([1, 2, 3, 4], [2, 4, 3, 6])[0, 1])
    assert np.isnan(rater_agreement(sup, peer, np.array([2, 2, 0, 0, 0])))


def test_change_metrics_on_hand_made_levels():
    """Oracle: reported change and the part of it gaming adds, in SD of the period before."""
    from simulate.metrics.indicators import indicator_change_metrics

    before = {"a": (0.0, 2.0, 0.1), "b": (1.0, 0.0, 0.0)}
    after = {"a": (1.0, 2.5, 0.5), "b": (2.0, 1.0, 0.0)}
    m = indicator_change_metrics(before, after)
    assert m["indicator_reported_change.a"] == pytest.approx(0.5)
    assert m["indicator_gaming_change_gap.a"] == pytest.approx((0.5 - 0.1) / 2.0)
    assert np.isnan(m["indicator_reported_change.b"]) and np.isnan(m["indicator_gaming_change_gap.b"])


def test_within_period_metrics_follow_the_model(baseline):
    """Two indicators of a kind share only the person's true results (no contamination): r = v1 v2 rel."""
    from simulate.metrics.indicators import indicator_metrics

    sc = _scenario(baseline, n=6000, validity=0.9, contamination=0.0, reliability=1.0)
    p = simulate_period(sc, 4)
    m = indicator_metrics(p.evidence, p.truth)
    duk = [n for n, s in sc.work.indicators.items() if s.opd_kind == "dukcapil"]
    assert len(duk) >= 2 and np.isfinite(m["kind_inter_indicator_r.dukcapil"])
    for name in sc.work.indicators:
        assert f"indicator_inter_r.{name}" in m
    others = [sc.work.indicators[n] for n in duk[1:]]  # they share with it only the true results
    expected = np.mean([0.9 * o.validity * np.sqrt((1 - o.contamination) * o.reliability) for o in others])
    assert m[f"indicator_inter_r.{duk[0]}"] == pytest.approx(expected, abs=0.04)
    rm = policy_metrics(apply_policy(p.evidence, "permenpanrb_2022"), p.evidence, p.truth, p.service)
    assert 0.1 < rm["rater_agreement_supervisor_peer"] < 0.7


@pytest.mark.parametrize("propensity", [0.0, 0.8])
def test_gaming_change_gap_is_zero_without_gaming_and_positive_with_it(test_preset, propensity):
    """Over periods, gaming adds to the reported change of a gameable indicator only when people game."""
    from simulate.replication import run_arms

    data = test_preset.model_dump(mode="json")
    data["dynamics"].update(periods=3, gaming_propensity=propensity)
    data["policies"] = [{"name": "target_achievement"}]
    data["work"]["indicators"]["dukcapil_dokumen"]["gameability"] = 1.0
    sc = scenario_from_dict(data)
    rows = {t: m for t, _, m in run_arms(sc, 5)}
    assert np.isnan(rows[0]["indicator_gaming_change_gap.dukcapil_dokumen"])
    gap = rows[1]["indicator_gaming_change_gap.dukcapil_dokumen"]
    assert np.isfinite(rows[1]["indicator_reported_change.dukcapil_dokumen"])
    if propensity == 0:
        assert gap == 0.0
    else:
        assert gap > 0.01
