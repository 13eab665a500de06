"""Run folders: written under a temporary name, renamed into place only when complete.

``reports/<scenario>/<run-id>/`` never overwrites an earlier run; an interrupted run (an
exception, Ctrl-C) removes its temporary folder, and a killed process leaves only a hidden
``.<run-id>.partial`` folder that is not a report and is swept away by a later run.

Each partial folder holds a lock file, :data:`LOCK_FILE`: the owner's pid, host and start times
(the process's own start time from ``/proc``, so that a reused pid is not taken for the owner).
A later run removes a partial folder only when its owner on this host is gone; another host's
folder is kept for :data:`OTHER_HOST_SECONDS` (its process cannot be seen from here), and a
folder without a lock (an older version's, or one whose lock was never written) for
:data:`STALE_SECONDS`. Folders are made with one atomic ``mkdir`` each, and the final rename (or
the removal after a failure) runs with SIGINT and SIGTERM held back, so that a signal cannot
split it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Iterator

from simulate.errors import UserError

__all__ = ["RunFolder", "LOCK_FILE", "STALE_SECONDS", "OTHER_HOST_SECONDS", "check_out_dir", "package_versions",
           "git_revision", "held_back", "left_behind", "new_run_id", "owner_alive", "process_start_time"]

_PARTIAL = ".partial"
#: The lock file of a partial folder (who writes into it).
LOCK_FILE = ".lock.json"
#: Age after which a partial folder without a lock is taken as abandoned.
STALE_SECONDS = 6 * 3600
#: Age after which another host's partial folder is taken as abandoned.
OTHER_HOST_SECONDS = 7 * 24 * 3600
#: Every run folder this process opened (what an interrupted command reports it left).
OPENED: list["RunFolder"] = []


def process_start_time(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (``/proc/<pid>/stat`` field 22), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        return int(stat[stat.rindex(")") + 2:].split()[19])  # the fields after the command name
    except (OSError, ValueError, IndexError):
        return None


def owner_alive(lock: dict) -> bool:
    """True while the process a lock names (on this host) runs: its pid exists and, where
    ``/proc`` tells, started when the lock says (a reused pid is another process)."""
    try:
        pid = int(lock["pid"])
    except (KeyError, TypeError, ValueError):
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    except OSError:
        return False
    expected, now = lock.get("process_start"), process_start_time(pid)
    return expected is None or now is None or int(expected) == now


@contextmanager
def held_back(signals=(signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """``signals`` held back in this thread inside (delivered on leaving), where the platform can;
    the processes started inside inherit the mask."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, set(signals))
    except (AttributeError, OSError, ValueError):  # pragma: no cover - no signal masks
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


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


def left_behind(since: int = 0) -> list[tuple[str, Path]]:
    """What the run folders of this process (from the ``since``-th on) left on disk:
    ``("complete", final path)`` or ``("partial", temporary path)`` for each that left something."""
    out = []
    for run in OPENED[since:]:
        if run.state == "complete":
            out.append(("complete", run.final_path))
        elif run.state != "new" and os.path.lexists(run.path):
            out.append(("partial", run.path))
    return out


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
        self.state = "new"  #: "open" once made, then "complete" (renamed into place) or "removed"

    def __enter__(self) -> "RunFolder":
        check_out_dir(self.given, self.scenario, self.option)
        self._created: list[Path] = []  #: the parent folders this run made (removed again when it fails)
        self._made = False
        try:
            with held_back():  # a signal meanwhile is delivered once the folder and its lock are whole
                self._make()
        except BaseException as exc:  # an OSError, or that signal: nothing of this run stays
            if self._made:
                shutil.rmtree(self.path, ignore_errors=True)
                self.state = "removed"
            self._remove_created()
            if isinstance(exc, OSError):
                raise UserError(f"{self.option}: cannot write to {self.root}: {_why(exc)}") from None
            raise
        return self

    def _make(self) -> None:
        missing = [p for p in (self.parent, *self.parent.parents) if not os.path.lexists(p)]
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:  # another run made it meanwhile: not ours to remove
                continue
            self._created.append(folder)
        self._sweep_stale()
        suffix, base = 1, self.run_id
        while True:
            if not self.final_path.exists():
                try:
                    self.path.mkdir()  # atomic: of two runs with one id, one gets it, the other the next
                    self._made = True
                    break
                except FileExistsError:
                    pass
            self.final_path = self.parent / f"{base}-{suffix}"
            self.path = self.parent / f".{base}-{suffix}{_PARTIAL}"
            suffix += 1
        self.state = "open"
        OPENED.append(self)
        self._write_lock()

    def _write_lock(self) -> None:
        lock = {"pid": os.getpid(), "host": socket.gethostname(), "started": self.started,
                "process_start": process_start_time(os.getpid()), "run_id": self.final_path.name}
        tmp = self.path / (LOCK_FILE + ".tmp")
        tmp.write_text(json.dumps(lock), encoding="utf-8")  # also the probe that the folder is writable
        os.replace(tmp, self.path / LOCK_FILE)

    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            try:
                folder.rmdir()  # only while empty: another run may have written into it meanwhile
            except OSError:
                break

    def _sweep_stale(self) -> None:
        """Remove the partial folders of runs that are gone (see the module's docstring)."""
        now, host = time.time(), socket.gethostname()
        for old in self.parent.glob(f".*{_PARTIAL}"):
            try:
                age = now - old.stat().st_mtime
                try:
                    lock = json.loads((old / LOCK_FILE).read_text(encoding="utf-8"))
                    if not isinstance(lock, dict):
                        raise ValueError("not a lock")
                except (OSError, ValueError):
                    lock = None
                if lock is None:
                    stale = age > STALE_SECONDS
                elif lock.get("host") == host:
                    stale = not owner_alive(lock)
                else:
                    stale = now - max(float(lock.get("started") or 0), now - age) > OTHER_HOST_SECONDS
                if stale:
                    self._claim_and_remove(old)
            except (OSError, ValueError, TypeError):
                continue

    def _claim_and_remove(self, old: Path) -> None:
        """Rename ``old`` to a name of this process's (atomic: only one sweeper gets it), then remove it."""
        claimed = old.with_name(f"{old.name[:-len(_PARTIAL)]}.swept-{os.getpid()}{_PARTIAL}")
        try:
            os.rename(old, claimed)
        except OSError:
            return  # another sweeper took it, or its owner renamed it into place
        shutil.rmtree(claimed, ignore_errors=True)

    def write_json(self, name: str, payload: dict) -> Path:
        target = self.path / name
        target.write_text(json.dumps(payload, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
        return target

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        with held_back():  # the rename or the removal happens whole, then a pending signal
            if exc_type is None:
                if self.final_path.exists():  # another process finished the same id meanwhile
                    self.final_path = self.parent / f"{self.final_path.name}-{os.getpid()}"
                (self.path / LOCK_FILE).unlink(missing_ok=True)
                os.replace(self.path, self.final_path)
                self.state = "complete"
            else:
                shutil.rmtree(self.path, ignore_errors=True)
                self._remove_created()
                self.state = "removed"
        return False


def manifest_base(command: list[str] | None = None) -> dict:
    """Fields every manifest carries: versions, git revision, command, platform."""
    return {
        "command": command if command is not None else sys.argv,
        "package_versions": package_versions(),
        "git_revision": git_revision(),
        "platform": platform.platform(),
    }
