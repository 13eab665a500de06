"""Reliability within one period, where the design measures the same people twice (DESIGN 3.9).

Two designs in one period give the same people more than one measure:

* an OPD kind's indicators: every holder of the kind reports all of them. The correlation of
  two indicators over the same people is the reliability of one indicator as a measure of what
  they share (an internal-consistency view); ``indicator_inter_r.<indicator>`` is an
  indicator's mean correlation with the other indicators of its kind, and
  ``kind_inter_indicator_r.<kind>`` the mean over the kind's pairs, which the decision study
  (:func:`simulate.metrics.decision.decision_study`, ``averaged_over = indicators``) steps up to
  the mean of ``k`` indicators by Spearman-Brown;
* the rater sources: the direct superior and the peers rate the same ratee.
  ``rater_agreement_supervisor_peer`` is the correlation, over the ratees with peers, of the
  superior's overall behaviour rating with the peers' mean overall rating (cross-source
  agreement; the published figure is about .34, Conway & Huffcutt 1997).

Indicators share variance through the person's true results, the unit's shock (contamination)
and gaming, so a high inter-indicator correlation is consistency, not validity: two indicators
contaminated by the same unit shock agree without saying more about the person.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["WITHIN_INDICATOR_METRICS", "WITHIN_KIND_METRICS", "WITHIN_RATER_METRICS", "inter_indicator_r",
           "rater_agreement"]

#: Per indicator, ``<metric>.<indicator>``.
WITHIN_INDICATOR_METRICS: tuple[str, ...] = ("indicator_inter_r",)
#: Per kind of office, ``<metric>.<kind>``.
WITHIN_KIND_METRICS: tuple[str, ...] = ("kind_inter_indicator_r",)
#: One value per period.
WITHIN_RATER_METRICS: tuple[str, ...] = ("rater_agreement_supervisor_peer",)


def inter_indicator_r(z: np.ndarray) -> tuple[np.ndarray, float]:
    """Mean correlation of each column of ``z`` (people x indicators) with the other columns, and over all pairs.

    Rows with a missing value in any column are dropped (every holder of a kind holds all its
    indicators, so none normally are); a constant column, fewer than 2 columns or 3 rows give NaN.
    """
    z = np.asarray(z, dtype=float)
    k = z.shape[1] if z.ndim == 2 else 0
    if k < 2:
        return np.full(k, np.nan), float("nan")
    missing = np.isnan(z).any(axis=1)
    if missing.any():
        z = z[~missing]
    if len(z) < 3:
        return np.full(k, np.nan), float("nan")
    zc = z - z.mean(axis=0)
    ss = np.sqrt(np.einsum("ij,ij->j", zc, zc))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (zc.T @ zc) / np.outer(ss, ss)
    np.fill_diagonal(r, 0.0)
    # The means by plain sums rather than nanmean over a masked matrix: a replication computes
    # this for every kind, arm and period (see benchmarks/run.py indicators).
    if np.isfinite(r).all():  # no constant indicator
        return r.sum(axis=1) / (k - 1), float(r.sum() / (k * (k - 1)))
    np.fill_diagonal(r, np.nan)
    with warnings.catch_warnings():  # a constant indicator's row is all NaN: its mean is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        per = np.nanmean(r, axis=1)
    upper = r[np.triu_indices(k, 1)]
    upper = upper[~np.isnan(upper)]
    return per, float(upper.mean()) if len(upper) else float("nan")


def rater_agreement(supervisor: np.ndarray, peer: np.ndarray, n_peers: np.ndarray) -> float:
    """Correlation of the superior's and the peers' overall ratings (mean over dimensions) over ratees with peers."""
    sup = np.asarray(supervisor, dtype=float)
    peer = np.asarray(peer, dtype=float)
    a = sup.mean(axis=1) if sup.ndim == 2 else sup
    b = peer.mean(axis=1) if peer.ndim == 2 else peer
    ok = (np.asarray(n_peers) >= 1) & ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < 3:
        return float("nan")
    a, b = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    den = np.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b / den) if den > 0 else float("nan")
