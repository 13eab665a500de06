"""The classic models (DESIGN 3.10, issue 14): their published patterns, the command, seeds.

Sizes are small so the file runs in a few seconds; every check below holds with a fixed seed
by a wide margin (the margins are noted where they were measured).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from simulate.classic import MODELS, run
from simulate.classic import martell1996, scullen2005, scullen2005_id, stack_ranking, stack_ranking_id
from simulate.cli import main
from simulate.errors import UserError

# --------------------------------------------------------------------------------------------
# Scullen, Bergey & Aiman-Smith (2005)
# --------------------------------------------------------------------------------------------

SMALL_GRID = {"validity": [0.3], "selection_ratio": [0.1], "turnover": [0.0, 0.1, 0.2],
              "fire_share": [0.05, 0.1], "reliability": [0.5, 0.7]}


@pytest.fixture(scope="module")
def scullen():
    return scullen2005.run(SMALL_GRID, size=200, seed=3)


def _find(result, **match):
    (i,) = [i for i, c in enumerate(result.conditions) if all(c[k] == v for k, v in match.items())]
    return i


def test_scullen_design_is_80_conditions_plus_the_control():
    conds = scullen2005.conditions_of(scullen2005.MODEL.defaults())
    assert len(conds) == 81 and sum(not c["firing"] for c in conds) == 1
    control = conds[-1]
    assert {k: control[k] for k in scullen2005.BASELINE} == scullen2005.BASELINE


def test_scullen_gain_rises_with_share_fired_and_reliability_falls_with_turnover(scullen):
    def gain(**m):
        return scullen.gain(_find(scullen, firing=True, **m), 30)

    for t in (0.0, 0.1, 0.2):
        for r in (0.5, 0.7):
            assert gain(turnover=t, fire_share=0.1, reliability=r) > gain(turnover=t, fire_share=0.05, reliability=r)
        for f in (0.05, 0.1):
            assert gain(turnover=t, fire_share=f, reliability=0.7) > gain(turnover=t, fire_share=f, reliability=0.5)
    for f in (0.05, 0.1):
        for r in (0.5, 0.7):
            g = [gain(turnover=t, fire_share=f, reliability=r) for t in (0.0, 0.1, 0.2)]
            assert g[0] > g[1] > g[2] > 0  # every firing condition ends above its start


def test_scullen_most_of_the_gain_comes_in_the_first_years(scullen):
    i = _find(scullen, firing=True, turnover=0.1, fire_share=0.1, reliability=0.7)
    mp = np.array(scullen.conditions[i]["mean_potential"])
    yearly = np.diff(mp)
    assert scullen.gain(i, 10) > 0.6 * scullen.gain(i, 30)  # measured: about 0.8
    assert yearly[:3].mean() > 5 * yearly[-10:].mean()


def test_scullen_no_drift_without_firing(scullen):
    mp = np.array(scullen.conditions[-1]["mean_potential"])
    assert not scullen.conditions[-1]["firing"]
    assert np.abs(mp - mp[0]).max() < 0.03  # org means have SD ~.08 / sqrt(200 orgs)
    # The selected workforce starts above the applicant mean: v E[max of 10 normals] = .3 x 1.54.
    assert mp[0] == pytest.approx(0.3 * 1.5388, abs=0.03)


def test_scullen_organisation_results_do_not_depend_on_how_many_are_run():
    cond = {**scullen2005.BASELINE}
    small = scullen2005.simulate_condition(cond, 30, seed=5, years=8)
    large = scullen2005.simulate_condition(cond, 80, seed=5, years=8)
    np.testing.assert_array_equal(small, large[:30])


def test_scullen_id_with_one_poor_period_is_scullens_firing_of_one_per_group():
    # One person below expectation per unit (the Baik curve) dismissed at once = fire .10 in groups of 10.
    cond = {**scullen2005.BASELINE, "poor_periods": 1}
    np.testing.assert_array_equal(scullen2005_id.simulate_condition(cond, 25, seed=9, years=6),
                                  scullen2005.simulate_condition(cond, 25, seed=9, years=6))


def test_scullen_id_path_dismisses_less_than_immediate_firing():
    levels = {"validity": [0.3], "selection_ratio": [0.1], "turnover": [0.1], "reliability": [0.7],
              "poor_periods": [1, 2, 3]}
    res = scullen2005_id.run(levels, size=100, seed=1)
    gains = [res.gain(i, 30) for i in range(3)]
    assert gains[0] > gains[1] > gains[2] > 0
    assert abs(res.gain(3, 30)) < 0.03 and not res.conditions[3]["dismissal"]
    assert scullen2005_id.below_expectation_per_unit(10, "baik") == 1
    assert scullen2005_id.below_expectation_per_unit(10, "istimewa") == 0


# --------------------------------------------------------------------------------------------
# Martell, Lane & Emrich (1996)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def martell():
    return martell1996.run(size=20, seed=2)


def test_martell_bias_points():
    assert martell1996.bias_points(0.0) == 0
    assert martell1996.bias_points(0.01) == pytest.approx(2.0101, abs=1e-4)
    assert martell1996.bias_points(0.05) == pytest.approx(4.5883, abs=1e-4)


def test_martell_share_of_men_rises_with_level_and_bias_and_stays_half_without(martell):
    shares = {c["bias_variance_share"]: np.array(c["share_men_by_level"]) for c in martell.conditions}
    assert set(shares) == {0.0, 0.01, 0.05}
    assert np.abs(shares[0.0] - 0.5).max() < 0.08
    for p in (0.01, 0.05):
        s = shares[p]
        assert s[-1] > s[0] + 0.1
        assert np.corrcoef(np.arange(8), s)[0, 1] > 0.9
    assert shares[0.05][-1] > shares[0.01][-1] > shares[0.0][-1]
    assert shares[0.05][-1] > 0.6  # measured: about .7 at 100 simulations
    assert all(c.min() > 30 for c in martell.cycles)  # 1,425 originals leave at 15 % a cycle


def test_martell_simulation_results_do_not_depend_on_how_many_are_run():
    few, few_cycles = martell1996.simulate_condition(0.05, 2, seed=4, attrition=0.4)
    more, more_cycles = martell1996.simulate_condition(0.05, 4, seed=4, attrition=0.4)
    np.testing.assert_array_equal(few, more[:2])
    np.testing.assert_array_equal(few_cycles, more_cycles[:2])


def test_martell_id_ladder():
    res = run("martell1996_id", {"bias_variance_share": [0.0, 0.05]}, size=5, seed=0)
    none, bias = (np.array(c["share_men_by_level"]) for c in res.conditions)
    assert len(none) == 4 and np.abs(none[:3] - 0.5).max() < 0.08
    assert bias[3] > bias[2] > bias[1] > bias[0]


# --------------------------------------------------------------------------------------------
# Stack ranking
# --------------------------------------------------------------------------------------------


def test_stack_ranking_misrates_less_in_bigger_groups_and_with_more_reliable_ratings():
    res = stack_ranking.run({"group_size": [3, 10, 50], "reliability": [0.5, 0.7, 0.9, 1.0]}, size=20_000, seed=0)
    cell = {(c["group_size"], c["reliability"]): c["misrated_share"] for c in res.conditions}
    for r in (0.5, 0.7, 0.9, 1.0):
        assert cell[(3, r)] > cell[(10, r)] > cell[(50, r)]
    for s in (3, 10, 50):
        assert cell[(s, 0.5)] > cell[(s, 0.7)] > cell[(s, 0.9)] > cell[(s, 1.0)]


def test_stack_ranking_curve_levels_follow_the_quotas():
    ratings = np.array([[0.1, 3.0, -2.0, 0.5, 1.0]])
    levels = stack_ranking.curve_levels(ratings, np.array([1, 3, 1]))
    assert levels.tolist() == [[1, 0, 2, 1, 1]]
    assert stack_ranking.true_levels(np.array([1.0, 0.0, -2.0]), (0.2, 0.7, 0.1)).tolist() == [0, 1, 2]


def test_stack_ranking_id_forces_one_below_expectation():
    assert stack_ranking_id.unit_quotas(10).tolist() == [2, 7, 1]
    assert stack_ranking_id.unit_quotas(3).tolist() == [0, 2, 1]
    assert stack_ranking_id.unit_quotas(1).tolist() == [0, 1, 0]
    res = stack_ranking_id.run({"group_size": [3, 50], "reliability": [0.7]}, size=5_000, seed=0)
    small, big = (c["misrated_share"] for c in res.conditions)
    assert small > 1 / 3 and big < small


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def _cli(capsys, *args):
    code = main(["classic", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


QUICK = {
    "scullen2005": ["--organisations", "10", "--set", "validity=0.3", "--set", "selection_ratio=0.1",
                    "--set", "turnover=0.1", "--set", "reliability=0.7", "--set", "years=5"],
    "scullen2005_id": ["--organisations", "10", "--set", "validity=0.3", "--set", "selection_ratio=0.1",
                       "--set", "turnover=0.1", "--set", "reliability=0.7", "--set", "years=5"],
    "martell1996": ["--simulations", "2", "--set", "bias_variance_share=0,0.05", "--set", "attrition=0.5"],
    "martell1996_id": ["--simulations", "1", "--set", "bias_variance_share=0.05", "--set", "attrition=0.5"],
    "stack_ranking": ["--people", "500", "--set", "group_size=3,10"],
    "stack_ranking_id": ["--people", "500", "--set", "group_size=3,10"],
}


def test_every_model_is_registered_with_a_quick_cli_case():
    assert set(MODELS) == set(QUICK)


@pytest.mark.parametrize("name", sorted(QUICK))
def test_cli_table(name, capsys):
    code, out, err = _cli(capsys, name, *QUICK[name])
    assert code == 0 and err == ""
    assert "seed 0" in out and "----" in out


def test_cli_json_structures(capsys):
    code, out, _ = _cli(capsys, "scullen2005", "--json", *QUICK["scullen2005"])
    data = json.loads(out)
    assert code == 0 and data["model"] == "scullen2005" and data["organisations"] == 10
    assert len(data["conditions"]) == 3  # fire .05, .10 and the control
    for c in data["conditions"]:
        assert set(c) == {"validity", "selection_ratio", "turnover", "fire_share", "reliability", "firing",
                          "mean_potential"}
        assert len(c["mean_potential"]) == 5
    assert [c["firing"] for c in data["conditions"]] == [True, True, False]

    _, out, _ = _cli(capsys, "martell1996", "--json", *QUICK["martell1996"])
    data = json.loads(out)
    assert data["model"] == "martell1996" and data["simulations"] == 2
    assert [set(c) for c in data["conditions"]] == [{"bias_variance_share", "share_men_by_level"}] * 2
    assert all(len(c["share_men_by_level"]) == 8 for c in data["conditions"])

    _, out, _ = _cli(capsys, "stack_ranking", "--json", *QUICK["stack_ranking"])
    data = json.loads(out)
    assert data["model"] == "stack_ranking" and len(data["conditions"]) == 2 * 3
    assert set(data["conditions"][0]) == {"group_size", "reliability", "misrated_share"}


def test_cli_same_seed_same_numbers(capsys):
    args = ["martell1996", "--json", *QUICK["martell1996"]]
    first = _cli(capsys, *args, "--seed", "7")[1]
    assert first == _cli(capsys, *args, "--seed", "7")[1]
    assert first != _cli(capsys, *args, "--seed", "8")[1]
    args = ["scullen2005", "--json", *QUICK["scullen2005"]]
    assert _cli(capsys, *args, "--seed", "7")[1] == _cli(capsys, *args, "--seed", "7")[1]


@pytest.mark.parametrize(("args", "expected"), [
    (["scullen2005", "--set", "firing_share=0.1"], "allowed keys: validity, selection_ratio, turnover, fire_share"),
    (["scullen2005", "--set", "reliability=1.5"], "--set reliability=1.5: must be a number from 0 to 1"),
    (["scullen2005", "--set", "selection_ratio=0"], "must be a number strictly between 0 and 1"),
    (["scullen2005", "--set", "years=2.5"], "--set years=2.5: must be a whole number"),
    (["scullen2005", "--set", "turnover"], "write key=value"),
    (["martell1996", "--set", "attrition=0.1,0.2"], "takes one value"),
    (["martell1996", "--organisations", "5"], "martell1996 takes --simulations, not --organisations"),
    (["stack_ranking", "--set", "top_share=0.6", "--set", "bottom_share=0.6"], "add up to at most 1"),
    (["scullen2005_id", "--set", "org_predikat=great"], "one of istimewa, baik"),
])
def test_cli_bad_settings_exit_2_with_one_message(args, expected, capsys):
    code, out, err = _cli(capsys, *args)
    assert code == 2 and out == ""
    assert expected in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["nope"], ["martell1996", "--simulations", "0"], ["martell1996", "--seed", "-1"]])
def test_cli_bad_name_and_sizes_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["classic", *args])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith("kinerja:") and "Traceback" not in err


def test_cli_error_has_no_traceback_in_a_real_process():
    out = subprocess.run([sys.executable, "-m", "simulate.cli", "classic", "stack_ranking", "--set", "x=1"],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr and "allowed keys" in out.stderr


def test_python_entry_point_checks_factors():
    with pytest.raises(UserError, match="allowed keys"):
        run("stack_ranking", {"size": [3]})
    with pytest.raises(UserError, match="no classic model"):
        run("scullen")
