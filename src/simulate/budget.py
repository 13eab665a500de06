"""How much work a command asks for, checked before it starts (replications x periods x ASN x arms).

The estimate is rough on purpose (measured on the shipped presets: about 6 microseconds per
employee, period and policy arm, plus a tenth of a second per replication, and about 5 kB of
memory per employee in each worker). Work estimated over :data:`MAX_SECONDS`, or over the
machine's memory, is refused with the estimate unless the user says ``--force``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from simulate.errors import UserError

__all__ = ["MAX_SECONDS", "Estimate", "estimate_work", "check_budget", "machine_memory"]

#: Longest estimated wall time accepted without ``--force`` (seconds).
MAX_SECONDS = 2 * 3600
_SECONDS_PER_REPLICATION = 0.1
_SECONDS_PER_UNIT = 6e-6  # one employee, one period, one policy arm
_BYTES_PER_EMPLOYEE = 5_000
_BYTES_PER_WORKER = 250 * 2**20


@dataclass(frozen=True)
class Estimate:
    """Estimated wall time (seconds) and peak memory (bytes) of a piece of work, and what it is."""

    seconds: float
    memory: float
    what: str

    def describe(self) -> str:
        return f"about {_duration(self.seconds)} and {_size(self.memory)} of memory ({self.what})"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} hours"
    if seconds < 3 * 365 * 86400:
        return f"{seconds / 86400:,.0f} days"
    return f"{seconds / (365 * 86400):,.0f} years"


def _size(nbytes: float) -> str:
    for unit, scale in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20)):
        if nbytes >= scale:
            return f"{nbytes / scale:,.1f} {unit}"
    return f"{nbytes / 2**10:,.0f} kB"


def machine_memory() -> float:
    """Memory available to a run: ``MemAvailable`` where Linux reports it, else the physical memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return float("inf")


def estimate_work(points: list[tuple[int, int, int]], replications: int, workers: int = 1) -> Estimate:
    """Estimate for ``replications`` of each point ``(n_employees, periods, arms)`` on ``workers`` workers."""
    workers = max(1, workers)
    per_rep = sum(_SECONDS_PER_REPLICATION + _SECONDS_PER_UNIT * n * p * a for n, p, a in points)
    seconds = per_rep * replications / min(workers, max(1, replications * len(points)))
    largest = max((n for n, _, _ in points), default=0)
    memory = _BYTES_PER_WORKER + workers * (50 * 2**20 + _BYTES_PER_EMPLOYEE * largest)
    if len(points) == 1:
        n, p, a = points[0]
        what = f"{replications:,} replications x {p:,} periods x {n:,} ASN x {a:,} arms"
    else:
        what = f"{len(points):,} design points x {replications:,} replications"
    return Estimate(seconds, memory, what)


def check_budget(estimate: Estimate, force: bool, options: str) -> None:
    """Refuse work estimated beyond :data:`MAX_SECONDS` or the machine's memory, unless ``force``."""
    if force:
        return
    available = machine_memory()
    over = []
    if estimate.seconds > MAX_SECONDS:
        over.append(f"the limit is {_duration(MAX_SECONDS)}")
    if estimate.memory > available:
        over.append(f"this machine has {_size(available)} available")
    if over:
        raise UserError(f"{options}: this would take {estimate.describe()}; {', '.join(over)}; "
                        "use fewer, or add --force to run it anyway")
