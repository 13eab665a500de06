"""Tables built on first use: a lazy DataFrame field behaves like a DataFrame attribute."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from simulate.frames import LazyFrame, frame_column, frame_columns


@dataclass(frozen=True)
class _Result:
    table: pd.DataFrame
    label: str = "x"


_Result.table = LazyFrame("table")


def test_columns_become_a_frame_on_first_access_only():
    cols = {"employee_id": np.arange(3), "kind": pd.Categorical(["a", "b", "a"]), "paid": np.array([1.0, 2.0, 3.0])}
    r = _Result(table=cols)
    assert frame_columns(r, "table") == ["employee_id", "kind", "paid"]
    np.testing.assert_array_equal(frame_column(r, "table", "paid"), [1.0, 2.0, 3.0])
    assert isinstance(frame_column(r, "table", "kind"), pd.Categorical)
    assert isinstance(r.__dict__["_lazy_table"], dict)  # still not built
    frame = r.table
    pd.testing.assert_frame_equal(frame, pd.DataFrame(cols))
    assert r.table is frame  # built once
    assert isinstance(frame_column(r, "table", "kind"), pd.Categorical)
    np.testing.assert_array_equal(frame_column(r, "table", "employee_id"), [0, 1, 2])


def test_a_frame_is_kept_as_given_and_bad_values_are_refused():
    df = pd.DataFrame({"a": [1, 2]})
    assert _Result(table=df).table is df
    with pytest.raises(TypeError, match="table: expected a DataFrame"):
        _Result(table=[1, 2])


def test_a_follow_up_given_columns_equals_one_given_its_frame():
    from simulate.rewards.base import FollowUp

    cols = {"employee_id": np.arange(4), "paid_idr": np.array([1.0, 0.0, 2.0, 3.0])}
    lazy = FollowUp(scheme="s", rule="tpp", policy="p", employees=cols, total_cost_idr=6.0)
    eager = FollowUp(scheme="s", rule="tpp", policy="p", employees=pd.DataFrame(cols), total_cost_idr=6.0)
    assert lazy.n == eager.n == 4
    np.testing.assert_array_equal(lazy.column("paid_idr"), eager.column("paid_idr"))
    pd.testing.assert_frame_equal(lazy.employees, eager.employees)
    with pytest.raises(ValueError, match="start with employee_id"):
        FollowUp(scheme="s", rule="tpp", policy="p", employees={"paid_idr": np.ones(2)}, total_cost_idr=0.0)
