"""From estimated rater effects to simulator parameters: a civil service that rates like the export's.

The simulator's superiors are given the leniency spread and rating noise under which the same
estimation, run on the same design of simulated ratings (raters per employee, dimensions or
one overall rating), gives the export's variance shares; for a 0-100 export the scale's centre
and points per SD are set to its mean and spread too. The search is a simulate-estimate loop on
a fixed seed (common random numbers make it smooth), so what the fragment promises is what
``kinerja calibrate`` then checks (the ``raters.observed`` targets).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml
from scipy import optimize

from simulate.estimate.example import synthetic_export
from simulate.estimate.model import Estimate, estimate
from simulate.estimate.read import Ratings
from simulate.scenario.schema import Scenario

__all__ = ["Design", "design_of", "simulated_shares", "fit_rater_parameters", "calibration_fragment"]


@dataclass(frozen=True)
class Design:
    """What the estimation saw: colleagues besides the superior, and whether dimensions are rated."""

    n_peers: int
    dimensions: bool

    def to_dict(self) -> dict:
        return {"n_peers": self.n_peers, "dimensions": self.dimensions}


def design_of(ratings: Ratings) -> Design:
    """Raters per employee (median, beyond the first) and whether the export rates dimensions."""
    per_employee = ratings.frame.groupby("employee")["rater"].nunique()
    return Design(n_peers=int(min(max(np.median(per_employee) - 1, 0), 5)),
                  dimensions="dimension" in ratings.frame)


def simulated_shares(scenario: Scenario, design: Design, seed: int | np.random.SeedSequence = 20240101) -> dict[str, float]:
    """Variance shares that :func:`~simulate.estimate.model.estimate` finds in the scenario's simulated ratings."""
    ex = synthetic_export(scenario, seed, n_peers=design.n_peers)
    frame = ex.export
    if not design.dimensions:
        frame = frame.groupby(["nip", "nip_penilai"], as_index=False, sort=False)["nilai"].mean()
    table = pd.DataFrame({"employee": frame["nip"], "rater": frame["nip_penilai"], "rating": frame["nilai"]})
    if design.dimensions:
        table["dimension"] = frame["dimensi"].to_numpy()
    est = estimate(Ratings(frame=table, scale="0-100", source="simulated"))
    return {**est.fit.shares, "mean": float(table["rating"].mean()), "sd": float(table["rating"].std())}


def _with(scenario: Scenario, leniency_sd: float, noise_sd: float, center: float | None = None,
          per_sd: float | None = None) -> Scenario:
    r = scenario.raters
    sup = r.supervisor.model_copy(update={"leniency_sd": float(leniency_sd), "noise_sd": float(noise_sd)})
    scales = r.scales
    if center is not None:
        scales = scales.model_copy(update={"score_center": float(center), "score_per_sd": float(per_sd)})
    return scenario.model_copy(update={"raters": r.model_copy(update={"supervisor": sup, "scales": scales})})


def fit_rater_parameters(scenario: Scenario, est: Estimate, design: Design, seed: int = 20240101) -> dict:
    """Superiors' ``leniency_sd`` and ``noise_sd`` (and the 0-100 scale) reproducing ``est``'s shares."""
    target = np.array([est.fit.shares["rater"], est.fit.shares["residual"]])
    small = scenario.model_copy(update={"population": scenario.population.model_copy(
        update={"n_employees": min(scenario.population.n_employees, 1500)})})

    def gap(logs: np.ndarray) -> np.ndarray:
        s = simulated_shares(_with(small, *np.exp(logs)), design, seed)
        return np.array([s["rater"], s["residual"]]) - target

    sup = scenario.raters.supervisor
    start = np.log([max(sup.leniency_sd, 0.05), max(sup.noise_sd, 0.05)])
    res = optimize.least_squares(gap, start, bounds=(np.log([1e-3, 1e-3]), np.log([5.0, 5.0])),
                                 diff_step=1e-3, xtol=1e-6, ftol=1e-8, max_nfev=60)
    leniency_sd, noise_sd = (float(v) for v in np.exp(res.x))
    out = {"leniency_sd": leniency_sd, "noise_sd": noise_sd, "residual_gap": float(np.max(np.abs(res.fun)))}
    if est.scale == "0-100":
        s = simulated_shares(_with(small, leniency_sd, noise_sd), design, seed)
        per_sd = scenario.raters.scales.score_per_sd * est.rating_sd / s["sd"]
        center = scenario.raters.scales.score_center + (est.rating_mean - s["mean"])
        out.update({"score_center": float(np.clip(center, 0.0, 100.0)), "score_per_sd": float(np.clip(per_sd, 0.1, 50.0))})
    return out


def calibration_fragment(scenario_ref: str, fitted: dict, est: Estimate, design: Design, source_digest: str) -> str:
    """The ``calibration.yaml`` text: ``extends:`` the scenario, sets the superiors' rater parameters."""
    raters: dict = {"supervisor": {"leniency_sd": round(fitted["leniency_sd"], 4), "noise_sd": round(fitted["noise_sd"], 4)},
                    "observed": {
                        "employee_share": round(est.fit.shares["employee"], 4),
                        "rater_share": round(est.fit.shares["rater"], 4),
                        "residual_share": round(est.fit.shares["residual"], 4),
                        "n_peers": design.n_peers, "dimensions": design.dimensions,
                        "source": f"kinerja estimate, export sha256 {source_digest[:16]}",
                    }}
    if "score_center" in fitted:
        raters["scales"] = {"score_center": round(fitted["score_center"], 3), "score_per_sd": round(fitted["score_per_sd"], 4)}
    doc = {
        "name": "estimated_raters", "extends": scenario_ref,
        "description": ("Rater parameters estimated from an appraisal export by kinerja estimate: the superiors' "
                        "leniency spread and rating noise reproduce the export's variance shares "
                        f"(employee {est.fit.shares['employee']:.3f}, rater {est.fit.shares['rater']:.3f}, "
                        f"residual {est.fit.shares['residual']:.3f}). Check with: kinerja calibrate calibration.yaml"),
        "raters": raters,
    }
    header = ("# Made by 'kinerja estimate'. Use it as it is, or extend it from your own scenario:\n"
              "#   extends: path/to/calibration.yaml\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
