"""How much data is enough: a decision study for each indicator and each rater source.

The reliability of one observation comes from the simulated civil service itself:

* an indicator's one-period reliability is the correlation of the same people's values in two
  consecutive periods (nobody's behaviour changing in between), which is what an average over
  periods can improve on;
* a rater source's single-rater reliability is the agreement of two raters of that source
  (:func:`simulate.calibration.calibration_statistics`, two raters per ratee, correlated across
  ratees).

The mean of ``k`` periods or raters then has the Spearman-Brown reliability, and the ``k``
needed for .70 and .80 follows (:func:`simulate.metrics.reliability.raters_needed`), rounded up.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulate import dynamics
from simulate.calibration import calibration_statistics
from simulate.cycle import simulate_period
from simulate.metrics.indicators import indicator_signal
from simulate.metrics.reliability import raters_needed, spearman_brown
from simulate.population import generate_population
from simulate.rng import spawn_seeds, stream
from simulate.scenario.schema import Scenario

__all__ = ["period_reliability", "decision_study", "TARGETS_RELIABILITY"]

TARGETS_RELIABILITY = (0.70, 0.80)


def period_reliability(scenario: Scenario, seed) -> dict[str, float]:
    """Correlation of each indicator between two consecutive periods for the same holders."""
    population = generate_population(scenario.population, stream(seed, "population"))
    truth0 = dynamics.period_truth(population, scenario, seed, 0, None)
    first = simulate_period(scenario, seed, period=0, population=population, truth=truth0)
    truth1 = dynamics.period_truth(population, scenario, seed, 1, dynamics.initial_state(population, truth0))
    second = simulate_period(scenario, seed, period=1, population=population, truth=truth1)
    kinds = np.asarray(population.employees["opd_kind"].astype(str))
    out = {}
    for spec in first.evidence.indicators.itertuples(index=False):  # a dozen indicators
        rows = np.flatnonzero(kinds == spec.opd_kind)
        a = first.evidence.realisation[rows, spec.slot]
        b = second.evidence.realisation[rows, spec.slot]
        ok = ~(np.isnan(a) | np.isnan(b))
        if ok.sum() < 3:
            out[spec.name] = float("nan")
            continue
        za = indicator_signal(a[ok], spec.scale, spec.typical, spec.spread, spec.lower_is_better)
        zb = indicator_signal(b[ok], spec.scale, spec.typical, spec.spread, spec.lower_is_better)
        out[spec.name] = float(np.corrcoef(za, zb)[0, 1])
    return out


def _needed(r: float, target: float) -> float:
    if not np.isfinite(r) or r <= 0:
        return float("inf")
    if r >= target:
        return 1.0
    return float(math.ceil(raters_needed(r, target) - 1e-9))


def decision_study(scenario: Scenario, replications: int = 4, seed: int | None = None,
                   ks: tuple[int, ...] = (1, 2, 3, 5)) -> pd.DataFrame:
    """One row per indicator (over periods) and per rater source (over raters): r(k) and the k for .70 and .80."""
    root = scenario.seed if seed is None else seed
    children = spawn_seeds(root, replications)
    periods = pd.DataFrame([period_reliability(scenario, c) for c in children]).mean()
    stats = pd.DataFrame([calibration_statistics(scenario, c) for c in children]).mean()
    kinds = {name: spec.opd_kind for name, spec in scenario.work.indicators.items()}
    rows = [("indicator", name, kinds.get(name, ""), "periods", float(r)) for name, r in periods.items()]
    rows += [("raters", "supervisor", "", "raters", float(stats["supervisor_interrater"])),
             ("raters", "peer", "", "raters", float(stats["peer_interrater"]))]
    table = []
    for what, name, kind, unit, r in rows:
        rec = {"source": what, "name": name, "opd_kind": kind, "averaged_over": unit, "reliability_1": r}
        for k in ks:
            rec[f"reliability_{k}"] = spearman_brown(r, k) if np.isfinite(r) else float("nan")
        for target in TARGETS_RELIABILITY:
            rec[f"k_for_{int(round(100 * target))}"] = _needed(r, target)
        table.append(rec)
    return pd.DataFrame(table)
