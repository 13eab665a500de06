"""Rate it yourself: participants rate short vignettes of simulated employees, and see themselves.

The trainer prints the sheet (:func:`sheet_html`: eight short descriptions of employees, each
to be rated 1-5 on three aspects), the participants fill it in, and someone types it into a CSV
with the columns ``peserta, vignet, aspek, nilai`` (participant, vignette, aspect, rating 1-5;
one row per rating). The notebook then shows, for each participant under a number instead of a
name (anonymous: numbers follow a shuffle of the names, not the sheet's order), their
**leniency** (mean rating minus the truth's), **spread** (SD of their ratings over the truth's:
below 1 is central tendency), **halo** (how much their three aspects agree, minus how much the
truth's do) and **validity** (correlation with the truth), and the room's inter-rater
agreement, ICC(2,1) (Shrout & Fleiss 1979; :func:`simulate.metrics.reliability.icc`).

The vignettes come from the suite's truth model: each employee's true performance on the three
aspects shares a general factor (``inter_dimension_correlation``), and the facts in the text
are drawn from it with a little noise, as a supervisor sees them. The truth on the 1-5 scale is
``3 + truth`` clipped to 1-5. ``data/examples/rate_it_yourself.csv`` is a filled-in example
made by :func:`example_sheet` (simulated participants rating through the suite's rater model);
``python -m simulate.workshop.exercise`` rewrites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulate import numformat as nf
from simulate.errors import UserError
from simulate.metrics.reliability import icc
from simulate.raters import draw_raters, rate
from simulate.scenario.schema import RaterSourceParams, TruthParams
from simulate.workshop.render import COLOURS, new_figure
from simulate.workshop.text import check_lang

__all__ = ["ASPECTS", "Vignettes", "vignettes", "sheet_html", "read_sheet", "example_sheet", "ExerciseResult",
           "score_sheet", "exercise_figure", "exercise_narrative", "example_path"]

#: The three aspects rated: key -> (id, en).
ASPECTS: dict[str, tuple[str, str]] = {
    "hasil_kerja": ("Hasil kerja", "Work results"),
    "pelayanan": ("Berorientasi pelayanan", "Service orientation"),
    "kolaboratif": ("Kolaboratif", "Collaboration"),
}
COLUMNS = ("peserta", "vignet", "aspek", "nilai")
N_VIGNETTES = 8
_NAMES = ("Ani", "Bayu", "Cahya", "Dimas", "Eka", "Fajar", "Gina", "Hadi")


def example_path() -> Path:
    """The shipped example sheet, ``data/examples/rate_it_yourself.csv`` of the checkout (or the working folder)."""
    from simulate.resources import checkout_root

    return (checkout_root() or Path.cwd()) / "data" / "examples" / "rate_it_yourself.csv"


@dataclass(frozen=True)
class Vignettes:
    """The simulated employees of the sheet: their truth (latent, 3 aspects) and the facts shown."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    truth: np.ndarray  #: (8, 3) latent true performance, SD units
    facts: pd.DataFrame  #: per vignette: documents done of 50, late days, complaints, help given

    @property
    def true_rating(self) -> np.ndarray:
        """The truth on the sheet's 1-5 scale (``3 + truth``, clipped)."""
        return np.clip(3 + self.truth, 1, 5)


def vignettes(seed: int = 0, truth_params: TruthParams | None = None) -> Vignettes:
    """Eight simulated employees (the same for a seed)."""
    rho = (TruthParams() if truth_params is None else truth_params).inter_dimension_correlation
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7, 7)))
    truth = np.sqrt(rho) * rng.standard_normal(N_VIGNETTES)[:, None] + np.sqrt(1 - rho) * rng.standard_normal((N_VIGNETTES, 3))
    noise = 0.4 * rng.standard_normal((N_VIGNETTES, 4))
    facts = pd.DataFrame({
        "documents": np.clip(np.round(40 + 5 * (truth[:, 0] + noise[:, 0])), 10, 50).astype(int),
        "complaints": np.clip(np.round(3 - 1.5 * (truth[:, 1] + noise[:, 1])), 0, 9).astype(int),
        "thanks": np.clip(np.round(4 + 2 * (truth[:, 1] + noise[:, 2])), 0, 12).astype(int),
        "helped": np.clip(np.round(3 + 2 * (truth[:, 2] + noise[:, 3])), 0, 10).astype(int),
    })
    return Vignettes(ids=tuple(f"V{i + 1}" for i in range(N_VIGNETTES)), names=_NAMES, truth=truth, facts=facts)


def _vignette_text(v: Vignettes, i: int, lang: str) -> str:
    f = v.facts.iloc[i]
    if lang == "en":
        return (f"{v.names[i]} finished {f.documents} of 50 files on time this quarter. Citizens filed {f.complaints} "
                f"complaints and {f.thanks} thank-you notes about the service. Colleagues say {v.names[i]} helped them "
                f"{f.helped} times with their own work.")
    return (f"{v.names[i]} menyelesaikan {f.documents} dari 50 berkas tepat waktu triwulan ini. Warga menyampaikan "
            f"{f.complaints} keluhan dan {f.thanks} ucapan terima kasih atas layanannya. Rekan kerja menyebut "
            f"{v.names[i]} {f.helped} kali membantu pekerjaan mereka.")


def sheet_html(v: Vignettes, lang: str = "id") -> str:
    """The sheet to print: the vignettes and a 1-5 box per aspect, with how to type it in."""
    check_lang(lang)
    i = 0 if lang == "id" else 1
    heads = "".join(f"<th>{a[i]} (1–5)</th>" for a in ASPECTS.values())
    rows = "".join(f"<tr><td><b>{vid}</b></td><td style='max-width:40em'>{_vignette_text(v, k, lang)}</td>"
                   + "<td></td>" * len(ASPECTS) + "</tr>" for k, vid in enumerate(v.ids))
    how = ("Nilai setiap pegawai 1 (sangat kurang) sampai 5 (sangat baik) pada setiap aspek. Ketik hasilnya ke CSV "
           "dengan kolom <code>peserta, vignet, aspek, nilai</code> (aspek: "
           if lang == "id" else
           "Rate each employee from 1 (very poor) to 5 (very good) on each aspect. Type the results into a CSV with "
           "the columns <code>peserta, vignet, aspek, nilai</code> (participant, vignette, aspect, rating; aspect: ")
    how += ", ".join(f"<code>{k}</code>" for k in ASPECTS) + ")."
    return (f"<p>{how}</p><table border='1' style='border-collapse:collapse'><tr><th></th><th></th>{heads}</tr>"
            f"{rows}</table>")


def read_sheet(path: str | Path, v: Vignettes) -> pd.DataFrame:
    """The typed-in sheet, checked: one clear message per problem (row numbers as in the file)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"sheet: file not found: {path}")
    sheet = pd.read_csv(path, dtype={"peserta": str, "vignet": str, "aspek": str})
    missing = [c for c in COLUMNS if c not in sheet.columns]
    if missing:
        raise UserError(f"{path.name}: missing column(s) {', '.join(missing)}; needed: {', '.join(COLUMNS)}")
    problems = []
    rating = pd.to_numeric(sheet["nilai"], errors="coerce")
    for row in np.flatnonzero(~rating.between(1, 5)):
        problems.append(f"{path.name} row {row + 2}: nilai must be a number from 1 to 5, got {sheet['nilai'].iloc[row]!r}")
    for row in np.flatnonzero(~sheet["vignet"].isin(v.ids)):
        problems.append(f"{path.name} row {row + 2}: vignet must be one of {', '.join(v.ids)}, got {sheet['vignet'].iloc[row]!r}")
    for row in np.flatnonzero(~sheet["aspek"].isin(list(ASPECTS))):
        problems.append(f"{path.name} row {row + 2}: aspek must be one of {', '.join(ASPECTS)}, got {sheet['aspek'].iloc[row]!r}")
    if problems:
        raise UserError(f"{path.name}: {len(problems)} problem(s) in the typed-in sheet", problems)
    sheet = sheet.assign(nilai=rating.astype(float))
    twice = sheet.duplicated(["peserta", "vignet", "aspek"], keep=False)
    if twice.any():
        row = int(np.flatnonzero(twice)[0])
        raise UserError(f"{path.name} row {row + 2}: participant {sheet['peserta'].iloc[row]!r} rated "
                        f"{sheet['vignet'].iloc[row]} / {sheet['aspek'].iloc[row]} more than once")
    return sheet


def example_sheet(v: Vignettes, participants: int = 12, seed: int = 0) -> pd.DataFrame:
    """A filled-in sheet: ``participants`` simulated raters (the suite's rater model) rounding to 1-5."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7, 8)))
    params = RaterSourceParams(leniency_mean=0.4, leniency_sd=0.5, slope_mean=0.8, slope_sd=0.2,
                               idiosyncratic_sd=0.3, noise_sd=0.5, halo=0.5, ingroup_bias=0.0)
    raters = draw_raters(participants, params, rng, share_local=1.0)
    local = np.ones(len(v.ids), dtype=bool)
    rows = []
    for p in range(participants):
        latent = rate(v.truth, raters, np.full(len(v.ids), p), params, local, rng)
        ratings = np.clip(np.round(3 + latent), 1, 5).astype(int)
        for i, vid in enumerate(v.ids):
            for j, aspect in enumerate(ASPECTS):
                rows.append((f"peserta_{p + 1:02d}", vid, aspect, int(ratings[i, j])))
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass(frozen=True)
class ExerciseResult:
    """Each participant's rater effects (anonymous numbers) and the room's agreement."""

    participants: pd.DataFrame  #: number, leniency, spread, halo, validity, ratings
    icc_agreement: float  #: ICC(2,1) over vignette x aspect, participants complete on every item
    complete: int  #: participants who rated every vignette on every aspect (those in the ICC)
    true_halo: float

    def to_frame(self) -> pd.DataFrame:
        return self.participants


def _mean_corr(x: np.ndarray) -> float:
    """Mean correlation between the columns of ``x`` (NaN when a column does not vary)."""
    if np.any(np.std(x, axis=0) == 0):
        return float("nan")
    c = np.corrcoef(x, rowvar=False)
    k = c.shape[0]
    return float((c.sum() - k) / (k * (k - 1)))


def score_sheet(sheet: pd.DataFrame, v: Vignettes, seed: int = 0) -> ExerciseResult:
    """Leniency, spread, halo and validity of every participant against the truth, and the room's ICC."""
    truth = v.true_rating
    index = {vid: i for i, vid in enumerate(v.ids)}
    aspect = {a: j for j, a in enumerate(ASPECTS)}
    names = sorted(sheet["peserta"].unique())
    order = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7, 9))).permutation(len(names))
    rows, full = [], []
    for number, k in enumerate(order, start=1):
        own = sheet[sheet["peserta"] == names[k]]
        grid = np.full(truth.shape, np.nan)
        grid[own["vignet"].map(index).to_numpy(), own["aspek"].map(aspect).to_numpy()] = own["nilai"].to_numpy()
        seen = ~np.isnan(grid)
        r, t = grid[seen], truth[seen]
        rows.append({
            "participant": number, "ratings": int(seen.sum()),
            "leniency": float(r.mean() - t.mean()),
            "spread": float(r.std() / t.std()) if t.std() > 0 else float("nan"),
            "halo": _mean_corr(grid) - _mean_corr(truth) if seen.all() else float("nan"),
            "validity": float(np.corrcoef(r, t)[0, 1]) if r.std() > 0 and t.std() > 0 else float("nan"),
        })
        if seen.all():
            full.append(grid.ravel())
    agreement = icc(np.column_stack(full)).values["ICC(2,1)"] if len(full) >= 2 else float("nan")
    return ExerciseResult(participants=pd.DataFrame(rows), icc_agreement=float(agreement), complete=len(full),
                          true_halo=_mean_corr(truth))


_TITLES = {"leniency": ("Kemurahan (nilai − kenyataan)", "Leniency (rating − truth)"),
           "spread": ("Sebaran (÷ sebaran kenyataan)", "Spread (÷ the truth's)"),
           "halo": ("Halo (korelasi antaraspek − kenyataan)", "Halo (aspect correlation − truth's)"),
           "validity": ("Ketepatan (korelasi dengan kenyataan)", "Validity (correlation with the truth)")}


def exercise_figure(result: ExerciseResult, lang: str = "id"):
    """One row of bars per effect, one bar per participant (numbers, not names)."""
    check_lang(lang)
    i = 0 if lang == "id" else 1
    fig = new_figure(11.0, 3.6)
    p = result.participants
    x = np.arange(len(p))
    refs = {"leniency": 0.0, "spread": 1.0, "halo": 0.0, "validity": 1.0}
    for j, key in enumerate(_TITLES):
        ax = fig.add_axes((0.05 + j * 0.245, 0.16, 0.2, 0.7))
        ax.bar(x, p[key].to_numpy(), color=COLOURS["main"] if key != "leniency" else COLOURS["accent"])
        ax.axhline(refs[key], color=COLOURS["line"], lw=1, ls="--")
        ax.set_xticks(x, [str(n) for n in p["participant"]], fontsize=7)
        ax.set_xlabel("Peserta" if lang == "id" else "Participant", fontsize=8)
        ax.set_title(_TITLES[key][i], fontsize=8.5)
        ax.yaxis.set_major_formatter(nf.axis_formatter(lang))
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", alpha=0.2)
    return fig


def exercise_narrative(result: ExerciseResult, lang: str = "id") -> str:
    p = result.participants
    n, agree = len(p), nf.number(result.icc_agreement, lang)
    lenient = int((p["leniency"] > 0.25).sum())
    central = int((p["spread"] < 0.8).sum())
    best = nf.number(p["validity"].max(), lang)
    if lang == "en":
        return (f"{n} participants rated the same {N_VIGNETTES} employees, whose true performance we know. {lenient} "
                f"rated more than a quarter of a point above the truth on average (leniency), {central} squeezed their "
                f"ratings towards the middle (spread below 0.8). Two participants rating the same employee agree at "
                f"<b>{agree}</b> (ICC(2,1), the room's inter-rater agreement; 1 would be perfect agreement); the "
                f"closest to the truth has validity {best}. Participants are numbered, not named.")
    return (f"{n} peserta menilai {N_VIGNETTES} pegawai yang sama, yang kinerja sebenarnya kita ketahui. {lenient} orang "
            f"rata-rata memberi nilai lebih dari seperempat poin di atas kenyataan (kemurahan), {central} orang "
            f"memampatkan nilainya ke tengah (sebaran di bawah 0,8). Dua peserta yang menilai pegawai yang sama sepakat "
            f"pada <b>{agree}</b> (ICC(2,1), kesepakatan antarpenilai di ruangan ini; 1 berarti sepakat sempurna); yang "
            f"paling dekat dengan kenyataan memiliki ketepatan {best}. Peserta diberi nomor, bukan nama.")


def main() -> None:  # python -m simulate.workshop.exercise: rewrite the shipped example sheet
    sheet = example_sheet(vignettes())
    path = example_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(path, index=False)
    print(f"wrote {path} ({len(sheet)} ratings, {sheet['peserta'].nunique()} participants)")


if __name__ == "__main__":
    main()
