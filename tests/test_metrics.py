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
    reference_predikat,
    spearman_brown,
    unit_covariates,
    validity_spearman,
    variance_shares,
)
from simulate.metrics.classification import REFERENCE_SHARES, reference_counts
from simulate.metrics.indicators import INDICATOR_METRICS, KIND_METRICS
from simulate.scenario.schema import OPD_KINDS


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
    reference = reference_predikat(truth)
    assert list(np.bincount(reference, minlength=5)) == [10, 70, 15, 5, 0]
    c = classification(reference, truth)
    assert c["top_precision"] == c["top_recall"] == 1.0
    assert c["misclassification_rate"] == 0.0
    assert c["confusion_baik_baik"] == 0.70 and c["confusion_kurang_baik"] == 0.0
    flipped = classification(reference[::-1], truth)
    assert flipped["top_precision"] == 0.0 and flipped["misclassification_rate"] == pytest.approx(1 - 0.25 * (0 + 60 / 70 + 0 + 0))


def test_misclassification_does_not_reward_giving_everyone_the_same_predikat():
    """The old definition (reference with the policy's own counts) scored everyone-Baik a perfect 0."""
    rng = np.random.default_rng(11)
    n = 20_000
    truth = rng.standard_normal(n)
    everyone_baik = np.ones(n, dtype=np.int8)
    # A forced 10/60/20/10 curve on a score with validity about .62.
    score = 0.62 * truth + np.sqrt(1 - 0.62**2) * rng.standard_normal(n)
    order = np.argsort(-score, kind="stable")
    forced = np.empty(n, dtype=np.int8)
    forced[order] = np.repeat(np.arange(4, dtype=np.int8), [n // 10, 6 * n // 10, 2 * n // 10, n // 10])
    lottery = rng.permutation(reference_predikat(truth))
    baik = classification(everyone_baik, truth)["misclassification_rate"]
    curve = classification(forced, truth)["misclassification_rate"]
    chance = classification(lottery, truth)["misclassification_rate"]
    assert baik == pytest.approx(0.75)  # chance level, whatever the shares
    assert chance == pytest.approx(0.75, abs=0.02)
    assert curve < baik - 0.1  # lower is better: the informative policy wins
    # The confusion shares add up to 1 and their row sums are the reference shares.
    c = classification(forced, truth)
    cells = np.array([[c[f"confusion_{r}_{g}"] for g in ("sangat_baik", "baik", "butuh_perbaikan", "kurang",
                                                           "sangat_kurang")]
                      for r in ("sangat_baik", "baik", "butuh_perbaikan", "kurang")])
    assert cells.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(cells.sum(axis=1), REFERENCE_SHARES[:4], atol=1e-4)


@pytest.mark.parametrize("n", [1, 7, 99, 100, 4_731_009])
def test_reference_counts_follow_the_shares(n):
    counts = reference_counts(n)
    assert counts.sum() == n
    assert np.all(np.abs(counts - np.asarray(REFERENCE_SHARES) * n) < 1)


def test_unit_shocks_are_not_counted_as_the_rater():
    """Raters and units coincide (one rater per team): a planted unit shock is the unit's, not the rater's."""
    rng = np.random.default_rng(5)
    teams, size = 1500, 8
    team = np.repeat(np.arange(teams), size)
    n = len(team)
    truth = rng.standard_normal(n)
    shock = rng.standard_normal(teams)[team]
    org = rng.standard_normal(teams)[team]
    kind = team % 3
    units = np.zeros((n, 4))
    units[np.arange(n), kind] = shock
    units[:, 3] = org
    exposure = np.array([0.9, 0.5, 0.0])[kind]  # kinds weigh the shock differently
    objective = truth + exposure * shock + rng.standard_normal(n)  # no rater at all
    shares = variance_shares(objective, truth, team, units)
    planted_unit = np.var(exposure * shock) / np.var(objective)
    assert shares["unit_variance_share"] == pytest.approx(planted_unit, abs=0.02)
    assert shares["rater_variance_share"] < 0.01
    # Grouping by rater alone (the old definition) calls the unit's shock the rater's.
    assert variance_shares(objective, truth, team)["rater_variance_share"] > planted_unit - 0.03
    leniency = rng.normal(0, 0.8, teams)[team]
    rated = objective + leniency
    shares = variance_shares(rated, truth, team, units)
    assert shares["rater_variance_share"] == pytest.approx(0.64 / np.var(rated), abs=0.03)
    assert shares["unit_variance_share"] == pytest.approx(np.var(exposure * shock) / np.var(rated), abs=0.02)


def test_fairness_gap_recovers_a_planted_bias():
    rng = np.random.default_rng(3)
    truth = rng.normal(size=20000)
    women = rng.random(20000) < 0.5
    score = truth + 0.3 * women + rng.normal(0, 0.5, 20000)
    gap = fairness_gap(score, truth, women)
    assert gap == pytest.approx(0.3 / score.std(), abs=0.02)
    assert abs(fairness_gap(truth + rng.normal(0, 0.5, 20000), truth, women)) < 0.02


def test_glossary_covers_every_metric_in_both_languages():
    assert set(GLOSSARY) == set(ALL_METRICS) | set(INDICATOR_METRICS) | set(KIND_METRICS)
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
        m = policy_metrics(a, ev, tr, period.service)
        rank = ranking_score(a.score, a.predikat)
        sup = ev.employees["superior_id"].to_numpy()
        rater = np.where(sup >= 0, sup, -1 - ev.employees["opd_id"].to_numpy())
        rho = stats.spearmanr(rank, tr.overall).statistic
        assert m["validity_spearman"] == pytest.approx(rho, abs=1e-12)
        assert validity_spearman(rank, tr.overall) == pytest.approx(rho, abs=1e-12)
        # Unit covariates partialled out by OLS (statsmodels), then the between-rater variance
        # component of the residual (ANOVA with pandas).
        kind = ev.employees["opd_kind"].cat.codes.to_numpy()
        units = unit_covariates(tr, kind, len(OPD_KINDS))
        base = sm.OLS(rank, sm.add_constant(tr.overall)).fit()
        fit = sm.OLS(rank, np.column_stack([np.ones(len(rank)), tr.overall, units])).fit()
        resid = fit.resid
        frame = pd.DataFrame({"r": resid, "g": rater})
        g = frame.groupby("g")["r"]
        n_g, k, n = g.size().to_numpy(), g.ngroups, len(resid)
        msb = (n_g * (g.mean().to_numpy() - resid.mean()) ** 2).sum() / (k - 1)
        msw = ((resid - g.transform("mean").to_numpy()) ** 2).sum() / (n - k)
        share = max(0.0, (msb - msw) / ((n - (n_g**2).sum() / n) / (k - 1))) / rank.var(ddof=1)
        unit_share = (base.ssr - fit.ssr) / fit.centered_tss
        assert m["rater_variance_share"] == pytest.approx(share, rel=1e-7, abs=1e-10)
        assert m["unit_variance_share"] == pytest.approx(unit_share, rel=1e-7, abs=1e-10)
        assert rater_variance_share(rank, tr.overall, rater, units) == pytest.approx(share, rel=1e-7, abs=1e-10)
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


def test_average_ranks_of_large_arrays_with_a_dominant_value_equal_scipy():
    """Long arrays where one value dominates take the stable sort (metrics.ranks._argsort)."""
    from scipy import stats

    from simulate.metrics.ranks import _SAMPLE_FROM, average_ranks

    rng = np.random.default_rng(3)
    n = _SAMPLE_FROM + 123
    levels = 4.0 - rng.choice(5, size=n, p=[0.1, 0.7, 0.15, 0.04, 0.01])
    mostly = np.where(rng.random(n) < 0.5, 0.25, rng.normal(size=n))
    for x in (levels, mostly, rng.normal(size=n)):
        np.testing.assert_array_equal(average_ranks(x), stats.rankdata(x))


def test_group_ranks_equal_scipy_within_each_group_bit_for_bit():
    from scipy import stats

    from simulate.metrics.ranks import group_ranks, sorted_ranks

    rng = np.random.default_rng(11)
    for x in [rng.normal(size=600), np.round(rng.normal(size=600), 1), rng.integers(0, 5, 600).astype(float),
              np.full(600, 2.0)]:
        group = rng.integers(0, 4, len(x)).astype(np.int8)
        group[group == 3] = 2  # an empty group
        sizes = np.bincount(group, minlength=4)
        position = np.empty(len(x), dtype=np.int64)
        for g in range(4):
            position[group == g] = np.arange(sizes[g])
        order, ranks = sorted_ranks(x)
        np.testing.assert_array_equal(ranks, stats.rankdata(x))
        got = group_ranks(x, order, group, position, sizes)
        for g in range(4):
            expected = stats.rankdata(x[group == g])
            assert got[g].dtype == expected.dtype and got[g].shape == expected.shape
            np.testing.assert_array_equal(got[g], expected)
    x = np.array([1.0, np.nan, 0.5])
    assert group_ranks(x, sorted_ranks(x)[0], np.zeros(3, np.int8), np.arange(3), np.array([3])) is None


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
    # Rater and unit shares: least squares on [1, truth, unit covariates], then a one-way ANOVA.
    kind = e["opd_kind"].cat.codes.to_numpy()
    units = unit_covariates(tr, kind, len(OPD_KINDS))
    x1 = np.column_stack([np.ones(n), overall])
    x = np.column_stack([x1, units])
    resid1 = rank - x1 @ np.linalg.lstsq(x1, rank, rcond=None)[0]
    resid = rank - x @ np.linalg.lstsq(x, rank, rcond=None)[0]
    n_g = np.bincount(codes)
    k = len(n_g)
    means = np.bincount(codes, weights=resid) / n_g
    ssb, ssw = np.sum(n_g * (means - resid.mean()) ** 2), np.sum((resid - means[codes]) ** 2)
    n0 = (n - np.sum(n_g**2) / n) / (k - 1)
    out["rater_variance_share"] = 0.0 if np.var(rank) == 0 else \
        float(max(0.0, (ssb / (k - 1) - ssw / (n - k)) / n0) / np.var(rank, ddof=1))
    tss = np.sum((rank - rank.mean()) ** 2)
    out["unit_variance_share"] = 0.0 if tss == 0 else float((resid1 @ resid1 - resid @ resid) / tss)
    true_top, true_bottom = overall >= np.quantile(overall, 1 - TOP_SHARE), overall <= np.quantile(overall, TOP_SHARE)
    top, bottom = predikat == 0, predikat >= 2
    for name, a, b in [("top_precision", true_top, top), ("top_recall", top, true_top),
                       ("bottom_precision", true_bottom, bottom), ("bottom_recall", bottom, true_bottom)]:
        out[name] = float((a & b).sum() / b.sum()) if b.sum() else float("nan")
    reference = np.empty(n, dtype=np.int8)
    reference[np.argsort(-overall, kind="stable")] = np.repeat(np.arange(5, dtype=np.int8), reference_counts(n))
    recalls = [np.mean(predikat[reference == r] == r) for r in range(5) if (reference == r).any()]
    out["misclassification_rate"] = float(1 - np.mean(recalls))
    names = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
    for r in range(4):
        for g_ in range(5):
            out[f"confusion_{names[r]}_{names[g_]}"] = float(np.sum((reference == r) & (predikat == g_)) / n)
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
            got = policy_metrics(a, evidence, truth, period.service, 5.0)
            ref = _reference_metrics(a, evidence, truth, period.service)
            for k, v in ref.items():
                if k.startswith("fairness_gap_") or k in ("rater_variance_share", "unit_variance_share",
                                                          "misclassification_rate"):
                    assert got[k] == pytest.approx(v, rel=1e-7, abs=1e-10), k
                else:
                    assert got[k] == v or (np.isnan(v) and np.isnan(got[k])), k
            assert got["tpp_cost_idr"] == 5.0
        ctx = metric_context(evidence, truth, period.service)
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


def test_an_objective_index_has_no_rater_share_even_under_heavy_contamination(baseline):
    """Jambi's finding: with contaminated indicators the objective index's unit share rises, its rater share does not."""
    from simulate.assemble import scenario_from_dict
    from simulate.cycle import simulate_period
    from simulate.metrics import policy_metrics
    from simulate.policies import apply_policy

    data = baseline.model_dump(mode="json")
    data["population"]["n_employees"] = 4000
    shares = {}
    for level in (0.0, 0.5):
        for ind in data["work"]["indicators"].values():
            ind["contamination"] = min(level, 1 - ind["validity"] ** 2)
        p = simulate_period(scenario_from_dict(data), 3)
        for rule in ("objective_index", "permenpanrb_2022"):
            a = apply_policy(p.evidence, rule)
            shares[rule, level] = policy_metrics(a, p.evidence, p.truth, p.service)
    for level in (0.0, 0.5):
        assert shares["objective_index", level]["rater_variance_share"] < 0.05
        # the supervisor-based status quo keeps a rater share several times the index's
        assert shares["permenpanrb_2022", level]["rater_variance_share"] > max(
            0.06, 3 * shares["objective_index", level]["rater_variance_share"])
    assert shares["objective_index", 0.5]["unit_variance_share"] > shares["objective_index", 0.0]["unit_variance_share"] + 0.1
