"""The report's caveats, built from the parameters a run actually used.

Each caveat says which figures are illustrative, which rule a number follows and which assumption
a conclusion rests on, in the reader's language. Nothing here is boilerplate: a caveat appears
only when the scenario's parameters make it true (the shipped TPP amounts, the KLHK cut table, a
budget cap, a one-period run, ...).
"""

from __future__ import annotations

from simulate import numformat as nf
from simulate.report import lookup_text
from simulate.labels import arm_labels, scheme_labels
from simulate.rewards import get_reward
from simulate.scenario.schema import Scenario

__all__ = ["caveats", "TEXT"]

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Catatan dan asumsi", "Caveats and assumptions"),
    "synthetic": (
        "Semua pegawai, bukti kinerja dan warga adalah sintetis (skenario {name}, {n} ASN): angka menunjukkan apa "
        "yang dilakukan aturan penilaian pada sebuah pemerintah daerah tiruan yang dikalibrasi ke riset terbitan, "
        "bukan hasil daerah tertentu.",
        "Every employee, piece of evidence and citizen is synthetic (scenario {name}, {n} ASN): the figures show what "
        "the appraisal rules do to a simulated local government calibrated to published research, not the results "
        "of any real region."),
    "status_quo": (
        "Status quo (pembanding setiap kebijakan) adalah **{label}**.",
        "The status quo (what every policy is compared with) is **{label}**."),
    "tpp_amounts": (
        "{scheme}: besaran TPP per kelas jabatan adalah angka ilustratif bawaan (tabel {table}), bukan Perkada daerah "
        "mana pun; biaya dalam rupiah hanya bermakna sebagai perbandingan antar-kebijakan. Ganti dengan tabel daerah "
        "Anda (amounts_table).",
        "{scheme}: the TPP amounts per position class are the shipped illustrative figures (table {table}), not any "
        "region's Perkada; the rupiah costs are meaningful only as comparisons between policies. Replace them with "
        "your region's table (amounts_table)."),
    "tpp_own_table": (
        "{scheme}: besaran TPP dari tabel {table}.",
        "{scheme}: TPP amounts from table {table}."),
    "amount_scale": (
        "{scheme}: setiap besaran dikalikan {scale}.",
        "{scheme}: every amount is multiplied by {scale}."),
    "cut_klhk": (
        "{scheme}: potongan menurut predikat mengikuti Permen LHK 6/2024 (dibayar 100/100/90/85/80% untuk Sangat "
        "Baik sampai Sangat Kurang) pada {applies}, aturan satu kementerian yang dipakai sebagai contoh; daerah "
        "menetapkan potongannya sendiri.",
        "{scheme}: the cut by predikat follows Permen LHK 6/2024 (100/100/90/85/80% paid for Sangat Baik to Sangat "
        "Kurang) on {applies}, one ministry's rule used as an example; regions set their own cuts."),
    "cut_bakamla": (
        "{scheme}: potongan menurut predikat mengikuti Perban Bakamla 1/2023 (dikurangi 1% dan 2% untuk Kurang dan "
        "Sangat Kurang) pada {applies}.",
        "{scheme}: the cut by predikat follows Perban Bakamla 1/2023 (1% and 2% less for Kurang and Sangat Kurang) "
        "on {applies}."),
    "cut_custom": (
        "{scheme}: persen dibayar menurut predikat ditetapkan skenario ({percents}) pada {applies}.",
        "{scheme}: the percent paid by predikat is set by the scenario ({percents}) on {applies}."),
    "applies_productivity": ("komponen produktivitas ({share} dari TPP)", "the productivity component ({share} of TPP)"),
    "applies_total": ("seluruh TPP", "the whole allowance"),
    "discipline": (
        "{scheme}: komponen disiplin dipotong untuk keterlambatan dan ketidakhadiran menurut tabel Permentan 68/2012.",
        "{scheme}: the discipline component is cut for late arrivals and absences by the Permentan 68/2012 table."),
    "budget_cap": (
        "{scheme}: pagu {cap} per periode; pembayaran di atas pagu dipotong proporsional.",
        "{scheme}: a budget cap of {cap} per period; payments above it are cut proportionally."),
    "pay_linked": (
        "Nilai menentukan TPP, sehingga atasan menaikkan nilai (inflasi karena taruhan, Jawahar & Williams 1997); "
        "kebijakan yang tidak memakai nilai atasan tidak terkena efek ini.",
        "Ratings decide pay, so superiors rate higher (stakes inflation, Jawahar & Williams 1997); policies that do "
        "not use the superior's rating escape this effect."),
    "one_period": (
        "Satu periode penilaian: pelayanan (waktu tunggu, IKM) belum berubah karena pegawai belum menyesuaikan "
        "perilakunya; jalankan beberapa periode (--periods) untuk melihat efek perilaku.",
        "One appraisal period: service (waiting times, IKM) has not changed yet because staff have not adjusted their "
        "behaviour; run several periods (--periods) to see behavioural effects."),
    "many_periods": (
        "{periods} periode penilaian: efek perilaku (upaya, permainan angka, penolakan) mengikuti model perilaku "
        "simulasi, yang parameternya sebagian berstatus [unverified]; lihat kinerja list --parameters.",
        "{periods} appraisal periods: behavioural effects (effort, gaming, resistance) follow the simulation's "
        "behaviour model, some of whose parameters are [unverified]; see kinerja list --parameters."),
    "curve": (
        "{label}: kurva distribusi {mode}.",
        "{label}: distribution curve {mode}."),
    "curve_off": ("tidak dipakai", "not used"),
    "curve_warn": ("hanya dicatat (tidak mengubah predikat)", "only noted (predikat unchanged)"),
    "curve_enforce": ("ditegakkan per {pool}", "enforced per {pool}"),
    "pool_unit": ("tim penilaian", "appraisal team"),
    "pool_opd": ("perangkat daerah", "perangkat daerah"),
}


def _t(key: str, lang: str, **kw) -> str:
    return lookup_text(TEXT, key, lang, **kw)


def _tpp_lines(spec, label: str, lang: str) -> list[str]:
    params = get_reward("tpp").params.model_validate(dict(spec.params))
    out = []
    if params.amounts_table == "tpp_amounts":
        out.append(_t("tpp_amounts", lang, scheme=label, table=params.amounts_table))
    else:
        out.append(_t("tpp_own_table", lang, scheme=label, table=params.amounts_table))
    if params.amount_scale != 1:
        out.append(_t("amount_scale", lang, scheme=label, scale=nf.number(params.amount_scale, lang, 2)))
    applies = (_t("applies_total", lang) if params.predikat_applies_to == "total" else
               _t("applies_productivity", lang, share=nf.percent(params.productivity_share, lang, 0)))
    if params.predikat_paid_percent:
        percents = "/".join(nf.number(params.predikat_paid_percent[k], lang, 0)
                            for k in ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"))
        out.append(_t("cut_custom", lang, scheme=label, percents=percents + "%", applies=applies))
    else:
        out.append(_t(f"cut_{params.predikat_scheme}", lang, scheme=label, applies=applies))
    if params.discipline_deductions:
        out.append(_t("discipline", lang, scheme=label))
    if params.budget_cap_idr is not None:
        out.append(_t("budget_cap", lang, scheme=label, cap=nf.rupiah(params.budget_cap_idr, lang)))
    return out


def caveats(scenario: Scenario, lang: str = "id", periods: int | None = None) -> list[str]:
    """The caveats of a run of ``scenario`` over ``periods`` (default: the scenario's), as Markdown lines."""
    periods = scenario.dynamics.periods if periods is None else periods
    arms = arm_labels(scenario, lang)
    schemes = scheme_labels(scenario, lang)
    lines = [_t("synthetic", lang, name=scenario.name, n=nf.integer(scenario.population.n_employees, lang)),
             _t("status_quo", lang, label=next(iter(arms.values())))]
    used = {}  # every scheme some arm runs (an arm may bring its own: a reform package)
    for arm in scenario.policies:
        for spec in (scenario.rewards if arm.rewards is None else arm.rewards):
            used.setdefault(spec.name, spec)
    for spec in used.values():
        if spec.rule == "tpp":
            lines += _tpp_lines(spec, schemes[spec.name], lang)
    if scenario.appraisal.pay_linked:
        lines.append(_t("pay_linked", lang))
    for spec in scenario.policies:
        if spec.rule == "permenpanrb_2022":
            mode = str(spec.params.get("curve", "warn"))
            pool = _t(f"pool_{spec.params.get('curve_pool', 'unit')}", lang)
            lines.append(_t("curve", lang, label=arms[spec.name], mode=_t(f"curve_{mode}", lang, pool=pool)))
    lines.append(_t("one_period", lang) if periods <= 1 else _t("many_periods", lang, periods=periods))
    return lines
