"""Earlier predikat of the same people, as the career and credit schemes read them."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["as_history"]


def as_history(history: Any, n: int) -> np.ndarray:
    """Earlier predikat codes as an ``int8`` array of shape ``(periods, n)``, oldest first.

    Accepts ``None`` (no history: shape ``(0, n)``), one earlier period (shape ``(n,)``) or
    several (``(periods, n)``), in the appraisal's row order, aligned with the current period
    (each earlier period as long as the current one). Missing appraisals are ``-1`` or ``NaN``;
    they break runs of consecutive ratings.
    """
    if history is None:
        return np.zeros((0, n), dtype=np.int8)
    if isinstance(history, np.ndarray) and history.dtype.kind in "iu":
        # Whole-number codes (what a run keeps): no NaN to replace, no fractions to reject.
        arr = history[None, :] if history.ndim == 1 else history
        if arr.ndim != 2 or arr.shape[1] != n:
            raise ValueError(f"history: expected shape (periods, {n}) of predikat codes, got {np.shape(history)}")
        if np.any((arr < -1) | (arr > 4)):
            raise ValueError("history: codes must be whole numbers 0-4 (-1 or NaN for not appraised)")
        return arr.astype(np.int8)
    arr = np.asarray(history, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != n:
        raise ValueError(f"history: expected shape (periods, {n}) of predikat codes, got {np.shape(history)}")
    arr = np.where(np.isnan(arr), -1, arr)
    if np.any((arr < -1) | (arr > 4) | (arr != np.round(arr))):
        raise ValueError("history: codes must be whole numbers 0-4 (-1 or NaN for not appraised)")
    return arr.astype(np.int8)
