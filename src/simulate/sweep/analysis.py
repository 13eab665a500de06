"""Sensitivity analysis of the responses with SALib (Sobol indices, Morris elementary effects)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulate.sweep.design import Design
from simulate.sweep.spec import SENSITIVITY_COLUMNS

# --------------------------------------------------------------------------------------------
# Sensitivity analysis (SALib)
# --------------------------------------------------------------------------------------------


def sobol_indices(problem: dict[str, Any], y: np.ndarray, *, seed: int, conf_level: float = 0.95,
                  num_resamples: int = 100) -> pd.DataFrame:
    """First-order and total Sobol' indices with bootstrap confidence half-widths.

    ``y`` is the response at the points of ``SALib.sample.sobol.sample(problem, N,
    calc_second_order=False)``, in order. Estimators: Saltelli et al. 2010 (S1) and Jansen 1999
    (ST), as implemented by ``SALib.analyze.sobol``. A constant or non-finite response has no
    variance to apportion: its indices are NaN.
    """
    from SALib.analyze import sobol

    y = np.asarray(y, dtype=float)
    out = pd.DataFrame({"factor": problem["names"]})
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        for col in ("S1", "S1_conf", "ST", "ST_conf"):
            out[col] = np.nan
        return out
    si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples,
                       conf_level=conf_level, seed=seed or 1)
    for col in ("S1", "S1_conf", "ST", "ST_conf"):
        out[col] = np.asarray(si[col], dtype=float)
    return out


def morris_indices(problem: dict[str, Any], x: np.ndarray, y: np.ndarray, *, seed: int, num_levels: int = 4,
                   conf_level: float = 0.95, num_resamples: int = 100) -> pd.DataFrame:
    """Morris elementary-effect statistics: ``mu``, ``mu_star`` (with bootstrap CI) and ``sigma``.

    ``x`` is the sample of ``SALib.sample.morris.sample`` and ``y`` the response at its rows.
    Effects are per step of ``delta = num_levels / (2 (num_levels - 1))`` of each factor's range
    scaled to [0, 1] (Morris 1991; mu_star: Campolongo et al. 2007). Non-finite responses give NaN.
    """
    from SALib.analyze import morris

    y = np.asarray(y, dtype=float)
    out = pd.DataFrame({"factor": problem["names"]})
    if not np.all(np.isfinite(y)):
        for col in ("mu", "mu_star", "mu_star_conf", "sigma"):
            out[col] = np.nan
        return out
    si = morris.analyze(problem, np.asarray(x, dtype=float), y, num_resamples=num_resamples, conf_level=conf_level,
                        num_levels=num_levels, seed=seed)
    for col in ("mu", "mu_star", "mu_star_conf", "sigma"):
        out[col] = np.asarray(si[col], dtype=float)
    return out


def analyse_sensitivity(design: Design, responses: pd.DataFrame, *, seed: int,
                        metrics: list[str] | None = None, conf_level: float = 0.95,
                        num_resamples: int = 100) -> pd.DataFrame:
    """Sensitivity indices per metric, policy and period, from the mean response at each point.

    ``responses`` is long-format with columns ``variant`` (the point name), ``policy``,
    ``period``, ``metric`` and ``mean`` (an experiment summary). Returns the columns of
    :data:`SENSITIVITY_COLUMNS` for the design (sobol or morris).
    """
    if design.kind not in SENSITIVITY_COLUMNS:
        raise ValueError(f"design: sensitivity analysis needs design sobol or morris, got {design.kind!r}")
    data = responses if metrics is None else responses[responses["metric"].isin(metrics)]
    if metrics is not None:
        data = data.assign(_order=data["metric"].map({m: i for i, m in enumerate(metrics)})).sort_values("_order", kind="stable")
    frames = []
    for (metric, policy, period), group in data.groupby(["metric", "policy", "period"], sort=False):
        y = group.set_index("variant")["mean"].reindex(list(design.names)).to_numpy(dtype=float)
        if design.kind == "sobol":
            table = sobol_indices(design.problem, y, seed=seed, conf_level=conf_level, num_resamples=num_resamples)
        else:
            table = morris_indices(design.problem, design.matrix, y, seed=seed, num_levels=design.num_levels,
                                   conf_level=conf_level, num_resamples=num_resamples)
        frames.append(table.assign(metric=metric, policy=policy, period=period))
    columns = list(SENSITIVITY_COLUMNS[design.kind])
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    out["period"] = out["period"].astype(np.int64)
    return out


