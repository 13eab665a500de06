"""Scenario section ``dynamics``: behaviour over periods (DESIGN 3.8)."""

from __future__ import annotations

from simulate.scenario.schema.base import _Params, param

__all__ = ["DynamicsParams"]

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
