"""Functional credit points (PerBKN 3/2023)."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.rules import angka_kredit


def test_published_examples():
    assert angka_kredit.annual_credit(0, 12.5) == 18.75
    assert angka_kredit.annual_credit(1, 12.5, months=2) == 2.08


def test_percentages_by_predikat():
    np.testing.assert_allclose(angka_kredit.credit_percent([0, 1, 2, 3, 4]), [150, 100, 75, 50, 25])
    np.testing.assert_allclose(
        angka_kredit.annual_credit([0, 1, 2, 3, 4], 12.5, decimals=None),
        [18.75, 12.5, 9.375, 6.25, 3.125],
    )


def test_rounding_is_half_up_not_half_even():
    assert angka_kredit.annual_credit(4, 12.5) == 3.13  # numpy's round would give 3.12
    assert angka_kredit.round_half_up(2.085, 2) == 2.09


@pytest.mark.parametrize("months", [-1, 13])
def test_months_outside_a_year_are_rejected(months):
    with pytest.raises(ValueError, match="months"):
        angka_kredit.annual_credit(1, 12.5, months)


def test_unknown_predikat_code_is_rejected():
    with pytest.raises(ValueError, match="predikat"):
        angka_kredit.annual_credit(5, 12.5)
