"""Process settings that make national-scale arrays cheap to allocate.

A period of the national preset (4.7 million ASN) builds a few hundred temporary arrays of
tens of megabytes. With the defaults, each one costs more to allocate than to compute:

* glibc serves every block above 32 MB with a fresh ``mmap`` and unmaps it on release, so the
  next temporary page-faults (and the kernel zeroes) all of its pages again;
* NumPy asks the kernel for transparent huge pages on every large block (``madvise``), which on
  a machine that defragments on demand adds compaction stalls to those faults.

:func:`tune_for_large_arrays` serves large blocks from the heap and keeps released memory for
reuse, and stops the huge-page requests. On the national period this took the system time
from about 6-10 s to 2 s (``make bench``). Results do not change: only where memory comes from.
The command line (:mod:`simulate.cli`), the benchmarks and the experiment's worker processes
call it; in a notebook, call it once before generating a national-scale population. It is
process-wide and cannot be undone, so the library never calls it on its own. Set the
environment variable ``KINERJA_ALLOCATOR=default`` to keep the defaults.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

__all__ = ["tune_for_large_arrays"]

#: ``mallopt`` parameter numbers (glibc ``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Blocks up to this size come from the heap; freed heap memory above it goes back to the OS.
_THRESHOLD = 1 << 30

_applied: dict[str, bool] | None = None


def tune_for_large_arrays() -> dict[str, bool]:
    """Apply the settings above once per process; return which of them took effect.

    Keys: ``heap_for_large_blocks`` (glibc ``mallopt``; False on other C libraries and
    platforms) and ``no_huge_page_requests`` (NumPy's ``madvise`` switch). Both are False when
    ``KINERJA_ALLOCATOR=default``.
    """
    global _applied
    if _applied is not None:
        return dict(_applied)
    applied = {"heap_for_large_blocks": False, "no_huge_page_requests": False}
    if os.environ.get("KINERJA_ALLOCATOR", "").strip().lower() != "default":
        applied["heap_for_large_blocks"] = _glibc_heap_for_large_blocks()
        applied["no_huge_page_requests"] = _numpy_no_huge_pages()
    _applied = applied
    return dict(applied)


def _glibc_heap_for_large_blocks() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, _THRESHOLD))


def _numpy_no_huge_pages() -> bool:
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # a NumPy without the switch: nothing to turn off
        return False
    _set_madvise_hugepage(False)
    return True
