"""Registries of named rules (scoring policies, reward schemes): one shape for every family.

A family registers entries by name at import time; YAML, the CLI and notebooks look them up by
name, with a did-you-mean for typos, and validate their parameters with the entry's own model.
"""

from __future__ import annotations

import importlib
from typing import Any, Generic, Iterator, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from simulate.errors import ScenarioError
from simulate.hints import hint
from simulate.validation import format_validation_error, prefix_problem, validate_cached

__all__ = ["Entry", "Registry"]


class Entry(Protocol):
    name: str
    params: type[BaseModel]


E = TypeVar("E", bound=Entry)


class Registry(Generic[E]):
    """Name -> entry, filled by importing ``package`` (whose modules register themselves)."""

    def __init__(self, kind: str, package: str):
        self.kind = kind
        self.package = package
        self._entries: dict[str, E] = {}

    def add(self, entry: E) -> None:
        if entry.name in self._entries:
            raise ValueError(f"{self.kind} {entry.name!r} registered twice")
        self._entries[entry.name] = entry

    def _load(self) -> None:
        importlib.import_module(self.package)

    def names(self) -> list[str]:
        self._load()
        return sorted(self._entries)

    def get(self, name: str) -> E:
        self._load()
        if name not in self._entries:
            extra = hint(name, self._entries, otherwise=f"; known: {', '.join(sorted(self._entries))}")
            raise ScenarioError(f"unknown {self.kind} {name!r}{extra}")
        return self._entries[name]

    def validate(self, name: str, params: dict[str, Any] | BaseModel | None, where: str = "params") -> BaseModel:
        """The entry's parameters, validated (and cached by value); errors name ``where.field``."""
        entry = self.get(name)
        if isinstance(params, entry.params):
            return params
        if isinstance(params, BaseModel):
            params = params.model_dump()
        try:
            return validate_cached(entry.params, params)
        except ValidationError as exc:
            lines = [prefix_problem(where, line) for line in format_validation_error(exc, entry.params)]
            raise ScenarioError(f"{self.kind} {name!r}: invalid parameters", lines) from None

    # dict-like access for existing callers
    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __getitem__(self, name: str) -> E:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
