"""How much data is enough: a decision study for each indicator and each rater source.

The reliability of one observation comes from the simulated civil service itself:

* an indicator's one-period reliability is the correlation of the same people's values in two
  consecutive periods (nobody's behaviour changing in between), which is what an average over
  periods can improve on;
* a rater source's single-rater reliability is the agreement of two raters of that source
  (:func:`simulate.calibration.calibration_statistics`, two raters per ratee, correlated across
  ratees);
* within one period (:mod:`simulate.metrics.within`): an OPD kind's mean inter-indicator
  correlation over the same people (``averaged_over = indicators``: the mean of ``k``
  indicators of the kind), and the agreement of the superior with the peers' mean rating
  (``name = supervisor_peer``, ``averaged_over = raters``: ``k`` sources rating alike).

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
from simulate.metrics.indicators import indicator_metrics, indicator_signal
from simulate.metrics.within import rater_agreement
from simulate.metrics.reliability import raters_needed, spearman_brown
from simulate.population import generate_population
from simulate.rng import spawn_seeds, stream
from simulate.scenario.schema import Scenario

__all__ = ["period_reliability", "within_period_reliability", "decision_study", "decision_by_variant",
           "TARGETS_RELIABILITY"]

TARGETS_RELIABILITY = (0.70, 0.80)


def period_reliability(scenario: Scenario, seed) -> dict[str, float]:
    """Correlation of each indicator between two consecutive periods for the same holders."""
    return _reliabilities(scenario, seed)[0]


def within_period_reliability(scenario: Scenario, seed) -> dict[str, float]:
    """Period 0's within-period reliabilities: ``kind_inter_indicator_r.<kind>`` and ``rater_agreement_supervisor_peer``."""
    return _reliabilities(scenario, seed)[1]


def _within(evidence, truth) -> dict[str, float]:
    m = indicator_metrics(evidence, truth)
    out = {k: v for k, v in m.items() if k.startswith("kind_inter_indicator_r.")}
    out["rater_agreement_supervisor_peer"] = rater_agreement(evidence.supervisor_behaviour, evidence.peer_behaviour,
                                                             evidence.n_peers)
    return out


def _reliabilities(scenario: Scenario, seed) -> tuple[dict[str, float], dict[str, float]]:
    """Between-period reliability of each indicator, and period 0's within-period reliabilities."""
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
    return out, _within(first.evidence, first.truth)


def _needed(r: float, target: float) -> float:
    if not np.isfinite(r) or r <= 0:
        return float("inf")
    if r >= target:
        return 1.0
    return float(math.ceil(raters_needed(r, target) - 1e-9))


def decision_study(scenario: Scenario, replications: int = 4, seed: int | None = None,
                   ks: tuple[int, ...] = (1, 2, 3, 5)) -> pd.DataFrame:
    """One row per indicator (over periods), OPD kind (over its indicators, within a period) and rater source
    (over raters; ``supervisor_peer``: a superior and peers within a period): r(k) and the k for .70 and .80."""
    root = scenario.seed if seed is None else seed
    children = spawn_seeds(root, replications)
    both = [_reliabilities(scenario, c) for c in children]
    periods = pd.DataFrame([b[0] for b in both]).mean()
    within = pd.DataFrame([b[1] for b in both]).mean()
    stats = pd.DataFrame([calibration_statistics(scenario, c) for c in children]).mean()
    kinds = {name: spec.opd_kind for name, spec in scenario.work.indicators.items()}
    rows = [("indicator", name, kinds.get(name, ""), "periods", float(r)) for name, r in periods.items()]
    held = sorted(set(kinds.values()))
    rows += [("indicator", kind, kind, "indicators", float(within.get(f"kind_inter_indicator_r.{kind}", np.nan)))
             for kind in held if np.isfinite(within.get(f"kind_inter_indicator_r.{kind}", np.nan))]
    rows += [("raters", "supervisor", "", "raters", float(stats["supervisor_interrater"])),
             ("raters", "peer", "", "raters", float(stats["peer_interrater"])),
             ("raters", "supervisor_peer", "", "raters", float(within["rater_agreement_supervisor_peer"]))]
    table = []
    for what, name, kind, unit, r in rows:
        rec = {"source": what, "name": name, "opd_kind": kind, "averaged_over": unit, "reliability_1": r}
        for k in ks:
            rec[f"reliability_{k}"] = spearman_brown(r, k) if np.isfinite(r) else float("nan")
        for target in TARGETS_RELIABILITY:
            rec[f"k_for_{int(round(100 * target))}"] = _needed(r, target)
        table.append(rec)
    return pd.DataFrame(table)


def decision_by_variant(scenario: Scenario, variants: list[tuple[str, dict]], replications: int = 4,
                        seed: int | None = None, ks: tuple[int, ...] = (1, 2, 3, 5)) -> pd.DataFrame:
    """:func:`decision_study` of each variant (``(name, overrides)``, as :func:`simulate.experiment.run_experiment`
    takes them), with a ``variant`` column first: how much data is enough as a knob moves."""
    from simulate.experiment import _variants

    tables = [decision_study(sc, replications, seed, ks).assign(variant=name) for name, sc in _variants(scenario, variants)]
    out = pd.concat(tables, ignore_index=True)
    return out[["variant"] + [c for c in out.columns if c != "variant"]]
