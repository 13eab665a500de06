"""How much of a score is the rater's and how much the work unit's, at equal true performance.

A supervisor-based score mixes three things besides true performance: who the rater is
(leniency, slope, impressions), the circumstances of the person's work unit that the
indicators pick up (a shock the unit shares: the indicators' contamination) and the unit's
organisational achievement, and noise. Grouping the residual by rater alone counts the unit's
shocks as the rater's, because a unit's staff share their rater. :func:`variance_shares`
therefore partials the hidden unit covariates out first: the **unit share** is what they
explain (it exists with or without a rater), the **rater share** the between-rater variance
component of what is left (0 for a score no rater touches, up to chance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.evidence import Truth

__all__ = ["variance_shares", "rater_variance_share", "unit_covariates"]


def variance_shares(score: np.ndarray, truth: np.ndarray, rater: np.ndarray,
                    units: np.ndarray | None = None) -> dict[str, float]:
    """The rater's and the unit's shares of score variance, at equal true performance.

    The score is regressed on true performance and the hidden unit covariates ``units`` (an
    ``(n, m)`` array: the shock of each person's unit that their indicators share, by kind of
    office, and the noise in the unit's organisational achievement; see :func:`unit_covariates`).

    * ``unit_variance_share``: the score variance the unit covariates explain beyond true
      performance (the increase in explained sum of squares, over the total). It exists whether
      or not a rater rates.
    * ``rater_variance_share``: the between-rater variance component of the residual (one-way
      random-effects ANOVA with unequal group sizes, ``(MSB - MSW) / n0``, clipped at 0) over
      the score's variance. Shocks a whole unit shares are no longer counted as the rater's.

    Without ``units`` the unit share is NaN and the rater share is that of the residual on
    true performance alone. Both are 0 for a constant score.
    """
    x = np.asarray(score, dtype=float)
    t = np.asarray(truth, dtype=float)
    _, codes = np.unique(rater, return_inverse=True)
    centred = t - t.mean()
    term = None if units is None else _MatrixUnitTerm.build(np.asarray(units, dtype=float), centred)
    return _variance_shares(x, np.var(x), centred, np.dot(centred, centred), codes.ravel(),
                            np.bincount(codes.ravel()), term)


def rater_variance_share(score: np.ndarray, truth: np.ndarray, rater: np.ndarray,
                         units: np.ndarray | None = None) -> float:
    """``variance_shares(...)["rater_variance_share"]``: the rater's share of score variance."""
    return variance_shares(score, truth, rater, units)["rater_variance_share"]


@dataclass(frozen=True, eq=False)
class _UnitTerm:
    """The unit covariates ``U`` of a period, ready to be partialled out of any score.

    ``U`` has one column per kind of office (the unit shock of the people in offices of that
    kind, 0 elsewhere: each kind holds its own indicators, so the shock weighs differently) and
    one for the organisational-achievement noise. It is kept compactly (``shock``, ``kind``,
    ``org``); ``a`` and ``b`` are the coefficients of each column on ``[1, centred truth]`` and
    ``gram_inv`` the pseudo-inverse of ``U'U`` after that projection, so for a residual ``r``
    already orthogonal to ``[1, truth]``: ``gamma = gram_inv @ U'r`` and the new residual is
    ``r - (U - 1 a' - t b') gamma``.
    """

    shock: np.ndarray
    kind: np.ndarray
    org: np.ndarray
    n_kinds: int
    a: np.ndarray
    b: np.ndarray
    gram_inv: np.ndarray

    @classmethod
    def build(cls, shock: np.ndarray, kind: np.ndarray, org: np.ndarray, n_kinds: int,
              truth_centred: np.ndarray) -> "_UnitTerm":
        n, k = len(shock), n_kinds
        col_sum = np.append(np.bincount(kind, weights=shock, minlength=k), org.sum())
        col_t = np.append(np.bincount(kind, weights=shock * truth_centred, minlength=k), org @ truth_centred)
        gram = np.zeros((k + 1, k + 1))
        gram[np.arange(k), np.arange(k)] = np.bincount(kind, weights=shock * shock, minlength=k)
        gram[:k, k] = gram[k, :k] = np.bincount(kind, weights=shock * org, minlength=k)
        gram[k, k] = org @ org
        tss = truth_centred @ truth_centred
        a = col_sum / n
        b = col_t / tss if tss > 0 else np.zeros(k + 1)
        projected = gram - n * np.outer(a, a) - tss * np.outer(b, b)
        return cls(shock=shock, kind=kind, org=org, n_kinds=k, a=a, b=b,
                   gram_inv=np.linalg.pinv(projected, rcond=1e-10, hermitian=True))

    def cross(self, r: np.ndarray) -> np.ndarray:
        """``U'r``."""
        return np.append(np.bincount(self.kind, weights=self.shock * r, minlength=self.n_kinds), self.org @ r)

    def fitted(self, gamma: np.ndarray) -> np.ndarray:
        """``U gamma``."""
        return self.shock * gamma[:self.n_kinds][self.kind] + self.org * gamma[self.n_kinds]

    def partial_out(self, r: np.ndarray, truth_centred: np.ndarray) -> tuple[np.ndarray, float]:
        """Residual of ``r`` (orthogonal to ``[1, truth]``) on the projected ``U``, and the sum of squares removed."""
        g = self.cross(r)  # = U_perp' r, since r is orthogonal to 1 and the truth
        gamma = self.gram_inv @ g
        resid = r - self.fitted(gamma) + (self.a @ gamma) + truth_centred * (self.b @ gamma)
        return resid, float(max(0.0, g @ gamma))


@dataclass(frozen=True, eq=False)
class _MatrixUnitTerm:
    """:class:`_UnitTerm` for a plain ``(n, m)`` covariate matrix (the stand-alone functions)."""

    units: np.ndarray
    a: np.ndarray
    b: np.ndarray
    gram_inv: np.ndarray

    @classmethod
    def build(cls, units: np.ndarray, truth_centred: np.ndarray) -> "_MatrixUnitTerm":
        n, m = units.shape
        tss = truth_centred @ truth_centred
        a = units.mean(axis=0)
        b = (truth_centred @ units) / tss if tss > 0 else np.zeros(m)
        projected = units.T @ units - n * np.outer(a, a) - tss * np.outer(b, b)
        return cls(units=units, a=a, b=b, gram_inv=np.linalg.pinv(projected, rcond=1e-10, hermitian=True))

    def partial_out(self, r: np.ndarray, truth_centred: np.ndarray) -> tuple[np.ndarray, float]:
        g = self.units.T @ r
        gamma = self.gram_inv @ g
        resid = r - self.units @ gamma + (self.a @ gamma) + truth_centred * (self.b @ gamma)
        return resid, float(max(0.0, g @ gamma))


def _variance_shares(x: np.ndarray, var: float, truth_centred: np.ndarray, truth_ss: float, codes: np.ndarray,
                     sizes: np.ndarray, units=None) -> dict[str, float]:
    """:func:`variance_shares` from the centred truth, the rater groups and the unit term (``var = np.var(x)``)."""
    unit_share = float("nan") if units is None else 0.0
    if var == 0:
        return {"rater_variance_share": 0.0, "unit_variance_share": unit_share}
    # Residual of x on (1, truth) by simple regression.
    x_mean = x.mean()
    beta = np.dot(truth_centred, x - x_mean) / truth_ss
    resid = x - (x_mean + beta * truth_centred)
    total_ss = var * len(x)
    if units is not None:
        resid, removed = units.partial_out(resid, truth_centred)
        unit_share = float(min(1.0, removed / total_ss))
    k, n = len(sizes), len(x)
    if k < 2 or n <= k:
        return {"rater_variance_share": 0.0, "unit_variance_share": unit_share}
    means = np.bincount(codes, weights=resid) / sizes
    ssb = np.sum(sizes * (means - resid.mean()) ** 2)
    ssw = np.sum((resid - means[codes]) ** 2)
    msb, msw = ssb / (k - 1), ssw / (n - k)
    n0 = (n - np.sum(sizes**2) / n) / (k - 1)
    return {"rater_variance_share": float(max(0.0, (msb - msw) / n0) / np.var(x, ddof=1)),
            "unit_variance_share": unit_share}


def unit_covariates(truth: Truth, opd_kind: np.ndarray, n_kinds: int) -> np.ndarray | None:
    """The ``(n, n_kinds + 1)`` unit covariates :func:`variance_shares` takes, from a simulated truth.

    One column per kind of office (the person's unit shock where their office is of that kind,
    else 0) and the unit's organisational-achievement noise; ``None`` when the truth has no units.
    """
    if truth.unit_shock is None or truth.unit_org_noise is None:
        return None
    kind = np.asarray(opd_kind, dtype=np.int64)
    out = np.zeros((len(kind), n_kinds + 1))
    out[np.arange(len(kind)), kind] = truth.unit_shock
    out[:, n_kinds] = truth.unit_org_noise
    return out
