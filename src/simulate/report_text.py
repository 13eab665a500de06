"""The policy report's text in Bahasa Indonesia and English: ``key -> (id, en)``.

Kept apart from :mod:`simulate.report` (figures and tables) so that the wording can be read and
edited in one place; placeholders are filled with numbers already in the reader's locale
(:mod:`simulate.numformat`).
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Perbandingan kebijakan penilaian kinerja ASN", "Comparison of ASN performance-appraisal policies"),
    "context": (
        "Skenario **{name}**: {n} ASN sintetis, {reps} replikasi Monte-Carlo (seed akar {seed}). Semua kebijakan "
        "dinilai pada populasi dan bukti yang sama di setiap replikasi, sehingga perbedaan hasil berasal dari "
        "kebijakannya saja. Rentang dalam kurung adalah interval kepercayaan 95% antar-replikasi.",
        "Scenario **{name}**: {n} synthetic ASN, {reps} Monte-Carlo replications (root seed {seed}). Every policy "
        "is applied to the same population and evidence in each replication, so differences come from the policies "
        "alone. Ranges in brackets are 95% confidence intervals over replications."),
    "headline": ("Temuan utama", "Headline"),
    "best_validity": (
        "**{best}** paling sesuai dengan kinerja sebenarnya (validitas {v}); **{worst}** paling rendah ({wv}).",
        "**{best}** tracks true performance best (validity {v}); **{worst}** tracks it least ({wv})."),
    "baseline_dist": (
        "Status quo **{base}**: {baik} pegawai berpredikat Baik dan {sb} Sangat Baik.",
        "Status quo **{base}**: {baik} of employees are rated Baik and {sb} Sangat Baik."),
    "widest": (
        "Predikat paling beragam di bawah **{pol}**: {baik} berpredikat Baik, {sb} Sangat Baik dan {low} Butuh "
        "Perbaikan atau lebih rendah.",
        "**{pol}** spreads predikat the most: {baik} rated Baik, {sb} Sangat Baik and {low} Butuh Perbaikan or "
        "lower."),
    "rater": (
        "Porsi varians nilai yang berasal dari penilai: dari {lo} (**{lo_pol}**) sampai {hi} (**{hi_pol}**).",
        "Share of score variance due to the rater: from {lo} (**{lo_pol}**) to {hi} (**{hi_pol}**)."),
    "cost": (
        "{scheme}: {base_cost} per periode di bawah status quo; dari {lo} (**{lo_pol}**) sampai {hi} (**{hi_pol}**).",
        "{scheme}: {base_cost} per period under the status quo; from {lo} (**{lo_pol}**) to {hi} (**{hi_pol}**)."),
    "service_same": (
        "Waktu tunggu (90% warga menunggu kurang dari {wait} menit) dan IKM {ikm} sama untuk semua kebijakan dalam satu periode: "
        "kebijakan baru mengubah pelayanan setelah pegawai menyesuaikan perilakunya (simulasi multi-periode).",
        "Waiting times (90% of citizens wait less than {wait} minutes) and IKM {ikm} are the same under every policy within one period: a "
        "policy changes service only once staff adjust their behaviour (multi-period simulation)."),
    "table_title": ("Ringkasan per kebijakan", "Summary by policy"),
    "confusion_title": ("Siapa mendapat predikat yang tepat: {policy}", "Who gets the right predikat: {policy}"),
    "confusion_note": (
        "Baris: predikat referensi, yaitu predikat bila sebaran tetap 10% Sangat Baik, 70% Baik, 15% Butuh "
        "Perbaikan dan 5% Kurang diterapkan pada kinerja sebenarnya. Kolom: predikat yang diberikan kebijakan. "
        "Sel: persen seluruh pegawai (rata-rata replikasi); diagonal = predikat tepat. Tingkat salah klasifikasi "
        "adalah rata-rata, atas baris, bagian yang tidak berada di diagonal (0,75 = tidak lebih baik dari kebetulan).",
        "Rows: the reference predikat, the one a fixed 10% Sangat Baik, 70% Baik, 15% Butuh Perbaikan and 5% Kurang "
        "distribution gives by true performance. Columns: the predikat the policy gave. Cells: percent of all "
        "employees (mean over replications); the diagonal is the right predikat. The misclassification rate is the "
        "mean over rows of the share off the diagonal (0.75 = no better than chance)."),
    "reference": ("Referensi", "Reference"),
    "figures": ("Gambar", "Figures"),
    "glossary": ("Glosarium", "Glossary"),
    "annex": ("Lampiran teknis", "Technical annex"),
    "policy": ("Kebijakan", "Policy"),
    "metric": ("Ukuran", "Metric"),
    "meaning": ("Arti", "Meaning"),
    "better": ("Lebih baik bila", "Better when"),
    "higher": ("lebih tinggi", "higher"), "lower": ("lebih rendah", "lower"), "zero": ("mendekati 0", "closer to 0"),
    "cap_validity": (
        "Validitas (korelasi peringkat dengan kinerja sebenarnya) per kebijakan; titik = rata-rata {reps} replikasi, "
        "garis = interval kepercayaan 95%. Skenario {name}, {n} ASN.",
        "Validity (rank correlation with true performance) by policy; dot = mean of {reps} replications, line = 95% "
        "confidence interval. Scenario {name}, {n} ASN."),
    "cap_distribution": (
        "Sebaran predikat per kebijakan (rata-rata {reps} replikasi). Skenario {name}, {n} ASN.",
        "Predikat distribution by policy (mean of {reps} replications). Scenario {name}, {n} ASN."),
    "cap_rater": (
        "Validitas terhadap porsi varians penilai: kebijakan di kiri atas paling sedikit dipengaruhi siapa penilainya. "
        "Nomor titik = nomor kebijakan dalam daftar di sampingnya. Rata-rata {reps} replikasi.",
        "Validity against the rater variance share: policies at the top left depend least on who the rater is. "
        "Each point's number is the policy's number in the list beside it. Mean of {reps} replications."),
    "cap_cost": (
        "Biaya TPP per periode per kebijakan (sumbu mulai dari nol), dengan interval 95% atas {reps} replikasi; "
        "angka di ujung batang: selisih dengan status quo.",
        "TPP cost per period by policy (the axis starts at zero), with 95% intervals over {reps} replications; the "
        "figure at each bar's end is its difference from the status quo."),
    "cap_fairness": (
        "Selisih nilai antar-kelompok pada kinerja sebenarnya yang sama (dalam SD): perempuan-laki-laki, PPPK-PNS, "
        "sekelompok dengan penilai. 0 = setara. Rata-rata {reps} replikasi.",
        "Score gaps between groups at equal true performance (in SD): women-men, PPPK-PNS, same in-group as the "
        "rater. 0 = equal. Mean of {reps} replications."),
    "axis_validity": ("Validitas (Spearman)", "Validity (Spearman)"),
    "axis_share": ("Porsi pegawai", "Share of employees"),
    "axis_rater": ("Porsi varians penilai", "Rater variance share"),
    "axis_cost": ("Biaya TPP ({unit})", "TPP cost ({unit})"),
    "cap_trajectory": (
        "Lintasan ukuran utama per periode penilaian (rata-rata {reps} replikasi): kebijakan mengubah pelayanan "
        "setelah pegawai menyesuaikan perilakunya.",
        "Headline metrics by appraisal period (mean of {reps} replications): a policy changes service once staff "
        "adjust their behaviour."),
    "axis_period": ("Periode penilaian", "Appraisal period"),
    "period_note": (
        "Angka dalam ringkasan dan tabel adalah periode penilaian ke-{t} (terakhir) dari {periods}; lintasan tiap "
        "periode ada di gambar terakhir.",
        "Figures in the headline and tables are for appraisal period {t} (the last) of {periods}; the trajectory "
        "over the periods is in the last figure."),
    "status_quo": ("status quo", "status quo"),
    "tpp": ("Biaya TPP", "TPP cost"),
    "cost_only": ("{scheme} (hanya pada sebagian paket) per periode: {arms}.",
                  "{scheme} (in some packages only) per period: {arms}."),
    "cost_many": (
        "Skenario ini menjalankan {k} skema yang berbiaya; biaya tiap skema ditampilkan sendiri-sendiri, dan "
        "'Biaya TPP' adalah jumlah skema TPP.",
        "This scenario runs {k} schemes that cost money; each scheme's cost is shown on its own, and 'TPP cost' "
        "is the sum of the TPP schemes."),
    "axis_gap": ("Selisih (SD)", "Gap (SD)"),
    "gap_sex": ("Perempuan-laki-laki", "Women-men"), "gap_status": ("PPPK-PNS", "PPPK-PNS"),
    "gap_ingroup": ("Kelompok-sama", "In-group"),
}
