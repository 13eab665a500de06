"""One appraisal period end to end: population -> truth -> work -> citizens -> raters -> evidence.

This is the orchestration of DESIGN section 2; each stage lives in its own module and draws
from its own named random stream (:func:`simulate.rng.stream`), so adding draws to one stage
never shifts another's, and every policy is later applied to the same evidence (common random
numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate import citizens
from simulate.evidence import Evidence, Truth, frame_html
from simulate.memo import memoised
from simulate.population import Population, generate_population
from simulate.raters import RatingPlan, compose_ratings, plan_ratings, sibling_positions
from simulate.rng import copy_generator, stream
from simulate.scenario.schema import COUNTER_KINDS, Scenario
from simulate.work import WorkPlan, compose_work, generate_truth, plan_work

__all__ = ["PeriodResult", "PeriodPlan", "plan_period", "simulate_period", "service_points", "evidence_employees"]


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


def _point_structure(population: Population, scenario: Scenario) -> dict:
    """The truth-independent part of :func:`service_points` (memoised per population)."""
    services = scenario.citizens.services
    key = ("point_structure", tuple((k, spec.counter_share) for k, spec in services.items()))
    return memoised(population, key, lambda: _compute_point_structure(population, services))


def _compute_point_structure(population: Population, services: dict) -> dict:
    e = population.employees
    opds = population.opds
    kind = opds["opd_kind"].astype(str).to_numpy()
    is_point = np.isin(kind, [k for k in COUNTER_KINDS if k in services])
    # counter share per OPD kind, gathered per OPD (a loop over the three kinds, not the OPDs)
    share = np.zeros(len(kind))
    for k, spec in services.items():
        share[kind == k] = spec.counter_share
    n_servers_opd = np.where(is_point, np.maximum(1, np.rint(share * opds["n_employees"].to_numpy())), 0).astype(np.int64)

    opd = e["opd_id"].to_numpy()
    staff = e["level"].to_numpy() == 0
    # Rank of each staff member among the staff of the OPD (heads get a large key).
    key = np.where(staff, opd, -1)
    _, pos, _ = sibling_positions(key)
    counter = staff & (pos < n_servers_opd[opd])
    # Tiny OPDs without staff: the head serves.
    no_staff = np.bincount(opd[staff], minlength=len(opds)) == 0
    counter |= (e["level"].to_numpy() > 0) & no_staff[opd] & is_point[opd] & (e["superior_id"].to_numpy() < 0)
    counter.flags.writeable = False
    n_servers = np.bincount(opd[counter], minlength=len(opds))
    n_opds = len(opds)
    return {
        "opd": opd, "is_point": is_point, "counter": counter, "n_opds": n_opds,
        "counter_count": np.maximum(np.bincount(opd[counter], minlength=n_opds), 1),
        "staff_count": np.maximum(np.bincount(opd, minlength=n_opds), 1),
        "static": {
            "point_id": opds["opd_id"].to_numpy()[is_point],
            "opd_kind": kind[is_point],
            "n_staff": opds["n_employees"].to_numpy()[is_point],
            "n_servers": np.maximum(n_servers, 1)[is_point],
        },
    }


def service_points(population: Population, truth: Truth, scenario: Scenario) -> tuple[pd.DataFrame, np.ndarray]:
    """Service points (one per counter-service OPD) and a mask of counter staff.

    The counter staff of a point are the first ``counter_share`` of its staff (at least one);
    employees are assigned to OPD ranks at random, so this is a random choice of staff.
    """
    st = _point_structure(population, scenario)
    perf = _point_performance(population, truth, scenario)
    return pd.DataFrame({**st["static"], **perf}), st["counter"]


def _point_performance(population: Population, truth: Truth, scenario: Scenario) -> dict[str, np.ndarray]:
    """Per service point: mean performance of the counter staff and of all staff, and quality."""
    st = _point_structure(population, scenario)
    opd, counter, is_point, n_opds = st["opd"], st["counter"], st["is_point"], st["n_opds"]

    def opd_mean(values: np.ndarray, mask: np.ndarray | None = None, count: np.ndarray | None = None) -> np.ndarray:
        if mask is None:
            s = np.bincount(opd, weights=values, minlength=n_opds)
        else:
            s = np.bincount(opd[mask], weights=values[mask], minlength=n_opds)
        return (s / count)[is_point]

    return {
        "server_performance": opd_mean(truth.general, counter, st["counter_count"]),
        "staff_performance": opd_mean(truth.general, None, st["staff_count"]),
        "quality": opd_mean(truth.quality, None, st["staff_count"]),
    }


def evidence_employees(population: Population, scenario: Scenario) -> pd.DataFrame:
    """The observable employee table of every period of ``population`` (one shared frame).

    Policies, reward schemes and metrics memoise what they derive from it
    (:mod:`simulate.memo`), so every period and policy arm of a run reuses that work.
    """
    st = _point_structure(population, scenario)
    key = ("evidence_employees", id(st))

    def build() -> pd.DataFrame:
        opd = st["opd"]
        has_point = st["is_point"][opd] if len(opd) else np.zeros(0, bool)
        return population.employees.drop(columns=["nip"]).assign(
            is_counter_staff=st["counter"], service_point_id=np.where(has_point, opd, -1),
        )

    return memoised(population, key, build)


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
    keep: bool


def plan_period(scenario: Scenario, seed, period: int, population: Population, *, keep: bool = True) -> PeriodPlan:
    """Draw the truth-independent part of period ``period`` (``keep``: composable many times)."""
    months = scenario.appraisal.period_months
    work = plan_work(population, scenario.work, months, stream(seed, "work", period))
    service = citizens.plan_service(_static_points(population, scenario), scenario.citizens, months,
                                    stream(seed, "citizens", period), keep_draws=keep)
    ratings = plan_ratings(population, scenario.raters, scenario.appraisal, period, stream(seed, "raters", period))
    return PeriodPlan(scenario=scenario, population=population, seed=seed, period=period, work=work,
                      service=service, ratings=ratings, keep=keep)


def _static_points(population: Population, scenario: Scenario) -> pd.DataFrame:
    st = _point_structure(population, scenario)
    return memoised(population, ("static_points", id(st)), lambda: pd.DataFrame(st["static"]))


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
        This period's truth-independent draws (:func:`plan_period` with ``keep=True``), shared
        by the policy arms of a multi-period run; it fixes seed, period and population.
    """
    seed = scenario.seed if seed is None else seed
    months = scenario.appraisal.period_months
    if plan is not None:
        if plan.scenario is not scenario or not plan.keep:
            raise ValueError("simulate_period: plan must come from plan_period(scenario, ..., keep=True) "
                             "for this same scenario")
        seed, period, population = plan.seed, plan.period, plan.population
    if population is None:
        population = generate_population(scenario.population, stream(seed, "population"))
    if truth is None:
        truth = generate_truth(population, scenario.truth, months, stream(seed, "truth", period))
    reuse = plan is not None
    if plan is None:
        plan = plan_period(scenario, seed, period, population, keep=False)
    work = compose_work(plan.work, truth, scenario.work, scenario.truth, months, reuse=reuse)

    perf = _point_performance(population, truth, scenario)
    counter = _point_structure(population, scenario)["counter"]
    rng_c = copy_generator(plan.service.rng) if reuse else plan.service.rng
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

    ratings = compose_ratings(plan.ratings, truth, scenario.raters, scenario.truth, scenario.appraisal,
                              inplace=not reuse)
    employees = evidence_employees(population, scenario)
    evidence = Evidence(
        employees=employees,
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
