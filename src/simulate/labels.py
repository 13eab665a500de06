"""Display names of a scenario's arms and schemes, in the reader's language.

Reports show labels, never code names: an arm's own ``label`` (``label_en`` in English) when the
scenario gives one, else the registered rule's label in that language. Two arms that would show
the same label (one rule run twice with other parameters and no labels) are told apart by a
number, so that no two rows of a table read the same.
"""

from __future__ import annotations

from simulate.policies import get_policy
from simulate.rewards import get_reward
from simulate.scenario.schema import Scenario

__all__ = ["arm_labels", "scheme_labels", "unique"]


def unique(labels: dict[str, str]) -> dict[str, str]:
    """``labels`` with repeated values numbered (``X``, ``X (2)``, ...), in order."""
    seen: dict[str, int] = {}
    out: dict[str, str] = {}
    for key, label in labels.items():
        seen[label] = seen.get(label, 0) + 1
        out[key] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return out


def arm_labels(scenario: Scenario, lang: str = "id") -> dict[str, str]:
    """Arm name -> display label, in the scenario's order."""
    out: dict[str, str] = {}
    for spec in scenario.policies:
        own = (spec.label_en or spec.label) if lang == "en" else spec.label
        out[spec.name] = own or get_policy(spec.rule).label_in(lang)
    return unique(out)


def scheme_labels(scenario: Scenario, lang: str = "id") -> dict[str, str]:
    """Reward scheme name -> display label (the registered label; the name when a rule runs twice)."""
    out: dict[str, str] = {}
    for spec in [*scenario.rewards, *(r for p in scenario.policies for r in (p.rewards or []))]:
        out.setdefault(spec.name, get_reward(spec.rule).label_in(lang))
    return unique(out)
