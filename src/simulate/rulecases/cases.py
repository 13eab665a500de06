"""Loading rule-case files, evaluating each case and reporting mismatches."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simulate.errors import UserError
from simulate.rulecases.fields import Field, _check_field, _is_number
from simulate.rulecases.rules import _KEYWORDS, RULES, list_rules

#: A rule case file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 5 * 2**20
#: Absolute tolerance of a numeric comparison when a case gives none.
DEFAULT_TOLERANCE = 1e-9
_CASE_KEYS = {"name", "rule", "input", "output", "tolerance"}
_REQUIRED_CASE_KEYS = ("name", "rule", "input", "output")

# --------------------------------------------------------------------------------------------
# Loading and running case files
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    file: str
    index: int
    name: str
    rule: str
    input: dict
    output: dict
    tolerance: float

    @property
    def where(self) -> str:
        return f"{self.file}: case {self.index} ({self.name!r})"


def _where(file: str, index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"{file}: case {index}" + (f" ({name!r})" if isinstance(name, str) else "")


def _validate_case(file: str, index: int, raw: Any) -> Case:
    where = _where(file, index, raw)
    if not isinstance(raw, dict):
        raise UserError(
            f"{where}: expected a mapping with {', '.join(_REQUIRED_CASE_KEYS)}, got {raw!r}"
        )
    unknown = sorted(set(raw) - _CASE_KEYS)
    if unknown:
        raise UserError(
            f"{where}: unknown key(s) {unknown}; allowed: {', '.join(sorted(_CASE_KEYS))}"
        )
    missing = [key for key in _REQUIRED_CASE_KEYS if key not in raw]
    if missing:
        raise UserError(f"{where}: missing key(s) {missing}")
    if not isinstance(raw["name"], str) or not raw["name"].strip():
        raise UserError(f"{where}: name: expected a sentence, got {raw['name']!r}")
    rule = raw["rule"]
    if not isinstance(rule, str) or rule not in RULES:
        raise UserError(f"{where}: rule: unknown rule {rule!r}; known: {', '.join(RULES)}")
    tolerance = raw.get("tolerance", DEFAULT_TOLERANCE)
    if not _is_number(tolerance) or tolerance < 0:
        raise UserError(f"{where}: tolerance: expected a number >= 0, got {tolerance!r}")
    inputs = _validate_fields(where, "input", raw["input"], RULES[rule].inputs, check_required=True)
    outputs = _validate_fields(
        where, "output", raw["output"], RULES[rule].outputs, check_required=False
    )
    if not outputs:
        raise UserError(f"{where}: output: list at least one of {', '.join(RULES[rule].outputs)}")
    return Case(file, index, raw["name"], rule, inputs, outputs, float(tolerance))


def _validate_fields(
    where: str, section: str, values: Any, schema: dict[str, Field], check_required: bool
) -> dict:
    if values is None and section == "input":
        values = {}
    if not isinstance(values, dict):
        raise UserError(f"{where}: {section}: expected a mapping of fields, got {values!r}")
    for field in values:
        if field not in schema:
            raise UserError(
                f"{where}: {section} field {field!r} is unknown; allowed: {', '.join(schema)}"
            )
    if check_required:
        for field, spec in schema.items():
            if spec.required and field not in values:
                raise UserError(
                    f"{where}: {section} field {field!r} is missing ({spec.describe()})"
                )
    for field, value in values.items():
        problem = _check_field(schema[field], value)
        if problem:
            raise UserError(f"{where}: {section} field {field!r}: {problem}")
    return dict(values)


def load_cases(path: str | Path) -> list[Case]:
    """Read and validate one case file; raise :class:`UserError` naming file, case and field."""
    file = str(path)
    try:
        if Path(path).stat().st_size > MAX_FILE_BYTES:
            raise UserError(f"{file}: larger than {MAX_FILE_BYTES // 2**20} MB; rule case files are small texts")
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{file}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                        "save it as UTF-8") from None
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise UserError(f"{file}: nested too deeply to be a rule case file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise UserError(
            f"{file}: not valid YAML{at}: {getattr(exc, 'problem', None) or exc}"
        ) from None
    if not isinstance(data, list):
        raise UserError(f"{file}: expected a list of cases, got {type(data).__name__}")
    return [_validate_case(file, index, raw) for index, raw in enumerate(data)]


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(list(path.glob("*.yaml")) + list(path.glob("*.yml"))))
        else:
            files.append(path)
    if not files:
        raise UserError("no rule case files given (pass YAML files or folders holding them)")
    return files


def _evaluate(case: Case) -> dict:
    rule = RULES[case.rule]
    kwargs = {
        _KEYWORDS.get((case.rule, field), field): case.input.get(field, spec.default)
        for field, spec in rule.inputs.items()
        if field in case.input or not spec.required
    }
    try:
        with np.errstate(all="ignore"):  # an extreme input gives inf or a mismatch, not a warning
            return rule.function(**kwargs)
    except (ValueError, ArithmeticError) as exc:
        raise UserError(f"{case.where}: input rejected by {case.rule}: {exc}") from None


def _matches(spec: Field, expected: Any, got: Any, tolerance: float) -> bool:
    if spec.type in ("number", "count") and got is not None:
        return math.isclose(float(got), float(expected), rel_tol=0.0, abs_tol=tolerance)
    return got == expected


def _mismatches(case: Case, got: dict) -> list[str]:
    schema = RULES[case.rule].outputs
    return [
        f"{field}: expected {expected!r}, got {got.get(field)!r}"
        for field, expected in case.output.items()
        if not _matches(schema[field], expected, got.get(field), case.tolerance)
    ]


def run_files(paths: list[str], out=None, err=None) -> int:
    """Run rule case files (or folders of ``*.yaml``) and report.

    Parameters
    ----------
    paths : list of str
        Case files or folders.
    out : text stream, optional
        Where the ``PASS``/``FAIL`` lines and the closing ``N passed, M failed`` line go
        (default ``sys.stdout``, looked up at call time so redirection and capture work).
    err : text stream, optional
        Where a malformed-input message goes (default ``sys.stderr``).

    Returns
    -------
    int
        0 if every case passed, 1 if any failed, 2 for a malformed file, an unknown rule or an
        unknown or ill-typed field (nothing is run when a file is malformed).
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        cases = [case for path in _expand(paths) for case in load_cases(path)]
        passed = failed = 0
        for case in cases:
            problems = _mismatches(case, _evaluate(case))
            if problems:
                failed += 1
                print(f"FAIL  {case.file}  {case.name}: {'; '.join(problems)}", file=out)
            else:
                passed += 1
                print(f"PASS  {case.file}  {case.name}", file=out)
    except UserError as exc:
        print(f"error: {exc}", file=err)
        return exc.exit_code
    print(f"{passed} passed, {failed} failed", file=out)
    return 0 if failed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m simulate.rulecases [--list] PATH...``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--list"]:
        for rule in list_rules():
            inputs = ", ".join(f"{k}: {v}" for k, v in rule.inputs.items())
            outputs = ", ".join(f"{k}: {v}" for k, v in rule.outputs.items())
            print(f"{rule.name}: {rule.description}\n  input  {inputs}\n  output {outputs}")
        return 0
    return run_files(args)


