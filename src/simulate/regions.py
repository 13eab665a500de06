"""The five regional cases of the seed articles, as runnable claims (DESIGN 7; issue 5).

Each region (Alak, Sawahlunto, Medan, Jambi, Makassar) is a preset under ``params/regions/``
whose policies list the status quo first and the region's system after it, plus a few
**variants** (named scenario overrides, e.g. a development-minded culture or yearly instead of
monthly citizen ratings) that :func:`run_region` runs with :func:`simulate.experiment.run_experiment`
on the same replication seeds (common random numbers across policies *and* variants).

An **arm** is one (variant, policy) pair. A **claim** is one sentence of the issue turned into a
number per replication:

* ``compare`` minus ``against`` at a period (``first``, ``last``, an index, or ``mean`` over
  periods), where each side is an arm, the difference of two arms (``("a", "b")``), a number
  (a threshold such as 16 working hours) or nothing (0);
* ``trend``: the same with every arm's value replaced by its change from the first to the last
  period;
* ``steps``: every period-to-period change of ``compare`` (one row per step, "period by period").

:func:`evaluate` computes the per-replication values, their mean and 95 % t interval over
replications; a claim **holds** when the interval excludes 0 in the expected direction.

The cases (each preset documents, setting by setting, the sentence of its article it encodes):

* **Alak** (``alak.yaml``): a yearly SKM in the results rating, the 2022 quadrant with the curve
  enforced, versus today's appraisal; variant ``budaya_pengembangan`` (culture 0.5).
* **Sawahlunto** (``sawahlunto.yaml``): monthly citizen ratings and SKM in a quantitative plus
  qualitative score, socialisation; variants ``penilaian_tahunan`` and ``tanpa_sosialisasi``.
* **Medan** (``medan.yaml``): superior-only scores versus scores with objective indicators, the
  e-performance self-report, training for all; variant ``tanpa_pelatihan``.
* **Jambi** (``jambi.yaml``): an objective index on low-contamination, real-time indicators versus
  today's appraisal; variants ``kontaminasi_tinggi`` and ``mudah_dimanipulasi``. "Measured
  indicators rise" is read from ``capaian_mean`` (the mean reported achievement), next to
  ``gaming_share`` (the effort diverted to the indicators) that lifts it.
* **Makassar** (``makassar.yaml``): cascaded targets, daily logs and achievement-linked TPP with
  accountability for missed targets, quarterly, at an overloaded Dukcapil; variant
  ``tanpa_akuntabilitas`` (where the counterfactual status quo lives).

:func:`reduced_overrides` shrinks a preset for fast tests without changing the load of its
counter-service offices.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from simulate.errors import UserError
from simulate.experiment import run_experiment, summarise
from simulate.metrics import GLOSSARY
from simulate.report import LANGS, check_language, lookup_text
from simulate.assemble import load_scenario, scenario_from_dict
from simulate.resources import params_dir
from simulate.yamlio import deep_merge
from simulate.scenario.schema import COUNTER_KINDS, Scenario

__all__ = [
    "BASE", "CLAIM_COLUMNS", "REGIONS", "SUMMARY_COLUMNS", "Arm", "Claim", "Region", "RegionResult", "RT",
    "Variant", "arm_frame", "arm_summary", "arms_for_metric", "caption", "context", "evaluate", "get_region",
    "load_region_scenario", "plot_claims", "plot_over_periods", "reduced_overrides", "region_for", "run_region",
    "save_figures",
]

Side = str | tuple[str, str] | float | int | None
PeriodSpec = int | Literal["first", "last", "mean", "trend", "steps"]

#: Columns of the claims table (:func:`evaluate`).
CLAIM_COLUMNS: tuple[str, ...] = (
    "region", "claim", "label_id", "label_en", "text_id", "text_en", "metric", "period", "compare", "against",
    "expected", "mean", "ci_low", "ci_high", "replications", "holds",
)
#: Columns of summary.csv (one row per arm, period and metric).
SUMMARY_COLUMNS: tuple[str, ...] = ("policy", "period", "metric", "mean", "ci_low", "ci_high")


@dataclass(frozen=True)
class Variant:
    """A named scenario override run beside the preset (the first variant is the preset itself)."""

    key: str
    overrides: dict[str, Any]
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Arm:
    """One policy of the preset under one variant: what the figures and claims compare."""

    key: str
    policy: str
    variant: str
    label_id: str
    label_en: str

    def label(self, lang: str) -> str:
        return (self.label_id, self.label_en)[LANGS.index(check_language(lang))]


@dataclass(frozen=True)
class Claim:
    """One sentence of the issue as a number per replication (see the module docstring)."""

    key: str
    label_id: str
    label_en: str
    text_id: str
    text_en: str
    metric: str
    compare: Side
    against: Side = None
    period: PeriodSpec = "last"
    expected: Literal["higher", "lower"] = "higher"
    subset: str = ""  #: population the metric is computed on, when not everybody (documentation)

    def text(self, lang: str) -> str:
        return (self.text_id, self.text_en)[LANGS.index(check_language(lang))]

    def label(self, lang: str) -> str:
        return (self.label_id, self.label_en)[LANGS.index(check_language(lang))]


@dataclass(frozen=True)
class Region:
    """A seed article's region: its preset, variants, arms and claims."""

    key: str
    name: str
    preset: str  #: file name under params/regions/
    article: str  #: seed file under shared/seeds/
    mechanism_id: str
    mechanism_en: str
    variants: tuple[Variant, ...]
    arms: tuple[Arm, ...]
    claims: tuple[Claim, ...]

    def mechanism(self, lang: str) -> str:
        return (self.mechanism_id, self.mechanism_en)[LANGS.index(check_language(lang))]

    def arm(self, key: str) -> Arm:
        for a in self.arms:
            if a.key == key:
                return a
        raise KeyError(f"{self.key}: no arm {key!r}; arms: {', '.join(a.key for a in self.arms)}")

    @property
    def path(self) -> Path:
        return params_dir() / "regions" / self.preset

    def variant_list(self) -> list[tuple[str, dict[str, Any]]]:
        return [(v.key, v.overrides) for v in self.variants]

    def figure_metrics(self) -> list[str]:
        """Metrics of the claims, in order of first appearance."""
        return list(dict.fromkeys(c.metric for c in self.claims))


# --------------------------------------------------------------------------------------------
# Bilingual text
# --------------------------------------------------------------------------------------------

_TEXT = {
    "title": ("Kasus daerah: {name}", "Regional case: {name}"),
    "context": (
        "Skenario **{scenario}** (preset `params/regions/{preset}`, artikel `shared/seeds/{article}`): {n:,} ASN "
        "sintetis, {periods} periode penilaian @ {months} bulan, {reps} replikasi Monte-Carlo (seed akar {seed}). "
        "Setiap lengan (kebijakan x varian) memakai populasi dan aliran acak yang sama di setiap replikasi.",
        "Scenario **{scenario}** (preset `params/regions/{preset}`, article `shared/seeds/{article}`): {n:,} synthetic "
        "ASN, {periods} appraisal periods of {months} months, {reps} Monte-Carlo replications (root seed {seed}). "
        "Every arm (policy x variant) uses the same population and random streams in each replication."),
    "mechanism": ("Mekanisme", "Mechanism"),
    "arms": ("Lengan yang dibandingkan", "Arms compared"),
    "claims": ("Klaim dan interval 95%", "Claims and 95% intervals"),
    "claims_note": (
        "Setiap klaim dihitung per replikasi sebagai selisih: nilai lengan dikurangi pembandingnya (lengan lain, "
        "sebuah ambang, atau periode lain dari lengan yang sama); rata-rata dan interval kepercayaan 95% (t) "
        "antar-replikasi. Klaim **terpenuhi** bila intervalnya tidak memuat 0 dan searah dengan yang diharapkan.",
        "Each claim is computed per replication as a difference: the arm's value minus what it is compared with "
        "(another arm, a threshold, or another period of the same arm); mean and 95% (t) confidence interval over "
        "replications. A claim **holds** when its interval excludes 0 in the expected direction."),
    "holds": ("terpenuhi", "holds"), "fails": ("tidak terpenuhi", "does not hold"),
    "higher": ("naik / lebih tinggi", "higher"), "lower": ("turun / lebih rendah", "lower"),
    "figures": ("Gambar", "Figures"),
    "glossary": ("Glosarium", "Glossary"),
    "col_claim": ("Klaim", "Claim"), "col_metric": ("Ukuran", "Metric"), "col_period": ("Periode", "Period"),
    "col_expected": ("Diharapkan", "Expected"), "col_mean": ("Rata-rata selisih", "Mean difference"),
    "col_interval": ("Interval 95%", "95% interval"), "col_result": ("Hasil", "Result"),
    "col_arm": ("Lengan", "Arm"), "col_policy": ("Kebijakan", "Policy"), "col_variant": ("Varian", "Variant"),
    "period_first": ("periode pertama", "first period"), "period_last": ("periode terakhir", "last period"),
    "period_mean": ("rata-rata semua periode", "mean over periods"),
    "period_trend": ("perubahan periode pertama ke terakhir", "change from first to last period"),
    "period_step": ("perubahan periode {a} ke {b}", "change from period {a} to {b}"),
    "period_k": ("periode {k}", "period {k}"),
    "axis_period": ("Periode ({months} bulan)", "Period ({months} months)"),
    "axis_difference": ("Selisih per replikasi (rata-rata, interval 95%)", "Difference per replication (mean, 95% interval)"),
    "cap_claims": (
        "Klaim kasus {name}: rata-rata selisih atas {reps} replikasi dengan interval 95%; hijau = terpenuhi, "
        "merah = tidak terpenuhi. Garis tegak = tidak ada perubahan. {n:,} ASN, {periods} periode @ {months} bulan.",
        "Claims of the {name} case: mean difference over {reps} replications with 95% intervals; green = holds, "
        "red = does not hold. Vertical line = no change. {n:,} ASN, {periods} periods of {months} months."),
    "cap_metric": (
        "{label} per periode ({months} bulan) untuk setiap lengan; garis = rata-rata {reps} replikasi, pita = "
        "interval 95%. Kasus {name}, {n:,} ASN.",
        "{label} by period ({months} months) for each arm; line = mean of {reps} replications, band = 95% "
        "interval. {name} case, {n:,} ASN."),
    "threshold": ("ambang {v:g}", "threshold {v:g}"),
    "col_against": ("Dibandingkan dengan", "Compared with"),
    "against_first": ("periode pertama lengan yang sama", "the same arm's first period"),
    "against_previous": ("periode sebelumnya lengan yang sama", "the same arm's previous period"),
    "nothing": ("0 (tanpa selisih)", "0 (no difference)"),
}


def RT(key: str, lang: str, **kwargs: Any) -> str:
    """Regional-case text ``key`` in ``lang`` (``id`` or ``en``), formatted with ``kwargs``."""
    return lookup_text(_TEXT, key, lang, **kwargs)


# --------------------------------------------------------------------------------------------
# The five regions
# --------------------------------------------------------------------------------------------

def _v(key: str, overrides: dict[str, Any], label_id: str, label_en: str) -> Variant:
    return Variant(key, overrides, label_id, label_en)


BASE = "dasar"  #: the variant that is the preset as written

ALAK = Region(
    key="alak", name="Alak (Kota Kupang)", preset="alak.yaml", article="000_6949b799f42721ff.txt",
    mechanism_id=(
        "Setiap tahun pemerintah setempat mengadakan survei kepuasan masyarakat (SKM). Hasilnya dipakai untuk "
        "memberi penghargaan kepada ASN berprestasi (promosi, pelatihan lanjutan) dan sebagai dasar perbaikan kinerja "
        "bagi yang belum memenuhi standar; keluhan masyarakat menjadi sinyal perbaikan. Artikel mencatat bahwa setelah "
        "penilaian yang lebih ketat waktu tunggu layanan berkurang, tetapi sebagian ASN merasa tertekan dan takut akan "
        "konsekuensinya; budaya kerja yang memandang penilaian sebagai alat pengembangan, bukan hukuman, disebut "
        "sebagai jalan keluarnya. Kontrafaktual: aturan nasional PermenPANRB 6/2022 sebagaimana dijalankan sekarang "
        "(hasil kerja dinilai atasan, kurva distribusi tidak ditegakkan)."),
    mechanism_en=(
        "Every year the local government runs a citizen satisfaction survey (SKM). Its results decide awards for "
        "high-performing ASN (promotion, further training) and are the basis for remediation of those below standard; "
        "complaints signal what to improve. The article reports that after the stricter appraisal waiting times fell, "
        "while some ASN felt pressured and feared the consequences; a work culture that treats appraisal as a tool "
        "for development rather than punishment is named as the way out. Counterfactual: the national PermenPANRB "
        "6/2022 rules as run today (results judged by the superior, the distribution curve not enforced)."),
    variants=(
        _v(BASE, {}, "preset (budaya belum berubah)", "preset (culture unchanged)"),
        _v("budaya_pengembangan", {"dynamics": {"culture": 0.5}},
           "budaya kerja pengembangan (culture 0,5)", "development-minded culture (culture 0.5)"),
    ),
    arms=(
        Arm("status_quo", "status_quo", BASE, "Status quo (PermenPANRB 6/2022)", "Status quo (PermenPANRB 6/2022)"),
        Arm("alak", "alak_skm", BASE, "Sistem Alak (SKM tahunan, lebih ketat)", "Alak system (yearly SKM, stricter)"),
        Arm("alak_budaya", "alak_skm", "budaya_pengembangan", "Sistem Alak + budaya pengembangan",
            "Alak system + development culture"),
    ),
    claims=(
        Claim("waktu_tunggu", "Waktu tunggu lebih singkat", "Shorter waits",
              "SKM tahunan yang menentukan penghargaan dan perbaikan, dengan penilaian lebih ketat, menurunkan rata-rata "
              "waktu tunggu setelah tiga tahun dibanding status quo.",
              "A yearly SKM driving awards and remediation, with stricter appraisal, lowers the mean waiting time after "
              "three years compared with the status quo.",
              "wait_minutes_mean", "alak", "status_quo", "last", "lower"),
        Claim("resistensi_tahun_pertama", "Resistensi naik di tahun pertama", "Resistance rises in year one",
              "Resistensi naik pada tahun pertama sistem baru dibanding status quo.",
              "Resistance rises in the first year of the new system compared with the status quo.",
              "resistance_mean", "alak", "status_quo", "first", "higher"),
        Claim("budaya_menurunkan_resistensi", "Budaya pengembangan menurunkan resistensi",
              "Development culture lowers resistance",
              "Budaya kerja yang memandang penilaian sebagai alat pengembangan menurunkan resistensi tahun pertama itu.",
              "A development-minded culture lowers that first-year resistance.",
              "resistance_mean", "alak_budaya", "alak", "first", "lower"),
    ),
)

SAWAHLUNTO = Region(
    key="sawahlunto", name="Sawahlunto", preset="sawahlunto.yaml", article="001_02a2735bb8824fc0.txt",
    mechanism_id=(
        "Di Dinas Kependudukan dan Pencatatan Sipil, setiap bulan masyarakat dapat menilai layanan yang mereka "
        "terima; hasilnya menjadi dasar evaluasi kinerja pegawai dan pemberian penghargaan. Penilaian mencakup aspek "
        "kuantitatif dan kualitatif, dan pegawai layanan dinilai antara lain dari kepuasan masyarakat. Sebagian ASN "
        "merasa terbebani oleh sistem baru; pemerintah daerah aktif mengadakan sosialisasi dan pelatihan. "
        "Kontrafaktual untuk validitas: sistem yang sama dengan penilaian masyarakat yang dikumpulkan setahun sekali."),
    mechanism_en=(
        "At the civil registry (Dukcapil) citizens can rate the service they received every month; the ratings are "
        "the basis for evaluating staff and giving awards. The appraisal covers quantitative and qualitative aspects, "
        "and service staff are judged partly on citizen satisfaction. Some ASN feel burdened by the new system; the "
        "local government actively runs socialisation and training. Counterfactual for validity: the same system "
        "with citizen ratings collected once a year."),
    variants=(
        _v(BASE, {}, "preset (penilaian bulanan, sosialisasi)", "preset (monthly ratings, socialisation)"),
        _v("penilaian_tahunan", {"citizens": {"surveys_per_year": 1, "citizen_ratings_per_staff": 1.0}},
           "penilaian masyarakat tahunan", "yearly citizen ratings"),
        _v("tanpa_sosialisasi", {"dynamics": {"socialisation": 0.0}}, "tanpa sosialisasi", "no socialisation"),
    ),
    arms=(
        Arm("status_quo", "status_quo", BASE, "Status quo (PermenPANRB 6/2022)", "Status quo (PermenPANRB 6/2022)"),
        Arm("sawahlunto", "sawahlunto", BASE, "Sistem Sawahlunto (penilaian bulanan)", "Sawahlunto system (monthly ratings)"),
        Arm("sawahlunto_tahunan", "sawahlunto", "penilaian_tahunan", "Sistem Sawahlunto, penilaian tahunan",
            "Sawahlunto system, yearly ratings"),
        Arm("sawahlunto_tanpa_sosialisasi", "sawahlunto", "tanpa_sosialisasi", "Sistem Sawahlunto tanpa sosialisasi",
            "Sawahlunto system without socialisation"),
    ),
    claims=(
        Claim("validitas_petugas_layanan", "Validitas petugas layanan naik", "Service staff validity rises",
              "Penilaian masyarakat bulanan yang dipakai dalam penilaian kinerja menaikkan validitas nilai petugas layanan "
              "dibanding penilaian tahunan.",
              "Monthly citizen ratings used in appraisal raise the validity of service staff's scores compared with "
              "yearly ratings.",
              "validity_counter_staff", "sawahlunto", "sawahlunto_tahunan", "mean", "higher",
              subset="petugas loket layanan / counter staff"),
        Claim("resistensi_turun_tiap_periode", "Resistensi turun tiap periode", "Resistance falls every period",
              "Dengan sosialisasi dan pelatihan, resistensi turun dari periode ke periode.",
              "With socialisation and training, resistance falls period by period.",
              "resistance_mean", "sawahlunto", None, "steps", "lower"),
        Claim("sosialisasi_menurunkan_resistensi", "Sosialisasi menurunkan resistensi", "Socialisation lowers resistance",
              "Sosialisasi dan pelatihan membuat resistensi pada periode terakhir lebih rendah daripada tanpa sosialisasi.",
              "Socialisation and training leave less resistance in the last period than without them.",
              "resistance_mean", "sawahlunto", "sawahlunto_tanpa_sosialisasi", "last", "lower"),
    ),
)

MEDAN = Region(
    key="medan", name="Medan", preset="medan.yaml", article="002_08ccadec38a0f186.txt",
    mechanism_id=(
        "Pemerintah Kota Medan menerapkan e-performance: ASN melaporkan dan memantau kinerjanya sendiri secara "
        "daring. Banyak ASN merasa penilaian tidak adil karena bergantung pada penilaian subjektif atasan; kriteria "
        "yang diusulkan adalah produktivitas (seberapa cepat dan tepat tugas diselesaikan, dokumen tanpa kesalahan) "
        "dan kualitas layanan. Pemerintah juga menyediakan pelatihan kompetensi teknis dan soft skills. "
        "Kontrafaktual: penilaian oleh atasan saja, tanpa indikator objektif."),
    mechanism_en=(
        "Medan runs e-performance: ASN report and monitor their own performance online. Many ASN feel appraisal is "
        "unfair because it rests on the superior's subjective judgement; the criteria proposed are productivity (how "
        "fast and accurately tasks are done, documents without errors) and service quality. The city also provides "
        "technical and soft-skill training. Counterfactual: appraisal by the superior alone, without objective "
        "indicators."),
    variants=(
        _v(BASE, {}, "preset (dengan pelatihan)", "preset (with training)"),
        _v("tanpa_pelatihan", {"dynamics": {"training_all": 0.0}}, "tanpa pelatihan", "no training"),
    ),
    arms=(
        Arm("status_quo", "status_quo", BASE, "Status quo (penilaian atasan)", "Status quo (superior's judgement)"),
        Arm("medan", "medan", BASE, "Sistem Medan (+ indikator produktivitas dan ketepatan)",
            "Medan system (+ productivity and accuracy indicators)"),
        Arm("medan_tanpa_pelatihan", "medan", "tanpa_pelatihan", "Sistem Medan tanpa pelatihan",
            "Medan system without training"),
    ),
    claims=(
        Claim("laporan_diri_lebih_tinggi", "Laporan diri di atas atasan", "Self-reports above supervisors",
              "Laporan diri e-performance lebih tinggi daripada penilaian atasan.",
              "E-performance self-reports sit above supervisor ratings.",
              "self_minus_supervisor_sd", "status_quo", None, "first", "higher"),
        Claim("porsi_penilai_turun", "Porsi varians penilai turun", "Rater variance share falls",
              "Menambah indikator objektif produktivitas dan ketepatan menurunkan porsi varians nilai yang berasal dari "
              "penilai.",
              "Adding objective productivity and accuracy indicators lowers the share of score variance due to raters.",
              "rater_variance_share", "medan", "status_quo", "first", "lower"),
        Claim("kinerja_naik", "Kinerja sebenarnya naik", "True performance rises",
              "Pelatihan teknis dan soft skills menaikkan kinerja sebenarnya dari waktu ke waktu.",
              "Technical and soft-skill training raises true performance over time.",
              "true_performance_mean", "medan", None, "trend", "higher"),
        Claim("pelatihan_menaikkan_kinerja", "Pelatihan menaikkan kinerja", "Training raises performance",
              "Pada periode terakhir kinerja sebenarnya lebih tinggi dengan pelatihan daripada tanpa pelatihan.",
              "In the last period true performance is higher with training than without.",
              "true_performance_mean", "medan", "medan_tanpa_pelatihan", "last", "higher"),
    ),
)

#: The education and health indicators Jambi's article names (programmes, learning outcomes; patients, service
#: time, standard care): the ones the variants make contaminated or gameable.
_JAMBI_INDICATORS = ("pendidikan_program", "pendidikan_hasil_belajar", "puskesmas_pasien", "puskesmas_waktu_layanan",
                     "puskesmas_standar")

JAMBI = Region(
    key="jambi", name="Jambi", preset="jambi.yaml", article="003_d528c996777239a1.txt",
    mechanism_id=(
        "Jambi menerapkan penilaian berbasis objektivitas: data dan fakta yang terukur, misalnya di Dinas Pendidikan "
        "jumlah program yang terlaksana, kepuasan masyarakat dan peningkatan hasil belajar siswa, dan di sektor "
        "kesehatan waktu pelayanan dan kepuasan pasien, dikumpulkan secara real-time. Sebagian ASN menolak karena "
        "merasa indikator yang ketat mengurangi fleksibilitas dan kreativitas. Kontrafaktual: penilaian nasional "
        "PermenPANRB 6/2022 dengan hasil kerja dinilai atasan. Varian menguji kapan indikator membantu: kontaminasi "
        "tinggi (faktor di luar kendali pegawai) dan indikator yang mudah dimanipulasi."),
    mechanism_en=(
        "Jambi appraises on measurable data and facts: in education the number of programmes delivered, citizen "
        "satisfaction and gains in students' learning outcomes; in health service time and patient satisfaction, "
        "collected in real time. Some ASN resist because strict indicators leave less flexibility and creativity. "
        "Counterfactual: the national PermenPANRB 6/2022 appraisal with results judged by the superior. Variants test "
        "when indicators help: high contamination (factors outside the employee's control) and easily gamed "
        "indicators."),
    variants=(
        _v(BASE, {}, "preset (kontaminasi rendah)", "preset (low contamination)"),
        # External factors (pupils' background, a puskesmas's catchment) take over the indicators: more of
        # their stable variance is contamination and less is the employee's own results.
        _v("kontaminasi_tinggi", {"work": {"indicators": {k: {"contamination": 0.55, "validity": 0.35}
                                                           for k in _JAMBI_INDICATORS}}},
           "kontaminasi tinggi (0,55; validitas indikator 0,35)", "high contamination (0.55; indicator validity 0.35)"),
        _v("mudah_dimanipulasi", {"work": {"indicators": {k: {"gameability": 2.0} for k in _JAMBI_INDICATORS}}},
           "indikator mudah dimanipulasi", "easily gamed indicators"),
    ),
    arms=(
        Arm("status_quo", "status_quo", BASE, "Status quo (PermenPANRB 6/2022)", "Status quo (PermenPANRB 6/2022)"),
        Arm("jambi", "jambi_objektif", BASE, "Sistem Jambi (indeks objektif)", "Jambi system (objective index)"),
        Arm("status_quo_kontaminasi", "status_quo", "kontaminasi_tinggi", "Status quo, kontaminasi tinggi",
            "Status quo, high contamination"),
        Arm("jambi_kontaminasi", "jambi_objektif", "kontaminasi_tinggi", "Sistem Jambi, kontaminasi tinggi",
            "Jambi system, high contamination"),
        Arm("status_quo_manipulasi", "status_quo", "mudah_dimanipulasi", "Status quo, indikator mudah dimanipulasi",
            "Status quo, easily gamed indicators"),
        Arm("jambi_manipulasi", "jambi_objektif", "mudah_dimanipulasi", "Sistem Jambi, indikator mudah dimanipulasi",
            "Jambi system, easily gamed indicators"),
    ),
    claims=(
        Claim("validitas_naik", "Validitas naik (kontaminasi rendah)", "Validity rises (low contamination)",
              "Indikator objektif menaikkan validitas bila kontaminasinya rendah.",
              "Objective indicators raise validity when contamination is low.",
              "validity_spearman", "jambi", "status_quo", "first", "higher"),
        Claim("kontaminasi_mengurangi_manfaat", "Kontaminasi mengurangi kenaikan validitas",
              "Contamination shrinks the validity gain",
              "Kenaikan validitas itu lebih kecil bila kontaminasi indikator tinggi.",
              "That validity gain is smaller when the indicators' contamination is high.",
              "validity_spearman", ("jambi_kontaminasi", "status_quo_kontaminasi"), ("jambi", "status_quo"),
              "first", "lower"),
        Claim("indikator_terukur_naik", "Indikator terukur naik", "Measured indicators rise",
              "Bila indikator mudah dimanipulasi, capaian indikator yang dilaporkan naik dibanding status quo.",
              "With high gameability the reported achievement of the measured indicators rises compared with the "
              "status quo.",
              "capaian_mean", "jambi_manipulasi", "status_quo_manipulasi", "last", "higher"),
        Claim("manipulasi_naik", "Manipulasi indikator naik", "Gaming of indicators rises",
              "Kenaikan itu datang dari manipulasi: upaya yang dialihkan ke indikator lebih besar dibanding status quo.",
              "That rise comes from gaming: more effort is diverted to the indicators than under the status quo.",
              "gaming_share", "jambi_manipulasi", "status_quo_manipulasi", "last", "higher"),
        Claim("mutu_tak_terukur_turun", "Mutu tak terukur turun", "Unmeasured quality falls",
              "Bila indikator mudah dimanipulasi, mutu layanan yang tidak diukur turun dibanding status quo.",
              "With high gameability unmeasured quality falls compared with the status quo.",
              "unmeasured_quality_mean", "jambi_manipulasi", "status_quo_manipulasi", "last", "lower"),
        Claim("resistensi_fleksibilitas", "Resistensi lebih tinggi bila kurang fleksibel",
              "More resistance with less flexibility",
              "Resistensi lebih tinggi bila indikator hanya menyisakan sedikit fleksibilitas: di bawah indeks objektif "
              "(nilai ditentukan indikator) dibanding status quo (penilaian atasan memberi ruang), pada periode terakhir.",
              "Resistance is higher where indicators leave little flexibility: under the objective index (indicators "
              "decide the score) than under the status quo (the superior's judgement leaves room), in the last period.",
              "resistance_mean", "jambi", "status_quo", "last", "higher"),
    ),
)

MAKASSAR = Region(
    key="makassar", name="Makassar", preset="makassar.yaml", article="004_b9f5f738f49a7143.txt",
    mechanism_id=(
        "Makassar mengintegrasikan penilaian kinerja dengan target strategis daerah: melalui aplikasi, setiap pegawai "
        "menginput kegiatan harian, realisasi anggaran dan capaian target, dan TPP mengikuti capaian. Pegawai yang "
        "tidak mencapai target harus menjelaskan alasannya (akuntabilitas). Di Dinas Kependudukan dan Pencatatan "
        "Sipil pegawai wajib memenuhi target waktu pengurusan dokumen (KTP, akta kelahiran); waktu layanan yang "
        "sebelumnya berhari-hari kini selesai dalam hitungan jam. Kontrafaktual: aturan nasional PermenPANRB 6/2022 "
        "tanpa kewajiban menjelaskan target yang tidak tercapai."),
    mechanism_en=(
        "Makassar ties appraisal to the city's strategic targets: in an app every employee enters daily activities, "
        "budget realisation and target achievement, and TPP follows achievement. Staff who miss a target must explain "
        "why (accountability). At the civil registry (Dukcapil) staff must meet time targets for documents (ID cards, "
        "birth certificates); service that used to take days now takes hours. Counterfactual: the national "
        "PermenPANRB 6/2022 rules without having to account for missed targets."),
    variants=(
        _v(BASE, {}, "preset (dengan akuntabilitas)", "preset (with accountability)"),
        _v("tanpa_akuntabilitas", {"dynamics": {"accountability": 0.0}}, "tanpa akuntabilitas", "no accountability"),
    ),
    arms=(
        Arm("status_quo", "status_quo", "tanpa_akuntabilitas", "Status quo (PermenPANRB 6/2022, tanpa akuntabilitas)",
            "Status quo (PermenPANRB 6/2022, no accountability)"),
        Arm("makassar", "makassar", BASE, "Sistem Makassar (target berjenjang, log harian, TPP, akuntabilitas)",
            "Makassar system (cascaded targets, daily logs, TPP, accountability)"),
        Arm("makassar_tanpa_akuntabilitas", "makassar", "tanpa_akuntabilitas", "Sistem Makassar tanpa akuntabilitas",
            "Makassar system without accountability"),
    ),
    claims=(
        Claim("dokumen_berhari_hari", "Awalnya berhari-hari", "Days at the start",
              "Pada periode pertama pengurusan dokumen Dukcapil memakan waktu berhari-hari (lebih dari 16 jam kerja).",
              "In the first period Dukcapil document processing takes days (more than 16 working hours).",
              "document_hours_mean", "status_quo", 16.0, "first", "higher", subset="Dukcapil"),
        Claim("dokumen_turun", "Waktu dokumen turun", "Document time falls",
              "Di bawah sistem Makassar waktu pengurusan dokumen turun dari periode pertama ke periode terakhir.",
              "Under the Makassar system document processing time falls from the first to the last period.",
              "document_hours_mean", "makassar", None, "trend", "lower", subset="Dukcapil"),
        Claim("dokumen_lebih_cepat", "Lebih cepat dari kontrafaktual", "Faster than the counterfactual",
              "Pada periode terakhir waktu pengurusan dokumen lebih singkat daripada kontrafaktual.",
              "In the last period document processing is faster than in the counterfactual.",
              "document_hours_mean", "makassar", "status_quo", "last", "lower", subset="Dukcapil"),
        Claim("dokumen_hitungan_jam", "Akhirnya hitungan jam", "Hours at the end",
              "Pada periode terakhir pengurusan dokumen di bawah sistem Makassar selesai dalam hitungan jam (kurang "
              "dari 16 jam kerja), tidak lagi berhari-hari.",
              "In the last period the Makassar system processes documents within hours (under 16 working hours), no "
              "longer days.",
              "document_hours_mean", "makassar", 16.0, "last", "lower", subset="Dukcapil"),
        Claim("akuntabilitas_menaikkan_upaya", "Akuntabilitas menaikkan upaya", "Accountability raises effort",
              "Kewajiban menjelaskan target yang tidak tercapai menaikkan upaya kerja.",
              "Having to account for missed targets raises effort.",
              "effort_mean", "makassar", "makassar_tanpa_akuntabilitas", "last", "higher"),
    ),
)

REGIONS: dict[str, Region] = {r.key: r for r in (ALAK, SAWAHLUNTO, MEDAN, JAMBI, MAKASSAR)}


def get_region(key: str) -> Region:
    try:
        return REGIONS[key]
    except KeyError:
        raise UserError(f"region: unknown region {key!r}; allowed: {', '.join(REGIONS)}") from None


def region_for(scenario: Scenario | str) -> Region:
    """The region a scenario belongs to, from its name (``alak``, ``alak-small``, ...)."""
    name = scenario if isinstance(scenario, str) else scenario.name
    for key, region in REGIONS.items():
        if name == key or name.startswith((f"{key}-", f"{key}_")):
            return region
    raise UserError(f"scenario name {name!r} is not one of the regional cases; its name must start with one of: "
                    f"{', '.join(REGIONS)}")


def load_region_scenario(region: Region | str, overrides: dict[str, Any] | None = None) -> Scenario:
    region = get_region(region) if isinstance(region, str) else region
    return load_scenario(region.path, overrides)


def reduced_overrides(scenario: Scenario, n_employees: int) -> dict[str, Any]:
    """Overrides that run ``scenario`` with fewer employees but the same counter-service offices.

    A queue's load depends on the absolute size of an office (servers = counter share x staff;
    arrivals are per office), and the generator makes ``round(staff of a kind / opd_size_mean)``
    offices of a kind, so simply lowering ``n_employees`` can turn a city's two Dukcapil offices
    of 75 staff into one of 45 and overload it. For every counter-service kind this keeps the
    expected staff per office of the preset (and so the load) and scales the number of offices
    with the population (at least one); the other kinds' shares fill the rest in their
    proportions. Used to make tests fast; the notebook runs the preset as written.
    """
    pop = scenario.population
    if n_employees >= pop.n_employees:
        return {"population": {"n_employees": int(n_employees)}}
    mix = dict(pop.opd_mix)
    keep: dict[str, float] = {}
    sizes: dict[str, float] = {}
    for kind in COUNTER_KINDS:
        share = mix.get(kind, 0.0)
        if share <= 0:
            continue
        staff = share * pop.n_employees
        offices = max(1, round(staff / pop.opd_size_mean[kind]))
        per_office = staff / offices
        offices_small = max(1, round(offices * n_employees / pop.n_employees))
        keep[kind] = offices_small * per_office / n_employees
        sizes[kind] = per_office
    if not keep or sum(keep.values()) >= 0.9:
        return {"population": {"n_employees": int(n_employees)}}
    rest = {k: v for k, v in mix.items() if k not in keep}
    scale = (1.0 - sum(keep.values())) / sum(rest.values())
    new_mix = {**{k: v * scale for k, v in rest.items()}, **keep}
    return {"population": {"n_employees": int(n_employees), "opd_mix": new_mix,
                           "opd_size_mean": {**pop.opd_size_mean, **sizes}}}


# --------------------------------------------------------------------------------------------
# Evaluating claims
# --------------------------------------------------------------------------------------------

def _arm_table(results: pd.DataFrame, region: Region, arm_key: str, metric: str) -> pd.DataFrame:
    """replication x period values of one arm and metric."""
    arm = region.arm(arm_key)
    q = results[(results["metric"] == metric) & (results["policy"] == arm.policy)]
    if "variant" in results.columns:
        q = q[q["variant"] == arm.variant]
    elif arm.variant != region.variants[0].key:
        q = q.iloc[0:0]
    if q.empty:
        raise UserError(f"{region.key}: no results for arm {arm_key!r} (policy {arm.policy!r}, variant "
                        f"{arm.variant!r}) and metric {metric!r}")
    return q.pivot_table(index="replication", columns="period", values="value", aggfunc="mean").sort_index(axis=1)


def _side_table(results: pd.DataFrame, region: Region, side: Side, metric: str) -> pd.DataFrame | float:
    if side is None:
        return 0.0
    if isinstance(side, (int, float)) and not isinstance(side, bool):
        return float(side)
    if isinstance(side, tuple):
        a, b = side
        return _arm_table(results, region, a, metric) - _arm_table(results, region, b, metric)
    return _arm_table(results, region, side, metric)


def _at(table: pd.DataFrame | float, period: PeriodSpec) -> pd.Series | float:
    if not isinstance(table, pd.DataFrame):
        return table
    cols = list(table.columns)
    if period == "first":
        return table[cols[0]]
    if period == "last":
        return table[cols[-1]]
    if period == "mean":
        return table.mean(axis=1)
    if period == "trend":
        return table[cols[-1]] - table[cols[0]]
    if isinstance(period, (int, np.integer)):
        if period not in table.columns:
            raise UserError(f"period {period}: not in the results (periods {cols[0]}..{cols[-1]})")
        return table[period]
    raise ValueError(f"period: must be first, last, mean, trend, steps or a period number, got {period!r}")


def _interval(values: np.ndarray) -> tuple[float, float, float, int]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(v.mean())
    if n < 2:
        return mean, float("nan"), float("nan"), n
    half = float(stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half, n


def _side_name(side: Side) -> str:
    if side is None:
        return ""
    if isinstance(side, tuple):
        return f"{side[0]} - {side[1]}"
    if isinstance(side, (int, float)):
        return f"{float(side):g}"
    return str(side)


def evaluate(region: Region | str, results: pd.DataFrame) -> pd.DataFrame:
    """The claims table of ``region`` from a results frame (one row per claim, or per step).

    ``results`` holds the experiment's tidy rows (``policy``, ``replication``, ``period``,
    ``metric``, ``value`` and, with variants, ``variant``). For each claim the value per
    replication is computed (see the module docstring) and summarised by its mean and 95 % t
    interval over replications; ``holds`` is True when the interval excludes 0 in the expected
    direction (``ci_low > 0`` for ``higher``, ``ci_high < 0`` for ``lower``).
    """
    region = get_region(region) if isinstance(region, str) else region
    rows = []
    for claim in region.claims:
        compare = _side_table(results, region, claim.compare, claim.metric)
        against = _side_table(results, region, claim.against, claim.metric)
        if claim.period == "steps":
            if not isinstance(compare, pd.DataFrame):
                raise ValueError(f"{claim.key}: 'steps' needs an arm to compare")
            cols = list(compare.columns)
            diff = compare - against
            pieces = [(f"{a}->{b}", diff[b] - diff[a]) for a, b in pairwise(cols)]
        else:
            value = _at(compare, claim.period) - _at(against, claim.period)
            pieces = [(str(claim.period), value)]
        for period_label, value in pieces:
            arr = np.atleast_1d(np.asarray(value, dtype=float))
            mean, lo, hi, n = _interval(arr)
            holds = bool(lo > 0) if claim.expected == "higher" else bool(hi < 0)
            rows.append({
                "region": region.key, "claim": claim.key, "label_id": claim.label_id, "label_en": claim.label_en,
                "text_id": claim.text_id, "text_en": claim.text_en, "metric": claim.metric, "period": period_label,
                "compare": _side_name(claim.compare), "against": _side_name(claim.against),
                "expected": claim.expected, "mean": mean, "ci_low": lo, "ci_high": hi, "replications": n,
                "holds": holds,
            })
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def arm_frame(region: Region, results: pd.DataFrame) -> pd.DataFrame:
    """The results rows of the region's arms, with an ``arm`` column (arms in their configured order)."""
    parts = []
    for arm in region.arms:
        q = results[results["policy"] == arm.policy]
        if "variant" in results.columns:
            q = q[q["variant"] == arm.variant]
        elif arm.variant != region.variants[0].key:
            continue
        parts.append(q.assign(arm=arm.key))
    return pd.concat(parts, ignore_index=True) if parts else results.iloc[0:0].assign(arm=pd.Series(dtype=str))


def arm_summary(region: Region, results: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % interval per arm, period and metric (``policy`` holds the arm key)."""
    frame = arm_frame(region, results)
    s = summarise(frame.drop(columns=["policy"] + [c for c in ("variant",) if c in frame]).rename(columns={"arm": "policy"}))
    return s


# --------------------------------------------------------------------------------------------
# Running a region
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class RegionResult:
    """A region's run: the results of every variant and policy, and the claims table.

    ``to_frame()`` is the claims table (one row per claim or step, :data:`CLAIM_COLUMNS`);
    ``summary()`` the per-arm means and intervals by period; ``results`` the raw tidy rows.
    """

    region: Region
    scenario: Scenario
    results: pd.DataFrame
    claims: pd.DataFrame
    replications: int
    seed: int
    seconds: float
    results_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.claims

    def summary(self) -> pd.DataFrame:
        return arm_summary(self.region, self.results)

    @property
    def all_hold(self) -> bool:
        return bool(self.claims["holds"].all())

    def claims_table(self, lang: str = "id") -> pd.DataFrame:
        """The claims for people: label, arm, what it is compared with, metric, period, expected
        direction, mean difference [interval], result."""
        idx = LANGS.index(check_language(lang))
        c = self.claims
        by_key = {cl.key: cl for cl in self.region.claims}
        return pd.DataFrame({
            RT("col_claim", lang): c[f"label_{lang}"],
            RT("col_arm", lang): [_side_text(self.region, by_key[k].compare, lang) for k in c["claim"]],
            RT("col_against", lang): [_against_text(self.region, by_key[k], p, lang) for k, p in zip(c["claim"], c["period"])],
            RT("col_metric", lang): [GLOSSARY[m][idx] for m in c["metric"]],
            RT("col_period", lang): [_period_text(p, lang) for p in c["period"]],
            RT("col_expected", lang): [RT(e, lang) for e in c["expected"]],
            RT("col_mean", lang): [_fmt_interval(m, a, b)[0] for m, a, b in zip(c["mean"], c["ci_low"], c["ci_high"])],
            RT("col_interval", lang): [_fmt_interval(m, a, b)[1] for m, a, b in zip(c["mean"], c["ci_low"], c["ci_high"])],
            RT("col_result", lang): [RT("holds" if h else "fails", lang) for h in c["holds"]],
        })

    def arms_table(self, lang: str = "id") -> pd.DataFrame:
        """The arms compared: label, policy of the preset, variant."""
        labels = {v.key: (v.label_id, v.label_en)[LANGS.index(check_language(lang))] for v in self.region.variants}
        return pd.DataFrame({
            RT("col_arm", lang): [a.label(lang) for a in self.region.arms],
            RT("col_policy", lang): [a.policy for a in self.region.arms],
            RT("col_variant", lang): [labels[a.variant] for a in self.region.arms],
        })

    def _repr_html_(self) -> str:
        from simulate.evidence import frame_html

        held = int(self.claims["holds"].sum())
        return frame_html(f"{self.region.name}: {held} of {len(self.claims)} claims hold "
                          f"({self.replications} replications, seed {self.seed}, {self.seconds:.1f} s)",
                          self.claims[["claim", "metric", "period", "compare", "against", "expected", "mean",
                                       "ci_low", "ci_high", "holds"]])


def _decimals(*values: float) -> int:
    """Decimals that show a mean and its interval on one footing (by the largest of them)."""
    finite = [abs(v) for v in values if np.isfinite(v)]
    a = max(finite) if finite else 0.0
    return 4 if a < 0.1 else 3 if a < 10 else 1 if a < 1000 else 0


def _fmt(v: float, decimals: int | None = None) -> str:
    if not np.isfinite(v):
        return "-"
    d = _decimals(v) if decimals is None else decimals
    return f"{v:,.{d}f}"


def _fmt_interval(mean: float, lo: float, hi: float) -> tuple[str, str]:
    d = _decimals(mean, lo, hi)
    return _fmt(mean, d), f"[{_fmt(lo, d)}, {_fmt(hi, d)}]"


def _side_text(region: Region, side: Side, lang: str) -> str:
    if side is None:
        return "-"
    if isinstance(side, tuple):
        return f"({region.arm(side[0]).label(lang)}) - ({region.arm(side[1]).label(lang)})"
    if isinstance(side, (int, float)):
        return RT("threshold", lang, v=float(side))
    return region.arm(side).label(lang)


def _against_text(region: Region, claim: Claim, period: str, lang: str) -> str:
    if claim.against is None:
        if claim.period == "trend":
            return RT("against_first", lang)
        if claim.period == "steps":
            return RT("against_previous", lang)
        return RT("nothing", lang)
    return _side_text(region, claim.against, lang)


def _period_text(p: str, lang: str) -> str:
    if p in ("first", "last", "mean", "trend"):
        return RT(f"period_{p}", lang)
    if "->" in p:
        a, b = p.split("->")
        return RT("period_step", lang, a=int(a) + 1, b=int(b) + 1)
    return RT("period_k", lang, k=int(p) + 1)


def run_region(
    region: Region | str,
    replications: int,
    seed: int | None = None,
    out_dir: str | Path | None = None,
    *,
    scenario: Scenario | None = None,
    overrides: dict[str, Any] | None = None,
    n_employees: int | None = None,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    periods: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegionResult:
    """Run a region's preset (or ``scenario``) with every variant and evaluate its claims.

    Parameters
    ----------
    region : Region or str
        One of :data:`REGIONS`.
    replications, seed :
        Monte-Carlo replications and root seed (default: the scenario's seed).
    out_dir : path, optional
        Folder for ``results.parquet`` (a temporary file when omitted).
    scenario : Scenario, optional
        The scenario to run (e.g. a notebook's, with injected parameters); default the preset.
    overrides : dict, optional
        Scenario overrides merged over the preset (ignored when ``scenario`` is given).
    n_employees : int, optional
        Run with fewer employees but the same counter-service offices (:func:`reduced_overrides`).
    executor, workers, scheduler, periods, progress :
        As in :func:`simulate.experiment.run_experiment`.
    """
    region = get_region(region) if isinstance(region, str) else region
    if scenario is None:
        scenario = load_region_scenario(region, overrides)
    if n_employees is not None:

        scenario = scenario_from_dict(deep_merge(scenario.model_dump(mode="json"),
                                                 reduced_overrides(scenario, n_employees)),
                                      source=f"{region.key} with {n_employees} employees")
    names = {p.name for p in scenario.policies}
    missing = sorted({a.policy for a in region.arms} - names)
    if missing:
        raise UserError(f"{scenario.name}: policies {', '.join(missing)} of the {region.name} case are missing; "
                        f"the scenario lists {', '.join(sorted(names))}")
    root = scenario.seed if seed is None else int(seed)
    if out_dir is None:
        import tempfile

        out_dir = Path(tempfile.mkdtemp(prefix=f"kinerja-{region.key}-"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.parquet"
    started = time.perf_counter()
    exp = run_experiment(scenario, replications, path, seed=root, executor=executor, workers=workers,
                         scheduler=scheduler, periods=periods, variants=region.variant_list(), progress=progress)
    results = exp.results()
    claims = evaluate(region, results)
    return RegionResult(region=region, scenario=scenario, results=results, claims=claims, replications=replications,
                        seed=root, seconds=time.perf_counter() - started, results_path=path)


# --------------------------------------------------------------------------------------------
# Figures (Axes in, Axes out) and captions
# --------------------------------------------------------------------------------------------

_ARM_COLORS = ["#7f7f7f", "#1f4e79", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e"]


def plot_claims(claims: pd.DataFrame, ax, lang: str = "id"):
    """Forest plot of the claims table: each claim's mean with its 95 % interval, coloured by ``holds``."""
    c = claims.reset_index(drop=True)
    y = np.arange(len(c))[::-1]
    labels = [f"{lab} ({_period_text(p, lang)})" if p.count("->") else lab
              for lab, p in zip(c[f"label_{lang}"], c["period"])]
    for yi, (_, row) in zip(y, c.iterrows()):
        color = "#1b9e77" if row["holds"] else "#d62728"
        lo, hi = row["ci_low"], row["ci_high"]
        scale = max(abs(row["mean"]), abs(lo) if np.isfinite(lo) else 0, abs(hi) if np.isfinite(hi) else 0) or 1.0
        # Each claim on its own scale (metrics differ in units): the interval relative to its largest end.
        ax.errorbar(row["mean"] / scale, yi, xerr=[[(row["mean"] - lo) / scale], [(hi - row["mean"]) / scale]]
                    if np.isfinite(lo) else None, fmt="o", color=color, capsize=3)
        ax.text(1.02, yi, " ".join(_fmt_interval(row["mean"], lo, hi)), fontsize=7, va="center",
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

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
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
