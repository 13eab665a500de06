"""PP 46/2011 (Penilaian Prestasi Kerja PNS) with Perka BKN 1/2013: the old system, 2014-2021.

Nilai prestasi kerja = 60 % SKP + 40 % perilaku kerja, banded into five sebutan (Sangat Baik
>= 91, Baik 76-90, Cukup 61-75, Kurang 51-60, Buruk <= 50); domain/regulations.md section 3.
Every formula comes from :mod:`simulate.rules.pp46_2011`; this module only decides how the
simulated evidence fills the SKP form.

How the evidence fills the SKP (interpretation, documented in :func:`score`)
---------------------------------------------------------------------------
Each objective indicator an employee holds is one SKP activity (kegiatan tugas jabatan), scored
on kuantitas, kualitas, waktu and, for budget indicators, biaya. An indicator measures one
aspect; the aspects it does not measure are filled the way SKP forms were filled in practice:

========================  ==============================================================
indicator kind            measured aspect (T = target, R = realisation)
========================  ==============================================================
count / level (higher     kuantitas = R / T x 100
is better, not a share)
time-like (lower is       waktu = the 1.76 formula with its 24 % efficiency break
better, natural unit)     (Perka BKN 1/2013), on the indicator's unit instead of months
share in percent          kualitas = R / T x 100 for on-time / to-standard shares; for an
(on-time, to standard,    error share (lower is better) the error-free shares are compared:
rework)                   (100 - R) / (100 - T) x 100. With ``quality_source='supervisor'``
                          shares count as kuantitas instead.
budget realisation        biaya = the same 1.76 formula on planned (T) and real (R) spending
(name contains a          (spending less than planned is efficiency); with
``cost_keywords`` word)   ``budget_aspect='quantity'`` absorption counts as kuantitas.
========================  ==============================================================

- an unmeasured kuantitas is the value at target (R = T: 100); an unmeasured waktu is the value
  at target (R = T: 76, the usual "12 of 12 months" entry); an unmeasured kualitas is the
  supervisor's judgement of the employee's results mapped to 0-100
  (:func:`simulate.scales.to_score_100`): in PP 46 practice the superior filled in quality.
- each aspect is clipped to ``[0, aspect_cap]`` (default 100, the top of the scale the SKP is
  banded on; the time/cost formula itself peaks at 100): the time/cost formula goes negative
  beyond 1.76 x the target, and R / T is unbounded for soft targets.
- the creativity bonus uses ``evidence.new_idea`` at ``creativity_level``; the extra-task
  bonus uses ``evidence.extra_tasks`` (bonus values **[unverified]**, rules table).

Behaviour (perilaku kerja): the six PP 46 dimensions from the supervisor's seven BerAKHLAK
latent ratings, see :data:`BEHAVIOUR_MAP`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import (
    has_indicator,
    indicator_key,
    indicator_scale_is,
    indicator_values,
    row_count,
    row_mean,
    row_nanmean,
    row_sum,
)
from simulate.rules import pp46_2011 as rule
from simulate.scales import to_score_100
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS

__all__ = ["Pp46Params", "BEHAVIOUR_MAP", "PP46_DIMENSIONS", "skp_aspects", "behaviour_dimensions", "score"]

#: The six behaviour dimensions of PP 46/2011 (kepemimpinan only for structural officials).
PP46_DIMENSIONS: tuple[str, ...] = (
    "orientasi_pelayanan", "integritas", "komitmen", "disiplin", "kerja_sama", "kepemimpinan",
)

#: Which BerAKHLAK values (PermenPANRB 6/2022 core values, regulations.md 1.2) stand in for each
#: PP 46/2011 dimension; a dimension's latent rating is the mean of its values' latent ratings.
#: Reasons, from the behaviour guides: orientasi pelayanan = Berorientasi Pelayanan;
#: integritas = Akuntabel ("honest, high integrity"); komitmen = Loyal (commitment to the
#: state and the agency); disiplin = Akuntabel ("disciplined") and Kompeten ("do tasks at best
#: quality", meeting work standards); kerja sama = Harmonis and Kolaboratif; kepemimpinan =
#: Adaptif ("act proactively, innovate") and Kolaboratif ("mobilise shared resources for common
#: goals"). Every BerAKHLAK value is used at least once.
BEHAVIOUR_MAP: dict[str, tuple[str, ...]] = {
    "orientasi_pelayanan": ("berorientasi_pelayanan",),
    "integritas": ("akuntabel",),
    "komitmen": ("loyal",),
    "disiplin": ("akuntabel", "kompeten"),
    "kerja_sama": ("harmonis", "kolaboratif"),
    "kepemimpinan": ("adaptif", "kolaboratif"),
}

_ASPECTS = ("quantity", "quality", "time", "cost")


class Pp46Params(PolicyParams):
    """Parameters of the PP 46/2011 appraisal (defaults reproduce the regulation's formulas)."""

    quality_source: Literal["shares", "supervisor"] = Field(
        "shares",
        description="Where the kualitas aspect comes from: 'shares' = on-time / to-standard / rework "
                    "share indicators measure it for their own activity and the supervisor's judgement "
                    "fills it elsewhere; 'supervisor' = always the supervisor's judgement (shares then "
                    "count as kuantitas).",
    )
    budget_aspect: Literal["cost", "quantity"] = Field(
        "cost",
        description="How a budget-realisation indicator is scored: 'cost' = the biaya aspect (Perka BKN "
                    "1/2013 1.76 formula: spending less than planned scores higher, up to 24 % under); "
                    "'quantity' = budget absorption R/T x 100 as kuantitas.",
    )
    cost_keywords: tuple[str, ...] = Field(
        ("anggaran", "budget", "biaya"),
        description="Indicators whose name contains one of these words (case-insensitive) are budget "
                    "indicators.",
    )
    aspect_cap: float = Field(
        100.0, ge=100.0, le=1000.0,
        description="Upper clip of each aspect value (points). Default 100, the top of the 0-100 scale "
                    "the SKP is banded on (the waktu/biaya formula itself peaks at 100 by design); R/T "
                    "has no printed ceiling, so raise it to let over-achievement count. Aspects are "
                    "also clipped at 0 below (the 1.76 formula goes negative beyond 1.76 x target).",
    )
    include_bonuses: bool = Field(
        True, description="Add the tugas tambahan and kreativitas bonuses to the SKP value (Perka BKN 1/2013).",
    )
    creativity_level: Literal["unit_kerja", "organisasi", "negara"] = Field(
        "organisasi",
        description="Recognition level of a credited new idea (evidence.new_idea) for the kreativitas "
                    "bonus: unit_kerja 3, organisasi 6, negara 12 points [unverified values]. Default "
                    "'organisasi': the evidence flag is PP 30/2019's 'benefits the organisation'.",
    )

    @field_validator("cost_keywords")
    @classmethod
    def _keywords(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not str(w).strip() for w in value):
            raise ValueError("cost_keywords: words must be non-empty")
        return tuple(str(w).lower() for w in value)


def _budget_slots(evidence: Evidence, cost_keywords: tuple[str, ...]) -> np.ndarray:
    """(n, K) bool: the slot's indicator is a budget indicator (its name has a cost keyword).

    Depends on the indicator table and the employees' OPD kinds only, so it is memoised on the
    employee table (read-only).
    """
    _, k = np.shape(evidence.capaian)

    def compute() -> np.ndarray:
        names = evidence.indicators["name"].astype(str).str.lower()
        is_budget = np.zeros(len(names), dtype=bool)
        for word in cost_keywords:  # a few keywords, over the indicator table
            is_budget |= names.str.contains(word, regex=False).to_numpy()
        out = indicator_values(evidence, is_budget, False)
        out.flags.writeable = False
        return out

    key = ("pp46_2011.budget_slots", indicator_key(evidence), tuple(cost_keywords), k)
    return evidence.structure.derive(key, compute)


def _classify(evidence: Evidence, params: Pp46Params) -> dict[str, np.ndarray]:
    """(n, K) masks of the aspect each indicator measures (see the module table)."""
    present = has_indicator(evidence)
    budget = _budget_slots(evidence, params.cost_keywords) & present
    lower = np.asarray(evidence.lower_is_better, dtype=bool) & present
    percent = present & indicator_scale_is(evidence, "logit_percent")
    share = percent & ~budget
    cost = budget & (params.budget_aspect == "cost")
    quality = share & (params.quality_source == "shares")
    time = present & lower & ~share & ~budget
    quantity = present & ~cost & ~quality & ~time
    return {"present": present, "quantity": quantity, "quality": quality, "time": time, "cost": cost,
            "lower_share": lower & percent}


def skp_aspects(evidence: Evidence, params: Pp46Params) -> dict[str, np.ndarray]:
    """Aspect values (n, K) of every SKP activity (NaN where the employee has no such activity).

    Returns a dict with ``quantity``, ``quality``, ``time``, ``cost`` (NaN where the activity has
    no cost target) and ``activity`` (Perka BKN 1/2013 activity value), plus the masks of which
    aspect was measured (``measured_<aspect>``).
    """
    m = _classify(evidence, params)
    present = m["present"]
    t = np.where(present, evidence.target, 1.0)
    r = np.where(present, evidence.realisation, 1.0)
    at_target_qty, at_target_time = _at_target_values()
    supervisor_quality = to_score_100(evidence.supervisor_results, evidence.scales)[:, None]

    # R / T x 100 on every slot, on safe inputs where nothing is held (this also checks every
    # target > 0 and realisation >= 0), for kuantitas and for kualitas from shares.
    quantity = np.where(m["quantity"], rule.quantity_value(t, r), at_target_qty)
    quality = np.where(m["quality"], rule.quality_value(t, r), supervisor_quality)
    # A lower-is-better share (error / rework rate) compares the error-free shares instead;
    # waktu and biaya only where measured. The formulas are elementwise: evaluating them on
    # the few slots that use them gives the same values as on every slot.
    lower_share = m["lower_share"]
    _put(quantity, m["quantity"] & lower_share, lambda t, r: rule.quantity_value(*_error_free(t, r)), t, r)
    _put(quality, m["quality"] & lower_share, lambda t, r: rule.quality_value(*_error_free(t, r)), t, r)
    time = np.full(t.shape, at_target_time)
    _put(time, m["time"], rule.time_value, t, r)
    cost = np.full(t.shape, np.nan)
    _put(cost, m["cost"], rule.cost_value, t, r)

    cap = params.aspect_cap
    for a in (quantity, quality, time, cost):  # arrays of this function's own: clipped in place (NaN stays NaN)
        np.clip(a, 0.0, cap, out=a)
    activity = rule.activity_value(quantity, quality, time, cost)
    out = {"quantity": quantity, "quality": quality, "time": time, "cost": cost, "activity": activity}
    absent = ~present
    for v in out.values():  # NaN where the employee has no such activity, in place
        v[absent] = np.nan
    for aspect in _ASPECTS:
        out[f"measured_{aspect}"] = m[aspect]
    return out


@lru_cache(maxsize=1)
def _at_target_values() -> tuple[float, float]:
    """Kuantitas and waktu of an activity exactly on target (R = T): 100 and 76."""
    return float(rule.quantity_value(1.0, 1.0)), float(rule.time_value(1.0, 1.0))


def _put(out: np.ndarray, mask: np.ndarray, formula, *arrays: np.ndarray) -> None:
    """``out[mask] = formula(*(a[mask] for a in arrays))``, through flat indices (for a few
    slots these are cheaper than boolean masks of the whole (n, K) array)."""
    idx = np.flatnonzero(mask)
    if len(idx):
        out.put(idx, formula(*(a.take(idx) for a in arrays)))


def _error_free(target: np.ndarray, realisation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Error-free shares (100 - x) of an error-share target and realisation (target kept > 0)."""
    return np.maximum(100.0 - target, 1e-9), np.clip(100.0 - realisation, 0.0, None)


def behaviour_dimensions(evidence: Evidence) -> np.ndarray:
    """(n, 6) PP 46/2011 behaviour scores 0-100 from the supervisor's BerAKHLAK latent ratings.

    Each dimension's latent rating is the mean of the mapped BerAKHLAK ratings
    (:data:`BEHAVIOUR_MAP`), then :func:`simulate.scales.to_score_100`. Kepemimpinan is NaN for
    non-structural employees (PP 46/2011: leadership is appraised for structural officials only).
    """
    latent = np.asarray(evidence.supervisor_behaviour, dtype=float)
    cols = []
    for dim in PP46_DIMENSIONS:  # six dimensions
        idx = [BEHAVIOUR_DIMENSIONS.index(v) for v in BEHAVIOUR_MAP[dim]]
        cols.append(row_mean(latent[:, idx]))
    out = to_score_100(np.column_stack(cols), evidence.scales) if cols else np.zeros((evidence.n, 0))
    structural = evidence.structure.column("is_structural", bool)
    lead = PP46_DIMENSIONS.index("kepemimpinan")
    out[:, lead] = np.where(structural, out[:, lead], np.nan)
    return out


@register("pp46_2011", Pp46Params, label="PP 46/2011 (dicabut): SKP 60% + perilaku 40%", label_en="PP 46/2011 (repealed): SKP 60% + behaviour 40%",
          reference="PP 46/2011 Art. 12 and Perka BKN 1/2013 (SKP formulas, bands); domain/regulations.md 3")
def score(evidence: Evidence, params: Pp46Params) -> Appraisal:
    """Appraise every employee under PP 46/2011 (Penilaian Prestasi Kerja PNS).

    1. SKP (Perka BKN 1/2013, regulations.md 3.3): each indicator is one activity; its aspects
       are filled as in the module docstring (kuantitas R/T x 100; waktu and biaya by the 1.76
       formula with the 24 % efficiency break; kualitas from shares or the supervisor's
       judgement; unmeasured aspects at their at-target values 100 / 76); activity value =
       mean of its 3 or 4 aspects; SKP = mean over activities + tugas tambahan bonus
       (``evidence.extra_tasks``) + kreativitas bonus (``evidence.new_idea``). An employee
       with no indicator gets one activity of unmeasured aspects (100, supervisor quality, 76).
    2. Perilaku kerja (PP 46/2011 Art. 12, regulations.md 3.1): mean of orientasi pelayanan,
       integritas, komitmen, disiplin, kerja sama and, for structural officials only,
       kepemimpinan; each 0-100 from the supervisor's BerAKHLAK ratings (:data:`BEHAVIOUR_MAP`).
    3. Nilai prestasi kerja = 60 % SKP + 40 % perilaku (PP 46/2011 Art. 12), banded
       >= 91 / 76 / 61 / 51 / below (:func:`simulate.rules.pp46_2011.predikat`).

    The score is the final value (points, unrounded; bonuses can lift it above 100).
    Components: aspect means, activity mean, bonuses, SKP, the six behaviour dimensions,
    behaviour, and the sebutan of SKP and behaviour on the same bands. ``notes`` is empty.
    """
    n = evidence.n
    aspects = skp_aspects(evidence, params)
    activity = aspects["activity"]
    n_activities = row_count(~np.isnan(activity))
    none = n_activities == 0
    if none.any():
        q = to_score_100(evidence.supervisor_results, evidence.scales)
        fallback = rule.activity_value(rule.quantity_value(1.0, 1.0), q, rule.time_value(1.0, 1.0))
        activity = np.column_stack([np.where(none, fallback, np.nan), activity])
    if params.include_bonuses:
        extra = np.asarray(evidence.extra_tasks, dtype=float)
        creativity = np.where(np.asarray(evidence.new_idea, dtype=bool), params.creativity_level, "none")
    else:
        extra = np.zeros(n)
        creativity = np.full(n, "none")
    extra_bonus = rule.extra_task_bonus(extra)
    creativity_bonus = rule.creativity_bonus(creativity)
    skp = rule.skp_value(activity, extra, creativity) if n else np.zeros(0)

    dims = behaviour_dimensions(evidence)
    behaviour = row_nanmean(dims) if n else np.zeros(0)
    final = rule.final_score(skp, behaviour)
    predikat = rule.predikat(final) if n else np.zeros(0, dtype=np.int8)

    with np.errstate(invalid="ignore"):
        comp = {
            "n_activities": n_activities.astype(np.int64),
            **{f"{a}_mean": _row_mean(aspects[a]) for a in _ASPECTS},
            "activity_mean": _row_mean(activity),
            "extra_task_bonus": extra_bonus,
            "creativity_bonus": creativity_bonus,
            "skp": skp,
            "skp_predikat": rule.predikat(skp) if n else np.zeros(0, dtype=np.int8),
        }
    for j, dim in enumerate(PP46_DIMENSIONS):
        comp[f"behaviour_{dim}"] = dims[:, j]
    comp["behaviour"] = behaviour
    comp["behaviour_predikat"] = rule.predikat(behaviour) if n else np.zeros(0, dtype=np.int8)
    return Appraisal(
        policy="pp46_2011", rule="pp46_2011",
        employee_id=evidence.structure.column("employee_id"),
        score=np.asarray(final, dtype=float), predikat=np.asarray(predikat, dtype=np.int8),
        components=components_frame(comp), notes=pd.DataFrame(), params=params,
    )


def _row_mean(values: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(values)
    count = row_count(ok)
    total = row_sum(np.where(ok, values, 0.0))
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)
