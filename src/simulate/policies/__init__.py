"""Scoring policies (DESIGN 3.6): each module registers one ``score(evidence, params) -> Appraisal``."""

from simulate.policies.base import (
    REGISTRY,
    Appraisal,
    PolicyInfo,
    PolicyParams,
    apply_policy,
    get_policy,
    list_policies,
    register,
    validate_policy_params,
)

# Importing a policy module registers it (one module per policy, DESIGN 3.6).
from simulate.policies import (  # noqa: E402,F401  (registration side effect, in display order)
    pp46_2011,
    pp30_2019,
    permenpanrb_2022,
    objective_index,
    citizen_weighted,
    target_achievement,
    forced_distribution,
    rater_calibrated,
    composed,
)

__all__ = [
    "REGISTRY", "Appraisal", "PolicyInfo", "PolicyParams", "apply_policy", "get_policy",
    "list_policies", "register", "validate_policy_params",
]
