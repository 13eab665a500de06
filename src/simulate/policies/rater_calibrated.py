"""Rater-calibrated appraisal: ratings adjusted for each rater's estimated leniency and spread.

The fair-average idea of many-facet Rasch measurement (FACETS; Linacre 1989, *Many-facet Rasch
measurement*) and of rater-effect models: a rating is the ratee's performance plus the rater's
leniency, stretched or squeezed by the rater's spread; estimate the rater terms from the
ratings and remove them before banding. Everything is estimated from ``Evidence`` alone
(never the truth): a rater's team is the set of employees whose direct superior they are.

Estimation (per rater r with ``n_r`` ratees, done separately for the behaviour ratings -- the
employee's mean over the 7 BerAKHLAK dimensions -- and for the results judgement):

- **Leniency**: ``raw_r = mean_r - grand`` (mean of the ratings r gave minus the mean over all
  employees), shrunk towards 0 by the empirical-Bayes factor
  ``B_r = tau^2 / (tau^2 + sigma_w^2 / n_r)`` (Morris 1983), with ``sigma_w^2`` the pooled
  within-rater variance and ``tau^2 = max(0, var_r(mean_r) - mean_r(sigma_w^2 / n_r))`` the
  method-of-moments variance of true rater means. Small teams are shrunk more: their mean says
  less about the rater.
- **Spread**: ``log(sd_r / sigma_w)`` (sd_r the SD of the ratings r gave), shrunk the same way
  with the sampling variance of a log SD, ``1 / (2 (n_r - 1))``; the log ratio is clipped to
  ``+-log(spread_limit)`` first so a team of two near-identical ratings cannot explode it.
  ``spread_r = exp(shrunk log ratio)``.
- Raters with fewer than ``min_team_size`` ratees are not adjusted (leniency 0, spread 1): with
  one ratee the rater's leniency and the ratee's performance cannot be told apart.
- **Adjusted rating** of every dimension and of the results judgement:
  ``(rating - leniency_r - grand) / spread_r + grand``.

Caveat (the design's, not a bug): with one rater per ratee a team's true mean performance is
confounded with the rater's leniency; shrinkage keeps most of a team's difference only when
teams are small. Real FACETS separates them through raters who share ratees.

Banding (``base``):

- ``permenpanrb_2022`` (default): adjusted mean behaviour and adjusted results judgement ->
  di bawah / sesuai / di atas with the scenario's thresholds **re-centred** on the adjusted
  ratings (``rescale_thresholds``: a threshold ``t`` becomes
  ``grand_adj + (t - grand_raw) x sd_adj / sd_raw``, so roughly the same shares clear it as
  before and the adjustment changes *who*, not *how many*) -> kuadran kinerja -> predikat.
  Score: the fair average, ``to_score_100`` of the mean of the adjusted behaviour and results
  ratings.
- ``pp30_2019``: the PP 30/2019 appraisal (:mod:`simulate.policies.pp30_2019`) with the
  adjusted behaviour rating (SKP from capaian is objective and not adjusted). Score: the PP 30
  final score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from simulate.evidence import Evidence
from simulate.policies import pp30_2019 as pp30
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import group_stats, pool_codes, rater_keys, row_mean, shrinkage_factor
from simulate.rules import permenpanrb_2022 as rule_2022
from simulate.rules import pp30_2019 as rule_30
from simulate.scales import to_expectation, to_score_100

__all__ = ["RaterCalibratedParams", "RaterEffects", "estimate_rater_effects", "score"]


class RaterCalibratedParams(PolicyParams):
    """Parameters of the rater-calibrated appraisal."""

    base: Literal["permenpanrb_2022", "pp30_2019"] = Field(
        "permenpanrb_2022",
        description="Scale the adjusted ratings are banded on: the 2022 three levels and quadrant, or "
                    "the PP 30/2019 score and bands.",
    )
    shrink: bool = Field(
        True,
        description="Shrink rater leniency and spread estimates towards 0 / 1 by the empirical-Bayes "
                    "factor (False: use the raw team mean and SD, over-correcting small teams).",
    )
    adjust_spread: bool = Field(
        True, description="Also divide by the rater's estimated spread (central tendency / extremity).",
    )
    spread_limit: float = Field(
        3.0, ge=1.0, le=20.0,
        description="Raw spread ratios are clipped to [1/spread_limit, spread_limit] before shrinkage.",
    )
    min_team_size: int = Field(
        2, ge=1, le=100,
        description="Raters with fewer ratees are not adjusted (with one ratee, leniency and performance "
                    "cannot be told apart).",
    )
    rescale_thresholds: bool = Field(
        True,
        description="2022 base: re-centre and re-scale the scenario's expectation thresholds on the "
                    "adjusted ratings (same shares clear them as before); False keeps them as they are.",
    )


@dataclass(frozen=True, eq=False)
class RaterEffects:
    """Estimated rater terms for one kind of rating; arrays have one entry per rater code."""

    codes: np.ndarray  #: (n,) rater code of each ratee
    n_raters: int
    team_size: np.ndarray  #: ratees with a rating
    mean: np.ndarray  #: mean rating given (NaN without ratings)
    raw_leniency: np.ndarray  #: mean - grand (0 below min_team_size)
    leniency: np.ndarray  #: shrunk leniency applied
    leniency_shrinkage: np.ndarray  #: empirical-Bayes factor B_r in [0, 1]
    sd: np.ndarray  #: SD of the ratings given (ddof 1; NaN for one ratee)
    spread: np.ndarray  #: shrunk spread ratio applied (1 = average)
    spread_shrinkage: np.ndarray  #: empirical-Bayes factor of the log spread
    grand: float  #: mean over all ratees
    sigma_within: float  #: pooled within-rater SD (NaN if no rater has 2 ratees)

    def adjust(self, ratings) -> np.ndarray:
        """``(rating - leniency_r - grand) / spread_r + grand`` for (n,) or (n, d) ratings."""
        r = np.asarray(ratings, dtype=float)
        lon = self.leniency[self.codes]
        spr = self.spread[self.codes]
        if r.ndim == 2:
            lon, spr = lon[:, None], spr[:, None]
        return (r - lon - self.grand) / spr + self.grand

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "team_size": self.team_size, "mean": self.mean, "raw_leniency": self.raw_leniency,
            "leniency": self.leniency, "leniency_shrinkage": self.leniency_shrinkage, "sd": self.sd,
            "spread": self.spread, "spread_shrinkage": self.spread_shrinkage,
        })


def estimate_rater_effects(ratings, codes, n_raters: int, *, shrink: bool = True, adjust_spread: bool = True,
                           spread_limit: float = 3.0, min_team_size: int = 2) -> RaterEffects:
    """Estimate each rater's leniency and spread from one rating per ratee (see module doc).

    Parameters
    ----------
    ratings : (n,) latent ratings (one per ratee; NaN ignored)
    codes : (n,) dense rater codes 0..n_raters-1
    """
    x = np.asarray(ratings, dtype=float)
    codes = np.asarray(codes, dtype=np.int64)
    count, mean, sd = group_stats(x, codes, n_raters, ddof=1)
    grand = float(np.nanmean(x)) if np.any(~np.isnan(x)) else 0.0
    multi = count >= 2
    dof = np.maximum(count - 1, 0)
    ss = np.where(multi, np.nan_to_num(sd) ** 2 * dof, 0.0)
    sigma_w2 = float(ss.sum() / dof[multi].sum()) if multi.any() else np.nan

    usable = count >= max(min_team_size, 1)
    raw_len = np.where(usable, mean - grand, 0.0)
    if not shrink:
        b_len = usable.astype(float)
    elif np.isfinite(sigma_w2) and usable.sum() >= 2:
        samp = sigma_w2 / np.maximum(count, 1)
        tau2 = np.nanvar(mean[usable]) - np.mean(samp[usable])
        b_len = np.where(usable, shrinkage_factor(tau2, samp), 0.0)
    else:  # no within-rater information: nothing to shrink with, so no adjustment
        b_len = np.zeros(n_raters)
    leniency = b_len * np.nan_to_num(raw_len)

    spread = np.ones(n_raters)
    b_spr = np.zeros(n_raters)
    has_sd = usable & multi & np.isfinite(sd) & (sd > 0)
    if adjust_spread and np.isfinite(sigma_w2) and sigma_w2 > 0 and has_sd.any():
        bound = np.log(spread_limit)
        ratio = np.where(has_sd, sd, 1.0) / np.sqrt(sigma_w2)
        log_ratio = np.where(has_sd, np.clip(np.log(ratio), -bound, bound), 0.0)
        if shrink:
            samp_s = 1.0 / (2.0 * np.maximum(count - 1, 1))
            tau2_s = np.var(log_ratio[has_sd]) - np.mean(samp_s[has_sd]) if has_sd.sum() >= 2 else 0.0
            b_spr = np.where(has_sd, shrinkage_factor(tau2_s, samp_s), 0.0)
        else:
            b_spr = has_sd.astype(float)
        spread = np.exp(b_spr * log_ratio)
    sigma_within = float(np.sqrt(sigma_w2)) if np.isfinite(sigma_w2) else np.nan
    return RaterEffects(codes=codes, n_raters=n_raters, team_size=count, mean=mean, raw_leniency=raw_len,
                        leniency=leniency, leniency_shrinkage=b_len, sd=sd, spread=spread,
                        spread_shrinkage=b_spr, grand=grand, sigma_within=sigma_within)


def _rescaled_scales(scales, raw: np.ndarray, adjusted: np.ndarray, rescale: bool):
    """The scenario's expectation thresholds moved onto the adjusted ratings' location and spread."""
    if not rescale or len(raw) < 2:
        return scales
    m_raw, s_raw = float(np.nanmean(raw)), float(np.nanstd(raw))
    m_adj, s_adj = float(np.nanmean(adjusted)), float(np.nanstd(adjusted))
    if not (s_raw > 0 and s_adj > 0):
        return scales
    below, above = (m_adj + (t - m_raw) * s_adj / s_raw
                    for t in (scales.expectation_below, scales.expectation_above))
    return scales.model_copy(update={"expectation_below": below, "expectation_above": above})


@register("rater_calibrated", RaterCalibratedParams,
          label="Nilai dikoreksi atas kemurahan penilai", label_en="Rater-calibrated scores (fair averages)",
          reference="Fair-average adjustment for rater leniency and spread (Linacre 1989, FACETS; "
                    "empirical Bayes, Morris 1983); banded by PermenPANRB 6/2022 or PP 30/2019")
def score(evidence: Evidence, params: RaterCalibratedParams) -> Appraisal:
    """Appraise with ratings adjusted for each superior's estimated leniency and spread.

    1. Rater of each employee: the direct superior (OPD heads: one outside rater per OPD,
       :func:`simulate.policies.common.rater_keys`).
    2. Behaviour (mean of the 7 latent dimension ratings) and results judgement: rater leniency
       and spread estimated separately with empirical-Bayes shrinkage
       (:func:`estimate_rater_effects`); every rating adjusted as
       ``(rating - leniency_r - grand) / spread_r + grand``.
    3. Banding (``base``): PermenPANRB 6/2022 quadrant on re-centred thresholds, or PP 30/2019
       with the adjusted behaviour (module docstring).

    Score: the fair average on 0-100 (2022 base) or the PP 30 final score. Components: raw and
    adjusted ratings and the rater terms applied. ``notes``: one row per rater (key, team size,
    mean rating, raw and shrunk leniency, shrinkage factors, spread) -- the group-level finding.
    """
    n = evidence.n
    keys = rater_keys(evidence)
    codes, n_raters = pool_codes(evidence, "unit")  # the pool of everyone with the same rater
    dims_raw = np.asarray(evidence.supervisor_behaviour, dtype=float)
    beh_raw = row_mean(dims_raw) if n else np.zeros(0)
    res_raw = np.asarray(evidence.supervisor_results, dtype=float)
    opts = dict(shrink=params.shrink, adjust_spread=params.adjust_spread,
                spread_limit=params.spread_limit, min_team_size=params.min_team_size)
    eff_b = estimate_rater_effects(beh_raw, codes, n_raters, **opts)
    eff_r = estimate_rater_effects(res_raw, codes, n_raters, **opts)
    dims_adj = eff_b.adjust(dims_raw)
    beh_adj = row_mean(dims_adj) if n else np.zeros(0)
    res_adj = eff_r.adjust(res_raw)

    comp: dict[str, np.ndarray] = {
        "rater_key": keys, "team_size": eff_b.team_size[codes] if n else np.zeros(0, np.int64),
        "behaviour_raw": beh_raw, "behaviour_adjusted": beh_adj,
        "rater_leniency": eff_b.leniency[codes] if n else np.zeros(0),
        "rater_spread": eff_b.spread[codes] if n else np.zeros(0),
        "results_raw": res_raw, "results_adjusted": res_adj,
        "rater_results_leniency": eff_r.leniency[codes] if n else np.zeros(0),
        "rater_results_spread": eff_r.spread[codes] if n else np.zeros(0),
    }
    if params.base == "permenpanrb_2022":
        sc_b = _rescaled_scales(evidence.scales, beh_raw, beh_adj, params.rescale_thresholds)
        sc_r = _rescaled_scales(evidence.scales, res_raw, res_adj, params.rescale_thresholds)
        behaviour = to_expectation(beh_adj, sc_b)
        results = to_expectation(res_adj, sc_r)
        predikat = rule_2022.predikat(results, behaviour) if n else np.zeros(0, dtype=np.int8)
        fair = to_score_100(0.5 * (beh_adj + res_adj), evidence.scales)
        comp.update({"behaviour": behaviour, "results": results,
                     "threshold_below": np.full(n, sc_b.expectation_below),
                     "threshold_above": np.full(n, sc_b.expectation_above)})
        final = fair
    else:
        p30 = pp30.Pp30Params()
        skp, skp_comp = pp30.skp_value(evidence, p30.additional_share)
        no_skp = np.isnan(skp)
        skp = np.where(no_skp, pp30.behaviour_value(res_adj, evidence.scales), skp)
        behaviour_v = pp30.behaviour_value(beh_adj, evidence.scales)
        final = rule_30.final_score(skp, behaviour_v, uses_360=False)
        predikat = rule_30.predikat(final, np.asarray(evidence.new_idea, dtype=bool)) if n \
            else np.zeros(0, dtype=np.int8)
        comp.update({"skp": skp, "behaviour": behaviour_v})

    notes = pd.DataFrame({
        "rater_key": _first_key(keys, codes, n_raters), "team_size": eff_b.team_size,
        "mean_behaviour": eff_b.mean, "raw_leniency": eff_b.raw_leniency, "leniency": eff_b.leniency,
        "leniency_shrinkage": eff_b.leniency_shrinkage, "sd_behaviour": eff_b.sd, "spread": eff_b.spread,
        "spread_shrinkage": eff_b.spread_shrinkage, "results_leniency": eff_r.leniency,
        "results_spread": eff_r.spread,
    })
    return Appraisal(
        policy="rater_calibrated", rule="rater_calibrated",
        employee_id=evidence.structure.column("employee_id"),
        score=np.asarray(final, dtype=float), predikat=np.asarray(predikat, dtype=np.int8),
        components=components_frame(comp), notes=notes, params=params,
    )


def _first_key(keys: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    out = np.zeros(n_groups, dtype=np.int64)
    out[codes] = keys
    return out
