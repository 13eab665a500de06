"""Reform packages from Excel: the template, reading it back, and every bad workbook refused by
sheet, row and column with nothing run."""

from __future__ import annotations

import openpyxl
import pytest

from simulate.assemble import load_scenario
from simulate.cli import main
from simulate.errors import ScenarioError, UserError
from simulate.reforms import COLUMNS, FIRST_ROW, apply_reforms, read_reforms, write_template


def column(key: str) -> int:
    return next(k for k, c in enumerate(COLUMNS) if c.key == key) + 1


def edit(path, changes, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for (row, key), value in changes.items():
        ws.cell(row, column(key) if isinstance(key, str) else key).value = value  # None empties the cell
    wb.save(path)
    return path


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "paket.xlsx")


def test_template_round_trips_into_a_validated_scenario(root, template):
    wb = openpyxl.load_workbook(template)
    ws = wb["Paket reformasi"]
    assert ws.freeze_panes == f"B{FIRST_ROW}" and ws.cell(2, column("curve")).value.startswith("off / warn / enforce")
    assert any("enforce" in dv.formula1 for dv in ws.data_validations.dataValidation)  # a drop-down beside the cell
    packages = read_reforms(template)
    sc = apply_reforms(load_scenario(root / "params" / "presets" / "test.yaml"), packages, "paket.xlsx")
    assert [p.name for p in sc.policies] == ["status_quo", "curve_and_cut"]
    reform = sc.policies[1]
    assert reform.label == "Kurva ditegakkan + TPP dipotong" and reform.params["curve"] == "enforce"
    tpp = reform.rewards[0].params
    assert tpp["predikat_paid_percent"]["butuh_perbaikan"] == 80 and tpp["budget_cap_idr"] == 175e9


def test_the_english_template_reads_the_same(tmp_path):
    en = read_reforms(write_template(tmp_path / "packages.xlsx", "en"))
    idn = read_reforms(write_template(tmp_path / "paket.xlsx", "id"))
    assert en == idn


def test_template_never_overwrites(template):
    with pytest.raises(UserError, match="never overwrites"):
        write_template(template)


@pytest.mark.parametrize(("changes", "message"), [
    ({(4, "policy"): "pp31_2019"}, "row 4, column D (Kebijakan penilaian): unknown policy 'pp31_2019'"),
    ({(3, "budget_cap_idr"): "banyak"}, "row 3, column O (Pagu TPP per periode (Rp)): must be a number"),
    ({(4, "paid_kurang"): 300}, "row 4, column L (Dibayar % kurang): must be between 0 and 200"),
    ({(4, "paid_kurang"): None}, "row 4, column L (Dibayar % kurang): must be a number"),
    ({(4, "paid_baik"): 120}, "a worse predikat must never be paid more than a better one"),
    ({(3, "policy"): "pp30_2019"}, "row 3, column E (Kurva distribusi): applies to permenpanrb_2022 only"),
    ({(3, "paid_baik"): 90}, "only with TPP cut scheme 'custom'"),
    ({(4, "name"): "status_quo"}, "package code 'status_quo' is used twice"),
    ({(4, "name"): "Paket Baru"}, "row 4, column A (Kode paket): required: lower-case letters"),
    ({(4, "policy_params"): "{curve: [1"}, "row 4, column G (Parameter lain): must be one-line YAML"),
    ({(4, "policy_params"): "{nosuch: 1}"}, "row 4: params.nosuch: unknown"),
    ({(1, 1): "Kode"}, "column A ('Kode'): unknown column"),
])
def test_bad_workbooks_name_sheet_row_and_column(root, template, changes, message):
    edit(template, changes)
    with pytest.raises(ScenarioError) as err:
        apply_reforms(load_scenario(root / "params" / "presets" / "test.yaml"), read_reforms(template), template.name)
    assert message in str(err.value), str(err.value)
    assert "sheet 'Paket reformasi'" in str(err.value) or message.startswith("row 4: params")


def test_not_a_workbook_and_no_packages(tmp_path, template):
    bogus = tmp_path / "bogus.xlsx"
    bogus.write_text("not a zip")
    with pytest.raises(UserError, match="not a readable Excel workbook"):
        read_reforms(bogus)
    edit(template, {(3, key): None for key in ("name", "label", "label_en", "policy", "curve", "tpp_scheme")} |
         {(4, c.key): None for c in COLUMNS} | {(3, c.key): None for c in COLUMNS})
    with pytest.raises(UserError, match="no package filled in"):
        read_reforms(template)


def test_run_refuses_a_bad_workbook_before_anything_is_written(root, template, tmp_path, capsys):
    edit(template, {(4, "policy"): "pp31_2019"})
    out = tmp_path / "reports"
    code = main(["run", str(root / "params" / "presets" / "test.yaml"), "--reforms", str(template), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "row 4, column D" in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []
