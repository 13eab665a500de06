"""Parameter sweeps: sweep-file validation, designs, SALib analysis and the run folder (DESIGN 4)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulate.errors import ScenarioError, UserError
from simulate.sweep import (
    Factor,
    analyse_sensitivity,
    design_points,
    load_sweep,
    make_design,
    morris_indices,
    parameter_paths,
    run_sweep,
    sobol_indices,
    sweep_command,
    sweep_from_dict,
)

ROOT = Path(__file__).resolve().parents[1]
TEST_SCENARIO = str(ROOT / "params" / "presets" / "test.yaml")
SWEEPS = sorted((ROOT / "params" / "sweeps").glob("*.yaml"))

#: A tiny Sobol' sweep: N = 2, two factors -> 2 x (2 + 2) = 8 points x 1 replication.
TINY_SOBOL = {
    "scenario": TEST_SCENARIO, "design": "sobol", "samples": 2, "replications": 1, "seed": 5,
    "factors": [{"path": "raters.supervisor.leniency_sd", "low": 0.3, "high": 1.8},
                {"path": "raters.supervisor.noise_sd", "low": 0.5, "high": 2.5}],
    "metrics": ["validity_spearman", "rater_variance_share"],
    # Supervisor-rated policies only: a policy that ignores the supervisor has a constant response.
    "policies": ["pp46_2011", "permenpanrb_2022"],
}


def sweep(**changes) -> dict:
    """A valid grid sweep with ``changes`` applied (None deletes a key)."""
    data = {
        "scenario": TEST_SCENARIO, "design": "grid", "replications": 1, "seed": 3,
        "factors": [{"path": "raters.supervisor.leniency_sd", "levels": [0.5, 1.0, 1.5]},
                    {"path": "raters.supervisor.halo", "levels": [0.2, 0.5]}],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def problems_of(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        sweep_from_dict(data)
    return info.value.problems or [info.value.message]


def write_sweep(folder: Path, data: dict, name: str = "sweep.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Validation: every problem names its field
# --------------------------------------------------------------------------------------------

BAD_SWEEPS = [
    ("unknown path with did-you-mean",
     sweep(factors=[{"path": "raters.supervisor.halo", "levels": [0.2]},
                    {"path": "raters.supervisor.lenency_sd", "levels": [1.0]}]),
     "factors[1].path: unknown parameter 'raters.supervisor.lenency_sd'; did you mean 'raters.supervisor.leniency_sd'?"),
    ("low not below high",
     sweep(design="lhs", samples=4, factors=[{"path": "raters.supervisor.halo", "low": 0.8, "high": 0.8}]),
     "factors[0].low, factors[0].high: low must be less than high, got low 0.8 >= high 0.8"),
    ("bad design name", sweep(design="sobel"), "design: must be one of 'grid', 'lhs', 'sobol' or 'morris', got 'sobel'"),
    ("missing levels", sweep(factors=[{"path": "raters.supervisor.halo"}]),
     "factors[0].levels: required for design 'grid' (a non-empty list of values)"),
    ("empty levels", sweep(factors=[{"path": "raters.supervisor.halo", "levels": []}]),
     "factors[0].levels: must list at least one value"),
    ("sobol N not a power of two",
     sweep(design="sobol", samples=6, factors=[{"path": "raters.supervisor.halo", "low": 0.1, "high": 0.9}]),
     "samples: must be a power of 2 >= 2 for design 'sobol'"),
    ("sobol N missing",
     sweep(design="sobol", factors=[{"path": "raters.supervisor.halo", "low": 0.1, "high": 0.9}]),
     "samples: required for design 'sobol'"),
    ("morris needs two trajectories",
     sweep(design="morris", samples=1, factors=[{"path": "raters.supervisor.halo", "low": 0.1, "high": 0.9}]),
     "samples: must be >= 2 trajectories for design 'morris'"),
    ("samples on a grid", sweep(samples=4), "samples: not used by design 'grid'"),
    ("levels on a sobol design",
     sweep(design="sobol", samples=4, factors=[{"path": "raters.supervisor.halo", "levels": [0.1]}]),
     "factors[0].levels: not used by design 'sobol'; give low and high"),
    ("bound outside the parameter's range",
     sweep(design="lhs", samples=4, factors=[{"path": "raters.supervisor.halo", "low": 0.5, "high": 1.5}]),
     "factors[0].high.raters.supervisor.halo: must be <= 1.0, got 1.5"),
    ("grid level outside the parameter's range",
     sweep(factors=[{"path": "raters.supervisor.halo", "levels": [0.5, -1]}]),
     "factors[0].levels[1].raters.supervisor.halo: must be >= 0.0, got -1"),
    ("non-numeric parameter in a sampled design",
     sweep(design="lhs", samples=4, factors=[{"path": "appraisal.pay_linked", "low": 0, "high": 1}]),
     "factors[0].path: 'appraisal.pay_linked' is not a number (bool)"),
    ("integer parameter with fractional bound",
     sweep(design="lhs", samples=4, factors=[{"path": "raters.n_peers", "low": 1.5, "high": 4}]),
     "factors[0].low: 'raters.n_peers' is a whole number, got 1.5"),
    ("unknown metric", sweep(metrics=["validity_spearmann"]),
     "metrics[0]: unknown metric 'validity_spearmann'; did you mean 'validity_spearman'?"),
    ("unknown policy", sweep(policies=["pp46_2011", "pp30_2091"]),
     "policies[1]: 'pp30_2091' is not a policy of scenario 'test'; did you mean 'pp30_2019'?"),
    ("unknown key with did-you-mean", sweep(replication=3),
     "replication: unknown key; did you mean 'replications'?"),
    ("replications missing", sweep(replications=None), "replications: required"),
    ("duplicate factor",
     sweep(factors=[{"path": "raters.supervisor.halo", "levels": [0.2]}, {"path": "raters.supervisor.halo", "levels": [0.3]}]),
     "factors[1].path: 'raters.supervisor.halo' is already factors[0]"),
    ("missing scenario file", sweep(scenario="no/such/scenario.yaml"), "scenario: scenario file not found: no/such/scenario.yaml"),
]


@pytest.mark.parametrize("data, expected", [(d, e) for _, d, e in BAD_SWEEPS], ids=[i for i, _, _ in BAD_SWEEPS])
def test_invalid_sweep_names_the_field(data, expected):
    problems = problems_of(data)
    assert any(expected in line for line in problems), problems


def test_every_problem_is_reported_at_once():
    problems = problems_of(sweep(samples=4, metrics=["nope"], factors=[{"path": "raters.supervisor.halo"}]))
    assert len(problems) == 3, problems


def test_first_invalid_design_point_is_reported():
    # Each level is valid alone (defaults: below -3.6, above 2.4); below 2.0 with above 1.5 is not.
    data = sweep(factors=[{"path": "raters.scales.expectation_below", "levels": [-3.6, 2.0]},
                          {"path": "raters.scales.expectation_above", "levels": [2.4, 1.5]}])
    with pytest.raises(ScenarioError) as info:
        sweep_from_dict(data)
    assert "design point p0003 (raters.scales.expectation_below=2.0, raters.scales.expectation_above=1.5)" in info.value.message
    assert any("expectation_below, raters.scales.expectation_above" in p for p in info.value.problems)


def test_parameter_paths_know_types_and_mapping_keys():
    paths = parameter_paths()
    assert paths["raters.supervisor.leniency_sd"] == "float"
    assert paths["raters.n_peers"] == "int"
    assert paths["work.indicators.dukcapil_dokumen.validity"] == "float"
    assert paths["population.opd_mix.pendidikan"] == "float"
    assert "seed" not in paths and "policies" not in paths


# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------


def test_grid_is_the_full_factorial_with_the_right_overrides():
    s = sweep_from_dict(sweep())
    points = design_points(s)
    assert [name for name, _ in points] == [f"p{i:04d}" for i in range(6)]
    expected = [(a, b) for a in (0.5, 1.0, 1.5) for b in (0.2, 0.5)]  # first factor varies slowest
    got = [(o["raters"]["supervisor"]["leniency_sd"], o["raters"]["supervisor"]["halo"]) for _, o in points]
    assert got == expected
    assert all(set(o) == {"raters"} and set(o["raters"]) == {"supervisor"} for _, o in points)
    frame = s.design.frame()
    assert list(frame.columns) == ["variant", "raters.supervisor.leniency_sd", "raters.supervisor.halo"]
    assert s.n_runs == 6


def test_lhs_points_lie_within_bounds_and_are_stratified():
    n = 7
    bounds = {"raters.supervisor.halo": (0.1, 0.9), "raters.supervisor.leniency_sd": (0.4, 2.0),
              "raters.supervisor.noise_sd": (0.5, 3.0)}
    s = sweep_from_dict(sweep(design="lhs", samples=n, factors=[{"path": p, "low": lo, "high": hi} for p, (lo, hi) in bounds.items()]))
    frame = s.design.frame()
    assert len(frame) == n
    for path, (lo, hi) in bounds.items():
        x = frame[path].to_numpy()
        assert np.all((x >= lo) & (x <= hi)), path
        strata = np.floor((x - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n)), path  # exactly one point in each of n equal strata


def test_integer_parameters_are_rounded_and_equally_likely():
    # 12 LHS points over [0.5, 3.5] -> strata of width 1/4: each whole number 1..3 gets exactly four.
    # (Sampling [1, 3] and rounding would give the end points half weight: 3, 6 and 3.)
    s = sweep_from_dict(sweep(design="lhs", samples=12, factors=[{"path": "raters.n_peers", "low": 1, "high": 3}]))
    values = [o["raters"]["n_peers"] for _, o in design_points(s)]
    assert all(type(v) is int for v in values)
    assert sorted(values) == [1] * 4 + [2] * 4 + [3] * 4


def test_sobol_and_morris_have_salib_sizes():
    factors = [{"path": "raters.supervisor.halo", "low": 0.1, "high": 0.9},
               {"path": "raters.supervisor.noise_sd", "low": 0.5, "high": 2.0},
               {"path": "raters.supervisor.leniency_sd", "low": 0.5, "high": 2.0}]
    assert sweep_from_dict(sweep(design="sobol", samples=4, factors=factors)).n_points == 4 * (3 + 2)
    assert sweep_from_dict(sweep(design="morris", samples=3, factors=factors)).n_points == 3 * (3 + 1)


def test_design_is_deterministic_in_the_seed():
    data = sweep(design="lhs", samples=5, factors=[{"path": "raters.supervisor.halo", "low": 0.1, "high": 0.9}])
    a, b = sweep_from_dict(data), sweep_from_dict(data)
    np.testing.assert_array_equal(a.design.matrix, b.design.matrix)
    c = sweep_from_dict({**data, "seed": data["seed"] + 1})
    assert not np.array_equal(a.design.matrix, c.design.matrix)


def test_policies_subset_keeps_the_given_order():
    s = sweep_from_dict(sweep(policies=["permenpanrb_2022", "pp46_2011"]))
    assert [p.name for p in s.scenario.policies] == ["permenpanrb_2022", "pp46_2011"]


# --------------------------------------------------------------------------------------------
# SALib analysis against analytic answers
# --------------------------------------------------------------------------------------------


def _linear_design(kind: str, samples: int):
    factors = (Factor("x1", "float", low=0.0, high=1.0), Factor("x2", "float", low=0.0, high=1.0))
    design = make_design(kind, factors, samples, seed=42)
    x = np.array(design.values, dtype=float)
    y = 3 * x[:, 0] + 0.1 * x[:, 1]
    responses = pd.DataFrame({"variant": design.names, "policy": "a", "period": 0, "metric": "y", "mean": y})
    return design, responses.iloc[::-1]  # order must come from the point names, not the rows


def test_sobol_analysis_recovers_a_linear_function():
    # y = 3 x1 + 0.1 x2 with x ~ U(0, 1): Var = (9 + 0.01) / 12, so ST(x1) = 0.9989, ST(x2) = 0.0011.
    design, responses = _linear_design("sobol", 256)
    si = analyse_sensitivity(design, responses, seed=1).set_index("factor")
    assert list(si.columns) == ["metric", "policy", "period", "S1", "S1_conf", "ST", "ST_conf"]
    assert si.loc["x1", "ST"] == pytest.approx(0.9989, abs=0.03)
    assert si.loc["x1", "S1"] == pytest.approx(0.9989, abs=0.05)
    assert si.loc["x2", "ST"] == pytest.approx(0.0011, abs=0.005)
    assert si.loc["x1", "ST"] > 50 * si.loc["x2", "ST"]
    assert np.all(np.isfinite(si[["S1_conf", "ST_conf"]].to_numpy())) and (si["ST_conf"] >= 0).all()


def test_morris_analysis_recovers_linear_effects_exactly():
    # A linear function has the same elementary effect everywhere: its coefficient (range 1).
    design, responses = _linear_design("morris", 6)
    si = analyse_sensitivity(design, responses, seed=1).set_index("factor")
    assert si.loc["x1", "mu_star"] == pytest.approx(3.0, rel=1e-9)
    assert si.loc["x1", "mu"] == pytest.approx(3.0, rel=1e-9)
    assert si.loc["x2", "mu_star"] == pytest.approx(0.1, rel=1e-9)
    assert si["sigma"].to_numpy() == pytest.approx([0.0, 0.0], abs=1e-9)


def test_constant_response_has_no_sobol_indices():
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1], [0, 1]]}
    si = sobol_indices(problem, np.ones(8), seed=1)
    assert si[["S1", "ST"]].isna().all().all()
    mi = morris_indices(problem, np.zeros((6, 2)), np.full(6, np.nan), seed=1)
    assert mi["mu_star"].isna().all()


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_sobol_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweeps")
    path = write_sweep(folder, TINY_SOBOL)
    out = folder / "reports"
    return path, out, sweep_command(path, out, command=["kinerja", "sweep", str(path)])


def test_sobol_sweep_runs_end_to_end(tiny_sobol_run):
    _, out, final = tiny_sobol_run
    assert final.parent == out / "sweep-test"
    assert sorted(p.name for p in final.iterdir()) == ["design.csv", "manifest.json", "results.parquet",
                                                       "sensitivity.csv", "summary.csv", "sweep.html"]
    assert not list(final.parent.glob(".*"))  # no partial folder left behind
    si = pd.read_csv(final / "sensitivity.csv")
    assert list(si.columns) == ["metric", "policy", "period", "factor", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(si) == 2 * 2 * 2  # metrics x policies x factors
    assert set(si["policy"]) == {"pp46_2011", "permenpanrb_2022"}
    assert np.all(np.isfinite(si[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()))
    results = pd.read_parquet(final / "results.parquet")
    assert results["variant"].nunique() == 8 and set(results["policy"]) == {"pp46_2011", "permenpanrb_2022"}
    design = pd.read_csv(final / "design.csv")
    assert list(design["variant"]) == [f"p{i:04d}" for i in range(8)]
    manifest = json.loads((final / "manifest.json").read_text())
    assert manifest["sweep"] == TINY_SOBOL
    assert manifest["root_seed"] == 5 and len(manifest["replication_seeds"]) == 1
    assert manifest["design"]["n_points"] == 8 and len(manifest["design"]["points"]) == 8
    assert "SALib" in manifest["package_versions"] and manifest["seconds"] > 0


def test_same_sweep_file_gives_identical_files(tiny_sobol_run, tmp_path):
    path, _, first = tiny_sobol_run
    second = sweep_command(path, tmp_path)
    for name in ("results.parquet", "design.csv", "summary.csv", "sensitivity.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(first / "results.parquet"), pd.read_parquet(second / "results.parquet"))


def test_morris_sweep_runs_and_result_object_reads_back(tmp_path):
    data = {**TINY_SOBOL, "design": "morris", "samples": 2, "metrics": ["validity_spearman"]}
    s = sweep_from_dict(data)
    calls = []
    result = run_sweep(s, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)  # 2 trajectories x (2 factors + 1) points x 1 replication
    si = pd.read_csv(result.sensitivity_path)
    assert list(si.columns) == ["metric", "policy", "period", "factor", "mu", "mu_star", "mu_star_conf", "sigma"]
    assert np.all(np.isfinite(si[["mu", "mu_star", "mu_star_conf", "sigma"]].to_numpy()))
    pd.testing.assert_frame_equal(result.summary(), si, check_dtype=False)
    frame = result.to_frame()
    assert {"variant", "raters.supervisor.leniency_sd", "policy", "metric", "mean", "ci_low"} <= set(frame.columns)
    assert len(result.results()) == result.experiment.rows
    assert "Sweep (morris)" in result._repr_html_()


def test_grid_summary_shows_the_chosen_metrics(tmp_path):
    s = sweep_from_dict(sweep(metrics=["share_sangat_baik"], policies=["pp46_2011"],
                              factors=[{"path": "raters.supervisor.leniency_mean", "levels": [0.0, 1.0]}]))
    result = run_sweep(s, tmp_path)
    assert result.sensitivity_path is None and not (tmp_path / "sensitivity.csv").exists()
    table = result.summary()
    assert set(table["metric"]) == {"share_sangat_baik"} and len(table) == 2
    by_level = table.set_index("raters.supervisor.leniency_mean")["mean"]
    assert by_level[1.0] > by_level[0.0]  # more lenient supervisors give more Sangat Baik


def test_invalid_sweep_creates_no_folder(tmp_path):
    bad = write_sweep(tmp_path, sweep(factors=[{"path": "raters.supervisor.halo", "levels": [2.0]}]))
    out = tmp_path / "reports"
    with pytest.raises(ScenarioError):
        sweep_command(bad, out)
    good = write_sweep(tmp_path, sweep(), "good.yaml")
    with pytest.raises(UserError, match="--workers"):
        sweep_command(good, out, executor="processes", workers=0)
    assert not out.exists()


def test_failed_run_leaves_no_folder(tmp_path, monkeypatch):
    import simulate.sweep.run as sweep_module

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(sweep_module, "run_experiment", boom)
    with pytest.raises(RuntimeError):
        sweep_command(write_sweep(tmp_path, sweep()), tmp_path / "reports")
    assert not (tmp_path / "reports").exists()  # the folders it made are removed too


def test_malformed_sweep_file_is_one_clear_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("design: [grid\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="malformed YAML"):
        load_sweep(path)


# --------------------------------------------------------------------------------------------
# Shipped sweep files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SWEEPS, ids=lambda p: p.stem)
def test_shipped_sweeps_validate(path):
    s = load_sweep(path)
    assert s.scenario.name in ("test", "baseline") and s.n_points >= 2  # quick to run: seconds, not minutes


def test_leniency_grid_example_is_the_documented_grid():
    s = load_sweep(ROOT / "params" / "sweeps" / "leniency_grid.yaml")
    assert s.kind == "grid" and s.replications == 3 and s.n_points == 6
    assert s.design.frame().iloc[:, 1:].values.tolist() == [[a, b] for a in (0.5, 0.91, 1.5) for b in (0.2, 0.5)]


def test_command_line_overrides_replace_file_values(tmp_path):
    path = write_sweep(tmp_path, sweep())
    s = load_sweep(path, seed=99, replications=4)
    assert (s.root_seed, s.replications, s.raw["seed"]) == (99, 4, 99)
    assert "grid sweep of 'test'" in s.describe() and "6 points x 4 replications = 24 runs" in s.describe()
    with pytest.raises(ScenarioError, match="replications: must be >= 1"):
        load_sweep(path, replications=0)
