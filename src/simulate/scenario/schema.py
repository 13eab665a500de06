"""The scenario schema: every value a user can set, with its description, unit, range and source.

A scenario file (YAML) is validated into :class:`Scenario`. Every field is declared with
:func:`param`, which records a description, a unit and, where the default comes from a
regulation or a paper, its source; ``kinerja list`` and the reports print them. Models forbid
unknown keys, so a typo is an error (with the closest valid name), never a silent default.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulate.notebook_registry import NOTEBOOKS

__all__ = [
    "OPD_KINDS",
    "COUNTER_KINDS",
    "BEHAVIOUR_DIMENSIONS",
    "param",
    "Scenario",
    "PopulationParams",
    "TruthParams",
    "IndicatorSpec",
    "WorkParams",
    "DisciplineParams",
    "ServiceParams",
    "SatisfactionParams",
    "CitizenParams",
    "RaterSourceParams",
    "SupervisorParams",
    "RaterParams",
    "ScaleParams",
    "AppraisalParams",
    "DynamicsParams",
]

#: Kinds of perangkat daerah (OPD) the generator knows (DESIGN 3.1).
OPD_KINDS: tuple[str, ...] = ("dukcapil", "puskesmas", "pendidikan", "kecamatan", "back_office")
#: Kinds whose units serve citizens at a counter (queue, SKM survey, complaints).
COUNTER_KINDS: tuple[str, ...] = ("dukcapil", "puskesmas", "kecamatan")
#: The seven BerAKHLAK core values, the behaviour dimensions of PermenPANRB 6/2022.
BEHAVIOUR_DIMENSIONS: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)

SRC_BKN_2024 = "BKN 2024 headcount: 4,734,041 ASN of whom 1,167,900 PPPK (domain/regulations.md 6.1)"
SRC_SALGADO = "Salgado & Moscoso 2019, Frontiers in Psychology 10:2281 (domain/literature.md row 4)"
SRC_CONWAY = "Conway & Huffcutt 1997, Human Performance 10(4) (domain/literature.md row 5)"
SRC_HEIDEMEIER = "Heidemeier & Moser 2009, JAP 94(2) (domain/literature.md rows 8-9)"
SRC_JAWAHAR = "Jawahar & Williams 1997, Personnel Psychology 50 (domain/literature.md row 10)"
SRC_SCULLEN = "Scullen, Mount & Goff 2000, JAP 85(6) (domain/literature.md rows 11-14)"
SRC_KRAIGER = "Kraiger & Ford 1985, JAP 70(1); range 0-0.4 SD (domain/literature.md 3.6)"
SRC_VISWESVARAN05 = "Viswesvaran, Schmidt & Ones 2005, JAP 90(1) (domain/literature.md row 17)"
SRC_SPECHBACH = "Spechbach et al. 2019, BMC Emerg. Med. 19:41 (domain/literature.md 7)"
SRC_BKN_PILEUP = "BKN 2023 via jawawa.id: >94% Baik, ~5% Sangat Baik (domain/literature.md row 23)"


def param(
    default: Any = ...,
    description: str = "",
    unit: str = "",
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    source: str | None = None,
    default_factory: Any = None,
) -> Any:
    """Declare a scenario parameter with its description, unit, range and source."""
    extra: dict[str, Any] = {"unit": unit}
    if source:
        extra["source"] = source
    kwargs: dict[str, Any] = dict(
        description=description, ge=ge, le=le, gt=gt, lt=lt, json_schema_extra=extra
    )
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(default, **kwargs)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _check_shares(values: dict[str, float], field: str, *, must_sum: bool) -> None:
    unknown = sorted(set(values) - set(OPD_KINDS))
    if unknown:
        raise ValueError(f"{field}: unknown OPD kind {unknown[0]!r}; allowed: {', '.join(OPD_KINDS)}")
    if must_sum:
        total = sum(values.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"{field}: shares must sum to 1, got {total:.6g}")


# --------------------------------------------------------------------------------------------
# Organisation and people (DESIGN 3.1)
# --------------------------------------------------------------------------------------------


class PopulationParams(_Params):
    n_employees: int = param(
        4500, "Number of ASN (PNS and PPPK) in the simulated region.", "people", ge=1, le=10_000_000,
        source="kabupaten/kota average about 4,500 ASN: 2.31 M / 514 (domain/regulations.md 6.1)",
    )
    reference_year: int = param(
        2024, "Calendar year of the appraisal; ages, tenures and NIP dates count from it.", "year",
        ge=1990, le=2100,
    )
    opd_mix: dict[str, float] = param(
        description="Share of employees in each OPD kind (must sum to 1).", unit="share",
        default_factory=lambda: {
            "pendidikan": 0.50, "puskesmas": 0.18, "back_office": 0.20,
            "kecamatan": 0.09, "dukcapil": 0.03,
        },
        source="teachers are about half of regional ASN; others approximate [unverified]",
    )
    opd_size_mean: dict[str, float] = param(
        description="Mean number of employees in one OPD (or UPT: a school, a puskesmas, a kecamatan office) of each kind.",
        unit="people",
        default_factory=lambda: {
            "pendidikan": 22.0, "puskesmas": 36.0, "back_office": 55.0,
            "kecamatan": 26.0, "dukcapil": 70.0,
        },
    )
    team_size_mean: float = param(
        8.0, "Mean number of staff a unit head (pejabat penilai) appraises.", "people", ge=2, le=40,
        source="DESIGN 3.1",
    )
    units_per_division: int = param(
        4, "Units an administrator (division head) oversees; larger OPDs get divisions.", "units",
        ge=1, le=20,
    )
    share_female: float = param(0.52, "Share of women among ASN.", "share", ge=0, le=1,
                                source="BKN statistics: slightly more women than men [unverified]")
    share_pppk: float = param(
        0.247, "Share of PPPK (contract ASN) among all ASN; PPPK hold non-structural posts only.",
        "share", ge=0, le=0.95, source=SRC_BKN_2024,
    )
    share_functional: dict[str, float] = param(
        description="Share of non-structural staff in functional (fungsional) rather than pelaksana posts, by OPD kind.",
        unit="share",
        default_factory=lambda: {
            "pendidikan": 0.92, "puskesmas": 0.80, "back_office": 0.35,
            "kecamatan": 0.20, "dukcapil": 0.30,
        },
        source="national: 2.10 M functional vs 1.45 M pelaksana (domain/regulations.md 6.1)",
    )
    share_local_origin: float = param(
        0.70, "Share of employees who share the local origin (putra daerah) trait used for in-group bias.",
        "share", ge=0, le=1, source="assumption; a parameter to vary [unverified]",
    )
    retirement_age: int = param(58, "Age at which employees leave (batas usia pensiun for administrative posts).",
                                "years", ge=50, le=70, source="UU 20/2023 / PP 11/2017: BUP 58 for administrative posts")

    @model_validator(mode="after")
    def _consistent(self) -> "PopulationParams":
        _check_shares(self.opd_mix, "opd_mix", must_sum=True)
        _check_shares(self.opd_size_mean, "opd_size_mean", must_sum=False)
        _check_shares(self.share_functional, "share_functional", must_sum=False)
        for kind, share in self.opd_mix.items():
            if share < 0:
                raise ValueError(f"opd_mix.{kind}: must be >= 0, got {share}")
        for kind in OPD_KINDS:
            if self.opd_mix.get(kind, 0) > 0 and kind not in self.opd_size_mean:
                raise ValueError(f"opd_size_mean.{kind}: required because opd_mix.{kind} > 0")
        for kind, size in self.opd_size_mean.items():
            if size < 1:
                raise ValueError(f"opd_size_mean.{kind}: must be >= 1, got {size}")
            if self.opd_mix.get(kind, 0) > 0 and self.team_size_mean + 1 > size:
                raise ValueError(
                    f"team_size_mean: a team of {self.team_size_mean:g} plus its head does not fit in "
                    f"an OPD of kind {kind!r} with opd_size_mean {size:g}; lower team_size_mean or "
                    f"raise opd_size_mean.{kind}"
                )
        for kind, share in self.share_functional.items():
            if not 0 <= share <= 1:
                raise ValueError(f"share_functional.{kind}: must be between 0 and 1, got {share}")
        return self


# --------------------------------------------------------------------------------------------
# Hidden truth (DESIGN 3.2)
# --------------------------------------------------------------------------------------------


class TruthParams(_Params):
    ability_weight: float = param(0.8, "Loading of ability on the general performance factor.", "SD per SD", ge=0, le=1)
    effort_weight: float = param(0.6, "Loading of (standardised) effort on the general performance factor.", "SD per SD", ge=0, le=1)
    effort_alpha: float = param(6.0, "Beta(alpha, beta) distribution of baseline effort in [0, 1]: alpha.", "-", gt=0, le=100)
    effort_beta: float = param(4.0, "Beta(alpha, beta) distribution of baseline effort in [0, 1]: beta.", "-", gt=0, le=100)
    inter_dimension_correlation: float = param(
        0.5, "True correlation between any two BerAKHLAK behaviour dimensions (through the general factor).",
        "correlation", ge=0, le=1, source="DESIGN 3.2 (about 0.5)",
    )
    results_general_loading: float = param(
        0.8, "Correlation of true work results (hasil kerja) with the general performance factor.",
        "correlation", ge=0, le=1,
    )
    quality_general_loading: float = param(
        0.7, "Correlation of true unmeasured service quality with the general performance factor.",
        "correlation", ge=0, le=1,
    )
    within_period_sd: float = param(
        0.3, "SD of month-to-month swings in general performance inside a period (what recency bias picks up).",
        "SD", ge=0, le=3,
    )

    @model_validator(mode="after")
    def _weights(self) -> "TruthParams":
        if self.ability_weight == 0 and self.effort_weight == 0:
            raise ValueError("ability_weight, effort_weight: at least one must be > 0")
        return self


# --------------------------------------------------------------------------------------------
# Work, indicators and targets (DESIGN 3.3)
# --------------------------------------------------------------------------------------------


class IndicatorSpec(_Params):
    opd_kind: str = param(..., "OPD kind whose positions carry this indicator.", "-")
    label: str = param(..., "Name shown in reports (Bahasa Indonesia).", "-")
    unit: str = param(..., "Unit of the indicator's realisation.", "-")
    lower_is_better: bool = param(False, "True for time-like indicators; capaian uses the inverse rule (PermenPANRB 8/2021).", "-")
    scale: Literal["log", "logit_percent", "linear"] = param(
        "log", "How the standardised signal maps to the natural unit: log (counts, times), logit_percent (shares 0-100), linear.", "-",
    )
    typical: float = param(..., "Realisation of an average employee on an average day, before targets are negotiated.", "indicator unit")
    spread: float = param(..., "Spread of realisations: SD on the scale's transformed axis (log, logit or natural unit).", "transformed unit", gt=0, le=100)
    validity: float = param(..., "Loading of true work results on the indicator (correlation of its stable part with truth).", "correlation", ge=0, le=1)
    reliability: float = param(..., "Share of the indicator's variance that is not measurement noise.", "share", gt=0, le=1)
    contamination: float = param(..., "Share of the stable variance due to unit or external shocks the employee does not control.", "share", ge=0, le=1)
    gameability: float = param(..., "How far the reported value moves per unit of gaming effort.", "SD per unit gaming", ge=0, le=5)
    main: bool = param(True, "A main result (hasil kerja utama) rather than an additional one.", "-")

    @model_validator(mode="after")
    def _variance_budget(self) -> "IndicatorSpec":
        if self.opd_kind not in OPD_KINDS:
            raise ValueError(f"opd_kind: unknown kind {self.opd_kind!r}; allowed: {', '.join(OPD_KINDS)}")
        if self.validity**2 + self.contamination > 1 + 1e-9:
            raise ValueError(
                f"validity, contamination: validity^2 + contamination must be <= 1, got "
                f"{self.validity:g}^2 + {self.contamination:g} = {self.validity**2 + self.contamination:.3g}"
            )
        if self.scale == "logit_percent" and not 0 < self.typical < 100:
            raise ValueError(f"typical: must be between 0 and 100 for a logit_percent indicator, got {self.typical:g}")
        if self.scale == "log" and self.typical <= 0:
            raise ValueError(f"typical: must be > 0 for a log-scale indicator, got {self.typical:g}")
        return self


def _ind(kind, label, unit, typical, spread, validity, reliability, contamination, gameability,
         lower=False, scale="log", main=True) -> dict[str, Any]:
    return dict(opd_kind=kind, label=label, unit=unit, typical=typical, spread=spread,
                validity=validity, reliability=reliability, contamination=contamination,
                gameability=gameability, lower_is_better=lower, scale=scale, main=main)


def default_indicators() -> dict[str, dict[str, Any]]:
    """Objective indicators by OPD kind (DESIGN 3.3); service standards from domain/regulations.md 7."""
    return {
        "dukcapil_dokumen": _ind("dukcapil", "Dokumen diproses", "dokumen/bulan", 320, 0.25, 0.70, 0.90, 0.20, 0.3),
        "dukcapil_waktu_proses": _ind("dukcapil", "Rata-rata waktu proses dokumen", "jam", 24, 0.35, 0.55, 0.80, 0.30, 0.5, lower=True),
        "dukcapil_tepat_waktu": _ind("dukcapil", "Dokumen selesai sesuai standar waktu", "persen", 85, 0.6, 0.50, 0.80, 0.30, 0.8, scale="logit_percent"),
        "dukcapil_rework": _ind("dukcapil", "Dokumen salah / dikerjakan ulang", "persen", 5, 0.5, 0.45, 0.70, 0.10, 0.4, lower=True, scale="logit_percent", main=False),
        "puskesmas_pasien": _ind("puskesmas", "Pasien dilayani", "pasien/bulan", 280, 0.30, 0.55, 0.90, 0.35, 0.4),
        "puskesmas_waktu_layanan": _ind("puskesmas", "Rata-rata waktu layanan", "menit", 30, 0.30, 0.45, 0.80, 0.30, 0.5, lower=True),
        "puskesmas_standar": _ind("puskesmas", "Pasien hipertensi/diabetes dilayani sesuai standar", "persen", 80, 0.6, 0.50, 0.75, 0.25, 0.7, scale="logit_percent"),
        "pendidikan_program": _ind("pendidikan", "Program pembelajaran terlaksana", "program/tahun", 10, 0.25, 0.50, 0.85, 0.15, 0.6),
        "pendidikan_hasil_belajar": _ind("pendidikan", "Rata-rata nilai hasil belajar siswa", "nilai 0-100", 72, 0.5, 0.35, 0.50, 0.45, 0.3, scale="logit_percent"),
        "kecamatan_layanan": _ind("kecamatan", "Layanan administrasi selesai", "layanan/bulan", 180, 0.30, 0.60, 0.90, 0.30, 0.4),
        "kecamatan_waktu_layanan": _ind("kecamatan", "Rata-rata waktu layanan", "menit", 45, 0.35, 0.50, 0.80, 0.30, 0.5, lower=True),
        "back_office_tepat_waktu": _ind("back_office", "Tugas selesai tepat waktu", "persen", 85, 0.6, 0.55, 0.80, 0.15, 0.6, scale="logit_percent"),
        "back_office_anggaran": _ind("back_office", "Realisasi anggaran", "persen", 90, 0.7, 0.30, 0.90, 0.50, 0.5, scale="logit_percent"),
    }


class DisciplineParams(_Params):
    late_days_per_month: float = param(1.5, "Mean days with late arrival per month for an employee of average effort.", "days/month", ge=0, le=22)
    late_effort_elasticity: float = param(1.0, "How fast lateness falls with effort: rate x exp(-elasticity x standardised effort).", "log-rate per SD", ge=0, le=5)
    late_band_shares: list[float] = param(
        description="Shares of late days in bands TL1 (1-30 min), TL2 (31-60), TL3 (61-90), TL4 (>90 or no record).",
        unit="share", default_factory=lambda: [0.60, 0.22, 0.10, 0.08],
        source="bands of Permentan 68/2012 (data/reference/lateness_deductions.csv)",
    )
    absent_days_per_year: float = param(1.0, "Mean unexcused absence days per year at average effort.", "days/year", ge=0, le=100)

    @model_validator(mode="after")
    def _bands(self) -> "DisciplineParams":
        if len(self.late_band_shares) != 4:
            raise ValueError(f"late_band_shares: must list 4 shares (TL1-TL4), got {len(self.late_band_shares)}")
        if any(s < 0 for s in self.late_band_shares) or abs(sum(self.late_band_shares) - 1) > 1e-6:
            raise ValueError(f"late_band_shares: must be >= 0 and sum to 1, got {self.late_band_shares}")
        return self


class WorkParams(_Params):
    indicators: dict[str, IndicatorSpec] = param(
        description="Objective indicators per OPD kind, keyed by a snake_case name.", unit="-",
        default_factory=default_indicators,
    )
    target_leniency_mean: float = param(
        0.6, "How far SKP targets are negotiated below what an average employee achieves, in SD of the indicator.",
        "SD", ge=-3, le=3,
    )
    target_leniency_sd: float = param(0.25, "Spread of target leniency between employees.", "SD", ge=0, le=3)
    target_ratchet: float = param(
        0.3, "Weight of the employee's own (noisy) past performance in the target (ratchet effect).", "share", ge=0, le=1,
    )
    new_idea_base_rate: float = param(
        0.04, "Share of average employees credited with a new idea or method in a year (PP 30/2019 Sangat Baik condition).",
        "share", ge=0, le=1,
    )
    new_idea_performance_slope: float = param(1.0, "Log-odds increase of a credited new idea per SD of general performance.", "log-odds per SD", ge=0, le=5)
    extra_tasks_per_year: float = param(1.5, "Mean additional tasks (tugas tambahan) per year.", "tasks/year", ge=0, le=50)
    org_capaian_leniency: float = param(
        4.0, "Points by which the leader above inflates a unit's organisational achievement (capaian kinerja organisasi).",
        "percentage points", ge=-50, le=50,
    )
    org_capaian_noise_sd: float = param(6.0, "Noise in a unit's organisational achievement.", "percentage points", ge=0, le=50)
    discipline: DisciplineParams = Field(default_factory=DisciplineParams, description="Lateness and absence.")

    @model_validator(mode="after")
    def _kinds_have_indicators(self) -> "WorkParams":
        covered = {spec.opd_kind for spec in self.indicators.values()}
        for name in self.indicators:
            if not name.replace("_", "").isalnum() or not name[:1].isalpha():
                raise ValueError(f"indicators.{name}: names must be snake_case identifiers")
        missing = [k for k in OPD_KINDS if k not in covered]
        if missing:
            raise ValueError(f"indicators: every OPD kind needs at least one indicator; none for {', '.join(missing)}")
        for kind in OPD_KINDS:
            if not any(s.main for s in self.indicators.values() if s.opd_kind == kind):
                raise ValueError(f"indicators: OPD kind {kind!r} needs at least one main indicator")
        return self


# --------------------------------------------------------------------------------------------
# Service delivery and citizens (DESIGN 3.4)
# --------------------------------------------------------------------------------------------


class ServiceParams(_Params):
    arrivals_per_hour: float = param(..., "Citizens arriving per opening hour at one service point (Poisson).", "citizens/hour", ge=0, le=10_000)
    service_minutes: float = param(..., "Mean minutes one average staff member needs per citizen.", "minutes", gt=0, le=1_440)
    counter_share: float = param(..., "Share of the service point's staff serving at the counter.", "share", gt=0, le=1)
    speed_per_sd: float = param(0.15, "Log change in service rate per SD of a server's general performance.", "log-rate per SD", ge=0, le=2)
    facility_quality_mean: float = param(0.0, "Mean facility quality of service points (sarana prasarana).", "SD", ge=-3, le=3)
    complaints_per_1000: float = param(4.0, "Complaints per 1,000 visits at an average service point.", "complaints/1000 visits", ge=0, le=1000)


def default_services() -> dict[str, dict[str, float]]:
    return {
        "dukcapil": dict(arrivals_per_hour=40.0, service_minutes=12.0, counter_share=0.20),
        "puskesmas": dict(arrivals_per_hour=14.0, service_minutes=15.0, counter_share=0.15),
        "kecamatan": dict(arrivals_per_hour=8.0, service_minutes=18.0, counter_share=0.15),
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


# --------------------------------------------------------------------------------------------
# Raters (DESIGN 3.5)
# --------------------------------------------------------------------------------------------


class RaterSourceParams(_Params):
    """One source of ratings. A rating on the latent scale (SD of true performance) is

    ``leniency_r + slope_r * ((1 - halo) * perceived_d + halo * mean_d perceived)``
    with ``perceived_d = truth_d + idiosyncratic_rj + noise_rjd`` (+ in-group shift).
    """

    leniency_mean: float = param(0.0, "Mean shift of this source's ratings (positive = lenient).", "SD of true performance", ge=-5, le=5)
    leniency_sd: float = param(0.0, "Spread of leniency/severity between raters of this source.", "SD", ge=0, le=5)
    slope_mean: float = param(1.0, "Mean slope on perceived performance (below 1 = central tendency, above 1 = extremity).", "-", gt=0, le=5)
    slope_sd: float = param(0.0, "Spread of slopes between raters.", "-", ge=0, le=2)
    idiosyncratic_sd: float = param(0.0, "SD of a rater's general impression of one ratee (rater x ratee), shared by every dimension.", "SD", ge=0, le=5)
    noise_sd: float = param(0.0, "SD of rater x ratee x dimension noise.", "SD", ge=0, le=5)
    halo: float = param(0.0, "Weight of the rater's overall impression in each dimension's rating (0 = none, 1 = all dimensions equal).", "share", ge=0, le=1)
    ingroup_bias: float = param(0.0, "Shift for ratees who share the in-group trait (local origin) with the rater.", "SD", ge=-2, le=2, source=SRC_KRAIGER)


class SupervisorParams(RaterSourceParams):
    recency: float = param(
        0.0, "Recency bias: weight growth per month towards the end of the period (0 = every month counts equally).",
        "log-weight per month", ge=0, le=5,
    )
    stakes_inflation: float = param(
        0.33, "Extra leniency when pay depends on the rating (administrative purpose).", "SD",
        ge=0, le=3, source=SRC_JAWAHAR + " (about +0.33 SD)",
    )
    rotation_share: float = param(
        0.0, "Share of supervisors who, under a quota, rotate the top slot among their team ('taking turns').",
        "share", ge=0, le=1,
    )


def _supervisor_default() -> SupervisorParams:
    # Calibrated (kinerja calibrate) to: two supervisors agree at .45 on administrative ratings
    # (Salgado & Moscoso 2019); rater-related variance > half of a multi-source rating
    # (Scullen et al. 2000); halo inflating inter-dimension correlations by about a third
    # (Viswesvaran et al. 2005); and the Indonesian pile-up at "sesuai ekspektasi".
    return SupervisorParams(
        leniency_mean=0.0, leniency_sd=1.06, slope_mean=0.9, slope_sd=0.15,
        idiosyncratic_sd=0.635, noise_sd=1.435, halo=0.5, ingroup_bias=0.15,
        recency=0.0, stakes_inflation=0.485, rotation_share=0.0,
    )


def _peer_default() -> RaterSourceParams:
    return RaterSourceParams(
        leniency_mean=0.1, leniency_sd=0.52, slope_mean=0.85, slope_sd=0.15,
        idiosyncratic_sd=0.62, noise_sd=1.22, halo=0.65, ingroup_bias=0.15,
    )


def _subordinate_default() -> RaterSourceParams:
    return RaterSourceParams(
        leniency_mean=0.2, leniency_sd=1.0, slope_mean=0.8, slope_sd=0.15,
        idiosyncratic_sd=1.1, noise_sd=0.65, halo=0.5, ingroup_bias=0.1,
    )


def _self_default() -> RaterSourceParams:
    return RaterSourceParams(
        leniency_mean=1.01, leniency_sd=1.0, slope_mean=0.8, slope_sd=0.1,
        idiosyncratic_sd=0.5, noise_sd=0.8, halo=0.6, ingroup_bias=0.0,
    )


class ScaleParams(_Params):
    score_center: float = param(82.0, "0-100 score of an average latent rating (PP 46/2011 style scores).", "points", ge=0, le=100)
    score_per_sd: float = param(4.5, "0-100 score points per SD of the latent rating.", "points per SD", gt=0, le=50)
    likert_cutpoints: list[float] = param(
        description="Latent cut-points between 1|2, 2|3, 3|4 and 4|5 of a 1-5 scale.", unit="SD",
        default_factory=lambda: [-3.0, -1.8, -0.3, 1.8],
    )
    expectation_below: float = param(
        -3.6, "Latent rating under which a supervisor rates 'di bawah ekspektasi' (PermenPANRB 6/2022).", "SD",
        ge=-20, le=20, source=SRC_BKN_PILEUP,
    )
    expectation_above: float = param(
        2.4, "Latent rating above which a supervisor rates 'di atas ekspektasi' (PermenPANRB 6/2022).", "SD",
        ge=-20, le=20, source=SRC_BKN_PILEUP,
    )

    @model_validator(mode="after")
    def _order(self) -> "ScaleParams":
        c = self.likert_cutpoints
        if len(c) != 4 or any(b <= a for a, b in zip(c, c[1:])):
            raise ValueError(f"likert_cutpoints: must be 4 increasing numbers, got {c}")
        if self.expectation_below >= self.expectation_above:
            raise ValueError(
                f"expectation_below, expectation_above: below ({self.expectation_below:g}) must be "
                f"less than above ({self.expectation_above:g})"
            )
        return self


class RaterParams(_Params):
    supervisor: SupervisorParams = Field(default_factory=_supervisor_default, description="The direct superior (pejabat penilai).")
    peer: RaterSourceParams = Field(default_factory=_peer_default, description="Colleagues with the same superior (360-degree input).")
    subordinate: RaterSourceParams = Field(default_factory=_subordinate_default, description="Direct subordinates rating their head.")
    self_rating: RaterSourceParams = Field(default_factory=_self_default, description="Self-report (e-performance, daily logs).")
    n_peers: int = param(2, "Peers asked to rate each employee where 360-degree input is used.", "raters", ge=0, le=20,
                         source="Hensel et al. 2010: two or three peers is the usual practice")
    results_idiosyncratic_share: float = param(
        0.5, "Share of the supervisor's impression of a ratee that also colours the results (hasil kerja) judgement.",
        "share", ge=0, le=1,
    )
    results_noise_sd: float = param(
        0.7, "SD of the noise in a rater's judgement of work results (which also sees the SKP evidence).",
        "SD", ge=0, le=5,
    )
    log_points_per_sd: float = param(0.12, "Relative change in daily-activity log points per SD of self-rating.", "share per SD", ge=0, le=2)
    scales: ScaleParams = Field(default_factory=ScaleParams, description="How latent ratings map to 0-100, 1-5 and the three 2022 levels.")


class AppraisalParams(_Params):
    period_months: int = param(12, "Length of one appraisal period (12 = annual; 3 = quarterly; 1 = monthly).", "months", ge=1, le=12)
    pay_linked: bool = param(True, "Ratings decide pay (TPP / tunjangan kinerja): supervisors add stakes inflation.", "-",
                             source=SRC_JAWAHAR)

    @model_validator(mode="after")
    def _divides(self) -> "AppraisalParams":
        if 12 % self.period_months:
            raise ValueError(f"period_months: must divide 12 (1, 2, 3, 4, 6 or 12), got {self.period_months}")
        return self


# --------------------------------------------------------------------------------------------
# Behaviour over periods (DESIGN 3.8)
# --------------------------------------------------------------------------------------------

SRC_PAY = ("performance pay raises measurable output by about +0.05 SD (complex, shared output) to "
           "+0.2-0.3 SD (countable individual output): domain/literature.md section 6")


class DynamicsParams(_Params):
    periods: int = param(1, "Appraisal periods in a run (each of appraisal.period_months).", "periods", ge=1, le=240)
    effort_cost: float = param(
        16.0, "Quadratic cost of effort: target effort rises by incentive / effort_cost (an incentive of 1 "
        "then raises general performance by about 0.25 SD).", "-", gt=0, le=10_000, source=SRC_PAY,
    )
    adjustment: float = param(0.5, "Share of the gap to target effort, gaming and resistance closed in a year.",
                              "share per year", ge=0, le=1)
    pay_spread_full: float = param(
        0.03, "Pay change per SD of score (share of TPP) that counts as a full-strength incentive.", "share per SD",
        gt=0, le=10,
    )
    career_stakes: float = param(
        1.5, "Incentive from non-pay stakes (talent pool, awards, the PP 30/2019 path) per predikat level per SD of score.",
        "-", ge=0, le=10,
    )
    accountability: float = param(
        0.0, "Extra incentive for an employee who missed a main target last period (accountability for missed targets).",
        "-", ge=0, le=10,
    )
    gaming_propensity: float = param(
        0.6, "Target gaming effort per unit of incentive times the score's reliance on measured indicators, for "
        "a person whose indicators have the reference gameability.", "-",
        ge=0, le=10, source="Bevan & Hood 2006; Glewwe, Ilias & Kremer 2010 (domain/literature.md 5)",
    )
    gaming_reference_gameability: float = param(
        0.5, "Gameability at which gaming_propensity applies as is: a person's target gaming scales with the mean "
        "gameability of the indicators they hold (no gaming where nothing can be gamed).", "SD per unit gaming",
        gt=0, le=5,
    )
    gaming_quality_cost: float = param(
        0.5, "Unmeasured service quality lost per unit of gaming effort (multitask problem).", "SD", ge=0, le=5,
        source="Holmström & Milgrom 1991 (domain/literature.md 5)",
    )
    fairness_rater_weight: float = param(1.0, "Perceived fairness lost per unit of the score's rater variance share.", "-",
                                         ge=0, le=10)
    fairness_quota_weight: float = param(1.0, "Perceived fairness lost per unit of being rated below one's true standing "
                                         "(percentile points / 100).", "-", ge=0, le=10)
    change_shock: float = param(0.4, "Resistance pressure in the first period under a policy that replaces the status quo "
                                "(the scenario's first policy).", "-", ge=0, le=5)
    rigidity_weight: float = param(0.4, "Resistance pressure per unit of the score's reliance on measured indicators "
                                   "and of incentive (lost flexibility and creativity).", "-", ge=0, le=5)
    culture: float = param(0.0, "Development-minded culture: share of the pressure from ratings and change that does "
                           "not turn into resistance.", "share", ge=0, le=1)
    socialisation: float = param(0.0, "Share of resistance removed each year by socialisation and training on the system.",
                                 "share per year", ge=0, le=1)
    resistance_effort: float = param(0.06, "Target effort lost per unit of resistance.", "effort (0-1)", ge=0, le=1)
    quit_base: float = param(0.02, "Yearly probability of leaving voluntarily at zero resistance.", "probability per year",
                             ge=0, le=1)
    quit_resistance: float = param(0.05, "Extra yearly probability of leaving per unit of resistance.", "probability per year",
                                   ge=0, le=1)
    training_gain: float = param(0.15, "Ability gained by an employee trained after a below-expectation predikat.", "SD",
                                 ge=0, le=2)
    training_all: float = param(0.0, "Ability gained each year by everyone from technical and soft-skill training.",
                                "SD per year", ge=0, le=2)
    applicant_ability_mean: float = param(0.0, "Mean ability of new hires (the applicant pool).", "SD", ge=-3, le=3)


# --------------------------------------------------------------------------------------------
# Policies and reward schemes to compare (DESIGN 3.6, 3.7)
# --------------------------------------------------------------------------------------------

#: Built-in scoring policies compared by default (registry names, simulate.policies).
DEFAULT_POLICIES: tuple[str, ...] = (
    "pp46_2011", "pp30_2019", "permenpanrb_2022", "objective_index", "citizen_weighted",
    "target_achievement", "forced_distribution", "rater_calibrated",
)
#: Built-in reward schemes applied by default (registry names, simulate.rewards).
DEFAULT_REWARDS: tuple[str, ...] = ("tpp", "angka_kredit", "career")


class PolicySpec(_Params):
    name: str = param(..., "Name of this arm in results and reports (snake_case).", "-")
    policy: str | None = param(None, "Registered scoring rule it runs (default: the same as name).", "-")
    label: str | None = param(None, "Display name in reports (default: the rule's label).", "-")
    params: dict[str, Any] = param(description="The rule's parameters (validated by the rule).", unit="-",
                                   default_factory=dict)

    @property
    def rule(self) -> str:
        return self.policy or self.name


class RewardSpec(_Params):
    name: str = param(..., "Name of this reward scheme in results and reports.", "-")
    scheme: str | None = param(None, "Registered reward scheme it runs (default: the same as name).", "-")
    params: dict[str, Any] = param(description="The scheme's parameters (validated by the scheme).", unit="-",
                                   default_factory=dict)

    @property
    def rule(self) -> str:
        return self.scheme or self.name


def _names_unique(items: list[Any], field: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not item.name.replace("_", "").isalnum():
            raise ValueError(f"{field}[{i}].name: use letters, digits and '_' only, got {item.name!r}")
        if item.name in seen:
            raise ValueError(f"{field}[{i}].name: {item.name!r} is used twice")
        seen.add(item.name)


# --------------------------------------------------------------------------------------------
# The scenario
# --------------------------------------------------------------------------------------------


class Scenario(_Params):
    name: str = param("scenario", "Short name used in folder names and reports.", "-")
    description: str = param("", "What the scenario represents, in a sentence or two.", "-")
    extends: str | None = param(None, "Scenario file this one overrides (resolved relative to this file).", "-")
    seed: int = param(20240101, "Root seed of every random draw in a run.", "-", ge=0, le=2**63 - 1)
    population: PopulationParams = Field(default_factory=PopulationParams, description="Organisation and people.")
    truth: TruthParams = Field(default_factory=TruthParams, description="Hidden true performance.")
    work: WorkParams = Field(default_factory=WorkParams, description="Indicators, targets, discipline.")
    citizens: CitizenParams = Field(default_factory=CitizenParams, description="Queues, SKM survey, complaints.")
    raters: RaterParams = Field(default_factory=RaterParams, description="Who rates whom, and how.")
    appraisal: AppraisalParams = Field(default_factory=AppraisalParams, description="Appraisal cycle.")
    dynamics: DynamicsParams = Field(default_factory=DynamicsParams, description="Behaviour over periods.")
    notebook: str = param("policy-comparison", "Notebook kinerja run executes for this scenario.", "-")
    policies: list[PolicySpec] = param(
        description="Scoring policies compared on the same evidence (first = the baseline arm).", unit="-",
        default_factory=lambda: [PolicySpec(name=p) for p in DEFAULT_POLICIES],
    )
    rewards: list[RewardSpec] = param(
        description="Reward and follow-up schemes applied to every policy's appraisal.", unit="-",
        default_factory=lambda: [RewardSpec(name=r) for r in DEFAULT_REWARDS],
    )

    @field_validator("notebook")
    @classmethod
    def _registered_notebook(cls, value: str) -> str:
        # Checked here, not at run time, so that kinerja validate refuses it before any work.
        if value not in NOTEBOOKS:
            raise ValueError(f"unknown notebook {value!r}; allowed: {', '.join(NOTEBOOKS)}")
        return value

    @model_validator(mode="after")
    def _name(self) -> "Scenario":
        if not self.policies:
            raise ValueError("policies: list at least one policy")
        _names_unique(self.policies, "policies")
        _names_unique(self.rewards, "rewards")
        if not self.name or not all(c.isalnum() or c in "-_" for c in self.name):
            raise ValueError(f"name: use letters, digits, '-' and '_' only, got {self.name!r}")
        return self
