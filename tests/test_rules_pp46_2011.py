"""PP 46/2011 with Perka BKN 1/2013."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.rules import pp46_2011 as pp46


def test_worked_example_totals_85_50():
    quantity = pp46.quantity_value(100, 100)
    quality = pp46.quality_value(100, 90)
    time = pp46.time_value(12, 12)
    cost = pp46.cost_value(5_000_000, 5_000_000)
    assert (quantity, quality, time, cost) == (100, 90, 76, 76)
    assert pp46.activity_value(quantity, quality, time, cost) == pytest.approx(85.50)


@pytest.mark.parametrize(
    "real, value",
    [(12, 76.0), (9.12, 100.0), (9, 75.0), (10, 92.6666667), (6, 50.0), (13, 67.6666667)],
)
def test_time_value_on_both_sides_of_the_24_percent_break(real, value):
    assert pp46.time_value(12, real) == pytest.approx(value, abs=1e-6)
    assert pp46.cost_value(1200, real * 100) == pytest.approx(value, abs=1e-6)


def test_activity_without_cost_averages_three_aspects_vectorised():
    got = pp46.activity_value([100, 100], [90, 90], [76, 76], [76, np.nan])
    np.testing.assert_allclose(got, [85.5, 266 / 3])
    assert pp46.activity_value(100, 90, 76) == pytest.approx(266 / 3)


def test_skp_value_averages_activities_and_adds_bonuses():
    activities = np.array([[85.5, 90, np.nan], [80, np.nan, np.nan]])
    got = pp46.skp_value(activities, [0, 7], ["none", "negara"])
    np.testing.assert_allclose(got, [87.75, 80 + 3 + 12])


@pytest.mark.parametrize("count, bonus", [(0, 0), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (20, 3)])
def test_extra_task_bonus_bands(count, bonus):
    assert pp46.extra_task_bonus(count) == bonus


def test_unknown_creativity_level_is_rejected():
    with pytest.raises(ValueError, match="creativity"):
        pp46.creativity_bonus(["presiden"])


def test_final_score_weights_60_40():
    assert pp46.final_score(85.5, 80) == pytest.approx(83.3)


@pytest.mark.parametrize(
    "score, code",
    [
        (100, 0),
        (91, 0),
        (90.99, 1),
        (90, 1),
        (76, 1),
        (75.99, 2),
        (61, 2),
        (60.99, 3),
        (51, 3),
        (50.99, 4),
        (50, 4),
        (0, 4),
    ],
)
def test_bands(score, code):
    assert pp46.predikat(score) == code


@given(st.floats(-10, 130), st.floats(-10, 130))
def test_higher_score_never_gets_a_worse_band(a, b):
    low, high = sorted((a, b))
    assert pp46.predikat(high) <= pp46.predikat(low)


def test_nan_score_is_not_banded():
    with pytest.raises(ValueError):
        pp46.predikat([np.nan])
