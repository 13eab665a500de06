"""One period of service at every point: queues, surveys and complaints put together (DESIGN 3.4).

See :mod:`simulate.citizens.queue` for the queue model and :mod:`simulate.citizens.survey` for
satisfaction, the SKM survey and complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from simulate.citizens.queue import _as_servers, _queue_arrays, pooled_wait_quantiles
from simulate.citizens.survey import (
    ELEMENT_EXTRA_LOADINGS,
    GRADES,
    _check_months,
    _drivers,
    answer_probabilities,
    complaint_probability,
    selective_response_draws,
    surveys_in_period,
)
from simulate.evidence import frame_html
from simulate.frames import LazyFrame, frame_column, frame_raw
from simulate.rng import RngLike, as_generator, copy_generator
from simulate.rules.skm import (
    N_ELEMENTS,
    convert_ikm,
    ikm_from_element_means,
    ikm_grade,
    krejcie_morgan_sample_size,
)
from simulate.scenario.schema import COUNTER_KINDS, CitizenParams, SatisfactionParams

#: Columns :func:`simulate_service` needs in its ``points`` frame.
POINT_INPUT_COLUMNS: tuple[str, ...] = (
    "point_id",
    "opd_kind",
    "n_staff",
    "n_servers",
    "demand_share",
    "region_employees",
    "server_performance",
    "staff_performance",
    "quality",
)

#: Columns of :attr:`ServiceOutcome.points`, in order.
POINT_COLUMNS: tuple[str, ...] = (
    "point_id",
    "opd_kind",
    "n_staff",
    "servers",
    "visits",
    "arrivals_per_hour",
    "recorded_handling_minutes",
    "recorded_utilisation",
    "recorded_wait_minutes",
    "service_rate_per_hour",
    "utilisation",
    "overloaded",
    "p_wait",
    "wait_minutes_mean",
    "wait_minutes_p90",
    "backlog_days",
    "facility_quality",
    "surveys",
    "respondents",
    *(f"element_{i}" for i in range(1, N_ELEMENTS + 1)),
    "ikm",
    "ikm_converted",
    "ikm_grade",
    "complaints",
    "complaints_per_1000",
    "satisfaction_true",
    "ikm_true",
)

#: Hidden truth kept for metrics, never shown to an appraisal system. The staff's true service
#: rate and everything the queue model derives from it (utilisation, the chance of waiting, the
#: waits citizens experience, the backlog) would reveal the counter staff's true performance
#: exactly; the evidence holds the ``recorded_*`` columns instead: the handling time the queue
#: system records (true speed times a case-mix factor, ``handling_time_case_mix_sd``) and the
#: utilisation and mean wait implied by it.
HIDDEN_COLUMNS: tuple[str, ...] = ("service_rate_per_hour", "utilisation", "overloaded", "p_wait",
                                   "wait_minutes_mean", "wait_minutes_p90", "backlog_days",
                                   "satisfaction_true", "ikm_true")


# --------------------------------------------------------------------------------------------
# Service outcome of one period
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ServiceOutcome:
    """Service delivery at every counter-service point over one period.

    ``points`` has one row per service point with the columns :data:`POINT_COLUMNS`; the
    columns in :data:`HIDDEN_COLUMNS` (``satisfaction_true``: mean latent satisfaction of all
    visits; ``ikm_true``: the IKM a complete, non-selective census of visits would give in
    expectation) are truth for metrics, never evidence. Waits are minutes of opening time;
    IKM columns are ``NaN`` (grade ``''``) at a point without respondents.

    ``points`` may be given as its columns (in :data:`POINT_COLUMNS` order): the frame is then
    built on first use (:mod:`simulate.frames`), while :meth:`column` reads an array directly
    (multi-period runs read a few columns per arm).
    """

    points: pd.DataFrame
    period_months: int = 12
    surveys: int = 1
    #: Waits over the citizens of every point whose queue keeps up (not overloaded): median and
    #: 90th percentile in minutes (:func:`~simulate.citizens.queue.pooled_wait_quantiles`);
    #: overloaded points are counted apart, with their backlog in days.
    citizen_wait: dict = field(default_factory=dict)

    @property
    def n_points(self) -> int:
        return len(self.column("point_id"))

    def column(self, name: str) -> np.ndarray:
        """One column of :attr:`points` as an array (without building the frame)."""
        return np.asarray(frame_column(self, "points", name))

    def to_frame(self) -> pd.DataFrame:
        """All columns, hidden truth included (a copy)."""
        return self.points.copy()

    def observable_columns(self) -> dict[str, np.ndarray] | pd.DataFrame:
        """:meth:`observable` as columns while the table has not been built (else the frame)."""
        raw = frame_raw(self, "points")
        if isinstance(raw, pd.DataFrame):
            return self.observable()
        return {c: v for c, v in raw.items() if c not in HIDDEN_COLUMNS}

    def observable(self) -> pd.DataFrame:
        """What an appraisal system can see: every column except :data:`HIDDEN_COLUMNS`."""
        raw = frame_raw(self, "points")
        if isinstance(raw, pd.DataFrame):
            return raw.drop(columns=list(HIDDEN_COLUMNS))
        return pd.DataFrame({c: v for c, v in raw.items() if c not in HIDDEN_COLUMNS})

    def summary(self) -> pd.DataFrame:
        """Headline service metrics, overall and per OPD kind (rows: metrics)."""
        groups = {"all": self.points}
        for kind in COUNTER_KINDS:
            sub = self.points[self.points["opd_kind"] == kind]
            if len(sub):
                groups[kind] = sub
        return pd.DataFrame({name: _summarise(df) for name, df in groups.items()})

    def _repr_html_(self) -> str:
        note = (f"{len(self.points):,} service points, {self.period_months} months, "
                f"{self.surveys} SKM survey(s) in the period. Waits in minutes of opening time "
                "(visit-weighted); IKM converted 25-100.")
        return frame_html("Service delivery and citizen satisfaction", self.summary(), note)



#: ``points`` may be given as its columns and is then built on first use.
ServiceOutcome.points = LazyFrame("points")


def _summarise(df: pd.DataFrame) -> dict[str, float]:
    visits = df["visits"].to_numpy(float)
    total = visits.sum()

    def weighted(col: str) -> float:
        return float(np.average(df[col], weights=visits)) if total > 0 else float("nan")

    graded = df["ikm_grade"].to_numpy(str)
    graded = graded[graded != ""]
    out = {
        "service_points": float(len(df)),
        "visits": float(total),
        "overloaded_share": float(df["overloaded"].mean()) if len(df) else float("nan"),
        "wait_minutes_mean": weighted("wait_minutes_mean"),
        "wait_minutes_p90": weighted("wait_minutes_p90"),
        "respondents": float(df["respondents"].sum()),
        "ikm_converted_mean": float(df["ikm_converted"].mean()) if len(graded) else float("nan"),
    }
    for grade in GRADES:
        out[f"grade_{grade}_share"] = float(np.mean(graded == grade)) if len(graded) else float("nan")
    complaints = float(df["complaints"].sum())
    out["complaints_per_1000"] = 1000.0 * complaints / total if total > 0 else float("nan")
    return out


def _validate_points(points: pd.DataFrame, params: CitizenParams) -> pd.DataFrame:
    if not isinstance(points, pd.DataFrame):
        raise TypeError(f"points: expected a pandas DataFrame, got {type(points).__name__}")
    missing = [c for c in POINT_INPUT_COLUMNS if c not in points.columns]
    if missing:
        raise ValueError(
            f"points: missing column(s) {', '.join(missing)}; needed: {', '.join(POINT_INPUT_COLUMNS)}"
        )
    kinds = points["opd_kind"].astype(str).to_numpy()
    unknown = sorted(set(kinds) - set(params.services))
    if unknown:
        raise ValueError(
            f"points.opd_kind: {unknown[0]!r} has no service parameters; "
            f"allowed: {', '.join(sorted(params.services))}"
        )
    _as_servers(points["n_staff"].to_numpy(), "points.n_staff")
    _as_servers(points["n_servers"].to_numpy(), "points.n_servers")
    for col in ("server_performance", "staff_performance", "quality"):
        values = points[col].to_numpy(dtype=float)
        if np.any(~np.isfinite(values)):
            raise ValueError(f"points.{col}: must be finite numbers (SD units)")
    share = points["demand_share"].to_numpy(dtype=float)
    if np.any(~np.isfinite(share)) or np.any(share < 0) or np.any(share > 1):
        raise ValueError("points.demand_share: must be shares between 0 and 1 (the point's part of its kind's demand)")
    region = points["region_employees"].to_numpy(dtype=float)
    if np.any(~np.isfinite(region)) or np.any(region < 0):
        raise ValueError("points.region_employees: must be finite numbers >= 0")
    return points


def simulate_service(
    points: pd.DataFrame,
    params: CitizenParams,
    period_months: int = 12,
    rng: RngLike = None,
) -> ServiceOutcome:
    """Simulate one period of counter service, the SKM survey and complaints (DESIGN 3.4).

    Parameters
    ----------
    points : pandas.DataFrame
        One row per service point with :data:`POINT_INPUT_COLUMNS`: ``point_id`` (int),
        ``opd_kind`` (one of ``params.services``, a subset of ``COUNTER_KINDS``), ``n_staff``
        and ``n_servers`` (whole numbers >= 1), ``server_performance`` (mean general performance
        of the counter staff, SD), ``staff_performance`` (mean general performance of all staff
        of the point, SD) and ``quality`` (mean true unmeasured service quality, SD).
    params : CitizenParams
        Queue, survey, complaint and satisfaction parameters.
    period_months : int
        Length of the period in months (>= 1).
    rng : None, int, SeedSequence or Generator
        Source of every draw (see :func:`simulate.rng.as_generator`).

    Returns
    -------
    ServiceOutcome

    Notes
    -----
    Per point: service rate per server ``60 / service_minutes x exp(speed_per_sd x
    server_performance)`` per hour; arrivals per opening hour ``residents_per_employee x
    region_employees x visits_per_resident_per_year x demand_share / opening hours a year``;
    visits in each survey window ``Poisson(arrivals per hour x opening hours of the window)``, and the queue uses the realised arrival rate (visits /
    opening hours); facility quality ``N(facility_quality_mean, 1)``; waits from
    :func:`queue_metrics`; satisfaction from :func:`satisfaction_level`; the survey, elements,
    IKM and complaints as in the module docstring. Draw order (facility, visits, then
    respondents survey by survey, then complaints) is fixed, so changing the number of surveys
    does not change facilities, and every draw but the complaints is independent of the staff's
    performance (:func:`plan_service`: policy arms of a multi-period run share them).
    """
    points = _validate_points(points, params)
    plan = plan_service(points, params, period_months, rng)
    return compose_service(plan, points["server_performance"].to_numpy(dtype=float),
                           points["staff_performance"].to_numpy(dtype=float), points["quality"].to_numpy(dtype=float))


@dataclass(frozen=True, eq=False)
class ServicePlan:
    """The draws of one period of service that do not depend on the staff (see :func:`plan_service`).

    ``surveys`` holds, per survey, the respondents per point and (when kept) each respondent's
    answer noise per element (selective response plus element noise, float32, ``(9, total)``);
    without kept draws, :func:`compose_service` draws them from ``rng`` as it goes (the same
    numbers). ``rng`` then continues with the complaints, whose probability depends on the staff.
    """

    params: CitizenParams
    period_months: int
    static: dict
    per_kind: dict
    days: float
    hours: float
    n_surveys: int
    facility: np.ndarray
    window_visits: np.ndarray
    samples: list
    noise: list | None
    rng: np.random.Generator
    shared: bool = False


def plan_service(points: pd.DataFrame, params: CitizenParams, period_months: int = 12, rng: RngLike = None,
                 *, shared: bool = False) -> ServicePlan:
    """Draw what :func:`simulate_service` needs besides the staff's performance.

    Only ``point_id``, ``opd_kind``, ``n_staff`` and ``n_servers`` of ``points`` are read.
    A ``shared`` plan (composed once per policy arm) materialises the survey answer noise, so it
    can be composed many times without drawing again (a few MB for a kabupaten).
    """
    rng = as_generator(rng)
    _check_months(period_months)
    n = len(points)
    kinds = points["opd_kind"].astype(str).to_numpy()

    def per_kind(attr: str) -> np.ndarray:
        out = np.empty(n)
        for kind, service in params.services.items():
            out[kinds == kind] = getattr(service, attr)
        return out

    kind_values = {a: per_kind(a) for a in ("visits_per_resident_per_year", "service_minutes", "speed_per_sd",
                                            "facility_quality_mean", "complaints_per_1000")}
    days = params.working_days_per_month * period_months
    hours = days * params.opening_hours_per_day
    # The region's demand for each kind, shared among its points by their staff, per opening hour.
    residents = params.residents_per_employee * points["region_employees"].to_numpy(dtype=float)
    hours_per_year = 12 * params.working_days_per_month * params.opening_hours_per_day
    kind_values["arrivals_per_hour"] = (residents * kind_values["visits_per_resident_per_year"]
                                        * points["demand_share"].to_numpy(dtype=float) / hours_per_year)
    n_surveys = surveys_in_period(params.surveys_per_year, period_months)

    # Draws, in a fixed order.
    facility = kind_values["facility_quality_mean"] + rng.standard_normal(n)
    per_window = kind_values["arrivals_per_hour"] * hours / n_surveys
    window_visits = rng.poisson(np.repeat(per_window[:, None], n_surveys, axis=1))
    samples = [krejcie_morgan_sample_size(window_visits[:, s]) for s in range(n_surveys)]
    noise = [_answer_noise(int(k.sum()), params.satisfaction, rng) for k in samples] if shared else None
    static = {
        "point_id": points["point_id"].to_numpy(),
        "opd_kind": kinds,
        "n_staff": points["n_staff"].to_numpy().astype(np.int64),
        "servers": points["n_servers"].to_numpy().astype(np.int64),
    }
    return ServicePlan(params=params, period_months=int(period_months), static=static, per_kind=kind_values,
                       days=days, hours=hours, n_surveys=n_surveys, facility=facility, window_visits=window_visits,
                       samples=samples, noise=noise, rng=rng, shared=shared)


def _answer_noise(total: int, sat: SatisfactionParams, rng: np.random.Generator) -> np.ndarray:
    """Answer noise of ``total`` respondents, (9, total) float32: selective response + element noise."""
    out = np.empty((N_ELEMENTS, total), dtype=np.float32)
    if total == 0:
        return out
    latent = selective_response_draws(total, sat.selectivity, rng).astype(np.float32)
    latent *= np.float32(sat.respondent_sd)
    for e in range(N_ELEMENTS):
        y = out[e]
        y[:] = rng.standard_normal(total, dtype=np.float32)
        y *= np.float32(sat.element_sd)
        y += latent
    return out


def compose_service(plan: ServicePlan, server_performance: np.ndarray, staff_performance: np.ndarray,
                    quality: np.ndarray, *, rng: np.random.Generator | None = None) -> ServiceOutcome:
    """:func:`simulate_service` from a plan and each point's staff performance and quality.

    A shared plan may be composed again: its generator is copied, so every composition sees
    the same random numbers. ``rng`` overrides the generator for the staff-dependent draws (a
    copy of ``plan.rng`` the caller goes on drawing from).
    """
    params, sat = plan.params, plan.params.satisfaction
    n = len(plan.facility)
    if rng is None:
        rng = copy_generator(plan.rng) if plan.shared else plan.rng
    visits = plan.window_visits.sum(axis=1)
    servers = plan.static["servers"]
    k = plan.per_kind

    arrivals = visits / plan.hours
    service_rate = 60.0 / k["service_minutes"] * np.exp(k["speed_per_sd"] * server_performance)
    queue = _queue_arrays(arrivals, service_rate, servers, params.opening_hours_per_day, plan.days)
    wait = queue["wait_minutes_mean"]

    drivers = _drivers(staff_performance, quality, plan.facility, wait, sat)
    level = sat.expectation + drivers["staff"] + drivers["facility"] + drivers["wait"]
    # (n, 9): each element's extra loading on the point's wait, staff and facility terms
    element_shift = sum(ELEMENT_EXTRA_LOADINGS[key][None, :] * drivers[key][:, None] for key in drivers)

    sums, respondents = _run_surveys(level, element_shift, plan.samples, plan.noise, sat, rng)
    complaints = rng.binomial(visits, complaint_probability(k["complaints_per_1000"], level - sat.expectation))
    # What the queue system records: handling time with the period's case mix, and the
    # utilisation and mean wait the same queue model gives from it (the appraisal's view).
    recorded_rate = service_rate * np.exp(-params.handling_time_case_mix_sd * rng.standard_normal(n))
    recorded = _queue_arrays(arrivals, recorded_rate, servers, params.opening_hours_per_day, plan.days,
                              quantiles=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_respondent = sums / np.maximum(respondents, 1)[:, None]
        element_means = np.where(respondents[:, None] > 0, per_respondent, np.nan)
        per_1000 = np.where(visits > 0, 1000.0 * complaints / np.maximum(visits, 1), np.nan)
    ikm = ikm_from_element_means(element_means)
    converted = convert_ikm(ikm)

    # Expected IKM of a complete, non-selective census of all visits (hidden truth).
    total_sd = np.hypot(sat.respondent_sd, sat.element_sd)
    probs = answer_probabilities(level[:, None] + element_shift, total_sd, sat.cutpoints)
    ikm_true = ikm_from_element_means((probs * np.arange(1, 5)).sum(axis=-1))

    columns = {
        **plan.static,
        "visits": visits.astype(np.int64),
        "arrivals_per_hour": arrivals,
        "recorded_handling_minutes": 60.0 / recorded_rate,
        "recorded_utilisation": recorded["utilisation"],
        "recorded_wait_minutes": recorded["wait_minutes_mean"],
        "service_rate_per_hour": service_rate,
        "utilisation": queue["utilisation"],
        "overloaded": queue["overloaded"],
        "p_wait": queue["p_wait"],
        "wait_minutes_mean": wait,
        "wait_minutes_p90": queue["wait_minutes_p90"],
        "backlog_days": queue["backlog_days"],
        "facility_quality": plan.facility,
        "surveys": np.full(n, plan.n_surveys, dtype=np.int64),
        "respondents": respondents.astype(np.int64),
        **{f"element_{i + 1}": element_means[:, i] for i in range(N_ELEMENTS)},
        "ikm": ikm,
        "ikm_converted": converted,
        "ikm_grade": ikm_grade(converted).astype(object),
        "complaints": complaints.astype(np.int64),
        "complaints_per_1000": per_1000,
        "satisfaction_true": level,
        "ikm_true": ikm_true,
    }
    # In column order: a frame built from it needs no column selection (much slower).
    keeps_up = ~queue["overloaded"]
    median, p90 = pooled_wait_quantiles(arrivals[keeps_up], service_rate[keeps_up], servers[keeps_up],
                                        params.opening_hours_per_day, plan.days)
    backlog = queue["backlog_days"][~keeps_up]
    citizen_wait = {"wait_minutes_median": median, "wait_minutes_p90": p90,
                    "overloaded_points": float((~keeps_up).sum()),
                    "backlog_days_max": float(backlog.max()) if len(backlog) else 0.0}
    return ServiceOutcome(points={c: columns[c] for c in POINT_COLUMNS}, period_months=plan.period_months,
                          citizen_wait=citizen_wait,
                          surveys=plan.n_surveys)


def _run_surveys(
    level: np.ndarray,
    element_shift: np.ndarray,
    samples: list,
    noise: list | None,
    sat: SatisfactionParams,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Answer sums per point and element, and respondents per point, over all surveys.

    ``samples`` holds the respondents per point of each survey; ``noise`` each survey's answer
    noise (:func:`_answer_noise`), or None to draw it here survey by survey (memory stays at a
    few arrays of one survey's respondents). Respondents are laid out point by point, so answers
    are summed per point with ``np.add.reduceat`` over contiguous segments. Latents and element
    noise are single precision (the answers only compare them with three cut-points).
    """
    n = len(level)
    sums = np.zeros((n, N_ELEMENTS))
    respondents = np.zeros(n, dtype=np.int64)
    cuts = np.asarray(sat.cutpoints, dtype=np.float32)
    shifted = {e for e in range(N_ELEMENTS) if np.any(element_shift[:, e] != 0)}
    level32 = level.astype(np.float32)
    for s, sample in enumerate(samples):
        total = int(sample.sum())
        if total == 0:
            continue
        respondents += sample
        surveyed = sample > 0
        starts = np.concatenate([[0], np.cumsum(sample[surveyed])[:-1]])
        answers = _answer_noise(total, sat, rng) if noise is None else noise[s]
        base = np.repeat(level32, sample)
        for e in range(N_ELEMENTS):
            y = answers[e] + base
            if e in shifted:
                y += np.repeat(element_shift[:, e].astype(np.float32), sample)
            # answer - 1 = number of cut-points below the latent (answers 1..4)
            above = (y > cuts[0]).view(np.int8)
            above += (y > cuts[1]).view(np.int8)
            above += (y > cuts[2]).view(np.int8)
            sums[surveyed, e] += np.add.reduceat(above, starts, dtype=np.int64) + sample[surveyed]
    return sums, respondents


