"""SIGINT and SIGTERM as a clean stop of a command: exit 130 or 143, no traceback, and one line
that says exactly what was left on disk (nothing, the complete report, or a partial folder).

:func:`signals_raise` turns the first SIGINT or SIGTERM in the main thread into
:class:`Interrupted` (a ``KeyboardInterrupt``, so that every ``finally`` and
:class:`simulate.runs.RunFolder` cleans up as for Ctrl-C) and ignores the ones that follow while
the command cleans up. :func:`stop_children` ends the processes a command started (the notebook
kernel and its workers), and :func:`report` prints what was left and gives the exit status.
"""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["Interrupted", "children", "dask_setup", "signals_raise", "stop_children", "report", "without_interrupts"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_since = 0  #: run folders opened before the current command (not its own)


class Interrupted(KeyboardInterrupt):
    """The command was stopped by signal ``signum``."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_raise() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` once inside (main thread only); after the
    first, further ones are ignored until the process ends, so that cleaning up is not cut short."""
    global _since
    from simulate.runs import OPENED

    _since = len(OPENED)
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if fired:
            return
        fired.append(signum)
        raise Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in _SIGNALS}
    try:
        yield
    finally:
        if not fired:  # once fired, the process is on its way out: keep ignoring the next ones
            for s, h in old.items():
                signal.signal(s, h)


def without_interrupts():
    """SIGINT held back inside (:func:`held_back`): the processes started inside inherit the mask,
    so a Ctrl-C to the terminal's process group reaches only this process, which stops them
    itself (with SIGTERM, which they still take)."""
    from simulate.runs import held_back

    return held_back((signal.SIGINT,))


def dask_setup(worker: object = None) -> None:
    """Dask's preload hook (``LocalCluster(preload=["simulate.interrupts"])``): a local worker
    ignores SIGINT, which a terminal sends to the whole process group; the cluster's owner stops it."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_children(before: set[int], grace: float = 3.0, only: set[int] | None = None) -> None:
    """Terminate the processes this one started since ``before`` (pids), and their children
    (of those, the ones in ``only`` and theirs, when given); kill those still running after
    ``grace`` seconds."""
    import psutil

    try:
        kids = [p for p in psutil.Process().children(recursive=False) if p.pid not in before]
        if only is not None:
            kids = [p for p in kids if p.pid in only]
        kids += [c for p in kids for c in _descendants(p)]
    except psutil.Error:
        return
    for proc in kids:
        try:
            proc.terminate()
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(kids, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            continue
    psutil.wait_procs(alive, timeout=grace)


def _descendants(proc) -> list:
    import psutil

    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def children() -> set[int]:
    """The pids of this process's children and their children, now."""
    import psutil

    try:
        return {p.pid for p in psutil.Process().children(recursive=True)}
    except psutil.Error:
        return set()


def report(exc: KeyboardInterrupt) -> int:
    """Print what the interrupted command left; return the exit status (128 + the signal)."""
    from simulate.runs import left_behind

    signum = getattr(exc, "signum", signal.SIGINT)
    left = left_behind(_since)
    if not left:
        what = "nothing was left"
    else:
        what = "; ".join(f"the complete report is at {path}" if kind == "complete" else
                         f"a partial folder could not be removed: {path}" for kind, path in left)
    try:
        print(f"kinerja: interrupted ({signal.Signals(signum).name}); {what}", file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 128 + int(signum)
