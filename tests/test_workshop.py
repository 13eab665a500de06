"""The trainers' workshop: its panel functions (fast) and the page Voila serves (slow, browser).

The browser test starts ``voila`` on a free port of this machine, opens the page in headless
Chromium (Debian's ``chromium``, driven by Playwright's Python package with the system browser,
as tests/test_browser.py), with every request off this machine refused (the page must work
offline), moves a slider with the keyboard and checks that its figure changes.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from simulate.workshop import Kabupaten, Settings
from simulate.workshop import curves, halo, policies, quadrant, team
from simulate.workshop.settings import SLIDERS, supervisor_params

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def kabupaten():
    return Kabupaten()


@pytest.fixture(scope="module")
def workshop(kabupaten):
    from simulate.workshop import Workshop

    ws = Workshop.__new__(Workshop)  # the kabupaten of this module, simulated once
    Workshop.__init__(ws, Settings(), lang="id", scenario=kabupaten.scenario)
    return ws


# --- settings and the kabupaten ------------------------------------------------------------


def test_defaults_are_the_calibrated_supervisor(kabupaten):
    assert supervisor_params(Settings()) == kabupaten.scenario.raters.supervisor


@pytest.mark.parametrize("name", list(SLIDERS))
def test_a_setting_outside_its_slider_is_refused(name):
    low, high, _ = SLIDERS[name]
    with pytest.raises(ValueError, match=name):
        Settings(**{name: high + (1 if name == "team_size" else 0.5)})
    with pytest.raises(ValueError, match="curve"):
        Settings(curve="strict")


def test_the_default_settings_give_the_first_period_bit_for_bit(kabupaten):
    period = kabupaten.period(Settings())
    assert np.array_equal(period.evidence.supervisor_behaviour, kabupaten.base.evidence.supervisor_behaviour)
    assert np.array_equal(period.evidence.supervisor_results, kabupaten.base.evidence.supervisor_results)


def test_a_move_re_rates_the_same_people(kabupaten):
    lenient = kabupaten.period(Settings(leniency=1.0))
    assert lenient.population is kabupaten.base.population and lenient.truth is kabupaten.base.truth
    shift = lenient.evidence.supervisor_behaviour - kabupaten.base.evidence.supervisor_behaviour
    assert np.allclose(shift, 1.0, atol=1e-4)  # leniency adds to every rating, nothing else changes


# --- the panels ------------------------------------------------------------------------------


def test_team_has_the_team_size_and_follows_the_sliders():
    base = team.team_data(Settings())
    assert base.n == 8 and team.team_data(Settings(team_size=12)).n == 12
    lenient = team.team_data(Settings(leniency=1.5))
    assert np.array_equal(lenient.truth, base.truth)  # the same people
    assert lenient.shift == pytest.approx(base.shift + 1.5, abs=1e-4)
    squeezed = team.team_data(Settings(slope=0.3, noise=0.0, ingroup=0.0))
    assert squeezed.spread < 0.6 and squeezed.validity > 0.95


def test_halo_raises_the_correlation_between_dimensions():
    none, strong = halo.halo_data(Settings(halo=0.0)), halo.halo_data(Settings(halo=0.9))
    assert strong.current > none.current
    assert np.all(np.diff(none.mean_corr) >= -1e-9)
    assert none.mean_corr[0] == pytest.approx(none.current)
    assert strong.current == pytest.approx(np.interp(0.9, strong.grid, strong.mean_corr), abs=0.02)


def test_reliability_within_a_unit_ignores_leniency_and_halo_and_falls_with_noise():
    r = curves.within_unit_reliability
    assert r(Settings()) == r(Settings(leniency=1.5, leniency_sd=2.0, halo=1.0))
    assert r(Settings(noise=0.5)) > r(Settings()) > r(Settings(noise=2.5))
    assert r(Settings(noise=0.0, ingroup=0.0)) == pytest.approx(1.0)


def test_forced_curves_misrate_small_units_more():
    data = curves.curves_data(Settings(team_size=8), people=2000)
    assert 8 in data.sizes and data.misrated_perfect[0] > data.misrated_perfect[-1]
    assert np.all(data.misrated >= data.misrated_perfect - 0.02)


def test_quadrant_counts_everyone_and_the_enforced_curve_moves_people(kabupaten):
    warn = quadrant.quadrant_data(kabupaten, Settings())
    assert warn.n == kabupaten.n and warn.before.sum() == warn.after.sum() == kabupaten.n
    assert warn.moved == 0 and np.array_equal(warn.before, warn.after)
    enforced = quadrant.quadrant_data(kabupaten, Settings(curve="enforce"))
    assert enforced.moved > 0 and enforced.after[1] < enforced.before[1]
    assert np.array_equal(enforced.cells, warn.cells)


def test_policies_side_by_side(kabupaten):
    data = policies.policies_data(kabupaten, Settings())
    assert data.arms == tuple(p.name for p in kabupaten.scenario.policies)
    assert np.allclose(data.shares.sum(axis=1), 1) and np.all(np.abs(data.validity) <= 1)
    assert np.all(data.tpp_withheld >= 0) and np.all(data.tpp_paid > 0)
    strict = policies.policies_data(kabupaten, Settings(curve="enforce", quota=0.4))
    arms = list(data.arms)
    assert strict.shares[arms.index("permenpanrb_2022"), 1] < data.shares[arms.index("permenpanrb_2022"), 1]
    assert strict.shares[arms.index("forced_distribution"), 0] > data.shares[arms.index("forced_distribution"), 0]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_figures_and_narratives_in_the_readers_language(kabupaten, lang):
    s = Settings()
    cases = [(team.team_data(s), team.team_figure, team.team_narrative),
             (halo.halo_data(s), halo.halo_figure, halo.halo_narrative),
             (quadrant.quadrant_data(kabupaten, s), quadrant.quadrant_figure, quadrant.quadrant_narrative),
             (curves.curves_data(s, people=1000), curves.curves_figure, curves.curves_narrative),
             (policies.policies_data(kabupaten, s), policies.policies_figure, policies.policies_narrative)]
    for data, figure, narrative in cases:
        fig = figure(data, lang)
        assert isinstance(fig, Figure)
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        text = narrative(data, s, lang) + " ".join(texts)
        if lang == "id":  # Indonesian decimals: a comma, never an English point between digits
            assert re.search(r"\d\.\d", text) is None, re.search(r".{20}\d\.\d.{20}", text)
            assert "," in narrative(data, s, lang)
        for code in ("permenpanrb_2022", "forced_distribution", "sangat_baik", "leniency_sd"):
            assert code not in text


def test_a_move_redraws_the_touched_panel_first_and_only_the_panels_that_read_it(workshop):
    images = {p: img.value for p, img in workshop.images.items()}
    affected = workshop.set("halo", 0.8, first="policies")
    assert affected == ["policies", "halo"]
    changed = {p for p, img in workshop.images.items() if img.value != images[p]}
    assert changed == {"halo", "policies"}
    assert workshop.controls["halo"]["halo"].value == 0.8 == workshop.settings.halo
    assert workshop.readouts["halo"]["halo"].value == "0,80"
    assert workshop.set("halo", 0.8) == []  # no move, no redraw
    workshop.set("halo", Settings().halo)


def test_a_panel_displays_as_the_live_widget_with_a_static_copy(workshop):
    bundle = workshop.panel("team")._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab and Voila: the widget
    assert bundle["image/png"] and "data:image/png;base64," in bundle["text/html"]  # papermill: the figure
    assert "Satu tim dinilai oleh atasannya" in bundle["text/html"]


def test_the_language_toggle_relabels_everything(workshop):
    workshop.language.value = "en"
    try:
        assert workshop.controls["quadrant"]["curve"].options[1][0] == "Checked only"
        assert workshop.settings.curve == "warn" and "One team" in workshop.titles["team"].value
        assert workshop.readouts["halo"]["halo"].value == "0.46"
    finally:
        workshop.language.value = "id"
    assert "Satu tim" in workshop.titles["team"].value and workshop.readouts["halo"]["halo"].value == "0,46"


# --- rate it yourself ------------------------------------------------------------------------


def test_the_example_sheet_scores_every_participant_anonymously():
    from simulate.workshop import exercise as ex

    v = ex.vignettes()
    sheet = ex.read_sheet(ex.example_path(), v)
    result = ex.score_sheet(sheet, v)
    p = result.participants
    assert len(p) == sheet["peserta"].nunique() == result.complete and (p["ratings"] == 24).all()
    assert not p.astype(str).isin(sheet["peserta"].unique()).any().any()  # no name reaches the result
    assert 0 < result.icc_agreement < 1 and (p["validity"] > 0).all()
    assert ex.example_sheet(v).equals(pd.read_csv(ex.example_path()))  # the shipped sheet is what the model makes


def test_a_lenient_participant_shows_as_lenient(tmp_path):
    from simulate.workshop import exercise as ex

    v = ex.vignettes()
    truth = np.round(v.true_rating).astype(int)
    rows = [(name, vid, aspect, int(min(5, truth[i, j] + shift))) for name, shift in (("a", 0), ("b", 1), ("c", 0))
            for i, vid in enumerate(v.ids) for j, aspect in enumerate(ex.ASPECTS)]
    path = tmp_path / "sheet.csv"
    pd.DataFrame(rows, columns=list(ex.COLUMNS)).to_csv(path, index=False)
    result = ex.score_sheet(ex.read_sheet(path, v), v)
    assert sorted(np.round(result.participants["leniency"], 1))[-1] > 0.5


def test_a_mistyped_sheet_names_the_row(tmp_path):
    from simulate.errors import UserError
    from simulate.workshop import exercise as ex

    path = tmp_path / "sheet.csv"
    path.write_text("peserta,vignet,aspek,nilai\nx,V1,hasil_kerja,7\nx,V9,pelayanan,3\n")
    with pytest.raises(UserError) as err:
        ex.read_sheet(path, ex.vignettes())
    text = str(err.value)
    assert "row 2: nilai must be a number from 1 to 5" in text and "row 3: vignet must be one of" in text


# --- the page ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila_page(root, tmp_path_factory):
    """The workshop served by Voila on a free local port (stopped at the end)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with log.open("w") as out:  # as make workshop starts it (the process becomes Voila)
        proc = subprocess.Popen([sys.executable, "-m", "simulate.workshop", "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()  # listening
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"voila did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_the_page_answers_a_slider_offline(voila_page, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("the browser tests need Debian's chromium (apt-get install chromium); make browser installs it")
    from playwright.sync_api import sync_playwright

    url, log = voila_page
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            refused = []

            def local_only(route):
                if route.request.url.startswith("http://127.0.0.1"):
                    route.continue_()
                else:  # offline: nothing from outside this machine
                    refused.append(route.request.url)
                    route.abort()

            page.route("**/*", local_only)
            page.goto(url, timeout=60_000)
            page.wait_for_function("() => [...document.images].filter(i => i.src.startsWith('blob:')"
                                   " && i.naturalWidth > 100).length >= 5", timeout=60_000)
            text = page.evaluate("() => document.body.innerText")
            assert "Satu tim dinilai oleh atasannya" in text and "Kemurahan penilai" in text
            assert "import " not in text and "Traceback" not in text  # no code shown
            before = page.evaluate("() => [...document.images].map(i => i.src)")
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            for _ in range(5):
                handle.press("ArrowRight")
            page.wait_for_function("first => document.images[0].src !== first", arg=before[0], timeout=20_000)
            after = page.evaluate("() => [...document.images].map(i => i.src)")
            assert after[0] != before[0]
            page.get_by_role("button", name="English").click()  # the language toggle
            page.wait_for_function("() => document.body.innerText.includes('One team rated by its supervisor')",
                                   timeout=20_000)
            assert "Rater leniency" in page.evaluate("() => document.body.innerText")
            assert refused == [], refused  # nothing asked of the network
            page.screenshot(path=str(tmp_path / "workshop.png"), full_page=True)
        finally:
            browser.close()
    assert "Traceback" not in log.read_text()
    assert f"http://127.0.0.1:{url.rsplit(':', 1)[1]}" in log.read_text()  # the address is printed


@pytest.mark.slow
def test_kinerja_run_of_the_workshop_writes_a_static_report(root, tmp_path):
    scenario = tmp_path / "room.yaml"
    scenario.write_text(f"extends: {root / 'params' / 'presets' / 'workshop.yaml'}\nname: room\nnotebook: workshop\n")
    res = subprocess.run([sys.executable, "-m", "simulate.cli", "run", str(scenario), "--out", str(tmp_path / "r")],
                         capture_output=True, text=True, timeout=300, cwd=root)
    assert res.returncode == 0, res.stderr
    report = next((tmp_path / "r" / "room").iterdir()) / "report.html"
    html = report.read_text()
    assert html.count("data:image/png;base64,") >= 6  # every panel's figure and the exercise's
    assert "widget-view" not in html and "Satu tim dinilai oleh atasannya" in html
