"""Bad rule-case files, generated and fixed: every one refused with one message (exit 2) or run
(exit 0/1), never a traceback, never a hang. The generator mutates the shipped cases: wrong types,
lists and mappings where a name is expected, NaN, infinities, huge integers, bytes that are not
UTF-8."""

from __future__ import annotations

import copy
import io
import random
import signal
from pathlib import Path

import pytest
import yaml

from simulate.rulecases.cases import run_files

SHIPPED = sorted(Path(__file__).parent.joinpath("rules").glob("*.yaml"))
VALUES = [None, True, False, [], {}, [1], ["a"], {"a": 1}, "x", "", 0, -1, -1e308, 1e308, float("nan"),
          float("inf"), 10**12, 10**30, 2**63, -(2**63), 1.5, "1,5", [[1, 2], [3]], [None], [10**9] * 3, "ÿ",
          [float("nan")], 1e-320]


def _mutate(case: dict, rng: random.Random) -> dict:
    c = copy.deepcopy(case)
    k = rng.random()
    if k < 0.15:
        c[rng.choice(list(c))] = rng.choice(VALUES)
    elif k < 0.6 and isinstance(c.get("input"), dict) and c["input"]:
        field = rng.choice(list(c["input"]))
        value = c["input"][field]
        if isinstance(value, list) and value and rng.random() < 0.5:
            value = list(value)
            value[rng.randrange(len(value))] = rng.choice(VALUES)
        elif isinstance(value, dict) and value and rng.random() < 0.5:
            value = dict(value)
            value[rng.choice(list(value))] = rng.choice(VALUES)
        else:
            value = rng.choice(VALUES)
        c["input"][field] = value
    elif k < 0.8 and isinstance(c.get("output"), dict) and c["output"]:
        c["output"][rng.choice(list(c["output"]))] = rng.choice(VALUES)
    elif k < 0.9:
        c["rule"] = rng.choice(VALUES + ["skm.ikm"])
    else:
        c["tolerance"] = rng.choice(VALUES)
    return c


class _Hang(Exception):
    pass


def _run_bounded(path: Path, seconds: int = 5) -> int:
    def stop(*_):
        raise _Hang(path.read_bytes()[:300])

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return run_files([str(path)], out=io.StringIO(), err=io.StringIO())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_generated_bad_cases_never_raise_or_hang(tmp_path):
    rng = random.Random(20261207)
    cases = [case for f in SHIPPED for case in yaml.safe_load(f.read_text(encoding="utf-8"))]
    codes = []
    for i in range(400):
        path = tmp_path / f"case{i}.yaml"
        path.write_text(yaml.safe_dump([_mutate(rng.choice(cases), rng)], allow_unicode=True), encoding="utf-8")
        codes.append(_run_bounded(path))  # any exception or hang fails the test with the file
    assert codes.count(2) > 300  # most mutations must be refused, not run


@pytest.mark.parametrize(("text", "fragment"), [
    (b"- name: x\n  rule: [a, b]\n  input: {}\n  output: {ikm: 1}\n", "rule: unknown rule ['a', 'b']"),
    (b"- name: x\n  rule: {a: 1}\n  input: {}\n  output: {ikm: 1}\n", "rule: unknown rule {'a': 1}"),
    (b"- name: x\n  rule: skm.ikm\n  input: {responses: [[4]]}\n  output: {ikm: \xff\xfe}\n", "not UTF-8 text (byte 0xff"),
    (b"- name: x\n  rule: pp46_2011.final\n  input: {skp: .nan, behaviour: 80}\n  output: {score: 1}\n",
     "input field 'skp': expected a number (finite"),
    (b"- name: x\n  rule: pp46_2011.final\n  input: {skp: 1.0e+308, behaviour: 80}\n  output: {score: 1}\n",
     "at most 1e+15 in size"),
    (b"- name: x\n  rule: permenpanrb_2022.curve_check\n  input: {org_predikat: baik, counts: {baik: 9223372036854775808}}\n"
     b"  output: {valid: true}\n", "a whole number from 0 to 1,000,000,000"),
    (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
])
def test_fixed_bad_cases_are_refused_by_name(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_bytes(text)
    out, err = io.StringIO(), io.StringIO()
    assert run_files([str(path)], out=out, err=err) == 2
    assert fragment in err.getvalue(), err.getvalue()
