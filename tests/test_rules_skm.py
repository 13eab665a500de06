"""SKM index, grade and sample size (PermenPANRB 14/2017; Krejcie & Morgan 1970)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.reference import load_table, table_source
from simulate.rules import skm


def test_krejcie_morgan_formula_reproduces_every_row_of_the_published_table():
    table = load_table("krejcie_morgan")
    assert len(table) == 17
    got = skm.krejcie_morgan_sample_size(table["population"].to_numpy())
    np.testing.assert_array_equal(got, table["sample_size"].to_numpy())


def test_rounding_up_would_not_reproduce_the_table():
    # Documents why the formula rounds to nearest: ceil gives 20 -> 20, not the published 19.
    p = load_table("krejcie_morgan_parameters").set_index("parameter")["value"]
    spread = p["chi_square"] * p["proportion"] * (1 - p["proportion"])
    exact = spread * 20 / (p["margin"] ** 2 * 19 + spread)
    assert np.ceil(exact) == 20
    assert skm.krejcie_morgan_sample_size(20) == 19


def test_sample_size_of_an_empty_population_is_zero_and_never_exceeds_the_population():
    assert skm.krejcie_morgan_sample_size(0) == 0
    sizes = np.arange(0, 2000)
    assert np.all(skm.krejcie_morgan_sample_size(sizes) <= sizes)
    assert skm.krejcie_morgan_sample_size(10**9) == 384


def test_sample_size_rejects_a_negative_population():
    with pytest.raises(ValueError, match="population"):
        skm.krejcie_morgan_sample_size(-1)


@given(st.integers(0, 10**7), st.integers(0, 10**7))
def test_sample_size_grows_with_the_population(a, b):
    small, large = sorted((a, b))
    assert skm.krejcie_morgan_sample_size(small) <= skm.krejcie_morgan_sample_size(large)


@pytest.mark.parametrize(
    "converted, grade",
    [
        (25.0, "D"),
        (64.99, "D"),
        (65.0, "C"),
        (76.6, "C"),
        (76.61, "B"),
        (88.3, "B"),
        (88.31, "A"),
        (100.0, "A"),
    ],
)
def test_grade_bounds_are_half_open_on_the_converted_index(converted, grade):
    assert skm.ikm_grade(converted) == grade


def test_grade_survives_float_noise_at_a_bound():
    # 3.0644 x 25 is 76.61 on paper but 76.60999999999999 in binary floating point.
    assert skm.ikm_grade(skm.convert_ikm(3.0644)) == "B"
    assert skm.ikm_grade(skm.convert_ikm(3.5324)) == "A"


def test_grade_is_vectorised_and_blank_for_nan():
    got = skm.ikm_grade(np.array([[30.0, np.nan], [90.0, 70.0]]))
    assert got.tolist() == [["D", ""], ["A", "C"]]


@settings(max_examples=200)
@given(st.floats(0, 120), st.floats(0, 120))
def test_grade_is_monotone_in_the_converted_index(a, b):
    order = "DCBA"
    low, high = sorted((a, b))
    assert order.index(str(skm.ikm_grade(low))) <= order.index(str(skm.ikm_grade(high)))


def test_conversion_is_times_25():
    np.testing.assert_allclose(skm.convert_ikm([1.0, 2.6, 4.0]), [25.0, 65.0, 100.0])


def test_ikm_is_the_equally_weighted_mean_of_element_means():
    answers = np.full((3, 9), 4.0)
    answers[:, 8] = [1.0, np.nan, 0.0]  # element 9: one answer of 1, two unanswered
    assert skm.ikm_from_responses(answers) == pytest.approx((8 * 4 + 1) / 9)


def test_element_without_any_answer_makes_the_index_undefined():
    answers = np.full((2, 9), 3.0)
    answers[:, 0] = np.nan
    assert np.isnan(skm.ikm_from_responses(answers))


def test_ikm_from_element_means_is_vectorised_over_units():
    means = np.stack([np.full(9, 2.0), np.linspace(1, 4, 9)])
    np.testing.assert_allclose(skm.ikm_from_element_means(means), [2.0, 2.5])
    assert skm.ikm_from_element_means(np.ones((2, 3, 9))).shape == (2, 3)


@pytest.mark.parametrize(
    "responses, message",
    [(np.ones((3, 8)), "shape"), (np.full((2, 9), 5.0), "1-4"), (np.full((2, 9), -1.0), "1-4")],
)
def test_bad_responses_are_rejected(responses, message):
    with pytest.raises(ValueError, match=message):
        skm.ikm_from_responses(responses)


def test_grade_table_is_sourced():
    assert "PermenPANRB 14/2017" in table_source("skm_grades")
    assert "Krejcie" in table_source("krejcie_morgan")
