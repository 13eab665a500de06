"""The project's own files agree with each other."""

from __future__ import annotations

import re
import tomllib

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
