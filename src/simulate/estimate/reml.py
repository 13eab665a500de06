"""REML for two crossed random factors: ``rating ~ X + (1 | employee) + (1 | rater)``.

The same criterion lme4 minimises (Bates et al. 2015, eq. 41), profiled over the residual
variance and the fixed effects, with the two relative standard deviations
``theta = (sigma_employee / sigma, sigma_rater / sigma)`` as the only free parameters:

    d(theta) = log|L|^2 + log|R_X|^2 + (n - p) (1 + log(2 pi r^2 / (n - p)))

where ``L L' = Lambda' Z' Z Lambda + I`` and ``r^2`` is the penalised residual sum of squares.
Each rating has one employee and one rater, so ``Z' Z`` has two diagonal blocks (ratings per
employee, per rater) joined by the employee x rater count matrix ``N``. Eliminating the employee
block (diagonal) leaves the rater-by-rater Schur complement ``S = D_r - t_e^2 t_r^2 N' D_e^-1 N``,
sparse (two raters meet only through employees both rated), which one sparse factorisation per
evaluation handles: no dense q x q matrix is ever built, so 100,000 ratings take well under a
second per fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse
from scipy.sparse import linalg as splinalg

__all__ = ["CrossedFit", "fit_crossed"]


@dataclass(frozen=True, eq=False)
class CrossedFit:
    """Variance components, fixed effects and conditional modes of one crossed REML fit."""

    sigma2_employee: float
    sigma2_rater: float
    sigma2_residual: float
    beta: np.ndarray  #: fixed effects, in the order of the design's columns
    employee_effect: np.ndarray  #: conditional modes (BLUPs), one per employee code
    rater_effect: np.ndarray  #: conditional modes, one per rater code
    rater_se: np.ndarray  #: conditional standard deviations of the rater effects (lme4's condVar)
    deviance: float  #: the REML criterion at the optimum
    iterations: int
    boundary: bool  #: a variance estimated at zero (lme4's "boundary (singular) fit")

    @property
    def variances(self) -> dict[str, float]:
        return {"employee": self.sigma2_employee, "rater": self.sigma2_rater, "residual": self.sigma2_residual}

    @property
    def shares(self) -> dict[str, float]:
        total = sum(self.variances.values())
        return {k: v / total for k, v in self.variances.items()}


class _Factor:
    """Cholesky factor of the symmetric positive definite Schur complement ``S``.

    Sparse (SuperLU with symmetric pivoting) while ``S`` is sparse, as when every employee has
    one rater; dense (LAPACK) once raters meet through many shared employees, where a sparse
    factorisation fills in and costs more than the dense one.
    """

    def __init__(self, s: sparse.csc_matrix):
        m = s.shape[0]
        self.dense = m > 0 and s.nnz > 0.05 * m * m and m <= 20_000
        if self.dense:
            self.chol = linalg.cho_factor(s.toarray(), lower=True, check_finite=False)
            self.logdet = float(2.0 * np.sum(np.log(np.diagonal(self.chol[0]))))
        else:
            self.lu = splinalg.splu(s, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0,
                                    options={"SymmetricMode": True})
            self.logdet = float(np.sum(np.log(np.abs(self.lu.U.diagonal()))))

    def solve(self, b: np.ndarray) -> np.ndarray:
        if self.dense:
            return linalg.cho_solve(self.chol, b, check_finite=False)
        return self.lu.solve(b)


class _Design:
    """What does not depend on theta: counts, cross-products and the sparsity pattern."""

    def __init__(self, y: np.ndarray, employee: np.ndarray, rater: np.ndarray, x: np.ndarray):
        self.n, self.p = x.shape
        self.n_e, self.n_r = int(employee.max()) + 1, int(rater.max()) + 1
        self.count_e = np.bincount(employee, minlength=self.n_e).astype(float)
        self.count_r = np.bincount(rater, minlength=self.n_r).astype(float)
        cells = sparse.coo_matrix((np.ones(self.n), (employee, rater)), shape=(self.n_e, self.n_r)).tocsr()
        cells.sum_duplicates()
        self.cells = cells  # N: ratings of employee j by rater k
        # Z' [y X] per block: sums per employee and per rater of y and of each fixed-effect column.
        yx = np.column_stack([y, x])
        self.ze = np.zeros((self.n_e, 1 + self.p))
        self.zr = np.zeros((self.n_r, 1 + self.p))
        for c in range(1 + self.p):  # a handful of columns, not employees
            self.ze[:, c] = np.bincount(employee, weights=yx[:, c], minlength=self.n_e)
            self.zr[:, c] = np.bincount(rater, weights=yx[:, c], minlength=self.n_r)
        self.gram = yx.T @ yx  # [y X]' [y X]

    def solve(self, theta: np.ndarray):
        """Everything the criterion and the conditional modes need at ``theta``."""
        te, tr = float(theta[0]), float(theta[1])
        de = te * te * self.count_e + 1.0
        dr = tr * tr * self.count_r + 1.0
        c = self.cells * (te * tr)  # the off-diagonal block of Lambda' Z' Z Lambda
        ce = sparse.diags(1.0 / de) @ c
        s = (sparse.diags(dr) - c.T @ ce).tocsc()
        lu = _Factor(s)
        logdet = float(np.sum(np.log(de)) + lu.logdet)
        b1, b2 = te * self.ze, tr * self.zr  # Lambda' Z' [y X]
        x2 = lu.solve(b2 - ce.T @ b1)
        x1 = (b1 - c @ x2) / de[:, None]
        quad = b1.T @ x1 + b2.T @ x2  # [y X]' Z Lambda A^-1 Lambda' Z' [y X]
        m = self.gram - quad
        return logdet, m, x1, x2, lu

    def criterion(self, theta: np.ndarray) -> float:
        logdet, m, *_ = self.solve(np.abs(theta))
        n, p = self.n, self.p
        rx = m[1:, 1:]
        sign, logdet_x = np.linalg.slogdet(rx)
        if sign <= 0:
            return np.inf
        r2 = m[0, 0] - m[0, 1:] @ np.linalg.solve(rx, m[1:, 0])
        if r2 <= 0:
            return np.inf
        return logdet + logdet_x + (n - p) * (1.0 + np.log(2.0 * np.pi * r2 / (n - p)))


def fit_crossed(y: np.ndarray, employee: np.ndarray, rater: np.ndarray, x: np.ndarray | None = None,
                start: tuple[float, float] = (1.0, 1.0)) -> CrossedFit:
    """Fit ``y ~ x + (1 | employee) + (1 | rater)`` by REML.

    ``employee`` and ``rater`` are integer codes ``0..n-1`` (every code used); ``x`` is the
    fixed-effects design (an intercept when omitted; it must have full column rank). The two
    relative SDs are optimised on ``[0, inf)`` (L-BFGS-B); a variance at its bound is reported
    as ``boundary``, as lme4 does.
    """
    y = np.asarray(y, dtype=float)
    employee, rater = np.asarray(employee, dtype=np.int64), np.asarray(rater, dtype=np.int64)
    x = np.ones((len(y), 1)) if x is None else np.asarray(x, dtype=float)
    design = _Design(y, employee, rater, x)
    res = optimize.minimize(design.criterion, np.asarray(start, dtype=float), method="L-BFGS-B",
                            bounds=[(0.0, None), (0.0, None)],
                            options={"ftol": 1e-11, "gtol": 1e-9, "eps": 1e-7, "maxiter": 500})
    theta = np.abs(res.x)
    logdet, m, x1, x2, lu = design.solve(theta)
    n, p = design.n, design.p
    rx = m[1:, 1:]
    beta = np.linalg.solve(rx, m[1:, 0])
    r2 = m[0, 0] - m[0, 1:] @ beta
    sigma2 = r2 / (n - p)
    te, tr = theta
    # Conditional modes: u = A^-1 Lambda' Z' (y - X beta); b = Lambda u.
    u_e = x1[:, 0] - x1[:, 1:] @ beta
    u_r = x2[:, 0] - x2[:, 1:] @ beta
    # Conditional variances of the rater effects: sigma^2 t_r^2 diag(S^-1), by blocks of solves.
    diag = np.empty(design.n_r)
    step = 512
    for start_col in range(0, design.n_r, step):  # blocks of raters, not employees
        stop = min(start_col + step, design.n_r)
        eye = np.zeros((design.n_r, stop - start_col))
        eye[np.arange(start_col, stop), np.arange(stop - start_col)] = 1.0
        diag[start_col:stop] = lu.solve(eye)[np.arange(start_col, stop), np.arange(stop - start_col)]
    crit = design.criterion(theta)
    return CrossedFit(
        sigma2_employee=float(te * te * sigma2), sigma2_rater=float(tr * tr * sigma2), sigma2_residual=float(sigma2),
        beta=beta, employee_effect=te * u_e, rater_effect=tr * u_r,
        rater_se=np.sqrt(sigma2 * tr * tr * diag), deviance=float(crit), iterations=int(res.nit),
        boundary=bool(min(theta) < 1e-4),
    )
