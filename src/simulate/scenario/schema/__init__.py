"""The scenario schema: every value a user can set, with its description, unit, range and source.

A scenario file (YAML) is validated into :class:`Scenario`. Every field is declared with
:func:`param`, which records a description, a unit and, where the default comes from a
regulation or a paper, its source; ``kinerja list`` and the reports print them. Models forbid
unknown keys, so a typo is an error (with the closest valid name), never a silent default.

The schema, section by section of a scenario file:

- :mod:`~simulate.scenario.schema.base` -- :func:`param`, the base model and the kinds every
  section uses (:data:`OPD_KINDS`, :data:`COUNTER_KINDS`, :data:`BEHAVIOUR_DIMENSIONS`);
- :mod:`~simulate.scenario.schema.population` -- ``population`` and ``truth``: organisation,
  people and their hidden true performance;
- :mod:`~simulate.scenario.schema.work` -- ``work``: indicators, targets, discipline;
- :mod:`~simulate.scenario.schema.citizens` -- ``citizens``: queues, SKM survey, complaints;
- :mod:`~simulate.scenario.schema.raters` -- ``raters`` and ``appraisal``: who rates whom, how,
  and the appraisal cycle;
- :mod:`~simulate.scenario.schema.dynamics` -- ``dynamics``: behaviour over periods;
- :mod:`~simulate.scenario.schema.policies` -- ``policies`` and ``rewards``: the arms compared;
- :mod:`~simulate.scenario.schema.scenario` -- :class:`Scenario`, the whole file.
"""

from __future__ import annotations

from simulate.scenario.schema.base import BEHAVIOUR_DIMENSIONS, COUNTER_KINDS, OPD_KINDS, param
from simulate.scenario.schema.citizens import (
    CitizenParams,
    SatisfactionParams,
    ServiceParams,
    default_services,
)
from simulate.scenario.schema.dynamics import DynamicsParams
from simulate.scenario.schema.policies import (
    DEFAULT_POLICIES,
    DEFAULT_REWARDS,
    PolicySpec,
    RewardSpec,
)
from simulate.scenario.schema.population import PopulationParams, TruthParams
from simulate.scenario.schema.raters import (
    AppraisalParams,
    RaterParams,
    RaterSourceParams,
    ScaleParams,
    ObservedRatings,
    SupervisorParams,
)
from simulate.scenario.schema.scenario import Scenario
from simulate.scenario.schema.work import (
    DisciplineParams,
    IndicatorSpec,
    WorkParams,
    default_indicators,
)

__all__ = [
    "OPD_KINDS",
    "COUNTER_KINDS",
    "BEHAVIOUR_DIMENSIONS",
    "param",
    "Scenario",
    "PopulationParams",
    "TruthParams",
    "IndicatorSpec",
    "WorkParams",
    "DisciplineParams",
    "ServiceParams",
    "SatisfactionParams",
    "CitizenParams",
    "RaterSourceParams",
    "SupervisorParams",
    "RaterParams",
    "ScaleParams",
    "ObservedRatings",
    "AppraisalParams",
    "DynamicsParams",
    # Also imported from here by the rest of the package and the tests.
    "PolicySpec",
    "RewardSpec",
    "DEFAULT_POLICIES",
    "DEFAULT_REWARDS",
    "default_indicators",
    "default_services",
]
