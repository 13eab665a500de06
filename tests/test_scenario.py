"""Scenario files: validation, inheritance and the messages a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulate.errors import ScenarioError
from simulate.assemble import load_scenario, scenario_from_dict
from simulate.scenario import scenario_hash

PRESETS = sorted(p for p in (Path(__file__).resolve().parents[1] / "params").rglob("*.yaml")
                 if p.parent.name not in ("policies", "sweeps", "cases"))  # policy, sweep and case files are not scenarios


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_every_shipped_scenario_validates(path):
    sc = load_scenario(path)
    assert sc.name == path.stem
    assert sc.population.n_employees >= 1


def test_extends_overrides_only_what_differs(root):
    town = load_scenario(root / "params" / "presets" / "small_town.yaml")
    base = load_scenario(root / "params" / "baseline.yaml")
    assert town.population.n_employees == 1000
    assert town.population.team_size_mean == base.population.team_size_mean
    assert town.raters == base.raters


def test_partial_override_of_a_mapping_keeps_other_defaults():
    sc = scenario_from_dict({"work": {"indicators": {"dukcapil_dokumen": {"validity": 0.6}}}})
    assert sc.work.indicators["dukcapil_dokumen"].validity == 0.6
    assert sc.work.indicators["dukcapil_dokumen"].reliability == 0.9
    assert len(sc.work.indicators) == len(scenario_from_dict({}).work.indicators)


def _problems(data: dict) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value.problems


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"raters": {"supervisor": {"leniency_sd": -1}}}, "raters.supervisor.leniency_sd: must be >= 0"),
        ({"raters": {"supervisor": {"lenency_sd": 1}}}, "raters.supervisor.lenency_sd: unknown key; did you mean 'leniency_sd'?"),
        ({"population": {"n_employees": "many"}}, "population.n_employees: must be a whole number, got 'many'"),
        ({"population": {"opd_mix": {"dukcapil": 0.5}}}, "population.opd_mix: shares must sum to 1"),
        ({"population": {"opd_mix": {"rumah_sakit": 0.0}}}, "population.opd_mix: unknown OPD kind 'rumah_sakit'"),
        ({"population": {"team_size_mean": 30}}, "population.team_size_mean: a team of 30 plus its head does not fit"),
        ({"work": {"indicators": {"dukcapil_dokumen": {"contamination": 1.0}}}},
         "work.indicators.dukcapil_dokumen.contamination: must be < 1"),
        ({"appraisal": {"period_months": 5}}, "appraisal.period_months: must divide 12"),
        ({"raters": {"scales": {"expectation_below": 3, "expectation_above": 2}}},
         "raters.scales.expectation_below, raters.scales.expectation_above: below (3) must be less than above (2)"),
        ({"citizens": {"services": {"pendidikan": {"visits_per_resident_per_year": 1}}}}, "is not a counter-service kind"),
        ({"seed": -3}, "seed: must be >= 0, got -3"),
    ],
    ids=["negative-sd", "typo", "wrong-type", "shares", "unknown-kind", "team-too-big", "variance-budget",
         "period", "thresholds", "not-counter", "negative-seed"],
)
def test_invalid_values_get_one_line_naming_the_field(data, expected):
    problems = _problems(data)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once():
    problems = _problems({"seed": -1, "population": {"share_pppk": 2}, "raters": {"n_peers": -1}})
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("population: [1, 2\n", "malformed YAML at line"),
        ("- just\n- a list\n", "a scenario must be a mapping"),
        ("extends: nowhere.yaml\n", "extends: file not found: nowhere.yaml"),
        ("extends: 3\n", "extends: must be a file path"),
    ],
)
def test_bad_files_are_reported_without_traceback(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=expected.replace("[", r"\[")):
        load_scenario(path)


def test_circular_extends_is_caught(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ScenarioError, match="circular inheritance"):
        load_scenario(tmp_path / "a.yaml")


def test_missing_file():
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_scenario("no/such/file.yaml")


def test_yaml_is_data_not_code(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ScenarioError, match="malformed YAML"):
        load_scenario(path)


def test_every_parameter_has_description_and_unit():
    from pydantic import BaseModel

    from simulate.scenario.schema import Scenario

    import typing

    def walk(model):
        for name, field in model.model_fields.items():
            ann = field.annotation
            assert field.description, f"{model.__name__}.{name} has no description"
            optional = [a for a in typing.get_args(ann) if isinstance(a, type) and issubclass(a, BaseModel)]
            if optional:  # an optional section (``Model | None``): its own fields are checked
                ann = optional[0]
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann)
            else:
                extra = field.json_schema_extra or {}
                assert "unit" in extra, f"{model.__name__}.{name} has no unit"

    walk(Scenario)


def test_hash_is_stable_and_sensitive():
    a = scenario_from_dict({})
    b = scenario_from_dict({})
    c = scenario_from_dict({"seed": 1})
    assert scenario_hash(a) == scenario_hash(b) != scenario_hash(c)


def test_scenario_can_use_a_policy_file_and_override_it(tmp_path, root):
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {root / 'params' / 'baseline.yaml'}\n"
                    "policies:\n  - name: pp30_2019\n  - file: jambi_objective\n"
                    "  - {file: makassar_target, name: makassar_strict, params: {curve: enforce}}\n")
    sc = load_scenario(path)
    names = [(p.name, p.rule) for p in sc.policies]
    assert names == [("pp30_2019", "pp30_2019"), ("jambi_objective", "composed"), ("makassar_strict", "composed")]
    assert sc.policies[2].params["curve"] == "enforce"
    assert sc.policies[1].label.startswith("Jambi")


def test_missing_or_invalid_policy_file_names_the_entry(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("policies:\n  - file: nope.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == ["policies[0].file: policy file not found: nope.yaml"]
    bad = tmp_path / "p.yaml"
    bad.write_text("name: x\npolicy: composed\nparams:\n  components: [{source: ikm, weight: 1}]\n")
    path.write_text(f"policies:\n  - file: {bad}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert any("unknown source 'ikm'" in p and p.startswith("policies[0].file") for p in info.value.problems)


def test_unknown_policy_name_is_a_scenario_error():
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"policies": [{"name": "pp30_2019"}, {"name": "pp31_2019"}]})
    assert any("unknown policy 'pp31_2019'; did you mean 'pp30_2019'?" in p for p in info.value.problems)
