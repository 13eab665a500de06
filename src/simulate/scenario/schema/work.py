"""Scenario section ``work``: indicators, targets and discipline (DESIGN 3.3)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from simulate.scenario.schema.base import OPD_KINDS, _Params, param
from simulate.validation import sum_problem

__all__ = ["IndicatorSpec", "DisciplineParams", "WorkParams", "default_indicators"]


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
    validity: float = param(
        ..., "Correlation of the indicator's stable part with true work results when nothing outside the employee's "
        "control moves it (no contamination); contamination then lowers it to validity x sqrt(1 - contamination).",
        "correlation", ge=0, le=1)
    reliability: float = param(..., "Share of the indicator's variance that is not measurement noise.", "share", gt=0, le=1)
    contamination: float = param(
        ..., "Share of the indicator's stable variance due to shocks the employee's unit shares and the employee does not "
        "control (caseload, equipment, weather); the rest is the person's (true results and person-specific factors, in "
        "the proportions validity gives), so raising contamination lowers the indicator's correlation with true results.",
        "share", ge=0, lt=1)
    gameability: float = param(..., "How far the reported value moves per unit of gaming effort.", "SD per unit gaming", ge=0, le=5)
    main: bool = param(True, "A main result (hasil kerja utama) rather than an additional one.", "-")

    @model_validator(mode="after")
    def _variance_budget(self) -> "IndicatorSpec":
        if self.opd_kind not in OPD_KINDS:
            raise ValueError(f"opd_kind: unknown kind {self.opd_kind!r}; allowed: {', '.join(OPD_KINDS)}")
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
        "dukcapil_dokumen": _ind("dukcapil", "Dokumen diproses", "dokumen/bulan", 320, 0.25, 0.7826, 0.90, 0.2, 0.3),
        "dukcapil_waktu_proses": _ind("dukcapil", "Rata-rata waktu proses dokumen", "jam", 24, 0.35, 0.6574, 0.80, 0.3, 0.5, lower=True),
        "dukcapil_tepat_waktu": _ind("dukcapil", "Dokumen selesai sesuai standar waktu", "persen", 85, 0.6, 0.5976, 0.80, 0.3, 0.8, scale="logit_percent"),
        "dukcapil_rework": _ind("dukcapil", "Dokumen salah / dikerjakan ulang", "persen", 5, 0.5, 0.4743, 0.70, 0.1, 0.4, lower=True, scale="logit_percent", main=False),
        "puskesmas_pasien": _ind("puskesmas", "Pasien dilayani", "pasien/bulan", 280, 0.30, 0.6822, 0.90, 0.35, 0.4),
        "puskesmas_waktu_layanan": _ind("puskesmas", "Rata-rata waktu layanan", "menit", 30, 0.30, 0.5379, 0.80, 0.3, 0.5, lower=True),
        "puskesmas_standar": _ind("puskesmas", "Pasien hipertensi/diabetes dilayani sesuai standar", "persen", 80, 0.6, 0.5774, 0.75, 0.25, 0.7, scale="logit_percent"),
        "pendidikan_program": _ind("pendidikan", "Program pembelajaran terlaksana", "program/tahun", 10, 0.25, 0.5423, 0.85, 0.15, 0.6),
        "pendidikan_hasil_belajar": _ind("pendidikan", "Rata-rata nilai hasil belajar siswa", "nilai 0-100", 72, 0.5, 0.4719, 0.50, 0.45, 0.3, scale="logit_percent"),
        "kecamatan_layanan": _ind("kecamatan", "Layanan administrasi selesai", "layanan/bulan", 180, 0.30, 0.7171, 0.90, 0.3, 0.4),
        "kecamatan_waktu_layanan": _ind("kecamatan", "Rata-rata waktu layanan", "menit", 45, 0.35, 0.5976, 0.80, 0.3, 0.5, lower=True),
        "back_office_tepat_waktu": _ind("back_office", "Tugas selesai tepat waktu", "persen", 85, 0.6, 0.5966, 0.80, 0.15, 0.6, scale="logit_percent"),
        "back_office_anggaran": _ind("back_office", "Realisasi anggaran", "persen", 90, 0.7, 0.4243, 0.90, 0.5, 0.5, scale="logit_percent"),
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
        bad = next((i for i, s in enumerate(self.late_band_shares) if s < 0), None)
        if bad is not None:
            raise ValueError(f"late_band_shares[{bad}]: must be >= 0, got {self.late_band_shares[bad]}")
        problem = sum_problem("late_band_shares", self.late_band_shares, noun="shares")
        if problem:
            raise ValueError(problem)
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
