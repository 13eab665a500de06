"""``report.xlsx``: the policy report for people who live in spreadsheets (openpyxl).

Sheets in the report's language: the summary (the headline and the key figures), every metric by
policy with its 95 % interval, the cost of each scheme against the status quo, who gains and who
loses by group (when the run has the distribution), and the glossary. Numbers are stored as
numbers with an Excel number format (so Excel shows them in the reader's own locale and they can be
computed with), headers are bold and frozen, labels are the display labels, never code names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simulate import report
from simulate.metrics import GLOSSARY
from simulate.replication import SCHEME_COST
from simulate.xlsx import HEADER_FILL_COLOR, save_whole

__all__ = ["write_workbook", "SHEETS"]

#: sheet key -> (Indonesian name, English name); Excel allows 31 characters, no []:*?/\
SHEETS = {
    "summary": ("Ringkasan", "Summary"),
    "policies": ("Per kebijakan", "By policy"),
    "costs": ("Biaya per skema", "Cost per scheme"),
    "distribution": ("Untung-rugi per kelompok", "Gains and losses by group"),
    "opd": ("Per OPD", "By OPD"),
    "glossary": ("Glosarium", "Glossary"),
}

_TEXT = {
    "policy": ("Kebijakan", "Policy"), "metric": ("Ukuran", "Metric"), "mean": ("Rata-rata", "Mean"),
    "ci_low": ("Batas bawah 95%", "95% low"), "ci_high": ("Batas atas 95%", "95% high"),
    "period": ("Periode", "Period"), "scheme": ("Skema", "Scheme"), "cost": ("Biaya per periode (Rp)", "Cost per period (IDR)"),
    "diff": ("Selisih dengan status quo (Rp)", "Difference from the status quo (IDR)"),
    "diff_pct": ("Selisih (%)", "Difference (%)"), "meaning": ("Arti", "Meaning"),
    "better": ("Lebih baik bila", "Better when"), "headline": ("Temuan utama", "Headline"),
    "group_kind": ("Jenis kelompok", "Group kind"), "group": ("Kelompok", "Group"), "measure": ("Ukuran", "Measure"),
    "n": ("Jumlah pegawai", "Employees"),
}

_HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL_COLOR)


def _t(key: str, lang: str) -> str:
    return report.lookup_text(_TEXT, key, lang)


def _format_of(metric: str) -> str:
    if "cost_idr" in metric:
        return "#,##0"
    if metric.startswith(("share_", "confusion_")) or "variance_share" in metric:
        return "0.0%"
    return "0.000"


def _metric_label(metric: str, idx: int, scheme_labels: dict[str, str] | None) -> str:
    """A metric's glossary label; ``<metric>.<indicator>`` and ``scheme_cost_idr.<scheme>`` rows
    read "label: indicator" and "label: scheme"."""
    if metric in GLOSSARY:
        return GLOSSARY[metric][idx]
    head, _, tail = metric.partition(".")
    if head == SCHEME_COST:
        return ("Biaya skema: " if idx == 0 else "Cost of scheme: ") + (scheme_labels or {}).get(tail, tail)
    return f"{GLOSSARY[head][idx]}: {tail}" if head in GLOSSARY else metric


def _plain(markdown: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", markdown).lstrip("- ").strip()


def _sheet(wb: Workbook, key: str, lang: str, header: list[str], rows: list[list], formats: list[str | None],
           widths: list[int]):
    ws = wb.create_sheet(SHEETS[key][0 if lang == "id" else 1])
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([None if isinstance(v, float) and v != v else v for v in row])
    for j, fmt in enumerate(formats, start=1):
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "B2"
    return ws


#: Group kinds written on the per-OPD sheet (wide, one row per package and OPD) instead of the long one.
OPD_KINDS = ("opd", "OPD (urutan dalam daftar)", "OPD (position in the list)")


def write_workbook(path: str | Path, shown: pd.DataFrame, info: report.RunInfo,
                   scheme_labels: dict[str, str] | None = None, distribution: pd.DataFrame | None = None,
                   opd_measures: tuple[str, ...] = ()) -> Path:
    """Write ``report.xlsx`` from the relabelled summary ``shown`` (:func:`simulate.report.relabel`).

    ``distribution`` (optional) is a table of gains and losses by group with columns ``policy``,
    ``group_kind``, ``group``, ``measure``, ``n``, ``mean``, ``ci_low``, ``ci_high``; its OPD rows
    go to a sheet of their own, one row per package and OPD with the ``opd_measures`` as columns.
    The file is written to a temporary name and renamed, so a failure leaves no half workbook.
    """
    lang = info.lang
    idx = 0 if lang == "id" else 1
    wb = Workbook()
    wb.remove(wb.active)
    last = int(shown["period"].max()) if "period" in shown else 0
    final = shown[shown["period"] == last] if "period" in shown else shown

    # Summary: the headline, then the key metrics by policy (numbers, not text).
    ws = wb.create_sheet(SHEETS["summary"][idx])
    ws.append([f"{report.T('title', lang)}: {info.name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([_t("headline", lang)])
    ws["A3"].font = Font(bold=True)
    for line in report.headline(shown, info, scheme_labels).splitlines():
        if line.strip():
            ws.append([_plain(line.strip("*"))])
    ws.append([])
    metrics = [m for m in report.TABLE_METRICS if m in set(final["metric"])]
    start = ws.max_row + 1
    ws.append([_t("policy", lang)] + [GLOSSARY[m][idx] for m in metrics])
    for cell in ws[start]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for pol in report.policy_labels(final):
        ws.append([pol] + [float(report.metric_rows(final, m).loc[pol, "mean"]) for m in metrics])
        for j, m in enumerate(metrics, start=2):
            ws.cell(ws.max_row, j).number_format = _format_of(m)
    ws.column_dimensions["A"].width = 48
    for j in range(2, len(metrics) + 2):
        ws.column_dimensions[get_column_letter(j)].width = 16
    ws.freeze_panes = ws.cell(start + 1, 2)

    # Every metric by policy and period, with its interval.
    rows, row_formats = [], []
    for _, r in shown.iterrows():
        rows.append([r["policy"], int(r.get("period", 0)) + 1, _metric_label(r["metric"], idx, scheme_labels),
                     r["mean"], r["ci_low"], r["ci_high"]])
        row_formats.append(_format_of(r["metric"]))
    ws = _sheet(wb, "policies", lang, [_t("policy", lang), _t("period", lang), _t("metric", lang), _t("mean", lang),
                                        _t("ci_low", lang), _t("ci_high", lang)], rows,
                [None, "0", None, None, None, None], [48, 9, 52, 16, 16, 16])
    for i, fmt in enumerate(row_formats, start=2):
        for j in (4, 5, 6):
            ws.cell(i, j).number_format = fmt

    # Each scheme's cost on its own, against the status quo.
    rows = []
    status_quo = report.policy_labels(final)[0]
    for metric in ["tpp_cost_idr", *report.scheme_costs(final)]:
        c = report.metric_rows(final, metric).dropna(subset=["mean"])
        name = metric.split(".", 1)[1] if "." in metric else None
        scheme = (scheme_labels or {}).get(name, name) if name else report.T("tpp", lang)
        base = float(c.loc[status_quo, "mean"]) if status_quo in c.index else None  # only a scheme the status quo runs
        for pol in c.index:
            mean = float(c.loc[pol, "mean"])
            diff = None if base is None else mean - base
            rows.append([pol, scheme, mean, float(c.loc[pol, "ci_low"]), float(c.loc[pol, "ci_high"]), diff,
                         diff / base if base else None])
    _sheet(wb, "costs", lang, [_t("policy", lang), _t("scheme", lang), _t("cost", lang), _t("ci_low", lang),
                                _t("ci_high", lang), _t("diff", lang), _t("diff_pct", lang)], rows,
           [None, None, "#,##0", "#,##0", "#,##0", "#,##0", "0.0%"], [48, 34, 20, 20, 20, 24, 12])

    if distribution is not None and len(distribution):
        by_kind = distribution[~distribution["group_kind"].isin(OPD_KINDS)]
        rows = by_kind[["policy", "group_kind", "group", "measure", "n", "mean", "ci_low", "ci_high"]].to_numpy().tolist()
        _sheet(wb, "distribution", lang, [_t("policy", lang), _t("group_kind", lang), _t("group", lang),
                                           _t("measure", lang), _t("n", lang), _t("mean", lang), _t("ci_low", lang),
                                           _t("ci_high", lang)], rows,
               [None, None, None, None, "#,##0", "#,##0.000", "#,##0.000", "#,##0.000"], [40, 18, 28, 34, 12, 14, 14, 14])
        opd = distribution[distribution["group_kind"].isin(OPD_KINDS) & distribution["measure"].isin(opd_measures)]
        if len(opd):
            wide = opd.pivot_table(index=["policy", "group"], columns="measure", values="mean", sort=False)
            wide = wide.reindex(columns=[m for m in opd_measures if m in wide.columns])
            size = opd.groupby(["policy", "group"], sort=False)["n"].mean()
            rows = [[pol, grp, float(size.loc[(pol, grp)]), *vals] for (pol, grp), vals in
                    zip(wide.index, wide.to_numpy().tolist())]
            _sheet(wb, "opd", lang, [_t("policy", lang), "OPD", _t("n", lang), *wide.columns], rows,
                   [None, None, "#,##0", *["0.0%" if "share" in m else "#,##0.0" for m in wide.columns]],
                   [40, 12, 12, *[18] * len(wide.columns)])

    g = report.glossary_table(lang)
    _sheet(wb, "glossary", lang, [_t("metric", lang), _t("meaning", lang), _t("better", lang)],
           g.drop(columns="name").to_numpy().tolist(), [None, None, None], [36, 100, 16])
    for (cell,) in wb[SHEETS["glossary"][idx]].iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    return save_whole(wb, path)
