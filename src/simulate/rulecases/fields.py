"""The fields of a rule case: their types, defaults, choices and value checks."""

from __future__ import annotations

import math

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from simulate.predikat import PREDIKAT, REGULATION_NAMES
from simulate.rules import permenpanrb_2022, skm, tpp

# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input or output field: its type, whether it is required, a default and choices."""

    type: str
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        kind = (
            f"one of {', '.join(self.choices)}"
            if self.choices
            else _TYPE_TEXT.get(self.type, self.type)
        )
        if self.required:
            return kind
        return f"{kind} (optional, default {self.default!r})"


_TYPE_TEXT = {
    "count": "whole number from 0 to 1,000,000,000",
    "bool": "true/false",
    "text_list": "list of text",
    "predikat_list": "list of predikat names",
    "responses": "list of 9-answer lists (1-4; 0 or null = unanswered)",
    "aspect": "{target, realisation}",
    "counts": "mapping predikat name -> headcount",
    "numbers": "list of numbers",
    "band_counts": "list of 4 counts (bands 1-4)",
    "results": "list of {capaian, main}",
    "employees": "list of {predikat, score}",
}


class Rule(NamedTuple):
    """A rule: its function (keyword inputs -> dict of outputs), input and output schemas."""

    function: Callable[..., dict]
    inputs: dict[str, Field]
    outputs: dict[str, Field]
    description: str


def _opt(type_: str, default: Any, choices: tuple[str, ...] = ()) -> Field:
    return Field(type_, required=False, default=default, choices=choices)


def _enum(choices: tuple[str, ...]) -> Field:
    return Field("enum", choices=tuple(choices))


_PP46 = REGULATION_NAMES["pp46_2011"]
_PP30 = REGULATION_NAMES["pp30_2019"]
_ORG = permenpanrb_2022.ORG_PREDIKAT
_CREATIVITY = ("none", "unit_kerja", "organisasi", "negara")
_BAND_NAMES = ("on_time", "TL1", "TL2", "TL3", "TL4")


def _type_error(expected: str, value: Any) -> str:
    return f"expected {expected}, got {value!r}"


#: The largest magnitude of a number, and the largest count, a rule case may give: beyond every
#: quantity the rules deal with (percent, scores, rupiah, people), and far from float overflow.
MAX_NUMBER = 1e15
MAX_COUNT = 10**9


def _is_number(value: Any) -> bool:
    """A finite number of sensible size (not a boolean, not NaN or infinity)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and abs(value) <= MAX_NUMBER)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _check_responses(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return _type_error("a non-empty list of 9-answer lists", value)
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != skm.N_ELEMENTS:
            return f"respondent {i}: expected a list of {skm.N_ELEMENTS} answers, got {row!r}"
        for answer in row:
            if answer is not None and not (_is_count(answer) and answer <= 4):
                return (
                    f"respondent {i}: answers must be 1-4 (0 or null = unanswered), got {answer!r}"
                )
    return None


def _check_mapping(
    value: Any, keys: dict[str, Callable[[Any], bool]], what: str, required=True
) -> str | None:
    if not isinstance(value, dict):
        return _type_error(f"a mapping with {', '.join(keys)}", value)
    unknown = sorted(set(value) - set(keys))
    if unknown:
        return f"unknown key(s) {unknown}; allowed: {', '.join(keys)}"
    for key, ok in keys.items():
        if key not in value:
            if required:
                return f"missing key {key!r}"
            continue
        if not ok(value[key]):
            return f"{key}: {_type_error(what, value[key])}"
    return None


def _check_list(value: Any, item_check: Callable[[Any], str | None], what: str) -> str | None:
    if not isinstance(value, list) or not value:
        return _type_error(f"a non-empty list of {what}", value)
    for i, item in enumerate(value):
        problem = item_check(item)
        if problem:
            return f"item {i}: {problem}"
    return None


def _check_field(field: Field, value: Any) -> str | None:
    """A problem description when ``value`` does not fit ``field``, else None."""
    t = field.type
    if t == "number":
        return None if _is_number(value) else _type_error(f"a number (finite, at most {MAX_NUMBER:g} in size)", value)
    if t == "count":
        return None if _is_count(value) else _type_error(f"a whole number from 0 to {MAX_COUNT:,}", value)
    if t == "bool":
        return None if isinstance(value, bool) else _type_error("true or false", value)
    if t == "enum":
        return (
            None
            if value in field.choices
            else _type_error(f"one of {', '.join(field.choices)}", value)
        )
    if t == "text_list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else _type_error("a list of text", value)
    if t == "predikat_list":
        ok = isinstance(value, list) and all(v in PREDIKAT for v in value)
        return None if ok else _type_error(f"a list of {', '.join(PREDIKAT)}", value)
    if t == "responses":
        return _check_responses(value)
    if t == "aspect":
        return _check_mapping(value, {"target": _is_number, "realisation": _is_number}, "a number")
    if t == "counts":
        return _check_mapping(
            value, {name: _is_count for name in PREDIKAT}, f"a whole number from 0 to {MAX_COUNT:,}", required=False
        )
    if t == "numbers":
        return _check_list(
            value, lambda v: None if _is_number(v) else _type_error("a number", v), "numbers"
        )
    if t == "band_counts":
        ok = (
            isinstance(value, list) and len(value) == tpp.BANDS and all(_is_count(v) for v in value)
        )
        return None if ok else _type_error(f"a list of {tpp.BANDS} whole numbers from 0 to {MAX_COUNT:,}", value)
    if t == "results":
        keys = {"capaian": _is_number, "main": lambda v: isinstance(v, bool)}
        return _check_list(
            value, lambda v: _check_mapping(v, keys, "capaian a number, main true/false"), "results"
        )
    if t == "employees":
        keys = {"predikat": lambda v: v in PREDIKAT, "score": _is_number}
        return _check_list(
            value, lambda v: _check_mapping(v, keys, "predikat name / score number"), "employees"
        )
    raise ValueError(f"rulecases: unknown field type {t!r}")  # a bug in RULES, not user input


