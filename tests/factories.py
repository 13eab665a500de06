"""Hand-built evidence for oracle tests: every field a neutral default unless a test sets it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulate.evidence import Evidence
from simulate.scenario.schema import ScaleParams


def evidence(employees: pd.DataFrame, indicators: pd.DataFrame, capaian: np.ndarray, **fields) -> Evidence:
    """An :class:`Evidence` of ``len(employees)`` people and ``capaian.shape[1]`` indicator slots.

    Unset fields are neutral: latent ratings 0 (no peers or subordinates), no citizen
    evidence, organisational achievement 100 %, no lateness, absence, ideas or extra tasks,
    nobody rotating, targets of 100 realised as the capaian says, the scenario's default scales.
    """
    n, k = np.shape(capaian)
    present = ~np.isnan(capaian)
    target = fields.pop("target", np.where(present, 100.0, np.nan))
    defaults = dict(
        realisation=capaian * target / 100.0, target=target,
        lower_is_better=np.zeros((n, k), dtype=bool), main=present,
        supervisor_behaviour=np.zeros((n, 7)), supervisor_results=np.zeros(n),
        peer_behaviour=np.full((n, 7), np.nan), n_peers=np.zeros(n, dtype=np.int64),
        subordinate_behaviour=np.full((n, 7), np.nan), n_subordinates=np.zeros(n, dtype=np.int64),
        self_behaviour=np.zeros((n, 7)), self_results=np.zeros(n), daily_log_points=np.zeros(n),
        citizen_rating=np.full(n, np.nan), unit_ikm=np.full(n, np.nan), unit_complaints_per_1000=np.full(n, np.nan),
        org_capaian=np.full(n, 100.0), late_days=np.zeros((n, 4), dtype=np.int64),
        absent_days=np.zeros(n, dtype=np.int64), new_idea=np.zeros(n, dtype=bool),
        extra_tasks=np.zeros(n, dtype=np.int64), rater_rotates=np.zeros(n, dtype=bool),
        turn_order=np.zeros(n, dtype=np.int64), service_points=pd.DataFrame(), scales=ScaleParams(),
    )
    unknown = set(fields) - set(defaults)
    if unknown:
        raise TypeError(f"evidence(): unknown field(s) {sorted(unknown)}")
    return Evidence(employees=employees, indicators=indicators, capaian=capaian, **(defaults | fields))
