"""Plain-language names of the rule-trail values ``kinerja case`` prints, in both languages.

Every component a built-in policy records (``Appraisal.components``) has a label here, and the
values that are codes (the three expectation levels, predikat codes, organisational predikat,
where the budget value came from) are shown by their labels: no code name reaches the reader.
Keys prefixed ``base_`` (a composite policy's base rule) read "Aturan dasar: <label>".
"""

from __future__ import annotations

from typing import Any

from simulate import numformat as nf
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT
from simulate.rules.permenpanrb_2022 import ORG_PREDIKAT

__all__ = ["TRAIL", "TRAIL_BY_RULE", "HIDDEN", "trail_name", "trail_value", "LEVELS", "ORG_LABELS", "OPD_KIND_LABELS",
           "POSITION_LABELS"]

#: Labels of the rule-trail values where a rule names a value differently from :data:`TRAIL`.
TRAIL_BY_RULE: dict[str, dict[str, tuple[str, str]]] = {
    "permenpanrb_2022": {
        "results_capaian": ("Tingkat hasil menurut capaian indikator", "Results level from indicator achievement"),
        "results_supervisor": ("Tingkat hasil menurut atasan", "Results level from the superior"),
        "behaviour_latent": ("Rata-rata penilaian perilaku (simpangan baku dari rata-rata)",
                             "Mean behaviour rating (standard deviations from the average)"),
    },
    "pp30_2019": {"behaviour": ("Nilai perilaku kerja (0-120)", "Behaviour value (0-120)"),
                  "skp": ("Nilai SKP (0-120)", "SKP value (0-120)")},
    "pp46_2011": {"behaviour": ("Nilai perilaku kerja (0-100)", "Behaviour value (0-100)"),
                  "skp": ("Nilai SKP (0-100, dengan bonus)", "SKP value (0-100, with bonuses)")},
    "forced_distribution": {"pool_size": ("Besar kelompok kuota (orang)", "Size of the quota pool (people)")},
    "rater_calibrated": {"behaviour": ("Tingkat perilaku setelah kalibrasi", "Behaviour level after calibration"),
                         "results": ("Tingkat hasil setelah kalibrasi", "Results level after calibration")},
}

#: Labels of every rule-trail value the built-in policies record.
TRAIL: dict[str, tuple[str, str]] = {
    # PermenPANRB 6/2022
    "results": ("Tingkat hasil kerja", "Results level"),
    "results_capaian": ("Capaian indikator (persen)", "Indicator achievement (percent)"),
    "results_supervisor": ("Penilaian hasil oleh atasan", "Superior's results rating"),
    "results_from_org": ("Hasil diambil dari capaian organisasi yang dipimpin", "Results taken from the led organisation"),
    "led_org_capaian": ("Capaian organisasi yang dipimpin (persen)", "Achievement of the led organisation (percent)"),
    "behaviour": ("Tingkat perilaku kerja", "Behaviour level"),
    "behaviour_latent": ("Rata-rata penilaian perilaku (simpangan baku)", "Mean behaviour rating (standard deviations)"),
    "predikat_quadrant": ("Predikat menurut kuadran (sebelum kurva)", "Predikat by the quadrant (before the curve)"),
    "moved_by_curve": ("Dipindah oleh kurva distribusi unit", "Moved by the unit's distribution curve"),
    "pool_size": ("Besar kelompok kurva (orang)", "Size of the curve pool (people)"),
    "org_capaian_pool": ("Capaian organisasi kelompok kurva (persen)", "Organisation achievement of the curve pool (percent)"),
    "org_predikat_pool": ("Predikat organisasi kelompok kurva", "Organisation predikat of the curve pool"),
    # PP 30/2019
    "n_main": ("Jumlah hasil kerja utama", "Main results"),
    "n_additional": ("Jumlah hasil kerja tambahan", "Additional results"),
    "value_main": ("Nilai hasil kerja utama (0-120)", "Main results value (0-120)"),
    "value_additional": ("Nilai hasil kerja tambahan (0-120)", "Additional results value (0-120)"),
    "skp": ("Nilai SKP", "SKP value"),
    "skp_from_supervisor": ("SKP diambil dari penilaian atasan (tanpa indikator)", "SKP taken from the superior (no indicator)"),
    "behaviour_sources": ("Jumlah sumber penilaian perilaku", "Behaviour rating sources"),
    "new_idea": ("Ide baru diakui", "New idea credited"),
    # PP 46/2011
    "n_activities": ("Jumlah kegiatan SKP", "SKP activities"),
    "quantity_mean": ("Rata-rata aspek kuantitas", "Mean quantity aspect"),
    "quality_mean": ("Rata-rata aspek kualitas", "Mean quality aspect"),
    "time_mean": ("Rata-rata aspek waktu", "Mean time aspect"),
    "cost_mean": ("Rata-rata aspek biaya", "Mean cost aspect"),
    "activity_mean": ("Rata-rata nilai kegiatan", "Mean activity value"),
    "extra_task_bonus": ("Bonus tugas tambahan", "Additional-task bonus"),
    "creativity_bonus": ("Bonus kreativitas", "Creativity bonus"),
    "skp_predikat": ("Sebutan nilai SKP", "SKP band"),
    "behaviour_orientasi_pelayanan": ("Orientasi pelayanan", "Service orientation"),
    "behaviour_integritas": ("Integritas", "Integrity"),
    "behaviour_komitmen": ("Komitmen", "Commitment"),
    "behaviour_disiplin": ("Disiplin", "Discipline"),
    "behaviour_kerja_sama": ("Kerja sama", "Cooperation"),
    "behaviour_kepemimpinan": ("Kepemimpinan", "Leadership"),
    "behaviour_predikat": ("Sebutan nilai perilaku", "Behaviour band"),
    # objective index
    "n_indicators": ("Jumlah indikator dalam indeks", "Indicators in the index"),
    "index": ("Indeks objektif (rata-rata skor baku)", "Objective index (mean standard score)"),
    "index_z": ("Indeks objektif dibakukan", "Standardised objective index"),
    "no_indicators": ("Tanpa indikator", "No indicator"),
    # citizen weighted
    "base_score": ("Nilai aturan dasar", "Score of the base rule"),
    "base_predikat": ("Predikat aturan dasar", "Predikat of the base rule"),
    "citizen_ikm": ("IKM unit (25-100)", "Unit IKM (25-100)"),
    "citizen_complaints_score": ("Skor pengaduan", "Complaints score"),
    "citizen_rating_score": ("Skor penilaian warga", "Citizen rating score"),
    "citizen_index": ("Indeks warga", "Citizen index"),
    "citizen_grade": ("Mutu layanan menurut warga", "Service grade by citizens"),
    "citizen_ordinal": ("Skor warga (1-5)", "Citizen score (1-5)"),
    "affected": ("Diubah oleh penilaian warga", "Changed by citizen feedback"),
    "combined_ordinal": ("Skor gabungan (1-5)", "Combined score (1-5)"),
    # target achievement
    "targets_value": ("Nilai capaian target (0-120)", "Target achievement value (0-120)"),
    "daily_log_value": ("Nilai log harian (persen rata-rata OPD)", "Daily-log value (percent of the OPD mean)"),
    "budget_value": ("Nilai realisasi anggaran (0-120)", "Budget realisation value (0-120)"),
    "budget_source": ("Sumber nilai anggaran", "Source of the budget value"),
    "mean_capaian": ("Rata-rata capaian (persen)", "Mean achievement (percent)"),
    "n_missed": ("Target tidak tercapai", "Targets missed"),
    "missed_target": ("Wajib menjelaskan target yang tidak tercapai", "Must account for a missed target"),
    # forced distribution
    "rank_by_score": ("Peringkat menurut nilai dalam kelompok (1 = terbaik)", "Rank by score in the pool (1 = best)"),
    "final_rank": ("Peringkat akhir dalam kelompok (1 = terbaik)", "Final rank in the pool (1 = best)"),
    "predikat_by_score": ("Predikat menurut nilai (sebelum kuota)", "Predikat by score (before the quota)"),
    "turn_holder": ("Mendapat giliran (rotasi atasan)", "Holds the turn (superior's rotation)"),
    "rotated": ("Dipindah oleh rotasi giliran", "Moved by the rotation of turns"),
    # rater calibrated
    "team_size": ("Besar tim penilai (orang)", "Rater's team size (people)"),
    "behaviour_raw": ("Penilaian perilaku sebelum kalibrasi (simpangan baku)", "Behaviour rating before calibration (SD)"),
    "behaviour_adjusted": ("Penilaian perilaku setelah kalibrasi (simpangan baku)", "Behaviour rating after calibration (SD)"),
    "rater_leniency": ("Kemurahan penilai yang dikoreksi", "Rater leniency corrected"),
    "rater_spread": ("Sebaran penilai yang dikoreksi", "Rater spread corrected"),
    "results_raw": ("Penilaian hasil sebelum kalibrasi (simpangan baku)", "Results rating before calibration (SD)"),
    "results_adjusted": ("Penilaian hasil setelah kalibrasi (simpangan baku)", "Results rating after calibration (SD)"),
    "rater_results_leniency": ("Kemurahan penilai atas hasil yang dikoreksi", "Rater results leniency corrected"),
    "rater_results_spread": ("Sebaran penilai atas hasil yang dikoreksi", "Rater results spread corrected"),
    "threshold_below": ("Batas di bawah ekspektasi (simpangan baku)", "Below-expectation threshold (SD)"),
    "threshold_above": ("Batas di atas ekspektasi (simpangan baku)", "Above-expectation threshold (SD)"),
}

#: Components that are bookkeeping (keys, orders, per-slot internals), not part of the trail shown.
HIDDEN_SUFFIXES = ("_key", "_priority", "_id")
HIDDEN = ("pool_id", "rater_key", "curve_priority")

#: The three expectation levels of PermenPANRB 6/2022.
LEVELS = (("di bawah ekspektasi", "below expectation"), ("sesuai ekspektasi", "meets expectation"),
          ("di atas ekspektasi", "above expectation"))
ORG_LABELS = {"istimewa": ("Istimewa", "Outstanding"), "baik": ("Baik", "Good"),
              "butuh_perbaikan": ("Butuh Perbaikan", "Needs improvement"), "kurang": ("Kurang", "Poor"),
              "sangat_kurang": ("Sangat Kurang", "Very poor")}
#: Kinds of OPD and position types as the reader names them.
OPD_KIND_LABELS = {"dukcapil": ("Dukcapil", "civil registry (Dukcapil)"), "puskesmas": ("Puskesmas", "primary health centre"),
                   "pendidikan": ("pendidikan", "education"), "kecamatan": ("kecamatan", "sub-district office"),
                   "back_office": ("pendukung (sekretariat, keuangan, perencanaan)",
                                   "back office (secretariat, finance, planning)")}
POSITION_LABELS = {"pelaksana": ("Pelaksana", "Operational staff (pelaksana)"),
                   "fungsional": ("Jabatan fungsional", "Functional official"),
                   "pengawas": ("Pengawas", "Supervisor (pengawas)"), "administrator": ("Administrator", "Administrator"),
                   "jpt": ("Jabatan pimpinan tinggi", "Senior executive (JPT)")}
_SOURCES = {"own": ("indikator anggaran sendiri", "own budget indicator"),
            "unit": ("rata-rata capaian unit", "the unit's mean achievement")}
_LEVEL_KEYS = {"results", "results_capaian", "results_supervisor", "behaviour"}
_PREDIKAT_KEYS = {"predikat", "predikat_quadrant", "skp_predikat", "behaviour_predikat", "base_predikat", "predikat_by_score"}
_LEVEL_RULES = {"permenpanrb_2022", "rater_calibrated"}


def _k(lang: str) -> int:
    return 0 if lang == "id" else 1


def shown(key: str) -> bool:
    """Whether a component belongs in the printed trail."""
    bare = key.removeprefix("base_")
    return not (key in HIDDEN or bare in HIDDEN or key.endswith(HIDDEN_SUFFIXES) or key.startswith("z_slot"))


def trail_name(key: str, rule: str, lang: str, base: str | None = None) -> str:
    """The label of trail value ``key`` of ``rule`` in ``lang``; ``base_<key>`` values of a
    composite rule are named as its base rule (``base``) names ``<key>``."""
    names = {**TRAIL, **TRAIL_BY_RULE.get(rule, {})}
    if key in names:
        return names[key][_k(lang)]
    bare = key.removeprefix("base_")
    base_names = {**TRAIL, **TRAIL_BY_RULE.get(base or "", {})}
    if bare != key and bare in base_names:
        return ("Aturan dasar: " if lang == "id" else "Base rule: ") + base_names[bare][_k(lang)]
    raise KeyError(key)


def trail_value(key: str, value: Any, rule: str, lang: str, base: str | None = None) -> str:
    """``value`` of trail entry ``key`` as the reader should see it (labels for codes, numbers in the locale)."""
    k = _k(lang)
    bare = key.removeprefix("base_")
    if bare != key and base is not None:
        key, rule = bare, base
    if isinstance(value, bool):
        return ("ya", "yes")[k] if value else ("tidak", "no")[k]
    if value is None or value == "":
        return "–"
    if key in _PREDIKAT_KEYS and isinstance(value, (int, float)):
        return (LABELS_ID if lang == "id" else LABELS_EN)[PREDIKAT[int(value)]]
    if key == "org_predikat_pool" or bare == "org_predikat_pool":
        return ORG_LABELS[ORG_PREDIKAT[int(value)]][k]
    if bare in _LEVEL_KEYS and isinstance(value, (int, float)) and (rule in _LEVEL_RULES or key != bare) \
            and float(value).is_integer() and -1 <= value <= 2:
        return ("tanpa indikator", "no indicator")[k] if value < 0 else LEVELS[int(value)][k]
    if key in ("rank_by_score", "final_rank") and isinstance(value, (int, float)):
        return nf.integer(int(value) + 1, lang)  # the rule counts from 0
    if key == "budget_source":
        return _SOURCES.get(str(value), (str(value),) * 2)[k]
    if key == "citizen_grade":
        return str(value)
    if isinstance(value, float):
        return nf.number(value, lang, 0 if value.is_integer() else 2)
    if isinstance(value, int):
        return nf.integer(value, lang)
    return str(value)
