"""The synthetic civil service: structure, attributes, NIPs, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.population import format_nip, generate_population
from simulate.assemble import scenario_from_dict


@pytest.fixture(scope="module")
def pop(baseline):
    return generate_population(baseline.population, 11)


def test_size_and_mix(pop, baseline):
    e = pop.employees
    assert len(e) == baseline.population.n_employees
    shares = e["opd_kind"].value_counts(normalize=True)
    for kind, share in baseline.population.opd_mix.items():
        assert abs(shares[kind] - share) < 0.03, kind
    assert abs((e["status"] == "PPPK").mean() - baseline.population.share_pppk) < 0.03
    assert abs((e["sex"] == "P").mean() - baseline.population.share_female) < 0.03


def test_hierarchy_is_a_tree_with_the_regulation_chain(pop):
    e = pop.employees.set_index("employee_id")
    sup = e["superior_id"]
    heads = e[sup < 0]
    assert (heads["position_type"].isin(["jpt", "administrator"])).all()
    assert len(heads) == len(pop.opds)
    staff = e[e["level"] == 0]
    boss = e.loc[staff["superior_id"]]
    # Pelaksana/fungsional are appraised by the head of their own unit (a pengawas).
    assert (boss["position_type"].to_numpy() == "pengawas").all() or \
        (boss["level"].to_numpy() >= 1).all()
    assert (boss["unit_id"].to_numpy() == staff["unit_id"].to_numpy()).all()
    # Every chain reaches an OPD head within 3 steps, and superiors sit higher.
    up = sup.to_numpy().copy()
    level = e["level"].to_numpy()
    has = up >= 0
    assert (level[up[has]] > level[has]).all()
    for _ in range(3):
        up = np.where(up >= 0, sup.to_numpy()[np.maximum(up, 0)], -1)
    assert (up < 0).all()
    # PPPK never hold structural posts.
    assert not ((e["status"] == "PPPK") & e["is_structural"]).any()


def test_team_sizes_follow_the_parameter(pop, baseline):
    assert abs(pop.units["n_staff"].mean() - baseline.population.team_size_mean) < 1.0


def test_nip_has_the_real_18_digit_structure(pop):
    e = pop.employees
    nips = format_nip(e["nip"].to_numpy())
    assert all(len(s) == 18 and s.isdigit() for s in nips)
    assert e["nip"].is_unique
    birth_year = nips.astype("U4").astype(int)
    assert np.array_equal(birth_year, 2024 - e["age"].to_numpy())
    month = np.array([int(s[4:6]) for s in nips[:200]])
    assert ((month >= 1) & (month <= 12)).all()
    sex_digit = np.array([s[14] for s in nips])
    assert np.array_equal(sex_digit == "2", (e["sex"] == "P").to_numpy())
    appoint_year = np.array([int(s[8:12]) for s in nips])
    assert (appoint_year <= 2024).all() and (appoint_year - birth_year >= 18).all()


def test_ages_and_tenure_are_plausible(pop, baseline):
    e = pop.employees
    assert e["age"].between(19, baseline.population.retirement_age - 1).all()
    assert (e["tenure_years"] >= 0).all()
    assert (e["age"] - e["tenure_years"] >= 19).all()
    assert (e.loc[e["is_structural"], "age"] >= 35).all()


def test_same_seed_same_population_and_different_seed_differs(baseline):
    a = generate_population(baseline.population, 5).employees
    b = generate_population(baseline.population, 5).employees
    c = generate_population(baseline.population, 6).employees
    assert a.equals(b)
    assert not a["nip"].equals(c["nip"])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), team=st.floats(min_value=2, max_value=12), seed=st.integers(0, 2**32))
def test_any_size_builds_a_valid_tree(n, team, seed):
    sc = scenario_from_dict({"population": {"n_employees": n, "team_size_mean": team}})
    pop = generate_population(sc.population, seed)
    e = pop.employees
    assert len(e) == n
    sup = e["superior_id"].to_numpy()
    assert ((sup == -1) | ((sup >= 0) & (sup < n))).all()
    assert (sup != np.arange(n)).all()
    assert (e["n_subordinates"].sum()) == (sup >= 0).sum()
