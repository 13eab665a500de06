"""PP 30/2019 (Penilaian Kinerja PNS) Art. 41: final score and predikat bands.

Score = 70 % SKP + 30 % behaviour, or 60 % / 40 % in agencies that use peer and subordinate
opinions (360 degrees); five predikat bands, Sangat Baik also needing a new idea or method
(domain/regulations.md 2). Constants: ``data/reference/score_weights.csv`` and
``data/reference/pp30_bands.csv``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate.reference import load_table

__all__ = ["final_score", "predikat"]


# The reference tables are fixed for the life of the process: read them once (read-only
# arrays), so a call costs no CSV copy or pandas query.


@lru_cache(maxsize=1)
def _weights() -> dict[str, tuple[float, float]]:
    """(SKP weight, behaviour weight) by variant (``with_360`` / ``without_360``)."""
    table = load_table("score_weights")
    weights = table[table["regulation"] == "pp30_2019"].set_index("variant")
    return {variant: (weights.at[variant, "skp_weight"], weights.at[variant, "behaviour_weight"])
            for variant in ("with_360", "without_360")}


@lru_cache(maxsize=1)
def _bands() -> dict[str, object]:
    """The band table: top of the scale, the plain bands (sorted) and the new-idea band."""
    bands = load_table("pp30_bands").sort_values("lower_bound")
    plain = bands[~bands["requires_new_idea"].astype(bool)]
    top = bands[bands["requires_new_idea"].astype(bool)].iloc[0]
    lower_bounds, codes = plain["lower_bound"].to_numpy(float), plain["code"].to_numpy()
    lower_bounds.flags.writeable = False
    codes.flags.writeable = False
    return {"max_score": bands["max_score"].max(), "lower_bounds": lower_bounds, "codes": codes,
            "top_lower_bound": top["lower_bound"], "top_code": top["code"]}


def final_score(skp, behaviour, uses_360=False) -> np.ndarray:
    """Final score, PP 30/2019 Art. 41: ``0.7 SKP + 0.3 behaviour`` or, with 360-degree input,
    ``0.6 SKP + 0.4 behaviour``.

    Parameters
    ----------
    skp, behaviour : array_like
        SKP value and behaviour value (0-120 scale).
    uses_360 : array_like of bool, default False
        Whether the agency uses peer-level and direct-subordinate opinions.

    Returns
    -------
    numpy.ndarray
        Final score (unrounded).
    """
    weights = _weights()
    with_360 = np.asarray(uses_360, dtype=bool)
    skp_w = np.where(with_360, weights["with_360"][0], weights["without_360"][0])
    beh_w = np.where(with_360, weights["with_360"][1], weights["without_360"][1])
    return skp_w * np.asarray(skp, dtype=float) + beh_w * np.asarray(behaviour, dtype=float)


def predikat(score, new_idea=False) -> np.ndarray:
    """Predikat code (0-4) of a PP 30/2019 score, Art. 41(5) (regulations.md 2.2).

    - Sangat Baik (0): ``110 <= x <= 120`` **and** a new idea or method that benefits the
      organisation or the state;
    - Baik (1): ``90 <= x <= 120`` (a 110-120 score without a new idea is Baik);
    - Cukup (2): ``70 <= x < 90``;
    - Kurang (3): ``50 <= x < 70`` **[unverified]**;
    - Sangat Kurang (4): ``x < 50`` **[unverified]**.

    Scores above 120 (the top of the scale, e.g. a score built from uncapped inputs) are banded
    as 120: Baik, or Sangat Baik with a new idea. Bounds are inclusive lower bounds, each band
    running up to the next one, so 89.99 is Cukup. ``NaN`` raises.

    Parameters
    ----------
    score : array_like
        Final score (see :func:`final_score`).
    new_idea : array_like of bool, default False
        Whether the employee created a new idea or method benefiting the organisation/state.

    Returns
    -------
    numpy.ndarray of int8
        Predikat codes (0 sangat_baik, 1 baik, 2 cukup, 3 kurang, 4 sangat_kurang).
    """
    bands = _bands()
    values = np.asarray(score, dtype=float)
    if np.any(np.isnan(values)):
        raise ValueError("score: NaN cannot be banded")
    values = np.minimum(values, bands["max_score"])
    idea = np.asarray(new_idea, dtype=bool)
    codes = bands["codes"]
    position = np.clip(
        np.searchsorted(bands["lower_bounds"], values, side="right") - 1,
        0,
        len(codes) - 1,
    )
    banded = codes[position]
    earns_top = idea & (values >= bands["top_lower_bound"])
    return np.where(earns_top, bands["top_code"], banded).astype(np.int8)
