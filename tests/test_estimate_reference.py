"""``kinerja estimate`` against the reference software of its field: R lme4 and psych.

The references were recorded by ``tests/data/reference_estimates.R`` (versions in
``tests/data/reference_versions.txt``) on the shipped example export and on a complete block.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulate.estimate.model import complete_block, estimate, shrout_fleiss
from simulate.estimate.privacy import pseudonymise
from simulate.estimate.read import read_export
from simulate.estimate.reml import fit_crossed

KEY = bytes(range(32))


@pytest.fixture(scope="module")
def example(root):
    return read_export(root / "data" / "examples" / "penilaian_perilaku_sintetis.csv", KEY)


@pytest.fixture(scope="module")
def fitted(example):
    return estimate(example)


@pytest.fixture(scope="module")
def lme4(root):
    ref = pd.read_csv(root / "tests" / "data" / "lme4_reference.csv").set_index("term")["value"]
    raters = pd.read_csv(root / "tests" / "data" / "lme4_raters.csv", dtype={"nip_penilai": str})
    return ref, raters


def test_variance_components_equal_lme4(fitted, lme4):
    ref, _ = lme4
    v = fitted.fit.variances
    assert v["employee"] == pytest.approx(ref["var_nip"], rel=1e-3)
    assert v["rater"] == pytest.approx(ref["var_nip_penilai"], rel=1e-3)
    assert v["residual"] == pytest.approx(ref["var_Residual"], rel=1e-3)
    # The same criterion at the same optimum (lme4's REMLcrit).
    assert fitted.fit.deviance == pytest.approx(ref["REMLcrit"], abs=1e-3)


def test_fixed_effects_equal_lme4(fitted, lme4):
    ref, _ = lme4
    beta = dict(zip(fitted.fixed, fitted.fit.beta))
    assert beta["(intercept)"] == pytest.approx(ref["fixef_(Intercept)"], abs=1e-4)
    for term, value in ref.items():
        if term.startswith("fixef_dimensi"):
            assert beta["dimension=" + term.removeprefix("fixef_dimensi")] == pytest.approx(value, abs=1e-4)


def test_rater_leniency_and_its_standard_error_equal_lme4(example, fitted, lme4):
    _, raters = lme4
    codes = pseudonymise(raters["nip_penilai"], KEY, "R")
    ref = pd.DataFrame({"mode": raters["mode"].to_numpy(), "sd": raters["cond_sd"].to_numpy()}, index=codes.to_numpy())
    ours = fitted.raters.set_index("rater")
    shown = ours["leniency"].notna()
    assert shown.sum() > 0.9 * len(ours)
    joined = ours[shown].join(ref)
    np.testing.assert_allclose(joined["leniency"], joined["mode"], atol=2e-3 * ref["mode"].abs().max())
    np.testing.assert_allclose(joined["se"], joined["sd"], rtol=2e-3)


def test_shrout_fleiss_iccs_equal_psych(root):
    block = pd.read_csv(root / "tests" / "data" / "icc_block.csv")
    frame = block.rename(columns={"employee_id": "employee", "rater_id": "rater"})
    m, info = complete_block(frame)
    assert info == {"employees": 40, "raters": 4}
    ours = shrout_fleiss(m).set_index("type")["icc"]
    ref = pd.read_csv(root / "tests" / "data" / "psych_icc.csv").set_index("type")["icc"]
    names = {"ICC1": "ICC(1,1)", "ICC2": "ICC(2,1)", "ICC3": "ICC(3,1)",
             "ICC1k": "ICC(1,k)", "ICC2k": "ICC(2,k)", "ICC3k": "ICC(3,k)"}
    for theirs, mine in names.items():
        assert ours[mine] == pytest.approx(ref[theirs], abs=1e-10)


def test_reml_matches_a_balanced_anova_where_both_exist():
    """A fully crossed balanced design: REML equals the ANOVA (expected mean squares) estimates."""
    rng = np.random.default_rng(3)
    n, k = 60, 5
    y = 3 + rng.normal(0, 1.5, n)[:, None] + rng.normal(0, 1.0, k)[None, :] + rng.normal(0, 0.7, (n, k))
    fit = fit_crossed(y.ravel(), np.repeat(np.arange(n), k), np.tile(np.arange(k), n))
    grand = y.mean()
    ms_r = k * np.sum((y.mean(axis=1) - grand) ** 2) / (n - 1)
    ms_c = n * np.sum((y.mean(axis=0) - grand) ** 2) / (k - 1)
    resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + grand
    ms_e = np.sum(resid**2) / ((n - 1) * (k - 1))
    assert fit.sigma2_residual == pytest.approx(ms_e, rel=1e-5)
    assert fit.sigma2_employee == pytest.approx((ms_r - ms_e) / k, rel=1e-5)
    assert fit.sigma2_rater == pytest.approx((ms_c - ms_e) / n, rel=1e-5)
