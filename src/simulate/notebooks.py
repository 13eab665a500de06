"""Support for the parameterised notebooks (papermill, JupyterLab).

Each notebook's first cell records the names defined before its ``parameters`` cell; the
``parameters`` cell ends by recording the names it declares; the cell after the (injected)
parameters calls :func:`check_parameters`, which fails on any name papermill injected that the
notebook does not declare (papermill itself only warns). Scenario keys may be injected directly
(``papermill nb.ipynb out.ipynb -f params/x.yaml``): :func:`scenario_from_parameters` merges them
over the ``scenario_file`` and resolves ``extends:`` against the repository's ``params/`` folders.
A notebook's long-running cell reports its progress through :class:`RunProgress`, a bar in the
notebook that also records progress in the run folder, where ``kinerja run`` reads it.
The notebooks themselves are listed in :mod:`simulate.notebook_registry`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from simulate.errors import ScenarioError
from simulate.assemble import expand_policy_files, scenario_from_dict
from simulate.paths import check_inside, is_allowed, scenario_folder
from simulate.resources import checkout_root, params_dir
from simulate.yamlio import deep_merge, load_with_extends
from simulate.scenario.schema import Scenario

__all__ = ["SCENARIO_KEYS", "NotebookParameterError", "check_parameters", "scenario_from_parameters",
           "resolve_path", "output_folder", "write_progress", "read_progress", "RunProgress"]

SCENARIO_KEYS: tuple[str, ...] = tuple(Scenario.model_fields)


class NotebookParameterError(ValueError):
    """A notebook was given a parameter it does not declare."""


def resolve_path(path: str | Path) -> Path:
    """A path as given (from the working folder), else a shipped preset: ``params/x.yaml`` is
    looked up in :func:`simulate.resources.params_dir` (the checkout's or the installed copy), and
    any other relative path under the checkout's root (``data/examples/...``)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    if p.parts and p.parts[0] == "params":
        alt = params_dir().joinpath(*p.parts[1:])
        return alt if alt.exists() else p
    root = checkout_root()
    if root is not None and (root / p).exists():
        return root / p  # e.g. data/examples/... when a notebook runs from notebooks/
    return p


def check_parameters(namespace: dict[str, Any], before: set[str], declared: set[str]) -> None:
    """Fail when ``namespace`` holds names that are neither pre-existing nor declared."""
    unknown = sorted(n for n in set(namespace) - set(before) - set(declared) - {"_declared", "_before", "_after"}
                     if not n.startswith("_") and n not in ("In", "Out", "get_ipython", "exit", "quit", "open"))
    if unknown:
        raise NotebookParameterError(
            f"unknown notebook parameter(s): {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(n for n in declared if not n.startswith('_')))}")


def _resolve_extends(data: dict[str, Any]) -> dict[str, Any]:
    """Injected keys over the file their ``extends:`` names, found from the working folder or
    under ``params/`` (injected keys have no file of their own to be relative to)."""
    parent = data.get("extends")
    if not parent:
        return data
    root = params_dir()
    candidates = [folder / parent for folder in (Path.cwd(), root, *sorted(p for p in root.iterdir() if p.is_dir()))]
    for outside in (c for c in candidates if not is_allowed(c, Path.cwd())):  # refused unless another is inside
        if outside.is_file() and not any(is_allowed(c, Path.cwd()) and c.is_file() for c in candidates):
            check_inside(outside, "extends", Path.cwd(), shown=str(parent))
    for candidate in (c for c in candidates if is_allowed(c, Path.cwd())):
        if candidate.is_file():
            base = load_with_extends(candidate)
            merged = deep_merge(base, {k: v for k, v in data.items() if k != "extends"})
            merged["extends"] = str(candidate)
            return merged
    raise ScenarioError(f"extends: file not found: {parent} (looked in the working folder and under params/)")


def scenario_from_parameters(scenario_file: str, injected: dict[str, Any]) -> Scenario:
    """The scenario a notebook runs: ``scenario_file`` with injected scenario keys merged over it."""
    given = {k: v for k, v in injected.items() if k in SCENARIO_KEYS and v is not None}
    if given.get("extends"):
        data = _resolve_extends(given)
        data = expand_policy_files(data, Path(data["extends"]).parent, source="notebook parameters")
        return scenario_from_dict(data, source="notebook parameters")
    path = resolve_path(scenario_file)
    base = load_with_extends(path) if path.is_file() else None
    if base is None:
        raise ScenarioError(f"scenario_file: scenario file not found: {scenario_file}")
    base.setdefault("name", path.stem)
    with scenario_folder(path.resolve().parent):
        data = expand_policy_files(deep_merge(base, given), path.parent, source=str(path))
        return scenario_from_dict(data, source=str(path))


PROGRESS_FILE = ".progress.json"


def write_progress(folder: str | Path, done: int, total: int) -> None:
    """Record replications done (read by ``kinerja run`` to draw its progress bar)."""
    import json
    import os

    folder = Path(folder)
    tmp = folder / (PROGRESS_FILE + ".tmp")
    tmp.write_text(json.dumps({"done": int(done), "total": int(total)}))
    os.replace(tmp, folder / PROGRESS_FILE)  # atomic: a reader never sees half a file


def read_progress(folder: str | Path) -> tuple[int, int] | None:
    import json

    try:
        data = json.loads((Path(folder) / PROGRESS_FILE).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return None


class RunProgress:
    """The ``progress`` callback of a notebook's run: a bar in the notebook and a progress file.

    Called as ``progress(done, total)`` by :func:`simulate.experiment.run_experiment` and
    :func:`simulate.regions.run_region`; each call moves the bar and rewrites the progress file
    in ``folder`` (:func:`write_progress`), from which ``kinerja run`` draws its own bar.

    Parameters
    ----------
    folder : str or Path
        The run's output folder.
    desc, unit : str
        The bar's label and the name of one step (e.g. ``"replications"``, ``"rep"``).
    """

    def __init__(self, folder: str | Path, desc: str, unit: str):
        self.folder = Path(folder)
        self.bar = tqdm(desc=desc, unit=unit)

    def __call__(self, done: int, total: int) -> None:
        # The total is known only once the run has started (replications x variants), so it is set here.
        self.bar.total = total
        self.bar.update(done - self.bar.n)
        write_progress(self.folder, done, total)

    def close(self) -> None:
        """Close the bar (the progress file stays until ``kinerja run`` removes it)."""
        self.bar.close()


def output_folder(out_dir: str) -> Path:
    """The folder a notebook writes to: ``out_dir``, or a new temporary folder when empty."""
    if out_dir:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return Path(tempfile.mkdtemp(prefix="kinerja-"))
