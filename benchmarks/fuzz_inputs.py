"""Run generated bad inputs through ``kinerja validate`` and the run's assembly, and count what went wrong.

    python benchmarks/fuzz_inputs.py [N] [SEED] [--run-accepted]    # default 2,000 inputs, seed 0

Each input is a shipped scenario, policy or sweep file mutated so that it must be refused (or,
for a truncated file, at least not crash); see ``tests/fuzzing.py``. Every input goes through
``kinerja validate`` and through the assembly step of the command that runs it
(:func:`simulate.runplan.assemble_run` for a scenario, ``load_sweep`` for a sweep), which must
agree; every sixth input goes through that command itself (``kinerja run`` with
``--replications 2 --periods 1``, or ``kinerja sweep``), which must refuse what validate refuses
before writing anything. With ``--run-accepted`` every scenario validate accepts is run for real
too (a notebook each, a minute or more), and any that then fails is counted.

Prints the counts (refused, field not named, tracebacks, hangs, wrongly accepted, validate/run
disagreements, files written, accepted files failing for real) and the first examples of each;
exits 1 if any traceback, hang, wrongly accepted input, disagreement or written file was found.
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import assemble_case, command_for, command_options, copy_params, generate, run_case, tally  # noqa: E402

#: Seconds a real run of an accepted input may take (the mutants of the national preset are large).
REAL_RUN_TIMEOUT = 900


def main(n: int = 2000, seed: int = 0, run_accepted: bool = False) -> int:
    cases = generate(n, seed)
    started = time.perf_counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_params(Path(tmp))
        before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
        outcomes, disagreements, assembly_crashes = [], 0, 0
        for case in cases:
            o = run_case(case, folder)
            a = assemble_case(case, folder)
            outcomes.append(o)
            if a.crashed:
                assembly_crashes += 1
                examples["assembly traceback"].append(f"{case.describe()}\n{a.message[-600:]}")
            elif a.accepted != (o.code == 0):
                disagreements += 1
                examples["validate/run disagree"].append(
                    f"{case.describe()}: validate exit {o.code}, assembly {'accepted' if a.accepted else 'refused'}\n"
                    f"{(o.output + a.message).strip()[-600:]}")
        # every 6th input (accepted or not) also goes to the command that would run it, and with
        # --run-accepted every input validate accepts
        out_root = Path(tmp) / "out"
        through, real, real_failed, folders_left = [], 0, 0, 0
        for i, (case, o) in enumerate(zip(cases, outcomes)):
            out = out_root / f"case{i}"
            accepted = o.code == 0
            if not (i % 6 == 0 or (accepted and run_accepted)):
                continue
            if accepted and (case.source.startswith(("sweeps/", "policies/")) or not run_accepted):
                continue  # nothing runs a policy file alone; a valid sweep or scenario runs for real only if asked
            t = run_case(case, folder, timeout=REAL_RUN_TIMEOUT if accepted else 20, command=command_for(case),
                         extra=command_options(case, out))
            if accepted:
                real += 1
                if t.code != 0 or t.traceback or t.hung:
                    real_failed += 1
                    examples["accepted, failed when run"].append(f"{case.describe()}: exit {t.code}\n{t.output.strip()[-600:]}")
                shutil.rmtree(out, ignore_errors=True)
                continue
            through.append(t)
            if out.exists():
                folders_left += 1
                examples["folder written"].append(f"{case.describe()}: {sorted(p.name for p in out.rglob('*'))}")
        # (the run folders under out/ are counted case by case above, as folders_left)
        written = [p for p in sorted(p.relative_to(folder) for p in folder.rglob("*"))
                   if p not in before and p.name not in ("_fuzz.yaml",) and p.parts[0] != out_root.name]
        examples["file written"] += [str(p) for p in written]
    counts = tally(outcomes)
    counts["validate_run_disagreements"] = disagreements
    counts["assembly_tracebacks"] = assembly_crashes
    counts["files_written"] = len(written) + folders_left
    run_counts = tally(through)
    counts["run_or_sweep_refused_inputs"] = run_counts["inputs"]
    counts["run_or_sweep_not_refused_or_crashed"] = sum(o.code != 2 or o.traceback or o.hung for o in through)
    counts["accepted_run_for_real"] = real
    counts["accepted_failed_when_run"] = real_failed
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
    for label, lines in examples.items():
        for line in lines[:8]:
            print(f"--- {label}: {line}")
    bad = (counts["tracebacks"] or counts["hangs"] or counts["wrongly_accepted"] or counts["files_written"]
           or disagreements or assembly_crashes or counts["run_or_sweep_not_refused_or_crashed"] or real_failed)
    return 1 if bad else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="generated inputs (default 2000)")
    parser.add_argument("seed", nargs="?", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--run-accepted", action="store_true",
                        help="also run for real (kinerja run --replications 2 --periods 1) every scenario "
                             "validate accepts")
    args = parser.parse_args()
    sys.exit(main(args.n, args.seed, args.run_accepted))
