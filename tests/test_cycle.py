"""One period end to end: reproducibility, common random numbers, truth kept apart."""

from __future__ import annotations

import dataclasses

import numpy as np

from simulate.cycle import simulate_period
from simulate.evidence import Evidence, Truth


def _arrays(ev: Evidence) -> dict:
    return {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)
            if isinstance(getattr(ev, f.name), np.ndarray)}


def test_same_seed_same_evidence_bit_for_bit(small):
    a = simulate_period(small, seed=42).evidence
    b = simulate_period(small, seed=42).evidence
    for name, arr in _arrays(a).items():
        np.testing.assert_array_equal(arr, getattr(b, name), err_msg=name)
    assert a.employees.equals(b.employees)
    assert a.service_points.equals(b.service_points)


def test_different_seed_differs(small):
    a = simulate_period(small, seed=1).evidence
    b = simulate_period(small, seed=2).evidence
    assert not np.array_equal(a.supervisor_behaviour, b.supervisor_behaviour)


def test_stages_draw_from_their_own_streams(small):
    """Changing the citizens' parameters leaves every rating and indicator untouched."""
    other = small.model_copy(update={"citizens": small.citizens.model_copy(update={"surveys_per_year": 12})})
    a = simulate_period(small, seed=5).evidence
    b = simulate_period(other, seed=5).evidence
    np.testing.assert_array_equal(a.supervisor_behaviour, b.supervisor_behaviour)
    np.testing.assert_array_equal(a.capaian, b.capaian)
    assert not np.array_equal(a.unit_ikm, b.unit_ikm, equal_nan=True)


def test_evidence_holds_no_truth(period):
    ev = period.evidence
    truth_fields = {f.name for f in dataclasses.fields(Truth)} - {"employee_id"}
    assert not truth_fields & set(ev.field_names())
    assert not truth_fields & set(ev.employees.columns)
    assert "nip" not in ev.employees.columns
    assert "satisfaction_true" not in ev.service_points.columns


def test_evidence_shapes_and_ranges(period):
    ev = period.evidence
    n = ev.n
    assert ev.supervisor_behaviour.shape == (n, 7)
    assert ev.capaian.shape == ev.target.shape == ev.realisation.shape
    counter = ~np.isnan(ev.unit_ikm)
    assert ((ev.unit_ikm[counter] >= 25) & (ev.unit_ikm[counter] <= 100)).all()
    assert counter.sum() == ev.employees["service_point_id"].ge(0).sum()
    assert (ev.late_days >= 0).all() and (ev.absent_days >= 0).all()
    kinds = set(ev.employees.loc[counter, "opd_kind"].astype(str))
    assert kinds <= {"dukcapil", "puskesmas", "kecamatan"}


def test_result_objects_display_themselves(period):
    for obj in (period, period.truth, period.evidence, period.population, period.service):
        html = obj._repr_html_()
        assert "<table" in html
        assert len(obj.summary()) > 0
    assert len(period.evidence.to_frame()) == period.evidence.n
    long = period.evidence.indicator_frame()
    assert set(long.columns) >= {"employee_id", "indicator", "capaian"}
    assert long["indicator"].notna().all()


def test_a_changed_copy_of_the_evidence_never_sees_cached_results(small):
    from simulate.policies import apply_policy

    ev = simulate_period(small, seed=9).evidence
    first = apply_policy(ev, "pp30_2019")
    changed = dataclasses.replace(ev, capaian=ev.capaian * 0.5)
    assert len(changed.derived) == 0 and len(ev.derived) > 0
    again = apply_policy(changed, "pp30_2019")
    assert again.score.mean() < first.score.mean()


def _arm_truth(period, shift):
    """Another arm's truth for the same period: abler, harder-working, gaming people."""
    from simulate.dynamics import initial_state, period_truth

    state = initial_state(period.population, period.truth)
    rng = np.random.default_rng(shift)
    state = dataclasses.replace(state, ability=state.ability + 0.5 * rng.random(period.population.n),
                                effort=np.clip(state.effort + 0.2, 0, 0.99), gaming=0.3 * rng.random(period.population.n))
    return period_truth(period.population, period.scenario, 9, 1, state)


def test_a_shared_plan_gives_the_same_evidence_as_drawing_afresh(small):
    """Policy arms compose one period's draws with their own truth: exactly what a fresh draw gives."""
    from simulate.cycle import plan_period

    first = simulate_period(small, seed=9)
    truth = _arm_truth(first, 1)
    fresh = simulate_period(small, seed=9, period=1, population=first.population, truth=truth).evidence
    plan = plan_period(small, 9, 1, first.population)
    for _ in range(2):  # composing does not change the plan
        planned = simulate_period(small, seed=9, period=1, population=first.population, truth=truth, plan=plan).evidence
        for name, arr in _arrays(fresh).items():
            np.testing.assert_array_equal(arr, getattr(planned, name), err_msg=name)
        assert fresh.service_points.equals(planned.service_points)


def test_arms_on_one_plan_share_their_random_numbers(small):
    """Two arms' evidence differs only through their truth: identical truth-free parts, CRN elsewhere."""
    from simulate.cycle import plan_period

    first = simulate_period(small, seed=9)
    plan = plan_period(small, 9, 1, first.population)
    a = simulate_period(small, plan=plan, truth=_arm_truth(first, 1))
    b = simulate_period(small, plan=plan, truth=_arm_truth(first, 2))
    np.testing.assert_array_equal(a.evidence.lower_is_better, b.evidence.lower_is_better)
    np.testing.assert_array_equal(a.evidence.main, b.evidence.main)
    np.testing.assert_array_equal(a.evidence.turn_order, b.evidence.turn_order)
    np.testing.assert_array_equal(a.evidence.extra_tasks, b.evidence.extra_tasks)
    np.testing.assert_array_equal(a.evidence.rater_rotates, b.evidence.rater_rotates)
    assert not np.array_equal(a.evidence.capaian, b.evidence.capaian, equal_nan=True)
    # The rating noise is common: the arms' supervisor ratings differ by far less than two draws.
    other = simulate_period(small, seed=10, period=1, population=first.population, truth=a.truth)
    d_common = np.nanstd(a.evidence.supervisor_behaviour - b.evidence.supervisor_behaviour)
    d_fresh = np.nanstd(a.evidence.supervisor_behaviour - other.evidence.supervisor_behaviour)
    assert d_common < 0.5 * d_fresh


def test_a_plan_must_fit_the_scenario_and_be_kept(small):
    import pytest

    from simulate.cycle import plan_period

    first = simulate_period(small, seed=9)
    other = small.model_copy(update={"seed": 3})
    with pytest.raises(ValueError, match="same scenario"):
        simulate_period(other, plan=plan_period(small, 9, 1, first.population), truth=first.truth)
    with pytest.raises(ValueError, match="shared=True"):
        simulate_period(small, plan=plan_period(small, 9, 1, first.population, shared=False), truth=first.truth)
