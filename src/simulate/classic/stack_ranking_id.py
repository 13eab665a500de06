"""Quota accuracy by unit size under the 2022 curve (PermenPANRB 6/2022), the Indonesian case.

Most Indonesian work units are small (an appraising official with a handful of staff). The
variant applies, in every unit, the distribution curve of an organisation rated **Baik**
(``data/reference/distribution_curve_2022.csv``, with the suite's rounding rules for small units,
:func:`simulate.rules.permenpanrb_2022.curve.curve_limits`) read at its tightest:

- Baik gets its cap, ``floor(70 % x n)`` people (at least 1: Baik must be the largest group);
- the curve's "at least one Butuh Perbaikan or Kurang" is met by exactly one person rated
  Butuh Perbaikan (none in a unit of 1);
- everyone else is Sangat Baik.

[Assumption] Units meet the curve this way, ranking people by their ratings (rating =
``sqrt(rel) x true + sqrt(1 - rel) x noise``, as in :mod:`simulate.classic.stack_ranking`). The
truth is the same rule across the whole workforce, where "at least one person" is 0 %: the top
30 % of all people truly Sangat Baik and the rest Baik. So the one forced Butuh Perbaikan per
unit is always a misrating (1 in 3 in a unit of 3, 1 in 50 in a unit of 50), on top of the
group-size and reliability errors of the original.
"""

from __future__ import annotations

import numpy as np

from simulate.classic.common import ClassicModel, Factor, check_levels
from simulate.classic.stack_ranking import GROUP_SIZES, StackRankingResult, misrated_share
from simulate.predikat import BAIK, BUTUH_PERBAIKAN, KURANG
from simulate.rules.permenpanrb_2022.curve import curve_limits
from simulate.rules.permenpanrb_2022.organisation import ORG_PREDIKAT

__all__ = ["MODEL", "run", "unit_quotas"]

FACTORS = (
    Factor("group_size", GROUP_SIZES, "count", "people per unit the curve is applied to", low=1, high=10000),
    Factor("reliability", (0.5, 0.7, 0.9), "unit", "rating reliability (share of rating variance that is true)"),
)

#: The workforce-wide reading of the curve: Sangat Baik, Baik, below expectation.
TRUE_SHARES = (0.30, 0.70, 0.0)


def unit_quotas(n: int) -> np.ndarray:
    """Headcount (Sangat Baik, Baik, Butuh Perbaikan) of a unit of ``n`` under the Baik curve, tightest reading."""
    baik = ORG_PREDIKAT.index("baik")
    cap, below = 0, 0
    for c, limit in curve_limits([n], baik):
        if c.kind == "at_most" and c.levels == (BAIK,):
            cap = int(limit[0])
        if c.kind == "at_least_one" and set(c.levels) <= {BUTUH_PERBAIKAN, KURANG}:
            below = int(limit[0])
    cap = min(cap, n - below)
    return np.array([n - cap - below, cap, below], dtype=np.int64)


def run(factors: dict | None = None, size: int = 100_000, seed: int = 0) -> StackRankingResult:
    """Misrated share for every unit size and reliability under the Baik curve."""
    levels = check_levels(MODEL, factors or {})
    conds = []
    for s in levels["group_size"]:
        shares = misrated_share(s, levels["reliability"], TRUE_SHARES, size, seed, quotas_for=unit_quotas)
        conds += [{"group_size": s, "reliability": r, "misrated_share": m} for r, m in zip(levels["reliability"], shares)]
    title = ("Quota accuracy by unit size under the 2022 curve of a unit rated Baik (at most 70 % Baik, one "
             "Butuh Perbaikan, the rest Sangat Baik) against 30 % / 70 % on true performance across the workforce;")
    return StackRankingResult(size, seed, TRUE_SHARES, conds, model="stack_ranking_id", title=title)


MODEL = ClassicModel(
    name="stack_ranking_id",
    label="Quota accuracy by unit size under the PermenPANRB 6/2022 curve (unit rated Baik)",
    reference="PermenPANRB 6/2022 distribution curve; DESIGN 3.10",
    size_option="people",
    default_size=100_000,
    factors=FACTORS,
    run=run,
)
