"""``composed``: a policy a policymaker writes in YAML, without code (DESIGN 3.6).

A composed policy is a weighted sum of **components**, each a *source* of evidence from a fixed
vocabulary (:data:`SOURCES`) put through a *transform*, then banded into the five predikat --
or, with ``quadrant: true``, two such composites (work results and work behaviour) rated
di bawah / sesuai / di atas ekspektasi and combined by the PermenPANRB 6/2022 quadrant --
optionally followed by the 2022 distribution curve. Example files live in
``params/policies/*.yaml`` and load with :func:`load_policy_file`.

Sources (every one oriented so that **higher is better**)
---------------------------------------------------------
Lower-is-better sources (complaints, lateness, absence) enter negated under ``raw`` and ``z``,
and through a decreasing mapping under ``score_100``. ``score_100`` is a fixed mapping onto
0-100 per source:

=========================  =============================================  ======================================
source                     what it is (unit)                              score_100
=========================  =============================================  ======================================
capaian_mean               mean achievement over all indicators (%)       PermenPANRB 8/2021 value (0-120) / 1.2
capaian_main_mean          mean achievement over main indicators (%)      same
capaian_main_min           lowest achievement among main indicators (%)   same
org_capaian                the unit's organisational achievement (%)      same
supervisor_behaviour       superior's latent rating, mean of 7 (SD)       0-100 score of the scenario's scales
supervisor_results         superior's latent results judgement (SD)       same
peer_behaviour             peers' mean latent rating (SD; NaN w/o peers)  same
subordinate_behaviour      subordinates' mean rating (SD; NaN if none)    same
self_behaviour             self-rating, mean of 7 (SD)                    same
self_results               self-assessment of results (SD)                same
unit_ikm                   service point's converted IKM (25-100)         as is (PermenPANRB 14/2017)
complaints_per_1000        complaints per 1,000 visits (lower better)     100 exp(-c / 20)
citizen_rating             person's mean citizen rating (1-4)             x 25 (SKM conversion)
daily_log_points           daily-activity log points                      min(120, 100 x points / OPD mean) / 1.2
late_days                  late days in the period (lower better)         100 - monthly Permentan 68/2012 cut
absent_days                unexcused absence days (lower better)          100 - monthly Permentan 68/2012 cut
=========================  =============================================  ======================================

Transforms: ``z`` standardises within ``pool`` (population SD; pools of one or without spread
give 0); ``raw`` uses the value as is; ``score_100`` the mapping above.

Composite, missing evidence and banding
---------------------------------------
- Composite = weighted mean of the components (weights sum to 1; per axis with
  ``quadrant``), renormalised over the sources an employee has: e.g. ``unit_ikm`` exists only
  for staff of a service point, so other staff are scored on the remaining components. An
  employee with none of the sources gets ``missing_predikat`` and ``no_evidence`` is set.
- ``standardise: true`` re-standardises each composite within ``pool`` before banding, so
  ``bands`` and the thresholds are in SD units (a weighted mean of z-scores has an SD under 1
  unless its parts are perfectly correlated). With ``standardise: false`` the bands are on the
  composite's own scale (e.g. 0-100 for ``score_100`` components).
- ``bands``: 4 strictly descending inclusive lower bounds of Sangat Baik, Baik, Butuh
  Perbaikan and Kurang; lower is Sangat Kurang.
- ``quadrant: true``: each axis composite is di bawah when under its first threshold, di atas
  when over its second (``results_thresholds``, ``behaviour_thresholds``), sesuai otherwise;
  :func:`simulate.rules.permenpanrb_2022.predikat` gives the predikat; the appraisal has no
  numeric score (NaN), as in the 2022 rule.
- ``curve``: the PermenPANRB 6/2022 distribution curve per ``curve_pool`` group, whose
  organisational predikat comes from the group's mean ``org_capaian``
  (:func:`simulate.rules.permenpanrb_2022.org_predikat`; NaN counts as 100 %, Baik).
  ``warn`` lists violating groups in the notes; ``enforce`` moves the fewest people in
  composite order (:func:`simulate.rules.permenpanrb_2022.enforce_curve`; with the quadrant,
  ranked by the mean of the two axis composites).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from simulate.errors import ScenarioError
from simulate.evidence import Evidence
from simulate.policies.base import (
    Appraisal,
    PolicyParams,
    components_frame,
    did_you_mean,
    raise_problems,
    register,
    resolve_policy,
    validate_policy_params,
)
from simulate.policies.citizen_weighted import DEFAULT_COMPLAINTS_SCALE, complaints_score_100
from simulate.policies.common import band, group_count, group_mean, group_zscore, nan_weighted_mean, pool_codes
from simulate.policies.target_achievement import daily_log_value
from simulate.predikat import PREDIKAT
from simulate.rules import capaian as capaian_rule
from simulate.rules import permenpanrb_2022 as r2022
from simulate.rules.skm import CONVERSION_FACTOR
from simulate.rules.tpp import discipline_deduction_percent
from simulate.scales import EXPECTATION_NAMES, to_score_100
from simulate.yamlio import read_yaml_mapping

__all__ = ["Source", "SOURCES", "TRANSFORMS", "Component", "ComposedParams", "score", "source_values",
           "load_policy_file", "POLICY_FILE_KEYS"]

TRANSFORMS: tuple[str, ...] = ("z", "raw", "score_100")
AXES: tuple[str, ...] = ("results", "behaviour")
#: Top-level keys of a policy file.
POLICY_FILE_KEYS: tuple[str, ...] = ("name", "policy", "label", "label_en", "description", "params")


@dataclass(frozen=True)
class Source:
    """One entry of the source vocabulary."""

    name: str
    description: str
    unit: str
    higher_is_better: bool
    values: Callable[[Evidence], np.ndarray]
    score_100: Callable[[Evidence, np.ndarray], np.ndarray]


def _row_mean(matrix, mask=None) -> np.ndarray:
    m = np.asarray(matrix, dtype=float)
    if mask is not None:
        m = np.where(mask, m, np.nan)
    return nan_weighted_mean(m, 1.0, axis=1)


def _capaian_main(ev: Evidence) -> np.ndarray:
    return np.where(np.asarray(ev.main, dtype=bool), np.asarray(ev.capaian, dtype=float), np.nan)


def _main_min(ev: Evidence) -> np.ndarray:
    m = _capaian_main(ev)
    has = ~np.isnan(m).all(axis=1)
    return np.where(has, np.min(np.where(np.isnan(m), np.inf, m), axis=1), np.nan)


def _capaian_100(ev: Evidence, v: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(v)
    return np.where(ok, capaian_rule.capaian_value(np.where(ok, v, 0.0)) / 1.2, np.nan)


def _latent_100(ev: Evidence, v: np.ndarray) -> np.ndarray:
    return to_score_100(v, ev.scales)


def _with_raters(values: np.ndarray, count) -> np.ndarray:
    return np.where(np.asarray(count) > 0, values, np.nan)


def _late_100(ev: Evidence, v: np.ndarray) -> np.ndarray:
    per_month = np.asarray(ev.late_days, dtype=float) / max(ev.period_months, 1)
    return 100.0 - discipline_deduction_percent(late_counts=per_month)


def _absent_100(ev: Evidence, v: np.ndarray) -> np.ndarray:
    return 100.0 - discipline_deduction_percent(absent_days=np.asarray(ev.absent_days, dtype=float) / max(ev.period_months, 1))


def _log_100(ev: Evidence, v: np.ndarray) -> np.ndarray:
    return daily_log_value(ev, 120.0) / 1.2


def _identity(ev: Evidence, v: np.ndarray) -> np.ndarray:
    return v


_SOURCE_LIST = [
    Source("capaian_mean", "Mean achievement over all indicators held", "percent", True,
           lambda ev: _row_mean(ev.capaian), _capaian_100),
    Source("capaian_main_mean", "Mean achievement over main (utama) indicators", "percent", True,
           lambda ev: _row_mean(_capaian_main(ev)), _capaian_100),
    Source("capaian_main_min", "Lowest achievement among main indicators", "percent", True, _main_min, _capaian_100),
    Source("org_capaian", "Organisational achievement of the employee's unit", "percent", True,
           lambda ev: np.asarray(ev.org_capaian, dtype=float), _capaian_100),
    Source("supervisor_behaviour", "Direct superior's latent behaviour rating, mean of the 7 BerAKHLAK values", "SD", True,
           lambda ev: _row_mean(ev.supervisor_behaviour), _latent_100),
    Source("supervisor_results", "Direct superior's latent judgement of work results", "SD", True,
           lambda ev: np.asarray(ev.supervisor_results, dtype=float), _latent_100),
    Source("peer_behaviour", "Peers' mean latent behaviour rating (missing without peers)", "SD", True,
           lambda ev: _with_raters(_row_mean(ev.peer_behaviour), ev.n_peers), _latent_100),
    Source("subordinate_behaviour", "Direct subordinates' mean latent rating (missing without subordinates)", "SD", True,
           lambda ev: _with_raters(_row_mean(ev.subordinate_behaviour), ev.n_subordinates), _latent_100),
    Source("self_behaviour", "Self-rating, mean of the 7 values", "SD", True, lambda ev: _row_mean(ev.self_behaviour), _latent_100),
    Source("self_results", "Self-assessment of work results", "SD", True,
           lambda ev: np.asarray(ev.self_results, dtype=float), _latent_100),
    Source("unit_ikm", "Converted IKM of the employee's service point (missing elsewhere)", "25-100", True,
           lambda ev: np.asarray(ev.unit_ikm, dtype=float), _identity),
    Source("complaints_per_1000", "Complaints per 1,000 visits at the service point (lower is better)", "per 1,000 visits", False,
           lambda ev: np.asarray(ev.unit_complaints_per_1000, dtype=float),
           lambda ev, v: complaints_score_100(v, DEFAULT_COMPLAINTS_SCALE)),
    Source("citizen_rating", "Mean citizen rating of the person (counter staff with rating buttons)", "1-4", True,
           lambda ev: np.asarray(ev.citizen_rating, dtype=float), lambda ev, v: v * CONVERSION_FACTOR),
    Source("daily_log_points", "Daily-activity log points (self-reported, verified)", "points", True,
           lambda ev: np.asarray(ev.daily_log_points, dtype=float), _log_100),
    Source("late_days", "Days of late arrival in the period, all bands (lower is better)", "days", False,
           lambda ev: np.asarray(ev.late_days, dtype=float).sum(axis=1), _late_100),
    Source("absent_days", "Unexcused absence days in the period (lower is better)", "days", False,
           lambda ev: np.asarray(ev.absent_days, dtype=float), _absent_100),
]
#: The source vocabulary, by name.
SOURCES: dict[str, Source] = {s.name: s for s in _SOURCE_LIST}


def source_values(evidence: Evidence, source: str, transform: str, pool: str = "region") -> np.ndarray:
    """One component's per-employee values, oriented higher-is-better (NaN where missing)."""
    spec = SOURCES[source]
    raw = spec.values(evidence)
    if transform == "score_100":
        out = spec.score_100(evidence, raw)
        return np.where(np.isnan(raw), np.nan, out)
    signed = raw if spec.higher_is_better else -raw
    if transform == "raw":
        return signed
    codes, ng = pool_codes(evidence, pool)
    return group_zscore(signed, codes, ng)


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------

class Component(PolicyParams):
    """One component of a composed policy."""

    source: str = Field(..., description=f"Evidence source, one of: {', '.join(SOURCES)}.")
    weight: float = Field(..., description="Weight in its composite (weights of one composite sum to 1).")
    transform: str = Field("z", description="'z' (standardised within pool), 'raw' (as is) or 'score_100' (fixed 0-100 mapping).")
    axis: str = Field("results", description="With quadrant: true, the composite it belongs to: 'results' or 'behaviour'.")


def _default_components() -> list[Component]:
    return [Component(source="capaian_mean", weight=0.5), Component(source="supervisor_behaviour", weight=0.5)]


class ComposedParams(PolicyParams):
    """Parameters of ``composed``: a policy defined in YAML."""

    components: list[Component] = Field(default_factory=_default_components,
                                        description="Components: list of {source, weight, transform, axis}.")
    pool: Literal["unit", "work_unit", "opd", "opd_kind", "region"] = Field(
        "region", description="Pool of the 'z' transform and of standardise.")
    standardise: bool = Field(True, description="Re-standardise each composite within pool before banding (bands then in SD).")
    bands: list[float] = Field(
        default_factory=lambda: [1.5, -1.0, -2.0, -2.5],
        description="Inclusive lower bounds of sangat_baik, baik, butuh_perbaikan, kurang (strictly descending).")
    quadrant: bool = Field(False, description="Rate a results and a behaviour composite in three levels and use the PermenPANRB 6/2022 quadrant.")
    results_thresholds: list[float] = Field(default_factory=lambda: [-1.5, 1.5],
                                            description="quadrant: results composite under the first is di_bawah, over the second di_atas.")
    behaviour_thresholds: list[float] = Field(default_factory=lambda: [-1.5, 1.5],
                                              description="quadrant: behaviour composite under the first is di_bawah, over the second di_atas.")
    curve: Literal["off", "warn", "enforce"] = Field("off", description="PermenPANRB 6/2022 distribution curve: off, warn (notes) or enforce.")
    curve_pool: Literal["unit", "work_unit", "opd", "opd_kind", "region"] = Field(
        "unit", description="Groups the curve applies to (organisational predikat from their mean org_capaian).")
    missing_predikat: Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"] = Field(
        "baik", description="Predikat of an employee with none of the composite's sources.")

    @model_validator(mode="after")
    def _check(self) -> "ComposedParams":
        problems: list[str] = []
        if not self.components:
            problems.append("components: list at least one component")
        for i, c in enumerate(self.components):
            where = f"components[{i}]"
            if c.source not in SOURCES:
                hint = did_you_mean(c.source, SOURCES) or f"; allowed: {', '.join(SOURCES)}"
                problems.append(f"{where}.source: unknown source {c.source!r}{hint}")
            if c.transform not in TRANSFORMS:
                problems.append(f"{where}.transform: must be one of {', '.join(map(repr, TRANSFORMS))}, got {c.transform!r}")
            if c.axis not in AXES:
                problems.append(f"{where}.axis: must be 'results' or 'behaviour', got {c.axis!r}")
            elif c.axis == "behaviour" and not self.quadrant:
                problems.append(f"{where}.axis: 'behaviour' is only used with quadrant: true")
            if not (np.isfinite(c.weight) and 0 <= c.weight <= 1):
                problems.append(f"{where}.weight: must be between 0 and 1, got {c.weight}")
        for axis in (AXES if self.quadrant else AXES[:1]):
            members = [c for c in self.components if c.axis == axis]
            total = sum(c.weight for c in members)
            label = f" of axis {axis!r}" if self.quadrant else ""
            if self.quadrant and not members:
                problems.append(f"components: quadrant: true needs at least one component with axis: {axis}")
            elif members and abs(total - 1.0) > 1e-6:
                problems.append(f"components: weights{label} must sum to 1; the sum is {total:.6g}")
        b = self.bands
        if len(b) != 4 or any(y >= x for x, y in zip(b, b[1:])):
            problems.append(f"bands: must be 4 strictly descending numbers (sangat_baik, baik, butuh_perbaikan, kurang), got {b}")
        for name in ("results_thresholds", "behaviour_thresholds"):
            t = getattr(self, name)
            if len(t) != 2 or t[0] >= t[1]:
                problems.append(f"{name}: must be 2 increasing numbers [below, above], got {t}")
        raise_problems("composed", problems)
        return self


# --------------------------------------------------------------------------------------------
# The policy
# --------------------------------------------------------------------------------------------

def _composite(evidence: Evidence, comps: list[Component], pool: str, standardise: bool,
               columns: dict[str, np.ndarray], prefix: str) -> np.ndarray:
    values = []
    for j, c in enumerate(comps):  # a handful of components, not employees
        v = source_values(evidence, c.source, c.transform, pool)
        columns[f"{prefix}{j}_{c.source}_{c.transform}"] = v
        values.append(v)
    composite = nan_weighted_mean(np.column_stack(values), [c.weight for c in comps], axis=1)
    if standardise:
        codes, ng = pool_codes(evidence, pool)
        composite = group_zscore(composite, codes, ng)
    return composite


def _three_levels(x: np.ndarray, thresholds: list[float]) -> np.ndarray:
    lo, hi = thresholds
    return np.where(x < lo, 0, np.where(x > hi, 2, 1)).astype(np.int8)


@register(
    "composed", ComposedParams,
    label="Kebijakan tersusun (komponen, bobot, pita, kurva)", label_en="Composed policy (components, weights, bands, curve)",
    reference="DESIGN 3.6 (policies compose from YAML); PermenPANRB 6/2022 quadrant and curve; sources as documented",
)
def score(evidence: Evidence, params: ComposedParams) -> Appraisal:
    """A YAML-defined weighted composite of evidence sources, banded or put through the 2022 quadrant.

    DESIGN 3.6; the quadrant and the distribution curve follow PermenPANRB 6/2022
    (:mod:`simulate.rules.permenpanrb_2022`). See the module docstring for the vocabulary, the
    transforms and the treatment of missing evidence.
    """
    n = evidence.n
    columns: dict[str, np.ndarray] = {}
    missing_code = PREDIKAT.index(params.missing_predikat)
    if params.quadrant:
        res = _composite(evidence, [c for c in params.components if c.axis == "results"], params.pool,
                         params.standardise, columns, "results_")
        beh = _composite(evidence, [c for c in params.components if c.axis == "behaviour"], params.pool,
                         params.standardise, columns, "behaviour_")
        no_evidence = np.isnan(res) | np.isnan(beh)
        r_level = _three_levels(np.nan_to_num(res), params.results_thresholds)
        b_level = _three_levels(np.nan_to_num(beh), params.behaviour_thresholds)
        codes = np.where(no_evidence, missing_code, r2022.predikat(r_level, b_level)).astype(np.int8)
        names3 = np.asarray(EXPECTATION_NAMES)
        columns.update(results_composite=res, behaviour_composite=beh,
                       results_level=names3[r_level], behaviour_level=names3[b_level])
        priority = nan_weighted_mean(np.column_stack([res, beh]), 1.0, axis=1)
        value = np.full(n, np.nan)
    else:
        composite = _composite(evidence, list(params.components), params.pool, params.standardise, columns, "c")
        no_evidence = np.isnan(composite)
        codes = np.where(no_evidence, missing_code,
                         band(np.nan_to_num(composite), [*params.bands, -np.inf])).astype(np.int8)
        columns["composite"] = composite
        priority = value = composite
    columns["no_evidence"] = no_evidence

    notes = pd.DataFrame()
    if params.curve != "off":
        codes, notes, moved = _apply_curve(evidence, codes, priority, params)
        columns["curve_moved"] = moved
    return Appraisal(
        policy="composed", rule="composed", employee_id=evidence.employees["employee_id"].to_numpy(),
        score=np.asarray(value, dtype=float), predikat=np.asarray(codes, dtype=np.int8),
        components=components_frame(columns), notes=notes, params=params,
    )


def _apply_curve(evidence: Evidence, codes: np.ndarray, priority: np.ndarray, params: ComposedParams):
    groups, ng = pool_codes(evidence, params.curve_pool)
    org_cap = group_mean(np.asarray(evidence.org_capaian, dtype=float), groups, ng)
    org = r2022.org_predikat(np.where(np.isnan(org_cap), 100.0, org_cap)).astype(np.int64)
    valid = r2022.curve_check_groups(codes, groups, org)
    counts = np.bincount(groups * 5 + codes, minlength=ng * 5).reshape(ng, 5)
    moved_groups = np.zeros(ng, dtype=np.int64)
    new_codes = codes
    if params.curve == "enforce":
        new_codes, moved_groups = r2022.enforce_curve(codes, priority, groups, org)
    bad = np.flatnonzero(~valid)
    notes = pd.DataFrame({
        "pool_id": bad, "pool_size": group_count(groups, ng)[bad],
        "org_predikat": np.asarray(r2022.ORG_PREDIKAT, dtype=object)[org[bad]],
        **{f"n_{name}": counts[bad, k] for k, name in enumerate(PREDIKAT)},
        "curve_met": False, "moved": moved_groups[bad],
    })
    moved = np.asarray(new_codes) != np.asarray(codes)
    return np.asarray(new_codes, dtype=np.int8), notes, moved


# --------------------------------------------------------------------------------------------
# Policy files
# --------------------------------------------------------------------------------------------

def load_policy_file(path: str | Path) -> tuple[str, str, PolicyParams]:
    """Read and validate a policy file (YAML): ``(name, rule, params)``.

    The file is a mapping with ``name`` (snake_case), ``policy`` (a registered rule, usually
    ``composed``), optional ``label`` (and ``label_en``) and ``description``, and ``params`` (the rule's
    parameters). Loaded with ``yaml.safe_load``; every problem is reported at once as a
    :class:`~simulate.errors.ScenarioError` whose ``problems`` name the field
    (e.g. ``params.components[1].source: unknown source 'ikm'; did you mean 'unit_ikm'?``).
    """
    path = Path(path)
    data = read_yaml_mapping(path, "policy")
    problems: list[str] = []
    for key in data:
        if key not in POLICY_FILE_KEYS:
            problems.append(f"{key}: unknown key{did_you_mean(str(key), POLICY_FILE_KEYS) or '; allowed: ' + ', '.join(POLICY_FILE_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name or not name.replace("_", "").isalnum():
        problems.append(f"name: required, letters, digits and '_' only, got {name!r}")
    rule = data.get("policy")
    params: PolicyParams | None = None
    for key in ("label", "label_en", "description"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{key}: must be text, got {data[key]!r}")
    raw_params = data.get("params", {})
    if raw_params is None:
        raw_params = {}
    if not isinstance(rule, str) or not rule:
        problems.append(f"policy: required, the registered rule to run (e.g. composed), got {rule!r}")
    elif not isinstance(raw_params, dict):
        problems.append(f"params: must be a mapping (key: value), got {type(raw_params).__name__}")
    else:
        try:
            resolve_policy(rule)
            params = validate_policy_params(rule, raw_params, where="params")
        except ScenarioError as exc:
            problems += exc.problems or [f"policy: {exc.message}"]
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{path}: {len(problems)} {noun}", problems)
    return name, rule, params
