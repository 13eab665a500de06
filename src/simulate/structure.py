"""What an employee table fixes for every period and policy arm, derived once and passed down.

Multi-period runs apply eight policies to ten periods of evidence about one population: who
rates whom, the pools of a distribution curve, the indicator layout, the service points and
the column arrays are the same every time. A :class:`Structure` belongs to one employee table
and holds everything derived from it, so a reader can see where each derived array comes from:

* ``Population.structure``: the population's own table (raters, peers, indicator layout,
  service points, the observable table below);
* ``Evidence.structure``: the observable table that every period's evidence of a population
  shares (policies, reward schemes and metrics derive their groups from it).

The table must be treated as immutable: the package only builds new frames (``assign``,
``drop``); a Structure is never shared by two tables (:meth:`Structure.belongs_to`).
There is no module-level state: a Structure lives and dies with its owner.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

import numpy as np
import pandas as pd

__all__ = ["Structure", "Derived"]

T = TypeVar("T")


class Derived:
    """Named results derived from one owner, each computed on first use and then kept.

    ``get(key, compute)`` returns ``compute()`` the first time ``key`` is asked for and the same
    object afterwards. A key is hashable and starts with the name of what is derived, prefixed
    by the module that derives it (``("policies.pool_codes", "unit")``). Results that are arrays
    should be read-only.
    """

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[tuple, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        try:
            return self._values[key]
        except KeyError:
            value = self._values[key] = compute()
            return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def forget(self, drop: Callable[[Hashable], bool]) -> None:
        """Release the results whose key satisfies ``drop`` (computed again if asked for again)."""
        for key in [k for k in self._values if drop(k)]:
            del self._values[key]

    def __len__(self) -> int:
        return len(self._values)


class Structure:
    """Everything derived from one employee table (see the module docstring).

    Parameters
    ----------
    table : DataFrame
        The employee table (one row per employee); never changed afterwards.
    """

    __slots__ = ("table", "derived")

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self.derived = Derived()

    @property
    def n(self) -> int:
        return len(self.table)

    def belongs_to(self, table: pd.DataFrame) -> bool:
        """Whether this is the structure of ``table`` (the very same frame)."""
        return self.table is table

    def column(self, name: str, dtype: Any = None) -> np.ndarray:
        """``table[name].to_numpy(dtype)``, computed once, read-only."""

        def build() -> np.ndarray:
            out = self.table[name].to_numpy(dtype=dtype)
            out.flags.writeable = False  # a view of the frame's data, or a fresh array: never changed
            return out

        return self.derived.get(("column", name, None if dtype is None else np.dtype(dtype).str), build)

    def derive(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once for ``key`` (see :class:`Derived` for the keys)."""
        return self.derived.get(key, compute)

    def __repr__(self) -> str:
        return f"Structure({self.n:,} employees, {len(self.derived)} derived)"
