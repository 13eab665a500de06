"""kinerja case --input: one person from a file, scored by the arms' own policies and schemes.

The shipped example (data/examples/person.yaml) is checked against figures computed by hand
from the regulations (domain/regulations.md), with the default tables:

- PP 46/2011 (Perka BKN 1/2013): activity 1 "Pasien dilayani" 1,320 of 1,200: kuantitas 110
  clipped to the 0-100 scale = 100, kualitas = the superior's judgement 85, waktu unmeasured
  = 76 -> (100 + 85 + 76) / 3 = 87.00; activity 2 "waktu layanan" 27 of 30 minutes: kuantitas
  100, kualitas 85, waktu (1.76 x 30 - 27) / 30 x 100 = 86 -> 90.33; SKP = 88.67; behaviour =
  86 on the five non-structural dimensions; score = 0.6 x 88.67 + 0.4 x 86 = 87.60 -> Baik.
- PermenPANRB 6/2022: results by the superior 85 (between 65.8 and 92.8 on 0-100 = sesuai),
  behaviour 86 (sesuai) -> quadrant cell (sesuai, sesuai) = Baik; unit of one with
  organisation predikat Baik: the curve leaves Baik.
- TPP: fungsional golongan III = Rp 3,000,000 a month x 12 = Rp 36,000,000; productivity 60 %
  = Rp 21,600,000 paid at 100 % (Baik, KLHK); discipline 40 % = Rp 14,400,000 cut each month by
  TL1 6/12 x 0.5 % + TL2 3/12 x 1 % + absence 2/12 x 4 % = 1.1667 % -> Rp 14,232,000; paid
  Rp 35,832,000, cut Rp 168,000.
- Angka kredit: III/b = Ahli Pertama, coefficient 12.5, Baik 100 % -> 12.50; Butuh Perbaikan
  75 % -> 9.375 -> 9.38 (PerBKN 3/2023 rounds half-up to 2 decimals).
"""

from __future__ import annotations

import json

import pytest
import yaml
from openpyxl import load_workbook

from simulate.assemble import load_scenario
from simulate.case import EmployeeCase
from simulate.case_person import arm_spec, person_case
from simulate.case_trail import TRAIL, shown, trail_name
from simulate.cli import main
from simulate.errors import ScenarioError, UserError
from simulate.person import Person
from simulate.person_files import read_person, write_person_template
from simulate.scenario.schema import PolicySpec

NAME, NIP = "Contoh Pegawai", "199001012015032001"


@pytest.fixture(scope="module")
def scenario(root):
    return load_scenario(root / "params" / "presets" / "test.yaml")


@pytest.fixture(scope="module")
def example(root):
    return yaml.safe_load((root / "data" / "examples" / "person.yaml").read_text())


@pytest.fixture(scope="module")
def case(scenario, example):
    return person_case(scenario, Person.model_validate(example))


def two_arms(scenario, **params_2022):
    """The scenario with only the 2022 rule (with ``params_2022``) and PP 46/2011 as arms."""
    return scenario.model_copy(update={"policies": [
        PolicySpec(name="permenpanrb_2022", params=params_2022), PolicySpec(name="pp46_2011")]})


def arm(case, name):
    return next(a for a in case.arms if a["name"] == name)


def scheme(arm_, name):
    return next(s for s in arm_["schemes"] if s["name"] == name)["values"]


def test_pp46_score_is_60_percent_skp_and_40_percent_behaviour(case):
    assert isinstance(case, EmployeeCase) and case.employee_id is None
    a = arm(case, "pp46_2011")
    assert a["trail"]["skp"] == pytest.approx((87.0 + (100 + 85 + 86) / 3) / 2)
    assert a["trail"]["behaviour"] == pytest.approx(86.0)
    assert a["score"] == pytest.approx(0.6 * a["trail"]["skp"] + 0.4 * 86.0) == pytest.approx(87.6)
    assert a["predikat"] == "baik"


def test_the_2022_quadrant_cell_and_the_curve_over_a_unit_of_one(case):
    a = arm(case, "permenpanrb_2022")
    t = a["trail"]
    assert (t["results"], t["behaviour"], t["predikat_quadrant"]) == (1, 1, 1)  # sesuai x sesuai -> Baik
    assert t["pool_size"] == 1 and t["org_predikat_pool"] == 1 and t["moved_by_curve"] is False
    assert a["predikat"] == "baik" and a["score"] is None
    assert a["why"][0][0] == "Sel kuadran kinerja: hasil kerja sesuai ekspektasi x perilaku kerja sesuai ekspektasi = Baik"


def test_tpp_in_rupiah_with_each_cut(case):
    tpp = scheme(arm(case, "permenpanrb_2022"), "tpp")
    assert tpp["amount_idr_per_month"] == 3_000_000 and tpp["months"] == 12
    assert tpp["productivity_paid_idr"] == pytest.approx(21_600_000)
    assert tpp["discipline_deduction_percent"] == pytest.approx(6 / 12 * 0.5 + 3 / 12 * 1 + 2 / 12 * 4)
    assert tpp["discipline_paid_idr"] == pytest.approx(14_232_000)
    assert tpp["paid_idr"] == pytest.approx(35_832_000) and tpp["cut_idr"] == pytest.approx(168_000)


def test_credit_points_follow_the_angka_kredit_rule(case):
    ak = scheme(arm(case, "permenpanrb_2022"), "angka_kredit")
    assert ak["jenjang"] == "ahli_pertama" and ak["coefficient"] == 12.5 and ak["angka_kredit"] == 12.5


def test_results_below_expectation_cut_tpp_and_credit(scenario, example):
    person = Person.model_validate({**example, "results_supervisor": 60})  # below 65.8: di bawah
    c = person_case(two_arms(scenario), person)
    a = arm(c, "permenpanrb_2022")
    assert a["trail"]["results"] == 0 and a["predikat"] == "butuh_perbaikan"
    tpp = scheme(a, "tpp")
    assert tpp["predikat_paid_percent"] == 90
    assert tpp["paid_idr"] == pytest.approx(21_600_000 * 0.9 + 14_232_000)
    assert scheme(a, "angka_kredit")["angka_kredit"] == pytest.approx(9.38)
    # PP 46/2011 reads the same judgement as kualitas: (100+60+76)/3 and (100+60+86)/3
    assert arm(c, "pp46_2011")["score"] == pytest.approx(0.6 * (236 / 3 + 246 / 3) / 2 + 0.4 * 86)


def test_an_enforced_curve_moves_the_person_and_says_why(scenario, example):
    person = Person.model_validate({**example, "unit_predikat": "kurang"})
    c = person_case(two_arms(scenario, curve="enforce"), person)
    a = arm(c, "permenpanrb_2022")
    assert a["trail"]["predikat_quadrant"] == 1 and a["trail"]["moved_by_curve"] is True
    assert a["predikat"] == "kurang"
    text = c.text("id")
    assert "tidak membolehkan predikat Baik; dipindah ke Kurang" in text
    assert "does not allow Good; moved to Poor" in c.text("en")


def test_the_persons_own_tpp_amount_and_no_regional_cap(scenario, example):
    person = Person.model_validate({**example, "tpp_amount_idr_per_month": 4_500_000})
    sc = two_arms(scenario).model_copy(update={"rewards": [
        r.model_copy(update={"params": {"budget_cap_idr": 1.0}}) if r.name == "tpp" else r for r in scenario.rewards]})
    tpp = scheme(arm(person_case(sc, person), "pp46_2011"), "tpp")
    assert tpp["amount_idr_per_month"] == pytest.approx(4_500_000) and tpp["cap_factor"] == 1.0
    assert tpp["paid_idr"] == pytest.approx(4_500_000 * 12 * (0.6 + 0.4 * (1 - 7 / 600)))


def test_indicator_weights_reach_the_rule_that_weights_indicators(example):
    person = Person.model_validate({**example, "indicators": [{**example["indicators"][0], "weight": 3},
                                                             {**example["indicators"][1], "kind": "budget"}]})
    spec = arm_spec(PolicySpec(name="objective_index", params={"weights": {"other": 2.0}}), person)
    assert spec.params["weights"] == {"other": 2.0, "indikator_1": 3.0, "indikator_2_anggaran": 1.0}
    assert arm_spec(PolicySpec(name="pp46_2011"), person).params == {}


def test_yaml_and_xlsx_give_identical_output(root, scenario):
    from_yaml = read_person(root / "data" / "examples" / "person.yaml")
    from_xlsx = read_person(root / "data" / "examples" / "person.xlsx")
    assert from_yaml == from_xlsx
    sc = two_arms(scenario)
    a, b = person_case(sc, from_yaml), person_case(sc, from_xlsx)
    assert a.text("id") == b.text("id") and a.text("en") == b.text("en")
    assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)


def test_text_speaks_labels_and_states_the_group_of_one_assumptions(case):
    text_id, text_en = case.text("id"), case.text("en")
    assert "Asumsi kelompok satu orang" in text_id and "unit satu orang" in text_id
    assert "Group-of-one assumptions" in text_en and "Peer ratings: 4 people" in text_en
    assert "Rp 35.832.000" in text_id and "IDR 35,832,000" in text_en  # numbers in the locale's format
    assert "87,60" in text_id and "87.60" in text_en
    for code in ("permenpanrb_2022", "moved_by_curve", "predikat_quadrant", "sangat_baik", "ahli_pertama",
                 "butuh_perbaikan", "True", "False"):
        assert code not in text_id and code not in text_en


def test_every_trail_value_of_every_arm_has_a_label_in_both_languages(case):
    for a in case.arms:
        for key in a["trail"]:
            if shown(key):
                base = a.get("base_rule")
                assert trail_name(key, a["rule"], "id", base) and trail_name(key, a["rule"], "en", base), (a["rule"], key)
    assert all(len(v) == 2 and all(v) for v in TRAIL.values())


@pytest.fixture(scope="module")
def small_scenario(root, tmp_path_factory):
    """A scenario file with two arms (the test preset's other settings), for the command-line tests."""
    path = tmp_path_factory.mktemp("scenario") / "two_arms.yaml"
    path.write_text(f"extends: {root / 'params' / 'presets' / 'test.yaml'}\nname: two_arms\n"
                    "policies: [{name: permenpanrb_2022}, {name: pp46_2011}]\n")
    return str(path)


def test_name_and_nip_are_never_printed(root, small_scenario, capsys):
    path = str(root / "data" / "examples" / "person.yaml")
    assert main(["case", small_scenario, "--input", path, "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["arms"][0]["label_en"].startswith("PermenPANRB") and "assumptions" in data
    assert main(["case", small_scenario, "--input", path, "--lang", "en"]) == 0
    out += capsys.readouterr().out
    assert NAME not in out and NIP not in out and "person.yaml" not in out


def test_bad_yaml_names_each_field_and_exits_2(tmp_path, example, small_scenario, capsys):
    bad = {**example, "results_supervisor": True, "colour": "red",
           "indicators": [{**example["indicators"][0], "target": float("nan")}, {**example["indicators"][1], "kind": "jam"}]}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    assert main(["case", small_scenario, "--input", str(path)]) == 2
    err = capsys.readouterr().err
    assert "results_supervisor: must be a valid number, got True" in err
    assert "indicators[0].target: must be a finite number" in err
    assert "indicators[1].kind: must be one of" in err and "colour: unknown field" in err
    assert "Traceback" not in err and NAME not in err


def test_bad_workbook_names_sheet_row_and_column(root, tmp_path, capsys):
    wb = load_workbook(root / "data" / "examples" / "person.xlsx")
    wb["Indikator"]["B4"] = "tiga puluh"
    wb["Perilaku"]["B5"] = 140
    wb["Pegawai"]["B5"] = True  # golongan: a bool is not a golongan
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(ScenarioError) as exc:
        read_person(path)
    text = str(exc.value)
    assert "sheet 'Indikator', row 4, column B (Target): must be a valid number, got 'tiga puluh'" in text
    assert "sheet 'Perilaku', row 5, column B (Atasan): must be less than or equal to 100" in text
    assert "sheet 'Pegawai', row 5, column B (Golongan)" in text
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(UserError, match="not a readable Excel workbook"):
        read_person(broken)
    with pytest.raises(UserError, match=r"\.yaml, \.yml or \.xlsx"):
        read_person(tmp_path / "orang.csv")


def test_strict_numbers_and_consistent_counts():
    base = {"position_type": "pelaksana", "golongan": "II/c", "opd_kind": "dukcapil", "unit_predikat": "baik",
            "results_supervisor": 80, "behaviour": {"supervisor": 80}}
    Person.model_validate(base)
    for change, field in (({"discipline": {"late_tl1": 1.5}}, "late_tl1"), ({"extra_tasks": True}, "extra_tasks"),
                          ({"behaviour": {"supervisor": 80, "n_peers": 3}}, "n_peers"),
                          ({"status": "PPPK"}, "golongan"), ({"results_supervisor": float("inf")}, "results_supervisor")):
        with pytest.raises(Exception) as exc:
            Person.model_validate({**base, **change})
        assert field in str(exc.value)


def test_template_never_overwrites_and_reads_back(tmp_path, scenario, capsys):
    path = tmp_path / "orang.xlsx"
    assert main(["template", "--person", str(path)]) == 0
    before = path.read_bytes()
    assert main(["template", "--person", str(path)]) == 2
    assert "never overwrites" in capsys.readouterr().err and path.read_bytes() == before
    wb = load_workbook(path)
    assert wb.sheetnames == ["Pegawai", "Indikator", "Perilaku"]
    assert "pelaksana / fungsional" in str(wb["Pegawai"]["C4"].value)  # allowed values beside the cell
    assert wb["Pegawai"].data_validations.dataValidation  # drop-down lists
    assert read_person(path).position_type == "fungsional"  # the example values validate as they are


def test_either_employee_or_input(root, capsys):
    assert main(["case", "test"]) == 2
    path = str(root / "data" / "examples" / "person.yaml")
    assert main(["case", "test", "--input", path, "--employee", "3"]) == 2
    assert "either --employee" in capsys.readouterr().err
