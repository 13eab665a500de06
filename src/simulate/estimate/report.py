"""``estimate.html``: what an export says about its raters, for a researcher or a BKPSDM analyst.

Bahasa Indonesia by default, English with ``lang="en"``; numbers in the reader's locale (Babel);
figures embedded, so the page works offline and can be mailed. Only pseudonyms and aggregates
appear; tables by group leave out cells of fewer than five people.
"""

from __future__ import annotations

import base64
import html
import io
import re

import matplotlib.ticker
import numpy as np
import pandas as pd
from simulate import numformat as nf
from matplotlib.figure import Figure

from simulate.estimate.model import ICC_MEANING, Estimate
from simulate.estimate.privacy import MIN_CELL

__all__ = ["TEXT", "number", "percent", "figures", "render_html"]

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Efek penilai dalam data penilaian kinerja", "Rater effects in appraisal data"),
    "intro": ("Berkas {source}: {ratings} penilaian atas {employees} pegawai oleh {raters} penilai (skala {scale}). "
              "Model: nilai = efek tetap ({fixed}) + efek pegawai + efek penilai + sisa, diestimasi dengan REML "
              "(sama dengan lme4 di R). Identitas diganti pseudonim berkunci; nama tidak dibaca.",
              "File {source}: {ratings} ratings of {employees} employees by {raters} raters (scale {scale}). "
              "Model: rating = fixed effects ({fixed}) + employee effect + rater effect + residual, estimated by "
              "REML (as R's lme4 does). Identifiers are replaced by keyed pseudonyms; names are not read."),
    "shares_h": ("Dari mana ragam nilai berasal", "Where the variation in ratings comes from"),
    "shares_p": ("{employee} ragam nilai berasal dari perbedaan antar-pegawai, {rater} dari penilai (kemurahan atau "
                 "kekerasan), dan {residual} sisa (dimensi, kesan penilai atas pegawai tertentu, derau).",
                 "{employee} of the variation in ratings comes from differences between employees, {rater} from "
                 "the raters (leniency or severity), and {residual} is residual (dimensions, a rater's impression "
                 "of a particular employee, noise)."),
    "employee": ("Pegawai", "Employee"), "rater": ("Penilai", "Rater"), "residual": ("Sisa", "Residual"),
    "share": ("Porsi ragam", "Share of variance"),
    "boundary": ("Salah satu ragam diestimasi nol (batas): datanya tidak cukup untuk memisahkannya.",
                 "One variance is estimated at zero (a boundary fit): the data cannot separate it."),
    "parts_h": ("Keterhubungan penilai", "How the raters are connected"),
    "parts_one": ("Semua penilai terhubung melalui pegawai yang mereka nilai bersama: kemurahan mereka dapat "
                  "dibandingkan satu sama lain.",
                  "All raters are connected through employees they rate in common: their leniencies are comparable."),
    "parts_many": ("Penilai terbagi dalam {parts} bagian yang tidak terhubung (tidak ada pegawai yang dinilai "
                   "bersama). Kemurahan hanya dapat dibandingkan di dalam satu bagian; antarbagian, perbedaan "
                   "penilai tidak dapat dipisahkan dari perbedaan pegawainya. Bagian terbesar: {largest} penilai.",
                   "The raters fall into {parts} parts with no employee rated in common. Leniencies are comparable "
                   "only within a part; between parts, rater differences cannot be told from employee differences. "
                   "Largest part: {largest} raters."),
    "raters_h": ("Kemurahan dan sebaran tiap penilai", "Each rater's leniency and spread"),
    "raters_p": ("Kemurahan: selisih nilai yang diberikan penilai dari rata-rata, setelah memperhitungkan pegawai yang "
                 "dinilainya (diciutkan ke 0 bila datanya sedikit), dengan interval 95%. Sebaran: kemiringan nilai "
                 "penilai terhadap efek pegawai dibanding penilai lain (di bawah 1: memampatkan perbedaan, "
                 "kecenderungan tengah; di atas 1: memperlebar; dihitung bila penilai menilai sedikitnya 3 pegawai). "
                 "Daftar lengkap (pseudonim, dengan banyaknya pegawai yang dinilai): raters.csv.",
                 "Leniency: how far a rater's ratings sit above the average once the employees rated are taken "
                 "into account (shrunk towards 0 when data are few), with a 95% interval. Spread: the slope of the "
                 "rater's ratings on the employee effects relative to other raters (below 1: compresses "
                 "differences, central tendency; above 1: stretches them; given for raters of at least 3 employees). Full list (pseudonyms, with the number "
                 "of employees each rated): raters.csv."),
    "leniency": ("Kemurahan (poin skala)", "Leniency (scale points)"),
    "raters_sorted": ("Penilai, diurutkan menurut kemurahan", "Raters, sorted by leniency"),
    "rel_h": ("Keandalan", "Reliability"),
    "rel_p": ("Keandalan satu nilai: {single}. Rata-rata {k} penilai: {abs_k} (mutlak, kemurahan ikut dihitung) atau "
              "{rel_k} (relatif, bila semua pegawai dinilai oleh penilai yang sama).",
              "Reliability of one rating: {single}. Mean of {k} raters: {abs_k} (absolute, leniency counts) or "
              "{rel_k} (relative, when every employee has the same raters)."),
    "raters_k": ("Banyaknya penilai per pegawai", "Raters per employee"),
    "reliability": ("Keandalan", "Reliability"),
    "absolute": ("mutlak", "absolute"), "relative": ("relatif", "relative"),
    "icc_h": ("ICC Shrout-Fleiss", "Shrout-Fleiss ICCs"),
    "icc_p": ("Pada blok lengkap terbesar: {employees} pegawai yang dinilai oleh {raters} penilai yang sama.",
              "On the largest complete block: {employees} employees rated by the same {raters} raters."),
    "icc_none": ("Tidak ada blok lengkap (sedikitnya {min} pegawai yang dinilai oleh dua penilai yang sama atau lebih): "
                 "ICC Shrout-Fleiss tidak dapat dihitung; keandalan di atas berasal dari model.",
                 "No complete block (at least {min} employees rated by the same two or more raters): Shrout-Fleiss "
                 "ICCs cannot be computed; the reliabilities above come from the model."),
    "ind_h": ("Indikator dan efek pegawai", "Indicators and the employee effect"),
    "ind_p": ("Korelasi tiap indikator (rata-rata per pegawai) dengan efek pegawai menurut penilaian.",
              "Correlation of each indicator (mean per employee) with the rating-based employee effect."),
    "unit_h": ("Menurut unit kerja", "By work unit"),
    "unit_p": ("Sel dengan kurang dari {min} pegawai disembunyikan.", "Cells of fewer than {min} employees are hidden."),
    "cal_h": ("Mensimulasikan ASN yang menilai seperti ini", "Simulating a civil service that rates like this"),
    "cal_p": ("calibration.yaml memberi atasan dalam simulator sebaran kemurahan {leniency} SD dan derau {noise} SD, "
              "sehingga estimasi yang sama pada data simulasi memberi porsi ragam yang sama. Periksa dengan "
              "<code>kinerja calibrate calibration.yaml</code>.",
              "calibration.yaml gives the simulator's superiors a leniency spread of {leniency} SD and noise of "
              "{noise} SD, so the same estimation on simulated ratings gives the same variance shares. Check with "
              "<code>kinerja calibrate calibration.yaml</code>."),
    "notes_h": ("Catatan impor", "Import notes"),
    "col_type": ("Jenis", "Type"), "col_meaning": ("Arti", "Meaning"), "col_icc": ("ICC", "ICC"),
    "col_indicator": ("Indikator", "Indicator"), "col_employees": ("Pegawai", "Employees"),
    "col_raters": ("Penilai", "Raters"), "col_unit": ("Unit kerja", "Work unit"),
    "col_pearson": ("Korelasi Pearson", "Pearson correlation"), "col_spearman": ("Korelasi Spearman", "Spearman correlation"),
    "col_effect": ("Rata-rata efek pegawai (poin skala)", "Mean employee effect (scale points)"),
    "fixed_none": ("rata-rata saja", "the mean only"),
    "fixed_period": ("periode: {k} tingkat", "period: {k} levels"),
    "fixed_dimension": ("dimensi: {k} tingkat", "dimension: {k} levels"), "col_part": ("Bagian", "Part"),
    "col_ratings": ("Penilaian", "Ratings"),
}


def _t(key: str, lang: str, **kw) -> str:
    text = TEXT[key][0 if lang == "id" else 1]
    return text.format(**kw) if kw else text


def number(x: float, lang: str, digits: int = 2) -> str:
    """A number in the reader's locale (``1.234,57`` in Indonesian, ``1,234.57`` in English)."""
    return nf.number(x, lang, digits)


def percent(x: float, lang: str) -> str:
    return nf.percent(x, lang, 1)


def fixed_description(est: Estimate, lang: str) -> str:
    """The fixed effects in words ("dimensi: 7 tingkat"), not as model terms."""
    parts = []
    for role in ("period", "dimension"):
        k = sum(1 for name in est.fixed if name.startswith(role + "="))
        if k:
            parts.append(_t(f"fixed_{role}", lang, k=k + 1))
    return ", ".join(parts) or _t("fixed_none", lang)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def figures(est: Estimate, lang: str) -> dict[str, str]:
    """Base64 PNGs: variance shares, the leniency caterpillar, reliability by number of raters."""
    out = {}
    shares = est.fit.shares
    fig = Figure(figsize=(6.4, 2.4))
    ax = fig.subplots()
    labels = [_t(k, lang) for k in ("employee", "rater", "residual")]
    values = [shares[k] for k in ("employee", "rater", "residual")]
    ax.barh(labels[::-1], values[::-1], color=["#999999", "#c44e52", "#4c72b0"])
    for y, v in enumerate(values[::-1]):
        ax.text(v + 0.01, y, percent(v, lang), va="center")
    ax.set_xlim(0, 1)
    ax.set_xlabel(_t("share", lang))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: percent(v, lang)))
    out["shares"] = _png(fig)
    shown = est.raters[(est.raters["part"] == 1) & est.raters["leniency"].notna()].sort_values("leniency")
    if len(shown):
        fig = Figure(figsize=(6.4, 3.4))
        ax = fig.subplots()
        pos = np.arange(len(shown))
        ax.errorbar(pos, shown["leniency"], yerr=1.96 * shown["se"], fmt="o", ms=2.5, lw=0.6,
                    color="#c44e52", ecolor="#e6a3a5")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xticks([])
        ax.set_xlabel(_t("raters_sorted", lang))
        ax.set_ylabel(_t("leniency", lang))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: number(v, lang, 1)))
        out["caterpillar"] = _png(fig)
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    ks = np.arange(1, 11)
    v = est.fit.variances
    ax.plot(ks, v["employee"] / (v["employee"] + (v["rater"] + v["residual"]) / ks), marker="o", label=_t("absolute", lang))
    ax.plot(ks, v["employee"] / (v["employee"] + v["residual"] / ks), marker="s", label=_t("relative", lang))
    ax.set_ylim(0, 1)
    ax.set_xlabel(_t("raters_k", lang))
    ax.set_ylabel(_t("reliability", lang))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _: number(y, lang, 1)))
    ax.legend(frameon=False)
    out["reliability"] = _png(fig)
    return out


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _natural(text: str) -> tuple:
    """Sort key that puts "Unit 2" before "Unit 10"."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", str(text)) if t)


def unit_table(est: Estimate, frame: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    """Employees, raters and mean employee effect per work unit; cells of < 5 employees hidden."""
    if "unit" not in frame:
        return None
    emp_codes = pd.Series(est.fit.employee_effect, index=sorted(frame["employee"].unique()))
    g = frame.groupby("unit")
    table = pd.DataFrame({"employees": g["employee"].nunique(), "raters": g["rater"].nunique()})
    first_unit = frame.drop_duplicates("employee").set_index("employee")["unit"]
    table["effect"] = emp_codes.groupby(first_unit.reindex(emp_codes.index)).mean().reindex(table.index)
    table = table.iloc[sorted(range(len(table)), key=lambda i: _natural(table.index[i]))]  # units, not people
    small = table["employees"] < MIN_CELL
    shown = pd.DataFrame({
        _t("col_unit", lang): table.index,
        _t("col_employees", lang): np.where(small, f"< {MIN_CELL}", table["employees"].map(lambda n: number(n, lang, 0))),
        _t("col_raters", lang): np.where(small, "", table["raters"].map(lambda n: number(n, lang, 0))),
        _t("col_effect", lang): np.where(small, "", table["effect"].map(lambda x: number(x, lang, 2))),
    })
    return shown


def render_html(est: Estimate, frame: pd.DataFrame, source: str, notes: list[str], fitted: dict | None,
                lang: str = "id") -> str:
    """The whole report page."""
    figs = figures(est, lang)
    n = lambda x, d=0: number(x, lang, d)  # noqa: E731
    s = est.fit.shares
    parts = [f"<h1>{_t('title', lang)}</h1>",
             "<p>" + html.escape(_t("intro", lang, source=source, ratings=n(est.n_ratings), employees=n(est.n_employees),
                                     raters=n(est.n_raters), scale=est.scale, fixed=fixed_description(est, lang))) + "</p>",
             f"<h2>{_t('shares_h', lang)}</h2>",
             "<p>" + _t("shares_p", lang, employee=percent(s["employee"], lang), rater=percent(s["rater"], lang),
                        residual=percent(s["residual"], lang)) + "</p>",
             f'<img alt="{_t("shares_h", lang)}" src="data:image/png;base64,{figs["shares"]}">']
    if est.fit.boundary:
        parts.append(f"<p><strong>{_t('boundary', lang)}</strong></p>")
    parts.append(f"<h2>{_t('parts_h', lang)}</h2>")
    if est.connected_parts == 1:
        parts.append(f"<p>{_t('parts_one', lang)}</p>")
    else:
        parts.append(f"<p><strong>{_t('parts_many', lang, parts=n(est.connected_parts), largest=n(est.parts['raters'].iloc[0]))}</strong></p>")
        top = est.parts.head(10)
        parts.append(_table(pd.DataFrame({_t("col_part", lang): top["part"], _t("col_raters", lang): top["raters"].map(n),
                                          _t("col_employees", lang): top["employees"].map(n),
                                          _t("col_ratings", lang): top["ratings"].map(n)})))
    parts += [f"<h2>{_t('raters_h', lang)}</h2>", f"<p>{_t('raters_p', lang)}</p>"]
    if "caterpillar" in figs:
        parts.append(f'<img alt="{_t("raters_h", lang)}" src="data:image/png;base64,{figs["caterpillar"]}">')
    r = est.reliability
    parts += [f"<h2>{_t('rel_h', lang)}</h2>",
              "<p>" + _t("rel_p", lang, single=n(r["single_rating"], 2), k=3, abs_k=n(r["absolute_k3"], 2),
                         rel_k=n(r["relative_k3"], 2)) + "</p>",
              f'<img alt="{_t("rel_h", lang)}" src="data:image/png;base64,{figs["reliability"]}">',
              f"<h3>{_t('icc_h', lang)}</h3>"]
    if est.icc is None:
        parts.append(f"<p>{_t('icc_none', lang, min=MIN_CELL)}</p>")
    else:
        parts.append(f"<p>{_t('icc_p', lang, employees=n(est.icc_block['employees']), raters=n(est.icc_block['raters']))}</p>")
        k = est.icc_block["raters"]
        meaning = [ICC_MEANING[t][0 if lang == "id" else 1].replace(" k ", f" {k} ") for t in est.icc["type"]]
        parts.append(_table(pd.DataFrame({_t("col_type", lang): est.icc["type"].str.replace("k", str(k)),
                                          _t("col_meaning", lang): meaning,
                                          _t("col_icc", lang): est.icc["icc"].map(lambda x: n(x, 3))})))
    if est.indicators is not None:
        ind = est.indicators
        parts += [f"<h2>{_t('ind_h', lang)}</h2>", f"<p>{_t('ind_p', lang)}</p>",
                  _table(pd.DataFrame({_t("col_indicator", lang): ind["indicator"], _t("col_employees", lang): ind["employees"].map(n),
                                       _t("col_pearson", lang): ind["pearson"].map(lambda x: n(x, 2)),
                                       _t("col_spearman", lang): ind["spearman"].map(lambda x: n(x, 2))}))]
    units = unit_table(est, frame, lang)
    if units is not None:
        parts += [f"<h2>{_t('unit_h', lang)}</h2>", f"<p>{_t('unit_p', lang, min=MIN_CELL)}</p>", _table(units.head(60))]
    if fitted is not None:
        parts += [f"<h2>{_t('cal_h', lang)}</h2>",
                  "<p>" + _t("cal_p", lang, leniency=n(fitted["leniency_sd"], 2), noise=n(fitted["noise_sd"], 2)) + "</p>"]
    if notes:
        parts += [f"<h2>{_t('notes_h', lang)}</h2>", "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in notes) + "</ul>"]
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
             "img{max-width:100%;height:auto}table{border-collapse:collapse;margin:1rem 0}"
             "td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{_t("title", lang)}</title>'
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
