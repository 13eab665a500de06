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
* **Gaming** moves towards ``gaming_propensity x I x reliance`` where *reliance* is how much the
  score rests on the measured indicators; gaming lifts the reported indicators (their
  ``gameability``) and lowers unmeasured quality by ``gaming_quality_cost`` (multitask problem),
  which citizens feel through satisfaction.
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
from scipy import stats

from simulate.arms import ArmResult, appraise_one
from simulate.cycle import PeriodResult, simulate_period
from simulate.evidence import Truth
from simulate.metrics.core import DYNAMIC_METRICS, metric_context, ranking_score, validity_spearman
from simulate.population import Population, generate_population
from simulate.predikat import BUTUH_PERBAIKAN
from simulate.rng import stream
from simulate.scenario.schema import PolicySpec, Scenario
from simulate.work import generate_truth

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


def _indicator_index(evidence) -> np.ndarray:
    """Each employee's mean standardised log capaian (policy-independent; cached per evidence)."""
    cached = evidence.cache.get("indicator_index")
    if cached is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            logc = np.log(np.maximum(evidence.capaian, 1.0))
            z = (logc - np.nanmean(logc, axis=0)) / np.nanstd(logc, axis=0)
        present = ~np.isnan(z)
        cached = np.where(present, z, 0.0).sum(axis=1) / np.maximum(present.sum(axis=1), 1)
        evidence.cache["indicator_index"] = cached
    return cached


def _reliance(score: np.ndarray, evidence) -> float:
    """How much a score rests on the measured indicators: |corr(score, mean standardised capaian)|."""
    index = _indicator_index(evidence)
    if np.std(score) == 0 or np.std(index) == 0:
        return 0.0
    return float(abs(np.corrcoef(score, index)[0, 1]))


def incentive(period: PeriodResult, arm: ArmResult, accountability: float, career_stakes: float,
              pay_spread_full: float) -> tuple[np.ndarray, float, dict[str, float]]:
    """Per-employee incentive strength, the score's reliance on indicators, and the parts."""
    rank = ranking_score(arm.appraisal.score, arm.appraisal.predikat)
    z = _standardise(rank)
    signal = max(0.0, float(np.corrcoef(z, period.truth.general)[0, 1])) if z.std() > 0 else 0.0
    pay = 0.0
    tpp = [f for f in arm.followups.values() if f.rule == "tpp"]
    if tpp:
        emp = tpp[0].employees
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(emp["baseline_idr"] > 0, emp["paid_idr"] / emp["baseline_idr"], 1.0)
        pay = max(0.0, _slope(np.asarray(share, float), z)) / pay_spread_full
    levels = max(0.0, _slope(-np.asarray(arm.appraisal.predikat, float), z))
    strength = (pay + career_stakes * levels) * signal
    ev = period.evidence
    missed = np.any((ev.capaian < 100) & ev.main, axis=1)
    per_person = strength + accountability * missed
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
    gaming = state.gaming + a * (np.clip(d.gaming_propensity * inc * reliance, 0, 1) - state.gaming)

    rank = ranking_score(arm.appraisal.score, arm.appraisal.predikat)
    true_pct = metric_context(period.evidence, period.truth, period.service.points).truth_rank / n
    score_pct = stats.rankdata(rank) / n
    fairness = np.clip(1 - d.fairness_rater_weight * arm.metrics["rater_variance_share"]
                       - d.fairness_quota_weight * np.maximum(0.0, true_pct - score_pct), 0, 1)
    # Unfair or rigid scores only create pressure when something rides on them (the incentive).
    pressure = (((1 - fairness) + d.rigidity_weight * reliance) * inc + d.change_shock * first_change) * (1 - d.culture)
    resistance = (state.resistance + a * (pressure - state.resistance)) * (1 - d.socialisation) ** years

    ability = state.ability + d.training_all * years
    career = [f for f in arm.followups.values() if f.rule == "career"]
    dismissed = np.zeros(n, dtype=bool)
    if career:
        emp = career[0].employees
        ability = ability + d.training_gain * emp["training"].to_numpy(dtype=bool)
        dismissed = (emp["pp30_step"] == "dismissal").to_numpy(dtype=bool)
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
    """Document time and self-minus-supervisor gap: the same for every arm of a period (cached)."""
    ev = period.evidence
    cached = ev.cache.get("dynamic_constants")
    if cached is not None:
        return cached
    pts = period.service.points
    duk = pts[pts["opd_kind"] == "dukcapil"]
    if len(duk):
        w = duk["visits"].to_numpy(float)
        hours = (duk["wait_minutes_mean"].to_numpy() + 60 / duk["service_rate_per_hour"].to_numpy()) / 60
        doc_hours = float(np.sum(w * hours) / w.sum()) if w.sum() > 0 else float(hours.mean())
    else:
        doc_hours = float("nan")
    sup = ev.supervisor_behaviour.mean(axis=1)
    own = ev.self_behaviour.mean(axis=1)
    cached = {"document_hours_mean": doc_hours, "self_minus_supervisor_sd": float((own.mean() - sup.mean()) / sup.std()),
              "counter": ev.employees["is_counter_staff"].to_numpy(dtype=bool)}
    ev.cache["dynamic_constants"] = cached
    return cached


def dynamic_metrics(period: PeriodResult, arm: ArmResult, before: ArmState, after: ArmState) -> dict[str, float]:
    """The behaviour metrics of one arm in one period (resistance and fairness after the appraisal)."""
    tr = period.truth
    const = _period_constants(period)
    counter = const["counter"]
    rank = ranking_score(arm.appraisal.score, arm.appraisal.predikat)
    return {
        "effort_mean": float(before.effort.mean()),
        "resistance_mean": float(after.resistance.mean()),
        "perceived_fairness_mean": float(after.fairness.mean()),
        "gaming_share": float(before.gaming.mean()),
        "unmeasured_quality_mean": float(tr.quality.mean()),
        "turnover_rate": after.left / len(before.ability),
        "document_hours_mean": const["document_hours_mean"],
        "self_minus_supervisor_sd": const["self_minus_supervisor_sd"],
        "validity_counter_staff": validity_spearman(rank[counter], tr.overall[counter]) if counter.sum() > 2 else float("nan"),
    }


def _truth_for(population: Population, scenario: Scenario, seed: int, period: int, state: ArmState | None) -> Truth:
    months = scenario.appraisal.period_months
    rng = stream(seed, "truth", period)
    if state is None:
        return generate_truth(population, scenario.truth, months, rng)
    truth = generate_truth(population, scenario.truth, months, rng, ability=state.ability, effort=state.effort,
                           gaming=state.gaming)
    return dataclasses.replace(truth, quality=truth.quality - scenario.dynamics.gaming_quality_cost * state.gaming)


def run_arm(scenario: Scenario, seed: int, spec: PolicySpec, population: Population, first: PeriodResult,
            state0: ArmState, periods: int, is_status_quo: bool) -> Iterator[tuple[int, dict[str, float]]]:
    """One arm's trajectory: yields ``(period, metrics)`` for periods ``0..periods-1``."""
    state = state0
    period = first
    for t in range(periods):
        if t > 0:
            truth = _truth_for(population, scenario, seed, t, state)
            period = simulate_period(scenario, seed, period=t, population=population, truth=truth)
        history = state.history if len(state.history) else None
        # The career scheme matters only when its training can change a later period or a
        # PP 30/2019 dismissal is possible (three poor periods in a row need t >= 2).
        rules = _RULES if (t < periods - 1 or t >= 2) else {"tpp"}
        arm = appraise_one(period, spec, history, rules, overrides=_FAST)
        after = update_state(state, period, arm, scenario, first_change=(t == 0 and not is_status_quo),
                             rng=stream(seed, "dynamics", t))
        yield t, {**arm.metrics, **dynamic_metrics(period, arm, state, after)}
        state = after


def run_arms(scenario: Scenario, seed: int, periods: int | None = None) -> Iterator[tuple[int, str, dict[str, float]]]:
    """Every policy arm of one replication over ``periods``: yields ``(period, policy, metrics)``.

    Period 0 (the shared starting point) is simulated once for all arms.
    """
    periods = scenario.dynamics.periods if periods is None else periods
    population = generate_population(scenario.population, stream(seed, "population"))
    truth0 = _truth_for(population, scenario, seed, 0, None)
    first = simulate_period(scenario, seed, period=0, population=population, truth=truth0)
    state0 = initial_state(population, truth0)
    for k, spec in enumerate(scenario.policies):
        for t, metrics in run_arm(scenario, seed, spec, population, first, state0, periods, is_status_quo=(k == 0)):
            yield t, spec.name, metrics
