"""``target_achievement``: targets cascaded from the region's strategy, daily logs, budget (Makassar).

Source: the Makassar seed article (``shared/seeds/004``): appraisal integrated with the city's
strategic targets; every ASN enters daily activities, budget realisation and target achievement
in an app; staff who miss their targets must explain why (accountability). Makassar's web
e-kinerja (from 2 Jan 2020) turns verified daily activities into points that convert to TPP
(domain/regulations.md 6.3). DESIGN 3.6 and 7. Achievement values follow PermenPANRB 8/2021
(:mod:`simulate.rules.capaian`); the default bands are PP 30/2019 Art. 41's.

How the score is built (every part on the 0-120 value scale of PermenPANRB 8/2021)
------------------------------------------------------------------------------------
1. **Targets** (``targets``): targets are cascaded from the region's strategic targets by
   ``cascade_factor`` (1 = the SKP targets as negotiated; 1.1 = every target 10 % more
   ambitious: count-like targets multiplied by 1.1, lower-is-better targets such as service
   time divided by 1.1), achievement is recomputed with :func:`simulate.rules.capaian.capaian`
   and mapped to its value with :func:`simulate.rules.capaian.capaian_value`; the component is
   the mean value over the employee's non-budget indicators (``indicators``: all, or only the
   main ones).
2. **Daily activity** (``daily_log``): log points (self-reported, verified by the superior)
   relative to the OPD's mean, ``100 x points / OPD mean``, capped at ``daily_log_cap``
   (default 120, the top of the value scale). Normalising within the OPD removes differences
   in how generously each OPD's superiors verify points and in the period length.
3. **Budget realisation** (``budget``): the value of the employee's own budget indicators (names
   containing ``budget_keyword``, default ``anggaran``: back-office ``Realisasi anggaran``);
   employees without one take the value of their work unit's mean achievement (the mean over
   the unit's members of their mean achievement), because spending is the unit's, not the
   person's. The source is recorded in ``budget_source`` (``own`` / ``unit``).
4. **Score** = weighted sum with ``weights`` (validated to sum to 1), renormalised over the
   components an employee has (e.g. targets when the only indicator is a budget one).
5. **Bands**: ``bands`` = inclusive lower bounds of Sangat Baik, Baik, Butuh Perbaikan and
   Kurang (default PP 30/2019: 110 / 90 / 70 / 50), and, as in PP 30/2019 Art. 41(5),
   Sangat Baik also needs a credited new idea (``require_new_idea``, default true; without
   it about half the staff of the default scenario would be Sangat Baik, because negotiated
   SKP targets are lenient and achievement above 110 % is valued at the 120 cap).
   ``cascade_factor`` above 1 is the other way to make the targets bite.
6. **Accountability** for missed targets: ``missed_target`` flags anyone with an achievement
   under ``missed_below`` (default 100 %: the target was not met) on any indicator used (also
   own budget indicators); ``n_missed`` counts them. It is recorded, not punished, unless
   ``missed_target_cap`` names a predikat the flagged cannot rise above (e.g. ``baik``).
   The notes list, per OPD, how many staff must account for a missed target.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import (
    band, group_mean, group_sum, nan_weighted_mean, pool_codes, pool_sizes, row_count, row_sum,
)
from simulate.policies.objective_index import indicator_ids
from simulate.predikat import PREDIKAT
from simulate.rules import capaian as capaian_rule

__all__ = ["TargetWeights", "TargetAchievementParams", "score", "cascaded_capaian", "daily_log_value"]

#: Categories of ``components['budget_source']`` (code 0 = the unit's mean, 1 = own indicator).
_BUDGET_SOURCE = pd.CategoricalDtype(["unit", "own"])


class TargetWeights(PolicyParams):
    """Weights of the three components (must sum to 1)."""

    targets: float = Field(0.6, ge=0, le=1, description="Weight of achievement against (cascaded) targets.")
    daily_log: float = Field(0.2, ge=0, le=1, description="Weight of daily-activity log points (relative to the OPD mean).")
    budget: float = Field(0.2, ge=0, le=1, description="Weight of budget realisation (own budget indicator, else the unit's mean achievement).")

    @model_validator(mode="after")
    def _sum(self) -> "TargetWeights":
        total = self.targets + self.daily_log + self.budget
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"must sum to 1 (targets + daily_log + budget); the sum is {total:.6g}")
        return self


class TargetAchievementParams(PolicyParams):
    """Parameters of ``target_achievement`` (Makassar)."""

    weights: TargetWeights = Field(default_factory=TargetWeights, description="Weights of targets, daily log and budget.")
    indicators: Literal["all", "main"] = Field("all", description="Indicators that count as targets: all held, or only the main (utama) ones.")
    cascade_factor: float = Field(
        1.0, ge=0.5, le=2.0,
        description="Ambition of targets cascaded from the region's strategic targets: count-like targets x factor, "
                    "lower-is-better targets / factor (1 = SKP targets as set).")
    daily_log_cap: float = Field(120.0, ge=100, le=1000, description="Cap on the daily-log value (percent of the OPD mean).")
    budget_keyword: str = Field("anggaran", min_length=1, description="Indicators whose name contains this text are budget realisation.")
    bands: list[float] = Field(
        default_factory=lambda: [110.0, 90.0, 70.0, 50.0],
        description="Inclusive lower bounds (0-120 value scale) of sangat_baik, baik, butuh_perbaikan and kurang, "
                    "strictly descending (default PP 30/2019 Art. 41 without the new-idea condition).")
    require_new_idea: bool = Field(
        True, description="Sangat Baik also needs a credited new idea or method (evidence.new_idea), as in PP 30/2019 "
                          "Art. 41(5) whose bands are the default; False bands on the score alone.")
    missed_below: float = Field(100.0, ge=0, le=200, description="Achievement (percent) under which a target counts as missed.")
    missed_target_cap: Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"] | None = Field(
        None, description="Best predikat an employee with a missed target can get (None = flag only).")

    @model_validator(mode="after")
    def _bands(self) -> "TargetAchievementParams":
        b = self.bands
        if len(b) != 4 or any(y >= x for x, y in zip(b, b[1:])):
            raise ValueError(f"bands: must be 4 strictly descending numbers (sangat_baik, baik, butuh_perbaikan, "
                             f"kurang), got {b}")
        return self


def cascaded_capaian(evidence: Evidence, factor: float) -> np.ndarray:
    """(n, K) achievement in percent against targets scaled by ``factor`` (see module docstring)."""
    cap = np.asarray(evidence.capaian, dtype=float)
    if factor == 1.0:
        return cap.copy()
    present = ~np.isnan(cap)
    lower = np.asarray(evidence.lower_is_better, dtype=bool)[present]
    target = np.asarray(evidence.target, dtype=float)[present]
    target = np.where(lower, target / factor, target * factor)
    out = np.full(cap.shape, np.nan)
    out[present] = capaian_rule.capaian(target, np.asarray(evidence.realisation, dtype=float)[present], lower)
    return out


def daily_log_value(evidence: Evidence, cap: float = 120.0) -> np.ndarray:
    """Daily-log points as percent of the OPD mean, capped at ``cap``."""
    points = np.asarray(evidence.daily_log_points, dtype=float)
    codes, ng = pool_codes(evidence, "opd")
    mean = group_mean(points, codes, ng)[codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(mean > 0, 100.0 * points / np.where(mean > 0, mean, 1.0), 100.0)
    return np.minimum(value, cap)


def _row_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    count = row_count(mask)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, row_sum(np.where(mask, values, 0.0)) / np.maximum(count, 1), np.nan)


def _opd_table(evidence: Evidence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per OPD (in the order of :func:`pool_codes` ``'opd'``, i.e. by ``opd_id``): ``opd_id``,
    kind and headcount. Fixed by the employee table, so memoised on it (read-only arrays)."""
    e = evidence.employees

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        codes, _ = pool_codes(evidence, "opd")
        first = np.unique(codes, return_index=True)[1]  # first row of each OPD
        opd = evidence.structure.column("opd_id")
        opd_id = opd[first] if len(opd) else np.zeros(0, dtype=np.int64)
        kinds = e["opd_kind"].iloc[first].to_numpy()
        opd_id.flags.writeable = kinds.flags.writeable = False
        return opd_id, kinds, pool_sizes(evidence, "opd")

    return evidence.structure.derive(("target_achievement.opd_table",), compute)


@register(
    "target_achievement", TargetAchievementParams,
    label="Capaian target berjenjang (Makassar)", label_en="Tiered target achievement (Makassar)",
    reference="Seed article on Makassar (shared/seeds/004); e-kinerja Makassar (regulations.md 6.3); "
              "PermenPANRB 8/2021 capaian values; PP 30/2019 Art. 41 bands",
)
def score(evidence: Evidence, params: TargetAchievementParams) -> Appraisal:
    """Weighted targets / daily-log / budget score on the 0-120 scale, banded, with accountability flags.

    Makassar seed article; PermenPANRB 8/2021 achievement values; PP 30/2019 bands. See the
    module docstring for each component and the documented choices.
    """
    cap = cascaded_capaian(evidence, params.cascade_factor)
    present = ~np.isnan(cap)
    use = present & (np.asarray(evidence.main, dtype=bool) if params.indicators == "main" else True)
    ids, names = indicator_ids(evidence)
    budget_by_id = np.append(np.char.find(names.astype(str), params.budget_keyword) >= 0, False)
    is_budget = budget_by_id[np.where(ids >= 0, ids, len(names))]
    value = np.where(present, capaian_rule.capaian_value(np.where(present, cap, 0.0)), np.nan)

    target_mask = use & ~is_budget
    own_budget_mask = present & is_budget
    targets = _row_mean(value, target_mask)
    own_budget = _row_mean(value, own_budget_mask)
    has_own = row_count(own_budget_mask) > 0
    # The unit's mean achievement: mean over members of each member's mean achievement.
    person_cap = _row_mean(np.where(present, cap, 0.0), present)
    ucodes, nu = pool_codes(evidence, "work_unit")
    unit_cap = group_mean(person_cap, ucodes, nu)[ucodes]
    unit_value = np.where(np.isnan(unit_cap), np.nan, capaian_rule.capaian_value(np.nan_to_num(unit_cap)))
    budget = np.where(has_own, own_budget, unit_value)
    daily = daily_log_value(evidence, params.daily_log_cap)

    w = params.weights
    parts = np.column_stack([targets, daily, budget])
    total = nan_weighted_mean(parts, [w.targets, w.daily_log, w.budget], axis=1)
    total = np.where(np.isnan(total), 0.0, total)
    predikat = band(total, [*params.bands, -np.inf]).astype(np.int64)
    if params.require_new_idea:
        predikat = np.where((predikat == 0) & ~np.asarray(evidence.new_idea, dtype=bool), 1, predikat)

    counted = target_mask | own_budget_mask
    n_missed = row_count(counted & (cap < params.missed_below))
    missed = n_missed > 0
    if params.missed_target_cap is not None:
        cap_code = PREDIKAT.index(params.missed_target_cap)
        predikat = np.where(missed, np.maximum(predikat, cap_code), predikat)

    ocodes, no = pool_codes(evidence, "opd")  # codes of the sorted opd_id
    opd_id, opd_kind, staff = _opd_table(evidence)
    missed_n = group_sum(missed.astype(float), ocodes, no).astype(np.int64)
    notes = pd.DataFrame({
        "opd_id": opd_id, "opd_kind": opd_kind,
        "n_employees": staff, "n_missed_target": missed_n,
        "share_missed_target": missed_n / np.maximum(staff, 1),
    })
    components = components_frame({
        "targets_value": targets, "daily_log_value": daily, "budget_value": budget,
        "budget_source": pd.Categorical.from_codes(has_own.astype(np.int8), dtype=_BUDGET_SOURCE),
        "mean_capaian": person_cap, "n_missed": n_missed.astype(np.int64), "missed_target": missed,
    })
    return Appraisal(
        policy="target_achievement", rule="target_achievement",
        employee_id=evidence.structure.column("employee_id"),
        score=total.astype(float), predikat=predikat.astype(np.int8),
        components=components, notes=notes, params=params,
    )
