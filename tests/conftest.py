"""Shared fixtures: small scenarios and one simulated period, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def baseline():
    from simulate.assemble import load_scenario

    return load_scenario(ROOT / "params" / "baseline.yaml")


@pytest.fixture(scope="session")
def small(baseline):
    """The baseline at 1,500 employees: big enough for statistics, quick to generate."""
    return baseline.model_copy(update={"population": baseline.population.model_copy(update={"n_employees": 1500})})


@pytest.fixture(scope="session")
def period(baseline):
    from simulate.cycle import simulate_period

    return simulate_period(baseline, seed=123)


@pytest.fixture(scope="session")
def test_preset():
    """The test preset (a small kabupaten), as the policy, reward and notebook tests use it."""
    from simulate.assemble import load_scenario

    return load_scenario(ROOT / "params" / "presets" / "test.yaml")


@pytest.fixture(scope="session")
def test_period(test_preset):
    """One simulated period of the test preset (seed 1): real evidence for policies and rewards."""
    from simulate.cycle import simulate_period

    return simulate_period(test_preset, seed=1)
