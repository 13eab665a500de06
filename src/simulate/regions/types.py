"""What a regional case is made of: variants, arms, claims and the region that holds them.

These are the in-memory form of a case file ``params/regions/cases/<key>.yaml``
(:mod:`simulate.regions.load` reads and validates the file into them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from simulate.report import LANGS, check_language
from simulate.resources import params_dir

__all__ = ["BASE", "Arm", "Claim", "PeriodSpec", "Region", "Side", "Variant"]

#: One side of a claim: an arm key, the difference of two arms ``(a, b)`` (a minus b), a number
#: (a threshold such as 16 working hours) or nothing (0).
Side = str | tuple[str, str] | float | int | None
#: Where a claim is read: ``first``, ``last``, a period index, ``mean`` over periods, ``trend``
#: (last minus first) or ``steps`` (every period-to-period change).
PeriodSpec = int | Literal["first", "last", "mean", "trend", "steps"]

BASE = "dasar"  #: the variant that is the preset as written


@dataclass(frozen=True)
class Variant:
    """A named scenario override run beside the preset (the first variant is the preset itself)."""

    key: str
    overrides: dict[str, Any]
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Arm:
    """One policy of the preset under one variant: what the figures and claims compare."""

    key: str
    policy: str
    variant: str
    label_id: str
    label_en: str

    def label(self, lang: str) -> str:
        return (self.label_id, self.label_en)[LANGS.index(check_language(lang))]


@dataclass(frozen=True)
class Claim:
    """One sentence of a seed article as a number per replication (see :mod:`simulate.regions.claims`)."""

    key: str
    label_id: str
    label_en: str
    text_id: str
    text_en: str
    metric: str
    compare: Side
    against: Side = None
    period: PeriodSpec = "last"
    expected: Literal["higher", "lower"] = "higher"
    subset: str = ""  #: population the metric is computed on, when not everybody (documentation)
    #: When the claim holds by construction of a parameter the case sets (an assumption of the
    #: model, not a finding that emerges from it): which parameter, in Bahasa Indonesia and English.
    assumption_id: str = ""
    assumption_en: str = ""

    @property
    def basis(self) -> str:
        """``'assumption'`` when a parameter makes the claim hold, else ``'finding'``."""
        return "assumption" if self.assumption_id else "finding"

    def assumption(self, lang: str) -> str:
        return (self.assumption_id, self.assumption_en)[LANGS.index(check_language(lang))]

    def text(self, lang: str) -> str:
        return (self.text_id, self.text_en)[LANGS.index(check_language(lang))]

    def label(self, lang: str) -> str:
        return (self.label_id, self.label_en)[LANGS.index(check_language(lang))]


@dataclass(frozen=True)
class Region:
    """A seed article's region: its preset, variants, arms and claims."""

    key: str
    name: str
    preset: str  #: file name under params/regions/
    article: str  #: seed file under shared/seeds/
    mechanism_id: str
    mechanism_en: str
    variants: tuple[Variant, ...]
    arms: tuple[Arm, ...]
    claims: tuple[Claim, ...]

    def mechanism(self, lang: str) -> str:
        return (self.mechanism_id, self.mechanism_en)[LANGS.index(check_language(lang))]

    def arm(self, key: str) -> Arm:
        for a in self.arms:
            if a.key == key:
                return a
        raise KeyError(f"{self.key}: no arm {key!r}; arms: {', '.join(a.key for a in self.arms)}")

    @property
    def path(self) -> Path:
        """The preset this case runs."""
        return params_dir() / "regions" / self.preset

    def variant_list(self) -> list[tuple[str, dict[str, Any]]]:
        return [(v.key, v.overrides) for v in self.variants]

    def figure_metrics(self) -> list[str]:
        """Metrics of the claims, in order of first appearance."""
        return list(dict.fromkeys(c.metric for c in self.claims))
