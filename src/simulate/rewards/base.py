"""The shape every follow-up scheme shares: ``apply(appraisal, population, params, evidence, history) -> FollowUp``.

A reward scheme (DESIGN 3.7) turns one policy's :class:`~simulate.policies.base.Appraisal` (the
predikat source) into what follows from it: allowance paid (TPP / tunjangan kinerja), credit
points, talent-pool entry, training, the PP 30/2019 path for persistent poor performers. It is a
pure, deterministic, vectorised function of

- ``appraisal``: the predikat of every employee (row order of the result);
- ``population``: who holds which post (``position_type``, ``golongan``, ``status``,
  ``opd_kind``), a :class:`~simulate.population.Population`, its ``employees`` frame, or
  ``None`` to read the same columns from ``evidence.employees``;
- ``params``: the scheme's validated :class:`RewardParams`;
- ``evidence`` (optional): the period's :class:`~simulate.evidence.Evidence`; it supplies the
  discipline records (``late_days``, ``absent_days``), the period number and its length in
  months. Without it a scheme assumes period 0 of 12 months and no discipline records;
- ``history`` (optional): earlier predikat codes of the same employees, an array of shape
  ``(periods, n)``, oldest first, ending with the period just before this one, ``-1`` (or
  ``NaN``) where a person was not appraised; see :func:`as_history`. Schemes that do not look
  back ignore it.

Every amount is in rupiah (``*_idr`` columns); nothing is rounded to whole rupiah, so totals
add up exactly. Each scheme reports its cost against a baseline (``baseline_cost_idr``: what the
same scheme costs without performance-linked cuts or follow-up) so policies can be compared.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from simulate.evidence import Evidence, frame_html
from simulate.frames import LazyFrame, frame_column, frame_columns
from simulate.structure import Structure
from simulate.policies.base import Appraisal
from simulate.registry import Registry
from simulate.rewards.history import as_history  # re-exported: schemes read it from here
from simulate.validation import lists_as_tuples

__all__ = [
    "RewardParams", "FollowUp", "FollowUpSignals", "RewardInfo", "REGISTRY", "register", "get_reward", "list_rewards",
    "validate_reward_params", "apply_reward", "EVENT_COLUMNS", "as_history", "employee_attributes",
    "employee_derived", "evidence_rows", "period_of", "category_codes", "map_categories", "map_to_categorical",
    "lookup_pairs", "make_events",
]

#: Columns of :attr:`FollowUp.events`, in order.
EVENT_COLUMNS: tuple[str, ...] = ("employee_id", "event", "date", "period", "detail")
#: Period length assumed when no evidence is given (an annual appraisal).
DEFAULT_PERIOD_MONTHS = 12


class RewardParams(BaseModel):
    """Base class of every reward scheme's parameters: frozen, unknown keys rejected."""

    # strict: no silent coercion (true is not 1, "5" is not 5); finite: no .nan or .inf
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _tuples_from_lists(cls, data: Any) -> Any:  # YAML has lists only; strict tuples would refuse them
        return lists_as_tuples(cls, data)


@functools.lru_cache(maxsize=1)
def _events_template() -> pd.DataFrame:
    return pd.DataFrame({
        "employee_id": pd.Series(dtype=np.int64), "event": pd.Series(dtype=object),
        "date": pd.Series(dtype="datetime64[ns]"), "period": pd.Series(dtype=np.int64),
        "detail": pd.Series(dtype=object),
    })


def empty_events() -> pd.DataFrame:
    """An empty events table with the documented columns and dtypes (a fresh shallow copy)."""
    return _events_template().copy(deep=False)


@dataclass(frozen=True, eq=False)
class FollowUp:
    """What one reward scheme does with one policy's appraisal in one period.

    Attributes
    ----------
    scheme : str
        Name of the scheme as configured (a scenario may run one rule under several names).
    rule : str
        Registry key of the scheme that produced it.
    policy : str
        Name of the scoring policy whose appraisal it follows.
    employees : DataFrame
        One row per employee in the appraisal's order, ``employee_id`` first, then the amounts
        (``*_idr``, rupiah), flags and states of the scheme, named in snake_case. A scheme may
        pass its columns (a mapping, in column order) instead: the table is then built on first
        access (:mod:`simulate.frames`), and :meth:`column` reads one column without it.
    total_cost_idr : float
        What the scheme costs in the period (rupiah).
    baseline_cost_idr : float
        What it would cost without performance-linked cuts or follow-up (rupiah); see each scheme.
    events : DataFrame
        Dated events (``employee_id, event, date, period, detail``), one row per event; empty
        for schemes without any.
    totals : dict
        Scheme-specific aggregates (counts, credit points, cut amounts), shown by :meth:`summary`.
    period, period_months : int
        Which period it follows and how many months it covers.
    params : RewardParams or None
        The validated parameters used.
    """

    scheme: str
    rule: str
    policy: str
    employees: pd.DataFrame
    total_cost_idr: float
    baseline_cost_idr: float = 0.0
    events: pd.DataFrame = field(default_factory=empty_events)
    totals: dict[str, float] = field(default_factory=dict)
    period: int = 0
    period_months: int = DEFAULT_PERIOD_MONTHS
    params: RewardParams | None = None

    def __post_init__(self) -> None:
        columns = frame_columns(self, "employees")
        if not columns or columns[0] != "employee_id":
            raise ValueError("FollowUp: the per-employee frame must start with employee_id")
        if tuple(self.events.columns) != EVENT_COLUMNS:
            raise ValueError(f"FollowUp: events must have the columns {EVENT_COLUMNS}")

    @property
    def n(self) -> int:
        return len(self.column("employee_id"))

    def column(self, name: str) -> np.ndarray | pd.Categorical:
        """One column of :attr:`employees` (without building the table if it was given as columns)."""
        return frame_column(self, "employees", name)

    @property
    def cost_vs_baseline_idr(self) -> float:
        """``total_cost_idr - baseline_cost_idr`` (negative: the scheme saves money)."""
        return float(self.total_cost_idr - self.baseline_cost_idr)

    def event_counts(self) -> pd.Series:
        """Number of events of each kind (name ``count``), in order of first appearance."""
        if not len(self.events):
            return pd.Series(dtype=np.int64, name="count")
        return self.events["event"].value_counts(sort=False).rename("count")

    def to_frame(self) -> pd.DataFrame:
        """One row per employee: ``employee_id``, ``policy``, ``scheme``, then the scheme's columns."""
        df = self.employees.copy()
        df.insert(1, "policy", self.policy)
        df.insert(2, "scheme", self.scheme)
        return df

    def summary(self) -> pd.DataFrame:
        """Cost against the baseline, the scheme's totals and the number of events of each kind."""
        rows: dict[str, float] = {
            "employees": self.n,
            "total_cost_idr": self.total_cost_idr,
            "baseline_cost_idr": self.baseline_cost_idr,
            "cost_vs_baseline_idr": self.cost_vs_baseline_idr,
        }
        rows.update(self.totals)
        for event, count in self.event_counts().items():
            rows[f"events_{event}"] = int(count)
        return pd.DataFrame({"value": pd.Series(rows, dtype=float)})

    def _repr_html_(self) -> str:
        note = (f"period {self.period} ({self.period_months} months); cost Rp {self.total_cost_idr:,.0f} "
                f"vs baseline Rp {self.baseline_cost_idr:,.0f}")
        shown = self.summary()["value"].map(lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}")
        return frame_html(f"Follow-up {self.scheme} ({self.rule}) of {self.policy}, {self.n:,} employees",
                          shown.to_frame(), note)


#: ``employees`` may be given as its columns: multi-period runs read a few of them per arm.
FollowUp.employees = LazyFrame("employees")


@dataclass(frozen=True, eq=False)
class FollowUpSignals:
    """What a follow-up means for the people it follows, as the behaviour model reads it.

    Each field is per employee (the appraisal's row order), or None where the scheme says
    nothing about it: ``pay_share`` the share of the allowance paid, ``training`` who is sent
    to training, ``dismissed`` who leaves the service at the end of the period.
    """

    pay_share: np.ndarray | None = None
    training: np.ndarray | None = None
    dismissed: np.ndarray | None = None


@dataclass(frozen=True)
class RewardInfo:
    """A registered scheme: its function, parameters, and what it means for a replication.

    ``signals`` turns the scheme's :class:`FollowUp` into :class:`FollowUpSignals` (None: the
    scheme does not move behaviour); ``cost_metric`` names the results metric its cost adds to;
    ``dismissal_after`` is the number of earlier periods a person needs before the scheme can
    dismiss him or her (None: it never dismisses); ``table_only`` holds parameters that skip
    what a simulation does not read (event texts).
    """

    name: str
    apply: Callable[..., FollowUp]
    params: type[RewardParams]
    label: str
    reference: str
    signals: Callable[[FollowUp], FollowUpSignals] | None = None
    cost_metric: str | None = None
    dismissal_after: int | None = None
    table_only: tuple[tuple[str, Any], ...] = ()
    label_en: str = ""  # the English display name (label is the Indonesian one)

    def label_in(self, lang: str) -> str:  # the display name in id or en (Indonesian when no English)
        return self.label_en if lang == "en" and self.label_en else self.label
    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "label_en": self.label_en, "reference": self.reference,
                "parameters": {k: f.description for k, f in self.params.model_fields.items()}}


REGISTRY: Registry[RewardInfo] = Registry("reward scheme", "simulate.rewards")


def register(name: str, params: type[RewardParams], label: str, reference: str, *,
             signals: Callable[[FollowUp], FollowUpSignals] | None = None, cost_metric: str | None = None,
             dismissal_after: int | None = None, table_only: dict[str, Any] | None = None, label_en: str = ""):
    """Decorator: register ``apply(appraisal, population, params, evidence=None, history=None)``;
    the keyword arguments say what the scheme means for a replication (see :class:`RewardInfo`)."""

    def deco(fn: Callable[..., FollowUp]) -> Callable[..., FollowUp]:
        REGISTRY.add(RewardInfo(name=name, apply=fn, params=params, label=label, reference=reference,
                                signals=signals, cost_metric=cost_metric, dismissal_after=dismissal_after,
                                table_only=tuple((table_only or {}).items()), label_en=label_en))
        return fn

    return deco


def list_rewards() -> list[str]:
    return REGISTRY.names()


def get_reward(name: str) -> RewardInfo:
    return REGISTRY.get(name)


def validate_reward_params(rule: str, params: dict[str, Any] | RewardParams | None,
                           where: str = "params") -> RewardParams:
    """Validate ``params`` for scheme ``rule``; errors name the field as ``where.field``."""
    return REGISTRY.validate(rule, params, where)


def apply_reward(appraisal: Appraisal, population: Any, evidence: Evidence | None, rule: str,
                 params: dict[str, Any] | RewardParams | None = None, *, name: str | None = None,
                 history: Any = None) -> FollowUp:
    """Apply registered scheme ``rule`` to ``appraisal`` (parameters validated first).

    ``name`` renames the result (a scenario may run one rule under several names); ``history``
    is passed on to the scheme (see :func:`as_history`).
    """
    info = get_reward(rule)
    p = validate_reward_params(rule, params)
    result = info.apply(appraisal, population, p, evidence=evidence, history=history)
    if name is not None and name != result.scheme:
        result = FollowUp(scheme=name, rule=result.rule, policy=result.policy, employees=result.employees,
                          total_cost_idr=result.total_cost_idr, baseline_cost_idr=result.baseline_cost_idr,
                          events=result.events, totals=result.totals, period=result.period,
                          period_months=result.period_months, params=result.params)
    return result


# --------------------------------------------------------------------------------------------
# Helpers the schemes share
# --------------------------------------------------------------------------------------------


def period_of(evidence: Evidence | None) -> tuple[int, int]:
    """``(period, period_months)`` from the evidence, or ``(0, 12)`` without it."""
    if evidence is None:
        return 0, DEFAULT_PERIOD_MONTHS
    return int(evidence.period), int(evidence.period_months)


def _row_positions(ids: np.ndarray, employee_id: np.ndarray, what: str) -> np.ndarray | None:
    """Positions of ``employee_id`` in ``ids`` (``None`` when the order is already the same)."""
    if len(ids) == len(employee_id) and np.array_equal(ids, employee_id):
        return None
    index = pd.Index(ids)
    if not index.is_unique:
        raise ValueError(f"{what}: employee_id values must be unique")
    pos = index.get_indexer(employee_id)
    if np.any(pos < 0):
        missing = np.asarray(employee_id)[pos < 0][:3].tolist()
        raise ValueError(f"{what}: no row for employee_id {missing} of the appraisal")
    return pos


def _employee_frame(population: Any, evidence: Evidence | None, columns: list[str]) -> pd.DataFrame:
    """The employee table to read ``columns`` from (see :func:`employee_attributes`), checked."""
    if population is None:
        if evidence is None:
            raise ValueError("population: give the population (or the evidence, whose employees carry the same columns)")
        frame = evidence.employees
    else:
        frame = population.employees if hasattr(population, "employees") else population
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"population: expected a Population or a DataFrame, got {type(frame).__name__}")
    missing = [c for c in ["employee_id", *columns] if c not in frame.columns]
    if missing:
        raise ValueError(f"population: missing column(s) {', '.join(missing)}")
    return frame


def _structure_of(frame: pd.DataFrame, population: Any, evidence: Evidence | None) -> Structure | None:
    """The :class:`~simulate.structure.Structure` of ``frame`` when its owner has one."""
    for owner in (population, evidence):
        structure = getattr(owner, "structure", None)
        if isinstance(structure, Structure) and structure.belongs_to(frame):
            return structure
    return None


def _ids(frame: pd.DataFrame, structure: Structure | None) -> np.ndarray:
    return frame["employee_id"].to_numpy() if structure is None else structure.column("employee_id")


def employee_attributes(appraisal: Appraisal, population: Any, evidence: Evidence | None,
                        columns: Iterable[str]) -> pd.DataFrame:
    """The ``columns`` of each appraised employee, in the appraisal's row order.

    ``population`` may be a :class:`~simulate.population.Population`, its ``employees`` frame, or
    ``None`` (then ``evidence.employees`` is used; it carries the same attributes).
    """
    columns = list(columns)
    frame = _employee_frame(population, evidence, columns)
    ids = _ids(frame, _structure_of(frame, population, evidence))
    pos = _row_positions(ids, np.asarray(appraisal.employee_id), "population")
    out = frame[columns] if pos is None else frame[columns].iloc[pos]
    return out.reset_index(drop=True)


def _read_only(value: Any) -> Any:
    """``value`` with every NumPy array in it (or in a dict / tuple of them) made read-only."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, dict):
        for v in value.values():
            _read_only(v)
    elif isinstance(value, tuple):
        for v in value:
            _read_only(v)
    return value


def employee_derived(appraisal: Appraisal, population: Any, evidence: Evidence | None, columns: Iterable[str],
                     key: Any, compute: Callable[[pd.DataFrame], Any]) -> Any:
    """``compute(employee_attributes(appraisal, population, evidence, columns))``, kept with the table.

    Every period of a multi-period run appraises the employees of one employee table, in the
    table's row order, so what a scheme derives from the employees' attributes alone (class
    amounts, jenjang, group masks) is the same every time. In that case the result is computed
    once per table and ``key`` (hashable; it must name everything besides the attributes that
    ``compute`` depends on, e.g. the parameters used) and returned from the table's
    :class:`~simulate.structure.Structure` after that; NumPy arrays in it (also in a returned
    dict or tuple) are made read-only, and callers must not change anything in it. An appraisal
    of other rows, or in another order, or of a bare table without a structure, computes it
    afresh on every call.
    """
    columns = list(columns)
    frame = _employee_frame(population, evidence, columns)
    structure = _structure_of(frame, population, evidence)
    ids = _ids(frame, structure)
    employee_id = np.asarray(appraisal.employee_id)

    def fresh() -> Any:
        return compute(employee_attributes(appraisal, population, evidence, columns))

    if structure is not None and len(ids) == len(employee_id) and np.array_equal(ids, employee_id):
        return structure.derive(("rewards.employee_derived", tuple(columns), key), lambda: _read_only(fresh()))
    return fresh()


def evidence_rows(appraisal: Appraisal, evidence: Evidence) -> np.ndarray | slice:
    """Index into the evidence arrays giving the appraisal's row order."""
    pos = _row_positions(evidence.structure.column("employee_id"), np.asarray(appraisal.employee_id), "evidence")
    return slice(None) if pos is None else pos


def category_codes(values: Any, what: str) -> tuple[np.ndarray, list[Any]]:
    """``(codes, categories)`` of ``values`` (kept as is when already categorical); missing values raise."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    cat = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    codes = cat.cat.codes.to_numpy()
    if np.any(codes < 0):
        raise ValueError(f"{what}: missing values")
    return codes, list(cat.cat.categories)


def _check_used(codes: np.ndarray, cats: list[Any], known: Any, what: str) -> None:
    used = np.flatnonzero(np.bincount(codes, minlength=len(cats)))
    unknown = [str(cats[i]) for i in used if cats[i] not in known]
    if unknown:
        raise ValueError(f"{what}: no entry for {', '.join(unknown[:5])}; known: {', '.join(map(str, known))}")


def map_categories(values: Any, mapping: dict[Any, Any], what: str, dtype: Any = object) -> np.ndarray:
    """Map each value through ``mapping`` without a loop over rows (one lookup per distinct value).

    Raises ``ValueError`` naming ``what`` and the unmapped values.
    """
    codes, cats = category_codes(values, what)
    _check_used(codes, cats, mapping, what)
    table = np.array([mapping.get(c) for c in cats] or [None], dtype=dtype)
    return table[codes]


def map_to_categorical(values: Any, mapping: dict[Any, Any], what: str) -> pd.Categorical:
    """Like :func:`map_categories`, returned as a categorical (no per-row strings are made)."""
    codes, cats = category_codes(values, what)
    _check_used(codes, cats, mapping, what)
    targets = list(dict.fromkeys(mapping.values()))
    position = {t: i for i, t in enumerate(targets)}
    table = np.array([position.get(mapping.get(c), -1) for c in cats] or [-1], dtype=np.int64)
    return pd.Categorical.from_codes(table[codes], categories=targets)


def lookup_pairs(first: Any, second: Any, table: dict[tuple[Any, Any], float], what: str) -> np.ndarray:
    """``table[(first_i, second_i)]`` for every row, through a small 2-D array of the distinct pairs."""
    c1, cats1 = category_codes(first, what)
    c2, cats2 = category_codes(second, what)
    grid = np.full((max(len(cats1), 1), max(len(cats2), 1)), np.nan)
    for i, a in enumerate(cats1):  # a handful of categories, never the rows
        for j, b in enumerate(cats2):
            grid[i, j] = table.get((a, b), np.nan)
    values = grid[c1, c2]
    if np.isnan(values).any():
        bad = np.flatnonzero(np.isnan(values))[0]
        raise ValueError(f"{what}: no entry for ({cats1[c1[bad]]}, {cats2[c2[bad]]})")
    return values


def make_events(parts: Iterable[tuple[str, np.ndarray, Any, Any]], employee_id: np.ndarray,
                period: int) -> pd.DataFrame:
    """Build the events frame from ``(event, mask, date, detail)`` parts, one part per kind of event.

    ``date`` and ``detail`` are scalars, arrays over all employees (only the masked rows are
    kept), or callables given the masked rows' positions (so text is built for events only).
    """
    frames = []
    employee_id = np.asarray(employee_id)

    def pick(value: Any, rows: np.ndarray, mask: np.ndarray, dtype: Any) -> np.ndarray:
        if callable(value):
            return np.broadcast_to(np.asarray(value(rows), dtype=dtype), rows.shape)
        return np.broadcast_to(np.asarray(value, dtype=dtype), mask.shape)[mask]

    for event, mask, date, detail in parts:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            continue
        rows = np.flatnonzero(mask)
        k = len(rows)
        dates = pick(date, rows, mask, "datetime64[ns]")
        details = pick(detail, rows, mask, object)
        frames.append(pd.DataFrame({
            "employee_id": employee_id[mask].astype(np.int64), "event": np.full(k, event, dtype=object),
            "date": dates, "period": np.full(k, period, dtype=np.int64), "detail": details,
        }))
    if not frames:
        return empty_events()
    return pd.concat(frames, ignore_index=True)
