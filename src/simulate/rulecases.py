"""Domain-readable rule cases: YAML files of (situation, inputs, expected outputs).

A case file is a YAML list of cases, each naming a rule from :data:`RULES`::

    - name: Both axes above expectation give Sangat Baik
      rule: permenpanrb_2022.predikat
      input: {hasil_kerja: di_atas, perilaku_kerja: di_atas}
      output: {predikat: sangat_baik}
      tolerance: 0.005        # optional, absolute, for numeric outputs

Only the outputs a case lists are checked. Numbers are compared within ``tolerance`` (default
1e-9), everything else exactly. :func:`run_files` prints one ``PASS``/``FAIL`` line per case and a
closing ``N passed, M failed`` line; it returns 0 when every case passes, 1 when any fails and 2
(with one message on stderr naming the file, the case and the field) for a malformed file, an
unknown rule or an unknown or ill-typed field (OpenFisca's YAML tests follow the same idea).

Run from the command line with ``python -m simulate.rulecases tests/rules`` (``--list`` shows
the rules with their inputs and outputs).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from simulate.errors import UserError
from simulate.predikat import PREDIKAT, REGULATION_NAMES
from simulate.rules import angka_kredit, capaian, permenpanrb_2022, pp30_2019, pp46_2011, skm, tpp
from simulate.scales import EXPECTATION_NAMES

__all__ = ["Field", "Rule", "RuleInfo", "RULES", "list_rules", "load_cases", "run_files", "main"]

DEFAULT_TOLERANCE = 1e-9
_CASE_KEYS = {"name", "rule", "input", "output", "tolerance"}
_REQUIRED_CASE_KEYS = ("name", "rule", "input", "output")


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One input or output field: its type, whether it is required, a default and choices."""

    type: str
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        kind = (
            f"one of {', '.join(self.choices)}"
            if self.choices
            else _TYPE_TEXT.get(self.type, self.type)
        )
        if self.required:
            return kind
        return f"{kind} (optional, default {self.default!r})"


_TYPE_TEXT = {
    "count": "whole number >= 0",
    "bool": "true/false",
    "text_list": "list of text",
    "predikat_list": "list of predikat names",
    "responses": "list of 9-answer lists (1-4; 0 or null = unanswered)",
    "aspect": "{target, realisation}",
    "counts": "mapping predikat name -> headcount",
    "numbers": "list of numbers",
    "band_counts": "list of 4 counts (bands 1-4)",
    "results": "list of {capaian, main}",
    "employees": "list of {predikat, score}",
}


class Rule(NamedTuple):
    """A rule: its function (keyword inputs -> dict of outputs), input and output schemas."""

    function: Callable[..., dict]
    inputs: dict[str, Field]
    outputs: dict[str, Field]
    description: str


def _opt(type_: str, default: Any, choices: tuple[str, ...] = ()) -> Field:
    return Field(type_, required=False, default=default, choices=choices)


def _enum(choices: tuple[str, ...]) -> Field:
    return Field("enum", choices=tuple(choices))


_PP46 = REGULATION_NAMES["pp46_2011"]
_PP30 = REGULATION_NAMES["pp30_2019"]
_ORG = permenpanrb_2022.ORG_PREDIKAT
_CREATIVITY = ("none", "unit_kerja", "organisasi", "negara")
_BAND_NAMES = ("on_time", "TL1", "TL2", "TL3", "TL4")


def _type_error(expected: str, value: Any) -> str:
    return f"expected {expected}, got {value!r}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_responses(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return _type_error("a non-empty list of 9-answer lists", value)
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != skm.N_ELEMENTS:
            return f"respondent {i}: expected a list of {skm.N_ELEMENTS} answers, got {row!r}"
        for answer in row:
            if answer is not None and not (_is_count(answer) and answer <= 4):
                return (
                    f"respondent {i}: answers must be 1-4 (0 or null = unanswered), got {answer!r}"
                )
    return None


def _check_mapping(
    value: Any, keys: dict[str, Callable[[Any], bool]], what: str, required=True
) -> str | None:
    if not isinstance(value, dict):
        return _type_error(f"a mapping with {', '.join(keys)}", value)
    unknown = sorted(set(value) - set(keys))
    if unknown:
        return f"unknown key(s) {unknown}; allowed: {', '.join(keys)}"
    for key, ok in keys.items():
        if key not in value:
            if required:
                return f"missing key {key!r}"
            continue
        if not ok(value[key]):
            return f"{key}: {_type_error(what, value[key])}"
    return None


def _check_list(value: Any, item_check: Callable[[Any], str | None], what: str) -> str | None:
    if not isinstance(value, list) or not value:
        return _type_error(f"a non-empty list of {what}", value)
    for i, item in enumerate(value):
        problem = item_check(item)
        if problem:
            return f"item {i}: {problem}"
    return None


def _check_field(field: Field, value: Any) -> str | None:
    """A problem description when ``value`` does not fit ``field``, else None."""
    t = field.type
    if t == "number":
        return None if _is_number(value) else _type_error("a number", value)
    if t == "count":
        return None if _is_count(value) else _type_error("a whole number >= 0", value)
    if t == "bool":
        return None if isinstance(value, bool) else _type_error("true or false", value)
    if t == "enum":
        return (
            None
            if value in field.choices
            else _type_error(f"one of {', '.join(field.choices)}", value)
        )
    if t == "text_list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else _type_error("a list of text", value)
    if t == "predikat_list":
        ok = isinstance(value, list) and all(v in PREDIKAT for v in value)
        return None if ok else _type_error(f"a list of {', '.join(PREDIKAT)}", value)
    if t == "responses":
        return _check_responses(value)
    if t == "aspect":
        return _check_mapping(value, {"target": _is_number, "realisation": _is_number}, "a number")
    if t == "counts":
        return _check_mapping(
            value, {name: _is_count for name in PREDIKAT}, "a whole number >= 0", required=False
        )
    if t == "numbers":
        return _check_list(
            value, lambda v: None if _is_number(v) else _type_error("a number", v), "numbers"
        )
    if t == "band_counts":
        ok = (
            isinstance(value, list) and len(value) == tpp.BANDS and all(_is_count(v) for v in value)
        )
        return None if ok else _type_error(f"a list of {tpp.BANDS} whole numbers >= 0", value)
    if t == "results":
        keys = {"capaian": _is_number, "main": lambda v: isinstance(v, bool)}
        return _check_list(
            value, lambda v: _check_mapping(v, keys, "capaian a number, main true/false"), "results"
        )
    if t == "employees":
        keys = {"predikat": lambda v: v in PREDIKAT, "score": _is_number}
        return _check_list(
            value, lambda v: _check_mapping(v, keys, "predikat name / score number"), "employees"
        )
    raise ValueError(f"rulecases: unknown field type {t!r}")  # a bug in RULES, not user input


# --------------------------------------------------------------------------------------------
# Rule adapters: plain Python values in, plain Python values out
# --------------------------------------------------------------------------------------------


def _skm_ikm(responses):
    answers = np.array(
        [[np.nan if a is None else a for a in row] for row in responses], dtype=float
    )
    ikm = skm.ikm_from_responses(answers)
    converted = float(skm.convert_ikm(ikm))
    return {"ikm": ikm, "converted": converted, "grade": str(skm.ikm_grade(converted))}


def _skm_grade(converted):
    return {"grade": str(skm.ikm_grade(converted))}


def _skm_sample_size(population):
    return {"sample_size": int(skm.krejcie_morgan_sample_size(population))}


def _capaian(target, realisation, lower_is_better):
    return {"capaian": float(capaian.capaian(target, realisation, lower_is_better))}


def _capaian_value(capaian_, target_is_maximum):
    return {"value": float(capaian.capaian_value(capaian_, target_is_maximum))}


def _pp46_activity(quantity, quality, time, cost=None):
    values = {
        "quantity_value": float(
            pp46_2011.quantity_value(quantity["target"], quantity["realisation"])
        ),
        "quality_value": float(pp46_2011.quality_value(quality["target"], quality["realisation"])),
        "time_value": float(pp46_2011.time_value(time["target"], time["realisation"])),
        "cost_value": None,
    }
    if cost is not None:
        values["cost_value"] = float(pp46_2011.cost_value(cost["target"], cost["realisation"]))
    values["value"] = float(
        pp46_2011.activity_value(
            values["quantity_value"],
            values["quality_value"],
            values["time_value"],
            None if cost is None else values["cost_value"],
        )
    )
    return values


def _pp46_skp(activities, extra_tasks, creativity):
    return {
        "value": float(
            pp46_2011.skp_value(np.asarray(activities, dtype=float), extra_tasks, creativity)
        )
    }


def _pp46_final(skp, behaviour):
    score = float(pp46_2011.final_score(skp, behaviour))
    return {"score": score, "predikat": _PP46[int(pp46_2011.predikat(score))]}


def _pp46_band(score):
    return {"predikat": _PP46[int(pp46_2011.predikat(score))]}


def _pp30_final(skp, behaviour, uses_360, new_idea):
    score = float(pp30_2019.final_score(skp, behaviour, uses_360))
    return {"score": score, "predikat": _PP30[int(pp30_2019.predikat(score, new_idea))]}


def _pp30_band(score, new_idea):
    return {"predikat": _PP30[int(pp30_2019.predikat(score, new_idea))]}


def _quadrant(hasil_kerja, perilaku_kerja):
    code = permenpanrb_2022.predikat(
        EXPECTATION_NAMES.index(hasil_kerja), EXPECTATION_NAMES.index(perilaku_kerja)
    )
    return {"predikat": PREDIKAT[int(code)]}


def _rate_results(results, exceeds_above, below_under, most_share, small_share):
    achieved = np.array([[r["capaian"] for r in results]], dtype=float)
    main = np.array([[r["main"] for r in results]], dtype=bool)
    rating = permenpanrb_2022.rate_results(
        achieved, main, exceeds_above, below_under, most_share, small_share
    )
    return {"rating": EXPECTATION_NAMES[int(rating[0])]}


def _org_predikat(capaian_):
    return {"org_predikat": _ORG[int(permenpanrb_2022.org_predikat(capaian_))]}


def _count_vector(counts):
    return [counts.get(name, 0) for name in PREDIKAT]


def _curve_check(org_predikat, counts):
    valid, violations = permenpanrb_2022.curve_check(_count_vector(counts), org_predikat)
    return {"valid": bool(valid), "violations": list(violations)}


def _enforce_curve(org_predikat, employees):
    codes = np.array([PREDIKAT.index(e["predikat"]) for e in employees])
    scores = np.array([e["score"] for e in employees], dtype=float)
    groups = np.zeros(len(employees), dtype=np.int64)
    org = np.array([_ORG.index(org_predikat)])
    new, moved = permenpanrb_2022.enforce_curve(codes, scores, groups, org)
    valid = bool(permenpanrb_2022.curve_check_groups(new, groups, org)[0])
    return {"predikat": [PREDIKAT[c] for c in new], "moved": int(moved[0]), "valid": valid}


def _annual_credit(predikat, coefficient, months):
    return {
        "credit": float(angka_kredit.annual_credit(PREDIKAT.index(predikat), coefficient, months))
    }


def _tpp_deduction(late, early_leave, absent_days):
    return {"deduction": float(tpp.discipline_deduction_percent(late, early_leave, absent_days))}


def _tpp_lateness_band(minutes):
    return {"band": _BAND_NAMES[int(tpp.lateness_band(minutes))]}


def _tpp_predikat_cut(scheme, predikat):
    code = PREDIKAT.index(predikat)
    return {
        "paid_percent": float(tpp.predikat_paid_percent(code, scheme)),
        "cut_percent": float(tpp.predikat_cut_percent(code, scheme)),
    }


_ASPECT = Field("aspect")
_NUMBER = Field("number")

#: Rule name -> (function, input schema, output schema, description).
RULES: dict[str, Rule] = {
    "skm.ikm": Rule(
        _skm_ikm,
        {"responses": Field("responses")},
        {"ikm": _NUMBER, "converted": _NUMBER, "grade": _enum(("A", "B", "C", "D"))},
        "SKM index (1-4), converted index (25-100) and grade from answers, PermenPANRB 14/2017",
    ),
    "skm.grade": Rule(
        _skm_grade,
        {"converted": _NUMBER},
        {"grade": _enum(("A", "B", "C", "D"))},
        "SKM grade from the converted index, PermenPANRB 14/2017",
    ),
    "skm.sample_size": Rule(
        _skm_sample_size,
        {"population": Field("count")},
        {"sample_size": Field("count")},
        "Minimum SKM respondents, Krejcie & Morgan (1970)",
    ),
    "capaian": Rule(
        _capaian,
        {"target": _NUMBER, "realisation": _NUMBER, "lower_is_better": _opt("bool", False)},
        {"capaian": _NUMBER},
        "Indicator achievement in percent, PermenPANRB 8/2021",
    ),
    "capaian.value": Rule(
        _capaian_value,
        {"capaian": _NUMBER, "target_is_maximum": _opt("bool", False)},
        {"value": _NUMBER},
        "Value (0-120) of an achievement, PermenPANRB 8/2021 (Baik/Sangat Baik part unverified)",
    ),
    "pp46_2011.skp_activity": Rule(
        _pp46_activity,
        {"quantity": _ASPECT, "quality": _ASPECT, "time": _ASPECT, "cost": _opt("aspect", None)},
        {
            "value": _NUMBER,
            "quantity_value": _NUMBER,
            "quality_value": _NUMBER,
            "time_value": _NUMBER,
            "cost_value": _NUMBER,
        },
        "SKP activity value (mean of 3 or 4 aspects), Perka BKN 1/2013",
    ),
    "pp46_2011.skp": Rule(
        _pp46_skp,
        {
            "activities": Field("numbers"),
            "extra_tasks": _opt("count", 0),
            "creativity": _opt("enum", "none", _CREATIVITY),
        },
        {"value": _NUMBER},
        "SKP value: mean activity value plus bonuses (bonuses unverified), Perka BKN 1/2013",
    ),
    "pp46_2011.final": Rule(
        _pp46_final,
        {"skp": _NUMBER, "behaviour": _NUMBER},
        {"score": _NUMBER, "predikat": _enum(_PP46)},
        "Final score 60 % SKP + 40 % behaviour and band, PP 46/2011",
    ),
    "pp46_2011.band": Rule(
        _pp46_band,
        {"score": _NUMBER},
        {"predikat": _enum(_PP46)},
        "Band of a score, PP 46/2011",
    ),
    "pp30_2019.final": Rule(
        _pp30_final,
        {
            "skp": _NUMBER,
            "behaviour": _NUMBER,
            "uses_360": _opt("bool", False),
            "new_idea": _opt("bool", False),
        },
        {"score": _NUMBER, "predikat": _enum(_PP30)},
        "Final score 70/30 (60/40 with 360-degree input) and band, PP 30/2019 Art. 41",
    ),
    "pp30_2019.band": Rule(
        _pp30_band,
        {"score": _NUMBER, "new_idea": _opt("bool", False)},
        {"predikat": _enum(_PP30)},
        "Band of a score, PP 30/2019 Art. 41(5)",
    ),
    "permenpanrb_2022.predikat": Rule(
        _quadrant,
        {"hasil_kerja": _enum(EXPECTATION_NAMES), "perilaku_kerja": _enum(EXPECTATION_NAMES)},
        {"predikat": _enum(PREDIKAT)},
        "Employee predikat from the kuadran kinerja, PermenPANRB 6/2022",
    ),
    "permenpanrb_2022.rate_results": Rule(
        _rate_results,
        {
            "results": Field("results"),
            "exceeds_above": _opt("number", 110.0),
            "below_under": _opt("number", 100.0),
            "most_share": _opt("number", 0.5),
            "small_share": _opt("number", 1.0 / 3.0),
        },
        {"rating": _enum(EXPECTATION_NAMES)},
        "Work-result rating from indicator achievements (BKN guidance on PermenPANRB 6/2022)",
    ),
    "permenpanrb_2022.org_predikat": Rule(
        _org_predikat,
        {"capaian": _NUMBER},
        {"org_predikat": _enum(_ORG)},
        "Organisational predikat from unit achievement (default cut-offs unverified)",
    ),
    "permenpanrb_2022.curve_check": Rule(
        _curve_check,
        {"org_predikat": _enum(_ORG), "counts": Field("counts")},
        {"valid": Field("bool"), "violations": Field("text_list")},
        "Distribution curve check for one unit, PermenPANRB 6/2022 (KemenPANRB circular)",
    ),
    "permenpanrb_2022.enforce_curve": Rule(
        _enforce_curve,
        {"org_predikat": _enum(_ORG), "employees": Field("employees")},
        {"predikat": Field("predikat_list"), "moved": Field("count"), "valid": Field("bool")},
        "Move the fewest people, in score order, until the unit meets its curve",
    ),
    "angka_kredit.annual": Rule(
        _annual_credit,
        {"predikat": _enum(PREDIKAT), "coefficient": _NUMBER, "months": _opt("number", 12)},
        {"credit": _NUMBER},
        "Credit points for a period at a predikat, PerBKN 3/2023",
    ),
    "tpp.deduction": Rule(
        _tpp_deduction,
        {
            "late": _opt("band_counts", [0, 0, 0, 0]),
            "early_leave": _opt("band_counts", [0, 0, 0, 0]),
            "absent_days": _opt("count", 0),
        },
        {"deduction": _NUMBER},
        "Monthly lateness/early-leave/absence deduction in percent, Permentan 68/2012",
    ),
    "tpp.lateness_band": Rule(
        _tpp_lateness_band,
        {"minutes": _NUMBER},
        {"band": _enum(_BAND_NAMES)},
        "Lateness band TL1-TL4 of a late arrival, Permentan 68/2012",
    ),
    "tpp.predikat_cut": Rule(
        _tpp_predikat_cut,
        {"scheme": _enum(tpp.SCHEMES), "predikat": _enum(PREDIKAT)},
        {"paid_percent": _NUMBER, "cut_percent": _NUMBER},
        "Allowance paid / cut at a predikat (KLHK, Bakamla schemes)",
    ),
}
# Python keyword names that differ from the YAML field names.
_KEYWORDS = {
    ("capaian.value", "capaian"): "capaian_",
    ("permenpanrb_2022.org_predikat", "capaian"): "capaian_",
}


class RuleInfo(NamedTuple):
    """A rule's name, inputs and outputs (field -> type description) and description.

    Prints as ``name: inputs -> outputs``.
    """

    name: str
    inputs: dict[str, str]
    outputs: dict[str, str]
    description: str

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.inputs)} -> {', '.join(self.outputs)}"


def list_rules() -> list[RuleInfo]:
    """Every rule with its inputs, outputs and description, in registry order."""
    return [
        RuleInfo(
            name,
            {field: spec.describe() for field, spec in rule.inputs.items()},
            {field: spec.describe() for field, spec in rule.outputs.items()},
            rule.description,
        )
        for name, rule in RULES.items()
    ]


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
    if rule not in RULES:
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
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{file}: cannot read the file ({exc.strerror or exc})") from None
    try:
        data = yaml.safe_load(text)
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
        return rule.function(**kwargs)
    except ValueError as exc:
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


if __name__ == "__main__":
    sys.exit(main())
