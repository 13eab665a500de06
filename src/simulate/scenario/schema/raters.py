"""Scenario sections ``raters`` and ``appraisal``: who rates whom, how, and when (DESIGN 3.5)."""

from __future__ import annotations

from pydantic import Field, model_validator

from simulate.scenario.schema.base import _Params, param
from simulate.validation import OBSERVED_SUM_TOLERANCE, sum_problem

__all__ = [
    "RaterSourceParams",
    "SupervisorParams",
    "ScaleParams",
    "RaterParams",
    "AppraisalParams",
]

SRC_SALGADO = "Salgado & Moscoso 2019, Frontiers in Psychology 10:2281 (domain/literature.md row 4)"
SRC_CONWAY = "Conway & Huffcutt 1997, Human Performance 10(4) (domain/literature.md row 5)"
SRC_HEIDEMEIER = "Heidemeier & Moser 2009, JAP 94(2) (domain/literature.md rows 8-9)"
SRC_JAWAHAR = "Jawahar & Williams 1997, Personnel Psychology 50 (domain/literature.md row 10)"
SRC_SCULLEN = "Scullen, Mount & Goff 2000, JAP 85(6) (domain/literature.md rows 11-14)"
SRC_KRAIGER = "Kraiger & Ford 1985, JAP 70(1); range 0-0.4 SD (domain/literature.md 3.6)"
SRC_VISWESVARAN05 = "Viswesvaran, Schmidt & Ones 2005, JAP 90(1) (domain/literature.md row 17)"
SRC_BKN_PILEUP = "BKN 2023 via jawawa.id: >94% Baik, ~5% Sangat Baik (domain/literature.md row 23)"


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
    perspective_sd: float = param(
        0.0, "SD of the view of a ratee that every superior shares (the superior's perspective: what work "
        "looks like from above), added to the rater's impression; it makes two superiors agree more than "
        "a superior and a peer.", "SD", ge=0, le=5,
        source="Scullen, Mount & Goff 2000 (rater-perspective effects)",
    )


def _supervisor_default() -> SupervisorParams:
    # Calibrated (kinerja calibrate) to: two supervisors agree at .45 on administrative ratings,
    # correlated across ratees as the meta-analyses do (Salgado & Moscoso 2019), which needs a view
    # the superiors share (perspective) besides leniency; rater-related variance > half of a
    # multi-source rating (Scullen et al. 2000); halo inflating inter-dimension correlations by
    # about a third (Viswesvaran et al. 2005); and the Indonesian pile-up at "sesuai ekspektasi".
    return SupervisorParams(
        leniency_mean=0.0, leniency_sd=0.91, slope_mean=0.9, slope_sd=0.15,
        idiosyncratic_sd=0.46, noise_sd=1.49, halo=0.46, ingroup_bias=0.15,
        recency=0.0, stakes_inflation=0.49, rotation_share=0.0, perspective_sd=0.80,
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


class ObservedRatings(_Params):
    """Variance shares estimated from a real appraisal export (``kinerja estimate`` writes them).

    ``kinerja calibrate`` then checks that the simulated ratings, estimated the same way on the
    same design, reproduce them.
    """

    employee_share: float = param(..., "Share of rating variance due to the employee (estimated).", "share", ge=0, le=1)
    rater_share: float = param(..., "Share of rating variance due to the rater (estimated).", "share", ge=0, le=1)
    residual_share: float = param(..., "Share of rating variance left as residual (estimated).", "share", ge=0, le=1)
    n_peers: int = param(0, "Raters per employee in the export beyond the first (colleagues).", "raters", ge=0, le=5)
    dimensions: bool = param(True, "Whether the export rates each behaviour dimension (else one overall rating).", "-")
    source: str = param("", "Where the shares come from (the export's digest, never its content).", "-")

    @model_validator(mode="after")
    def _sum(self) -> "ObservedRatings":
        problem = sum_problem("employee_share, rater_share, residual_share",
                              (self.employee_share, self.rater_share, self.residual_share), OBSERVED_SUM_TOLERANCE,
                              noun="shares")
        if problem:
            raise ValueError(problem)
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
    observed: ObservedRatings | None = Field(
        None, description="Variance shares estimated from a real export, which kinerja calibrate checks (set by kinerja estimate).")


class AppraisalParams(_Params):
    period_months: int = param(12, "Length of one appraisal period (12 = annual; 3 = quarterly; 1 = monthly).", "months", ge=1, le=12)
    pay_linked: bool = param(True, "Ratings decide pay (TPP / tunjangan kinerja): supervisors add stakes inflation.", "-",
                             source=SRC_JAWAHAR)

    @model_validator(mode="after")
    def _divides(self) -> "AppraisalParams":
        if 12 % self.period_months:
            raise ValueError(f"period_months: must divide 12 (1, 2, 3, 4, 6 or 12), got {self.period_months}")
        return self
