"""The regional-case report's own words (Bahasa Indonesia and English) and number formatting.

These are the report's headings, notes, column names and captions, shared by every case; what a
case says (its mechanism, arms and claims) is in its case file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulate.regions.types import Claim, Region, Side
from simulate.report import lookup_text

__all__ = ["RT", "against_text", "fmt_interval", "period_text", "side_text"]

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
    "col_basis": ("Dasar", "Basis"),
    "finding": ("temuan model", "model finding"),
    "assumption": ("asumsi: {text}", "assumption: {text}"),
    "assumptions_note": (
        "Klaim bertanda *asumsi* terpenuhi karena sebuah parameter kasus dibuat demikian (misalnya budaya, "
        "pelatihan, akuntabilitas); itu masukan model, bukan temuan. Klaim bertanda *temuan model* muncul dari "
        "interaksi model.",
        "Claims marked *assumption* hold because a parameter of the case is set that way (culture, training, "
        "accountability, for example): they are inputs of the model, not findings. Claims marked *model finding* "
        "emerge from the model's interplay."),
    "seeds": ("Klaim pada {k} seed lain", "Claims at {k} other seeds"),
    "seeds_note": (
        "Setiap klaim diperiksa ulang pada {k} seed akar lain (bukan seed preset), dengan {reps} replikasi dan "
        "{n:,} ASN per seed. *Margin* = rata-rata selisih ke arah yang diharapkan dibagi setengah lebar interval "
        "95%: di atas 1 berarti terpenuhi. Klaim yang tidak terpenuhi di setiap seed harus dibaca dengan porsi "
        "seed tempat ia terpenuhi.",
        "Every claim is checked again at {k} other root seeds (none the preset's), with {reps} replications and "
        "{n:,} ASN per seed. *Margin* = the mean difference in the expected direction over the half-width of the "
        "95% interval: above 1 means it holds. A claim that does not hold at every seed must be read with the "
        "share of seeds where it does."),
    "col_held": ("Terpenuhi pada", "Holds at"),
    "held_of": ("{held} dari {seeds} seed", "{held} of {seeds} seeds"),
    "col_margin": ("Margin terkecil", "Smallest margin"),
}


def RT(key: str, lang: str, **kwargs: Any) -> str:
    """Regional-case text ``key`` in ``lang`` (``id`` or ``en``), formatted with ``kwargs``."""
    return lookup_text(_TEXT, key, lang, **kwargs)


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


def fmt_interval(mean: float, lo: float, hi: float) -> tuple[str, str]:
    """A mean and its interval as text, on the same number of decimals."""
    d = _decimals(mean, lo, hi)
    return _fmt(mean, d), f"[{_fmt(lo, d)}, {_fmt(hi, d)}]"


def side_text(region: Region, side: Side, lang: str) -> str:
    """A claim side for people: an arm's label, a difference of two arms' labels, a threshold."""
    if side is None:
        return "-"
    if isinstance(side, tuple):
        return f"({region.arm(side[0]).label(lang)}) - ({region.arm(side[1]).label(lang)})"
    if isinstance(side, (int, float)):
        return RT("threshold", lang, v=float(side))
    return region.arm(side).label(lang)


def against_text(region: Region, claim: Claim, period: str, lang: str) -> str:
    """What a claim's arm is compared with, for people."""
    if claim.against is None:
        if claim.period == "trend":
            return RT("against_first", lang)
        if claim.period == "steps":
            return RT("against_previous", lang)
        return RT("nothing", lang)
    return side_text(region, claim.against, lang)


def period_text(p: str, lang: str) -> str:
    """A claims-table period (``last``, ``2``, ``0->1``) for people (periods counted from 1)."""
    if p in ("first", "last", "mean", "trend"):
        return RT(f"period_{p}", lang)
    if "->" in p:
        a, b = p.split("->")
        return RT("period_step", lang, a=int(a) + 1, b=int(b) + 1)
    return RT("period_k", lang, k=int(p) + 1)

