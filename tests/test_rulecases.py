"""The rule-case runner: shipped cases, exit codes and messages."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
import yaml

from simulate import rulecases
from simulate.errors import UserError
from simulate.rulecases import RULES, list_rules, load_cases, run_files

RULE_DIR = Path(__file__).parent / "rules"
SHIPPED = sorted(RULE_DIR.glob("*.yaml"))

PASSING = """\
- name: Both axes above expectation give Sangat Baik
  rule: permenpanrb_2022.predikat
  input: {hasil_kerja: di_atas, perilaku_kerja: di_atas}
  output: {predikat: sangat_baik}
"""


def write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def run(paths):
    out, err = io.StringIO(), io.StringIO()
    code = run_files(paths, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_all_shipped_rule_cases_pass():
    code, out, err = run([str(p) for p in SHIPPED])
    assert code == 0, out + err
    assert "FAIL" not in out
    assert out.strip().splitlines()[-1].endswith(" passed, 0 failed")


def test_every_rule_has_shipped_cases():
    used = {case.rule for path in SHIPPED for case in load_cases(path)}
    assert used == set(RULES)


def test_shipped_case_names_are_unique_sentences():
    names = [case.name for path in SHIPPED for case in load_cases(path)]
    assert len(names) == len(set(names))
    assert all(len(name.split()) >= 4 for name in names)


def test_required_rules_have_the_agreed_fields():
    required = {
        "skm.ikm": ({"responses"}, {"ikm", "converted", "grade"}),
        "capaian": ({"target", "realisation", "lower_is_better"}, {"capaian"}),
        "pp46_2011.skp_activity": ({"quantity", "quality", "time", "cost"}, {"value"}),
        "pp46_2011.final": ({"skp", "behaviour"}, {"score", "predikat"}),
        "pp30_2019.final": ({"skp", "behaviour", "uses_360", "new_idea"}, {"score", "predikat"}),
        "permenpanrb_2022.predikat": ({"hasil_kerja", "perilaku_kerja"}, {"predikat"}),
        "permenpanrb_2022.curve_check": ({"org_predikat", "counts"}, {"valid", "violations"}),
        "angka_kredit.annual": ({"predikat", "coefficient", "months"}, {"credit"}),
    }
    for name, (inputs, outputs) in required.items():
        assert set(RULES[name].inputs) == inputs, name
        assert outputs <= set(RULES[name].outputs), name
    assert RULES["angka_kredit.annual"].inputs["months"].default == 12


def test_list_rules_names_inputs_and_outputs():
    listing = {info.name: info for info in list_rules()}
    assert set(listing) == set(RULES)
    info = listing["skm.ikm"]
    assert list(info.inputs) == ["responses"] and "grade" in info.outputs
    assert str(info) == "skm.ikm: responses -> ikm, converted, grade"


def test_passing_file_exits_0_with_one_line_per_case_and_a_closing_line(tmp_path):
    code, out, err = run([write(tmp_path, PASSING)])
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert (
        lines[0].startswith("PASS") and "Both axes above expectation give Sangat Baik" in lines[0]
    )
    assert lines[-1] == "1 passed, 0 failed"


def test_failing_case_exits_1_and_shows_expected_and_got(tmp_path):
    path = write(
        tmp_path,
        PASSING
        + """\
- name: A wrong expectation fails
  rule: pp46_2011.final
  input: {skp: 85.5, behaviour: 80}
  output: {score: 83.0, predikat: baik}
""",
    )
    code, out, _ = run([path])
    assert code == 1
    fail = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert len(fail) == 1
    assert "A wrong expectation fails" in fail[0] and "score: expected 83.0, got 83.3" in fail[0]
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_tolerance_widens_numeric_comparison(tmp_path):
    case = """\
- name: Score close enough within the stated tolerance
  rule: pp46_2011.final
  input: {skp: 85.5, behaviour: 80}
  output: {score: 83.301}
  tolerance: {tol}
"""
    assert run([write(tmp_path, case.replace("{tol}", "0.005"))])[0] == 0
    assert run([write(tmp_path, case.replace("{tol}", "0.0001"))])[0] == 1


def test_lists_and_text_compare_exactly(tmp_path):
    path = write(
        tmp_path,
        """\
- name: Violations must match word for word
  rule: permenpanrb_2022.curve_check
  input: {org_predikat: istimewa, counts: {sangat_baik: 2}}
  output: {valid: false, violations: ["sangat_baik: has 2 of 2, at most 1 allowed"]}
""",
    )
    assert run([path])[0] == 1


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("- name: x\n  rule: [unclosed\n", ["not valid YAML", "line"]),
        ("name: not a list\n", ["expected a list of cases"]),
        ("- just a string\n", ["case 0", "expected a mapping"]),
        (
            "- {name: No rule given, input: {}, output: {x: 1}}\n",
            ["case 0", "'No rule given'", "missing key(s) ['rule']"],
        ),
        (PASSING.replace("  output:", "  note: hi\n  output:"), ["unknown key(s) ['note']"]),
        (
            PASSING.replace("permenpanrb_2022.predikat", "permenpanrb_2022.quadrant"),
            ["unknown rule 'permenpanrb_2022.quadrant'"],
        ),
        (
            PASSING.replace("perilaku_kerja: di_atas", "perilaku: di_atas"),
            ["input field 'perilaku' is unknown"],
        ),
        (
            PASSING.replace(", perilaku_kerja: di_atas", ""),
            ["input field 'perilaku_kerja' is missing"],
        ),
        (
            PASSING.replace("hasil_kerja: di_atas", "hasil_kerja: above"),
            ["input field 'hasil_kerja'", "one of di_bawah, sesuai, di_atas"],
        ),
        (
            PASSING.replace("predikat: sangat_baik", "predikat: excellent"),
            ["output field 'predikat'"],
        ),
        (PASSING.replace("predikat: sangat_baik", "grade: A"), ["output field 'grade' is unknown"]),
        (PASSING.replace("  output:", "  tolerance: -1\n  output:"), ["tolerance"]),
        (
            PASSING.replace("output: {predikat: sangat_baik}", "output: {}"),
            ["output: list at least one"],
        ),
    ],
)
def test_malformed_files_exit_2_with_one_clear_message(tmp_path, text, fragments):
    path = write(tmp_path, text)
    code, out, err = run([path])
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert path in err
    for fragment in fragments:
        assert fragment in err
    assert "passed" not in out  # nothing runs when a file is malformed


def test_ill_typed_numbers_and_booleans_exit_2(tmp_path):
    path = write(
        tmp_path,
        """\
- name: A text where a number belongs
  rule: capaian
  input: {target: ten, realisation: 8}
  output: {capaian: 80}
""",
    )
    code, _, err = run([path])
    assert code == 2 and "input field 'target': expected a number" in err
    path = write(
        tmp_path,
        """\
- name: A number where true or false belongs
  rule: capaian
  input: {target: 10, realisation: 8, lower_is_better: 1}
  output: {capaian: 80}
""",
    )
    code, _, err = run([path])
    assert code == 2 and "lower_is_better" in err and "true or false" in err


def test_input_the_rule_rejects_exits_2(tmp_path):
    path = write(
        tmp_path,
        """\
- name: A zero target cannot be divided by
  rule: capaian
  input: {target: 0, realisation: 8}
  output: {capaian: 80}
""",
    )
    code, _, err = run([path])
    assert code == 2 and "A zero target cannot be divided by" in err and "target" in err


def test_missing_file_and_no_files_exit_2(tmp_path):
    code, _, err = run([str(tmp_path / "absent.yaml")])
    assert code == 2 and "absent.yaml" in err
    code, _, err = run([str(tmp_path)])  # an empty folder
    assert code == 2 and "no rule case files" in err


def test_a_folder_runs_every_yaml_file_in_it(tmp_path):
    write(tmp_path, PASSING, "a.yaml")
    write(tmp_path, PASSING, "b.yaml")
    code, out, _ = run([str(tmp_path)])
    assert code == 0 and out.splitlines()[-1] == "2 passed, 0 failed"


def test_outputs_a_case_does_not_list_are_not_checked(tmp_path):
    path = write(
        tmp_path,
        """\
- name: Only the predikat is checked here
  rule: pp30_2019.final
  input: {skp: 110, behaviour: 110, new_idea: true}
  output: {predikat: sangat_baik}
""",
    )
    assert run([path])[0] == 0


def test_load_cases_raises_user_error(tmp_path):
    with pytest.raises(UserError, match="expected a list of cases"):
        load_cases(write(tmp_path, "{}\n"))


def test_main_runs_files_and_lists_rules(tmp_path, capsys):
    assert rulecases.main([write(tmp_path, PASSING)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"
    assert rulecases.main(["--list"]) == 0
    assert "permenpanrb_2022.curve_check" in capsys.readouterr().out


def test_shipped_files_are_plain_yaml_lists():
    for path in SHIPPED:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), list), path
