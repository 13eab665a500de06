"""Load scenario files: safe YAML, ``extends:`` inheritance, and errors a person can act on."""

from __future__ import annotations

import difflib
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulate.errors import ScenarioError
from simulate.scenario.schema import Scenario

__all__ = [
    "load_scenario",
    "scenario_from_dict",
    "resolve_scenario_path",
    "format_validation_error",
    "scenario_hash",
    "deep_merge",
    "params_dir",
]

_MAX_EXTENDS_DEPTH = 10


def params_dir() -> Path:
    """The repository's ``params/`` folder (scenario presets)."""
    return Path(__file__).resolve().parents[3] / "params"


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A path as given, else ``params/<name>.yaml`` (also under ``params/regions`` and ``params/presets``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.suffix == "" and path.parent == Path("."):
        for folder in (Path("params"), params_dir()):
            for sub in ("", "regions", "presets"):
                candidate = folder / sub / f"{path.name}.yaml"
                if candidate.is_file():
                    return candidate
    raise ScenarioError(f"{name_or_path}: scenario file not found")


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base``: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def read_yaml_mapping(path: Path, what: str = "scenario") -> dict[str, Any]:
    """Read a YAML file safely into a mapping; every failure is one :class:`ScenarioError` line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.__class__.__name__}: {exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: malformed YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a {what} must be a mapping of keys to values, got {type(data).__name__}")
    return data



def _load_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: extends: circular inheritance ({chain})")
    if len(seen) >= _MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: extends: more than {_MAX_EXTENDS_DEPTH} levels of inheritance")
    data = read_yaml_mapping(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: must be a file path, got {parent!r}")
    parent_path = (path.parent / parent)
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {parent}")
    base = _load_raw(parent_path, (*seen, path))
    merged = deep_merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["extends"] = parent
    return merged


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load and validate a scenario file (following ``extends:``), with optional overrides.

    Raises :class:`ScenarioError` with one line per problem for anything invalid.
    """
    path = resolve_scenario_path(name_or_path)
    raw = _load_raw(path)
    raw.setdefault("name", path.stem)
    if overrides:
        raw = deep_merge(raw, overrides)
    raw = expand_policy_files(raw, path.parent, source=str(path))
    return scenario_from_dict(raw, source=str(path))


def _find_policy_file(ref: str, base_dir: Path) -> Path | None:
    candidates = [base_dir / ref, Path(ref), params_dir() / "policies" / ref, params_dir() / "policies" / f"{ref}.yaml"]
    return next((c for c in candidates if c.is_file()), None)


def expand_policy_files(data: dict[str, Any], base_dir: Path, source: str = "scenario") -> dict[str, Any]:
    """Replace ``policies: [{file: x.yaml, ...}]`` entries by the policy the file defines.

    ``file`` is resolved relative to the scenario file, then under ``params/policies/`` (a bare
    name such as ``jambi_objective`` works). Keys given beside ``file`` (``name``, ``label``,
    ``params``) override the file's.
    """
    policies = data.get("policies")
    if not isinstance(policies, list) or not any(isinstance(p, dict) and "file" in p for p in policies):
        return data
    from simulate.policies.composed import load_policy_file

    out, problems = [], []
    for i, entry in enumerate(policies):
        if not (isinstance(entry, dict) and "file" in entry):
            out.append(entry)
            continue
        path = _find_policy_file(str(entry["file"]), base_dir)
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
                               "params": params.model_dump(mode="json")}, extra))
    if problems:
        raise ScenarioError(f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''}", problems)
    return {**data, "policies": out}


@lru_cache(maxsize=1)
def _default_dump() -> str:
    return json.dumps(Scenario().model_dump(mode="json"))


def _defaults() -> dict[str, Any]:
    return json.loads(_default_dump())


def scenario_from_dict(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a mapping into a :class:`Scenario`."""
    # Merge over the defaults so a partial override of a mapping (one indicator's validity, one
    # service's arrival rate) keeps the other defaults; unknown keys survive the merge and fail.
    merged = deep_merge(_defaults(), data) if isinstance(data, dict) else data
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as exc:
        problems = format_validation_error(exc, Scenario)
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{source}: {len(problems)} {noun}", problems) from None
    problems = _check_rule_params(scenario)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{source}: {len(problems)} {noun}", problems)
    return scenario


def _check_rule_params(scenario: Scenario) -> list[str]:
    """Validate each policy's and reward scheme's parameters with the rule's own schema."""
    from simulate.policies.base import validate_policy_params

    problems: list[str] = []
    for i, spec in enumerate(scenario.policies):
        try:
            validate_policy_params(spec.rule, spec.params, where=f"policies[{i}].params")
        except ScenarioError as exc:
            problems += exc.problems or [f"policies[{i}].policy: {exc.message}"]
    try:
        from simulate.rewards.base import validate_reward_params
    except ImportError:  # reward schemes not installed in this build
        return problems
    for i, spec in enumerate(scenario.rewards):
        try:
            validate_reward_params(spec.rule, spec.params, where=f"rewards[{i}].params")
        except ScenarioError as exc:
            problems += exc.problems or [f"rewards[{i}].scheme: {exc.message}"]
    return problems


# --------------------------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------------------------

_TYPE_WORDS = {
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "dict_type": "a mapping (key: value)",
    "list_type": "a list", "model_type": "a mapping (key: value)", "model_attributes_type": "a mapping (key: value)",
}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc[:-1]:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            # inside a dict of models: the key is free, the value is the model
            continue
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            current = ann
        elif args and isinstance(args[-1], type) and issubclass(args[-1], BaseModel):
            current = args[-1]
        else:
            return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _fmt_value(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (dict, list)):
        text = json.dumps(value, default=str)
        return text if len(text) <= 60 else text[:57] + "..."
    return str(value)


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One readable line per problem: ``field.path: what is allowed, got X``."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        path = ".".join(str(p) for p in loc)
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        got = err.get("input")
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            hint = ""
            if owner is not None:
                close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=1, cutoff=0.5)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(owner.model_fields)}"
            lines.append(f"{path}: unknown key{hint}")
        elif kind == "missing":
            lines.append(f"{path}: required")
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
            bound = next(iter(v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")), "?")
            lines.append(f"{path}: must be {op} {bound}, got {_fmt_value(got)}")
        elif kind in _TYPE_WORDS:
            lines.append(f"{path}: must be {_TYPE_WORDS[kind]}, got {_fmt_value(got)}")
        elif kind == "literal_error":
            lines.append(f"{path}: must be one of {ctx.get('expected', '?')}, got {_fmt_value(got)}")
        elif kind == "value_error":
            msg = str(ctx.get("error", err.get("msg", "")))
            # Validators name their field first ("opd_mix: ..."); prefix the owner's path.
            prefix = f"{path}." if path else ""
            lines.append(f"{prefix}{msg}" if ":" in msg.split(" ")[0] or ", " in msg.split(":")[0] else f"{path}: {msg}")
        else:
            lines.append(f"{path}: {err.get('msg', 'invalid')}, got {_fmt_value(got)}")
    return lines


@lru_cache(maxsize=512)
def _validate_json(model: type[BaseModel], key: str) -> BaseModel:
    return model.model_validate(json.loads(key))


def validate_cached(model: type[BaseModel], params: dict[str, Any] | None) -> BaseModel:
    """``model.model_validate(params)``, cached by the parameters' JSON (models are frozen).

    Policies and reward schemes are applied thousands of times with the same parameters in an
    experiment; validating once per distinct setting keeps that cheap.
    """
    try:
        key = json.dumps(params or {}, sort_keys=True)
    except TypeError:  # not JSON-able (e.g. arrays): validate directly
        return model.model_validate(params or {})
    return _validate_json(model, key)


def scenario_hash(scenario: Scenario) -> str:
    """A stable SHA-256 of the validated scenario (recorded in every run's manifest)."""
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
