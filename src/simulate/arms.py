"""Policy arms of one replication: every policy scored on the same evidence (common random numbers).

:func:`appraise_all` applies each policy of a scenario to one period's evidence, runs the reward
schemes on each appraisal and computes the metrics against the truth. It is the unit of work the
experiment runner and the multi-period dynamics share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.cycle import PeriodResult
from simulate.metrics import policy_metrics
from simulate.policies.base import Appraisal, apply_policy
from simulate.rewards.base import FollowUp, apply_reward
from simulate.scenario.schema import PolicySpec

__all__ = ["ArmResult", "appraise_all", "appraise_one", "tpp_cost"]


@dataclass(frozen=True, eq=False)
class ArmResult:
    """One policy's appraisal, follow-ups and metrics in one period."""

    policy: str
    appraisal: Appraisal
    followups: dict[str, FollowUp]
    metrics: dict[str, float]


def tpp_cost(followups: dict[str, FollowUp]) -> float:
    """Total rupiah of the scenario's TPP scheme(s) (NaN when the scenario runs none)."""
    costs = [f.total_cost_idr for f in followups.values() if f.rule == "tpp"]
    return float(np.sum(costs)) if costs else float("nan")


def appraise_one(period: PeriodResult, spec: PolicySpec, history: np.ndarray | None = None,
                 rules: set[str] | None = None, overrides: dict[str, dict] | None = None) -> ArmResult:
    """Score ``period`` under one policy, run its follow-ups and compute the metrics.

    ``history`` holds the arm's earlier predikat codes (periods x n), used by the career scheme
    (two consecutive Sangat Baik, the poor-performance path). ``rules`` limits the reward
    schemes run to those rules (the metrics need only ``tpp``); None runs them all. ``overrides``
    maps a scheme rule to parameters merged over the scenario's (e.g. switching off event texts).
    """
    sc = period.scenario
    appraisal = apply_policy(period.evidence, spec.rule, spec.params, name=spec.name)
    followups = {}
    for rspec in sc.rewards:
        if rules is not None and rspec.rule not in rules:
            continue
        params = dict(rspec.params)
        if rspec.rule == "career":
            params.setdefault("reference_year", sc.population.reference_year)
        params.update((overrides or {}).get(rspec.rule, {}))
        followups[rspec.name] = apply_reward(appraisal, period.population, period.evidence, rspec.rule,
                                             params, name=rspec.name, history=history)
    metrics = policy_metrics(appraisal, period.evidence, period.truth, period.service, tpp_cost(followups))
    return ArmResult(policy=spec.name, appraisal=appraisal, followups=followups, metrics=metrics)


def appraise_all(period: PeriodResult, history: dict[str, np.ndarray] | None = None,
                 rules: set[str] | None = None) -> list[ArmResult]:
    """:func:`appraise_one` for every policy of the scenario, on the same evidence."""
    return [appraise_one(period, spec, (history or {}).get(spec.name), rules) for spec in period.scenario.policies]
