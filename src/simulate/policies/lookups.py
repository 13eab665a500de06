"""The look-ups of the evidence every policy repeats: who rates whom, pools, kinds, indicators.

They depend on the employee table (and the indicator table) alone, so they are kept in the
evidence's :class:`~simulate.structure.Structure`: every period and policy arm of a run shares
that table, so each is computed once per population. They return **read-only** arrays; copy
one before changing it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from simulate.evidence import Evidence
from simulate.policies.arrays import group_codes, group_count
from simulate.scenario.schema import OPD_KINDS

__all__ = [
    "POOLS", "rater_keys", "superior_rows", "pool_keys", "pool_codes", "pool_sizes", "pool_group_keys",
    "indicator_attribute", "indicator_values", "indicator_key", "indicator_rows", "indicator_scale_is",
    "kind_codes", "has_indicator", "is_leader",
]

#: Pools a distribution curve or a quota can apply to (see :func:`pool_codes`).
POOLS: tuple[str, ...] = ("unit", "work_unit", "opd", "opd_kind", "region")
Pool = Literal["unit", "work_unit", "opd", "opd_kind", "region"]


# --------------------------------------------------------------------------------------------
# Evidence look-ups
# --------------------------------------------------------------------------------------------


def _readonly(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


def superior_rows(evidence: Evidence) -> np.ndarray:
    """Row index (into ``evidence.employees``) of each employee's superior; -1 if none/outside.

    Memoised on the employee table (read-only result).
    """

    def compute() -> np.ndarray:
        ids = evidence.structure.column("employee_id")
        sup = evidence.structure.column("superior_id")
        if len(ids) == 0:
            return _readonly(np.zeros(0, dtype=np.int64))
        order = np.argsort(ids, kind="stable")
        pos = np.searchsorted(ids[order], sup)
        pos = np.clip(pos, 0, len(ids) - 1)
        found = (sup >= 0) & (ids[order][pos] == sup)
        return _readonly(np.where(found, order[pos], -1).astype(np.int64))

    return evidence.structure.derive(("policies.superior_rows",), compute)


def rater_keys(evidence: Evidence) -> np.ndarray:
    """Who rated each employee: the superior's ``employee_id``, or an outside rater.

    Employees without a superior in the region (OPD heads) are rated by the regional head,
    which the simulation treats as one outside rater per OPD (as :mod:`simulate.raters`
    draws them): key ``-(opd_id + 1)``. Keys are comparable integers, not row indices.
    Memoised on the employee table (read-only result).
    """

    def compute() -> np.ndarray:
        sup = evidence.structure.column("superior_id").astype(np.int64)
        opd = evidence.structure.column("opd_id").astype(np.int64)
        return _readonly(np.where(sup >= 0, sup, -(opd + 1)))

    return evidence.structure.derive(("policies.rater_keys",), compute)


def pool_keys(evidence: Evidence, pool: str) -> np.ndarray:
    """Integer key of the pool each employee belongs to (see :func:`pool_codes` for the pools).

    Keys are readable: ``unit`` -> the appraising official's ``employee_id`` (``-(opd_id + 1)``
    for the outside rater of an OPD head), ``work_unit`` -> ``unit_id`` (``-(opd_id + 1)`` for an
    OPD without units), ``opd`` -> ``opd_id``, ``opd_kind`` -> the kind's index in
    :data:`simulate.scenario.schema.OPD_KINDS`, ``region`` -> 0. Memoised on the employee table
    (read-only result).
    """
    if pool not in POOLS:
        raise ValueError(f"pool: unknown pool {pool!r}; allowed: {', '.join(POOLS)}")
    return evidence.structure.derive(("policies.pool_keys", pool), lambda: _readonly(_pool_keys(evidence, pool)))


def _pool_keys(evidence: Evidence, pool: str) -> np.ndarray:
    e = evidence.employees
    if pool == "unit":
        return rater_keys(evidence)
    if pool == "work_unit":
        unit = evidence.structure.column("unit_id").astype(np.int64)
        opd = evidence.structure.column("opd_id").astype(np.int64)
        return np.where(unit >= 0, unit, -(opd + 1))
    if pool == "opd":
        return evidence.structure.column("opd_id").astype(np.int64)
    if pool == "opd_kind":
        kinds = e["opd_kind"]
        if isinstance(kinds.dtype, pd.CategoricalDtype):  # each category once, not a text per row
            lookup = _kind_index(np.asarray(kinds.cat.categories.astype(str)), OPD_KINDS)
            return np.append(lookup, len(OPD_KINDS))[kinds.cat.codes.to_numpy()]  # code -1 (missing): no kind
        return _kind_index(np.asarray(kinds.astype(str)), OPD_KINDS)
    return np.zeros(len(e), dtype=np.int64)  # region


def _kind_index(kinds: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    out = np.full(len(kinds), len(names), dtype=np.int64)
    for i, name in enumerate(names):  # a handful of kinds
        out[kinds == name] = i
    return out


def pool_codes(evidence: Evidence, pool: str) -> tuple[np.ndarray, int]:
    """Dense group codes of the pool a curve, a quota or a standardisation applies to.

    - ``unit``: the appraisal team, i.e. everyone with the same appraising official
      (pejabat penilai = direct superior; OPD heads grouped per OPD, see :func:`rater_keys`);
    - ``work_unit``: the organisational work unit (``unit_id``; employees of an OPD without
      units are grouped per OPD);
    - ``opd``: the perangkat daerah (or UPT);
    - ``opd_kind``: every OPD of the same kind in the region;
    - ``region``: everyone.

    Returns ``(codes, n_groups)``; :func:`pool_keys` gives the readable key of each row.
    Memoised on the employee table (the codes are read-only).
    """
    keys = pool_keys(evidence, pool)

    def compute() -> tuple[np.ndarray, int]:
        codes, n_groups = group_codes(keys)
        return _readonly(codes), n_groups

    return evidence.structure.derive(("policies.pool_codes", pool), compute)


def pool_sizes(evidence: Evidence, pool: str) -> np.ndarray:
    """Members of each pool, indexed by the codes of :func:`pool_codes` (memoised, read-only)."""
    codes, n_groups = pool_codes(evidence, pool)
    return evidence.structure.derive(("policies.pool_sizes", pool),
                    lambda: _readonly(group_count(codes, n_groups)))


def pool_group_keys(evidence: Evidence, pool: str) -> np.ndarray:
    """The :func:`pool_keys` key of each pool, indexed by pool code (memoised, read-only)."""
    keys = pool_keys(evidence, pool)
    codes, n_groups = pool_codes(evidence, pool)

    def compute() -> np.ndarray:
        out = np.zeros(n_groups, dtype=keys.dtype)
        out[codes] = keys
        return _readonly(out)

    return evidence.structure.derive(("policies.pool_group_keys", pool), compute)


def kind_codes(evidence: Evidence) -> tuple[np.ndarray, tuple[str, ...]]:
    """Code of each employee's OPD kind and the kind names by code (memoised, read-only).

    The codes index the categories of ``employees['opd_kind']`` (a non-categorical column is
    made categorical first, categories sorted); an employee whose kind is missing gets
    ``len(names)``, so a look-up table with one extra last row handles it.
    """
    e = evidence.employees

    def compute() -> tuple[np.ndarray, tuple[str, ...]]:
        kinds = e["opd_kind"]
        if not isinstance(kinds.dtype, pd.CategoricalDtype):
            kinds = kinds.astype(str).astype("category")
        names = tuple(str(c) for c in kinds.cat.categories)
        code = kinds.cat.codes.to_numpy().astype(np.int64)
        return _readonly(np.where(code < 0, len(names), code)), names

    return evidence.structure.derive(("policies.kind_codes",), compute)


def indicator_key(evidence: Evidence) -> tuple:
    """A hashable summary of ``evidence.indicators``: ``(opd_kind, slot, name, scale)`` per row.

    Each period's evidence has its own indicator table, but the tables of one scenario are
    equal; results derived from these four columns (and the employee table) are memoised under
    this key. Anything read from another column of the table must not be memoised under it
    alone. The key itself is memoised on the indicator table.
    """
    ind = evidence.indicators

    def compute() -> tuple:
        # As strings (what the look-ups compare), so equal tables give equal keys (NaN too).
        cols = [[str(v) for v in ind[c].tolist()] if c in ind.columns else [""] * len(ind)
                for c in ("opd_kind", "name", "scale")]
        slots = ind["slot"].to_numpy().astype(np.int64).tolist()
        return tuple(zip(cols[0], slots, cols[1], cols[2]))

    return evidence.derived.get(("policies.indicator_key",), compute)


def indicator_rows(evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Where each row of ``evidence.indicators`` sits in the (kind, slot) look-up table.

    Returns ``(kind, slot)`` integer arrays with one entry per indicator row: ``kind`` is the
    row's OPD kind code (:func:`kind_codes`), ``slot`` its slot; rows whose kind no employee
    has, or whose slot is beyond the evidence's K, get ``kind = -1``. Memoised on the employee
    table under :func:`indicator_key` (read-only).
    """
    _, k = np.shape(evidence.capaian)
    key = indicator_key(evidence)

    def compute() -> tuple[np.ndarray, np.ndarray]:
        _, names = kind_codes(evidence)
        kind_index = {name: i for i, name in enumerate(names)}
        kind = np.array([kind_index.get(row[0], -1) if row[1] < k else -1 for row in key], dtype=np.int64)
        slot = np.array([row[1] for row in key], dtype=np.int64)
        return _readonly(kind), _readonly(slot)

    return evidence.structure.derive(("policies.indicator_rows", key, k), compute)


def indicator_scale_is(evidence: Evidence, scale: str) -> np.ndarray:
    """(n, K) bool: the slot's indicator has ``scale`` (e.g. ``logit_percent``, a share in percent).

    False where the employee's kind has no indicator in the slot. Memoised on the employee
    table under :func:`indicator_key` (read-only).
    """
    _, k = np.shape(evidence.capaian)

    def compute() -> np.ndarray:
        rows = (evidence.indicators["scale"].astype(str) == scale).to_numpy()
        return _readonly(indicator_values(evidence, rows, False))

    key = ("policies.indicator_scale_is", indicator_key(evidence), scale, k)
    return evidence.structure.derive(key, compute)


def has_indicator(evidence: Evidence) -> np.ndarray:
    """(n, K) bool: the employee holds indicator slot k (its capaian is not NaN)."""
    return ~np.isnan(np.asarray(evidence.capaian, dtype=float))


def indicator_attribute(evidence: Evidence, column: str, fill=np.nan) -> np.ndarray:
    """(n, K) array of one column of ``evidence.indicators`` for each employee's slots.

    ``evidence.indicators`` has one row per (``opd_kind``, ``slot``); this gathers ``column``
    (e.g. ``name``, ``unit``, ``scale``) for every employee and slot, ``fill`` where the
    employee's OPD kind has no indicator in that slot. Loops over OPD kinds only.
    """
    ind = evidence.indicators
    if column not in ind.columns:
        raise KeyError(f"indicator_attribute: evidence.indicators has no column {column!r}; "
                       f"available: {', '.join(map(str, ind.columns))}")
    return indicator_values(evidence, ind[column].to_numpy(), fill)


def indicator_values(evidence: Evidence, values, fill=np.nan) -> np.ndarray:
    """(n, K) array from one value per row of ``evidence.indicators`` (same order).

    Use it to compute something once per indicator (a flag from the name, a weight) and
    gather it to employees: far cheaper than string work on the (n, K) array. Later rows win
    where two rows name the same (kind, slot).
    """
    ind = evidence.indicators
    values = np.asarray(values)
    if len(values) != len(ind):
        raise ValueError(f"indicator_values: need one value per indicator row ({len(ind)}), got {len(values)}")
    n, k = np.shape(evidence.capaian)
    if values.dtype == object or isinstance(fill, str):
        dtype = object
    else:  # e.g. a bool column with a NaN fill becomes float (NaN must not turn into True)
        dtype = np.result_type(values.dtype, np.asarray(fill).dtype)
    codes, kind_names = kind_codes(evidence)
    kind, slot = indicator_rows(evidence)
    lut = np.full((len(kind_names) + 1, k), fill, dtype=dtype)
    for row in np.flatnonzero(kind >= 0):  # a dozen indicators, not employees
        lut[kind[row], slot[row]] = values[row]
    return lut[codes]


def is_leader(evidence: Evidence) -> np.ndarray:
    """Employees who lead an organisational unit: anyone with direct subordinates in the region.

    Unit heads (pengawas), division heads and OPD/UPT heads; PermenPANRB 6/2022 uses the led
    unit's organisational achievement as their work-result rating (regulations.md 1.3).
    Memoised on the employee table (read-only result).
    """
    e = evidence.employees

    def compute() -> np.ndarray:
        if "n_subordinates" in e.columns:
            return _readonly(evidence.structure.column("n_subordinates") > 0)
        rows = superior_rows(evidence)
        return _readonly(np.bincount(rows[rows >= 0], minlength=len(e)) > 0)

    return evidence.structure.derive(("policies.is_leader",), compute)
