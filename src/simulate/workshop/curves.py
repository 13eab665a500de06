"""Panel 4: forced curves in small units, the share misrated by unit size.

The classic stack-ranking simulation (:mod:`simulate.classic.stack_ranking`): a curve with the
trainer's quota (top share, 70 %-ish middle, bottom share) is forced inside every unit on its
ratings and judged against the same curve on true performance across the whole workforce. Two
lines: ratings as reliable as the trainer's raters make them, and perfect ratings (what is left
is the error of small units alone: a unit of five has one top place whether it holds none or
three of the workforce's best).

Reliability *within a unit* follows from the rater model (DESIGN 3.5; one supervisor rates the
whole unit, so his or her leniency and halo do not reorder the unit, which the narrative says):
the rating averaged over the seven dimensions is
``slope x (mean truth + impression + mean noise) + leniency + in-group shift``, so

    reliability = slope^2 v / (slope^2 (v + impression^2 + noise^2 / 7) + ingroup^2 q (1 - q))

with ``v = rho + (1 - rho) / 7`` the variance of the mean true dimension and ``q`` the share of
a unit who share the rater's in-group trait.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import numformat as nf
from simulate.classic.stack_ranking import GROUP_SIZES, misrated_share
from simulate.scenario.schema import TruthParams
from simulate.workshop.render import COLOURS, new_figure
from simulate.workshop.settings import Settings
from simulate.workshop.team import SHARE_LOCAL
from simulate.workshop.text import check_lang, word

__all__ = ["CurveData", "within_unit_reliability", "curves_data", "curves_figure", "curves_narrative"]

_DIMS = 7
#: Share of a unit sharing the rater's trait when both are local with probability SHARE_LOCAL.
_SAME = SHARE_LOCAL**2 + (1 - SHARE_LOCAL) ** 2


def within_unit_reliability(settings: Settings, truth_params: TruthParams | None = None) -> float:
    """Share of the variance of one supervisor's ratings within a unit that is true performance."""
    rho = (TruthParams() if truth_params is None else truth_params).inter_dimension_correlation
    v = rho + (1 - rho) / _DIMS
    s2 = settings.slope**2
    error = s2 * (settings.impression_sd**2 + settings.noise**2 / _DIMS) + settings.ingroup**2 * _SAME * (1 - _SAME)
    return float(s2 * v / (s2 * v + error))


@dataclass(frozen=True)
class CurveData:
    sizes: np.ndarray
    misrated: np.ndarray  #: with the trainer's raters
    misrated_perfect: np.ndarray  #: with perfect ratings
    reliability: float
    shares: tuple[float, float, float]
    team_size: int

    def at(self, size: int) -> tuple[float, float]:
        """Misrated shares (these raters, perfect) at the size nearest ``size``."""
        i = int(np.argmin(np.abs(self.sizes - size)))
        return float(self.misrated[i]), float(self.misrated_perfect[i])


def curves_data(settings: Settings, seed: int = 0, people: int = 4000,
                truth_params: TruthParams | None = None) -> CurveData:
    """Misrated share by unit size (pure function of its arguments)."""
    rel = within_unit_reliability(settings, truth_params)
    shares = (settings.quota, 1.0 - settings.quota - settings.bottom, settings.bottom)
    sizes = np.array(sorted(set(GROUP_SIZES) | {int(settings.team_size)}))
    pairs = np.array([misrated_share(int(s), [rel, 1.0], shares, people, seed) for s in sizes])
    return CurveData(sizes=sizes, misrated=pairs[:, 0], misrated_perfect=pairs[:, 1], reliability=rel,
                     shares=shares, team_size=int(settings.team_size))


def curves_figure(data: CurveData, lang: str = "id"):
    check_lang(lang)
    fig = new_figure(7.6, 3.9)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.14)
    rel = nf.number(data.reliability, lang)
    ax.plot(data.sizes, data.misrated, color=COLOURS["main"], marker="o", ms=4,
            label=f"{word('with_these_raters', lang)} ({'reliability' if lang == 'en' else 'keandalan'} {rel})")
    ax.plot(data.sizes, data.misrated_perfect, color=COLOURS["other"], marker="o", ms=3, ls="--",
            label=word("with_perfect_raters", lang))
    now, _ = data.at(data.team_size)
    ax.axvline(data.team_size, color=COLOURS["accent"], lw=1)
    ax.annotate(f"{word('your_team', lang)}: {nf.percent(now, lang, 0)}", (data.team_size, now), xytext=(8, 8),
                textcoords="offset points", color=COLOURS["accent"], fontsize=9)
    ax.set_xscale("log")
    ticks = [3, 5, 8, 10, 15, 20, 30, 50]
    ax.set_xticks(ticks, [nf.integer(t, lang) for t in ticks])
    ax.minorticks_off()
    ax.set_ylim(0, max(0.6, float(data.misrated.max()) + 0.05))
    ax.set_xlabel(word("unit_size", lang))
    ax.set_ylabel(word("misrated", lang))
    ax.yaxis.set_major_formatter(nf.axis_formatter(lang, percent_axis=True))
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    ax.grid(alpha=0.2)
    return fig


def curves_narrative(data: CurveData, settings: Settings, lang: str = "id") -> str:
    top, mid, bottom = (nf.percent(s, lang, 0) for s in data.shares)
    now, perfect = (nf.percent(v, lang, 0) for v in data.at(data.team_size))
    big, big_perfect = (nf.percent(v, lang, 0) for v in data.at(50))
    rel = nf.number(data.reliability, lang)
    size = data.team_size
    if lang == "en":
        return (f"A forced curve of {top} top / {mid} middle / {bottom} bottom is applied inside every unit. Most "
                f"Indonesian units are small. In a unit of {size}, <b>{now}</b> of people land in the wrong category "
                f"(against the same curve on true performance across the whole workforce), and <b>{perfect}</b> even "
                f"with perfect ratings, since a small unit holds too few or too many of the best; in units of 50: "
                f"{big} and {big_perfect}. Within one unit the supervisor's leniency and halo change no one's place; "
                f"what reorders people is noise (reliability {rel} with these raters).")
    return (f"Kurva paksa {top} teratas / {mid} tengah / {bottom} terbawah diterapkan di setiap unit. Sebagian besar "
            f"unit kerja di Indonesia kecil. Di unit berisi {size} orang, <b>{now}</b> pegawai mendapat kategori yang "
            f"salah (dibandingkan kurva yang sama pada kinerja sebenarnya di seluruh pegawai), dan <b>{perfect}</b> "
            f"bahkan dengan penilaian sempurna, karena unit kecil berisi terlalu sedikit atau terlalu banyak orang "
            f"terbaik; di unit berisi 50 orang: {big} dan {big_perfect}. Di dalam satu unit, kemurahan dan efek halo "
            f"atasan tidak mengubah urutan siapa pun; yang mengacak urutan adalah gangguan acak (keandalan {rel} "
            f"dengan penilai seperti ini).")
