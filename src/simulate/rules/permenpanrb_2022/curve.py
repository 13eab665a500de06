"""The PermenPANRB 6/2022 distribution curve (kurva distribusi): constraints, limits and checks.

Each organisational predikat allows one distribution of employee predikat
(domain/regulations.md 1.4-1.6 and section 8); the rounding rules for small units are those
of :mod:`simulate.rules.permenpanrb_2022`. Table: ``data/reference/distribution_curve_2022.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simulate.predikat import PREDIKAT
from simulate.reference import load_table
from simulate.rules.permenpanrb_2022.organisation import ORG_PREDIKAT

__all__ = [
    "CurveConstraint",
    "curve_constraints",
    "curve_limits",
    "curve_check",
    "curve_violations",
    "curve_check_groups",
]

_N_LEVELS = len(PREDIKAT)


@dataclass(frozen=True)
class CurveConstraint:
    """One row of ``distribution_curve_2022.csv``.

    ``kind`` is ``largest``, ``at_most``, ``at_least`` or ``at_least_one``; ``levels`` are
    predikat codes counted together; ``basis_points`` is the share in hundredths of a percent
    (7000 = 70 %), ``None`` for kinds without a share.
    """

    org: int
    kind: str
    levels: tuple[int, ...]
    basis_points: int | None

    @property
    def label(self) -> str:
        return "+".join(PREDIKAT[level] for level in self.levels)

    @property
    def percent_text(self) -> str:
        return f"{self.basis_points / 100:g} %"


_KINDS = ("largest", "at_most", "at_least", "at_least_one")


@lru_cache(maxsize=1)
def _constraints() -> tuple[CurveConstraint, ...]:
    table = load_table("distribution_curve_2022")
    level = {name: code for code, name in enumerate(PREDIKAT)}
    rows = []
    for row in table.itertuples(index=False):
        if row.kind not in _KINDS:
            raise ValueError(f"distribution_curve_2022.csv: unknown kind {row.kind!r}")
        levels = tuple(level[name] for name in str(row.levels).split("+"))
        share = None if np.isnan(row.percent) else int(round(float(row.percent) * 100))
        rows.append(CurveConstraint(ORG_PREDIKAT.index(row.org_predikat), row.kind, levels, share))
    return tuple(rows)


def curve_constraints(org: int | None = None) -> list[CurveConstraint]:
    """The curve constraints (all, or those of one organisational predikat code), in row order."""
    return [c for c in _constraints() if org is None or c.org == org]


def _ceil_share(basis_points: int, n: np.ndarray) -> np.ndarray:
    return (basis_points * n + 9999) // 10000


def _floor_share(basis_points: int, n: np.ndarray) -> np.ndarray:
    return (basis_points * n) // 10000


def _largest_level(org: int) -> int | None:
    for c in curve_constraints(org):
        if c.kind == "largest":
            return c.levels[0]
    return None


def curve_limits(n, org: int) -> list[tuple[CurveConstraint, np.ndarray]]:
    """Headcount limit of each constraint of one organisational predikat, for unit sizes ``n``.

    Applies the rounding rules of :mod:`simulate.rules.permenpanrb_2022`: the limit is a
    minimum for ``at_least`` / ``at_least_one`` / ``largest`` (a largest group needs >= 1
    person) and a maximum for ``at_most``.

    Parameters
    ----------
    n : array_like of int
        Unit headcounts (>= 0).
    org : int
        Organisational predikat code 0-4.

    Returns
    -------
    list of (CurveConstraint, numpy.ndarray)
        One integer array (shape of ``n``) per constraint, in row order.
    """
    n = np.asarray(n, dtype=np.int64)
    largest = _largest_level(org)
    left = n.copy()  # headcount not yet claimed by an earlier minimum
    limits = []
    for c in curve_constraints(org):
        if c.kind == "at_most":
            limit = _floor_share(c.basis_points, n)
            if c.levels == (largest,):
                limit = np.maximum(limit, np.minimum(n, 1))
        else:
            wanted = _ceil_share(c.basis_points, n) if c.kind == "at_least" else 1  # largest: 1
            limit = np.minimum(wanted, left)
            left = left - limit
        limits.append((c, limit))
    return limits


def _violations(counts: np.ndarray, org: np.ndarray):
    """Per constraint row: (constraint, violated-mask, limit) over groups; a row only applies
    to the groups of its organisational predikat."""
    # Whole columns instead of row reductions (integers: the same result, far fewer calls).
    level_counts = [counts[:, j] for j in range(counts.shape[1])]
    n = np.zeros(len(counts), dtype=np.int64)
    for values in level_counts:  # five levels
        n += values
    out = []
    for code in range(len(ORG_PREDIKAT)):
        applies = org == code
        if not applies.any():
            continue
        for c, limit in curve_limits(n, code):
            count = level_counts[c.levels[0]]
            for level in c.levels[1:]:
                count = count + level_counts[level]
            if c.kind == "largest":
                others = np.maximum.reduce([v for j, v in enumerate(level_counts) if j != c.levels[0]])
                bad = (count < others) | (count < limit)
            elif c.kind == "at_most":
                bad = count > limit
            else:
                bad = count < limit
            out.append((c, applies & bad, limit))
    return out


def _check_org_codes(org: np.ndarray) -> None:
    if np.any((org < 0) | (org >= len(ORG_PREDIKAT))):
        raise ValueError("org_predikat: codes must be 0 istimewa ... 4 sangat_kurang")


def curve_check(counts_by_predikat, org_predikat) -> tuple[bool, list[str]]:
    """Check one unit's predikat counts against its organisational predikat's curve.

    Parameters
    ----------
    counts_by_predikat : sequence of 5 ints
        Headcount per predikat code (sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang).
    org_predikat : int or str
        Organisational predikat code 0-4 or name (``istimewa`` ... ``sangat_kurang``).

    Returns
    -------
    valid : bool
    violations : list of str
        One sentence per violated constraint, e.g.
        ``"sangat_baik: has 4 of 5, at most 3 allowed (70 %)"``; empty when valid.
    """
    counts = np.asarray(counts_by_predikat, dtype=np.int64).reshape(1, -1)
    if counts.shape[1] != _N_LEVELS or np.any(counts < 0):
        raise ValueError(
            "counts_by_predikat: need 5 non-negative headcounts (sangat_baik ... sangat_kurang)"
        )
    if isinstance(org_predikat, str):
        if org_predikat not in ORG_PREDIKAT:
            raise ValueError(
                f"org_predikat: unknown {org_predikat!r}; allowed: {', '.join(ORG_PREDIKAT)}"
            )
        org = ORG_PREDIKAT.index(org_predikat)
    else:
        org = int(org_predikat)
    messages = curve_violations(counts, [org])[0]
    return not messages, messages


def curve_violations(counts_by_predikat, org_predikat) -> list[list[str]]:
    """The violation sentences of :func:`curve_check` for many units at once.

    Parameters
    ----------
    counts_by_predikat : array_like of int, shape (n_units, 5)
        Headcount per predikat code of each unit.
    org_predikat : array_like of int, shape (n_units,)
        Organisational predikat code 0-4 of each unit.

    Returns
    -------
    list of list of str
        One list per unit, in the order of :func:`curve_check`; empty where the unit is valid.
        The constraints are checked for all units together; only the sentences are per unit.
    """
    counts = np.asarray(counts_by_predikat, dtype=np.int64)
    if counts.ndim != 2 or counts.shape[1] != _N_LEVELS or np.any(counts < 0):
        raise ValueError(
            "counts_by_predikat: need 5 non-negative headcounts (sangat_baik ... sangat_kurang)"
        )
    org = np.asarray(org_predikat, dtype=np.int64).reshape(-1)
    if len(org) != len(counts):
        raise ValueError("org_predikat: need one organisational predikat per unit")
    _check_org_codes(org)
    n = counts.sum(axis=1)
    messages: list[list[str]] = [[] for _ in range(len(counts))]
    for c, bad, limit in _violations(counts, org):  # constraints in table order
        for row in np.flatnonzero(bad).tolist():  # the units that break this one
            count = int(counts[row, list(c.levels)].sum())
            messages[row].append(_message(c, count, int(n[row]), int(limit[row]), counts[row]))
    return messages


def _message(c: CurveConstraint, count: int, n: int, limit: int, counts: np.ndarray) -> str:
    head = f"{c.label}: has {count} of {n}"
    if c.kind == "at_most":
        return f"{head}, at most {limit} allowed ({c.percent_text})"
    if c.kind == "at_least":
        return f"{head}, at least {limit} required ({c.percent_text})"
    if c.kind == "at_least_one":
        return f"{head}, at least {limit} required"
    others = [(int(counts[level]), level) for level in range(_N_LEVELS) if level != c.levels[0]]
    other_count, other_level = max(others, key=lambda pair: (pair[0], -pair[1]))
    return f"{head}, must be the largest group ({PREDIKAT[other_level]} has {other_count})"


def _group_counts(predikat_codes, group_ids, org_predikat_by_group):
    codes = np.asarray(predikat_codes, dtype=np.int64)
    groups = np.asarray(group_ids, dtype=np.int64)
    org = np.asarray(org_predikat_by_group, dtype=np.int64)
    if codes.shape != groups.shape or codes.ndim != 1:
        raise ValueError("predikat_codes and group_ids must be 1-D arrays of the same length")
    if np.any((codes < 0) | (codes >= _N_LEVELS)):
        raise ValueError("predikat_codes: codes must be 0-4")
    if groups.size and (groups.min() < 0 or groups.max() >= org.size):
        raise ValueError(
            "group_ids: must be integers 0..len(org_predikat_by_group)-1 "
            "(org_predikat_by_group is indexed by group id; pandas.factorize makes such ids)"
        )
    _check_org_codes(org)
    counts = np.bincount(groups * _N_LEVELS + codes, minlength=org.size * _N_LEVELS)
    return codes, groups, org, counts.reshape(org.size, _N_LEVELS)


def curve_check_groups(predikat_codes, group_ids, org_predikat_by_group) -> np.ndarray:
    """Whether each group's predikat distribution meets its curve (vectorised over groups).

    Parameters
    ----------
    predikat_codes : array_like of int, shape (n_employees,)
        Employee predikat codes 0-4.
    group_ids : array_like of int, shape (n_employees,)
        Group (unit) of each employee, an integer ``0 .. n_groups - 1``.
    org_predikat_by_group : array_like of int, shape (n_groups,)
        Organisational predikat code of each group, indexed by group id.

    Returns
    -------
    numpy.ndarray of bool, shape (n_groups,)
        True where the group's counts satisfy every constraint (empty groups are valid).
    """
    _, _, org, counts = _group_counts(predikat_codes, group_ids, org_predikat_by_group)
    return _valid(counts, org)


def _valid(counts: np.ndarray, org: np.ndarray) -> np.ndarray:
    invalid = np.zeros(len(org), dtype=bool)
    for _, bad, _ in _violations(counts, org):
        invalid |= bad
    return ~invalid
