"""The regulation tables behind simulate.rules: present, sourced and consistent."""

from __future__ import annotations

import pytest

from simulate.predikat import PREDIKAT
from simulate.reference import load_table, reference_dir, table_source

RULE_TABLES = [
    "skm_grades",
    "krejcie_morgan",
    "krejcie_morgan_parameters",
    "capaian_value_bands",
    "pp46_bands",
    "pp46_time_cost",
    "pp46_bonus",
    "pp30_bands",
    "score_weights",
    "quadrant_2022",
    "distribution_curve_2022",
    "org_predikat_thresholds",
    "angka_kredit_percent",
    "lateness_deductions",
    "tukin_predikat_cuts",
]


@pytest.mark.parametrize("name", RULE_TABLES)
def test_table_starts_with_source_lines_and_loads(name):
    first = (reference_dir() / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# source:")
    assert table_source(name)
    assert len(load_table(name)) > 0


def test_weights_sum_to_one():
    weights = load_table("score_weights")
    assert ((weights["skp_weight"] + weights["behaviour_weight"]).round(12) == 1).all()


def test_quadrant_has_nine_distinct_cells_with_known_names():
    table = load_table("quadrant_2022")
    assert len(table.drop_duplicates(["hasil_kerja", "perilaku_kerja"])) == 9
    assert set(table["predikat"]) <= set(PREDIKAT)


def test_curve_table_names_known_levels():
    table = load_table("distribution_curve_2022")
    levels = {name for cell in table["levels"] for name in cell.split("+")}
    assert levels <= set(PREDIKAT)
