"""Run folders: written under a temporary name, renamed into place only when complete.

``reports/<scenario>/<run-id>/`` never overwrites an earlier run; an interrupted run (an
exception, Ctrl-C) removes its temporary folder, and a killed process leaves only a hidden
``.<run-id>.partial`` folder that is not a report and is swept away by the next run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from types import TracebackType

__all__ = ["RunFolder", "package_versions", "git_revision", "new_run_id"]

_PARTIAL = ".partial"
_STALE_SECONDS = 6 * 3600


def new_run_id(now: datetime | None = None) -> str:
    """A sortable run id: UTC timestamp plus process id (unique on one machine)."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid() % 100000:05d}"


def package_versions(names: tuple[str, ...] = ("kinerja", "numpy", "pandas", "scipy", "statsmodels", "pydantic",
                                                "pyarrow", "matplotlib", "papermill", "dask", "distributed", "SALib")) -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def git_revision(path: Path | None = None) -> str | None:
    """The checkout's commit (with ``-dirty`` when it has changes), or None outside git."""
    cwd = str(path or Path(__file__).resolve().parent)
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                               capture_output=True, text=True, timeout=5)
        return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


class RunFolder:
    """Context manager for one run's output folder.

    >>> with RunFolder("reports", "baseline") as run:   # doctest: +SKIP
    ...     (run.path / "results.csv").write_text("...")
    >>> run.final_path                                     # doctest: +SKIP
    """

    def __init__(self, root: str | Path, scenario: str, run_id: str | None = None):
        self.root = Path(root)
        self.scenario = scenario
        self.run_id = run_id or new_run_id()
        self.parent = self.root / scenario
        self.path = self.parent / f".{self.run_id}{_PARTIAL}"
        self.final_path = self.parent / self.run_id
        self.started = time.time()

    def __enter__(self) -> "RunFolder":
        self.parent.mkdir(parents=True, exist_ok=True)
        self._sweep_stale()
        suffix = 1
        while self.final_path.exists() or self.path.exists():
            self.final_path = self.parent / f"{self.run_id}-{suffix}"
            self.path = self.parent / f".{self.run_id}-{suffix}{_PARTIAL}"
            suffix += 1
        self.path.mkdir()
        return self

    def _sweep_stale(self) -> None:
        now = time.time()
        for old in self.parent.glob(f".*{_PARTIAL}"):
            try:
                if now - old.stat().st_mtime > _STALE_SECONDS:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:
                continue

    def write_json(self, name: str, payload: dict) -> Path:
        target = self.path / name
        target.write_text(json.dumps(payload, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
        return target

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        if exc_type is None:
            if self.final_path.exists():  # another process finished the same id meanwhile
                self.final_path = self.parent / f"{self.final_path.name}-{os.getpid()}"
            os.replace(self.path, self.final_path)
        else:
            shutil.rmtree(self.path, ignore_errors=True)
        return False


def manifest_base(command: list[str] | None = None) -> dict:
    """Fields every manifest carries: versions, git revision, command, platform."""
    return {
        "command": command if command is not None else sys.argv,
        "package_versions": package_versions(),
        "git_revision": git_revision(),
        "platform": platform.platform(),
    }
