"""Indicator achievement and value (PermenPANRB 8/2021)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.rules.capaian import capaian, capaian_value

positive = st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False)
non_negative = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)


def test_normal_and_lower_is_better_indicators():
    got = capaian([100, 100, 10, 10, 10], [80, 120, 8, 15, 25], [False, False, True, True, True])
    np.testing.assert_allclose(got, [80, 120, 120, 50, 0])


@pytest.mark.parametrize("target, realisation", [(0, 1), (-5, 1), (10, -1)])
def test_bad_targets_and_realisations_raise(target, realisation):
    with pytest.raises(ValueError):
        capaian(target, realisation)


@given(positive, non_negative, non_negative)
def test_achievement_rises_with_realisation_for_normal_indicators(target, r1, r2):
    low, high = sorted((r1, r2))
    assert capaian(target, low) <= capaian(target, high)


@given(positive, non_negative, non_negative)
def test_achievement_falls_with_realisation_for_lower_is_better_indicators(target, r1, r2):
    low, high = sorted((r1, r2))
    assert capaian(target, low, True) >= capaian(target, high, True) >= 0


@pytest.mark.parametrize(
    "achieved, value",
    [
        (0, 0),
        (59, 49),
        (60, 50),
        (79, 69),
        (80, 70),
        (98, 88),
        (99, 89),
        (100, 109),
        (101, 110),
        (110, 120),
        (200, 120),
    ],
)
def test_value_table_points(achieved, value):
    assert capaian_value(achieved) == pytest.approx(value)


def test_maximum_possible_target_reached_is_worth_120():
    np.testing.assert_allclose(capaian_value([100, 99], target_is_maximum=True), [120, 89])


@given(st.floats(0, 300), st.floats(0, 300))
def test_value_never_falls_as_achievement_rises(a, b):
    low, high = sorted((a, b))
    assert capaian_value(low) <= capaian_value(high) + 1e-12
    assert 0 <= capaian_value(low) <= 120
