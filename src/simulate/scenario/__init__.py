"""Scenarios: the validated parameters of a run (DESIGN sections 2 and 9)."""

from simulate.scenario.loader import (
    load_scenario,
    resolve_scenario_path,
    scenario_from_dict,
    scenario_hash,
)
from simulate.scenario.schema import (
    BEHAVIOUR_DIMENSIONS,
    COUNTER_KINDS,
    OPD_KINDS,
    Scenario,
)

__all__ = [
    "BEHAVIOUR_DIMENSIONS",
    "COUNTER_KINDS",
    "OPD_KINDS",
    "Scenario",
    "load_scenario",
    "resolve_scenario_path",
    "scenario_from_dict",
    "scenario_hash",
]
