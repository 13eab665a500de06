"""No evidence column reveals the hidden truth: policies see only what an appraisal system could observe.

For every numeric column of every evidence field (employee arrays, each indicator slot, each
rating dimension, the employee table, the service-point table) the best linear prediction of
each part of the truth from that single column must leave a clear residual. A column that is a
noise-free function of the truth (as the staff's true service rate once was at one-clerk
points: it recovered their performance to 1e-15) fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulate import citizens
from simulate.assemble import scenario_from_dict
from simulate.cycle import simulate_period

#: Smallest share of a truth component's variance that any single evidence column must leave
#: unexplained by a linear fit. Real evidence leaves far more (the best is an indicator with
#: validity .9 and reliability .9); a leak leaves rounding error.
MIN_RESIDUAL = 0.05


def _residual_share(x: np.ndarray, y: np.ndarray) -> float:
    """Share of ``var(y)`` left after the least-squares fit ``y ~ 1 + x`` (on rows where ``x`` is finite)."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok].astype(float), y[ok].astype(float)
    if len(x) < 30 or np.ptp(x) == 0 or np.var(y) == 0:
        return 1.0
    r = np.corrcoef(x, y)[0, 1]
    return float(1.0 - r * r)


def _employee_columns(ev) -> dict[str, np.ndarray]:
    """Every per-employee numeric evidence column, one array each."""
    out: dict[str, np.ndarray] = {}
    for name in ev.field_names():
        value = getattr(ev, name)
        if name in ("employees", "indicators", "service_points", "scales", "structure", "extras") or \
                not isinstance(value, np.ndarray) or value.shape[:1] != (ev.n,):
            continue
        value = value.astype(float) if value.dtype.kind in "biuf" else None
        if value is None:
            continue
        if value.ndim == 1:
            out[name] = value
        else:
            for j in range(value.shape[1]):
                out[f"{name}[{j}]"] = value[:, j]
    for col in ev.employees.columns:
        s = ev.employees[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            out[f"employees.{col}"] = s.to_numpy(dtype=float)
    return out


@pytest.fixture(scope="module")
def period(baseline):
    data = baseline.model_dump(mode="json")
    data["population"]["n_employees"] = 6000
    data["citizens"]["citizen_ratings_per_staff"] = 2.0  # so the citizen-rating column is populated
    return simulate_period(scenario_from_dict(data), 17)


def test_no_employee_evidence_column_is_a_function_of_the_truth(period):
    ev, tr = period.evidence, period.truth
    targets = {"overall": tr.overall, "results": tr.results, "general": tr.general, "quality": tr.quality,
               "ability": tr.ability, "effort": tr.effort,
               **{f"behaviour[{j}]": tr.behaviour[:, j] for j in range(tr.behaviour.shape[1])}}
    columns = _employee_columns(ev)
    assert len(columns) > 40  # every rating dimension, indicator slot and table column is covered
    worst = min((_residual_share(x, y), c, t) for c, x in columns.items() for t, y in targets.items())
    assert worst[0] > MIN_RESIDUAL, f"evidence column {worst[1]} predicts truth {worst[2]}: residual {worst[0]:.2g}"


def test_no_service_point_column_reveals_the_counter_staff(baseline):
    """At one-clerk points the point's columns are that person's: none may give away their performance.

    A region has a few points of each kind, so the points of 30 regions (seeds) are pooled.
    """
    data = baseline.model_dump(mode="json")
    data["population"]["n_employees"] = 3000
    scenario = scenario_from_dict(data)
    frames = []
    for seed in range(30):
        p = simulate_period(scenario, seed)
        pts = citizens.point_structure(p.population, scenario.citizens.services)
        perf = citizens.point_performance(pts, p.truth)
        observable = p.evidence.service_points
        assert not set(citizens.HIDDEN_COLUMNS) & set(observable.columns)
        frames.append(observable.assign(**perf, true_rate=p.service.points["service_rate_per_hour"].to_numpy()))
    points = pd.concat(frames, ignore_index=True)
    numeric = [c for c in frames[0].columns if c not in (*perf, "true_rate")
               and pd.api.types.is_numeric_dtype(points[c])]
    assert {"recorded_handling_minutes", "recorded_wait_minutes", "recorded_utilisation"} <= set(numeric)
    kinds = points["opd_kind"].astype(str).to_numpy()
    for kind in np.unique(kinds):  # within a kind: each kind has its own mean handling time
        rows = points[kinds == kind]
        assert len(rows) >= 30
        for c in numeric:
            x = rows[c].to_numpy(dtype=float)
            for t in ("server_performance", "staff_performance", "quality"):
                y = rows[t].to_numpy()
                # log as well as raw: the rate is exponential in performance
                for xs in (x, np.log(np.where(x > 0, x, np.nan))):
                    share = _residual_share(xs, y)
                    assert share > MIN_RESIDUAL, f"{kind}: service-point column {c} predicts {t}: residual {share:.2g}"
        # The hidden true rate would have failed: within a kind it is exact in the servers' truth.
        assert _residual_share(np.log(rows["true_rate"].to_numpy()), rows["server_performance"].to_numpy()) < 1e-9
