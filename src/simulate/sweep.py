"""Parameter sweeps: a design over scenario parameters, run as one experiment (DESIGN 4).

A sweep file (YAML) names a scenario, a design and the factors it varies::

    scenario: ../presets/test.yaml        # relative to the sweep file, or a preset name
    design: sobol                         # grid | lhs | sobol | morris
    factors:
      - {path: raters.supervisor.leniency_sd, low: 0.5, high: 1.5}
      - {path: raters.supervisor.halo, low: 0.2, high: 0.8}
    samples: 8                            # lhs: points; sobol: base N (a power of 2); morris: trajectories
    replications: 3                       # per design point (the same seeds at every point)
    seed: 11                              # root seed (default: the scenario's)
    metrics: [validity_spearman]          # analysed by sobol/morris and shown by summary()
    policies: [pp30_2019, permenpanrb_2022]   # optional subset of the scenario's policies

* Every design point is a *variant* of the scenario (``p0000``, ``p0001``, ...): an overrides
  mapping deep-merged over it. All points run with the same replication seeds (common random
  numbers), so differences between points come from the parameters, not from the draws.
* Designs: full factorial ``grid`` (``itertools.product`` of the levels, first factor slowest);
  Latin hypercube ``lhs`` (``scipy.stats.qmc.LatinHypercube``, McKay, Beckman & Conover 1979);
  ``sobol`` (Saltelli's scheme, ``SALib.sample.sobol.sample`` with ``calc_second_order=False``:
  ``N (D + 2)`` points; Saltelli 2002, Saltelli et al. 2010) and ``morris`` (elementary effects,
  ``SALib.sample.morris.sample``: ``r (D + 1)`` points; Morris 1991, Campolongo et al. 2007).
* Integer parameters (detected from the schema field type) are sampled on ``[low - 0.5,
  high + 0.5]`` and rounded half up, so every whole number in ``[low, high]`` is equally likely.
* Randomness: the design draws from ``SeedSequence([seed, 1])`` and SALib's bootstrap from
  ``SeedSequence([seed, 2])``, both independent of the replication seeds (children of
  ``SeedSequence(seed)``). The same sweep file gives the same design, results and indices.
* Everything is validated before anything runs: the file, every factor path (with the closest
  valid name), the bounds, the sizes, and every design point as a scenario.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulate.errors import ScenarioError
from simulate.experiment import ExperimentResult, check_executor, replication_seeds, run_experiment
from simulate.metrics.core import METRICS
from simulate.assemble import load_scenario, scenario_from_dict
from simulate.hints import hint
from simulate.scenario.loader import resolve_scenario_path, scenario_hash
from simulate.validation import format_validation_error
from simulate.yamlio import deep_merge, read_yaml_mapping
from simulate.scenario.schema import Scenario

__all__ = [
    "DESIGNS", "SweepSpec", "FactorSpec", "Factor", "Design", "Sweep", "SweepResult",
    "parameter_paths", "load_sweep", "sweep_from_dict", "make_design", "design_points",
    "sobol_indices", "morris_indices", "analyse_sensitivity", "run_sweep", "sweep_command",
]

DESIGNS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")
#: Columns of ``sensitivity.csv`` by design.
SENSITIVITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "sobol": ("metric", "policy", "period", "factor", "S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("metric", "policy", "period", "factor", "mu", "mu_star", "mu_star_conf", "sigma"),
}
_DESIGN_STREAM = 1  # SeedSequence([seed, 1]) draws the design
_ANALYSIS_STREAM = 2  # SeedSequence([seed, 2]) draws SALib's bootstrap resamples
#: Scenario keys a sweep never varies: labels, the scenario's own seed (replication seeds come
#: from the sweep) and the policy list (choose policies with the sweep's ``policies`` key).
_NOT_SWEPT = frozenset({"name", "description", "extends", "seed", "policies"})


# --------------------------------------------------------------------------------------------
# The sweep file
# --------------------------------------------------------------------------------------------


class FactorSpec(BaseModel):
    """One factor: a scenario parameter and the values it takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="Dotted scenario parameter path, e.g. raters.supervisor.leniency_sd.")
    levels: list[Any] | None = Field(None, description="Values to try (design grid).")
    low: float | None = Field(None, description="Lower bound (designs lhs, sobol, morris).")
    high: float | None = Field(None, description="Upper bound (designs lhs, sobol, morris).")


class SweepSpec(BaseModel):
    """A sweep file as written (structure and types only; :func:`sweep_from_dict` checks the rest)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str = Field(description="Scenario file (relative to the sweep file) or preset name.")
    design: Literal["grid", "lhs", "sobol", "morris"] = Field(description="Experimental design.")
    factors: list[FactorSpec] = Field(description="Parameters varied by the design.")
    samples: int | None = Field(None, ge=1, description="lhs: points; sobol: base N (power of 2); morris: trajectories.")
    replications: int = Field(ge=1, le=100_000, description="Replications per design point.")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="Root seed (default: the scenario's).")
    metrics: list[str] = Field(default_factory=lambda: ["validity_spearman"],
                               description="Metrics analysed (sobol, morris) and summarised.")
    policies: list[str] | None = Field(None, description="Subset of the scenario's policies to run, by name.")
    num_levels: int = Field(4, ge=2, le=100, description="Morris grid levels (even).")
    description: str = Field("", description="What the sweep asks, in a sentence.")


@dataclass(frozen=True)
class Factor:
    """A validated factor: its parameter path, the parameter's type and its values or bounds."""

    path: str
    kind: str  #: "int", "float" or another schema kind ("bool", "list", "group", ...)
    levels: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None

    @property
    def bounds(self) -> tuple[float, float]:
        """Sampling interval: integers get half a unit either side, so each is equally likely."""
        if self.low is None or self.high is None:
            raise ValueError(f"{self.path}: a grid factor has no bounds")
        if self.kind == "int":
            return self.low - 0.5, self.high + 0.5
        return self.low, self.high

    def value(self, x: float) -> int | float:
        """The parameter value applied for a sampled ``x`` (integers rounded half up, kept in bounds)."""
        if self.kind == "int":
            return int(min(max(np.floor(x + 0.5), self.low), self.high))  # type: ignore[type-var]
        return float(x)


def _nest(path: str, value: Any) -> dict[str, Any]:
    """``"a.b.c", v`` -> ``{"a": {"b": {"c": v}}}`` (the shape of a scenario override)."""
    out: Any = value
    for part in reversed(path.split(".")):
        out = {part: out}
    return out


def _unwrap(ann: Any) -> Any:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return ann


def _kind(ann: Any) -> str:
    ann = _unwrap(ann)
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is float:
        return "float"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "group"
    origin = get_origin(ann)
    return {dict: "mapping", list: "list", Literal: "choice"}.get(origin, "other")


def parameter_paths(scenario: Scenario | None = None) -> dict[str, str]:
    """Every dotted parameter path a sweep can vary, with its kind (``int``, ``float``, ``group``, ...).

    Keys of mappings (indicators, services, OPD shares) are those present in ``scenario``
    (default: the schema defaults).
    """
    out: dict[str, str] = {}

    def walk(model: type[BaseModel], value: Any, prefix: str) -> None:
        value = value if isinstance(value, dict) else {}
        for name, info in model.model_fields.items():
            if not prefix and name in _NOT_SWEPT:
                continue
            path, ann = prefix + name, _unwrap(info.annotation)
            out[path] = kind = _kind(ann)
            if kind == "group":
                walk(ann, value.get(name), path + ".")
            elif kind == "mapping" and isinstance(value.get(name), dict):
                item = _unwrap(get_args(ann)[1]) if len(get_args(ann)) == 2 else Any
                for key, sub in value[name].items():
                    out[f"{path}.{key}"] = _kind(item)
                    if _kind(item) == "group":
                        walk(item, sub, f"{path}.{key}.")

    walk(Scenario, (scenario or Scenario()).model_dump(mode="json"), "")
    return out


def _bracket(line: str) -> str:
    """``factors.1.path: ...`` -> ``factors[1].path: ...`` (list indices as in the YAML)."""
    head, sep, tail = line.partition(": ")
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", head) + sep + tail


def _problems(source: str, problems: list[str]) -> ScenarioError:
    noun = "problem" if len(problems) == 1 else "problems"
    return ScenarioError(f"{source}: {len(problems)} {noun}", problems)


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    return hint(word, choices)


def _override_problems(base: dict[str, Any], overrides: dict[str, Any]) -> list[str]:
    try:
        scenario_from_dict(deep_merge(base, overrides))
    except ScenarioError as exc:
        return exc.problems or [exc.message]
    return []


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


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


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sweep:
    """A validated sweep: the scenario it varies, its factors and its design points."""

    spec: SweepSpec
    scenario: Scenario  #: the base scenario, restricted to the chosen policies
    scenario_path: Path
    factors: tuple[Factor, ...]
    design: Design
    root_seed: int
    source: str = "sweep"
    raw: dict[str, Any] = field(default_factory=dict)  #: the sweep as given

    @property
    def kind(self) -> str:
        return self.spec.design

    @property
    def replications(self) -> int:
        return self.spec.replications

    @property
    def metrics(self) -> list[str]:
        return list(self.spec.metrics)

    @property
    def n_points(self) -> int:
        return len(self.design)

    @property
    def n_runs(self) -> int:
        """Replications to simulate: points x replications."""
        return self.n_points * self.replications

    def describe(self) -> str:
        """One line for the command line: design, factors, size and seed."""
        return (f"{self.kind} sweep of '{self.scenario.name}' over {', '.join(self.design.paths)}: "
                f"{self.n_points} points x {self.replications} replications = {self.n_runs} runs, seed {self.root_seed}")


def _resolve_scenario(ref: str, base_dir: Path) -> Path:
    candidate = base_dir / ref
    if candidate.is_file():
        return candidate
    try:
        return resolve_scenario_path(ref)
    except ScenarioError:
        raise ScenarioError(f"scenario: scenario file not found: {ref} (looked relative to {base_dir} "
                            "and among the presets)") from None


def _check_factors(spec: SweepSpec, known: dict[str, str], base: dict[str, Any]) -> tuple[list[str], list[Factor]]:
    problems: list[str] = []
    factors: list[Factor] = []
    ranged = spec.design != "grid"
    if not spec.factors:
        problems.append("factors: list at least one factor")
    seen: dict[str, int] = {}
    for i, fs in enumerate(spec.factors):
        where = f"factors[{i}]"
        before = len(problems)
        kind = known.get(fs.path)
        if kind is None:
            hint = _did_you_mean(fs.path, list(known)) or "; 'kinerja list --parameters' lists them"
            problems.append(f"{where}.path: unknown parameter {fs.path!r}{hint}")
        else:
            for other, j in seen.items():
                if other == fs.path:
                    problems.append(f"{where}.path: {fs.path!r} is already factors[{j}]")
                elif fs.path.startswith(other + ".") or other.startswith(fs.path + "."):
                    problems.append(f"{where}.path: {fs.path!r} overlaps factors[{j}] ({other!r}); vary one or the other")
            seen.setdefault(fs.path, i)
        if ranged:
            if fs.levels is not None:
                problems.append(f"{where}.levels: not used by design {spec.design!r}; give low and high")
            for key in ("low", "high"):
                if getattr(fs, key) is None:
                    problems.append(f"{where}.{key}: required for design {spec.design!r}")
            if kind is not None and kind not in ("int", "float"):
                problems.append(f"{where}.path: {fs.path!r} is not a number ({kind}); design {spec.design!r} "
                                "varies numbers only (use design: grid with levels)")
            if fs.low is not None and fs.high is not None:
                if not np.isfinite(fs.low) or not np.isfinite(fs.high):
                    problems.append(f"{where}.low, {where}.high: must be finite numbers")
                elif fs.low >= fs.high:
                    problems.append(f"{where}.low, {where}.high: low must be less than high, got low {fs.low:g} "
                                    f">= high {fs.high:g}")
                if kind == "int":
                    for key in ("low", "high"):
                        v = getattr(fs, key)
                        if np.isfinite(v) and v != int(v):
                            problems.append(f"{where}.{key}: {fs.path!r} is a whole number, got {v:g}")
            if len(problems) == before and kind is not None:
                for key in ("low", "high"):
                    v = getattr(fs, key)
                    v = int(v) if kind == "int" else v
                    problems += [f"{where}.{key}: {p}" for p in _override_problems(base, _nest(fs.path, v))]
        else:
            if fs.levels is None:
                problems.append(f"{where}.levels: required for design 'grid' (a non-empty list of values)")
            elif not fs.levels:
                problems.append(f"{where}.levels: must list at least one value")
            for key in ("low", "high"):
                if getattr(fs, key) is not None:
                    problems.append(f"{where}.{key}: not used by design 'grid'; give levels")
            for j, level in enumerate(fs.levels or []):
                if any(_same(level, other) for other in fs.levels[:j]):  # type: ignore[index]
                    problems.append(f"{where}.levels[{j}]: {level!r} is listed twice")
            if len(problems) == before and kind is not None:
                for j, level in enumerate(fs.levels or []):
                    problems += [f"{where}.levels[{j}]: {p}" for p in _override_problems(base, _nest(fs.path, level))]
        if len(problems) == before and kind is not None:
            factors.append(Factor(fs.path, kind, tuple(fs.levels or ()), fs.low, fs.high))
    return problems, factors


def _check_sizes(spec: SweepSpec) -> list[str]:
    n, kind = spec.samples, spec.design
    problems = []
    if kind == "grid":
        if n is not None:
            problems.append("samples: not used by design 'grid' (its size is the product of the factors' levels); remove it")
    elif n is None:
        what = {"lhs": "the number of points", "sobol": "the base sample size N, a power of 2",
                "morris": "the number of trajectories"}[kind]
        problems.append(f"samples: required for design {kind!r} ({what})")
    elif kind == "lhs" and n < 2:
        problems.append(f"samples: must be >= 2 for design 'lhs', got {n}")
    elif kind == "sobol" and (n < 2 or n & (n - 1)):
        lower = 1 << max(1, n.bit_length() - 1) if n >= 2 else 2
        hint = f"; try {lower} or {lower * 2}" if n >= 2 else "; try 2, 4, 8, ..."
        problems.append(f"samples: must be a power of 2 >= 2 for design 'sobol' (the balance of Sobol' "
                        f"sequences, SALib; the design has N x (factors + 2) points), got {n}{hint}")
    elif kind == "morris" and n < 2:
        problems.append(f"samples: must be >= 2 trajectories for design 'morris' (sigma needs two), got {n}")
    if "num_levels" in spec.model_fields_set:
        if kind != "morris":
            problems.append(f"num_levels: only used by design 'morris', not {kind!r}; remove it")
        elif spec.num_levels % 2:
            problems.append(f"num_levels: must be even (Morris 1991; SALib), got {spec.num_levels}")
    return problems


def sweep_from_dict(data: dict[str, Any], base_dir: str | Path = ".", source: str = "sweep") -> Sweep:
    """Validate a sweep mapping (as read from YAML) into a :class:`Sweep`, checking every point.

    Raises :class:`ScenarioError` with one line per problem, each naming the field.
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a sweep must be a mapping of keys to values, got {type(data).__name__}")
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise _problems(source, [_bracket(line) for line in format_validation_error(exc, SweepSpec)]) from None
    scenario_path = _resolve_scenario(spec.scenario, Path(base_dir))
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        raise ScenarioError(f"{source}: scenario: {exc.message}", exc.problems) from None

    problems: list[str] = []
    names = [p.name for p in scenario.policies]
    if spec.policies is not None:
        if not spec.policies:
            problems.append("policies: list at least one policy (or remove the key to keep them all)")
        for i, name in enumerate(spec.policies):
            if name not in names:
                problems.append(f"policies[{i}]: {name!r} is not a policy of scenario {scenario.name!r}"
                                f"{_did_you_mean(name, names) or '; it has ' + ', '.join(names)}")
            elif name in spec.policies[:i]:
                problems.append(f"policies[{i}]: {name!r} is listed twice")
    if not spec.metrics:
        problems.append("metrics: list at least one metric")
    for i, metric in enumerate(spec.metrics):
        if metric not in METRICS:
            problems.append(f"metrics[{i}]: unknown metric {metric!r}{_did_you_mean(metric, METRICS)}")
    if not problems and spec.policies:
        base = scenario.model_dump(mode="json")
        by_name = {p["name"]: p for p in base["policies"]}
        scenario = scenario_from_dict({**base, "policies": [by_name[n] for n in spec.policies]}, source=str(scenario_path))
    base = scenario.model_dump(mode="json")
    factor_problems, factors = _check_factors(spec, parameter_paths(scenario), base)
    problems += factor_problems + _check_sizes(spec)
    if problems:
        raise _problems(source, problems)

    root_seed = scenario.seed if spec.seed is None else spec.seed
    design = make_design(spec.design, tuple(factors), spec.samples, root_seed, spec.num_levels)
    for (name, overrides), row in zip(design.points, design.values):
        bad = _override_problems(base, overrides)
        if bad:
            where = ", ".join(f"{f.path}={v!r}" for f, v in zip(factors, row))
            raise ScenarioError(f"{source}: design point {name} ({where}) is not a valid scenario", bad)
    return Sweep(spec=spec, scenario=scenario, scenario_path=scenario_path, factors=tuple(factors), design=design,
                 root_seed=root_seed, source=source, raw=json.loads(json.dumps(data, default=str)))


def load_sweep(path: str | Path, *, seed: int | None = None, replications: int | None = None) -> Sweep:
    """Read and validate a sweep file (YAML); the scenario is resolved relative to the file.

    ``seed`` and ``replications``, when given, replace the file's values (command-line options).
    """
    path = Path(path)
    data = read_yaml_mapping(path, "sweep")
    if seed is not None:
        data["seed"] = seed
    if replications is not None:
        data["replications"] = replications
    return sweep_from_dict(data, base_dir=path.parent, source=str(path))


def design_points(sweep: Sweep) -> list[tuple[str, dict[str, Any]]]:
    """The sweep's design points as ``(name, overrides)`` pairs (``p0000``, ``p0001``, ...)."""
    return sweep.design.points


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


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Where a sweep's files went, with its design, summary and sensitivity indices.

    ``sensitivity`` is empty (with the right columns) for grid and lhs designs.
    """

    sweep: Sweep
    out_dir: Path
    experiment: ExperimentResult
    design: pd.DataFrame
    sensitivity: pd.DataFrame
    seconds: float

    @property
    def results_path(self) -> Path:
        return self.out_dir / "results.parquet"

    @property
    def design_path(self) -> Path:
        return self.out_dir / "design.csv"

    @property
    def summary_path(self) -> Path:
        return self.out_dir / "summary.csv"

    @property
    def sensitivity_path(self) -> Path | None:
        return self.out_dir / "sensitivity.csv" if self.sweep.kind in SENSITIVITY_COLUMNS else None

    def results(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every replication's metrics (read from ``results.parquet``)."""
        return self.experiment.results(columns)

    def to_frame(self) -> pd.DataFrame:
        """The summary (mean and 95% interval over replications) with each point's factor values."""
        return self.design.merge(self.experiment.summary(), on="variant", how="right")

    def summary(self) -> pd.DataFrame:
        """The headline table: sensitivity indices (sobol, morris), else the analysed metrics by point."""
        if self.sweep.kind in SENSITIVITY_COLUMNS:
            return self.sensitivity
        frame = self.to_frame()
        return frame[frame["metric"].isin(self.sweep.metrics)].reset_index(drop=True)

    def _repr_html_(self) -> str:
        from simulate.evidence import frame_html

        s = self.sweep
        title = (f"Sweep ({s.kind}) of '{s.scenario.name}': {s.n_points} points x {s.replications} replications, "
                 f"seed {s.root_seed} ({self.seconds:.1f} s)")
        note = "Factors: " + ", ".join(s.design.paths)
        return frame_html(title, self.summary().head(50), note)


def run_sweep(sweep: Sweep, out_dir: str | Path, *, executor: str = "local", workers: int | None = None,
              scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Run every design point x replication and write the sweep's files into ``out_dir``.

    Writes ``results.parquet`` (every replication, streamed), ``design.csv``, ``summary.csv`` and,
    for sobol and morris, ``sensitivity.csv``.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    experiment = run_experiment(sweep.scenario, sweep.replications, out_dir / "results.parquet", seed=sweep.root_seed,
                                executor=executor, workers=workers, scheduler=scheduler,
                                variants=sweep.design.points, progress=progress)
    design = sweep.design.frame()
    design.to_csv(out_dir / "design.csv", index=False)
    experiment.summary().to_csv(out_dir / "summary.csv", index=False)
    if sweep.kind in SENSITIVITY_COLUMNS:
        sensitivity = analyse_sensitivity(sweep.design, experiment.summary(), seed=_analysis_seed(sweep.root_seed),
                                          metrics=sweep.metrics)
        sensitivity.to_csv(out_dir / "sensitivity.csv", index=False)
    else:
        sensitivity = pd.DataFrame(columns=["metric", "policy", "period", "factor"])
    return SweepResult(sweep=sweep, out_dir=out_dir, experiment=experiment, design=design, sensitivity=sensitivity,
                       seconds=time.perf_counter() - started)


def sweep_command(path: str | Path | Sweep, out_root: str | Path = "reports", executor: str = "local",
                  workers: int | None = None, scheduler: str | None = None,
                  progress: Callable[[int, int], None] | None = None, command: list[str] | None = None,
                  *, seed: int | None = None, replications: int | None = None) -> Path:
    """Validate a sweep file, run it in a new run folder and return the folder's final path.

    Everything (file, scenario, factors, every design point, executor options) is checked
    before the folder ``<out_root>/sweep-<scenario>/<run-id>/`` is created; the folder appears
    only when complete (:class:`simulate.runs.RunFolder`). ``path`` may also be a loaded
    :class:`Sweep`; ``seed`` and ``replications`` override the file's (not a loaded sweep's).
    """
    from simulate.runs import RunFolder, manifest_base

    if isinstance(path, Sweep):
        if seed is not None or replications is not None:
            raise ValueError("seed, replications: give them to load_sweep when passing a loaded Sweep")
        sweep = path
    else:
        sweep = load_sweep(path, seed=seed, replications=replications)
    check_executor(executor, workers, scheduler)
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    t0 = time.perf_counter()
    with RunFolder(out_root, f"sweep-{sweep.scenario.name}") as run:
        result = run_sweep(sweep, run.path, executor=executor, workers=workers, scheduler=scheduler, progress=progress)
        run.write_json("manifest.json", {
            **manifest_base(command), "sweep_file": sweep.source, "sweep": sweep.raw,
            "scenario_file": os.path.normpath(sweep.scenario_path), "scenario": sweep.scenario.model_dump(mode="json"),
            "scenario_hash": scenario_hash(sweep.scenario),
            "design": {"kind": sweep.kind, "factors": [{"path": f.path, "kind": f.kind, "levels": list(f.levels) or None,
                                                        "low": f.low, "high": f.high} for f in sweep.factors],
                       "samples": sweep.spec.samples, "num_levels": sweep.spec.num_levels if sweep.kind == "morris" else None,
                       "n_points": sweep.n_points, "points": result.design.to_dict(orient="records")},
            "root_seed": sweep.root_seed, "replications": sweep.replications,
            "replication_seeds": replication_seeds(sweep.root_seed, sweep.replications),
            "design_seed": f"SeedSequence([{sweep.root_seed}, {_DESIGN_STREAM}])",
            "analysis_seed": _analysis_seed(sweep.root_seed) if sweep.kind in SENSITIVITY_COLUMNS else None,
            "metrics": sweep.metrics, "policies": [p.name for p in sweep.scenario.policies],
            "executor": executor, "workers": workers, "scheduler": scheduler, "rows": result.experiment.rows,
            "files": sorted(p.name for p in run.path.iterdir()) + ["manifest.json"],
            "started": started, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "experiment_seconds": round(result.experiment.seconds, 3), "seconds": round(time.perf_counter() - t0, 3),
        })
    return run.final_path
