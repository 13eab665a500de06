"""Map latent ratings (in SD of true performance) to the scales the rules use (DESIGN 3.5).

Pure, deterministic functions: ``0-100`` scores (PP 46/2011 behaviour), ``1-5`` Likert, and the
three levels of PermenPANRB 6/2022 (di bawah / sesuai / di atas ekspektasi).
"""

from __future__ import annotations

import numpy as np

from simulate.scenario.schema import ScaleParams

__all__ = ["DI_BAWAH", "SESUAI", "DI_ATAS", "EXPECTATION_NAMES", "to_score_100", "to_likert5", "to_expectation"]

DI_BAWAH, SESUAI, DI_ATAS = 0, 1, 2
EXPECTATION_NAMES: tuple[str, ...] = ("di_bawah", "sesuai", "di_atas")


def to_score_100(latent: np.ndarray, scales: ScaleParams) -> np.ndarray:
    """A 0-100 score: ``center + per_sd * latent``, clipped to [0, 100] (NaN stays NaN)."""
    return np.clip(scales.score_center + scales.score_per_sd * np.asarray(latent, dtype=float), 0.0, 100.0)


def to_likert5(latent: np.ndarray, scales: ScaleParams) -> np.ndarray:
    """An integer 1-5 rating from the latent cut-points (NaN maps to 0, meaning 'no rating')."""
    latent = np.asarray(latent, dtype=float)
    out = (np.searchsorted(np.asarray(scales.likert_cutpoints), latent, side="right") + 1).astype(np.int8)
    return np.where(np.isnan(latent), 0, out).astype(np.int8)


def to_expectation(latent: np.ndarray, scales: ScaleParams) -> np.ndarray:
    """Three levels: 0 di bawah, 1 sesuai, 2 di atas ekspektasi (PermenPANRB 6/2022)."""
    latent = np.asarray(latent, dtype=float)
    out = np.full(latent.shape, SESUAI, dtype=np.int8)
    out[latent < scales.expectation_below] = DI_BAWAH
    out[latent > scales.expectation_above] = DI_ATAS
    return out
