"""Validation messages a person can act on: one line per problem, naming the field path.

Pydantic's errors become ``field.path: what is allowed, got X`` (with the closest valid name for
an unknown key); parameters of rules applied thousands of times are validated once per distinct
value (:func:`validate_cached`). Field paths write list indices as ``[i]`` (:func:`field_path`),
and a path is joined onto a message that names its own field with a dot, onto any other message
with ``": "`` (:func:`prefix_problem`): the path and the message stay separate. Shares and weights
that must add up to 1 are checked by one helper (:func:`sum_problem`).
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from simulate.hints import hint

__all__ = ["format_validation_error", "validate_cached", "field_path", "prefix_problem", "sum_problem", "lists_as_tuples",
           "SUM_TOLERANCE", "OBSERVED_SUM_TOLERANCE"]

#: How far shares or weights that must add up to 1 may be from 1 (rounding of written decimals).
SUM_TOLERANCE = 1e-6
#: The same for shares estimated from data and written rounded (``raters.observed``).
OBSERVED_SUM_TOLERANCE = 0.01

# A field path: names (letters, digits, '_', '-') joined by '.', list indices as [i]; a message
# may start with several, separated by ', ' ("low, high: ...").
_SEGMENT = r"[A-Za-z_][\w\-]*(?:\[\d+\])*"
_PATH = rf"{_SEGMENT}(?:\.{_SEGMENT})*"
_HEAD = re.compile(rf"^{_PATH}(?:, {_PATH})*$")


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("policies", 0, "params")`` -> ``policies[0].params`` (list indices as in the YAML)."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def prefix_problem(prefix: str, problem: str) -> str:
    """``problem`` about a field under ``prefix``: ``prefix.field: msg`` when the problem names its
    field (``field: msg``), else ``prefix: msg`` -- never ``prefix.msg``."""
    if not prefix:
        return problem
    if problem.startswith("["):
        return prefix + problem
    head, sep, tail = problem.partition(": ")
    if sep and _HEAD.match(head):
        return ", ".join(f"{prefix}{'' if h.startswith('[') else '.'}{h}" for h in head.split(", ")) + sep + tail
    if problem.startswith(": "):
        return prefix + problem
    return f"{prefix}: {problem}"


def sum_problem(field: str, values: Any, tolerance: float = SUM_TOLERANCE, noun: str = "") -> str | None:
    """The problem when ``values`` (numbers, or a mapping of them) do not add up to 1, else None.

    ``field`` is the path the message names ("" inside a model's own validator, whose location
    pydantic gives: the mapping's keys are then listed, ``(ikm + complaints + rating)``); ``noun``
    says what is added (``"shares"``, ``"weights"``). A sum that is not finite is a problem too
    (``abs(nan - 1) > tol`` is false, so the test is written the other way round).
    """
    numbers = list(values.values()) if isinstance(values, dict) else list(values)
    total = math.fsum(float(v) for v in numbers)
    if abs(total - 1.0) <= tolerance:
        return None
    what = f"{noun} " if noun else ""
    terms = f" ({' + '.join(values)})" if isinstance(values, dict) and not field else ""
    return f"{field + ': ' if field else ''}{what}must sum to 1{terms}; the sum is {total:.6g}"


_TYPE_WORDS = {
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "dict_type": "a mapping (key: value)",
    "list_type": "a list", "finite_number": "a finite number (not .nan or .inf)", "model_type": "a mapping (key: value)", "model_attributes_type": "a mapping (key: value)",
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
        path = field_path(loc)
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        got = err.get("input")
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            extra = ""
            if owner is not None:
                extra = hint(str(loc[-1]), owner.model_fields, cutoff=0.5,
                             otherwise=f"; allowed: {', '.join(owner.model_fields)}")
            lines.append(f"{path}: unknown key{extra}")
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
            # Validators of a model name their field first ("opd_mix: ..."): the owner's path goes
            # before it; a field's own validator says only what is wrong ("reference table ...").
            lines.append(prefix_problem(path, msg) if path else msg)
        else:
            lines.append(f"{path}: {err.get('msg', 'invalid')}, got {_fmt_value(got)}")
    return lines


def _is_tuple(annotation: Any) -> bool:
    """A tuple type, or an optional / union one that admits a tuple."""
    origin = typing.get_origin(annotation)
    if annotation is tuple or origin is tuple:
        return True
    return origin in (typing.Union, types.UnionType) and any(_is_tuple(a) for a in typing.get_args(annotation))


@lru_cache(maxsize=None)
def _tuple_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, f in model.model_fields.items() if _is_tuple(f.annotation))


def lists_as_tuples(model: type[BaseModel], data: Any) -> Any:
    """``data`` with a list given for a tuple-typed field of ``model`` turned into a tuple.

    YAML and JSON have lists only; strict models (no silent coercion) would refuse a list where
    the field is a tuple. Call it from a ``model_validator(mode="before")``.
    """
    names = _tuple_fields(model) if isinstance(data, dict) else ()
    if not any(isinstance(data.get(n), list) for n in names):
        return data
    return {**data, **{n: tuple(data[n]) for n in names if isinstance(data.get(n), list)}}


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
