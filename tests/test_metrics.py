"""Metrics against the truth: oracle values and planted effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulate.metrics import (
    ALL_METRICS,
    GLOSSARY,
    classification,
    fairness_gap,
    icc,
    rater_variance_share,
    raters_needed,
    spearman_brown,
    true_predikat,
    validity_spearman,
)


def test_icc_reproduces_shrout_fleiss_table(root):
    data = pd.read_csv(root / "tests" / "data" / "shrout_fleiss_1979.csv", comment="#").to_numpy()
    r = icc(data)
    # Published to two decimals (Shrout & Fleiss 1979, Table 4): tolerance 0.005.
    expected = {"ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71, "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91}
    for form, value in expected.items():
        assert r[form] == pytest.approx(value, abs=0.005), form
    names = r.to_frame().set_index("form")["mcgraw_wong"]
    assert names["ICC(3,1)"] == "two-way mixed, consistency, single rater"
    assert names["ICC(2,1)"].startswith("two-way random, absolute agreement")


def test_spearman_brown_matches_the_literature_table():
    # domain/literature.md section 8: supervisor .52 -> 2 raters .68, 3 raters .76; .45 -> 2.9 for .70
    assert spearman_brown(0.52, 2) == pytest.approx(0.684, abs=0.001)
    assert spearman_brown(0.52, 3) == pytest.approx(0.765, abs=0.001)
    assert raters_needed(0.45, 0.70) == pytest.approx(2.85, abs=0.01)
    assert raters_needed(0.30, 0.80) == pytest.approx(9.33, abs=0.01)


def test_icc_rejects_unbalanced_input():
    with pytest.raises(ValueError, match="missing values"):
        icc(np.array([[1.0, np.nan], [2.0, 3.0]]))


def test_validity_is_one_for_a_perfect_score_and_near_zero_for_noise():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=5000)
    assert validity_spearman(truth * 3 + 1, truth) == pytest.approx(1.0)
    assert abs(validity_spearman(rng.normal(size=5000), truth)) < 0.05


def test_rater_variance_share_recovers_a_planted_component():
    rng = np.random.default_rng(1)
    n_raters, team = 800, 8
    rater = np.repeat(np.arange(n_raters), team)
    truth = rng.normal(size=len(rater))
    leniency = rng.normal(0, 1.0, n_raters)[rater]
    score = truth + leniency + rng.normal(0, 1.0, len(rater))
    # var(score) = 3, rater component 1 -> share 1/3
    assert rater_variance_share(score, truth, rater) == pytest.approx(1 / 3, abs=0.03)
    assert rater_variance_share(truth + rng.normal(0, 1, len(rater)), truth, rater) < 0.02


def test_classification_of_a_perfect_ranking():
    truth = np.arange(100, dtype=float)
    predikat = np.where(truth >= 90, 0, np.where(truth < 10, 2, 1))
    c = classification(predikat, truth)
    assert c["top_precision"] == c["top_recall"] == 1.0
    assert c["bottom_precision"] == c["bottom_recall"] == 1.0
    assert c["misclassification_rate"] == 0.0
    flipped = classification(predikat[::-1], truth)
    assert flipped["top_precision"] == 0.0 and flipped["misclassification_rate"] == 0.2


def test_true_predikat_keeps_the_counts():
    rng = np.random.default_rng(2)
    p = rng.integers(0, 5, 200)
    t = rng.normal(size=200)
    assert (np.bincount(true_predikat(t, p), minlength=5) == np.bincount(p, minlength=5)).all()


def test_fairness_gap_recovers_a_planted_bias():
    rng = np.random.default_rng(3)
    truth = rng.normal(size=20000)
    women = rng.random(20000) < 0.5
    score = truth + 0.3 * women + rng.normal(0, 0.5, 20000)
    gap = fairness_gap(score, truth, women)
    assert gap == pytest.approx(0.3 / score.std(), abs=0.02)
    assert abs(fairness_gap(truth + rng.normal(0, 0.5, 20000), truth, women)) < 0.02


def test_glossary_covers_every_metric_in_both_languages():
    assert set(GLOSSARY) == set(ALL_METRICS)
    for name, (lid, len_, eid, een, _) in GLOSSARY.items():
        assert lid and len_ and eid and een, name


def test_standalone_metrics_match_independent_references(period):
    """Each metric against another library's computation (scipy, statsmodels, a direct ANOVA)."""
    import statsmodels.api as sm
    from scipy import stats

    from simulate.metrics import policy_metrics, ranking_score
    from simulate.policies import apply_policy

    ev, tr = period.evidence, period.truth
    for rule in ("pp30_2019", "permenpanrb_2022"):
        a = apply_policy(ev, rule)
        m = policy_metrics(a, ev, tr, period.service.points)
        rank = ranking_score(a.score, a.predikat)
        sup = ev.employees["superior_id"].to_numpy()
        rater = np.where(sup >= 0, sup, -1 - ev.employees["opd_id"].to_numpy())
        rho = stats.spearmanr(rank, tr.overall).statistic
        assert m["validity_spearman"] == pytest.approx(rho, abs=1e-12)
        assert validity_spearman(rank, tr.overall) == pytest.approx(rho, abs=1e-12)
        # Between-rater variance component of the residual of an OLS fit on the truth (ANOVA).
        resid = sm.OLS(rank, sm.add_constant(tr.overall)).fit().resid
        frame = pd.DataFrame({"r": resid, "g": rater})
        g = frame.groupby("g")["r"]
        n_g, k, n = g.size().to_numpy(), g.ngroups, len(resid)
        msb = (n_g * (g.mean().to_numpy() - resid.mean()) ** 2).sum() / (k - 1)
        msw = ((resid - g.transform("mean").to_numpy()) ** 2).sum() / (n - k)
        share = max(0.0, (msb - msw) / ((n - (n_g**2).sum() / n) / (k - 1))) / rank.var(ddof=1)
        assert m["rater_variance_share"] == pytest.approx(share, rel=1e-9, abs=1e-12)
        assert rater_variance_share(rank, tr.overall, rater) == pytest.approx(share, rel=1e-9, abs=1e-12)
        for key, v in classification(a.predikat, tr.overall).items():
            assert m[key] == pytest.approx(v, abs=1e-12, nan_ok=True)
        women = (ev.employees["sex"] == "P").to_numpy().astype(float)
        ols = sm.OLS(rank / rank.std(), np.column_stack([np.ones(len(rank)), tr.overall, women])).fit()
        assert m["fairness_gap_sex"] == pytest.approx(ols.params[2], rel=1e-8, abs=1e-12)
        assert fairness_gap(rank, tr.overall, women) == pytest.approx(ols.params[2], rel=1e-8, abs=1e-12)


def test_average_ranks_equal_scipy_bit_for_bit():
    from scipy import stats

    from simulate.metrics.core import average_ranks

    rng = np.random.default_rng(7)
    cases = [rng.normal(size=500), np.round(rng.normal(size=500), 1), rng.integers(0, 5, 300).astype(float),
             rng.integers(0, 5, 300), np.array([2.0, np.nan, 1.0]), np.array([]), np.array([3.0]),
             np.array([0.0, -0.0, 1.0]), np.full(10, 4.0), rng.normal(size=(4, 3))]
    for x in cases:
        expected = stats.rankdata(x)
        got = average_ranks(x)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)


def _reference_metrics(appraisal, ev, tr, points):
    """policy_metrics as computed before the employee-table memo and the shared sorts (exact)."""
    from scipy import stats

    from simulate.metrics.core import TOP_SHARE, ranking_score, service_metrics

    overall = tr.overall
    n = len(overall)
    e = ev.employees
    sup = e["superior_id"].to_numpy()
    _, codes = np.unique(np.where(sup >= 0, sup, -1 - e["opd_id"].to_numpy()), return_inverse=True)
    local = e["local_origin"].to_numpy()
    rater_local = np.where(sup >= 0, local[np.maximum(sup, 0)], local)
    groups = {"sex": (e["sex"] == "P").to_numpy(), "status": (e["status"] == "PPPK").to_numpy(),
              "ingroup": (local == rater_local) & (sup >= 0)}
    rank = ranking_score(appraisal.score, appraisal.predikat)
    predikat = np.asarray(appraisal.predikat)
    out = {"validity_spearman": 0.0 if np.ptp(rank) == 0 else
           float(np.corrcoef(stats.rankdata(rank), stats.rankdata(overall))[0, 1])}
    t = overall - overall.mean()
    resid = rank - (rank.mean() + np.dot(t, rank - rank.mean()) / np.dot(t, t) * t)
    n_g = np.bincount(codes)
    k = len(n_g)
    means = np.bincount(codes, weights=resid) / n_g
    ssb, ssw = np.sum(n_g * (means - resid.mean()) ** 2), np.sum((resid - means[codes]) ** 2)
    n0 = (n - np.sum(n_g**2) / n) / (k - 1)
    out["rater_variance_share"] = 0.0 if np.var(rank) == 0 else \
        float(max(0.0, (ssb / (k - 1) - ssw / (n - k)) / n0) / np.var(rank, ddof=1))
    true_top, true_bottom = overall >= np.quantile(overall, 1 - TOP_SHARE), overall <= np.quantile(overall, TOP_SHARE)
    top, bottom = predikat == 0, predikat >= 2
    for name, a, b in [("top_precision", true_top, top), ("top_recall", top, true_top),
                       ("bottom_precision", true_bottom, bottom), ("bottom_recall", bottom, true_bottom)]:
        out[name] = float((a & b).sum() / b.sum()) if b.sum() else float("nan")
    counts = np.bincount(predikat.astype(np.int64), minlength=5)[:5]
    expected = np.empty(n, dtype=np.int8)
    expected[np.argsort(-overall, kind="stable")] = np.repeat(np.arange(5, dtype=np.int8), counts)
    out["misclassification_rate"] = float(np.mean(expected != predikat))
    sd = rank.std()
    for name, g in groups.items():
        g = g.astype(float)
        proj = None if g.min() == g.max() else np.linalg.pinv(np.column_stack([np.ones(n), overall, g]))[2]
        out[f"fairness_gap_{name}"] = 0.0 if proj is None or sd == 0 else float(proj @ (rank / sd))
    out.update(service_metrics(points))
    out["true_performance_mean"] = float(overall.mean())
    return out


def test_policy_metrics_equal_the_plain_computation_exactly(period):
    """The employee-table memo, the shared sort of the truth and the precomputed centred truth
    change no bit of any metric, also when the truth has ties (stable order fallback); fairness
    gaps (normal equations instead of an SVD) agree to rounding."""
    import dataclasses

    from simulate.metrics import policy_metrics
    from simulate.metrics.core import metric_context
    from simulate.policies import apply_policy

    ev, tr = period.evidence, period.truth
    tied = dataclasses.replace(tr, results=np.round(tr.results), behaviour=np.round(tr.behaviour))
    for truth in (tr, tied):
        evidence = dataclasses.replace(ev)  # fresh per-period results (evidence.derived)
        for rule in ("pp30_2019", "permenpanrb_2022"):
            a = apply_policy(evidence, rule)
            got = policy_metrics(a, evidence, truth, period.service.points, 5.0)
            ref = _reference_metrics(a, evidence, truth, period.service.points)
            for k, v in ref.items():
                if k.startswith("fairness_gap_"):
                    assert got[k] == pytest.approx(v, rel=1e-9, abs=1e-12), k
                else:
                    assert got[k] == v or (np.isnan(v) and np.isnan(got[k])), k
            assert got["tpp_cost_idr"] == 5.0
        ctx = metric_context(evidence, truth, period.service.points)
        np.testing.assert_array_equal(ctx.truth_order, np.argsort(-truth.overall, kind="stable"))


def test_group_projector_is_the_pseudo_inverse_row():
    """The fairness gap's projector equals pinv([1, truth, group])[2] (normal equations vs SVD)."""
    from simulate.metrics.core import _group_projector

    rng = np.random.default_rng(4)
    truth = rng.standard_normal(700)
    for share in (0.5, 0.03):
        group = (rng.random(700) < share).astype(float)
        expected = np.linalg.pinv(np.column_stack([np.ones(700), truth, group]))[2]
        np.testing.assert_allclose(_group_projector(truth, group), expected, rtol=1e-9, atol=1e-12)
