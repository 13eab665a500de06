"""The five-level employee predikat shared by every rule, with each regulation's own labels.

Codes are ordered best to worst so that comparisons read naturally (a lower code is better):
``0 sangat_baik, 1 baik, 2 butuh_perbaikan, 3 kurang, 4 sangat_kurang``. PP 46/2011 and
PP 30/2019 name level 2 "Cukup"; PP 46/2011 names level 4 "Buruk"; PermenPANRB 6/2022 names
level 3 "Kurang/Misconduct" (domain/regulations.md 1.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "PREDIKAT",
    "SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG",
    "LABELS_ID", "LABELS_EN", "REGULATION_NAMES",
    "to_codes", "to_names", "as_categorical",
]

PREDIKAT: tuple[str, ...] = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = range(5)

LABELS_ID = {
    "sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang", "sangat_kurang": "Sangat Kurang",
}
LABELS_EN = {
    "sangat_baik": "Very good", "baik": "Good", "butuh_perbaikan": "Needs improvement",
    "kurang": "Poor", "sangat_kurang": "Very poor",
}
#: snake_case names each regulation uses for the five levels (rule cases speak these).
REGULATION_NAMES = {
    "pp46_2011": ("sangat_baik", "baik", "cukup", "kurang", "buruk"),
    "pp30_2019": ("sangat_baik", "baik", "cukup", "kurang", "sangat_kurang"),
    "permenpanrb_2022": PREDIKAT,
}


def to_codes(names, regulation: str = "permenpanrb_2022") -> np.ndarray:
    """Map names (any regulation's, or the common ones) to codes 0-4; unknown names raise."""
    lookup = {n: i for i, n in enumerate(PREDIKAT)}
    lookup.update({n: i for i, n in enumerate(REGULATION_NAMES.get(regulation, PREDIKAT))})
    arr = np.asarray(names, dtype=object)
    out = np.empty(arr.shape, dtype=np.int8)
    for i, name in np.ndenumerate(arr):
        if name not in lookup:
            raise ValueError(f"predikat: unknown name {name!r}; allowed: {', '.join(lookup)}")
        out[i] = lookup[name]
    return out


def to_names(codes, regulation: str = "permenpanrb_2022") -> np.ndarray:
    """Map codes 0-4 to a regulation's snake_case names."""
    names = np.asarray(REGULATION_NAMES.get(regulation, PREDIKAT), dtype=object)
    return names[np.asarray(codes, dtype=np.int64)]


def as_categorical(codes) -> pd.Categorical:
    """Codes as an ordered categorical of the common names (best first)."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(PREDIKAT), ordered=True)
