"""Run generated bad inputs through ``kinerja validate`` and count what went wrong.

    python benchmarks/fuzz_inputs.py [N] [SEED]     # default 2,000 inputs, seed 0

Each input is a shipped scenario, policy or sweep file mutated so that it must be refused (or,
for a truncated file, at least not crash); see ``tests/fuzzing.py``. Prints the counts
(tracebacks, hangs, wrongly accepted, refusals that do not name the field) and the first
examples of each problem; exits 1 if any traceback, hang or wrongly accepted input was found.
"""

from __future__ import annotations

import collections
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import command_for, copy_params, generate, run_case, tally  # noqa: E402


def main(n: int = 2000, seed: int = 0) -> int:
    cases = generate(n, seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_params(Path(tmp))
        before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
        outcomes = [run_case(c, folder) for c in cases]
        # every 10th input that must be refused also goes to the command that would run it
        out = Path(tmp) / "out"
        through = [run_case(c, folder, command=command_for(c), extra=("--out", str(out)))
                   for c in [c for c in cases if c.must_refuse][::10]]
        made_out = out.exists()
        written = [p for p in sorted(p.relative_to(folder) for p in folder.rglob("*"))
                   if p not in before and p.name not in ("_fuzz.yaml",)]
    counts = tally(outcomes)
    counts["files_written"] = len(written) + int(made_out)
    run_counts = tally(through)
    counts["run_or_sweep_inputs"] = run_counts["inputs"]
    counts["run_or_sweep_not_refused_or_crashed"] = sum(o.code != 2 or o.traceback or o.hung for o in through)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["slowest_seconds"] = round(max(o.seconds for o in outcomes), 2)
    counts["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(counts, indent=2))
    print("by kind:", dict(collections.Counter(c.kind for c in cases)))
    for label, bad in (("traceback", [o for o in outcomes if o.traceback]), ("hang", [o for o in outcomes if o.hung]),
                       ("wrongly accepted", [o for o in outcomes if o.wrongly_accepted]),
                       ("field not named", [o for o in outcomes if o.unnamed])):
        for o in bad[:8]:
            print(f"--- {label}: {o.case.describe()}\n{o.output.strip()[-600:]}")
    bad = counts["tracebacks"] or counts["hangs"] or counts["wrongly_accepted"] or counts["files_written"]
    return 1 if bad or counts["run_or_sweep_not_refused_or_crashed"] else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
