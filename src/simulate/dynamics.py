"""Behaviour over periods: people respond to the policy they live under (DESIGN 3.8).

Each policy arm of a replication runs its own trajectory from the same starting population,
on the same random streams (common random numbers): period ``t`` of every arm draws from
``stream(seed, stage, t)``, so arms differ only through the behaviour the policy induces.
Period 0 is shared by every arm (same truth, same evidence); from then on, per arm:

* **Incentive strength** ``I`` = (pay slope + career stakes) x signal, where the pay slope is
  the change in the share of TPP paid per SD of score (relative to ``pay_spread_full``), the
  career term is the predikat levels gained per SD of score times ``career_stakes``, and the
  signal is how much the score actually moves with true performance (its correlation with the
  general performance factor: noisy or rater-dominated scores give weak incentives). An employee
  who missed a main target adds ``accountability``.
* **Effort** moves towards ``baseline + I / effort_cost - resistance_effort x resistance``
  (effort has a quadratic cost; ``adjustment`` of the gap closes per year).
* **Gaming** moves towards ``gaming_propensity x I x reliance x g / gaming_reference_gameability``
  where *reliance* is how much the score rests on the measured indicators and ``g`` the mean
  gameability of the indicators the person holds (effort goes where it moves a measured,
  gameable indicator); gaming lifts the reported indicators (their ``gameability``) and lowers
  unmeasured quality by ``gaming_quality_cost`` (multitask problem), which citizens feel
  through satisfaction.
* **Perceived fairness** falls with the score's rater variance share and with being rated
  below one's true standing (quotas forcing low ratings on good staff).
* **Resistance** moves towards ``(((1 - fairness) + rigidity x reliance) x I + change shock)
  x (1 - culture)``: unfair or rigid scores only create pressure when something rides on them;
  socialisation removes a share each year; resistance lowers effort and raises quitting.
* **Development and turnover**: training (after a below-expectation predikat, and for all with
  ``training_all``) raises ability; retirements, quits and PP 30/2019 dismissals leave and are
  replaced by new hires from the applicant pool in the same post.
Waiting times, document processing times, IKM and complaints follow because service rates
rise with effort-driven performance (:mod:`simulate.citizens`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from simulate.arms import ArmResult, appraise_one
from simulate.cycle import PeriodResult, plan_period, simulate_period
from simulate.evidence import Truth
from simulate.memo import column, memoised
from simulate.metrics.core import DYNAMIC_METRICS, appraisal_ranks, metric_context, ranking_score, validity_spearman
from simulate.policies.common import indicator_attribute
from simulate.population import Population, generate_population
from simulate.predikat import BUTUH_PERBAIKAN
from simulate.rng import stream
from simulate.scenario.schema import PolicySpec, Scenario
from simulate.work import generate_truth, truth_noise

__all__ = ["DYNAMIC_METRICS", "ArmState", "initial_state", "incentive", "update_state", "dynamic_metrics",
           "run_arms", "run_arm"]

_RULES = {"tpp", "career"}
#: The dynamics read only the career scheme's per-employee table; its event texts are skipped.
_FAST = {"career": {"events": False}}


@dataclass(frozen=True, eq=False)
class ArmState:
    """What persists from one period to the next for one policy arm (per employee)."""

    ability: np.ndarray
    effort: np.ndarray
    effort_base: np.ndarray
    gaming: np.ndarray
    resistance: np.ndarray
    fairness: np.ndarray
    age: np.ndarray
    history: np.ndarray  #: (periods so far, n) predikat codes; -1 before a new hire's first period
    left: int = 0  #: employees who left (and were replaced) at the end of the last period


def initial_state(population: Population, truth: Truth) -> ArmState:
    n = population.n
    return ArmState(
        ability=truth.ability.copy(), effort=truth.effort.copy(), effort_base=truth.effort.copy(),
        gaming=np.zeros(n), resistance=np.zeros(n), fairness=np.ones(n),
        age=population.employees["age"].to_numpy(dtype=float), history=np.zeros((0, n), dtype=np.int8),
    )


def _standardise(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _slope(y: np.ndarray, z: np.ndarray) -> float:
    """Least-squares slope of ``y`` on a standardised ``z``."""
    return float(np.mean((y - y.mean()) * z)) if z.std() > 0 else 0.0


def _corr_with_standardised(z: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of a standardised ``z`` (mean 0, SD 1) with ``y`` (0 if ``y`` is constant)."""
    sd = y.std()
    return float(np.dot(z, y - y.mean()) / (len(y) * sd)) if sd > 0 else 0.0


def _indicator_index(evidence) -> np.ndarray:
    """Each employee's mean standardised log capaian (policy-independent; cached per evidence)."""
    cached = evidence.cache.get("indicator_index")
    if cached is None:
        cap = evidence.capaian
        present = ~np.isnan(cap)
        logc = np.log(np.maximum(np.where(present, cap, 1.0), 1.0))  # 0 where the cell is not held
        count = present.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = logc.sum(axis=0) / count
            dev = np.where(present, logc - mean, 0.0)
            z = dev / np.sqrt((dev * dev).sum(axis=0) / count)
        ok = present & np.isfinite(z)  # a column without spread carries no information
        cached = np.where(ok, z, 0.0).sum(axis=1) / np.maximum(ok.sum(axis=1), 1)
        evidence.cache["indicator_index"] = cached
    return cached


def _gaming_opportunity(evidence) -> np.ndarray:
    """Mean gameability of the indicators each employee holds (0 for none; memoised per population)."""

    def build() -> np.ndarray:
        g = indicator_attribute(evidence, "gameability")  # (n, K), NaN where the slot is not held
        held = ~np.isnan(g)
        out = np.where(held, g, 0.0).sum(axis=1) / np.maximum(held.sum(axis=1), 1)
        out.flags.writeable = False
        return out

    return memoised(evidence.employees, ("gaming_opportunity", id(evidence.indicators)), build)


def _missed_target(evidence) -> np.ndarray:
    """Whether each employee missed a main target (policy-independent; cached per evidence)."""
    cached = evidence.cache.get("missed_target")
    if cached is None:
        cached = evidence.cache["missed_target"] = np.any((evidence.capaian < 100) & evidence.main, axis=1)
    return cached


def _reliance(score: np.ndarray, evidence) -> float:
    """How much a score rests on the measured indicators: |corr(score, mean standardised capaian)|."""
    index = _indicator_index(evidence)
    if np.std(score) == 0 or np.std(index) == 0:
        return 0.0
    return abs(_corr_with_standardised(_standardise(score), index))


def _arm_rank(arm: ArmResult) -> np.ndarray:
    """The arm's ranking variable (memoised on the arm: incentive, state and metrics all use it)."""
    return memoised(arm, "rank", lambda: ranking_score(arm.appraisal.score, arm.appraisal.predikat))


def _followup(arm: ArmResult, rule: str):
    return next((f for f in arm.followups.values() if f.rule == rule), None)


def incentive(period: PeriodResult, arm: ArmResult, accountability: float, career_stakes: float,
              pay_spread_full: float) -> tuple[np.ndarray, float, dict[str, float]]:
    """Per-employee incentive strength, the score's reliance on indicators, and the parts."""
    rank = _arm_rank(arm)
    z = _standardise(rank)
    signal = max(0.0, _corr_with_standardised(z, period.truth.general)) if z.std() > 0 else 0.0
    pay = 0.0
    tpp = _followup(arm, "tpp")
    if tpp is not None:
        base, paid = tpp.column("baseline_idr").astype(float), tpp.column("paid_idr").astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(base > 0, paid / base, 1.0)
        pay = max(0.0, _slope(share, z)) / pay_spread_full
    levels = max(0.0, _slope(-np.asarray(arm.appraisal.predikat, float), z))
    strength = (pay + career_stakes * levels) * signal
    ev = period.evidence
    per_person = strength + accountability * _missed_target(ev)
    reliance = _reliance(rank, ev)
    return per_person, reliance, {"pay": pay, "career": career_stakes * levels, "signal": signal}


def update_state(state: ArmState, period: PeriodResult, arm: ArmResult, scenario: Scenario, first_change: bool,
                 rng: np.random.Generator) -> ArmState:
    """The arm's state after this period's appraisal (see the module docstring)."""
    d = scenario.dynamics
    years = scenario.appraisal.period_months / 12
    a = 1 - (1 - d.adjustment) ** years
    n = len(state.ability)
    inc, reliance, _ = incentive(period, arm, d.accountability, d.career_stakes, d.pay_spread_full)

    target_effort = np.clip(state.effort_base + inc / d.effort_cost - d.resistance_effort * state.resistance, 0.01, 0.99)
    effort = state.effort + a * (target_effort - state.effort)
    opportunity = _gaming_opportunity(period.evidence) / d.gaming_reference_gameability
    gaming = state.gaming + a * (np.clip(d.gaming_propensity * inc * reliance * opportunity, 0, 1) - state.gaming)

    rank = _arm_rank(arm)
    true_pct = metric_context(period.evidence, period.truth, period.service).truth_rank / n
    score_pct = appraisal_ranks(arm.appraisal) / n
    fairness = np.clip(1 - d.fairness_rater_weight * arm.metrics["rater_variance_share"]
                       - d.fairness_quota_weight * np.maximum(0.0, true_pct - score_pct), 0, 1)
    # Unfair or rigid scores only create pressure when something rides on them (the incentive).
    pressure = (((1 - fairness) + d.rigidity_weight * reliance) * inc + d.change_shock * first_change) * (1 - d.culture)
    resistance = (state.resistance + a * (pressure - state.resistance)) * (1 - d.socialisation) ** years

    ability = state.ability + d.training_all * years
    career = _followup(arm, "career")
    dismissed = np.zeros(n, dtype=bool)
    if career is not None:
        ability = ability + d.training_gain * career.column("training").astype(bool)
        steps = career.column("pp30_step")  # categorical with the ordered STEPS as categories
        dismissed = steps.codes == steps.categories.get_loc("dismissal")
    else:
        ability = ability + d.training_gain * (np.asarray(arm.appraisal.predikat) >= BUTUH_PERBAIKAN)

    age = state.age + years
    quit_p = 1 - np.exp(-(d.quit_base + d.quit_resistance * resistance) * years)
    # Common random numbers: every arm sees the same uniforms and the same applicant pool.
    u = rng.random(n)
    new_ability = d.applicant_ability_mean + rng.standard_normal(n)
    tp = scenario.truth
    new_effort = rng.beta(tp.effort_alpha, tp.effort_beta, n)
    new_age = 23 + 10 * rng.random(n)
    leave = (u < quit_p) | (age >= scenario.population.retirement_age) | dismissed
    history = np.vstack([state.history, np.asarray(arm.appraisal.predikat, dtype=np.int8)[None, :]])
    history[:, leave] = -1

    def renew(old: np.ndarray, new: np.ndarray | float) -> np.ndarray:
        return np.where(leave, new, old)

    return ArmState(
        ability=renew(ability, new_ability), effort=renew(effort, new_effort), effort_base=renew(state.effort_base, new_effort),
        gaming=renew(gaming, 0.0), resistance=renew(resistance, 0.0), fairness=renew(fairness, 1.0),
        age=renew(age, new_age), history=history, left=int(leave.sum()),
    )


def _period_constants(period: PeriodResult) -> dict:
    """Document time, self-minus-supervisor gap and mean capaian of one arm's evidence (cached)."""
    ev = period.evidence
    cached = ev.cache.get("dynamic_constants")
    if cached is not None:
        return cached
    service = period.service
    duk = service.column("opd_kind") == "dukcapil"
    if duk.any():
        w = service.column("visits").astype(float)[duk]
        hours = (service.column("wait_minutes_mean")[duk] + 60 / service.column("service_rate_per_hour")[duk]) / 60
        doc_hours = float(np.sum(w * hours) / w.sum()) if w.sum() > 0 else float(hours.mean())
    else:
        doc_hours = float("nan")
    sup = ev.supervisor_behaviour.mean(axis=1)
    own = ev.self_behaviour.mean(axis=1)
    cap = ev.capaian[~np.isnan(ev.capaian)]
    cached = {"document_hours_mean": doc_hours, "self_minus_supervisor_sd": float((own.mean() - sup.mean()) / sup.std()),
              "capaian_mean": float(cap.mean()) if len(cap) else float("nan"),
              "counter": column(ev.employees, "is_counter_staff", bool)}
    ev.cache["dynamic_constants"] = cached
    return cached


def dynamic_metrics(period: PeriodResult, arm: ArmResult, before: ArmState, after: ArmState) -> dict[str, float]:
    """The behaviour metrics of one arm in one period (resistance and fairness after the appraisal)."""
    tr = period.truth
    const = _period_constants(period)
    counter = const["counter"]
    rank = _arm_rank(arm)
    return {
        "effort_mean": float(before.effort.mean()),
        "resistance_mean": float(after.resistance.mean()),
        "perceived_fairness_mean": float(after.fairness.mean()),
        "gaming_share": float(before.gaming.mean()),
        "capaian_mean": const["capaian_mean"],
        "unmeasured_quality_mean": float(tr.quality.mean()),
        "turnover_rate": after.left / len(before.ability),
        "document_hours_mean": const["document_hours_mean"],
        "self_minus_supervisor_sd": const["self_minus_supervisor_sd"],
        "validity_counter_staff": validity_spearman(rank[counter], tr.overall[counter]) if counter.sum() > 2 else float("nan"),
    }


def _truth_for(population: Population, scenario: Scenario, seed: int, period: int, state: ArmState | None,
               noise: dict[str, np.ndarray] | None = None) -> Truth:
    """Period ``period``'s truth for an arm in ``state`` (``noise``: the period's shared draws)."""
    months = scenario.appraisal.period_months
    if state is None:
        return generate_truth(population, scenario.truth, months, stream(seed, "truth", period))
    if noise is None:
        noise = truth_noise(population.n, stream(seed, "truth", period))
    truth = generate_truth(population, scenario.truth, months, ability=state.ability, effort=state.effort,
                           gaming=state.gaming, noise=noise)
    return dataclasses.replace(truth, quality=truth.quality - scenario.dynamics.gaming_quality_cost * state.gaming)


def _step(scenario: Scenario, spec: PolicySpec, period: PeriodResult, state: ArmState, t: int, periods: int,
          is_status_quo: bool, seed) -> tuple[ArmState, dict[str, float]]:
    """Appraise one arm's period and move its state on: the new state and the period's metrics."""
    history = state.history if len(state.history) else None
    # The career scheme matters only when its training can change a later period or a
    # PP 30/2019 dismissal is possible (three poor periods in a row need t >= 2).
    rules = _RULES if (t < periods - 1 or t >= 2) else {"tpp"}
    arm = appraise_one(period, spec, history, rules, overrides=_FAST)
    after = update_state(state, period, arm, scenario, first_change=(t == 0 and not is_status_quo),
                         rng=stream(seed, "dynamics", t))
    return after, {**arm.metrics, **dynamic_metrics(period, arm, state, after)}


def run_arm(scenario: Scenario, seed: int, spec: PolicySpec, population: Population, first: PeriodResult,
            state0: ArmState, periods: int, is_status_quo: bool) -> Iterator[tuple[int, dict[str, float]]]:
    """One arm's trajectory: yields ``(period, metrics)`` for periods ``0..periods-1``."""
    state = state0
    period = first
    for t in range(periods):
        if t > 0:
            truth = _truth_for(population, scenario, seed, t, state)
            period = simulate_period(scenario, seed, period=t, population=population, truth=truth)
        state, metrics = _step(scenario, spec, period, state, t, periods, is_status_quo, seed)
        yield t, metrics


def run_arms(scenario: Scenario, seed: int, periods: int | None = None) -> Iterator[tuple[int, str, dict[str, float]]]:
    """Every policy arm of one replication over ``periods``: yields ``(period, policy, metrics)``.

    Period by period: period 0 (the shared starting point) is simulated once for all arms; in
    each later period the draws that do not depend on the truth (:func:`simulate.cycle.plan_period`)
    are made once and composed with each arm's own truth, so the arms differ only through the
    behaviour their policy induced (and only one period's draws are held at a time).
    """
    periods = scenario.dynamics.periods if periods is None else periods
    population = generate_population(scenario.population, stream(seed, "population"))
    truth0 = _truth_for(population, scenario, seed, 0, None)
    first = simulate_period(scenario, seed, period=0, population=population, truth=truth0)
    specs = list(scenario.policies)
    states = [initial_state(population, truth0)] * len(specs)
    for t in range(periods):
        shared = t > 0 and len(specs) > 1
        plan = plan_period(scenario, seed, t, population) if shared else None
        noise = truth_noise(population.n, stream(seed, "truth", t)) if shared else None
        for k, spec in enumerate(specs):
            if t == 0:
                period = first
            else:
                truth = _truth_for(population, scenario, seed, t, states[k], noise)
                period = simulate_period(scenario, seed, period=t, population=population, truth=truth, plan=plan)
            states[k], metrics = _step(scenario, spec, period, states[k], t, periods, k == 0, seed)
            yield t, spec.name, metrics
