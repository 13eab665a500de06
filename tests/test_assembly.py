"""``kinerja validate`` refuses what ``kinerja run`` would, and run refuses it before making a folder.

One assembly (:func:`simulate.runplan.assemble_run`) serves both commands (issue 17, items 1 and 6):
each test below is one check it makes, given to validate and to run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulate.cli import main


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _write(tmp_path: Path, root: Path, text: str, name: str = "bad.yaml", preset: str = "presets/test.yaml") -> Path:
    path = tmp_path / name
    path.write_text((f"extends: {root / 'params' / preset}\n" if preset else "") + text, encoding="utf-8")
    return path


def _refused(capsys, argv: list[str], *expected: str) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.err
    assert code == 2, captured.out + err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    return err


def _refused_by_both(tmp_path: Path, capsys, path: Path, *expected: str) -> str:
    """Refused by validate and by run with the same lines, and run leaves no folder."""
    err = _refused(capsys, ["validate", str(path)], *expected)
    out = tmp_path / "out"
    run_err = _refused(capsys, ["run", str(path), "--replications", "2", "--out", str(out)], *expected)
    assert err.splitlines()[1:] == run_err.splitlines()[1:]
    assert not out.exists()
    return err


def test_a_policy_file_without_policy_is_checked_as_a_policy_file(root, tmp_path, capsys):
    path = _write(tmp_path, root, "name: mine\nlabel: Mine\nparams: {pool: opd_kind}\n", preset="")
    err = _refused(capsys, ["validate", str(path)], "policy: required")
    assert "unknown key" not in err
    from simulate.runplan import file_kind

    assert file_kind(path) == "policy"


def test_a_sweep_file_without_design_is_checked_as_a_sweep(root, tmp_path, capsys):
    path = _write(tmp_path, root, f"scenario: {root / 'params' / 'presets' / 'test.yaml'}\nreplications: 2\n"
                  "factors:\n  - {path: raters.supervisor.halo, levels: [0.2, 0.5]}\n", preset="")
    err = _refused(capsys, ["validate", str(path)], "design: required")
    assert "unknown key" not in err
    _refused(capsys, ["run", str(path), "--out", str(tmp_path / "out")], "a sweep file, not a scenario", "kinerja sweep")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("notebook", "expected"), [
    ("real-data", "notebook: 'real-data' (05-real-data.ipynb) does not take the parameters kinerja run passes"),
    ("nosuch", "notebook: unknown notebook 'nosuch'"),
])
def test_the_notebook_must_take_the_parameters_run_passes(root, tmp_path, capsys, notebook, expected):
    _refused_by_both(tmp_path, capsys, _write(tmp_path, root, f"notebook: {notebook}\n"), expected)


def test_the_notebook_parameters_come_from_papermill():
    from simulate.notebook_registry import NOTEBOOKS
    from simulate.runplan import RUN_PARAMETERS, run_parameter_names

    for name in ("policy-comparison", "regional-cases", "indicator-objectivity", "workshop", "classic-models"):
        assert set(RUN_PARAMETERS) <= run_parameter_names(NOTEBOOKS[name].path), name
    assert "scenario_file" not in run_parameter_names(NOTEBOOKS["real-data"].path)


def test_the_policy_comparison_needs_a_reward_scheme(root, tmp_path, capsys):
    _refused_by_both(tmp_path, capsys, _write(tmp_path, root, "rewards: []\n"),
                     "rewards: the policy comparison needs a reward scheme")
    # one arm's own scheme is enough
    ok = _write(tmp_path, root, "rewards: []\npolicies:\n  - name: permenpanrb_2022\n    rewards: [{name: tpp}]\n",
                name="ok.yaml")
    assert main(["validate", str(ok)]) == 0, capsys.readouterr().err


def test_the_regional_notebook_needs_a_region(root, tmp_path, capsys):
    _refused_by_both(tmp_path, capsys, _write(tmp_path, root, "notebook: regional-cases\n"),
                     "name: the regional-cases notebook needs a region", "alak")


def test_the_regional_notebook_needs_the_arms_of_its_case(root, tmp_path, capsys):
    """A jambi scenario that lost the case's policies (a truncated file, found by the fuzz run)."""
    path = _write(tmp_path, root, "policies:\n  - {name: permenpanrb_2022}\n", preset="regions/jambi.yaml")
    _refused_by_both(tmp_path, capsys, path, "policies: the Jambi case compares jambi_objektif, status_quo")


@pytest.mark.parametrize(("policy", "field"), [
    ("{name: oi, policy: objective_index, params: {weights: {dukcapil_dokument: 2}}}",
     "policies[0].params.weights.dukcapil_dokument: no indicator of that name in work.indicators; "
     "did you mean 'dukcapil_dokumen'?"),
    ("{name: fd, policy: forced_distribution, params: {base: objective_index, base_params: {weights: {x_y: 1}}}}",
     "policies[0].params.base_params.weights.x_y: no indicator of that name"),
])
def test_objective_index_weights_name_held_indicators(root, tmp_path, capsys, policy, field):
    _refused_by_both(tmp_path, capsys, _write(tmp_path, root, f"policies:\n  - {policy}\n"), field)


@pytest.mark.parametrize(("text", "expected"), [
    ("name: " + "a" * 300 + "\n", "name: at most 100 characters"),
    # an anchor sends the file through the pure-Python parser, which keeps lone surrogates
    ('population: &p {n_employees: 100}\ndescription: "\\ud800"\n', "description: not valid Unicode text"),
    ('population: &p {n_employees: 100}\npolicies:\n  - {name: p, label: "\\udc80"}\n',
     "policies[0].label: not valid Unicode text"),
    ("rewards:\n  - {name: tpp, params: {amount_scale: 1000}}\n", "rewards[0].params.amount_scale: must be <= 100"),
    ("rewards:\n  - {name: tpp, params: {budget_cap_idr: 1.0e+20}}\n",
     "rewards[0].params.budget_cap_idr: must be <= 1e+16"),
], ids=["long-name", "surrogate", "surrogate-label", "amount-scale", "budget-cap"])
def test_values_that_fail_only_at_the_end_of_a_run_are_refused_first(root, tmp_path, capsys, text, expected):
    _refused_by_both(tmp_path, capsys, _write(tmp_path, root, text), expected)


def test_tuple_parameters_accept_yaml_lists(root, tmp_path, capsys):
    path = _write(tmp_path, root, "policies:\n  - name: p\n    policy: permenpanrb_2022\n"
                  "    params: {org_thresholds: [110, 90, 70, 50]}\n  - name: q\n    policy: pp46_2011\n"
                  "    params: {cost_keywords: [anggaran, biaya]}\n")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_list_indices_are_brackets_and_paths_stay_apart_from_messages(root, tmp_path, capsys):
    err = _refused(capsys, ["validate", str(_write(tmp_path, root, "policies:\n  - name: 5\n"))],
                   "policies[0].name: must be text")
    assert "policies.0" not in err
    err = _refused(capsys, ["validate", str(_write(tmp_path, root, "rewards:\n  - {name: tpp, params: "
                                                   "{amounts_table: pp30_bands}}\n", name="t.yaml"))],
                   "rewards[0].params.amounts_table: reference table 'pp30_bands' lacks column(s)")
    assert "amounts_table.reference" not in err


def test_prefix_problem_joins_a_path_onto_a_message():
    from simulate.validation import field_path, prefix_problem

    assert field_path(("policies", 0, "params", "shares", 3)) == "policies[0].params.shares[3]"
    assert prefix_problem("population", "opd_mix: bad") == "population.opd_mix: bad"
    assert prefix_problem("x.amounts_table", "reference table 'a' lacks column(s) b, c: d") == \
        "x.amounts_table: reference table 'a' lacks column(s) b, c: d"
    assert prefix_problem("f[0]", "low, high: bad") == "f[0].low, f[0].high: bad"
    assert prefix_problem("f", "[2].a: bad") == "f[2].a: bad"


def test_sweep_messages_do_not_double_their_paths(root, tmp_path, capsys):
    path = _write(tmp_path, root, f"scenario: {root / 'params' / 'presets' / 'test.yaml'}\ndesign: grid\n"
                  "replications: 2\nfactors:\n  - {path: raters.supervisor.halo, levels: [0.2, 5]}\n", preset="")
    err = _refused(capsys, ["validate", str(path)], "factors[0].levels[1].raters.supervisor.halo: must be <= 1")
    assert "levels[1]: raters" not in err


@pytest.mark.parametrize(("text", "expected"), [
    ("population:\n  opd_mix: {pendidikan: 0.6, puskesmas: 0.18, back_office: 0.2, kecamatan: 0.09, dukcapil: 0.03}\n",
     "population.opd_mix: shares must sum to 1; the sum is 1.1"),
    ("work:\n  discipline: {late_band_shares: [0.6, 0.22, 0.1, 0.2]}\n",
     "work.discipline.late_band_shares: shares must sum to 1; the sum is 1.12"),
    ("raters:\n  observed: {employee_share: 0.5, rater_share: 0.3, residual_share: 0.3}\n",
     "raters.observed.employee_share, raters.observed.rater_share, raters.observed.residual_share: "
     "shares must sum to 1; the sum is 1.1"),
    ("policies:\n  - {name: f, policy: forced_distribution, params: {shares: [0.5, 0.5, 0.1, 0, 0]}}\n",
     "policies[0].params.shares: must sum to 1; the sum is 1.1"),
    ("policies:\n  - {name: c, policy: composed, params: {components: [{source: capaian_mean, weight: 0.5}]}}\n",
     "policies[0].params.components: weights must sum to 1; the sum is 0.5"),
    ("policies:\n  - {name: t, policy: target_achievement, params: {weights: {targets: 0.5, daily_log: 0.2, "
     "budget: 0.2}}}\n", "policies[0].params.weights: must sum to 1 (targets + daily_log + budget); the sum is 0.9"),
    ("policies:\n  - {name: w, policy: citizen_weighted, params: {source_weights: {ikm: 0.5, complaints: 0.2, "
     "rating: 0.2}}}\n",
     "policies[0].params.source_weights: must sum to 1 (ikm + complaints + rating); the sum is 0.9"),
], ids=["opd_mix", "late_band_shares", "observed", "forced", "composed", "target", "citizen"])
def test_every_sum_to_one_is_one_check(root, tmp_path, capsys, text, expected):
    _refused(capsys, ["validate", str(_write(tmp_path, root, text))], expected)


def test_sum_problem_tolerances_and_nan():
    from simulate.validation import OBSERVED_SUM_TOLERANCE, SUM_TOLERANCE, sum_problem

    assert SUM_TOLERANCE == 1e-6 and OBSERVED_SUM_TOLERANCE == 0.01
    assert sum_problem("w", [0.5, 0.5 + 5e-7]) is None
    assert sum_problem("w", [0.5, 0.5 + 5e-6]) is not None
    assert sum_problem("w", [0.5, 0.505], OBSERVED_SUM_TOLERANCE) is None
    assert sum_problem("w", [float("nan"), 0.5]) == "w: must sum to 1; the sum is nan"


def test_validate_and_run_share_one_assembly(root, tmp_path):
    """run refuses a file through the same function validate calls, before any folder exists."""
    from simulate.errors import UserError
    from simulate.runplan import RunOptions, assemble_run

    plan = assemble_run(root / "params" / "presets" / "test.yaml", RunOptions(replications=2))
    assert plan.scenario.name == "test" and plan.notebook.name == "01-policy-comparison.ipynb"
    assert plan.notebook_parameters(tmp_path)["out_dir"] == str(tmp_path.resolve())
    with pytest.raises(UserError, match="rewards: the policy comparison"):
        assemble_run(_write(tmp_path, root, "rewards: []\n"))
    assert _tree(tmp_path) == ["bad.yaml"]
