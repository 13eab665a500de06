"""The main job end to end: kinerja run, the notebook through papermill, and bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from simulate.metrics import GLOSSARY
from simulate.notebook_registry import NOTEBOOKS
from simulate.report import FIGURES, GLOSSARY_METRICS

pytestmark = pytest.mark.slow

COMPARISON = NOTEBOOKS["policy-comparison"].path


def kinerja(*args, cwd=None, timeout=300):
    out = subprocess.run([sys.executable, "-m", "simulate.cli", *args], capture_output=True, text=True,
                         cwd=cwd, timeout=timeout)
    assert "Traceback" not in out.stderr, out.stderr
    return out


@pytest.fixture(scope="module")
def run_folder(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    res = kinerja("run", str(root / "params" / "presets" / "test.yaml"), "--replications", "3", "--seed", "5",
                  "--out", str(out), "--lang", "en")
    assert res.returncode == 0, res.stderr
    folders = list((out / "test").iterdir())
    assert len(folders) == 1
    return folders[0]


def test_run_folder_has_every_output(run_folder):
    names = {p.name for p in run_folder.iterdir()}
    assert not any(n.startswith(".") for n in names)  # the progress file is gone
    assert {"report.html", "report.xlsx", "notebook.ipynb", "results.parquet", "distribution.parquet", "summary.csv",
            "manifest.json", "figures"} <= names
    # a one-period run has every figure but the trajectory over periods
    assert {p.name for p in (run_folder / "figures").iterdir()} == (
        {f"{n}.png" for n in FIGURES if n != "trajectory"} | {"winners_losers.png"})


def test_results_and_summary_columns(run_folder):
    res = pd.read_parquet(run_folder / "results.parquet")
    assert list(res.columns) == ["scenario", "policy", "replication", "seed", "period", "metric", "value"]
    summary = pd.read_csv(run_folder / "summary.csv")
    assert list(summary.columns) == ["policy", "period", "metric", "mean", "ci_low", "ci_high"]


def test_manifest_records_the_run(run_folder):
    m = json.loads((run_folder / "manifest.json").read_text())
    for key in ("scenario", "scenario_hash", "root_seed", "replication_seeds", "package_versions", "git_revision",
                "started", "finished", "executor"):
        assert key in m, key
    assert m["root_seed"] == 5 and len(m["replication_seeds"]) == 3 and m["executor"] == "local"
    assert m["package_versions"]["numpy"]


def test_report_is_for_people(root, run_folder):
    html = (run_folder / "report.html").read_text()
    assert '<html lang="en">' in html
    assert "Headline" in html and "tracks true performance best" in html
    for label in (GLOSSARY[m][1] for m in GLOSSARY_METRICS):
        assert label in html, label
    # the confusion cells are explained by their table, not the glossary
    assert "Who gets the right predikat" in html and "Reference" in html
    assert html.count("<img") >= len(FIGURES) - 1  # all but the trajectory (one period)
    # labels, never code names: no arm's name appears where its label is shown
    from simulate.assemble import load_scenario
    from simulate.labels import arm_labels

    labels = arm_labels(load_scenario(root / "params" / "presets" / "test.yaml"), "en")
    for name, label in labels.items():
        assert label in html, label
        assert f"<strong>{name}</strong>" not in html and f">{name}<" not in html, name
    assert "Caveats and assumptions" in html
    # no code: inputs and technical cells are hidden
    assert "run_experiment" not in html and "check_parameters" not in html
    assert "Traceback" not in html


def test_report_in_bahasa_by_default(root, tmp_path):
    res = kinerja("run", "test", "--replications", "2", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    html = next((tmp_path / "test").iterdir()).joinpath("report.html").read_text()
    assert '<html lang="id">' in html and "Temuan utama" in html and "Glosarium" in html


def test_a_second_run_never_overwrites(root, run_folder):
    res = kinerja("run", str(root / "params" / "presets" / "test.yaml"), "--replications", "2",
                  "--out", str(run_folder.parents[1]))
    assert res.returncode == 0, res.stderr
    assert len([p for p in run_folder.parent.iterdir() if not p.name.startswith(".")]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--replications", "0"], "--replications: must be >= 1"),
     (["--workers", "0"], "--workers: must be >= 1"),
     (["--executor", "threads"], "invalid choice"),
     (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach a Dask scheduler"),
     (["--lang", "fr"], "invalid choice")],
)
def test_bad_options_fail_before_anything_is_written(root, tmp_path, args, message):
    res = kinerja("run", str(root / "params" / "presets" / "test.yaml"), "--out", str(tmp_path), *args)
    assert res.returncode == 2
    assert message in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_scenario_fails_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("policies:\n  - name: pp31_2019\n")
    out = tmp_path / "out"
    res = kinerja("run", str(bad), "--out", str(out))
    assert res.returncode == 2 and "unknown policy 'pp31_2019'" in res.stderr
    assert not out.exists()


def test_a_killed_run_leaves_no_report(root, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "simulate.cli", "run", str(root / "params" / "presets" / "test.yaml"),
                             "--replications", "400", "--out", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not any((tmp_path / "test").glob(".*.partial")):
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert [p for p in (tmp_path / "test").iterdir() if not p.name.startswith(".")] == []


def test_sigint_and_sigterm_stop_a_run_cleanly(root, tmp_path):
    """Both signals at once, on two real runs (in parallel, to keep the test short): exit 130 and
    143, no traceback, the partial folder removed, and no kernel connection file (its HMAC key)
    left in the temporary or the Jupyter runtime folder."""
    import psutil

    runs = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        home = tmp_path / sig.name
        (home / "tmp").mkdir(parents=True)
        (home / "runtime").mkdir()
        env = {**os.environ, "TMPDIR": str(home / "tmp"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
        proc = subprocess.Popen([sys.executable, "-m", "simulate.cli", "run", str(root / "params" / "presets" / "test.yaml"),
                                 "--replications", "400", "--out", str(home / "out")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        runs[sig] = (proc, home)
    timings = {}
    for sig, (proc, home) in runs.items():
        deadline = time.time() + 120
        while time.time() < deadline and not any((home / "tmp").glob("kinerja-kernel-*/kernel-*.json")):
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert any((home / "out" / "test").glob(".*.partial")), "the run folder is made before the kernel starts"
        kernel = []  # the connection file is written just before the kernel process starts
        while time.time() < deadline and not kernel:
            kernel = psutil.Process(proc.pid).children(recursive=True)
            time.sleep(0.05)
        sent = time.perf_counter()
        os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C (the process group) or a service manager's stop
        _, err = proc.communicate(timeout=60)
        timings[sig.name] = time.perf_counter() - sent
        assert proc.returncode == 128 + sig, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
        assert f"interrupted ({sig.name}); nothing was left" in err
        assert not (home / "out").exists() or list((home / "out").rglob("*")) == []
        assert list((home / "tmp").iterdir()) == [] and list((home / "runtime").iterdir()) == []
        assert kernel and not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in kernel)
    assert max(timings.values()) < 30, timings


def test_notebook_runs_directly_with_papermill_and_a_scenario_file(root, tmp_path):
    import papermill as pm

    out = tmp_path / "nb"
    pm.execute_notebook(str(COMPARISON), str(tmp_path / "o.ipynb"),
                        parameters={"replications": 2, "out_dir": str(out),
                                    **__import__("yaml").safe_load((root / "params" / "presets" / "test.yaml").read_text())},
                        kernel_name="python3", cwd=str(root), progress_bar=False)
    summary = pd.read_csv(out / "summary.csv")
    assert summary["policy"].nunique() == 8
    res = pd.read_parquet(out / "results.parquet")
    assert (res["scenario"] == "test").all()


def test_notebook_rejects_an_unknown_parameter(root, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="unknown notebook parameter.*replicatons"):
        pm.execute_notebook(str(COMPARISON), str(tmp_path / "o.ipynb"),
                            parameters={"replicatons": 2}, kernel_name="python3", cwd=str(root), progress_bar=False)


def test_papermill_sees_every_declared_parameter():
    import papermill as pm

    inferred = set(pm.inspect_notebook(str(COMPARISON)))
    assert {"scenario_file", "replications", "seed", "executor", "workers", "scheduler", "lang", "out_dir"} <= inferred
    assert not any(name.startswith("_") for name in inferred)


def test_progress_file_round_trip(tmp_path):
    from simulate.notebooks import read_progress, write_progress

    assert read_progress(tmp_path) is None
    write_progress(tmp_path, 3, 10)
    assert read_progress(tmp_path) == (3, 10)
    (tmp_path / ".progress.json").write_text("{half")
    assert read_progress(tmp_path) is None


def test_notebook_scenario_expands_policy_files(root, tmp_path):
    from simulate.notebooks import scenario_from_parameters

    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {root / 'params' / 'presets' / 'test.yaml'}\npolicies:\n  - name: pp30_2019\n  - file: jambi_objective\n")
    sc = scenario_from_parameters(str(path), {})
    assert [p.rule for p in sc.policies] == ["pp30_2019", "composed"]


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_passes_nbval_lax_with_its_defaults(root, name):
    """nbval in lax mode runs every cell; the notebooks' last cells assert the key numbers."""
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "--nbval-lax",
                          "-q", str(NOTEBOOKS[name].path)], capture_output=True, text=True, cwd=root, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
    assert " passed" in out.stdout and "failed" not in out.stdout
