"""National scoring policies: PP 46/2011, PP 30/2019, PermenPANRB 6/2022, rater-calibrated.

Oracle cases go through the real rules (``simulate.rules``) on hand-built evidence whose expected
predikat follows from the regulation; property tests check bounds, monotonicity and the curve;
smoke tests run every policy on the simulated test preset and the baseline.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from factories import evidence
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate.errors import ScenarioError
from simulate.evidence import Evidence
from simulate.policies import arrays, common
from simulate.policies import permenpanrb_2022 as p2022
from simulate.policies import pp30_2019 as p30
from simulate.policies import pp46_2011 as p46
from simulate.policies import rater_calibrated as rc
from simulate.policies.base import validate_policy_params
from simulate.predikat import PREDIKAT, to_codes
from simulate.rules import capaian as capaian_rule
from simulate.rules import permenpanrb_2022 as rule_2022
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS, OPD_KINDS, ScaleParams

SCALES = ScaleParams()  # score_center 82, score_per_sd 4.5, expectation thresholds -3.6 / 2.4
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

# Indicator kinds used by hand-built evidence: (name, scale, lower_is_better, unit).
KINDS = {
    "count": ("uji_dokumen", "log", False, "dokumen"),
    "time": ("uji_waktu_proses", "log", True, "jam"),
    "share": ("uji_tepat_waktu", "logit_percent", False, "persen"),
    "error_share": ("uji_rework", "logit_percent", True, "persen"),
    "budget": ("uji_anggaran", "logit_percent", False, "persen"),
}


def latent_for_score(score_100: float) -> float:
    """Latent rating whose 0-100 score (scenario default scales) is ``score_100``."""
    return (score_100 - SCALES.score_center) / SCALES.score_per_sd


# --------------------------------------------------------------------------------------------
# Hand-built evidence
# --------------------------------------------------------------------------------------------


def make_evidence(
    n: int = 1,
    *,
    indicators: list[tuple[str, bool]] | None = None,
    target=None,
    realisation=None,
    superior=None,
    opd=None,
    structural=None,
    sup_behaviour=None,
    sup_results=None,
    peer_behaviour=None,
    subordinate_behaviour=None,
    new_idea=None,
    extra_tasks=None,
    org_capaian=None,
) -> Evidence:
    """A small :class:`Evidence` built by hand; every employee holds the same indicator list.

    ``indicators`` lists ``(kind, main)`` with kinds from :data:`KINDS`; ``target`` and
    ``realisation`` are (n, K) (NaN = not held). Latent ratings default to 0 (score 82).
    """
    indicators = indicators if indicators is not None else [("count", True)]
    k = len(indicators)
    ids = np.arange(n, dtype=np.int64)
    superior = np.full(n, -1, dtype=np.int64) if superior is None else np.asarray(superior, dtype=np.int64)
    opd = np.zeros(n, dtype=np.int64) if opd is None else np.asarray(opd, dtype=np.int64)
    n_sub = np.bincount(superior[superior >= 0], minlength=n)[:n]
    structural = (n_sub > 0) if structural is None else np.asarray(structural, dtype=bool)
    employees = pd.DataFrame({
        "employee_id": ids,
        "level": structural.astype(np.int8),
        "is_structural": structural,
        "is_unit_head": n_sub > 0,
        "opd_id": opd,
        "opd_kind": pd.Categorical.from_codes(np.full(n, OPD_KINDS.index("back_office")), categories=list(OPD_KINDS)),
        "unit_id": opd,
        "superior_id": superior,
        "n_subordinates": n_sub.astype(np.int64),
        "local_origin": np.ones(n, dtype=bool),
    })
    table = pd.DataFrame([
        {"opd_kind": "back_office", "slot": j, "name": KINDS[kind][0], "label": KINDS[kind][0],
         "unit": KINDS[kind][3], "scale": KINDS[kind][1], "lower_is_better": KINDS[kind][2], "main": main}
        for j, (kind, main) in enumerate(indicators)
    ])
    target = np.full((n, k), 100.0) if target is None else np.asarray(target, dtype=float).reshape(n, k)
    realisation = target.copy() if realisation is None else np.asarray(realisation, dtype=float).reshape(n, k)
    present = ~np.isnan(target)
    lower = np.array([KINDS[kind][2] for kind, _ in indicators])[None, :] & present
    main = np.array([m for _, m in indicators])[None, :] & present
    cap = np.full((n, k), np.nan)
    cap[present] = capaian_rule.capaian(target[present], realisation[present], lower[present])
    sup_b = np.zeros((n, 7)) if sup_behaviour is None else np.broadcast_to(
        np.asarray(sup_behaviour, dtype=float).reshape(n, -1), (n, 7)).copy()
    sup_r = np.zeros(n) if sup_results is None else np.asarray(sup_results, dtype=float).reshape(n)
    peers = np.full((n, 7), np.nan) if peer_behaviour is None else np.broadcast_to(
        np.asarray(peer_behaviour, dtype=float).reshape(n, -1), (n, 7)).copy()
    subs = np.full((n, 7), np.nan) if subordinate_behaviour is None else np.broadcast_to(
        np.asarray(subordinate_behaviour, dtype=float).reshape(n, -1), (n, 7)).copy()
    return evidence(
        employees, table, cap, realisation=realisation, target=target, lower_is_better=lower, main=main,
        supervisor_behaviour=sup_b, supervisor_results=sup_r,
        peer_behaviour=peers, n_peers=(~np.isnan(peers[:, 0])).astype(np.int64) * 2,
        subordinate_behaviour=subs, n_subordinates=(~np.isnan(subs[:, 0])).astype(np.int64) * 3,
        scales=SCALES,
        **({} if org_capaian is None else {"org_capaian": np.asarray(org_capaian, dtype=float).reshape(n)}),
        **({} if new_idea is None else {"new_idea": np.asarray(new_idea, dtype=bool).reshape(n)}),
        **({} if extra_tasks is None else {"extra_tasks": np.asarray(extra_tasks).reshape(n)}),
    )


def one(indicators, target, realisation, *, quality=None, behaviour=None, results_latent=None,
        behaviour_latent=None, **kw) -> Evidence:
    """One employee: ``quality`` / ``behaviour`` on the 0-100 scale or latent values directly."""
    sup_r = latent_for_score(quality) if quality is not None else (results_latent or 0.0)
    sup_b = latent_for_score(behaviour) if behaviour is not None else (behaviour_latent or 0.0)
    return make_evidence(1, indicators=indicators, target=[target], realisation=[realisation],
                         sup_results=[sup_r], sup_behaviour=[sup_b], **kw)


POLICIES = {
    "pp46_2011": (p46.score, p46.Pp46Params),
    "pp30_2019": (p30.score, p30.Pp30Params),
    "permenpanrb_2022": (p2022.score, p2022.Permenpanrb2022Params),
    "rater_calibrated": (rc.score, rc.RaterCalibratedParams),
}


def run(name: str, evidence: Evidence, **params):
    fn, cls = POLICIES[name]
    return fn(evidence, cls(**params))


# --------------------------------------------------------------------------------------------
# Domain-readable cases: (situation, policy, params, evidence, expected predikat, expected score)
# Expected numbers are worked by hand from the regulation's formulas, shown in the comments.
# --------------------------------------------------------------------------------------------

CASES = [
    # Perka BKN 1/2013 worked example: (100 + 90 + 76 + 76) / 4 = 85.50; final 0.6 x 85.5 + 0.4 x 80.
    ("PP 46: one budget activity on target, quality 90, behaviour 80 reproduces the 85.50 example and is Baik",
     "pp46_2011", {}, lambda: one([("budget", True)], [100], [100], quality=90, behaviour=80), "baik", 83.3),
    # count 130/100 capped at 100 -> (100 + 100 + 76) / 3 = 92; time 7.6/10 (24 % faster) -> 100,
    # activity 100; SKP = 96 + 2 (4 extra tasks) + 6 (new idea, organisasi) = 104; 0.6 x 104 + 0.4 x 95.
    ("PP 46: targets beaten, flawless quality, 4 extra tasks and a new idea is Sangat Baik",
     "pp46_2011", {}, lambda: one([("count", True), ("time", True)], [100, 10], [130, 7.6], quality=100,
                                  behaviour=95, extra_tasks=[4], new_idea=[True]), "sangat_baik", 100.4),
    # (40 + 60 + 76) / 3 = 58.667; 0.6 x 58.667 + 0.4 x 55 = 57.2 -> 51-60 Kurang.
    ("PP 46: realising 40 % of the output target with poor quality and behaviour is Kurang",
     "pp46_2011", {}, lambda: one([("count", True)], [100], [40], quality=60, behaviour=55), "kurang", 57.2),
    # time 20 h against 10 h: (1.76 - 2) x 100 = -24, clipped to 0; (100 + 50 + 0) / 3 = 50; 30 + 18 = 48.
    ("PP 46: taking twice the target time with poor quality and behaviour is Buruk",
     "pp46_2011", {}, lambda: one([("time", True)], [10], [20], quality=50, behaviour=45), "sangat_kurang", 48.0),
    # 5 h against 10 h is 50 % efficiency (> 24 %): 76 - (126 - 100) = 50; (100 + 80 + 50) / 3 = 76.667.
    ("PP 46: finishing in half the target time scores below on-time under the 24 % efficiency break",
     "pp46_2011", {}, lambda: one([("time", True)], [10], [5], quality=80, behaviour=80), "baik", 78.0),
    # rework 10 % against a 5 % target: error-free 90 / 95 x 100 = 94.737; (100 + 94.737 + 76) / 3.
    ("PP 46: a rework share twice its target lowers the quality aspect to 94.7 and stays Baik",
     "pp46_2011", {}, lambda: one([("error_share", True)], [5], [10], quality=0, behaviour=85), "baik",
     0.6 * (100 + 100 * 90 / 95 + 76) / 3 + 0.4 * 85),
    # capaian 120 % -> 120; behaviour score 95.5 -> 110 + 4.5 / 9 x 10 = 115; 0.7 x 120 + 0.3 x 115.
    ("PP 30: capaian above 110 %, behaviour 95.5 and a new idea is Sangat Baik",
     "pp30_2019", {}, lambda: one([("count", True)], [100], [120], behaviour=95.5, new_idea=[True]),
     "sangat_baik", 118.5),
    ("PP 30: the same score without a new idea is only Baik (Art. 41(5))",
     "pp30_2019", {}, lambda: one([("count", True)], [100], [120], behaviour=95.5), "baik", 118.5),
    # capaian 98 % -> 88 (annex example); behaviour 82 -> 90 + 6 / 15 x 20 = 98; 61.6 + 29.4 = 91.
    ("PP 30: capaian 98 % (value 88) and average behaviour is Baik at 91",
     "pp30_2019", {}, lambda: one([("count", True)], [100], [98], behaviour=82), "baik", 91.0),
    # capaian 70 % -> 60; behaviour 70 -> 70 + 9 / 15 x 20 = 82; 42 + 24.6 = 66.6 -> Kurang.
    ("PP 30: capaian 70 % and behaviour 70 is Kurang",
     "pp30_2019", {}, lambda: one([("count", True)], [100], [70], behaviour=70), "kurang", 66.6),
    # 360: latent (0.6 x 0 + 0.2 x 3) / 0.8 = 0.75 -> 85.375 -> 102.5; capaian 100 % -> 109; 60/40.
    ("PP 30 with 360: peers lift the behaviour value, no subordinates, 60/40 weights give 106.4 Baik",
     "pp30_2019", {"uses_360": True},
     lambda: one([("count", True)], [100], [100], behaviour_latent=0.0, peer_behaviour=[[3.0] * 7]), "baik", 106.4),
    ("2022: results and behaviour above expectation is Sangat Baik",
     "permenpanrb_2022", {}, lambda: one([("count", True)], [100], [100], results_latent=3, behaviour_latent=3),
     "sangat_baik", None),
    ("2022: results above but behaviour below expectation is Kurang/Misconduct",
     "permenpanrb_2022", {}, lambda: one([("count", True)], [100], [100], results_latent=3, behaviour_latent=-4),
     "kurang", None),
    ("2022: both below expectation is Sangat Kurang",
     "permenpanrb_2022", {}, lambda: one([("count", True)], [100], [100], results_latent=-4, behaviour_latent=-4),
     "sangat_kurang", None),
    ("2022: results below with behaviour as expected is Butuh Perbaikan",
     "permenpanrb_2022", {}, lambda: one([("count", True)], [100], [100], results_latent=-4, behaviour_latent=0),
     "butuh_perbaikan", None),
    ("2022 capaian: two main results at 115 % rate di atas, with behaviour above is Sangat Baik",
     "permenpanrb_2022", {"results_source": "capaian"},
     lambda: one([("count", True), ("count", True)], [100, 100], [115, 115], behaviour_latent=3), "sangat_baik", None),
    ("2022 capaian: one main result of three at 95 % is a small part, results sesuai, Baik",
     "permenpanrb_2022", {"results_source": "capaian"},
     lambda: one([("count", True)] * 3, [100] * 3, [105, 105, 95], behaviour_latent=3), "baik", None),
    ("2022 capaian: results at 80 % rate di bawah even when the superior thinks highly, Butuh Perbaikan",
     "permenpanrb_2022", {"results_source": "capaian"},
     lambda: one([("count", True)], [100], [80], results_latent=3, behaviour_latent=3), "butuh_perbaikan", None),
    ("2022 supervisor: the same employee rated on the superior's judgement alone is Sangat Baik",
     "permenpanrb_2022", {"results_source": "supervisor"},
     lambda: one([("count", True)], [100], [80], results_latent=3, behaviour_latent=3), "sangat_baik", None),
    ("2022 both: the superior may differ from capaian by one level only, di atas over di bawah gives Baik",
     "permenpanrb_2022", {"results_source": "both"},
     lambda: one([("count", True)], [100], [80], results_latent=3, behaviour_latent=3), "baik", None),
]


@pytest.mark.parametrize("situation, policy, params, build, expected, expected_score", CASES,
                         ids=[c[0] for c in CASES])
def test_domain_cases(situation, policy, params, build, expected, expected_score):
    appraisal = run(policy, build(), **params)
    assert appraisal.predikat[0] == to_codes([expected])[0], situation
    if expected_score is None:
        assert np.isnan(appraisal.score[0])
    else:
        assert appraisal.score[0] == pytest.approx(expected_score, abs=1e-6)


def test_pp46_worked_example_components():
    a = run("pp46_2011", one([("budget", True)], [100], [100], quality=90, behaviour=80))
    c = a.components.iloc[0]
    assert c["skp"] == pytest.approx(85.5)
    assert c["cost_mean"] == pytest.approx(76.0)
    assert c["quantity_mean"] == pytest.approx(100.0) and c["time_mean"] == pytest.approx(76.0)
    assert c["behaviour"] == pytest.approx(80.0)
    assert np.isnan(c["behaviour_kepemimpinan"])  # not a structural official


def test_pp46_budget_as_quantity_changes_the_aspect():
    ev = one([("budget", True)], [90], [99], quality=90, behaviour=80)
    cost = run("pp46_2011", ev).components.iloc[0]
    qty = run("pp46_2011", ev, budget_aspect="quantity").components.iloc[0]
    # Spending 10 % more than planned: (1.76 - 1.1) x 100 = 66 on the cost aspect.
    assert cost["cost_mean"] == pytest.approx(66.0)
    assert np.isnan(qty["cost_mean"]) and qty["quantity_mean"] == pytest.approx(100.0)  # 110 capped at 100


def test_pp46_error_share_counts_against_the_employee_whatever_the_quality_source():
    for source, column in (("shares", "quality_mean"), ("supervisor", "quantity_mean")):
        good = run("pp46_2011", one([("error_share", True)], [5], [5], quality=82, behaviour=82), quality_source=source)
        bad = run("pp46_2011", one([("error_share", True)], [5], [10], quality=82, behaviour=82), quality_source=source)
        assert bad.components.loc[0, column] == pytest.approx(100 * 90 / 95), source
        assert bad.score[0] < good.score[0], source


def test_pp46_kepemimpinan_counts_only_for_structural_posts():
    dims = np.zeros((2, 7))
    dims[:, BEHAVIOUR_DIMENSIONS.index("adaptif")] = latent_for_score(60)
    dims[:, BEHAVIOUR_DIMENSIONS.index("kolaboratif")] = latent_for_score(60)
    ev = make_evidence(2, sup_behaviour=dims, structural=[True, False])
    comp = run("pp46_2011", ev).components
    assert comp.loc[0, "behaviour_kepemimpinan"] == pytest.approx(60.0)
    assert np.isnan(comp.loc[1, "behaviour_kepemimpinan"])
    # kerja_sama = mean(harmonis 82, kolaboratif 60) -> latent mean -> 71.
    assert comp.loc[1, "behaviour_kerja_sama"] == pytest.approx(71.0)
    five = [82, 82, 82, 82, 71]  # pelayanan, integritas, komitmen, disiplin, kerja sama
    assert comp.loc[1, "behaviour"] == pytest.approx(np.mean(five))
    assert comp.loc[0, "behaviour"] == pytest.approx(np.mean(five + [60]))


def test_pp30_weights_main_and_additional_results():
    ev = one([("count", True), ("count", False)], [100, 100], [100, 50], behaviour=82)
    c = run("pp30_2019", ev).components.iloc[0]
    additional = 50 / 59 * 49  # Sangat Kurang band of PermenPANRB 8/2021
    assert c["skp"] == pytest.approx(0.8 * 109 + 0.2 * additional)
    c0 = run("pp30_2019", ev, additional_share=0.0).components.iloc[0]
    assert c0["skp"] == pytest.approx(109.0)


def test_pp30_360_without_peers_or_subordinates_is_the_supervisor_alone():
    ev = one([("count", True)], [100], [100], behaviour_latent=1.0)
    a = run("pp30_2019", ev, uses_360=True).components.iloc[0]
    b = run("pp30_2019", ev).components.iloc[0]
    assert a["behaviour"] == pytest.approx(b["behaviour"]) and a["behaviour_sources"] == 1


def test_2022_unit_head_is_rated_by_the_units_achievement():
    # Head 0 leads staff 1-3; the unit achieved 115 % (istimewa) -> head's results di atas.
    ev = make_evidence(4, superior=[-1, 0, 0, 0], sup_results=[-4, 0, 0, 0], sup_behaviour=[[3]] * 4,
                       org_capaian=[115, 115, 115, 115])
    a = run("permenpanrb_2022", ev, curve="off")
    c = a.components
    assert bool(c.loc[0, "results_from_org"]) and c.loc[0, "led_org_capaian"] == pytest.approx(115)
    assert a.predikat[0] == 0  # di atas x di atas
    b = run("permenpanrb_2022", ev, curve="off", leaders_use_org_results=False)
    assert b.predikat[0] == to_codes(["butuh_perbaikan"])[0]  # own judgement: results below


# --------------------------------------------------------------------------------------------
# Distribution curve: warn vs enforce
# --------------------------------------------------------------------------------------------


def team_evidence(sizes, org, results, behaviour) -> Evidence:
    """Teams of the given sizes, each led by a head who is rated outside (OPD head per team)."""
    sizes = np.asarray(sizes)
    n = int(sizes.sum() + len(sizes))
    heads = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])
    team = np.repeat(np.arange(len(sizes)), sizes + 1)
    superior = np.where(np.isin(np.arange(n), heads), -1, heads[team])
    return make_evidence(n, superior=superior, opd=team, sup_results=np.resize(results, n),
                         sup_behaviour=np.resize(behaviour, n)[:, None], org_capaian=np.asarray(org)[team])


def test_warn_lists_violations_and_changes_nothing():
    # One team of 8 all Baik under an organisational Baik: the curve wants someone below Baik.
    ev = team_evidence([8], [100], results=[0.0], behaviour=[0.0])
    a = run("permenpanrb_2022", ev, curve="warn")
    assert (a.predikat == a.components["predikat_quadrant"]).all()
    assert not a.components["moved_by_curve"].any()
    staff = a.notes[a.notes["n"] == 8].iloc[0]
    assert staff["org_predikat"] == "baik" and staff["moved"] == 0 and not staff["valid_after"]
    assert "butuh_perbaikan+kurang: has 0 of 8" in staff["violations"]


def test_enforce_moves_people_and_records_it():
    rng = np.random.default_rng(3)
    ev = team_evidence([8], [100], results=rng.normal(0, 1, 9), behaviour=rng.normal(0, 1, 9))
    a = run("permenpanrb_2022", ev, curve="enforce")
    moved = a.components["moved_by_curve"].to_numpy()
    assert moved.sum() >= 1
    assert (moved == (a.predikat != a.components["predikat_quadrant"].to_numpy())).all()
    assert a.notes["moved"].sum() == moved.sum() and a.notes["valid_after"].all()
    # The one moved down is the lowest priority of the team's Baik members.
    team = a.components["pool_key"].to_numpy() == 0
    down = moved & team
    prio = a.components["curve_priority"].to_numpy()
    assert prio[down].max() <= prio[team & ~down].min()


def test_warn_texts_are_the_rules_own_messages(test_evidence):
    a = run("permenpanrb_2022", test_evidence, curve="warn")
    assert len(a.notes) > 0
    for row in a.notes.head(25).itertuples():
        counts = [getattr(row, f"n_{p}") for p in PREDIKAT]
        valid, messages = rule_2022.curve_check(counts, row.org_predikat)
        assert not valid and row.violations == "; ".join(messages)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(1, 14), min_size=1, max_size=8),
       orgs=st.lists(st.floats(30, 130), min_size=8, max_size=8),
       seed=st.integers(0, 2**32 - 1), pool=st.sampled_from(["unit", "opd"]))
def test_enforce_leaves_every_pool_valid(sizes, orgs, seed, pool):
    rng = np.random.default_rng(seed)
    n = sum(sizes) + len(sizes)
    ev = team_evidence(sizes, orgs[:len(sizes)], results=rng.normal(0, 3, n), behaviour=rng.normal(0, 3, n))
    a = run("permenpanrb_2022", ev, curve="enforce", curve_pool=pool)
    codes, n_groups = common.group_codes(a.components["pool_key"].to_numpy())
    org = np.zeros(n_groups, dtype=np.int64)
    org[codes] = a.components["org_predikat_pool"].to_numpy()
    assert rule_2022.curve_check_groups(a.predikat, codes, org).all()
    warn = run("permenpanrb_2022", ev, curve="warn", curve_pool=pool)
    assert (warn.predikat == a.components["predikat_quadrant"]).all()
    assert a.components["moved_by_curve"].sum() == a.notes["moved"].sum()
    assert len(a.notes) == len(warn.notes)


# --------------------------------------------------------------------------------------------
# Properties: bounds and monotonicity
# --------------------------------------------------------------------------------------------


def random_evidence(seed: int, n: int, kinds) -> Evidence:
    rng = np.random.default_rng(seed)
    k = len(kinds)
    target = rng.uniform(5, 95, (n, k))
    realisation = target * rng.uniform(0.2, 2.2, (n, k))
    realisation = np.where(np.array([KINDS[c][1] == "logit_percent" for c, _ in kinds]), np.minimum(realisation, 99.0),
                           realisation)
    return make_evidence(n, indicators=list(kinds), target=target, realisation=realisation,
                         sup_results=rng.normal(0, 2, n), sup_behaviour=rng.normal(0, 2, (n, 7)),
                         new_idea=rng.random(n) < 0.3, extra_tasks=rng.integers(0, 9, n),
                         structural=rng.random(n) < 0.3)


KIND_LISTS = st.lists(st.tuples(st.sampled_from(sorted(KINDS)), st.booleans()), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kinds=KIND_LISTS)
def test_scores_stay_within_their_scales(seed, kinds):
    ev = random_evidence(seed, 30, kinds)
    s46 = run("pp46_2011", ev).score
    assert np.all((s46 >= 0) & (s46 <= 100 + 3 + 12))  # aspects <= 100, bonuses <= 3 + 12
    s30 = run("pp30_2019", ev).score
    assert np.all((s30 >= 0) & (s30 <= 120))
    for name in POLICIES:
        p = run(name, ev).predikat
        assert p.dtype == np.int8 and np.all((p >= 0) & (p <= 4))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), factor=st.floats(1.0, 3.0),
       kinds=st.lists(st.sampled_from([("count", True), ("share", True), ("count", False)]), min_size=1, max_size=3))
def test_more_output_never_lowers_the_pp46_score(seed, factor, kinds):
    ev = random_evidence(seed, 30, kinds)
    more = np.minimum(ev.realisation * factor, 99.0)
    more = np.where(np.asarray(ev.indicators["scale"] == "log")[None, :], ev.realisation * factor, more)
    ev2 = make_evidence(30, indicators=list(kinds), target=ev.target, realisation=np.maximum(more, ev.realisation),
                        sup_results=ev.supervisor_results, sup_behaviour=ev.supervisor_behaviour,
                        new_idea=ev.new_idea, extra_tasks=ev.extra_tasks,
                        structural=ev.employees["is_structural"].to_numpy())
    assert np.all(run("pp46_2011", ev2).score >= run("pp46_2011", ev).score - 1e-9)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), factor=st.floats(1.0, 3.0), kinds=KIND_LISTS)
def test_more_capaian_never_lowers_the_pp30_score(seed, factor, kinds):
    ev = random_evidence(seed, 30, kinds)
    lower = np.array([KINDS[c][2] for c, _ in kinds])[None, :]
    better = np.where(lower, ev.realisation / factor, ev.realisation * factor)
    ev2 = make_evidence(30, indicators=list(kinds), target=ev.target, realisation=better,
                        sup_results=ev.supervisor_results, sup_behaviour=ev.supervisor_behaviour,
                        new_idea=ev.new_idea, extra_tasks=ev.extra_tasks)
    assert np.all(np.nan_to_num(ev2.capaian) >= np.nan_to_num(ev.capaian) - 1e-9)
    assert np.all(run("pp30_2019", ev2).score >= run("pp30_2019", ev).score - 1e-9)


def test_pp46_time_aspect_follows_the_regulations_non_monotone_formula():
    # Perka BKN 1/2013: the time value peaks at 24 % under the target and falls after it.
    values = [run("pp46_2011", one([("time", True)], [10], [r], quality=82, behaviour=82)).components.loc[0, "time_mean"]
              for r in (10, 8.5, 7.6, 6, 5)]
    assert values == pytest.approx([76, 91, 100, 60, 50])  # 6 h: 76 - (116 - 100)


# --------------------------------------------------------------------------------------------
# Rater calibration
# --------------------------------------------------------------------------------------------


def leniency_evidence(n_raters=300, team=8, seed=0):
    """Raters with known leniency (SD 1) and slope rate teams whose truth is N(0, 1)."""
    rng = np.random.default_rng(seed)
    n = n_raters * (team + 1)
    heads = np.arange(n_raters) * (team + 1)
    group = np.repeat(np.arange(n_raters), team + 1)
    is_head = np.isin(np.arange(n), heads)
    superior = np.where(is_head, -1, heads[group])
    # Who rated whom: staff by their head, each head by an outside rater of its own OPD.
    rater = np.where(is_head, n_raters + group, group)
    leniency = rng.normal(0, 1, 2 * n_raters)
    slope = np.exp(rng.normal(0, 0.3, 2 * n_raters))
    truth = rng.normal(0, 1, n)
    impression = truth + rng.normal(0, 0.5, n)
    dims = leniency[rater][:, None] + slope[rater][:, None] * (impression[:, None] + rng.normal(0, 0.7, (n, 7)))
    results = leniency[rater] + slope[rater] * (truth + rng.normal(0, 0.7, n))
    ev = make_evidence(n, superior=superior, opd=group, sup_behaviour=dims, sup_results=results)
    return ev, leniency[rater], truth, is_head


def test_calibration_removes_rater_leniency():
    ev, true_leniency, truth, is_head = leniency_evidence()
    a = run("rater_calibrated", ev)
    staff = ~is_head
    raw = np.corrcoef(a.components["behaviour_raw"][staff], true_leniency[staff])[0, 1]
    adj = np.corrcoef(a.components["behaviour_adjusted"][staff], true_leniency[staff])[0, 1]
    fair = np.corrcoef(a.score[staff], true_leniency[staff])[0, 1]
    assert raw > 0.5
    # Empirical-Bayes shrinkage keeps (1 - B), about 13 % for teams of 8, of each rater's mean:
    # the Bayes-optimal share when a team mean is partly the team's true performance. So the
    # residual correlation is small (about 0.15-0.19 over seeds 0-3), not exactly 0 ...
    assert abs(adj) < 0.25 and abs(adj) < raw / 3 and abs(fair) < 0.25
    # ... while the unshrunk adjustment removes leniency entirely (and the team mean with it).
    full = run("rater_calibrated", ev, shrink=False)
    assert abs(np.corrcoef(full.components["behaviour_adjusted"][staff], true_leniency[staff])[0, 1]) < 0.05
    # ... and the adjusted rating tracks the truth better than the raw one.
    assert np.corrcoef(a.components["behaviour_adjusted"][staff], truth[staff])[0, 1] > \
        np.corrcoef(a.components["behaviour_raw"][staff], truth[staff])[0, 1] + 0.1  # 0.81 vs 0.64 (seed 0)
    # Estimated leniency follows the true one.
    assert np.corrcoef(a.components["rater_leniency"][staff], true_leniency[staff])[0, 1] > 0.9


def test_calibration_shrinks_small_teams_more():
    ev, *_ = leniency_evidence()
    notes = run("rater_calibrated", ev).notes
    assert notes["leniency_shrinkage"].between(0, 1).all()
    staff_raters = notes[notes["team_size"] == 8]
    single = notes[notes["team_size"] == 1]
    # One ratee: not adjusted (min_team_size 2); eight ratees: shrinkage close to 1 but below it.
    assert (single["leniency"] == 0).all() and (single["spread"] == 1).all()
    assert staff_raters["leniency_shrinkage"].between(0.7, 0.99).all()
    b = rc.estimate_rater_effects(np.r_[np.zeros(2), np.ones(10), np.linspace(-1, 1, 20)],
                                  np.r_[np.zeros(2, int), np.ones(10, int), np.repeat([2, 3], 10)], 4)
    assert b.leniency_shrinkage[0] < b.leniency_shrinkage[1]
    unshrunk = run("rater_calibrated", ev, shrink=False).notes
    assert np.allclose(unshrunk["leniency"], unshrunk["raw_leniency"])


def test_calibration_keeps_the_overall_shares_roughly_under_rescaled_thresholds(test_evidence):
    a = run("rater_calibrated", test_evidence)
    b = run("permenpanrb_2022", test_evidence, curve="off")
    assert abs(a.shares()["baik"] - b.shares()["baik"]) < 0.1


def test_calibration_on_pp30_base_uses_pp30_bands():
    ev, *_ = leniency_evidence(n_raters=20)
    a = run("rater_calibrated", ev, base="pp30_2019")
    assert np.all((a.score >= 0) & (a.score <= 120))
    assert "skp" in a.components


# --------------------------------------------------------------------------------------------
# Determinism, real evidence, parameters
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def test_evidence(test_period):
    return test_period.evidence


PARAM_VARIANTS = [
    ("pp46_2011", {}), ("pp46_2011", {"quality_source": "supervisor", "budget_aspect": "quantity"}),
    ("pp30_2019", {}), ("pp30_2019", {"uses_360": True}),
    ("permenpanrb_2022", {}), ("permenpanrb_2022", {"curve": "enforce"}),
    ("permenpanrb_2022", {"results_source": "capaian", "curve": "enforce", "curve_pool": "opd"}),
    ("permenpanrb_2022", {"results_source": "both"}),
    ("rater_calibrated", {}), ("rater_calibrated", {"base": "pp30_2019"}),
]


@pytest.mark.parametrize("name, params", PARAM_VARIANTS, ids=[f"{n}-{p}" for n, p in PARAM_VARIANTS])
def test_same_evidence_gives_identical_appraisal(test_evidence, name, params):
    a, b = run(name, test_evidence, **params), run(name, test_evidence, **params)
    assert np.array_equal(a.score, b.score, equal_nan=True)
    assert np.array_equal(a.predikat, b.predikat)
    pd.testing.assert_frame_equal(a.components, b.components)
    pd.testing.assert_frame_equal(a.notes, b.notes)


@pytest.mark.parametrize("name, params", PARAM_VARIANTS, ids=[f"{n}-{p}" for n, p in PARAM_VARIANTS])
def test_runs_on_the_simulated_test_preset(test_evidence, name, params):
    a = run(name, test_evidence, **params)
    n = test_evidence.n
    assert a.n == n and a.rule == name and len(a.components) == n
    assert np.array_equal(a.employee_id, test_evidence.employees["employee_id"].to_numpy())
    assert a.predikat.dtype == np.int8 and a.predikat.min() >= 0 and a.predikat.max() <= 4
    assert all(SNAKE.match(c) for c in a.components.columns)
    assert all(SNAKE.match(c) for c in a.notes.columns)
    if name == "permenpanrb_2022":
        assert np.isnan(a.score).all()
    else:
        assert np.isfinite(a.score).all()
    shares = a.shares()
    assert shares.idxmax() == "baik"  # the Indonesian pile-up, under every rule on the status quo
    assert shares["kurang"] + shares["sangat_kurang"] < 0.1


def test_baseline_shows_the_pile_up(period):
    ev = period.evidence
    s46 = run("pp46_2011", ev).shares()
    assert s46["baik"] > 0.6 and s46["sangat_baik"] < 0.35
    s22 = run("permenpanrb_2022", ev).shares()
    assert s22["baik"] > 0.85 and 0.02 < s22["sangat_baik"] < 0.12
    enforced = run("permenpanrb_2022", ev, curve="enforce")
    assert enforced.shares()["butuh_perbaikan"] > s22["butuh_perbaikan"] + 0.05
    assert enforced.notes["valid_after"].all()


BAD_PARAMS = [
    ("pp46_2011", {"aspect_cap": 50}, "aspect_cap"),
    ("pp46_2011", {"creativity_level": "provinsi"}, "creativity_level"),
    ("pp46_2011", {"aspectcap": 120}, "aspectcap"),
    ("pp30_2019", {"additional_share": 1.5}, "additional_share"),
    ("pp30_2019", {"uses_360": True, "weight_peers": 0, "weight_subordinates": 0}, "weight_peers"),
    ("permenpanrb_2022", {"curve": "strict"}, "curve"),
    ("permenpanrb_2022", {"curve_pool": "region"}, "curve_pool"),
    ("permenpanrb_2022", {"below_under": 120, "exceeds_above": 110}, "below_under"),
    ("permenpanrb_2022", {"org_thresholds": [90, 110, 70, 50]}, "org_thresholds"),
    ("rater_calibrated", {"spread_limit": 0.5}, "spread_limit"),
    ("rater_calibrated", {"base": "pp46_2011"}, "base"),
]


@pytest.mark.parametrize("name, params, field", BAD_PARAMS, ids=[f"{n}-{f}" for n, _, f in BAD_PARAMS])
def test_bad_params_are_rejected_naming_the_field(name, params, field):
    with pytest.raises(ScenarioError) as info:
        validate_policy_params(name, params)
    assert f"params.{field}" in str(info.value)


def test_params_are_described():
    for _, cls in POLICIES.values():
        for fname, f in cls.model_fields.items():
            assert f.description and len(f.description) > 20, fname


# --------------------------------------------------------------------------------------------
# common.py helpers
# --------------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), k=st.integers(1, 6))
def test_group_statistics_match_pandas(seed, n, k):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, k, n) * 7 - 3
    x = rng.normal(5, 2, n)
    x[rng.random(n) < 0.1] = np.nan
    codes, ng = common.group_codes(keys)
    df = pd.DataFrame({"g": codes, "x": x}).groupby("g")["x"]
    np.testing.assert_allclose(common.group_mean(x, codes, ng), df.mean().reindex(range(ng)).to_numpy())
    np.testing.assert_allclose(common.group_std(x, codes, ng, ddof=1), df.std(ddof=1).reindex(range(ng)).to_numpy())
    z = common.group_zscore(x, codes, ng, min_size=2)
    assert np.all(np.isnan(z) == np.isnan(x))
    big = common.group_count(codes, ng, x)[codes] >= 2
    np.testing.assert_allclose(common.group_mean(np.where(big, z, np.nan), codes, ng)[np.unique(codes[big & ~np.isnan(x)])], 0,
                               atol=1e-9)
    rank = common.rank_in_group(x, codes)
    for g in range(ng):
        members = codes == g
        assert sorted(rank[members]) == list(range(members.sum()))
        order = np.argsort(rank[members])
        vals = np.where(np.isnan(x[members]), -1e300, x[members])[order]  # NaN ranks last
        assert np.all(np.diff(vals) <= 0)


def test_band_and_rescale_bands():
    assert common.band([91, 90.99, 76, 60.5, 0], [91, 76, 61, 51, 0]).tolist() == [0, 1, 1, 3, 4]
    edges46, edges30 = [0, 51, 61, 76, 91, 100], [0, 50, 70, 90, 110, 120]
    assert common.rescale_bands([51, 76, 83.5, 100, 130], edges46, edges30).tolist() == [50, 90, 100, 120, 120]
    with pytest.raises(ValueError):
        common.band([np.nan], [0])


def test_nan_weighted_mean_renormalises():
    v = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])
    out = common.nan_weighted_mean(v, [0.5, 0.25, 0.25])
    assert out[0] == pytest.approx((0.5 * 1 + 0.25 * 3) / 0.75) and np.isnan(out[1])


def test_pools_and_rater_keys(test_evidence):
    e = test_evidence.employees
    codes, n = common.pool_codes(test_evidence, "unit")
    sup = e["superior_id"].to_numpy()
    for g in range(min(n, 30)):
        members = codes == g
        assert len(set(sup[members])) == 1
        if sup[members][0] < 0:
            assert len(set(e["opd_id"].to_numpy()[members])) == 1
    for pool in common.POOLS:
        c, ng = common.pool_codes(test_evidence, pool)
        assert len(c) == test_evidence.n and c.max() == ng - 1
    rows = common.superior_rows(test_evidence)
    has = rows >= 0
    assert np.array_equal(e["employee_id"].to_numpy()[rows[has]], sup[has])
    with pytest.raises(ValueError, match="pool"):
        common.pool_codes(test_evidence, "province")


def test_indicator_attribute_gathers_per_kind(test_evidence):
    names = common.indicator_attribute(test_evidence, "name", "")
    present = common.has_indicator(test_evidence)
    assert np.all((names != "") == present)
    kinds = test_evidence.employees["opd_kind"].astype(str).to_numpy()
    assert all(n.startswith(k) for n, k in zip(names[:, 0], kinds))


def test_shrinkage_factor_limits():
    assert common.shrinkage_factor(0.0, 1.0) == 0 and common.shrinkage_factor(1.0, 0.0) == 1
    assert common.shrinkage_factor(1.0, 1.0) == pytest.approx(0.5)
    assert common.shrinkage_factor(-1.0, 1.0) == 0 and common.shrinkage_factor(1.0, np.nan) == 0


# --------------------------------------------------------------------------------------------
# Fast paths and memoised look-ups give the same bits as the plain NumPy / pandas computation
# --------------------------------------------------------------------------------------------


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":  # NaN payloads and the sign of zero included
        return np.array_equal(a.view(np.int64), b.view(np.int64))
    return np.array_equal(a, b)


def test_row_reductions_are_bit_identical_to_numpy():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 5, 33, 4500):
        for k in range(11):
            v = rng.standard_normal((n, k)) * 10.0 ** rng.integers(-8, 8, (n, k))
            v[rng.random((n, k)) < 0.2] = np.nan
            v[rng.random((n, k)) < 0.1] = -0.0
            v[rng.random((n, k)) < 0.02] = np.inf
            filled = np.where(np.isnan(v), 0.0, v)
            for x in (filled, -np.abs(filled), v):
                assert _same_bits(common.row_sum(x), x.sum(axis=1)), (n, k)
            mask = np.isnan(v)
            assert _same_bits(common.row_count(mask), mask.sum(axis=1))
            if k:
                assert _same_bits(common.row_mean(filled), filled.mean(axis=1))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice"
                    expected = np.nanmean(v, axis=1)
                assert _same_bits(common.row_nanmean(v), expected)


def test_sort_by_group_is_lexsort():
    rng = np.random.default_rng(3)
    for trial in range(400):
        n = int(rng.integers(0, 80))
        key = rng.integers(0, 4, n).astype(float) if trial % 2 else rng.standard_normal(n)
        if trial % 3 == 0:
            key[rng.random(n) < 0.2] = np.nan
        if trial % 5 == 0:
            key[rng.random(n) < 0.3] = -0.0
        codes = rng.integers(-3 if trial % 7 == 0 else 0, 70_000 if trial % 11 == 0 else 9, n)
        assert np.array_equal(arrays._sort_by_group(key, codes), np.lexsort((key, codes)))


def test_group_stats_and_zscore_match_the_separate_group_functions():
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 40, 500)
    v = rng.standard_normal(500) * 3 + 10
    v[rng.random(500) < 0.1] = np.nan
    count, mean, sd = common.group_stats(v, codes, 45, ddof=1)
    assert _same_bits(count, common.group_count(codes, 45, v))
    assert _same_bits(mean, common.group_mean(v, codes, 45))
    ref_mean = common.group_mean(v, codes, 45)
    ss = common.group_sum((v - ref_mean[codes]) ** 2, codes, 45)
    with np.errstate(invalid="ignore", divide="ignore"):
        ref_sd = np.where(count > 1, np.sqrt(ss / np.maximum(count - 1, 1)), np.nan)
    assert _same_bits(sd, ref_sd) and _same_bits(common.group_std(v, codes, 45, ddof=1), ref_sd)
    count0, mean0, sd0 = common.group_stats(v, codes, 45)
    with np.errstate(invalid="ignore", divide="ignore"):
        ref_z = np.where((count0[codes] >= 2) & np.isfinite(sd0[codes]) & (sd0[codes] > 0),
                         (v - mean0[codes]) / sd0[codes], 0.0)
    assert _same_bits(common.group_zscore(v, codes, 45), np.where(np.isnan(v), np.nan, ref_z))


def _uncached_lookups(ev: Evidence) -> dict[str, np.ndarray]:
    """The employee-table look-ups computed directly from the frame (no memo)."""
    e = ev.employees
    ids, sup = e["employee_id"].to_numpy(), e["superior_id"].to_numpy()
    opd, unit = e["opd_id"].to_numpy().astype(np.int64), e["unit_id"].to_numpy().astype(np.int64)
    order = np.argsort(ids, kind="stable")
    pos = np.clip(np.searchsorted(ids[order], sup), 0, max(len(ids) - 1, 0))
    found = (sup >= 0) & (ids[order][pos] == sup) if len(ids) else np.zeros(0, bool)
    rater = np.where(sup >= 0, sup.astype(np.int64), -(opd + 1))
    kinds = e["opd_kind"].astype(str).to_numpy()
    return {
        "superior_rows": np.where(found, order[pos], -1).astype(np.int64) if len(ids)
        else np.zeros(0, np.int64),
        "rater_keys": rater,
        "unit": rater, "work_unit": np.where(unit >= 0, unit, -(opd + 1)), "opd": opd,
        "opd_kind": np.array([OPD_KINDS.index(k) if k in OPD_KINDS else len(OPD_KINDS) for k in kinds],
                             np.int64),
        "region": np.zeros(len(e), np.int64),
    }


@pytest.mark.parametrize("size", [1, 2, 7, 60, None])
def test_memoised_employee_lookups_match_the_uncached_computation(test_evidence, size):
    if size is None:
        ev = test_evidence
    else:
        ev = make_evidence(size, superior=[-1] + [0] * (size - 1), opd=np.arange(size) % 3)
    ref = _uncached_lookups(ev)
    assert _same_bits(common.superior_rows(ev), ref["superior_rows"])
    assert _same_bits(common.rater_keys(ev), ref["rater_keys"])
    sup_rows = ref["superior_rows"]
    assert _same_bits(common.is_leader(ev), np.bincount(sup_rows[sup_rows >= 0], minlength=ev.n) > 0)
    for pool in common.POOLS:
        keys = common.pool_keys(ev, pool)
        assert _same_bits(keys, ref[pool]), pool
        codes, n_groups = common.pool_codes(ev, pool)
        ref_codes, ref_n = common.group_codes(ref[pool])
        assert _same_bits(codes, ref_codes) and n_groups == ref_n
        sizes = np.bincount(ref_codes, minlength=ref_n).astype(np.int64)
        assert _same_bits(common.pool_sizes(ev, pool), sizes)
        group_key = common.pool_group_keys(ev, pool)
        assert _same_bits(group_key[codes], ref[pool])
        # memoised: the same read-only object every time
        assert common.pool_codes(ev, pool)[0] is codes and not codes.flags.writeable
    with pytest.raises(ValueError):
        common.superior_rows(ev)[:1] = 0


def test_memoised_indicator_lookups_match_the_uncached_computation(test_evidence):
    ev = test_evidence
    ind = ev.indicators
    kinds = ev.employees["opd_kind"].astype(str).to_numpy()
    k = ev.capaian.shape[1]
    # the per-slot attribute the plain way: one row of the indicator table per (kind, slot)
    by_cell = {(str(r.opd_kind), int(r.slot)): (str(r.name), str(r.scale)) for r in ind.itertuples()}
    names = np.array([[by_cell.get((kd, j), ("", ""))[0] for j in range(k)] for kd in kinds], dtype=object)
    scales = np.array([[by_cell.get((kd, j), ("", ""))[1] for j in range(k)] for kd in kinds], dtype=object)
    assert np.array_equal(common.indicator_attribute(ev, "name", ""), names)
    assert np.array_equal(common.indicator_scale_is(ev, "logit_percent"), scales == "logit_percent")
    ids, id_names = from_objective_index_ids(ev)
    assert np.array_equal(np.where(ids >= 0, id_names[np.maximum(ids, 0)], ""),
                          np.where(common.has_indicator(ev), names, ""))
    budget = p46._budget_slots(ev, ("anggaran", "budget", "biaya"))
    is_budget = np.vectorize(lambda s: any(w in s.lower() for w in ("anggaran", "budget", "biaya")))
    assert np.array_equal(budget, is_budget(names))
    # a copy of the indicator table (a later period) gives the same key, so the memo is shared
    fields = {f: getattr(ev, f) for f in ev.field_names()}
    copy = Evidence(**(fields | {"indicators": ind.copy()}))
    assert common.indicator_key(copy) == common.indicator_key(ev)
    assert common.indicator_scale_is(copy, "logit_percent") is common.indicator_scale_is(ev, "logit_percent")


def from_objective_index_ids(ev):
    from simulate.policies.objective_index import indicator_ids

    return indicator_ids(ev)


def test_violation_texts_match_curve_check():
    rng = np.random.default_rng(11)
    counts = rng.integers(0, 6, (300, 5))
    org = rng.integers(0, 5, 300)
    expected = ["; ".join(rule_2022.curve_check(c, int(o))[1]) for c, o in zip(counts, org)]
    assert ["; ".join(m) for m in rule_2022.curve_violations(counts, org)] == expected
    seen = {}
    assert p2022._violation_texts(counts[:150], org[:150], seen).tolist() == expected[:150]  # all new
    assert seen and p2022._violation_texts(counts, org, seen).tolist() == expected  # half seen before
    big = counts * 10_000  # too large to pack into one integer: the row-wise path
    expected = ["; ".join(rule_2022.curve_check(c, int(o))[1]) for c, o in zip(big, org)]
    assert p2022._violation_texts(big, org).tolist() == expected


def test_cached_reference_constants_match_the_tables():
    from simulate.reference import load_table
    from simulate.rules import pp30_2019 as r30
    from simulate.rules import pp46_2011 as r46

    assert rule_2022.org_predikat(95.0) == 1 and isinstance(rule_2022.org_predikat(95.0), np.int8)
    t = load_table("org_predikat_thresholds").sort_values("code")["lower_bound"].to_numpy(float)[:-1]
    x = np.array([49.9, 50, 69.99, 70, 90, 109.9, 110, 300])
    assert np.array_equal(rule_2022.org_predikat(x), (x[:, None] < t).sum(axis=1).astype(np.int8))
    assert np.array_equal(r46.predikat([50.9, 51, 91]), [4, 3, 0])
    assert np.array_equal(r30.predikat([110, 110, 89.9], [True, False, True]), [0, 1, 2])
    assert r30.final_score(100.0, 100.0, uses_360=True) == pytest.approx(100.0)
    values = np.array([0.0, 59.5, 60, 79, 99.5, 100, 100.5, 101, 110, 115, np.nan])
    bands = load_table("capaian_value_bands").sort_values("capaian_lower")
    lo, hi = bands["capaian_lower"].to_numpy(float), bands["capaian_upper"].to_numpy(float)
    vlo, vhi = bands["value_lower"].to_numpy(float), bands["value_upper"].to_numpy(float)
    b = np.clip(np.searchsorted(lo, values, side="right") - 1, 0, len(lo) - 1)
    ref = np.where(values > hi[-1], vhi[-1], vlo[b] + (vhi - vlo)[b] / (hi - lo)[b] * (values - lo[b]))
    assert _same_bits(capaian_rule.capaian_value(values), ref)


def test_forgotten_appraisals_are_scored_again_the_same_and_bases_are_kept():
    from simulate.assemble import load_scenario
    from simulate.cycle import simulate_period
    from simulate.policies.base import appraisal_keys, apply_policy, forget_appraisals
    from simulate.resources import params_dir

    ev = simulate_period(load_scenario(params_dir() / "presets" / "test.yaml"), seed=5).evidence
    keys = appraisal_keys("citizen_weighted", {})
    assert {key[1] for key in keys} == {"citizen_weighted", "permenpanrb_2022"}
    first = apply_policy(ev, "citizen_weighted")
    forget_appraisals(ev, {k for k in keys if k[1] == "permenpanrb_2022"})
    assert [k for k in keys if k in ev.derived] == [k for k in keys if k[1] == "permenpanrb_2022"]
    again = apply_policy(ev, "citizen_weighted")
    assert again is not first
    np.testing.assert_array_equal(again.score, first.score)
    np.testing.assert_array_equal(again.predikat, first.predikat)
