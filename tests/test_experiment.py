"""Seeded experiments: identical results whatever the executor, streamed to Parquet in order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulate.errors import UserError
from simulate.experiment import RESULT_COLUMNS, replication_seeds, run_experiment, run_replication
from simulate.metrics import ALL_METRICS
from simulate.assemble import load_scenario


@pytest.fixture(scope="module")
def tiny(root):
    return load_scenario(root / "params" / "presets" / "test.yaml")


@pytest.fixture(scope="module")
def local_results(tiny, tmp_path_factory):
    path = tmp_path_factory.mktemp("exp") / "local.parquet"
    run_experiment(tiny, 4, path, seed=11, executor="local")
    return pd.read_parquet(path)


def test_results_have_the_schema_and_every_metric(local_results, tiny):
    expected = [c for c in RESULT_COLUMNS if c != "variant"]
    assert list(local_results.columns) == expected
    from simulate.metrics.indicators import indicator_metric_names

    from simulate.replication import scheme_cost_names

    assert set(local_results["metric"]) == (set(ALL_METRICS) | set(indicator_metric_names(tiny.work.indicators))
                                            | set(scheme_cost_names(tiny)))
    assert set(local_results["policy"]) == {p.name for p in tiny.policies}
    assert sorted(local_results["replication"].unique()) == [0, 1, 2, 3]
    assert (local_results["scenario"] == "test").all()


def test_seeds_are_recorded_and_reproduce_a_row_alone(local_results, tiny):
    seeds = replication_seeds(11, 4)
    got = local_results.groupby("replication")["seed"].first().tolist()
    assert got == seeds and len(set(seeds)) == 4
    alone = run_replication(tiny, 2, seeds[2])
    mine = local_results[local_results["replication"] == 2].reset_index(drop=True)
    np.testing.assert_array_equal(alone["value"].to_numpy(), mine["value"].to_numpy())


def test_policies_share_the_same_evidence(local_results):
    """Common random numbers: policy-independent metrics are equal across policies."""
    for metric in ("true_performance_mean", "wait_minutes_mean", "ikm"):
        per_rep = local_results[local_results["metric"] == metric].groupby("replication")["value"].nunique()
        assert (per_rep == 1).all(), metric


@pytest.mark.parametrize(("executor", "workers"), [("processes", 2), ("dask", 2), ("dask", 1)])
def test_every_executor_gives_identical_results(tiny, local_results, tmp_path, executor, workers):
    path = tmp_path / f"{executor}.parquet"
    run_experiment(tiny, 4, path, seed=11, executor=executor, workers=workers)
    other = pd.read_parquet(path)
    pd.testing.assert_frame_equal(other, local_results)


def test_rows_are_written_in_replication_order_as_they_finish(tiny, tmp_path, monkeypatch):
    import simulate.experiment as ex

    monkeypatch.setattr(ex, "ROW_GROUP_ROWS", 1)  # flush after every replication
    path = tmp_path / "r.parquet"
    seen = []
    run_experiment(tiny, 3, path, seed=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    reps = pq.read_table(path).column("replication").to_numpy()
    assert (np.diff(reps) >= 0).all()
    assert pq.ParquetFile(path).num_row_groups == 3  # written as they finish, not at the end
    monkeypatch.setattr(ex, "ROW_GROUP_ROWS", 10**9)
    run_experiment(tiny, 3, tmp_path / "one.parquet", seed=2)
    assert pq.ParquetFile(tmp_path / "one.parquet").num_row_groups == 1
    assert pq.read_table(tmp_path / "one.parquet").equals(pq.read_table(path))


def test_summary_has_intervals(tiny, tmp_path):
    res = run_experiment(tiny, 3, tmp_path / "s.parquet", seed=5)
    s = res.summary()
    assert {"policy", "period", "metric", "mean", "ci_low", "ci_high"} <= set(s.columns)
    ok = s.dropna(subset=["ci_low"])
    assert (ok["ci_low"] <= ok["mean"] + 1e-12).all() and (ok["mean"] <= ok["ci_high"] + 1e-12).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"executor": "threads"}, "--executor: must be one of"), ({"workers": 0, "executor": "processes"}, "--workers: must be >= 1"),
     ({"scheduler": "tcp://127.0.0.1:9", "executor": "dask"}, "--scheduler: cannot reach a Dask scheduler"),
     ({"scheduler": "tcp://127.0.0.1:9"}, "--scheduler: only used with --executor dask")],
)
def test_impossible_options_fail_before_any_work(tiny, tmp_path, kwargs, message):
    path = tmp_path / "x.parquet"
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        run_experiment(tiny, 2, path, **kwargs)
    assert not path.exists()


def test_zero_replications_is_refused(tiny, tmp_path):
    with pytest.raises(UserError, match="--replications: must be >= 1"):
        run_experiment(tiny, 0, tmp_path / "x.parquet")
