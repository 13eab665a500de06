"""Service points of a population: one per counter-service OPD, and who serves at its counter.

The structure (which OPDs are points, which staff serve at the counter, how many) depends on
the employee table and the scenario's ``counter_share`` only, so it is derived once per
population (:class:`simulate.structure.Structure`) and shared by every period and arm; what
the counter staff achieve in a period (:func:`point_performance`) depends on the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.evidence import Truth
from simulate.population import Population
from simulate.raters import sibling_positions
from simulate.scenario.schema import COUNTER_KINDS, ServiceParams

__all__ = ["PointStructure", "point_structure", "point_performance", "service_points"]


@dataclass(frozen=True, eq=False)
class PointStructure:
    """Who serves where: the truth-independent part of the service points (arrays read-only)."""

    opd: np.ndarray  #: OPD row of each employee
    is_point: np.ndarray  #: per OPD: whether it is a service point
    counter: np.ndarray  #: per employee: serves at the counter of a point
    counter_count: np.ndarray  #: per OPD: counter staff (at least 1)
    staff_count: np.ndarray  #: per OPD: employees (at least 1)
    points: pd.DataFrame  #: per point: ``point_id``, ``opd_kind``, ``n_staff``, ``n_servers``

    @property
    def n_opds(self) -> int:
        return len(self.is_point)


def _key(services: dict[str, ServiceParams]) -> tuple:
    return tuple((k, spec.counter_share) for k, spec in services.items())


def point_structure(population: Population, services: dict[str, ServiceParams]) -> PointStructure:
    """The service points of ``population`` under the scenario's ``services`` (derived once).

    The counter staff of a point are the first ``counter_share`` of its staff (at least one);
    employees are assigned to OPD ranks at random, so this is a random choice of staff.
    """
    return population.structure.derive(("citizens.points", _key(services)), lambda: _build(population, services))


def _demand_share(kind: np.ndarray, staff: np.ndarray) -> np.ndarray:
    """Each point's share of its kind's demand in the region: its staff over the kind's staff."""
    _, codes = np.unique(kind, return_inverse=True)
    total = np.bincount(codes, weights=staff)
    return staff / np.maximum(total[codes], 1)


def _build(population: Population, services: dict[str, ServiceParams]) -> PointStructure:
    e = population.employees
    opds = population.opds
    kind = opds["opd_kind"].astype(str).to_numpy()
    is_point = np.isin(kind, [k for k in COUNTER_KINDS if k in services])
    # counter share per OPD kind, gathered per OPD (a loop over the three kinds, not the OPDs)
    share = np.zeros(len(kind))
    for k, spec in services.items():
        share[kind == k] = spec.counter_share
    n_servers_opd = np.where(is_point, np.maximum(1, np.rint(share * opds["n_employees"].to_numpy())), 0).astype(np.int64)

    opd = e["opd_id"].to_numpy()
    staff = e["level"].to_numpy() == 0
    # Rank of each staff member among the staff of the OPD (heads get a large key).
    key = np.where(staff, opd, -1)
    _, pos, _ = sibling_positions(key)
    counter = staff & (pos < n_servers_opd[opd])
    # Tiny OPDs without staff: the head serves.
    no_staff = np.bincount(opd[staff], minlength=len(opds)) == 0
    counter |= (e["level"].to_numpy() > 0) & no_staff[opd] & is_point[opd] & (e["superior_id"].to_numpy() < 0)
    n_servers = np.bincount(opd[counter], minlength=len(opds))
    n_opds = len(opds)
    out = PointStructure(
        opd=opd, is_point=is_point, counter=counter,
        counter_count=np.maximum(np.bincount(opd[counter], minlength=n_opds), 1),
        staff_count=np.maximum(np.bincount(opd, minlength=n_opds), 1),
        points=pd.DataFrame({
            "point_id": opds["opd_id"].to_numpy()[is_point],
            "opd_kind": kind[is_point],
            "n_staff": opds["n_employees"].to_numpy()[is_point],
            "n_servers": np.maximum(n_servers, 1)[is_point],
            "demand_share": _demand_share(kind[is_point], opds["n_employees"].to_numpy()[is_point]),
            "region_employees": np.full(int(is_point.sum()), population.n, dtype=np.int64),
        }),
    )
    for a in (out.is_point, out.counter, out.counter_count, out.staff_count):
        a.flags.writeable = False
    return out


def point_performance(structure: PointStructure, truth: Truth) -> dict[str, np.ndarray]:
    """Per service point: mean performance of the counter staff and of all staff, and quality."""
    opd, counter, is_point, n_opds = structure.opd, structure.counter, structure.is_point, structure.n_opds

    def opd_mean(values: np.ndarray, mask: np.ndarray | None, count: np.ndarray) -> np.ndarray:
        if mask is None:
            s = np.bincount(opd, weights=values, minlength=n_opds)
        else:
            s = np.bincount(opd[mask], weights=values[mask], minlength=n_opds)
        return (s / count)[is_point]

    return {
        "server_performance": opd_mean(truth.general, counter, structure.counter_count),
        "staff_performance": opd_mean(truth.general, None, structure.staff_count),
        "quality": opd_mean(truth.quality, None, structure.staff_count),
    }


def service_points(population: Population, truth: Truth, services: dict[str, ServiceParams]) -> tuple[pd.DataFrame, np.ndarray]:
    """Service points with their staff's performance this period, and a mask of counter staff."""
    st = point_structure(population, services)
    return st.points.assign(**point_performance(st, truth)), st.counter
