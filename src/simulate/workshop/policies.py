"""Panel 5: the scenario's scoring policies side by side on the workshop kabupaten.

Every arm of the workshop preset (``params/presets/workshop.yaml``, the baseline's eight) is
applied to the same re-rated period (:class:`~simulate.workshop.kabupaten.Kabupaten`) with the
suite's own functions, as the replication runner does (:func:`simulate.replication.appraise_arm`)
but only for the three things shown: validity (:func:`simulate.metrics.core.validity_spearman`
of the policy's ranking score, the ``validity_spearman`` metric), the distribution of predikat,
and the TPP withheld (the arm's TPP schemes, :func:`simulate.replication.follow_up`: their
baseline cost minus what they pay). Skipping the other metrics and follow-ups keeps a redraw fast. The trainer's curve mode is
the 2022 arms' ``curve`` and the quota is the forced-distribution arms' top share.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from simulate import numformat as nf
from simulate.labels import arm_labels
from simulate.predikat import PREDIKAT
from simulate.metrics.core import ranking_score, validity_spearman
from simulate.policies.base import apply_policy
from simulate.replication import arm_rewards, follow_up
from simulate.rewards import get_reward
from simulate.workshop.kabupaten import Kabupaten
from simulate.workshop.render import COLOURS, PREDIKAT_COLOURS, LiveFigure, new_figure
from simulate.workshop.settings import Settings
from simulate.workshop.text import PREDIKAT_LABELS, check_lang, word

__all__ = ["PolicyData", "PolicyFigure", "arm_specs", "policies_data", "policies_figure", "policies_narrative"]


@dataclass(frozen=True)
class PolicyData:
    arms: tuple[str, ...]  #: arm names, scenario order
    labels: dict[str, dict[str, str]]  #: lang -> arm name -> label
    validity: np.ndarray  #: (arms,)
    shares: np.ndarray  #: (arms, 5) share per predikat
    tpp_withheld: np.ndarray  #: (arms,) rupiah
    tpp_paid: np.ndarray  #: (arms,) rupiah


def arm_specs(kabupaten: Kabupaten, settings: Settings) -> list:
    """The scenario's arms with the trainer's curve mode and quota applied where they fit."""
    shares = [settings.quota, 1.0 - settings.quota - settings.bottom, settings.bottom, 0.0, 0.0]
    out = []
    for spec in kabupaten.scenario.policies:
        params = dict(spec.params)
        if spec.rule == "permenpanrb_2022":
            params["curve"] = settings.curve
        elif spec.rule == "forced_distribution" and params.get("mode", "share") == "share":
            params["shares"] = shares
        out.append(spec.model_copy(update={"params": params}))
    return out


def _tpp(followups: dict) -> tuple[float, float]:
    paid = withheld = 0.0
    for f in followups.values():
        if get_reward(f.rule).cost_metric == "tpp_cost_idr":
            paid += float(f.total_cost_idr)
            withheld += float(f.baseline_cost_idr - f.total_cost_idr)
    return paid, withheld


def policies_data(kabupaten: Kabupaten, settings: Settings) -> PolicyData:
    """Validity, distribution and TPP of every arm (pure given the kabupaten)."""
    period = kabupaten.period(settings)
    specs = arm_specs(kabupaten, settings)
    truth = period.truth.overall
    validity, shares, tpp = [], [], []
    for spec in specs:
        appraisal = apply_policy(period.evidence, spec.rule, spec.params, name=spec.name)
        validity.append(validity_spearman(ranking_score(appraisal.score, appraisal.predikat), truth))
        counts = np.bincount(np.asarray(appraisal.predikat, dtype=np.int64), minlength=len(PREDIKAT))
        shares.append(counts / max(appraisal.n, 1))
        tpp.append(_tpp(follow_up(period, appraisal, run=lambda info: info.cost_metric == "tpp_cost_idr",
                                  table_only=True, rewards=arm_rewards(period.scenario, spec))))
    validity, shares, tpp = np.array(validity), np.array(shares), np.array(tpp)
    sc = kabupaten.scenario
    return PolicyData(arms=tuple(s.name for s in specs), labels={lang: arm_labels(sc, lang) for lang in ("id", "en")},
                      validity=validity, shares=shares, tpp_withheld=tpp[:, 1], tpp_paid=tpp[:, 0])


class PolicyFigure(LiveFigure):
    """The panel's figure, built once per language and updated in place on each move.

    The arms, their labels, the axes and the legend do not change between moves, so
    :meth:`update` only moves the bars and numbers, and with ``blit`` only those are drawn
    again (:class:`~simulate.workshop.render.LiveFigure`).
    """

    def __init__(self, data: PolicyData, lang: str = "id", blit: bool = False):
        check_lang(lang)
        self.lang, self.arms = lang, data.arms
        fig = self.figure = new_figure(11.0, 4.6)
        k = len(data.arms)
        y = np.arange(k)
        labels = ["\n".join(textwrap.wrap(data.labels[lang][a], 30)) for a in data.arms]
        axes = [fig.add_axes((0.2 + i * 0.27, 0.2, 0.22, 0.7)) for i in range(3)]
        v, d, t = self.axes = axes
        self.validity_bars = v.barh(y, np.zeros(k), color=COLOURS["main"])
        self.validity_texts = [v.text(0, yi, "", va="center", fontsize=8) for yi in y]
        v.set_yticks(y, labels, fontsize=7.5)
        v.set_title("\n".join(textwrap.wrap(word("validity", lang), 32)), fontsize=9)
        v.xaxis.set_major_formatter(nf.axis_formatter(lang))
        self.share_bars = [d.barh(y, np.zeros(k), color=PREDIKAT_COLOURS[j], label=name)
                           for j, name in enumerate(PREDIKAT_LABELS[lang])]
        d.set_xlim(0, 1)
        d.set_yticks(y, [])
        d.set_title(word("distribution", lang), fontsize=9)
        d.xaxis.set_major_formatter(nf.axis_formatter(lang, percent_axis=True))
        d.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=7, frameon=False)
        self.tpp_bars = t.barh(y, np.zeros(k), color=COLOURS["accent"])
        t.set_yticks(y, [])
        t.xaxis.set_major_formatter(nf.axis_formatter(lang))
        for ax in axes:
            ax.invert_yaxis()
            ax.grid(axis="x", alpha=0.2)
        self._tpp_limit = 0.0
        self._moving([*self.validity_bars, *self.validity_texts, *(b for bars in self.share_bars for b in bars),
                      *self.tpp_bars], blit)
        self.update(data)

    def update(self, data: PolicyData) -> None:
        """Move the bars and numbers to ``data`` (the same arms)."""
        if data.arms != self.arms:
            raise ValueError("PolicyFigure.update: the arms changed; build a new figure")
        lang = self.lang
        v, d, t = self.axes
        for bar, text, value in zip(self.validity_bars, self.validity_texts, data.validity):
            bar.set_width(value)
            text.set_x(max(value, 0) + 0.01)
            text.set_text(nf.number(value, lang))
        low = min(0.0, float(data.validity.min()) - 0.05)
        if v.get_xlim() != (low, 1.0):
            v.set_xlim(low, 1.0)
            self.invalidate()
        left = np.zeros(len(data.arms))
        for j, bars in enumerate(self.share_bars):
            for bar, x, width in zip(bars, left, data.shares[:, j]):
                bar.set_x(x)
                bar.set_width(width)
            left = left + data.shares[:, j]
        unit = nf.rupiah_unit(data.tpp_withheld)
        for bar, value in zip(self.tpp_bars, data.tpp_withheld / unit[0]):
            bar.set_width(value)
        top = max(1e-9, float(data.tpp_withheld.max()) / unit[0])
        if not 0.5 * self._tpp_limit <= top <= self._tpp_limit:  # a new scale only when the bars need one
            self._tpp_limit = top * 1.15
            t.set_xlim(0, self._tpp_limit)
            self.invalidate()
        name = unit[1] if lang == "id" else unit[2]
        title = f"{word('tpp_cut', lang)} ({'Rp' if lang == 'id' else 'IDR'} {name})".replace(" )", ")")
        if t.get_title() != title:
            t.set_title(title, fontsize=9)
            self.invalidate()


def policies_figure(data: PolicyData, lang: str = "id"):
    """Three panels sharing the arms: validity, predikat shares, TPP withheld."""
    return PolicyFigure(data, lang).figure


def policies_narrative(data: PolicyData, settings: Settings, lang: str = "id") -> str:
    labels = data.labels[lang]
    best = int(np.argmax(data.validity))
    status = 0  # the scenario's first arm is the status quo
    unit = nf.rupiah_unit(np.r_[data.tpp_withheld, data.tpp_paid])
    if lang == "en":
        return (f"The same {'civil servants' } and the same ratings under each scoring policy of the scenario. Today's "
                f"rule, <i>{labels[data.arms[status]]}</i>, follows true performance at <b>"
                f"{nf.number(data.validity[status], lang)}</b> and rates {nf.percent(data.shares[status, 1], lang, 0)} "
                f"Good; the most valid here is <i>{labels[data.arms[best]]}</i> at <b>"
                f"{nf.number(data.validity[best], lang)}</b>. Under today's rule the TPP withheld for low predikat is "
                f"{nf.rupiah(data.tpp_withheld[status], lang, unit=unit)} of {nf.rupiah(data.tpp_paid[status], lang, unit=unit)} "
                f"paid.")
    return (f"Pegawai yang sama dan penilaian yang sama di bawah setiap kebijakan penilaian dalam skenario. Aturan saat "
            f"ini, <i>{labels[data.arms[status]]}</i>, mengikuti kinerja sebenarnya dengan korelasi <b>"
            f"{nf.number(data.validity[status], lang)}</b> dan memberi {nf.percent(data.shares[status, 1], lang, 0)} "
            f"predikat Baik; yang paling tepat di sini adalah <i>{labels[data.arms[best]]}</i> dengan <b>"
            f"{nf.number(data.validity[best], lang)}</b>. Di bawah aturan saat ini, TPP yang dipotong karena predikat "
            f"rendah sebesar {nf.rupiah(data.tpp_withheld[status], lang, unit=unit)} dari "
            f"{nf.rupiah(data.tpp_paid[status], lang, unit=unit)} yang dibayarkan.")
