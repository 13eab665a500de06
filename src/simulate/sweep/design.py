"""Designs: the points of a grid, Latin hypercube, Sobol or Morris design over the factors."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulate.sweep.spec import _ANALYSIS_STREAM, _DESIGN_STREAM, DESIGNS, Factor, _nest
from simulate.yamlio import deep_merge

# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Design:
    """The design points of a sweep and the sample matrix its analysis needs.

    ``matrix`` has one row per point: for lhs, sobol and morris the sample in parameter units
    before integer rounding (what SALib's analysis expects); for grid the index of each
    factor's level. ``values`` holds the parameter values actually applied.
    """

    kind: str
    factors: tuple[Factor, ...]
    names: tuple[str, ...]
    matrix: np.ndarray
    values: tuple[tuple[Any, ...], ...]
    num_levels: int = 4

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.factors]

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem definition (names are the parameter paths)."""
        return {"num_vars": len(self.factors), "names": self.paths, "bounds": [list(f.bounds) for f in self.factors]}

    @property
    def points(self) -> list[tuple[str, dict[str, Any]]]:
        """``(name, overrides)`` pairs, ready for ``run_experiment(variants=...)``."""
        out = []
        for name, row in zip(self.names, self.values):
            overrides: dict[str, Any] = {}
            for f, v in zip(self.factors, row):
                overrides = deep_merge(overrides, _nest(f.path, v))
            out.append((name, overrides))
        return out

    def frame(self) -> pd.DataFrame:
        """One row per point: ``variant`` then one column per factor path (the values applied)."""
        data: dict[str, Any] = {"variant": list(self.names)}
        for j, f in enumerate(self.factors):
            col = [row[j] for row in self.values]
            scalar = all(isinstance(v, (int, float, str, bool)) or v is None for v in col)
            data[f.path] = col if scalar else [json.dumps(v, default=str) for v in col]
        return pd.DataFrame(data)

    def __len__(self) -> int:
        return len(self.names)


def _point_names(n: int) -> tuple[str, ...]:
    width = max(4, len(str(max(n - 1, 0))))
    return tuple(f"p{i:0{width}d}" for i in range(n))


def _design_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), _DESIGN_STREAM]))


def _analysis_seed(seed: int) -> int:
    # SALib's sobol.analyze tests ``if seed:`` and falls back to the global NumPy state for 0.
    return int(np.random.SeedSequence([int(seed), _ANALYSIS_STREAM]).generate_state(1, dtype=np.uint32)[0]) or 1


def make_design(kind: str, factors: tuple[Factor, ...], samples: int | None, seed: int,
                num_levels: int = 4) -> Design:
    """Sample the design points (deterministic in ``seed``)."""
    if kind == "grid":
        values = tuple(itertools.product(*(f.levels for f in factors)))
        matrix = np.array(list(itertools.product(*(range(len(f.levels)) for f in factors))), dtype=float)
        return Design(kind, factors, _point_names(len(values)), matrix.reshape(len(values), len(factors)), values)
    if samples is None:
        raise ValueError(f"samples: required for design {kind!r}")
    rng = _design_rng(seed)
    problem = {"num_vars": len(factors), "names": [f.path for f in factors], "bounds": [list(f.bounds) for f in factors]}
    if kind == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(factors), rng=rng).random(samples)
        lows, highs = np.array(problem["bounds"]).T
        matrix = qmc.scale(unit, lows, highs)
    elif kind == "sobol":
        from SALib.sample import sobol

        matrix = sobol.sample(problem, samples, calc_second_order=False, seed=rng)
    elif kind == "morris":
        from SALib.sample import morris

        matrix = morris.sample(problem, samples, num_levels=num_levels, seed=rng)
    else:
        raise ValueError(f"design: must be one of {', '.join(DESIGNS)}, got {kind!r}")
    values = tuple(tuple(f.value(x) for f, x in zip(factors, row)) for row in matrix)
    return Design(kind, factors, _point_names(len(values)), np.asarray(matrix, dtype=float), values, num_levels)

