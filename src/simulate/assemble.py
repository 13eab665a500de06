"""Assemble a scenario a run can use: the file, its policy files and every rule's parameters.

:mod:`simulate.scenario.loader` reads files and checks the scenario schema; this module, above
the policies and reward schemes, expands ``policies: [{file: ...}]`` entries and checks each
policy's and reward scheme's own parameters, so that ``kinerja validate`` refuses what a run
would. Every caller that turns a file or a mapping into a scenario goes through
:func:`load_scenario` or :func:`scenario_from_dict`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulate.errors import ScenarioError
from simulate.paths import check_inside, is_allowed, scenario_folder
from simulate.policies import validate_policy_params
from simulate.policies.composed import load_policy_file
from simulate.rewards import validate_reward_params
from simulate.resources import params_dir
from simulate.scenario.loader import read_scenario, validate_scenario
from simulate.scenario.schema import Scenario
from simulate.yamlio import deep_merge, read_yaml_mapping

__all__ = ["load_scenario", "scenario_from_dict", "expand_policy_files", "rule_problems"]


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a scenario file (following ``extends:``), with optional overrides, fully checked.

    Raises :class:`ScenarioError` with one line per problem for anything invalid.
    """
    raw, path = read_scenario(name_or_path, overrides)
    with scenario_folder(path.resolve().parent):  # the tables its rules name may lie beside it
        raw = expand_policy_files(raw, path.parent, source=str(path))
        return scenario_from_dict(raw, source=str(path))


def scenario_from_dict(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a mapping into a :class:`Scenario`: the schema, then every rule's parameters."""
    scenario = validate_scenario(data, source)
    problems = rule_problems(scenario)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{source}: {len(problems)} {noun}", problems)
    return scenario


def _find_policy_file(ref: str, base_dir: Path, field: str) -> Path | None:
    """The first candidate inside the allowed folders (:mod:`simulate.paths`) that is a file;
    a candidate outside them that exists is refused by name (and never read)."""
    candidates = [base_dir / ref, Path(ref), params_dir() / "policies" / ref, params_dir() / "policies" / f"{ref}.yaml"]
    inside = [c for c in candidates if is_allowed(c, base_dir)]
    found = next((c for c in inside if c.is_file()), None)
    if found is None:
        for outside in (c for c in candidates if c not in inside and c.is_file()):
            check_inside(outside, field, base_dir, shown=ref)
    return found


def expand_policy_files(data: dict[str, Any], base_dir: Path, source: str = "scenario") -> dict[str, Any]:
    """Replace ``policies: [{file: x.yaml, ...}]`` entries by the policy the file defines.

    ``file`` is resolved relative to the scenario file, then under ``params/policies/`` (a bare
    name such as ``jambi_objective`` works). Keys given beside ``file`` (``name``, ``label``,
    ``params``) override the file's.
    """
    policies = data.get("policies")
    if not isinstance(policies, list) or not any(isinstance(p, dict) and "file" in p for p in policies):
        return data
    out, problems = [], []
    for i, entry in enumerate(policies):
        if not (isinstance(entry, dict) and "file" in entry):
            out.append(entry)
            continue
        try:
            path = _find_policy_file(str(entry["file"]), base_dir, f"policies[{i}].file")
        except ScenarioError as exc:
            problems.append(exc.message)
            continue
        if path is None:
            problems.append(f"policies[{i}].file: policy file not found: {entry['file']}")
            continue
        try:
            name, rule, params = load_policy_file(path)
        except ScenarioError as exc:
            problems += [f"policies[{i}].file ({path.name}): {line}" for line in (exc.problems or [exc.message])]
            continue
        raw = read_yaml_mapping(path, "policy")
        extra = {k: v for k, v in entry.items() if k != "file"}
        out.append(deep_merge({"name": name, "policy": rule, "label": raw.get("label"),
                               "label_en": raw.get("label_en"), "params": params.model_dump(mode="json")}, extra))
    if problems:
        raise ScenarioError(f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''}", problems)
    return {**data, "policies": out}


def rule_problems(scenario: Scenario) -> list[str]:
    """Each policy's and reward scheme's parameters checked with the rule's own schema."""
    problems: list[str] = []
    for i, spec in enumerate(scenario.policies):
        try:
            validate_policy_params(spec.rule, spec.params, where=f"policies[{i}].params")
        except ScenarioError as exc:
            problems += exc.problems or [f"policies[{i}].policy: {exc.message}"]
    schemes = [(f"rewards[{i}]", spec) for i, spec in enumerate(scenario.rewards)]
    schemes += [(f"policies[{i}].rewards[{j}]", r) for i, p in enumerate(scenario.policies) for j, r in enumerate(p.rewards or [])]
    for where, spec in schemes:
        try:
            validate_reward_params(spec.rule, spec.params, where=f"{where}.params")
        except ScenarioError as exc:
            problems += exc.problems or [f"{where}.scheme: {exc.message}"]
    return problems
