"""The shape every scoring policy shares: ``score(evidence, params) -> Appraisal``.

A policy is a pure, deterministic function of the :class:`~simulate.evidence.Evidence` (never
the truth) and its validated parameters. It returns an :class:`Appraisal`: a numeric score where
the rule has one, a predikat (codes 0-4, best first, see :mod:`simulate.predikat`) and the
components that produced them. Policies register themselves by name, so YAML, the CLI and the
notebooks can list and call them; adding a policy is adding one module.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from simulate.errors import ScenarioError
from simulate.evidence import Evidence, frame_html
from simulate.hints import hint
from simulate.registry import Registry
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT, as_categorical

__all__ = [
    "PolicyParams", "Appraisal", "PolicyInfo", "REGISTRY", "register", "get_policy",
    "list_policies", "validate_policy_params", "apply_policy", "resolve_policy", "check_base", "run_base",
    "raise_problems", "did_you_mean", "appraisal_keys", "forget_appraisals", "components_frame",
]


def components_frame(columns: dict[str, Any] | None = None) -> pd.DataFrame:
    """A policy's per-employee components as a frame that wraps the arrays without copying them.

    ``pd.DataFrame(dict)`` copies every column into consolidated blocks (0.2 s for a dozen
    columns at 1 M employees, eight times a cycle); the arrays a policy hands over are its own
    and are not changed afterwards, so the frame may hold them as they are.
    """
    return pd.DataFrame(columns or {}, copy=False)


class PolicyParams(BaseModel):
    """Base class of every policy's parameters: frozen, unknown keys rejected."""

    # strict: no silent coercion (true is not 1, "5" is not 5); finite: no .nan or .inf
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False)


@dataclass(frozen=True, eq=False)
class Appraisal:
    """One policy's appraisal of every employee in a period.

    Attributes
    ----------
    policy : str
        Name of the policy as configured (a scenario may run one rule under several names).
    rule : str
        Registry key of the rule that produced it.
    employee_id : ndarray of int
    score : ndarray of float
        Numeric score where the rule has one (NaN where it has none).
    predikat : ndarray of int8
        Codes 0 sangat_baik ... 4 sangat_kurang.
    components : DataFrame
        Per-employee inputs and intermediate values (same row order), named in snake_case.
    notes : DataFrame
        Group-level findings such as distribution-curve violations (may be empty).
    """

    policy: str
    rule: str
    employee_id: np.ndarray
    score: np.ndarray
    predikat: np.ndarray
    components: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: PolicyParams | None = None

    def __post_init__(self) -> None:
        n = len(self.employee_id)
        if len(self.score) != n or len(self.predikat) != n:
            raise ValueError("Appraisal: score and predikat must have one entry per employee")
        if n and (np.min(self.predikat) < 0 or np.max(self.predikat) > 4):
            raise ValueError("Appraisal: predikat codes must be 0-4")

    @property
    def n(self) -> int:
        return len(self.employee_id)

    def shares(self) -> pd.Series:
        """Share of employees in each predikat (all five levels, best first)."""
        counts = np.bincount(np.asarray(self.predikat, dtype=np.int64), minlength=5)[:5]
        return pd.Series(counts / max(self.n, 1), index=list(PREDIKAT), name=self.policy)

    def to_frame(self) -> pd.DataFrame:
        """One row per employee: id, policy, score, predikat and the components."""
        df = pd.DataFrame({
            "employee_id": self.employee_id, "policy": self.policy, "score": self.score,
            "predikat": as_categorical(self.predikat),
        })
        if len(self.components):
            df = pd.concat([df, self.components.reset_index(drop=True)], axis=1)
        return df

    def summary(self, lang: str = "id") -> pd.DataFrame:
        labels = LABELS_ID if lang == "id" else LABELS_EN
        s = self.shares()
        out = pd.DataFrame({"share": s.to_numpy(), "count": (s * self.n).round().astype(int).to_numpy()},
                           index=[labels[k] for k in s.index])
        return out

    def _repr_html_(self) -> str:
        sc = self.score[~np.isnan(self.score)] if np.issubdtype(np.asarray(self.score).dtype, np.floating) else []
        note = f"mean score {np.mean(sc):.2f}" if len(sc) else "no numeric score"
        if len(self.notes):
            note += f"; {len(self.notes)} notes (see .notes)"
        return frame_html(f"Appraisal under {self.policy} ({self.rule}), {self.n:,} employees", self.summary(), note)


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    score: Callable[[Evidence, Any], Appraisal]
    params: type[PolicyParams]
    label: str
    reference: str
    label_en: str = ""

    def label_in(self, lang: str) -> str:
        """The display name in ``lang`` (``id`` or ``en``; the Indonesian one when no English is given)."""
        return self.label_en if lang == "en" and self.label_en else self.label

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "label_en": self.label_en, "reference": self.reference,
                "parameters": {k: f.description for k, f in self.params.model_fields.items()}}


REGISTRY: Registry[PolicyInfo] = Registry("policy", "simulate.policies")


def _memoised(name: str, fn: Callable[[Evidence, Any], Appraisal]) -> Callable[[Evidence, Any], Appraisal]:
    """Keep a policy's result with the evidence it scored (``evidence.derived``).

    Policies are pure functions of (evidence, params), so a composite policy that reuses a base
    policy (citizen_weighted, forced_distribution, rater_calibrated) gets the base's appraisal
    without recomputing it; the result dies with the evidence.
    """

    @functools.wraps(fn)
    def score(evidence: Evidence, params: Any) -> Appraisal:
        derived = getattr(evidence, "derived", None)
        if derived is None or not isinstance(params, BaseModel):
            return fn(evidence, params)
        return derived.get(_appraisal_key(name, params), lambda: fn(evidence, params))

    return score


def _appraisal_key(rule: str, params: BaseModel) -> tuple:
    return ("policies.appraisal", rule, params.model_dump_json())


def appraisal_keys(rule: str, params: dict[str, Any] | PolicyParams | None = None) -> set[tuple]:
    """The memo keys (:func:`forget_appraisals`) of ``rule`` with ``params`` and of the bases it is built on.

    A base is a policy named by a ``base`` field whose parameters are ``base_params`` (e.g.
    citizen_weighted, forced_distribution); bases of bases are followed.
    """
    keys: set[tuple] = set()
    todo = [(rule, params)]
    while todo:
        rule, params = todo.pop()
        p = validate_policy_params(rule, params)
        key = _appraisal_key(rule, p)
        if key in keys:
            continue
        keys.add(key)
        base = getattr(p, "base", None)
        if isinstance(base, str) and base in REGISTRY and isinstance(getattr(p, "base_params", None), dict):
            todo.append((base, p.base_params))
    return keys


def forget_appraisals(evidence: Evidence, keep: set[tuple]) -> None:
    """Release the appraisals memoised with ``evidence`` except those of ``keep`` (:func:`appraisal_keys`).

    Lets a runner that scores many policies on one evidence hold only the appraisals still to
    be reused; one forgotten and asked for again is computed again, the same (policies are pure).
    """
    derived = getattr(evidence, "derived", None)
    if derived is not None:
        derived.forget(lambda key: isinstance(key, tuple) and key[:1] == ("policies.appraisal",) and key not in keep)


def register(name: str, params: type[PolicyParams], label: str, reference: str, label_en: str = ""):
    """Decorator: register ``score(evidence, params)`` under ``name``, with its display names
    in Bahasa Indonesia (``label``) and English (``label_en``)."""

    def deco(fn: Callable[[Evidence, Any], Appraisal]) -> Callable[[Evidence, Any], Appraisal]:
        REGISTRY.add(PolicyInfo(name=name, score=_memoised(name, fn), params=params, label=label,
                                reference=reference, label_en=label_en))
        return fn

    return deco


def list_policies() -> list[str]:
    return REGISTRY.names()


def get_policy(name: str) -> PolicyInfo:
    return REGISTRY.get(name)


def validate_policy_params(rule: str, params: dict[str, Any] | PolicyParams | None, where: str = "params") -> PolicyParams:
    """Validate ``params`` for ``rule``; errors name the field as ``where.field``."""
    return REGISTRY.validate(rule, params, where)


def apply_policy(evidence: Evidence, rule: str, params: dict[str, Any] | PolicyParams | None = None,
                 name: str | None = None) -> Appraisal:
    """Score ``evidence`` with registered policy ``rule`` (parameters validated first)."""
    info = get_policy(rule)
    p = validate_policy_params(rule, params)
    appraisal = info.score(evidence, p)
    if name is not None and name != appraisal.policy:
        appraisal = Appraisal(policy=name, rule=appraisal.rule, employee_id=appraisal.employee_id,
                              score=appraisal.score, predikat=appraisal.predikat,
                              components=appraisal.components, notes=appraisal.notes, params=appraisal.params)
    return appraisal


#: Modules of this package that hold shared code, not a policy.
_NOT_POLICIES = ("base", "common", "arrays", "lookups")


# --------------------------------------------------------------------------------------------
# Policies built on another policy (citizen_weighted, forced_distribution, composed, ...)
# --------------------------------------------------------------------------------------------

def did_you_mean(name: str, choices) -> str:
    """``"; did you mean 'x'?"`` for the closest choice (substring matches first), or ''."""
    return hint(name, choices, cutoff=0.5, substring=True)


def resolve_policy(name: str) -> PolicyInfo:
    """The registered policy ``name``, importing ``simulate.policies.<name>`` if needed.

    The package ``__init__`` registers the built-ins; this also works before it lists a
    module (and for modules imported lazily), because every built-in lives in a module named
    after its registry key.
    """
    if name not in REGISTRY and name.isidentifier() and not name.startswith("_"):
        module = f"simulate.policies.{name}"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return get_policy(name)


def _builtin_modules() -> list[str]:
    """Policy modules shipped in :mod:`simulate.policies` (each registers the rule of its name)."""
    here = Path(__file__).resolve().parent
    return [m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in _NOT_POLICIES]


def raise_problems(model: str, problems: list[str]) -> None:
    """Raise every problem at once from inside a pydantic validator.

    Each message names its field itself (``components[1].source: ...``); they become separate
    errors at the validator's location, so :func:`simulate.validation.format_validation_error`
    prints one line each, prefixed by the caller's path (``policies[0].params.``).
    """
    if problems:
        raise ValidationError.from_exception_data(model, [
            {"type": "value_error", "loc": (), "input": None, "ctx": {"error": ValueError(p)}} for p in problems
        ])


def check_base(base: str, base_params: dict[str, Any], owner: str, *, extra_choices: tuple[str, ...] = ()) -> None:
    """Validate ``base`` and ``base_params`` for a policy built on another (``owner``).

    Raises (through :func:`raise_problems`) messages naming ``base`` / ``base_params.<field>``.
    """
    if base in extra_choices:
        if base_params:
            raise_problems(owner, [f"base_params: must be empty when base is {base!r}, got {sorted(base_params)}"])
        return
    if base == owner:
        raise_problems(owner, [f"base: {owner!r} cannot be its own base; choose another policy"])
    try:
        resolve_policy(base)
    except ScenarioError:
        choices = sorted((set(REGISTRY) | set(_builtin_modules())) - {owner}) + list(extra_choices)
        hint = did_you_mean(base, choices) or f"; allowed: {', '.join(choices)}"
        raise_problems(owner, [f"base: unknown policy {base!r}{hint}"])
    try:
        validate_policy_params(base, base_params, where="base_params")
    except ScenarioError as exc:
        raise_problems(owner, exc.problems or [f"base_params: {exc.message}"])


def run_base(evidence: Evidence, base: str, base_params: dict[str, Any]) -> Appraisal:
    """Score ``evidence`` with the base policy (its parameters validated by its own schema)."""
    info = resolve_policy(base)
    return info.score(evidence, validate_policy_params(base, base_params, where="base_params"))
