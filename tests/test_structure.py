"""The structure an employee table fixes: derived once, read-only, never shared by two tables."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from simulate.cycle import simulate_period
from simulate.policies import apply_policy
from simulate.structure import Derived, Structure


def test_derive_computes_once_per_key():
    s = Structure(pd.DataFrame({"x": [1]}))
    calls = []
    for _ in range(3):
        assert s.derive(("test.k", 1), lambda: calls.append(1) or 42) == 42
    assert s.derive(("test.k", 2), lambda: calls.append(1) or 43) == 43
    assert calls == [1, 1]
    assert ("test.k", 1) in s.derived and ("test.k", 3) not in s.derived


def test_column_is_kept_and_read_only():
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [3, 4]})
    s = Structure(df)
    x = s.column("x")
    assert x is s.column("x")
    np.testing.assert_array_equal(x, [1.0, 2.0])
    with pytest.raises(ValueError):
        x[0] = 5.0
    assert s.column("y", float).dtype == np.float64 and s.column("y").dtype == np.int64
    assert df["x"].iloc[0] == 1.0


def test_two_tables_never_share_a_structure():
    a, b = pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2]})
    sa = Structure(a)
    assert sa.belongs_to(a) and not sa.belongs_to(b)
    d = Derived()
    assert d.get("k", lambda: 1) == 1 and d.get("k", lambda: 2) == 1 and len(d) == 1


def test_periods_of_one_population_share_the_observable_table_and_its_structure(baseline):
    p0 = simulate_period(baseline, seed=3, period=0)
    p1 = simulate_period(baseline, seed=3, period=1, population=p0.population)
    assert p1.evidence.employees is p0.evidence.employees
    assert p1.evidence.structure is p0.evidence.structure
    assert p0.evidence.structure.belongs_to(p0.evidence.employees)
    assert "nip" not in p0.evidence.employees.columns
    counter = p0.evidence.employees["is_counter_staff"].to_numpy()
    assert counter.any() and (p0.evidence.employees["service_point_id"].to_numpy()[counter] >= 0).all()


def test_evidence_with_another_table_gets_its_own_structure(period):
    ev = period.evidence
    apply_policy(ev, "permenpanrb_2022")  # derives pools into the shared structure
    table = ev.employees.assign(unit_id=ev.employees["unit_id"].to_numpy()[::-1])
    other = dataclasses.replace(ev, employees=table)
    assert other.structure is not ev.structure and other.structure.belongs_to(table)
    assert len(other.structure.derived) == 0
    # the same table keeps the structure; the per-period results start empty
    same = dataclasses.replace(ev, capaian=ev.capaian * 0.5)
    assert same.structure is ev.structure and len(same.derived) == 0 and len(ev.derived) > 0
