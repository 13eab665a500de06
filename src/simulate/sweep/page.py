"""``sweep.html``: a sweep a person can read: each metric against each swept parameter, and the indices.

One figure per metric and swept parameter, each policy a series of design points with its 95 %
interval over replications; for Sobol' and Morris designs the indices with their confidence
intervals, flagging indices whose interval includes zero and first-order indices that come out
negative (estimation noise: more samples are needed). Bahasa Indonesia by default, English with
``lang="en"``; metric names come from the glossary, swept parameters' names from
:mod:`simulate.paramlabels`.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.metrics import GLOSSARY
from simulate.numformat import axis_formatter, number
from simulate.paramlabels import parameter_label

__all__ = ["metric_label", "render_sweep_page"]

_TEXT = {
    "title": ("Sapuan parameter: {name}", "Parameter sweep: {name}"),
    "intro": ("Desain {kind}: {points} titik x {reps} replikasi (seed {seed}). Titik: rata-rata antar-replikasi; garis "
              "tegak: interval kepercayaan 95%.",
              "{kind} design: {points} points x {reps} replications (seed {seed}). Points: mean over replications; "
              "bars: 95% confidence interval."),
    "against": ("{metric} menurut {factor}", "{metric} against {factor}"),
    "indices": ("Indeks sensitivitas", "Sensitivity indices"),
    "zero": ("interval memuat nol", "interval includes zero"),
    "negative": ("indeks orde pertama negatif (derau estimasi: perlu lebih banyak sampel)",
                 "negative first-order index (estimation noise: more samples needed)"),
    "metric": ("Metrik", "Metric"), "policy": ("Kebijakan", "Policy"), "factor": ("Parameter", "Parameter"),
    "flags": ("Catatan", "Notes"),
}


def _t(key: str, lang: str, **kw) -> str:
    text = _TEXT[key][0 if lang == "id" else 1]
    return text.format(**kw) if kw else text


def metric_label(metric: str, lang: str = "id") -> str:
    """The glossary's label of a metric (``<metric>.<indicator or kind>`` gets the suffix in brackets)."""
    base, _, suffix = metric.partition(".")
    entry = GLOSSARY.get(base)
    if entry is None:
        return metric
    label = entry[0 if lang == "id" else 1]
    return f"{label} ({suffix})" if suffix else label


def _num(x: float, lang: str, digits: int = 3) -> str:
    return number(x, lang, digits)


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(rows: pd.DataFrame, design: pd.DataFrame, factor: str, metric: str, lang: str) -> str:
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    x_of = design.set_index("variant")[factor]
    for k, (policy, group) in enumerate(rows.groupby("policy", sort=False)):  # a handful of policies
        x = x_of.reindex(group["variant"]).to_numpy(float)
        order = np.argsort(x, kind="stable")
        y, lo, hi = (group[c].to_numpy(float)[order] for c in ("mean", "ci_low", "ci_high"))
        jitter = (k - 0.5 * (rows["policy"].nunique() - 1)) * 0.004 * (np.ptp(x) or 1.0)
        ax.errorbar(x[order] + jitter, y, yerr=[y - lo, hi - y], fmt="o", ms=3, lw=0.8, capsize=2, label=policy)
    ax.set_xlabel(parameter_label(factor, lang))
    ax.set_ylabel(metric_label(metric, lang))
    ax.xaxis.set_major_formatter(axis_formatter(lang))  # tick numbers in the reader's locale
    ax.yaxis.set_major_formatter(axis_formatter(lang))
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    return _png(fig)


def _sensitivity_table(sens: pd.DataFrame, lang: str) -> str:
    if sens is None or sens.empty:
        return ""
    value_cols = [c for c in ("S1", "ST", "mu_star") if c in sens.columns]
    head = [_t("metric", lang), _t("policy", lang), _t("factor", lang)] + value_cols + [_t("flags", lang)]
    body = []
    for row in sens.itertuples(index=False):
        r = row._asdict()
        flags, cells = [], []
        for col in value_cols:
            v, conf = r.get(col), r.get(f"{col}_conf")
            cells.append(f"{_num(v, lang)} ± {_num(conf, lang)}" if conf is not None else _num(v, lang))
            if conf is not None and np.isfinite(v) and np.isfinite(conf) and v - conf <= 0 <= v + conf:
                flags.append(f"{col}: {_t('zero', lang)}")
        if "S1" in r and np.isfinite(r["S1"]) and r["S1"] < 0:
            flags.append(_t("negative", lang))
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in
                                     [metric_label(r["metric"], lang), r["policy"], parameter_label(r["factor"], lang), *cells, "; ".join(flags)])
                    + "</tr>")
    return (f"<h2>{_t('indices', lang)}</h2><table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head)
            + "</tr>" + "".join(body) + "</table>")


def render_sweep_page(name: str, kind: str, design: pd.DataFrame, summary: pd.DataFrame, sensitivity: pd.DataFrame | None,
                      replications: int, seed: int, metrics: list[str], lang: str = "id") -> str:
    """The whole page (figures embedded)."""
    factors = [c for c in design.columns if c != "variant" and design[c].nunique() > 1]
    last = summary[summary["period"] == summary["period"].max()]
    parts = [f"<h1>{html.escape(_t('title', lang, name=name))}</h1>",
             f"<p>{html.escape(_t('intro', lang, kind=kind, points=len(design), reps=replications, seed=seed))}</p>"]
    for metric in metrics:  # the sweep's metrics
        rows = last[last["metric"] == metric]
        if rows.empty:
            continue
        for factor in factors:  # and its swept parameters
            title = _t("against", lang, metric=metric_label(metric, lang), factor=parameter_label(factor, lang))
            parts.append(f"<h2>{html.escape(title)}</h2>"
                         f'<img alt="{html.escape(title)}" src="data:image/png;base64,{_figure(rows, design, factor, metric, lang)}">')
    parts.append(_sensitivity_table(sensitivity, lang))
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}img{max-width:100%}"
             "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}"
             "td:nth-child(4),td:nth-child(5),td:nth-child(6){white-space:nowrap}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(name)}</title>'
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
