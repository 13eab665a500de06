"""True performance and the work an appraisal system can measure (DESIGN 3.2 and 3.3).

* :func:`generate_truth` draws the hidden truth: ability, effort, a general performance factor,
  the seven BerAKHLAK dimensions, work results and unmeasured service quality.
* :func:`generate_work` turns the truth into observable evidence of work: objective indicators
  (each ``validity x truth + contamination + noise + gaming``), SKP targets (negotiable, with a
  ratchet), capaian by the PermenPANRB 8/2021 rule, discipline records, new ideas, extra tasks
  and each unit's organisational achievement.

All draws come from the ``rng`` handed in; everything is vectorised over employees.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from simulate.evidence import Truth
from simulate.population import Population
from simulate.rng import RngLike, as_generator
from simulate.rules.capaian import capaian as capaian_rule
from simulate.scenario.schema import (
    BEHAVIOUR_DIMENSIONS,
    OPD_KINDS,
    TruthParams,
    WorkParams,
)

__all__ = ["generate_truth", "generate_work", "indicator_table", "effort_zscore", "unit_groups"]


def effort_zscore(effort: np.ndarray, params: TruthParams) -> np.ndarray:
    """Effort standardised by the baseline Beta distribution's analytic mean and SD.

    Using the baseline's constants (not the sample's) lets later periods' effort changes move
    the general factor instead of being standardised away.
    """
    a, b = params.effort_alpha, params.effort_beta
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return (np.asarray(effort) - mean) / sd


def generate_truth(
    population: Population,
    params: TruthParams,
    period_months: int = 12,
    rng: RngLike = None,
    *,
    ability: np.ndarray | None = None,
    effort: np.ndarray | None = None,
    gaming: np.ndarray | None = None,
) -> Truth:
    """Draw the hidden truth of one period (DESIGN 3.2).

    ``ability``, ``effort`` and ``gaming`` carry a person's state from an earlier period
    (:mod:`simulate.dynamics`); when omitted they are drawn afresh (ability ~ N(0, 1),
    effort ~ Beta(alpha, beta), no gaming).
    """
    rng = as_generator(rng)
    n = population.n
    if ability is None:
        ability = rng.standard_normal(n)
    if effort is None:
        effort = rng.beta(params.effort_alpha, params.effort_beta, n)
    if gaming is None:
        gaming = np.zeros(n)
    stable = params.ability_weight * ability + params.effort_weight * effort_zscore(effort, params)
    # Month-to-month swings: the period mean of M monthly N(0, s^2) swings is N(0, s^2 / M).
    swing = params.within_period_sd / np.sqrt(period_months) * rng.standard_normal(n)
    general = stable + swing
    rho = params.inter_dimension_correlation
    behaviour = np.sqrt(rho) * general[:, None] + np.sqrt(1 - rho) * rng.standard_normal((n, len(BEHAVIOUR_DIMENSIONS)))
    lr = params.results_general_loading
    results = lr * general + np.sqrt(1 - lr**2) * rng.standard_normal(n)
    lq = params.quality_general_loading
    quality = lq * general + np.sqrt(1 - lq**2) * rng.standard_normal(n)
    return Truth(
        employee_id=population.employees["employee_id"].to_numpy(),
        ability=np.asarray(ability, dtype=float), effort=np.asarray(effort, dtype=float),
        general=general, behaviour=behaviour, results=results, quality=quality,
        recency_shock=rng.standard_normal(n), gaming=np.asarray(gaming, dtype=float),
    )


def indicator_table(params: WorkParams) -> pd.DataFrame:
    """One row per (opd_kind, slot): the indicator each position of that kind carries."""
    rows = []
    for kind in OPD_KINDS:
        specs = [(name, s) for name, s in params.indicators.items() if s.opd_kind == kind]
        for slot, (name, spec) in enumerate(specs):
            rows.append({"opd_kind": kind, "slot": slot, "name": name, **spec.model_dump()})
    table = pd.DataFrame(rows)
    return table.drop(columns=["opd_kind"]).assign(opd_kind=table["opd_kind"])


def unit_groups(population: Population) -> np.ndarray:
    """A group id per employee: the work unit, or the OPD for one-person OPDs without units."""
    e = population.employees
    unit = e["unit_id"].to_numpy()
    n_units = len(population.units)
    return np.where(unit >= 0, unit, n_units + e["opd_id"].to_numpy())


def _to_natural(z: np.ndarray, scale: str, typical: float, spread: float, sign: float) -> np.ndarray:
    """Map a standardised signal to the indicator's natural unit."""
    x = z * (sign * spread)
    if scale == "log":
        return typical * np.exp(x)
    if scale == "logit_percent":
        return 100.0 * expit(logit(typical / 100.0) + x)
    return typical + x


def generate_work(
    population: Population,
    truth: Truth,
    params: WorkParams,
    truth_params: TruthParams,
    period_months: int = 12,
    rng: RngLike = None,
) -> dict[str, object]:
    """Observable evidence of work for one period (DESIGN 3.3).

    Each indicator's standardised signal is ``validity x results + sqrt(contamination) x unit
    shock + sqrt(1 - validity^2 - contamination) x person-specific factor``, observed with
    noise of variance ``(1 - reliability) / reliability`` plus ``gameability x gaming``.
    Returns a mapping of :class:`~simulate.evidence.Evidence` field names to arrays.
    """
    rng = as_generator(rng)
    e = population.employees
    n = population.n
    table = indicator_table(params)
    k_max = int(table.groupby("opd_kind")["slot"].max().max()) + 1
    kind_code = e["opd_kind"].cat.codes.to_numpy()
    rows_of_kind = {k: np.flatnonzero(kind_code == OPD_KINDS.index(k)) for k in OPD_KINDS}
    groups = unit_groups(population)
    n_groups = int(groups.max()) + 1 if n else 0

    realisation = np.full((n, k_max), np.nan)
    target = np.full((n, k_max), np.nan)
    cap = np.full((n, k_max), np.nan)
    lower = np.zeros((n, k_max), dtype=bool)
    main = np.zeros((n, k_max), dtype=bool)
    # SKP targets are negotiated below the expected level (leniency, one per employee).
    leniency = params.target_leniency_mean + params.target_leniency_sd * rng.standard_normal(n)

    # One pass per indicator (a dozen), each over the employees of its OPD kind.
    for spec in table.itertuples(index=False):
        rows = rows_of_kind[spec.opd_kind]
        m = len(rows)
        if m == 0:
            continue
        shock = rng.standard_normal(n_groups)[groups[rows]]
        stable = rng.standard_normal(m)
        stable *= np.sqrt(max(0.0, 1 - spec.validity**2 - spec.contamination))
        stable += spec.validity * truth.results[rows]
        stable += np.sqrt(spec.contamination) * shock
        observed = rng.standard_normal(m)
        observed *= np.sqrt((1 - spec.reliability) / spec.reliability)
        observed += stable
        if spec.gameability:
            observed += spec.gameability * truth.gaming[rows]
        # The target setter anchors on the employee's own past performance (ratchet),
        # seen with noise.
        past = rng.standard_normal(m)
        past *= 0.5
        past += stable
        target_z = params.target_ratchet * past - leniency[rows]
        sign = -1.0 if spec.lower_is_better else 1.0
        r = _to_natural(observed, spec.scale, spec.typical, spec.spread, sign)
        t = _to_natural(target_z, spec.scale, spec.typical, spec.spread, sign)
        if spec.scale == "linear":
            # An SKP realisation is never negative and a target is always positive.
            r = np.maximum(r, 0.0)
            t = np.maximum(t, 0.01 * abs(spec.typical))
        realisation[rows, spec.slot] = r
        target[rows, spec.slot] = t
        cap[rows, spec.slot] = capaian_rule(t, r, spec.lower_is_better)
        lower[rows, spec.slot] = spec.lower_is_better
        main[rows, spec.slot] = spec.main

    # Discipline: lateness falls with effort; days split into the TL1-TL4 bands.
    d = params.discipline
    z_effort = effort_zscore(truth.effort, truth_params)
    late_rate = d.late_days_per_month * period_months * np.exp(-d.late_effort_elasticity * z_effort)
    # Poisson thinning: the band counts of a Poisson total are independent Poissons.
    late_rate = np.minimum(late_rate, 22 * period_months)
    late_days = rng.poisson(late_rate[:, None] * np.asarray(d.late_band_shares)[None, :])
    absent = rng.poisson(d.absent_days_per_year * period_months / 12 * np.exp(-d.late_effort_elasticity * z_effort))

    # New ideas (PP 30/2019 condition for Sangat Baik) and extra tasks.
    p_year = expit(logit(params.new_idea_base_rate) + params.new_idea_performance_slope * truth.general) \
        if 0 < params.new_idea_base_rate < 1 else np.full(n, params.new_idea_base_rate)
    p_period = 1 - (1 - p_year) ** (period_months / 12)
    new_idea = rng.random(n) < p_period
    extra_tasks = rng.poisson(params.extra_tasks_per_year * period_months / 12, n)

    # Organisational achievement of each unit (capaian kinerja organisasi), set by the leader
    # one level up: the unit's true results plus that leader's leniency and noise.
    sums = np.bincount(groups, weights=truth.results, minlength=n_groups)
    counts = np.bincount(groups, minlength=n_groups)
    unit_results = sums / np.maximum(counts, 1)
    org = 100 + 8.0 * unit_results + params.org_capaian_leniency + params.org_capaian_noise_sd * rng.standard_normal(n_groups)

    return {
        "indicators": table,
        "realisation": realisation, "target": target, "capaian": cap,
        "lower_is_better": lower, "main": main,
        "late_days": late_days.astype(np.int64), "absent_days": absent.astype(np.int64),
        "new_idea": new_idea, "extra_tasks": extra_tasks.astype(np.int64),
        "org_capaian": org[groups],
    }
