"""Bad inputs made from the shipped files, for the fuzz test and ``benchmarks/fuzz_inputs.py``.

Every case is a YAML text (or bytes) to write beside the shipped file it was made from, so that
``extends:`` and relative paths still resolve. A case says whether it ``must_refuse`` (it is
invalid by construction: a NaN where a number goes, a boolean for a number, an unknown key, a
duplicate key, an empty file, a nesting or alias bomb ...) or only must not crash (a truncated
file may still be a valid, smaller scenario), and the field a refusal should name.

Generation is seeded (``random.Random(seed)``): the same seed gives the same cases.
"""

from __future__ import annotations

import copy
import io
import json
import random
import signal
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params"

#: Shipped files the mutations start from (scenarios, policy files, sweeps; not regional cases).
SOURCES = (
    "baseline.yaml", "indicator_lab.yaml", "presets/test.yaml", "presets/small_town.yaml", "presets/workshop.yaml",
    "presets/big_city.yaml", "regions/jambi.yaml", "regions/alak.yaml", "policies/jambi_objective.yaml",
    "policies/alak_citizen.yaml", "policies/makassar_target.yaml", "sweeps/leniency_grid.yaml",
    "sweeps/rater_sobol.yaml", "sweeps/dukcapil_contamination.yaml",
)

#: Values that no numeric field accepts: not finite, booleans, numbers written as text, containers.
BAD_FOR_NUMBER = (float("nan"), float("inf"), float("-inf"), True, False, "5", "1.5", "abc", [], {}, [1, 2])
#: Values that no text field accepts.
BAD_FOR_TEXT = (5, 2.5, True, [], {}, ["a"])
#: Values that no true/false field accepts.
BAD_FOR_BOOL = (1, 0, "yes", "true", 1.0, [], {})


@dataclass(frozen=True)
class Case:
    """One generated input: where it goes, its content, and what the program must do with it."""

    kind: str            #: the mutation ("leaf-number", "unknown-key", "deep", ...)
    source: str          #: the shipped file it was made from (relative to params/)
    content: bytes
    must_refuse: bool    #: invalid by construction (else: any outcome without a crash)
    field: str = ""      #: a word the refusal must contain (the field's key), "" when none

    def describe(self) -> str:
        return f"{self.kind} of {self.source}" + (f" at {self.field}" if self.field else "")


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def _leaves(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, (*path, i))
    else:
        yield path, data


def _containers(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(data, (dict, list)):
        if path:
            yield path, data
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for k, v in items:
            yield from _containers(v, (*path, k))


def _set(data: Any, path: tuple, value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _field_word(path: tuple) -> str:
    """The last key of a path (list indices skipped): what the refusal must name."""
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _leaf_bounds(data: dict, path: tuple, scenario: bool) -> tuple[float | None, float | None, bool] | None:
    """Bounds of a leaf of a scenario (schema or a policy's parameters) or of a policy file's parameters."""
    from simulate.policies import get_policy
    from simulate.scenario.schema import Scenario

    try:
        if scenario and len(path) > 3 and path[0] == "policies" and path[2] == "params":
            return _bounds(path[3:], get_policy(data["policies"][path[1]]["policy"]).params)
        if scenario:
            return _bounds(path, Scenario)
        if "policy" in data and len(path) > 1 and path[0] == "params":
            return _bounds(path[1:], get_policy(data["policy"]).params)
    except Exception:  # an unknown rule: no bounds to test
        return None
    return None


def _bounds(path: tuple, model: Any) -> tuple[float | None, float | None, bool] | None:
    """``(low, high, int)`` of a leaf of ``model`` from its fields (None when the path is not a bounded field)."""
    import typing

    from pydantic import BaseModel

    current: Any = model
    field = None
    parts = list(path)
    while parts:
        part = parts.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin in (dict, list) and args:
            current, field = args[-1], None
            continue
        return None
    if field is None or parts or current not in (int, float):
        return None
    low = next((getattr(m, k) for m in field.metadata for k in ("ge", "gt") if getattr(m, k, None) is not None), None)
    high = next((getattr(m, k) for m in field.metadata for k in ("le", "lt") if getattr(m, k, None) is not None), None)
    if low is None and high is None:
        return None
    return low, high, current is int


# Leaves whose type is free (text anywhere, or a value whose meaning depends on another field).
_FREE = {"description", "label", "levels", "source", "notes", "title"}


def _mutations(rng: random.Random, source: str, data: dict) -> Iterator[Case]:
    leaves = [(p, v) for p, v in _leaves(data) if not any(str(x) in _FREE for x in p)]
    numbers = [(p, v) for p, v in leaves if isinstance(v, (int, float)) and not isinstance(v, bool)]
    texts = [(p, v) for p, v in leaves if isinstance(v, str)]
    bools = [(p, v) for p, v in leaves if isinstance(v, bool)]
    containers = [(p, v) for p, v in _containers(data) if not any(str(x) in _FREE for x in p)]
    scenario = "population" in data or "extends" in data or "raters" in data
    bounded = [(p, b) for p, _ in numbers if (b := _leaf_bounds(data, p, scenario)) is not None]
    while True:
        choice = rng.random()
        if numbers and choice < 0.35:
            path, _ = rng.choice(numbers)
            yield Case("leaf-number", source, _dump(_set(data, path, rng.choice(BAD_FOR_NUMBER))), True, _field_word(path))
        elif texts and choice < 0.50:
            path, _ = rng.choice(texts)
            yield Case("leaf-text", source, _dump(_set(data, path, rng.choice(BAD_FOR_TEXT))), True, _field_word(path))
        elif bools and choice < 0.58:
            path, _ = rng.choice(bools)
            yield Case("leaf-bool", source, _dump(_set(data, path, rng.choice(BAD_FOR_BOOL))), True, _field_word(path))
        elif containers and choice < 0.66:
            path, value = rng.choice(containers)
            bad = rng.choice((5, "text", True)) if isinstance(value, dict) else rng.choice((5, "text", {"x": 1}))
            yield Case("container", source, _dump(_set(data, path, bad)), True, _field_word(path))
        elif bounded and choice < 0.70:
            path, (low, high, whole) = rng.choice(bounded)
            if high is not None and (low is None or rng.random() < 0.5):
                bad = high + (1 if whole else max(abs(high) * 0.5, 1e-3))
            else:
                bad = low - (1 if whole else max(abs(low) * 0.5, 1e-3))
            yield Case("out-of-range", source, _dump(_set(data, path, int(bad) if whole else float(bad))), True,
                       _field_word(path))
        elif choice < 0.74:
            key = rng.choice(list(data))
            typo = key[:-1] + rng.choice("xqz") if len(key) > 2 else key + "x"
            if typo in data:
                continue
            yield Case("unknown-key", source, _dump({**data, typo: data[key]}), True, typo)
        elif choice < 0.80:
            key = rng.choice(list(data))
            text = _dump(data) + _dump({key: data[key]})
            yield Case("duplicate-key", source, text, True, key)
        elif choice < 0.85:
            depth = rng.choice((60, 200, 1000, 5000))
            key = rng.choice(list(data))
            nested = "[" * depth + "1" + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "1" + "}" * depth
            yield Case("deep", source, _dump({k: v for k, v in data.items() if k != key}) + f"{key}: {nested}\n".encode(),
                       True)
        elif choice < 0.89:
            width, levels = rng.choice(((9, 9), (10, 6), (50, 4), (3, 20)))
            lines = ["a0: &a0 [x, x, x]"]
            lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
            yield Case("aliases", source, (_dump(data).decode() + "\n".join(lines) + "\n").encode(), True)
        elif choice < 0.92:
            yield Case("empty", source, rng.choice((b"", b"\n", b"# nothing\n", b"---\n", b"~\n", b"null\n", b"{}\n", b"\xef\xbb\xbf\n")), True)
        elif choice < 0.95:
            text = _dump(data)
            cut = rng.randrange(1, len(text))
            yield Case("truncated", source, text[:cut], False)
        elif choice < 0.97:
            junk = rng.choice((b"\xff\xfe\x00bad", b"key: \x80\x81\n", bytes(rng.randrange(256) for _ in range(64)),
                               b"- [1, 2\n", b"a: b: c\n", b"!!python/object:os.system ls\n", b"@@@\n", b"[1, 2]\n",
                               b"42\n", b"'just text'\n"))
            yield Case("junk", source, junk, True)
        else:
            parent = rng.choice(("x" * 300 + ".yaml", "/".join(["d"] * 3000) + ".yaml", "nosuch.yaml", "../" * 50,
                                 "", "/dev/null", "/proc/self/mem"))
            yield Case("extends", source, _dump({**data, "extends": parent}), True, "extends")


def generate(n: int, seed: int = 0) -> list[Case]:
    """``n`` cases, drawn evenly over :data:`SOURCES` (seeded)."""
    rng = random.Random(seed)
    streams = []
    for src in SOURCES:
        data = yaml.safe_load((PARAMS / src).read_text(encoding="utf-8"))
        streams.append(_mutations(random.Random(rng.random()), src, data))
    cases = []
    while len(cases) < n:
        cases.append(next(streams[len(cases) % len(streams)]))
    return cases


class _Hang(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise _Hang()


@dataclass
class Outcome:
    case: Case
    code: int | None
    output: str
    seconds: float
    crashed: str = ""   #: the exception's name when the command raised instead of refusing
    hung: bool = False

    @property
    def traceback(self) -> bool:
        return bool(self.crashed) or "Traceback" in self.output

    @property
    def wrongly_accepted(self) -> bool:
        return self.case.must_refuse and self.code == 0

    @property
    def unnamed(self) -> bool:
        """Refused without naming the field the case is about."""
        return bool(self.case.field) and self.code not in (0, None) and self.case.field not in self.output


def command_for(case: Case) -> str:
    """The command that would run the file: ``sweep`` for sweeps, else ``run``."""
    return "sweep" if case.source.startswith("sweeps/") else "run"


def command_options(case: Case, out: Path) -> tuple[str, ...]:
    """Options of :func:`command_for`'s command: ``--out`` and, for run, the small sizes of :data:`SMALL_RUN`."""
    return ("--out", str(out), *(SMALL_RUN if command_for(case) == "run" else ()))


def target_of(case: Case, folder: Path) -> Path:
    """Where the case is written: beside its source, in the copy of params/ under ``folder``."""
    return folder / "params" / Path(case.source).parent / f"_fuzz{Path(case.source).suffix}"


#: Options of the run whose assembly every case goes through (small, so the budget never refuses).
SMALL_RUN = ("--replications", "2", "--periods", "1")


@dataclass
class Assembly:
    """What the assembly step of the command that runs the file (``run``, else ``sweep``) said."""

    case: Case
    accepted: bool
    message: str
    crashed: str = ""


def assemble_case(case: Case, folder: Path) -> Assembly:
    """The case through the checks its command makes before its first draw, called directly (cheap).

    A scenario goes through :func:`simulate.runplan.assemble_run` with the options of
    :data:`SMALL_RUN`; a sweep through :func:`simulate.sweep.load_sweep` (``kinerja sweep``'s own
    assembly); a policy file or a regional case, which nothing runs alone, through their loaders.
    """
    from simulate.errors import UserError
    from simulate.runplan import RunOptions, assemble_run, file_kind

    target = target_of(case, folder)
    target.write_bytes(case.content)
    try:
        kind = file_kind(target)
        if kind == "sweep":
            from simulate.sweep import load_sweep

            load_sweep(target)
        elif kind == "policy":
            from simulate.policies.composed import load_policy_file

            load_policy_file(target)
        elif kind == "case":
            from simulate.regions.load import check_case_file

            check_case_file(target)
        else:
            assemble_run(target, RunOptions(replications=2, periods=1))
    except UserError as exc:
        return Assembly(case, False, str(exc))
    except Exception as exc:  # noqa: BLE001 - a crash: what the fuzz test is for
        return Assembly(case, False, "".join(traceback.format_exception(exc))[-2000:], exc.__class__.__name__)
    return Assembly(case, True, "")


def run_case(case: Case, folder: Path, timeout: int = 20, command: str = "validate",
             extra: tuple[str, ...] = ()) -> Outcome:
    """Write the case beside its source (in a copy of params/ under ``folder``) and run the command in-process."""
    from simulate.cli import main

    target = target_of(case, folder)
    target.write_bytes(case.content)
    out, err = io.StringIO(), io.StringIO()
    crashed, hung, code = "", False, None
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    started = time.perf_counter()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            # the mutant sits in a copy of params/: its extends: ../baseline.yaml names a folder of the copy
            allow = ("--allow-path", str(folder / "params")) if command in ("validate", "run", "sweep") else ()
            code = main([command, str(target), *allow, *extra])
    except _Hang:
        hung = True
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # a crash: what the fuzz test is for
        crashed = exc.__class__.__name__
        err.write("".join(traceback.format_exception(exc))[-2000:])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return Outcome(case, code, out.getvalue() + err.getvalue(), time.perf_counter() - started, crashed, hung)


def copy_params(folder: Path) -> Path:
    """A copy of the shipped params/ tree under ``folder`` (mutants are written into it)."""
    import shutil

    shutil.copytree(PARAMS, folder / "params")
    return folder


def tally(outcomes: list[Outcome]) -> dict[str, int]:
    return {
        "inputs": len(outcomes),
        "must_refuse": sum(o.case.must_refuse for o in outcomes),
        "refused": sum(o.code not in (0, None) for o in outcomes),
        "tracebacks": sum(o.traceback for o in outcomes),
        "hangs": sum(o.hung for o in outcomes),
        "wrongly_accepted": sum(o.wrongly_accepted for o in outcomes),
        "field_not_named": sum(o.unnamed for o in outcomes),
    }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps([c.describe() for c in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 20)], indent=1))
