"""The workshop's widgets: shared controls, five panels that redraw in place, a language toggle.

Each panel is a narrative (HTML), the controls it reads, and its figure (an ``ipywidgets.Image``
whose PNG is replaced on each move: no output is cleared, nothing flickers). All panels share
one :class:`Settings`; each panel shows its own copy of the controls it reads, so that a move
redraws the panel the trainer touched first (the figure next to the slider answers in one
panel's time) and then the other panels that read the same control, whose copies follow the
move. The workshop kabupaten is simulated once (:class:`~simulate.workshop.kabupaten.Kabupaten`).

A panel displays itself as the live widget and, beside it in the same output, the figure as a
static PNG: JupyterLab and Voila show the widget, a notebook run by papermill and read
without a kernel shows the figure.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from typing import Any, Callable

from simulate import numformat as nf
from simulate.scenario.schema import Scenario
from simulate.workshop import curves, halo, policies, quadrant, team
from simulate.workshop.kabupaten import Kabupaten
from simulate.workshop.render import png
from simulate.workshop.settings import CURVE_MODES, SLIDERS, Settings
from simulate.workshop.text import CONTROL_LABELS, CURVE_LABELS, check_lang, word

__all__ = ["Panel", "PANELS", "Workshop"]


@dataclass(frozen=True)
class Panel:
    """One panel: its title key, the settings it reads, and its three functions."""

    title: str
    controls: tuple[str, ...]
    data: Callable[["Workshop", Settings], Any]
    figure: Callable[[Any, str], Any]
    narrative: Callable[[Any, Settings, str], str]
    #: Optional figure kept between moves: ``live(data, lang)`` builds it (``.figure``), ``.update(data)`` moves it.
    live: Callable[[Any, str], Any] | None = None


def _truth(ws: "Workshop"):
    return ws.kabupaten.scenario.truth


PANELS: dict[str, Panel] = {
    "team": Panel("team_title", ("leniency", "leniency_sd", "slope", "noise", "ingroup", "stakes", "team_size"),
                  lambda ws, s: team.team_data(s, ws.seed, _truth(ws), ws.kabupaten.scenario.raters.scales),
                  team.team_figure, team.team_narrative, live=team.TeamFigure),
    "halo": Panel("halo_title", ("halo", "leniency_sd", "slope", "noise", "ingroup"),
                  lambda ws, s: halo.halo_data(s, ws.seed, truth_params=_truth(ws)), halo.halo_figure,
                  halo.halo_narrative, live=halo.HaloFigure),
    # Halo leaves the mean over the dimensions unchanged, so the quadrant does not read it.
    "quadrant": Panel("quadrant_title", ("leniency", "leniency_sd", "slope", "noise", "ingroup", "stakes", "curve"),
                      lambda ws, s: quadrant.quadrant_data(ws.kabupaten, s), quadrant.quadrant_figure,
                      quadrant.quadrant_narrative, live=quadrant.QuadrantFigure),
    "curves": Panel("curves_title", ("noise", "slope", "ingroup", "quota", "team_size"),
                    lambda ws, s: curves.curves_data(s, ws.seed, truth_params=_truth(ws)), curves.curves_figure,
                    curves.curves_narrative),
    "policies": Panel("policies_title", ("leniency", "leniency_sd", "halo", "slope", "noise", "ingroup", "stakes",
                                         "curve", "quota"),
                      lambda ws, s: policies.policies_data(ws.kabupaten, s), policies.policies_figure,
                      policies.policies_narrative, live=policies.PolicyFigure),
}


class _View:
    """A widget displayed with a static copy beside it (see the module docstring): its text as
    HTML with the figure inlined, the figure as PNG, and a plain-text title."""

    def __init__(self, widget, html: list, image=None, text: str = ""):
        self.widget, self.html, self.image, self.text = widget, html, image, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        html = "".join(h.value for h in self.html)
        if self.image is not None and self.image.value:
            data = base64.b64encode(self.image.value).decode("ascii")
            bundle["image/png"] = data
            html += f'<img src="data:image/png;base64,{data}" style="max-width:100%">'
        bundle["text/html"] = html
        bundle["text/plain"] = self.text
        return bundle


class Workshop:
    """The workshop: settings, the kabupaten, the widgets and each panel's latest data.

    Parameters
    ----------
    settings : Settings
        The opening slider values.
    lang : 'id' or 'en'
    seed : int
        One seed for every panel's draws.
    scenario : Scenario, optional
        The kabupaten (default the workshop preset).
    """

    def __init__(self, settings: Settings | None = None, lang: str = "id", seed: int = 0,
                 scenario: Scenario | None = None):
        import ipywidgets as w

        self._w = w
        self.settings = Settings() if settings is None else settings
        self.lang = check_lang(lang)
        self.seed = seed
        self.kabupaten = Kabupaten(scenario, seed)
        self.data: dict[str, Any] = {}
        self.timings: dict[str, list[float]] = {name: [] for name in PANELS}
        self.images = {name: w.Image(format="png", layout=w.Layout(max_width="100%", height="auto", object_fit="contain"))
                       for name in PANELS}
        self.narratives = {name: w.HTML() for name in PANELS}
        self.titles = {name: w.HTML() for name in PANELS}
        self.controls: dict[str, dict[str, Any]] = {}  #: panel -> control name -> widget
        self.readouts: dict[str, dict[str, Any]] = {}  #: a slider's value in the reader's numbers
        self.toggle_labels: dict[str, dict[str, Any]] = {}
        self._syncing = False
        self._live: dict[tuple[str, str], Any] = {}  #: (panel, lang) -> its kept figure
        self._build_controls()
        self.title = w.HTML()
        self.language = w.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")], value=self.lang,
                                        style={"button_width": "150px"})
        self.language.observe(self._on_language, "value")
        for name in PANELS:
            self.redraw(name)
        self._relabel()

    # --- controls ---------------------------------------------------------------------------

    def _build_controls(self) -> None:
        for panel, spec in PANELS.items():
            self.controls[panel] = {}
            self.readouts[panel] = {}
            self.toggle_labels[panel] = {}
            for name in spec.controls:
                widget, readout = self._control(name)
                widget.observe(lambda change, p=panel, key=name: self._moved(p, key, change["new"]), "value")
                self.controls[panel][name] = widget
                (self.readouts if name in SLIDERS else self.toggle_labels)[panel][name] = readout

    def _control(self, name: str):
        w = self._w
        style = {"description_width": "230px"}
        value = getattr(self.settings, name)
        if name in SLIDERS:
            low, high, step = SLIDERS[name]
            cls = w.IntSlider if name == "team_size" else w.FloatSlider
            # Our own readout beside it: the slider's would print English decimals.
            widget = cls(value=value, min=low, max=high, step=step, readout=False, continuous_update=False,
                         style=style, layout=w.Layout(width="520px"))
            return widget, w.Label()
        # A toggle's description goes in a label of the sliders' description width (its own would
        # sit on a line of its own).
        label = w.HTML(layout=w.Layout(width="236px", padding="0 8px 0 0"))
        if name == "stakes":
            return w.ToggleButtons(options=[("", True), ("", False)], value=value,
                                   style={"button_width": "90px"}), label
        return w.ToggleButtons(options=[(m, m) for m in CURVE_MODES], value=value,
                               style={"button_width": "140px"}), label

    def _row(self, panel: str, name: str):
        widget = self.controls[panel][name]
        if name in self.toggle_labels[panel]:
            return self._w.HBox([self.toggle_labels[panel][name], widget])
        return self._w.HBox([widget, self.readouts[panel][name]])

    def _relabel(self) -> None:
        lang = self.lang
        i = 0 if lang == "id" else 1
        self._syncing = True  # relabelling toggles re-sets their values: not a move
        try:
            for panel, controls in self.controls.items():
                for name, widget in controls.items():
                    if name in SLIDERS:
                        widget.description = CONTROL_LABELS[name][i]
                    else:
                        self.toggle_labels[panel][name].value = (f"<div style='text-align:right'>"
                                                                 f"{CONTROL_LABELS[name][i]}</div>")
                    if name == "stakes":
                        self._set_options(widget, [("Ya" if lang == "id" else "Yes", True),
                                                   ("Tidak" if lang == "id" else "No", False)])
                    elif name == "curve":
                        self._set_options(widget, [(CURVE_LABELS[m][i], m) for m in CURVE_MODES])
                for name in self.readouts[panel]:
                    self._readout(panel, name)
        finally:
            self._syncing = False
        self.title.value = f"<h2>{word('title', lang)}</h2><p>{word('intro', lang)}</p>"
        for name, panel in PANELS.items():
            self.titles[name].value = f"<h3>{word(panel.title, lang)}</h3>"

    @staticmethod
    def _set_options(widget, options) -> None:
        value = widget.value
        widget.options = options
        widget.value = value

    def _readout(self, panel: str, name: str) -> None:
        value = getattr(self.settings, name)
        if name == "team_size":
            text = nf.integer(value, self.lang)
        elif name == "quota":
            text = nf.percent(value, self.lang, 0)
        else:
            text = nf.number(value, self.lang)
        self.readouts[panel][name].value = text

    # --- moves ------------------------------------------------------------------------------

    def _moved(self, panel: str, name: str, value) -> None:
        if not self._syncing:
            self.set(name, value, first=panel)

    def set(self, name: str, value, first: str | None = None) -> list[str]:
        """Change one setting and redraw the panels that read it, ``first`` first; returns their names.

        The other panels' copies of the control are moved to the new value (without counting
        as moves of their own).
        """
        if getattr(self.settings, name) == value:
            return []
        self.settings = self.settings.update(**{name: value})
        affected = [p for p, panel in PANELS.items() if name in panel.controls]
        if first in affected:
            affected.remove(first)
            affected.insert(0, first)
        for p in affected:
            self._syncing = True
            try:
                self.controls[p][name].value = value
            finally:
                self._syncing = False
            if name in self.readouts[p]:
                self._readout(p, name)
            self.redraw(p)
        return affected

    def redraw(self, name: str, recompute: bool = True) -> float:
        """Recompute (unless ``recompute`` is False) and redraw one panel; returns its seconds."""
        start = time.perf_counter()
        panel = PANELS[name]
        if recompute or name not in self.data:
            self.data[name] = panel.data(self, self.settings)
        data = self.data[name]
        if panel.live is None:
            fig = panel.figure(data, self.lang)
        else:  # built once per language, then moved in place
            live = self._live.get((name, self.lang))
            try:
                if live is None:
                    raise ValueError
                live.update(data)
            except ValueError:  # none yet, or what it was built for changed (the team size)
                live = self._live[(name, self.lang)] = panel.live(data, self.lang, blit=True)
            fig = live.figure
        self.images[name].value = png(fig) if panel.live is None else live.png()
        self.images[name].width = str(int(fig.get_figwidth() * fig.dpi))  # at its own size, not stretched
        self.narratives[name].value = f"<p style='max-width:60em'>{panel.narrative(data, self.settings, self.lang)}</p>"
        seconds = time.perf_counter() - start
        self.timings[name].append(seconds)
        return seconds

    def _on_language(self, change) -> None:
        self.lang = change["new"]
        self._relabel()
        for name in PANELS:
            self.redraw(name, recompute=False)
        self._draw_exercise()

    # --- rate it yourself ----------------------------------------------------------------------

    def exercise(self, sheet_file: str | None = None) -> _View:
        """The rate-it-yourself exercise on a typed-in sheet (default: the shipped example)."""
        from simulate.workshop import exercise as ex

        w = self._w
        self._vignettes = ex.vignettes(self.seed, self.kabupaten.scenario.truth)
        sheet = ex.read_sheet(sheet_file or ex.example_path(), self._vignettes)
        self.data["exercise"] = ex.score_sheet(sheet, self._vignettes, self.seed)
        self._exercise = {"title": w.HTML(), "sheet": w.HTML(), "narrative": w.HTML(),
                          "image": w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))}
        self._draw_exercise()
        e = self._exercise
        box = w.VBox([e["title"], e["narrative"], e["image"], e["sheet"]])
        return _View(box, [e["title"], e["narrative"]], e["image"], text=word("exercise_title", self.lang))

    def _draw_exercise(self) -> None:
        from simulate.workshop import exercise as ex

        if not hasattr(self, "_exercise"):
            return
        lang, e, result = self.lang, self._exercise, self.data["exercise"]
        e["title"].value = f"<h3>{word('exercise_title', lang)}</h3>"
        e["narrative"].value = f"<p style='max-width:60em'>{ex.exercise_narrative(result, lang)}</p>"
        fig = ex.exercise_figure(result, lang)
        e["image"].value = png(fig)
        e["image"].width = str(int(fig.get_figwidth() * fig.dpi))
        e["sheet"].value = (f"<details><summary>{word('exercise_sheet', lang)}</summary>"
                            f"{ex.sheet_html(self._vignettes, lang)}</details>")

    # --- display ----------------------------------------------------------------------------

    def header(self) -> _View:
        """Title, introduction and the language toggle."""
        w = self._w
        return _View(w.VBox([self.language, self.title]), [self.title], text=word("title", self.lang))

    def panel(self, name: str) -> _View:
        """One panel: title, narrative, its controls and its figure."""
        w = self._w
        rows = [self._row(name, c) for c in PANELS[name].controls]
        box = w.VBox([self.titles[name], self.narratives[name], w.VBox(rows), self.images[name]],
                     layout=w.Layout(margin="0 0 24px 0"))
        return _View(box, [self.titles[name], self.narratives[name]], self.images[name],
                     text=word(PANELS[name].title, self.lang))
