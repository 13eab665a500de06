"""Benchmarks: print speed and memory figures (``make bench``). Never asserted in tests.

Each measurement runs in a fresh subprocess pinned to one core, so peak memory (max RSS) is that
measurement's own. Usage::

    python benchmarks/run.py                 # everything
    python benchmarks/run.py period scaling  # chosen sections
    python benchmarks/run.py --quick         # smaller sizes (a smoke run)
    python benchmarks/run.py cycle --employees 1000000   # one full cycle at one size
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __name__ == "__main__" and sys.argv[1:2] == ["--child"] and sys.argv[2] not in ("experiment", "memory"):
    # One core means one BLAS thread too (see MULTI_CORE): the count is fixed when NumPy loads its BLAS.
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _pin_one_core() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass


def _scenario(n: int | None = None):
    from simulate.assemble import load_scenario

    sc = load_scenario(ROOT / "params" / "baseline.yaml")
    if n is not None:
        sc = sc.model_copy(update={"population": sc.population.model_copy(update={"n_employees": n})})
    return sc


# --- measurements (run inside the child process) ---------------------------------------------


def m_period(n: int, repeats: int) -> dict:
    """One full period of evidence (population, truth, work, citizens, raters)."""
    from simulate.cycle import simulate_period

    sc = _scenario(n)
    simulate_period(sc, seed=0)  # warm-up: imports, reference tables
    times = []
    for r in range(repeats):
        t = time.perf_counter()
        simulate_period(sc, seed=r + 1)
        times.append(time.perf_counter() - t)
    return {"n": n, "seconds_median": statistics.median(times), "seconds_min": min(times), "repeats": repeats}


def m_stage(n: int) -> dict:
    """Seconds per stage for one period of ``n`` employees."""
    from simulate import citizens
    from simulate.population import generate_population
    from simulate.raters import generate_ratings
    from simulate.rng import stream
    from simulate.work import generate_truth, generate_work

    sc = _scenario(n)
    out = {"n": n}
    t = time.perf_counter()
    pop = generate_population(sc.population, stream(1, "population"))
    out["population_s"] = time.perf_counter() - t
    t = time.perf_counter()
    truth = generate_truth(pop, sc.truth, 12, stream(1, "truth"))
    out["truth_s"] = time.perf_counter() - t
    t = time.perf_counter()
    generate_work(pop, truth, sc.work, sc.truth, 12, stream(1, "work"))
    out["work_s"] = time.perf_counter() - t
    t = time.perf_counter()
    points, _ = citizens.service_points(pop, truth, sc.citizens.services)
    citizens.simulate_service(points, sc.citizens, 12, stream(1, "citizens"))
    out["citizens_s"] = time.perf_counter() - t
    t = time.perf_counter()
    generate_ratings(pop, truth, sc.raters, sc.truth, sc.appraisal, 0, stream(1, "raters"))
    out["raters_s"] = time.perf_counter() - t
    out["total_s"] = sum(v for k, v in out.items() if k.endswith("_s"))
    return out


def m_policies(repeats: int) -> dict:
    """Milliseconds per policy and per reward scheme on one baseline period."""
    from simulate.cycle import simulate_period
    from simulate.policies import get_policy
    from simulate.policies.base import validate_policy_params
    from simulate.rewards import apply_reward

    sc = _scenario()
    out = {}
    for spec in sc.policies:
        info = get_policy(spec.rule)
        params = validate_policy_params(spec.rule, spec.params)
        times = []
        for r in range(repeats):
            ev = simulate_period(sc, seed=r).evidence  # fresh evidence: no memoised result
            t = time.perf_counter()
            appraisal = info.score(ev, params)
            times.append(time.perf_counter() - t)
        out[f"policy:{spec.name}"] = 1000 * statistics.median(times)
    period = simulate_period(sc, seed=99)
    appraisal = get_policy("pp30_2019").score(period.evidence, validate_policy_params("pp30_2019", {}))
    for rspec in sc.rewards:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            apply_reward(appraisal, period.population, period.evidence, rspec.rule, rspec.params)
            times.append(time.perf_counter() - t)
        out[f"reward:{rspec.name}"] = 1000 * statistics.median(times)
    return out


def m_experiment(replications: int, workers: int, executor: str, n: int | None = None, periods: int | None = None) -> dict:
    """Wall time of an experiment (every built-in policy), run from a separate process."""
    import tempfile

    from simulate.experiment import run_experiment

    sc = _scenario(n)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        res = run_experiment(sc, replications, Path(tmp) / "r.parquet", executor=executor, workers=workers,
                             periods=periods)
        seconds = time.perf_counter() - t
    return {"replications": replications, "workers": workers, "executor": executor, "seconds": seconds,
            "rows": res.rows, "n": sc.population.n_employees}


def m_memory(replications: int, n: int) -> dict:
    """Peak RSS of the parent at 10%, 50% and 100% of a long run on two worker processes (streaming)."""
    import tempfile

    from simulate.experiment import run_experiment

    sc = _scenario(n)
    marks = {}
    checkpoints = {max(1, replications // 10): "10%", replications // 2: "50%", replications: "100%"}

    def progress(done, total):
        if done in checkpoints:
            marks[checkpoints[done]] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        run_experiment(sc, replications, Path(tmp) / "r.parquet", progress=progress, executor="processes", workers=2)
        seconds = time.perf_counter() - t
        size = (Path(tmp) / "r.parquet").stat().st_size
    return {"replications": replications, "n": n, "seconds": seconds, "rss_mb": marks, "parquet_mb": size / 2**20}


def m_fastpaths(n: int, repeats: int) -> dict:
    """Milliseconds of each re-implementation kept for speed against the library call it equals."""
    import timeit

    import numpy as np

    from scipy import stats

    from simulate.metrics.core import average_ranks
    from simulate.policies.arrays import _sort_by_group, row_sum

    rng = np.random.default_rng(0)
    v = rng.normal(size=(n, 4))
    key, codes = np.round(rng.normal(size=n), 2), rng.integers(0, max(1, n // 8), n)
    x = np.round(rng.normal(size=n), 3)
    levels = 4.0 - rng.choice(5, size=n, p=[0.1, 0.7, 0.15, 0.04, 0.01])  # a rank by predikat: 4 - predikat
    number = max(1, 20_000 // n)

    def ms(fn) -> float:
        return 1000 * min(timeit.repeat(fn, number=number, repeat=repeats)) / number

    return {"n": n, "pairs": {
        "row_sum vs ndarray.sum(axis=1) (n x 4)": (ms(lambda: row_sum(v)), ms(lambda: v.sum(axis=1))),
        "_sort_by_group vs np.lexsort": (ms(lambda: _sort_by_group(key, codes)), ms(lambda: np.lexsort((key, codes)))),
        "average_ranks vs scipy.stats.rankdata": (ms(lambda: average_ranks(x)), ms(lambda: stats.rankdata(x))),
        "average_ranks vs rankdata (five levels)": (ms(lambda: average_ranks(levels)), ms(lambda: stats.rankdata(levels))),
        "ranks' stable vs default sort (five levels)": (ms(lambda: np.argsort(levels, kind="stable")),
                                                        ms(lambda: np.argsort(levels))),
    }}


def m_distribution(replications: int, repeats: int, periods: int | None = None) -> dict:
    """CPU time of an experiment (local) with and without distribution.parquet, interleaved runs."""
    import tempfile

    from simulate.experiment import run_experiment

    sc = _scenario()
    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        run_experiment(sc, 1, Path(tmp) / "warm.parquet", periods=periods)
        for k in range(repeats):
            for flag in (False, True):
                t = time.process_time()
                run_experiment(sc, replications, Path(tmp) / f"r{k}{flag}.parquet", periods=periods, distribution=flag)
                times[flag].append((time.process_time() - t) / replications)
    added = [b - a for a, b in zip(times[False], times[True])]
    return {"without_ms": 1000 * statistics.median(times[False]), "with_ms": 1000 * statistics.median(times[True]),
            "added_ms": 1000 * statistics.median(added), "periods": periods or sc.dynamics.periods}


#: What the indicator-objectivity metrics (issue 12) cost: the functions switched off for the
#: "without" figure, by module and name (each replaced by one that returns nothing).
INDICATOR_HOOKS = (("simulate.metrics.core", "indicator_metrics"), ("simulate.metrics.core", "rating_metrics"),
                   ("simulate.metrics.core", "kind_truth_ranks"), ("simulate.metrics.core", "kind_validity"),
                   ("simulate.replication", "indicator_change_metrics"))


def m_indicators(replications: int, repeats: int, periods: int | None = None) -> dict:
    """CPU time of a baseline replication with and without the indicator metrics, interleaved runs.

    With: every metric (per indicator and kind: validity, variance shares, gaming gap and its
    change, inter-indicator r; the dimension ratings' halo, validity, spread, leniency spread,
    attribution errors, supervisor-peer agreement; policies' validity within each kind of office).
    Without: those functions return nothing (``INDICATOR_HOOKS``); everything else is the same.
    """
    import importlib

    from simulate.experiment import run_replication

    sc = _scenario()
    hooks = [(importlib.import_module(m), name) for m, name in INDICATOR_HOOKS]
    real = {(mod.__name__, name): getattr(mod, name) for mod, name in hooks if hasattr(mod, name)}

    def switch(on: bool) -> None:
        for mod, name in hooks:
            if (mod.__name__, name) in real:
                setattr(mod, name, real[(mod.__name__, name)] if on else (lambda *a, **k: {}))

    run_replication(sc, 0, 0, periods=periods)  # warm-up: imports, reference tables
    times: dict[bool, list[float]] = {False: [], True: []}
    for k in range(repeats):
        for flag in (False, True):
            switch(flag)
            t = time.process_time()
            for r in range(replications):
                run_replication(sc, r, 1000 * k + r, periods=periods)
            times[flag].append((time.process_time() - t) / replications)
    switch(True)
    added = [b - a for a, b in zip(times[False], times[True])]
    return {"without_ms": 1000 * statistics.median(times[False]), "with_ms": 1000 * statistics.median(times[True]),
            "added_ms": 1000 * statistics.median(added), "periods": periods or sc.dynamics.periods}


def m_cycle(n: int, distribution: bool = False) -> dict:
    """One full cycle of ``n`` employees: population, evidence, every built-in policy, follow-ups, metrics.

    One replication of one period (``run_replication``; with ``distribution``, also the who gains
    and who loses table), timed in wall-clock and in this process's CPU time (user + system).
    """
    from simulate.experiment import run_replication, run_replication_frames

    sc = _scenario(n)
    run = run_replication_frames if distribution else run_replication
    wall, cpu = time.perf_counter(), time.process_time()
    run(sc, 0, sc.seed, periods=1)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"n": n, "seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
            "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime, "minor_faults": usage.ru_minflt,
            "policies": len(sc.policies), "distribution": distribution}


MEASUREMENTS = {"cycle": m_cycle, "fastpaths": m_fastpaths, "period": m_period, "stage": m_stage, "policies": m_policies, "experiment": m_experiment,
                "memory": m_memory, "distribution": m_distribution}

MEASUREMENTS["indicators"] = m_indicators

#: Measurements that use every core (the others are pinned to one core).
MULTI_CORE = {"experiment", "memory"}


def _crossed_ratings(n: int, seed: int = 1):
    """``n`` ratings: n/10 employees, n/80 raters assigned at random, three dimensions (fixed)."""
    rng = np.random.default_rng(seed)
    n_e, n_r = n // 10, max(n // 80, 5)
    e, r, d = rng.integers(0, n_e, n), rng.integers(0, n_r, n), rng.integers(0, 3, n)
    y = 50 + 2 * d + rng.normal(0, 3, n_e)[e] + rng.normal(0, 4, n_r)[r] + rng.normal(0, 5, n)
    return e, r, d, y


def m_estimate(n: int, repeats: int) -> dict:
    """Seconds of one REML fit of rating ~ dimension + (1 | employee) + (1 | rater) on ``n`` ratings."""
    from simulate.estimate.reml import fit_crossed

    e, r, d, y = _crossed_ratings(n)
    _, e = np.unique(e, return_inverse=True)
    _, r = np.unique(r, return_inverse=True)
    x = np.column_stack([np.ones(n), d == 1, d == 2]).astype(float)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fit = fit_crossed(y, e, r, x)
        times.append(time.perf_counter() - t0)
    return {"seconds_median": float(np.median(times)), "variances": fit.variances}


_LMER = """suppressMessages(library(lme4)); d <- read.csv(commandArgs(TRUE)[1])
d$e <- factor(d$e); d$r <- factor(d$r); d$d <- factor(d$d)
t <- replicate(as.integer(commandArgs(TRUE)[2]), system.time(m <<- lmer(y ~ d + (1|e) + (1|r), data = d))["elapsed"])
v <- as.data.frame(VarCorr(m))$vcov; cat(median(t), v, "\n")"""


def _lmer_seconds(n: int, repeats: int) -> tuple[float, list[float]] | None:
    """lme4's median time for the same data (the reference; only where R and lme4 are installed)."""
    import shutil
    import tempfile

    if shutil.which("Rscript") is None:
        return None
    e, r, d, y = _crossed_ratings(n)
    with tempfile.TemporaryDirectory() as tmp:
        csv, script = Path(tmp) / "d.csv", Path(tmp) / "fit.R"
        np.savetxt(csv, np.column_stack([e, r, d, y]), delimiter=",", header="e,r,d,y", comments="", fmt=["%d", "%d", "%d", "%.10g"])
        script.write_text(_LMER)
        out = subprocess.run(["Rscript", str(script), str(csv), str(repeats)], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    values = [float(v) for v in out.stdout.split()]
    return values[0], values[1:]


MEASUREMENTS["estimate"] = m_estimate


def m_classic(model: str, size: int) -> dict:
    """Seconds of one classic model with its default design (kinerja classic NAME)."""
    from simulate.classic import run

    t = time.perf_counter()
    result = run(model, size=size, seed=0)
    return {"model": model, "size": size, "seconds": time.perf_counter() - t, "conditions": len(result.conditions)}


MEASUREMENTS["classic"] = m_classic


def m_workshop(repeats: int) -> dict:
    """Milliseconds of each workshop panel's redraw (data, figure, PNG) per slider move, workshop preset."""
    from simulate.workshop import PANELS, Workshop
    from simulate.workshop.settings import SLIDERS, Settings

    t = time.perf_counter()
    ws = Workshop(Settings(), lang="id")  # opening: the kabupaten simulated once, every panel drawn
    opening = time.perf_counter() - t
    moves = []  # each control moved ``repeats`` times, back and forth across its range
    for name, (low, high, step) in SLIDERS.items():
        default = getattr(ws.settings, name)
        for r in range(repeats):
            value = low + (high - low) * (r + 1) / (repeats + 1)
            moves.append((name, int(round(value)) if name == "team_size" else round(value / step) * step))
        moves.append((name, default))
    for r in range(repeats):
        moves += [("stakes", r % 2 == 0), ("curve", ("enforce", "off", "warn")[r % 3])]
    moves += [("stakes", True), ("curve", "warn")]
    for timings in ws.timings.values():
        timings.clear()
    per_move = {}
    for name, value in moves:
        t = time.perf_counter()
        if ws.set(name, value):
            per_move.setdefault(name, []).append(time.perf_counter() - t)
    return {"opening_s": opening,
            "panels": {p: [1000 * statistics.median(v), 1000 * min(v), 1000 * max(v), len(v)]
                       for p, v in ws.timings.items()},
            "moves": {c: [1000 * statistics.median(v), 1000 * max(v)] for c, v in per_move.items()},
            "reads": {p: list(panel.controls) for p, panel in PANELS.items()}}


MEASUREMENTS["workshop"] = m_workshop


def _child(name: str, kwargs: dict) -> None:
    from simulate.memory import tune_for_large_arrays

    if name not in MULTI_CORE:
        _pin_one_core()
    tune_for_large_arrays()  # as the command line does (KINERJA_ALLOCATOR=default keeps the defaults)
    result = MEASUREMENTS[name](**kwargs)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run(name: str, **kwargs) -> dict:
    cmd = [sys.executable, __file__, "--child", name, json.dumps(kwargs)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"benchmark {name} {kwargs} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- sections (run in the parent, print figures) ----------------------------------------------


def section_period(quick: bool) -> None:
    r = _run("period", n=4500, repeats=3 if quick else 10)
    print(f"One full period of evidence, baseline kabupaten (4,500 ASN), one core: "
          f"median {r['seconds_median']:.3f} s (min {r['seconds_min']:.3f} s over {r['repeats']}), "
          f"peak RSS {r['peak_rss_mb']:.0f} MB")


def section_scaling(quick: bool) -> None:
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000, 4_734_041]
    print("Scaling of one period (population + truth + work + citizens + raters), one core:")
    print(f"  {'employees':>10} {'seconds':>8} {'us/employee':>12} {'peak MB':>8}   stages (s)")
    for n in sizes:
        r = _run("stage", n=n)
        stages = ", ".join(f"{k[:-2]} {v:.2f}" for k, v in r.items() if k.endswith("_s") and k != "total_s")
        print(f"  {n:>10,} {r['total_s']:>8.2f} {1e6 * r['total_s'] / n:>12.2f} {r['peak_rss_mb']:>8.0f}   {stages}")


def section_policies(quick: bool) -> None:
    r = _run("policies", repeats=3 if quick else 10)
    print("Each policy and reward scheme on one baseline period (4,500 ASN), one core, median ms:")
    for key, ms in r.items():
        if ":" in key:
            kind, name = key.split(":", 1)
            print(f"  {kind:7s} {name:22s} {ms:7.1f} ms")


def section_experiment(quick: bool) -> None:
    reps = 200 if quick else 1000
    cores = os.cpu_count() or 1
    r = _run("experiment", replications=reps, workers=cores, executor="processes")
    print(f"{reps:,} replications of the baseline kabupaten under every built-in policy "
          f"({r['workers']} worker processes, {cores} cores): {r['seconds']:.1f} s "
          f"({1000 * r['seconds'] / reps:.0f} ms per replication wall-clock, {r['rows']:,} result rows)")


def section_dynamics(quick: bool) -> None:
    reps = 10 if quick else 100
    cores = os.cpu_count() or 1
    r = _run("experiment", replications=reps, workers=cores, executor="processes", periods=10)
    print(f"{reps} replications of a 10-year run (yearly periods) of the baseline kabupaten under every built-in "
          f"policy ({r['workers']} worker processes): {r['seconds']:.1f} s ({r['seconds'] / reps:.2f} s per replication)")


def section_memory(quick: bool) -> None:
    reps = 500 if quick else 10_000
    r = _run("memory", replications=reps, n=60)
    marks = ", ".join(f"{k} {v:.0f} MB" for k, v in r["rss_mb"].items())
    print(f"Memory of a {reps:,}-replication run (60-ASN scenario, 2 worker processes, parent process streaming to Parquet): "
          f"peak RSS at {marks}; {r['seconds']:.0f} s; results {r['parquet_mb']:.1f} MB on disk")


def section_fastpaths(quick: bool) -> None:
    print("Re-implementations kept for speed (same bits as the library call; tested), one core, best of 5, ms:")
    for n in ([4500] if quick else [4500, 1_000_000]):
        r = _run("fastpaths", n=n, repeats=5)
        for name, (ours, library) in r["pairs"].items():
            print(f"  n = {n:>9,}  {name:42s} {ours:8.3f} vs {library:8.3f}  ({library / ours:.1f}x)")


def section_estimate(quick: bool) -> None:
    sizes = [20_000] if quick else [20_000, 100_000]
    print("REML fit of rating ~ dimension + (1 | employee) + (1 | rater) (kinerja estimate), one core, median seconds:")
    for n in sizes:
        r = _run("estimate", n=n, repeats=3)
        ref = _lmer_seconds(n, 3)
        versus = "" if ref is None else (f"; lme4 {ref[0]:.2f} s ({ref[0] / r['seconds_median']:.1f}x), variances "
                                         f"{max(abs(a / b - 1) for a, b in zip(r['variances'].values(), ref[1])):.1e} apart")
        print(f"  {n:>9,} ratings: {r['seconds_median']:.2f} s{versus}")


#: The classic models' budgets (issue 14): seconds on one core at the default size.
CLASSIC_BUDGETS = {"scullen2005": 60.0, "martell1996": 10.0}


def section_classic(quick: bool) -> None:
    from simulate.classic import MODELS

    print("Classic models (kinerja classic NAME), default design, one core:")
    for name, model in MODELS.items():
        size = max(1, model.default_size // 10) if quick else model.default_size
        r = _run("classic", model=name, size=size)
        budget = CLASSIC_BUDGETS.get(name)
        note = "" if budget is None or quick else f" (budget {budget:.0f} s)"
        print(f"  {name:17s} {r['conditions']:3d} conditions x {size:>7,} {model.size_option:13s} "
              f"{r['seconds']:6.1f} s{note}, peak RSS {r['peak_rss_mb']:.0f} MB")


def section_workshop(quick: bool) -> None:
    r = _run("workshop", repeats=2 if quick else 5)
    print(f"Workshop (notebooks/04-workshop.ipynb) on the workshop preset, one core: opening {r['opening_s']:.1f} s; "
          f"redraw of one panel (data + figure + PNG), median / min / max ms (budget 300 ms; the panel whose "
          f"control moved redraws first):")
    for panel, (median, best, worst, count) in r["panels"].items():
        print(f"  {panel:9s} {median:6.0f} / {best:4.0f} / {worst:4.0f} ms over {count:3d} redraws   "
              f"reads {', '.join(r['reads'][panel])}")
    print("  one move, the touched panel and then every other panel reading that control, median / max ms:")
    for control, (median, worst) in r["moves"].items():
        print(f"    {control:12s} {median:6.0f} / {worst:4.0f} ms")


def section_distribution(quick: bool) -> None:
    print("Who gains and who loses (distribution.parquet) per baseline replication, one core, CPU time:")
    for periods in (None, 3):
        r = _run("distribution", replications=3 if quick else 5, repeats=3 if quick else 5, periods=periods)
        print(f"  {r['periods']} period(s): {r['without_ms']:.0f} ms without, {r['with_ms']:.0f} ms with: "
              f"+{r['added_ms']:.1f} ms ({r['added_ms'] / r['without_ms']:.0%})")


def section_indicators(quick: bool) -> None:
    print("Indicator objectivity metrics per baseline replication (8 policies, 4,500 employees), one core, CPU time "
          "(budget: +20 %):")
    for periods in (None, 3):
        r = _run("indicators", replications=2 if quick else 4, repeats=3 if quick else 7, periods=periods)
        print(f"  {r['periods']} period(s): {r['without_ms']:.0f} ms without, {r['with_ms']:.0f} ms with: "
              f"+{r['added_ms']:.1f} ms ({r['added_ms'] / r['without_ms']:.0%})")


#: Sizes of the full-cycle section: ``--employees`` picks one.
CYCLE_SIZES = {"quick": [100_000], "full": [1_000_000, 4_734_041]}


def section_cycle(quick: bool, employees: int | None = None, repeats: int = 3) -> None:
    sizes = [employees] if employees else CYCLE_SIZES["quick" if quick else "full"]
    print(f"One full cycle (population, evidence, every built-in policy, follow-ups, metrics; one period), one core, "
          f"median of {repeats} fresh processes:")
    print(f"  {'employees':>10} {'wall s':>7} {'CPU s':>6} {'proc user':>9} {'proc sys':>8} {'us/employee':>12} "
          f"{'peak MB':>8} {'minor faults':>13}")
    for n in sizes:
        runs = [_run("cycle", n=n) for _ in range(repeats)]

        def med(key: str) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"  {n:>10,} {med('seconds'):>7.2f} {med('cpu_seconds'):>6.2f} {med('user_seconds'):>9.2f} "
              f"{med('system_seconds'):>8.2f} {1e6 * med('cpu_seconds') / n:>12.2f} {med('peak_rss_mb'):>8.0f} "
              f"{med('minor_faults'):>13,.0f}")


SECTIONS = {"cycle": section_cycle, "fastpaths": section_fastpaths, "period": section_period, "scaling": section_scaling, "policies": section_policies,
            "experiment": section_experiment, "dynamics": section_dynamics, "memory": section_memory,
            "estimate": section_estimate, "classic": section_classic, "distribution": section_distribution,
            "workshop": section_workshop, "indicators": section_indicators}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        _child(sys.argv[2], json.loads(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], default=[])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--employees", type=int, default=None, help="population size of the cycle section (one size)")
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per size in the cycle section")
    args = parser.parse_args()
    chosen = args.sections or list(SECTIONS)
    print(f"kinerja benchmarks ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores visible)")
    for name in chosen:
        if name == "cycle":
            section_cycle(args.quick, args.employees, args.repeats)
        else:
            SECTIONS[name](args.quick)


if __name__ == "__main__":
    main()
