"""``objective_index``: a weighted index of standardised objective indicators (Jambi).

Source: the Jambi seed article (``shared/seeds/003``, "Penerapan Sistem Penilaian Kinerja ASN
yang Berbasis Objektivitas di Jambi"): appraisal "berdasarkan data dan fakta yang dapat diukur"
-- programmes delivered, satisfaction and learning outcomes in education, service time and
patient satisfaction in health -- collected in real time; DESIGN 3.6 and 7. No regulation
prescribes the formula; the construction below is this model's and every choice is a parameter.

How the score is built
----------------------
1. Each indicator an employee holds (optionally only the main ones) contributes its achievement
   ``capaian`` (percent, PermenPANRB 8/2021 rule, already in the evidence). With
   ``transform='log'`` the signal is ``log(max(capaian, 1))``: achievements are ratios, so the
   log treats 50 % -> 100 % like 100 % -> 200 % and tames the long right tail of count-like
   indicators; the 1 % floor keeps a lower-is-better capaian of 0 (a realisation of twice the
   target or worse) finite.
2. The signal is standardised (z-score, population SD) within a pool of comparable cells:
   ``indicator`` (every holder of the same indicator in the region; the default),
   ``indicator_opd`` (the same indicator within one OPD: removes OPD-wide shocks such as a
   puskesmas's catchment, at the price of ranking each OPD on its own curve) or ``opd_kind``
   (every indicator of the OPD kind pooled: capaian is unit-free, so shares of target are
   compared directly). Pools with fewer than two cells, or no spread, give z = 0.
3. The index is the weighted mean of the employee's z-scores; weights are relative, by
   indicator name (``weights``), renormalised over the indicators each employee holds, with
   weight 1 for indicators not listed (so ``{}`` means equal weights and a weight of 0 drops
   an indicator).
4. The index is re-standardised within ``index_pool`` (default ``opd_kind``: an average of
   two indicators varies more than an average of four, so a region-wide scale would hand the
   extremes to kinds with fewer indicators). This ``index_z`` is the policy's score, in SD.
5. Banding (``banding``):

   - ``sd``: fixed thresholds in SD units, ``thresholds`` = inclusive lower bounds of Sangat
     Baik, Baik, Butuh Perbaikan and Kurang (below the last: Sangat Kurang). Defaults
     ``[1.5, -1.0, -2.0, -2.5]`` give, for a normal index, about 6.7 % / 77.5 % / 13.6 % /
     1.7 % / 0.6 %: a data-based system that rewards the clearly outstanding and flags the
     clearly behind, without the status quo's 94 % pile-up at Baik.
   - ``expectation_2022``: PermenPANRB 6/2022 three levels. Work results are di bawah when
     ``index_z < expectation_thresholds[0]``, di atas when ``> expectation_thresholds[1]``,
     else sesuai; work behaviour is the superior's mean BerAKHLAK rating through the
     scenario's expectation cut-points (:func:`simulate.scales.to_expectation`); the 3x3
     quadrant (:func:`simulate.rules.permenpanrb_2022.predikat`) gives the predikat. No
     distribution curve is applied here (compose it with ``composed`` if wanted).

An employee without any selected indicator gets index 0 (the pool average) and the flag
``no_indicators`` in the components.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.errors import ScenarioError
from simulate.evidence import Evidence
from simulate.hints import hint
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import (
    band,
    group_codes,
    group_zscore,
    indicator_key,
    indicator_values,
    kind_codes,
    pool_codes,
    row_count,
    row_sum,
)
from simulate.rules import permenpanrb_2022 as r2022
from simulate.scales import EXPECTATION_NAMES, to_expectation

__all__ = ["ObjectiveIndexParams", "score", "indicator_ids", "indicator_zscores"]

#: Floor (percent) under which capaian is clipped before taking the log.
CAPAIAN_LOG_FLOOR = 1.0


class ObjectiveIndexParams(PolicyParams):
    """Parameters of ``objective_index`` (Jambi's data-based appraisal)."""

    indicators: Literal["all", "main"] = Field(
        "all", description="Which indicators enter the index: 'all' held indicators or only the 'main' (utama) ones.")
    weights: dict[str, float] = Field(
        default_factory=dict,
        description="Relative weight of each indicator by name (e.g. dukcapil_waktu_proses: 2); indicators not "
                    "listed weigh 1, so {} means equal weights; renormalised over the indicators each employee holds.")
    transform: Literal["log", "raw"] = Field(
        "log", description="Signal standardised per indicator: 'log' = log of capaian (floored at 1 %), 'raw' = capaian in percent.")
    pool: Literal["indicator", "indicator_opd", "opd_kind"] = Field(
        "indicator", description="Where each indicator is standardised: 'indicator' (same indicator, whole region), "
                                 "'indicator_opd' (same indicator within the OPD), 'opd_kind' (all indicators of the OPD kind pooled).")
    index_pool: Literal["region", "opd_kind", "opd"] = Field(
        "opd_kind", description="Where the weighted index is re-standardised before banding (SD units).")
    banding: Literal["sd", "expectation_2022"] = Field(
        "sd", description="'sd': fixed thresholds on the standardised index; 'expectation_2022': index -> results "
                          "level, supervisor -> behaviour level, PermenPANRB 6/2022 quadrant.")
    thresholds: list[float] = Field(
        default_factory=lambda: [1.5, -1.0, -2.0, -2.5],
        description="banding 'sd': inclusive lower bounds (SD of the index) of sangat_baik, baik, butuh_perbaikan and "
                    "kurang, strictly descending; below the last is sangat_kurang.")
    expectation_thresholds: list[float] = Field(
        default_factory=lambda: [-1.5, 1.5],
        description="banding 'expectation_2022': index_z below the first is di_bawah, above the second di_atas ekspektasi (SD).")

    @model_validator(mode="after")
    def _bands(self) -> "ObjectiveIndexParams":
        for name, w in self.weights.items():
            if not (w >= 0 and np.isfinite(w)):
                raise ValueError(f"weights.{name}: must be a finite number >= 0, got {w}")
        t = self.thresholds
        if len(t) != 4 or any(b >= a for a, b in zip(t, t[1:])):
            raise ValueError(f"thresholds: must be 4 strictly descending numbers (sangat_baik, baik, "
                             f"butuh_perbaikan, kurang), got {t}")
        e = self.expectation_thresholds
        if len(e) != 2 or e[0] >= e[1]:
            raise ValueError(f"expectation_thresholds: must be 2 increasing numbers [below, above], got {e}")
        return self


def indicator_ids(evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Integer id of the indicator in each employee's slot, and the indicator names by id.

    Returns ``(ids, names)``: ``ids`` has shape (n, K), ``-1`` where the slot is empty (NaN
    capaian); ``names[ids]`` is the indicator name. Built from ``evidence.indicators`` (one row
    per OPD kind and slot) with integer look-ups, so it stays fast for millions of employees;
    the slot layout is memoised on the employee table, only the empty slots are per call.
    """
    cap = np.asarray(evidence.capaian, dtype=float)
    slot_ids, names = _slot_ids(evidence)
    return np.where(np.isnan(cap), -1, slot_ids), names.copy()


def _slot_ids(evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """(n, K) id of the indicator each employee's kind has in each slot (-1 for none), and the
    sorted indicator names; memoised on the employee table under the indicator table's key."""
    _, k = np.shape(evidence.capaian)

    def compute() -> tuple[np.ndarray, np.ndarray]:
        names, name_id = np.unique(np.asarray(evidence.indicators["name"].astype(str)), return_inverse=True)
        ids = indicator_values(evidence, np.asarray(name_id, dtype=np.int64).ravel(), -1)
        ids.flags.writeable = names.flags.writeable = False
        return ids, names

    return evidence.structure.derive(("objective_index.slot_ids", indicator_key(evidence), k), compute)


def indicator_zscores(evidence: Evidence, *, main_only: bool = False, transform: str = "log",
                      pool: str = "indicator") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised indicator signals, shape (n, K), NaN where a slot is not used.

    Returns ``(z, ids, names)`` with ``ids`` and ``names`` from :func:`indicator_ids`. See the
    module docstring for the transform and the pools.
    """
    cap = np.asarray(evidence.capaian, dtype=float)
    n, k = cap.shape
    ids, names = indicator_ids(evidence)
    use = ids >= 0
    if main_only:
        use &= np.asarray(evidence.main, dtype=bool)
    cells = np.flatnonzero(use)  # flat positions in row order (as np.nonzero gives them)
    rows = cells // k if k else cells
    values = cap.take(cells)
    if transform == "log":
        values = np.log(np.maximum(values, CAPAIAN_LOG_FLOOR))
    cell_id = ids.take(cells)
    if pool == "indicator":
        codes, ng = cell_id, len(names)
    elif pool == "indicator_opd":
        opd = evidence.structure.column("opd_id").astype(np.int64)[rows]
        codes, ng = group_codes(opd * len(names) + cell_id)
    elif pool == "opd_kind":
        # Kind codes follow the sorted kind names, so the groups are those of the names.
        codes, ng = group_codes(kind_codes(evidence)[0][rows])
    else:
        raise ValueError(f"pool: unknown pool {pool!r}")
    z = np.full((n, k), np.nan)
    if len(values):
        z.put(cells, group_zscore(values, codes, ng))
    return z, ids, names


def _cell_weights(ids: np.ndarray, names: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    known = names.tolist()
    unknown = sorted(set(weights) - set(known))
    if unknown:
        extra = hint(unknown[0], known, cutoff=0.5, otherwise=f"; known: {', '.join(known)}")
        raise ScenarioError("objective_index: invalid parameters",
                            [f"weights.{unknown[0]}: no indicator of that name in the evidence{extra}"])
    by_id = np.array([float(weights.get(name, 1.0)) for name in known] + [0.0])  # last: empty slot
    return by_id[np.where(ids >= 0, ids, len(known))]


@register(
    "objective_index", ObjectiveIndexParams,
    label="Indeks objektif berbasis data (Jambi)", label_en="Data-based objective index (Jambi)",
    reference="Seed article on Jambi's data-based appraisal (shared/seeds/003); DESIGN 3.6, 7",
)
def score(evidence: Evidence, params: ObjectiveIndexParams) -> Appraisal:
    """Weighted index of standardised objective indicators, banded by SD thresholds or the 2022 levels.

    Jambi seed article (data-based appraisal of education and health staff). See the module
    docstring for every step; the components hold each slot's z-score (``z_slot<k>``), the
    raw index, its standardised value and the levels used for banding.
    """
    z, ids, names = indicator_zscores(evidence, main_only=params.indicators == "main",
                                      transform=params.transform, pool=params.pool)
    w = _cell_weights(ids, names, params.weights)
    ok = ~np.isnan(z)
    w_ok = np.where(ok, w, 0.0)
    total_w = row_sum(w_ok)
    no_ind = total_w <= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(no_ind, 0.0, row_sum(np.where(ok, z, 0.0) * w_ok) / np.where(no_ind, 1.0, total_w))
    codes, ng = pool_codes(evidence, params.index_pool)
    index_z = group_zscore(index, codes, ng)

    comp = {f"z_slot{j}": z[:, j] for j in range(z.shape[1])}
    comp.update(n_indicators=row_count(ok).astype(np.int64), index=index, index_z=index_z,
                no_indicators=no_ind)
    if params.banding == "sd":
        predikat = band(index_z, [*params.thresholds, -np.inf])
    else:
        lo, hi = params.expectation_thresholds
        results = np.where(index_z < lo, 0, np.where(index_z > hi, 2, 1)).astype(np.int8)
        behaviour = to_expectation(np.asarray(evidence.supervisor_behaviour, float).mean(axis=1), evidence.scales)
        predikat = r2022.predikat(results, behaviour)
        names3 = np.asarray(EXPECTATION_NAMES)
        comp.update(results_level=names3[results], behaviour_level=names3[behaviour])
    return Appraisal(
        policy="objective_index", rule="objective_index",
        employee_id=evidence.structure.column("employee_id"),
        score=index_z.astype(float), predikat=np.asarray(predikat, dtype=np.int8),
        components=components_frame(comp), params=params,
    )
