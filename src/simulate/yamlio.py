"""Reading parameter files: safe YAML, deep merges and ``extends:`` inheritance (one resolver).

YAML is loaded with ``yaml.safe_load`` only: parameters are data, never code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from simulate.errors import ScenarioError

__all__ = ["MAX_EXTENDS_DEPTH", "deep_merge", "read_yaml_mapping", "load_with_extends"]

#: Levels of ``extends:`` a file may stack.
MAX_EXTENDS_DEPTH = 10


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



def load_with_extends(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A YAML mapping with its ``extends:`` chain merged in (parents first, deep merge).

    ``extends:`` names a file relative to the one that says it; a cycle, a chain deeper than
    :data:`MAX_EXTENDS_DEPTH` or a missing parent is one :class:`ScenarioError`. The merged
    mapping keeps the child's ``extends`` value.
    """
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: extends: circular inheritance ({chain})")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: extends: more than {MAX_EXTENDS_DEPTH} levels of inheritance")
    data = read_yaml_mapping(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: must be a file path, got {parent!r}")
    parent_path = (path.parent / parent)
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {parent}")
    base = load_with_extends(parent_path, (*seen, path))
    merged = deep_merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["extends"] = parent
    return merged
