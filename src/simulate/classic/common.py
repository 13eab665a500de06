"""What the classic models share: factors set from the command line, block seeds, tables.

A *factor* is one input of a model with its default levels (a model runs every combination of
its factors' levels, the published design); ``--set key=value`` replaces one factor's levels
(``--set turnover=0.1`` runs that level only; ``--set turnover=0,0.2`` two levels).

Random numbers (SPEC 7, DESIGN section 4): the root seed's :class:`numpy.random.SeedSequence` is
spawned into one child per *block* of simulated units (organisations, simulations, groups),
always in the same order, so a unit's numbers depend on the seed, its condition and its
position only: never on how many units are run after it, nor on how the work is chunked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from scipy.special import ndtri

from simulate.errors import UserError

__all__ = [
    "Factor",
    "ClassicModel",
    "apply_sets",
    "block_generators",
    "format_table",
    "best_of_applicants",
]


@dataclass(frozen=True)
class Factor:
    """One input of a classic model.

    Parameters
    ----------
    name : str
        The key of ``--set`` and of the JSON output.
    default : tuple
        The levels run by default (one level = a fixed setting).
    kind : str
        ``share`` (a number in the open interval 0-1), ``unit`` (0 to 1 inclusive), ``count``
        (a whole number >= 1), ``positive`` (a number > 0), ``choice`` (one of ``choices``).
    description : str
        What the factor is, in plain words.
    low, high : float
        Bounds for ``count`` (inclusive) where a model has them.
    choices : tuple of str
        Allowed values of a ``choice`` factor.
    single : bool
        Whether the factor takes one value only (a structural setting, not a design factor).
    """

    name: str
    default: tuple
    kind: str
    description: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    single: bool = False

    def allowed(self) -> str:
        if self.kind == "share":
            return "a number strictly between 0 and 1"
        if self.kind == "unit":
            return "a number from 0 to 1"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "positive":
            return "a number > 0"
        lo = 1 if self.low is None else int(self.low)
        return f"a whole number >= {lo}" + ("" if self.high is None else f" and <= {int(self.high)}")

    def parse(self, text: str) -> tuple:
        """The levels in ``text`` (comma-separated), checked; a :class:`UserError` otherwise."""
        parts = [p.strip() for p in text.split(",")]
        if not parts or any(p == "" for p in parts):
            raise UserError(f"--set {self.name}: give one value or several separated by commas; "
                            f"each must be {self.allowed()}")
        if self.single and len(parts) > 1:
            raise UserError(f"--set {self.name}: takes one value ({self.description}), got {len(parts)}")
        return tuple(self._one(p) for p in parts)

    def _one(self, text: str):
        bad = UserError(f"--set {self.name}={text}: must be {self.allowed()} ({self.description})")
        if self.kind == "choice":
            if text not in self.choices:
                raise bad
            return text
        try:
            value = float(text)
        except ValueError:
            raise bad from None
        if not math.isfinite(value):
            raise bad
        if self.kind == "share" and not 0 < value < 1:
            raise bad
        if self.kind == "unit" and not 0 <= value <= 1:
            raise bad
        if self.kind == "positive" and not value > 0:
            raise bad
        if self.kind == "count":
            lo = 1 if self.low is None else self.low
            if value != int(value) or value < lo or (self.high is not None and value > self.high):
                raise bad
            return int(value)
        return value


@dataclass(frozen=True)
class ClassicModel:
    """A registered classic model: the same shape for every member (STYLE: a registry is a dict).

    ``run(factors, size, seed)`` returns a result with ``to_json()`` and ``table()``.
    """

    name: str
    label: str
    reference: str
    size_option: str
    default_size: int
    factors: tuple[Factor, ...]
    run: Callable[..., Any]

    def defaults(self) -> dict[str, tuple]:
        return {f.name: f.default for f in self.factors}


def apply_sets(model: ClassicModel, sets: Sequence[str] | None) -> dict[str, tuple]:
    """The model's factor levels with each ``key=value`` of ``sets`` applied.

    An unknown key or a bad value raises one :class:`UserError` naming the allowed keys or values.
    """
    levels = model.defaults()
    by_name = {f.name: f for f in model.factors}
    for item in sets or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise UserError(f"--set {item!r}: write key=value, e.g. --set {model.factors[0].name}="
                            f"{model.factors[0].default[0]}")
        if key not in by_name:
            raise UserError(f"--set: {model.name} has no factor {key!r}; allowed keys: "
                            + ", ".join(by_name))
        levels[key] = by_name[key].parse(value)
    return levels


def check_levels(model: ClassicModel, levels: dict[str, Sequence]) -> dict[str, tuple]:
    """Check levels given from Python (not the command line) with the same messages."""
    out = model.defaults()
    by_name = {f.name: f for f in model.factors}
    for key, value in (levels or {}).items():
        if key not in by_name:
            raise UserError(f"{model.name} has no factor {key!r}; allowed keys: " + ", ".join(by_name))
        values = value if isinstance(value, (list, tuple)) else (value,)
        out[key] = by_name[key].parse(",".join(str(v) for v in values))
    return out


def block_generators(seed: int, n_units: int, block: int) -> tuple[list[np.random.Generator], int]:
    """One generator per block of ``block`` units, and the number of units simulated.

    The last block is always simulated whole (the extra units are dropped by the caller), so
    unit ``i``'s numbers never depend on how many units are asked for.
    """
    n_blocks = -(-n_units // block)
    children = np.random.SeedSequence(seed).spawn(n_blocks)
    return [np.random.default_rng(c) for c in children], n_blocks * block


def best_of_applicants(rng: np.random.Generator, n: int, applicants: int, validity: float) -> np.ndarray:
    """Potential of ``n`` hires, each the best-scoring of ``applicants`` applicants.

    Applicant potential ~ N(0, 1) and score = v potential + sqrt(1 - v^2) e (Scullen, Bergey &
    Aiman-Smith 2005, Eq. 1), so score and potential are standard bivariate normal with
    correlation v. The hire's score is the largest of ``applicants`` standard normals, drawn
    exactly by inversion (``ndtri(U ** (1 / k))``), and the hire's potential given that score is
    N(v score, 1 - v^2). The same distribution as drawing every applicant, with two draws per
    hire instead of 2k (a speed choice: ten applicants per opening otherwise dominate the run).
    """
    if n == 0:
        return np.empty(0)
    best_score = ndtri(rng.random(n) ** (1.0 / applicants))
    return validity * best_score + math.sqrt(1.0 - validity * validity) * rng.standard_normal(n)


def draw_blocks(gens: Sequence[np.random.Generator], block: int, fn: Callable[[np.random.Generator, int], np.ndarray],
                counts: np.ndarray | None = None) -> np.ndarray:
    """Concatenate one draw per block: ``fn(gen, k)`` with ``k`` = ``counts[b]`` (default the block size)."""
    if counts is None:
        return np.concatenate([fn(g, block) for g in gens])
    return np.concatenate([fn(g, int(k)) for g, k in zip(gens, counts)])


def format_table(rows: list[dict], columns: list[tuple[str, str, str]], title: str = "") -> str:
    """A plain text table: ``columns`` are (key, label, format spec)."""
    cells = [[format(r[k], spec) if not isinstance(r[k], str) else r[k] for k, _, spec in columns] for r in rows]
    labels = [label for _, label, _ in columns]
    widths = [max(len(labels[j]), *(len(c[j]) for c in cells)) if cells else len(labels[j]) for j in range(len(labels))]
    line = "  ".join(label.rjust(w) for label, w in zip(labels, widths))
    out = [title] if title else []
    out += [line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(out)


def grid(levels: dict[str, tuple], order: Sequence[str]) -> list[dict[str, Any]]:
    """Every combination of the factors in ``order`` (the first varies slowest)."""
    combos: list[dict[str, Any]] = [{}]
    for key in order:
        combos = [{**c, key: v} for c in combos for v in levels[key]]
    return combos
