"""Every scenario knob has a plain label and meaning in both languages (the sweep page's use: test_indicators)."""

from __future__ import annotations

from simulate.cli import _walk_params
from simulate.paramlabels import CAVEATS, describe_parameters, parameter_label, parameter_text, scenario_parameters
from simulate.scenario.schema import Scenario


def test_every_parameter_path_has_a_label_and_a_meaning_in_both_languages():
    rows = list(scenario_parameters(_walk_params(Scenario)))
    paths = [r[0] for r in rows]
    assert "work.indicators.dukcapil_dokumen.contamination" in paths and "citizens.services.dukcapil.counter_share" in paths
    for path in paths:
        for lang in ("id", "en"):
            text = parameter_text(path, lang)
            assert text is not None, path
            label, meaning = text
            assert label.strip() and meaning.strip().endswith("."), (path, lang)
    assert parameter_text("raters.peer.halo", "id")[0] == "Halo (rekan kerja)"
    assert parameter_label("no.such.knob") == "no.such.knob"


def test_the_list_says_that_contamination_at_fixed_noise_lowers_validity():
    lines = describe_parameters([("work.indicators.x.contamination", 0.2, "share", "")], "en")
    assert "Contamination (x)" in lines[0] and "lowers validity" in lines[0]
    assert any("At fixed noise" in line and "lowers its validity" in line for line in lines)
    assert all(len(c) == 2 and c[0] and c[1] for c in CAVEATS)

