"""PP 30/2019 Art. 41."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate.rules import pp30_2019 as pp30


def test_weights_70_30_and_60_40_with_360_degree_input():
    np.testing.assert_allclose(pp30.final_score([100, 100], [80, 80], [False, True]), [94, 92])


@pytest.mark.parametrize(
    "score, idea, code",
    [
        (120, True, 0),
        (110, True, 0),
        (125, True, 0),
        (109.99, True, 1),
        (115, False, 1),
        (125, False, 1),
        (90, False, 1),
        (89.99, True, 2),
        (70, False, 2),
        (69.99, False, 3),
        (50, False, 3),
        (49.99, False, 4),
        (0, True, 4),
    ],
)
def test_bands_and_the_new_idea_condition(score, idea, code):
    assert pp30.predikat(score, idea) == code


@given(st.floats(-10, 150), st.floats(-10, 150), st.booleans())
def test_higher_score_never_gets_a_worse_band(a, b, idea):
    low, high = sorted((a, b))
    assert pp30.predikat(high, idea) <= pp30.predikat(low, idea)


@given(st.floats(-10, 150))
def test_a_new_idea_never_hurts(score):
    assert pp30.predikat(score, True) <= pp30.predikat(score, False)
