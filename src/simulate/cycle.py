"""One appraisal period end to end: population -> truth -> work -> citizens -> raters -> evidence.

This is the orchestration of DESIGN section 2; each stage lives in its own module and draws
from its own named random stream (:func:`simulate.rng.stream`), so adding draws to one stage
never shifts another's, and every policy is later applied to the same evidence (common random
numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from simulate import citizens
from simulate.evidence import Evidence, Truth, frame_html
from simulate.population import Population, generate_population
from simulate.raters import RatingPlan, compose_ratings, plan_ratings
from simulate.rng import copy_generator, stream
from simulate.scenario.schema import Scenario
from simulate.structure import Structure
from simulate.work import WorkPlan, compose_work, generate_truth, plan_work

__all__ = ["PeriodResult", "PeriodPlan", "plan_period", "simulate_period", "observable_employees"]


@dataclass(frozen=True, eq=False)
class PeriodResult:
    """Everything one period produced. Policies get ``evidence``; metrics also get ``truth``."""

    scenario: Scenario
    population: Population
    truth: Truth
    evidence: Evidence
    service: "citizens.ServiceOutcome"
    period: int = 0

    def summary(self) -> pd.DataFrame:
        ev, tr = self.evidence, self.truth
        rows = {
            "employees": ev.n,
            "service points": len(self.service.points),
            "mean wait (minutes)": float(self.service.points["wait_minutes_mean"].mean()) if len(self.service.points) else np.nan,
            "mean IKM (25-100)": float(self.service.points["ikm_converted"].mean()) if len(self.service.points) else np.nan,
            "corr(supervisor rating, truth)": float(np.corrcoef(ev.supervisor_behaviour.mean(axis=1), tr.overall)[0, 1]),
            "mean capaian (percent)": float(np.nanmean(ev.capaian)),
        }
        return pd.DataFrame({"value": rows})

    def _repr_html_(self) -> str:
        return frame_html(f"Period {self.period} of scenario '{self.scenario.name}'", self.summary())


def observable_employees(population: Population, scenario: Scenario) -> Structure:
    """The observable employee table of every period of ``population``, with its structure.

    The population's table without the NIP, plus who serves at a counter and at which service
    point. One table (and one :class:`~simulate.structure.Structure`) is shared by every period
    and arm, so what policies, reward schemes and metrics derive from it is derived once.
    """
    services = scenario.citizens.services
    st = citizens.point_structure(population, services)

    def build() -> Structure:
        opd = st.opd
        has_point = st.is_point[opd] if len(opd) else np.zeros(0, bool)
        table = population.employees.drop(columns=["nip"]).assign(
            is_counter_staff=st.counter, service_point_id=np.where(has_point, opd, -1),
        )
        return Structure(table)

    key = tuple((k, spec.counter_share) for k, spec in services.items())
    return population.structure.derive(("cycle.observable_employees", key), build)


@dataclass(frozen=True, eq=False)
class PeriodPlan:
    """The draws of one period that do not depend on the truth (work, service, ratings).

    Every policy arm of a multi-period run lives through the same period ``t`` with its own
    truth (its people's ability, effort and gaming); :func:`plan_period` draws what they share
    once, and :func:`simulate_period` composes it with each arm's truth (common random numbers,
    at a fraction of the cost of drawing again).
    """

    scenario: Scenario
    population: Population
    seed: object
    period: int
    work: "WorkPlan"
    service: "citizens.ServicePlan"
    ratings: "RatingPlan"
    shared: bool


def plan_period(scenario: Scenario, seed, period: int, population: Population, *, shared: bool = True) -> PeriodPlan:
    """Draw the truth-independent part of period ``period``.

    The one place that decides whether the draws are shared by several policy arms
    (``shared``, the default: the plan may be composed many times, each composition seeing the
    same random numbers) or used once (then each stage composes in place, without copies).
    """
    months = scenario.appraisal.period_months
    work = plan_work(population, scenario.work, months, stream(seed, "work", period), shared=shared)
    points = citizens.point_structure(population, scenario.citizens.services).points
    service = citizens.plan_service(points, scenario.citizens, months, stream(seed, "citizens", period), shared=shared)
    ratings = plan_ratings(population, scenario.raters, scenario.appraisal, period, stream(seed, "raters", period),
                           shared=shared)
    return PeriodPlan(scenario=scenario, population=population, seed=seed, period=period, work=work,
                      service=service, ratings=ratings, shared=shared)


def simulate_period(
    scenario: Scenario,
    seed: int | np.random.SeedSequence | None = None,
    *,
    period: int = 0,
    population: Population | None = None,
    truth: Truth | None = None,
    plan: PeriodPlan | None = None,
) -> PeriodResult:
    """Simulate one appraisal period of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        Validated parameters.
    seed : int or SeedSequence, optional
        The replication's seed; defaults to ``scenario.seed``.
    period : int
        Period number (0 for the first); each period draws from its own streams.
    population, truth : optional
        Reuse a population (and a truth drawn by :mod:`simulate.dynamics`) from earlier periods.
    plan : PeriodPlan, optional
        This period's truth-independent draws (:func:`plan_period`, shared), shared
        by the policy arms of a multi-period run; it fixes seed, period and population.
    """
    seed = scenario.seed if seed is None else seed
    months = scenario.appraisal.period_months
    if plan is not None:
        if plan.scenario is not scenario or not plan.shared:
            raise ValueError("simulate_period: plan must come from plan_period(scenario, ..., shared=True) "
                             "for this same scenario")
        seed, period, population = plan.seed, plan.period, plan.population
    if population is None:
        population = generate_population(scenario.population, stream(seed, "population"))
    if truth is None:
        truth = generate_truth(population, scenario.truth, months, stream(seed, "truth", period))
    if plan is None:
        plan = plan_period(scenario, seed, period, population, shared=False)
    work = compose_work(plan.work, truth, scenario.work, scenario.truth, months)
    groups = plan.work.structure["groups"]
    truth = replace(truth, unit_shock=plan.work.unit_shock[groups], unit_org_noise=plan.work.org_noise[groups])

    points = citizens.point_structure(population, scenario.citizens.services)
    perf = citizens.point_performance(points, truth)
    counter = points.counter
    rng_c = copy_generator(plan.service.rng) if plan.shared else plan.service.rng
    service = citizens.compose_service(plan.service, perf["server_performance"], perf["staff_performance"],
                                       perf["quality"], rng=rng_c)
    n = population.n
    opd = population.employees["opd_id"].to_numpy()
    point_rows = np.full(int(population.opds["opd_id"].max()) + 1, -1, dtype=np.int64)
    point_rows[service.column("point_id")] = np.arange(service.n_points)
    row = point_rows[opd]
    has_point = row >= 0
    ikm = np.full(n, np.nan)
    complaints = np.full(n, np.nan)
    ikm[has_point] = service.column("ikm_converted")[row[has_point]]
    complaints[has_point] = service.column("complaints_per_1000")[row[has_point]]
    citizen_rating = np.full(n, np.nan)
    if scenario.citizens.citizen_ratings_per_staff > 0 and counter.any():
        # The point's level already holds its staff's mean performance; a person's own rating
        # replaces that with the person's own performance (no double counting).
        sat = scenario.citizens.satisfaction
        staff_term = 0.5 * (perf["staff_performance"] + perf["quality"])
        level = service.column("satisfaction_true") - sat.staff_weight * staff_term
        citizen_rating[counter] = citizens.citizen_ratings(
            truth.general[counter], level[row[counter]], scenario.citizens.citizen_ratings_per_staff,
            months, scenario.citizens, rng_c,
        )

    ratings = compose_ratings(plan.ratings, truth, scenario.raters, scenario.truth, scenario.appraisal)
    observable = observable_employees(population, scenario)
    evidence = Evidence(
        employees=observable.table, structure=observable,
        indicators=work["indicators"],
        realisation=work["realisation"], target=work["target"], capaian=work["capaian"],
        lower_is_better=work["lower_is_better"], main=work["main"],
        citizen_rating=citizen_rating, unit_ikm=ikm, unit_complaints_per_1000=complaints,
        org_capaian=work["org_capaian"], late_days=work["late_days"], absent_days=work["absent_days"],
        new_idea=work["new_idea"], extra_tasks=work["extra_tasks"],
        service_points=service.observable_columns(), scales=scenario.raters.scales,
        period=period, period_months=months,
        **ratings,
    )
    return PeriodResult(scenario=scenario, population=population, truth=truth, evidence=evidence,
                        service=service, period=period)
