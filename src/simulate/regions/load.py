"""Read the regional case files ``params/regions/cases/<key>.yaml`` into :class:`Region` objects.

A case file is read with ``yaml.safe_load`` (:func:`simulate.yamlio.read_yaml_mapping`),
its shape is checked by the pydantic model :class:`CaseFile` (unknown keys refused) and its
meaning by :func:`_meaning_problems` (keys, arms and variants that exist, known metrics,
periods). Every problem is reported at once as a :class:`~simulate.errors.ScenarioError`
naming the file and the field, e.g. ``params/regions/cases/alak.yaml: 1 problem`` /
``claims.0.metric: unknown metric 'wait_minute_median'; did you mean 'wait_minutes_median'?``.
:func:`check_case_file` also runs the case against its preset (policies present, every
variant a valid scenario), which ``kinerja validate`` does for a case file.

The region's key is the file's name; the cases come in the order of their seed articles
(``article``). The folder is found the way the scenario presets are
(:func:`simulate.resources.params_dir`).
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulate.errors import ScenarioError, UserError
from simulate.metrics import ALL_METRICS, GLOSSARY
from simulate.regions.types import BASE, Arm, Claim, Region, Side, Variant
from simulate.assemble import load_scenario, scenario_from_dict
from simulate.resources import params_dir
from simulate.validation import format_validation_error, prefix_problem
from simulate.paths import check_inside
from simulate.yamlio import deep_merge, read_yaml_mapping
from simulate.scenario.schema import Scenario

__all__ = [
    "CASE_FILE_KEYS", "CaseFile", "case_from_mapping", "cases_dir", "check_case_file", "get_region",
    "load_case", "load_cases", "load_region_scenario", "region_for",
]

_PERIOD_WORDS = ("first", "last", "mean", "trend", "steps")
_KEY = re.compile(r"[a-z][a-z0-9_]*")


# --------------------------------------------------------------------------------------------
# The file's shape
# --------------------------------------------------------------------------------------------

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(_Model):
    """A text in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str = Field(min_length=1)
    en: str = Field(min_length=1)


class VariantSpec(_Model):
    key: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    label: Text


class ArmSpec(_Model):
    key: str
    policy: str
    variant: str
    label: Text


class ClaimSpec(_Model):
    key: str
    label: Text
    text: Text
    metric: str
    # An arm key, a list of two arm keys, a number or nothing: checked in _meaning_problems,
    # which says so in one line (a typed union would list one error per alternative).
    compare: Any
    against: Any = None
    period: Any = "last"
    expected: Literal["higher", "lower"] = "higher"
    subset: str = ""
    #: Present when a parameter of the case makes the claim hold (an assumption, not a finding).
    assumption: Text | None = None


class CaseFile(_Model):
    """A regional case file (see params/regions/cases/README.md)."""

    name: str = Field(min_length=1)
    preset: str = Field(min_length=1)
    article: str = Field(min_length=1)
    mechanism: Text
    variants: list[VariantSpec] = Field(min_length=1)
    arms: list[ArmSpec] = Field(min_length=1)
    claims: list[ClaimSpec] = Field(min_length=1)


#: Top-level keys of a case file (what tells ``kinerja validate`` it is one).
CASE_FILE_KEYS: tuple[str, ...] = tuple(CaseFile.model_fields)


# --------------------------------------------------------------------------------------------
# The file's meaning
# --------------------------------------------------------------------------------------------

def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(choices)}"


def _key_problems(where: str, items: list[Any]) -> list[str]:
    problems, seen = [], set()
    for i, item in enumerate(items):
        if not _KEY.fullmatch(item.key):
            problems.append(f"{where}[{i}].key: lower-case letters, digits and '_' (starting with a letter), "
                            f"got {item.key!r}")
        elif item.key in seen:
            problems.append(f"{where}[{i}].key: {item.key!r} is used twice")
        seen.add(item.key)
    return problems


def _side(value: Any) -> Side:
    """The claim side a YAML value stands for (a list of two becomes a tuple, a number a float)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return (value[0], value[1])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise ValueError(value)


def _side_problems(where: str, value: Any, arms: list[str]) -> list[str]:
    try:
        side = _side(value)
    except ValueError:
        return [(f"{where}: must be an arm key, a list of two arm keys (the first minus the second), "
                 f"a number (a threshold) or left out, got {value!r}")]
    names = side if isinstance(side, tuple) else (side,) if isinstance(side, str) else ()
    return [f"{where}: unknown arm {name!r}{_did_you_mean(name, arms)}" for name in names if name not in arms]


def _period_problems(where: str, period: Any) -> list[str]:
    if period in _PERIOD_WORDS or (isinstance(period, int) and not isinstance(period, bool) and period >= 0):
        return []
    return [(f"{where}: must be one of {', '.join(_PERIOD_WORDS)} or a period number (0 is the first), "
             f"got {period!r}")]


def _meaning_problems(case: CaseFile) -> list[str]:
    """Everything the shape does not say: keys, references between entries, metrics, periods."""
    problems = _key_problems("variants", case.variants) + _key_problems("arms", case.arms) \
        + _key_problems("claims", case.claims)
    first = case.variants[0]
    if first.key != BASE or first.overrides:
        problems.append(f"variants[0]: the first variant is the preset itself: key {BASE}, no overrides")
    variants = [v.key for v in case.variants]
    for i, arm in enumerate(case.arms):
        if arm.variant not in variants:
            problems.append(f"arms[{i}].variant: unknown variant {arm.variant!r}{_did_you_mean(arm.variant, variants)}")
    arms = [a.key for a in case.arms]
    metrics = [m for m in ALL_METRICS if m in GLOSSARY]
    for i, claim in enumerate(case.claims):
        where = f"claims[{i}]"
        if claim.metric not in metrics:
            problems.append(f"{where}.metric: unknown metric {claim.metric!r}{_did_you_mean(claim.metric, metrics)}")
        problems += _side_problems(f"{where}.compare", claim.compare, arms)
        problems += _side_problems(f"{where}.against", claim.against, arms)
        problems += _period_problems(f"{where}.period", claim.period)
        if claim.period == "steps" and not isinstance(claim.compare, (str, list)):
            problems.append(f"{where}.compare: period steps needs an arm (or two) whose periods change")
    return problems


def _fail(path: Path | str, problems: list[str]) -> ScenarioError:
    noun = "problem" if len(problems) == 1 else "problems"
    return ScenarioError(f"{path}: {len(problems)} {noun}", problems)


def _region(key: str, case: CaseFile) -> Region:
    return Region(
        key=key, name=case.name, preset=case.preset, article=case.article,
        mechanism_id=case.mechanism.id, mechanism_en=case.mechanism.en,
        variants=tuple(Variant(v.key, v.overrides, v.label.id, v.label.en) for v in case.variants),
        arms=tuple(Arm(a.key, a.policy, a.variant, a.label.id, a.label.en) for a in case.arms),
        claims=tuple(Claim(c.key, c.label.id, c.label.en, c.text.id, c.text.en, c.metric, _side(c.compare),
                           _side(c.against), c.period, c.expected, c.subset,
                           c.assumption.id if c.assumption else "", c.assumption.en if c.assumption else "")
                     for c in case.claims),
    )


def case_from_mapping(key: str, data: dict[str, Any], source: str | Path) -> Region:
    """Validate a case file's content (a mapping) into the :class:`Region` ``key``."""
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise _fail(source, format_validation_error(exc, CaseFile)) from None
    problems = _meaning_problems(case)
    if problems:
        raise _fail(source, problems)
    return _region(key, case)


def load_case(path: str | Path) -> Region:
    """Read and validate one case file; the region's key is the file's name without ``.yaml``."""
    path = Path(path)
    return case_from_mapping(path.stem, read_yaml_mapping(path, "regional case"), path)


def check_case_file(path: str | Path) -> tuple[Region, Scenario]:
    """:func:`load_case`, then check the case against its preset: every arm's policy is one of the
    preset's and every variant's overrides give a valid scenario. Returns the region and preset."""
    path = Path(path)
    region = load_case(path)
    try:
        check_inside(region.path, "preset", path.resolve().parent, shown=region.preset)  # before it is read
    except ScenarioError as exc:
        raise _fail(path, [exc.message]) from None
    if not region.path.is_file():
        raise _fail(path, [f"preset: no file {region.preset} under {region.path.parent}"])
    preset = load_scenario(region.path)
    policies = [p.name for p in preset.policies]
    problems = [f"arms[{i}].policy: the preset {region.preset} has no policy {a.policy!r}"
                f"{_did_you_mean(a.policy, policies)}" for i, a in enumerate(region.arms) if a.policy not in policies]
    base = preset.model_dump(mode="json")
    for i, variant in enumerate(region.variants[1:], start=1):
        try:
            scenario_from_dict(deep_merge(base, variant.overrides), source=variant.key)
        except ScenarioError as exc:
            problems += [prefix_problem(f"variants[{i}].overrides", p) for p in exc.problems or [exc.message]]
    if problems:
        raise _fail(path, problems)
    return region, preset


# --------------------------------------------------------------------------------------------
# The cases shipped under params/regions/cases/
# --------------------------------------------------------------------------------------------

def cases_dir() -> Path:
    """The folder of the case files (beside the regional presets)."""
    return params_dir() / "regions" / "cases"


@cache
def load_cases() -> dict[str, Region]:
    """Every case file under :func:`cases_dir`, by key, in the order of their seed articles."""
    folder = cases_dir()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise UserError(f"{folder}: no regional case files (<region>.yaml) found")
    regions = sorted((load_case(p) for p in files), key=lambda r: (r.article, r.key))
    return {r.key: r for r in regions}


def get_region(key: str) -> Region:
    cases = load_cases()
    try:
        return cases[key]
    except KeyError:
        raise UserError(f"region: unknown region {key!r}; allowed: {', '.join(cases)}") from None


def region_for(scenario: Scenario | str) -> Region:
    """The region a scenario belongs to, from its name (``alak``, ``alak-small``, ...)."""
    name = scenario if isinstance(scenario, str) else scenario.name
    cases = load_cases()
    for key, region in cases.items():
        if name == key or name.startswith((f"{key}-", f"{key}_")):
            return region
    raise UserError(f"scenario name {name!r} is not one of the regional cases; its name must start with one of: "
                    f"{', '.join(cases)}")


def load_region_scenario(region: Region | str, overrides: dict[str, Any] | None = None) -> Scenario:
    region = get_region(region) if isinstance(region, str) else region
    check_inside(region.path, "preset", shown=region.preset)
    return load_scenario(region.path, overrides)
