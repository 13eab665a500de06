"""Raters: how supervisors, peers, subordinates and employees themselves rate (DESIGN 3.5).

A rating by rater ``r`` of ratee ``j`` on behaviour dimension ``d``, on the latent scale (SD of
true performance), is built from terms that rater-effect estimators (FACETS, TAM, lme4) recover:

    perceived_d = truth_d (recency-weighted) + idiosyncratic_rj + perspective_j + noise_rjd
    rating_d    = leniency_r + slope_r * ((1 - halo) * perceived_d + halo * mean_d perceived)
                  + ingroup_bias * [rater and ratee share the in-group trait]

* ``leniency_r`` - severity/leniency per rater (plus stakes inflation when pay depends on it);
* ``slope_r`` - central tendency (< 1) or extremity (> 1);
* ``idiosyncratic_rj`` - the rater's general impression of this ratee (Scullen et al. 2000);
* ``perspective_j`` - the view of ratee ``j`` that every superior shares (supervisors only): two
  superiors of one ratee agree on it, a superior and a peer do not (Scullen et al. 2000);
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
    BEHAVIOUR_DIMENSIONS,
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
    "SourcePlan",
    "RatingPlan",
    "_compose",
    "plan_ratings",
    "compose_ratings",
]

#: Behaviour dimensions of the latent ratings (the seven BerAKHLAK core values).
_N_BEHAVIOUR = len(BEHAVIOUR_DIMENSIONS)


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


def _truth_dims(truth: Truth, truth_params: TruthParams, swing_extra: np.ndarray | None = None) -> np.ndarray:
    """Behaviour dimensions plus results as one fresh (n, 8) float32 block, shifted by the recency swing."""
    n, k = truth.behaviour.shape
    out = np.empty((n, k + 1), dtype=RATING_DTYPE)
    out[:, :k] = truth.behaviour
    out[:, k] = truth.results
    if swing_extra is not None and np.any(swing_extra):
        out[:, :k] += (np.sqrt(truth_params.inter_dimension_correlation) * swing_extra).astype(RATING_DTYPE)[:, None]
        out[:, k] += (truth_params.results_general_loading * swing_extra).astype(RATING_DTYPE)
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


def _population_structure(population: Population) -> dict:
    """Who rates whom: derived from the employee table once per population (``population.structure``)."""

    def build() -> dict:
        e = population.employees
        n = population.n
        sup = e["superior_id"].to_numpy()
        opd = e["opd_id"].to_numpy()
        order, pos, size = sibling_positions(sup)
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n)
        has_sup = sup >= 0
        out = {
            "local": e["local_origin"].to_numpy(),
            "superior": sup,
            "n_outside": int(opd.max()) + 1 if n else 0,
            # Row of each employee's appraiser; OPD heads are rated by an outside rater (n + opd_id).
            "supervisor_index": np.where(has_sup, sup, n + opd),
            "order": order, "pos": pos, "size": size, "group_start": inv - pos,
            "rater_rows": np.flatnonzero(has_sup), "heads": sup[has_sup],
        }
        for v in out.values():
            if isinstance(v, np.ndarray):
                v.flags.writeable = False
        return out

    return population.structure.derive(("raters.structure",), build)


@dataclass(frozen=True, eq=False)
class SourcePlan:
    """The truth-independent part of one source's latent ratings (see :func:`compose`).

    The rating model is linear in the ratee's truth, so for every ratee
    ``rating = base + slope x H(truth dims)``, where ``H`` is the halo map over the behaviour
    dimensions (results, in a last column when ``results`` is set, get no halo), ``base``
    holds the noise, the rater's impression, leniency and in-group term (NaN rows: no rater)
    and ``slope`` the rater's slope (the mean slope over a ratee's raters for peers and
    subordinates). A plan is drawn once per period and composed with each policy arm's truth.
    """

    base: np.ndarray  #: (n, k) float32
    slope: np.ndarray  #: (n,) float32
    halo: float
    results: bool  #: last column holds the results judgement
    count: np.ndarray | None = None  #: raters per ratee (peers, subordinates)


def _compose(plan: SourcePlan, dims: np.ndarray, *, inplace: bool = False, scratch: bool = False) -> np.ndarray:
    """Latent ratings ``base + slope x H(dims)`` (float32).

    ``inplace`` builds them in the plan's buffer (a plan composed once); ``scratch`` says
    ``dims`` is a float32 temporary that may be overwritten (else it is copied).
    """
    out = plan.base if inplace else plan.base.copy()
    t = dims if scratch and dims.dtype == RATING_DTYPE else dims.astype(RATING_DTYPE)
    _halo_in_place(t[:, :-1] if plan.results else t, plan.halo)
    t *= plan.slope[:, None]
    out += t
    return out


def _one_rater_plan(n: int, raters: RaterDraws, index: np.ndarray, params: RaterSourceParams,
                    ratee_local: np.ndarray, idiosyncratic_results: float, results_noise_sd: float | None,
                    rng: np.random.Generator, perspective_sd: float = 0.0,
                    perspective: np.ndarray | None = None) -> SourcePlan:
    """Plan of a source where each ratee has one rater (supervisor, self): behaviour and results.

    ``perspective_sd``, ``perspective``: SD and standard-normal draws of the view every rater of
    this source shares of each ratee (the draws come from ``rng`` when omitted). Passing the same draws
    to two plans gives two raters of one ratee who share it (two superiors in the calibration).
    """
    iota = rng.standard_normal(n)
    iota *= params.idiosyncratic_sd
    base = rng.standard_normal((n, _N_BEHAVIOUR + 1), dtype=RATING_DTYPE)  # last: results noise
    if perspective_sd > 0:
        iota += perspective_sd * (rng.standard_normal(n) if perspective is None else perspective)
    beh = base[:, :-1]
    beh *= params.noise_sd
    beh += iota[:, None].astype(RATING_DTYPE)
    _halo_in_place(beh, params.halo)  # H(noise + impression); the impression is unchanged by it
    res_sd = params.noise_sd if results_noise_sd is None else results_noise_sd
    base[:, -1] = idiosyncratic_results * iota + res_sd * base[:, -1]
    slope = raters.slope[index].astype(RATING_DTYPE)
    base *= slope[:, None]
    base += (raters.leniency[index] + params.ingroup_bias * (raters.local_origin[index] == ratee_local))[:, None]
    return SourcePlan(base=base, slope=slope, halo=params.halo, results=True)


def _many_rater_plan(n: int, slope_sq: np.ndarray, slope_sum: np.ndarray, offset_sum: np.ndarray,
                     count: np.ndarray, params: RaterSourceParams, rng: np.random.Generator) -> SourcePlan:
    """Plan of the mean rating over several raters per ratee (peers, subordinates).

    The mean over ratee ``j``'s raters ``i`` of ``slope_i x H(noise_i + impression_i + truth_j)
    + offset_i`` is ``(S_j x H(noise + impression) + sum_i offset_i) / count_j + mean_i slope_i x
    H(truth_j)`` in distribution, with ``S_j = sqrt(sum_i slope_i^2)``: a weighted sum of
    independent normals is one normal. Only ratees with raters draw (NaN rows elsewhere).
    """
    rated = np.flatnonzero(count > 0)
    m = len(rated)
    iota = rng.standard_normal(m)
    iota *= params.idiosyncratic_sd
    noise = rng.standard_normal((m, _N_BEHAVIOUR), dtype=RATING_DTYPE)
    noise *= params.noise_sd
    noise += iota[:, None].astype(RATING_DTYPE)
    _halo_in_place(noise, params.halo)
    k = count[rated]
    noise *= (np.sqrt(slope_sq[rated]) / k).astype(RATING_DTYPE)[:, None]
    noise += (offset_sum[rated] / k).astype(RATING_DTYPE)[:, None]
    base = np.full((n, _N_BEHAVIOUR), np.nan, dtype=RATING_DTYPE)
    base[rated] = noise
    slope = (slope_sum / np.maximum(count, 1)).astype(RATING_DTYPE)
    return SourcePlan(base=base, slope=slope, halo=params.halo, results=False, count=count)


def plan_supervisor(population: Population, params: SupervisorParams, appraisal: AppraisalParams,
                    idiosyncratic_results: float, rng: RngLike = None,
                    results_noise_sd: float | None = None, perspective: np.ndarray | None = None) -> SourcePlan:
    """Draws of the direct superiors' ratings: behaviour (7) and results (last column)."""
    rng = as_generator(rng)
    st = _population_structure(population)
    n, local = population.n, st["local"]
    extra = params.stakes_inflation if appraisal.pay_linked else 0.0
    outside_origin = rng.random(st["n_outside"]) < (local.mean() if n else 0.0)  # regional heads
    raters = draw_raters(n + st["n_outside"], params, rng, extra_leniency=extra, local_origin=np.r_[local, outside_origin])
    return _one_rater_plan(n, raters, st["supervisor_index"], params, local, idiosyncratic_results,
                           results_noise_sd, rng, params.perspective_sd, perspective)


def _supervisor_dims(truth: Truth, truth_params: TruthParams, params: SupervisorParams,
                     appraisal: AppraisalParams) -> np.ndarray:
    swing = (truth_params.within_period_sd * recency_factor(params.recency, appraisal.period_months)
             * truth.recency_shock)
    return _truth_dims(truth, truth_params, swing)


def supervisor_ratings(population: Population, truth: Truth, params: SupervisorParams,
                       truth_params: TruthParams, appraisal: AppraisalParams, idiosyncratic_results: float,
                       rng: RngLike = None, results_noise_sd: float | None = None,
                       perspective: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latent behaviour (n, 7) and results (n,) ratings by each employee's direct superior.

    ``perspective``: the shared view's standard-normal draws (see :func:`_one_rater_plan`).
    """
    plan = plan_supervisor(population, params, appraisal, idiosyncratic_results, rng, results_noise_sd, perspective)
    out = _compose(plan, _supervisor_dims(truth, truth_params, params, appraisal), inplace=True, scratch=True)
    return out[:, :-1], out[:, -1]


def _peers(population: Population, n_peers: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Row of each employee's ``i``-th peer (i = 1..n_peers) and the number of peers (derived once per population).

    Peer ``i`` is the colleague ``i`` places further along in the superior's team (cyclically).
    """

    def build() -> tuple[list[np.ndarray], np.ndarray]:
        st = _population_structure(population)
        order, pos, size, group_start = st["order"], st["pos"], st["size"], st["group_start"]
        rows = [order[group_start + (pos + i) % np.maximum(size, 1)] for i in range(1, n_peers + 1)]
        return rows, np.minimum(size - 1, n_peers)

    return population.structure.derive(("raters.peers", n_peers), build)


def plan_peers(population: Population, params: RaterSourceParams, n_peers: int, rng: RngLike = None) -> SourcePlan:
    """Draws of the mean peer rating (see :func:`peer_ratings`)."""
    rng = as_generator(rng)
    n, local = population.n, _population_structure(population)["local"]
    raters = draw_raters(n, params, rng, local_origin=local)
    peers, n_avail = _peers(population, n_peers)
    slope_sq, slope_sum, offset = np.zeros(n), np.zeros(n), np.zeros(n)
    for i, peer in enumerate(peers, start=1):  # a handful of peers, not employees
        has = n_avail >= i
        s = np.where(has, raters.slope[peer], 0.0)
        slope_sq += s * s
        slope_sum += s
        offset += np.where(has, raters.leniency[peer] + params.ingroup_bias * (raters.local_origin[peer] == local), 0.0)
    return _many_rater_plan(n, slope_sq, slope_sum, offset, n_avail, params, rng)


def peer_ratings(population: Population, truth: Truth, params: RaterSourceParams, n_peers: int,
                 rng: RngLike = None, *, individual: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Peer ratings: colleagues with the same superior rate each other (360-degree input).

    Peer ``i`` of an employee is the colleague ``i`` places further along in the superior's
    team (cyclically), so every peer rates ``n_peers`` colleagues with one leniency and slope.
    Returns the mean latent rating (n, 7), NaN without peers, and the number of peers; with
    ``individual=True`` the first array is (n_peers, n, 7) instead (one rating per peer, drawn
    one by one; the mean is drawn directly in distribution, see :func:`_many_rater_plan`).
    """
    if not individual:
        plan = plan_peers(population, params, n_peers, rng)
        return _compose(plan, truth.behaviour, inplace=True), plan.count
    rng = as_generator(rng)
    n, local = population.n, _population_structure(population)["local"]
    raters = draw_raters(n, params, rng, local_origin=local)
    peers, n_avail = _peers(population, n_peers)
    dims = truth.behaviour
    out = np.zeros((n_peers, n, dims.shape[1]), dtype=RATING_DTYPE)
    for i, peer in enumerate(peers, start=1):  # a handful of peers, not employees
        r = rate(dims, raters, peer, params, local, rng)
        r[n_avail < i] = np.nan
        out[i - 1] = r
    return out, n_avail


def plan_subordinates(population: Population, params: RaterSourceParams, rng: RngLike = None) -> SourcePlan:
    """Draws of the mean rating each head receives from direct subordinates."""
    rng = as_generator(rng)
    st = _population_structure(population)
    n, local = population.n, st["local"]
    rows, heads = st["rater_rows"], st["heads"]
    raters = draw_raters(n, params, rng, local_origin=local)
    s = raters.slope[rows]
    offset = raters.leniency[rows] + params.ingroup_bias * (raters.local_origin[rows] == local[heads])
    count = np.bincount(heads, minlength=n)
    return _many_rater_plan(n, np.bincount(heads, weights=s * s, minlength=n), np.bincount(heads, weights=s, minlength=n),
                            np.bincount(heads, weights=offset, minlength=n), count, params, rng)


def subordinate_ratings(population: Population, truth: Truth, params: RaterSourceParams,
                        rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean latent rating (n, 7) each head receives from direct subordinates (NaN if none)."""
    plan = plan_subordinates(population, params, rng)
    return _compose(plan, truth.behaviour, inplace=True), plan.count


def plan_self(population: Population, params: RaterSourceParams, idiosyncratic_results: float,
              rng: RngLike = None, results_noise_sd: float | None = None) -> SourcePlan:
    """Draws of the self-ratings (behaviour and results)."""
    rng = as_generator(rng)
    n, local = population.n, _population_structure(population)["local"]
    raters = draw_raters(n, params, rng, local_origin=local)
    return _one_rater_plan(n, raters, np.arange(n), params, local, idiosyncratic_results, results_noise_sd, rng)


def self_ratings(population: Population, truth: Truth, params: RaterSourceParams, truth_params: TruthParams,
                 idiosyncratic_results: float, rng: RngLike = None,
                 results_noise_sd: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Latent self-ratings of behaviour (n, 7) and of results (n,) (e-performance self-report)."""
    plan = plan_self(population, params, idiosyncratic_results, rng, results_noise_sd)
    r = _compose(plan, _truth_dims(truth, truth_params), inplace=True, scratch=True)
    return r[:, :-1], r[:, -1]


@dataclass(frozen=True, eq=False)
class RatingPlan:
    """Every truth-independent draw of one period's ratings (one per policy arm is composed)."""

    supervisor: SourcePlan
    peer: SourcePlan
    subordinate: SourcePlan
    self_rating: SourcePlan
    rater_rotates: np.ndarray
    turn_order: np.ndarray
    shared: bool = False  #: composed once per policy arm (its buffers are then never written)


def plan_ratings(population: Population, params: RaterParams, appraisal: AppraisalParams, period: int = 0,
                 rng: RngLike = None, *, shared: bool = False) -> RatingPlan:
    """Draw the truth-independent part of one period's ratings (:func:`compose_ratings` adds truth).

    ``shared``: the plan will be composed once per policy arm; otherwise the single composition
    builds the ratings in the plan's own buffers.
    """
    rng = as_generator(rng)
    share = params.results_idiosyncratic_share
    sup = plan_supervisor(population, params.supervisor, appraisal, share, rng, params.results_noise_sd)
    peer = plan_peers(population, params.peer, params.n_peers, rng)
    sub = plan_subordinates(population, params.subordinate, rng)
    own = plan_self(population, params.self_rating, share, rng, params.results_noise_sd)
    # Strategic rotation ("taking turns") under quotas: each supervisor who rotates gives the
    # top slot to the next team member in line, period after period.
    st = _population_structure(population)
    rotates_rater = rng.random(population.n + st["n_outside"]) < params.supervisor.rotation_share
    turn_order = (st["pos"] - period) % np.maximum(st["size"], 1)
    return RatingPlan(supervisor=sup, peer=peer, subordinate=sub, self_rating=own,
                      rater_rotates=rotates_rater[st["supervisor_index"]], turn_order=turn_order.astype(np.int64),
                      shared=shared)


def compose_ratings(plan: RatingPlan, truth: Truth, params: RaterParams, truth_params: TruthParams,
                    appraisal: AppraisalParams) -> dict[str, np.ndarray]:
    """All ratings of one period, as :class:`~simulate.evidence.Evidence` fields."""
    inplace = not plan.shared
    sup = _compose(plan.supervisor, _supervisor_dims(truth, truth_params, params.supervisor, appraisal),
                  inplace=inplace, scratch=True)
    peer = _compose(plan.peer, truth.behaviour, inplace=inplace)
    sub = _compose(plan.subordinate, truth.behaviour, inplace=inplace)
    own = _compose(plan.self_rating, _truth_dims(truth, truth_params), inplace=inplace, scratch=True)
    self_r = own[:, -1]
    # Daily activity logs (Makassar): self-reported points verified by the superior; they
    # follow the self-assessment of results, so they are lenient and weakly valid.
    log_points = 100.0 * appraisal.period_months * np.exp(params.log_points_per_sd * self_r)
    return {
        "supervisor_behaviour": sup[:, :-1], "supervisor_results": sup[:, -1],
        "peer_behaviour": peer, "n_peers": plan.peer.count.astype(np.int64),
        "subordinate_behaviour": sub, "n_subordinates": plan.subordinate.count.astype(np.int64),
        "self_behaviour": own[:, :-1], "self_results": self_r,
        "daily_log_points": log_points,
        "rater_rotates": plan.rater_rotates, "turn_order": plan.turn_order,
    }


def generate_ratings(population: Population, truth: Truth, params: RaterParams, truth_params: TruthParams,
                     appraisal: AppraisalParams, period: int = 0, rng: RngLike = None) -> dict[str, np.ndarray]:
    """All ratings of one period, as :class:`~simulate.evidence.Evidence` fields."""
    plan = plan_ratings(population, params, appraisal, period, rng)
    return compose_ratings(plan, truth, params, truth_params, appraisal)
