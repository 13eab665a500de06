"""Figures of the classic models: each helper takes a result and a matplotlib ``Axes`` and returns it.

Labels are in Bahasa Indonesia (``lang="id"``, the default) or English (``"en"``); titles are
built from the result's own sizes and settings, never typed numbers.
"""

from __future__ import annotations

import numpy as np

__all__ = ["potential_by_year", "gain_by_factor", "men_by_level", "misrated_by_size"]


def _t(lang: str, id_text: str, en_text: str) -> str:
    return en_text if lang == "en" else id_text


def potential_by_year(result, ax, *, lang: str = "id", **match):
    """Mean potential by year of the conditions matching ``match`` (and every no-firing control)."""
    flag = "firing" if result.model == "scullen2005" else "dismissal"
    for c in result.conditions:
        control = not c[flag]
        if not control and any(c.get(k) != v for k, v in match.items()):
            continue
        mp = np.asarray(c["mean_potential"])
        if control:
            label, style = _t(lang, "tanpa pemberhentian", "no firing"), dict(color="black", ls="--")
        elif flag == "firing":
            label = _t(lang, f"diberhentikan {c['fire_share']:.0%}, keandalan {c['reliability']:.2f}",
                       f"fire {c['fire_share']:.0%}, reliability {c['reliability']:.2f}")
            style = {}
        else:
            label = _t(lang, f"diberhentikan setelah {c['poor_periods']} periode di bawah ekspektasi",
                       f"dismissed after {c['poor_periods']} periods below expectation")
            style = {}
        ax.plot(np.arange(1, len(mp) + 1), mp, label=label, **style)
    ax.set_xlabel(_t(lang, "tahun", "year"))
    ax.set_ylabel(_t(lang, "rata-rata potensi pegawai (SD pelamar)", "mean workforce potential (applicant SD)"))
    ax.set_title(_t(lang, f"{result.organisations:,} organisasi", f"{result.organisations:,} organisations"), fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    return ax


def gain_by_factor(result, ax, factor: str, *, year: int | None = None, lang: str = "id"):
    """Mean gain (year ``year`` minus year 1) of the firing conditions at each level of ``factor``."""
    flag = "firing" if result.model == "scullen2005" else "dismissal"
    conds = [c for c in result.conditions if c[flag]]
    levels = sorted({c[factor] for c in conds})
    y = year or len(conds[0]["mean_potential"])
    gains = [np.mean([c["mean_potential"][y - 1] - c["mean_potential"][0] for c in conds if c[factor] == lv])
             for lv in levels]
    ax.plot(levels, gains, marker="o")
    ax.set_xlabel(factor)
    ax.set_ylabel(_t(lang, f"kenaikan potensi tahun 1-{y}", f"gain in potential, year 1-{y}"))
    return ax


def men_by_level(result, ax, *, lang: str = "id"):
    """Share of men at each level (bottom to top), one line per bias condition."""
    x = np.arange(1, len(result.level_names) + 1)
    for c in result.conditions:
        ax.plot(x, c["share_men_by_level"], marker="o",
                label=_t(lang, f"bias {c['bias_variance_share']:.0%} ragam penilaian",
                         f"bias {c['bias_variance_share']:.0%} of rating variance"))
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_xticks(x, result.level_names, rotation=30 if len(x) > 4 else 0, fontsize=8)
    ax.set_ylabel(_t(lang, "porsi laki-laki", "share of men"))
    ax.set_title(_t(lang, f"{result.simulations} simulasi", f"{result.simulations} simulations"), fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    return ax


def misrated_by_size(result, ax, *, lang: str = "id"):
    """Misrated share against group size, one line per reliability."""
    for rel in sorted({c["reliability"] for c in result.conditions}):
        rows = sorted((c["group_size"], c["misrated_share"]) for c in result.conditions if c["reliability"] == rel)
        ax.plot(*zip(*rows), marker="o", label=_t(lang, f"keandalan {rel:.2f}", f"reliability {rel:.2f}"))
    ax.set_xlabel(_t(lang, "jumlah orang dalam unit", "people in the group"))
    ax.set_ylabel(_t(lang, "porsi salah predikat", "share misrated"))
    ax.set_ylim(0, None)
    ax.legend(fontsize=7, frameon=False)
    return ax
