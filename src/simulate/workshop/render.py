"""Figures of the workshop: matplotlib's object API (no pyplot state), PNG bytes for the widgets."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["new_figure", "png", "COLOURS", "PREDIKAT_COLOURS"]

#: Colours used across the panels (colour-blind safe Okabe-Ito).
COLOURS = {"main": "#0072B2", "other": "#999999", "accent": "#D55E00", "good": "#009E73", "line": "#444444"}
#: Sangat Baik ... Sangat Kurang.
PREDIKAT_COLOURS = ("#009E73", "#56B4E9", "#F0E442", "#E69F00", "#D55E00")

DPI = 80


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches with the workshop's font sizes."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (what the page shows)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})  # fast to encode; the page is local
    return buf.getvalue()
