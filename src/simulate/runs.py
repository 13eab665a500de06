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

from simulate.errors import UserError

__all__ = ["RunFolder", "check_out_dir", "package_versions", "git_revision", "new_run_id"]

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


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def check_out_dir(root: str | Path, scenario: str, option: str = "--out") -> None:
    """Refuse an output folder that cannot hold ``<root>/<scenario>/<run-id>/``, before any work.

    The folder (or the nearest part of it that exists) must be a writable folder, the
    scenario's folder inside it, if present, a folder too, and every name short enough.
    """
    from simulate.yamlio import MAX_NAME_CHARS, MAX_PATH_CHARS

    text = str(root)
    if not text.strip():
        raise UserError(f"{option}: empty folder name")
    if "\x00" in text:
        raise UserError(f"{option}: the folder name contains a NUL character")
    if not scenario or scenario in (".", "..") or "/" in scenario or "\x00" in scenario:
        raise UserError(f"name: {scenario!r} cannot be a folder name (the run folder is <out>/<name>/)")
    target = Path(root) / scenario
    if len(str(target.absolute())) + 40 > MAX_PATH_CHARS:
        raise UserError(f"{option}: path too long ({len(str(target.absolute())):,} characters; the limit is "
                        f"{MAX_PATH_CHARS - 40} with the run folder)")
    for part in target.parts:
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_CHARS - 40:
            if part == scenario:
                raise UserError(f"name: longer than {MAX_NAME_CHARS - 40} bytes; the name is the run's folder "
                                "(<out>/<name>/), give a shorter one")
            raise UserError(f"{option}: a folder name is longer than {MAX_NAME_CHARS - 40} bytes ({part[:20]}...)")
    try:
        existing = target
        while not os.path.lexists(existing):
            existing = existing.parent
        if not existing.is_dir():
            kind = "a file" if existing.is_file() else "not a folder"
            if existing.is_symlink() and not existing.exists():
                kind = "a broken symbolic link"
            which = f"{existing} (the scenario's folder)" if existing == target else str(existing)
            raise UserError(f"{option}: {which} is {kind}; give a folder to write into")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise UserError(f"{option}: {existing} is not writable")
    except OSError as exc:
        raise UserError(f"{option}: cannot use {root}: {_why(exc)}") from None


class RunFolder:
    """Context manager for one run's output folder.

    >>> with RunFolder("reports", "baseline") as run:   # doctest: +SKIP
    ...     (run.path / "results.csv").write_text("...")
    >>> run.final_path                                     # doctest: +SKIP
    """

    def __init__(self, root: str | Path, scenario: str, run_id: str | None = None, option: str = "--out"):
        self.option = option  #: the command-line option that named ``root`` (for messages)
        self.given = str(root)
        self.root = Path(root)
        self.scenario = scenario
        self.run_id = run_id or new_run_id()
        self.parent = self.root / scenario
        self.path = self.parent / f".{self.run_id}{_PARTIAL}"
        self.final_path = self.parent / self.run_id
        self.started = time.time()

    def __enter__(self) -> "RunFolder":
        check_out_dir(self.given, self.scenario, self.option)
        created: list[Path] = []
        try:
            missing = [p for p in (self.parent, *self.parent.parents) if not os.path.lexists(p)]
            for folder in reversed(missing):
                folder.mkdir()
                created.append(folder)
            self._sweep_stale()
            suffix = 1
            while self.final_path.exists() or self.path.exists():
                self.final_path = self.parent / f"{self.run_id}-{suffix}"
                self.path = self.parent / f".{self.run_id}-{suffix}{_PARTIAL}"
                suffix += 1
            self.path.mkdir()
            created.append(self.path)
            probe = self.path / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            for folder in reversed(created):
                shutil.rmtree(folder, ignore_errors=True)
            raise UserError(f"{self.option}: cannot write to {self.root}: {_why(exc)}") from None
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
