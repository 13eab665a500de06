"""A scenario refers only to files in its own folder, the shipped presets and tables, or --allow-path.

Each kind of reference (``extends:``, ``policies[].file``, a sweep's ``scenario:``, a regional
case's ``preset:``, a TPP scheme's ``amounts_table:``) is refused outside those folders, before
the file is read, accepted inside them, accepted with ``--allow-path``, and a symbolic link that
leads out is refused.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from simulate.cli import main

ENV_VAR = "KINERJA_ALLOW_PATH"  # simulate.paths.ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
TEST_PRESET = ROOT / "params" / "presets" / "test.yaml"
OUTSIDE = "is outside the allowed folders (the scenario's folder, the shipped presets, --allow-path)"
SECRET = "s3cr3t_key_from_outside"
TABLE = ("position_type,golongan_group,amount_idr_per_month\n"
         + "".join(f"{t},{g},1000000\n" for t in ("struktural", "fungsional", "pelaksana") for g in ("I", "II", "III", "IV")))


def kinerja(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    yield
    os.environ.pop(ENV_VAR, None)  # each main() sets it from its --allow-path options: not for later tests


def _scenario_extending(target: Path) -> str:
    return f"extends: {target}\n"


def _tpp(table: str) -> str:
    return (f"extends: {TEST_PRESET}\npolicies:\n  - name: pp30_2019\n"
            f"rewards:\n  - name: tpp\n    params:\n      amounts_table: {table}\n")


# Each kind: (write the referring file in ``here`` naming a file in ``there``) -> the file to validate.
def _extends(here: Path, there: Path) -> Path:
    (there / "base.yaml").write_text(f"extends: {TEST_PRESET}\nname: {SECRET}\n")
    (here / "s.yaml").write_text(_scenario_extending(there / "base.yaml"))
    return here / "s.yaml"


def _policy_file(here: Path, there: Path) -> Path:
    (there / "pol.yaml").write_text((ROOT / "params" / "policies" / "jambi_objective.yaml").read_text()
                                    .replace("name: jambi_objective", f"name: {SECRET}"))
    (here / "s.yaml").write_text(f"extends: {TEST_PRESET}\npolicies:\n  - name: pp30_2019\n"
                                 f"  - file: {there / 'pol.yaml'}\n")
    return here / "s.yaml"


def _sweep_scenario(here: Path, there: Path) -> Path:
    (there / "sc.yaml").write_text(f"extends: {TEST_PRESET}\nname: {SECRET}\n")
    sweep = (ROOT / "params" / "sweeps" / "leniency_grid.yaml").read_text()
    lines = [f"scenario: {there / 'sc.yaml'}" if line.startswith("scenario:") else line for line in sweep.splitlines()]
    (here / "sw.yaml").write_text("\n".join(lines) + "\n")
    return here / "sw.yaml"


def _region_preset(here: Path, there: Path) -> Path:
    (there / "p.yaml").write_text((ROOT / "params" / "regions" / "jambi.yaml").read_text()
                                  .replace("extends: ../baseline.yaml", f"extends: {ROOT / 'params' / 'baseline.yaml'}"))
    case = (ROOT / "params" / "regions" / "cases" / "jambi.yaml").read_text()
    regions = ROOT / "params" / "regions"
    rel = Path(*[".."] * len(regions.resolve().parts[1:])) / str(there / "p.yaml").lstrip("/")
    lines = [f"preset: {rel}" if line.startswith("preset:") else line for line in case.splitlines()]
    (here / "jambi.yaml").write_text("\n".join(lines) + "\n")
    return here / "jambi.yaml"


def _amounts_table(here: Path, there: Path) -> Path:
    (there / "amounts.csv").write_text(TABLE)
    (here / "s.yaml").write_text(_tpp(str(there / "amounts")))
    return here / "s.yaml"


KINDS = {"extends": _extends, "policies[1].file": _policy_file, "scenario": _sweep_scenario,
         "preset": _region_preset, "amounts_table": _amounts_table}


@pytest.fixture()
def folders(tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    return here, there


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_reference_outside_is_refused_by_name_and_never_read(folders, kind):
    here, there = folders
    code, text = kinerja("validate", str(KINDS[kind](here, there)))
    assert code == 2, text
    assert kind in text and OUTSIDE in text and str(there) in text
    assert SECRET not in text and "Traceback" not in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_reference_outside_is_accepted_with_allow_path(folders, kind):
    here, there = folders
    code, text = kinerja("validate", str(KINDS[kind](here, there)), "--allow-path", str(there))
    assert code == 0, text


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_reference_inside_the_scenarios_folder_is_accepted(folders, kind):
    here, _ = folders
    inner = here / "sub"
    inner.mkdir()
    code, text = kinerja("validate", str(KINDS[kind](here, inner)))
    assert code == 0, text


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_symbolic_link_out_of_the_folder_is_refused(folders, kind):
    here, there = folders
    link = here / "link"
    link.symlink_to(there, target_is_directory=True)
    code, text = kinerja("validate", str(KINDS[kind](here, link)))
    assert code == 2, text
    assert OUTSIDE in text and str(there) in text and SECRET not in text


def test_dot_dot_out_of_the_folder_is_refused(folders):
    here, there = folders
    (there / "base.yaml").write_text(f"extends: {TEST_PRESET}\n")
    (here / "s.yaml").write_text("extends: ../there/base.yaml\n")
    code, text = kinerja("validate", str(here / "s.yaml"))
    assert code == 2 and "extends: ../there/base.yaml" in text and OUTSIDE in text


def test_an_absolute_amounts_table_outside_is_refused(tmp_path):
    (tmp_path / "s.yaml").write_text(_tpp("/etc/passwd"))
    code, text = kinerja("validate", str(tmp_path / "s.yaml"))
    assert code == 2 and "amounts_table" in text and "/etc/passwd.csv " + OUTSIDE in text


def test_shipped_presets_and_tables_stay_allowed(tmp_path):
    (tmp_path / "s.yaml").write_text(_tpp("tpp_amounts"))
    assert kinerja("validate", str(tmp_path / "s.yaml"))[0] == 0
    assert kinerja("validate", str(ROOT / "params" / "regions" / "jambi.yaml"),
                   str(ROOT / "params" / "regions" / "cases" / "jambi.yaml"),
                   str(ROOT / "params" / "sweeps" / "leniency_grid.yaml"))[0] == 0


def test_allow_path_must_be_a_folder(tmp_path):
    code, text = kinerja("validate", str(TEST_PRESET), "--allow-path", str(tmp_path / "nosuch"))
    assert code == 2 and "--allow-path" in text and "is not a folder" in text


def test_the_allowed_folders_reach_child_processes(folders):
    """The kernel and the workers read the environment variable the command line sets."""
    import subprocess
    import sys

    here, there = folders
    scenario = _amounts_table(here, there)
    code = f"from simulate.assemble import load_scenario; load_scenario({str(scenario)!r}); print('ok')"
    env = {**os.environ, ENV_VAR: str(there)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr
    env.pop(ENV_VAR)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert OUTSIDE in out.stderr
