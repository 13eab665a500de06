"""What every section of the scenario schema shares: :func:`param`, the base model and the kinds.

Every field is declared with :func:`param`; models forbid unknown keys, are frozen and validate
their defaults.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulate.validation import lists_as_tuples

__all__ = ["OPD_KINDS", "COUNTER_KINDS", "BEHAVIOUR_DIMENSIONS", "param"]

#: Kinds of perangkat daerah (OPD) the generator knows (DESIGN 3.1).
OPD_KINDS: tuple[str, ...] = ("dukcapil", "puskesmas", "pendidikan", "kecamatan", "back_office")
#: Kinds whose units serve citizens at a counter (queue, SKM survey, complaints).
COUNTER_KINDS: tuple[str, ...] = ("dukcapil", "puskesmas", "kecamatan")
#: The seven BerAKHLAK core values, the behaviour dimensions of PermenPANRB 6/2022.
BEHAVIOUR_DIMENSIONS: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


def param(
    default: Any = ...,
    description: str = "",
    unit: str = "",
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    source: str | None = None,
    default_factory: Any = None,
) -> Any:
    """Declare a scenario parameter with its description, unit, range and source."""
    extra: dict[str, Any] = {"unit": unit}
    if source:
        extra["source"] = source
    kwargs: dict[str, Any] = dict(
        description=description, ge=ge, le=le, gt=gt, lt=lt, json_schema_extra=extra
    )
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(default, **kwargs)


class _Params(BaseModel):
    # strict: no silent coercion (true is not 1, "5" is not 5); finite: no .nan or .inf
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _tuples_from_lists(cls, data: Any) -> Any:  # YAML has lists only; strict tuples would refuse them
        return lists_as_tuples(cls, data)

