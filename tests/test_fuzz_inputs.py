"""Every bad input is refused cleanly: exit 2, one message, no traceback, nothing written, no hang.

Generated cases mutate the shipped files (``tests/fuzzing.py``, seeded); the fixed cases are the
regressions of issue 15. Every generated case also goes through the assembly step of the command
that would run it (``run``, else ``sweep``), which must agree with ``validate`` (issue 17), and
every sixth through that command itself. ``benchmarks/fuzz_inputs.py`` runs thousands of cases.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fuzzing import assemble_case, command_for, command_options, copy_params, generate, run_case
from simulate.cli import main

#: Generated cases per test run (about 15 s in-process on two cores).
N_CASES = 500


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def params_copy(tmp_path_factory):
    return copy_params(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def validated(params_copy):
    """Every generated case and what validate said of it (shared by the tests below)."""
    return [(case, run_case(case, params_copy, timeout=20)) for case in generate(N_CASES, seed=15)]


def test_generated_bad_inputs_are_refused_cleanly(params_copy, validated):
    before = [p for p in _tree(params_copy) if "_fuzz" not in p]
    problems = []
    for case, o in validated:
        a = assemble_case(case, params_copy)
        if a.crashed:
            problems.append(f"{case.describe()}: the assembly raised {a.crashed}\n{a.message[-800:]}")
        elif a.accepted != (o.code == 0):
            problems.append(f"{case.describe()}: validate {'accepted' if o.code == 0 else 'refused'} it, the "
                            f"assembly of {command_for(case)} {'accepted' if a.accepted else 'refused'} it\n"
                            f"{(o.output + a.message)[-600:]}")
        elif o.traceback or o.hung:
            problems.append(f"{case.describe()}: {'hung' if o.hung else 'traceback'}\n{o.output[-800:]}")
        elif o.wrongly_accepted:
            problems.append(f"{case.describe()}: accepted\n{o.output[-300:]}")
        elif o.code not in (0, 2):
            problems.append(f"{case.describe()}: exit {o.code}")
        elif o.unnamed:
            problems.append(f"{case.describe()}: the refusal does not name {case.field!r}\n{o.output[-300:]}")
        elif o.seconds > 15:
            problems.append(f"{case.describe()}: took {o.seconds:.1f} s")
    assert not problems, "\n\n".join(problems[:10])
    assert [p for p in _tree(params_copy) if "_fuzz" not in p] == before  # nothing written


class _Reached(Exception):
    """Raised in place of the notebook: the run got past every check."""


def test_every_sixth_input_given_to_run_or_sweep_agrees_with_validate(params_copy, validated, tmp_path, monkeypatch):
    """What validate refuses, run and sweep refuse before making any folder; what it accepts, run
    accepts up to its notebook (stopped there: the real runs are benchmarks/fuzz_inputs.py --run-accepted)."""
    import simulate.cli

    def reached(*args, **kwargs):
        raise _Reached

    monkeypatch.setattr(simulate.cli, "_execute_with_progress", reached)
    for i, (case, v) in enumerate(validated[::6]):
        out = tmp_path / f"out{i}"
        accepted = v.code == 0
        if accepted and case.source.startswith(("sweeps/", "policies/")):
            continue  # a valid sweep runs for real (validate and sweep share load_sweep); nothing runs a policy file
        o = run_case(case, params_copy, timeout=20, command=command_for(case), extra=command_options(case, out))
        if accepted and o.crashed == "_Reached":
            continue
        assert not accepted, f"{case.describe()}: validate accepted it, run refused it\n{o.output[-800:]}"
        assert o.code == 2 and not o.traceback and not o.hung, f"{case.describe()}: exit {o.code}\n{o.output[-800:]}"
        assert not out.exists(), case.describe()


# --------------------------------------------------------------------------------------------
# Fixed examples: the regressions of issue 15
# --------------------------------------------------------------------------------------------


def _refused(capsys, argv, *expected):
    code = main(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert code == 2, text
    assert "Traceback" not in text
    err = captured.err.strip()
    for word in expected:
        assert word in err, err
    return err


_DEEP_LIST = "population: " + "[" * 1000 + "]" * 1000 + "\n"
_DEEP_MAP = "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "x: 1\n"
_LAUGHS = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))


@pytest.mark.parametrize(("content", "expected"), [
    (_DEEP_LIST, "nested more than 50 levels"),
    (_DEEP_MAP, "nested more than 50 levels"),
    ("policies:\n  - name: x\n    policy: composed\n    params: " + "{a: " * 500 + "1" + "}" * 500 + "\n",
     "nested more than 50 levels"),
    (_LAUGHS, "aliases expand"),
    ("a: &x [1, *x]\n", "alias refers to"),
    ("", "empty"), ("\n", "empty"), ("{}\n", "empty"), ("# nothing\n", "empty"), ("---\n", "empty"), ("~\n", "empty"),
    ("seed: 1\nseed: 2\n", "duplicate key 'seed'"),
    ("population:\n  n_employees: 100\n  n_employees: 200\n", "duplicate key 'n_employees'"),
    ("population:\n  n_employees: true\n", "population.n_employees: must be a whole number"),
    ("population:\n  n_employees: '500'\n", "population.n_employees: must be a whole number"),
    ("population:\n  n_employees: 500.5\n", "population.n_employees: must be a whole number"),
    ("raters:\n  supervisor:\n    leniency_sd: .nan\n", "raters.supervisor.leniency_sd: must be a finite number"),
    ("raters:\n  supervisor:\n    leniency_sd: .inf\n", "raters.supervisor.leniency_sd"),
    ("raters:\n  supervisor:\n    leniency_sd: true\n", "raters.supervisor.leniency_sd: must be a number"),
    ("name: 5\n", "name: must be text"),
    ("extends: " + "x" * 300 + ".yaml\n", "extends: a file or folder name is longer than 255"),
    ("extends: " + "d/" * 3000 + "x.yaml\n", "extends: path longer than 4096"),
])
def test_bad_yaml_is_refused_with_the_reason(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    _refused(capsys, ["validate", str(path)], expected)
    assert _tree(tmp_path) == ["bad.yaml"]


def test_a_huge_file_is_refused_by_its_size_before_reading(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text("description: '" + "x" * (6 * 2**20) + "'\n")
    _refused(capsys, ["validate", str(path)], "too large", "5 MB")


def test_yaml_1_2_exponents_are_numbers(tmp_path, capsys):
    path = tmp_path / "ok.yaml"
    path.write_text("raters:\n  supervisor:\n    leniency_sd: 5e-1\n")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_small_aliases_still_work(tmp_path, capsys):
    path = tmp_path / "ok.yaml"
    path.write_text("population: &p {n_employees: 100}\n")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("command", ["generate", "calibrate"])
def test_seed_out_of_range(root, tmp_path, capsys, command):
    argv = [command, str(root / "params" / "presets" / "test.yaml"), "--seed", str(2**70)]
    with pytest.raises(SystemExit) as exc:
        main(argv + (["--out", str(tmp_path)] if command == "generate" else []))
    assert exc.value.code == 2
    assert "--seed: must be <= 9223372036854775807" in capsys.readouterr().err
    assert _tree(tmp_path) == []


def _bad_outs(tmp_path: Path, scenario: str) -> list[tuple[str, str]]:
    afile = tmp_path / "afile"
    afile.write_text("x")
    (tmp_path / "link").symlink_to(afile)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / scenario).write_text("x")
    outs = [(str(afile), "is a file"), ("/dev/null", "not a folder"), ("/proc", "/proc"),
            (str(tmp_path / "link"), "is a file"), (str(tmp_path / ("n" * 300)), "longer than"),
            (str(tmp_path / "taken"), "the scenario's folder"), ("", "empty folder name"),
            (str(afile / "sub"), "is a file")]
    if os.geteuid() != 0:  # root may write anywhere
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro").chmod(0o555)
        outs += [(str(tmp_path / "ro"), "not writable"), (str(tmp_path / "ro" / "child"), "not writable")]
    return outs


@pytest.mark.parametrize("command", ["generate", "sweep", "run"])
def test_bad_out_is_one_line_and_writes_nothing(root, tmp_path, capsys, command):
    target = {"generate": ("test", ["generate", str(root / "params" / "presets" / "test.yaml"), "--replications", "2"]),
              "run": ("test", ["run", str(root / "params" / "presets" / "test.yaml"), "--replications", "2"]),
              "sweep": ("sweep-test", ["sweep", str(root / "params" / "sweeps" / "leniency_grid.yaml")])}
    scenario, argv = target[command]
    for out, expected in _bad_outs(tmp_path, scenario):
        before = _tree(tmp_path)
        err = _refused(capsys, [*argv, "--out", out], "--out", expected)
        assert len(err.splitlines()) == 1, err
        assert _tree(tmp_path) == before, out


def test_estimate_bad_out(root, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    export = root / "data" / "examples" / "penilaian_perilaku_sintetis.csv"
    _refused(capsys, ["estimate", str(export), "--no-calibration", "--out", str(tmp_path / "afile")], "--out", "is a file")
    assert _tree(tmp_path) == ["afile"]


@pytest.mark.parametrize("address", ["", "http://127.0.0.1:8786", "garbage", "ucx://127.0.0.1:1", "inproc://",
                                     "tcp://host:99999", "tcp://a b:1", "tcp://host:80/path"])
@pytest.mark.parametrize("command", ["run", "sweep"])
def test_bad_scheduler_is_one_line(root, tmp_path, capsys, address, command):
    file = root / "params" / ("presets/test.yaml" if command == "run" else "sweeps/leniency_grid.yaml")
    _refused(capsys, [command, str(file), "--executor", "dask", "--scheduler", address, "--out", str(tmp_path)],
             "--scheduler: cannot reach a Dask scheduler at")
    assert _tree(tmp_path) == []


@pytest.mark.parametrize(("extra", "expected"), [
    (["--replications", "1000000000"], "years"),
    (["--periods", "10000", "--replications", "50"], "hours"),
])
def test_work_beyond_the_budget_is_refused_with_an_estimate(root, tmp_path, capsys, extra, expected):
    err = _refused(capsys, ["run", str(root / "params" / "baseline.yaml"), "--out", str(tmp_path), *extra],
                   "--replications x --periods", "memory", "--force", expected)
    assert "ASN" in err
    assert _tree(tmp_path) == []


def test_workers_capped_at_the_machine(root, tmp_path, capsys):
    _refused(capsys, ["run", str(root / "params" / "presets" / "test.yaml"), "--executor", "dask", "--workers", "1000",
                      "--out", str(tmp_path)], "--workers: at most")
    _refused(capsys, ["sweep", str(root / "params" / "sweeps" / "leniency_grid.yaml"), "--executor", "processes",
                      "--workers", "1000", "--out", str(tmp_path)], "--workers: at most")
    assert _tree(tmp_path) == []


def test_absurd_sweep_designs_are_refused_with_their_size(root, tmp_path, capsys):
    text = (root / "params" / "sweeps" / "rater_sobol.yaml").read_text()
    import re

    sweep = tmp_path / "big.yaml"
    text = re.sub(r"(?m)^samples:.*$", f"samples: {2**30}", text)
    sweep.write_text(re.sub(r"(?m)^scenario:.*$", f"scenario: {root / 'params' / 'presets' / 'test.yaml'}", text))
    _refused(capsys, ["sweep", str(sweep), "--check"], "samples:", "points", "runs", "at most 10,000 points")
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"scenario: {root / 'params' / 'presets' / 'test.yaml'}\ndesign: grid\nreplications: 1\nfactors:\n"
                    + "".join(f"  - path: {p}\n    levels: [{', '.join(str(0.05 * i) for i in range(1, 21))}]\n"
                              for p in ("raters.supervisor.leniency_sd", "raters.supervisor.halo",
                                        "raters.supervisor.noise_sd", "raters.supervisor.idiosyncratic_sd")))
    _refused(capsys, ["sweep", str(grid), "--check"], "160,000 points")


def test_replication_seeds_are_lazy_and_equal(root):
    from simulate.experiment import ReplicationSeeds, replication_seeds

    assert ReplicationSeeds(7, 40) == replication_seeds(7, 40)
    assert ReplicationSeeds(7, 10**12)[39] == replication_seeds(7, 40)[39]


def test_a_huge_replication_count_starts_at_once_in_constant_memory(test_preset, tmp_path):
    """Seeds and tasks are made as workers take them: asking for 10**9 replications allocates nothing up front."""
    import time
    import tracemalloc

    from simulate.experiment import run_experiment

    class Enough(Exception):
        pass

    def stop_after_two(done, total):
        assert total == 10**9
        if done >= 2:
            raise Enough

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(Enough):
        run_experiment(test_preset, 10**9, tmp_path / "r.parquet", seed=1, progress=stop_after_two)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - started < 30
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_the_budget_says_what_and_force_lets_it_through():
    from simulate.budget import MAX_SECONDS, check_budget, estimate_work
    from simulate.errors import UserError

    big = estimate_work([(4500, 10_000, 8)], 20)
    assert big.seconds > MAX_SECONDS and "20 replications x 10,000 periods x 4,500 ASN x 8 arms" in big.describe()
    with pytest.raises(UserError, match="--force"):
        check_budget(big, False, "--replications x --periods")
    check_budget(big, True, "--replications x --periods")  # forced: no refusal
    check_budget(estimate_work([(400, 1, 8)], 20), False, "--replications")  # an ordinary run passes
    assert estimate_work([(400, 1, 8)], 20, workers=2).seconds < estimate_work([(400, 1, 8)], 20).seconds


def test_yaml_base_60_is_not_a_number():
    from simulate.yamlio import parse_yaml

    assert parse_yaml("a: 12:30\nb: 1e3\n") == {"a": "12:30", "b": 1000.0}
