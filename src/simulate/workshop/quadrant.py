"""Panel 3: the 2022 quadrant, and what the unit's distribution curve then moves.

The workshop kabupaten's supervisors rate results (hasil kerja) and behaviour (perilaku kerja)
at three levels each; PermenPANRB 6/2022's kuadran kinerja turns the pair into a predikat
(domain/regulations.md 1.4); then each unit's organisational predikat fixes the allowed
distribution (kurva distribusi, 1.6). The suite's own rule does all of it
(:func:`simulate.policies.permenpanrb_2022.score`, curve pool = the appraisal team) with the
trainer's curve mode: not used, checked only (the status quo), or enforced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import numformat as nf
from simulate.policies.base import apply_policy
from simulate.rules.permenpanrb_2022 import quadrant as quadrant_table
from simulate.workshop.kabupaten import Kabupaten
from simulate.workshop.render import PREDIKAT_COLOURS, LiveFigure, new_figure
from simulate.workshop.settings import Settings
from simulate.workshop.text import CURVE_LABELS, EXPECTATION_LABELS, PREDIKAT_LABELS, check_lang, word

__all__ = ["QuadrantData", "QuadrantFigure", "quadrant_data", "quadrant_figure", "quadrant_narrative"]


@dataclass(frozen=True)
class QuadrantData:
    cells: np.ndarray  #: (3, 3) people per (results level, behaviour level), 0 = di bawah
    cell_predikat: np.ndarray  #: (3, 3) predikat code of each cell
    before: np.ndarray  #: (5,) people per predikat from the quadrant
    after: np.ndarray  #: (5,) people per predikat after the curve
    moved: int  #: people whose predikat the curve changed
    units: int  #: appraisal teams
    units_breaking: int  #: teams whose quadrant distribution breaks their curve
    curve: str

    @property
    def n(self) -> int:
        return int(self.cells.sum())


def quadrant_data(kabupaten: Kabupaten, settings: Settings) -> QuadrantData:
    """Quadrant cells and the curve's moves on the workshop kabupaten (pure given the kabupaten)."""
    evidence = kabupaten.period(settings).evidence
    mode = "warn" if settings.curve == "off" else settings.curve  # 'off' still counts the breaking teams
    appraisal = apply_policy(evidence, "permenpanrb_2022", {"curve": mode, "curve_pool": "unit"})
    comp = appraisal.components
    results = comp["results"].to_numpy(np.int64)
    behaviour = comp["behaviour"].to_numpy(np.int64)
    cells = np.bincount(results * 3 + behaviour, minlength=9).reshape(3, 3)
    before = np.bincount(comp["predikat_quadrant"].to_numpy(np.int64), minlength=5)
    final = comp["predikat_quadrant"].to_numpy() if settings.curve == "off" else appraisal.predikat
    after = np.bincount(np.asarray(final, dtype=np.int64), minlength=5)
    moved = int(comp["moved_by_curve"].sum()) if settings.curve == "enforce" else 0
    units = int(comp["pool_key"].nunique())
    return QuadrantData(cells=cells, cell_predikat=np.asarray(quadrant_table(), dtype=np.int64), before=before,
                        after=after, moved=moved, units=units, units_breaking=len(appraisal.notes), curve=settings.curve)


class QuadrantFigure(LiveFigure):
    """The panel's figure, built once per language and updated in place on each move
    (the cells, their predikat and the axes do not change between moves)."""

    def __init__(self, data: QuadrantData, lang: str = "id", blit: bool = False):
        check_lang(lang)
        self.lang = lang
        fig = self.figure = new_figure(10.0, 4.1)
        left = fig.add_axes((0.15, 0.14, 0.33, 0.76))
        right = self.right = fig.add_axes((0.68, 0.14, 0.3, 0.76))
        names = PREDIKAT_LABELS[lang]
        self.patches, self.counts, names_drawn = {}, {}, []
        for r in range(3):
            for b in range(3):
                code = int(data.cell_predikat[r, b])
                self.patches[r, b] = left.add_patch(_cell(b, r, PREDIKAT_COLOURS[code], 1.0))
                names_drawn.append(left.text(b + 0.5, r + 0.62, names[code], ha="center", va="center", fontsize=8))
                self.counts[r, b] = left.text(b + 0.5, r + 0.35, "", ha="center", va="center", fontsize=8,
                                              weight="bold")
        left.set_xlim(0, 3)
        left.set_ylim(0, 3)
        short = [level.replace(" ekspektasi", "").replace(" expectation", "") for level in EXPECTATION_LABELS[lang]]
        left.set_xticks([0.5, 1.5, 2.5], short, fontsize=8)
        left.set_yticks([0.5, 1.5, 2.5], short, fontsize=8)
        left.set_xlabel(word("behaviour_axis", lang))
        left.set_ylabel(word("results_axis", lang))
        y = np.arange(5)
        self.before = right.barh(y - 0.2, np.zeros(5), height=0.38, color="#BBBBBB", label=word("before_curve", lang))
        self.after = right.barh(y + 0.2, np.zeros(5), height=0.38, color=list(PREDIKAT_COLOURS),
                                label=word("after_curve", lang))
        right.set_yticks(y, names, fontsize=8)
        right.invert_yaxis()
        right.set_xlim(0, 1)
        right.xaxis.set_major_formatter(nf.axis_formatter(lang, percent_axis=True))
        right.set_xlabel(word("share_of_staff", lang))
        right.legend(loc="lower right", fontsize=8, frameon=False)
        self.title = right.set_title("", fontsize=9)
        # The shaded cells move, so their names and counts are drawn over them each time.
        self._moving([*self.patches.values(), *names_drawn, *self.counts.values(), *self.before, *self.after,
                      self.title], blit)
        self.update(data)

    def update(self, data: QuadrantData) -> None:
        """Move the counts, shades and bars to ``data``."""
        lang, n = self.lang, max(data.n, 1)
        share = data.cells / n
        for (r, b), patch in self.patches.items():
            patch.set_alpha(0.25 + 0.75 * min(1.0, 4 * share[r, b]))
            self.counts[r, b].set_text(f"{nf.integer(data.cells[r, b], lang)} ({nf.percent(share[r, b], lang, 1)})")
        for bars, counts in ((self.before, data.before), (self.after, data.after)):
            for bar, value in zip(bars, counts / n):
                bar.set_width(value)
        mode = CURVE_LABELS[data.curve][0 if lang == "id" else 1].lower()
        self.title.set_text(f"{word('curve_word', lang)}: {mode}")


def quadrant_figure(data: QuadrantData, lang: str = "id"):
    """Left: the nine cells (people and predikat); right: predikat before and after the curve."""
    return QuadrantFigure(data, lang).figure


def _cell(x: float, y: float, colour: str, alpha: float):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, alpha=alpha, edgecolor="white", linewidth=2)


def quadrant_narrative(data: QuadrantData, settings: Settings, lang: str = "id") -> str:
    n = data.n
    middle = nf.percent(data.cells[1, 1] / max(n, 1), lang, 0)
    baik = nf.percent(data.before[1] / max(n, 1), lang, 0)
    units, breaking = nf.integer(data.units, lang), nf.integer(data.units_breaking, lang)
    if lang == "en":
        text = (f"The workshop kabupaten: {nf.integer(n, lang)} civil servants in {units} teams. Each supervisor rates "
                f"results and behaviour as below, meeting or above expectation; the nine cells give the predikat "
                f"(PermenPANRB 6/2022). <b>{middle}</b> land in the middle cell, so <b>{baik}</b> are rated Good: the "
                f"pile-up seen across Indonesia. The unit's curve then limits the shares: {breaking} of {units} teams "
                f"break it.")
        if data.curve == "enforce":
            text += f" Enforced, it moves <b>{nf.integer(data.moved, lang)}</b> people to another predikat."
        elif data.curve == "warn":
            text += " Checked only, as today, it moves no one."
        else:
            text += " Not used, it moves no one."
        return text
    text = (f"Kabupaten pelatihan: {nf.integer(n, lang)} ASN dalam {units} tim. Setiap atasan menilai hasil kerja dan "
            f"perilaku kerja sebagai di bawah, sesuai atau di atas ekspektasi; sembilan sel memberi predikat "
            f"(PermenPANRB 6/2022). <b>{middle}</b> jatuh di sel tengah, sehingga <b>{baik}</b> berpredikat Baik: "
            f"penumpukan yang terlihat di seluruh Indonesia. Kurva unit lalu membatasi porsinya: {breaking} dari "
            f"{units} tim melanggarnya.")
    if data.curve == "enforce":
        text += f" Bila ditegakkan, kurva memindahkan <b>{nf.integer(data.moved, lang)}</b> orang ke predikat lain."
    elif data.curve == "warn":
        text += " Bila hanya diperiksa, seperti sekarang, tidak ada yang dipindahkan."
    else:
        text += " Bila tidak dipakai, tidak ada yang dipindahkan."
    return text
