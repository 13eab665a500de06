"""A synthetic appraisal export made by the simulator, and what generated it (for recovery checks).

Each employee is rated on the seven BerAKHLAK dimensions, 0-100, by the direct superior and by
up to two colleagues of the same team (360-degree input), as an e-Kinerja export would list it:
``nip, nama, nip_penilai, nama_penilai, unit_kerja, jenis_kelamin, status, periode, dimensi,
nilai`` and one indicator column. Every rater has one leniency and one slope, whether rating as
superior or as colleague. NIPs follow the real structure but belong to nobody
(:func:`simulate.population.format_nip`); names are drawn from common Indonesian names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.population import Population, format_nip, generate_population
from simulate.raters import RaterDraws, _peers, rate
from simulate.rng import stream
from simulate.scales import to_score_100
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS, RaterSourceParams, Scenario
from simulate.work import generate_truth, generate_work

__all__ = ["SyntheticExport", "synthetic_export"]

_GIVEN = ("Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
          "Made", "Nur", "Putri", "Rahmat", "Sari", "Taufik", "Wahyu", "Yuni")
_FAMILY = ("Saputra", "Wijaya", "Siregar", "Nasution", "Hasibuan", "Pratama", "Lubis", "Harahap", "Simanjuntak",
           "Kusuma", "Hidayat", "Rahayu", "Setiawan", "Purba", "Tanjung", "Sinaga")


@dataclass(frozen=True, eq=False)
class SyntheticExport:
    export: pd.DataFrame  #: the export as a regional system would write it
    leniency: pd.Series  #: each rater's leniency (latent SD units), by the rater's NIP
    slope: pd.Series  #: each rater's slope, by NIP
    scale_per_sd: float  #: 0-100 points per latent SD (to compare with the estimates)
    truth: pd.Series  #: each employee's true mean behaviour (latent), by NIP


def _names(n: int, rng: np.random.Generator) -> np.ndarray:
    given = np.asarray(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), n)]
    family = np.asarray(_FAMILY, dtype=object)[rng.integers(0, len(_FAMILY), n)]
    return given + " " + family


def synthetic_export(scenario: Scenario, seed: int | np.random.SeedSequence | None = None, n_peers: int = 2,
                     raters: RaterSourceParams | None = None) -> SyntheticExport:
    """One period's behaviour ratings of ``scenario``'s population, with the rater draws behind them."""
    seed = scenario.seed if seed is None else seed
    pop: Population = generate_population(scenario.population, stream(seed, "population"))
    truth = generate_truth(pop, scenario.truth, scenario.appraisal.period_months, stream(seed, "truth"))
    work = generate_work(pop, truth, scenario.work, scenario.truth, scenario.appraisal.period_months,
                         stream(seed, "work"))
    params = raters or scenario.raters.supervisor
    rng = stream(seed, "example")
    n = pop.n
    e = pop.employees
    local = e["local_origin"].to_numpy(bool)
    draws = RaterDraws(leniency=params.leniency_mean + params.leniency_sd * rng.standard_normal(n),
                       slope=np.maximum(params.slope_mean + params.slope_sd * rng.standard_normal(n), 0.05),
                       local_origin=local)
    superior = e["superior_id"].to_numpy()
    row_of = np.full(int(e["employee_id"].max()) + 1, -1)
    row_of[e["employee_id"].to_numpy()] = np.arange(n)
    sup_row = np.where(superior >= 0, row_of[np.maximum(superior, 0)], -1)
    pairs = [(np.flatnonzero(sup_row >= 0), sup_row[sup_row >= 0])]
    peers, available = _peers(pop, n_peers)
    for i, peer in enumerate(peers, start=1):  # a handful of peers, not employees
        ok = np.flatnonzero(available >= i)
        pairs.append((ok, peer[ok]))
    ratee = np.concatenate([p[0] for p in pairs])
    rater = np.concatenate([p[1] for p in pairs])
    latent = rate(truth.behaviour[ratee], draws, rater, params, local[ratee], rng)
    score = np.round(to_score_100(latent, scenario.raters.scales), 1)
    nip = format_nip(e["nip"].to_numpy())
    names = _names(n, rng)
    units = e["unit_id"].to_numpy()
    unit_name = np.where(units >= 0, "Unit " + pd.Series(units).astype(str).to_numpy(dtype=object),
                         "OPD " + e["opd_id"].astype(str).to_numpy(dtype=object))
    with np.errstate(invalid="ignore", divide="ignore"):
        cap = np.log(np.maximum(work["capaian"], 1.0))
        z = (cap - np.nanmean(cap, axis=0)) / np.nanstd(cap, axis=0)
        capaian = np.nanmean(z, axis=1)
    d = len(BEHAVIOUR_DIMENSIONS)
    rows = np.repeat(np.arange(len(ratee)), d)
    who, by = ratee[rows], rater[rows]
    export = pd.DataFrame({
        "nip": nip[who], "nama": names[who], "nip_penilai": nip[by], "nama_penilai": names[by],
        "unit_kerja": unit_name[who], "jenis_kelamin": e["sex"].to_numpy()[who], "status": e["status"].to_numpy()[who],
        "periode": "2024", "dimensi": np.tile(np.asarray([d.replace("_", " ").title() for d in BEHAVIOUR_DIMENSIONS], dtype=object),
                           len(ratee)),
        "nilai": score.ravel(), "indikator_capaian": np.round(np.where(np.isnan(capaian), np.nan, 100 + 10 * capaian),
                                                               1)[who],
    })
    used = np.unique(rater)
    return SyntheticExport(
        export=export, leniency=pd.Series(draws.leniency[used], index=nip[used]),
        slope=pd.Series(draws.slope[used], index=nip[used]), scale_per_sd=scenario.raters.scales.score_per_sd,
        truth=pd.Series(truth.behaviour.mean(axis=1), index=nip),
    )


def write_example(folder: str | Path | None = None, preset: str = "workshop") -> list[Path]:
    """Write the shipped example export (CSV and its Excel twin) made from ``preset``."""
    from simulate.assemble import load_scenario
    from simulate.resources import checkout_root

    folder = Path(folder) if folder is not None else (checkout_root() or Path.cwd()) / "data" / "examples"
    folder.mkdir(parents=True, exist_ok=True)
    ex = synthetic_export(load_scenario(preset))
    csv, xlsx = folder / "penilaian_perilaku_sintetis.csv", folder / "penilaian_perilaku_sintetis.xlsx"
    ex.export.to_csv(csv, index=False)
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        ex.export.to_excel(writer, sheet_name="Penilaian", index=False)
        writer.sheets["Penilaian"].freeze_panes = "A2"
    return [csv, xlsx]


if __name__ == "__main__":  # pragma: no cover - `make example`
    for written in write_example():
        print(f"wrote {written}")
