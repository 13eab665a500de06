"""Scenario sections ``population`` and ``truth``: the people and their true performance.

Organisation and people follow DESIGN 3.1, the hidden truth DESIGN 3.2.
"""

from __future__ import annotations

from pydantic import model_validator

from simulate.scenario.schema.base import OPD_KINDS, _Params, param
from simulate.validation import sum_problem

__all__ = ["PopulationParams", "TruthParams"]

SRC_BKN_2024 = "BKN 2024 headcount: 4,734,041 ASN of whom 1,167,900 PPPK (domain/regulations.md 6.1)"


def _check_shares(values: dict[str, float], field: str, *, must_sum: bool) -> None:
    unknown = sorted(set(values) - set(OPD_KINDS))
    if unknown:
        raise ValueError(f"{field}: unknown OPD kind {unknown[0]!r}; allowed: {', '.join(OPD_KINDS)}")
    problem = sum_problem(field, values, noun="shares") if must_sum else None
    if problem:
        raise ValueError(problem)


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
