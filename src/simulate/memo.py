"""Results derived from an object, kept for as long as the object lives (keyed by identity).

Multi-period runs apply eight policies to ten periods of evidence about one population: the
structure every policy, reward scheme and metric derives from the employee table (who rates
whom, the groups of a distribution curve, column arrays) is the same every time. :func:`memo`
gives any object (a DataFrame included, which cannot be a dictionary key) a dictionary that
dies with it; :func:`column` keeps a read-only NumPy copy of a DataFrame column in it.

Frames passed here must be treated as immutable (the package only ever builds new frames with
``assign``/``drop``): a frame changed in place after a derived result was memoised would give
stale results.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = ["memo", "memoised", "column"]

_STORE: dict[int, dict] = {}


def memo(obj: Any) -> dict:
    """A dictionary attached to ``obj`` by identity; it is discarded when ``obj`` is collected."""
    key = id(obj)
    d = _STORE.get(key)
    if d is None:
        d = _STORE[key] = {}
        weakref.finalize(obj, _STORE.pop, key, None)
    return d


def memoised(obj: Any, key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``obj`` and ``key``; later calls return the stored result."""
    d = memo(obj)
    try:
        return d[key]
    except KeyError:
        value = d[key] = compute()
        return value


def column(frame: pd.DataFrame, name: str, dtype: Any = None) -> np.ndarray:
    """``frame[name].to_numpy(dtype)``, computed once per frame, read-only."""
    d = memo(frame)
    key = ("column", name, None if dtype is None else np.dtype(dtype).str)
    out = d.get(key)
    if out is None:
        out = frame[name].to_numpy(dtype=dtype)
        out.flags.writeable = False  # a view of the frame's data, or a fresh array: never changed
        d[key] = out
    return out

