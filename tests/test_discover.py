"""Scenario discovery (``kinerja discover``): PRIM recovers a planted box; bad requests are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulate.cli import main
from simulate.errors import UserError
from simulate.sweep.discover import discover


@pytest.fixture()
def planted(tmp_path):
    """300 design points; the metric is high exactly where halo > 0.6 and leniency_sd < 0.8."""
    rng = np.random.default_rng(1)
    n = 300
    design = pd.DataFrame({"variant": [f"p{i:04d}" for i in range(n)], "raters.supervisor.halo": rng.random(n),
                           "raters.supervisor.leniency_sd": 2 * rng.random(n), "raters.supervisor.noise_sd": 2 * rng.random(n)})
    design.to_csv(tmp_path / "design.csv", index=False)
    inside = (design["raters.supervisor.halo"] > 0.6) & (design["raters.supervisor.leniency_sd"] < 0.8)
    value = 0.1 + 0.3 * inside + rng.normal(0, 0.02, n)
    rows = []
    for policy in ("permenpanrb_2022", "pp46_2011"):
        rows.append(pd.DataFrame({"variant": design["variant"], "policy": policy, "period": 0,
                                  "metric": "misclassification_rate", "mean": value, "replications": 2}))
    pd.concat(rows).to_csv(tmp_path / "summary.csv", index=False)
    return tmp_path


def test_prim_recovers_the_planted_box(planted):
    found = discover(planted, "misclassification_rate", above=0.25, policy="permenpanrb_2022")
    box = found.box.set_index("parameter")
    assert box.loc["raters.supervisor.halo", "low"] == pytest.approx(0.6, abs=0.03)
    assert box.loc["raters.supervisor.leniency_sd", "high"] == pytest.approx(0.8, abs=0.06)
    assert not box.loc["raters.supervisor.noise_sd", "restricted"]
    assert found.density > 0.9 and found.coverage > 0.9
    assert list(found.trajectory.columns[:2]) == ["coverage", "density"]


def test_discover_command_writes_a_new_folder(planted, capsys):
    args = ["discover", str(planted), "--metric", "misclassification_rate", "--above", "0.25", "--policy", "pp46_2011"]
    assert main(args) == 0 and main(args) == 0
    out = capsys.readouterr().out
    assert "raters.supervisor.halo in [0.6" in out
    runs = [p for p in (planted / "discovery").iterdir() if not p.name.startswith(".")]
    assert len(runs) == 2
    assert {p.name for p in runs[0].iterdir()} == {"box.csv", "trajectory.csv", "peeling.png", "discovery.html"}


@pytest.mark.parametrize("kwargs, message", [
    ({"metric": "validity", "above": 0.1, "policy": "pp46_2011"}, "has no metric 'validity'"),
    ({"metric": "misclassification_rate", "above": 0.1}, "name one of permenpanrb_2022, pp46_2011"),
    ({"metric": "misclassification_rate", "above": 0.9, "policy": "pp46_2011"}, "holds at none"),
    ({"metric": "misclassification_rate", "policy": "pp46_2011"}, "exactly one of --below and --above"),
])
def test_bad_requests_are_refused_by_name(planted, kwargs, message):
    metric = kwargs.pop("metric")
    with pytest.raises(UserError, match=message):
        discover(planted, metric, **kwargs)


def test_not_a_sweep_folder(tmp_path, capsys):
    assert main(["discover", str(tmp_path), "--metric", "x", "--above", "1"]) == 2
    assert "not a finished sweep folder" in capsys.readouterr().err
