"""The command line: exit codes, messages without tracebacks, atomic run folders."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from simulate.cli import main


def run(args, cwd=None):
    out = subprocess.run([sys.executable, "-m", "simulate.cli", *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_validate_valid_file(root, capsys):
    assert main(["validate", str(root / "params" / "baseline.yaml")]) == 0
    out = capsys.readouterr().out
    assert "valid scenario 'baseline'" in out and "4,500 ASN" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("raters:\n  supervisor:\n    leniency_sd: -1\n", "raters.supervisor.leniency_sd: must be >= 0"),
        ("raters:\n  supervisr: {}\n", "raters.supervisr: unknown key; did you mean 'supervisor'?"),
        ("population: [1, 2\n", "malformed YAML"),
        ("population:\n  n_employees: abc\n", "population.n_employees: must be a whole number"),
    ],
)
def test_validate_invalid_file_exits_2_with_the_field(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    out = run(["validate", str(path)])
    assert out.returncode == 2
    assert expected in out.stderr


def test_validate_missing_file():
    out = run(["validate", "does/not/exist.yaml"])
    assert out.returncode == 2 and "scenario file not found" in out.stderr


def test_bad_option_is_one_line(root):
    out = run(["calibrate", str(root / "params" / "presets" / "test.yaml"), "--replications", "1"])
    assert out.returncode == 2 and "--replications: must be >= 2" in out.stderr


def test_calibrate_json(root):
    out = run(["calibrate", str(root / "params" / "presets" / "test.yaml"), "--replications", "2", "--seed", "3", "--json"])
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["target"] for r in rows} >= {"supervisor_interrater", "self_supervisor_r"}
    assert all(set(r) == {"target", "source", "published", "simulated", "ci_low", "ci_high", "ok"} for r in rows)


def test_generate_writes_a_new_folder_each_time(root, tmp_path):
    args = ["generate", str(root / "params" / "presets" / "test.yaml"), "--out", str(tmp_path), "--replications", "2"]
    first = run(args)
    second = run(args)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    runs = sorted(p for p in (tmp_path / "test").iterdir())
    assert len(runs) == 2 and all(not p.name.startswith(".") for p in runs)
    for folder in runs:
        assert {"employees.parquet", "indicators.parquet", "manifest.json", "calibration.csv"} <= {p.name for p in folder.iterdir()}
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["root_seed"] == 7 and len(manifest["scenario_hash"]) == 64
        assert "nip" not in __import__("pandas").read_parquet(folder / "employees.parquet").columns


def test_interrupted_run_leaves_no_folder(tmp_path):
    from simulate.runs import RunFolder

    with pytest.raises(KeyboardInterrupt):
        with RunFolder(tmp_path, "x") as r:
            (r.path / "half.csv").write_text("1")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []  # the scenario's folder it made is gone too


def test_list_shows_scenarios_and_parameters(capsys):
    assert main(["list", "--parameters"]) == 0
    out = capsys.readouterr().out
    assert "baseline.yaml" in out and "raters.supervisor.leniency_sd" in out
    assert "Parameter (nama = nilai bawaan" in out  # Bahasa Indonesia by default, English with --lang en
    assert main(["list", "--parameters", "--lang", "en"]) == 0
    assert "Parameters (name = default [unit], what it does):" in capsys.readouterr().out


def test_validate_a_policy_file(root, capsys):
    assert main(["validate", str(root / "params" / "policies" / "jambi_objective.yaml")]) == 0
    assert "valid policy 'jambi_objective' (rule composed)" in capsys.readouterr().out


def test_validate_a_regional_case_file(root, capsys):
    assert main(["validate", str(root / "params" / "regions" / "cases" / "jambi.yaml")]) == 0
    assert "valid regional case 'jambi' (3 variants, 6 arms, 6 claims; preset 'jambi')" in capsys.readouterr().out


def test_validate_a_bad_regional_case_file_names_the_file_and_field(root, tmp_path):
    path = tmp_path / "alak.yaml"
    text = (root / "params" / "regions" / "cases" / "alak.yaml").read_text()
    path.write_text(text.replace("metric: resistance_mean", "metric: resistence_mean", 1))
    out = run(["validate", str(path)])
    assert out.returncode == 2
    assert f"{path}: 1 problem" in out.stderr
    assert "claims[1].metric: unknown metric 'resistence_mean'; did you mean 'resistance_mean'?" in out.stderr


def test_a_case_file_is_listed_as_one_and_is_not_run_as_a_scenario(root, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    scenarios = out.split("Scenarios:")[1].split("Policy files:")[0]
    cases = out.split("Regional cases")[1].split("Policies")[0]
    assert "params/regions/alak.yaml" in scenarios and "cases" not in scenarios
    assert "params/regions/cases/alak.yaml" in cases
    out = run(["run", str(root / "params" / "regions" / "cases" / "alak.yaml"), "--replications", "1"])
    assert out.returncode == 2 and "a regional case file" in out.stderr
    assert "kinerja run params/regions/alak.yaml" in out.stderr


def test_test_rules_runs_the_shipped_cases(root):
    out = run(["test-rules", *map(str, sorted((root / "tests" / "rules").glob("*.yaml")))])
    assert out.returncode == 0, out.stdout[-2000:]
    last = out.stdout.strip().splitlines()[-1]
    assert last.endswith("0 failed") and int(last.split()[0]) >= 200


def test_sweep_check_and_validate(root, capsys):
    sweep = str(root / "params" / "sweeps" / "leniency_grid.yaml")
    assert main(["sweep", sweep, "--check"]) == 0
    assert main(["validate", sweep]) == 0
    out = capsys.readouterr().out
    assert "valid sweep" in out and "grid" in out


def test_sweep_runs_into_a_new_folder(root, tmp_path):
    out = run(["sweep", str(root / "params" / "sweeps" / "leniency_grid.yaml"), "--replications", "1", "--out", str(tmp_path)])
    assert out.returncode == 0, out.stderr
    folder = next((tmp_path / "sweep-test").iterdir())
    assert {"results.parquet", "design.csv", "summary.csv", "manifest.json"} <= {p.name for p in folder.iterdir()}
