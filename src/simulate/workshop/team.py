"""Panel 1: one team rated by its supervisor against the members' true performance.

The suite's rater model (:func:`simulate.raters.rate`, DESIGN 3.5) applied to one small team:
each member has true performance on the seven BerAKHLAK dimensions, correlated through a general
factor at the scenario's ``inter_dimension_correlation``; the team's supervisor rates every
member once, and so does a second supervisor (another draw from the same rater population), so
that the room sees two honest people rate the same team differently. A person's point is the
mean over the seven dimensions, on the latent scale (SD of true performance), where a perfect
rater would put every point on the diagonal.

All draws come from one seed and the team size, in a fixed order, so moving a slider changes the
raters' behaviour, never the people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection

from simulate import numformat as nf
from simulate.raters import draw_raters, rate
from simulate.scenario.schema import ScaleParams, TruthParams
from simulate.workshop.render import COLOURS, LiveFigure, new_figure
from simulate.workshop.settings import Settings, source_params
from simulate.workshop.text import EXPECTATION_LABELS, check_lang, word

__all__ = ["TeamData", "TeamFigure", "team_data", "team_figure", "team_narrative", "SHARE_LOCAL"]

#: Share of ratees and raters of local origin (the in-group trait), as in the population model.
SHARE_LOCAL = 0.7
_DIMS = 7
AXIS_LIMIT = 5.0


@dataclass(frozen=True)
class TeamData:
    """One team's truth and two supervisors' ratings (means over the seven dimensions)."""

    truth: np.ndarray  #: (n,) mean true performance
    rating: np.ndarray  #: (n,) this team's supervisor
    other: np.ndarray  #: (n,) another supervisor, same team
    same_group: np.ndarray  #: (n,) bool, shares the in-group trait with this team's supervisor
    levels: np.ndarray  #: (n,) 0 di bawah, 1 sesuai, 2 di atas ekspektasi (this supervisor)
    above: float  #: latent rating above which a rating is "di atas ekspektasi"
    below: float

    @property
    def n(self) -> int:
        return len(self.truth)

    @property
    def validity(self) -> float:
        """Correlation of this supervisor's ratings with the truth, in this team."""
        return _corr(self.rating, self.truth)

    @property
    def agreement(self) -> float:
        """Correlation between the two supervisors' ratings of the same people."""
        return _corr(self.rating, self.other)

    @property
    def shift(self) -> float:
        """Mean rating minus mean truth (leniency as the team sees it)."""
        return float(np.mean(self.rating - self.truth))

    @property
    def spread(self) -> float:
        """SD of ratings over SD of truth (below 1: squeezed to the middle)."""
        sd = np.std(self.truth)
        return float(np.std(self.rating) / sd) if sd > 0 else float("nan")


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def team_data(settings: Settings, seed: int = 0, truth_params: TruthParams | None = None,
              scales: ScaleParams | None = None) -> TeamData:
    """Truth and ratings of a team of ``settings.team_size`` (pure function of its arguments)."""
    tp = TruthParams() if truth_params is None else truth_params
    sc = ScaleParams() if scales is None else scales
    n = int(settings.team_size)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(n,)))
    rho = tp.inter_dimension_correlation
    general = rng.standard_normal(n)
    dims = np.sqrt(rho) * general[:, None] + np.sqrt(1 - rho) * rng.standard_normal((n, _DIMS))
    local = rng.random(n) < SHARE_LOCAL
    params = source_params(settings)
    raters = draw_raters(2, params, rng, share_local=SHARE_LOCAL)
    ratings = [rate(dims, raters, np.full(n, r), params, local, rng).mean(axis=1, dtype=float) for r in (0, 1)]
    rating = ratings[0]
    levels = np.ones(n, dtype=np.int8)
    levels[rating < sc.expectation_below] = 0
    levels[rating > sc.expectation_above] = 2
    return TeamData(truth=dims.mean(axis=1), rating=rating, other=ratings[1], same_group=local == raters.local_origin[0],
                    levels=levels, above=sc.expectation_above, below=sc.expectation_below)


class TeamFigure(LiveFigure):
    """The panel's figure, built once per language and team size, updated in place on each move."""

    def __init__(self, data: TeamData, lang: str = "id", blit: bool = False):
        check_lang(lang)
        self.lang, self.n = lang, data.n
        fig = self.figure = new_figure(7.6, 4.3)
        ax = fig.add_subplot()
        lim = AXIS_LIMIT
        ax.plot([-lim, lim], [-lim, lim], color=COLOURS["line"], lw=1, ls="--", label=word("perfect", lang))
        ax.axhline(data.above, color=COLOURS["good"], lw=1, ls=":")
        ax.text(-2.9, data.above + 0.1, nf_level(2, lang), color=COLOURS["good"], fontsize=8, va="bottom")
        if data.below > -lim:
            ax.axhline(data.below, color=COLOURS["accent"], lw=1, ls=":")
            ax.text(-2.9, data.below - 0.1, nf_level(0, lang), color=COLOURS["accent"], fontsize=8, va="top")
        self.links = ax.add_collection(LineCollection([], colors=COLOURS["other"], linewidths=0.8, alpha=0.6))
        empty = np.zeros((0, 2))
        self.other = ax.scatter(empty[:, 0], empty[:, 1], s=40, facecolors="none", edgecolors=COLOURS["other"],
                                label=word("other_supervisor", lang))
        self.same = ax.scatter(empty[:, 0], empty[:, 1], s=60, color=COLOURS["main"], zorder=3,
                               label=word("this_supervisor", lang) + " · " + word("same_group", lang))
        self.different = ax.scatter(empty[:, 0], empty[:, 1], s=60, facecolors="white", edgecolors=COLOURS["main"],
                                    linewidths=1.8, zorder=3,
                                    label=word("this_supervisor", lang) + " · " + word("other_group", lang))
        self.letters = [ax.annotate(chr(ord("A") + i), (0, 0), xytext=(5, 4), textcoords="offset points", fontsize=8,
                                    color=COLOURS["main"]) for i in range(data.n if data.n <= 12 else 0)]
        ax.set_xlim(-3, 3)
        ax.set_ylim(-lim, lim)
        ax.set_xlabel(word("true_performance", lang))
        ax.set_ylabel(word("rating", lang))
        ax.xaxis.set_major_formatter(nf.axis_formatter(lang))
        ax.yaxis.set_major_formatter(nf.axis_formatter(lang))
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.grid(alpha=0.2)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.97, bottom=0.12)
        self._moving([self.links, self.other, self.same, self.different, *self.letters], blit)
        self.update(data)

    def update(self, data: TeamData) -> None:
        """Move the points to ``data`` (a team of the same size)."""
        if data.n != self.n:
            raise ValueError("TeamFigure.update: the team size changed; build a new figure")
        lim = AXIS_LIMIT
        t, r, o = (np.clip(v, -lim + 0.1, lim - 0.1) for v in (data.truth, data.rating, data.other))
        self.links.set_segments(np.stack([np.column_stack([t, r]), np.column_stack([t, o])], axis=1))
        self.other.set_offsets(np.column_stack([t, o]))
        filled = data.same_group
        self.same.set_offsets(np.column_stack([t[filled], r[filled]]))
        self.different.set_offsets(np.column_stack([t[~filled], r[~filled]]))
        for letter, x, y in zip(self.letters, t, r):
            letter.xy = (x, y)


def team_figure(data: TeamData, lang: str = "id"):
    """Scatter of rating against truth, this supervisor and another, on fixed axes."""
    return TeamFigure(data, lang).figure


def nf_level(level: int, lang: str) -> str:
    """The 2022 expectation level's name (0 di bawah, 1 sesuai, 2 di atas)."""
    return EXPECTATION_LABELS[lang][level]


def team_narrative(data: TeamData, settings: Settings, lang: str = "id") -> str:
    """Two sentences with this team's numbers (HTML)."""
    n, v, a = data.n, nf.number(data.validity, lang), nf.number(data.agreement, lang)
    shift, spread = nf.signed(data.shift, lang), nf.number(data.spread, lang)
    top = int((data.levels == 2).sum())
    if lang == "en":
        return (f"A team of {n} and its supervisor. Each dot is one person: across, how well they truly work; up, the "
                f"supervisor's rating. On the dashed line the rating would be perfect. Here the ratings follow true "
                f"performance at a correlation of <b>{v}</b>, sit <b>{shift}</b> SD from the truth on average (leniency) "
                f"and spread <b>{spread}</b> times as wide as the truth (below 1: squeezed to the middle). Another "
                f"supervisor of the same team (grey rings) agrees with this one at <b>{a}</b>. {top} of {n} are rated "
                f"above expectation.")
    return (f"Satu tim berisi {n} orang dan atasannya. Setiap titik satu orang: ke kanan, seberapa baik ia sebenarnya "
            f"bekerja; ke atas, nilai dari atasan. Di garis putus-putus nilainya sempurna. Di sini nilai mengikuti "
            f"kinerja sebenarnya dengan korelasi <b>{v}</b>, rata-rata bergeser <b>{shift}</b> SD dari kenyataan "
            f"(kemurahan) dan sebarannya <b>{spread}</b> kali sebaran sebenarnya (di bawah 1: menumpuk di tengah). "
            f"Atasan lain untuk tim yang sama (lingkaran abu-abu) sepakat dengan atasan ini pada <b>{a}</b>. "
            f"{top} dari {n} orang dinilai di atas ekspektasi.")
