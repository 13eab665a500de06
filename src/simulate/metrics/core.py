"""Metrics of one policy in one period, each computed against the hidden truth (DESIGN 3.9).

Every function is deterministic. :func:`policy_metrics` returns the fixed set of metric names
the results schema uses (``METRICS``); :data:`GLOSSARY` explains each in Bahasa Indonesia and
English for reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from simulate.evidence import Evidence, Truth
from simulate.metrics.classification import (
    CONFUSION_METRICS,
    TOP_SHARE,
    _classification,
    _reference_from_order,
    classification,
    confusion_glossary,
)
from simulate.metrics.indicators import (
    INDICATOR_METRICS,
    RATING_METRICS,
    indicator_metrics,
    kind_truth_ranks,
    kind_validity,
    rating_metrics,
)
from simulate.metrics.ranks import _sorted_ranks, average_ranks, sorted_ranks
from simulate.metrics.variance import _UnitTerm, _variance_shares, rater_variance_share, unit_covariates, variance_shares
from simulate.predikat import PREDIKAT
from simulate.structure import Structure

__all__ = [
    "METRICS", "DYNAMIC_METRICS", "ALL_METRICS", "GLOSSARY", "policy_metrics", "ranking_score", "validity_spearman",
    "rater_variance_share", "variance_shares", "unit_covariates", "average_ranks", "metric_context", "MetricContext",
    "classification", "fairness_gap", "service_metrics",
]

#: Metric names in the results schema (order used in tables).
METRICS: tuple[str, ...] = (
    "validity_spearman", "rater_variance_share", "unit_variance_share", "top_precision", "top_recall", "bottom_precision",
    "bottom_recall", "misclassification_rate", "share_sangat_baik", "share_baik",
    "share_butuh_perbaikan", "share_kurang", "share_sangat_kurang", "fairness_gap_sex",
    "fairness_gap_status", "fairness_gap_ingroup", "wait_minutes_median", "wait_minutes_p90",
    "overloaded_points", "backlog_days_max", "ikm",
    "complaints_per_1000", "true_performance_mean", "tpp_cost_idr",
) + RATING_METRICS + CONFUSION_METRICS

#: Behaviour metrics added by :mod:`simulate.dynamics` (by period).
DYNAMIC_METRICS: tuple[str, ...] = (
    "effort_mean", "resistance_mean", "perceived_fairness_mean", "gaming_share", "capaian_mean",
    "unmeasured_quality_mean", "turnover_rate", "document_hours_mean", "self_minus_supervisor_sd", "validity_counter_staff",
)
ALL_METRICS: tuple[str, ...] = METRICS + DYNAMIC_METRICS

#: metric -> (label_id, label_en, explanation_id, explanation_en, better: 'higher'|'lower'|'')
GLOSSARY: dict[str, tuple[str, str, str, str, str]] = {
    "validity_spearman": ("Validitas (Spearman)", "Validity (Spearman)",
        "Korelasi peringkat antara nilai/predikat dan kinerja sebenarnya (tersembunyi). 1 = urutan sempurna, 0 = tidak berhubungan.",
        "Rank correlation between the score or predikat and true (hidden) performance. 1 = perfect order, 0 = unrelated.", "higher"),
    "rater_variance_share": ("Porsi varians penilai", "Rater variance share",
        "Bagian variasi nilai yang berasal dari siapa penilainya (komponen varians antar-penilai), setelah kinerja sebenarnya dan guncangan bersama unit kerja dikeluarkan. 0 bila nilai tidak bergantung pada penilai, misalnya indeks objektif tanpa penilai.",
        "Share of score variance due to who the rater is (between-rater variance component), once true performance and the shocks shared by the work unit are taken out. 0 when scores do not depend on a rater, e.g. an objective index no rater touches.", "lower"),
    "unit_variance_share": ("Porsi varians unit kerja", "Unit variance share",
        "Bagian variasi nilai yang berasal dari keadaan unit kerja yang tidak dikendalikan pegawai (indikator yang tercemar guncangan bersama unit, capaian organisasi), pada kinerja sebenarnya yang sama. Ada dengan atau tanpa penilai.",
        "Share of score variance due to the work unit's circumstances the employee does not control (indicators contaminated by shocks the unit shares, the organisation's achievement), at equal true performance. Present with or without a rater.", "lower"),
    "top_precision": ("Presisi predikat teratas", "Top precision",
        "Dari pegawai berpredikat Sangat Baik, berapa bagian yang benar-benar termasuk 10% terbaik.",
        "Of those rated Sangat Baik, the share truly in the top 10%.", "higher"),
    "top_recall": ("Cakupan predikat teratas", "Top recall",
        "Dari 10% pegawai terbaik sebenarnya, berapa bagian yang mendapat Sangat Baik.",
        "Of the true top 10%, the share rated Sangat Baik.", "higher"),
    "bottom_precision": ("Presisi predikat bawah", "Bottom precision",
        "Dari pegawai berpredikat Butuh Perbaikan atau lebih rendah, berapa bagian yang benar-benar termasuk 10% terbawah.",
        "Of those rated Butuh Perbaikan or lower, the share truly in the bottom 10%.", "higher"),
    "bottom_recall": ("Cakupan predikat bawah", "Bottom recall",
        "Dari 10% pegawai terbawah sebenarnya, berapa bagian yang mendapat Butuh Perbaikan atau lebih rendah.",
        "Of the true bottom 10%, the share rated Butuh Perbaikan or lower.", "higher"),
    "misclassification_rate": ("Tingkat salah klasifikasi", "Misclassification rate",
        "Rata-rata, atas predikat referensi, bagian pegawai yang tidak mendapat predikat referensinya. Referensi: predikat bila sebaran tetap 10% Sangat Baik, 70% Baik, 15% Butuh Perbaikan, 5% Kurang (kurva PermenPANRB 6/2022 untuk organisasi Baik) diterapkan pada kinerja sebenarnya. 0 = semua tepat; 0,75 = tidak lebih baik dari kebetulan (misalnya semua diberi Baik).",
        "Mean, over the reference predikat levels, of the share of people who did not get their reference level. Reference: the predikat a fixed 10% Sangat Baik, 70% Baik, 15% Butuh Perbaikan, 5% Kurang distribution (PermenPANRB 6/2022's curve for a Baik organisation) gives by true performance. 0 = all right; 0.75 = no better than chance (e.g. everyone Baik).", "lower"),
    "share_sangat_baik": ("Porsi Sangat Baik", "Share Sangat Baik", "Bagian pegawai berpredikat Sangat Baik.", "Share rated Sangat Baik (very good).", ""),
    "share_baik": ("Porsi Baik", "Share Baik", "Bagian pegawai berpredikat Baik.", "Share rated Baik (good).", ""),
    "share_butuh_perbaikan": ("Porsi Butuh Perbaikan", "Share Butuh Perbaikan",
        "Bagian pegawai berpredikat Butuh Perbaikan (Cukup pada aturan lama).", "Share rated Butuh Perbaikan (Cukup in older rules).", ""),
    "share_kurang": ("Porsi Kurang", "Share Kurang", "Bagian pegawai berpredikat Kurang/Misconduct.", "Share rated Kurang (poor / misconduct).", ""),
    "share_sangat_kurang": ("Porsi Sangat Kurang", "Share Sangat Kurang",
        "Bagian pegawai berpredikat Sangat Kurang (Buruk pada PP 46/2011).", "Share rated Sangat Kurang (Buruk in PP 46/2011).", ""),
    "fairness_gap_sex": ("Selisih nilai perempuan-laki-laki", "Score gap women-men",
        "Selisih nilai (dalam simpangan baku) perempuan dibanding laki-laki pada kinerja sebenarnya yang sama. 0 = setara.",
        "Score gap (in SD) of women versus men at equal true performance. 0 = equal.", "zero"),
    "fairness_gap_status": ("Selisih nilai PPPK-PNS", "Score gap PPPK-PNS",
        "Selisih nilai (SD) PPPK dibanding PNS pada kinerja sebenarnya yang sama.", "Score gap (SD) of PPPK versus PNS at equal true performance.", "zero"),
    "fairness_gap_ingroup": ("Selisih nilai kelompok-sama", "In-group score gap",
        "Selisih nilai (SD) pegawai yang sekelompok (asal daerah sama) dengan penilainya, pada kinerja sebenarnya yang sama.",
        "Score gap (SD) of ratees who share the rater's in-group (same origin), at equal true performance.", "zero"),
    "wait_minutes_median": ("Waktu tunggu median (menit)", "Median wait (minutes)",
        "Waktu tunggu yang tidak dilampaui separuh warga, atas semua warga di loket yang antreannya terkejar (loket kelebihan beban dihitung terpisah).",
        "Wait not exceeded by half the citizens, over every citizen at counters whose queue keeps up (overloaded counters are counted apart).", "lower"),
    "wait_minutes_p90": ("Waktu tunggu persentil 90 (menit)", "90th-percentile wait (minutes)",
        "Waktu tunggu yang tidak dilampaui 90% warga, atas semua warga di loket yang antreannya terkejar.",
        "Wait not exceeded by 90% of citizens, over every citizen at counters whose queue keeps up.", "lower"),
    "overloaded_points": ("Loket kelebihan beban", "Overloaded service points",
        "Jumlah unit layanan yang kapasitasnya di bawah jumlah warga yang datang, sehingga tunggakan menumpuk dari hari ke hari.",
        "Number of service points whose capacity is below the citizens arriving, so a backlog builds up day after day.", "lower"),
    "backlog_days_max": ("Tunggakan terbesar (hari kerja)", "Largest backlog (working days)",
        "Tunggakan di akhir periode pada loket kelebihan beban terberat, dalam hari kerja kapasitas penuh untuk menyelesaikannya; 0 bila tidak ada.",
        "Backlog left at the end of the period at the most overloaded point, in working days of full capacity to clear it; 0 when none.", "lower"),
    "ikm": ("Indeks Kepuasan Masyarakat (25-100)", "Citizen satisfaction index IKM (25-100)",
        "IKM hasil SKM (PermenPANRB 14/2017) dalam skala konversi 25-100, rata-rata berbobot kunjungan.",
        "IKM from the SKM survey (PermenPANRB 14/2017), converted scale 25-100, visit-weighted.", "higher"),
    "complaints_per_1000": ("Pengaduan per 1.000 kunjungan", "Complaints per 1,000 visits",
        "Jumlah pengaduan per 1.000 kunjungan layanan.", "Complaints per 1,000 service visits.", "lower"),
    "true_performance_mean": ("Rata-rata kinerja sebenarnya", "Mean true performance",
        "Rata-rata kinerja sebenarnya (tersembunyi) seluruh pegawai, dalam SD populasi awal.",
        "Mean true (hidden) performance of all employees, in SD of the baseline population.", "higher"),
    "tpp_cost_idr": ("Biaya TPP (Rp)", "TPP cost (IDR)",
        "Total TPP yang dibayarkan dalam periode menurut skema TPP, dalam rupiah.", "Total TPP paid in the period under the TPP scheme, in rupiah.", ""),
    "effort_mean": ("Rata-rata upaya kerja", "Mean effort",
        "Rata-rata upaya pegawai (0-1) selama periode; naik bila nilai benar-benar menentukan imbalan.",
        "Employees' mean effort (0-1) during the period; rises when scores really decide rewards.", "higher"),
    "resistance_mean": ("Rata-rata resistensi", "Mean resistance",
        "Rata-rata penolakan pegawai terhadap sistem penilaian setelah periode (0 = tidak ada).",
        "Employees' mean resistance to the appraisal system after the period (0 = none).", "lower"),
    "perceived_fairness_mean": ("Rata-rata rasa keadilan", "Mean perceived fairness",
        "Rata-rata rasa keadilan (0-1): turun bila nilai lebih mencerminkan penilai daripada kinerja, atau bila kuota menurunkan nilai pegawai yang baik.",
        "Mean perceived fairness (0-1): falls when scores track the rater more than the ratee, or quotas force low ratings on good staff.", "higher"),
    "gaming_share": ("Tingkat manipulasi indikator", "Gaming",
        "Rata-rata upaya yang dialihkan untuk mempercantik indikator terukur (0-1).",
        "Mean effort diverted to making measured indicators look better (0-1).", "lower"),
    "capaian_mean": ("Rata-rata capaian indikator terukur (%)", "Mean measured achievement (%)",
        "Rata-rata capaian (persen dari target) semua indikator terukur yang dilaporkan; naik bila kinerja naik atau bila indikator dimanipulasi.",
        "Mean achievement (percent of target) over every reported indicator; rises with performance or when indicators are gamed.", ""),
    "unmeasured_quality_mean": ("Mutu layanan tak terukur", "Unmeasured quality",
        "Rata-rata mutu layanan yang tidak diukur indikator (SD); turun bila indikator dimanipulasi.",
        "Mean service quality that no indicator measures (SD); falls when indicators are gamed.", "higher"),
    "turnover_rate": ("Tingkat pergantian pegawai", "Turnover rate",
        "Bagian pegawai yang keluar dalam periode (pensiun, mengundurkan diri, diberhentikan) dan diganti.",
        "Share of employees who left in the period (retired, quit, dismissed) and were replaced.", ""),
    "document_hours_mean": ("Waktu proses dokumen Dukcapil (jam kerja)", "Dukcapil document time (working hours)",
        "Rata-rata waktu dari antre sampai dokumen selesai di Dukcapil, dalam jam kerja (termasuk tunggakan berhari-hari).",
        "Mean time from queueing to a finished document at Dukcapil, in working hours (including backlogs of days).", "lower"),
    "self_minus_supervisor_sd": ("Selisih penilaian diri-atasan", "Self minus supervisor rating",
        "Seberapa tinggi penilaian diri (e-performance) dibanding penilaian atasan, dalam SD penilaian atasan.",
        "How far self-ratings (e-performance) sit above supervisor ratings, in SD of supervisor ratings.", ""),
    "validity_counter_staff": ("Validitas untuk petugas loket", "Validity for counter staff",
        "Validitas (Spearman) khusus pegawai yang melayani warga di loket.",
        "Validity (Spearman) among staff who serve citizens at the counter.", "higher"),
    **confusion_glossary(),
    "rating_interdimension_r": ("Korelasi antar-dimensi (halo)", "Inter-dimension correlation (halo)",
        "Rata-rata korelasi antara nilai atasan pada tujuh dimensi BerAKHLAK. Makin tinggi dari korelasi sebenarnya (0,5), makin kuat efek halo: satu kesan umum mewarnai semua dimensi.",
        "Mean correlation between the superiors' ratings of the seven BerAKHLAK dimensions. The further above the true correlation (0.5), the stronger the halo: one overall impression colours every dimension.", "lower"),
    "rating_dimension_validity": ("Validitas per dimensi", "Dimension-level validity",
        "Rata-rata korelasi nilai atasan pada tiap dimensi dengan kinerja sebenarnya pada dimensi itu. Halo menurunkannya: nilai dimensi makin mencerminkan kesan umum, bukan dimensinya.",
        "Mean correlation of the superiors' rating of each dimension with true performance on that dimension. Halo lowers it: dimension ratings reflect the overall impression rather than the dimension.", "higher"),
    "rating_spread_sd": ("Sebaran nilai atasan", "Spread of superiors' ratings",
        "Simpangan baku nilai rata-rata dimensi dari atasan (skala laten, SD kinerja sebenarnya). Kecenderungan tengah memperkecilnya.",
        "Standard deviation of the superiors' mean dimension rating (latent scale, SD of true performance). Central tendency shrinks it.", ""),
    "rater_leniency_sd": ("Sebaran kemurahan antar-atasan", "Leniency spread between superiors",
        "Simpangan baku antar-atasan dari selisih nilai dan kinerja sebenarnya (komponen ragam antar-penilai). 0 bila semua atasan sama murahnya.",
        "Standard deviation between superiors of rating minus true performance (between-rater variance component). 0 when every superior is equally lenient.", "lower"),
    "attribution_error_ikm": ("Galat atribusi IKM", "Attribution error of the IKM",
        "Bagian ragam IKM unit layanan yang dikreditkan ke tiap petugas tetapi tidak mencerminkan kinerja petugas itu sendiri (1 - r^2 dengan kinerja sebenarnya). 1 = tidak berkata apa pun tentang orangnya.",
        "Share of the variance of the service point's IKM, credited to each of its clerks, that does not reflect that clerk's own performance (1 - r^2 with true performance). 1 = says nothing about the person.", "lower"),
    "attribution_error_complaints": ("Galat atribusi pengaduan", "Attribution error of complaints",
        "Seperti galat atribusi IKM, untuk pengaduan per 1.000 kunjungan di unit layanan.",
        "As the IKM's attribution error, for complaints per 1,000 visits at the service point.", "lower"),
    "indicator_validity": ("Validitas indikator", "Indicator validity",
        "Korelasi indikator (pada sumbu bakunya) dengan hasil kerja sebenarnya pemegangnya; dilaporkan per indikator (indicator_validity.<nama>).",
        "Correlation of the indicator (on its standardised axis) with its holders' true work results; reported per indicator (indicator_validity.<name>).", "higher"),
    "indicator_person_share": ("Porsi ragam dari kinerja pegawai", "Share of variance from the person's results",
        "Bagian ragam indikator yang berasal dari hasil kerja sebenarnya pegawai yang memegangnya.",
        "Share of the indicator's variance that comes from its holder's true work results.", "higher"),
    "indicator_unit_share": ("Porsi ragam dari unit (kontaminasi)", "Share of variance from the unit (contamination)",
        "Bagian ragam indikator yang berasal dari guncangan bersama unit kerja, di luar kendali pegawai (beban kasus, peralatan).",
        "Share of the indicator's variance that comes from the shock the work unit shares, outside the employee's control (caseload, equipment).", "lower"),
    "indicator_gaming_share": ("Porsi ragam dari manipulasi", "Share of variance from gaming",
        "Bagian ragam indikator yang berasal dari upaya memanipulasi angka (0 sebelum pegawai bereaksi).",
        "Share of the indicator's variance that comes from gaming the number (0 before staff respond).", "lower"),
    "indicator_noise_share": ("Porsi ragam sisa", "Residual share of variance",
        "Bagian ragam indikator yang tersisa: faktor pribadi di luar hasil kerja dan galat pengukuran.",
        "Remaining share of the indicator's variance: person-specific factors other than results, and measurement error.", "lower"),
    "indicator_gaming_gap": ("Selisih karena manipulasi", "Gaming gap",
        "Rata-rata selisih antara angka yang dilaporkan dan angka tanpa manipulasi, dalam SD indikator.",
        "Mean gap between the reported value and the value without gaming, in SD of the indicator.", "lower"),
    "indicator_reported_change": ("Perubahan indikator yang dilaporkan", "Reported change of the indicator",
        "Perubahan rata-rata angka yang dilaporkan pemegang indikator dari periode sebelumnya, dalam SD indikator pada periode sebelumnya (per indikator; kosong pada periode pertama).",
        "Change of the holders' mean reported value since the period before, in SD of the indicator in that period (per indicator; empty in the first period).", ""),
    "indicator_gaming_change_gap": ("Selisih perubahan karena manipulasi", "Gaming gap in the change",
        "Perubahan yang dilaporkan dikurangi perubahan sebenarnya (perubahan yang akan dilaporkan indikator yang sama tanpa manipulasi), dalam SD indikator pada periode sebelumnya: bagian kenaikan yang hanya berasal dari manipulasi setelah pegawai bereaksi. 0 bila tidak ada yang memanipulasi.",
        "Reported change minus true change (the change the same indicator would have reported without gaming), in SD of the indicator in the period before: the part of the rise that comes only from gaming once people respond. 0 while nobody games.", "lower"),
    "indicator_inter_r": ("Korelasi antar-indikator (dalam periode)", "Inter-indicator correlation (within a period)",
        "Rata-rata korelasi indikator ini dengan indikator lain jenis OPD yang sama, pada pegawai yang sama dalam satu periode: keandalan satu indikator sebagai ukuran dari yang sama-sama diukur (konsistensi internal). Kontaminasi unit yang sama juga menaikkannya, jadi tinggi belum berarti valid.",
        "Mean correlation of this indicator with the other indicators of its OPD kind, over the same people in one period: the reliability of one indicator as a measure of what they share (internal consistency). A shared unit shock raises it too, so high is not yet valid.", "higher"),
    "kind_inter_indicator_r": ("Korelasi antar-indikator jenis OPD", "Inter-indicator correlation of an OPD kind",
        "Rata-rata korelasi antar-pasangan indikator satu jenis OPD dalam satu periode (kind_inter_indicator_r.<jenis>); studi keputusan menaikkannya dengan Spearman-Brown ke rata-rata k indikator.",
        "Mean correlation over the pairs of indicators of one OPD kind in one period (kind_inter_indicator_r.<kind>); the decision study steps it up by Spearman-Brown to the mean of k indicators.", "higher"),
    "rater_agreement_supervisor_peer": ("Kesepakatan atasan-rekan kerja", "Supervisor-peer agreement",
        "Korelasi nilai perilaku keseluruhan dari atasan langsung dengan rata-rata nilai rekan kerja, atas pegawai yang dinilai rekan, dalam satu periode (kesepakatan antar-sumber; angka terbitan sekitar 0,34).",
        "Correlation of the direct superior's overall behaviour rating with the peers' mean rating, over ratees with peers, in one period (cross-source agreement; the published figure is about 0.34).", "higher"),
}


def ranking_score(score: np.ndarray, predikat: np.ndarray) -> np.ndarray:
    """The variable a policy ranks people by: its numeric score, else its predikat (ordinal)."""
    score = np.asarray(score, dtype=float)
    if np.isfinite(score).all():
        return score
    return (4 - np.asarray(predikat, dtype=float))


def validity_spearman(score: np.ndarray, truth: np.ndarray) -> float:
    """Spearman rank correlation of the ranking variable with true performance.

    Pearson correlation of average ranks (ties share their mean rank), as ``scipy.stats.spearmanr``.
    """
    if np.ptp(score) == 0:
        return 0.0
    return float(np.corrcoef(average_ranks(score), average_ranks(truth))[0, 1])


def fairness_gap(score: np.ndarray, truth: np.ndarray, group: np.ndarray) -> float:
    """Score gap (SD of the score) of ``group`` vs the rest at equal true performance (OLS)."""
    x = np.asarray(score, dtype=float)
    g = np.asarray(group, dtype=float)
    sd = x.std()
    if sd == 0 or g.min() == g.max():
        return 0.0
    return float(_group_projector(np.asarray(truth, dtype=float), g) @ (x / sd))


SERVICE_METRICS: tuple[str, ...] = ("wait_minutes_median", "wait_minutes_p90", "overloaded_points", "backlog_days_max",
                                    "ikm", "complaints_per_1000")


def service_metrics(service) -> dict[str, float]:
    """Citizens' waits, overloaded points and their backlog, IKM and complaints of one period.

    ``service`` is a :class:`~simulate.citizens.ServiceOutcome`. Waits are the median and 90th
    percentile over the citizens of the points whose queue keeps up; points that cannot keep up
    are counted (``overloaded_points``) with the largest backlog in working days, never averaged
    into minutes. IKM is visit-weighted over points.
    """
    if not hasattr(service, "citizen_wait"):
        raise TypeError(f"service_metrics: expected a ServiceOutcome (period.service), got {type(service).__name__}")
    n, col = service.n_points, service.column
    if n == 0:
        return {k: float("nan") for k in SERVICE_METRICS}
    visits = col("visits").astype(float)
    w = visits / visits.sum() if visits.sum() > 0 else np.full(n, 1 / n)
    return {
        **{k: float(service.citizen_wait[k]) for k in SERVICE_METRICS[:4]},
        "ikm": float(np.sum(w * col("ikm_converted"))),
        "complaints_per_1000": float(1000 * col("complaints").sum() / max(visits.sum(), 1.0)),
    }


@dataclass(frozen=True, eq=False)
class MetricContext:
    """Everything the metrics need that does not depend on the policy, computed once per period."""

    overall: np.ndarray
    truth_rank: np.ndarray
    rater_codes: np.ndarray
    rater_sizes: np.ndarray
    true_top: np.ndarray
    true_bottom: np.ndarray
    truth_order: np.ndarray  #: employees from best to worst true performance
    fairness_projectors: dict  #: group name -> row of pinv([1, truth, group]) giving the group coefficient
    service: dict
    overall_mean: float = float("nan")  #: ``overall.mean()``
    overall_centred: np.ndarray | None = None  #: ``overall - overall.mean()``
    overall_ss: float = float("nan")  #: ``overall_centred @ overall_centred``
    reference: np.ndarray | None = None  #: reference predikat (:mod:`simulate.metrics.classification`)
    units: _UnitTerm | None = None  #: the hidden unit covariates, ready to partial out (None without units)
    #: Policy-independent metrics of the period: each indicator's objectivity and the dimension
    #: ratings' halo, validity, spread and leniency spread (:mod:`simulate.metrics.indicators`).
    period_metrics: dict | None = None
    #: kind of office -> its true performance's centred average ranks and their sum of squares
    #: (:func:`simulate.metrics.indicators.kind_truth_ranks`), shared by every arm of the period
    kind_truth: dict | None = None
    #: per indicator, what the change from one period to the next needs of this one
    #: (:func:`simulate.metrics.indicators.indicator_change_metrics`)
    indicator_levels: dict | None = None


def _employee_context(structure: Structure) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray | None]]:
    """Rater groups and the fairness groups: they depend on the employee table alone.

    Returns ``(rater_codes, rater_sizes, groups)``, ``groups`` mapping each fairness group to
    its 0/1 indicator as floats, or ``None`` when everyone (or no one) is in it. Kept in the
    table's structure, so every period of a run shares it; the arrays are read-only.
    """
    employees = structure.table
    sup = structure.column("superior_id")
    rater = np.where(sup >= 0, sup, -1 - structure.column("opd_id"))
    _, codes = np.unique(rater, return_inverse=True)
    local = structure.column("local_origin")
    rater_local = np.where(sup >= 0, local[np.maximum(sup, 0)], local)
    masks = {"sex": (employees["sex"] == "P").to_numpy(), "status": (employees["status"] == "PPPK").to_numpy(),
             "ingroup": (local == rater_local) & (sup >= 0)}
    groups: dict[str, np.ndarray | None] = {}
    for name, g in masks.items():
        g = g.astype(float)
        groups[name] = None if g.min() == g.max() else g
    sizes = np.bincount(codes)
    for a in (codes, sizes, *(g for g in groups.values() if g is not None)):
        a.flags.writeable = False
    return codes, sizes, groups


def _group_projector(truth: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Row ``r`` with ``r @ y`` = the group coefficient of the least-squares fit ``y ~ 1 + truth + group``.

    The third row of ``(X'X)^-1 X'`` for ``X = [1, truth, group]`` (what ``pinv(X)[2]`` gives for
    a full-rank ``X``), from the inverse of the 3 x 3 matrix ``X'X`` instead of an SVD of ``X``.
    """
    x = np.column_stack([np.ones(len(truth)), truth, group])
    return x @ np.linalg.inv(x.T @ x)[:, 2]


def metric_context(evidence: Evidence, truth: Truth, service_points) -> MetricContext:
    """The policy-independent part of :func:`policy_metrics`: computed once per period and shared by its arms.

    The replication runner builds it once for each evidence and truth; the rater and fairness
    groups depend on the employee table only and come from its :class:`~simulate.structure.Structure`
    when the evidence has one.
    """
    overall = truth.overall
    codes, sizes, groups = evidence.structure.derive(("metrics.employee_context",),
                                                     lambda: _employee_context(evidence.structure))
    projectors = {name: None if g is None else _group_projector(overall, g) for name, g in groups.items()}
    # One sort of the truth gives its ranks, its order from best to worst (when no two values
    # tie) and the sorted values the quantiles are selected from.
    order, ordered, truth_rank, distinct = _sorted_ranks(overall)
    truth_order = order[::-1] if distinct else np.argsort(-overall, kind="stable")
    # Quantiles depend on the values only, not their order; the sorted copy is quicker to select from.
    top_cut, bottom_cut = np.quantile(ordered, [1 - TOP_SHARE, TOP_SHARE])
    mean = overall.mean()
    centred = overall - mean
    units = None
    levels: dict = {}
    if truth.unit_shock is not None and truth.unit_org_noise is not None:
        kind, n_kinds = evidence.structure.derive(("metrics.opd_kind",), lambda: _kind_codes(evidence.structure))
        units = _UnitTerm.build(truth.unit_shock, kind, truth.unit_org_noise, n_kinds, centred)
    ctx = MetricContext(
        overall=overall, truth_rank=truth_rank, rater_codes=codes, rater_sizes=sizes,
        true_top=overall >= top_cut, true_bottom=overall <= bottom_cut,
        truth_order=truth_order, fairness_projectors=projectors,
        service=service_metrics(service_points),
        overall_mean=mean, overall_centred=centred, overall_ss=np.dot(centred, centred),
        reference=_reference_from_order(truth_order), units=units,
        period_metrics={**indicator_metrics(evidence, truth, levels), **rating_metrics(evidence, truth, codes, sizes)},
        kind_truth=kind_truth_ranks(evidence, overall, order), indicator_levels=levels,
    )
    return ctx


def _kind_codes(structure: Structure) -> tuple[np.ndarray, int]:
    """Kind-of-office code of each employee and the number of kinds (read-only)."""
    kinds = structure.table["opd_kind"]
    codes = np.asarray(kinds.cat.codes, dtype=np.int64) if hasattr(kinds, "cat") else \
        np.unique(kinds.to_numpy(), return_inverse=True)[1].astype(np.int64)
    codes.flags.writeable = False
    n_kinds = len(kinds.cat.categories) if hasattr(kinds, "cat") else int(codes.max(initial=-1)) + 1
    return codes, n_kinds


def policy_metrics(appraisal, evidence: Evidence, truth: Truth, service_points, tpp_cost_idr: float = float("nan"),
                   *, context: MetricContext | None = None, rank: np.ndarray | None = None,
                   ranks: np.ndarray | None = None, order: np.ndarray | None = None) -> dict[str, float]:
    """Every metric in :data:`METRICS` for one policy's appraisal in one period.

    ``context`` (:func:`metric_context` of the same evidence, truth and service points),
    ``rank`` (:func:`ranking_score` of the appraisal), ``ranks`` (its :func:`average_ranks`) and
    ``order`` (``argsort(rank)`` that gave them, :func:`simulate.metrics.ranks.sorted_ranks`) may be
    passed when the caller already has them; they are computed otherwise.
    """
    ctx = metric_context(evidence, truth, service_points) if context is None else context
    rank = ranking_score(appraisal.score, appraisal.predikat) if rank is None else rank
    predikat = np.asarray(appraisal.predikat)
    var = np.var(rank)  # once, for the rater share and the fairness scale (rank.std() is its root)
    if np.ptp(rank) == 0:
        validity = 0.0
    else:
        if ranks is None:
            order, ranks = sorted_ranks(rank)
        validity = float(np.corrcoef(ranks, ctx.truth_rank)[0, 1])
    out: dict[str, float] = {"validity_spearman": validity}
    out.update(_variance_shares(rank, var, ctx.overall_centred, ctx.overall_ss, ctx.rater_codes, ctx.rater_sizes,
                                ctx.units))
    reference = _reference_from_order(ctx.truth_order) if ctx.reference is None else ctx.reference
    out.update(_classification(predikat, ctx.true_top, ctx.true_bottom, reference))
    counts = np.bincount(predikat.astype(np.int64), minlength=5)[:5]
    for name, share in zip(PREDIKAT, counts / max(appraisal.n, 1)):
        out[f"share_{name}"] = float(share)
    sd = np.sqrt(var)  # rank.std(), bit for bit
    z = None if sd == 0 else rank / sd
    for name, proj in ctx.fairness_projectors.items():
        out[f"fairness_gap_{name}"] = 0.0 if proj is None or z is None else float(proj @ z)
    out.update(ctx.service)
    period = ctx.period_metrics or {}
    out.update(period)
    out["true_performance_mean"] = float(ctx.overall_mean)
    out["tpp_cost_idr"] = float(tpp_cost_idr)
    ordered = {k: out.get(k, float("nan")) for k in METRICS}
    # then each indicator's metrics, ``<metric>.<indicator>``, and the policy's validity within
    # each kind of office, ``validity_spearman.<kind>`` (see simulate.metrics.indicators)
    ordered.update((k, v) for k, v in period.items() if k not in ordered)
    if ctx.period_metrics is not None:
        ordered.update(kind_validity(evidence, rank, ctx.overall, ctx.kind_truth, order))
    return ordered
