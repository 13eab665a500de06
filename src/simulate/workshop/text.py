"""The workshop's words in Bahasa Indonesia and English: controls, titles, axes.

Plain language for a room of officials: no code names, no symbols. Narratives with numbers are
built by each panel module from its data; this module holds the fixed words.
"""

from __future__ import annotations

__all__ = ["WORDS", "word", "CONTROL_LABELS", "CURVE_LABELS", "PREDIKAT_LABELS", "EXPECTATION_LABELS",
           "DIMENSION_LABELS", "check_lang"]

LANGS = ("id", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


#: Slider and toggle labels: name -> (id, en).
CONTROL_LABELS: dict[str, tuple[str, str]] = {
    "leniency": ("Kemurahan penilai", "Rater leniency"),
    "leniency_sd": ("Beda kemurahan antarpenilai", "Leniency spread between raters"),
    "halo": ("Efek halo", "Halo"),
    "slope": ("Kecenderungan ke tengah (< 1)", "Central tendency (< 1)"),
    "noise": ("Gangguan acak", "Random noise"),
    "ingroup": ("Bias kelompok sendiri", "In-group bias"),
    "stakes": ("Nilai menentukan TPP", "Ratings decide pay (TPP)"),
    "team_size": ("Ukuran tim", "Team size"),
    "curve": ("Kurva distribusi", "Distribution curve"),
    "quota": ("Kuota teratas", "Top quota"),
    "lang": ("Bahasa", "Language"),
}

#: Curve modes: mode -> (id, en).
CURVE_LABELS: dict[str, tuple[str, str]] = {
    "off": ("Tidak dipakai", "Not used"),
    "warn": ("Hanya diperiksa", "Checked only"),
    "enforce": ("Ditegakkan", "Enforced"),
}

PREDIKAT_LABELS: dict[str, tuple[str, ...]] = {
    "id": ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"),
    "en": ("Very good", "Good", "Needs improvement", "Poor", "Very poor"),
}

EXPECTATION_LABELS: dict[str, tuple[str, ...]] = {
    "id": ("Di bawah ekspektasi", "Sesuai ekspektasi", "Di atas ekspektasi"),
    "en": ("Below expectation", "Meets expectation", "Above expectation"),
}

DIMENSION_LABELS: dict[str, tuple[str, ...]] = {
    "id": ("Berorientasi pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"),
    "en": ("Service-oriented", "Accountable", "Competent", "Harmonious", "Loyal", "Adaptive", "Collaborative"),
}

#: Fixed words: key -> (id, en).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Bengkel penilaian kinerja ASN", "ASN performance appraisal workshop"),
    "intro": (
        "Geser penggeser di setiap bagian: gambar langsung berubah. Semua pegawai di sini sintetis "
        "(tidak ada orang sungguhan); kinerja sebenarnya mereka diketahui, sehingga kita bisa melihat "
        "seberapa jauh nilai dari atasan menyimpang darinya.",
        "Move the sliders in each section: the figures change at once. Everyone here is synthetic (no real "
        "person); their true performance is known, so we can see how far the supervisor's rating strays from it.",
    ),
    "team_title": ("1. Satu tim dinilai oleh atasannya", "1. One team rated by its supervisor"),
    "halo_title": ("2. Efek halo: semua aspek perilaku ikut satu kesan", "2. Halo: every dimension follows one impression"),
    "quadrant_title": ("3. Kuadran kinerja 2022 dan kurva distribusi", "3. The 2022 performance quadrant and the distribution curve"),
    "curves_title": ("4. Kurva paksa di unit kecil", "4. Forced curves in small units"),
    "policies_title": ("5. Kebijakan penilaian berdampingan", "5. The scoring policies side by side"),
    "exercise_title": ("6. Nilai sendiri: peserta menilai pegawai sintetis", "6. Rate it yourself: participants rate simulated employees"),
    "exercise_sheet": ("Lembar untuk dicetak (vignet dan cara mengetik hasilnya)", "The sheet to print (vignettes and how to type in the results)"),
    "true_performance": ("Kinerja sebenarnya (SD)", "True performance (SD)"),
    "rating": ("Nilai dari atasan (SD)", "Supervisor's rating (SD)"),
    "this_supervisor": ("Atasan tim ini", "This team's supervisor"),
    "other_supervisor": ("Atasan lain, tim yang sama", "Another supervisor, same team"),
    "perfect": ("Penilaian sempurna", "Perfect rating"),
    "same_group": ("sekelompok dengannya", "same group as the supervisor"),
    "other_group": ("lain kelompok", "other group"),
    "employee": ("Pegawai", "Employee"),
    "halo_axis": ("Efek halo", "Halo"),
    "mean_corr": ("Korelasi rata-rata antaraspek", "Mean correlation between dimensions"),
    "true_corr": ("Korelasi sebenarnya", "True correlation"),
    "rated_corr": ("Korelasi nilai", "Correlation of ratings"),
    "now": ("Sekarang", "Now"),
    "results_axis": ("Hasil kerja", "Work results"),
    "behaviour_axis": ("Perilaku kerja", "Work behaviour"),
    "before_curve": ("Sebelum kurva", "Before the curve"),
    "after_curve": ("Sesudah kurva", "After the curve"),
    "curve_word": ("Kurva", "Curve"),
    "share_of_staff": ("Porsi pegawai", "Share of staff"),
    "unit_size": ("Ukuran unit (orang)", "Unit size (people)"),
    "misrated": ("Porsi salah predikat", "Share misrated"),
    "with_these_raters": ("Dengan penilai seperti ini", "With these raters"),
    "with_perfect_raters": ("Dengan penilaian sempurna", "With perfect ratings"),
    "your_team": ("Tim Anda", "Your team"),
    "validity": ("Ketepatan (korelasi dengan kinerja sebenarnya)", "Validity (correlation with true performance)"),
    "distribution": ("Sebaran predikat", "Distribution of predikat"),
    "tpp_cut": ("TPP yang dipotong", "TPP withheld"),
}


def word(key: str, lang: str) -> str:
    """The fixed word ``key`` in ``lang``."""
    return WORDS[key][0 if check_lang(lang) == "id" else 1]


def control_label(key: str, lang: str) -> str:
    return CONTROL_LABELS[key][0 if check_lang(lang) == "id" else 1]
