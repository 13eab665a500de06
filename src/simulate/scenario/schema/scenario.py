"""The whole scenario: every section, the notebook, the policies and rewards compared."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from simulate.notebook_registry import NOTEBOOKS
from simulate.scenario.schema.base import _Params, param
from simulate.scenario.schema.citizens import CitizenParams
from simulate.scenario.schema.dynamics import DynamicsParams
from simulate.scenario.schema.policies import (
    DEFAULT_POLICIES,
    DEFAULT_REWARDS,
    PolicySpec,
    RewardSpec,
    _names_unique,
)
from simulate.scenario.schema.population import PopulationParams, TruthParams
from simulate.scenario.schema.raters import AppraisalParams, RaterParams
from simulate.scenario.schema.work import WorkParams

__all__ = ["Scenario", "MAX_SCENARIO_NAME"]

#: Longest scenario name: it names the run's folder (file names stop at 255 bytes) and reports.
MAX_SCENARIO_NAME = 100


class Scenario(_Params):
    name: str = param("scenario", "Short name used in folder names and reports.", "-")
    description: str = param("", "What the scenario represents, in a sentence or two.", "-")
    extends: str | None = param(None, "Scenario file this one overrides (resolved relative to this file).", "-")
    seed: int = param(20240101, "Root seed of every random draw in a run.", "-", ge=0, le=2**63 - 1)
    population: PopulationParams = Field(default_factory=PopulationParams, description="Organisation and people.")
    truth: TruthParams = Field(default_factory=TruthParams, description="Hidden true performance.")
    work: WorkParams = Field(default_factory=WorkParams, description="Indicators, targets, discipline.")
    citizens: CitizenParams = Field(default_factory=CitizenParams, description="Queues, SKM survey, complaints.")
    raters: RaterParams = Field(default_factory=RaterParams, description="Who rates whom, and how.")
    appraisal: AppraisalParams = Field(default_factory=AppraisalParams, description="Appraisal cycle.")
    dynamics: DynamicsParams = Field(default_factory=DynamicsParams, description="Behaviour over periods.")
    notebook: str = param("policy-comparison", "Notebook kinerja run executes for this scenario.", "-")
    policies: list[PolicySpec] = param(
        description="Scoring policies compared on the same evidence (first = the baseline arm).", unit="-",
        default_factory=lambda: [PolicySpec(name=p) for p in DEFAULT_POLICIES],
    )
    rewards: list[RewardSpec] = param(
        description="Reward and follow-up schemes applied to every policy's appraisal (an arm may give its own: "
                    "policies[].rewards).", unit="-",
        default_factory=lambda: [RewardSpec(name=r) for r in DEFAULT_REWARDS],
    )

    @field_validator("notebook")
    @classmethod
    def _registered_notebook(cls, value: str) -> str:
        # Checked here, not at run time, so that kinerja validate refuses it before any work.
        if value not in NOTEBOOKS:
            raise ValueError(f"unknown notebook {value!r}; allowed: {', '.join(NOTEBOOKS)}")
        return value

    @model_validator(mode="after")
    def _name(self) -> "Scenario":
        if not self.policies:
            raise ValueError("policies: list at least one policy")
        _names_unique(self.policies, "policies")
        _names_unique(self.rewards, "rewards")
        for i, spec in enumerate(self.policies):
            if spec.rewards is not None:
                _names_unique(spec.rewards, f"policies[{i}].rewards")
        if not self.name or not all(c.isalnum() or c in "-_" for c in self.name):
            raise ValueError(f"name: use letters, digits, '-' and '_' only, got {self.name!r}")
        if len(self.name) > MAX_SCENARIO_NAME:
            raise ValueError(f"name: at most {MAX_SCENARIO_NAME} characters (it names the run's folder), "
                             f"got {len(self.name)}")
        return self
