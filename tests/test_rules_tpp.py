"""Allowance deductions (Permentan 68/2012) and predikat cuts (KLHK, Bakamla)."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.rules import tpp


def test_lateness_bands_from_minutes():
    got = tpp.lateness_band([0, 1, 30, 31, 60, 61, 90, 91, 400, np.nan])
    assert got.tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]


def test_deductions_add_up_per_month_and_are_vectorised():
    late = np.array([[1, 1, 1, 1], [0, 0, 0, 0], [40, 0, 0, 0]])
    early = np.array([[0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]])
    got = tpp.discipline_deduction_percent(late, early, [2, 0, 30])
    np.testing.assert_allclose(got, [15, 0, 100])


def test_deduction_rejects_wrong_shapes_and_negative_counts():
    with pytest.raises(ValueError, match="bands"):
        tpp.discipline_deduction_percent([1, 2, 3])
    with pytest.raises(ValueError, match=">= 0"):
        tpp.discipline_deduction_percent([[-1, 0, 0, 0]])
    with pytest.raises(ValueError, match="absent_days"):
        tpp.discipline_deduction_percent(absent_days=-1)


def test_paid_after_deduction():
    np.testing.assert_allclose(
        tpp.paid_after_deduction([1_000_000, 2_000_000], [15, 100]), [850_000, 0]
    )


def test_klhk_and_bakamla_schemes():
    codes = [0, 1, 2, 3, 4]
    np.testing.assert_allclose(tpp.predikat_paid_percent(codes, "klhk"), [100, 100, 90, 85, 80])
    np.testing.assert_allclose(tpp.predikat_cut_percent(codes, "bakamla"), [0, 0, 0, 1, 2])


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError, match="scheme"):
        tpp.predikat_paid_percent([1], "nowhere")
