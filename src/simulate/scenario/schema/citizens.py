"""Scenario section ``citizens``: service delivery, queues, SKM survey, complaints (DESIGN 3.4)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from simulate.scenario.schema.base import COUNTER_KINDS, _Params, param

__all__ = ["ServiceParams", "SatisfactionParams", "CitizenParams", "default_services"]

SRC_SPECHBACH = "Spechbach et al. 2019, BMC Emerg. Med. 19:41 (domain/literature.md 7)"


class ServiceParams(_Params):
    visits_per_resident_per_year: float = param(
        ..., "Visits a year per resident of the region to this kind of service point: the region's demand, shared "
        "among its points of the kind in proportion to their staff (arrivals are Poisson).", "visits/resident/year",
        ge=0, le=100,
    )
    service_minutes: float = param(..., "Mean minutes one average staff member needs per citizen.", "minutes", gt=0, le=1_440)
    counter_share: float = param(..., "Share of the service point's staff serving at the counter.", "share", gt=0, le=1)
    speed_per_sd: float = param(0.15, "Log change in service rate per SD of a server's general performance.", "log-rate per SD", ge=0, le=2)
    facility_quality_mean: float = param(0.0, "Mean facility quality of service points (sarana prasarana).", "SD", ge=-3, le=3)
    complaints_per_1000: float = param(4.0, "Complaints per 1,000 visits at an average service point.", "complaints/1000 visits", ge=0, le=1000)

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, value: Any) -> Any:
        if isinstance(value, dict) and "arrivals_per_hour" in value:
            raise ValueError("arrivals_per_hour: replaced by visits_per_resident_per_year (citizens' visits a year per "
                             "resident), so that demand and counter staff grow together with the region")
        return value


def default_services() -> dict[str, dict[str, float]]:
    return {
        "dukcapil": dict(visits_per_resident_per_year=0.48, service_minutes=12.0, counter_share=0.20),
        "puskesmas": dict(visits_per_resident_per_year=1.86, service_minutes=15.0, counter_share=0.15),
        "kecamatan": dict(visits_per_resident_per_year=0.77, service_minutes=18.0, counter_share=0.15),
    }


class SatisfactionParams(_Params):
    wait_tolerance_minutes: float = param(
        60.0, "Waits up to about this long are judged acceptable; satisfaction falls beyond it.", "minutes",
        gt=0, le=10_000, source=SRC_SPECHBACH + " (about 63 minutes)",
    )
    wait_weight: float = param(0.6, "Drop in latent satisfaction per doubling of the wait beyond tolerance.", "SD", ge=0, le=5)
    staff_weight: float = param(0.35, "Latent satisfaction per SD of the service point's mean staff performance.", "SD per SD", ge=0, le=5)
    facility_weight: float = param(0.25, "Latent satisfaction per SD of facility quality.", "SD per SD", ge=0, le=5)
    respondent_sd: float = param(1.0, "SD of respondents' own satisfaction around the service point's level.", "SD", gt=0, le=5)
    element_sd: float = param(0.6, "SD of element-specific noise in each of the 9 SKM answers.", "SD", ge=0, le=5)
    expectation: float = param(
        1.0, "Latent satisfaction of an average visit (expectation disconfirmation baseline); 1.0 puts the "
        "typical service point in SKM grade B (converted IKM about 83), as regional SKM reports usually show.",
        "SD", ge=-5, le=5,
    )
    cutpoints: list[float] = param(
        description="Latent cut-points between answers 1|2, 2|3 and 3|4 of the SKM 1-4 scale.",
        unit="SD", default_factory=lambda: [-1.6, -0.5, 1.1],
    )
    selectivity: float = param(
        0.5, "Extra propensity to answer per SD of distance from the mean (very satisfied and very dissatisfied answer more).",
        "-", ge=0, le=10,
    )

    @model_validator(mode="after")
    def _cuts(self) -> "SatisfactionParams":
        if len(self.cutpoints) != 3 or any(b <= a for a, b in zip(self.cutpoints, self.cutpoints[1:])):
            raise ValueError(f"cutpoints: must be 3 increasing numbers, got {self.cutpoints}")
        return self


class CitizenParams(_Params):
    services: dict[str, ServiceParams] = param(
        description="Queue and complaint parameters of each counter-service OPD kind.", unit="-",
        default_factory=default_services,
    )
    residents_per_employee: float = param(
        65.0, "Residents of the region per civil servant in the scenario: how many citizens its service points serve.",
        "residents per ASN", gt=0, le=100_000,
        source="about 278 million residents (BPS 2023) and 4.3 million ASN (BKN 2023)",
    )
    opening_hours_per_day: float = param(7.0, "Opening hours of a service point per working day.", "hours", gt=0, le=24)
    working_days_per_month: float = param(21.0, "Working days in a month.", "days", gt=0, le=31)
    surveys_per_year: int = param(
        1, "SKM surveys per year at each service point (1 = yearly as in Alak, 12 = monthly as in Sawahlunto).",
        "surveys/year", ge=1, le=52, source="PermenPANRB 14/2017: at least once a year",
    )
    citizen_ratings_per_staff: float = param(
        0.0, "Citizen ratings of individual counter staff per month (rating buttons); 0 = none.", "ratings/month", ge=0, le=10_000,
    )
    handling_time_case_mix_sd: float = param(
        0.15, "SD of the log of a service point's recorded mean handling time around what its staff's true speed "
        "gives: the period's mix of cases and how the queue system records them. An appraisal system sees recorded "
        "handling times and the waits they imply, never the staff's true speed.", "log-minutes", gt=0, le=2,
    )
    satisfaction: SatisfactionParams = Field(default_factory=SatisfactionParams, description="Latent satisfaction model of the SKM survey.")

    @field_validator("services", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(COUNTER_KINDS))
            if unknown:
                raise ValueError(f"{unknown[0]!r} is not a counter-service kind; allowed: {', '.join(COUNTER_KINDS)}")
        return value
