"""PermenPANRB 6/2022 (Pengelolaan Kinerja Pegawai ASN): the current rule.

Work results (hasil kerja) and work behaviour (perilaku kerja) are each rated di bawah / sesuai
/ di atas ekspektasi; the 3x3 kuadran kinerja turns the pair into the employee predikat with
no weighting between the axes; then the unit's organisational predikat fixes the allowed
distribution of predikat (kurva distribusi). domain/regulations.md 1.3-1.6. Every rule comes
from :mod:`simulate.rules.permenpanrb_2022`; this module decides what evidence feeds it.

Interpretation choices (documented in :func:`score`)
----------------------------------------------------
- **Results rating** (``results_source``):
  ``capaian`` -- from the indicator achievements by the BKN guidance
  (:func:`simulate.rules.permenpanrb_2022.rate_results`: most results above
  ``exceeds_above`` % and no main result below ``below_under`` % -> di atas, ...);
  ``supervisor`` -- the superior's own judgement of results (latent, three levels by
  :func:`simulate.scales.to_expectation`); the status quo the scenario scales are calibrated to;
  ``both`` -- the superior's judgement *informed* by capaian: the superior may differ from what
  the indicators show by at most one level (``clip(supervisor, capaian - 1, capaian + 1)``),
  so a di-atas judgement over di-bawah indicators becomes sesuai, and vice versa. With
  ``capaian`` or ``both``, an employee without any indicator is rated on the judgement alone.
- **Leaders** (``leaders_use_org_results``): an employee who leads a unit (has direct
  subordinates) gets the led organisation's achievement as results rating (regulations.md
  1.3): the mean ``org_capaian`` of the direct subordinates (their units' achievements) ->
  organisational predikat -> istimewa = di atas, baik = sesuai, lower = di bawah.
- **Behaviour rating**: mean of the supervisor's 7 BerAKHLAK latent ratings -> three levels.
- **Organisational predikat of a pool**: mean ``org_capaian`` of its members ->
  :func:`simulate.rules.permenpanrb_2022.org_predikat` (thresholds from the rules table unless
  ``org_thresholds`` is given). A pool without any organisational achievement counts as Baik.
- **Curve** (``curve``): ``off`` ignores it; ``warn`` checks every pool and lists violations in
  ``notes`` without changing anything (the status quo: the pile-up shows the curve is not
  enforced); ``enforce`` moves people with
  :func:`simulate.rules.permenpanrb_2022.enforce_curve` and records the moves.
  Pools (``curve_pool``): ``unit`` = the appraisal team (everyone with the same appraising
  official); ``opd`` = the whole perangkat daerah.
- **Priority inside a predikat** (who moves first under enforcement): the supervisor's latent
  results judgement plus the mean of the 7 latent behaviour ratings (both in SD units, equal
  weight); higher stays higher.
- **Score**: NaN -- the regulation rates on two axes "tanpa pembobotan" and has no numeric
  score; the priority is in ``components['curve_priority']`` for anyone who needs an order.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal, PolicyParams, components_frame, register
from simulate.policies.common import (
    group_mean,
    has_indicator,
    is_leader,
    pool_codes,
    pool_group_keys,
    pool_keys,
    pool_sizes,
    row_count,
    row_mean,
    superior_rows,
)
from simulate.predikat import PREDIKAT
from simulate.rules import permenpanrb_2022 as rule
from simulate.scales import DI_ATAS, DI_BAWAH, SESUAI, to_expectation

__all__ = ["Permenpanrb2022Params", "NOTE_COLUMNS", "results_rating", "curve_priority", "apply_curve", "score"]

#: Columns of ``Appraisal.notes`` (one row per pool whose distribution broke the curve).
NOTE_COLUMNS: tuple[str, ...] = (
    "mode", "pool", "group_key", "n", "org_capaian", "org_predikat",
    *(f"n_{p}" for p in PREDIKAT), "violations", "moved", "valid_after",
)


class Permenpanrb2022Params(PolicyParams):
    """Parameters of the PermenPANRB 6/2022 appraisal."""

    results_source: Literal["capaian", "supervisor", "both"] = Field(
        "supervisor",
        description="Results rating from the indicator achievements ('capaian'), the superior's "
                    "judgement ('supervisor', the status quo the scales are calibrated to), or the "
                    "superior's judgement kept within one level of the capaian rating ('both').",
    )
    exceeds_above: float = Field(
        110.0, ge=0.0, le=1000.0,
        description="Achievement (percent) above which a result exceeds expectation (capaian rating).",
    )
    below_under: float = Field(
        100.0, ge=0.0, le=1000.0,
        description="Achievement (percent) under which a result is below expectation (capaian rating).",
    )
    most_share: float = Field(
        0.5, ge=0.0, lt=1.0,
        description="'Most results' means more than this share of an employee's results (capaian rating).",
    )
    small_share: float = Field(
        1.0 / 3.0, ge=0.0, le=1.0,
        description="'A small part of the main results' means at most this share (capaian rating).",
    )
    leaders_use_org_results: bool = Field(
        True,
        description="Employees who lead a unit get the led organisation's achievement as their results "
                    "rating (regulations.md 1.3).",
    )
    curve: Literal["off", "warn", "enforce"] = Field(
        "warn",
        description="Distribution curve: 'off' ignore; 'warn' list violations in notes, change nothing; "
                    "'enforce' move people until every pool meets its curve.",
    )
    curve_pool: Literal["unit", "opd"] = Field(
        "unit",
        description="Pool the curve applies to: 'unit' = the appraisal team (same appraising official); "
                    "'opd' = the perangkat daerah.",
    )
    org_thresholds: tuple[float, float, float, float] | None = Field(
        None,
        description="Inclusive lower bounds of organisational achievement (percent) for istimewa, baik, "
                    "butuh perbaikan and kurang, decreasing; default: the rules table (110/90/70/50, "
                    "[unverified]).",
    )

    @field_validator("org_thresholds")
    @classmethod
    def _decreasing(cls, value):
        if value is not None and any(b > a for a, b in zip(value, value[1:])):
            raise ValueError(f"org_thresholds: must be decreasing (istimewa >= baik >= ...), got {list(value)}")
        return value

    @model_validator(mode="after")
    def _order(self) -> "Permenpanrb2022Params":
        if self.below_under > self.exceeds_above:
            raise ValueError(
                f"below_under, exceeds_above: below_under ({self.below_under:g}) must be <= "
                f"exceeds_above ({self.exceeds_above:g})"
            )
        return self


def _org_to_rating(org_codes: np.ndarray) -> np.ndarray:
    """Organisational predikat -> results rating: istimewa di atas, baik sesuai, lower di bawah."""
    return np.select([org_codes == rule.ISTIMEWA, org_codes == rule.ORG_BAIK], [DI_ATAS, SESUAI],
                     default=DI_BAWAH).astype(np.int8)


def results_rating(evidence: Evidence, params: Permenpanrb2022Params) -> dict[str, np.ndarray]:
    """Results rating (0 di bawah, 1 sesuai, 2 di atas) and its ingredients, per employee.

    Returns ``capaian`` (-1 where the employee has no indicator), ``supervisor``, ``from_org``
    (bool: leader rated by the organisation's achievement), ``led_org_capaian`` (NaN for
    non-leaders) and ``results`` (the rating used).
    """
    n = evidence.n
    supervisor = to_expectation(evidence.supervisor_results, evidence.scales)
    present = has_indicator(evidence)
    has_any = row_count(present) > 0
    by_capaian = np.full(n, -1, dtype=np.int8)
    if has_any.all():  # the usual case: no need to copy the rows out
        by_capaian[:] = rule.rate_results(
            np.asarray(evidence.capaian, dtype=float), np.asarray(evidence.main, dtype=bool),
            exceeds_above=params.exceeds_above, below_under=params.below_under,
            most_share=params.most_share, small_share=params.small_share,
        )
    elif has_any.any():
        by_capaian[has_any] = rule.rate_results(
            np.asarray(evidence.capaian, dtype=float)[has_any], np.asarray(evidence.main, dtype=bool)[has_any],
            exceeds_above=params.exceeds_above, below_under=params.below_under,
            most_share=params.most_share, small_share=params.small_share,
        )
    if params.results_source == "supervisor":
        results = supervisor.copy()
    else:
        anchor = np.where(has_any, by_capaian, supervisor)  # no indicator: the superior decides
        if params.results_source == "capaian":
            results = anchor
        else:
            results = np.clip(supervisor, anchor - 1, anchor + 1)
    results = results.astype(np.int8)

    led = np.full(n, np.nan)
    from_org = np.zeros(n, dtype=bool)
    if params.leaders_use_org_results and n:
        rows = superior_rows(evidence)
        has_boss = rows >= 0
        org = np.asarray(evidence.org_capaian, dtype=float)
        ok = has_boss & ~np.isnan(org)
        total = np.bincount(rows[ok], weights=org[ok], minlength=n)
        count = np.bincount(rows[ok], minlength=n)
        from_org = is_leader(evidence) & (count > 0)
        led = np.where(from_org, total / np.maximum(count, 1), np.nan)
        if from_org.any():
            org_code = rule.org_predikat(led[from_org], params.org_thresholds)
            results[from_org] = _org_to_rating(org_code)
    return {"capaian": by_capaian, "supervisor": supervisor, "from_org": from_org,
            "led_org_capaian": led, "results": results}


def curve_priority(evidence: Evidence) -> np.ndarray:
    """Order inside a predikat for the curve: latent results judgement + mean latent behaviour."""
    return np.asarray(evidence.supervisor_results, dtype=float) + \
        row_mean(evidence.supervisor_behaviour)


#: Texts kept per structure at most (a bound for pathological inputs; cleared when full).
_MAX_TEXTS = 100_000


def _violation_texts(counts: np.ndarray, org: np.ndarray, seen: dict[tuple[int, ...], str] | None = None) -> np.ndarray:
    """The rules' violation sentences for each (counts, org) row, joined by '; '.

    Works per *distinct* (org predikat, counts) pattern, not per pool: units share a few
    hundred patterns at most. Patterns in ``seen`` (texts of earlier calls: a pure function of
    the curve table, kept in the evidence's structure so every period of a population shares
    them) are reused; the others go to :func:`simulate.rules.permenpanrb_2022.curve_violations`
    together and are added to ``seen``.
    """
    seen = {} if seen is None else seen
    if len(counts) == 0:
        return np.zeros(0, dtype=object)
    keys = np.column_stack([org, counts]).astype(np.int64)
    base = int(keys.max()) + 1
    if base ** keys.shape[1] < 2**62:
        # Each row as one integer (digits in base ``base``): a 1-D unique is far cheaper than
        # a row-wise one, and only the grouping matters here, not the order of the patterns.
        codes = keys[:, 0].copy()
        for j in range(1, keys.shape[1]):  # six columns
            codes = codes * base + keys[:, j]
        first, inverse = np.unique(codes, return_index=True, return_inverse=True)[1:]
        uniq = keys[first]
    else:
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    patterns = [tuple(u) for u in uniq.tolist()]
    texts = np.array([seen.get(p) for p in patterns], dtype=object)
    new = [i for i, text in enumerate(texts) if text is None]  # patterns not seen yet
    if new:
        if len(seen) + len(new) > _MAX_TEXTS:
            seen.clear()
        for i, messages in zip(new, rule.curve_violations(uniq[new, 1:], uniq[new, 0])):
            texts[i] = seen[patterns[i]] = "; ".join(messages)
    return texts[np.asarray(inverse).ravel()]


def apply_curve(predikat: np.ndarray, priority: np.ndarray, codes: np.ndarray, n_groups: int,
                org_by_group: np.ndarray, mode: str, pool: str = "", group_key=None,
                org_capaian_by_group=None, texts: dict | None = None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Check (``warn``) or enforce (``enforce``) the distribution curve over pools.

    Parameters
    ----------
    predikat : (n,) int codes before the curve; priority : (n,) float order inside a predikat;
    codes : (n,) dense pool codes; n_groups : int; org_by_group : (n_groups,) org predikat codes;
    mode : 'off' | 'warn' | 'enforce'; pool, group_key, org_capaian_by_group : for the notes.
    texts : dict, optional; violation sentences of earlier calls, reused and extended (see :func:`_violation_texts`).

    Returns
    -------
    new_predikat : (n,) int8 (unchanged unless ``enforce``)
    moved : (n,) bool, whose predikat the curve changed
    notes : DataFrame with :data:`NOTE_COLUMNS`, one row per pool that broke its curve
    """
    predikat = np.asarray(predikat, dtype=np.int8)
    if mode == "off" or n_groups == 0:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in NOTE_COLUMNS})
        return predikat, np.zeros(len(predikat), dtype=bool), empty
    valid = rule.curve_check_groups(predikat, codes, org_by_group)
    counts = np.bincount(codes * 5 + predikat, minlength=n_groups * 5).reshape(n_groups, 5)
    if mode == "enforce":
        new, moved_by_group = rule.enforce_curve(predikat, priority, codes, org_by_group)
        valid_after = rule.curve_check_groups(new, codes, org_by_group)
    else:
        new, moved_by_group, valid_after = predikat, np.zeros(n_groups, dtype=np.int64), valid
    bad = np.flatnonzero(~valid)
    key = np.arange(n_groups) if group_key is None else np.asarray(group_key)
    org_cap = np.full(n_groups, np.nan) if org_capaian_by_group is None else np.asarray(org_capaian_by_group)
    notes = pd.DataFrame({
        "mode": mode, "pool": pool, "group_key": key[bad], "n": counts[bad].sum(axis=1),
        "org_capaian": org_cap[bad],
        "org_predikat": np.asarray(rule.ORG_PREDIKAT, dtype=object)[org_by_group[bad]],
        **{f"n_{p}": counts[bad, j] for j, p in enumerate(PREDIKAT)},
        "violations": _violation_texts(counts[bad], org_by_group[bad], texts),
        "moved": moved_by_group[bad], "valid_after": valid_after[bad],
    }, columns=list(NOTE_COLUMNS))
    return np.asarray(new, dtype=np.int8), np.asarray(new != predikat), notes


@register("permenpanrb_2022", Permenpanrb2022Params,
          label="PermenPANRB 6/2022: kuadran kinerja + kurva distribusi", label_en="PermenPANRB 6/2022: performance quadrant + distribution curve",
          reference="PermenPANRB 6/2022 annex (kuadran kinerja, predikat organisasi, pola distribusi); "
                    "domain/regulations.md 1.3-1.6")
def score(evidence: Evidence, params: Permenpanrb2022Params) -> Appraisal:
    """Appraise every employee under PermenPANRB 6/2022.

    1. Results rating (regulations.md 1.3): by ``results_source`` (capaian via the BKN guidance,
       the superior's judgement, or the judgement kept within one level of capaian); leaders get
       the led organisation's achievement (module docstring).
    2. Behaviour rating (regulations.md 1.2): mean of the superior's 7 BerAKHLAK latent ratings
       -> di bawah / sesuai / di atas (:func:`simulate.scales.to_expectation`).
    3. Kuadran kinerja (regulations.md 1.4): the pair -> predikat
       (:func:`simulate.rules.permenpanrb_2022.predikat`).
    4. Organisational predikat per pool from the members' mean ``org_capaian`` and the
       distribution curve (regulations.md 1.5-1.6): ``off`` / ``warn`` (violations in
       ``notes``) / ``enforce`` (people moved in priority order, counted in ``notes`` and
       flagged in ``components['moved_by_curve']``).

    Score: NaN (no numeric score in the regulation). Components: the three results ratings,
    ``results_from_org``, ``behaviour_latent``, ``behaviour``, ``predikat_quadrant`` (before
    the curve), ``curve_priority``, ``pool_key``, ``org_capaian_pool``, ``org_predikat_pool``
    and ``moved_by_curve``.
    """
    n = evidence.n
    res = results_rating(evidence, params)
    latent_b = row_mean(evidence.supervisor_behaviour)
    behaviour = to_expectation(latent_b, evidence.scales)
    quadrant = rule.predikat(res["results"], behaviour).astype(np.int8) if n else np.zeros(0, dtype=np.int8)
    priority = curve_priority(evidence)

    # The pools are fixed by the employee table (memoised); their achievement is not.
    keys = pool_keys(evidence, params.curve_pool)
    codes, n_groups = pool_codes(evidence, params.curve_pool)
    org_cap = group_mean(evidence.org_capaian, codes, n_groups)
    has_org = ~np.isnan(org_cap)
    org_by_group = np.full(n_groups, rule.ORG_BAIK, dtype=np.int8)
    if has_org.any():
        org_by_group[has_org] = rule.org_predikat(org_cap[has_org], params.org_thresholds)
    group_key = pool_group_keys(evidence, params.curve_pool)
    final, moved, notes = apply_curve(quadrant, priority, codes, n_groups, org_by_group, params.curve,
                                      params.curve_pool, group_key, org_cap,
                                      texts=evidence.structure.derive(("permenpanrb_2022.violation_texts",), dict))
    components = components_frame({
        "results_capaian": res["capaian"], "results_supervisor": res["supervisor"],
        "results_from_org": res["from_org"], "led_org_capaian": res["led_org_capaian"],
        "results": res["results"], "behaviour_latent": latent_b, "behaviour": behaviour,
        "predikat_quadrant": quadrant, "curve_priority": priority,
        "pool_key": keys,
        "pool_size": pool_sizes(evidence, params.curve_pool)[codes] if n else np.zeros(0, np.int64),
        "org_capaian_pool": org_cap[codes] if n else np.zeros(0),
        "org_predikat_pool": org_by_group[codes] if n else np.zeros(0, np.int8),
        "moved_by_curve": moved,
    })
    return Appraisal(
        policy="permenpanrb_2022", rule="permenpanrb_2022",
        employee_id=evidence.structure.column("employee_id"),
        score=np.full(n, np.nan), predikat=final, components=components, notes=notes, params=params,
    )
