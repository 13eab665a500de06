"""Calibration: the simulated civil service beside the published figures it must reproduce.

Each :class:`Target` names a statistic, its published value or range with the source
(``domain/literature.md``), and the range accepted as a match. :func:`calibrate` runs seeded
replications of a scenario, computes every statistic in each, and reports the mean with a 95%
Monte-Carlo interval (t interval over replications) and whether the mean is inside the accepted
range. The statistics are computed as the cited studies compute them (see each docstring).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from simulate.cycle import simulate_period
from simulate.evidence import frame_html
from simulate.population import Population, generate_population
from simulate.raters import peer_ratings, self_ratings, supervisor_ratings
from simulate.rng import spawn_seeds, stream
from simulate.scales import DI_ATAS, SESUAI, to_expectation
from simulate.scenario.schema import Scenario
from simulate.work import generate_truth, generate_work
from simulate.estimate.calibration import Design, simulated_shares

__all__ = ["Target", "TARGETS", "targets_for", "CalibrationResult", "calibrate", "calibration_statistics",
           "nested_variance_shares", "interrater_r"]


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    source: str
    published: str
    low: float
    high: float


TARGETS: tuple[Target, ...] = (
    Target("supervisor_interrater", "Two supervisors agree (overall rating, administrative purpose; two raters "
           "per ratee, correlated across ratees)",
           "Salgado & Moscoso 2019; Viswesvaran et al. 1996 (.52 all purposes)", ".45", 0.40, 0.50),
    Target("peer_interrater", "Two peers agree (overall rating; two raters per ratee, correlated across ratees)", "Conway & Huffcutt 1997", ".37", 0.32, 0.42),
    Target("ratee_share", "Share of rating variance due to the ratee (multi-source)",
           "Scullen, Mount & Goff 2000", "21-25%", 0.18, 0.30),
    Target("rater_share", "Share of rating variance due to idiosyncratic raters (multi-source)",
           "Scullen, Mount & Goff 2000", "53-62% (+4-6% perspective)", 0.50, 0.70),
    Target("error_share", "Share of rating variance that is random error (multi-source)",
           "Scullen, Mount & Goff 2000", "11-18%", 0.08, 0.22),
    Target("halo_inflation_supervisor", "Halo: inflation of inter-dimension correlations, supervisors",
           "Viswesvaran, Schmidt & Ones 2005", "+33%", 0.20, 0.50),
    Target("halo_inflation_peer", "Halo: inflation of inter-dimension correlations, peers",
           "Viswesvaran, Schmidt & Ones 2005", "+63%", 0.45, 0.85),
    Target("self_supervisor_r", "Self-rating vs supervisor rating correlation",
           "Heidemeier & Moser 2009; Conway & Huffcutt 1997", ".22", 0.17, 0.27),
    Target("self_leniency_d", "Self-ratings above supervisor ratings (d)", "Heidemeier & Moser 2009", "0.32 SD", 0.22, 0.42),
    Target("stakes_d", "Pay-linked ratings above research ratings (d)", "Jawahar & Williams 1997", "0.33 SD", 0.25, 0.41),
    Target("supervisor_objective_r", "Supervisor judgement of results vs objective indicators",
           "Bommer et al. 1995 (.39 corrected); Rangel 2015 (.16)", ".2-.4", 0.15, 0.40),
    Target("share_at_or_above_both", "Rated at or above expectation on both axes (2022 levels)",
           "BKN 2023 via jawawa.id; MenPANRB 2023 (~95% good or very good)", ">94% Baik + ~5% Sangat Baik", 0.985, 1.0),
    Target("share_above_both", "Rated above expectation on both axes (-> Sangat Baik)",
           "BKN 2023 via jawawa.id", "~5%", 0.03, 0.08),
    Target("counter_wait_p90", "90 % of citizens at public counters wait less than this (minutes)",
           "Permendagri 19/2018 (Dukcapil service within 1 hour); Spechbach et al. 2019 (waits up to about "
           "63 minutes judged acceptable)", "< 60 min", 0.0, 60.0),
)


def interrater_r(a: np.ndarray, b: np.ndarray) -> float:
    """Inter-rater agreement as the published figures measure it: two raters per ratee, correlated across ratees.

    The Pearson correlation of rater A's and rater B's overall ratings over the ratees, where
    different ratees have different raters, so that differences in leniency between raters count
    as disagreement (Viswesvaran, Ones & Schmidt 1996; Conway & Huffcutt 1997; Salgado & Moscoso
    2019). The same statistic for supervisors and peers.
    """
    return float(np.corrcoef(a, b)[0, 1])


def targets_for(scenario: Scenario) -> tuple[Target, ...]:
    """The published targets, plus the shares of a real export when ``raters.observed`` is set."""
    obs = scenario.raters.observed
    if obs is None:
        return TARGETS
    extra = tuple(
        Target(f"observed_{part}_share", f"Share of rating variance due to the {label} (your export, estimated the same way)",
               obs.source or "kinerja estimate", f"{value:.3f}", max(0.0, value - 0.03), min(1.0, value + 0.03))
        for part, label, value in (("employee", "employee", obs.employee_share), ("rater", "rater", obs.rater_share),
                                   ("residual", "residual", obs.residual_share)))
    return TARGETS + extra


def _mean_offdiag_corr(m: np.ndarray) -> float:
    c = np.corrcoef(m, rowvar=False)
    k = c.shape[0]
    return float((c.sum() - k) / (k * (k - 1)))


def nested_variance_shares(y: np.ndarray) -> dict[str, float]:
    """Variance components of ratings ``y[p, r, d]`` with raters nested in ratees, dims crossed.

    Expected mean squares of the balanced random-effects design (Brennan 2001):
    ``E[MS_res] = s2_res``, ``E[MS_pd] = s2_res + n_r s2_pd``, ``E[MS_r:p] = s2_res + n_d s2_r:p``,
    ``E[MS_p] = s2_res + n_d s2_r:p + n_r s2_pd + n_r n_d s2_p``. Shares follow Scullen et al.
    (2000): ratee = general + dimensional (p + pd), idiosyncratic rater (r:p), error (residual).
    Negative estimates are set to 0.
    """
    n_p, n_r, n_d = y.shape
    grand = y.mean()
    m_p = y.mean(axis=(1, 2))
    m_pr = y.mean(axis=2)
    m_pd = y.mean(axis=1)
    m_d = y.mean(axis=(0, 1))
    ss_p = n_r * n_d * np.sum((m_p - grand) ** 2)
    ss_rp = n_d * np.sum((m_pr - m_p[:, None]) ** 2)
    ss_pd = n_r * np.sum((m_pd - m_p[:, None] - m_d[None, :] + grand) ** 2)
    resid = y - m_pr[:, :, None] - m_pd[:, None, :] + m_p[:, None, None]
    ss_res = np.sum(resid**2)
    ms_p = ss_p / (n_p - 1)
    ms_rp = ss_rp / (n_p * (n_r - 1))
    ms_pd = ss_pd / ((n_p - 1) * (n_d - 1))
    ms_res = ss_res / (n_p * (n_r - 1) * (n_d - 1))
    s_res = ms_res
    s_pd = max(0.0, (ms_pd - ms_res) / n_r)
    s_rp = max(0.0, (ms_rp - ms_res) / n_d)
    s_p = max(0.0, (ms_p - ms_rp - ms_pd + ms_res) / (n_r * n_d))
    total = s_p + s_pd + s_rp + s_res
    return {"ratee_share": (s_p + s_pd) / total, "rater_share": s_rp / total, "error_share": s_res / total}


def calibration_statistics(scenario: Scenario, seed: np.random.SeedSequence | int,
                           population: Population | None = None) -> dict[str, float]:
    """Every calibration statistic from one replication of ``scenario``."""
    sc = scenario
    if population is None:
        population = generate_population(sc.population, stream(seed, "population"))
    truth = generate_truth(population, sc.truth, sc.appraisal.period_months, stream(seed, "truth"))
    rp = sc.raters
    share = rp.results_idiosyncratic_share
    # Two superiors of one ratee share their perspective (the view from above) and nothing else.
    view = stream(seed, "calibration", 4).standard_normal(population.n)
    sup_a_b, sup_a_r = supervisor_ratings(population, truth, rp.supervisor, sc.truth, sc.appraisal, share,
                                          stream(seed, "raters"), rp.results_noise_sd, perspective=view)
    sup_b_b, _ = supervisor_ratings(population, truth, rp.supervisor, sc.truth, sc.appraisal, share,
                                    stream(seed, "calibration", 1), perspective=view)
    research = sc.appraisal.model_copy(update={"pay_linked": False})
    res_b, _ = supervisor_ratings(population, truth, rp.supervisor, sc.truth, research, share, stream(seed, "raters"),
                                  perspective=view)
    peers, n_peers = peer_ratings(population, truth, rp.peer, 2, stream(seed, "calibration", 2), individual=True)
    self_b, _ = self_ratings(population, truth, rp.self_rating, sc.truth, share, stream(seed, "calibration", 3))
    work = generate_work(population, truth, sc.work, sc.truth, sc.appraisal.period_months, stream(seed, "work"))

    a, b = sup_a_b.mean(axis=1), sup_b_b.mean(axis=1)
    out: dict[str, float] = {}
    out["supervisor_interrater"] = interrater_r(a, b)
    two = n_peers >= 2
    out["peer_interrater"] = interrater_r(peers[0][two].mean(axis=1), peers[1][two].mean(axis=1))
    design = np.stack([sup_a_b[two], sup_b_b[two], peers[0][two], peers[1][two]], axis=1)
    out.update(nested_variance_shares(design))
    # Halo is the rater's general impression of a ratee, not the rater's leniency: correlations
    # between dimensions are measured on the same ratings with the leniency term removed (the
    # same random draws with leniency set to zero).
    no_len = {"leniency_mean": 0.0, "leniency_sd": 0.0}
    sup_nl, _ = supervisor_ratings(population, truth, rp.supervisor.model_copy(update={**no_len, "stakes_inflation": 0.0}),
                                   sc.truth, sc.appraisal, share, stream(seed, "raters"), perspective=view)
    peers_nl, _ = peer_ratings(population, truth, rp.peer.model_copy(update=no_len), 2,
                               stream(seed, "calibration", 2), individual=True)
    true_r = _mean_offdiag_corr(truth.behaviour)
    out["halo_inflation_supervisor"] = _mean_offdiag_corr(sup_nl) / true_r - 1
    out["halo_inflation_peer"] = _mean_offdiag_corr(peers_nl[0][two]) / true_r - 1
    s = self_b.mean(axis=1)
    out["self_supervisor_r"] = float(np.corrcoef(s, a)[0, 1])
    out["self_leniency_d"] = float((s.mean() - a.mean()) / np.sqrt((s.var() + a.var()) / 2))
    r = res_b.mean(axis=1)
    out["stakes_d"] = float((a.mean() - r.mean()) / r.std())
    # Objective evidence: each employee's capaian standardised within indicator, averaged.
    with np.errstate(invalid="ignore", divide="ignore"):
        cap = np.log(np.maximum(work["capaian"], 1.0))
        z = (cap - np.nanmean(cap, axis=0)) / np.nanstd(cap, axis=0)
        objective = np.nanmean(z, axis=1)
    ok = ~np.isnan(objective)
    out["supervisor_objective_r"] = float(np.corrcoef(sup_a_r[ok], objective[ok])[0, 1])
    beh3 = to_expectation(a, sc.raters.scales)
    res3 = to_expectation(sup_a_r, sc.raters.scales)
    out["share_at_or_above_both"] = float(np.mean((beh3 >= SESUAI) & (res3 >= SESUAI)))
    out["share_above_both"] = float(np.mean((beh3 == DI_ATAS) & (res3 == DI_ATAS)))
    # Service: the citizens' waits at the public counters in the same period.
    service = simulate_period(sc, seed, population=population, truth=truth).service
    out["counter_wait_p90"] = float(service.citizen_wait["wait_minutes_p90"])
    if sc.raters.observed is not None:
        obs = sc.raters.observed
        shares = simulated_shares(sc, Design(n_peers=obs.n_peers, dimensions=obs.dimensions), seed)
        for part in ("employee", "rater", "residual"):
            out[f"observed_{part}_share"] = shares[part]
    return out


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Targets beside simulated values; ``per_replication`` keeps every replication's values."""

    scenario: str
    replications: int
    seed: int
    table: pd.DataFrame
    per_replication: pd.DataFrame

    @property
    def all_ok(self) -> bool:
        return bool(self.table["ok"].all())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_records(self) -> list[dict]:
        cols = ["target", "source", "published", "simulated", "ci_low", "ci_high", "ok"]
        recs = self.table[cols].to_dict(orient="records")
        for rec in recs:
            for k in ("simulated", "ci_low", "ci_high"):
                rec[k] = float(rec[k])
            rec["ok"] = bool(rec["ok"])
        return recs

    def summary(self) -> pd.DataFrame:
        t = self.table
        return pd.DataFrame({
            "target": t["label"], "published": t["published"],
            "simulated (95% MC interval)": [f"{m:.3f} ({lo:.3f}-{hi:.3f})" for m, lo, hi in
                                            zip(t["simulated"], t["ci_low"], t["ci_high"])],
            "accepted": [f"{lo:g}-{hi:g}" for lo, hi in zip(t["accept_low"], t["accept_high"])],
            "ok": np.where(t["ok"], "yes", "NO"),
        })

    def _repr_html_(self) -> str:
        return frame_html(f"Calibration of '{self.scenario}' ({self.replications} replications, seed {self.seed})",
                          self.summary())

    def __str__(self) -> str:
        return self.summary().to_string(index=False)


def calibrate(scenario: Scenario, replications: int = 20, seed: int | None = None,
              progress: Callable[[int], None] | None = None) -> CalibrationResult:
    """Run ``replications`` seeded replications and compare every statistic with its target."""
    if replications < 2:
        raise ValueError(f"replications: must be >= 2 for an interval, got {replications}")
    root = scenario.seed if seed is None else seed
    rows = []
    for i, child in enumerate(spawn_seeds(root, replications)):
        rows.append(calibration_statistics(scenario, child))
        if progress is not None:
            progress(i + 1)
    reps = pd.DataFrame(rows)
    t_crit = stats.t.ppf(0.975, replications - 1)
    records = []
    for tgt in targets_for(scenario):
        v = reps[tgt.key].to_numpy()
        m, se = v.mean(), v.std(ddof=1) / np.sqrt(len(v))
        records.append({
            "key": tgt.key, "target": tgt.key, "label": tgt.label, "source": tgt.source, "published": tgt.published,
            "simulated": m, "ci_low": m - t_crit * se, "ci_high": m + t_crit * se,
            "accept_low": tgt.low, "accept_high": tgt.high, "ok": bool(tgt.low <= m <= tgt.high),
        })
    return CalibrationResult(scenario=scenario.name, replications=replications, seed=int(root),
                             table=pd.DataFrame(records), per_replication=reps)
