"""Read scenario files: the file a name refers to, ``extends:`` inheritance and the schema.

The loader reads files and checks them against the :class:`~simulate.scenario.schema.Scenario`
schema only. Turning a file into a scenario a run can use (policy files expanded, each
policy's and reward scheme's own parameters checked) is :mod:`simulate.assemble`'s job.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulate.errors import ScenarioError
from simulate.resources import params_dir
from simulate.scenario.schema import Scenario
from simulate.validation import format_validation_error
from simulate.yamlio import check_path_length, deep_merge, load_with_extends

__all__ = ["read_scenario", "validate_scenario", "resolve_scenario_path", "scenario_hash"]


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """A path as given, else ``params/<name>.yaml`` (also under ``params/regions`` and ``params/presets``)."""
    check_path_length(name_or_path, "scenario file")
    path = Path(name_or_path)
    try:
        if path.is_file():
            return path
    except OSError as exc:
        raise ScenarioError(f"{name_or_path}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    if path.suffix == "" and path.parent == Path("."):
        for folder in (Path("params"), params_dir()):
            for sub in ("", "regions", "presets"):
                candidate = folder / sub / f"{path.name}.yaml"
                if candidate.is_file():
                    return candidate
    raise ScenarioError(f"{name_or_path}: scenario file not found")


def read_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> tuple[dict[str, Any], Path]:
    """The mapping a scenario file gives (``extends:`` merged, ``name`` defaulting to the file's
    stem, ``overrides`` merged last) and the file's path."""
    path = resolve_scenario_path(name_or_path)
    raw = load_with_extends(path)
    raw.setdefault("name", path.stem)
    if overrides:
        raw = deep_merge(raw, overrides)
    return raw, path


@lru_cache(maxsize=1)
def _default_dump() -> str:
    return json.dumps(Scenario().model_dump(mode="json"))


def _defaults() -> dict[str, Any]:
    return json.loads(_default_dump())


def validate_scenario(data: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a mapping against the :class:`Scenario` schema (one line per problem)."""
    # Merge over the defaults so a partial override of a mapping (one indicator's validity, one
    # service's arrival rate) keeps the other defaults; unknown keys survive the merge and fail.
    merged = deep_merge(_defaults(), data) if isinstance(data, dict) else data
    try:
        return Scenario.model_validate(merged)
    except ValidationError as exc:
        problems = format_validation_error(exc, Scenario)
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{source}: {len(problems)} {noun}", problems) from None


def scenario_hash(scenario: Scenario) -> str:
    """A stable SHA-256 of the validated scenario (recorded in every run's manifest)."""
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
