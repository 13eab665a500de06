"""``kinerja estimate``: read, pseudonymise, estimate, calibrate, and write one new run folder."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simulate.errors import UserError
from simulate.estimate.calibration import calibration_fragment, design_of, fit_rater_parameters
from simulate.estimate.model import Estimate, estimate
from simulate.estimate.privacy import load_or_create_key, save_key
from simulate.estimate.read import Ratings, parse_columns, read_export
from simulate.estimate.report import render_html
from simulate.runs import RunFolder, check_out_dir, manifest_base
from simulate.scenario.schema import Scenario

__all__ = ["EstimateRun", "run_estimate"]


@dataclass(frozen=True, eq=False)
class EstimateRun:
    ratings: Ratings
    estimate: Estimate
    fitted: dict | None
    folder: Path | None
    key_file: Path
    key_created: bool


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_estimate(path: str | Path, out: str | Path = "reports", *, scenario: Scenario, scenario_ref: str,
                 key_file: str | Path | None = None, sheet: str | None = None, columns: str | None = None,
                 scale: str | None = None, lang: str = "id", calibrate: bool = True,
                 write: bool = True) -> EstimateRun:
    """Everything ``kinerja estimate`` does; ``scenario`` is the base the calibration fragment extends."""
    if write:  # a bad --out is refused before the export is read
        check_out_dir(str(out), "estimate")
    path, out = Path(path), Path(out)
    mapping = parse_columns(columns)
    key, key_path, created = load_or_create_key(Path(key_file) if key_file else None, out)
    ratings = read_export(path, key, sheet=sheet, columns=mapping, scale=scale)
    if ratings.frame["employee"].nunique() < 2 or ratings.frame["rater"].nunique() < 2:
        raise UserError(f"{path.name}: at least two employees and two raters are needed to tell them apart")
    if created:
        save_key(key, key_path)
    est = estimate(ratings)
    fitted = None
    design = design_of(ratings)
    if calibrate:
        fitted = fit_rater_parameters(scenario, est, design)
    if not write:
        return EstimateRun(ratings, est, fitted, None, key_path, created)
    digest = _digest(path)
    with RunFolder(out, "estimate") as run:
        (run.path / "estimate.html").write_text(render_html(est, ratings.frame, f"({path.suffix.lstrip('.')})",
                                                            ratings.notes, fitted, lang), encoding="utf-8")
        est.raters.to_csv(run.path / "raters.csv", index=False)
        est.parts.to_csv(run.path / "parts.csv", index=False)
        pd.DataFrame([{"component": k, "variance": v, "share": est.fit.shares[k]}
                      for k, v in est.fit.variances.items()]).to_csv(run.path / "variance.csv", index=False)
        pd.Series(est.reliability, name="value").rename_axis("measure").to_csv(run.path / "reliability.csv")
        if est.icc is not None:
            est.icc.to_csv(run.path / "icc.csv", index=False)
        if est.indicators is not None:
            est.indicators.to_csv(run.path / "indicators.csv", index=False)
        run.write_json("estimate.json", est.to_json())
        if fitted is not None:
            ref = os.path.relpath(Path(scenario_ref).resolve(), run.final_path.resolve())
            (run.path / "calibration.yaml").write_text(
                calibration_fragment(ref, fitted, est, design, digest), encoding="utf-8")
        run.write_json("manifest.json", {
            **manifest_base(["kinerja", "estimate", f"<export{path.suffix.lower()}>"]), "input_sha256": digest, "input_type": path.suffix.lower(),
            "scale": ratings.scale, "n_ratings": est.n_ratings, "notes": ratings.notes,
            "fitted_rater_parameters": fitted, "language": lang,
        })
    return EstimateRun(ratings, est, fitted, run.final_path, key_path, created)

