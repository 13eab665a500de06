"""Reliability of ratings: Shrout-Fleiss intraclass correlations, with McGraw-Wong names.

Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
reliability. Psychological Bulletin 86(2), 420-428. McGraw, K. O. & Wong, S. P. (1996). Forming
inferences about some intraclass correlation coefficients. Psychological Methods 1(1), 30-46.
Formulas as in domain/literature.md section 8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.evidence import frame_html

__all__ = ["ICC_NAMES", "IccResult", "icc", "mean_squares", "spearman_brown", "raters_needed"]

#: Shrout-Fleiss form -> (McGraw-Wong model, type, unit)
ICC_NAMES: dict[str, tuple[str, str, str]] = {
    "ICC(1,1)": ("one-way random", "absolute agreement", "single rater"),
    "ICC(2,1)": ("two-way random", "absolute agreement", "single rater"),
    "ICC(3,1)": ("two-way mixed", "consistency", "single rater"),
    "ICC(1,k)": ("one-way random", "absolute agreement", "mean of k raters"),
    "ICC(2,k)": ("two-way random", "absolute agreement", "mean of k raters"),
    "ICC(3,k)": ("two-way mixed", "consistency", "mean of k raters"),
}


def mean_squares(ratings: np.ndarray) -> dict[str, float]:
    """ANOVA mean squares of an (n targets x k raters) matrix without missing values."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(f"ratings: need an (n >= 2 targets) x (k >= 2 raters) matrix, got shape {x.shape}")
    if np.isnan(x).any():
        raise ValueError("ratings: missing values; use complete cases (balanced design)")
    n, k = x.shape
    grand = x.mean()
    row = x.mean(axis=1)
    col = x.mean(axis=0)
    ss_rows = k * np.sum((row - grand) ** 2)
    ss_cols = n * np.sum((col - grand) ** 2)
    ss_total = np.sum((x - grand) ** 2)
    ss_within = ss_total - ss_rows
    ss_error = ss_total - ss_rows - ss_cols
    return {
        "MSR": ss_rows / (n - 1), "MSW": ss_within / (n * (k - 1)),
        "MSC": ss_cols / (k - 1), "MSE": ss_error / ((n - 1) * (k - 1)), "n": n, "k": k,
    }


@dataclass(frozen=True)
class IccResult:
    """The six Shrout-Fleiss ICCs of one ratings matrix."""

    values: dict[str, float]
    n: int
    k: int

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for form, value in self.values.items():
            model, kind, unit = ICC_NAMES[form]
            rows.append({"form": form, "mcgraw_wong": f"{model}, {kind}, {unit}", "icc": value})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        return self.to_frame().set_index("form")

    def _repr_html_(self) -> str:
        return frame_html(f"Intraclass correlations ({self.n} targets x {self.k} raters)", self.summary())

    def __getitem__(self, form: str) -> float:
        return self.values[form]


def icc(ratings: np.ndarray) -> IccResult:
    """All six ICCs of an (n targets x k raters) matrix (Shrout & Fleiss 1979, Table 1)."""
    ms = mean_squares(ratings)
    n, k = int(ms["n"]), int(ms["k"])
    msr, msw, msc, mse = ms["MSR"], ms["MSW"], ms["MSC"], ms["MSE"]
    values = {
        "ICC(1,1)": (msr - msw) / (msr + (k - 1) * msw),
        "ICC(2,1)": (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n),
        "ICC(3,1)": (msr - mse) / (msr + (k - 1) * mse),
        "ICC(1,k)": (msr - msw) / msr,
        "ICC(2,k)": (msr - mse) / (msr + (msc - mse) / n),
        "ICC(3,k)": (msr - mse) / msr,
    }
    return IccResult(values=values, n=n, k=k)


def spearman_brown(r: float, k: float) -> float:
    """Reliability of the mean of ``k`` raters from single-rater reliability ``r``."""
    return k * r / (1 + (k - 1) * r)


def raters_needed(r: float, target: float) -> float:
    """Raters needed to reach reliability ``target`` from single-rater ``r`` (Spearman-Brown)."""
    if not 0 < r < 1 or not 0 < target < 1:
        raise ValueError("r and target: must be between 0 and 1 (exclusive)")
    return target * (1 - r) / (r * (1 - target))
