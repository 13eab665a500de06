"""Rater effects from a table of ratings: variance components, leniency, spread, connectedness, reliability.

The model is lme4's ``rating ~ period + dimension + (1 | employee) + (1 | rater)`` fitted by
REML (:mod:`simulate.estimate.reml`). Leniency is the rater's conditional mode (shrunken
towards 0 the fewer ratings it rests on) with its conditional standard deviation; spread is the
slope of the rater's ratings on the employees' effects, relative to all raters' common slope
(below 1: the rater compresses differences, central tendency; above 1: extremity).
Leniencies are comparable only within a connected part of the employee-rater graph, as FACETS
warns; the parts are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.sparse import csgraph

from simulate.estimate.privacy import MIN_CELL
from simulate.estimate.read import Ratings
from simulate.estimate.reml import CrossedFit, fit_crossed
from simulate.metrics.reliability import icc

__all__ = ["Estimate", "estimate", "shrout_fleiss", "ICC_MEANING", "complete_block", "reliability_by_raters"]

@dataclass(frozen=True, eq=False)
class Estimate:
    """Everything ``kinerja estimate`` reports (identifiers are pseudonyms)."""

    fit: CrossedFit
    n_ratings: int
    n_employees: int
    n_raters: int
    raters: pd.DataFrame  #: rater, ratings, employees, leniency, se, spread, part
    parts: pd.DataFrame  #: part, raters, employees, ratings (largest first)
    reliability: dict[str, float]
    icc: pd.DataFrame | None  #: the six Shrout-Fleiss ICCs on the largest complete block, if any
    icc_block: dict[str, int] = field(default_factory=dict)
    indicators: pd.DataFrame | None = None
    fixed: list[str] = field(default_factory=list)  #: the fixed effects in the model
    scale: str = ""
    rating_mean: float = float("nan")
    rating_sd: float = float("nan")

    @property
    def connected_parts(self) -> int:
        return len(self.parts)

    def to_json(self) -> dict:
        return {
            "n_ratings": self.n_ratings, "n_employees": self.n_employees, "n_raters": self.n_raters,
            "connected_parts": self.connected_parts, "variance": self.fit.variances, "shares": self.fit.shares,
            "reliability": self.reliability, "boundary": self.fit.boundary, "scale": self.scale,
            "fixed_effects": self.fixed,
        }


def _design(frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Intercept plus treatment-coded period and dimension (first level as reference)."""
    cols, names = [np.ones(len(frame))], ["(intercept)"]
    for role in ("period", "dimension"):
        if role in frame:
            codes, levels = pd.factorize(frame[role], sort=True)
            for k in range(1, len(levels)):  # a handful of levels, not employees
                cols.append((codes == k).astype(float))
                names.append(f"{role}={levels[k]}")
    return np.column_stack(cols), names


def _parts(emp: np.ndarray, rat: np.ndarray, n_e: int, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """Connected part of each employee and each rater in the bipartite employee-rater graph (0 = largest)."""
    graph = sparse.coo_matrix((np.ones(len(emp)), (emp, n_e + rat)), shape=(n_e + n_r, n_e + n_r))
    _, label = csgraph.connected_components(graph, directed=False)
    sizes = np.bincount(label)
    rank = np.empty_like(sizes)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(len(sizes))
    label = rank[label]
    return label[:n_e], label[n_e:]


def _spread(y: np.ndarray, emp: np.ndarray, rat: np.ndarray, fit: CrossedFit, fixed: np.ndarray,
            n_r: int, iterations: int = 25) -> np.ndarray:
    """Each rater's slope on the employees' levels, relative to the mean slope (NaN with < 3 ratees).

    ``rating - fixed = a_r + s_r x theta_j + e``, fitted by alternating least squares from the
    REML conditional modes (as rater-slope facets models do, e.g. sirt's ``rm.facets``): per
    rater, intercept and slope on the current employee levels; per employee, the level that
    the raters' lines imply. The employee levels are re-centred and re-scaled each round, and
    the slopes reported relative to their mean over raters, so 1 is the typical rater.
    """
    n_e = int(emp.max()) + 1
    z = y - fixed
    distinct = np.bincount(np.unique(rat * n_e + emp) // n_e, minlength=n_r)  # employees per rater
    ok = distinct >= 3
    cnt = np.maximum(np.bincount(rat, minlength=n_r).astype(float), 1.0)
    theta = fit.employee_effect.copy()
    sd0 = theta.std() or 1.0
    a, slope = np.zeros(n_r), np.ones(n_r)
    for _ in range(iterations):  # rounds of the alternation, not employees
        x = theta[emp]
        mx = np.bincount(rat, weights=x, minlength=n_r) / cnt
        mz = np.bincount(rat, weights=z, minlength=n_r) / cnt
        dx = x - mx[rat]
        sxx = np.bincount(rat, weights=dx * dx, minlength=n_r)
        sxz = np.bincount(rat, weights=dx * (z - mz[rat]), minlength=n_r)
        with np.errstate(invalid="ignore", divide="ignore"):
            slope = np.where(ok & (sxx > 0), sxz / sxx, 1.0)
        a = mz - slope * mx
        s = slope[rat]
        num = np.bincount(emp, weights=s * (z - a[rat]), minlength=n_e)
        den = np.bincount(emp, weights=s * s, minlength=n_e)
        with np.errstate(invalid="ignore", divide="ignore"):
            theta = np.where(den > 0, num / den, 0.0)
        theta = (theta - theta.mean()) / (theta.std() or 1.0) * sd0
    mean_slope = slope[ok].mean() if ok.any() else np.nan
    return np.where(ok, slope / mean_slope, np.nan)


#: Plain-language meaning of each Shrout-Fleiss form, for the report (McGraw-Wong names in ICC_NAMES).
ICC_MEANING = {
    "ICC(1,1)": ("satu penilai, penilai berbeda tiap pegawai", "single rater, raters differ per employee"),
    "ICC(2,1)": ("satu penilai, kesepakatan mutlak", "single rater, absolute agreement"),
    "ICC(3,1)": ("satu penilai, konsistensi", "single rater, consistency"),
    "ICC(1,k)": ("rata-rata k penilai, penilai berbeda tiap pegawai", "mean of k raters, raters differ per employee"),
    "ICC(2,k)": ("rata-rata k penilai, kesepakatan mutlak", "mean of k raters, absolute agreement"),
    "ICC(3,k)": ("rata-rata k penilai, konsistensi", "mean of k raters, consistency"),
}


def shrout_fleiss(m: np.ndarray) -> pd.DataFrame:
    """The six Shrout & Fleiss (1979) ICCs of a complete ``employees x raters`` matrix (as psych::ICC gives them)."""
    result = icc(m)
    return pd.DataFrame({"type": list(result.values), "icc": list(result.values.values())})


def complete_block(frame: pd.DataFrame) -> tuple[np.ndarray, dict[str, int]] | None:
    """The largest set of >= 5 employees rated by the same >= 2 raters, as an employees x raters matrix.

    Each cell is the mean of that rater's ratings of that employee (over periods and dimensions).
    """
    cell = frame.groupby(["employee", "rater"], sort=True)["rating"].mean()
    sets = cell.reset_index().groupby("employee")["rater"].agg(tuple)
    sets = sets[sets.map(len) >= 2]
    if sets.empty:
        return None
    counts = sets.value_counts()
    counts = counts[counts >= MIN_CELL]
    if counts.empty:
        return None
    # The block with the most cells (employees x raters), ties broken by the raters' order.
    best = max(counts.index, key=lambda s: (counts[s] * len(s), s))
    employees = sets.index[sets == best]
    m = cell.loc[list(employees)].unstack("rater")[list(best)].to_numpy(float)
    return m, {"employees": int(m.shape[0]), "raters": int(m.shape[1])}


def reliability_by_raters(fit: CrossedFit, ks=(1, 2, 3, 5, 10)) -> dict[str, float]:
    """Generalisability of one rating and of the mean of ``k`` raters' ratings (absolute and relative)."""
    v = fit.variances
    out = {}
    for k in ks:
        out[f"absolute_k{k}"] = v["employee"] / (v["employee"] + (v["rater"] + v["residual"]) / k)
        out[f"relative_k{k}"] = v["employee"] / (v["employee"] + v["residual"] / k)
    return out


def _indicator_table(frame: pd.DataFrame, indicators: list[str], effect: pd.Series) -> pd.DataFrame | None:
    if not indicators:
        return None
    rows = []
    per_emp = frame.groupby("employee")[indicators].mean()
    for name in indicators:
        v = per_emp[name].dropna()
        e = effect.reindex(v.index)
        n = int(len(v))
        if n < MIN_CELL or v.nunique() < 2:
            rows.append({"indicator": name, "employees": n, "pearson": np.nan, "spearman": np.nan})
            continue
        rows.append({"indicator": name, "employees": n, "pearson": float(np.corrcoef(v, e)[0, 1]),
                     "spearman": float(stats.spearmanr(v, e).statistic)})
    return pd.DataFrame(rows)


def estimate(ratings: Ratings) -> Estimate:
    """Fit the crossed model to a checked export and derive every reported quantity."""
    frame = ratings.frame
    emp, emp_names = pd.factorize(frame["employee"], sort=True)
    rat, rat_names = pd.factorize(frame["rater"], sort=True)
    x, names = _design(frame)
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise ValueError("fixed-effects design is rank deficient")
    y = frame["rating"].to_numpy(float)
    fit = fit_crossed(y, emp, rat, x)
    n_e, n_r = len(emp_names), len(rat_names)
    emp_part, part = _parts(emp, rat, n_e, n_r)
    spread = _spread(y, emp, rat, fit, x @ fit.beta, n_r)
    ratings_per = np.bincount(rat, minlength=n_r)
    ratees = frame.groupby("rater", sort=True)["employee"].nunique().reindex(rat_names).to_numpy()
    raters = pd.DataFrame({
        "rater": np.asarray(rat_names, dtype=object), "ratings": ratings_per, "employees": ratees,
        "leniency": fit.rater_effect, "se": fit.rater_se, "spread": spread, "part": part + 1,
    })
    raters = raters.sort_values(["part", "leniency"], ascending=[True, False], na_position="last").reset_index(drop=True)
    parts = pd.DataFrame({
        "part": np.arange(part.max() + 1) + 1, "raters": np.bincount(part),
        "employees": np.bincount(emp_part, minlength=part.max() + 1),
        "ratings": np.bincount(part[rat], minlength=part.max() + 1),
    })
    block = complete_block(frame)
    icc, info = (None, {}) if block is None else (shrout_fleiss(block[0]), block[1])
    reliability = {"single_rating": fit.shares["employee"], **reliability_by_raters(fit)}
    effect = pd.Series(fit.employee_effect, index=emp_names)
    return Estimate(fit=fit, n_ratings=len(frame), n_employees=n_e, n_raters=n_r, raters=raters, parts=parts,
                    reliability=reliability, icc=icc, icc_block=info,
                    indicators=_indicator_table(frame, ratings.indicators, effect), fixed=names, scale=ratings.scale,
                    rating_mean=float(y.mean()), rating_sd=float(y.std(ddof=1)))
