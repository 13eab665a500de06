"""The sweep file: its schema, the factors and the scenario parameters a sweep may vary."""

from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulate.assemble import scenario_from_dict
from simulate.errors import ScenarioError
from simulate.hints import hint
from simulate.scenario.schema import Scenario
from simulate.yamlio import deep_merge

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

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # no silent coercion (true is not 1)

    path: str = Field(description="Dotted scenario parameter path, e.g. raters.supervisor.leniency_sd.")
    levels: list[Any] | None = Field(None, description="Values to try (design grid).")
    low: float | None = Field(None, description="Lower bound (designs lhs, sobol, morris).")
    high: float | None = Field(None, description="Upper bound (designs lhs, sobol, morris).")


class SweepSpec(BaseModel):
    """A sweep file as written (structure and types only; :func:`sweep_from_dict` checks the rest)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # no silent coercion (true is not 1)

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

