"""The policy report as a reader sees it: rendered in headless Chromium (Debian's ``chromium``,
driven by Playwright's Python package with the system browser; ``.ci/run`` installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulate.assemble import load_scenario
from simulate.labels import arm_labels

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def page_of(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("the browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def open_page(path: Path, width: int = 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            return page

        yield open_page
        browser.close()


@pytest.fixture(scope="module")
def report(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    res = subprocess.run([sys.executable, "-m", "simulate.cli", "run", str(root / "params" / "presets" / "test.yaml"),
                          "--replications", "2", "--periods", "2", "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return next((out / "test").iterdir()) / "report.html"


def test_every_figure_loads(page_of, report):
    page = page_of(report)
    images = page.evaluate("() => [...document.images].map(i => [i.complete, i.naturalWidth])")
    assert len(images) >= 6  # five figures and the trajectory of a two-period run
    assert all(done and width > 100 for done, width in images), images


def test_nothing_overflows_at_1280_px(page_of, report):
    page = page_of(report, 1280)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    wide = page.evaluate("() => [...document.querySelectorAll('body *')]"
                         ".filter(e => e.getBoundingClientRect().right > 1281).map(e => e.tagName).slice(0, 5)")
    assert wide == []
    page.screenshot(path=str(report.parent / "screenshot.png"), full_page=True)


def test_the_reader_sees_labels_not_code_names(root, page_of, report):
    text = page_of(report).evaluate("() => document.body.innerText")
    labels = arm_labels(load_scenario(root / "params" / "presets" / "test.yaml"), "id")
    for name, label in labels.items():
        assert label in text, label
        if name != label:
            assert name not in text, name
    assert "Temuan utama" in text and "Catatan dan asumsi" in text
    assert "Rp " in text and "miliar" in text or "juta" in text  # rupiah in Indonesian magnitudes
