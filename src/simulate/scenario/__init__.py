"""Scenarios: the validated parameters of a run (DESIGN sections 2 and 9).

The schema and the file reader live here; :func:`simulate.assemble.load_scenario` turns a file
into a fully checked scenario (policy files expanded, every rule's parameters checked).
"""

from simulate.scenario.loader import (
    read_scenario,
    resolve_scenario_path,
    scenario_hash,
    validate_scenario,
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
    "read_scenario",
    "resolve_scenario_path",
    "scenario_hash",
    "validate_scenario",
]
