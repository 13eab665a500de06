"""Figures, tables and report text for policymakers (DESIGN section 5).

Bahasa Indonesia by default, English with ``lang="en"``. Wording is neutral ("changes the score
of", not "punishes"); every caption is built from the parameters actually used; every metric is
explained in the glossary (:data:`simulate.metrics.GLOSSARY`). Plot helpers take data and a
matplotlib ``Axes`` and return it.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulate import numformat as nf
from simulate.metrics import ALL_METRICS, GLOSSARY
from simulate.metrics.classification import CONFUSION_METRICS, REFERENCE_LEVELS
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT
from simulate.replication import SCHEME_COST
from simulate.report_text import TEXT

__all__ = [
    "LANGS", "T", "lookup_text", "RunInfo", "headline", "key_table", "confusion_table", "glossary_table", "plot_validity",
    "plot_distribution", "plot_validity_vs_rater", "plot_cost", "plot_fairness", "save_figure",
    "FIGURES", "policy_labels", "metric_rows", "check_language", "relabel", "figure_names", "plot_trajectory",
    "scheme_costs", "period_note",
]

LANGS = ("id", "en")
#: Metrics the glossary explains (the confusion cells are explained with their table).
GLOSSARY_METRICS: tuple[str, ...] = tuple(m for m in ALL_METRICS if m not in CONFUSION_METRICS)

_TEXT = TEXT


def check_language(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def lookup_text(table: dict[str, tuple[str, str]], key: str, lang: str, /, **kwargs: Any) -> str:
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
        return {"name": self.name, "n": nf.integer(self.n, self.lang), "reps": nf.integer(self.replications, self.lang),
                "seed": self.seed}


def relabel(summary: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """``summary`` with each arm's name replaced by its display label (:func:`simulate.labels.arm_labels`).

    The report works on the relabelled frame, so no code name reaches a table, a figure or the
    text; ``summary.csv`` keeps the names.
    """
    out = summary.copy()
    out["policy"] = out["policy"].map(lambda name: labels.get(name, name))
    return out


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


def _periods(summary: pd.DataFrame) -> int:
    return int(summary["period"].nunique()) if "period" in summary else 1


def period_note(summary: pd.DataFrame, lang: str) -> str:
    """Which period the headline and the tables show (empty for a one-period run)."""
    periods = _periods(summary)
    return "" if periods <= 1 else T("period_note", lang, t=periods, periods=periods)


def scheme_costs(summary: pd.DataFrame) -> list[str]:
    """The schemes that cost money, as ``scheme_cost_idr.<name>`` metric names (scenario order)."""
    prefix = SCHEME_COST + "."
    return list(dict.fromkeys(m for m in summary["metric"] if m.startswith(prefix)))


def _entropy(shares: np.ndarray) -> float:
    p = shares[shares > 0]
    return float(-(p * np.log(p)).sum())


def headline(summary: pd.DataFrame, info: RunInfo, scheme_labels: dict[str, str] | None = None) -> str:
    """The headline paragraph (Markdown): validity, distribution, rater share, cost, service."""
    lang = info.lang
    v = metric_rows(summary, "validity_spearman")
    best, worst = v["mean"].idxmax(), v["mean"].idxmin()
    lines = [T("best_validity", lang, best=best, v=nf.interval(v.loc[best, "mean"], v.loc[best, "ci_low"],
                                                                  v.loc[best, "ci_high"], lang),
               worst=worst, wv=nf.number(v.loc[worst, "mean"], lang))]
    base = policy_labels(summary)[0]
    shares = pd.DataFrame({p: metric_rows(summary, f"share_{p}")["mean"] for p in PREDIKAT}).reindex(policy_labels(summary))
    lines.append(T("baseline_dist", lang, base=base, baik=nf.percent(shares.loc[base, "baik"], lang),
                   sb=nf.percent(shares.loc[base, "sangat_baik"], lang)))
    # The widest spread: the most even use of the five predikat (entropy), not the most people low.
    spread = shares.apply(lambda row: _entropy(row.to_numpy(float)), axis=1)
    wide = spread.idxmax()
    low = shares.loc[wide, ["butuh_perbaikan", "kurang", "sangat_kurang"]].sum()
    lines.append(T("widest", lang, pol=wide, baik=nf.percent(shares.loc[wide, "baik"], lang),
                   sb=nf.percent(shares.loc[wide, "sangat_baik"], lang), low=nf.percent(low, lang)))
    r = metric_rows(summary, "rater_variance_share")["mean"]
    lines.append(T("rater", lang, lo=nf.percent(r.min(), lang, 0), lo_pol=r.idxmin(), hi=nf.percent(r.max(), lang, 0),
                   hi_pol=r.idxmax()))
    lines += _cost_lines(summary, base, lang, scheme_labels)
    wait, ikm = metric_rows(summary, "wait_minutes_p90")["mean"], metric_rows(summary, "ikm")["mean"]
    if np.isfinite(wait).all() and np.ptp(wait.to_numpy()) < 1e-9:
        lines.append(T("service_same", lang, wait=nf.number(wait.iloc[0], lang, 1), ikm=nf.number(ikm.iloc[0], lang, 1)))
    note = period_note(summary, lang)
    return "\n".join(f"- {line}" for line in lines) + (f"\n\n*{note}*" if note else "")


def _cost_lines(summary: pd.DataFrame, base: str, lang: str, scheme_labels: dict[str, str] | None) -> list[str]:
    """Cost sentences: each arm's TPP when every arm runs one TPP scheme, else each scheme on its own
    (a scheme that only some arms run is compared among those arms)."""
    schemes = scheme_costs(summary)
    per_arm = {pol: sum(np.isfinite(metric_rows(summary, m)["mean"].get(pol, np.nan)) for m in schemes)
               for pol in policy_labels(summary)}
    many = max(per_arm.values(), default=0) > 1
    metrics = schemes if many else ["tpp_cost_idr"]
    out = []
    for metric in metrics:
        c = metric_rows(summary, metric)["mean"].dropna()
        if c.empty or not np.isfinite(c).all() or (c == 0).all():
            continue
        unit = nf.rupiah_unit(c)
        name = metric.split(".", 1)[1] if "." in metric else None
        label = (scheme_labels or {}).get(name, name) if name else T("tpp", lang)
        if base in c.index:
            out.append(T("cost", lang, scheme=label, base_cost=nf.rupiah(c[base], lang, unit=unit),
                         lo=nf.rupiah(c.min(), lang, unit=unit), lo_pol=c.idxmin(),
                         hi=nf.rupiah(c.max(), lang, unit=unit), hi_pol=c.idxmax()))
        else:
            arms = ", ".join(f"**{pol}**: {nf.rupiah(v, lang, unit=unit)}" for pol, v in c.items())
            out.append(T("cost_only", lang, scheme=label, arms=arms))
    if many:
        out.append(T("cost_many", lang, k=len(schemes)))
    return out


TABLE_METRICS = ("validity_spearman", "rater_variance_share", "misclassification_rate", "share_sangat_baik",
                  "share_baik", "share_butuh_perbaikan", "top_precision", "bottom_recall", "tpp_cost_idr")


def key_table(summary: pd.DataFrame, lang: str = "id", metrics: tuple[str, ...] = TABLE_METRICS) -> pd.DataFrame:
    """Policies as rows, key metrics as columns: ``mean [ci_low–ci_high]`` as text, in the locale."""
    idx = LANGS.index(check_language(lang))
    rows = {}
    cost = metric_rows(summary, "tpp_cost_idr")["mean"] if "tpp_cost_idr" in metrics else pd.Series(dtype=float)
    unit = nf.rupiah_unit(cost)
    unit_text = ("Rp " + unit[1]) if lang == "id" else ("IDR " + unit[2])
    for pol in policy_labels(summary):
        row = {}
        for m in metrics:
            s = metric_rows(summary, m).loc[pol]
            if m == "tpp_cost_idr":
                label = T("axis_cost", lang, unit=unit_text.strip())
                text = nf.interval(s["mean"], s["ci_low"], s["ci_high"], lang, digits=1, scale=unit[0])
            elif m.startswith("share_"):  # shares of staff: a percentage (its interval is in summary.csv)
                label, text = GLOSSARY[m][idx], nf.percent(s["mean"], lang, 1)
            else:
                label, text = GLOSSARY[m][idx], nf.interval(s["mean"], s["ci_low"], s["ci_high"], lang)
            row[label] = text.replace(" [", "\u00a0[")  # a value and its interval stay on one line
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
            cells[labels[PREDIKAT[g]]] = nf.number(100 * share, lang, 1)
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


def _unit_text(unit: tuple[float, str, str], lang: str) -> str:
    return (("Rp " + unit[1]) if lang == "id" else ("IDR " + unit[2])).strip()


def _wrap(labels: list[str], width: int = 34) -> list[str]:
    return [textwrap.fill(str(label), width) for label in labels]


def plot_validity(summary: pd.DataFrame, ax, info: RunInfo):
    s = metric_rows(summary, "validity_spearman").reindex(policy_labels(summary))
    y = np.arange(len(s))[::-1]
    ax.errorbar(s["mean"], y, xerr=[s["mean"] - s["ci_low"], s["ci_high"] - s["mean"]], fmt="o", color="#1f4e79", capsize=3)
    ax.set_yticks(y, _wrap(s.index))
    ax.set_xlabel(T("axis_validity", info.lang))
    ax.set_xlim(min(0.0, float(np.nanmin(s["ci_low"])) - 0.05), 1.0)
    ax.xaxis.set_major_formatter(nf.axis_formatter(info.lang, 1))
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
    ax.set_yticks(y, _wrap(pols))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(nf.axis_formatter(info.lang, 0, percent_axis=True))
    ax.set_xlabel(T("axis_share", info.lang))
    ax.legend(ncol=3, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    return ax


def plot_validity_vs_rater(summary: pd.DataFrame, ax, info: RunInfo):
    """Numbered points and a key beside the plot: labels never overlap, however close the points
    (points that coincide share one marker, numbered ``2, 7``)."""
    pols = policy_labels(summary)
    v = metric_rows(summary, "validity_spearman")["mean"].reindex(pols).to_numpy(float)
    r = metric_rows(summary, "rater_variance_share")["mean"].reindex(pols).to_numpy(float)
    span_r = max(float(np.ptp(r)), 0.02)
    span_v = max(float(np.ptp(v)), 0.02)
    groups: list[list[int]] = []
    for k in range(len(pols)):  # a handful of arms: group those closer than a marker's width
        for g in groups:
            if abs(r[g[0]] - r[k]) / span_r < 0.04 and abs(v[g[0]] - v[k]) / span_v < 0.05:
                g.append(k)
                break
        else:
            groups.append([k])
    for g in groups:
        text = ", ".join(str(k + 1) for k in g)
        ax.scatter(r[g[0]], v[g[0]], s=140 + 90 * (len(g) - 1), color="#1f4e79", alpha=0.85, zorder=3)
        ax.annotate(text, (r[g[0]], v[g[0]]), ha="center", va="center", fontsize=7, color="white", zorder=4)
    key = "\n".join(textwrap.fill(f"{k}. {pol}", 52, subsequent_indent="    ") for k, pol in enumerate(pols, start=1))
    ax.text(1.03, 1.0, key, transform=ax.transAxes, va="top", ha="left", fontsize=7)
    ax.set_xlabel(T("axis_rater", info.lang))
    ax.set_ylabel(T("axis_validity", info.lang))
    ax.xaxis.set_major_formatter(nf.axis_formatter(info.lang, 0, percent_axis=True))
    ax.yaxis.set_major_formatter(nf.axis_formatter(info.lang, 2))
    ax.margins(0.12)
    ax.grid(alpha=0.3)
    return ax


def plot_cost(summary: pd.DataFrame, ax, info: RunInfo):
    """Bars from zero (an honest length), each labelled with its difference from the status quo."""
    lang = info.lang
    s = metric_rows(summary, "tpp_cost_idr").reindex(policy_labels(summary))[["mean", "ci_low", "ci_high"]]
    unit = nf.rupiah_unit(s["mean"])
    v = s / unit[0]
    y = np.arange(len(v))[::-1]
    ax.barh(y, v["mean"], color="#8da0cb")
    ax.errorbar(v["mean"], y, xerr=[v["mean"] - v["ci_low"], v["ci_high"] - v["mean"]], fmt="none", color="#333",
                capsize=3)
    ax.set_yticks(y, _wrap(v.index))
    top = float(np.nanmax(v["ci_high"])) if np.isfinite(v["ci_high"]).any() else float(np.nanmax(v["mean"]))
    ax.set_xlim(0, top * 1.3)
    base = float(s["mean"].iloc[0])
    for yy, (pol, row) in zip(y, s.iterrows()):
        diff = (row["mean"] - base) / base if base else np.nan
        text = T("status_quo", lang) if pol == s.index[0] else nf.signed_percent(diff, lang, 1)
        ax.text(float(row["mean"]) / unit[0] + top * 0.02, yy, text, va="center", fontsize=7)
    ax.xaxis.set_major_formatter(nf.axis_formatter(lang))
    ax.set_xlabel(T("axis_cost", lang, unit=_unit_text(unit, lang)))
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
    ax.set_yticks(y, _wrap(pols))
    ax.xaxis.set_major_formatter(nf.axis_formatter(info.lang, 2))
    ax.set_xlabel(T("axis_gap", info.lang))
    ax.legend(fontsize=7, frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    return ax


_TRAJECTORY = ("validity_spearman", "ikm", "wait_minutes_p90", "tpp_cost_idr")


def plot_trajectory(summary: pd.DataFrame, ax, info: RunInfo):
    """Small multiples of the headline metrics by period (one line per policy), in one Axes' figure."""
    from matplotlib.ticker import MaxNLocator

    fig = ax.figure
    ax.remove()
    pols = policy_labels(summary)
    grid = fig.subplots(2, 2, sharex=True)
    idx = LANGS.index(info.lang)
    cmap = [f"C{k}" for k in range(10)]
    for a, metric in zip(grid.ravel(), _TRAJECTORY):
        s = summary[summary["metric"] == metric]
        scale = nf.rupiah_unit(s["mean"])[0] if metric == "tpp_cost_idr" else 1.0
        for k, pol in enumerate(pols):
            q = s[s["policy"] == pol].sort_values("period")
            a.plot(q["period"] + 1, q["mean"] / scale, marker="o", ms=3, color=cmap[k % 10], label=pol)
        title = GLOSSARY[metric][idx] if metric in GLOSSARY else metric
        if metric == "tpp_cost_idr":
            unit = nf.rupiah_unit(s["mean"])
            title = T("axis_cost", info.lang, unit=_unit_text(unit, info.lang))
        a.set_title(textwrap.shorten(title, 40), fontsize=8)
        a.yaxis.set_major_formatter(nf.axis_formatter(info.lang))
        a.tick_params(labelsize=7)
        a.grid(alpha=0.3)
    for a in grid[1]:
        a.set_xlabel(T("axis_period", info.lang), fontsize=8)
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, names = grid[0, 0].get_legend_handles_labels()
    fig.legend(handles, _wrap(names, 40), loc="lower center", ncol=2, fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, -0.02 - 0.035 * ((len(names) + 1) // 2)))
    return grid[0, 0]


#: name -> (plot function, caption key, figure size)
FIGURES = {
    "validity": (plot_validity, "cap_validity", (7.0, 3.8)),
    "distribution": (plot_distribution, "cap_distribution", (7.0, 4.2)),
    "validity_vs_rater": (plot_validity_vs_rater, "cap_rater", (7.5, 4.0)),
    "cost": (plot_cost, "cap_cost", (7.0, 3.8)),
    "fairness": (plot_fairness, "cap_fairness", (7.0, 4.4)),
    "trajectory": (plot_trajectory, "cap_trajectory", (7.5, 5.5)),
}


def figure_names(summary: pd.DataFrame) -> list[str]:
    """The figures this run has: the trajectory only when there is more than one period."""
    return [name for name in FIGURES if name != "trajectory" or _periods(summary) > 1]


def save_figure(name: str, summary: pd.DataFrame, info: RunInfo, folder: str | Path) -> tuple[Path, str]:
    """Draw figure ``name``, save it as ``folder/name.png`` and return (path, caption).

    Uses matplotlib's object API (no pyplot state, no backend switch), so it works the same in
    a notebook, a script and a worker process.
    """
    from matplotlib.figure import Figure

    fn, caption_key, size = FIGURES[name]
    fig = Figure(figsize=size, dpi=110)
    fn(summary, fig.add_subplot(), info)
    if name != "trajectory":
        fig.tight_layout()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    return path, T(caption_key, info.lang, **info.fmt())


def escape(text: str) -> str:
    return html.escape(text)
