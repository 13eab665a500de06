"""The ``kinerja`` command line.

Every user error (missing file, malformed YAML, invalid value, bad option) prints one clear
message and exits non-zero without a traceback; nothing is written before the input is valid.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from simulate.errors import UserError
from simulate.memory import tune_for_large_arrays
from simulate.runreport import export_report as _export_report
from simulate.runreport import execute_with_progress as _execute_with_progress
from simulate.runreport import progress_bar as _progress

__all__ = ["main", "build_parser"]

#: Largest root seed (as the scenario schema's ``seed``).
MAX_SEED = 2**63 - 1


def _positive_int(name: str, minimum: int = 1) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}: must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name}: must be >= {minimum}, got {value}")
        return value
    return parse


def _check_budget(sc, replications: int, periods: int, arms: int, workers: int, force: bool, options: str) -> None:
    from simulate.budget import check_budget, estimate_work

    check_budget(estimate_work([(sc.population.n_employees, periods, arms)], replications, workers), force, options)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed: must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed: must be >= 0, got {value}")
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"--seed: must be <= {MAX_SEED} (2**63 - 1), got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a one-line message (no usage dump on errors)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"kinerja: {message}\n(see 'kinerja {self.prog.split()[-1]} --help')\n"
                  if " " in self.prog else f"kinerja: {message}\n(see 'kinerja --help')\n")


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from simulate.runplan import check_file

    for path in args.files:  # every check kinerja run (or sweep) makes before its first draw
        print(check_file(Path(path)))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from simulate.calibration import calibrate
    from simulate.assemble import load_scenario

    sc = load_scenario(args.scenario)
    _check_budget(sc, args.replications, 1, 1, 1, args.force, "--replications")
    bar = _progress(args.replications, "calibrating", not args.json and sys.stderr.isatty())
    result = calibrate(sc, replications=args.replications, seed=args.seed, progress=lambda i: bar.update(1))
    bar.close()
    if args.json:
        print(json.dumps(result.to_records(), indent=2))
    else:
        print(f"Calibration of '{sc.name}': {result.replications} replications, root seed {result.seed}")
        print(result)
        n_ok = int(result.table["ok"].sum())
        print(f"{n_ok} of {len(result.table)} targets inside the accepted range")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from simulate.calibration import calibrate
    from simulate.cycle import simulate_period
    from simulate.runs import RunFolder, manifest_base
    from simulate.assemble import load_scenario
    from simulate.scenario import scenario_hash

    sc = load_scenario(args.scenario)
    if args.seed is not None:
        sc = sc.model_copy(update={"seed": args.seed})
    _check_budget(sc, args.replications + 1, 1, 1, 1, args.force, "--replications (and the scenario's population)")
    started = time.time()
    with RunFolder(args.out, sc.name) as run:
        t0 = time.perf_counter()
        period = simulate_period(sc)
        gen_seconds = time.perf_counter() - t0
        period.evidence.to_frame().to_parquet(run.path / "employees.parquet", index=False)
        period.evidence.indicator_frame().to_parquet(run.path / "indicators.parquet", index=False)
        if args.truth:  # for research: what no appraisal system can see, in a file named as such
            period.truth.to_frame().to_parquet(run.path / "hidden_truth.parquet", index=False)
        period.service.points.to_csv(run.path / "service_points.csv", index=False)
        period.population.opds.to_csv(run.path / "opds.csv", index=False)
        cal = calibrate(sc, replications=args.replications, seed=sc.seed)
        cal.table.to_csv(run.path / "calibration.csv", index=False)
        run.write_json("manifest.json", {
            **manifest_base(), "scenario": sc.model_dump(mode="json"), "scenario_hash": scenario_hash(sc),
            "root_seed": sc.seed, "calibration_replications": args.replications,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "generation_seconds": gen_seconds,
        })
    print(f"Generated '{sc.name}': {period.evidence.n:,} ASN in {len(period.population.opds):,} OPD/UPT, "
          f"{len(period.population.units):,} work units, {len(period.service.points):,} service points "
          f"({gen_seconds:.2f} s)")
    print(period.summary().to_string())
    print()
    print(f"Calibration ({cal.replications} replications, root seed {cal.seed}):")
    print(cal)
    print(f"\nWritten to {run.final_path}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import papermill as pm

    from simulate.experiment import manifest_seeds
    from simulate.runplan import RunOptions, assemble_run
    from simulate.runs import RunFolder, manifest_base
    from simulate.paths import allow
    from simulate.scenario import scenario_hash

    # Everything is checked before any work starts or any folder is made (as kinerja validate does).
    plan = assemble_run(args.scenario, RunOptions.from_args(args))
    sc, path, notebook, root_seed = plan.scenario, plan.path, plan.notebook, plan.root_seed
    allow(path.resolve().parent)  # the kernel and the workers read the tables beside the scenario
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    t0 = time.perf_counter()
    with RunFolder(args.out, sc.name) as run:
        executed = run.path / "notebook.ipynb"
        try:
            _execute_with_progress(notebook, executed, plan.notebook_parameters(run.path), run.path)
        except pm.PapermillExecutionError as exc:
            raise UserError(f"the notebook stopped: {exc.ename}: {exc.evalue}") from None
        (run.path / ".progress.json").unlink(missing_ok=True)
        _export_report(executed, run.path / "report.html", args.lang)
        run.write_json("manifest.json", {
            **manifest_base(), "scenario": sc.model_dump(mode="json"), "scenario_file": str(path),
            "scenario_hash": scenario_hash(sc), "reforms_file": str(args.reforms) if plan.packages is not None else None,
            "root_seed": root_seed, "replications": args.replications,
            "replication_seeds": manifest_seeds(root_seed, args.replications), "executor": args.executor,
            "periods": args.periods or sc.dynamics.periods,
            "workers": args.workers, "scheduler": args.scheduler, "lang": args.lang, "notebook": notebook.name,
            "started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seconds": round(time.perf_counter() - t0, 3),
        })
    print(f"Report for '{sc.name}' ({args.replications} replications, seed {root_seed}, {args.executor}): "
          f"{run.final_path / 'report.html'}")
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    from simulate.case_person import case_command

    return case_command(args)


def cmd_template(args: argparse.Namespace) -> int:
    from simulate.reforms import write_template

    if args.person or not args.file:
        from simulate.person_files import template_command
        return template_command(args)
    path = write_template(args.file, args.lang)
    print(f"Reform packages template: {path} (fill in one row per package, then "
          f"kinerja run SCENARIO --reforms {path.name})")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from simulate.sweep import load_sweep, sweep_command

    sweep = load_sweep(args.file, seed=args.seed, replications=args.replications)  # nothing written if invalid
    print(sweep.describe())
    from simulate.paths import allow
    allow(sweep.scenario_path.resolve().parent)  # for the workers, as for run
    if args.check:
        return 0
    from simulate.experiment import check_executor, machine_cores
    from simulate.sweep import check_sweep_budget

    check_executor(args.executor, args.workers, args.scheduler)
    workers = 1 if args.executor == "local" else (args.workers or machine_cores())
    check_sweep_budget(sweep, workers, args.force)
    bar = _progress(sweep.n_runs, "sweep", sys.stderr.isatty())
    try:
        folder = sweep_command(sweep, args.out, executor=args.executor, workers=args.workers,
                               scheduler=args.scheduler, progress=lambda done, total: bar.update(done - bar.n))
    finally:
        bar.close()
    print(f"Sweep results: {folder}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from simulate.resources import params_dir
    from simulate.scenario.schema import Scenario

    root = Path("params") if Path("params").is_dir() else params_dir()
    files = sorted(root.rglob("*.yaml"))
    from simulate.runplan import file_kind

    for title, kind in (("Scenarios", "scenario"), ("Policy files", "policy"), ("Sweeps (kinerja sweep)", "sweep"),
                        ("Regional cases (claims of params/regions/)", "case")):
        print(f"{title}:")
        for path in files:
            if file_kind(path) == kind:
                print(f"  {path}")
    from simulate.policies import get_policy, list_policies
    from simulate.rewards import get_reward, list_rewards
    from simulate.rulecases import list_rules

    print("Policies (scenario 'policies:'):")
    for name in list_policies():
        info = get_policy(name)
        print(f"  {name:22s} {info.label}  [{info.reference}]")
    print("Reward schemes (scenario 'rewards:'):")
    for name in list_rewards():
        print(f"  {name:22s} {get_reward(name).label}")
    print("Notebooks (scenario 'notebook:'):")
    from simulate.notebook_registry import NOTEBOOKS
    for name, nb in NOTEBOOKS.items():
        print(f"  {name:22s} {nb.purpose}  [notebooks/{nb.file}]")
    print("  (a notebook's parameters: papermill --help-notebook notebooks/FILE)")
    print("Rules (kinerja test-rules):")
    for name in list_rules():
        print(f"  {name}")
    if args.parameters:
        from simulate.paramlabels import describe_parameters, scenario_parameters

        print("Parameter (nama = nilai bawaan [satuan], fungsinya):" if args.lang == "id"
              else "Parameters (name = default [unit], what it does):")
        print("\n".join(describe_parameters(scenario_parameters(_walk_params(Scenario)), args.lang)))
    return 0


def _walk_params(model, prefix: str = ""):
    from pydantic import BaseModel

    inst = model()
    for name, field in model.model_fields.items():
        ann = field.annotation
        value = getattr(inst, name)
        if isinstance(value, BaseModel):
            yield from _walk_params(type(value), f"{prefix}{name}.")
            continue
        extra = field.json_schema_extra or {}
        unit = extra.get("unit", "") if isinstance(extra, dict) else ""
        shown = value if not isinstance(value, dict) else f"{{{len(value)} entries}}"
        yield f"{prefix}{name}", shown, unit, field.description or ""
        del ann


def cmd_test_rules(args: argparse.Namespace) -> int:
    from simulate.rulecases import run_files

    return run_files([str(p) for p in args.files])


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


_FORCE_HELP = "run even when the work is estimated beyond the budget (2 hours, the machine's memory)"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kinerja", description="Simulate Indonesian ASN performance appraisal and compare scoring policies.")
    from simulate import __version__
    parser.add_argument("--version", action="version", version=f"kinerja {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", help="check scenario, policy, sweep and regional case files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("calibrate", help="compare the simulation with the published figures")
    p.add_argument("scenario", nargs="?", default="params/baseline.yaml", metavar="SCENARIO")
    p.add_argument("--replications", type=_positive_int("--replications", 2), default=20)
    p.add_argument("--seed", type=_seed, default=None, help="root seed (default: the scenario's)")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("generate", help="generate one period of a synthetic civil service into reports/")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--seed", type=_seed, default=None)
    p.add_argument("--replications", type=_positive_int("--replications", 2), default=10,
                   help="replications for the calibration table")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.add_argument("--out", default="reports", metavar="DIR")
    p.add_argument("--truth", action="store_true",
                   help="also write the hidden truth (hidden_truth.parquet), to check indicators against it")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("run", help="compare the scenario's policies and write a report (the main job)")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or preset name")
    p.add_argument("--replications", type=_positive_int("--replications"), default=20)
    p.add_argument("--seed", type=_seed, default=None, help="root seed (default: the scenario's)")
    p.add_argument("--executor", choices=["local", "processes", "dask"], default="local")
    p.add_argument("--workers", type=_positive_int("--workers"), default=None, help="workers for processes/dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="an existing Dask scheduler")
    p.add_argument("--periods", type=_positive_int("--periods"), default=None,
                   help="appraisal periods per run (default: the scenario's dynamics.periods)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="report language (default: id)")
    p.add_argument("--out", default="reports", metavar="DIR", help="parent folder of the run folder")
    p.add_argument("--reforms", default=None, metavar="FILE.xlsx",
                   help="reform packages from a workbook (kinerja template) in place of the scenario's policies")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("case", help="one employee under every arm: score, predikat, TPP, credit points, the rule trail")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario file or preset name")
    p.add_argument("--employee", type=int, default=None,
                   metavar="ID", help="an employee_id of the generated population (see kinerja generate)")
    p.add_argument("--input", default=None, metavar="FILE", help="one person's file, .yaml or .xlsx (docs/person-file.md)")
    p.add_argument("--seed", type=_seed, default=None, help="root seed (default: the scenario's)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--json", action="store_true", help="print the case as JSON")
    p.set_defaults(func=cmd_case)

    p = sub.add_parser("template", help="write an Excel workbook in which to fill in reform packages (for --reforms)")
    p.add_argument("file", metavar="FILE.xlsx", nargs="?")
    p.add_argument("--person", default=None, metavar="FILE.xlsx", help="write the fill-in workbook of one person instead")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="language of the headers (default: id)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("sweep", help="run a parameter sweep (grid, Latin hypercube, Sobol', Morris) into reports/")
    p.add_argument("file", metavar="FILE", help="sweep file (YAML), e.g. params/sweeps/leniency_grid.yaml")
    p.add_argument("--replications", type=_positive_int("--replications"), default=None, help="override the file's")
    p.add_argument("--seed", type=_seed, default=None, help="root seed (default: the file's, else the scenario's)")
    p.add_argument("--executor", choices=["local", "processes", "dask"], default="local")
    p.add_argument("--workers", type=_positive_int("--workers"), default=None)
    p.add_argument("--scheduler", default=None, metavar="ADDRESS")
    p.add_argument("--out", default="reports", metavar="DIR")
    p.add_argument("--check", action="store_true", help="validate the sweep and print its size; run nothing")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(func=cmd_sweep)

    from simulate.estimate.command import add_parser as add_estimate
    from simulate.sweep.discover import add_parser as add_discover
    add_estimate(sub)
    add_discover(sub)
    from simulate.classic import add_parser as add_classic
    add_classic(sub)

    from simulate.paths import add_allow_path_option
    for name in ("validate", "calibrate", "generate", "run", "case", "sweep", "estimate"):
        add_allow_path_option(sub.choices[name])

    p = sub.add_parser("list", help="list scenarios, rules and parameters")
    p.add_argument("--parameters", action="store_true", help="also list every parameter with its default")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="language of --parameters (default: id)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("test-rules", help="run rule cases (YAML) against the regulation formulas")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_test_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    tune_for_large_arrays()
    from simulate.paths import set_allowed
    set_allowed(getattr(args, "allow_path", None) or [])  # for this process, its kernel and its workers
    from simulate import interrupts
    try:
        with interrupts.signals_raise():  # SIGINT and SIGTERM: a clean stop, exit 130 or 143
            return int(args.func(args) or 0)
    except UserError as exc:
        print(f"kinerja: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return interrupts.report(exc)  # says what was left: nothing, or the complete report
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a file or folder the system refused: the user's to fix, not a traceback
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"kinerja: cannot read or write{where}: {exc.strerror or exc.__class__.__name__}", file=sys.stderr)
        return 2
    except MemoryError:
        print("kinerja: out of memory; use fewer replications, periods or employees", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
