"""Regional and composable policies: objective_index (Jambi), citizen_weighted (Alak, Sawahlunto),
target_achievement (Makassar), forced_distribution, composed (YAML policies).

Oracle cases use small hand-built :class:`~simulate.evidence.Evidence` objects whose answers can
be worked out on paper (the expected values are written next to each case); invariants use
Hypothesis; every policy also runs on the real test-preset evidence.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factories import evidence
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.errors import ScenarioError
from simulate.evidence import Evidence
from simulate.policies import citizen_weighted as cw
from simulate.policies import composed
from simulate.policies import forced_distribution as fd
from simulate.policies import target_achievement as ta
from simulate.policies.base import apply_policy, validate_policy_params
from simulate.predikat import BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_BAIK, SANGAT_KURANG
from simulate.rules import permenpanrb_2022 as r2022

ROOT = Path(__file__).resolve().parents[1]
POLICY_FILES = sorted((ROOT / "params" / "policies").glob("*.yaml"))
REGIONAL = ("objective_index", "citizen_weighted", "target_achievement", "forced_distribution", "composed")
SB, B, BP, K, SK = SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG


# --------------------------------------------------------------------------------------------
# Hand-built evidence
# --------------------------------------------------------------------------------------------

#: Two indicator slots of the back office, as the default scenario has them.
INDICATORS = pd.DataFrame({
    "opd_kind": ["back_office", "back_office", "dukcapil", "dukcapil"],
    "slot": [0, 1, 0, 1],
    "name": ["back_office_tepat_waktu", "back_office_anggaran", "dukcapil_dokumen", "dukcapil_waktu_proses"],
    "label": ["Tugas tepat waktu", "Realisasi anggaran", "Dokumen", "Waktu proses"],
    "unit": ["persen", "persen", "dokumen", "jam"],
    "lower_is_better": [False, False, False, True],
    "main": [True, True, True, True],
})


def make_evidence(n: int, *, superior=None, opd=None, kind="back_office", unit=None, capaian=None,
                  target=None, realisation=None, supervisor=None, supervisor_results=None,
                  ikm=None, complaints=None, citizen_rating=None, log_points=None, org_capaian=None,
                  rotates=None, turn_order=None, new_idea=None, counter=None, peer=None) -> Evidence:
    """A small Evidence. Defaults: one team (superior 9999) in one back-office OPD, every
    employee at 100 % on both indicators, all latent ratings 0, no citizen evidence."""
    def arr(value, default, dtype=float):
        if value is None:
            value = default
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

    kinds = np.broadcast_to(np.asarray(kind, dtype=object), (n,)).copy()
    opd_id = arr(opd, 0, np.int64)
    sp = np.where(np.isin(kinds, ["dukcapil", "puskesmas", "kecamatan"]), opd_id, -1)
    employees = pd.DataFrame({
        "employee_id": np.arange(n, dtype=np.int64),
        "opd_id": opd_id,
        "opd_kind": pd.Categorical(kinds, categories=["dukcapil", "puskesmas", "pendidikan", "kecamatan", "back_office"]),
        "unit_id": arr(unit, 0, np.int64),
        "superior_id": arr(superior, 9999, np.int64),
        "level": np.zeros(n, dtype=np.int8),
        "n_subordinates": np.zeros(n, dtype=np.int64),
        "is_counter_staff": arr(counter, False, bool) if counter is not None else sp >= 0,
        "service_point_id": sp,
    })
    cap = np.full((n, 2), 100.0) if capaian is None else np.asarray(capaian, dtype=float).reshape(n, -1)
    k = cap.shape[1]
    tgt = np.where(np.isnan(cap), np.nan, 100.0) if target is None else np.asarray(target, float).reshape(n, k)
    real = cap * tgt / 100.0 if realisation is None else np.asarray(realisation, float).reshape(n, k)
    lower = np.zeros((n, k), dtype=bool)
    slot_kinds = INDICATORS.set_index(["opd_kind", "slot"])["lower_is_better"]
    for j in range(k):
        lower[:, j] = [bool(slot_kinds.get((kd, j), False)) for kd in kinds]
    lower &= ~np.isnan(cap)
    sup = np.zeros((n, 7)) if supervisor is None else np.repeat(np.asarray(supervisor, float).reshape(n, 1), 7, axis=1)
    return evidence(
        employees, INDICATORS, cap, realisation=real, target=tgt, lower_is_better=lower,
        supervisor_behaviour=sup, supervisor_results=arr(supervisor_results, 0.0),
        peer_behaviour=np.zeros((n, 7)) if peer is None else np.repeat(np.asarray(peer, float).reshape(n, 1), 7, axis=1),
        n_peers=np.full(n, 2, dtype=np.int64),
        daily_log_points=arr(log_points, 1200.0),
        citizen_rating=arr(citizen_rating, np.nan), unit_ikm=arr(ikm, np.nan),
        unit_complaints_per_1000=arr(complaints, np.nan), org_capaian=arr(org_capaian, 100.0),
        new_idea=arr(new_idea, True, bool),
        rater_rotates=arr(rotates, False, bool), turn_order=arr(turn_order, 0, np.int64),
    )


@pytest.fixture(scope="module")
def real_evidence(test_period):
    return test_period.evidence


def counts(codes) -> list[int]:
    return np.bincount(np.asarray(codes, dtype=np.int64), minlength=5).tolist()


# --------------------------------------------------------------------------------------------
# forced_distribution
# --------------------------------------------------------------------------------------------

def test_forced_distribution_ten_people_10_20_40_20_10_gives_1_2_4_2_1():
    ev = make_evidence(10, supervisor_results=np.arange(10.0), supervisor=np.arange(10.0))
    a = apply_policy(ev, "forced_distribution",
                     {"base": "supervisor", "shares": [0.1, 0.2, 0.4, 0.2, 0.1]})
    assert counts(a.predikat) == [1, 2, 4, 2, 1]
    # best score (employee 9) on top, worst (employee 0) at the bottom, levels never invert
    assert a.predikat[9] == SB and a.predikat[0] == SK
    assert np.all(np.diff(a.predikat.astype(int)) <= 0)  # scores increase with employee id


# (pool size, shares, expected counts) -- the documented largest-remainder results
SMALL_POOLS = [
    (1, [0.2, 0.7, 0.1, 0, 0], [0, 1, 0, 0, 0]),
    (2, [0.2, 0.7, 0.1, 0, 0], [0, 2, 0, 0, 0]),   # .4 vs .4 tie: Baik has the larger share
    (3, [0.2, 0.7, 0.1, 0, 0], [1, 2, 0, 0, 0]),
    (10, [0.2, 0.7, 0.1, 0, 0], [2, 7, 1, 0, 0]),
    (1, [0.1, 0.2, 0.4, 0.2, 0.1], [0, 0, 1, 0, 0]),
    (2, [0.1, 0.2, 0.4, 0.2, 0.1], [0, 1, 1, 0, 0]),  # .4 vs .4, equal shares: better level
    (3, [0.1, 0.2, 0.4, 0.2, 0.1], [0, 1, 1, 1, 0]),
    (5, [0.1, 0.2, 0.4, 0.2, 0.1], [1, 1, 2, 1, 0]),
]


@pytest.mark.parametrize("size, shares, expected", SMALL_POOLS,
                         ids=[f"pool of {s} with {sh}" for s, sh, _ in SMALL_POOLS])
def test_forced_distribution_small_pools_follow_documented_rounding(size, shares, expected):
    # three teams in one evidence: the pool under test plus two others of other sizes
    sizes = [size, 4, 7]
    sup = np.repeat([100, 200, 300], sizes)
    n = sum(sizes)
    ev = make_evidence(n, superior=sup, supervisor_results=np.linspace(1, 0, n))
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor", "shares": shares, "pool": "unit"})
    assert counts(a.predikat[:size]) == expected
    assert counts(a.predikat[:size]) == fd.share_quotas([size], shares)[0].tolist()


def test_forced_distribution_rotation_puts_the_turn_holder_on_top():
    # one team of 5, scores 5 > 4 > ... > 1; the lowest scorer holds the turn
    score = np.array([5.0, 4, 3, 2, 1])
    ev = make_evidence(5, supervisor_results=score, supervisor=score, rotates=True, turn_order=[4, 3, 2, 1, 0])
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor"})  # 20/70/10 -> 1 / 4 / 0
    assert a.predikat[4] == SB and a.predikat[0] == B
    assert counts(a.predikat) == [1, 4, 0, 0, 0]
    assert a.components["turn_holder"].tolist() == [False, False, False, False, True]
    assert a.components["rotated"].sum() == 2  # employee 0 down, employee 4 up
    off = apply_policy(ev, "forced_distribution", {"base": "supervisor", "rotation": False})
    assert off.predikat[0] == SB and off.predikat[4] == B


def test_forced_distribution_rotation_keeps_each_teams_share_in_a_mixed_pool():
    # pool = OPD with two teams; team A (rotating) scores 10, 9, 1, team B 8, 7, 6, 5, 4, 3, 2
    sup = np.array([1, 1, 1, 2, 2, 2, 2, 2, 2, 2])
    score = np.array([10, 9, 1, 8, 7, 6, 5, 4, 3, 2], dtype=float)
    rotates = sup == 1
    turn = np.array([2, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    ev = make_evidence(10, superior=sup, supervisor_results=score, supervisor=score, rotates=rotates, turn_order=turn)
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor", "pool": "opd"})  # 2 / 7 / 1
    # team A holds ranks 0, 1 (scores 10, 9) and 9 (score 1). Its two top slots go to turns 0
    # and 1 (employees 2 and 1); the displaced employee 0 takes the rank left over, 9 (a swap)
    assert a.predikat[2] == SB and a.predikat[1] == SB and a.predikat[0] == BP
    # team B keeps ranks 2-8, all Baik; the overall quota holds
    assert a.predikat[3:].tolist() == [B] * 7
    assert counts(a.predikat) == [2, 7, 1, 0, 0]


def test_forced_distribution_headcount_mode():
    sup = np.repeat([1, 2], [4, 1])
    ev = make_evidence(5, superior=sup, supervisor_results=[4.0, 3, 2, 1, 0])
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor", "mode": "headcount",
                                                  "headcount": {"sangat_baik": 1, "butuh_perbaikan": 1}})
    assert a.predikat[:4].tolist() == [SB, B, B, BP]
    assert a.predikat[4] == SB  # a pool of one: the better level is filled first


def test_forced_distribution_ties_go_to_the_lower_employee_id():
    ev = make_evidence(4, supervisor_results=0.0)
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor", "shares": [0.25, 0.75, 0, 0, 0]})
    assert a.predikat.tolist() == [SB, B, B, B]


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(0, 60), min_size=1, max_size=30),
       raw=st.lists(st.integers(0, 20), min_size=5, max_size=5).filter(lambda r: sum(r) > 0))
def test_share_quotas_sum_to_size_and_stay_within_one_of_the_exact_share(sizes, raw):
    shares = [r / sum(raw) for r in raw]
    q = fd.share_quotas(sizes, shares)
    assert q.sum(axis=1).tolist() == list(sizes)
    exact = np.outer(sizes, shares)
    assert np.all(np.abs(q - exact) < 1 + 1e-9)
    assert np.all(q[:, np.asarray(shares) == 0] == 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(1, 12), min_size=1, max_size=8), seed=st.integers(0, 2**16))
def test_forced_distribution_meets_the_quota_of_every_pool(sizes, seed):
    n = sum(sizes)
    sup = np.repeat(np.arange(len(sizes)) + 100, sizes)
    rng = np.random.default_rng(seed)
    shares = [0.1, 0.2, 0.4, 0.2, 0.1]
    ev = make_evidence(n, superior=sup, supervisor_results=rng.normal(size=n),
                       rotates=rng.random(n) < 0.5, turn_order=rng.integers(0, 5, n))
    a = apply_policy(ev, "forced_distribution", {"base": "supervisor", "shares": shares})
    start = 0
    for size in sizes:
        assert counts(a.predikat[start:start + size]) == fd.share_quotas([size], shares)[0].tolist()
        start += size


def test_forced_distribution_rejects_a_base_without_numeric_score(real_evidence):
    with pytest.raises(ScenarioError) as err:
        apply_policy(real_evidence, "forced_distribution", {"base": "permenpanrb_2022"})
    assert any(p.startswith("base:") for p in err.value.problems)


@pytest.mark.parametrize("params, field", [
    ({"shares": [0.5, 0.5, 0.1, 0, 0]}, "params.shares: must sum to 1"),
    ({"shares": [0.5, 0.5]}, "params.shares: must list 5"),
    ({"shares": [1.2, -0.2, 0, 0, 0]}, "params.shares[0]: must be between 0 and 1"),
    ({"mode": "headcount", "headcount": {"hebat": 1}}, "params.headcount.hebat: unknown predikat"),
    ({"base": "supervisr"}, "params.base: unknown policy 'supervisr'; did you mean 'supervisor'?"),
    ({"base": "supervisor", "base_params": {"x": 1}}, "params.base_params: must be empty"),
    ({"base": "pp30_2019", "base_params": {"uses_360": "maybe"}}, "params.base_params.uses_360:"),
    ({"pool": "kecamatan"}, "params.pool: must be one of"),
])
def test_forced_distribution_bad_params_name_the_field(params, field):
    with pytest.raises(ScenarioError) as err:
        validate_policy_params("forced_distribution", params)
    assert any(p.startswith(field) for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------------------------
# citizen_weighted
# --------------------------------------------------------------------------------------------

#: Base used in the oracle cases: predikat straight from the latent results judgement
#: (>= 2 SB, >= 0.5 B, >= -0.5 BP, >= -2 K, else SK).
LATENT_BASE = {"base": "composed", "base_params": {
    "components": [{"source": "supervisor_results", "weight": 1, "transform": "raw"}],
    "standardise": False, "bands": [2.0, 0.5, -0.5, -2.0]}}
LATENT_OF = {SB: 3.0, B: 1.0, BP: 0.0, K: -1.0, SK: -3.0}

# (situation, base predikat, IKM, weight, expected) -- ordinal method, worked by hand:
# citizen level = SKM-grade-aligned 1-5 (D 1-2.5, C 2.5-3.5, B 3.5-4.5, A 4.5-5);
# combined = (1-w) x (5 - code) + w x citizen, rounded half up; predikat = 5 - level.
ORDINAL_CASES = [
    ("Baik at a grade-D point (IKM 60 -> 2.31) drops to Butuh Perbaikan", B, 60.0, 0.5, BP),   # 3.16 -> 3
    ("Baik at a grade-B point (IKM 80 -> 3.79) stays Baik", B, 80.0, 0.5, B),                  # 3.89 -> 4
    ("Baik at a perfect point (IKM 100 -> 5) rises to Sangat Baik", B, 100.0, 0.5, SB),        # 4.5 -> 5
    ("Sangat Baik at a grade-C point (IKM 70 -> 2.93) drops to Baik", SB, 70.0, 0.5, B),       # 3.97 -> 4
    ("Butuh Perbaikan at a grade-B point (IKM 85 -> 4.22) rises to Baik", BP, 85.0, 0.5, B),   # 3.61 -> 4
    ("weight 0.3: Baik at IKM 60 (2.31) still drops", B, 60.0, 0.3, BP),                       # 3.49 -> 3
    ("weight 0.3: Baik at IKM 65 (2.5) stays Baik", B, 65.0, 0.3, B),                          # 3.55 -> 4
    ("weight 0: the base stands", SK, 100.0, 0.0, SK),
]


@pytest.mark.parametrize("situation, base, ikm, weight, expected", ORDINAL_CASES,
                         ids=[c[0] for c in ORDINAL_CASES])
def test_citizen_weighted_ordinal_cases(situation, base, ikm, weight, expected):
    # employee 0: the case (a Dukcapil counter); employee 1: back office, no citizen evidence
    ev = make_evidence(2, kind=["dukcapil", "back_office"], opd=[0, 1],
                       supervisor_results=[LATENT_OF[base], LATENT_OF[base]], ikm=[ikm, np.nan])
    a = apply_policy(ev, "citizen_weighted", {**LATENT_BASE, "weight": weight})
    assert a.components["base_predikat"].tolist() == [base, base]
    assert a.predikat[0] == expected
    assert a.predikat[1] == base and not a.components["affected"][1]


@pytest.mark.parametrize("ikm, expected", [(95.0, SB), (80.0, B), (70.0, B), (50.0, BP)],
                         ids=["grade A up", "grade B same", "grade C same", "grade D down"])
def test_citizen_weighted_shift_method_moves_one_level_by_grade(ikm, expected):
    ev = make_evidence(1, kind="dukcapil", supervisor_results=LATENT_OF[B], ikm=ikm)
    a = apply_policy(ev, "citizen_weighted", {**LATENT_BASE, "method": "shift"})
    assert a.predikat[0] == expected


def test_citizen_index_mixes_sources_and_renormalises():
    ev = make_evidence(2, kind="dukcapil", ikm=[80.0, 80.0], complaints=[0.0, 0.0], citizen_rating=[4.0, np.nan])
    index, parts = cw.citizen_index(ev, cw.CitizenSourceWeights())
    # 0.6 x 80 + 0.2 x 100 + 0.2 x 100 = 88 ; without the rating: (0.6 x 80 + 0.2 x 100) / 0.8 = 85
    assert index == pytest.approx([88.0, 85.0])
    assert cw.complaints_score_100(20.0) == pytest.approx(100 / math.e)


@pytest.mark.parametrize("params", [{}, {"method": "shift"}, {"weight": 1.0}, {"applies_to": "counter_staff"}],
                         ids=["default", "shift", "citizens only", "counter staff only"])
def test_citizen_weighted_changes_only_counter_service_staff(real_evidence, params):
    a = apply_policy(real_evidence, "citizen_weighted", params)
    e = real_evidence.employees
    eligible = (e["is_counter_staff"] if params.get("applies_to") == "counter_staff" else e["service_point_id"] >= 0).to_numpy()
    base = a.components["base_predikat"].to_numpy()
    assert np.array_equal(a.predikat[~eligible], base[~eligible])
    assert not a.components["affected"][~eligible].any()
    if params.get("weight") == 1.0:
        assert (a.predikat[eligible] != base[eligible]).any()  # citizens alone do move someone


def test_citizen_weighted_works_on_a_numeric_base(real_evidence):
    a = apply_policy(real_evidence, "citizen_weighted", {"base": "pp30_2019", "weight": 1.0})
    base = apply_policy(real_evidence, "pp30_2019")
    assert np.array_equal(a.components["base_predikat"].to_numpy(), base.predikat)
    assert np.allclose(a.components["base_score"].to_numpy(), base.score)


@pytest.mark.parametrize("params, field", [
    ({"base": "pp30"}, "params.base: unknown policy 'pp30'; did you mean 'pp30_2019'?"),
    ({"base": "citizen_weighted"}, "params.base: 'citizen_weighted' cannot be its own base"),
    ({"base": "pp30_2019", "base_params": {"uses_361": True}}, "params.base_params.uses_361: unknown key"),
    ({"source_weights": {"ikm": 0.5, "complaints": 0.2, "rating": 0.2}}, "params.source_weights: must sum to 1"),
    ({"shift_up_grades": ["E"]}, "params.shift_up_grades[0]: unknown SKM grade 'E'"),
    ({"weight": 1.5}, "params.weight: must be <= 1"),
])
def test_citizen_weighted_bad_params_name_the_field(params, field):
    with pytest.raises(ScenarioError) as err:
        validate_policy_params("citizen_weighted", params)
    assert any(p.startswith(field) for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------------------------
# objective_index
# --------------------------------------------------------------------------------------------

def test_objective_index_log_zscores_by_hand():
    # one indicator: capaian 50, 100, 100, 200 -> log deviations -ln2, 0, 0, +ln2 ->
    # z = -sqrt(2), 0, 0, +sqrt(2) (population SD ln2 / sqrt 2)
    cap = np.array([[50.0, np.nan], [100, np.nan], [100, np.nan], [200, np.nan]])
    ev = make_evidence(4, capaian=cap)
    a = apply_policy(ev, "objective_index")
    assert a.score == pytest.approx([-math.sqrt(2), 0, 0, math.sqrt(2)])
    assert a.predikat.tolist() == [BP, B, B, B]          # defaults 1.5 / -1 / -2 / -2.5
    b = apply_policy(ev, "objective_index", {"thresholds": [1.0, -1.0, -2.0, -2.5]})
    assert b.predikat.tolist() == [BP, B, B, SB]
    raw = apply_policy(ev, "objective_index", {"transform": "raw"})
    # raw capaian 50, 100, 100, 200: mean 112.5, SD 54.486 -> z of 200 = 1.606
    assert raw.score[3] == pytest.approx(87.5 / np.std([50, 100, 100, 200]))


def test_objective_index_weights_are_relative_and_zero_drops_an_indicator():
    cap = np.array([[150.0, 50.0], [50.0, 150.0], [100.0, 100.0]])
    ev = make_evidence(3, capaian=cap)
    # raw capaian: each indicator has mean 100, so equal weights cancel out exactly
    equal = apply_policy(ev, "objective_index", {"transform": "raw"})
    assert equal.components["index"].to_numpy() == pytest.approx([0, 0, 0], abs=1e-12)
    only_first = apply_policy(ev, "objective_index", {"transform": "raw", "weights": {"back_office_anggaran": 0}})
    assert only_first.score[0] > only_first.score[2] > only_first.score[1]
    doubled = apply_policy(ev, "objective_index", {"transform": "raw", "weights": {"back_office_tepat_waktu": 2}})
    assert doubled.components["index"][0] > 0 > doubled.components["index"][1]


def test_objective_index_unknown_indicator_weight_names_the_field():
    with pytest.raises(ScenarioError) as err:
        apply_policy(make_evidence(3), "objective_index", {"weights": {"back_office_angaran": 2}})
    assert err.value.problems[0].startswith("weights.back_office_angaran: no indicator")
    assert "did you mean 'back_office_anggaran'" in err.value.problems[0]


def test_objective_index_2022_levels_use_the_quadrant():
    cap = np.array([[10.0, np.nan]] + [[100.0, np.nan]] * 9 + [[1000.0, np.nan]])
    # behaviour: employee 10 far above the 'di atas' cut (2.4 SD), others average
    ev = make_evidence(11, capaian=cap, supervisor=[0.0] * 10 + [5.0])
    a = apply_policy(ev, "objective_index", {"banding": "expectation_2022", "expectation_thresholds": [-1.5, 1.5]})
    assert a.components["results_level"].tolist()[0] == "di_bawah" and a.predikat[0] == BP
    assert a.components["results_level"].tolist()[10] == "di_atas" and a.predikat[10] == SB
    assert set(a.predikat[1:10].tolist()) == {B}


# --------------------------------------------------------------------------------------------
# target_achievement
# --------------------------------------------------------------------------------------------

def test_target_achievement_by_hand():
    # employee 0: both indicators at 100 % (value 109, annex example), log points at the OPD mean
    # -> 0.6 x 109 + 0.2 x 100 + 0.2 x 109 = 107.2 -> Baik
    # employee 1: 95 % on the task indicator (value 70 + 19/19 x 15 = 85), budget 100 %
    # (109), log points at the mean -> 0.6 x 85 + 0.2 x 100 + 0.2 x 109 = 92.8 -> Baik, missed
    cap = np.array([[100.0, 100.0], [95.0, 100.0]])
    ev = make_evidence(2, capaian=cap, log_points=1000.0)
    a = apply_policy(ev, "target_achievement")
    assert a.score == pytest.approx([107.2, 92.8])
    assert a.predikat.tolist() == [B, B]
    assert a.components["missed_target"].tolist() == [False, True]
    assert a.components["budget_source"].tolist() == ["own", "own"]
    capped = apply_policy(ev, "target_achievement", {"missed_target_cap": "butuh_perbaikan"})
    assert capped.predikat.tolist() == [B, BP]
    assert a.notes["n_missed_target"].tolist() == [1]


def test_target_achievement_budget_falls_back_to_the_units_mean_achievement():
    # Dukcapil staff have no budget indicator: the unit's mean achievement (100 %) -> 109
    cap = np.array([[120.0, 100.0], [80.0, 100.0]])
    ev = make_evidence(2, kind="dukcapil", capaian=cap)
    a = apply_policy(ev, "target_achievement")
    assert a.components["budget_source"].tolist() == ["unit", "unit"]
    assert a.components["budget_value"].to_numpy() == pytest.approx([109.0, 109.0])


def test_target_achievement_cascade_raises_the_bar():
    # task indicator: R 110 vs T 100 -> 110 %; with factor 1.1 -> 100 %.
    # Dukcapil time (lower is better): R 9 vs T 10 -> 110 %; target / 1.1 -> (2 - 9 x 1.1 / 10) = 101 %
    ev = make_evidence(1, kind="dukcapil", capaian=[[110.0, 110.0]], target=[[100.0, 10.0]],
                       realisation=[[110.0, 9.0]])
    got = ta.cascaded_capaian(ev, 1.1)
    assert got[0] == pytest.approx([100.0, 101.0])
    assert ta.cascaded_capaian(ev, 1.0)[0] == pytest.approx([110.0, 110.0])


def test_target_achievement_sangat_baik_needs_a_new_idea_by_default():
    ev = make_evidence(2, capaian=np.full((2, 2), 130.0), log_points=1.0, new_idea=[True, False])
    a = apply_policy(ev, "target_achievement")  # 0.6 x 120 + 0.2 x 100 + 0.2 x 120 = 116
    assert a.predikat.tolist() == [SB, B]
    assert apply_policy(ev, "target_achievement", {"require_new_idea": False}).predikat.tolist() == [SB, SB]


@pytest.mark.parametrize("params, field", [
    ({"weights": {"targets": 0.5, "daily_log": 0.2, "budget": 0.2}}, "params.weights: must sum to 1"),
    ({"bands": [110, 120, 70, 50]}, "params.bands: must be 4 strictly descending"),
    ({"cascade_factor": 5}, "params.cascade_factor: must be <= 2"),
    ({"missed_target_cap": "good"}, "params.missed_target_cap:"),
])
def test_target_achievement_bad_params_name_the_field(params, field):
    with pytest.raises(ScenarioError) as err:
        validate_policy_params("target_achievement", params)
    assert any(p.startswith(field) for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------------------------
# composed
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("params, message", [
    ({"components": [{"source": "capaian_mean", "weight": 0.6}, {"source": "ikm", "weight": 0.4}]},
     "params.components[1].source: unknown source 'ikm'; did you mean 'unit_ikm'?"),
    ({"components": [{"source": "capaian_mean", "weight": 0.6}, {"source": "unit_ikm", "weight": 0.3}]},
     "params.components: weights must sum to 1; the sum is 0.9"),
    ({"components": [{"source": "capaian_mean", "weight": 1, "transform": "log"}]},
     "params.components[0].transform: must be one of 'z', 'raw', 'score_100', got 'log'"),
    ({"components": [{"source": "capaian_mean", "weight": 1, "axis": "behaviour"}]},
     "params.components[0].axis: 'behaviour' is only used with quadrant: true"),
    ({"bands": [1.0, 1.0, -1.0, -2.0]}, "params.bands: must be 4 strictly descending"),
    ({"quadrant": True}, "params.components: quadrant: true needs at least one component with axis: behaviour"),
    ({"results_thresholds": [1.0, -1.0]}, "params.results_thresholds: must be 2 increasing"),
    ({"components": [{"source": "capaian_mean", "weigth": 1}]}, "params.components[0].weigth: unknown key"),
    ({"curve": "strict"}, "params.curve: must be one of"),
])
def test_composed_bad_params_name_the_field(params, message):
    with pytest.raises(ScenarioError) as err:
        validate_policy_params("composed", params)
    assert any(p.startswith(message) for p in err.value.problems), err.value.problems


def test_composed_reports_every_problem_at_once():
    bad = {"components": [{"source": "ikm", "weight": 0.5, "transform": "zz"}], "bands": [1, 2, 3, 4]}
    with pytest.raises(ScenarioError) as err:
        validate_policy_params("composed", bad)
    starts = {p.split(":")[0] for p in err.value.problems}
    assert {"params.components[0].source", "params.components[0].transform", "params.components", "params.bands"} <= starts


def test_composed_raw_weighted_sum_and_bands_by_hand():
    # composite = 0.5 x capaian_mean + 0.5 x (- late days) ; bands 100 / 90 / 80 / 70
    cap = np.array([[120.0, 100.0], [100.0, 100.0], [90.0, 90.0], [80.0, 60.0]])
    ev = make_evidence(4, capaian=cap)
    late = np.zeros((4, 4), dtype=np.int64)
    late[:, 0] = [0, 10, 0, 0]
    ev = dataclasses.replace(ev, late_days=late)
    params = {"components": [{"source": "capaian_mean", "weight": 0.5, "transform": "raw"},
                             {"source": "late_days", "weight": 0.5, "transform": "raw"}],
              "standardise": False, "bands": [55, 45, 40, 35]}
    a = apply_policy(ev, "composed", params)
    assert a.score == pytest.approx([55.0, 45.0, 45.0, 35.0])
    assert a.predikat.tolist() == [SB, B, B, K]


# (situation, results latent, behaviour latent, expected) through the 2022 quadrant
QUADRANT_CASES = [
    ("both above -> Sangat Baik", 2.0, 2.0, SB),
    ("results above, behaviour meets -> Baik", 2.0, 0.0, B),
    ("results meet, behaviour below -> Kurang", 0.0, -2.0, K),
    ("both below -> Sangat Kurang", -2.0, -2.0, SK),
    ("results below, behaviour above -> Butuh Perbaikan", -2.0, 2.0, BP),
]


@pytest.mark.parametrize("situation, results, behaviour, expected", QUADRANT_CASES, ids=[c[0] for c in QUADRANT_CASES])
def test_composed_quadrant_cases(situation, results, behaviour, expected):
    ev = make_evidence(1, supervisor_results=results, supervisor=behaviour)
    params = {"quadrant": True, "standardise": False,
              "components": [{"source": "supervisor_results", "weight": 1, "transform": "raw", "axis": "results"},
                             {"source": "supervisor_behaviour", "weight": 1, "transform": "raw", "axis": "behaviour"}],
              "results_thresholds": [-1, 1], "behaviour_thresholds": [-1, 1]}
    a = apply_policy(ev, "composed", params)
    assert a.predikat[0] == expected
    assert np.isnan(a.score[0])


def test_composed_missing_sources_are_renormalised_and_no_evidence_gets_the_default():
    # unit_ikm only for employee 0; citizen_rating for nobody
    ev = make_evidence(3, kind=["dukcapil", "back_office", "back_office"], opd=[0, 1, 1], ikm=[60.0, np.nan, np.nan],
                       supervisor_results=[0.0, 0.0, 0.0])
    params = {"components": [{"source": "unit_ikm", "weight": 0.5, "transform": "raw"},
                             {"source": "capaian_mean", "weight": 0.5, "transform": "raw"}],
              "standardise": False, "bands": [95, 80, 70, 60]}
    a = apply_policy(ev, "composed", params)
    assert a.score == pytest.approx([80.0, 100.0, 100.0])
    only_rating = {"components": [{"source": "citizen_rating", "weight": 1}], "missing_predikat": "butuh_perbaikan"}
    b = apply_policy(ev, "composed", only_rating)
    assert b.predikat.tolist() == [BP, BP, BP] and b.components["no_evidence"].all()


def test_composed_curve_enforce_meets_every_curve_and_warn_changes_nothing(real_evidence):
    off = apply_policy(real_evidence, "composed", {"curve": "off"})
    warn = apply_policy(real_evidence, "composed", {"curve": "warn"})
    enforce = apply_policy(real_evidence, "composed", {"curve": "enforce", "curve_pool": "unit"})
    assert np.array_equal(off.predikat, warn.predikat)
    assert len(warn.notes) > 0 and not warn.notes["curve_met"].any()
    from simulate.policies.common import group_mean, pool_codes

    groups, ng = pool_codes(real_evidence, "unit")
    org = r2022.org_predikat(group_mean(real_evidence.org_capaian, groups, ng))
    assert not r2022.curve_check_groups(off.predikat, groups, org).all()
    assert r2022.curve_check_groups(enforce.predikat, groups, org).all()
    assert enforce.components["curve_moved"].sum() == (enforce.predikat != off.predikat).sum() > 0


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(-3, 3), min_size=2, max_size=12), who=st.integers(0, 11),
       bump=st.floats(0.01, 3), weight=st.floats(0.05, 0.95), transform=st.sampled_from(["raw", "score_100", "z"]))
def test_composed_composite_is_monotone_in_a_positively_weighted_component(values, who, bump, weight, transform):
    n = len(values)
    who = who % n
    other = np.linspace(-1, 1, n)
    params = {"components": [{"source": "supervisor_results", "weight": weight, "transform": transform},
                             {"source": "supervisor_behaviour", "weight": 1 - weight, "transform": transform}],
              "standardise": False, "bands": [1.0, -1.0, -2.0, -3.0]}
    before = apply_policy(make_evidence(n, supervisor_results=values, supervisor=other), "composed", params)
    raised = np.array(values, dtype=float)
    raised[who] += bump
    after = apply_policy(make_evidence(n, supervisor_results=raised, supervisor=other), "composed", params)
    if transform == "z":  # own z-score never falls when the own value rises (others' may)
        assert after.score[who] >= before.score[who] - 1e-9
    else:
        assert after.score[who] > before.score[who]
        others = np.arange(n) != who
        assert np.allclose(after.score[others], before.score[others])
    if transform != "z":
        assert after.predikat[who] <= before.predikat[who]


# --------------------------------------------------------------------------------------------
# Policy files
# --------------------------------------------------------------------------------------------

def test_three_policy_files_are_shipped():
    assert {p.stem for p in POLICY_FILES} >= {"jambi_objective", "makassar_target", "alak_citizen"}


@pytest.mark.parametrize("path", POLICY_FILES, ids=[p.stem for p in POLICY_FILES])
def test_policy_file_loads_and_runs(path, real_evidence):
    name, rule, params = composed.load_policy_file(path)
    assert name == path.stem and rule == "composed"
    a = apply_policy(real_evidence, rule, params, name=name)
    assert a.policy == name and a.n == real_evidence.n
    assert set(np.unique(a.predikat)) <= {0, 1, 2, 3, 4}
    assert max(a.shares()) < 0.95  # every example policy spreads people over several levels


@pytest.mark.parametrize("text, expected", [
    ("name: x\npolicy: composed\nparams:\n  components:\n    - {source: ikm, weight: 1}\n",
     "params.components[0].source: unknown source 'ikm'; did you mean 'unit_ikm'?"),
    ("name: x\npolicy: composd\n", "policy: unknown policy 'composd'; did you mean 'composed'?"),
    ("name: x\npolicy: composed\nlable: y\n", "lable: unknown key; did you mean 'label'?"),
    ("name: two words\npolicy: composed\n", "name: required, letters, digits and '_' only"),
    ("name: x\n", "policy: required"),
    ("name: x\npolicy: composed\nparams: [1, 2]\n", "params: must be a mapping"),
    ("name: x\npolicy: composed\nparams:\n  bands: [1, 2, 3, 4]\n", "params.bands: must be 4 strictly descending"),
])
def test_bad_policy_files_name_the_field(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        composed.load_policy_file(path)
    assert any(p.startswith(expected) for p in err.value.problems), err.value.problems
    assert str(path) in err.value.message


@pytest.mark.parametrize("text, expected", [
    ("name: x\n  policy: [unclosed\n", "malformed YAML at line"),
    ("- just\n- a list\n", "a policy must be a mapping"),
    ("name: !!python/object/apply:os.system ['true']\n", "malformed YAML"),  # safe_load refuses code
])
def test_unreadable_policy_files_fail_cleanly(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=expected):
        composed.load_policy_file(path)
    with pytest.raises(ScenarioError, match="not found"):
        composed.load_policy_file(tmp_path / "missing.yaml")


# --------------------------------------------------------------------------------------------
# Every policy on real evidence
# --------------------------------------------------------------------------------------------

VARIANTS = [
    ("objective_index", {}), ("objective_index", {"banding": "expectation_2022", "pool": "indicator_opd"}),
    ("objective_index", {"indicators": "main", "pool": "opd_kind", "transform": "raw"}),
    ("citizen_weighted", {}), ("citizen_weighted", {"base": "pp46_2011", "method": "shift"}),
    ("citizen_weighted", {"base": "objective_index", "base_params": {"banding": "expectation_2022"}}),
    ("target_achievement", {}), ("target_achievement", {"cascade_factor": 1.2, "indicators": "main"}),
    ("forced_distribution", {}), ("forced_distribution", {"pool": "opd", "base": "supervisor"}),
    ("forced_distribution", {"pool": "region", "base": "target_achievement", "mode": "headcount",
                             "headcount": {"sangat_baik": 5, "kurang": 5}}),
    ("composed", {}), ("composed", {"curve": "enforce", "pool": "opd"}),
]


@pytest.mark.parametrize("rule, params", VARIANTS, ids=[f"{r} {p}" for r, p in VARIANTS])
def test_every_policy_runs_on_real_evidence_and_is_deterministic(real_evidence, rule, params):
    a = apply_policy(real_evidence, rule, params)
    # Again on a copy with its own per-period results and its own employee-table structure,
    # so nothing kept from the first call can be handed back.
    fresh = dataclasses.replace(real_evidence, employees=real_evidence.employees.copy())
    b = apply_policy(fresh, rule, params)
    assert a is not b and fresh.structure is not real_evidence.structure
    n = real_evidence.n
    assert a.rule == rule and a.n == n and len(a.components) == n
    assert a.predikat.dtype == np.int8 and a.predikat.min() >= 0 and a.predikat.max() <= 4
    assert np.array_equal(a.employee_id, real_evidence.employees["employee_id"].to_numpy())
    assert np.array_equal(a.predikat, b.predikat)
    assert np.array_equal(a.score, b.score, equal_nan=True)
    pd.testing.assert_frame_equal(a.components, b.components)
    assert len(np.unique(a.predikat)) >= 2  # no policy here rates everyone alike


def test_forced_distribution_on_real_evidence_meets_quotas_per_team(real_evidence):
    a = apply_policy(real_evidence, "forced_distribution", {"base": "pp30_2019"})
    c = a.components
    got = np.zeros((c["pool_id"].max() + 1, 5), dtype=np.int64)
    np.add.at(got, (c["pool_id"].to_numpy(), a.predikat.astype(np.int64)), 1)
    assert np.array_equal(got, a.notes[[f"n_{p}" for p in ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")]].to_numpy())
    assert np.array_equal(got, fd.share_quotas(got.sum(axis=1), [0.2, 0.7, 0.1, 0, 0]))


@pytest.mark.parametrize("rule", REGIONAL)
def test_regional_policies_are_registered_with_label_and_reference(rule):
    from simulate.policies.base import REGISTRY

    info = REGISTRY[rule]
    assert info.label and info.reference
    assert all(f.description for f in info.params.model_fields.values())


def test_memoised_pool_tables_match_the_uncached_computation(real_evidence):
    """Quotas and the per-OPD notes columns are memoised on the employee table."""
    from simulate.policies.common import group_codes, group_count

    ev = real_evidence
    e = ev.employees
    sup, opd = e["superior_id"].to_numpy().astype(np.int64), e["opd_id"].to_numpy()
    keys = {"unit": np.where(sup >= 0, sup, -(opd.astype(np.int64) + 1)), "opd": opd}
    for params in ({}, {"pool": "opd", "shares": [0.1, 0.2, 0.4, 0.2, 0.1]},
                   {"mode": "headcount", "headcount": {"sangat_baik": 1, "kurang": 1}}):
        p = validate_policy_params("forced_distribution", params)
        codes, n_pools = group_codes(keys[p.pool])
        sizes = group_count(codes, n_pools)
        expected = (fd.share_quotas(sizes, p.shares) if p.mode == "share"
                    else fd.headcount_quotas(sizes, p.headcount, p.fill))
        assert np.array_equal(fd._quotas(ev, p), expected)
    ocodes, _ = group_codes(opd)
    first = np.unique(ocodes, return_index=True)[1]
    notes = apply_policy(ev, "target_achievement", {}).notes
    assert np.array_equal(notes["opd_id"].to_numpy(), opd[first]) and notes["opd_id"].dtype == opd.dtype
    assert notes["opd_kind"].tolist() == e["opd_kind"].iloc[first].astype(str).tolist()
    assert np.array_equal(notes["n_employees"].to_numpy(), group_count(ocodes))
