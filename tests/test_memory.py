"""Allocator settings for national-scale arrays: applied once, reported, and never change results."""

from __future__ import annotations

import platform
import subprocess
import sys

import numpy as np

CHECK = """
import json, sys
import numpy as np
from simulate.memory import tune_for_large_arrays
first = tune_for_large_arrays()
again = tune_for_large_arrays()
x = np.random.default_rng(1).standard_normal(6_000_000)  # a 48 MB block, above glibc's mmap ceiling
print(json.dumps({"first": first, "again": again, "sum": float((x * 2).sum())}))
"""


def _run(env_extra):
    import json
    import os

    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def test_settings_apply_once_and_do_not_change_numbers():
    tuned = _run({})
    plain = _run({"KINERJA_ALLOCATOR": "default"})
    assert tuned["first"] == tuned["again"]
    if sys.platform.startswith("linux"):
        assert tuned["first"]["no_huge_page_requests"] is True
        if platform.libc_ver()[0] == "glibc":
            assert tuned["first"]["heap_for_large_blocks"] is True
    assert plain["first"] == {"heap_for_large_blocks": False, "no_huge_page_requests": False}
    assert tuned["sum"] == plain["sum"]
    np.testing.assert_allclose(tuned["sum"], 2 * np.random.default_rng(1).standard_normal(6_000_000).sum())
