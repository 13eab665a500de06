"""Follow-up schemes (DESIGN 3.7): each module registers one
``apply(appraisal, population, params, evidence=None, history=None) -> FollowUp``.

- :mod:`simulate.rewards.tpp` -- TPP / tunjangan kinerja: class amount, productivity / discipline
  split, predikat-linked cuts, lateness and absence deductions, budget cap.
- :mod:`simulate.rewards.angka_kredit` -- credit points of functional officials.
- :mod:`simulate.rewards.career` -- talent pool, training, the PP 30/2019 improvement ->
  reassignment -> dismissal path.

Every scheme is deterministic and reports its cost in rupiah against a baseline.
"""

from simulate.rewards.base import (
    REGISTRY,
    FollowUp,
    FollowUpSignals,
    RewardInfo,
    RewardParams,
    apply_reward,
    get_reward,
    list_rewards,
    register,
    validate_reward_params,
)
from simulate.rewards import angka_kredit, career, tpp  # noqa: E402,F401  (register the built-ins)

__all__ = [
    "REGISTRY", "FollowUp", "FollowUpSignals", "RewardInfo", "RewardParams", "apply_reward", "get_reward", "list_rewards",
    "register", "validate_reward_params",
]
