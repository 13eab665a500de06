"""Scenario sections ``policies`` and ``rewards``: the arms compared (DESIGN 3.6, 3.7)."""

from __future__ import annotations

from typing import Any

from simulate.scenario.schema.base import _Params, param

__all__ = ["DEFAULT_POLICIES", "DEFAULT_REWARDS", "PolicySpec", "RewardSpec"]

#: Built-in scoring policies compared by default (registry names, simulate.policies).
#: The default comparison; the first arm is the status quo, today's rule (PermenPANRB 6/2022).
#: The repealed rules stay available as arms (PP 30/2019, PP 46/2011).
DEFAULT_POLICIES: tuple[str, ...] = (
    "permenpanrb_2022", "pp30_2019", "pp46_2011", "objective_index", "citizen_weighted",
    "target_achievement", "forced_distribution", "rater_calibrated",
)
#: Built-in reward schemes applied by default (registry names, simulate.rewards).
DEFAULT_REWARDS: tuple[str, ...] = ("tpp", "angka_kredit", "career")


class RewardSpec(_Params):
    name: str = param(..., "Name of this reward scheme in results and reports.", "-")
    scheme: str | None = param(None, "Registered reward scheme it runs (default: the same as name).", "-")
    params: dict[str, Any] = param(description="The scheme's parameters (validated by the scheme).", unit="-",
                                   default_factory=dict)

    @property
    def rule(self) -> str:
        return self.scheme or self.name


class PolicySpec(_Params):
    name: str = param(..., "Name of this arm in results and reports (snake_case).", "-")
    policy: str | None = param(None, "Registered scoring rule it runs (default: the same as name).", "-")
    label: str | None = param(None, "Display name in reports (default: the rule's label).", "-")
    label_en: str | None = param(None, "Display name in English reports (default: label, else the rule's "
                                 "English label).", "-")
    params: dict[str, Any] = param(description="The rule's parameters (validated by the rule).", unit="-",
                                   default_factory=dict)
    rewards: list[RewardSpec] | None = param(
        None, "This arm's own reward and follow-up schemes (a reform package: TPP with its cut table and budget "
        "cap, angka kredit, career rules); default: the scenario's rewards.", "-")

    @property
    def rule(self) -> str:
        return self.policy or self.name


def _names_unique(items: list[Any], field: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not item.name.replace("_", "").isalnum():
            raise ValueError(f"{field}[{i}].name: use letters, digits and '_' only, got {item.name!r}")
        if item.name in seen:
            raise ValueError(f"{field}[{i}].name: {item.name!r} is used twice")
        seen.add(item.name)
