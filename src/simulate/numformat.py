"""Numbers in the reader's locale, through Babel: ``1.234,5`` and ``Rp 173,5 miliar`` in Bahasa
Indonesia, ``1,234.5`` and ``IDR 173.5 billion`` in English.

Every number a person reads in a report, a table, a figure or a workbook goes through these
functions, so the Indonesian report never prints an English thousands separator (``Rp173,515
juta`` reads in Indonesian as 173.5 million, a factor 1,000 too small).
"""

from __future__ import annotations

import math
from typing import Any

from babel.numbers import format_decimal, format_percent

__all__ = ["LOCALES", "number", "integer", "percent", "rupiah", "rupiah_unit", "signed", "signed_percent", "interval",
           "axis_formatter"]

LOCALES = {"id": "id", "en": "en"}

# Rupiah magnitudes and their names (Indonesian usage: juta = 10^6, miliar = 10^9, triliun = 10^12).
_MAGNITUDES = ((1e12, "triliun", "trillion"), (1e9, "miliar", "billion"), (1e6, "juta", "million"),
               (1.0, "", ""))


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"lang: must be one of {', '.join(LOCALES)}, got {lang!r}") from None


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def number(x: Any, lang: str, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals and the locale's separators; a dash when not finite."""
    if not _finite(x):
        return "–"
    value = round(float(x), max(digits, 0)) + 0.0  # no "-0,00": a value that rounds to zero has no sign
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def integer(x: Any, lang: str) -> str:
    """A count: ``4.500`` (id), ``4,500`` (en)."""
    return number(round(float(x)) if _finite(x) else x, lang, 0)


def percent(x: Any, lang: str, digits: int = 1) -> str:
    """A share as a percentage: ``70,0%`` (id), ``70.0%`` (en)."""
    if not _finite(x):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(float(x), format=pattern, locale=_locale(lang))


def signed(x: Any, lang: str, digits: int = 2) -> str:
    """A difference with its sign: ``+0,12`` / ``−0,12``, and ``±0,00`` when it rounds to zero."""
    if not _finite(x):
        return "–"
    value = round(float(x), digits)
    return ("+" if value > 0 else "−" if value < 0 else "±") + number(abs(value), lang, digits)


def signed_percent(x: Any, lang: str, digits: int = 1) -> str:
    """A relative difference with its sign: ``+1,5%`` / ``−0,6%`` / ``±0,0%``."""
    if not _finite(x):
        return "–"
    value = round(100 * float(x), digits) / 100
    return ("+" if value > 0 else "−" if value < 0 else "±") + percent(abs(value), lang, digits)


def rupiah_unit(values: Any) -> tuple[float, str, str]:
    """The magnitude (divisor, Indonesian name, English name) that suits the largest of ``values``."""
    try:
        biggest = max(abs(float(v)) for v in values if _finite(v))
    except ValueError:
        biggest = 0.0
    for size, name_id, name_en in _MAGNITUDES:
        if biggest >= size:
            return size, name_id, name_en
    return 1.0, "", ""


def rupiah(x: Any, lang: str, digits: int = 1, unit: tuple[float, str, str] | None = None) -> str:
    """An amount of rupiah in words of magnitude: ``Rp 173,5 miliar`` (id), ``IDR 173.5 billion`` (en).

    ``unit`` (from :func:`rupiah_unit`) fixes the magnitude so that numbers side by side share it.
    """
    if not _finite(x):
        return "–"
    size, name_id, name_en = unit or rupiah_unit([x])
    value = float(x) / size
    digits = digits if size > 1 else 0
    name = name_id if lang == "id" else name_en
    prefix = "Rp " if lang == "id" else "IDR "
    sign = "−" if value < 0 else ""
    return f"{sign}{prefix}{number(abs(value), lang, digits)}" + (f" {name}" if name else "")


def interval(mean: Any, low: Any, high: Any, lang: str, digits: int = 2, scale: float = 1.0) -> str:
    """``mean [low–high]`` in the locale (the bracket omitted when the interval is not finite)."""
    text = number(float(mean) / scale if _finite(mean) else mean, lang, digits)
    if _finite(low) and _finite(high):
        text += f" [{number(float(low) / scale, lang, digits)}–{number(float(high) / scale, lang, digits)}]"
    return text


def axis_formatter(lang: str, digits: int | None = None, percent_axis: bool = False):
    """A matplotlib tick formatter that writes tick values in the locale, every tick of an axis
    with the same number of decimals (the fewest that tell the ticks apart, unless ``digits``)."""
    from matplotlib.ticker import Formatter

    class _Locale(Formatter):
        decimals = 0 if digits is None else digits

        def _fit(self, values) -> None:
            if digits is not None:
                return
            scaled = [float(v) * (100 if percent_axis else 1) for v in values]
            self.decimals = next((d for d in range(4) if all(abs(v * 10 ** d - round(v * 10 ** d)) < 1e-6
                                                              for v in scaled)), 3)

        def format_ticks(self, values) -> list[str]:
            self._fit(values)
            return [self(v) for v in values]

        def __call__(self, value: float, pos: int | None = None) -> str:
            return percent(value, lang, self.decimals) if percent_axis else number(value, lang, self.decimals)

    return _Locale()
