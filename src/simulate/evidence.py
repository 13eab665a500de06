"""Containers for one period: the hidden truth and the evidence an appraisal system can see.

Truth and evidence are kept apart on purpose: scoring policies receive an :class:`Evidence`
and nothing else, so no rule can read true performance by accident. Metrics receive both.

Every per-employee array is aligned with the rows of ``Evidence.employees`` (row ``i`` is the
same person everywhere); per-indicator arrays have shape ``(n_employees, K)`` with ``K`` the
largest number of indicators of any OPD kind, ``NaN`` where a position has fewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from simulate.frames import LazyFrame
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS, ScaleParams
from simulate.structure import Derived, Structure

__all__ = ["Truth", "Evidence", "frame_html"]


def frame_html(title: str, frame: pd.DataFrame, note: str = "") -> str:
    """Small HTML block used by result objects' ``_repr_html_``."""
    body = frame.to_html(float_format=lambda v: f"{v:,.3g}", border=0)
    note_html = f"<p style='color:#555'>{note}</p>" if note else ""
    return f"<div><h4 style='margin:0.2em 0'>{title}</h4>{note_html}{body}</div>"


def _row_nanmean(values: np.ndarray) -> np.ndarray:
    """Mean of each row ignoring NaN; NaN (without a warning) for rows with no value."""
    present = ~np.isnan(values)
    count = present.sum(axis=1)
    total = np.where(present, values, 0.0).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _describe(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    rows = {}
    for name, arr in arrays.items():
        a = np.asarray(arr, dtype=float)
        rows[name] = {"mean": np.nanmean(a), "sd": np.nanstd(a), "min": np.nanmin(a), "max": np.nanmax(a),
                      "missing": float(np.isnan(a).mean())}
    return pd.DataFrame(rows).T


@dataclass(frozen=True, eq=False)
class Truth:
    """Hidden true performance of every employee in one period (never shown to raters or rules).

    Attributes are in SD units of the baseline population unless stated.
    """

    employee_id: np.ndarray
    ability: np.ndarray  #: ability, N(0, 1)
    effort: np.ndarray  #: effort in [0, 1]
    general: np.ndarray  #: general performance factor of the period
    behaviour: np.ndarray  #: (n, 7) true performance on the BerAKHLAK dimensions
    results: np.ndarray  #: true work results (hasil kerja)
    quality: np.ndarray  #: true unmeasured service quality
    recency_shock: np.ndarray  #: standard-normal part of within-period swings that recency bias picks up
    gaming: np.ndarray  #: gaming effort in [0, 1] (0 unless behaviour responds, see dynamics)
    #: Per employee, the standard-normal shock of their work unit that their indicators share
    #: (the indicators' contamination), and the noise in their unit's organisational achievement.
    #: Set by :func:`simulate.cycle.simulate_period`; the metrics use them to tell the unit's share
    #: of score variance from the rater's. ``None`` for a truth that has no units (e.g. a test's).
    unit_shock: np.ndarray | None = None
    unit_org_noise: np.ndarray | None = None

    @property
    def overall(self) -> np.ndarray:
        """True overall performance: mean of work results and mean behaviour (the metrics' yardstick)."""
        return 0.5 * self.results + 0.5 * self.behaviour.mean(axis=1)

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame({
            "employee_id": self.employee_id, "ability": self.ability, "effort": self.effort,
            "general": self.general, "results": self.results, "quality": self.quality,
            "overall": self.overall, "gaming": self.gaming,
        })
        for j, dim in enumerate(BEHAVIOUR_DIMENSIONS):
            df[f"behaviour_{dim}"] = self.behaviour[:, j]
        if self.unit_shock is not None:
            df["unit_shock"] = self.unit_shock  # the contamination the employee's indicators share
        return df

    def summary(self) -> pd.DataFrame:
        return _describe({"ability": self.ability, "effort": self.effort, "general": self.general,
                          "results": self.results, "quality": self.quality, "overall": self.overall})

    def _repr_html_(self) -> str:
        return frame_html(f"Truth (hidden) of {len(self.employee_id):,} employees", self.summary())


@dataclass(frozen=True, eq=False)
class Evidence:
    """What an appraisal system can observe in one period.

    Latent ratings are in SD of true performance; map them with :mod:`simulate.scales`.
    """

    employees: pd.DataFrame  #: observable attributes (see :mod:`simulate.population`)
    indicators: pd.DataFrame  #: one row per (opd_kind, slot): name, label, unit, lower_is_better, main
    realisation: np.ndarray  #: (n, K) realised indicator values, natural units
    target: np.ndarray  #: (n, K) SKP targets, natural units
    capaian: np.ndarray  #: (n, K) achievement in percent (PermenPANRB 8/2021 rule)
    lower_is_better: np.ndarray  #: (n, K) bool
    main: np.ndarray  #: (n, K) bool: main result (hasil kerja utama)
    supervisor_behaviour: np.ndarray  #: (n, 7) latent rating by the direct superior
    supervisor_results: np.ndarray  #: (n,) latent judgement of work results by the superior
    peer_behaviour: np.ndarray  #: (n, 7) mean latent rating of the peers (NaN without peers)
    n_peers: np.ndarray  #: (n,) number of peer ratings
    subordinate_behaviour: np.ndarray  #: (n, 7) mean latent rating by direct subordinates (NaN if none)
    n_subordinates: np.ndarray  #: (n,) number of subordinate ratings
    self_behaviour: np.ndarray  #: (n, 7) latent self-rating
    self_results: np.ndarray  #: (n,) latent self-assessment of results
    daily_log_points: np.ndarray  #: (n,) points from daily activity logs (self-reported, verified)
    citizen_rating: np.ndarray  #: (n,) mean 1-4 citizen rating of counter staff (NaN if none)
    unit_ikm: np.ndarray  #: (n,) converted IKM 25-100 of the employee's service point (NaN if none)
    unit_complaints_per_1000: np.ndarray  #: (n,) complaints per 1,000 visits at the service point
    org_capaian: np.ndarray  #: (n,) organisational achievement of the employee's unit, percent
    late_days: np.ndarray  #: (n, 4) late days in bands TL1-TL4 over the period
    absent_days: np.ndarray  #: (n,) unexcused absence days over the period
    new_idea: np.ndarray  #: (n,) bool: credited with a new idea or method (PP 30/2019)
    extra_tasks: np.ndarray  #: (n,) additional tasks (tugas tambahan) in the period
    rater_rotates: np.ndarray  #: (n,) bool: the superior rotates the top slot under quotas
    turn_order: np.ndarray  #: (n,) rank in the superior's rotation this period (0 = first)
    service_points: pd.DataFrame  #: observable per service point: visits, waits, IKM, complaints (lazy, see below)
    scales: ScaleParams  #: how latent ratings map to 0-100, 1-5 and the three 2022 levels
    period: int = 0
    period_months: int = 12
    extras: dict = field(default_factory=dict)  #: room for scenario-specific evidence
    #: What the employee table fixes (groups, pools, column arrays), shared by every period and
    #: arm of a population; built here from ``employees`` when not given or given for another table.
    structure: Structure | None = field(default=None, repr=False, compare=False)
    #: Results derived from this period's evidence and nothing else (a base policy's appraisal
    #: reused by a composite policy, the TPP scheme's policy-independent amounts). ``init=False``:
    #: ``dataclasses.replace`` gives the new evidence an empty one, so a changed copy never sees
    #: results of the original.
    derived: Derived = field(default_factory=Derived, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.structure is None or not self.structure.belongs_to(self.employees):
            object.__setattr__(self, "structure", Structure(self.employees))

    @property
    def n(self) -> int:
        return len(self.employees)

    def indicator_frame(self) -> pd.DataFrame:
        """Long format: one row per employee and indicator held."""
        n, k = self.capaian.shape
        rows = np.repeat(np.arange(n), k)
        slots = np.tile(np.arange(k), n)
        keep = ~np.isnan(self.capaian.ravel())
        kinds = self.employees["opd_kind"].to_numpy()[rows[keep]]
        ind = self.indicators.set_index(["opd_kind", "slot"])
        names = ind["name"].reindex(list(zip(kinds, slots[keep]))).to_numpy()
        return pd.DataFrame({
            "employee_id": self.employees["employee_id"].to_numpy()[rows[keep]],
            "indicator": names,
            "realisation": self.realisation.ravel()[keep],
            "target": self.target.ravel()[keep],
            "capaian": self.capaian.ravel()[keep],
            "lower_is_better": self.lower_is_better.ravel()[keep],
            "main": self.main.ravel()[keep],
        })

    def to_frame(self) -> pd.DataFrame:
        """One row per employee: attributes plus the main evidence (latent ratings averaged)."""
        df = self.employees.copy()
        df["supervisor_behaviour"] = self.supervisor_behaviour.mean(axis=1)
        df["supervisor_results"] = self.supervisor_results
        df["peer_behaviour"] = _row_nanmean(self.peer_behaviour)
        df["self_behaviour"] = self.self_behaviour.mean(axis=1)
        df["capaian_mean"] = _row_nanmean(self.capaian)
        df["unit_ikm"] = self.unit_ikm
        df["org_capaian"] = self.org_capaian
        df["late_days"] = self.late_days.sum(axis=1)
        df["absent_days"] = self.absent_days
        df["new_idea"] = self.new_idea
        return df

    def summary(self) -> pd.DataFrame:
        return _describe({
            "supervisor rating (latent, mean of 7)": self.supervisor_behaviour.mean(axis=1),
            "supervisor results judgement (latent)": self.supervisor_results,
            "self rating (latent, mean of 7)": self.self_behaviour.mean(axis=1),
            "capaian (percent, mean over indicators)": _row_nanmean(self.capaian),
            "unit IKM (25-100)": self.unit_ikm,
            "late days in period": self.late_days.sum(axis=1),
        })

    def _repr_html_(self) -> str:
        return frame_html(f"Evidence for {self.n:,} employees (period {self.period})", self.summary(),
                          "What the appraisal system sees; true performance is not here.")

    def field_names(self) -> list[str]:
        """The constructor's fields (what ``Evidence(**...)`` takes)."""
        return [f.name for f in fields(self) if f.init]


#: The service-point table may be given as its columns and is then built on first access
#: (:mod:`simulate.frames`): no built-in policy reads it, and multi-period runs make one per arm.
Evidence.service_points = LazyFrame("service_points")
