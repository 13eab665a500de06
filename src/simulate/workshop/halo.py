"""Panel 2: halo, the dimension ratings' correlations as halo rises.

A large sample of ratees, each rated by a supervisor drawn from the rater population, through
the suite's rater model (:func:`simulate.raters.rate`). Halo mixes the rater's overall
impression into every dimension (``(1 - halo) x perceived_d + halo x mean_d perceived``,
Viswesvaran, Schmidt & Ones 2005), so the seven BerAKHLAK ratings agree with each other more
than the dimensions truly do. Leniency spread between raters adds to it too: a lenient rater
lifts every dimension of the same person. The figure shows the 7 x 7 correlations of the
ratings at the current halo, and the mean correlation over the range of halo, against the true
inter-dimension correlation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import numformat as nf
from simulate.raters import draw_raters, rate
from simulate.scenario.schema import TruthParams
from simulate.workshop.render import COLOURS, LiveFigure, new_figure
from simulate.workshop.settings import Settings, source_params
from simulate.workshop.team import SHARE_LOCAL
from simulate.workshop.text import DIMENSION_LABELS, check_lang, word

__all__ = ["HaloData", "HaloFigure", "halo_data", "halo_figure", "halo_narrative", "HALO_GRID"]

HALO_GRID = np.round(np.linspace(0.0, 1.0, 11), 2)
_DIMS = 7


@dataclass(frozen=True)
class HaloData:
    corr: np.ndarray  #: (7, 7) correlations of the ratings at the current halo
    grid: np.ndarray  #: halo values
    mean_corr: np.ndarray  #: mean off-diagonal correlation of the ratings at each grid value
    true_corr: float  #: mean off-diagonal correlation of the true dimensions (same people)
    halo: float

    @property
    def current(self) -> float:
        """Mean off-diagonal correlation at the current halo."""
        return _mean_off_diagonal(self.corr)


def _mean_off_diagonal(c: np.ndarray) -> float:
    k = c.shape[0]
    return float((c.sum() - np.trace(c)) / (k * (k - 1)))


def halo_data(settings: Settings, seed: int = 0, n: int = 3000, truth_params: TruthParams | None = None) -> HaloData:
    """Correlations of the seven dimension ratings (pure function of its arguments)."""
    tp = TruthParams() if truth_params is None else truth_params
    rho = tp.inter_dimension_correlation
    base = source_params(settings)

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(n, 2)))
    dims = np.sqrt(rho) * rng.standard_normal(n)[:, None] + np.sqrt(1 - rho) * rng.standard_normal((n, _DIMS))
    local = rng.random(n) < SHARE_LOCAL
    params = base.model_copy(update={"halo": 0.0})
    raters = draw_raters(n, params, rng, share_local=SHARE_LOCAL)
    # The rating at halo h is (1 - h) x the rating without halo + h x its mean over the dimensions
    # (the shift terms are the same on every dimension), so every halo's covariance follows from
    # one draw: C_h = A C_0 A' with A = (1 - h) I + h J / 7 -- the same people and draws for all.
    cov0 = np.cov(rate(dims, raters, np.arange(n), params, local, rng), rowvar=False)
    corr = _halo_corr(cov0, settings.halo)
    mean_corr = np.array([_mean_off_diagonal(_halo_corr(cov0, h)) for h in HALO_GRID])
    return HaloData(corr=corr, grid=HALO_GRID, mean_corr=mean_corr,
                    true_corr=_mean_off_diagonal(np.corrcoef(dims, rowvar=False)), halo=settings.halo)


def _halo_corr(cov0: np.ndarray, halo: float) -> np.ndarray:
    k = cov0.shape[0]
    a = (1 - halo) * np.eye(k) + halo / k
    cov = a @ cov0 @ a.T
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd) if np.all(sd > 0) else np.eye(k)


class HaloFigure(LiveFigure):
    """The panel's figure, built once per language and updated in place on each move."""

    def __init__(self, data: HaloData, lang: str = "id", blit: bool = False):
        check_lang(lang)
        self.lang = lang
        fig = self.figure = new_figure(9.6, 4.0)
        left = self.left = fig.add_axes((0.17, 0.13, 0.36, 0.8))
        right = fig.add_axes((0.63, 0.13, 0.35, 0.8))
        self.image = left.imshow(data.corr, vmin=0, vmax=1, cmap="Blues")
        names = DIMENSION_LABELS[lang]
        left.set_xticks(range(_DIMS), [f"{i + 1}" for i in range(_DIMS)], fontsize=8)
        left.set_yticks(range(_DIMS), [f"{i + 1}. {name}" for i, name in enumerate(names)], fontsize=8)
        (self.curve,) = right.plot(data.grid, data.mean_corr, color=COLOURS["main"], marker="o", ms=3,
                                   label=word("rated_corr", lang))
        self.true_line = right.axhline(data.true_corr, color=COLOURS["good"], ls="--", lw=1.2,
                                       label=word("true_corr", lang))
        (self.now,) = right.plot([data.halo], [data.current], "o", ms=9, color=COLOURS["accent"], label=word("now", lang))
        right.set_xlim(0, 1)
        right.set_ylim(0, 1)
        right.set_xlabel(word("halo_axis", lang))
        right.set_ylabel(word("mean_corr", lang))
        right.xaxis.set_major_formatter(nf.axis_formatter(lang))
        right.yaxis.set_major_formatter(nf.axis_formatter(lang))
        right.legend(loc="lower right", fontsize=8, frameon=False)
        right.grid(alpha=0.2)
        self.title = left.set_title("", fontsize=9)
        self._moving([self.image, self.curve, self.true_line, self.now, self.title], blit)
        self.update(data)

    def update(self, data: HaloData) -> None:
        """Move the matrix, the curve and the current point to ``data``."""
        lang = self.lang
        self.image.set_data(data.corr)
        self.curve.set_data(data.grid, data.mean_corr)
        self.true_line.set_ydata([data.true_corr, data.true_corr])
        self.now.set_data([data.halo], [data.current])
        self.title.set_text(f"{word('rated_corr', lang)} ({word('halo_axis', lang).lower()} "
                            f"{nf.number(data.halo, lang)})")


def halo_figure(data: HaloData, lang: str = "id"):
    """Left: the 7 x 7 correlations now; right: the mean correlation as halo rises."""
    return HaloFigure(data, lang).figure


def halo_narrative(data: HaloData, settings: Settings, lang: str = "id") -> str:
    now, true = nf.number(data.current, lang), nf.number(data.true_corr, lang)
    if lang == "en":
        return (f"A supervisor rates seven BerAKHLAK core values. The values truly go together at a correlation of "
                f"<b>{true}</b>; the ratings, at halo {nf.number(settings.halo, lang)}, at <b>{now}</b>. Halo is the "
                f"overall impression leaking into every value: the higher it is, the less the seven ratings say "
                f"beyond one number, and the less they tell a person what to improve.")
    return (f"Atasan menilai tujuh nilai dasar BerAKHLAK. Sebenarnya ketujuh aspek itu berkorelasi <b>{true}</b>; "
            f"nilainya, dengan efek halo {nf.number(settings.halo, lang)}, berkorelasi <b>{now}</b>. Efek halo adalah "
            f"kesan umum yang merembes ke setiap aspek: makin tinggi, makin sedikit yang dikatakan ketujuh nilai itu "
            f"selain satu angka, dan makin sedikit petunjuk bagi pegawai tentang apa yang perlu diperbaiki.")
