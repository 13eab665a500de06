"""Figures of the workshop: matplotlib's object API (no pyplot state), PNG bytes for the widgets.

A panel's live figure (:class:`LiveFigure`) is built once and redrawn by blitting: its static
part (axes, labels, legend) is drawn once into a background, and each move draws only the
artists that move over a copy of it, which is several times cheaper than a full draw (the
workshop benchmark, ``benchmarks/run.py workshop``, prints the redraw times). A figure made for
reading (papermill, tests) draws everything the ordinary way.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["new_figure", "png", "LiveFigure", "COLOURS", "PREDIKAT_COLOURS"]

#: Colours used across the panels (colour-blind safe Okabe-Ito).
COLOURS = {"main": "#0072B2", "other": "#999999", "accent": "#D55E00", "good": "#009E73", "line": "#444444"}
#: Sangat Baik ... Sangat Kurang.
PREDIKAT_COLOURS = ("#009E73", "#56B4E9", "#F0E442", "#E69F00", "#D55E00")

DPI = 80
#: zlib level of the PNGs: fast to encode; the page is served on this machine.
_COMPRESS = 1


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches at the workshop's resolution."""
    return Figure(figsize=(width, height), dpi=DPI)


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (what the page shows)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": _COMPRESS})
    return buf.getvalue()


class LiveFigure:
    """Base of the panels' kept figures: ``figure``, ``update(data)`` and :meth:`png`.

    A subclass builds its figure, then calls :meth:`_moving` with the artists ``update`` changes;
    ``update`` calls :meth:`invalidate` when it changes anything else (an axis limit, a title).
    With ``blit=False`` (a figure to read or save) nothing is animated and :meth:`png` draws
    the whole figure.
    """

    figure: Figure

    def _moving(self, artists, blit: bool) -> None:
        self._dynamic = list(artists) if blit else []
        self._background = None
        self._canvas = FigureCanvasAgg(self.figure) if blit else None
        for artist in self._dynamic:
            artist.set_animated(True)

    def invalidate(self) -> None:
        """The static part changed: draw it again at the next :meth:`png`."""
        self._background = None

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        if self._canvas is None:
            return png(self.figure)
        canvas, fig = self._canvas, self.figure
        if self._background is None:
            canvas.draw()  # everything but the moving artists
            self._background = canvas.copy_from_bbox(fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            fig.draw_artist(artist)
        from PIL import Image

        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=_COMPRESS)
        return buf.getvalue()
