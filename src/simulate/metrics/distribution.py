"""Who gains and who loses: each arm against the status quo, per employee and by group.

The **status quo** is the first policy arm of the scenario. In every replication and period,
each arm's outcome for every employee (:class:`ArmOutcome`: TPP paid, predikat, credit points,
career steps) is set beside the status quo's for the same employee (:func:`employee_changes`)
and summed by group (:func:`group_measures`); :class:`DistributionCollector` does this while a
replication runs and hands back the long table that ``kinerja run`` writes as
``distribution.parquet`` (:data:`DISTRIBUTION_COLUMNS`).

Definitions (``r`` = a person's relative TPP change against the status quo):

* **TPP** of a person is the sum of ``paid_idr`` over the follow-ups whose scheme adds to the
  ``tpp_cost_idr`` metric (every TPP scheme of the scenario), in rupiah for the period.
* ``r = (TPP_arm - TPP_sq) / TPP_sq`` when ``TPP_sq > 0``; with ``TPP_sq == 0``, ``r = 0`` when
  the arm pays nothing either and ``r = +inf`` when it pays something. **Gaining**: ``r >
  5 %``; **losing**: ``r < -5 %``; **unchanged**: ``-5 % <= r <= 5 %`` (both ends included).
  The three shares add up to one in every group.
* **Predikat change**: levels gained, ``code_sq - code_arm`` (codes run best to worst, so a
  positive change is a better predikat); *up* / *down*: more / fewer than zero levels.
* **Career events** (from the scheme whose per-employee table has ``talent_pool`` and
  ``pp30_step``): talent pool membership; the *improvement path* (PP 30/2019 step improvement or
  reassignment); *dismissal* (step dismissal, at the end of the period). Each is given as the
  change of the group's share, arm minus status quo.
* **True-performance quintile** (group kind ``true_quintile``): employees ordered best to worst
  by the true performance of the arm's own world in that period (each arm of a multi-period run
  has its own trajectory; in period 0 all arms share it); position ``p`` (0 = best) of ``n``
  falls in quintile ``5 - floor(5 p / n)``, so ``"5"`` is the true top fifth and ``"1"`` the
  bottom fifth.
* **Cost of misjudgement**: ``TPP_arm - TPP_true`` per person, where ``TPP_true`` is what the same
  schemes (same parameters, discipline deductions and budget cap) pay when the predikat is the
  reference predikat by true performance (:mod:`simulate.metrics.classification`). Summed by
  group (``misjudgement_idr``: positive = the group is paid more than its true performance
  warrants); for group ``all`` also ``misjudgement_top_fifth_loss_idr`` (what the true top fifth
  is paid less, ``sum(TPP_true - TPP_arm)`` over quintile 5) and
  ``misjudgement_bottom_fifth_gain_idr`` (what the true bottom fifth is paid more,
  ``sum(TPP_arm - TPP_true)`` over quintile 1). Net sums: within a fifth, gains and losses offset;
  the ``n`` of these two rows is the size of group ``all``, and each is suppressed when its fifth
  has fewer than 5 people.

**Suppression**: a group of fewer than :data:`MIN_GROUP` (5) people keeps its row, with its size
``n``, but its ``value`` is NaN, in every measure. Populations are drawn anew in every
replication: OPD ``"12"`` of one replication is not the same office as in another, so OPD
figures summarised over replications describe a typical OPD at that position in the list, not
one office.

Everything is vectorised: per-employee arrays, then one sparse product (the fixed groups) and
one ``reduceat`` (the quintiles) per arm and period; no loop over employees or groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import sparse, stats

from simulate.frames import frame_columns
from simulate.rewards.base import FollowUp, get_reward

__all__ = [
    "MIN_GROUP", "CHANGE_THRESHOLD", "GROUP_KINDS", "MEASURES", "DISTRIBUTION_COLUMNS", "DISTRIBUTION_SCHEMA",
    "ArmOutcome", "Groups", "DistributionCollector", "arm_outcome", "true_quintile", "employee_changes",
    "employee_groups", "group_measures", "distribution_table", "distribution_summary",
]

#: Groups smaller than this are suppressed (value NaN) in every table.
MIN_GROUP = 5
#: A relative TPP change beyond +-5 % is a gain or a loss; within it (ends included), unchanged.
CHANGE_THRESHOLD = 0.05
#: Group kinds, in the order of the table, with the employee column each is read from.
_KIND_COLUMNS: dict[str, str | None] = {
    "all": None, "opd": "opd_id", "opd_kind": "opd_kind", "golongan": "golongan",
    "position_type": "position_type", "sex": "sex", "status": "status", "true_quintile": None,
}
GROUP_KINDS: tuple[str, ...] = tuple(_KIND_COLUMNS)
QUINTILES = 5
#: Columns of ``distribution.parquet``, in order (a ``variant`` column comes first in sweeps).
DISTRIBUTION_COLUMNS = ("arm", "replication", "period", "group_kind", "group", "measure", "value", "n")
DISTRIBUTION_SCHEMA = pa.schema([
    ("arm", pa.string()), ("replication", pa.int64()), ("period", pa.int64()), ("group_kind", pa.string()),
    ("group", pa.string()), ("measure", pa.string()), ("value", pa.float64()), ("n", pa.int64()),
])

# Per-employee columns summed by group (the measures are ratios and sums of these).
_SUMS = ("n", "gain", "loss", "tpp_change", "tpp_sq", "up", "down", "levels",
         "credit_change", "talent_pool_change", "improvement_change", "dismissal_change", "misjudgement")
_S = {name: i for i, name in enumerate(_SUMS)}
#: Measure -> (what it needs, description). Needs: tpp, credit, career, true (TPP at the reference).
MEASURES: dict[str, tuple[str, str]] = {
    "tpp_gain_share": ("tpp", "share of the group whose TPP rises by more than 5 % against the status quo"),
    "tpp_loss_share": ("tpp", "share whose TPP falls by more than 5 %"),
    "tpp_unchanged_share": ("tpp", "share whose TPP changes by 5 % or less (either way)"),
    "tpp_change_idr_mean": ("tpp", "mean TPP change per person, rupiah for the period"),
    "tpp_change_pct": ("tpp", "the group's TPP change in percent of its status-quo TPP"),
    "tpp_budget_impact_idr": ("tpp", "the group's total TPP change, rupiah (negative: the arm spends less)"),
    "tpp_mean_idr": ("tpp", "mean TPP per person under the arm, rupiah"),
    "predikat_up_share": ("", "share given a better predikat than under the status quo"),
    "predikat_down_share": ("", "share given a worse predikat"),
    "predikat_change_mean": ("", "mean predikat levels gained (positive: better)"),
    "angka_kredit_change_mean": ("credit", "mean change of the credit points earned, per person"),
    "talent_pool_share_change": ("career", "share in the talent pool, arm minus status quo"),
    "improvement_path_share_change": ("career", "share on the PP 30/2019 improvement path (improvement or "
                                                "reassignment), arm minus status quo"),
    "dismissal_share_change": ("career", "share dismissed at the end of the period, arm minus status quo"),
    "misjudgement_idr": ("true", "the group's TPP minus what the same schemes pay at the reference predikat "
                                 "by true performance, rupiah (positive: paid more than warranted)"),
    "misjudgement_top_fifth_loss_idr": ("true", "rupiah the true top fifth is paid less than at the reference "
                                                "predikat (group all only)"),
    "misjudgement_bottom_fifth_gain_idr": ("true", "rupiah the true bottom fifth is paid more than at the "
                                                   "reference predikat (group all only)"),
}
_MEASURE_NAMES = tuple(MEASURES)
_TPP_METRIC = "tpp_cost_idr"


@dataclass(frozen=True, eq=False)
class ArmOutcome:
    """What one arm's appraisal and follow-ups give each employee in one period (appraisal row order).

    Fields a scenario's schemes do not provide are None (no TPP scheme: no ``tpp_idr``).
    """

    predikat: np.ndarray  #: codes 0 sangat_baik ... 4 sangat_kurang
    truth_order: np.ndarray  #: employees from best to worst true performance
    tpp_idr: np.ndarray | None = None  #: TPP paid, rupiah for the period
    tpp_true_idr: np.ndarray | None = None  #: TPP the same schemes pay at the reference predikat
    angka_kredit: np.ndarray | None = None  #: credit points earned in the period
    talent_pool: np.ndarray | None = None  #: in the talent pool
    improvement_path: np.ndarray | None = None  #: PP 30/2019 improvement or reassignment step
    dismissal: np.ndarray | None = None  #: dismissed at the end of the period

    @property
    def n(self) -> int:
        return len(self.predikat)

    @property
    def quintile(self) -> np.ndarray:
        """True-performance quintile 1-5 of each employee (5 = the top fifth), :func:`true_quintile`."""
        return true_quintile(self.truth_order)


def true_quintile(truth_order: np.ndarray) -> np.ndarray:
    """Quintile 1-5 of each employee from the order best to worst (5 = the top fifth).

    Position ``p`` (0 = best) of ``n`` is in quintile ``5 - floor(5 p / n)``.
    """
    n = len(truth_order)
    out = np.empty(n, dtype=np.int8)
    out[truth_order] = QUINTILES - (QUINTILES * np.arange(n)) // max(n, 1)
    return out


def _tpp_paid(followups: Mapping[str, FollowUp]) -> np.ndarray | None:
    """Sum of ``paid_idr`` over the TPP schemes (those adding to ``tpp_cost_idr``), or None without any."""
    paid = [np.asarray(f.column("paid_idr"), dtype=float) for f in followups.values()
            if get_reward(f.rule).cost_metric == _TPP_METRIC]
    return None if not paid else paid[0] if len(paid) == 1 else np.sum(paid, axis=0)


def arm_outcome(predikat: np.ndarray, followups: Mapping[str, FollowUp], truth_order: np.ndarray,
                reference_followups: Mapping[str, FollowUp] | None = None) -> ArmOutcome:
    """One arm's :class:`ArmOutcome` from its predikat and follow-ups (every scheme of the scenario).

    ``reference_followups`` are the TPP schemes applied to the reference predikat (for the cost of
    misjudgement); schemes are recognised by what they provide, never by name.
    """
    credit = [np.asarray(f.column("angka_kredit"), dtype=float) for f in followups.values()
              if "angka_kredit" in _columns(f)]
    career = next((f for f in followups.values() if {"talent_pool", "pp30_step"} <= set(_columns(f))), None)
    fields: dict = {}
    if career is not None:
        steps = career.column("pp30_step")
        codes, cats = np.asarray(steps.codes), list(steps.categories)
        fields = {"talent_pool": np.asarray(career.column("talent_pool"), dtype=bool),
                  "improvement_path": np.isin(codes, [cats.index("improvement"), cats.index("reassignment")]),
                  "dismissal": codes == cats.index("dismissal")}
    return ArmOutcome(
        predikat=np.asarray(predikat), truth_order=np.asarray(truth_order), tpp_idr=_tpp_paid(followups),
        tpp_true_idr=None if reference_followups is None else _tpp_paid(reference_followups),
        angka_kredit=(credit[0] if len(credit) == 1 else np.sum(credit, axis=0)) if credit else None, **fields)


def _columns(followup: FollowUp) -> tuple[str, ...]:
    return tuple(frame_columns(followup, "employees"))


def _relative_change(sq: np.ndarray, arm: np.ndarray) -> np.ndarray:
    """``(arm - sq) / sq``; 0 where both are 0, +inf where only the status quo pays nothing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (arm - sq) / sq
    return np.where(sq > 0, r, np.where(arm > 0, np.inf, 0.0))


def _per_employee(sq: ArmOutcome, arm: ArmOutcome) -> tuple[np.ndarray, set[str]]:
    """The per-employee values summed by group, ``(len(_SUMS), n)`` (one row each), and what is available."""
    if sq.n != arm.n:
        raise ValueError(f"status quo and arm must cover the same employees ({sq.n} vs {arm.n})")
    v = np.zeros((len(_SUMS), arm.n))
    v[_S["n"]] = 1.0
    have = {""}
    if sq.tpp_idr is not None and arm.tpp_idr is not None:
        have.add("tpp")
        r = _relative_change(sq.tpp_idr, arm.tpp_idr)
        v[_S["gain"]] = r > CHANGE_THRESHOLD
        v[_S["loss"]] = r < -CHANGE_THRESHOLD
        np.subtract(arm.tpp_idr, sq.tpp_idr, out=v[_S["tpp_change"]])
        v[_S["tpp_sq"]] = sq.tpp_idr
        if arm.tpp_true_idr is not None:
            have.add("true")
            np.subtract(arm.tpp_idr, arm.tpp_true_idr, out=v[_S["misjudgement"]])
    levels = v[_S["levels"]]
    np.subtract(sq.predikat, arm.predikat, out=levels, casting="unsafe")
    v[_S["up"]] = levels > 0
    v[_S["down"]] = levels < 0
    if sq.angka_kredit is not None and arm.angka_kredit is not None:
        have.add("credit")
        np.subtract(arm.angka_kredit, sq.angka_kredit, out=v[_S["credit_change"]])
    if sq.talent_pool is not None and arm.talent_pool is not None:
        have.add("career")
        for name, field in (("talent_pool_change", "talent_pool"), ("improvement_change", "improvement_path"),
                            ("dismissal_change", "dismissal")):
            np.subtract(getattr(arm, field), getattr(sq, field), out=v[_S[name]], dtype=np.float64)
    return v, have


def employee_changes(status_quo: ArmOutcome, arm: ArmOutcome) -> pd.DataFrame:
    """One row per employee: the arm against the status quo (see the module docstring).

    Columns: ``tpp_status_quo_idr, tpp_idr, tpp_change_idr, tpp_change_pct`` (NaN where the
    status quo pays nothing), ``tpp_direction`` (gain / loss / unchanged), ``predikat_change``
    (levels, positive = better), ``angka_kredit_change``, ``talent_pool_change``,
    ``improvement_path_change``, ``dismissal_change`` (-1, 0, 1), ``misjudgement_idr`` and
    ``true_quintile``; columns whose scheme is missing are left out.
    """
    v, have = _per_employee(status_quo, arm)
    out: dict[str, np.ndarray] = {}
    if "tpp" in have:
        sq = status_quo.tpp_idr
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(sq > 0, 100.0 * (arm.tpp_idr - sq) / sq, np.nan)
        out.update(tpp_status_quo_idr=sq, tpp_idr=arm.tpp_idr, tpp_change_idr=v[_S["tpp_change"]],
                   tpp_change_pct=pct,
                   tpp_direction=np.select([v[_S["gain"]] > 0, v[_S["loss"]] > 0], ["gain", "loss"], "unchanged"))
    out["predikat_change"] = v[_S["levels"]].astype(np.int64)
    if "credit" in have:
        out["angka_kredit_change"] = v[_S["credit_change"]]
    if "career" in have:
        for name, col in (("talent_pool_change", "talent_pool_change"), ("improvement_path_change", "improvement_change"),
                          ("dismissal_change", "dismissal_change")):
            out[name] = v[_S[col]].astype(np.int64)
    if "true" in have:
        out["misjudgement_idr"] = v[_S["misjudgement"]]
    out["true_quintile"] = arm.quintile.astype(np.int64)
    return pd.DataFrame(out)


@dataclass(frozen=True, eq=False)
class Groups:
    """The fixed groups of one employee table (every kind but ``true_quintile``) and their members.

    ``kinds`` and ``labels`` name each group; ``members`` is the sparse ``(groups, n)`` 0/1 matrix
    of who belongs where (one group of each kind per employee).
    """

    kinds: np.ndarray
    labels: np.ndarray
    members: sparse.csc_matrix

    @property
    def n_groups(self) -> int:
        return len(self.kinds)


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes and labels of the groups present in ``column`` (categories in their order, else sorted)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy(np.int64)
        names = column.cat.categories
    else:
        values = column.to_numpy()
        if values.dtype.kind == "f" and np.isnan(values).any():
            codes = np.full(len(values), -1)
        else:
            names, codes = np.unique(values, return_inverse=True)
    if len(codes) and codes.min() < 0:
        raise ValueError(f"employees: column {column.name!r} has missing values; every employee needs a group")
    present = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    remap = np.full(len(names), -1, dtype=np.int64)
    remap[present] = np.arange(len(present))
    return remap[codes], [str(names[i]) for i in present]


def employee_groups(employees: pd.DataFrame) -> Groups:
    """:class:`Groups` of an employee table with the columns of :data:`GROUP_KINDS`."""
    n = len(employees)
    kinds, labels, rows = [], [], []
    offset = 0
    for kind, column in _KIND_COLUMNS.items():
        if kind == "true_quintile":
            continue
        if column is None:
            codes, names = np.zeros(n, dtype=np.int64), ["all"]
        else:
            codes, names = _codes(employees[column])
        kinds += [kind] * len(names)
        labels += names
        rows.append(codes + offset)
        offset += len(names)
    # Column i (employee i) holds one entry per kind, in increasing row order: a ready CSC matrix.
    indices = np.stack(rows, axis=1).ravel()
    members = sparse.csc_matrix((np.ones(len(indices)), indices, np.arange(0, len(indices) + 1, len(rows))),
                                shape=(offset, n))
    return Groups(np.asarray(kinds, dtype=object), np.asarray(labels, dtype=object), members)


def _sums(v: np.ndarray, groups: Groups, truth_order: np.ndarray) -> np.ndarray:
    """Group sums ``(groups, len(_SUMS))`` of ``v`` (one row per summed value): the fixed groups, then
    quintiles 1-5 (sequential sums: the same bits on every executor)."""
    fixed = groups.members @ np.ascontiguousarray(v.T)
    n = len(truth_order)
    # Position p is in quintile 5 - floor(5 p / n): quintile 5 - k starts at ceil(k n / 5).
    starts = -((-np.arange(QUINTILES) * n) // QUINTILES)
    q = np.zeros((v.shape[0], QUINTILES))
    present = np.diff(np.append(starts, n)) > 0
    if present.any():
        # np.take gathers row by row: the same array as v[:, truth_order], about twice as fast
        q[:, present] = np.add.reduceat(np.take(v, truth_order, axis=1), starts[present], axis=1)
    return np.vstack([fixed, q[:, ::-1].T])


def group_measures(status_quo: ArmOutcome, arm: ArmOutcome, groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every measure of :data:`MEASURES` for every group: ``(values, n, emitted)``.

    ``values`` is ``(groups, measures)`` with the fixed groups first, then quintiles 1-5; ``n``
    the group sizes; ``emitted`` says which cells the table holds (measures whose schemes are
    missing, and the all-only measures elsewhere, are left out). Groups smaller than
    :data:`MIN_GROUP` have NaN values.
    """
    v, have = _per_employee(status_quo, arm)
    s = _sums(v, groups, arm.truth_order)
    n = s[:, _S["n"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        per = s / n[:, None]
        pct = 100.0 * s[:, _S["tpp_change"]] / s[:, _S["tpp_sq"]]
        unchanged = (n - s[:, _S["gain"]] - s[:, _S["loss"]]) / n  # whole numbers: exact
    pct = np.where(s[:, _S["tpp_sq"]] > 0, pct, np.nan)
    k = len(n)
    values = np.full((k, len(_MEASURE_NAMES)), np.nan)
    cols = {
        "tpp_gain_share": per[:, _S["gain"]], "tpp_loss_share": per[:, _S["loss"]],
        "tpp_unchanged_share": unchanged,
        "tpp_change_idr_mean": per[:, _S["tpp_change"]], "tpp_change_pct": pct,
        "tpp_budget_impact_idr": s[:, _S["tpp_change"]], "tpp_mean_idr": per[:, _S["tpp_sq"]] + per[:, _S["tpp_change"]],
        "predikat_up_share": per[:, _S["up"]], "predikat_down_share": per[:, _S["down"]],
        "predikat_change_mean": per[:, _S["levels"]], "angka_kredit_change_mean": per[:, _S["credit_change"]],
        "talent_pool_share_change": per[:, _S["talent_pool_change"]],
        "improvement_path_share_change": per[:, _S["improvement_change"]],
        "dismissal_share_change": per[:, _S["dismissal_change"]], "misjudgement_idr": s[:, _S["misjudgement"]],
    }
    for j, name in enumerate(_MEASURE_NAMES):
        if name in cols:
            values[:, j] = cols[name]
    emitted = np.zeros(values.shape, dtype=bool)
    available = np.array([MEASURES[m][0] in have for m in _MEASURE_NAMES])
    emitted[:, available] = True
    all_row = int(np.flatnonzero(groups.kinds == "all")[0])
    q_first = groups.n_groups
    for name, row, sign in (("misjudgement_top_fifth_loss_idr", q_first + QUINTILES - 1, -1.0),
                            ("misjudgement_bottom_fifth_gain_idr", q_first, 1.0)):
        j = _MEASURE_NAMES.index(name)
        emitted[:, j] = False
        if "true" in have:
            emitted[all_row, j] = True
            # 0.0 + (-x) rather than -x: no negative zero in the table
            values[all_row, j] = 0.0 + sign * s[row, _S["misjudgement"]] if n[row] >= MIN_GROUP else np.nan
    values[n < MIN_GROUP] = np.nan
    return values, n.astype(np.int64), emitted


class DistributionCollector:
    """Collects one replication's distribution table, arm by arm, period by period.

    Call :meth:`observe` for the status-quo arm first in each period, then for the others (the
    order :func:`simulate.replication.run_arms` runs them in); :meth:`frame` gives the table.
    """

    def __init__(self, replication: int = 0) -> None:
        self.replication = replication
        self._status_quo: tuple[int, ArmOutcome] | None = None
        self._groups: Groups | None = None
        self._parts: list[tuple[str, int, np.ndarray, np.ndarray, np.ndarray]] = []

    def observe(self, period: int, arm: str, outcome: ArmOutcome, employees: pd.DataFrame, structure=None) -> None:
        """Add one arm's outcome in ``period``; the first arm seen in a period is its status quo.

        ``employees`` is the table the outcome's rows follow (same order); with its ``structure``
        the groups are derived once for every period that shares it.
        """
        if self._status_quo is None or self._status_quo[0] != period:
            self._status_quo = (period, outcome)
        if self._groups is None or self._groups.members.shape[1] != len(employees):
            self._groups = (employee_groups(employees) if structure is None
                            else structure.derive(("metrics.distribution_groups",), lambda: employee_groups(employees)))
        values, n, emitted = group_measures(self._status_quo[1], outcome, self._groups)
        self._parts.append((arm, period, values, n, emitted))

    def table(self) -> pa.Table:
        """The long table (:data:`DISTRIBUTION_SCHEMA`), arms and periods in the order observed."""
        return distribution_table(self._parts, self._groups, self.replication)

    def frame(self) -> pd.DataFrame:
        """:meth:`table` as a DataFrame."""
        return self.table().to_pandas()


def _strings(codes: np.ndarray, names) -> pa.Array:
    """``names[codes]`` as an Arrow string array (taken in Arrow: much cheaper than Python strings)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()),
                                          pa.array([str(x) for x in names], type=pa.string())).cast(pa.string())


def distribution_table(parts, groups: Groups | None, replication: int) -> pa.Table:
    """The long table of ``(arm, period, values, n, emitted)`` parts (see :func:`group_measures`)."""
    if not parts or groups is None:
        return DISTRIBUTION_SCHEMA.empty_table()
    kinds = np.concatenate([groups.kinds, np.full(QUINTILES, "true_quintile", dtype=object)])
    labels = np.concatenate([groups.labels, np.array([str(q) for q in range(1, QUINTILES + 1)], dtype=object)])
    kind_codes = pd.Index(GROUP_KINDS).get_indexer(kinds)
    label_codes, label_names = pd.factorize(labels)
    arms = list(dict.fromkeys(p[0] for p in parts))
    arm, period, rows, meas, value, size = [], [], [], [], [], []
    for a, t, values, n, emitted in parts:
        r, m = np.nonzero(emitted)
        arm.append(np.full(len(r), arms.index(a), dtype=np.int32))
        period.append(np.full(len(r), t, dtype=np.int64))
        rows.append(r)
        meas.append(m)
        value.append(values[r, m])
        size.append(n[r])
    rows_ = np.concatenate(rows)
    columns = [
        _strings(np.concatenate(arm), arms), pa.array(np.full(len(rows_), replication, dtype=np.int64)),
        pa.array(np.concatenate(period)), _strings(kind_codes[rows_], GROUP_KINDS),
        _strings(label_codes[rows_], label_names), _strings(np.concatenate(meas), _MEASURE_NAMES),
        pa.array(np.concatenate(value)), pa.array(np.concatenate(size).astype(np.int64)),
    ]
    return pa.Table.from_arrays(columns, schema=DISTRIBUTION_SCHEMA)


def distribution_summary(frame: pd.DataFrame, period: int | str | None = "last") -> pd.DataFrame:
    """Mean and 95 % t interval over replications per arm, group kind, group and measure.

    ``period``: ``"last"`` (default) keeps the last period of the table, an integer that period,
    None every period; the ``period`` column says which. Suppressed values (NaN) are left out:
    ``replications`` counts the values averaged (0 for a group suppressed everywhere, whose
    mean is NaN), ``n`` is the mean group size. Rows keep the table's order (arms in scenario
    order). Columns: ``[variant,] arm, period, group_kind, group, measure, mean, ci_low,
    ci_high, replications, n``.
    """
    df = frame
    if period == "last":
        df = df[df["period"] == df["period"].max()]
    elif period is not None:
        df = df[df["period"] == int(period)]
    keys = [k for k in ("variant", "arm", "period", "group_kind", "group", "measure") if k in df.columns]
    g = df.groupby(keys, sort=False, observed=True)
    agg = g["value"].agg(["mean", "std", "count"])
    agg["n"] = g["n"].mean()
    agg = agg.reset_index()
    count = agg["count"].to_numpy()
    t = stats.t.ppf(0.975, np.maximum(count - 1, 1))
    half = np.where(count > 1, t * agg["std"].to_numpy() / np.sqrt(np.maximum(count, 1)), np.nan)
    agg["ci_low"] = agg["mean"] - half
    agg["ci_high"] = agg["mean"] + half
    agg = agg.drop(columns=["std"]).rename(columns={"count": "replications"})
    return agg[[*keys, "mean", "ci_low", "ci_high", "replications", "n"]]
