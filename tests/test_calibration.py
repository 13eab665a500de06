"""Every calibration target holds for the default scenario (fixed seed, enough replications)."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.calibration import TARGETS, calibrate, nested_variance_shares


@pytest.fixture(scope="module")
def result(baseline):
    # 16 replications of 4,500 ASN: the 95% intervals are a few hundredths wide, well inside
    # every accepted range, so a correct model passes with this seed every time.
    return calibrate(baseline, replications=16, seed=20240101)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.key)
def test_target_is_reproduced(result, target):
    row = result.table.set_index("key").loc[target.key]
    assert target.low <= row["simulated"] <= target.high, (
        f"{target.label}: simulated {row['simulated']:.3f} outside {target.low}-{target.high}"
    )
    # Not only the mean: the whole 95 % Monte-Carlo interval lies inside the published range.
    assert target.low <= row["ci_low"] and row["ci_high"] <= target.high, (
        f"{target.label}: interval {row['ci_low']:.3f}-{row['ci_high']:.3f} leaves {target.low}-{target.high}"
    )
    assert row["ci_low"] < row["ci_high"]  # 16 replications never agree to the last digit


def test_rater_variance_exceeds_ratee_variance(result):
    t = result.table.set_index("key")["simulated"]
    assert t["rater_share"] > t["ratee_share"]


def test_records_have_the_documented_keys(result):
    recs = result.to_records()
    assert len(recs) == len(TARGETS)
    assert set(recs[0]) == {"target", "source", "published", "simulated", "ci_low", "ci_high", "ok"}


def test_same_seed_same_table(baseline):
    small = baseline.model_copy(update={"population": baseline.population.model_copy(update={"n_employees": 600})})
    a = calibrate(small, replications=2, seed=9).per_replication
    b = calibrate(small, replications=2, seed=9).per_replication
    assert a.equals(b)


def test_miscalibrated_scenario_is_flagged(baseline):
    raters = baseline.raters.model_copy(update={"supervisor": baseline.raters.supervisor.model_copy(
        update={"idiosyncratic_sd": 0.0, "noise_sd": 0.0, "leniency_sd": 0.0})})
    perfect = baseline.model_copy(update={"raters": raters, "population": baseline.population.model_copy(
        update={"n_employees": 800})})
    res = calibrate(perfect, replications=3, seed=1)
    row = res.table.set_index("key").loc["supervisor_interrater"]
    assert row["simulated"] > 0.9 and not row["ok"]
    assert not res.all_ok


def test_variance_components_recover_a_known_design():
    rng = np.random.default_rng(0)
    n_p, n_r, n_d = 4000, 4, 7
    p = rng.normal(0, 1.0, (n_p, 1, 1))          # ratee: var 1
    rp = rng.normal(0, np.sqrt(2.0), (n_p, n_r, 1))  # rater within ratee: var 2
    e = rng.normal(0, np.sqrt(0.5), (n_p, n_r, n_d))  # residual: var 0.5
    shares = nested_variance_shares(p + rp + e)
    assert shares["ratee_share"] == pytest.approx(1 / 3.5, abs=0.02)
    assert shares["rater_share"] == pytest.approx(2 / 3.5, abs=0.02)
    assert shares["error_share"] == pytest.approx(0.5 / 3.5, abs=0.01)


def _with_supervisor(scenario, n=1500, **update):
    raters = scenario.raters.model_copy(update={"supervisor": scenario.raters.supervisor.model_copy(update=update)})
    return scenario.model_copy(update={"raters": raters, "population": scenario.population.model_copy(
        update={"n_employees": n})})


def test_agreement_counts_leniency_differences_as_disagreement(baseline):
    """Two raters per ratee, correlated across ratees (the meta-analyses' design), for both sources.

    Computed within teams (as it once was), the supervisors' leniency would cancel and the two
    figures would be close; across ratees a larger spread of leniency lowers agreement.
    """
    from simulate.calibration import calibration_statistics

    low = calibration_statistics(_with_supervisor(baseline, leniency_sd=0.0), 5)["supervisor_interrater"]
    high = calibration_statistics(_with_supervisor(baseline, leniency_sd=2.0), 5)["supervisor_interrater"]
    assert high < 0.6 * low
    # The same statistic for peers: a larger spread of peer leniency lowers peer agreement too.
    raters = baseline.raters.model_copy(update={"peer": baseline.raters.peer.model_copy(update={"leniency_sd": 2.0})})
    spread = calibration_statistics(baseline.model_copy(update={"raters": raters}), 5)["peer_interrater"]
    assert spread < 0.6 * calibration_statistics(baseline, 5)["peer_interrater"]


def test_superiors_share_their_perspective_and_nothing_else(baseline):
    """Without a shared perspective two superiors agree less; a peer and a superior are unaffected by it."""
    from simulate.calibration import calibration_statistics

    with_view = calibration_statistics(_with_supervisor(baseline), 5)
    without = calibration_statistics(_with_supervisor(baseline, perspective_sd=0.0), 5)
    assert without["supervisor_interrater"] < with_view["supervisor_interrater"] - 0.1
    assert without["peer_interrater"] == with_view["peer_interrater"]
