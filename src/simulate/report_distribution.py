"""Who gains and who loses, in the policy report: the plain-language summary that opens it, the
winners-and-losers figure by group, and the table by arm (from ``distribution.parquet``, see
:mod:`simulate.metrics.distribution`).

Every sentence is built from the numbers of the run: for each arm against the status quo, what
changes (predikat up and down), for whom (who gains or loses more than 5 % of TPP), at what cost
(the TPP budget impact, and the rupiah that misjudgement moves from the true top fifth and to the
true bottom fifth), and with what effect on service (the citizens' p90 wait and IKM).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from simulate import numformat as nf
from simulate.report import RunInfo, lookup_text, metric_rows, policy_labels

__all__ = ["TEXT", "MEASURE_LABELS", "KIND_LABELS", "workbook_table", "relabel_arms", "summary_lines", "arm_table", "plot_winners_losers", "GROUP_KINDS_SHOWN"]

TEXT: dict[str, tuple[str, str]] = {
    "summary": ("Ringkasan", "Summary"),
    "intro": (
        "Setiap paket dibandingkan dengan status quo (**{base}**) pada pegawai yang sama; angka untuk periode "
        "penilaian ke-{t}.",
        "Each package is compared with the status quo (**{base}**) on the same employees; figures for appraisal "
        "period {t}."),
    "arm": (
        "**{arm}**: predikat {up} pegawai naik dan {down} turun; TPP {gain} pegawai naik lebih dari 5% dan {loss} "
        "turun lebih dari 5%; anggaran TPP {budget} per periode ({pct}). Validitas {v} (status quo {v0}). "
        "Waktu tunggu p90 {wait} menit (status quo {wait0}), IKM {ikm} ({ikm0}).",
        "**{arm}**: {up} of staff get a better predikat and {down} a worse one; {gain} gain more than 5% of TPP and "
        "{loss} lose more than 5%; the TPP budget changes by {budget} per period ({pct}). Validity {v} (status quo "
        "{v0}). p90 wait {wait} minutes (status quo {wait0}), IKM {ikm} ({ikm0})."),
    "arm_same_service": (
        "**{arm}**: predikat {up} pegawai naik dan {down} turun; TPP {gain} pegawai naik lebih dari 5% dan {loss} "
        "turun lebih dari 5%; anggaran TPP {budget} per periode ({pct}). Validitas {v} (status quo {v0}).",
        "**{arm}**: {up} of staff get a better predikat and {down} a worse one; {gain} gain more than 5% of TPP and "
        "{loss} lose more than 5%; the TPP budget changes by {budget} per period ({pct}). Validity {v} (status quo "
        "{v0})."),
    "misjudged": (
        "Salah nilai berbiaya: di bawah status quo, seperlima pegawai terbaik sebenarnya dibayar {top} lebih "
        "rendah dan seperlima terbawah {bottom} lebih tinggi daripada bila predikat mengikuti kinerja sebenarnya; "
        "paling kecil di bawah **{best}** ({best_top} dan {best_bottom}).",
        "Misjudgement costs: under the status quo the true top fifth is paid {top} less, and the true bottom fifth "
        "{bottom} more, than if predikat followed true performance; least under **{best}** ({best_top} and "
        "{best_bottom})."),
    "cap_winners": (
        "Perubahan TPP terhadap status quo per kelompok (persen dari TPP status quo kelompok itu, rata-rata {reps} "
        "replikasi); biru = naik, merah = turun. Kelompok kurang dari 5 orang tidak ditampilkan.",
        "TPP change against the status quo by group (percent of the group's status-quo TPP, mean of {reps} "
        "replications); blue = up, red = down. Groups of fewer than 5 people are not shown."),
    "table_title": ("Untung-rugi per paket", "Gains and losses by package"),
    "col_gain": ("TPP naik >5%", "TPP up >5%"), "col_loss": ("TPP turun >5%", "TPP down >5%"),
    "col_budget": ("Dampak anggaran TPP", "TPP budget impact"), "col_up": ("Predikat naik", "Better predikat"),
    "col_down": ("Predikat turun", "Worse predikat"), "col_top": ("Seperlima terbaik dibayar kurang", "True top fifth paid less"),
    "col_bottom": ("Seperlima terbawah dibayar lebih", "True bottom fifth paid more"),
    "kind_status": ("Status", "Status"), "kind_sex": ("Jenis kelamin", "Sex"),
    "kind_true_quintile": ("Kinerja sebenarnya", "True performance"), "kind_opd_kind": ("Jenis OPD", "Kind of office"),
    "kind_position_type": ("Jenis jabatan", "Position type"),
    "q5": ("seperlima terbaik", "top fifth"), "q1": ("seperlima terbawah", "bottom fifth"),
    "sex_L": ("laki-laki", "men"), "sex_P": ("perempuan", "women"),
}

#: Each measure of ``distribution.parquet`` in plain language (id, en).
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "tpp_gain_share": ("Porsi yang TPP-nya naik >5%", "Share whose TPP rises >5%"),
    "tpp_loss_share": ("Porsi yang TPP-nya turun >5%", "Share whose TPP falls >5%"),
    "tpp_unchanged_share": ("Porsi yang TPP-nya berubah ≤5%", "Share whose TPP changes ≤5%"),
    "tpp_change_idr_mean": ("Rata-rata perubahan TPP per orang (Rp)", "Mean TPP change per person (IDR)"),
    "tpp_change_pct": ("Perubahan TPP kelompok (% dari status quo)", "The group's TPP change (% of the status quo)"),
    "tpp_budget_impact_idr": ("Dampak anggaran TPP (Rp)", "TPP budget impact (IDR)"),
    "tpp_mean_idr": ("Rata-rata TPP per orang (Rp)", "Mean TPP per person (IDR)"),
    "predikat_up_share": ("Porsi yang predikatnya naik", "Share given a better predikat"),
    "predikat_down_share": ("Porsi yang predikatnya turun", "Share given a worse predikat"),
    "predikat_change_mean": ("Rata-rata perubahan predikat (tingkat; + = lebih baik)", "Mean predikat change (levels; + = better)"),
    "angka_kredit_change_mean": ("Rata-rata perubahan angka kredit", "Mean change of credit points"),
    "talent_pool_share_change": ("Perubahan porsi dalam talent pool", "Change of the share in the talent pool"),
    "improvement_path_share_change": ("Perubahan porsi di jalur perbaikan PP 30/2019", "Change of the share on the PP 30/2019 improvement path"),
    "dismissal_share_change": ("Perubahan porsi yang diberhentikan", "Change of the share dismissed"),
    "misjudgement_idr": ("Selisih dengan bayaran menurut kinerja sebenarnya (Rp)", "Difference from pay by true performance (IDR)"),
    "misjudgement_top_fifth_loss_idr": ("Seperlima terbaik dibayar kurang (Rp)", "True top fifth paid less (IDR)"),
    "misjudgement_bottom_fifth_gain_idr": ("Seperlima terbawah dibayar lebih (Rp)", "True bottom fifth paid more (IDR)"),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "all": ("Semua", "All"), "opd": ("OPD (urutan dalam daftar)", "OPD (position in the list)"),
    "opd_kind": ("Jenis OPD", "Kind of office"), "golongan": ("Golongan", "Golongan"),
    "position_type": ("Jenis jabatan", "Position type"), "sex": ("Jenis kelamin", "Sex"), "status": ("Status", "Status"),
    "true_quintile": ("Kuintil kinerja sebenarnya (5 = terbaik)", "True-performance quintile (5 = best)"),
}


#: The measures of the per-OPD sheet of ``report.xlsx``.
OPD_MEASURES = ("tpp_gain_share", "tpp_loss_share", "tpp_change_pct", "tpp_budget_impact_idr", "predikat_up_share",
                "predikat_down_share")


def workbook_table(dist: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The distribution summary for ``report.xlsx`` (labels for kinds and measures, arms as
    ``policy``) and the labels of the per-OPD sheet's measures."""
    k = 0 if lang == "id" else 1
    out = dist.rename(columns={"arm": "policy"}).copy()
    out["group_kind"] = out["group_kind"].map(lambda v: KIND_LABELS.get(v, (v, v))[k])
    out["measure"] = out["measure"].map(lambda v: MEASURE_LABELS.get(v, (v, v))[k])
    return out, tuple(MEASURE_LABELS[m][k] for m in OPD_MEASURES)


#: The group kinds of the winners-and-losers figure, in its order.
GROUP_KINDS_SHOWN = ("true_quintile", "status", "sex", "position_type", "opd_kind")


def _t(key: str, lang: str, **kw) -> str:
    return lookup_text(TEXT, key, lang, **kw)


def relabel_arms(dist: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The distribution summary with arm names replaced by their display labels."""
    out = dist.copy()
    out["arm"] = out["arm"].map(lambda name: labels.get(name, name))
    return out


def _whole(dist: pd.DataFrame) -> pd.DataFrame:
    """Group ``all``: arms as rows, measures as columns (one filter for every sentence and cell)."""
    rows = dist[dist["group_kind"] == "all"]
    return rows.pivot_table(index="arm", columns="measure", values="mean", sort=False, dropna=False)


def _col(whole: pd.DataFrame, measure: str) -> pd.Series:
    return whole[measure] if measure in whole.columns else pd.Series(dtype=float)


def summary_lines(shown: pd.DataFrame, dist: pd.DataFrame, info: RunInfo) -> list[str]:
    """The opening summary (Markdown lines), one per arm against the status quo, then misjudgement."""
    lang = info.lang
    arms = policy_labels(shown)
    base, others = arms[0], arms[1:]
    t = int(shown["period"].max()) + 1 if "period" in shown else 1
    lines = [_t("intro", lang, base=base, t=t)]
    validity = metric_rows(shown, "validity_spearman")["mean"]
    wait = metric_rows(shown, "wait_minutes_p90")["mean"]
    ikm = metric_rows(shown, "ikm")["mean"]
    whole = _whole(dist)
    budget = _col(whole, "tpp_budget_impact_idr")
    sq_cost = metric_rows(shown, "tpp_cost_idr")["mean"]
    unit = nf.rupiah_unit(budget.abs()) if len(budget) else (1e6, "juta", "million")
    for arm in others:
        b = budget.get(arm, np.nan)
        pct = b / sq_cost[base] if np.isfinite(b) and sq_cost.get(base) else np.nan
        budget_text = ("±" if np.isfinite(b) and abs(b) < 0.5 * unit[0] / 10 else ("+" if b > 0 else "")) + \
            nf.rupiah(b, lang, unit=unit)
        service = abs(wait.get(arm, np.nan) - wait.get(base, np.nan)) > 1e-9 or abs(ikm.get(arm, np.nan) - ikm.get(base, np.nan)) > 1e-9
        lines.append(_t("arm" if service else "arm_same_service", lang, arm=arm, up=nf.percent(_col(whole, "predikat_up_share").get(arm), lang),
                        down=nf.percent(_col(whole, "predikat_down_share").get(arm), lang),
                        gain=nf.percent(_col(whole, "tpp_gain_share").get(arm), lang),
                        loss=nf.percent(_col(whole, "tpp_loss_share").get(arm), lang),
                        budget=budget_text, pct=nf.signed_percent(pct, lang, 1),
                        v=nf.number(validity.get(arm), lang), v0=nf.number(validity.get(base), lang),
                        wait=nf.number(wait.get(arm), lang, 1), wait0=nf.number(wait.get(base), lang, 1),
                        ikm=nf.number(ikm.get(arm), lang, 1), ikm0=nf.number(ikm.get(base), lang, 1)))
    top, bottom = _col(whole, "misjudgement_top_fifth_loss_idr"), _col(whole, "misjudgement_bottom_fifth_gain_idr")
    if base in top.index and np.isfinite(top.get(base, np.nan)):
        total = (top + bottom).dropna()
        best = total.idxmin() if len(total) else base
        mu = nf.rupiah_unit(pd.concat([top, bottom]).abs())
        lines.append(_t("misjudged", lang, top=nf.rupiah(top[base], lang, unit=mu), bottom=nf.rupiah(bottom[base], lang, unit=mu),
                        best=best, best_top=nf.rupiah(top.get(best), lang, unit=mu),
                        best_bottom=nf.rupiah(bottom.get(best), lang, unit=mu)))
    return lines


def arm_table(dist: pd.DataFrame, lang: str, arms: list[str]) -> pd.DataFrame:
    """One row per arm (status quo first): who gains and loses, the budget impact and misjudgement."""
    cols = {"col_gain": "tpp_gain_share", "col_loss": "tpp_loss_share", "col_up": "predikat_up_share",
            "col_down": "predikat_down_share", "col_budget": "tpp_budget_impact_idr",
            "col_top": "misjudgement_top_fifth_loss_idr", "col_bottom": "misjudgement_bottom_fifth_gain_idr"}
    whole = _whole(dist)
    money = pd.concat([_col(whole, m) for m in cols.values() if m.endswith("_idr")]).abs()
    unit = nf.rupiah_unit(money)
    table = {}
    for key, measure in cols.items():
        values = _col(whole, measure).reindex(arms)
        table[_t(key, lang)] = [nf.rupiah(v, lang, unit=unit) if measure.endswith("_idr") else nf.percent(v, lang)
                                for v in values]
    out = pd.DataFrame(table, index=arms)
    out.index.name = "Paket" if lang == "id" else "Package"
    return out


def _group_label(kind: str, group: str, lang: str) -> str:
    if kind == "true_quintile":
        return {"5": _t("q5", lang), "1": _t("q1", lang)}.get(group, f"{'kuintil' if lang == 'id' else 'quintile'} {group}")
    if kind == "sex" and f"sex_{group}" in TEXT:
        return _t(f"sex_{group}", lang)
    return group.replace("_", " ")


def plot_winners_losers(dist: pd.DataFrame, ax, info: RunInfo, arms: list[str]):
    """Heat map of the TPP change (percent of the status quo's) by group (rows) and arm (columns),
    the status quo left out; diverging colours centred on zero, every cell labelled in the locale."""
    lang = info.lang
    shown = [a for a in arms[1:]]
    rows, labels, kinds = [], [], []
    d = dist[dist["measure"] == "tpp_change_pct"]
    for kind in GROUP_KINDS_SHOWN:
        part = d[d["group_kind"] == kind]
        groups = list(dict.fromkeys(part["group"]))
        if kind == "true_quintile":
            groups = sorted(groups, reverse=True)
        for g in groups:
            cell = part[part["group"] == g].set_index("arm")["mean"].reindex(shown)
            if cell.isna().all():
                continue
            rows.append(cell.to_numpy(float))
            labels.append(f"{_t(f'kind_{kind}', lang)}: {_group_label(kind, g, lang)}")
            kinds.append(kind)
    if not rows:
        ax.set_axis_off()
        return ax
    grid = np.vstack(rows)
    limit = float(np.nanmax(np.abs(grid))) or 1.0
    ax.imshow(grid, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if np.isfinite(grid[i, j]):
                dark = abs(grid[i, j]) > 0.6 * limit
                ax.text(j, i, nf.number(grid[i, j], lang, 1), ha="center", va="center", fontsize=6.5,
                        color="white" if dark else "#222")
    ax.set_xticks(range(len(shown)), [textwrap.shorten(a, 44, placeholder="…") for a in shown], fontsize=7,
                  rotation=35, ha="left", rotation_mode="anchor")
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    for i in range(1, len(kinds)):  # a rule between group kinds
        if kinds[i] != kinds[i - 1]:
            ax.axhline(i - 0.5, color="#333", lw=0.8)
    return ax
