"""The trainers' workshop (``notebooks/04-workshop.ipynb``, ``make workshop``): five panels on
how supervisors rate, each a pure function of the slider values (:class:`Settings`) with a
figure built on matplotlib's object API, and the widgets that redraw them in place.

One module per panel: :mod:`~simulate.workshop.team` (one team against its truth),
:mod:`~simulate.workshop.halo`, :mod:`~simulate.workshop.quadrant` (the 2022 quadrant and
curve), :mod:`~simulate.workshop.curves` (forced curves in small units) and
:mod:`~simulate.workshop.policies` (the scoring policies side by side);
:mod:`~simulate.workshop.app` wires them to ``ipywidgets``. Importing this package imports
neither ``ipywidgets`` nor pyplot.
"""

from __future__ import annotations

from simulate.workshop.kabupaten import Kabupaten
from simulate.workshop.settings import Settings

__all__ = ["Kabupaten", "Settings", "Workshop", "PANELS"]


def __getattr__(name: str):
    # The widgets are imported when asked for, so the panel functions work without a frontend.
    if name in ("Workshop", "PANELS"):
        from simulate.workshop import app

        return getattr(app, name)
    raise AttributeError(name)
