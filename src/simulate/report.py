"""Figures, tables and report text for policymakers (DESIGN section 5).

Bahasa Indonesia by default, English with ``lang="en"``. Wording is neutral ("changes the score
of", not "punishes"); every caption is built from the parameters actually used; every metric is
explained in the glossary (:data:`simulate.metrics.GLOSSARY`). Plot helpers take data and a
matplotlib ``Axes`` and return it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulate.metrics import ALL_METRICS, GLOSSARY
from simulate.metrics.classification import CONFUSION_METRICS, REFERENCE_LEVELS
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT

__all__ = [
    "LANGS", "T", "lookup_text", "RunInfo", "headline", "key_table", "confusion_table", "glossary_table", "plot_validity",
    "plot_distribution", "plot_validity_vs_rater", "plot_cost", "plot_fairness", "save_figure",
    "FIGURES", "policy_labels", "metric_rows", "check_language",
]

LANGS = ("id", "en")
#: Metrics the glossary explains (the confusion cells are explained with their table).
GLOSSARY_METRICS: tuple[str, ...] = tuple(m for m in ALL_METRICS if m not in CONFUSION_METRICS)

_TEXT = {
    "title": ("Perbandingan kebijakan penilaian kinerja ASN", "Comparison of ASN performance-appraisal policies"),
    "context": (
        "Skenario **{name}**: {n:,} ASN sintetis, {reps} replikasi Monte-Carlo (seed akar {seed}). Semua kebijakan "
        "dinilai pada populasi dan bukti yang sama di setiap replikasi, sehingga perbedaan hasil berasal dari "
        "kebijakannya saja. Rentang dalam kurung adalah interval kepercayaan 95% antar-replikasi.",
        "Scenario **{name}**: {n:,} synthetic ASN, {reps} Monte-Carlo replications (root seed {seed}). Every policy "
        "is applied to the same population and evidence in each replication, so differences come from the policies "
        "alone. Ranges in brackets are 95% confidence intervals over replications."),
    "headline": ("Temuan utama", "Headline"),
    "best_validity": (
        "**{best}** paling sesuai dengan kinerja sebenarnya (validitas {v:.2f} [{lo:.2f}-{hi:.2f}]); "
        "**{worst}** paling rendah ({wv:.2f}).",
        "**{best}** tracks true performance best (validity {v:.2f} [{lo:.2f}-{hi:.2f}]); "
        "**{worst}** tracks it least ({wv:.2f})."),
    "baseline_dist": (
        "Di bawah **{base}**, {baik:.1%} pegawai berpredikat Baik dan {sb:.1%} Sangat Baik.",
        "Under **{base}**, {baik:.1%} of employees are rated Baik and {sb:.1%} Sangat Baik."),
    "widest": (
        "Sebaran predikat paling lebar di bawah **{pol}**: {low:.1%} pegawai berpredikat Butuh Perbaikan atau lebih rendah.",
        "**{pol}** spreads predikat the most: {low:.1%} of employees are rated Butuh Perbaikan or lower."),
    "rater": (
        "Porsi varians nilai yang berasal dari penilai: dari {lo:.0%} (**{lo_pol}**) sampai {hi:.0%} (**{hi_pol}**).",
        "Share of score variance due to the rater: from {lo:.0%} (**{lo_pol}**) to {hi:.0%} (**{hi_pol}**)."),
    "cost": (
        "Biaya TPP per periode berkisar Rp{lo:,.0f} juta (**{lo_pol}**) sampai Rp{hi:,.0f} juta (**{hi_pol}**).",
        "TPP cost per period ranges from IDR {lo:,.0f} million (**{lo_pol}**) to IDR {hi:,.0f} million (**{hi_pol}**)."),
    "service_same": (
        "Waktu tunggu (90% warga menunggu kurang dari {wait:.1f} menit) dan IKM {ikm:.1f} sama untuk semua kebijakan dalam satu periode: "
        "kebijakan baru mengubah pelayanan setelah pegawai menyesuaikan perilakunya (simulasi multi-periode).",
        "Waiting times (90% of citizens wait less than {wait:.1f} minutes) and IKM {ikm:.1f} are the same under every policy within one period: a "
        "policy changes service only once staff adjust their behaviour (multi-period simulation)."),
    "table_title": ("Ringkasan per kebijakan", "Summary by policy"),
    "confusion_title": ("Siapa mendapat predikat yang tepat: {policy}", "Who gets the right predikat: {policy}"),
    "confusion_note": (
        "Baris: predikat referensi, yaitu predikat bila sebaran tetap 10% Sangat Baik, 70% Baik, 15% Butuh "
        "Perbaikan dan 5% Kurang diterapkan pada kinerja sebenarnya. Kolom: predikat yang diberikan kebijakan. "
        "Sel: persen seluruh pegawai (rata-rata replikasi); diagonal = predikat tepat. Tingkat salah klasifikasi "
        "adalah rata-rata, atas baris, bagian yang tidak berada di diagonal (0,75 = tidak lebih baik dari kebetulan).",
        "Rows: the reference predikat, the one a fixed 10% Sangat Baik, 70% Baik, 15% Butuh Perbaikan and 5% Kurang "
        "distribution gives by true performance. Columns: the predikat the policy gave. Cells: percent of all "
        "employees (mean over replications); the diagonal is the right predikat. The misclassification rate is the "
        "mean over rows of the share off the diagonal (0.75 = no better than chance)."),
    "reference": ("Referensi", "Reference"),
    "figures": ("Gambar", "Figures"),
    "glossary": ("Glosarium", "Glossary"),
    "annex": ("Lampiran teknis", "Technical annex"),
    "policy": ("Kebijakan", "Policy"),
    "metric": ("Ukuran", "Metric"),
    "meaning": ("Arti", "Meaning"),
    "better": ("Lebih baik bila", "Better when"),
    "higher": ("lebih tinggi", "higher"), "lower": ("lebih rendah", "lower"), "zero": ("mendekati 0", "closer to 0"),
    "cap_validity": (
        "Validitas (korelasi peringkat dengan kinerja sebenarnya) per kebijakan; titik = rata-rata {reps} replikasi, "
        "garis = interval kepercayaan 95%. Skenario {name}, {n:,} ASN.",
        "Validity (rank correlation with true performance) by policy; dot = mean of {reps} replications, line = 95% "
        "confidence interval. Scenario {name}, {n:,} ASN."),
    "cap_distribution": (
        "Sebaran predikat per kebijakan (rata-rata {reps} replikasi). Skenario {name}, {n:,} ASN.",
        "Predikat distribution by policy (mean of {reps} replications). Scenario {name}, {n:,} ASN."),
    "cap_rater": (
        "Validitas terhadap porsi varians penilai: kebijakan di kiri atas paling sedikit dipengaruhi siapa penilainya. "
        "Rata-rata {reps} replikasi.",
        "Validity against the rater variance share: policies at the top left depend least on who the rater is. "
        "Mean of {reps} replications."),
    "cap_cost": (
        "Biaya TPP per periode (juta rupiah) per kebijakan, dengan interval 95% atas {reps} replikasi.",
        "TPP cost per period (IDR million) by policy, with 95% intervals over {reps} replications."),
    "cap_fairness": (
        "Selisih nilai antar-kelompok pada kinerja sebenarnya yang sama (dalam SD): perempuan-laki-laki, PPPK-PNS, "
        "sekelompok dengan penilai. 0 = setara. Rata-rata {reps} replikasi.",
        "Score gaps between groups at equal true performance (in SD): women-men, PPPK-PNS, same in-group as the "
        "rater. 0 = equal. Mean of {reps} replications."),
    "axis_validity": ("Validitas (Spearman)", "Validity (Spearman)"),
    "axis_share": ("Porsi pegawai", "Share of employees"),
    "axis_rater": ("Porsi varians penilai", "Rater variance share"),
    "axis_cost": ("Biaya TPP (juta Rp)", "TPP cost (IDR million)"),
    "axis_gap": ("Selisih (SD)", "Gap (SD)"),
    "gap_sex": ("Perempuan-laki-laki", "Women-men"), "gap_status": ("PPPK-PNS", "PPPK-PNS"),
    "gap_ingroup": ("Kelompok-sama", "In-group"),
}


def check_language(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def lookup_text(table: dict[str, tuple[str, str]], key: str, lang: str, **kwargs: Any) -> str:
    """Entry ``key`` of a bilingual ``(id, en)`` text table in ``lang``, formatted with ``kwargs``."""
    text = table[key][LANGS.index(check_language(lang))]
    return text.format(**kwargs) if kwargs else text


def T(key: str, lang: str, **kwargs: Any) -> str:
    """Report text ``key`` in ``lang``, formatted with ``kwargs``."""
    return lookup_text(_TEXT, key, lang, **kwargs)


@dataclass(frozen=True)
class RunInfo:
    """What a caption needs to know about the run."""

    name: str
    n: int
    replications: int
    seed: int
    lang: str = "id"

    def fmt(self) -> dict[str, Any]:
        return {"name": self.name, "n": self.n, "reps": self.replications, "seed": self.seed}


def policy_labels(summary: pd.DataFrame) -> list[str]:
    """Policies in the order they were configured."""
    return list(dict.fromkeys(summary["policy"]))


def metric_rows(summary: pd.DataFrame, metric: str, period: int | None = None) -> pd.DataFrame:
    s = summary[summary["metric"] == metric]
    if period is None and "period" in s:
        period = int(s["period"].max())
    if "period" in s:
        s = s[s["period"] == period]
    return s.set_index("policy")


def headline(summary: pd.DataFrame, info: RunInfo) -> str:
    """The headline paragraph (Markdown): validity, distribution, rater share, cost, service."""
    lang = info.lang
    v = metric_rows(summary, "validity_spearman")
    best, worst = v["mean"].idxmax(), v["mean"].idxmin()
    lines = [T("best_validity", lang, best=best, v=v.loc[best, "mean"], lo=v.loc[best, "ci_low"],
               hi=v.loc[best, "ci_high"], worst=worst, wv=v.loc[worst, "mean"])]
    base = policy_labels(summary)[0]
    baik, sb = metric_rows(summary, "share_baik")["mean"], metric_rows(summary, "share_sangat_baik")["mean"]
    lines.append(T("baseline_dist", lang, base=base, baik=baik[base], sb=sb[base]))
    low = sum(metric_rows(summary, f"share_{p}")["mean"] for p in ("butuh_perbaikan", "kurang", "sangat_kurang"))
    lines.append(T("widest", lang, pol=low.idxmax(), low=low.max()))
    r = metric_rows(summary, "rater_variance_share")["mean"]
    lines.append(T("rater", lang, lo=r.min(), lo_pol=r.idxmin(), hi=r.max(), hi_pol=r.idxmax()))
    c = metric_rows(summary, "tpp_cost_idr")["mean"] / 1e6
    if np.isfinite(c).all():
        lines.append(T("cost", lang, lo=c.min(), lo_pol=c.idxmin(), hi=c.max(), hi_pol=c.idxmax()))
    wait, ikm = metric_rows(summary, "wait_minutes_p90")["mean"], metric_rows(summary, "ikm")["mean"]
    if np.isfinite(wait).all() and np.ptp(wait.to_numpy()) < 1e-9:
        lines.append(T("service_same", lang, wait=wait.iloc[0], ikm=ikm.iloc[0]))
    return "\n".join(f"- {line}" for line in lines)


_TABLE_METRICS = ("validity_spearman", "rater_variance_share", "misclassification_rate", "share_sangat_baik",
                  "share_baik", "share_butuh_perbaikan", "top_precision", "bottom_recall", "tpp_cost_idr")


def key_table(summary: pd.DataFrame, lang: str = "id", metrics: tuple[str, ...] = _TABLE_METRICS) -> pd.DataFrame:
    """Policies as rows, key metrics as columns: ``mean [ci_low-ci_high]`` as text."""
    idx = LANGS.index(check_language(lang))
    rows = {}
    for pol in policy_labels(summary):
        row = {}
        for m in metrics:
            s = metric_rows(summary, m).loc[pol]
            scale, fmt = (1e6, "{:,.0f}") if m == "tpp_cost_idr" else (1, "{:.2f}")
            mean, lo, hi = s["mean"] / scale, s["ci_low"] / scale, s["ci_high"] / scale
            label = T("axis_cost", lang) if m == "tpp_cost_idr" else GLOSSARY[m][idx]  # shown in millions
            row[label] = fmt.format(mean) + (f" [{fmt.format(lo)}-{fmt.format(hi)}]" if np.isfinite(lo) else "")
        rows[pol] = row
    table = pd.DataFrame(rows).T
    table.index.name = T("policy", lang)
    return table


def confusion_table(summary: pd.DataFrame, policy: str, lang: str = "id") -> pd.DataFrame:
    """Reference predikat (rows) by given predikat (columns) of ``policy``: percent of all employees."""
    labels = LABELS_ID if check_language(lang) == "id" else LABELS_EN
    rows = {}
    for r in REFERENCE_LEVELS:
        cells = {}
        for g in range(len(PREDIKAT)):
            share = metric_rows(summary, f"confusion_{PREDIKAT[r]}_{PREDIKAT[g]}").loc[policy, "mean"]
            cells[labels[PREDIKAT[g]]] = f"{100 * share:.1f}"
        rows[labels[PREDIKAT[r]]] = cells
    table = pd.DataFrame(rows).T
    table.index.name = T("reference", lang)
    return table


def glossary_table(lang: str = "id", metrics: tuple[str, ...] = GLOSSARY_METRICS) -> pd.DataFrame:
    idx = LANGS.index(check_language(lang))
    return pd.DataFrame({
        T("metric", lang): [GLOSSARY[m][idx] for m in metrics],
        T("meaning", lang): [GLOSSARY[m][2 + idx] for m in metrics],
        T("better", lang): [T(GLOSSARY[m][4], lang) if GLOSSARY[m][4] else "-" for m in metrics],
        "name": list(metrics),
    })


# --------------------------------------------------------------------------------------------
# Figures: each takes the summary and an Axes, returns the Axes
# --------------------------------------------------------------------------------------------

_COLORS = ["#1b9e77", "#66a61e", "#e6ab02", "#d95f02", "#7570b3"]


def plot_validity(summary: pd.DataFrame, ax, info: RunInfo):
    s = metric_rows(summary, "validity_spearman").reindex(policy_labels(summary))
    y = np.arange(len(s))[::-1]
    ax.errorbar(s["mean"], y, xerr=[s["mean"] - s["ci_low"], s["ci_high"] - s["mean"]], fmt="o", color="#1f4e79", capsize=3)
    ax.set_yticks(y, s.index)
    ax.set_xlabel(T("axis_validity", info.lang))
    ax.axvline(0, color="#999", lw=0.8)
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_distribution(summary: pd.DataFrame, ax, info: RunInfo):
    labels = LABELS_ID if info.lang == "id" else LABELS_EN
    pols = policy_labels(summary)
    left = np.zeros(len(pols))
    y = np.arange(len(pols))[::-1]
    for color, p in zip(_COLORS, PREDIKAT):
        share = metric_rows(summary, f"share_{p}")["mean"].reindex(pols).to_numpy()
        ax.barh(y, share, left=left, color=color, label=labels[p])
        left += share
    ax.set_yticks(y, pols)
    ax.set_xlim(0, 1)
    ax.set_xlabel(T("axis_share", info.lang))
    ax.legend(ncol=5, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), frameon=False)
    return ax


def plot_validity_vs_rater(summary: pd.DataFrame, ax, info: RunInfo):
    v = metric_rows(summary, "validity_spearman")["mean"]
    r = metric_rows(summary, "rater_variance_share")["mean"].reindex(v.index)
    ax.scatter(r, v, color="#1f4e79")
    for pol in v.index:
        ax.annotate(pol, (r[pol], v[pol]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel(T("axis_rater", info.lang))
    ax.set_ylabel(T("axis_validity", info.lang))
    ax.grid(alpha=0.3)
    return ax


def plot_cost(summary: pd.DataFrame, ax, info: RunInfo):
    s = metric_rows(summary, "tpp_cost_idr").reindex(policy_labels(summary))[["mean", "ci_low", "ci_high"]] / 1e6
    y = np.arange(len(s))[::-1]
    ax.barh(y, s["mean"], color="#8da0cb")
    ax.errorbar(s["mean"], y, xerr=[s["mean"] - s["ci_low"], s["ci_high"] - s["mean"]], fmt="none", color="#333", capsize=3)
    ax.set_yticks(y, s.index)
    lo = float(np.nanmin(s["ci_low"]))
    ax.set_xlim(lo * 0.98, float(np.nanmax(s["ci_high"])) * 1.005)
    ax.set_xlabel(T("axis_cost", info.lang))
    return ax


def plot_fairness(summary: pd.DataFrame, ax, info: RunInfo):
    pols = policy_labels(summary)
    y = np.arange(len(pols))[::-1]
    for k, (metric, key, color) in enumerate((("fairness_gap_sex", "gap_sex", "#e7298a"),
                                              ("fairness_gap_status", "gap_status", "#66a61e"),
                                              ("fairness_gap_ingroup", "gap_ingroup", "#7570b3"))):
        s = metric_rows(summary, metric)["mean"].reindex(pols)
        ax.barh(y + (k - 1) * 0.25, s, height=0.25, color=color, label=T(key, info.lang))
    ax.axvline(0, color="#333", lw=0.8)
    ax.set_yticks(y, pols)
    ax.set_xlabel(T("axis_gap", info.lang))
    ax.legend(fontsize=7, frameon=False)
    return ax


#: name -> (plot function, caption key, figure size)
FIGURES = {
    "validity": (plot_validity, "cap_validity", (6.5, 3.6)),
    "distribution": (plot_distribution, "cap_distribution", (6.5, 3.9)),
    "validity_vs_rater": (plot_validity_vs_rater, "cap_rater", (6.0, 4.0)),
    "cost": (plot_cost, "cap_cost", (6.5, 3.6)),
    "fairness": (plot_fairness, "cap_fairness", (6.5, 4.2)),
}


def save_figure(name: str, summary: pd.DataFrame, info: RunInfo, folder: str | Path) -> tuple[Path, str]:
    """Draw figure ``name``, save it as ``folder/name.png`` and return (path, caption).

    Uses matplotlib's object API (no pyplot state, no backend switch), so it works the same in
    a notebook, a script and a worker process.
    """
    from matplotlib.figure import Figure

    fn, caption_key, size = FIGURES[name]
    fig = Figure(figsize=size, dpi=110)
    fn(summary, fig.add_subplot(), info)
    fig.tight_layout()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    return path, T(caption_key, info.lang, **info.fmt())


def escape(text: str) -> str:
    return html.escape(text)
