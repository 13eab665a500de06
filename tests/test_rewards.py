"""Follow-up schemes (simulate.rewards): TPP, angka kredit, career path.

Oracle numbers come from domain/regulations.md: Permentan 68/2012 deduction rates (5.2), the
KLHK 90/85/80 % and Bakamla -1/-2 % predikat cuts (5.2), the PerBKN 3/2023 credit examples
(1.7) and the PP 30/2019 6-month -> 1-year -> dismissal path (2.3).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.errors import ScenarioError
from simulate.policies.base import Appraisal
from simulate.predikat import PREDIKAT
from simulate.rewards import FollowUp, apply_reward, get_reward, list_rewards, validate_reward_params
from simulate.rewards.base import as_history
from simulate.rewards.career import pp30_step, run_length
from simulate.scenario.schema import DEFAULT_REWARDS

SB, B, BP, K, SK = range(5)


# --------------------------------------------------------------------------------------------
# Fixtures: the test preset's real evidence, and small hand-made populations
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(test_period):
    return test_period


@pytest.fixture(scope="module")
def appraisal(real):
    """The pp30_2019 policy's appraisal of the test preset's period."""
    from simulate.policies.base import apply_policy

    return apply_policy(real.evidence, "pp30_2019")


def _appraisal(ids, predikat, policy="p") -> Appraisal:
    ids = np.asarray(ids, dtype=np.int64)
    return Appraisal(policy, policy, ids, np.full(len(ids), np.nan), np.asarray(predikat, dtype=np.int8))


def _people(rows) -> pd.DataFrame:
    """A population frame from ``(position_type, golongan[, status[, opd_kind]])`` rows, ids 0..k-1."""
    rows = [tuple(r) + ("PNS", "back_office")[len(r) - 2:] for r in rows]
    return pd.DataFrame({
        "employee_id": np.arange(len(rows), dtype=np.int64),
        "position_type": [r[0] for r in rows], "golongan": [r[1] for r in rows],
        "status": [r[2] for r in rows], "opd_kind": [r[3] for r in rows],
    })


def _evidence(real, months=12, late=None, absent=None, period=0):
    """The real evidence with its discipline records and period replaced."""
    ev = real.evidence
    n = ev.n
    late_arr = np.zeros((n, 4)) if late is None else np.broadcast_to(np.asarray(late, float), (n, 4)).copy()
    absent_arr = np.zeros(n) if absent is None else np.broadcast_to(np.asarray(absent, float), (n,)).copy()
    return replace(ev, late_days=late_arr, absent_days=absent_arr, period_months=months, period=period)


# --------------------------------------------------------------------------------------------
# Registry and parameters
# --------------------------------------------------------------------------------------------


def test_default_schemes_are_registered_with_valid_defaults():
    assert set(DEFAULT_REWARDS) <= set(list_rewards())
    for name in DEFAULT_REWARDS:
        info = get_reward(name)
        assert info.label and info.reference
        assert isinstance(validate_reward_params(name, None), info.params)
        for field, spec in info.params.model_fields.items():
            assert spec.description, f"{name}.{field} has no description"


def test_unknown_scheme_suggests_the_closest_name():
    with pytest.raises(ScenarioError, match="unknown reward scheme 'tppp'; did you mean 'tpp'"):
        get_reward("tppp")


@pytest.mark.parametrize(
    ("rule", "params", "expected"),
    [
        ("tpp", {"productivity_share": 1.5}, "rewards[0].params.productivity_share: must be <= 1.0, got 1.5"),
        ("tpp", {"productivity_shar": 0.5}, "rewards[0].params.productivity_shar: unknown key; did you mean 'productivity_share'?"),
        ("tpp", {"budget_cap_idr": -1}, "rewards[0].params.budget_cap_idr: must be >= 0.0, got -1"),
        ("tpp", {"predikat_scheme": "kemenkeu"}, "rewards[0].params.predikat_scheme: must be one of"),
        ("tpp", {"predikat_paid_percent": {"sangat_baik": 100, "baik": 100}},
         "rewards[0].params.predikat_paid_percent: missing butuh_perbaikan / kurang / sangat_kurang"),
        ("tpp", {"predikat_paid_percent": {"sangat_baik": 90, "baik": 100, "butuh_perbaikan": 90, "kurang": 85, "sangat_kurang": 80}},
         "rewards[0].params.predikat_paid_percent: a worse predikat must never be paid more"),
        ("tpp", {"exclude_opd_kinds": ["sekolah"]}, "rewards[0].params.exclude_opd_kinds: unknown OPD kind 'sekolah'"),
        ("tpp", {"amounts_table": "no_such_table"}, "rewards[0].params.amounts_table: reference table 'no_such_table' not found"),
        ("angka_kredit", {"coefficients": {"ahli_pertma": 12.5}}, "rewards[0].params.coefficients: unknown jenjang 'ahli_pertma'"),
        ("angka_kredit", {"decimals": -1}, "rewards[0].params.decimals: must be >= 0, got -1"),
        ("career", {"training_cost_idr": "mahal"}, "rewards[0].params.training_cost_idr: must be a number, got 'mahal'"),
        ("career", {"poor_from": "baik"}, "rewards[0].params.poor_from: must be one of"),
        ("career", {"talent_pool_periods": 0}, "rewards[0].params.talent_pool_periods: must be >= 1, got 0"),
    ],
    ids=["share>1", "typo", "negative-cap", "unknown-scheme", "mapping-incomplete", "mapping-rises",
         "unknown-opd", "unknown-table", "unknown-jenjang", "negative-decimals", "wrong-type", "bad-literal",
         "zero-periods"],
)
def test_bad_params_name_the_field(rule, params, expected):
    with pytest.raises(ScenarioError) as info:
        validate_reward_params(rule, params, where="rewards[0].params")
    assert any(line.startswith(expected) for line in info.value.problems), info.value.problems


def test_scenario_check_reports_reward_problems():
    from simulate.errors import ScenarioError
    from simulate.assemble import scenario_from_dict

    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"rewards": [{"name": "tpp", "params": {"productivity_share": 2}},
                                        {"name": "karir", "scheme": "careeer"}]})
    problems = info.value.problems
    assert "rewards[0].params.productivity_share: must be <= 1.0, got 2" in problems
    assert any(p.startswith("rewards[1].scheme: unknown reward scheme 'careeer'; did you mean 'career'") for p in problems)


# --------------------------------------------------------------------------------------------
# TPP: oracle cases
# --------------------------------------------------------------------------------------------

# (situation, late TL1-TL4, absent days, months, predikat, params, expected deduction %, paid / (A x months))
TPP_CASES = [
    ("2 x TL1 + 1 x TL4 in a month cut 3 % of the discipline component",
     [2, 0, 0, 1], 0, 1, B, {}, 3.0, 0.6 + 0.4 * 0.97),
    ("one TL2 and one TL3 cut 2.5 %", [0, 1, 1, 0], 0, 1, B, {}, 2.5, 0.6 + 0.4 * 0.975),
    ("one absent day cuts 4 %", [0, 0, 0, 0], 1, 1, B, {}, 4.0, 0.6 + 0.4 * 0.96),
    ("a year with 24 TL1 and 12 TL4 is 3 % every month", [24, 0, 0, 12], 0, 12, B, {}, 3.0, 0.6 + 0.4 * 0.97),
    ("30 absent days in a month lose the whole discipline component and no more",
     [0, 0, 0, 0], 30, 1, B, {}, 100.0, 0.6),
    ("Sangat Baik is paid in full", [0, 0, 0, 0], 0, 12, SB, {}, 0.0, 1.0),
    ("KLHK: Butuh Perbaikan is paid 90 % of productivity", [0, 0, 0, 0], 0, 12, BP, {}, 0.0, 0.6 * 0.90 + 0.4),
    ("KLHK: Kurang is paid 85 % of productivity", [0, 0, 0, 0], 0, 12, K, {}, 0.0, 0.6 * 0.85 + 0.4),
    ("KLHK: Sangat Kurang is paid 80 % of productivity", [0, 0, 0, 0], 0, 12, SK, {}, 0.0, 0.6 * 0.80 + 0.4),
    ("KLHK on the whole tukin: Sangat Kurang is paid 80 %", [0, 0, 0, 0], 0, 12, SK,
     {"predikat_applies_to": "total"}, 0.0, 0.80),
    ("Bakamla: Butuh Perbaikan is not cut", [0, 0, 0, 0], 0, 1, BP, {"predikat_scheme": "bakamla"}, 0.0, 1.0),
    ("Bakamla: Kurang loses 1 % of productivity", [0, 0, 0, 0], 0, 1, K, {"predikat_scheme": "bakamla"}, 0.0, 0.6 * 0.99 + 0.4),
    ("Bakamla: Sangat Kurang loses 2 %", [0, 0, 0, 0], 0, 1, SK, {"predikat_scheme": "bakamla"}, 0.0, 0.6 * 0.98 + 0.4),
    ("predikat cut and lateness add up", [2, 0, 0, 1], 0, 1, SK, {}, 3.0, 0.6 * 0.80 + 0.4 * 0.97),
    ("a 70/30 split moves the cut", [2, 0, 0, 1], 0, 1, B, {"productivity_share": 0.7}, 3.0, 0.7 + 0.3 * 0.97),
    ("no discipline deductions when switched off", [5, 5, 5, 5], 3, 1, B, {"discipline_deductions": False}, 0.0, 1.0),
]


@pytest.mark.parametrize(("situation", "late", "absent", "months", "predikat", "params", "deduction", "share"),
                         TPP_CASES, ids=[c[0] for c in TPP_CASES])
def test_tpp_oracle(real, situation, late, absent, months, predikat, params, deduction, share):
    people = _people([("pelaksana", "III/b"), ("fungsional", "IV/a"), ("jpt", "IV/c"), ("fungsional", "PPPK-IX", "PPPK")])
    ev = _evidence(real, months=months, late=late, absent=absent)
    f = apply_reward(_appraisal(people["employee_id"], [predikat] * 4), people, ev, "tpp", params)
    e = f.employees
    np.testing.assert_allclose(e["discipline_deduction_percent"], deduction)
    np.testing.assert_allclose(e["paid_idr"], share * e["amount_idr_per_month"] * months, rtol=1e-12)
    assert f.total_cost_idr == pytest.approx(e["paid_idr"].sum(), rel=1e-12)
    assert f.baseline_cost_idr == pytest.approx((e["amount_idr_per_month"] * months).sum(), rel=1e-12)


def test_tpp_class_amounts_come_from_the_table(real):
    people = _people([("pelaksana", "III/b"), ("fungsional", "IV/a"), ("jpt", "IV/c"), ("fungsional", "PPPK-IX", "PPPK"),
                      ("fungsional", "II/c", "PNS", "pendidikan")])
    f = apply_reward(_appraisal(people["employee_id"], [B] * 5), people, _evidence(real), "tpp",
                     {"amount_scale": 2.0, "exclude_opd_kinds": ["pendidikan"]})
    # tpp_amounts.csv: pelaksana III 2.25 M, fungsional IV 4 M, jpt 15 M; PPPK-IX takes group III (3 M).
    np.testing.assert_allclose(f.employees["amount_idr_per_month"], [4.5e6, 8e6, 30e6, 6e6, 0.0])
    assert f.employees["golongan_group"].tolist() == ["III", "IV", "IV", "III", "II"]
    assert f.employees["eligible"].tolist() == [True, True, True, True, False]


def test_tpp_cuts_add_up_to_the_saving(real, appraisal):
    f = apply_reward(appraisal, real.population, real.evidence, "tpp", {"budget_cap_idr": 1e10})
    t = f.totals
    assert -f.cost_vs_baseline_idr == pytest.approx(
        t["predikat_cut_idr"] + t["discipline_deduction_idr"] + t["cap_reduction_idr"], rel=1e-12)
    assert t["predikat_cut_idr"] >= 0 and t["discipline_deduction_idr"] > 0 and t["cap_reduction_idr"] > 0


@pytest.mark.parametrize("share", [0.9, 0.5, 0.013])
def test_budget_cap_scales_to_exactly_the_cap(real, appraisal, share):
    free = apply_reward(appraisal, real.population, real.evidence, "tpp")
    cap = share * free.total_cost_idr
    capped = apply_reward(appraisal, real.population, real.evidence, "tpp", {"budget_cap_idr": cap})
    assert capped.total_cost_idr == pytest.approx(cap, rel=1e-12)
    np.testing.assert_allclose(capped.employees["paid_idr"], free.employees["paid_idr"] * share, rtol=1e-12)
    assert capped.baseline_cost_idr == free.baseline_cost_idr


def test_budget_cap_above_the_need_changes_nothing(real, appraisal):
    free = apply_reward(appraisal, real.population, real.evidence, "tpp")
    capped = apply_reward(appraisal, real.population, real.evidence, "tpp", {"budget_cap_idr": 2 * free.total_cost_idr})
    np.testing.assert_array_equal(capped.employees["paid_idr"], free.employees["paid_idr"])
    assert capped.totals["cap_factor"] == 1.0


def test_tpp_without_evidence_needs_discipline_switched_off(real):
    people = _people([("pelaksana", "III/b")])
    a = _appraisal([0], [B])
    with pytest.raises(ValueError, match="discipline deductions need the period's evidence"):
        apply_reward(a, people, None, "tpp")
    f = apply_reward(a, people, None, "tpp", {"discipline_deductions": False})
    assert f.total_cost_idr == 12 * 2_250_000


# Hypothesis: cuts never raise pay -------------------------------------------------------------

_N = 12
_people_cycle = [("pelaksana", "III/b"), ("fungsional", "IV/a"), ("pengawas", "III/d"), ("jpt", "IV/c"),
                 ("fungsional", "PPPK-X", "PPPK"), ("administrator", "IV/b")]
_codes = st.lists(st.integers(0, 4), min_size=_N, max_size=_N)
_late = st.lists(st.lists(st.integers(0, 40), min_size=4, max_size=4), min_size=_N, max_size=_N)
_schemes = st.sampled_from([{}, {"predikat_scheme": "bakamla"}, {"predikat_applies_to": "total"},
                            {"productivity_share": 0.3}])


def _tpp_paid(real, predikat, late, absent, params, months=1):
    people = _people([_people_cycle[i % len(_people_cycle)] for i in range(_N)])
    ev = _evidence(real, months=months)
    late_full, absent_full = ev.late_days.copy(), ev.absent_days.copy()
    late_full[:_N], absent_full[:_N] = late, absent
    ev = replace(ev, late_days=late_full, absent_days=absent_full)
    return apply_reward(_appraisal(people["employee_id"], predikat), people, ev, "tpp", params).employees["paid_idr"].to_numpy()


@settings(max_examples=60, deadline=None)
@given(worse=_codes, gain=_codes, late=_late, params=_schemes)
def test_better_predikat_never_pays_less(real, worse, gain, late, params):
    worse = np.array(worse)
    better = np.maximum(worse - np.array(gain), 0)
    absent = np.zeros(_N)
    paid_better = _tpp_paid(real, better, late, absent, params)
    paid_worse = _tpp_paid(real, worse, late, absent, params)
    assert np.all(paid_better >= paid_worse - 1e-6)
    assert np.all(paid_better[better < worse] >= paid_worse[better < worse])


@settings(max_examples=60, deadline=None)
@given(predikat=_codes, late=_late, extra=_late, absent=st.lists(st.integers(0, 5), min_size=_N, max_size=_N),
       more_absent=st.lists(st.integers(0, 5), min_size=_N, max_size=_N), params=_schemes,
       months=st.sampled_from([1, 3, 12]))
def test_more_late_days_or_absences_never_pay_more(real, predikat, late, extra, absent, more_absent, params, months):
    late, absent = np.array(late, float), np.array(absent, float)
    more_late, more_abs = late + np.array(extra), absent + np.array(more_absent)
    base = _tpp_paid(real, predikat, late, absent, params, months)
    assert np.all(_tpp_paid(real, predikat, more_late, absent, params, months) <= base + 1e-6)
    assert np.all(_tpp_paid(real, predikat, late, more_abs, params, months) <= base + 1e-6)
    # ... and never below the productivity part: the deduction stops at the discipline component.
    floor = _tpp_paid(real, predikat, late * 0 + 1000, absent * 0 + 1000, params, months)
    assert np.all(_tpp_paid(real, predikat, more_late, more_abs, params, months) >= floor - 1e-6)
    assert np.all(floor > 0)


@settings(max_examples=40, deadline=None)
@given(pct=st.lists(st.floats(0, 200, allow_nan=False), min_size=5, max_size=5), worse=_codes, gain=_codes)
def test_custom_predikat_mapping_is_monotone(real, pct, worse, gain):
    mapping = dict(zip(PREDIKAT, sorted(pct, reverse=True)))
    worse = np.array(worse)
    better = np.maximum(worse - np.array(gain), 0)
    late = np.zeros((_N, 4))
    params = {"predikat_paid_percent": mapping}
    assert np.all(_tpp_paid(real, better, late, np.zeros(_N), params) >= _tpp_paid(real, worse, late, np.zeros(_N), params) - 1e-6)


# --------------------------------------------------------------------------------------------
# Angka kredit
# --------------------------------------------------------------------------------------------

# (situation, position, golongan, predikat, months, expected credit)
AK_CASES = [
    ("Ahli Pertama, a year at Sangat Baik earns 150 % of 12.5 = 18.75", "fungsional", "III/a", SB, 12, 18.75),
    ("Ahli Pertama, 2 months at Baik earn 2.08", "fungsional", "III/b", B, 2, 2.08),
    ("Ahli Muda, a year at Baik earns the coefficient 25", "fungsional", "III/c", B, 12, 25.0),
    ("Ahli Madya at Butuh Perbaikan earns 75 % of 37.5 = 28.125 -> 28.13", "fungsional", "IV/a", BP, 12, 28.13),
    ("Ahli Utama at Kurang earns 50 % of 50 = 25", "fungsional", "IV/e", K, 12, 25.0),
    ("PPPK grade IX counts as Ahli Pertama: Sangat Kurang earns 25 % of 12.5 = 3.125 -> 3.13", "fungsional", "PPPK-IX", SK, 12, 3.13),
    ("Terampil, a quarter at Baik earns 5 / 4 = 1.25", "fungsional", "II/c", B, 3, 1.25),
    ("a pelaksana earns no credit", "pelaksana", "III/a", SB, 12, 0.0),
    ("a structural post earns no credit", "administrator", "IV/a", SB, 12, 0.0),
]


@pytest.mark.parametrize(("situation", "position", "golongan", "predikat", "months", "expected"),
                         AK_CASES, ids=[c[0] for c in AK_CASES])
def test_angka_kredit_oracle(real, situation, position, golongan, predikat, months, expected):
    people = _people([(position, golongan, "PPPK" if golongan.startswith("PPPK") else "PNS")])
    f = apply_reward(_appraisal([0], [predikat]), people, _evidence(real, months=months), "angka_kredit")
    assert f.employees["angka_kredit"].iloc[0] == pytest.approx(expected, abs=1e-9)
    assert f.total_cost_idr == 0.0 and f.baseline_cost_idr == 0.0
    assert f.totals["angka_kredit_total"] == pytest.approx(expected, abs=1e-9)


def test_angka_kredit_coefficient_override_and_precision(real):
    people = _people([("fungsional", "III/b")])
    f = apply_reward(_appraisal([0], [B]), people, _evidence(real, months=2), "angka_kredit",
                     {"coefficients": {"ahli_pertama": 15.0}, "decimals": None})
    assert f.employees["angka_kredit"].iloc[0] == pytest.approx(2.5, abs=1e-12)
    f = apply_reward(_appraisal([0], [B]), people, _evidence(real, months=2), "angka_kredit", {"decimals": None})
    assert f.employees["angka_kredit"].iloc[0] == pytest.approx(12.5 / 6, abs=1e-12)


# --------------------------------------------------------------------------------------------
# Career: talent pool, training, the PP 30/2019 path
# --------------------------------------------------------------------------------------------


def _career(real, history, current, months=12, period=0, status=None, positions=None, params=None):
    k = len(current)
    status = status or ["PNS"] * k
    positions = positions or ["pelaksana"] * k
    people = _people([(positions[i], "III/a", status[i]) for i in range(k)])
    return apply_reward(_appraisal(people["employee_id"], current), people, _evidence(real, months=months, period=period),
                        "career", params, history=history)


def test_pp30_path_for_persistent_poor_performers_annual(real):
    # columns: 0 first poor year; 1 second; 2 third (Sangat Kurang after Kurang, BP); 3 recovered;
    # 4 missing year breaks the run; 5 PPPK third poor year; 6 fifth poor year (overdue); 7 never poor
    history = np.array([
        [-1, -1, -1, BP, BP, -1, BP, B],
        [-1, -1, -1, BP, BP, -1, BP, B],
        [-1, -1, K, BP, BP, K, BP, B],
        [B, BP, BP, BP, -1, BP, BP, B],
    ])
    current = [BP, K, SK, B, BP, SK, BP, B]
    f = _career(real, history, current, status=["PNS"] * 5 + ["PPPK"] + ["PNS"] * 2)
    e = f.employees
    assert e["poor_run"].tolist() == [1, 2, 3, 0, 1, 3, 5, 0]
    assert e["pp30_step"].astype(str).tolist() == ["improvement", "reassignment", "dismissal", "none",
                                                   "improvement", "dismissal", "dismissal", "none"]
    ev = f.events.set_index(["employee_id", "event"])
    day = pd.Timestamp("2025-01-01")  # period 0 of an annual cycle starting in 2024 ends on 31 December 2024
    assert (f.events["date"] == day).all()
    assert ev.loc[(0, "improvement_period"), "detail"] == "6-month improvement period until 2025-06-30"
    assert ev.loc[(1, "reassignment"), "detail"] == "placed in another post for at most 12 months, until 2025-12-31"
    assert (2, "honourable_dismissal") in ev.index and (5, "contract_termination") in ev.index
    assert (6, "honourable_dismissal") in ev.index and "due since" in ev.loc[(6, "honourable_dismissal"), "detail"]
    assert (4, "improvement_period") in ev.index
    assert not any(i == 3 or i == 7 for i, _ in ev.index)
    # Training for everyone below expectation, except those being dismissed.
    assert e["training"].tolist() == [True, True, False, False, True, False, False, False]
    assert f.total_cost_idr == 3 * 3_000_000
    assert f.event_counts()["honourable_dismissal"] == 2


def test_pp30_path_quarterly_waits_for_the_six_months(real):
    # Quarterly periods: the improvement period spans two quarters, the placement four.
    runs = [1, 2, 3, 4, 6, 7]
    T = 7
    history = np.full((T - 1, len(runs)), B)
    for j, r in enumerate(runs):
        history[T - r:, j] = BP
    f = _career(real, history, [BP] * len(runs), months=3, period=4)
    e = f.employees
    assert e["poor_run"].tolist() == runs
    assert e["pp30_step"].astype(str).tolist() == ["improvement", "improvement", "reassignment", "reassignment",
                                                   "reassignment", "dismissal"]
    assert sorted(f.events["event"].unique()) == ["honourable_dismissal", "improvement_period", "reassignment", "training"]
    events = f.events[f.events["event"] != "training"].set_index("employee_id")["event"]
    assert events.to_dict() == {0: "improvement_period", 2: "reassignment", 5: "honourable_dismissal"}
    # Period 4 of 3 months = 2025 Q1; follow-up from 1 April 2025.
    assert (f.events["date"] == pd.Timestamp("2025-04-01")).all()
    # Employee 3 was first poor in period 1 (Q2 2024): improvement from 1 July 2024; still poor
    # at the end of Q4 2024 (6 months on), so placed from 1 January 2025 for 12 months.
    assert e.loc[3, "step_since"] == pd.Timestamp("2025-01-01")
    assert e.loc[3, "step_until"] == pd.Timestamp("2025-12-31")
    # Employee 5's placement (from 1 April 2024) has just ended: dismissal is due now.
    assert e.loc[5, "step_since"] == pd.Timestamp("2025-04-01") and pd.isna(e.loc[5, "step_until"])


def test_pp30_step_function():
    step, reassign_at, dismiss_at = pp30_step(np.array([0, 1, 2, 3, 4]), 12)
    assert (reassign_at, dismiss_at) == (12, 24)
    assert step.tolist() == [0, 1, 2, 3, 3]
    assert pp30_step(np.array([1]), 4)[1:] == (8, 20)
    assert run_length(np.array([[1, 0, 1], [1, 1, 0], [1, 1, 1]], bool)).tolist() == [3, 2, 1]


def test_talent_pool_needs_two_consecutive_sangat_baik(real):
    history = np.array([[SB, B, SB, SB, SB], [SB, SB, B, -1, SB]])
    f = _career(real, history, [SB, SB, SB, SB, B])
    e = f.employees
    assert e["sangat_baik_run"].tolist() == [3, 2, 1, 1, 0]
    assert e["talent_pool"].tolist() == [True, True, False, False, False]
    assert e["sangat_baik_once"].tolist() == [False, False, True, True, False]
    assert f.events.loc[f.events["event"] == "talent_pool", "employee_id"].tolist() == [1]  # newly entering
    one = _career(real, None, [SB, B])
    assert one.employees["sangat_baik_once"].tolist() == [True, False]
    assert not one.employees["talent_pool"].any()
    three = _career(real, history, [SB, SB, SB, SB, B], params={"talent_pool_periods": 3})
    assert three.employees["talent_pool"].tolist() == [True, False, False, False, False]


def test_training_cost_is_per_person(real):
    f = _career(real, None, [SB, B, BP, K, SK], params={"training_cost_idr": 5_000_000, "training_from": "kurang"})
    assert f.employees["training"].tolist() == [False, False, False, True, True]
    assert f.total_cost_idr == 10_000_000 and f.baseline_cost_idr == 0.0
    assert f.cost_vs_baseline_idr == 10_000_000


def test_history_is_checked():
    with pytest.raises(ValueError, match="history: expected shape"):
        as_history(np.zeros((2, 3)), 4)
    with pytest.raises(ValueError, match="codes must be whole numbers 0-4"):
        as_history(np.array([[5, 0]]), 2)
    assert as_history(np.array([np.nan, 1.0]), 2).tolist() == [[-1, 1]]


# --------------------------------------------------------------------------------------------
# Every scheme on real evidence; determinism; result objects
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", DEFAULT_REWARDS)
def test_scheme_runs_on_real_evidence(real, appraisal, rule):
    f = apply_reward(appraisal, real.population, real.evidence, rule)
    assert isinstance(f, FollowUp) and f.rule == rule and f.policy == appraisal.policy
    assert f.n == appraisal.n and f.employees.columns[0] == "employee_id"
    np.testing.assert_array_equal(f.employees["employee_id"], appraisal.employee_id)
    assert all(c == c.lower() and " " not in c for c in f.employees.columns)
    assert np.isfinite(f.total_cost_idr) and f.total_cost_idr >= 0
    assert f.period_months == real.evidence.period_months
    summary = f.summary()
    assert summary.loc["total_cost_idr", "value"] == pytest.approx(f.total_cost_idr)
    assert "<table" in f._repr_html_()
    frame = f.to_frame()
    assert list(frame.columns[:3]) == ["employee_id", "policy", "scheme"]
    e = f.employees
    functional = (real.population.employees["position_type"] == "fungsional").to_numpy()
    if rule == "tpp":
        assert f.total_cost_idr <= f.baseline_cost_idr
        assert (e["paid_idr"] <= e["baseline_idr"] + 1e-6).all() and (e["paid_idr"] > 0).all()
    elif rule == "angka_kredit":
        assert (e.loc[~functional, "angka_kredit"] == 0).all()
        assert (e.loc[functional, "angka_kredit"] > 0).all()
    else:
        assert f.total_cost_idr == e["training"].sum() * 3_000_000


def test_population_none_reads_the_evidence_and_order_does_not_matter(real, appraisal):
    ref = apply_reward(appraisal, real.population, real.evidence, "tpp").employees.set_index("employee_id")
    same = apply_reward(appraisal, None, real.evidence, "tpp").employees.set_index("employee_id")
    pd.testing.assert_frame_equal(ref, same)
    order = np.argsort(-appraisal.employee_id)
    shuffled = _appraisal(appraisal.employee_id[order], appraisal.predikat[order], appraisal.policy)
    back = apply_reward(shuffled, real.population, real.evidence, "tpp").employees.set_index("employee_id")
    pd.testing.assert_frame_equal(ref, back.loc[ref.index])


def test_schemes_are_deterministic_and_draw_nothing(real, appraisal, monkeypatch):
    first = {r: apply_reward(appraisal, real.population, real.evidence, r) for r in DEFAULT_REWARDS}

    def no_draws(*args, **kwargs):
        raise AssertionError("a reward scheme drew random numbers")

    monkeypatch.setattr(np.random, "default_rng", no_draws)
    monkeypatch.setattr(np.random, "random", no_draws)
    history = np.vstack([appraisal.predikat, appraisal.predikat])
    for rule in DEFAULT_REWARDS:
        again = apply_reward(appraisal, real.population, real.evidence, rule)
        pd.testing.assert_frame_equal(first[rule].employees, again.employees)
        pd.testing.assert_frame_equal(first[rule].events, again.events)
        assert first[rule].total_cost_idr == again.total_cost_idr
        apply_reward(appraisal, real.population, real.evidence, rule, history=history)


def test_apply_reward_renames_the_result(real, appraisal):
    f = apply_reward(appraisal, real.population, real.evidence, "tpp", name="tpp_capped", params={"budget_cap_idr": 1e9})
    assert f.scheme == "tpp_capped" and f.rule == "tpp"
    assert f.to_frame()["scheme"].eq("tpp_capped").all()


# --------------------------------------------------------------------------------------------
# Work shared across the periods of a run (memoised on the employee table)
# --------------------------------------------------------------------------------------------


def test_employee_derived_is_memoised_on_the_table_and_read_only(real, appraisal):
    from simulate.rewards.base import employee_attributes, employee_derived

    calls = []

    def compute(attrs):
        calls.append(1)
        return {"golongan": attrs["golongan"].to_numpy(dtype=object),
                "functional": (attrs["position_type"] == "fungsional").to_numpy()}

    columns = ["golongan", "position_type"]
    first = employee_derived(appraisal, real.population, real.evidence, columns, "test", compute)
    again = employee_derived(appraisal, real.population, real.evidence, columns, "test", compute)
    assert again is first and len(calls) == 1
    with pytest.raises(ValueError):
        first["functional"][0] = True
    # Another order is computed afresh, from the same attributes as employee_attributes gives.
    order = np.argsort(-appraisal.employee_id)
    shuffled = _appraisal(appraisal.employee_id[order], appraisal.predikat[order])
    fresh = employee_derived(shuffled, real.population, real.evidence, columns, "test", compute)
    assert len(calls) == 2
    np.testing.assert_array_equal(fresh["golongan"], first["golongan"][order])
    expected = compute(employee_attributes(shuffled, real.population, real.evidence, columns))
    np.testing.assert_array_equal(fresh["functional"], expected["functional"])


@pytest.mark.parametrize("rule", DEFAULT_REWARDS)
def test_memoised_schemes_equal_the_uncached_path(real, appraisal, rule):
    """The employee-table memo (the appraisal in the table's order) gives what a fresh computation
    for another row order gives, row for row, every time."""
    history = np.vstack([appraisal.predikat, np.roll(appraisal.predikat, 1)])
    results = [apply_reward(appraisal, real.population, real.evidence, rule, history=history) for _ in range(2)]
    pd.testing.assert_frame_equal(results[0].employees, results[1].employees)
    order = np.argsort(-appraisal.employee_id)
    shuffled = _appraisal(appraisal.employee_id[order], appraisal.predikat[order], appraisal.policy)
    other = apply_reward(shuffled, real.population, real.evidence, rule, history=history[:, order])
    ref = results[0].employees.set_index("employee_id")
    pd.testing.assert_frame_equal(ref, other.employees.set_index("employee_id").loc[ref.index])
    assert other.total_cost_idr == pytest.approx(results[0].total_cost_idr, rel=1e-12)
    assert other.totals == pytest.approx(results[0].totals, rel=1e-12)


def test_tiny_population_and_integer_history(real):
    people = _people([("fungsional", "III/a"), ("pelaksana", "II/b", "PPPK")])
    a = _appraisal(people["employee_id"], [SB, SK])
    ev = _evidence(real)
    for rule in DEFAULT_REWARDS:
        f = apply_reward(a, people, ev if rule != "tpp" else None, rule,
                         {"discipline_deductions": False} if rule == "tpp" else None,
                         history=np.array([[SB, SK]], dtype=np.int16))
        assert f.n == 2 and f.employees["employee_id"].tolist() == [0, 1]
    assert as_history(np.array([[0, 4], [-1, 2]], dtype=np.int64), 2).tolist() == [[0, 4], [-1, 2]]
    with pytest.raises(ValueError, match="codes must be whole numbers 0-4"):
        as_history(np.array([[5, 0]], dtype=np.int8), 2)


def test_pp30_path_table_equals_the_per_employee_computation():
    from simulate.rewards.career import _first_day, _path_by_run

    rng = np.random.default_rng(0)
    for m, period, periods, imp, rea in [(12, 0, 1, 6, 12), (12, 5, 6, 6, 12), (3, 4, 7, 6, 12), (1, 30, 31, 7, 5)]:
        poor_run = rng.integers(0, periods + 1, 200)
        path = _path_by_run(periods, period, m, imp, rea, 2024)
        # The dates computed for every employee, as the scheme did before the table.
        step, reassign_at, dismiss_at = pp30_step(poor_run, m, imp, rea)
        month0 = np.datetime64("2024-01", "M")
        first = period - poor_run + 1
        one_day = np.timedelta64(1, "D")
        due = _first_day(month0, (first + 1) * m + dismiss_at)
        since = np.select([step == 1, step == 2, step == 3],
                          [_first_day(month0, (first + 1) * m), _first_day(month0, (first + 1) * m + reassign_at), due],
                          np.datetime64("NaT", "D"))
        until = np.select([step == 1, step == 2],
                          [_first_day(month0, (first + 1) * m + imp) - one_day,
                           _first_day(month0, (first + 1) * m + reassign_at + rea) - one_day],
                          np.datetime64("NaT", "D"))
        elapsed = (poor_run - 1) * m
        np.testing.assert_array_equal(path.step[poor_run], step)
        np.testing.assert_array_equal(path.since_ns[poor_run], since.astype("datetime64[ns]"))
        np.testing.assert_array_equal(path.until_ns[poor_run], until.astype("datetime64[ns]"))
        np.testing.assert_array_equal(path.until[poor_run], until)
        np.testing.assert_array_equal(path.dismissal_due[poor_run], due)
        np.testing.assert_array_equal(path.starts_improvement[poor_run], (step == 1) & (elapsed == 0))
        np.testing.assert_array_equal(path.starts_reassignment[poor_run], (step == 2) & (elapsed == reassign_at))
        assert (path.reassign_at, path.dismiss_at) == (reassign_at, dismiss_at)
        assert path.effective == _first_day(month0, np.array((period + 1) * m))
