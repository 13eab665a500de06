"""Loading and validating a sweep file; the design points as scenario variants."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from simulate.assemble import load_scenario, scenario_from_dict
from simulate.errors import ScenarioError
from simulate.paths import check_inside, is_allowed
from simulate.metrics.core import ALL_METRICS
from simulate.metrics.indicators import INDICATOR_METRICS, indicator_metric_names
from simulate.replication import scheme_cost_names
from simulate.scenario.loader import resolve_scenario_path
from simulate.scenario.schema import Scenario
from simulate.sweep.design import Design, make_design
from simulate.sweep.spec import (
    Factor,
    SweepSpec,
    _bracket,
    _did_you_mean,
    _nest,
    _override_problems,
    _problems,
    _same,
    parameter_paths,
)
from simulate.validation import format_validation_error, prefix_problem
from simulate.yamlio import read_yaml_mapping

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
    """The sweep's scenario: a file relative to the sweep file, else a path or a preset name, inside
    the allowed folders (:mod:`simulate.paths`: the sweep's folder, the presets, ``--allow-path``)."""
    candidate = base_dir / ref
    if is_allowed(candidate, base_dir) and candidate.is_file():
        return candidate
    try:
        found = resolve_scenario_path(ref)
    except ScenarioError:
        if not is_allowed(candidate, base_dir) and candidate.is_file():
            check_inside(candidate, "scenario", base_dir, shown=ref)
        raise ScenarioError(f"scenario: scenario file not found: {ref} (looked relative to {base_dir} "
                            "and among the presets)") from None
    preset = Path(ref).suffix == "" and Path(ref).parent == Path(".") and not Path(ref).is_file()
    if not preset:  # a preset name finds params/<name>.yaml only; a path must lie inside
        check_inside(found, "scenario", base_dir, shown=ref)
    return found


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
                    problems += [prefix_problem(f"{where}.{key}", p) for p in _override_problems(base, _nest(fs.path, v))]
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
                    problems += [prefix_problem(f"{where}.levels[{j}]", p)
                                 for p in _override_problems(base, _nest(fs.path, level))]
        if len(problems) == before and kind is not None:
            factors.append(Factor(fs.path, kind, tuple(fs.levels or ()), fs.low, fs.high))
    return problems, factors


#: Most design points a sweep may have (each point is validated and run as a scenario variant).
MAX_DESIGN_POINTS = 10_000


def design_size(spec: SweepSpec, factors: list[Any]) -> int:
    """Points the design will have, computed before it is drawn (``factors``: specs or checked factors)."""
    k = len(factors)
    if spec.design == "grid":
        return math.prod(len(f.levels or ()) for f in factors)
    n = spec.samples or 0
    return {"lhs": n, "sobol": n * (k + 2), "morris": n * (k + 1)}[spec.design]


def _check_design_size(spec: SweepSpec, factors: list[Factor]) -> list[str]:
    n = design_size(spec, factors)
    if n <= MAX_DESIGN_POINTS:
        return []
    where = "factors[].levels" if spec.design == "grid" else "samples"
    runs = n * spec.replications
    return [f"{where}: design {spec.design!r} would have {n:,} points x {spec.replications:,} replications = "
            f"{runs:,} runs; at most {MAX_DESIGN_POINTS:,} points"]


def check_sweep_budget(sweep: "Sweep", workers: int = 1, force: bool = False) -> None:
    """Refuse a sweep estimated beyond the budget (:mod:`simulate.budget`) unless ``force``."""
    from simulate.budget import check_budget, estimate_work

    base = sweep.scenario
    arms = max(1, len(base.policies))
    points = []
    for _, overrides in sweep.design.points:
        n = (overrides.get("population") or {}).get("n_employees", base.population.n_employees)
        p = (overrides.get("dynamics") or {}).get("periods", base.dynamics.periods)
        points.append((int(n), int(p), arms))
    check_budget(estimate_work(points, sweep.replications, workers), force, "--replications (and the design's size)")


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
    allowed = list(ALL_METRICS) + indicator_metric_names(scenario.work.indicators) + scheme_cost_names(scenario)
    for i, metric in enumerate(spec.metrics):
        if metric not in allowed:
            problems.append(f"metrics[{i}]: unknown metric {metric!r}{_did_you_mean(metric, allowed)}; allowed: "
                            f"{', '.join(ALL_METRICS)}, and per indicator {', '.join(INDICATOR_METRICS)} as "
                            f"<metric>.<indicator> (e.g. indicator_validity.{next(iter(scenario.work.indicators), 'x')})")
    if not problems and spec.policies:
        base = scenario.model_dump(mode="json")
        by_name = {p["name"]: p for p in base["policies"]}
        scenario = scenario_from_dict({**base, "policies": [by_name[n] for n in spec.policies]}, source=str(scenario_path))
    base = scenario.model_dump(mode="json")
    too_big = _check_design_size(spec, list(spec.factors))  # before each level is checked against the scenario
    if too_big:
        raise _problems(source, problems + too_big)
    factor_problems, factors = _check_factors(spec, parameter_paths(scenario), base)
    problems += factor_problems + _check_sizes(spec)
    if not problems:
        problems += _check_design_size(spec, factors)
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

