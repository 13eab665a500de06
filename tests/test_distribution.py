"""Who gains and who loses: the distribution tables against hand-computed cases, and as a run writes them."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from simulate.assemble import load_scenario
from simulate.experiment import distribution_path, run_experiment, run_replication, run_replication_frames
from simulate.metrics.distribution import (
    DISTRIBUTION_COLUMNS,
    DISTRIBUTION_SCHEMA,
    GROUP_KINDS,
    MEASURES,
    ArmOutcome,
    DistributionCollector,
    distribution_summary,
    employee_changes,
    true_quintile,
)
from simulate.scenario.schema import OPD_KINDS

# --------------------------------------------------------------------------------------------
# A hand-computed case: ten employees, the status quo and one reform
# --------------------------------------------------------------------------------------------
#
#   id   opd  gol    sex  TPP sq  TPP arm  change  r       predikat sq->arm  credit sq->arm
#   0    0    III/a  L    100     106        6     +6 %    gain   1 -> 0       10 -> 15
#   1    0    III/a  L    100     105        5     +5 %    unch.  1 -> 1       10 -> 10
#   2    0    III/a  L    100      95       -5     -5 %    unch.  1 -> 1       10 -> 10
#   3    0    III/a  L    100      94       -6     -6 %    loss   1 -> 2       10 -> 7.5
#   4    0    III/a  L    100     100        0      0      unch.  1 -> 1       10 -> 10
#   5    0    II/b   L    100     110       10    +10 %    gain   1 -> 0       10 -> 15
#   6    1    II/b   L    100      80      -20    -20 %    loss   1 -> 3       10 -> 5
#   7    1    II/b   P    100     100        0      0      unch.  1 -> 1       10 -> 10
#   8    1    II/b   P      0      50       50    +inf    gain   1 -> 1       10 -> 10
#   9    1    II/b   P      0       0        0      0      unch.  1 -> 1       10 -> 10
#
# All: gain 3/10, loss 2/10, unchanged 5/10; change 40 (mean 4) on a status-quo total of 800
# (+5 %); the arm pays 840 (mean 84). OPD 1 (4 people) and sex P (3) are suppressed.

SQ_TPP = np.array([100, 100, 100, 100, 100, 100, 100, 100, 0, 0], dtype=float)
ARM_TPP = np.array([106, 105, 95, 94, 100, 110, 80, 100, 50, 0], dtype=float)
TRUTH_ORDER = np.array([5, 0, 1, 2, 3, 4, 7, 8, 9, 6])  # best to worst


def _employees() -> pd.DataFrame:
    cat = pd.Categorical
    return pd.DataFrame({
        "employee_id": np.arange(10),
        "opd_id": np.array([0] * 6 + [1] * 4, dtype=np.int32),
        "opd_kind": cat(["back_office"] * 10, categories=list(OPD_KINDS)),
        "golongan": cat(["III/a"] * 5 + ["II/b"] * 5, categories=["II/b", "III/a"]),
        "position_type": cat(["pelaksana"] * 10, categories=["pelaksana", "fungsional"]),
        "sex": cat(["L"] * 7 + ["P"] * 3, categories=["L", "P"]),
        "status": cat(["PNS"] * 10, categories=["PNS", "PPPK"]),
    })


def _outcomes() -> tuple[ArmOutcome, ArmOutcome]:
    no = np.zeros(10, dtype=bool)
    sq = ArmOutcome(predikat=np.ones(10, dtype=np.int8), truth_order=TRUTH_ORDER, tpp_idr=SQ_TPP,
                    tpp_true_idr=np.full(10, 100.0), angka_kredit=np.full(10, 10.0), talent_pool=no,
                    improvement_path=np.arange(10) == 6, dismissal=no)
    arm = ArmOutcome(predikat=np.array([0, 1, 1, 2, 1, 0, 3, 1, 1, 1], dtype=np.int8), truth_order=TRUTH_ORDER,
                     tpp_idr=ARM_TPP, tpp_true_idr=np.full(10, 100.0),
                     angka_kredit=np.array([15, 10, 10, 7.5, 10, 15, 5, 10, 10, 10]), talent_pool=np.arange(10) == 0,
                     improvement_path=np.isin(np.arange(10), [3, 6]), dismissal=no)
    return sq, arm


@pytest.fixture(scope="module")
def hand() -> pd.DataFrame:
    sq, arm = _outcomes()
    collector = DistributionCollector(replication=3)
    employees = _employees()
    collector.observe(0, "status_quo", sq, employees)
    collector.observe(0, "reform", arm, employees)
    return collector.frame()


def _value(frame: pd.DataFrame, kind: str, group: str, measure: str, arm: str = "reform") -> float:
    row = frame[(frame.arm == arm) & (frame.group_kind == kind) & (frame.group == group) & (frame.measure == measure)]
    assert len(row) == 1, (kind, group, measure)
    return float(row["value"].iloc[0])


def test_each_employee_against_the_status_quo():
    sq, arm = _outcomes()
    per = employee_changes(sq, arm)
    assert per["tpp_direction"].tolist() == ["gain", "unchanged", "unchanged", "loss", "unchanged", "gain", "loss",
                                             "unchanged", "gain", "unchanged"]
    np.testing.assert_array_equal(per["tpp_change_idr"], ARM_TPP - SQ_TPP)
    np.testing.assert_allclose(per["tpp_change_pct"][:8], [6, 5, -5, -6, 0, 10, -20, 0])
    assert per["tpp_change_pct"][8:].isna().all()  # no status-quo TPP: no percent
    assert per["predikat_change"].tolist() == [1, 0, 0, -1, 0, 1, -2, 0, 0, 0]
    assert per["angka_kredit_change"].tolist() == [5, 0, 0, -2.5, 0, 5, -5, 0, 0, 0]
    assert per["talent_pool_change"].tolist() == [1] + [0] * 9
    assert per["improvement_path_change"].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert per["true_quintile"].tolist() == [5, 4, 4, 3, 3, 5, 1, 2, 2, 1]


def test_gaining_losing_and_unchanged_shares_by_hand(hand):
    assert _value(hand, "all", "all", "tpp_gain_share") == pytest.approx(0.3)
    assert _value(hand, "all", "all", "tpp_loss_share") == pytest.approx(0.2)
    assert _value(hand, "all", "all", "tpp_unchanged_share") == pytest.approx(0.5)
    # OPD 0: ids 0-5, gains 0 and 5, loss 3.
    assert _value(hand, "opd", "0", "tpp_gain_share") == pytest.approx(2 / 6)
    assert _value(hand, "opd", "0", "tpp_loss_share") == pytest.approx(1 / 6)
    assert _value(hand, "golongan", "II/b", "tpp_gain_share") == pytest.approx(2 / 5)
    assert _value(hand, "golongan", "III/a", "tpp_loss_share") == pytest.approx(1 / 5)


def test_mean_change_and_budget_impact_by_hand(hand):
    assert _value(hand, "all", "all", "tpp_budget_impact_idr") == pytest.approx(40)
    assert _value(hand, "all", "all", "tpp_change_idr_mean") == pytest.approx(4)
    assert _value(hand, "all", "all", "tpp_change_pct") == pytest.approx(5)
    assert _value(hand, "all", "all", "tpp_mean_idr") == pytest.approx(84)
    assert _value(hand, "opd", "0", "tpp_budget_impact_idr") == pytest.approx(10)
    assert _value(hand, "opd", "0", "tpp_change_pct") == pytest.approx(100 * 10 / 600)
    assert _value(hand, "golongan", "III/a", "tpp_budget_impact_idr") == pytest.approx(0)
    assert _value(hand, "golongan", "II/b", "tpp_budget_impact_idr") == pytest.approx(40)
    assert _value(hand, "all", "all", "predikat_up_share") == pytest.approx(0.2)
    assert _value(hand, "all", "all", "predikat_down_share") == pytest.approx(0.2)
    assert _value(hand, "all", "all", "predikat_change_mean") == pytest.approx(-0.1)
    assert _value(hand, "all", "all", "angka_kredit_change_mean") == pytest.approx(0.25)
    assert _value(hand, "all", "all", "talent_pool_share_change") == pytest.approx(0.1)
    assert _value(hand, "all", "all", "improvement_path_share_change") == pytest.approx(0.1)
    assert _value(hand, "all", "all", "dismissal_share_change") == 0
    assert _value(hand, "all", "all", "misjudgement_idr") == pytest.approx(840 - 1000)
    # The status quo against itself: nothing changes.
    assert _value(hand, "all", "all", "tpp_budget_impact_idr", arm="status_quo") == 0
    assert _value(hand, "all", "all", "tpp_unchanged_share", arm="status_quo") == 1


def test_groups_of_fewer_than_five_are_suppressed(hand):
    small = hand[hand["n"] < 5]
    assert {("opd", "1"), ("sex", "P")} <= set(zip(small.group_kind, small.group))
    assert small["value"].isna().all()  # rows kept, with their size, values suppressed
    assert set(small[small.group_kind == "opd"]["n"]) == {4}
    big = hand[(hand["n"] >= 5) & ~hand["measure"].str.contains("fifth")]
    assert big["value"].notna().all()
    assert set(hand.loc[hand.group_kind == "true_quintile", "n"]) == {2}  # ten people: fifths of two
    # The top and bottom fifths are two people each: their misjudgement figures are suppressed too.
    assert np.isnan(_value(hand, "all", "all", "misjudgement_top_fifth_loss_idr"))


def test_table_layout(hand):
    assert tuple(hand.columns) == DISTRIBUTION_COLUMNS
    assert (hand["replication"] == 3).all() and (hand["period"] == 0).all()
    assert set(hand["group_kind"]) == set(GROUP_KINDS)
    assert set(hand["measure"]) == set(MEASURES)
    # Only groups that have members: one OPD kind, one position type, one status.
    assert set(hand.loc[hand.group_kind == "status", "group"]) == {"PNS"}
    assert set(hand.loc[hand.group_kind == "golongan", "group"]) == {"II/b", "III/a"}
    # The top/bottom-fifth figures are in group "all" only.
    fifth = hand[hand.measure.str.contains("fifth")]
    assert set(fifth.group_kind) == {"all"}


def test_cost_of_misjudgement_for_the_true_fifths():
    """25 people: the reform pays the true top five 10 less each and the bottom five 4 more each."""
    n = 25
    order = np.arange(n)  # id 0 is the best
    truth_pay = np.full(n, 100.0)
    paid = truth_pay.copy()
    paid[:5] -= 10
    paid[-5:] += 4
    employees = pd.DataFrame({
        "employee_id": order, "opd_id": np.zeros(n, np.int32),
        "opd_kind": pd.Categorical(["back_office"] * n), "golongan": pd.Categorical(["III/a"] * n),
        "position_type": pd.Categorical(["pelaksana"] * n), "sex": pd.Categorical(["L"] * n),
        "status": pd.Categorical(["PNS"] * n),
    })
    pred = np.ones(n, dtype=np.int8)
    sq = ArmOutcome(predikat=pred, truth_order=order, tpp_idr=truth_pay, tpp_true_idr=truth_pay)
    arm = ArmOutcome(predikat=pred, truth_order=order, tpp_idr=paid, tpp_true_idr=truth_pay)
    collector = DistributionCollector()
    collector.observe(0, "sq", sq, employees)
    collector.observe(0, "arm", arm, employees)
    frame = collector.frame()
    assert _value(frame, "all", "all", "misjudgement_top_fifth_loss_idr", "arm") == pytest.approx(50)
    assert _value(frame, "all", "all", "misjudgement_bottom_fifth_gain_idr", "arm") == pytest.approx(20)
    assert _value(frame, "true_quintile", "5", "misjudgement_idr", "arm") == pytest.approx(-50)
    assert _value(frame, "true_quintile", "1", "tpp_unchanged_share", "arm") == pytest.approx(1.0)  # +4 %: within 5 %
    assert _value(frame, "true_quintile", "5", "tpp_loss_share", "arm") == pytest.approx(1.0)  # -10 %
    assert _value(frame, "all", "all", "misjudgement_top_fifth_loss_idr", "sq") == 0
    # Without credit points or career schemes their measures are left out, not zero.
    assert not frame.measure.isin(["angka_kredit_change_mean", "talent_pool_share_change"]).any()


def test_quintiles_split_evenly():
    q = true_quintile(np.arange(12)[::-1])  # id 11 is the best
    assert np.bincount(q, minlength=6)[1:].tolist() == [2, 2, 3, 2, 3]
    assert q[11] == 5 and q[0] == 1


def test_summary_gives_means_and_intervals(hand):
    two = pd.concat([hand, hand.assign(replication=4, value=hand["value"] * 3)], ignore_index=True)
    s = distribution_summary(two)
    row = s[(s.arm == "reform") & (s.group_kind == "all") & (s.measure == "tpp_budget_impact_idr")].iloc[0]
    assert row["mean"] == pytest.approx(80) and row["replications"] == 2 and row["n"] == 10
    assert row["ci_low"] < 80 < row["ci_high"]
    assert list(s.columns) == ["arm", "period", "group_kind", "group", "measure", "mean", "ci_low", "ci_high",
                               "replications", "n"]
    suppressed = s[(s.group_kind == "sex") & (s.group == "P")]
    assert suppressed["mean"].isna().all() and (suppressed["replications"] == 0).all()
    later = pd.concat([two, two.assign(period=1)], ignore_index=True)
    assert set(distribution_summary(later)["period"]) == {1}
    assert set(distribution_summary(later, period=0)["period"]) == {0}
    assert set(distribution_summary(later, period=None)["period"]) == {0, 1}


# --------------------------------------------------------------------------------------------
# As a run writes it
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(root):
    sc = load_scenario(root / "params" / "presets" / "test.yaml")
    return sc.model_copy(update={"policies": sc.policies[:3]})


@pytest.fixture(scope="module")
def written(tiny, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "results.parquet"
    result = run_experiment(tiny, 2, out, seed=11)
    return result


def test_a_run_writes_the_distribution_beside_the_results(written, tiny):
    path = written.results_path.parent / "distribution.parquet"
    assert written.distribution_path == path and path.is_file()
    assert pq.read_schema(path).equals(DISTRIBUTION_SCHEMA, check_metadata=False)
    frame = written.distribution()
    assert tuple(frame.columns) == DISTRIBUTION_COLUMNS
    assert list(frame["arm"].unique()) == [p.name for p in tiny.policies]
    assert sorted(frame["replication"].unique()) == [0, 1]
    assert set(frame["group_kind"]) == set(GROUP_KINDS)
    assert frame.loc[frame["n"] < 5, "value"].isna().all()
    # Every TPP measure, credit points and career events are there with the default schemes.
    assert set(frame["measure"]) == set(MEASURES)


def test_written_figures_agree_with_the_results(written, tiny):
    """The budget impact in group all is the difference of the arms' TPP cost in results.parquet."""
    frame, results = written.distribution(), written.results()
    cost = results[results.metric == "tpp_cost_idr"].pivot(index="replication", columns="policy", values="value")
    sq = tiny.policies[0].name
    impact = frame[(frame.group_kind == "all") & (frame.measure == "tpp_budget_impact_idr")]
    for _, row in impact.iterrows():
        assert row["value"] == pytest.approx(cost.loc[row.replication, row.arm] - cost.loc[row.replication, sq], abs=1e-3)
    shares = frame[frame.measure.isin(["tpp_gain_share", "tpp_loss_share", "tpp_unchanged_share"])].dropna(subset=["value"])
    total = shares.groupby(["arm", "replication", "group_kind", "group"], observed=True)["value"].sum()
    np.testing.assert_allclose(total.to_numpy(), 1.0)
    own = frame[(frame.arm == sq) & frame.measure.isin(["tpp_budget_impact_idr", "predikat_up_share"])]
    assert (own["value"].dropna() == 0).all()


def test_one_replication_alone_gives_the_same_rows(written, tiny):
    results, dist = run_replication_frames(tiny, 1, written.seeds[1])
    mine = written.distribution().query("replication == 1").reset_index(drop=True)
    pd.testing.assert_frame_equal(dist, mine)
    pd.testing.assert_frame_equal(results, run_replication(tiny, 1, written.seeds[1]))


def test_other_names_and_sweeps(tiny, tmp_path):
    assert distribution_path(tmp_path / "r.parquet") == tmp_path / "r_distribution.parquet"
    res = run_experiment(tiny, 1, tmp_path / "v.parquet", seed=3, variants=[("a", {}), ("b", {})])
    assert res.distribution_path is None and not (tmp_path / "v_distribution.parquet").exists()
    res = run_experiment(tiny, 1, tmp_path / "w.parquet", seed=3, variants=[("a", {})], distribution=True)
    assert res.distribution().columns[0] == "variant"


def test_without_reward_schemes_only_the_predikat_is_compared(tiny):
    bare = tiny.model_copy(update={"rewards": []})
    _, dist = run_replication_frames(bare, 0, 5)
    assert set(dist["measure"]) == {"predikat_up_share", "predikat_down_share", "predikat_change_mean"}


def test_a_reform_package_is_compared_under_its_own_schemes(tiny):
    """An arm with its own TPP scheme (a cut by predikat within a cap) against the status quo's."""
    from simulate.assemble import scenario_from_dict
    from simulate.yamlio import deep_merge

    cut = {"name": "tpp_cut", "scheme": "tpp",
           "params": {"predikat_paid_percent": {"sangat_baik": 110, "baik": 100, "butuh_perbaikan": 80, "kurang": 60,
                                                "sangat_kurang": 40}, "budget_cap_idr": 14.0e9}}
    sc = scenario_from_dict(deep_merge(tiny.model_dump(mode="json"), {"policies": [
        {"name": "status_quo", "policy": "permenpanrb_2022"},
        {"name": "package", "policy": "permenpanrb_2022", "params": {"curve": "enforce"},
         "rewards": [cut, {"name": "angka_kredit"}, {"name": "career"}]},
    ]}), source="test")
    results, dist = run_replication_frames(sc, 0, 9)
    cost = results[results.metric == "tpp_cost_idr"].set_index("policy")["value"]
    rows = dist[(dist.group_kind == "all") & (dist.arm == "package")].set_index("measure")["value"]
    assert rows["tpp_budget_impact_idr"] == pytest.approx(cost["package"] - cost["status_quo"], abs=1e-3)
    assert rows["tpp_mean_idr"] == pytest.approx(cost["package"] / sc.population.n_employees)
    assert cost["package"] == pytest.approx(14.0e9)  # the cap binds: everyone is scaled down by about 11 %
    assert rows["tpp_loss_share"] > 0.5
    assert rows["tpp_gain_share"] + rows["tpp_loss_share"] + rows["tpp_unchanged_share"] == pytest.approx(1)


def test_multi_period_runs_have_every_period(tiny, tmp_path):
    two = tiny.model_copy(update={"policies": tiny.policies[:2]})
    res = run_experiment(two, 1, tmp_path / "results.parquet", seed=5, periods=2)
    frame = res.distribution()
    assert sorted(frame["period"].unique()) == [0, 1]
    last = res.distribution_summary()
    assert len(last) and set(last["period"]) == {1} and set(last["replications"]) <= {0, 1}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize(("executor", "workers"), [("processes", 2), ("dask", 2)])
def test_every_executor_writes_the_same_bytes(tiny, written, tmp_path, executor, workers):
    other = run_experiment(tiny, 2, tmp_path / "results.parquet", seed=11, executor=executor, workers=workers)
    assert _digest(other.distribution_path) == _digest(written.distribution_path)
    assert _digest(other.results_path) == _digest(written.results_path)
