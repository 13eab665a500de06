"""The identity-keyed memo behind the shared per-population work of multi-period runs."""

import gc

import numpy as np
import pandas as pd
import pytest

from simulate import memo as memo_mod
from simulate.cycle import simulate_period
from simulate.memo import column, memo, memoised


def test_memo_is_per_object_and_dies_with_it():
    a, b = pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2]})
    memo(a)["k"] = 1
    assert memo(a) == {"k": 1}
    assert memo(b) == {}
    key = id(a)
    del a
    gc.collect()
    assert key not in memo_mod._STORE


def test_memoised_computes_once():
    obj = pd.DataFrame({"x": [1]})
    calls = []
    for _ in range(3):
        assert memoised(obj, "k", lambda: calls.append(1) or 42) == 42
    assert calls == [1]


def test_column_is_cached_and_read_only():
    df = pd.DataFrame({"x": [1.0, 2.0], "y": [3, 4]})
    x = column(df, "x")
    assert x is column(df, "x")
    np.testing.assert_array_equal(x, [1.0, 2.0])
    with pytest.raises(ValueError):
        x[0] = 5.0
    assert column(df, "y", float).dtype == np.float64
    assert df["x"].iloc[0] == 1.0


def test_periods_of_one_population_share_the_employee_table(baseline):
    p0 = simulate_period(baseline, seed=3, period=0)
    p1 = simulate_period(baseline, seed=3, period=1, population=p0.population)
    assert p1.evidence.employees is p0.evidence.employees
    assert "nip" not in p0.evidence.employees.columns
    counter = p0.evidence.employees["is_counter_staff"].to_numpy()
    assert counter.any() and (p0.evidence.employees["service_point_id"].to_numpy()[counter] >= 0).all()
