"""One replication of a scenario, top to bottom (DESIGN 2).

The runner owns the loop; every stage it calls lives in its own module::

    population                                   simulate.population
    per period:
      evidence (truth, work, citizens, raters)   simulate.cycle
      each arm's appraisal                       simulate.policies
      its follow-up                              simulate.rewards
      its metrics                                simulate.metrics
      the behaviour update                       simulate.dynamics

An arm is one policy of the scenario (with the scenario's reward schemes). Period 0 is shared by
every arm (same truth, same evidence); in each later period the draws that do not depend on the
truth are made once (:func:`simulate.cycle.plan_period`) and composed with each arm's own truth,
so the arms differ only through the behaviour their policy induced (common random numbers).

The behaviour model gets an explicit :class:`~simulate.dynamics.BehaviourInputs` record built
here from the arm's appraisal, metrics and the follow-ups' :class:`~simulate.rewards.FollowUpSignals`;
which follow-ups run is decided from what each registered scheme says it feeds (a metric, a
behaviour signal), never from its name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from simulate import dynamics
from simulate.cycle import PeriodResult, plan_period, simulate_period
from simulate.evidence import frame_html
from simulate.metrics.distribution import ArmOutcome, arm_outcome
from simulate.metrics.indicators import indicator_change_metrics
from simulate.metrics.core import MetricContext, average_ranks, metric_context, policy_metrics, ranking_score
from simulate.metrics.ranks import sorted_ranks
from simulate.policies.base import Appraisal, appraisal_keys, apply_policy, forget_appraisals
from simulate.policies.common import indicator_attribute
from simulate.population import generate_population
from simulate.rewards.base import FollowUp, RewardInfo, apply_reward, get_reward
from simulate.rng import stream
from simulate.scenario.schema import PolicySpec, Scenario

__all__ = ["ArmPeriod", "follow_up", "appraise_arm", "behaviour_inputs", "period_facts", "gaming_opportunity", "outcome",
           "run_arms"]


@dataclass(frozen=True, eq=False)
class ArmPeriod:
    """One arm's appraisal, follow-ups and metrics in one period."""

    policy: str
    appraisal: Appraisal
    followups: dict[str, FollowUp]
    metrics: dict[str, float]

    def summary(self) -> pd.DataFrame:
        """The arm's metrics, one row each."""
        return pd.DataFrame({"value": pd.Series(self.metrics, dtype=float)})

    def _repr_html_(self) -> str:
        return frame_html(f"Arm {self.policy}, period {self.appraisal_period}", self.summary())

    @property
    def appraisal_period(self) -> int:
        return int(next(iter(self.followups.values())).period) if self.followups else 0


def arm_rewards(scenario: Scenario, spec: PolicySpec) -> list:
    """The reward schemes of one arm: its own (a reform package), else the scenario's."""
    return list(scenario.rewards if spec.rewards is None else spec.rewards)


def follow_up(period: PeriodResult, appraisal: Appraisal, history: np.ndarray | None = None,
              run=None, table_only: bool = False, rewards: list | None = None,
              only: list[str] | None = None) -> dict[str, FollowUp]:
    """Reward schemes applied to ``appraisal`` (``rewards``, default the scenario's, in order).

    ``run(info)`` chooses the schemes to apply (all when None), ``only`` restricts them to those
    names; ``table_only`` applies each scheme's :attr:`~simulate.rewards.RewardInfo.table_only`
    parameters (no event texts).
    """
    sc = period.scenario
    out: dict[str, FollowUp] = {}
    for rspec in (sc.rewards if rewards is None else rewards):
        if only is not None and rspec.name not in only:
            continue
        info = get_reward(rspec.rule)
        if run is not None and not run(info):
            continue
        params = dict(rspec.params)
        if "reference_year" in info.params.model_fields:
            params.setdefault("reference_year", sc.population.reference_year)
        if table_only:
            params.update(info.table_only)
        out[rspec.name] = apply_reward(appraisal, period.population, period.evidence, rspec.rule, params,
                                       name=rspec.name, history=history)
    return out


def _costs(followups: dict[str, FollowUp], metric: str) -> float:
    """Total rupiah of the follow-ups whose scheme adds to ``metric`` (NaN when none does)."""
    costs = [f.total_cost_idr for f in followups.values() if get_reward(f.rule).cost_metric == metric]
    return float(np.sum(costs)) if costs else float("nan")


#: Per-scheme cost rows: ``scheme_cost_idr.<scheme name>`` for every scheme that costs rupiah.
SCHEME_COST = "scheme_cost_idr"


def scheme_cost_names(scenario: Scenario) -> list[str]:
    """The ``scheme_cost_idr.<scheme>`` metric names a run of ``scenario`` reports."""
    names = [f"{SCHEME_COST}.{r.name}" for spec in scenario.policies for r in arm_rewards(scenario, spec)
             if get_reward(r.rule).cost_metric is not None]
    return list(dict.fromkeys(names))


def _metrics(period: PeriodResult, appraisal: Appraisal, followups: dict[str, FollowUp], context: MetricContext,
             rank: np.ndarray, ranks: np.ndarray, order: np.ndarray | None = None) -> dict[str, float]:
    out = policy_metrics(appraisal, period.evidence, period.truth, period.service, _costs(followups, "tpp_cost_idr"),
                         context=context, rank=rank, ranks=ranks, order=order)
    for f in followups.values():  # each scheme's cost on its own, beside the total of its metric
        if get_reward(f.rule).cost_metric is not None:
            out[f"{SCHEME_COST}.{f.scheme}"] = float(f.total_cost_idr)
    return out


def appraise_arm(period: PeriodResult, spec: PolicySpec, history: np.ndarray | None = None) -> ArmPeriod:
    """One policy on one period: its appraisal, every follow-up of the scenario, and the metrics."""
    appraisal = apply_policy(period.evidence, spec.rule, spec.params, name=spec.name)
    followups = follow_up(period, appraisal, history, rewards=arm_rewards(period.scenario, spec))
    rank = ranking_score(appraisal.score, appraisal.predikat)
    ctx = metric_context(period.evidence, period.truth, period.service)
    order, ranks = sorted_ranks(rank)
    return ArmPeriod(spec.name, appraisal, followups, _metrics(period, appraisal, followups, ctx, rank, ranks, order))


def _signals(followups: dict[str, FollowUp]) -> dict[str, np.ndarray]:
    """The first follow-up (scenario order) that says something about each behaviour signal."""
    out: dict[str, np.ndarray] = {}
    for f in followups.values():
        info = get_reward(f.rule)
        if info.signals is None:
            continue
        sig = info.signals(f)
        for name in ("pay_share", "training", "dismissed"):
            value = getattr(sig, name)
            if value is not None and name not in out:
                out[name] = value
    return out


def behaviour_inputs(appraisal: Appraisal, followups: dict[str, FollowUp], metrics: dict[str, float],
                     context: MetricContext, rank: np.ndarray | None = None,
                     ranks: np.ndarray | None = None) -> dynamics.BehaviourInputs:
    """What one arm's appraisal, metrics and follow-ups mean for each person (the behaviour model's input)."""
    rank = ranking_score(appraisal.score, appraisal.predikat) if rank is None else rank
    ranks = average_ranks(rank) if ranks is None else ranks
    n = appraisal.n
    return dynamics.BehaviourInputs(
        rank_score=rank, score_percentile=ranks / n, true_percentile=context.truth_rank / n,
        predikat=appraisal.predikat, rater_share=metrics["rater_variance_share"], **_signals(followups))


def period_facts(result: PeriodResult) -> dynamics.PeriodFacts:
    """:func:`simulate.dynamics.period_facts` of one simulated period."""
    return dynamics.period_facts(result.evidence, result.service, gaming_opportunity(result.evidence),
                                 result.evidence.structure.column("is_counter_staff", bool))


@dataclass
class _Period:
    """One period as lived by one or more arms: the simulation and what every arm reads from it."""

    result: PeriodResult
    context: MetricContext
    facts: dynamics.PeriodFacts


def _period(result: PeriodResult, opportunity: np.ndarray, counter: np.ndarray) -> _Period:
    return _Period(result, metric_context(result.evidence, result.truth, result.service),
                   dynamics.period_facts(result.evidence, result.service, opportunity, counter))


def gaming_opportunity(evidence) -> np.ndarray:
    """Mean gameability of the indicators each employee holds (0 for none)."""
    g = indicator_attribute(evidence, "gameability")  # (n, K), NaN where the slot is not held
    held = ~np.isnan(g)
    return np.where(held, g, 0.0).sum(axis=1) / np.maximum(held.sum(axis=1), 1)


def outcome(period: PeriodResult, appraisal: Appraisal, followups: dict[str, FollowUp], context: MetricContext,
            history: np.ndarray | None = None, rewards: list | None = None) -> ArmOutcome:
    """What ``appraisal`` gives each employee (:class:`~simulate.metrics.distribution.ArmOutcome`).

    ``rewards`` are the arm's schemes (default the scenario's); ``followups`` may hold some of them
    only (a replication skips those no metric reads): the others are applied here; the TPP schemes
    are also applied to the reference predikat by true performance (the cost of misjudgement).
    """
    rewards = list(period.scenario.rewards if rewards is None else rewards)
    missing = [r.name for r in rewards if r.name not in followups]
    if missing:
        rest = follow_up(period, appraisal, history, table_only=True, rewards=rewards, only=missing)
        followups = {r.name: followups[r.name] if r.name in followups else rest[r.name] for r in rewards}
    # What paying by true performance costs depends on the period's truth and evidence and on the
    # arm's TPP schemes alone (TPP does not look back): arms sharing a period (period 0) and their
    # schemes share it.
    tpp = [r for r in rewards if get_reward(r.rule).cost_metric == "tpp_cost_idr"]
    reference = period.evidence.derived.get(
        ("replication.reference_tpp", appraisal.n, tuple(r.model_dump_json() for r in tpp)),
        lambda: follow_up(period, replace(appraisal, predikat=context.reference), history, table_only=True,
                          rewards=tpp))
    return arm_outcome(appraisal.predikat, followups, context.truth_order, reference)


def run_arms(scenario: Scenario, seed, periods: int | None = None,
             observe: Callable[[int, str, ArmOutcome, pd.DataFrame, object], None] | None = None,
             ) -> Iterator[tuple[int, str, dict[str, float]]]:
    """Every policy arm of one replication over ``periods``: yields ``(period, policy, metrics)``.

    Period by period, so only one period's draws are held at a time (see the module docstring).
    ``observe(period, policy, outcome, employees, structure)``, when given, is called for every
    arm and period, status quo first, with the arm's :func:`outcome` (the distribution tables,
    :class:`~simulate.metrics.distribution.DistributionCollector`).
    """
    periods = scenario.dynamics.periods if periods is None else periods
    population = generate_population(scenario.population, stream(seed, "population"))
    truth0 = dynamics.period_truth(population, scenario, seed, 0, None)
    first = simulate_period(scenario, seed, period=0, population=population, truth=truth0)
    opportunity = gaming_opportunity(first.evidence)
    counter = first.evidence.structure.column("is_counter_staff", bool)
    shared0 = _period(first, opportunity, counter)
    specs = list(scenario.policies)
    states = [dynamics.initial_state(population, truth0)] * len(specs)
    levels: list[dict | None] = [None] * len(specs)  # each arm's indicator levels in its last period
    # Period 0's evidence is scored by every arm: after arm k it keeps only the appraisals arms
    # after k may reuse (their bases), so that not every arm's appraisal is held at once.
    later = [set().union(*(appraisal_keys(s.rule, s.params) for s in specs[k + 1:])) for k in range(len(specs))]
    for t in range(periods):
        last = t == periods - 1

        def run(info: RewardInfo) -> bool:
            # A scheme runs when a metric reads its cost, or when its signals can still matter:
            # in a later period, or through a dismissal in this one.
            if info.cost_metric is not None:
                return True
            if info.signals is None:
                return False
            return not last or (info.dismissal_after is not None and t >= info.dismissal_after)

        shared = t > 0 and len(specs) > 1
        plan = plan_period(scenario, seed, t, population) if shared else None
        noise = dynamics.truth_noise(population.n, stream(seed, "truth", t)) if shared else None
        for k, spec in enumerate(specs):
            if t == 0:
                p = shared0
            else:
                truth = dynamics.period_truth(population, scenario, seed, t, states[k], noise)
                p = _period(simulate_period(scenario, seed, period=t, population=population, truth=truth, plan=plan),
                            opportunity, counter)
            result, state = p.result, states[k]
            history = state.history if len(state.history) else None
            appraisal = apply_policy(result.evidence, spec.rule, spec.params, name=spec.name)
            rewards = arm_rewards(scenario, spec)
            followups = follow_up(result, appraisal, history, run=run, table_only=True, rewards=rewards)
            rank = ranking_score(appraisal.score, appraisal.predikat)
            order, ranks = sorted_ranks(rank)  # the order also ranks each kind of office (policy_metrics)
            metrics = _metrics(result, appraisal, followups, p.context, rank, ranks, order)
            if levels[k] is not None and p.context.indicator_levels is not None:  # the change since t - 1
                metrics.update(indicator_change_metrics(levels[k], p.context.indicator_levels))
            levels[k] = p.context.indicator_levels
            inputs = behaviour_inputs(appraisal, followups, metrics, p.context, rank, ranks)
            rng = stream(seed, "dynamics", t)
            after = dynamics.end_of_period(state, inputs, p.facts, result.truth, scenario, first_change=(t == 0 and k > 0),
                                           rng=rng)
            if not last:  # the rest of the behaviour update only matters to a next period
                states[k] = dynamics.update_state(state, inputs, p.facts, result.truth, scenario,
                                                  first_change=(t == 0 and k > 0), rng=rng, end=after)
            if observe is not None:
                structure = result.evidence.structure
                observe(t, spec.name, outcome(result, appraisal, followups, p.context, history, rewards),
                        structure.table, structure)
            behaviour = dynamics.behaviour_metrics(inputs, p.facts, result.truth, state, after)
            del appraisal, followups, inputs, after
            if t == 0:
                forget_appraisals(result.evidence, later[k])
            yield t, spec.name, {**metrics, **behaviour}
        if t == 0:
            shared0 = first = None  # period 0 is over: its evidence goes
