"""Who gets the right predikat: precision and recall at the top and bottom, and misclassification.

A policy's predikat is judged against a **reference predikat** that does not depend on the
policy: the predikat each person would get if a fixed distribution, the one PermenPANRB 6/2022's
curve allows an organisation rated *Baik* (``domain/regulations.md`` 1.6), were applied to true
performance. The shares (:data:`REFERENCE_SHARES`) are

* Sangat Baik 10 %: the top decile (the same 10 % the top precision and recall use; also the
  cap on Sangat Baik the curve sets for organisations below Baik);
* Baik 70 %: the curve's "most employees, at most 70 %";
* Butuh Perbaikan 15 % and Kurang 5 %: the curve's "there must be some Butuh Perbaikan and/or
  Kurang", the remaining 20 % split three to one;
* Sangat Kurang 0 %.

``misclassification_rate`` is the **balanced** error: one minus the mean, over the reference
levels, of the share of that level's people who got it (the mean recall). Any predikat that
carries no information about performance, whatever its shares (everyone Baik, or a lottery with
the curve's shares), scores ``1 - 1 / 4 = 0.75`` in expectation; a policy that orders people
exactly by true performance with the reference shares scores 0. A plain error rate (the share
of people off their reference level) would instead reward giving everyone Baik (0.30, the
share of non-Baik people), which is why it is not used.

The confusion matrix behind it (reference level by given predikat, shares of all employees)
is part of the results as ``confusion_<reference>_<given>`` (:data:`CONFUSION_METRICS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulate.predikat import BUTUH_PERBAIKAN, LABELS_EN, LABELS_ID, PREDIKAT, SANGAT_BAIK

__all__ = [
    "REFERENCE_SHARES", "TOP_SHARE", "CONFUSION_METRICS", "REFERENCE_LEVELS", "reference_counts",
    "reference_predikat", "classification", "confusion", "confusion_matrix", "confusion_glossary",
]

#: Share of employees in each predikat (best to worst) in the reference distribution.
REFERENCE_SHARES: tuple[float, ...] = (0.10, 0.70, 0.15, 0.05, 0.0)
#: Share of employees counted as the true top (and bottom) for precision and recall.
TOP_SHARE = 0.10
#: Predikat codes the reference gives to someone (those with a positive share).
REFERENCE_LEVELS: tuple[int, ...] = tuple(k for k, s in enumerate(REFERENCE_SHARES) if s > 0)
#: Result names of the confusion matrix cells: reference level by given predikat.
CONFUSION_METRICS: tuple[str, ...] = tuple(
    f"confusion_{PREDIKAT[r]}_{PREDIKAT[g]}" for r in REFERENCE_LEVELS for g in range(len(PREDIKAT))
)


def reference_counts(n: int) -> np.ndarray:
    """People per predikat in the reference for ``n`` employees (largest remainders, ties to the better level)."""
    exact = np.asarray(REFERENCE_SHARES) * n
    counts = np.floor(exact).astype(np.int64)
    short = n - int(counts.sum())
    if short > 0:
        # Stable sort: among equal remainders the better (lower) level gets the extra person.
        counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def _reference_from_order(order: np.ndarray) -> np.ndarray:
    """Reference predikat from the employees ordered best to worst by true performance."""
    out = np.empty(len(order), dtype=np.int8)
    out[order] = np.repeat(np.arange(len(PREDIKAT), dtype=np.int8), reference_counts(len(order)))
    return out


def reference_predikat(truth: np.ndarray) -> np.ndarray:
    """Predikat each person would get if :data:`REFERENCE_SHARES` followed true performance."""
    return _reference_from_order(np.argsort(-np.asarray(truth, dtype=float), kind="stable"))


def confusion(predikat: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``(5, 5)`` counts of people with reference level ``r`` (rows) given predikat ``g`` (columns)."""
    k = len(PREDIKAT)
    cells = np.asarray(reference, dtype=np.int64) * k + np.asarray(predikat, dtype=np.int64)
    return np.bincount(cells, minlength=k * k)[: k * k].reshape(k, k)


def _classification(predikat: np.ndarray, true_top: np.ndarray, true_bottom: np.ndarray,
                    reference: np.ndarray) -> dict[str, float]:
    """:func:`classification` from the true top and bottom and the reference predikat."""
    top, bottom = predikat == SANGAT_BAIK, predikat >= BUTUH_PERBAIKAN

    def ratio(a: np.ndarray, b: np.ndarray) -> float:
        nb = b.sum()
        return float((a & b).sum() / nb) if nb else float("nan")

    counts = confusion(predikat, reference)
    out = {
        "top_precision": ratio(true_top, top), "top_recall": ratio(top, true_top),
        "bottom_precision": ratio(true_bottom, bottom), "bottom_recall": ratio(bottom, true_bottom),
    }
    n = max(int(counts.sum()), 1)
    levels = [r for r in REFERENCE_LEVELS if counts[r].sum() > 0]
    recall = [counts[r, r] / counts[r].sum() for r in levels]
    out["misclassification_rate"] = float(1.0 - np.mean(recall)) if levels else float("nan")
    for r in REFERENCE_LEVELS:
        for g in range(len(PREDIKAT)):
            out[f"confusion_{PREDIKAT[r]}_{PREDIKAT[g]}"] = float(counts[r, g] / n)
    return out


def classification(predikat: np.ndarray, truth: np.ndarray, share: float = TOP_SHARE) -> dict[str, float]:
    """Top and bottom precision and recall, the balanced misclassification rate and the confusion shares.

    The true top and bottom are the ``share`` best and worst by ``truth``; the reference
    predikat is :func:`reference_predikat` of ``truth``.
    """
    t = np.asarray(truth, dtype=float)
    top_cut, bottom_cut = np.quantile(t, [1 - share, share])
    return _classification(np.asarray(predikat), t >= top_cut, t <= bottom_cut, reference_predikat(t))


def confusion_matrix(predikat: np.ndarray, truth: np.ndarray, lang: str = "id") -> pd.DataFrame:
    """Counts of reference level (rows) by given predikat (columns), with the predikat labels of ``lang``."""
    labels = LABELS_ID if lang == "id" else LABELS_EN
    counts = confusion(predikat, reference_predikat(truth))
    names = [labels[p] for p in PREDIKAT]
    frame = pd.DataFrame(counts, index=names, columns=names)
    frame.index.name = "referensi" if lang == "id" else "reference"
    return frame.iloc[list(REFERENCE_LEVELS)]


def confusion_glossary() -> dict[str, tuple[str, str, str, str, str]]:
    """Glossary entries of :data:`CONFUSION_METRICS` (same layout as :data:`simulate.metrics.GLOSSARY`)."""
    out = {}
    for r in REFERENCE_LEVELS:
        for g in range(len(PREDIKAT)):
            ri, gi = LABELS_ID[PREDIKAT[r]], LABELS_ID[PREDIKAT[g]]
            re_, ge = LABELS_EN[PREDIKAT[r]], LABELS_EN[PREDIKAT[g]]
            out[f"confusion_{PREDIKAT[r]}_{PREDIKAT[g]}"] = (
                f"Referensi {ri}, dinilai {gi}", f"Reference {re_}, rated {ge}",
                f"Bagian seluruh pegawai yang predikat referensinya {ri} (menurut kinerja sebenarnya) "
                f"dan yang mendapat predikat {gi} dari kebijakan.",
                f"Share of all employees whose reference predikat is {re_} (by true performance) "
                f"and who were rated {ge} by the policy.",
                "higher" if r == g else "",
            )
    return out
