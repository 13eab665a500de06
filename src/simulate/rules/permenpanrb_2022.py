"""PermenPANRB 6/2022 (Pengelolaan Kinerja Pegawai ASN): quadrant, result rating and the curve.

Both work results (hasil kerja) and work behaviour (perilaku kerja) are rated di bawah / sesuai /
di atas ekspektasi (codes 0 / 1 / 2, :mod:`simulate.scales`); the 3x3 quadrant turns the pair
into the employee predikat (codes 0-4, :mod:`simulate.predikat`). The unit's organisational
predikat (istimewa ... sangat kurang, codes 0-4) then fixes the allowed distribution of
employee predikat ("kurva distribusi", domain/regulations.md 1.4-1.6 and section 8).

Tables: ``data/reference/quadrant_2022.csv``, ``distribution_curve_2022.csv`` and
``org_predikat_thresholds.csv``.

Distribution curve: rounding rules for small units
--------------------------------------------------
The circular states shares; a unit has whole people. With ``n`` the unit's headcount:

1. "at least p %" needs ``ceil(p n / 100)`` people (60 % of 5 = 3; of 3 = 2; of 1 = 1).
2. "at most p %" allows ``floor(p n / 100)`` people (10 % of 9 = 0: a Butuh Perbaikan or
   Kurang unit of fewer than 10 people can have no Sangat Baik; 70 % of 5 = 3).
3. "largest group" means no other predikat has more people; ties are allowed (1 Sangat Baik
   and 1 Baik in a unit of 2 satisfy "Sangat Baik is the largest group").
4. The largest group needs at least one person, so its "at most 70 %" cap never falls below 1:
   a unit of 1 may have its only member in the named predikat (``max(1, floor(0.7 n))``).
5. Minimums are met in the table's row order and a later minimum is reduced to the headcount
   the earlier ones leave (the largest group counts as a minimum of 1). So the Kurang curve's
   "at least 10 % Butuh Perbaikan" needs nobody in units of 1 or 2 (60 % Kurang already takes
   everyone), and the Baik curve's "some Butuh Perbaikan or Kurang" needs nobody in a unit of 1
   (its only member must be Baik, the largest group). From 3 people on, every constraint holds
   as stated.

With these rules every curve can be met by every unit of 1 or more people; an empty unit is
valid. ``enforce_curve`` moves people until their unit's curve holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simulate.predikat import BAIK, BUTUH_PERBAIKAN, KURANG, PREDIKAT, SANGAT_BAIK, SANGAT_KURANG
from simulate.reference import load_table
from simulate.scales import DI_ATAS, DI_BAWAH, EXPECTATION_NAMES, SESUAI

__all__ = [
    "ORG_PREDIKAT",
    "ISTIMEWA",
    "ORG_BAIK",
    "ORG_BUTUH_PERBAIKAN",
    "ORG_KURANG",
    "ORG_SANGAT_KURANG",
    "CurveConstraint",
    "quadrant",
    "predikat",
    "rate_results",
    "org_predikat",
    "curve_constraints",
    "curve_limits",
    "curve_check",
    "curve_violations",
    "curve_check_groups",
    "enforce_curve",
]

#: Organisational predikat, best first (codes 0-4).
ORG_PREDIKAT: tuple[str, ...] = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ISTIMEWA, ORG_BAIK, ORG_BUTUH_PERBAIKAN, ORG_KURANG, ORG_SANGAT_KURANG = range(5)

_N_LEVELS = len(PREDIKAT)


def _row_count(mask: np.ndarray) -> np.ndarray:
    """True values per row of a 2-D bool array (int64), as ``mask.sum(axis=1)``.

    Adds the columns one by one: NumPy's row reduction costs tens of microseconds per call on
    a (4500, 4) array, a handful of column additions a few. Up to 127 columns the 0/1 bytes
    of the bool array are added as int8 (no casting), then widened.
    """
    if mask.shape[1] > 127:
        return mask.sum(axis=1)
    flags = np.asarray(mask, dtype=bool).view(np.int8)
    out = np.zeros(mask.shape[0], dtype=np.int8)
    for j in range(mask.shape[1]):  # a few result slots
        out += flags[:, j]
    return out.astype(np.int64)


# --------------------------------------------------------------------------------------------
# The quadrant
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _quadrant_codes() -> np.ndarray:
    table = load_table("quadrant_2022")
    grid = np.full((3, 3), -1, dtype=np.int8)
    rating = {name: code for code, name in enumerate(EXPECTATION_NAMES)}
    level = {name: code for code, name in enumerate(PREDIKAT)}
    for row in table.itertuples(index=False):
        grid[rating[row.hasil_kerja], rating[row.perilaku_kerja]] = level[row.predikat]
    if np.any(grid < 0):
        raise ValueError("quadrant_2022.csv must fill all 9 cells")
    return grid


def quadrant() -> np.ndarray:
    """The 3x3 kuadran kinerja as predikat codes, rows = hasil kerja, columns = perilaku kerja
    (0 di bawah, 1 sesuai, 2 di atas). PermenPANRB 6/2022 annex (regulations.md 1.4)."""
    return _quadrant_codes().copy()


def predikat(hasil_kerja, perilaku_kerja) -> np.ndarray:
    """Employee predikat code (0-4) from the two ratings, PermenPANRB 6/2022 kuadran kinerja.

    ======================  ================  ================  ================
    hasil kerja / perilaku  di bawah          sesuai            di atas
    ======================  ================  ================  ================
    di atas                 kurang            baik              sangat baik
    sesuai                  kurang            baik              baik
    di bawah                sangat kurang     butuh perbaikan   butuh perbaikan
    ======================  ================  ================  ================

    Parameters
    ----------
    hasil_kerja, perilaku_kerja : array_like of int
        Ratings 0 di bawah, 1 sesuai, 2 di atas ekspektasi (broadcast together).

    Returns
    -------
    numpy.ndarray of int8
        0 sangat_baik, 1 baik, 2 butuh_perbaikan, 3 kurang (Kurang/Misconduct), 4 sangat_kurang.
    """
    results = np.asarray(hasil_kerja)
    behaviour = np.asarray(perilaku_kerja)
    for name, values in (("hasil_kerja", results), ("perilaku_kerja", behaviour)):
        if np.any((values < DI_BAWAH) | (values > DI_ATAS)):
            raise ValueError(f"{name}: ratings must be 0 di_bawah, 1 sesuai or 2 di_atas")
    return _quadrant_codes()[results.astype(np.int64), behaviour.astype(np.int64)]


# --------------------------------------------------------------------------------------------
# Rating work results from indicator achievements
# --------------------------------------------------------------------------------------------


def rate_results(
    capaian_matrix,
    main_mask,
    exceeds_above: float = 110.0,
    below_under: float = 100.0,
    most_share: float = 0.5,
    small_share: float = 1.0 / 3.0,
) -> np.ndarray:
    """Rate work results di bawah / sesuai / di atas ekspektasi from indicator achievements.

    Follows the BKN guidance on PermenPANRB 6/2022 (regulations.md 1.3): *di atas* when most or
    all results exceed expectation and no main result is below; *sesuai* when most or all meet
    expectation with at most a small part of the main results below; *di bawah* when most or all
    are below. The guidance is verbal; the numbers below are this model's reading:

    - a result **exceeds** expectation when its achievement is above ``exceeds_above`` (default
      110 %: beyond the PermenPANRB 8/2021 Sangat Baik band of 101-110 %, where the value is
      capped at 120), and is **below** when under ``below_under`` (default 100 %: the target is
      missed, the 8/2021 Cukup band or worse); otherwise it **meets** expectation;
    - "most" means more than ``most_share`` (default 0.5, i.e. a strict majority) of the
      employee's results; "a small part" means at most ``small_share`` (default 1/3) of the main
      results;
    - *di atas*: exceeding results are a majority and no main result is below;
      *sesuai*: results that meet or exceed are a majority and main results below are at most
      the small part; *di bawah*: everything else (which includes "most or all below").

    Parameters
    ----------
    capaian_matrix : array_like, shape (n_employees, n_results)
        Achievement per result, percent (:func:`simulate.rules.capaian.capaian`); ``NaN`` pads
        employees with fewer results.
    main_mask : array_like of bool, shape (n_employees, n_results) or (n_results,)
        True for main (utama) results, False for additional (tambahan) ones.
    exceeds_above, below_under : float
        Achievement thresholds in percent (``below_under <= exceeds_above``).
    most_share, small_share : float
        Shares in [0, 1] as described above.

    Returns
    -------
    numpy.ndarray of int8, shape (n_employees,)
        0 di bawah, 1 sesuai, 2 di atas ekspektasi.
    """
    achieved = np.atleast_2d(np.asarray(capaian_matrix, dtype=float))
    main = np.broadcast_to(np.asarray(main_mask, dtype=bool), achieved.shape)
    if below_under > exceeds_above:
        raise ValueError("below_under must be <= exceeds_above")
    for name, share in (("most_share", most_share), ("small_share", small_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name}: must be within [0, 1], got {share}")
    present = ~np.isnan(achieved)
    n_results = _row_count(present)
    if np.any(n_results == 0):
        raise ValueError("capaian_matrix: every employee needs at least one result")
    exceeds = present & (achieved > exceeds_above)
    below = present & (achieved < below_under)
    n_main = _row_count(present & main)
    main_below = _row_count(below & main)
    # A tiny slack keeps "at most 1/3" true for exactly 1 of 3 despite float rounding.
    few_main_below = main_below <= small_share * n_main + 1e-9
    above = (_row_count(exceeds) > most_share * n_results) & (main_below == 0)
    meets = (_row_count(present & ~below) > most_share * n_results) & few_main_below
    return np.where(above, DI_ATAS, np.where(meets, SESUAI, DI_BAWAH)).astype(np.int8)


# --------------------------------------------------------------------------------------------
# Organisational predikat
# --------------------------------------------------------------------------------------------


def org_predikat(org_capaian, thresholds=None) -> np.ndarray:
    """Organisational predikat code (0 istimewa ... 4 sangat_kurang) from unit achievement.

    PermenPANRB 6/2022 leaves the organisational predikat to the leader one level up
    (regulations.md 1.5-1.6) and prints no cut-offs. **[unverified]** default
    (``data/reference/org_predikat_thresholds.csv``): the PP 30/2019 bands applied to the unit's
    achievement of its perjanjian kinerja, istimewa >= 110 %, baik >= 90 %, butuh perbaikan
    >= 70 %, kurang >= 50 %, sangat kurang below 50 % (inclusive lower bounds).

    Parameters
    ----------
    org_capaian : array_like
        Unit achievement, percent.
    thresholds : sequence of 4 floats, optional
        Inclusive lower bounds for istimewa, baik, butuh_perbaikan and kurang (decreasing).

    Returns
    -------
    numpy.ndarray of int8
    """
    bounds = _default_org_thresholds() if thresholds is None else np.asarray(thresholds, dtype=float)
    if bounds.shape != (4,) or np.any(np.diff(bounds) > 0):
        raise ValueError(
            "thresholds: need 4 decreasing lower bounds (istimewa, baik, butuh_perbaikan, kurang)"
        )
    achieved = np.asarray(org_capaian, dtype=float)
    if np.any(np.isnan(achieved)):
        raise ValueError("org_capaian: NaN cannot be banded")
    # Count the bounds the achievement falls below: 0 of them -> istimewa, all 4 -> sangat kurang.
    below = np.zeros(achieved.shape, dtype=np.int8)
    for bound in bounds:  # four bounds
        below += achieved < bound
    return below[()] if below.ndim == 0 else below  # a scalar in, a NumPy scalar out


@lru_cache(maxsize=1)
def _default_org_thresholds() -> np.ndarray:
    """Lower bounds of istimewa ... kurang from ``org_predikat_thresholds.csv`` (read-only)."""
    table = load_table("org_predikat_thresholds").sort_values("code")
    bounds = table["lower_bound"].to_numpy(float)[:-1]
    bounds.flags.writeable = False
    return bounds


# --------------------------------------------------------------------------------------------
# The distribution curve: constraints and limits
# --------------------------------------------------------------------------------------------


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

    Applies the rounding rules of the module docstring: the limit is a minimum for
    ``at_least`` / ``at_least_one`` / ``largest`` (a largest group needs >= 1 person) and a
    maximum for ``at_most``.

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


# --------------------------------------------------------------------------------------------
# Enforcing the curve
# --------------------------------------------------------------------------------------------
# A group's people are ranked best first by (current predikat, score descending, row order).
# The new predikat keep that ranking: level k holds ranks [T[k-1], T[k]) for four boundaries
# T[0] <= ... <= T[3] (T[-1] = 0, T[4] = n). Moving a boundary moves people across one edge
# of a level, always the lowest-ranked of the level above or the highest-ranked of the level
# below, so nobody overtakes a better-ranked colleague.


def _counts_from(bounds: np.ndarray, n: np.ndarray) -> np.ndarray:
    edges = np.concatenate([np.zeros((len(n), 1), dtype=np.int64), bounds, n[:, None]], axis=1)
    return np.diff(edges, axis=1)


def _move_down(bounds: np.ndarray, level: int, x: np.ndarray) -> None:
    """The ``x`` lowest-ranked people at levels <= ``level`` move to ``level + 1``."""
    bounds[:, level] -= np.minimum(x, bounds[:, level])
    for above in range(level):
        bounds[:, above] = np.minimum(bounds[:, above], bounds[:, level])


def _move_up(bounds: np.ndarray, n: np.ndarray, level: int, x: np.ndarray) -> None:
    """The ``x`` highest-ranked people at levels > ``level`` move to ``level``."""
    bounds[:, level] += np.minimum(x, n - bounds[:, level])
    for below in range(level + 1, _N_LEVELS - 1):
        bounds[:, below] = np.maximum(bounds[:, below], bounds[:, level])


def _limit(org: int, kind: str, n: np.ndarray, levels: tuple[int, ...] | None = None) -> np.ndarray:
    for c, limit in curve_limits(n, org):
        if c.kind == kind and (levels is None or c.levels == levels):
            return limit
    raise KeyError(f"curve for {ORG_PREDIKAT[org]} has no {kind} constraint on {levels}")


def _cap_level(bounds, n, mask, level, cap) -> None:
    """Excess people of ``level`` above ``cap`` move down one level (the lowest-ranked)."""
    t = _counts_from(bounds, n)
    _move_down(bounds, level, np.where(mask, np.maximum(t[:, level] - cap, 0), 0))


def _pulls_needed(t: np.ndarray, level: int, size: np.ndarray):
    """People to pull from above / below ``level`` so no other level exceeds ``size``.

    Levels are eaten from the side nearest ``level``: to shrink level j below it, every level
    between must be emptied first.
    """
    zeros = np.zeros(len(t), dtype=np.int64)
    above, below = zeros.copy(), zeros.copy()
    for j in range(level):
        between = t[:, j + 1 : level].sum(axis=1)
        above = np.maximum(above, np.where(t[:, j] > size, between + t[:, j] - size, 0))
    for j in range(level + 1, _N_LEVELS):
        between = t[:, level + 1 : j].sum(axis=1)
        below = np.maximum(below, np.where(t[:, j] > size, between + t[:, j] - size, 0))
    return above, below


def _make_largest(bounds, n, mask, level, prefer_above=True) -> None:
    """Grow ``level`` by the fewest pulls until no other level is larger (ties allowed).

    Binary search over the number of pulls ``z``: ``z`` pulls suffice when the pulls needed from
    above plus those from below (so that no level exceeds ``size + z``) are at most ``z``.
    With ``prefer_above`` pulls come from above (the lowest-ranked of the levels above) as far
    as possible and the rest from below (the highest-ranked of the levels below); otherwise
    from below as far as possible.
    """
    t = _counts_from(bounds, n)
    size = t[:, level]
    lo = np.zeros(len(n), dtype=np.int64)
    hi = np.where(mask, n - size, 0)
    while np.any(lo < hi):
        mid = (lo + hi) // 2
        above, below = _pulls_needed(t, level, size + mid)
        enough = above + below <= mid
        hi = np.where(enough, mid, hi)
        lo = np.where(enough, lo, mid + 1)
    above, below = _pulls_needed(t, level, size + lo)
    if prefer_above:
        from_above = np.minimum(lo - below, t[:, :level].sum(axis=1))
    else:
        from_above = np.maximum(above, lo - t[:, level + 1 :].sum(axis=1))
    from_below = lo - from_above
    if level > 0:
        _move_down(bounds, level - 1, from_above)
    _move_up(bounds, n, level, from_below)


def _fill_minimum(bounds, n, mask, first, last, need, order, above_quota=None) -> None:
    """Bring levels ``first..last`` (counted together) up to ``need`` people.

    ``order`` lists the sides to take from, ``"above"`` (the lowest-ranked above move down) and
    ``"below"`` (the highest-ranked below move up), each as far as it has people. With
    ``above_quota`` (per group) at most that many come from above before the other side is
    used; anything still missing then comes from above.
    """
    t = _counts_from(bounds, n)
    deficit = np.where(mask, np.maximum(need - t[:, first : last + 1].sum(axis=1), 0), 0)
    steps = [(side, None) for side in order]
    if above_quota is not None:
        steps = [("above", np.maximum(above_quota, 0)), ("below", None), ("above", None)]
    for side, quota in steps:
        wanted = deficit if quota is None else np.minimum(deficit, quota)
        if side == "above" and first > 0:
            take = np.minimum(wanted, bounds[:, first - 1])
            _move_down(bounds, first - 1, take)
        elif side == "below" and last < _N_LEVELS - 1:
            take = np.minimum(wanted, n - bounds[:, last])
            _move_up(bounds, n, last, take)
        else:
            take = np.zeros_like(deficit)
        deficit = deficit - take


def _require_baik_minority(bounds, n, mask, sangat_kurang_first=False) -> None:
    """Baik curve: make sure someone is Butuh Perbaikan or Kurang, keeping Baik the largest.

    One move when possible: the lowest-ranked Baik moves down if Baik stays the largest group,
    else the best Sangat Kurang moves up to Kurang (with ``sangat_kurang_first`` the latter is
    tried first). When neither works (the unit holds only Sangat Baik and Baik, tied), the
    lowest Baik moves down and the lowest Sangat Baik moves down to Baik.
    """
    t = _counts_from(bounds, n)
    need = _limit(ORG_BAIK, "at_least_one", n)
    short = mask & (t[:, BUTUH_PERBAIKAN] + t[:, KURANG] < need)
    others = np.maximum.reduce([t[:, SANGAT_BAIK], t[:, SANGAT_KURANG], np.ones_like(n)])
    baik_can_give = short & (t[:, BAIK] - 1 >= others)
    sk_can_rise = short & (t[:, SANGAT_KURANG] >= 1)
    if sangat_kurang_first:
        baik_can_give &= ~sk_can_rise
    else:
        sk_can_rise &= ~baik_can_give
    both = short & ~baik_can_give & ~sk_can_rise
    _move_down(bounds, BAIK, (baik_can_give | both).astype(np.int64))
    _move_up(bounds, n, KURANG, sk_can_rise.astype(np.int64))
    _move_down(bounds, SANGAT_BAIK, both.astype(np.int64))


def _istimewa(bounds, n, mask, start, first_pass) -> None:
    _cap_level(bounds, n, mask, SANGAT_BAIK, _limit(ISTIMEWA, "at_most", n))
    _make_largest(bounds, n, mask, SANGAT_BAIK)


def _baik(prefer_above=True, minority_first=False, balance_bottom=None):
    """Baik repair. ``balance_bottom`` first moves the best of a large Sangat Kurang group up to
    Kurang: ``"half"`` half of its lead over Kurang, ``"excess"`` its lead over Baik. That
    shrinks a competitor of Baik and provides the Kurang the curve asks for."""

    def repair(bounds, n, mask, start, first_pass) -> None:
        if balance_bottom is not None and first_pass:
            t = _counts_from(bounds, n)
            if balance_bottom == "half":
                lift = np.maximum(t[:, SANGAT_KURANG] - t[:, KURANG], 0) // 2
            else:
                lift = np.maximum(t[:, SANGAT_KURANG] - t[:, BAIK], 0)
            _move_up(bounds, n, KURANG, np.where(mask, lift, 0))
        _cap_level(bounds, n, mask, BAIK, _limit(ORG_BAIK, "at_most", n))
        if minority_first:
            _require_baik_minority(bounds, n, mask, sangat_kurang_first=True)
        _make_largest(bounds, n, mask, BAIK, prefer_above)
        _require_baik_minority(bounds, n, mask)

    return repair


def _butuh_perbaikan(bounds, n, mask, start, first_pass) -> None:
    org = ORG_BUTUH_PERBAIKAN
    _cap_level(bounds, n, mask, SANGAT_BAIK, _limit(org, "at_most", n))
    need = _limit(org, "at_least", n, (BUTUH_PERBAIKAN,))
    _fill_minimum(bounds, n, mask, BUTUH_PERBAIKAN, BUTUH_PERBAIKAN, need, ("above", "below"))


def _kurang(kurang_order, butuh_perbaikan_order, above_from=None):
    """Kurang repair. ``above_from`` = (``"start"`` or ``"now"``, level) lets Kurang take from
    above first only the people ranked below that level's original (or current, after the Sangat
    Baik cap) lower edge, e.g. those of Baik, or those moving anyway."""

    def repair(bounds, n, mask, start, first_pass) -> None:
        org = ORG_KURANG
        _cap_level(bounds, n, mask, SANGAT_BAIK, _limit(org, "at_most", n))
        need_k = _limit(org, "at_least", n, (KURANG,))
        quota = None
        if above_from is not None and first_pass:
            edges = start if above_from[0] == "start" else bounds
            quota = bounds[:, BUTUH_PERBAIKAN] - edges[:, above_from[1]]
        _fill_minimum(bounds, n, mask, KURANG, KURANG, need_k, kurang_order, quota)
        need_bp = _limit(org, "at_least", n, (BUTUH_PERBAIKAN,))
        _fill_minimum(
            bounds, n, mask, BUTUH_PERBAIKAN, BUTUH_PERBAIKAN, need_bp, butuh_perbaikan_order
        )

    return repair


def _sangat_kurang(bounds, n, mask, start, first_pass) -> None:
    org = ORG_SANGAT_KURANG
    _cap_level(bounds, n, mask, SANGAT_BAIK, _limit(org, "at_most", n))
    need_sk = _limit(org, "at_least", n, (SANGAT_KURANG,))
    _fill_minimum(bounds, n, mask, SANGAT_KURANG, SANGAT_KURANG, need_sk, ("above",))
    need_low = _limit(org, "at_least", n, (BUTUH_PERBAIKAN, KURANG))
    _fill_minimum(bounds, n, mask, BUTUH_PERBAIKAN, KURANG, need_low, ("above", "below"))


_UP, _DOWN = ("below", "above"), ("above", "below")
#: Candidate repair strategies per organisational predikat, in order of preference. Each is
#: run on every invalid group of that predikat; a group takes the valid result that moves the
#: fewest people (the earlier strategy on a tie). The first strategy of each list always
#: reaches a valid distribution (checked exhaustively by the tests for small units).
_STRATEGIES = {
    ISTIMEWA: (_istimewa,),
    ORG_BAIK: (
        _baik(),
        _baik(minority_first=True),
        _baik(prefer_above=False),
        _baik(balance_bottom="half"),
        _baik(balance_bottom="excess"),
    ),
    ORG_BUTUH_PERBAIKAN: (_butuh_perbaikan,),
    ORG_KURANG: tuple(
        _kurang(k_order, bp_order, above_from)
        for above_from in (None, ("start", SANGAT_BAIK), ("start", BAIK), ("now", SANGAT_BAIK))
        for k_order in (_UP, _DOWN)
        for bp_order in (_DOWN, _UP)
    ),
    ORG_SANGAT_KURANG: (_sangat_kurang,),
}
# Two passes of a strategy suffice (a Kurang unit may need Kurang refilled after Butuh
# Perbaikan took from it); the third is a safety margin.
_MAX_PASSES = 3


def _people_moved(start: np.ndarray, bounds: np.ndarray, n: np.ndarray) -> np.ndarray:
    """People whose level differs between two boundary sets (n minus those who stay)."""
    zero = np.zeros((len(n), 1), dtype=np.int64)
    old = np.concatenate([zero, start, n[:, None]], axis=1)
    new = np.concatenate([zero, bounds, n[:, None]], axis=1)
    stay = np.minimum(old[:, 1:], new[:, 1:]) - np.maximum(old[:, :-1], new[:, :-1])
    return n - np.maximum(stay, 0).sum(axis=1)


def _run_strategy(strategy, start, n, org) -> tuple[np.ndarray, np.ndarray]:
    bounds = start.copy()
    for pass_index in range(_MAX_PASSES):
        invalid = ~_valid(_counts_from(bounds, n), org)
        if not invalid.any():
            break
        strategy(bounds, n, invalid, start, first_pass=(pass_index == 0))
    return bounds, _valid(_counts_from(bounds, n), org)


def _target_bounds(counts: np.ndarray, org: np.ndarray) -> np.ndarray:
    """Boundaries of the repaired distribution of every group (valid groups unchanged)."""
    n = counts.sum(axis=1)
    start = np.cumsum(counts, axis=1)[:, : _N_LEVELS - 1].astype(np.int64)
    bounds = start.copy()
    invalid = ~_valid(counts, org)
    for code, strategies in _STRATEGIES.items():
        idx = np.flatnonzero(invalid & (org == code))
        if idx.size == 0:
            continue
        best_cost = np.full(idx.size, np.iinfo(np.int64).max)
        for strategy in strategies:
            candidate, ok = _run_strategy(strategy, start[idx], n[idx], org[idx])
            cost = _people_moved(start[idx], candidate, n[idx])
            better = ok & (cost < best_cost)
            bounds[idx[better]] = candidate[better]
            best_cost[better] = cost[better]
    if not _valid(_counts_from(bounds, n), org).all():
        raise RuntimeError(
            "enforce_curve: could not satisfy the curve (please report this as a bug)"
        )
    return bounds


def enforce_curve(predikat_codes, scores, group_ids, org_predikat_by_group):
    """Move the fewest people, in score order, until every group's distribution meets its curve.

    Within a group people are ranked best first by (current predikat, score descending, row
    order). Repairs move the boundaries between predikat levels: the lowest-scored people of a
    level that is too full move down, the highest-scored of the next level move up, so a person
    never ends below someone they outranked. Ties in score are broken by row order (the
    earlier row ranks higher); a ``NaN`` score ranks below every number. Groups already valid
    move nobody. Repairs per organisational predikat (the building blocks):

    - istimewa: Sangat Baik above its cap move down to Baik; then Sangat Baik grows by the
      fewest pulls from the top of the levels below until it is the largest group;
    - baik: Baik above its cap move down to Butuh Perbaikan; Baik grows by the fewest pulls
      (from Sangat Baik and/or the levels below) until it is the largest; then, if nobody is
      Butuh Perbaikan or Kurang, the lowest Baik moves down, or the best Sangat Kurang moves up
      to Kurang when moving a Baik would cost Baik its lead;
    - butuh_perbaikan: Sangat Baik above its cap move down; Butuh Perbaikan is filled from the
      lowest-ranked above, then from the best below;
    - kurang: Sangat Baik above its cap move down; Kurang is filled from below and/or above,
      then Butuh Perbaikan from above and/or below;
    - sangat_kurang: every Sangat Baik moves down to Baik; Sangat Kurang is filled from the
      lowest-ranked above; Butuh Perbaikan + Kurang from above, then from the best Sangat Kurang.

    Where the order of these steps matters (baik, kurang) several orders are tried and each
    group keeps the valid result that moves the fewest people (the first order on a tie). All
    of it runs on per-group counts, vectorised over groups with a bounded number of passes;
    people are then re-assigned by rank in one vectorised step. The result is deterministic.
    The number moved is the fewest among the orders tried. Compared with an exhaustive search
    over all rank-preserving reassignments, for every count vector of units of 1-10 people and
    every organisational predikat, it is optimal in all but 15 of 15,010 cases (Baik units
    with a large Sangat Kurang group, one extra move each).

    Parameters
    ----------
    predikat_codes : array_like of int, shape (n_employees,)
        Employee predikat codes 0-4 before the curve.
    scores : array_like of float, shape (n_employees,)
        Score used to rank people within a predikat (higher is better).
    group_ids : array_like of int, shape (n_employees,)
        Group of each employee, ``0 .. n_groups - 1``.
    org_predikat_by_group : array_like of int, shape (n_groups,)
        Organisational predikat code (0 istimewa ... 4 sangat_kurang) of each group.

    Returns
    -------
    new_codes : numpy.ndarray of int8, shape (n_employees,)
    moved : numpy.ndarray of int64, shape (n_groups,)
        Number of people whose predikat changed, per group.
    """
    codes, groups, org, counts = _group_counts(predikat_codes, group_ids, org_predikat_by_group)
    scores = np.asarray(scores, dtype=float)
    if scores.shape != codes.shape:
        raise ValueError("scores: must have one value per employee")
    bounds = _target_bounds(counts, org)
    rows = np.arange(codes.size)
    order = np.lexsort((rows, -scores, codes, groups))
    sizes = counts.sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sorted_groups = groups[order]
    rank = rows - starts[sorted_groups]
    new_sorted = (rank[:, None] >= bounds[sorted_groups]).sum(axis=1)
    new_codes = np.empty_like(codes)
    new_codes[order] = new_sorted
    moved = np.bincount(groups, weights=(new_codes != codes), minlength=org.size).astype(np.int64)
    return new_codes.astype(np.int8), moved
