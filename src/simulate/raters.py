"""Raters: how supervisors, peers, subordinates and employees themselves rate (DESIGN 3.5).

A rating by rater ``r`` of ratee ``j`` on behaviour dimension ``d``, on the latent scale (SD of
true performance), is built from terms that rater-effect estimators (FACETS, TAM, lme4) recover:

    perceived_d = truth_d (recency-weighted) + idiosyncratic_rj + noise_rjd
    rating_d    = leniency_r + slope_r * ((1 - halo) * perceived_d + halo * mean_d perceived)
                  + ingroup_bias * [rater and ratee share the in-group trait]

* ``leniency_r`` - severity/leniency per rater (plus stakes inflation when pay depends on it);
* ``slope_r`` - central tendency (< 1) or extremity (> 1);
* ``idiosyncratic_rj`` - the rater's general impression of this ratee (Scullen et al. 2000);
* ``halo`` - the overall impression leaking into every dimension (Viswesvaran et al. 2005);
* recency - recent months weigh more (a standard-normal shock scaled by the recency weights);
* strategic rotation - some supervisors take turns with the top slot under quotas.

Defaults are calibrated to the published figures (``kinerja calibrate``). All draws come from
the ``rng`` handed in; there is no loop over employees (loops over a handful of peers or the
seven dimensions only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.evidence import Truth
from simulate.population import Population
from simulate.rng import RngLike, as_generator
from simulate.scenario.schema import (
    AppraisalParams,
    RaterParams,
    RaterSourceParams,
    SupervisorParams,
    TruthParams,
)

#: Latent ratings are stored in single precision (see :func:`rate`).
RATING_DTYPE = np.float32

__all__ = [
    "RATING_DTYPE",
    "RaterDraws",
    "draw_raters",
    "rate",
    "recency_factor",
    "supervisor_ratings",
    "peer_ratings",
    "subordinate_ratings",
    "self_ratings",
    "sibling_positions",
    "generate_ratings",
]


@dataclass(frozen=True)
class RaterDraws:
    """Per-rater effects of one source: leniency, slope and the rater's in-group trait."""

    leniency: np.ndarray
    slope: np.ndarray
    local_origin: np.ndarray


def draw_raters(n: int, params: RaterSourceParams, rng: np.random.Generator, *,
                extra_leniency: float = 0.0, local_origin: np.ndarray | None = None,
                share_local: float = 0.7) -> RaterDraws:
    """Draw ``n`` raters' leniency and slope (slopes kept >= 0.05: raters never invert)."""
    leniency = params.leniency_mean + extra_leniency + params.leniency_sd * rng.standard_normal(n)
    slope = np.maximum(0.05, params.slope_mean + params.slope_sd * rng.standard_normal(n))
    if local_origin is None:
        local_origin = rng.random(n) < share_local
    return RaterDraws(leniency=leniency, slope=slope, local_origin=np.asarray(local_origin, dtype=bool))


def recency_factor(recency: float, period_months: int) -> float:
    """SD of (recency-weighted minus plain) mean of monthly swings, per unit swing SD.

    With monthly swings ``f_m ~ N(0, s^2)`` and weights ``w_m`` proportional to
    ``exp(recency * m)`` (summing to 1), the weighted mean minus the plain mean is independent
    of the plain mean and has variance ``s^2 (sum w^2 - 1/M)``.
    """
    if recency == 0 or period_months == 1:
        return 0.0
    m = np.arange(period_months, dtype=float)
    w = np.exp(recency * (m - m.max()))
    w /= w.sum()
    return float(np.sqrt(max(0.0, (w**2).sum() - 1.0 / period_months)))


def rate(truth_dims: np.ndarray, raters: RaterDraws, rater_index: np.ndarray, params: RaterSourceParams,
         ratee_local: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Latent ratings (n, D) of ratees by the raters at ``rater_index`` (one rating per ratee).

    Built in place in one float32 buffer: at national scale a fresh (n, 7) temporary costs
    more than the arithmetic, and latent ratings (noisy by construction) need no more than
    single precision.
    """
    n, dims = truth_dims.shape
    out = rng.standard_normal((n, dims), dtype=RATING_DTYPE)
    out *= params.noise_sd
    out += truth_dims
    out += (params.idiosyncratic_sd * rng.standard_normal(n))[:, None]
    _halo_in_place(out, params.halo)
    same = raters.local_origin[rater_index] == ratee_local
    out *= raters.slope[rater_index][:, None]
    out += (raters.leniency[rater_index] + params.ingroup_bias * same)[:, None]
    return out


def _halo_in_place(perceived: np.ndarray, halo: float) -> None:
    """``(1 - halo) x perceived_d + halo x mean_d perceived``, in place."""
    if halo > 0:
        overall = perceived @ np.full(perceived.shape[1], halo / perceived.shape[1], dtype=perceived.dtype)
        perceived *= 1 - halo
        perceived += overall[:, None]


def _truth_dims(truth: Truth, truth_params: TruthParams, swing_extra: np.ndarray) -> np.ndarray:
    """Behaviour dimensions plus results as one (n, 8) block, shifted by the recency swing."""
    n, k = truth.behaviour.shape
    out = np.empty((n, k + 1))
    out[:, :k] = truth.behaviour
    out[:, k] = truth.results
    if np.any(swing_extra):
        out[:, :k] += (np.sqrt(truth_params.inter_dimension_correlation) * swing_extra)[:, None]
        out[:, k] += truth_params.results_general_loading * swing_extra
    return out


def sibling_positions(superior: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For employees grouped by superior: sort order, position in the group and group size."""
    order = np.argsort(superior, kind="stable")
    s = superior[order]
    n = len(s)
    starts = np.r_[True, s[1:] != s[:-1]] if n else np.zeros(0, bool)
    start_idx = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) if n else np.zeros(0, int)
    pos_sorted = np.arange(n) - start_idx
    sizes_sorted = np.diff(np.r_[np.flatnonzero(starts), n])[np.cumsum(starts) - 1] if n else np.zeros(0, int)
    pos = np.empty(n, dtype=np.int64)
    size = np.empty(n, dtype=np.int64)
    pos[order] = pos_sorted
    size[order] = sizes_sorted
    return order, pos, size


def _supervisor_index(population: Population) -> np.ndarray:
    """Row of each employee's appraiser; OPD heads are rated by an outside rater (n + opd_id)."""
    e = population.employees
    sup = e["superior_id"].to_numpy()
    return np.where(sup >= 0, sup, population.n + e["opd_id"].to_numpy())


def supervisor_ratings(population: Population, truth: Truth, params: SupervisorParams,
                       truth_params: TruthParams, appraisal: AppraisalParams, idiosyncratic_results: float,
                       rng: RngLike = None, results_noise_sd: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latent behaviour (n, 7) and results (n,) ratings by each employee's direct superior."""
    rng = as_generator(rng)
    n = population.n
    local = population.employees["local_origin"].to_numpy()
    n_outside = int(population.employees["opd_id"].max()) + 1
    extra = params.stakes_inflation if appraisal.pay_linked else 0.0
    outside_origin = rng.random(n_outside) < (local.mean() if n else 0.0)  # regional heads
    origin = np.r_[local, outside_origin]
    raters = draw_raters(n + n_outside, params, rng, extra_leniency=extra, local_origin=origin)
    swing = (truth_params.within_period_sd * recency_factor(params.recency, appraisal.period_months)
             * truth.recency_shock)
    dims = _truth_dims(truth, truth_params, swing)
    ratings = rate_with_results(dims, raters, _supervisor_index(population), params, local,
                                idiosyncratic_results, rng, results_noise_sd)
    return ratings[:, :-1], ratings[:, -1]


def rate_with_results(dims: np.ndarray, raters: RaterDraws, index: np.ndarray, params: RaterSourceParams,
                      ratee_local: np.ndarray, idiosyncratic_results: float, rng: np.random.Generator,
                      results_noise_sd: float | None = None) -> np.ndarray:
    """Like :func:`rate` for 7 behaviour dimensions plus a results judgement in the last column.

    The results judgement shares ``idiosyncratic_results`` of the rater's general impression of
    the ratee but not the halo among behaviour dimensions.
    """
    n, k = dims.shape
    iota = params.idiosyncratic_sd * rng.standard_normal(n)
    out = rng.standard_normal((n, k), dtype=RATING_DTYPE)  # last column: results noise
    beh = out[:, :-1]
    beh *= params.noise_sd
    beh += dims[:, :-1]
    beh += iota[:, None]
    _halo_in_place(beh, params.halo)
    res_sd = params.noise_sd if results_noise_sd is None else results_noise_sd
    out[:, -1] = dims[:, -1] + idiosyncratic_results * iota + res_sd * out[:, -1]
    same = raters.local_origin[index] == ratee_local
    out *= raters.slope[index][:, None]
    out += (raters.leniency[index] + params.ingroup_bias * same)[:, None]
    return out


def peer_ratings(population: Population, truth: Truth, params: RaterSourceParams, n_peers: int,
                 rng: RngLike = None, *, individual: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Peer ratings: colleagues with the same superior rate each other (360-degree input).

    Peer ``i`` of an employee is the colleague ``i`` places further along in the superior's
    team (cyclically), so every peer rates ``n_peers`` colleagues with one leniency and slope.
    Returns the mean latent rating (n, 7), NaN without peers, and the number of peers; with
    ``individual=True`` the first array is (n_peers, n, 7) instead.
    """
    rng = as_generator(rng)
    e = population.employees
    n = population.n
    local = e["local_origin"].to_numpy()
    order, pos, size = sibling_positions(e["superior_id"].to_numpy())
    group_start = np.empty(n, dtype=np.int64)
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.arange(n)
    group_start = inv - pos  # position of the group's first member in sorted order
    raters = draw_raters(n, params, rng, local_origin=local)
    n_avail = np.minimum(size - 1, n_peers)
    dims = truth.behaviour
    out = np.zeros((n_peers, n, dims.shape[1]), dtype=RATING_DTYPE) if individual else \
        np.zeros(dims.shape, dtype=RATING_DTYPE)
    for i in range(1, n_peers + 1):  # a handful of peers, not employees
        peer = order[group_start + (pos + i) % np.maximum(size, 1)]
        r = rate(dims, raters, peer, params, local, rng)
        missing = n_avail < i
        if individual:
            r[missing] = np.nan
            out[i - 1] = r
        else:
            r[missing] = 0.0
            out += r
        del r
    if not individual:
        out /= np.maximum(n_avail, 1)[:, None]
        out[n_avail == 0] = np.nan
    return out, n_avail


def subordinate_ratings(population: Population, truth: Truth, params: RaterSourceParams,
                        rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean latent rating (n, 7) each head receives from direct subordinates (NaN if none)."""
    rng = as_generator(rng)
    e = population.employees
    n = population.n
    sup = e["superior_id"].to_numpy()
    has_sup = sup >= 0
    raters_rows = np.flatnonzero(has_sup)
    heads = sup[has_sup]
    local = e["local_origin"].to_numpy()
    raters = draw_raters(n, params, rng, local_origin=local)
    r = rate(truth.behaviour[heads], raters, raters_rows, params, local[heads], rng)
    count = np.bincount(heads, minlength=n)
    out = np.empty(truth.behaviour.shape, dtype=RATING_DTYPE)
    for d in range(truth.behaviour.shape[1]):  # seven dimensions
        out[:, d] = np.bincount(heads, weights=r[:, d], minlength=n)
    out /= np.maximum(count, 1)[:, None]
    out[count == 0] = np.nan
    return out, count


def self_ratings(population: Population, truth: Truth, params: RaterSourceParams, truth_params: TruthParams,
                 idiosyncratic_results: float, rng: RngLike = None,
                 results_noise_sd: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latent self-ratings of behaviour (n, 7) and of results (n,) (e-performance self-report)."""
    rng = as_generator(rng)
    n = population.n
    local = population.employees["local_origin"].to_numpy()
    raters = draw_raters(n, params, rng, local_origin=local)
    dims = _truth_dims(truth, truth_params, np.zeros(n))
    r = rate_with_results(dims, raters, np.arange(n), params, local, idiosyncratic_results, rng, results_noise_sd)
    return r[:, :-1], r[:, -1]


def generate_ratings(population: Population, truth: Truth, params: RaterParams, truth_params: TruthParams,
                     appraisal: AppraisalParams, period: int = 0, rng: RngLike = None) -> dict[str, np.ndarray]:
    """All ratings of one period, as :class:`~simulate.evidence.Evidence` fields."""
    rng = as_generator(rng)
    sup_b, sup_r = supervisor_ratings(population, truth, params.supervisor, truth_params, appraisal,
                                      params.results_idiosyncratic_share, rng, params.results_noise_sd)
    peer_b, n_peers = peer_ratings(population, truth, params.peer, params.n_peers, rng)
    sub_b, n_sub = subordinate_ratings(population, truth, params.subordinate, rng)
    self_b, self_r = self_ratings(population, truth, params.self_rating, truth_params,
                                  params.results_idiosyncratic_share, rng, params.results_noise_sd)
    # Daily activity logs (Makassar): self-reported points verified by the superior; they
    # follow the self-assessment of results, so they are lenient and weakly valid.
    log_points = 100.0 * appraisal.period_months * np.exp(params.log_points_per_sd * self_r)

    # Strategic rotation ("taking turns") under quotas: each supervisor who rotates gives the
    # top slot to the next team member in line, period after period.
    sup = population.employees["superior_id"].to_numpy()
    n_raters = population.n + int(population.employees["opd_id"].max()) + 1
    rotates_rater = rng.random(n_raters) < params.supervisor.rotation_share
    _, pos, size = sibling_positions(sup)
    turn_order = (pos - period) % np.maximum(size, 1)
    return {
        "supervisor_behaviour": sup_b, "supervisor_results": sup_r,
        "peer_behaviour": peer_b, "n_peers": n_peers.astype(np.int64),
        "subordinate_behaviour": sub_b, "n_subordinates": n_sub.astype(np.int64),
        "self_behaviour": self_b, "self_results": self_r,
        "daily_log_points": log_points,
        "rater_rotates": rotates_rater[_supervisor_index(population)],
        "turn_order": turn_order.astype(np.int64),
    }
