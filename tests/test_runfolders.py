"""Run folders: a later run never removes a live run's partial folder, only a dead one's.

A run paused for hours (SIGSTOP) keeps its ``.partial`` folder through another run's sweep;
a partial folder whose owner is gone (its pid dead, or reused by another process) is swept;
two runs and a sweep racing on one output folder lose nothing.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulate import runs
from simulate.runs import RunFolder

LOCK_FILE = ".lock.json"  # runs.LOCK_FILE
STALE_SECONDS = 6 * 3600  # runs.STALE_SECONDS

HOLD = """
import os, signal, sys
from simulate.runs import RunFolder
with RunFolder(sys.argv[1], "s", run_id=sys.argv[2]) as run:
    (run.path / "first.txt").write_text("1")
    print(run.path, flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)  # paused: as a run stopped for hours
    (run.path / "second.txt").write_text("2")
print(run.final_path, flush=True)
"""


def _paused_run(out: Path, run_id: str) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out), run_id], stdout=subprocess.PIPE, text=True)
    partial = Path(proc.stdout.readline().strip())
    deadline = time.time() + 30
    while time.time() < deadline:  # wait until it is stopped
        with open(f"/proc/{proc.pid}/stat") as fh:
            if fh.read().rsplit(")", 1)[1].split()[0] == "T":
                break
        time.sleep(0.02)
    return proc, partial


def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _partial(parent: Path, name: str, lock: dict | None, age: float) -> Path:
    folder = parent / f".{name}.partial"
    folder.mkdir(parents=True)
    (folder / "results.parquet").write_text("x")
    if lock is not None:
        (folder / LOCK_FILE).write_text(json.dumps(lock))
    _age(folder, age)
    return folder


def test_a_paused_runs_folder_survives_a_sweep_and_the_run_completes(tmp_path):
    proc, partial = _paused_run(tmp_path, "20260101T000000Z-00001")
    try:
        _age(partial, 7 * 3600)
        with RunFolder(tmp_path, "s") as other:  # its sweep sees a 7-hour-old partial folder
            pass
        assert partial.is_dir() and (partial / "first.txt").is_file()
        assert (partial / LOCK_FILE).is_file()
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    final = Path(proc.stdout.readline().strip())
    assert proc.wait(timeout=30) == 0
    assert sorted(p.name for p in final.iterdir()) == ["first.txt", "second.txt"]  # no lock left in a report
    assert other.final_path.is_dir()


def test_a_dead_owners_folder_is_swept(tmp_path):
    host = socket.gethostname()
    dead = _partial(tmp_path / "s", "dead", {"pid": _dead_pid(), "host": host, "started": time.time()}, 60)
    reused = _partial(tmp_path / "s", "reused", {"pid": os.getpid(), "host": host, "started": time.time(),
                                                 "process_start": (runs.process_start_time(os.getpid()) or 0) + 1}, 60)
    with RunFolder(tmp_path, "s"):
        pass
    assert not dead.exists() and not reused.exists()
    assert [p.name for p in (tmp_path / "s").iterdir() if p.name.startswith(".")] == []


def test_another_hosts_folder_is_kept_a_week_and_an_unlocked_one_six_hours(tmp_path):
    parent = tmp_path / "s"
    other = {"pid": 1, "host": "elsewhere.example", "started": time.time() - 3 * 86400}
    kept = _partial(parent, "other-3d", other, 3 * 86400)
    gone = _partial(parent, "other-8d", {**other, "started": time.time() - 8 * 86400}, 8 * 86400)
    fresh = _partial(parent, "unlocked-1h", None, 3600)
    old = _partial(parent, "unlocked-7h", None, STALE_SECONDS + 3600)
    with RunFolder(tmp_path, "s"):
        pass
    assert kept.exists() and fresh.exists()
    assert not gone.exists() and not old.exists()


def test_owner_alive_sees_this_process_and_not_a_dead_one():
    me = {"pid": os.getpid(), "process_start": runs.process_start_time(os.getpid())}
    assert runs.owner_alive(me)
    assert not runs.owner_alive({"pid": _dead_pid()})
    assert not runs.owner_alive({"pid": "x"}) and not runs.owner_alive({})


def test_two_runs_and_a_sweep_racing_on_one_folder_lose_nothing(tmp_path):
    """Two runs with the same id, one paused with an old folder, and a third run sweeping."""
    run_id = "20260101T000000Z-00002"
    first, first_partial = _paused_run(tmp_path, run_id)
    second, second_partial = _paused_run(tmp_path, run_id)  # the same id: the atomic mkdir gives it the next
    try:
        assert first_partial != second_partial and first_partial.is_dir() and second_partial.is_dir()
        for partial in (first_partial, second_partial):
            _age(partial, 7 * 3600)
        dead = _partial(tmp_path / "s", "dead", {"pid": _dead_pid(), "host": socket.gethostname()}, 7 * 3600)
        with RunFolder(tmp_path, "s", run_id=run_id) as third:
            (third.path / "x.txt").write_text("3")
        assert not dead.exists()
    finally:
        os.kill(first.pid, signal.SIGCONT)
        os.kill(second.pid, signal.SIGCONT)
    finals = [Path(p.stdout.readline().strip()) for p in (first, second)]
    assert first.wait(timeout=30) == 0 and second.wait(timeout=30) == 0
    assert len({*finals, third.final_path}) == 3
    for final in finals:
        assert sorted(p.name for p in final.iterdir()) == ["first.txt", "second.txt"]
    assert [p.name for p in (tmp_path / "s").iterdir() if p.name.startswith(".")] == []


def test_a_failed_run_removes_the_empty_folders_it_made(tmp_path):
    (tmp_path / "keep").mkdir()
    with pytest.raises(RuntimeError):
        with RunFolder(tmp_path / "keep" / "a" / "b", "s"):
            raise RuntimeError("boom")
    assert list((tmp_path / "keep").iterdir()) == []
    (tmp_path / "mine" / "s" / "older").mkdir(parents=True)
    with pytest.raises(RuntimeError):
        with RunFolder(tmp_path / "mine", "s"):
            raise RuntimeError("boom")
    assert [p.name for p in (tmp_path / "mine" / "s").iterdir()] == ["older"]  # not its own: kept


def test_an_interrupt_after_the_rename_names_the_complete_folder(tmp_path, capsys):
    from simulate import interrupts

    with pytest.raises(KeyboardInterrupt) as caught:
        with interrupts.signals_raise():
            with RunFolder(tmp_path, "s") as run:
                (run.path / "report.html").write_text("<html>")
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises first
    assert interrupts.report(caught.value) == 143
    assert f"interrupted (SIGTERM); the complete report is at {run.final_path}" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # later signals are ignored while exiting
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
