"""Shared helpers for scoring policies (DESIGN 3.6), in one place to import from.

:mod:`simulate.policies.arrays` holds the vectorised array helpers (groups, ranks, bands, row
means, shrinkage); :mod:`simulate.policies.lookups` the look-ups of the evidence every policy
repeats (who rates whom, which pool a curve or a quota applies to, per-employee indicator
attributes). This module's public names are a stable interface: policy modules import them.
"""

from simulate.policies.arrays import (
    band,
    group_codes,
    group_count,
    group_mean,
    group_stats,
    group_std,
    group_sum,
    group_zscore,
    nan_weighted_mean,
    rank_in_group,
    rescale_bands,
    row_count,
    row_mean,
    row_nanmean,
    row_sum,
    shrinkage_factor,
)
from simulate.policies.lookups import (
    POOLS,
    Pool,
    has_indicator,
    indicator_attribute,
    indicator_key,
    indicator_rows,
    indicator_scale_is,
    indicator_values,
    is_leader,
    kind_codes,
    pool_codes,
    pool_group_keys,
    pool_keys,
    pool_sizes,
    rater_keys,
    superior_rows,
)

__all__ = [
    "POOLS", "Pool", "group_codes", "group_count", "group_sum", "group_mean", "group_std", "group_stats",
    "group_zscore", "rank_in_group", "band", "rescale_bands", "nan_weighted_mean", "row_sum", "row_count",
    "row_mean", "row_nanmean", "shrinkage_factor", "rater_keys", "superior_rows", "pool_keys", "pool_codes",
    "pool_sizes", "pool_group_keys", "indicator_attribute", "indicator_values", "indicator_key",
    "indicator_rows", "indicator_scale_is", "kind_codes", "has_indicator", "is_leader",
]
