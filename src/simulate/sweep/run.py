"""Running a sweep as one experiment and writing its folder."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from simulate.experiment import ExperimentResult, check_executor, manifest_seeds, run_experiment
from simulate.scenario.loader import scenario_hash
from simulate.sweep.analysis import analyse_sensitivity
from simulate.sweep.design import _analysis_seed
from simulate.sweep.load import Sweep, load_sweep
from simulate.sweep.page import render_sweep_page
from simulate.sweep.spec import _DESIGN_STREAM, SENSITIVITY_COLUMNS

# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Where a sweep's files went, with its design, summary and sensitivity indices.

    ``sensitivity`` is empty (with the right columns) for grid and lhs designs.
    """

    sweep: Sweep
    out_dir: Path
    experiment: ExperimentResult
    design: pd.DataFrame
    sensitivity: pd.DataFrame
    seconds: float

    @property
    def results_path(self) -> Path:
        return self.out_dir / "results.parquet"

    @property
    def design_path(self) -> Path:
        return self.out_dir / "design.csv"

    @property
    def summary_path(self) -> Path:
        return self.out_dir / "summary.csv"

    @property
    def sensitivity_path(self) -> Path | None:
        return self.out_dir / "sensitivity.csv" if self.sweep.kind in SENSITIVITY_COLUMNS else None

    def results(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every replication's metrics (read from ``results.parquet``)."""
        return self.experiment.results(columns)

    def to_frame(self) -> pd.DataFrame:
        """The summary (mean and 95% interval over replications) with each point's factor values."""
        return self.design.merge(self.experiment.summary(), on="variant", how="right")

    def summary(self) -> pd.DataFrame:
        """The headline table: sensitivity indices (sobol, morris), else the analysed metrics by point."""
        if self.sweep.kind in SENSITIVITY_COLUMNS:
            return self.sensitivity
        frame = self.to_frame()
        return frame[frame["metric"].isin(self.sweep.metrics)].reset_index(drop=True)

    def _repr_html_(self) -> str:
        from simulate.evidence import frame_html

        s = self.sweep
        title = (f"Sweep ({s.kind}) of '{s.scenario.name}': {s.n_points} points x {s.replications} replications, "
                 f"seed {s.root_seed} ({self.seconds:.1f} s)")
        note = "Factors: " + ", ".join(s.design.paths)
        return frame_html(title, self.summary().head(50), note)


def run_sweep(sweep: Sweep, out_dir: str | Path, *, executor: str = "local", workers: int | None = None,
              scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Run every design point x replication and write the sweep's files into ``out_dir``.

    Writes ``results.parquet`` (every replication, streamed), ``design.csv``, ``summary.csv``,
    ``sweep.html`` (each metric against each swept parameter, the indices) and, for sobol and
    morris, ``sensitivity.csv``.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    experiment = run_experiment(sweep.scenario, sweep.replications, out_dir / "results.parquet", seed=sweep.root_seed,
                                executor=executor, workers=workers, scheduler=scheduler,
                                variants=sweep.design.points, progress=progress)
    design = sweep.design.frame()
    design.to_csv(out_dir / "design.csv", index=False)
    experiment.summary().to_csv(out_dir / "summary.csv", index=False)
    if sweep.kind in SENSITIVITY_COLUMNS:
        sensitivity = analyse_sensitivity(sweep.design, experiment.summary(), seed=_analysis_seed(sweep.root_seed),
                                          metrics=sweep.metrics)
        sensitivity.to_csv(out_dir / "sensitivity.csv", index=False)
    else:
        sensitivity = pd.DataFrame(columns=["metric", "policy", "period", "factor"])
    page = render_sweep_page(sweep.scenario.name, sweep.kind, design, experiment.summary(),
                             sensitivity if sweep.kind in SENSITIVITY_COLUMNS else None, sweep.replications,
                             sweep.root_seed, list(sweep.metrics))
    (out_dir / "sweep.html").write_text(page, encoding="utf-8")
    return SweepResult(sweep=sweep, out_dir=out_dir, experiment=experiment, design=design, sensitivity=sensitivity,
                       seconds=time.perf_counter() - started)


def sweep_command(path: str | Path | Sweep, out_root: str | Path = "reports", executor: str = "local",
                  workers: int | None = None, scheduler: str | None = None,
                  progress: Callable[[int, int], None] | None = None, command: list[str] | None = None,
                  *, seed: int | None = None, replications: int | None = None) -> Path:
    """Validate a sweep file, run it in a new run folder and return the folder's final path.

    Everything (file, scenario, factors, every design point, executor options) is checked
    before the folder ``<out_root>/sweep-<scenario>/<run-id>/`` is created; the folder appears
    only when complete (:class:`simulate.runs.RunFolder`). ``path`` may also be a loaded
    :class:`Sweep`; ``seed`` and ``replications`` override the file's (not a loaded sweep's).
    """
    from simulate.runs import RunFolder, manifest_base

    if isinstance(path, Sweep):
        if seed is not None or replications is not None:
            raise ValueError("seed, replications: give them to load_sweep when passing a loaded Sweep")
        sweep = path
    else:
        sweep = load_sweep(path, seed=seed, replications=replications)
    check_executor(executor, workers, scheduler)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    t0 = time.perf_counter()
    with RunFolder(out_root, f"sweep-{sweep.scenario.name}") as run:
        result = run_sweep(sweep, run.path, executor=executor, workers=workers, scheduler=scheduler, progress=progress)
        run.write_json("manifest.json", {
            **manifest_base(command), "sweep_file": sweep.source, "sweep": sweep.raw,
            "scenario_file": os.path.normpath(sweep.scenario_path), "scenario": sweep.scenario.model_dump(mode="json"),
            "scenario_hash": scenario_hash(sweep.scenario),
            "design": {"kind": sweep.kind, "factors": [{"path": f.path, "kind": f.kind, "levels": list(f.levels) or None,
                                                        "low": f.low, "high": f.high} for f in sweep.factors],
                       "samples": sweep.spec.samples, "num_levels": sweep.spec.num_levels if sweep.kind == "morris" else None,
                       "n_points": sweep.n_points, "points": result.design.to_dict(orient="records")},
            "root_seed": sweep.root_seed, "replications": sweep.replications,
            "replication_seeds": manifest_seeds(sweep.root_seed, sweep.replications),
            "design_seed": f"SeedSequence([{sweep.root_seed}, {_DESIGN_STREAM}])",
            "analysis_seed": _analysis_seed(sweep.root_seed) if sweep.kind in SENSITIVITY_COLUMNS else None,
            "metrics": sweep.metrics, "policies": [p.name for p in sweep.scenario.policies],
            "executor": executor, "workers": workers, "scheduler": scheduler, "rows": result.experiment.rows,
            "files": sorted(p.name for p in run.path.iterdir()) + ["manifest.json"],
            "started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "experiment_seconds": round(result.experiment.seconds, 3), "seconds": round(time.perf_counter() - t0, 3),
        })
    return run.final_path
