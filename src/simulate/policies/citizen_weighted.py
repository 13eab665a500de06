"""``citizen_weighted``: any registered policy plus a weight on citizens' evidence (Alak, Sawahlunto).

Sources: the Alak (Kota Kupang) seed article (``shared/seeds/000``: a yearly citizen
satisfaction survey decides awards and remediation; complaints are a signal for improvement)
and the Sawahlunto article (``shared/seeds/001``: Dukcapil staff are appraised on monthly
citizen ratings); DESIGN 3.4, 3.6 and 7. The citizen measures follow PermenPANRB 14/2017 (the
SKM index converted to 25-100 and its A/B/C/D grades, :mod:`simulate.rules.skm`).

How the appraisal is built
--------------------------
1. The **base** policy (``base``, any registered rule, default ``permenpanrb_2022``) scores
   everybody with ``base_params`` (validated by the base's own parameter schema).
2. A **citizen index** on the SKM's 25-100 scale is formed per employee as the weighted mean
   (``source_weights``, renormalised over the sources available for that employee) of

   - ``ikm``: the service point's converted IKM (``evidence.unit_ikm``, 25-100);
   - ``complaints``: ``100 x exp(-complaints_per_1000 / complaints_scale)``: 0 complaints -> 100,
     the schema's average point (4 per 1,000 visits) -> 82 with the default scale 20 per 1,000,
     grade-D territory (under 65) from about 9 per 1,000;
   - ``rating``: the person's own mean citizen rating (1-4) x 25, the SKM conversion, where
     rating buttons exist (``evidence.citizen_rating``; NaN otherwise).

   Citizen evidence is measured per service point, not per person (except ratings): every
   staff member of a point inherits its IKM and complaints -- the attribution problem of
   DESIGN 3.4, which this policy makes visible rather than hides.
3. Only **counter-service staff** are affected (``applies_to``): ``service_point`` (default)
   = every employee of an OPD that runs a service point (Dukcapil, puskesmas, kecamatan
   office), as in Sawahlunto where the whole Dukcapil office is appraised on citizen feedback;
   ``counter_staff`` = only the staff who serve at the counter. Everyone else, and anyone
   without any citizen evidence, keeps the base result exactly.
4. **Combination** (``method``):

   - ``ordinal`` (default; works for every base, including the 2022 quadrant, which has no
     numeric score): the base predikat becomes an ordinal score ``5 - code`` (Sangat Baik 5 ...
     Sangat Kurang 1); the citizen index maps onto the same 1-5 scale through the SKM grade
     bounds (:func:`citizen_ordinal`: grade A -> 4.5-5, B -> 3.5-4.5, C -> 2.5-3.5, D -> 1-2.5,
     linear inside a grade, so a grade-B service point "says" Baik, the grade's own label);
     the combined score is ``(1 - weight) x base + weight x citizen``. Re-banding: rounded to
     the nearest level, halves upwards (after rounding to 9 decimals, so float noise cannot
     flip a level), and ``predikat = 5 - level``. A level moves only when
     ``weight x |citizen - base| >= 0.5``: with the default weight 0.5 a Baik employee of a
     grade-C/D point (citizen level under 3) drops to Butuh Perbaikan, a Butuh Perbaikan
     employee of a grade-B/A point rises to Baik, and Baik -> Sangat Baik needs a perfect
     index of 100; with weight 0.3 the gap must be at least 5/3 levels. Using the predikat
     rather than the base's own number keeps the rule identical for every base (a PP 30/2019
     score of 0-120 and an SD index cannot be averaged with an IKM without an arbitrary
     rescaling); the price is that a numeric base's position inside its band is ignored.
   - ``shift``: the citizen index's SKM grade (A/B/C/D, :func:`simulate.rules.skm.ikm_grade`)
     moves the base predikat one level: up for ``shift_up_grades`` (default A), down for
     ``shift_down_grades`` (default D), never beyond Sangat Baik / Sangat Kurang. ``weight``
     is not used.

   The appraisal's ``score`` is the combined ordinal score (1-5) for everybody (``5 - code`` for
   those not affected); the base's own score is kept in the components as ``base_score``. A
   distribution curve the base enforced is not re-enforced after the citizen adjustment.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, check_base, raise_problems, register, run_base
from simulate.policies.common import nan_weighted_mean, rescale_bands
from simulate.reference import load_table
from simulate.rules.skm import CONVERSION_FACTOR, ikm_grade

__all__ = [
    "CitizenSourceWeights", "CitizenWeightedParams", "score", "complaints_score_100", "citizen_index",
    "DEFAULT_COMPLAINTS_SCALE",
]

#: Complaints per 1,000 visits at which the complaint score has fallen to 100/e (about 37).
DEFAULT_COMPLAINTS_SCALE = 20.0
_GRADES = ("A", "B", "C", "D")
# Converted IKM bounds of the 1-5 ordinal mapping (the SKM's 25-100 scale).
_IKM_MIN, _IKM_MAX = 25.0, 100.0


# --------------------------------------------------------------------------------------------
# Citizen evidence
# --------------------------------------------------------------------------------------------

def complaints_score_100(complaints_per_1000, scale: float = DEFAULT_COMPLAINTS_SCALE) -> np.ndarray:
    """Complaint score 0-100: ``100 x exp(-complaints_per_1000 / scale)`` (NaN stays NaN).

    This model's mapping (no regulation scores complaints): no complaints score 100 and every
    ``scale`` complaints per 1,000 visits divide the score by e.
    """
    c = np.asarray(complaints_per_1000, dtype=float)
    return 100.0 * np.exp(-np.maximum(c, 0.0) / scale)


class CitizenSourceWeights(PolicyParams):
    """Weights of the citizen sources inside the citizen index (sum to 1)."""

    ikm: float = Field(0.6, ge=0, le=1, description="Weight of the service point's converted IKM (25-100, SKM).")
    complaints: float = Field(0.2, ge=0, le=1, description="Weight of the complaint score 100 x exp(-complaints per 1,000 / complaints_scale).")
    rating: float = Field(0.2, ge=0, le=1, description="Weight of the person's own citizen rating (1-4) x 25, where it exists.")

    @model_validator(mode="after")
    def _sum(self) -> "CitizenSourceWeights":
        total = self.ikm + self.complaints + self.rating
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"must sum to 1 (ikm + complaints + rating); the sum is {total:.6g}")
        return self


def citizen_index(evidence: Evidence, weights: CitizenSourceWeights,
                  complaints_scale: float = DEFAULT_COMPLAINTS_SCALE) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Citizen index per employee (the SKM's 25-100 scale; NaN where no source exists) and its parts."""
    parts = {
        "citizen_ikm": np.asarray(evidence.unit_ikm, dtype=float),
        "citizen_complaints_score": complaints_score_100(evidence.unit_complaints_per_1000, complaints_scale),
        "citizen_rating_score": np.asarray(evidence.citizen_rating, dtype=float) * CONVERSION_FACTOR,
    }
    stacked = np.column_stack(list(parts.values()))
    index = nan_weighted_mean(stacked, [weights.ikm, weights.complaints, weights.rating], axis=1)
    return index, parts


def _applies(evidence: Evidence, applies_to: str) -> np.ndarray:
    """Who the citizen evidence may affect: from the employee table when it says (memoised,
    read-only), else from where citizen evidence exists."""
    e = evidence.employees
    if applies_to == "counter_staff":
        if "is_counter_staff" in e.columns:
            return evidence.structure.column("is_counter_staff", bool)
        return ~np.isnan(np.asarray(evidence.citizen_rating, dtype=float))
    if "service_point_id" in e.columns:
        return evidence.structure.derive(("citizen_weighted.has_service_point",),
                        lambda: _readonly(evidence.structure.column("service_point_id") >= 0))
    return ~np.isnan(np.asarray(evidence.unit_ikm, dtype=float))


def _readonly(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


# --------------------------------------------------------------------------------------------
# The policy
# --------------------------------------------------------------------------------------------

class CitizenWeightedParams(PolicyParams):
    """Parameters of ``citizen_weighted``."""

    base: str = Field("permenpanrb_2022", description="Registered policy whose appraisal is adjusted (any rule name).")
    base_params: dict[str, Any] = Field(default_factory=dict, description="Parameters of the base policy (validated by the base).")
    weight: float = Field(0.5, ge=0, le=1, description="method 'ordinal': weight of the citizen level in the combined 1-5 score (0 = base only, 1 = citizens only).")
    source_weights: CitizenSourceWeights = Field(default_factory=CitizenSourceWeights,
                                                 description="Weights of IKM, complaints and individual ratings inside the citizen index.")
    complaints_scale: float = Field(DEFAULT_COMPLAINTS_SCALE, gt=0, le=1000,
                                    description="Complaints per 1,000 visits that divide the complaint score by e.")
    method: Literal["ordinal", "shift"] = Field(
        "ordinal", description="'ordinal': blend 5 - predikat code with the citizen index on a 1-5 scale and round; "
                               "'shift': move the predikat one level by the citizen index's SKM grade.")
    shift_up_grades: list[str] = Field(default_factory=lambda: ["A"], description="method 'shift': SKM grades that raise the predikat one level.")
    shift_down_grades: list[str] = Field(default_factory=lambda: ["D"], description="method 'shift': SKM grades that lower the predikat one level.")
    applies_to: Literal["service_point", "counter_staff"] = Field(
        "service_point", description="Who is affected: every employee of an OPD with a service point, or only counter staff.")

    @model_validator(mode="after")
    def _check(self) -> "CitizenWeightedParams":
        problems = [f"{name}[{i}]: unknown SKM grade {g!r}; allowed: {', '.join(_GRADES)}"
                    for name in ("shift_up_grades", "shift_down_grades")
                    for i, g in enumerate(getattr(self, name)) if g not in _GRADES]
        both = sorted(set(self.shift_up_grades) & set(self.shift_down_grades))
        if both:
            problems.append(f"shift_down_grades: grade {both[0]!r} is also in shift_up_grades")
        raise_problems("citizen_weighted", problems)
        check_base(self.base, self.base_params, "citizen_weighted")
        return self


def citizen_ordinal(index) -> np.ndarray:
    """Citizen index (25-100) on the 1-5 ordinal scale, aligned with the SKM grades.

    Piecewise linear through the PermenPANRB 14/2017 grade bounds: 25 -> 1, 65.00 (D|C) -> 2.5,
    76.61 (C|B) -> 3.5, 88.31 (B|A) -> 4.5, 100 -> 5; so grade A rounds to Sangat Baik (5),
    B to Baik (4), C to Butuh Perbaikan (3) and D to Kurang or Sangat Kurang (2, 1), matching
    the grades' own labels (Sangat Baik, Baik, Kurang Baik, Tidak Baik). NaN stays NaN.
    """
    lowers = _grade_lowers()
    return rescale_bands(index, [_IKM_MIN, *lowers, _IKM_MAX], [1.0, 2.5, 3.5, 4.5, 5.0])


@lru_cache(maxsize=1)
def _grade_lowers() -> tuple[float, ...]:
    """Lower bounds of grades C, B and A on the converted IKM (read once from the SKM reference
    table)."""
    table = load_table("skm_grades").sort_values("lower_converted")
    return tuple(float(v) for v in table["lower_converted"].to_numpy()[1:])


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(np.round(x, 9) + 0.5)


@register(
    "citizen_weighted", CitizenWeightedParams,
    label="Bobot kepuasan masyarakat (Alak, Sawahlunto)", label_en="Citizen-satisfaction weighting (Alak, Sawahlunto)",
    reference="Seed articles on Alak (shared/seeds/000) and Sawahlunto (shared/seeds/001); SKM: PermenPANRB 14/2017",
)
def score(evidence: Evidence, params: CitizenWeightedParams) -> Appraisal:
    """A base policy's appraisal adjusted by citizen evidence for counter-service staff.

    Alak and Sawahlunto seed articles; SKM index and grades per PermenPANRB 14/2017. See the
    module docstring for the citizen index, who is affected and the two combination methods.
    """
    base = run_base(evidence, params.base, params.base_params)
    base_code = np.asarray(base.predikat, dtype=np.int64)
    index, parts = citizen_index(evidence, params.source_weights, params.complaints_scale)
    affected = _applies(evidence, params.applies_to) & ~np.isnan(index)
    base_ord = (5 - base_code).astype(float)
    grade = ikm_grade(index)
    if params.method == "ordinal":
        citizen_ord = citizen_ordinal(index)
        combined = np.where(affected, (1.0 - params.weight) * base_ord + params.weight * citizen_ord, base_ord)
        code = np.clip(5 - _round_half_up(combined), 0, 4).astype(np.int64)
    else:
        citizen_ord = np.full(len(index), np.nan)
        step = np.isin(grade, params.shift_down_grades).astype(np.int64) - np.isin(grade, params.shift_up_grades).astype(np.int64)
        code = np.clip(base_code + np.where(affected, step, 0), 0, 4)
        combined = (5 - code).astype(float)
    comp = {
        "base_score": np.asarray(base.score, dtype=float),
        "base_predikat": base_code.astype(np.int8),
        **parts,
        "citizen_index": index,
        "citizen_grade": grade,
        "citizen_ordinal": np.where(affected, citizen_ord, np.nan),
        "affected": affected,
        "combined_ordinal": combined,
    }
    # The base's components follow, prefixed ``base_`` (unless the name is taken above): one
    # frame built at once, as ``pd.concat([comp, base components], axis=1)`` would give it.
    for name, values in base.components.items():
        key = f"base_{name}"
        if key not in comp:
            comp[key] = values.to_numpy() if isinstance(values.dtype, np.dtype) else values.array
    return Appraisal(
        policy="citizen_weighted", rule="citizen_weighted",
        employee_id=evidence.structure.column("employee_id"),
        score=combined, predikat=code.astype(np.int8), components=components_frame(comp),
        notes=base.notes, params=params,
    )

