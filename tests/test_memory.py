"""Allocator settings for national-scale arrays: applied once, reported, and never change results."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

CHECK = """
import json, sys
import numpy as np
from simulate.memory import tune_for_large_arrays
first = tune_for_large_arrays()
again = tune_for_large_arrays()
from simulate.experiment import run_replication
from simulate.assemble import load_scenario
sc = load_scenario(sys.argv[1])
# 60,000 employees: arrays of several MB, above glibc's default mmap threshold, so the settings act
sc = sc.model_copy(update={"population": sc.population.model_copy(update={"n_employees": 60_000})})
df = run_replication(sc, 0, 5)
print(json.dumps({"first": first, "again": again, "metrics": [repr(v) for v in df["value"].tolist()]}))
"""


def _run(env_extra):
    import json
    import os

    env = {**os.environ, **env_extra}
    scenario = str(Path(__file__).resolve().parents[1] / "params" / "baseline.yaml")
    out = subprocess.run([sys.executable, "-c", CHECK, scenario], capture_output=True, text=True, env=env, check=True)
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
    # A whole replication's metrics, to the last bit (repr), with and without the settings.
    assert len(tuned["metrics"]) > 100 and tuned["metrics"] == plain["metrics"]
