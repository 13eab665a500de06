"""Career follow-up: talent pool, training, and the PP 30/2019 path for persistent poor performers.

DESIGN 3.7; domain/regulations.md 1.7 and 2.3. Three consequences of the predikat:

- **Talent pool**: Sangat Baik in ``talent_pool_periods`` consecutive periods (2: "two years in
  a row", PP 30/2019) gives priority for the agency's succession-planning group. Runs count the
  current period and the ``history`` before it. With a single Sangat Baik so far (always the
  case without history) the employee is flagged ``sangat_baik_once``.
- **Training**: everyone rated ``training_from`` (default Butuh Perbaikan) or worse is sent to
  training at ``training_cost_idr`` per person, except those whose path ends in dismissal now.
- **PP 30/2019 Art. 56-58 path**: an employee rated ``poor_from`` (default Butuh Perbaikan, i.e.
  below expectation) or worse gets an improvement period of ``improvement_months`` (6). If the
  first appraisal ending on or after its end is still poor, he or she is reassigned (placed in
  another post for at most ``reassignment_months``, 12; a JPT first retakes a competency test).
  If the first appraisal ending on or after the reassignment's end is still poor: honourable
  dismissal (``honourable_dismissal``; for PPPK ``contract_termination``, UU 20/2023 Art. 52 —
  the same path is applied to PPPK, a simplification [assumption]). Any appraisal that is not
  poor ends the path. The path is an illustration of the regulation's sequence: the sources do
  not make dismissal automatic.

  *Which step*: from the number ``r`` of consecutive poor periods ending now (history plus the
  current period), the months since the improvement period began are ``(r - 1) x m`` for
  periods of ``m`` months; the step is improvement before ``ceil(6 / m) x m`` months,
  reassignment before that plus ``ceil(12 / m) x m`` months, dismissal from then on. For annual
  appraisals: 1st poor year -> improvement, 2nd -> reassignment, 3rd -> dismissal. A history
  shorter than the run means the earlier steps are taken as not yet started.

*History*: ``history`` is an array of earlier predikat codes, shape ``(periods, n)`` (or ``(n,)``
for one period), oldest first, ending with the period just before this one, in the appraisal's
row order, each period as long as the current one; ``-1``/``NaN`` = not appraised (breaks runs).
It is an argument of :func:`apply` (and of :func:`simulate.rewards.base.apply_reward`), not a
YAML parameter, because it is produced by earlier periods of a run (``simulate.dynamics``).

*Dates*: period ``p`` of ``m`` months covers months ``p x m`` to ``(p + 1) x m - 1`` counted from
January of ``reference_year``; follow-up takes effect on the first day after the period ends
(period 0 of an annual cycle in 2024 -> 1 January 2025). Every event of this period carries
that date; ``step_since`` / ``step_until`` give the current step's start (the effective date of
the period that opened it) and its last day.

Cost = training cost (rupiah); the baseline (no follow-up) costs 0.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal
from simulate.predikat import PREDIKAT, SANGAT_BAIK, as_categorical
from simulate.rewards.base import (
    FollowUpSignals,
    FollowUp,
    RewardParams,
    as_history,
    empty_events,
    employee_derived,
    make_events,
    period_of,
    register,
)
from simulate.scenario.schema import param

__all__ = ["CareerParams", "apply", "STEPS", "run_length", "pp30_step"]

SRC_TALENT = "PP 30/2019: Sangat Baik two years in a row -> priority for the talent pool (domain/regulations.md 2.3)"
SRC_PATH = "PP 30/2019 Art. 56-58: ~6 months to improve, then a post for at most 1 year, then honourable dismissal (domain/regulations.md 2.3)"
#: Steps of the PP 30/2019 path, in order.
STEPS: tuple[str, ...] = ("none", "improvement", "reassignment", "dismissal")
_BELOW = Literal["butuh_perbaikan", "kurang", "sangat_kurang"]
#: Dtypes of the ``predikat`` (as :func:`simulate.predikat.as_categorical`) and ``pp30_step``
#: columns, built once: making a categorical from codes and a ready dtype is much cheaper.
_PREDIKAT_DTYPE = as_categorical(np.zeros(0, dtype=np.int8)).dtype
_STEP_DTYPE = pd.CategoricalDtype(list(STEPS), ordered=True)


class CareerParams(RewardParams):
    talent_pool_periods: int = param(
        2, "Consecutive Sangat Baik periods that put an employee in the talent pool (annual appraisals: "
        "2 = two years in a row).", "periods", ge=1, le=10, source=SRC_TALENT)
    training_from: _BELOW = param(
        "butuh_perbaikan", "Predikat from which (and below) an employee is sent to training.", "-")
    training_cost_idr: float = param(
        3_000_000.0, "Cost of training one employee once (illustrative: a few days of technical training) "
        "[unverified].", "rupiah per person", ge=0)
    poor_from: _BELOW = param(
        "butuh_perbaikan", "Predikat from which (and below) an appraisal counts as poor for the PP 30/2019 "
        "path (Butuh Perbaikan = results below expectation).", "-", source=SRC_PATH)
    improvement_months: int = param(
        6, "Length of the improvement period given after a poor appraisal.", "months", ge=1, le=24,
        source=SRC_PATH)
    reassignment_months: int = param(
        12, "Longest placement in another post before honourable dismissal.", "months", ge=1, le=36,
        source=SRC_PATH)
    events: bool = param(
        True, "Build the dated events table with its texts; long simulations that read only the per-employee "
        "table (training, pp30_step) can switch it off for speed.", "-",
    )
    reference_year: int = param(
        2024, "Calendar year in which period 0 starts (set it to the scenario's population.reference_year); "
        "dates the events.", "year", ge=1990, le=2100)


def run_length(flags: np.ndarray) -> np.ndarray:
    """Number of consecutive ``True`` rows ending at the last row, per column (shape ``(T, n)``)."""
    flags = np.asarray(flags, dtype=bool)
    run = np.zeros(flags.shape[1], dtype=np.int64)
    unbroken = np.ones(flags.shape[1], dtype=bool)
    for row in flags[::-1]:  # a loop over the few periods, latest first; each step is vectorised
        unbroken &= row
        run += unbroken
    return run


def pp30_step(poor_run: np.ndarray, months: int, improvement_months: int = 6,
              reassignment_months: int = 12) -> tuple[np.ndarray, int, int]:
    """Step of the PP 30/2019 path (index into :data:`STEPS`) for runs of poor periods.

    Returns the step and the months after the improvement period's start at which reassignment
    and dismissal are decided (the first appraisal ending on or after each deadline).
    """
    reassign_at = -(-improvement_months // months) * months
    dismiss_at = reassign_at + -(-reassignment_months // months) * months
    poor_run = np.asarray(poor_run)
    elapsed = (poor_run - 1) * months
    step = np.select([poor_run <= 0, elapsed < reassign_at, elapsed < dismiss_at], [0, 1, 2], default=3)
    return step.astype(np.int8), reassign_at, dismiss_at


def _format_unique(fmt, *columns: np.ndarray) -> np.ndarray:
    """``fmt(*row)`` for every row of ``columns``, formatted once per distinct row (few of them)."""
    frame = pd.DataFrame({i: c for i, c in enumerate(columns)})
    codes, uniques = pd.MultiIndex.from_frame(frame).factorize()
    texts = np.array([fmt(*(_plain(v) for v in row)) for row in uniques] or [""], dtype=object)
    return texts[codes]


def _plain(value: Any) -> Any:
    """Dates as ``YYYY-MM-DD`` text, other values unchanged."""
    if value is pd.NaT or isinstance(value, (pd.Timestamp, np.datetime64)):
        return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
    return value


def _employee_flags(attrs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``(is_pppk, is_jpt)`` of each employee (memoised on the employee table)."""
    return (attrs["status"] == "PPPK").to_numpy(), (attrs["position_type"] == "jpt").to_numpy()


def _first_day(month0: np.datetime64, months_after: np.ndarray) -> np.ndarray:
    return (month0 + np.asarray(months_after, dtype=np.int64)).astype("datetime64[D]")


class _PathByRun(NamedTuple):
    """The PP 30/2019 path of an employee with each run of poor periods (index: run length).

    Every array has one entry per run length ``0 ... periods`` and is read-only.
    """

    reassign_at: int  #: months after the improvement period's start at which reassignment is decided
    dismiss_at: int  #: months after it at which dismissal is decided
    effective: np.datetime64  #: first day after the period (the date of its events)
    step: np.ndarray  #: index into STEPS (int8)
    elapsed: np.ndarray  #: months since the improvement period began (int64)
    starts_improvement: np.ndarray  #: the improvement period starts now
    starts_reassignment: np.ndarray  #: the reassignment starts now
    until: np.ndarray  #: last day of the current step (datetime64[D], NaT without one)
    dismissal_due: np.ndarray  #: date from which dismissal is due (datetime64[D])
    since_ns: np.ndarray  #: first day of the current step (datetime64[ns], NaT without one)
    until_ns: np.ndarray  #: ``until`` as datetime64[ns]


@lru_cache(maxsize=256)
def _path_by_run(periods: int, period: int, m: int, improvement_months: int, reassignment_months: int,
                 reference_year: int) -> _PathByRun:
    """Step and dates of the PP 30/2019 path for every run length of ``0 ... periods`` poor periods.

    They depend on the run of poor periods, the period and the parameters alone, so the scheme
    looks each employee's up by run length instead of computing dates per employee; the table
    is kept for later periods and policies (``lru_cache``).
    """
    runs = np.arange(periods + 1)
    step, reassign_at, dismiss_at = pp30_step(runs, m, improvement_months, reassignment_months)
    elapsed = (runs - 1) * m
    # Dates: months counted from January of the reference year.
    month0 = np.datetime64(f"{reference_year:04d}-01", "M")
    effective = _first_day(month0, np.array((period + 1) * m))
    first_poor = period - runs + 1  # period whose appraisal opened the path
    improvement_since = _first_day(month0, (first_poor + 1) * m)
    reassignment_since = _first_day(month0, (first_poor + 1) * m + reassign_at)
    one_day = np.timedelta64(1, "D")
    improvement_until = _first_day(month0, (first_poor + 1) * m + improvement_months) - one_day
    reassignment_until = _first_day(month0, (first_poor + 1) * m + reassign_at + reassignment_months) - one_day
    dismissal_due = _first_day(month0, (first_poor + 1) * m + dismiss_at)
    nat = np.datetime64("NaT", "D")
    since = np.select([step == 1, step == 2, step == 3], [improvement_since, reassignment_since, dismissal_due], nat)
    until = np.select([step == 1, step == 2], [improvement_until, reassignment_until], nat)
    arrays = {"step": step, "elapsed": elapsed, "starts_improvement": (step == 1) & (elapsed == 0),
              "starts_reassignment": (step == 2) & (elapsed == reassign_at), "until": until,
              "dismissal_due": dismissal_due, "since_ns": since.astype("datetime64[ns]"),
              "until_ns": until.astype("datetime64[ns]")}
    for a in arrays.values():
        a.flags.writeable = False
    return _PathByRun(reassign_at=reassign_at, dismiss_at=dismiss_at, effective=effective, **arrays)


def signals(followup: FollowUp) -> FollowUpSignals:
    """Who is sent to training and who is dismissed at the end of the period."""
    steps = followup.column("pp30_step")  # categorical with the ordered STEPS as categories
    return FollowUpSignals(training=followup.column("training").astype(bool),
                           dismissed=steps.codes == steps.categories.get_loc("dismissal"))


# Improvement, then reassignment, then dismissal: at least two poor periods before the third.
@register("career", CareerParams, label="Talent pool, pelatihan dan jalur PP 30/2019", label_en="Talent pool, training and the PP 30/2019 path",
          reference="PP 30/2019 Art. 56-58; UU 20/2023 Art. 52",
          signals=signals, dismissal_after=2, table_only={"events": False})
def apply(appraisal: Appraisal, population: Any, params: CareerParams, evidence: Evidence | None = None,
          history: Any = None) -> FollowUp:
    """Talent pool, training and PP 30/2019 steps after this period's appraisal (see the module docstring)."""
    period, m = period_of(evidence)
    n = appraisal.n
    predikat = np.asarray(appraisal.predikat, dtype=np.int8)
    codes = np.vstack([as_history(history, n), predikat[None, :]])
    appraised = codes >= 0

    sb_run = run_length(appraised & (codes == SANGAT_BAIK))
    talent_pool = sb_run >= params.talent_pool_periods
    entering = sb_run == params.talent_pool_periods
    sangat_baik_once = (sb_run == 1) & (params.talent_pool_periods > 1)

    poor_code = PREDIKAT.index(params.poor_from)
    poor_run = run_length(appraised & (codes >= poor_code))
    path = _path_by_run(codes.shape[0], period, m, params.improvement_months, params.reassignment_months,
                        params.reference_year)
    step = path.step[poor_run]
    dismissed = step == 3

    training = (predikat >= PREDIKAT.index(params.training_from)) & ~dismissed
    training_cost = np.where(training, params.training_cost_idr, 0.0)

    is_pppk, is_jpt = employee_derived(appraisal, population, evidence, ["position_type", "status"], "career",
                                       _employee_flags)

    # Event texts, built for the rows that have the event only, once per distinct content; the
    # rows' dates are looked up by their run of poor periods.
    def improvement_detail(rows: np.ndarray) -> np.ndarray:
        return _format_unique(lambda until: f"{params.improvement_months}-month improvement period until {until}",
                              path.until[poor_run[rows]])

    def reassignment_detail(rows: np.ndarray) -> np.ndarray:
        def fmt(jpt: bool, until: np.datetime64) -> str:
            lead = "competency test, then another or lower post" if jpt else "placed in another post"
            return f"{lead} for at most {params.reassignment_months} months, until {until}"
        return _format_unique(fmt, is_jpt[rows], path.until[poor_run[rows]])

    def dismissal_detail(rows: np.ndarray) -> np.ndarray:
        def fmt(run: int, overdue: bool, due: np.datetime64) -> str:
            return f"{run} consecutive poor appraisals" + (f"; due since {due}" if overdue else "")
        run = poor_run[rows]
        return _format_unique(fmt, run, path.elapsed[run] > path.dismiss_at, path.dismissal_due[run])

    label = params.training_from
    effective = path.effective
    events = empty_events() if not params.events else make_events([
        ("talent_pool", entering, effective, f"Sangat Baik in {params.talent_pool_periods} consecutive periods"),
        ("training", training, effective, f"predikat {label} or worse; cost Rp {params.training_cost_idr:,.0f}"),
        ("improvement_period", path.starts_improvement[poor_run], effective, improvement_detail),
        ("reassignment", path.starts_reassignment[poor_run], effective, reassignment_detail),
        ("honourable_dismissal", dismissed & ~is_pppk, effective, dismissal_detail),
        ("contract_termination", dismissed & is_pppk, effective, dismissal_detail),
    ], appraisal.employee_id, period)

    employees = {  # the table's columns, built on first use (simulate.frames)
        "employee_id": np.asarray(appraisal.employee_id),
        "predikat": pd.Categorical.from_codes(predikat, dtype=_PREDIKAT_DTYPE),
        "sangat_baik_run": sb_run,
        "sangat_baik_once": sangat_baik_once,
        "talent_pool": talent_pool,
        "training": training,
        "training_cost_idr": training_cost,
        "poor_run": poor_run,
        "pp30_step": pd.Categorical.from_codes(step, dtype=_STEP_DTYPE),
        "step_since": path.since_ns[poor_run],
        "step_until": path.until_ns[poor_run],
    }
    totals = {
        "history_periods": int(codes.shape[0] - 1),
        "talent_pool": int(talent_pool.sum()),
        "talent_pool_entrants": int(entering.sum()),
        "sangat_baik_once": int(sangat_baik_once.sum()),
        "training": int(training.sum()),
        "pp30_improvement": int((step == 1).sum()),
        "pp30_reassignment": int((step == 2).sum()),
        "pp30_dismissal": int(dismissed.sum()),
    }
    return FollowUp(scheme="career", rule="career", policy=appraisal.policy, employees=employees,
                    total_cost_idr=float(training_cost.sum()), baseline_cost_idr=0.0, events=events,
                    totals=totals, period=period, period_months=m, params=params)
