"""PermenPANRB 6/2022: quadrant, result rating, organisational predikat, distribution curve."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulate.rules import permenpanrb_2022 as rule

SB, B, BP, K, SK = range(5)
N_ORG = len(rule.ORG_PREDIKAT)


# --- quadrant ----------------------------------------------------------------------------------


def test_quadrant_matches_the_encoding_in_regulations_md_section_8():
    # rows hasil kerja (below, meets, above), columns perilaku kerja (below, meets, above)
    expected = np.array([[SK, BP, BP], [K, B, B], [K, B, SB]])
    np.testing.assert_array_equal(rule.quadrant(), expected)


def test_quadrant_is_vectorised():
    got = rule.predikat(np.array([2, 1, 0, 2]), np.array([2, 1, 0, 0]))
    assert got.tolist() == [SB, B, SK, K]


def test_quadrant_rejects_ratings_outside_0_to_2():
    with pytest.raises(ValueError, match="hasil_kerja"):
        rule.predikat(3, 1)


# --- rating results ----------------------------------------------------------------------------


def test_rate_results_rows():
    capaian = np.array(
        [
            [115, 120, 112, np.nan],  # all exceed -> di atas
            [115, 120, 95, np.nan],  # a main result below -> sesuai
            [100, 105, 110, np.nan],  # all meet -> sesuai
            [100, 90, 85, np.nan],  # most below -> di bawah
            [115, 118, 111, 80],  # an additional result below does not block di atas
        ]
    )
    main = np.array([True, True, True, False])
    assert rule.rate_results(capaian, main).tolist() == [2, 1, 1, 0, 2]


def test_rate_results_thresholds_are_parameters():
    assert rule.rate_results([[105, 105]], [True, True]).tolist() == [1]
    assert rule.rate_results([[105, 105]], [True, True], exceeds_above=100).tolist() == [2]
    assert rule.rate_results([[95, 95]], [True, True], below_under=90).tolist() == [1]


def test_rate_results_rejects_rows_without_results_and_bad_shares():
    with pytest.raises(ValueError, match="at least one result"):
        rule.rate_results([[np.nan, np.nan]], [True, True])
    with pytest.raises(ValueError, match="most_share"):
        rule.rate_results([[100]], [True], most_share=1.5)


@given(st.lists(st.floats(0, 200), min_size=1, max_size=8), st.data())
def test_raising_an_achievement_never_lowers_the_rating(values, data):
    main = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    i = data.draw(st.integers(0, len(values) - 1))
    higher = list(values)
    higher[i] += data.draw(st.floats(0, 100))
    before = rule.rate_results([values], main)[0]
    after = rule.rate_results([higher], main)[0]
    assert after >= before


# --- organisational predikat ---------------------------------------------------------------------


def test_org_predikat_default_thresholds():
    got = rule.org_predikat([120, 110, 109.9, 90, 89.9, 70, 69.9, 50, 49.9, 0])
    assert got.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_org_predikat_custom_thresholds_and_validation():
    assert rule.org_predikat([100, 95], [100, 95, 90, 85]).tolist() == [0, 1]
    with pytest.raises(ValueError, match="thresholds"):
        rule.org_predikat([100], [90, 100, 80, 70])


# --- curve check ---------------------------------------------------------------------------------


def compositions(n, parts=5):
    for cuts in itertools.combinations(range(n + parts - 1), parts - 1):
        edges = (-1, *cuts, n + parts - 1)
        yield tuple(edges[i + 1] - edges[i] - 1 for i in range(parts))


@pytest.mark.parametrize("org", range(N_ORG))
def test_every_curve_can_be_met_by_every_small_unit(org):
    for n in range(1, 13):
        assert any(rule.curve_check(c, org)[0] for c in compositions(n)), (
            rule.ORG_PREDIKAT[org],
            n,
        )


def test_limits_follow_the_documented_rounding_rules():
    n = np.array([1, 2, 3, 5, 9, 10])
    limits = {(c.kind, c.levels): lim for c, lim in rule.curve_limits(n, rule.ORG_KURANG)}
    np.testing.assert_array_equal(limits[("at_least", (K,))], [1, 2, 2, 3, 6, 6])  # ceil(0.6 n)
    np.testing.assert_array_equal(
        limits[("at_least", (BP,))], [0, 0, 1, 1, 1, 1]
    )  # ceil(0.1 n), what is left
    np.testing.assert_array_equal(limits[("at_most", (SB,))], [0, 0, 0, 0, 0, 1])  # floor(0.1 n)
    limits = {(c.kind, c.levels): lim for c, lim in rule.curve_limits(n, rule.ORG_BAIK)}
    np.testing.assert_array_equal(
        limits[("at_most", (B,))], [1, 1, 2, 3, 6, 7]
    )  # max(1, floor(0.7 n))
    np.testing.assert_array_equal(limits[("at_least_one", (BP, K))], [0, 1, 1, 1, 1, 1])


def test_curve_check_accepts_names_and_reports_each_violation():
    valid, violations = rule.curve_check([0, 2, 0, 0, 0], "baik")
    assert not valid
    assert violations == [
        "baik: has 2 of 2, at most 1 allowed (70 %)",
        "butuh_perbaikan+kurang: has 0 of 2, at least 1 required",
    ]
    assert rule.curve_check([0, 0, 0, 0, 0], "istimewa") == (True, [])


def test_curve_check_groups_matches_curve_check():
    rng = np.random.default_rng(7)
    sizes = rng.integers(0, 12, 300)
    groups = np.repeat(np.arange(300), sizes)
    codes = rng.integers(0, 5, groups.size)
    org = rng.integers(0, N_ORG, 300)
    got = rule.curve_check_groups(codes, groups, org)
    counts = np.zeros((300, 5), dtype=int)
    np.add.at(counts, (groups, codes), 1)
    expected = [rule.curve_check(counts[g], int(org[g]))[0] for g in range(300)]
    assert got.tolist() == expected


def test_group_ids_must_index_the_org_array():
    with pytest.raises(ValueError, match="group_ids"):
        rule.curve_check_groups([0, 1], [0, 3], [0, 0])


# --- enforcing the curve ---------------------------------------------------------------------


@st.composite
def groups_and_orgs(draw, max_groups=6, max_size=60):
    sizes = draw(st.lists(st.integers(1, max_size), min_size=1, max_size=max_groups))
    skew = draw(
        st.sampled_from(
            [
                None,
                [0.05, 0.9, 0.03, 0.01, 0.01],
                [0.6, 0.1, 0.1, 0.1, 0.1],
                [0.1, 0.1, 0.1, 0.1, 0.6],
            ]
        )
    )
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(len(sizes)), sizes)
    codes = rng.choice(5, size=groups.size, p=skew)
    scores = np.round(rng.normal(80, 10, groups.size))  # rounded: ties in score happen
    org = np.array(
        draw(st.lists(st.integers(0, N_ORG - 1), min_size=len(sizes), max_size=len(sizes)))
    )
    order = rng.permutation(groups.size)  # groups interleaved in row order
    return codes[order], scores[order], groups[order], org


@settings(max_examples=150, deadline=None)
@given(groups_and_orgs())
def test_after_enforcement_every_group_meets_its_curve(case):
    codes, scores, groups, org = case
    new, moved = rule.enforce_curve(codes, scores, groups, org)
    assert rule.curve_check_groups(new, groups, org).all()
    changed = np.bincount(groups, weights=new != codes, minlength=org.size)
    np.testing.assert_array_equal(moved, changed)


@settings(max_examples=150, deadline=None)
@given(groups_and_orgs())
def test_valid_groups_move_nobody_and_enforcement_is_idempotent(case):
    codes, scores, groups, org = case
    valid_before = rule.curve_check_groups(codes, groups, org)
    new, moved = rule.enforce_curve(codes, scores, groups, org)
    assert np.all(moved[valid_before] == 0)
    again, moved_again = rule.enforce_curve(new, scores, groups, org)
    np.testing.assert_array_equal(again, new)
    assert not moved_again.any()


@settings(max_examples=100, deadline=None)
@given(groups_and_orgs())
def test_enforcement_is_deterministic_and_groups_are_independent(case):
    codes, scores, groups, org = case
    new, moved = rule.enforce_curve(codes, scores, groups, org)
    new2, moved2 = rule.enforce_curve(codes.copy(), scores.copy(), groups.copy(), org.copy())
    np.testing.assert_array_equal(new, new2)
    np.testing.assert_array_equal(moved, moved2)
    for g in np.unique(groups):
        rows = groups == g
        alone, moved_alone = rule.enforce_curve(
            codes[rows], scores[rows], np.zeros(rows.sum(), int), org[[g]]
        )
        np.testing.assert_array_equal(alone, new[rows])
        assert moved_alone[0] == moved[g]


@settings(max_examples=100, deadline=None)
@given(groups_and_orgs(max_groups=3, max_size=25))
def test_nobody_overtakes_a_better_ranked_colleague(case):
    codes, scores, groups, org = case
    new, _ = rule.enforce_curve(codes, scores, groups, org)
    rows = np.arange(codes.size)
    for g in np.unique(groups):
        idx = rows[groups == g]
        # rank key: current level, then higher score, then earlier row
        ranked = sorted(idx, key=lambda r: (codes[r], -scores[r], r))
        assert all(new[a] <= new[b] for a, b in zip(ranked, ranked[1:], strict=False))


@pytest.mark.parametrize("org", range(N_ORG))
def test_every_unit_size_from_1_to_60_can_be_repaired_from_any_single_level(org):
    sizes = np.arange(1, 61)
    for level in range(5):
        groups = np.repeat(np.arange(sizes.size), sizes)
        codes = np.full(groups.size, level)
        scores = -np.arange(groups.size, dtype=float)
        new, _ = rule.enforce_curve(codes, scores, groups, np.full(sizes.size, org))
        assert rule.curve_check_groups(new, groups, np.full(sizes.size, org)).all()


def _rank_preserving_moves(counts, target):
    old = np.repeat(np.arange(5), counts)
    new = np.repeat(np.arange(5), target)
    return int((old != new).sum())


def test_moves_match_an_exhaustive_search_for_small_units():
    # Every count vector of units of 1-7 people, every organisational predikat: the number
    # moved equals the fewest moves of any rank-preserving reassignment that meets the curve,
    # except a few Baik units (documented in enforce_curve) that take exactly one extra move.
    extra = {}
    for n in range(1, 8):
        vectors = list(compositions(n))
        groups = np.repeat(np.arange(len(vectors)), n)
        codes = np.concatenate([np.repeat(np.arange(5), v) for v in vectors])
        for org in range(N_ORG):
            valid_targets = [t for t in vectors if rule.curve_check(t, org)[0]]
            _, moved = rule.enforce_curve(
                codes, np.zeros(codes.size), groups, np.full(len(vectors), org)
            )
            for g, v in enumerate(vectors):
                best = min(_rank_preserving_moves(v, t) for t in valid_targets)
                if moved[g] != best:
                    extra[(rule.ORG_PREDIKAT[org], v)] = moved[g] - best
    assert all(org == "baik" for org, _ in extra), extra
    assert set(extra.values()) <= {1}, extra
    assert len(extra) <= 5, extra


def test_enforce_curve_orders_by_score_then_row():
    codes = np.array([SB, SB, SB])
    new, moved = rule.enforce_curve(codes, [80, 80, 80], [0, 0, 0], [rule.ISTIMEWA])
    assert new.tolist() == [SB, SB, B] and moved.tolist() == [1]
    new, _ = rule.enforce_curve(codes, [70, np.nan, 90], [0, 0, 0], [rule.ISTIMEWA])
    assert new.tolist() == [SB, B, SB]  # NaN ranks below every score


def test_empty_groups_and_empty_input():
    new, moved = rule.enforce_curve([], [], [], [rule.ORG_BAIK, rule.ISTIMEWA])
    assert new.size == 0 and moved.tolist() == [0, 0]
