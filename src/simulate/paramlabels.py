"""What each scenario knob does, in plain words, in Bahasa Indonesia and English.

``kinerja list --parameters`` and the sweep page (``sweep.html``) show these instead of code
names. A path is a scenario parameter's dotted path (``work.indicators.dukcapil_dokumen.contamination``);
``*`` in a key stands for one path segment (an indicator's name, an OPD kind, a rater source).
:func:`parameter_text` finds the most specific key that matches; a path no key matches is shown
with its schema description (:func:`describe_parameters` marks it so).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

__all__ = ["PARAMETER_TEXT", "CAVEATS", "parameter_text", "parameter_label", "describe_parameters", "scenario_parameters"]

_SOURCE_ID = {"supervisor": "atasan", "peer": "rekan kerja", "subordinate": "bawahan", "self_rating": "penilaian diri"}

#: path pattern -> (label_id, label_en, meaning_id, meaning_en)
PARAMETER_TEXT: dict[str, tuple[str, str, str, str]] = {
    # scenario
    "name": ("Nama skenario", "Scenario name", "Nama pendek yang dipakai di nama folder dan laporan.",
             "Short name used in folder names and reports."),
    "description": ("Uraian", "Description", "Apa yang digambarkan skenario, dalam satu-dua kalimat.",
                    "What the scenario represents, in a sentence or two."),
    "extends": ("Skenario dasar", "Base scenario", "Berkas skenario yang ditimpa oleh berkas ini.",
                "The scenario file this one overrides."),
    "seed": ("Seed acak", "Random seed", "Benih semua undian acak sebuah run: seed sama, hasil sama.",
             "Root of every random draw in a run: the same seed gives the same results."),
    "notebook": ("Notebook", "Notebook", "Notebook yang dijalankan kinerja run untuk skenario ini.",
                 "The notebook kinerja run executes for this scenario."),
    "policies": ("Kebijakan penilaian", "Appraisal policies",
                 "Aturan penilaian yang dibandingkan pada bukti yang sama; yang pertama adalah pembanding (status quo).",
                 "The appraisal rules compared on the same evidence; the first is the baseline (status quo)."),
    "rewards": ("Skema imbalan", "Reward schemes",
                "Tindak lanjut (TPP, angka kredit, karier) yang diterapkan pada hasil penilaian setiap kebijakan.",
                "Follow-ups (TPP, credit points, career) applied to every policy's appraisal."),
    # population
    "population.n_employees": ("Jumlah ASN", "Number of civil servants", "Banyaknya PNS dan PPPK di daerah yang disimulasikan.",
                               "How many PNS and PPPK the simulated region has."),
    "population.reference_year": ("Tahun penilaian", "Appraisal year", "Tahun kalender penilaian; umur, masa kerja dan NIP dihitung darinya.",
                                  "Calendar year of the appraisal; ages, tenures and NIP dates count from it."),
    "population.opd_mix": ("Komposisi jenis OPD", "Mix of OPD kinds", "Porsi pegawai di tiap jenis OPD (jumlahnya 1).",
                           "Share of employees in each kind of OPD (summing to 1)."),
    "population.opd_mix.*": ("Porsi pegawai jenis OPD ini", "Share of employees in this OPD kind",
                             "Bagian seluruh ASN yang bekerja di OPD jenis ini.", "The share of all civil servants who work in this kind of OPD."),
    "population.opd_size_mean": ("Besar OPD rata-rata", "Mean OPD size", "Rata-rata jumlah pegawai satu OPD (atau UPT) per jenis.",
                                 "Mean number of employees of one OPD (or UPT) of each kind."),
    "population.opd_size_mean.*": ("Besar OPD rata-rata jenis ini", "Mean OPD size of this kind",
                                   "Rata-rata jumlah pegawai satu OPD atau UPT jenis ini; menentukan banyaknya unit yang berbagi guncangan.",
                                   "Mean employees of one OPD or UPT of this kind; sets how many units share a shock."),
    "population.team_size_mean": ("Besar tim rata-rata", "Mean team size", "Rata-rata jumlah staf yang dinilai satu pejabat penilai.",
                                  "Mean number of staff one appraising superior rates."),
    "population.units_per_division": ("Unit per bidang", "Units per division", "Banyaknya unit di bawah satu administrator.",
                                      "Units one administrator (division head) oversees."),
    "population.share_female": ("Porsi perempuan", "Share of women", "Bagian perempuan di antara ASN.", "Share of women among civil servants."),
    "population.share_pppk": ("Porsi PPPK", "Share of PPPK", "Bagian PPPK (ASN kontrak) di antara ASN.", "Share of contract civil servants (PPPK)."),
    "population.share_functional": ("Porsi jabatan fungsional", "Share in functional posts",
                                    "Bagian staf non-struktural di jabatan fungsional (bukan pelaksana), per jenis OPD.",
                                    "Share of non-structural staff in functional rather than pelaksana posts, by OPD kind."),
    "population.share_functional.*": ("Porsi jabatan fungsional jenis ini", "Share in functional posts of this kind",
                                      "Bagian staf non-struktural OPD jenis ini yang berjabatan fungsional.",
                                      "Share of this kind's non-structural staff in functional posts."),
    "population.share_local_origin": ("Porsi putra daerah", "Share of local origin",
                                      "Bagian pegawai asal daerah setempat; dipakai untuk bias kelompok-sama penilai.",
                                      "Share of employees of local origin, the trait raters' in-group bias uses."),
    "population.retirement_age": ("Batas usia pensiun", "Retirement age", "Umur pegawai keluar karena pensiun.", "Age at which employees retire."),
    # truth
    "truth.ability_weight": ("Bobot kemampuan", "Weight of ability", "Seberapa besar kemampuan membentuk kinerja umum sebenarnya.",
                             "How much ability makes up true general performance."),
    "truth.effort_weight": ("Bobot upaya", "Weight of effort", "Seberapa besar upaya kerja membentuk kinerja umum sebenarnya.",
                            "How much effort makes up true general performance."),
    "truth.effort_alpha": ("Sebaran upaya: alfa", "Effort distribution: alpha", "Parameter alfa distribusi Beta upaya awal (0-1).",
                           "Alpha of the Beta distribution of baseline effort (0-1)."),
    "truth.effort_beta": ("Sebaran upaya: beta", "Effort distribution: beta", "Parameter beta distribusi Beta upaya awal (0-1).",
                          "Beta of the Beta distribution of baseline effort (0-1)."),
    "truth.inter_dimension_correlation": ("Korelasi sebenarnya antar-dimensi", "True inter-dimension correlation",
                                          "Korelasi sebenarnya antara dua dimensi BerAKHLAK, sebelum penilai menambah halo.",
                                          "True correlation of any two BerAKHLAK dimensions, before raters add halo."),
    "truth.results_general_loading": ("Kaitan hasil kerja dengan kinerja umum", "Results' loading on general performance",
                                      "Korelasi hasil kerja sebenarnya dengan kinerja umum sebenarnya.",
                                      "Correlation of true work results with true general performance."),
    "truth.quality_general_loading": ("Kaitan mutu layanan dengan kinerja umum", "Quality's loading on general performance",
                                      "Korelasi mutu layanan yang tak terukur dengan kinerja umum sebenarnya.",
                                      "Correlation of unmeasured service quality with true general performance."),
    "truth.within_period_sd": ("Naik-turun dalam periode", "Swings within a period",
                               "Simpangan naik-turun kinerja dari bulan ke bulan dalam satu periode (yang ditangkap bias kekinian).",
                               "SD of month-to-month swings of performance within a period (what recency bias picks up)."),
    # work: indicators
    "work.indicators": ("Indikator kinerja", "Performance indicators", "Indikator objektif tiap jenis OPD, dengan namanya.",
                        "The objective indicators of each OPD kind, by name."),
    "work.indicators.*.opd_kind": ("Jenis OPD", "OPD kind", "Jenis OPD yang jabatannya memegang indikator ini.",
                                   "The OPD kind whose positions hold this indicator."),
    "work.indicators.*.label": ("Nama tampilan", "Display name", "Nama indikator di laporan.", "The indicator's name in reports."),
    "work.indicators.*.unit": ("Satuan", "Unit", "Satuan realisasi indikator.", "The unit of the indicator's realisation."),
    "work.indicators.*.lower_is_better": ("Makin kecil makin baik", "Lower is better",
                                          "Ya untuk indikator waktu; capaian memakai rumus kebalikan (PermenPANRB 8/2021).",
                                          "True for time-like indicators; achievement then uses the inverse rule (PermenPANRB 8/2021)."),
    "work.indicators.*.scale": ("Skala", "Scale", "Cara sinyal baku dipetakan ke satuan asli: log, logit persen, atau linear.",
                                "How the standardised signal maps to the natural unit: log, logit percent or linear."),
    "work.indicators.*.typical": ("Nilai khas", "Typical value", "Realisasi pegawai rata-rata, sebelum target dinegosiasikan.",
                                  "What an average employee realises, before targets are negotiated."),
    "work.indicators.*.spread": ("Sebaran", "Spread", "Simpangan baku realisasi pada sumbu skala (log, logit atau satuan asli).",
                                 "SD of realisations on the scale's axis (log, logit or natural unit)."),
    "work.indicators.*.validity": ("Validitas tanpa kontaminasi", "Validity without contamination",
                                   "Korelasi bagian tetap indikator dengan hasil kerja sebenarnya bila tidak ada yang di luar kendali pegawai "
                                   "menggerakkannya; validitas terukur menjadi validitas x akar(1 - kontaminasi) x akar(keandalan).",
                                   "Correlation of the indicator's stable part with true work results when nothing outside the employee's "
                                   "control moves it; the measured validity is validity x sqrt(1 - contamination) x sqrt(reliability)."),
    "work.indicators.*.reliability": ("Keandalan pengukuran", "Measurement reliability",
                                      "Bagian ragam indikator yang bukan galat pengukuran (1 = dicatat tanpa galat).",
                                      "Share of the indicator's variance that is not measurement error (1 = recorded without error)."),
    "work.indicators.*.contamination": ("Kontaminasi", "Contamination",
                                        "Bagian ragam tetap indikator yang berasal dari guncangan bersama unit kerja (beban kasus, peralatan, "
                                        "cuaca) di luar kendali pegawai; pada derau tetap, kontaminasi lebih tinggi menurunkan validitas "
                                        "(validitas x akar(1 - kontaminasi)).",
                                        "Share of the indicator's stable variance caused by shocks the work unit shares (caseload, equipment, "
                                        "weather), outside the employee's control; at fixed noise, more contamination lowers validity "
                                        "(validity x sqrt(1 - contamination))."),
    "work.indicators.*.gameability": ("Mudah dimanipulasi", "Gameability",
                                      "Seberapa jauh angka yang dilaporkan naik per satuan upaya manipulasi (SD indikator); 0 = tidak bisa "
                                      "dimanipulasi.",
                                      "How far the reported value rises per unit of gaming effort (SD of the indicator); 0 = cannot be gamed."),
    "work.indicators.*.main": ("Hasil kerja utama", "Main result", "Ya bila hasil kerja utama, bukan tambahan.",
                               "True for a main result (hasil kerja utama), not an additional one."),
    # work: targets, ideas, organisation, discipline
    "work.target_leniency_mean": ("Kelonggaran target", "Target leniency",
                                  "Seberapa jauh target SKP dinegosiasikan di bawah capaian pegawai rata-rata (SD indikator).",
                                  "How far SKP targets are negotiated below what an average employee achieves (SD of the indicator)."),
    "work.target_leniency_sd": ("Sebaran kelonggaran target", "Spread of target leniency",
                                "Beda kelonggaran target antar-pegawai.", "How much target leniency differs between employees."),
    "work.target_ratchet": ("Efek ratchet target", "Target ratchet",
                            "Bobot kinerja pegawai sendiri tahun lalu dalam targetnya: makin tinggi, makin berprestasi makin berat targetnya.",
                            "Weight of the employee's own past performance in the target: higher makes good performers' targets harder."),
    "work.new_idea_base_rate": ("Peluang ide baru", "Rate of new ideas",
                                "Bagian pegawai rata-rata yang dikreditkan ide atau metode baru setahun (syarat Sangat Baik PP 30/2019).",
                                "Share of average employees credited with a new idea or method a year (PP 30/2019 Sangat Baik condition)."),
    "work.new_idea_performance_slope": ("Kaitan ide baru dengan kinerja", "New ideas' link to performance",
                                        "Kenaikan log-odds ide baru per SD kinerja umum.", "Rise in the log-odds of a new idea per SD of general performance."),
    "work.extra_tasks_per_year": ("Tugas tambahan per tahun", "Extra tasks per year", "Rata-rata tugas tambahan setahun.",
                                  "Mean additional tasks (tugas tambahan) a year."),
    "work.org_capaian_leniency": ("Kemurahan capaian organisasi", "Leniency of organisational achievement",
                                  "Poin yang ditambahkan pimpinan di atasnya pada capaian kinerja organisasi unit.",
                                  "Points the leader above adds to a unit's organisational achievement."),
    "work.org_capaian_noise_sd": ("Derau capaian organisasi", "Noise of organisational achievement",
                                  "Simpangan acak capaian kinerja organisasi unit (poin persen).", "Random noise in a unit's organisational achievement (points)."),
    "work.discipline.late_days_per_month": ("Hari terlambat per bulan", "Late days per month",
                                            "Rata-rata hari terlambat sebulan pada upaya rata-rata.", "Mean late days a month at average effort."),
    "work.discipline.late_effort_elasticity": ("Kepekaan keterlambatan terhadap upaya", "Lateness' response to effort",
                                               "Seberapa cepat keterlambatan turun bila upaya naik.", "How fast lateness falls as effort rises."),
    "work.discipline.late_band_shares": ("Porsi kelas keterlambatan", "Shares of lateness bands",
                                         "Porsi hari terlambat di kelas TL1-TL4.", "Shares of late days in the bands TL1-TL4."),
    "work.discipline.absent_days_per_year": ("Hari mangkir per tahun", "Absent days per year",
                                             "Rata-rata hari tidak masuk tanpa keterangan setahun pada upaya rata-rata.",
                                             "Mean unexcused absence days a year at average effort."),
    # citizens
    "citizens.services": ("Layanan loket", "Counter services", "Antrean dan pengaduan tiap jenis OPD yang melayani warga.",
                          "Queues and complaints of each counter-service OPD kind."),
    "citizens.services.*.visits_per_resident_per_year": ("Kunjungan per penduduk per tahun", "Visits per resident a year",
                                                         "Permintaan layanan: kunjungan setahun per penduduk ke jenis layanan ini.",
                                                         "Demand: visits a year per resident to this kind of service point."),
    "citizens.services.*.service_minutes": ("Menit layanan", "Service minutes", "Menit yang dibutuhkan staf rata-rata per warga.",
                                            "Minutes an average staff member needs per citizen."),
    "citizens.services.*.counter_share": ("Porsi staf di loket", "Share of staff at the counter",
                                          "Bagian staf unit layanan yang melayani di loket.", "Share of the service point's staff serving at the counter."),
    "citizens.services.*.speed_per_sd": ("Kecepatan per SD kinerja", "Speed per SD of performance",
                                         "Perubahan (log) laju layanan per SD kinerja umum petugas.",
                                         "Log change of the service rate per SD of a server's general performance."),
    "citizens.services.*.facility_quality_mean": ("Mutu sarana", "Facility quality", "Rata-rata mutu sarana prasarana unit layanan (SD).",
                                                  "Mean facility quality of the service points (SD)."),
    "citizens.services.*.complaints_per_1000": ("Pengaduan per 1.000 kunjungan", "Complaints per 1,000 visits",
                                                "Pengaduan di unit layanan rata-rata per 1.000 kunjungan.", "Complaints per 1,000 visits at an average point."),
    "citizens.residents_per_employee": ("Penduduk per ASN", "Residents per civil servant",
                                        "Penduduk daerah per ASN: berapa warga yang dilayani unit layanan.",
                                        "Residents per civil servant: how many citizens the service points serve."),
    "citizens.opening_hours_per_day": ("Jam buka per hari", "Opening hours a day", "Jam buka unit layanan per hari kerja.",
                                       "Opening hours of a service point per working day."),
    "citizens.working_days_per_month": ("Hari kerja per bulan", "Working days a month", "Hari kerja sebulan.", "Working days in a month."),
    "citizens.surveys_per_year": ("Survei SKM per tahun", "SKM surveys a year", "Berapa kali SKM dilakukan setahun di tiap unit layanan.",
                                  "How often the SKM survey runs a year at each service point."),
    "citizens.citizen_ratings_per_staff": ("Penilaian warga per petugas", "Citizen ratings per clerk",
                                           "Penilaian warga atas petugas loket per bulan (tombol penilaian); 0 = tidak ada.",
                                           "Citizen ratings of each counter clerk a month (rating buttons); 0 = none."),
    "citizens.handling_time_case_mix_sd": ("Ragam campuran kasus", "Case-mix spread",
                                           "Simpangan log waktu layanan tercatat unit di sekitar yang diberikan kecepatan stafnya.",
                                           "SD of the log of a point's recorded handling time around what its staff's speed gives."),
    "citizens.satisfaction.wait_tolerance_minutes": ("Toleransi tunggu", "Wait tolerance", "Tunggu sampai kira-kira selama ini masih dapat diterima.",
                                                     "Waits up to about this long are found acceptable."),
    "citizens.satisfaction.wait_weight": ("Bobot waktu tunggu", "Weight of waiting", "Turunnya kepuasan per dua kali lipat tunggu di atas toleransi.",
                                          "Drop in satisfaction per doubling of the wait beyond tolerance."),
    "citizens.satisfaction.staff_weight": ("Bobot kinerja staf", "Weight of staff performance",
                                           "Kepuasan per SD kinerja rata-rata staf unit layanan.", "Satisfaction per SD of the point's mean staff performance."),
    "citizens.satisfaction.facility_weight": ("Bobot sarana", "Weight of facilities", "Kepuasan per SD mutu sarana.", "Satisfaction per SD of facility quality."),
    "citizens.satisfaction.respondent_sd": ("Ragam responden", "Respondent spread", "Simpangan kepuasan responden di sekitar tingkat unitnya.",
                                            "SD of a respondent's own satisfaction around the point's level."),
    "citizens.satisfaction.element_sd": ("Ragam unsur SKM", "SKM element spread", "Derau tiap jawaban dari 9 unsur SKM.",
                                         "Noise of each of the 9 SKM answers."),
    "citizens.satisfaction.expectation": ("Kepuasan kunjungan rata-rata", "Satisfaction of an average visit",
                                          "Tingkat kepuasan laten kunjungan rata-rata (1,0 = mutu B SKM).",
                                          "Latent satisfaction of an average visit (1.0 = SKM grade B)."),
    "citizens.satisfaction.cutpoints": ("Titik potong jawaban SKM", "SKM answer cut-points", "Titik potong antara jawaban 1-4 SKM.",
                                        "Cut-points between the SKM answers 1-4."),
    "citizens.satisfaction.selectivity": ("Selektivitas responden", "Respondent selectivity",
                                          "Kecenderungan tambahan menjawab survei bagi yang sangat puas atau sangat kecewa.",
                                          "Extra propensity to answer of the very satisfied and very dissatisfied."),
    # raters: any source
    "raters.*.leniency_mean": ("Kemurahan rata-rata", "Mean leniency",
                               "Pergeseran rata-rata nilai sumber ini (positif = murah), dalam SD kinerja sebenarnya.",
                               "Mean shift of this source's ratings (positive = lenient), in SD of true performance."),
    "raters.*.leniency_sd": ("Beda kemurahan antar-penilai", "Leniency spread between raters",
                             "Seberapa berbeda kemurahan penilai satu dengan lainnya.", "How much raters of this source differ in leniency."),
    "raters.*.slope_mean": ("Kemiringan rata-rata", "Mean slope",
                            "Seberapa kuat nilai mengikuti kinerja yang dilihat: di bawah 1 = kecenderungan tengah, di atas 1 = ekstrem.",
                            "How strongly ratings follow perceived performance: below 1 = central tendency, above 1 = extremity."),
    "raters.*.slope_sd": ("Beda kemiringan antar-penilai", "Slope spread between raters", "Seberapa berbeda kemiringan penilai.",
                          "How much raters differ in slope."),
    "raters.*.idiosyncratic_sd": ("Kesan pribadi penilai", "Rater's own impression",
                                  "Simpangan kesan umum seorang penilai atas seorang ternilai, sama untuk semua dimensi.",
                                  "SD of one rater's general impression of one ratee, shared by every dimension."),
    "raters.*.noise_sd": ("Derau penilaian", "Rating noise", "Simpangan acak tiap nilai dimensi.", "Random noise of each dimension rating."),
    "raters.*.halo": ("Halo", "Halo", "Bobot kesan umum penilai pada nilai tiap dimensi (0 = tidak ada, 1 = semua dimensi sama).",
                      "Weight of the rater's overall impression in each dimension's rating (0 = none, 1 = every dimension the same)."),
    "raters.*.ingroup_bias": ("Bias kelompok-sama", "In-group bias", "Tambahan nilai bagi ternilai yang seasal daerah dengan penilai.",
                              "Extra rating for ratees who share the rater's local origin."),
    "raters.supervisor.recency": ("Bias kekinian", "Recency bias", "Bobot bulan-bulan terakhir periode (0 = semua bulan sama).",
                                  "Weight of the period's last months (0 = every month counts alike)."),
    "raters.supervisor.stakes_inflation": ("Inflasi karena taruhan", "Stakes inflation",
                                           "Kemurahan tambahan atasan bila nilai menentukan tunjangan.", "Extra leniency of superiors when the rating decides pay."),
    "raters.supervisor.rotation_share": ("Porsi atasan yang bergilir", "Share of superiors taking turns",
                                         "Bagian atasan yang, di bawah kuota, menggilir predikat teratas di timnya.",
                                         "Share of superiors who, under a quota, rotate the top predikat among their team."),
    "raters.supervisor.perspective_sd": ("Sudut pandang atasan", "Superiors' perspective",
                                         "Simpangan pandangan atas seorang ternilai yang sama bagi semua atasan (bukan bagi rekan).",
                                         "SD of the view of a ratee every superior shares (peers do not)."),
    "raters.n_peers": ("Jumlah rekan penilai", "Peers per ratee", "Rekan kerja yang menilai tiap pegawai bila ada penilaian 360 derajat.",
                       "Peers who rate each employee where 360-degree input is used."),
    "raters.results_idiosyncratic_share": ("Kesan pribadi pada hasil kerja", "Impression in the results judgement",
                                           "Bagian kesan pribadi atasan yang juga mewarnai penilaian hasil kerja.",
                                           "Share of the superior's impression that also colours the work-results judgement."),
    "raters.results_noise_sd": ("Derau penilaian hasil kerja", "Noise of the results judgement",
                                "Simpangan acak penilaian atasan atas hasil kerja (yang juga melihat bukti SKP).",
                                "Random noise of the superior's judgement of work results (which also sees the SKP evidence)."),
    "raters.log_points_per_sd": ("Poin log harian per SD", "Log points per SD", "Perubahan relatif poin log harian per SD penilaian diri.",
                                 "Relative change of daily-log points per SD of self-rating."),
    "raters.scales.score_center": ("Nilai tengah 0-100", "Centre of the 0-100 score", "Nilai 0-100 penilaian laten rata-rata.",
                                   "The 0-100 score of an average latent rating."),
    "raters.scales.score_per_sd": ("Poin per SD", "Points per SD", "Poin skor 0-100 per SD penilaian laten.", "Score points per SD of the latent rating."),
    "raters.scales.likert_cutpoints": ("Titik potong skala 1-5", "Cut-points of the 1-5 scale", "Titik potong antara nilai skala 1-5.",
                                       "Cut-points between the values of a 1-5 scale."),
    "raters.scales.expectation_below": ("Batas di bawah ekspektasi", "Below-expectation threshold",
                                        "Penilaian laten di bawah ini diberi 'di bawah ekspektasi' (PermenPANRB 6/2022).",
                                        "Latent rating below which a superior rates 'below expectation' (PermenPANRB 6/2022)."),
    "raters.scales.expectation_above": ("Batas di atas ekspektasi", "Above-expectation threshold",
                                        "Penilaian laten di atas ini diberi 'di atas ekspektasi'.", "Latent rating above which a superior rates 'above expectation'."),
    "raters.observed": ("Porsi ragam dari data nyata", "Variance shares from real data",
                        "Porsi ragam yang diestimasi kinerja estimate dari ekspor nyata, yang diperiksa kinerja calibrate.",
                        "Variance shares kinerja estimate found in a real export, which kinerja calibrate checks."),
    # appraisal
    "appraisal.period_months": ("Panjang periode (bulan)", "Period length (months)", "Panjang satu periode penilaian (12 = tahunan).",
                                "Length of one appraisal period (12 = yearly)."),
    "appraisal.pay_linked": ("Nilai menentukan tunjangan", "Ratings decide pay", "Ya bila nilai menentukan TPP; atasan lalu lebih murah.",
                             "True when ratings decide TPP; superiors are then more lenient."),
    # dynamics
    "dynamics.periods": ("Jumlah periode", "Periods", "Banyaknya periode penilaian dalam satu run.", "Appraisal periods in a run."),
    "dynamics.effort_cost": ("Biaya upaya", "Cost of effort", "Makin besar, makin sedikit upaya naik karena insentif.",
                             "The larger, the less effort rises with an incentive."),
    "dynamics.adjustment": ("Laju penyesuaian", "Adjustment speed", "Bagian jarak ke upaya, manipulasi dan resistensi sasaran yang ditutup setahun.",
                            "Share of the gap to target effort, gaming and resistance closed in a year."),
    "dynamics.pay_spread_full": ("Selisih tunjangan insentif penuh", "Pay spread for a full incentive",
                                 "Perubahan tunjangan per SD nilai yang dihitung sebagai insentif penuh.",
                                 "Pay change per SD of score that counts as a full-strength incentive."),
    "dynamics.career_stakes": ("Taruhan karier", "Career stakes", "Insentif dari taruhan bukan uang (talent pool, penghargaan) per tingkat predikat.",
                               "Incentive from non-pay stakes (talent pool, awards) per predikat level."),
    "dynamics.accountability": ("Akuntabilitas target", "Accountability for targets",
                                "Insentif tambahan bagi pegawai yang periode lalu meleset dari target utama.",
                                "Extra incentive for an employee who missed a main target last period."),
    "dynamics.gaming_propensity": ("Kecenderungan manipulasi", "Gaming propensity",
                                   "Upaya manipulasi sasaran per satuan insentif kali ketergantungan nilai pada indikator terukur; 0 = tidak ada "
                                   "yang memanipulasi.",
                                   "Target gaming effort per unit of incentive times the score's reliance on measured indicators; 0 = nobody games."),
    "dynamics.gaming_reference_gameability": ("Kemudahan manipulasi acuan", "Reference gameability",
                                              "Kemudahan manipulasi di mana kecenderungan manipulasi berlaku apa adanya.",
                                              "Gameability at which the gaming propensity applies as it is."),
    "dynamics.gaming_quality_cost": ("Mutu hilang karena manipulasi", "Quality lost to gaming",
                                     "Mutu layanan tak terukur yang hilang per satuan manipulasi (masalah multitugas).",
                                     "Unmeasured service quality lost per unit of gaming (multitask problem)."),
    "dynamics.fairness_rater_weight": ("Rasa adil: bobot penilai", "Fairness: weight of the rater",
                                       "Rasa adil yang hilang per satuan porsi ragam penilai pada nilai.", "Fairness lost per unit of the score's rater share."),
    "dynamics.fairness_quota_weight": ("Rasa adil: bobot kuota", "Fairness: weight of quotas",
                                       "Rasa adil yang hilang per satuan dinilai di bawah kedudukan sebenarnya.", "Fairness lost per unit of being rated below one's standing."),
    "dynamics.change_shock": ("Kejutan perubahan", "Change shock", "Tekanan resistensi pada periode pertama kebijakan baru.",
                              "Resistance pressure in a new policy's first period."),
    "dynamics.rigidity_weight": ("Bobot kekakuan", "Weight of rigidity", "Tekanan resistensi per satuan ketergantungan pada indikator dan insentif.",
                                 "Resistance pressure per unit of reliance on indicators and of incentive."),
    "dynamics.culture": ("Budaya pengembangan", "Development culture", "Bagian tekanan yang tidak menjadi resistensi.",
                         "Share of the pressure that does not turn into resistance."),
    "dynamics.socialisation": ("Sosialisasi", "Socialisation", "Bagian resistensi yang hilang setahun karena sosialisasi dan pelatihan.",
                               "Share of resistance removed a year by socialisation and training."),
    "dynamics.resistance_effort": ("Upaya hilang karena resistensi", "Effort lost to resistance", "Upaya sasaran yang hilang per satuan resistensi.",
                                   "Target effort lost per unit of resistance."),
    "dynamics.quit_base": ("Peluang keluar dasar", "Base quit rate", "Peluang setahun keluar sukarela tanpa resistensi.",
                           "Yearly probability of leaving at zero resistance."),
    "dynamics.quit_resistance": ("Peluang keluar karena resistensi", "Quit rate from resistance",
                                 "Tambahan peluang keluar setahun per satuan resistensi.", "Extra yearly probability of leaving per unit of resistance."),
    "dynamics.training_gain": ("Hasil pelatihan", "Training gain", "Kemampuan yang naik setelah pelatihan karena predikat di bawah ekspektasi.",
                               "Ability gained by someone trained after a below-expectation predikat."),
    "dynamics.training_all": ("Pelatihan semua", "Training for all", "Kemampuan yang naik setahun bagi semua pegawai karena pelatihan.",
                              "Ability everyone gains a year from training."),
    "dynamics.applicant_ability_mean": ("Kemampuan pelamar", "Applicants' ability", "Rata-rata kemampuan pegawai baru.",
                                        "Mean ability of new hires."),
}

#: Said once under the parameter list (``kinerja list --parameters``): how the knobs interact.
CAVEATS: tuple[tuple[str, str], ...] = (
    ("Pada derau tetap (keandalan tetap), menaikkan kontaminasi indikator menurunkan validitasnya: validitas terukur = "
     "validitas x akar(1 - kontaminasi) x akar(keandalan). Bagian ragam unit bertambah, bagian ragam orangnya berkurang.",
     "At fixed noise (reliability fixed), raising an indicator's contamination lowers its validity: measured validity = "
     "validity x sqrt(1 - contamination) x sqrt(reliability). The unit's share of its variance grows, the person's shrinks."),
    ("Faktor pribadi indikator dan guncangan unit diundi ulang setiap periode: keandalan antar-periode hanya berasal dari "
     "hasil kerja sebenarnya.",
     "An indicator's person-specific factors and the unit's shocks are redrawn every period: period-to-period reliability "
     "comes from true results alone."),
    ("Manipulasi hanya muncul bila pegawai bereaksi (lebih dari satu periode, kecenderungan manipulasi di atas 0) dan "
     "indikatornya bisa dimanipulasi (gameability di atas 0).",
     "Gaming shows only once people respond (more than one period, gaming propensity above 0) and on a gameable "
     "indicator (gameability above 0)."),
)


def _key(path: str) -> str | None:
    if path in PARAMETER_TEXT:
        return path
    matches = [k for k in PARAMETER_TEXT if "*" in k and k.count(".") == path.count(".") and fnmatchcase(path, k)]
    # the most specific: the fewest wildcards
    return min(matches, key=lambda k: k.count("*")) if matches else None


def parameter_text(path: str, lang: str = "id") -> tuple[str, str] | None:
    """``(label, meaning)`` of a parameter path in ``lang`` ('id' or 'en'), None when no entry matches."""
    key = _key(path)
    if key is None:
        return None
    entry = PARAMETER_TEXT[key]
    i = 0 if lang == "id" else 1
    label, meaning = entry[i], entry[2 + i]
    parts = path.split(".")
    if key.startswith("raters.*.") and len(parts) == 3:  # say whose ratings
        source = parts[1] if lang == "en" else _SOURCE_ID.get(parts[1], parts[1])
        label = f"{label} ({source.replace('_', ' ')})"
    elif "*" in key:
        star = key.split(".").index("*")
        label = f"{label} ({parts[star]})"
    return label, meaning


def parameter_label(path: str, lang: str = "id") -> str:
    """The plain label of a parameter path (the path itself when no entry matches)."""
    text = parameter_text(path, lang)
    return path if text is None else text[0]


def describe_parameters(rows, lang: str = "en") -> list[str]:
    """Lines of ``kinerja list --parameters``: ``(path, default, unit, schema description)`` rows in plain words."""
    out = []
    for path, default, unit, desc in rows:
        text = parameter_text(path, lang)
        label, meaning = text if text is not None else (path, desc)
        unit = f" [{unit}]" if unit and unit != "-" else ""
        out.append(f"  {path} = {default}{unit}\n      {label}: {meaning}")
    out.append("")
    out.extend(f"  * {c[0 if lang == 'id' else 1]}" for c in CAVEATS)
    return out


def scenario_parameters(rows, scenario=None):
    """``(path, default, unit, description)`` rows with each entry of a mapping parameter on its own rows.

    ``rows`` are the schema's own rows (one per field, a mapping shown as ``{N entries}``);
    the default scenario (or ``scenario``) gives the entries: ``work.indicators.<name>.<field>``,
    ``citizens.services.<kind>.<field>``, ``population.opd_mix.<kind>``.
    """
    from pydantic import BaseModel

    if scenario is None:
        from simulate.scenario.schema import Scenario

        scenario = Scenario()
    for path, default, unit, desc in rows:
        value = scenario
        for part in path.split("."):
            value = getattr(value, part, None)
        if not isinstance(value, dict) or not value:
            yield path, default, unit, desc
            continue
        yield path, f"{{{len(value)} entries}}", unit, desc
        for key, entry in value.items():  # a dozen indicators, five kinds
            if isinstance(entry, BaseModel):
                for name, field in type(entry).model_fields.items():
                    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
                    yield f"{path}.{key}.{name}", getattr(entry, name), extra.get("unit", ""), field.description or ""
            else:
                yield f"{path}.{key}", entry, unit, desc
