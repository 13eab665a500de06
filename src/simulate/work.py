"""True performance and the work an appraisal system can measure (DESIGN 3.2 and 3.3).

* :func:`generate_truth` draws the hidden truth: ability, effort, a general performance factor,
  the seven BerAKHLAK dimensions, work results and unmeasured service quality.
* :func:`generate_work` turns the truth into observable evidence of work: objective indicators
  (each the person's share, ``validity x truth`` plus person-specific factors, the unit's shared
  shock (contamination), noise and gaming), SKP targets (negotiable, with a
  ratchet), capaian by the PermenPANRB 8/2021 rule, discipline records, new ideas, extra tasks
  and each unit's organisational achievement.

All draws come from the ``rng`` handed in; everything is vectorised over employees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from simulate.evidence import Truth
from simulate.population import Population
from simulate.rng import RngLike, as_generator, copy_generator
from simulate.rules.capaian import capaian as capaian_rule
from simulate.scenario.schema import (
    BEHAVIOUR_DIMENSIONS,
    OPD_KINDS,
    TruthParams,
    WorkParams,
)

__all__ = ["generate_truth", "truth_noise", "generate_work", "plan_work", "compose_work", "WorkPlan", "indicator_table",
           "effort_zscore", "unit_groups"]


def effort_zscore(effort: np.ndarray, params: TruthParams) -> np.ndarray:
    """Effort standardised by the baseline Beta distribution's analytic mean and SD.

    Using the baseline's constants (not the sample's) lets later periods' effort changes move
    the general factor instead of being standardised away.
    """
    a, b = params.effort_alpha, params.effort_beta
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    return (np.asarray(effort) - mean) / sd


def truth_noise(n: int, rng: RngLike = None) -> dict[str, np.ndarray]:
    """The standard-normal draws of :func:`generate_truth` for a carried-over ability and effort.

    Drawn once per period and shared by the policy arms of a multi-period run, which differ only
    in the ability, effort and gaming they carry (:mod:`simulate.dynamics`).
    """
    rng = as_generator(rng)
    return {"swing": rng.standard_normal(n), "behaviour": rng.standard_normal((n, len(BEHAVIOUR_DIMENSIONS))),
            "results": rng.standard_normal(n), "quality": rng.standard_normal(n), "recency": rng.standard_normal(n)}


def generate_truth(
    population: Population,
    params: TruthParams,
    period_months: int = 12,
    rng: RngLike = None,
    *,
    ability: np.ndarray | None = None,
    effort: np.ndarray | None = None,
    gaming: np.ndarray | None = None,
    noise: dict[str, np.ndarray] | None = None,
) -> Truth:
    """Draw the hidden truth of one period (DESIGN 3.2).

    ``ability``, ``effort`` and ``gaming`` carry a person's state from an earlier period
    (:mod:`simulate.dynamics`); when omitted they are drawn afresh (ability ~ N(0, 1),
    effort ~ Beta(alpha, beta), no gaming). ``noise`` gives the remaining draws
    (:func:`truth_noise`, with ability and effort given) instead of drawing them from ``rng``.
    """
    rng = as_generator(rng) if noise is None else None
    n = population.n
    if ability is None:
        if noise is not None:
            raise ValueError("generate_truth: shared noise needs the carried-over ability and effort")
        ability = rng.standard_normal(n)
    if effort is None:
        if noise is not None:
            raise ValueError("generate_truth: shared noise needs the carried-over ability and effort")
        effort = rng.beta(params.effort_alpha, params.effort_beta, n)
    if gaming is None:
        gaming = np.zeros(n)
    if noise is None:
        noise = truth_noise(n, rng)
    stable = params.ability_weight * ability + params.effort_weight * effort_zscore(effort, params)
    # Month-to-month swings: the period mean of M monthly N(0, s^2) swings is N(0, s^2 / M).
    swing = params.within_period_sd / np.sqrt(period_months) * noise["swing"]
    general = stable + swing
    rho = params.inter_dimension_correlation
    behaviour = np.sqrt(rho) * general[:, None] + np.sqrt(1 - rho) * noise["behaviour"]
    lr = params.results_general_loading
    results = lr * general + np.sqrt(1 - lr**2) * noise["results"]
    lq = params.quality_general_loading
    quality = lq * general + np.sqrt(1 - lq**2) * noise["quality"]
    return Truth(
        employee_id=population.structure.column("employee_id"),
        ability=np.asarray(ability, dtype=float), effort=np.asarray(effort, dtype=float),
        general=general, behaviour=behaviour, results=results, quality=quality,
        recency_shock=noise["recency"], gaming=np.asarray(gaming, dtype=float),
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


#: Cells (employee x indicator) processed at a time: small enough for temporaries to be recycled
#: by the allocator instead of page-faulted afresh (which dominates at national scale).
_CHUNK = 1 << 19


def _to_natural(z: np.ndarray, scale: str, typical: float, spread: float, sign: float) -> np.ndarray:
    """Map a standardised signal to the indicator's natural unit."""
    x = z * (sign * spread)
    if scale == "log":
        return typical * np.exp(x)
    if scale == "logit_percent":
        return 100.0 * expit(logit(typical / 100.0) + x)
    return typical + x


def _structure(population: Population, params: WorkParams) -> dict:
    """Which indicators each employee holds (derived once per population, ``population.structure``).

    Cells (employee x indicator held) are laid out indicator by indicator: indicator ``i``
    occupies ``offsets[i]:offsets[i + 1]`` of the flat noise arrays of a :class:`WorkPlan`,
    one cell per employee of its OPD kind (``rows[kind]``).
    """

    def build() -> dict:
        table = indicator_table(params)
        e = population.employees
        n = population.n
        k_max = int(table.groupby("opd_kind")["slot"].max().max()) + 1
        kind_code = e["opd_kind"].cat.codes.to_numpy()
        rows = {k: np.flatnonzero(kind_code == OPD_KINDS.index(k)) for k in OPD_KINDS}
        specs = list(table.itertuples(index=False))
        sizes = [len(rows[spec.opd_kind]) for spec in specs]
        lower = np.zeros((n, k_max), dtype=bool)
        main = np.zeros((n, k_max), dtype=bool)
        for spec in specs:  # a dozen indicators
            lower[rows[spec.opd_kind], spec.slot] = spec.lower_is_better
            main[rows[spec.opd_kind], spec.slot] = spec.main
        groups = unit_groups(population)
        n_groups = int(groups.max()) + 1 if n else 0
        for a in (*rows.values(), lower, main, groups):
            a.flags.writeable = False
        return {
            "table": table, "specs": specs, "n": n, "k_max": k_max, "rows": rows,
            "offsets": np.r_[0, np.cumsum(sizes)].astype(np.int64),
            "lower_matrix": lower, "main_matrix": main,
            "groups": groups, "n_groups": n_groups, "group_counts": np.bincount(groups, minlength=n_groups),
        }

    key = ("work_structure", params.model_dump_json(include={"indicators"}))
    return population.structure.derive(key, build)


@dataclass(frozen=True, eq=False)
class WorkPlan:
    """The truth-independent draws of one period's work evidence (see :func:`plan_work`).

    Per held indicator cell (flat arrays, indicator by indicator, see :func:`_structure`):
    ``stable_noise`` (the person-specific factor and the unit shock, scaled), ``observed_noise``
    and ``past_noise`` (the target setter's view); per employee the target leniency, new-idea
    uniforms and extra tasks; per unit the organisational-achievement noise. ``rng`` continues
    the stream for the draws whose distribution depends on the truth (lateness and absence);
    a ``shared`` plan is composed once per policy arm, so each composition draws from a copy.
    """

    structure: dict
    stable_noise: np.ndarray
    observed_noise: np.ndarray
    past_noise: np.ndarray
    leniency: np.ndarray
    new_idea_u: np.ndarray
    extra_tasks: np.ndarray
    org_noise: np.ndarray
    rng: np.random.Generator
    shared: bool = False
    #: Standard-normal shock of each unit group (the contamination the indicators share): hidden,
    #: kept so the metrics can tell a unit's share of score variance from a rater's.
    unit_shock: np.ndarray | None = None


def plan_work(population: Population, params: WorkParams, period_months: int = 12, rng: RngLike = None, *,
              shared: bool = False) -> WorkPlan:
    """Draw the truth-independent part of :func:`generate_work` (``shared``: composed once per arm)."""
    rng = as_generator(rng)
    st = _structure(population, params)
    n, cells = st["n"], int(st["offsets"][-1])
    # SKP targets are negotiated below the expected level (leniency, one per employee).
    leniency = params.target_leniency_mean + params.target_leniency_sd * rng.standard_normal(n)
    shock = rng.standard_normal(st["n_groups"])
    stable = rng.standard_normal(cells)
    observed = rng.standard_normal(cells)
    past = rng.standard_normal(cells)
    past *= 0.5
    for i, spec in enumerate(st["specs"]):
        cell = slice(st["offsets"][i], st["offsets"][i + 1])
        stable[cell] *= np.sqrt((1 - spec.contamination) * (1 - spec.validity**2))
        if spec.contamination:
            stable[cell] += np.sqrt(spec.contamination) * shock[st["groups"][st["rows"][spec.opd_kind]]]
        observed[cell] *= np.sqrt((1 - spec.reliability) / spec.reliability)
    new_idea_u = rng.random(n)
    extra_tasks = rng.poisson(params.extra_tasks_per_year * period_months / 12, n).astype(np.int64)
    org_noise = params.org_capaian_leniency + params.org_capaian_noise_sd * rng.standard_normal(st["n_groups"])
    return WorkPlan(structure=st, stable_noise=stable, observed_noise=observed, past_noise=past, leniency=leniency,
                    new_idea_u=new_idea_u, extra_tasks=extra_tasks, org_noise=org_noise, rng=rng, shared=shared,
                    unit_shock=shock)


def compose_work(plan: WorkPlan, truth: Truth, params: WorkParams, truth_params: TruthParams,
                 period_months: int = 12) -> dict[str, object]:
    """:func:`generate_work` from a plan and the period's truth.

    A shared plan may be composed again (with another arm's truth): its generator is copied for
    the truth-dependent draws, so every composition sees the same random numbers.
    """
    st = plan.structure
    n, k_max = st["n"], st["k_max"]
    realisation = np.full((n, k_max), np.nan)
    target = np.full((n, k_max), np.nan)
    cap = np.full((n, k_max), np.nan)
    for i, spec in enumerate(st["specs"]):  # a dozen indicators, each in chunks of cells
        all_rows = st["rows"][spec.opd_kind]
        offset = int(st["offsets"][i])
        sign = -1.0 if spec.lower_is_better else 1.0
        for lo in range(0, len(all_rows), _CHUNK):
            rows = all_rows[lo:lo + _CHUNK]
            cell = slice(offset + lo, offset + lo + len(rows))
            stable = (spec.validity * np.sqrt(1 - spec.contamination)) * truth.results[rows]
            stable += plan.stable_noise[cell]
            observed = stable + plan.observed_noise[cell]
            if spec.gameability:
                observed += spec.gameability * truth.gaming[rows]
            # The target setter anchors on the employee's own past performance (ratchet),
            # seen with noise.
            target_z = stable
            target_z += plan.past_noise[cell]
            target_z *= params.target_ratchet
            target_z -= plan.leniency[rows]
            r = _to_natural(observed, spec.scale, spec.typical, spec.spread, sign)
            t = _to_natural(target_z, spec.scale, spec.typical, spec.spread, sign)
            if spec.scale == "linear":
                # An SKP realisation is never negative and a target is always positive.
                np.maximum(r, 0.0, out=r)
                np.maximum(t, 0.01 * abs(spec.typical), out=t)
            realisation[rows, spec.slot] = r
            target[rows, spec.slot] = t
            cap[rows, spec.slot] = capaian_rule(t, r, spec.lower_is_better)

    rng = copy_generator(plan.rng) if plan.shared else plan.rng
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

    # Organisational achievement of each unit (capaian kinerja organisasi), set by the leader
    # one level up: the unit's true results plus that leader's leniency and noise.
    groups = st["groups"]
    unit_results = np.bincount(groups, weights=truth.results, minlength=st["n_groups"]) / np.maximum(st["group_counts"], 1)
    org = 100 + 8.0 * unit_results + plan.org_noise

    return {
        "indicators": st["table"],
        "realisation": realisation, "target": target, "capaian": cap,
        "lower_is_better": st["lower_matrix"], "main": st["main_matrix"],
        "late_days": late_days.astype(np.int64), "absent_days": absent.astype(np.int64),
        "new_idea": plan.new_idea_u < p_period, "extra_tasks": plan.extra_tasks,
        "org_capaian": org[groups],
    }


def generate_work(
    population: Population,
    truth: Truth,
    params: WorkParams,
    truth_params: TruthParams,
    period_months: int = 12,
    rng: RngLike = None,
) -> dict[str, object]:
    """Observable evidence of work for one period (DESIGN 3.3).

    Each indicator's standardised signal is ``sqrt(1 - contamination) x (validity x results +
    sqrt(1 - validity^2) x person-specific factor) + sqrt(contamination) x unit shock``: the
    contamination is the unit's share of its variance, the rest is the person's, so more
    contamination lowers the correlation with true results to ``validity x sqrt(1 -
    contamination)``. It is observed with
    noise of variance ``(1 - reliability) / reliability`` plus ``gameability x gaming``.
    Returns a mapping of :class:`~simulate.evidence.Evidence` field names to arrays. The draws
    that do not depend on the truth come first (:func:`plan_work`), so the policy arms of a
    multi-period run share them.
    """
    plan = plan_work(population, params, period_months, rng)
    return compose_work(plan, truth, params, truth_params, period_months)
