"""The project's own files agree with each other."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    # conda-forge splits dask[distributed] into dask + distributed
    if "dask" in wanted:
        wanted.add("distributed")
    env = yaml.safe_load((root / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    # packages conda-forge does not carry come from PyPI through the pip section
    listed |= {_name(r) for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", [])}
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"


def test_makefile_has_the_documented_targets(root):
    text = (root / "Makefile").read_text()
    for target in ("help", "setup", "run", "test", "bench"):
        assert re.search(rf"^{target}:.*## ", text, re.M), f"make {target} missing or undocumented"
    assert ".DEFAULT_GOAL := help" in text


def test_ci_runs_the_readme_test_command(root):
    ci = (root / ".ci" / "run").read_text()
    readme = (root / "README.md").read_text()
    assert "make test" in ci and "make test" in readme


def test_importing_the_package_has_no_side_effects(tmp_path):
    import subprocess
    import sys

    code = "import logging, simulate, simulate.cli, simulate.cycle; import sys; " \
           "assert not logging.getLogger().handlers; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def installed(root, tmp_path_factory):
    """The wheel built from this checkout, unpacked into a folder of its own (no checkout beside it)."""
    import subprocess
    import sys
    import zipfile

    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(root)], check=True, capture_output=True, text=True)
    wheel = next(out.glob("kinerja-*.whl"))
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
        names = set(z.namelist())
    return target, names


@pytest.mark.slow
def test_the_wheel_ships_presets_notebooks_and_reference_tables(root, installed):
    _, names = installed
    for path in sorted((root / "params").rglob("*.yaml")):
        assert f"simulate/_params/{path.relative_to(root / 'params').as_posix()}" in names, path
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        assert f"simulate/_notebooks/{path.name}" in names, path
    assert any(n.startswith("simulate/_reference/") and n.endswith(".csv") for n in names)


@pytest.mark.slow
def test_the_installed_package_works_from_any_folder(installed, tmp_path):
    import subprocess
    import sys

    site, _ = installed
    env = {**__import__("os").environ, "PYTHONPATH": str(site)}

    def kinerja(*args):
        return subprocess.run([sys.executable, "-m", "simulate.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import simulate, simulate.resources as r; "
                            "print(simulate.__file__); print(r.params_dir()); print(r.notebooks_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(line.startswith(str(site)) for line in where), where  # the installed copy, not the checkout
    ok = kinerja("validate", "baseline")
    assert ok.returncode == 0, ok.stderr
    listing = kinerja("list")
    assert listing.returncode == 0 and "baseline" in listing.stdout and "policy-comparison" in listing.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written where it ran
    # The main job, from the shipped preset and the shipped notebook.
    run = kinerja("run", "test", "--replications", "2", "--out", "out")
    assert run.returncode == 0, run.stderr
    reports = list((tmp_path / "out" / "test").glob("*/report.html"))
    assert len(reports) == 1 and reports[0].stat().st_size > 10_000
