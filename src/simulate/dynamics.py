"""Behaviour over periods: people respond to the policy they live under (DESIGN 3.8).

The behaviour model only: the replication runner (:mod:`simulate.replication`) owns the loop
and hands :func:`update_state` an explicit :class:`BehaviourInputs` record built from one arm's
appraisal and follow-ups; nothing here looks up a reward scheme or reads a metric's internals.

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

import numpy as np

from simulate.evidence import Evidence, Truth
from simulate.metrics.core import validity_spearman
from simulate.population import Population
from simulate.predikat import BUTUH_PERBAIKAN
from simulate.rng import stream
from simulate.scenario.schema import Scenario
from simulate.work import generate_truth, truth_noise

__all__ = ["ArmState", "BehaviourInputs", "PeriodFacts", "PeriodEnd", "initial_state", "period_facts", "incentive",
           "end_of_period", "update_state", "behaviour_metrics", "period_truth", "truth_noise"]


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


@dataclass(frozen=True, eq=False)
class PeriodFacts:
    """What the behaviour model reads from one period's evidence, whatever the policy.

    Built once per evidence by :func:`period_facts` (every arm of period 0 shares it).
    """

    indicator_index: np.ndarray  #: each employee's mean standardised log capaian
    missed_target: np.ndarray  #: whether each employee missed a main target
    gaming_opportunity: np.ndarray  #: mean gameability of the indicators each employee holds
    counter_staff: np.ndarray  #: whether each employee serves at a counter
    document_hours_mean: float  #: visit-weighted hours to get a Dukcapil document (wait + service)
    self_minus_supervisor_sd: float  #: mean self-rating minus mean supervisor rating, in supervisor SDs
    capaian_mean: float  #: mean reported achievement of the measured indicators (percent)


@dataclass(frozen=True, eq=False)
class BehaviourInputs:
    """What one arm's appraisal and follow-ups mean for each person (built by the runner).

    Attributes
    ----------
    rank_score : ndarray
        The arm's ranking variable (score, or the predikat where the rule has no score).
    score_percentile, true_percentile : ndarray
        Each person's average rank under the arm and under true performance, divided by n.
    predikat : ndarray of int8
        The arm's predikat codes (0 best).
    rater_share : float
        Share of the score's variance due to the rater (perceived fairness falls with it).
    pay_share : ndarray or None
        Share of the allowance paid to each person (None when no scheme pays by performance).
    training : ndarray of bool or None
        Who is sent to training (None: those rated Butuh Perbaikan or worse are).
    dismissed : ndarray of bool or None
        Who is dismissed at the end of the period (None: nobody).
    """

    rank_score: np.ndarray
    score_percentile: np.ndarray
    true_percentile: np.ndarray
    predikat: np.ndarray
    rater_share: float
    pay_share: np.ndarray | None = None
    training: np.ndarray | None = None
    dismissed: np.ndarray | None = None


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


def _indicator_index(evidence: Evidence) -> np.ndarray:
    """Each employee's mean standardised log capaian (0 where an indicator is not held)."""
    cap = evidence.capaian
    present = ~np.isnan(cap)
    logc = np.log(np.maximum(np.where(present, cap, 1.0), 1.0))  # 0 where the cell is not held
    count = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = logc.sum(axis=0) / count
        dev = np.where(present, logc - mean, 0.0)
        z = dev / np.sqrt((dev * dev).sum(axis=0) / count)
    ok = present & np.isfinite(z)  # a column without spread carries no information
    return np.where(ok, z, 0.0).sum(axis=1) / np.maximum(ok.sum(axis=1), 1)


def _document_hours(service) -> float:
    """Visit-weighted hours from arrival to a Dukcapil document (wait plus service)."""
    duk = service.column("opd_kind") == "dukcapil"
    if not duk.any():
        return float("nan")
    w = service.column("visits").astype(float)[duk]
    hours = (service.column("wait_minutes_mean")[duk] + 60 / service.column("service_rate_per_hour")[duk]) / 60
    return float(np.sum(w * hours) / w.sum()) if w.sum() > 0 else float(hours.mean())


def period_facts(evidence: Evidence, service, gaming_opportunity: np.ndarray, counter_staff: np.ndarray) -> PeriodFacts:
    """The policy-independent facts of one period that the behaviour model reads.

    ``gaming_opportunity`` and ``counter_staff`` depend on the population alone; the runner
    derives them once (:class:`simulate.structure.Structure`).
    """
    sup = evidence.supervisor_behaviour.mean(axis=1)
    own = evidence.self_behaviour.mean(axis=1)
    cap = evidence.capaian[~np.isnan(evidence.capaian)]
    return PeriodFacts(
        indicator_index=_indicator_index(evidence),
        missed_target=np.any((evidence.capaian < 100) & evidence.main, axis=1),
        gaming_opportunity=gaming_opportunity, counter_staff=counter_staff,
        document_hours_mean=_document_hours(service),
        self_minus_supervisor_sd=float((own.mean() - sup.mean()) / sup.std()),
        capaian_mean=float(cap.mean()) if len(cap) else float("nan"),
    )


def _reliance(score: np.ndarray, facts: PeriodFacts) -> float:
    """How much a score rests on the measured indicators: |corr(score, mean standardised capaian)|."""
    index = facts.indicator_index
    if np.std(score) == 0 or np.std(index) == 0:
        return 0.0
    return abs(_corr_with_standardised(_standardise(score), index))


def incentive(inputs: BehaviourInputs, facts: PeriodFacts, truth: Truth, accountability: float,
              career_stakes: float, pay_spread_full: float) -> tuple[np.ndarray, float, dict[str, float]]:
    """Per-employee incentive strength, the score's reliance on indicators, and the parts."""
    rank = inputs.rank_score
    z = _standardise(rank)
    signal = max(0.0, _corr_with_standardised(z, truth.general)) if z.std() > 0 else 0.0
    pay = 0.0 if inputs.pay_share is None else max(0.0, _slope(inputs.pay_share, z)) / pay_spread_full
    levels = max(0.0, _slope(-np.asarray(inputs.predikat, float), z))
    strength = (pay + career_stakes * levels) * signal
    per_person = strength + accountability * facts.missed_target
    reliance = _reliance(rank, facts)
    return per_person, reliance, {"pay": pay, "career": career_stakes * levels, "signal": signal}


@dataclass(frozen=True, eq=False)
class PeriodEnd:
    """How one arm's period ends: attitudes after the appraisal and who leaves.

    What :func:`behaviour_metrics` reads of the state after a period (``resistance``,
    ``fairness``, ``left``, with leavers already replaced by a new hire's values), and what
    :func:`update_state` continues from when a next period exists.
    """

    resistance: np.ndarray  #: after the appraisal, 0 for the new hire in a leaver's post
    fairness: np.ndarray  #: after the appraisal, 1 for the new hire in a leaver's post
    left: int  #: employees who leave (and are replaced) at the end of the period
    leave: np.ndarray  #: who leaves
    incentive: np.ndarray  #: per-employee incentive strength (:func:`incentive`)
    reliance: float  #: how much the score rests on the measured indicators
    age: np.ndarray  #: age at the end of the period


def end_of_period(state: ArmState, inputs: BehaviourInputs, facts: PeriodFacts, truth: Truth, scenario: Scenario,
                  first_change: bool, rng: np.random.Generator) -> PeriodEnd:
    """Fairness, resistance and the leavers of this period (see the module docstring).

    Draws the quit uniforms, the first draws of the period's ``dynamics`` stream; the new hires'
    draws that follow are :func:`update_state`'s, needed only when a next period exists.
    """
    d = scenario.dynamics
    years = scenario.appraisal.period_months / 12
    a = 1 - (1 - d.adjustment) ** years
    n = len(state.ability)
    inc, reliance, _ = incentive(inputs, facts, truth, d.accountability, d.career_stakes, d.pay_spread_full)
    fairness = np.clip(1 - d.fairness_rater_weight * inputs.rater_share
                       - d.fairness_quota_weight * np.maximum(0.0, inputs.true_percentile - inputs.score_percentile), 0, 1)
    # Unfair or rigid scores only create pressure when something rides on them (the incentive).
    pressure = (((1 - fairness) + d.rigidity_weight * reliance) * inc + d.change_shock * first_change) * (1 - d.culture)
    resistance = (state.resistance + a * (pressure - state.resistance)) * (1 - d.socialisation) ** years
    dismissed = inputs.dismissed if inputs.dismissed is not None else np.zeros(n, dtype=bool)
    age = state.age + years
    quit_p = 1 - np.exp(-(d.quit_base + d.quit_resistance * resistance) * years)
    # Common random numbers: every arm sees the same uniforms and the same applicant pool.
    u = rng.random(n)
    leave = (u < quit_p) | (age >= scenario.population.retirement_age) | dismissed
    return PeriodEnd(resistance=np.where(leave, 0.0, resistance), fairness=np.where(leave, 1.0, fairness),
                     left=int(leave.sum()), leave=leave, incentive=inc, reliance=reliance, age=age)


def update_state(state: ArmState, inputs: BehaviourInputs, facts: PeriodFacts, truth: Truth, scenario: Scenario,
                 first_change: bool, rng: np.random.Generator, end: PeriodEnd | None = None) -> ArmState:
    """The arm's state after this period's appraisal (see the module docstring).

    ``end`` is :func:`end_of_period` of the same arguments, drawn from ``rng`` (computed here when
    None): a period without successor needs only that part.
    """
    if end is None:
        end = end_of_period(state, inputs, facts, truth, scenario, first_change, rng)
    d = scenario.dynamics
    years = scenario.appraisal.period_months / 12
    a = 1 - (1 - d.adjustment) ** years
    n = len(state.ability)
    inc, reliance, leave = end.incentive, end.reliance, end.leave

    target_effort = np.clip(state.effort_base + inc / d.effort_cost - d.resistance_effort * state.resistance, 0.01, 0.99)
    effort = state.effort + a * (target_effort - state.effort)
    opportunity = facts.gaming_opportunity / d.gaming_reference_gameability
    gaming = state.gaming + a * (np.clip(d.gaming_propensity * inc * reliance * opportunity, 0, 1) - state.gaming)

    ability = state.ability + d.training_all * years
    trained = inputs.training if inputs.training is not None else np.asarray(inputs.predikat) >= BUTUH_PERBAIKAN
    ability = ability + d.training_gain * trained

    new_ability = d.applicant_ability_mean + rng.standard_normal(n)
    tp = scenario.truth
    new_effort = rng.beta(tp.effort_alpha, tp.effort_beta, n)
    new_age = 23 + 10 * rng.random(n)
    history = np.vstack([state.history, np.asarray(inputs.predikat, dtype=np.int8)[None, :]])
    history[:, leave] = -1

    def renew(old: np.ndarray, new: np.ndarray | float) -> np.ndarray:
        return np.where(leave, new, old)

    return ArmState(
        ability=renew(ability, new_ability), effort=renew(effort, new_effort), effort_base=renew(state.effort_base, new_effort),
        gaming=renew(gaming, 0.0), resistance=end.resistance, fairness=end.fairness,
        age=renew(end.age, new_age), history=history, left=end.left,
    )


def behaviour_metrics(inputs: BehaviourInputs, facts: PeriodFacts, truth: Truth, before: ArmState,
                      after: ArmState | PeriodEnd) -> dict[str, float]:
    """The behaviour metrics of one arm in one period (resistance and fairness after the appraisal).

    ``after`` is the state after the period or, for a period without successor, its :func:`end_of_period`.
    """
    counter = facts.counter_staff
    rank = inputs.rank_score
    return {
        "effort_mean": float(before.effort.mean()),
        "resistance_mean": float(after.resistance.mean()),
        "perceived_fairness_mean": float(after.fairness.mean()),
        "gaming_share": float(before.gaming.mean()),
        "capaian_mean": facts.capaian_mean,
        "unmeasured_quality_mean": float(truth.quality.mean()),
        "turnover_rate": after.left / len(before.ability),
        "document_hours_mean": facts.document_hours_mean,
        "self_minus_supervisor_sd": facts.self_minus_supervisor_sd,
        "validity_counter_staff": validity_spearman(rank[counter], truth.overall[counter]) if counter.sum() > 2 else float("nan"),
    }


def period_truth(population: Population, scenario: Scenario, seed, period: int, state: ArmState | None,
                 noise: dict[str, np.ndarray] | None = None) -> Truth:
    """Period ``period``'s truth for an arm in ``state`` (``noise``: the period's shared draws).

    ``state`` None draws the starting truth of the population (period 0, shared by every arm).
    """
    months = scenario.appraisal.period_months
    if state is None:
        return generate_truth(population, scenario.truth, months, stream(seed, "truth", period))
    if noise is None:
        noise = truth_noise(population.n, stream(seed, "truth", period))
    truth = generate_truth(population, scenario.truth, months, ability=state.ability, effort=state.effort,
                           gaming=state.gaming, noise=noise)
    return dataclasses.replace(truth, quality=truth.quality - scenario.dynamics.gaming_quality_cost * state.gaming)
