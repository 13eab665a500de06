"""Validation messages a person can act on: one line per problem, naming the field path.

Pydantic's errors become ``field.path: what is allowed, got X`` (with the closest valid name for
an unknown key); parameters of rules applied thousands of times are validated once per distinct
value (:func:`validate_cached`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from simulate.hints import hint

__all__ = ["format_validation_error", "validate_cached"]


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
        path = ".".join(str(p) for p in loc)
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
