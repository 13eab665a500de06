"""The kuadran kinerja of PermenPANRB 6/2022: the employee predikat from the two ratings.

Work results (hasil kerja) and work behaviour (perilaku kerja) are each rated di bawah / sesuai /
di atas ekspektasi (codes 0 / 1 / 2, :mod:`simulate.scales`); the 3x3 quadrant turns the pair
into the employee predikat (codes 0-4, :mod:`simulate.predikat`). Table:
``data/reference/quadrant_2022.csv``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.predikat import PREDIKAT
from simulate.reference import load_table
from simulate.scales import DI_ATAS, DI_BAWAH, EXPECTATION_NAMES

__all__ = ["quadrant", "predikat"]


@lru_cache(maxsize=1)
def _quadrant_codes() -> np.ndarray:
    table = load_table("quadrant_2022")
    grid = np.full((3, 3), -1, dtype=np.int8)
    rating = {name: code for code, name in enumerate(EXPECTATION_NAMES)}
    level = {name: code for code, name in enumerate(PREDIKAT)}
    for row in table.itertuples(index=False):
        grid[rating[row.hasil_kerja], rating[row.perilaku_kerja]] = level[row.predikat]
    if np.any(grid < 0):
        raise ValueError("quadrant_2022.csv must fill all 9 cells")
    return grid


def quadrant() -> np.ndarray:
    """The 3x3 kuadran kinerja as predikat codes, rows = hasil kerja, columns = perilaku kerja
    (0 di bawah, 1 sesuai, 2 di atas). PermenPANRB 6/2022 annex (regulations.md 1.4)."""
    return _quadrant_codes().copy()


def predikat(hasil_kerja, perilaku_kerja) -> np.ndarray:
    """Employee predikat code (0-4) from the two ratings, PermenPANRB 6/2022 kuadran kinerja.

    ======================  ================  ================  ================
    hasil kerja / perilaku  di bawah          sesuai            di atas
    ======================  ================  ================  ================
    di atas                 kurang            baik              sangat baik
    sesuai                  kurang            baik              baik
    di bawah                sangat kurang     butuh perbaikan   butuh perbaikan
    ======================  ================  ================  ================

    Parameters
    ----------
    hasil_kerja, perilaku_kerja : array_like of int
        Ratings 0 di bawah, 1 sesuai, 2 di atas ekspektasi (broadcast together).

    Returns
    -------
    numpy.ndarray of int8
        0 sangat_baik, 1 baik, 2 butuh_perbaikan, 3 kurang (Kurang/Misconduct), 4 sangat_kurang.
    """
    results = np.asarray(hasil_kerja)
    behaviour = np.asarray(perilaku_kerja)
    for name, values in (("hasil_kerja", results), ("perilaku_kerja", behaviour)):
        if np.any((values < DI_BAWAH) | (values > DI_ATAS)):
            raise ValueError(f"{name}: ratings must be 0 di_bawah, 1 sesuai or 2 di_atas")
    return _quadrant_codes()[results.astype(np.int64), behaviour.astype(np.int64)]
