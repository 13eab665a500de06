"""How objective is an indicator, and what do raters do to the dimension ratings (DESIGN 3.9).

Policy-independent metrics of one period, against the hidden truth:

* per indicator (``<metric>.<indicator name>``): its validity (correlation of the indicator, on
  its standardised axis, with the holder's true work results), the shares of its variance that
  come from the person's true results, from the shock the unit shares (contamination), from
  gaming, and the rest (person-specific factors and measurement noise), and the gaming gap
  (reported minus what would have been reported without gaming, in SD of the indicator);
* of the superiors' dimension ratings: the mean correlation between dimensions (halo), the mean
  validity of each dimension against its own true dimension, the spread of the overall rating
  (central tendency shrinks it) and the between-rater SD of leniency (one-way ANOVA component of
  rating minus truth between superiors);
* the attribution error of unit-level measures credited to individuals (a service point's IKM
  and complaints, credited to each of its clerks): ``1 - r^2`` with the clerk's own truth.

The shares are sequential (type I) shares of the indicator's variance explained by the hidden
components, in the order true results, unit shock, gaming; they add up to 1 with the remainder.
The person's share is therefore the squared validity.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from scipy.special import logit

from simulate.evidence import Evidence, Truth
from simulate.metrics.ranks import average_ranks, group_ranks
from simulate.metrics.within import (
    WITHIN_INDICATOR_METRICS,
    WITHIN_KIND_METRICS,
    WITHIN_RATER_METRICS,
    inter_indicator_r,
    rater_agreement,
)
from simulate.scenario.schema import OPD_KINDS

__all__ = ["INDICATOR_METRICS", "CHANGE_METRICS", "KIND_METRICS", "RATING_METRICS", "kind_truth_ranks", "kind_validity",
           "indicator_signal", "indicator_metrics", "indicator_change_metrics", "rating_metrics", "indicator_metric_names"]

#: Per-indicator metrics; each is reported as ``<metric>.<indicator>``.
INDICATOR_METRICS: tuple[str, ...] = (
    "indicator_validity", "indicator_person_share", "indicator_unit_share", "indicator_gaming_share",
    "indicator_noise_share", "indicator_gaming_gap",
)
#: Per-indicator metrics of the change from the period before (NaN in period 0; the replication
#: runner fills them, :func:`indicator_change_metrics`).
CHANGE_METRICS: tuple[str, ...] = ("indicator_reported_change", "indicator_gaming_change_gap")
INDICATOR_METRICS = INDICATOR_METRICS + CHANGE_METRICS + WITHIN_INDICATOR_METRICS
#: Per kind of office, ``<metric>.<kind>``: a policy's validity within the kind (``validity_spearman``)
#: and the kind's mean inter-indicator correlation in the period (:mod:`simulate.metrics.within`).
KIND_METRICS: tuple[str, ...] = ("validity_spearman",) + WITHIN_KIND_METRICS
#: Metrics of the superiors' dimension ratings (halo, leniency, central tendency where they show).
RATING_METRICS: tuple[str, ...] = (
    "rating_interdimension_r", "rating_dimension_validity", "rating_spread_sd", "rater_leniency_sd",
    "attribution_error_ikm", "attribution_error_complaints",
) + WITHIN_RATER_METRICS


def indicator_metric_names(indicators) -> list[str]:
    """Every per-indicator (and per kind of office) metric name for a scenario's ``work.indicators``."""
    return [f"{m}.{name}" for name in indicators for m in INDICATOR_METRICS] + \
        [f"{m}.{kind}" for kind in OPD_KINDS for m in KIND_METRICS]


def kind_truth_ranks(evidence: Evidence, overall: np.ndarray,
                     order: np.ndarray | None = None) -> dict[str, tuple[np.ndarray, float]]:
    """Per kind of office with 3 or more employees: the centred average ranks of their true performance
    and the ranks' sum of squares (the policy-independent half of :func:`kind_validity`).

    ``order`` is ``argsort(overall)`` when the caller has it (:func:`metric_context` does): each
    kind's ranks are then read off it instead of sorting each kind again (the same ranks).
    """
    kind_rows = evidence.structure.derive(("metrics.kind_rows",), lambda: _kind_rows(evidence.structure))
    within = None
    if order is not None:
        names, group, position, sizes = evidence.structure.derive(("metrics.kind_index",), lambda: _kind_index(kind_rows))
        ranked = group_ranks(overall, order, group, position, sizes)
        within = None if ranked is None else dict(zip(names, ranked))
    out = {}
    for kind, rows in kind_rows.items():
        if len(rows) >= 3:
            b = average_ranks(overall[rows]) if within is None else within[kind]
            b = b - b.mean()
            out[kind] = (b, float(b @ b))
    return out


def kind_validity(evidence: Evidence, rank: np.ndarray, overall: np.ndarray,
                  truth_ranks: dict[str, tuple[np.ndarray, float]] | None = None,
                  order: np.ndarray | None = None) -> dict[str, float]:
    """The policy's rank validity (Spearman) within each kind of office: ``validity_spearman.<kind>``.

    ``truth_ranks`` is :func:`kind_truth_ranks` of the same evidence and ``overall`` (computed
    when None), so that arms sharing a period rank the truth once; ``order`` is ``argsort(rank)``
    when the caller has it (:func:`simulate.metrics.ranks.sorted_ranks`): each kind's ranks are
    then read off it instead of sorting each kind again (the same ranks).
    """
    kind_rows = evidence.structure.derive(("metrics.kind_rows",), lambda: _kind_rows(evidence.structure))
    truth_ranks = kind_truth_ranks(evidence, overall) if truth_ranks is None else truth_ranks
    within = None
    if order is not None:
        names, group, position, sizes = evidence.structure.derive(("metrics.kind_index",), lambda: _kind_index(kind_rows))
        ranked = group_ranks(rank, order, group, position, sizes)
        within = None if ranked is None else dict(zip(names, ranked))
    out = {}
    for kind in OPD_KINDS:  # five kinds of office
        rows = kind_rows.get(kind)
        if rows is None or len(rows) < 3:
            out[f"validity_spearman.{kind}"] = float("nan")
            continue
        ranks = average_ranks(rank[rows]) if within is None else within[kind]
        if np.ptp(ranks) == 0:  # equal ranks: equal scores
            out[f"validity_spearman.{kind}"] = 0.0
            continue
        out[f"validity_spearman.{kind}"] = _corr_centred(ranks, *truth_ranks[kind])
    return out


def _kind_index(kind_rows: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """``(kinds, kind code, position among the kind's rows, sizes)`` of every employee (read-only)."""
    names = list(kind_rows)
    n = sum(len(r) for r in kind_rows.values())
    group, position = np.empty(n, dtype=np.int8), np.empty(n, dtype=np.int64)
    for g, rows in enumerate(kind_rows.values()):
        group[rows] = g
        position[rows] = np.arange(len(rows))
    sizes = np.array([len(r) for r in kind_rows.values()], dtype=np.int64)
    for a in (group, position, sizes):
        a.flags.writeable = False
    return names, group, position, sizes


def indicator_signal(realisation: np.ndarray, scale: str, typical: float, spread: float, lower: bool) -> np.ndarray:
    """A realisation back on the indicator's standardised axis (higher = better), the inverse of its mapping."""
    sign = -1.0 if lower else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale == "log":
            x = np.log(np.maximum(realisation, 1e-12) / typical)
        elif scale == "logit_percent":
            p = np.clip(realisation / 100.0, 1e-12, 1 - 1e-12)
            x = logit(p) - logit(typical / 100.0)
        else:
            x = realisation - typical
    return x / (sign * spread)


def indicator_metrics(evidence: Evidence, truth: Truth, levels: dict | None = None) -> dict[str, float]:
    """Validity, variance shares, gaming gap and inter-indicator r of every indicator (``<metric>.<name>``).

    Also each kind's mean inter-indicator correlation (``kind_inter_indicator_r.<kind>``). When
    ``levels`` is a dict, it receives, per indicator, what :func:`indicator_change_metrics` needs
    of this period: ``(mean signal, its SD, gameability x mean gaming)`` over the holders.
    """
    out: dict[str, float] = {}
    signals: dict[str, list] = {}  # kind -> [(name, full-length signal of the kind's rows)]
    results = truth.results
    shock = truth.unit_shock
    gaming = truth.gaming
    kind_rows = evidence.structure.derive(("metrics.kind_rows",), lambda: _kind_rows(evidence.structure))
    designs: dict[str, tuple] = {}  # kind -> the hidden components of its holders, centred, orthonormalised
    nan = float("nan")
    for spec in _specs(evidence):  # a dozen indicators, not employees
        name, kind = spec.name, spec.opd_kind
        column = evidence.realisation[:, spec.slot]
        all_rows = kind_rows.get(kind, np.empty(0, dtype=np.int64))
        values = column[all_rows]
        held = ~np.isnan(values)
        complete = bool(held.all())
        rows = all_rows if complete else all_rows[held]
        if len(rows) < 3:
            for m in INDICATOR_METRICS:
                out[f"{m}.{name}"] = nan
            continue
        z = indicator_signal(values if complete else values[held], spec.scale, spec.typical, spec.spread,
                             spec.lower_is_better)
        mean = float(z.sum()) / len(z)
        zc = z - mean
        if complete:
            signals.setdefault(kind, []).append((name, zc))
            design = designs.get(kind)
            if design is None:
                design = designs[kind] = _design(rows, results, shock, gaming)
        else:  # some holders without a value: NaN there (dropped by inter_indicator_r)
            full = np.full(len(all_rows), np.nan)
            full[held] = zc
            signals.setdefault(kind, []).append((name, full))
            design = _design(rows, results, shock, gaming)
        x, gram, basis, _ = design
        total = float(zc @ zc)
        xz = zc @ x
        out[f"indicator_validity.{name}"] = float(xz[0] / np.sqrt(total * gram[0, 0])) if total > 0 and gram[0, 0] > 0 else nan
        # Sequential (type I) shares: true results first, then the unit's shock, then gaming; a
        # sample correlation between the components (few units) is credited to the earlier one.
        # Each component's increment is the square of the indicator's projection on what the
        # component adds to the earlier ones (``basis``: Gram-Schmidt on the normal equations,
        # once per kind of office): the same shares as three nested np.linalg.lstsq fits per
        # indicator, to 1e-15, without them (12 -> 3.5 ms a period at 4,500 employees,
        # benchmarks/run.py indicators).
        steps = (basis @ xz) ** 2 / total if total > 0 else np.zeros(len(xz))
        r2 = np.minimum(np.cumsum(steps), 1.0)
        person = float(r2[0])
        unit = float(r2[1] - r2[0]) if shock is not None else nan
        game = float(r2[-1] - r2[-2])
        out[f"indicator_person_share.{name}"] = person
        out[f"indicator_unit_share.{name}"] = unit
        out[f"indicator_gaming_share.{name}"] = game
        out[f"indicator_noise_share.{name}"] = max(0.0, 1.0 - person - (unit if shock is not None else 0.0) - game)
        sd = float(np.sqrt(total / len(z))) if total > 0 else nan
        gamed = float(spec.gameability * design[3])
        out[f"indicator_gaming_gap.{name}"] = gamed / sd if sd else nan
        for m in CHANGE_METRICS:
            out[f"{m}.{name}"] = nan
        if levels is not None:
            levels[name] = (mean, sd, gamed)
    for kind in OPD_KINDS:  # five kinds of office, each with a few indicators
        held = signals.get(kind, [])
        per, mean = inter_indicator_r(np.column_stack([z for _, z in held])) if len(held) >= 2 else ([], float("nan"))
        for (name, _), r in zip(held, per):
            out[f"indicator_inter_r.{name}"] = float(r)
        for name, _ in held[len(per):]:
            out[f"indicator_inter_r.{name}"] = float("nan")
        out[f"kind_inter_indicator_r.{kind}"] = mean
    return out


def _specs(evidence: Evidence) -> list:
    """The indicator table's rows as named tuples, from its columns (``itertuples`` of the small table
    took about 2 ms a period, a sixth of these metrics, before they were made cheaper)."""
    table = evidence.indicators
    return [_IndicatorRow(*values) for values in zip(*(table[f].tolist() for f in _IndicatorRow._fields))]


#: What the metrics read of an indicator's row.
_IndicatorRow = namedtuple("_IndicatorRow", ("name", "opd_kind", "slot", "scale", "typical", "spread", "lower_is_better",
                                             "gameability"))


def _design(rows: np.ndarray, results: np.ndarray, shock, gaming: np.ndarray) -> tuple:
    """``(x, gram, basis, mean gaming)`` of the hidden components of ``rows``: true results, unit shock, gaming.

    ``x`` holds them centred, in that order, ``gram = x'x`` and ``basis`` the rows ``c_j`` with
    ``x c_j`` orthonormal, built in order (a component that adds nothing to the earlier ones,
    such as gaming while nobody games, gets a zero row).
    """
    parts = [results[rows]] + ([shock[rows]] if shock is not None else []) + [gaming[rows]]
    x = np.column_stack(parts)
    means = x.sum(axis=0) / len(rows)
    x -= means
    gram = x.T @ x
    k = len(gram)
    basis = np.zeros((k, k))
    for j in range(k):  # three components
        v = np.zeros(k)
        v[j] = 1.0
        for i in range(j):
            v -= (basis[i] @ gram[:, j]) * basis[i]
        norm2 = float(v @ gram @ v)
        if gram[j, j] > 0 and norm2 > 1e-12 * gram[j, j]:
            basis[j] = v / np.sqrt(norm2)
    return x, gram, basis, float(means[-1])


def indicator_change_metrics(before: dict, after: dict) -> dict[str, float]:
    """How each indicator changed from one period to the next, and how much of that is gaming.

    ``before`` and ``after`` are the ``levels`` :func:`indicator_metrics` filled for the same
    arm in periods ``t - 1`` and ``t``. In SD of the indicator in period ``t - 1``:

    * ``indicator_reported_change.<name>``: the change of the holders' mean reported value;
    * ``indicator_gaming_change_gap.<name>``: the reported change minus the true change, the
      change the same indicator would have reported without gaming (the same draws of work,
      noise and unit shocks): what gaming added to the change. 0 while nobody games; positive
      when gaming grows (people respond to an appraisal that rewards the number).
    """
    out: dict[str, float] = {}
    for name, (mean, _, gamed) in after.items():
        prev = before.get(name)
        if prev is None or not np.isfinite(prev[1]) or prev[1] <= 0:
            out[f"indicator_reported_change.{name}"] = out[f"indicator_gaming_change_gap.{name}"] = float("nan")
            continue
        reported = (mean - prev[0]) / prev[1]
        true_change = ((mean - gamed) - (prev[0] - prev[2])) / prev[1]
        out[f"indicator_reported_change.{name}"] = float(reported)
        out[f"indicator_gaming_change_gap.{name}"] = float(reported - true_change)
    return out


def _kind_rows(structure) -> dict[str, np.ndarray]:
    """Rows of each kind of office (derived once per employee table)."""
    kinds = structure.table["opd_kind"]
    codes = np.asarray(kinds.cat.codes) if hasattr(kinds, "cat") else None
    if codes is not None and (codes >= 0).all():  # compare small integer codes, not strings
        names = [str(c) for c in kinds.cat.categories]
        present = np.flatnonzero(np.bincount(codes, minlength=len(names)))
        out = {names[i]: np.flatnonzero(codes == i) for i in sorted(present, key=lambda i: names[i])}
    else:
        kinds = np.asarray(kinds.astype(str))
        out = {k: np.flatnonzero(kinds == k) for k in np.unique(kinds)}
    for a in out.values():
        a.flags.writeable = False
    return out


def _corr_centred(a: np.ndarray, b: np.ndarray, bb: float) -> float:
    """:func:`_corr` of ``a`` with a ``b`` already centred, ``bb = b @ b`` (the same bits)."""
    a = a - a.mean()
    den = np.sqrt(float(a @ a) * bb)
    return float(a @ b / den) if den > 0 else float("nan")


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    den = np.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b / den) if den > 0 else float("nan")


def rating_metrics(evidence: Evidence, truth: Truth, rater_codes: np.ndarray, rater_sizes: np.ndarray) -> dict[str, float]:
    """Halo, dimension validity, spread and between-rater leniency SD of the superiors' behaviour ratings."""
    sup = evidence.supervisor_behaviour
    rated = ~np.isnan(sup).any(axis=1)
    everyone = bool(rated.all())  # the usual case: no copies by a mask, the rater groups as they are
    sup = np.asarray(sup if everyone else sup[rated], dtype=float)
    true = truth.behaviour if everyone else truth.behaviour[rated]
    d = sup.shape[1]
    if len(sup) < 3:
        return {m: float("nan") for m in RATING_METRICS}
    sc = sup - sup.mean(axis=0)
    tc = true - true.mean(axis=0)
    cov = sc.T @ sc
    ss = np.diag(cov).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        c = cov / np.sqrt(np.outer(ss, ss))
        inter = float((c.sum() - np.trace(c)) / (d * (d - 1)))
        # each dimension against its own true dimension (seven), as one product
        validity = float(np.mean(np.einsum("ij,ij->j", sc, tc) / np.sqrt(ss * np.einsum("ij,ij->j", tc, tc))))
    overall = sup.mean(axis=1)
    residual = overall - true.mean(axis=1)
    codes = np.asarray(rater_codes) if everyone else np.asarray(rater_codes)[rated]
    sizes = np.asarray(rater_sizes)
    if everyone and len(codes) and len(sizes) == codes.max() + 1 and (sizes > 0).all():
        g, n_g = codes, sizes.astype(float)  # codes 0..k-1 already (metric_context's rater groups)
    else:
        if len(codes) and codes.min() >= 0:  # np.unique's inverse of small codes, without a sort
            g = (np.cumsum(np.bincount(codes) > 0) - 1)[codes]
        else:
            _, g = np.unique(codes, return_inverse=True)
        n_g = np.bincount(g).astype(float)
    k = len(n_g)
    n = len(residual)
    if k > 1 and n > k:
        means = np.bincount(g, weights=residual) / n_g
        ss_between = float(np.sum(n_g * (means - residual.mean()) ** 2))
        ss_within = float(np.sum((residual - means[g]) ** 2))
        ms_b, ms_w = ss_between / (k - 1), ss_within / (n - k)
        n0 = (n - np.sum(n_g**2) / n) / (k - 1)
        leniency_sd = float(np.sqrt(max(0.0, (ms_b - ms_w) / n0)))
    else:
        leniency_sd = float("nan")
    return {"rating_interdimension_r": inter, "rating_dimension_validity": validity,
            "rating_spread_sd": float(overall.std()), "rater_leniency_sd": leniency_sd,
            **attribution_errors(evidence, truth),
            "rater_agreement_supervisor_peer": _agreement(evidence, overall if everyone else None)}


def _agreement(evidence, overall: np.ndarray | None = None) -> float:
    """:func:`~simulate.metrics.within.rater_agreement` of the evidence (``overall``: the superiors'
    overall ratings of everyone, when the caller has them)."""
    peer, n_peers = getattr(evidence, "peer_behaviour", None), getattr(evidence, "n_peers", None)
    if peer is None or n_peers is None:  # no peer ratings in this evidence
        return float("nan")
    return rater_agreement(evidence.supervisor_behaviour if overall is None else overall, peer, n_peers)


def attribution_errors(evidence: Evidence, truth: Truth) -> dict[str, float]:
    """How much of a unit-level measure credited to each counter clerk is not that clerk's own performance.

    ``1 - r^2`` of the service point's IKM (and complaints per 1,000 visits) with the clerk's own
    true overall performance, over the staff of service points: 1 when the measure says nothing
    about the person it is credited to.
    """
    out = {}
    overall = getattr(truth, "overall", None)
    for key, field in (("attribution_error_ikm", "unit_ikm"), ("attribution_error_complaints", "unit_complaints_per_1000")):
        values = getattr(evidence, field, None)
        if values is None or overall is None:
            out[key] = float("nan")
            continue
        values = np.asarray(values, dtype=float)
        ok = ~np.isnan(values)
        if ok.sum() < 3 or np.ptp(values[ok]) == 0:
            out[key] = float("nan")
            continue
        out[key] = 1.0 - _corr(values[ok], overall[ok]) ** 2
    return out
