"""Result tables that are built only when someone looks at them.

A multi-period run makes, for every policy arm and period, reward tables of a dozen columns and
a table of service points, and reads two or three columns of them. :class:`LazyFrame` is a
dataclass field that accepts either a DataFrame or its columns (a mapping of name to array, in
column order): the DataFrame is built on first access and kept; :func:`frame_column` reads one
column without building it. To everyone else the field is an ordinary DataFrame attribute.

Usage, after the dataclass is defined::

    @dataclass(frozen=True)
    class Result:
        table: pd.DataFrame

    Result.table = LazyFrame("table")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LazyFrame", "frame_column", "frame_columns", "frame_raw"]


class LazyFrame:
    """Data descriptor for a DataFrame field that may be given as its columns (see the module)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.slot = f"_lazy_{name}"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.slot]
        if not isinstance(value, pd.DataFrame):
            value = pd.DataFrame(dict(value))
            obj.__dict__[self.slot] = value  # built once (works on frozen dataclasses too)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        if not isinstance(value, (pd.DataFrame, Mapping)):
            raise TypeError(f"{self.name}: expected a DataFrame or a mapping of column name to array, "
                            f"got {type(value).__name__}")
        obj.__dict__[self.slot] = value

    def raw(self, obj: Any) -> pd.DataFrame | Mapping:
        """The stored value: the DataFrame, or the columns if it has not been built."""
        return obj.__dict__[self.slot]


def frame_raw(obj: Any, field: str) -> pd.DataFrame | Mapping:
    """What ``obj.<field>`` holds: the DataFrame, or its columns while it has not been built."""
    descriptor = getattr(type(obj), field, None)
    return descriptor.raw(obj) if isinstance(descriptor, LazyFrame) else getattr(obj, field)


def frame_column(obj: Any, field: str, name: str) -> np.ndarray | pd.Categorical:
    """Column ``name`` of the table in ``obj.<field>``, without building the table.

    A NumPy array, or a :class:`pandas.Categorical` for a categorical column (its codes are
    the cheap way to compare it).
    """
    value = frame_raw(obj, field)
    column = value[name]
    if isinstance(column, pd.Series):
        return column.array if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy()
    return column if isinstance(column, pd.Categorical) else np.asarray(column)


def frame_columns(obj: Any, field: str) -> list[str]:
    """Column names of the table in ``obj.<field>``, without building it."""
    value = frame_raw(obj, field)
    return [str(c) for c in value.columns] if isinstance(value, pd.DataFrame) else list(value)
