"""A regional case's figures (Axes in, Axes out), their captions and the report's context line.

matplotlib is imported where a figure is drawn, so that loading and running the cases does not
need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.metrics import GLOSSARY
from simulate.regions.run import RegionResult
from simulate.regions.text import RT, fmt_interval, period_text
from simulate.regions.types import Region
from simulate.report import LANGS, check_language

__all__ = ["arms_for_metric", "caption", "context", "plot_claims", "plot_over_periods", "save_figures"]

_ARM_COLORS = ["#7f7f7f", "#1f4e79", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e"]


def plot_claims(claims: pd.DataFrame, ax, lang: str = "id"):
    """Forest plot of the claims table: each claim's mean with its 95 % interval, coloured by ``holds``."""
    c = claims.reset_index(drop=True)
    y = np.arange(len(c))[::-1]
    labels = [f"{lab} ({period_text(p, lang)})" if p.count("->") else lab
              for lab, p in zip(c[f"label_{lang}"], c["period"])]
    for yi, (_, row) in zip(y, c.iterrows()):
        color = "#1b9e77" if row["holds"] else "#d62728"
        lo, hi = row["ci_low"], row["ci_high"]
        scale = max(abs(row["mean"]), abs(lo) if np.isfinite(lo) else 0, abs(hi) if np.isfinite(hi) else 0) or 1.0
        # Each claim on its own scale (metrics differ in units): the interval relative to its largest end.
        ax.errorbar(row["mean"] / scale, yi, xerr=[[(row["mean"] - lo) / scale], [(hi - row["mean"]) / scale]]
                    if np.isfinite(lo) else None, fmt="o", color=color, capsize=3)
        ax.text(1.02, yi, " ".join(fmt_interval(row["mean"], lo, hi)), fontsize=7, va="center",
                transform=ax.get_yaxis_transform(), clip_on=False)
    ax.axvline(0, color="#333", lw=0.8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([])
    ax.set_xlabel(RT("axis_difference", lang), fontsize=8)
    return ax


def plot_over_periods(summary: pd.DataFrame, metric: str, ax, region: Region, lang: str = "id",
                      arms: Sequence[str] | None = None, months: int = 12):
    """A metric by period for each arm: mean line and 95 % band (``summary`` from :func:`arm_summary`)."""
    idx = LANGS.index(check_language(lang))
    keys = list(arms) if arms is not None else [a.key for a in region.arms]
    s = summary[summary["metric"] == metric]
    for k, key in enumerate(keys):
        q = s[s["policy"] == key].sort_values("period")
        if q.empty:
            continue
        x = q["period"].to_numpy() + 1
        color = _ARM_COLORS[[a.key for a in region.arms].index(key) % len(_ARM_COLORS)]
        ax.plot(x, q["mean"], marker="o", ms=3, color=color, label=region.arm(key).label(lang))
        if q["ci_low"].notna().all():
            ax.fill_between(x, q["ci_low"], q["ci_high"], color=color, alpha=0.18, lw=0)
    from matplotlib.ticker import MaxNLocator

    from simulate.numformat import axis_formatter

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(axis_formatter(lang))  # tick numbers in the reader's locale
    ax.set_xlabel(RT("axis_period", lang, months=months))
    ax.set_ylabel(GLOSSARY[metric][idx] if metric in GLOSSARY else metric, fontsize=8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    return ax


def arms_for_metric(region: Region, metric: str) -> list[str]:
    """The arms any claim on ``metric`` compares (in the region's order)."""
    used: set[str] = set()
    for c in region.claims:
        if c.metric != metric:
            continue
        for side in (c.compare, c.against):
            if isinstance(side, tuple):
                used.update(side)
            elif isinstance(side, str):
                used.add(side)
    return [a.key for a in region.arms if a.key in used]


def caption(kind: str, result: RegionResult, lang: str = "id", metric: str | None = None) -> str:
    """A figure caption built from the run's parameters (``kind``: ``claims`` or ``metric``)."""
    sc = result.scenario
    periods = int(result.results["period"].max()) + 1
    fmt = {"name": result.region.name, "reps": result.replications, "n": sc.population.n_employees,
           "periods": periods, "months": sc.appraisal.period_months}
    if kind == "claims":
        return RT("cap_claims", lang, **fmt)
    idx = LANGS.index(check_language(lang))
    return RT("cap_metric", lang, label=GLOSSARY[metric][idx], **fmt)


def context(result: RegionResult, lang: str = "id") -> str:
    """The paragraph that opens the report: scenario, preset, article, population, periods, seeds."""
    sc = result.scenario
    return RT("context", lang, scenario=sc.name, preset=result.region.preset, article=result.region.article,
              n=sc.population.n_employees, periods=int(result.results["period"].max()) + 1,
              months=sc.appraisal.period_months, reps=result.replications, seed=result.seed)


def save_figures(result: RegionResult, folder: str | Path, lang: str = "id") -> list[tuple[Path, str]]:
    """Draw the claims figure and one figure per claimed metric into ``folder``; (path, caption) each."""
    from matplotlib.figure import Figure

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    fig = Figure(figsize=(7.5, 0.45 * len(result.claims) + 1.2), dpi=110)
    plot_claims(result.claims, fig.add_subplot(), lang)
    fig.tight_layout()
    path = folder / "claims.png"
    fig.savefig(path, bbox_inches="tight")
    out.append((path, caption("claims", result, lang)))
    summary = result.summary()
    for metric in result.region.figure_metrics():
        fig = Figure(figsize=(6.5, 4.2), dpi=110)
        plot_over_periods(summary, metric, fig.add_subplot(), result.region, lang,
                          arms=arms_for_metric(result.region, metric), months=result.scenario.appraisal.period_months)
        fig.tight_layout()
        path = folder / f"{metric}.png"
        fig.savefig(path, bbox_inches="tight")
        out.append((path, caption("metric", result, lang, metric)))
    return out
