"""The five regional cases: presets validate, every claim holds, claims are evaluated correctly,
and the regional-cases notebook runs through papermill and ``kinerja run``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from simulate import regions
from simulate.errors import ScenarioError, UserError
from simulate.metrics import ALL_METRICS, GLOSSARY
from simulate.assemble import load_scenario, scenario_from_dict
from simulate.notebook_registry import NOTEBOOKS
from simulate.notebooks import SCENARIO_KEYS
from simulate.regions.load import CASE_FILE_KEYS, cases_dir, check_case_file, load_case
from simulate.resources import params_dir
from simulate.scenario.loader import resolve_scenario_path
from simulate.yamlio import deep_merge

ROOT = Path(__file__).resolve().parents[1]
REGION_KEYS = list(regions.REGIONS)
REGIONAL = NOTEBOOKS["regional-cases"].path
#: (replications, employees) of each region's test run: the preset's seed and counter offices,
#: fewer employees (regions.reduced_overrides). Chosen so every claim's 95 % interval stays well
#: clear of zero with the preset seed (margins are printed by tools in the reply, not asserted).
TEST_RUNS = {"alak": (12, 1500), "sawahlunto": (10, 1500), "medan": (10, 1500), "jambi": (10, 1500),
             "makassar": (12, 1500)}
ALL_CLAIMS = [(r, c.key) for r in REGION_KEYS for c in regions.REGIONS[r].claims]


# --------------------------------------------------------------------------------------------
# Presets and region definitions
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", REGION_KEYS)
def test_every_preset_validates_and_matches_its_region(root, key):
    region = regions.REGIONS[key]
    path = root / "params" / "regions" / region.preset
    raw = yaml.safe_load(path.read_text())
    assert raw["extends"] == "../baseline.yaml"
    assert raw["notebook"] == "regional-cases" and raw["notebook"] in NOTEBOOKS
    sc = load_scenario(path)
    assert sc.name == key and regions.region_for(sc) is region
    assert sc.description and sc.dynamics.periods >= 3
    assert sc.policies[0].name == "status_quo"  # the first policy is the status-quo arm (no change shock)
    assert {a.policy for a in region.arms} <= {p.name for p in sc.policies}
    # The preset and its case file name the same seed article, and the preset points at the case file.
    text = path.read_text()
    assert f"shared/seeds/{region.article}" in text and f"params/regions/cases/{key}.yaml" in text
    # Every variant is a valid scenario and changes something (except the preset itself).
    assert region.variants[0].key == regions.BASE and region.variants[0].overrides == {}
    base = sc.model_dump(mode="json")
    for variant in region.variants[1:]:
        changed = scenario_from_dict(deep_merge(base, variant.overrides), source=variant.key)
        assert changed.model_dump(mode="json") != base, variant.key
    assert {a.variant for a in region.arms} <= {v.key for v in region.variants}


@pytest.mark.parametrize("key", REGION_KEYS)
def test_claims_are_well_formed(key):
    region = regions.REGIONS[key]
    keys = [c.key for c in region.claims]
    assert len(keys) == len(set(keys))
    arms = {a.key for a in region.arms}
    for claim in region.claims:
        assert claim.metric in ALL_METRICS and claim.metric in GLOSSARY
        assert claim.text_id and claim.text_en and claim.label_id and claim.label_en
        assert claim.expected in ("higher", "lower")
        for side in (claim.compare, claim.against):
            names = side if isinstance(side, tuple) else (side,) if isinstance(side, str) else ()
            assert set(names) <= arms, (claim.key, side)


# --------------------------------------------------------------------------------------------
# Case files (params/regions/cases/)
# --------------------------------------------------------------------------------------------

CASE_FILES = sorted((ROOT / "params" / "regions" / "cases").glob("*.yaml"))


def test_the_case_files_are_the_regions(root):
    assert cases_dir() == params_dir() / "regions" / "cases" == root / "params" / "regions" / "cases"
    assert [p.stem for p in CASE_FILES] == sorted(REGION_KEYS)
    # In the order of the seed articles (000 Alak ... 004 Makassar).
    assert REGION_KEYS == ["alak", "sawahlunto", "medan", "jambi", "makassar"]
    assert regions.ALAK is regions.REGIONS["alak"] and regions.MAKASSAR.key == "makassar"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_case_file_loads_and_validates_against_its_preset(path):
    region, preset = check_case_file(path)
    assert region == regions.REGIONS[path.stem] and preset.name == path.stem
    raw = yaml.safe_load(path.read_text())
    assert set(raw) == set(CASE_FILE_KEYS)
    # Not a scenario: loading it as one fails, and a preset name resolves to the preset.
    with pytest.raises(ScenarioError, match="claims: unknown key"):
        load_scenario(path)
    assert resolve_scenario_path(path.stem).resolve() == params_dir() / "regions" / f"{path.stem}.yaml"


def _write_case(tmp_path, change):
    data = yaml.safe_load((ROOT / "params" / "regions" / "cases" / "alak.yaml").read_text())
    change(data)
    path = tmp_path / "alak.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.update(claim=[]), "claim: unknown key; did you mean 'claims'?"),
    (lambda d: d["claims"][1].update(metrik="x"), "claims[1].metrik: unknown key; did you mean 'metric'?"),
    (lambda d: d["arms"][0]["label"].update(de="x"), "arms[0].label.de: unknown key"),
    (lambda d: d["claims"][0].update(metric="wait_minute_median"),
     "claims[0].metric: unknown metric 'wait_minute_median'; did you mean 'wait_minutes_median'?"),
    (lambda d: d["claims"][2].update(against="alak_budya"),
     "claims[2].against: unknown arm 'alak_budya'; did you mean 'alak_budaya'?"),
    (lambda d: d["claims"][0].update(compare=True), "claims[0].compare: must be an arm key"),
    (lambda d: d["claims"][0].update(period="akhir"), "claims[0].period: must be one of first, last"),
    (lambda d: d["claims"][0].update(expected="up"), "claims[0].expected: must be one of 'higher' or 'lower', got 'up'"),
    (lambda d: d["arms"][2].update(variant="budaya"), "arms[2].variant: unknown variant 'budaya'"),
    (lambda d: d["claims"][1].update(key="waktu_tunggu"), "claims[1].key: 'waktu_tunggu' is used twice"),
    (lambda d: d["variants"].reverse(), "variants[0]: the first variant is the preset itself"),
    (lambda d: d["claims"][0].pop("text"), "claims[0].text: required"),
])
def test_a_bad_case_file_is_refused_naming_the_file_and_field(tmp_path, change, field):
    path = _write_case(tmp_path, change)
    with pytest.raises(ScenarioError) as info:
        load_case(path)
    assert info.value.message.startswith(f"{path}: ")
    assert any(p.startswith(field) for p in info.value.problems), info.value.problems


def test_a_case_is_checked_against_its_preset(tmp_path):
    def change(d):
        d["arms"][1]["policy"] = "alak"
        d["variants"][1]["overrides"] = {"dynamics": {"cultur": 0.5}}

    path = _write_case(tmp_path, change)
    load_case(path)  # the file itself is well formed
    with pytest.raises(ScenarioError) as info:
        check_case_file(path)
    assert info.value.message == f"{path}: 2 problems"
    assert info.value.problems == [
        "arms[1].policy: the preset alak.yaml has no policy 'alak'; did you mean 'alak_skm'?",
        "variants[1].overrides.dynamics.cultur: unknown key; did you mean 'culture'?"]


def _comment_blocks(text: str) -> list[str]:
    """Each run of comment lines of a YAML file, joined into one line."""
    blocks, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.strip().startswith("#"):
            block.append(line.strip()[1:].strip())
        elif block:
            blocks.append(" ".join(block))
            block = []
    return blocks


@pytest.mark.parametrize("key", REGION_KEYS)
def test_the_case_file_quotes_its_seed_article(root, key):
    """Every phrase a case file quotes in its comments is in the seed article (``...`` skips words).

    The seed articles live in the shared folder beside the repository (``../shared/seeds``)."""
    region = regions.REGIONS[key]
    seeds = root.parent / "shared" / "seeds"
    assert seeds.is_dir(), f"the seed articles are not in {seeds}: this test needs the shared folder beside the repository"
    assert (seeds / region.article).is_file(), f"{key}: seed article {region.article} not found in {seeds}"
    article = " ".join((seeds / region.article).read_text(encoding="utf-8").lower().split())
    quotes = [q for block in _comment_blocks((root / "params" / "regions" / "cases" / f"{key}.yaml").read_text())
              for q in re.findall(r'"([^"]+)"', block)]
    assert len(quotes) >= len(region.claims)
    for quote in quotes:
        at = 0
        for part in quote.split("..."):
            words = " ".join(part.lower().split())
            found = article.find(words, at)
            assert found >= 0, f"{key}: {quote!r} is not in {region.article}"
            at = found + len(words)


def test_region_follows_from_the_scenario_name():
    assert regions.region_for("makassar").key == "makassar"
    assert regions.region_for("alak-small").key == "alak"
    with pytest.raises(UserError, match="not one of the regional cases"):
        regions.region_for("baseline")
    with pytest.raises(UserError, match="unknown region"):
        regions.get_region("bandung")


def test_reduced_population_keeps_the_counter_offices():
    sc = regions.load_region_scenario("makassar")
    small = scenario_from_dict(deep_merge(sc.model_dump(mode="json"), regions.reduced_overrides(sc, 1500)))
    pop, big = small.population, sc.population
    assert pop.n_employees == 1500 and abs(sum(pop.opd_mix.values()) - 1) < 1e-9
    # The single Dukcapil office keeps its expected staff (the queue's load), about 270 people.
    assert pop.opd_mix["dukcapil"] * 1500 == pytest.approx(big.opd_mix["dukcapil"] * big.n_employees)
    # Kinds with many offices keep their office size and scale the number of offices.
    puskesmas_offices = round(big.opd_mix["puskesmas"] * big.n_employees / big.opd_size_mean["puskesmas"])
    assert pop.opd_mix["puskesmas"] * 1500 / pop.opd_size_mean["puskesmas"] == pytest.approx(
        round(puskesmas_offices * 1500 / big.n_employees))
    # The other kinds keep their proportions.
    assert pop.opd_mix["pendidikan"] / pop.opd_mix["back_office"] == pytest.approx(
        big.opd_mix["pendidikan"] / big.opd_mix["back_office"])


# --------------------------------------------------------------------------------------------
# evaluate() on a hand-made results frame
# --------------------------------------------------------------------------------------------

def _toy_region(claims):
    arms = (regions.Arm("sq", "sq", "dasar", "sq", "sq"), regions.Arm("new", "new", "dasar", "new", "new"),
            regions.Arm("new_v", "new", "v", "new v", "new v"), regions.Arm("sq_v", "sq", "v", "sq v", "sq v"))
    return regions.Region("toy", "Toy", "toy.yaml", "none", "m", "m",
                          (regions.Variant("dasar", {}, "d", "d"), regions.Variant("v", {"x": 1}, "v", "v")),
                          arms, tuple(claims))


def _toy_results():
    """4 replications x 3 periods; new - sq at the last period = 1, 2, 3, 4 (replications 0-3)."""
    rows = []
    for r in range(4):
        for t in range(3):
            sq = 10.0 + r + 0.1 * t
            rows += [("dasar", "sq", r, t, "m", sq), ("dasar", "new", r, t, "m", sq + (r + 1) * t / 2),
                     ("v", "sq", r, t, "m", sq), ("v", "new", r, t, "m", sq + 0.5 * (r + 1) * t / 2 - 5.0 * t)]
    return pd.DataFrame(rows, columns=["variant", "policy", "replication", "period", "metric", "value"])


def _t_interval(values):
    v = np.asarray(values, float)
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return v.mean(), v.mean() - half, v.mean() + half


def _claim(key, compare, against=None, period="last", expected="higher"):
    return regions.Claim(key, key, key, key, key, "m", compare, against, period, expected)


def test_evaluate_difference_between_arms_at_the_last_period():
    region = _toy_region([_claim("up", "new", "sq"), _claim("down", "new", "sq", expected="lower")])
    table = regions.evaluate(region, _toy_results())
    assert list(table.columns) == list(regions.CLAIM_COLUMNS)
    mean, lo, hi = _t_interval([1, 2, 3, 4])
    up = table.set_index("claim").loc["up"]
    assert up["mean"] == pytest.approx(mean) and up["ci_low"] == pytest.approx(lo) and up["ci_high"] == pytest.approx(hi)
    assert up["replications"] == 4 and up["period"] == "last"
    assert lo > 0 and bool(up["holds"]) is True
    assert bool(table.set_index("claim").loc["down", "holds"]) is False  # right interval, wrong direction


def test_evaluate_first_period_threshold_and_no_difference():
    region = _toy_region([_claim("same_at_start", "new", "sq", period="first"),
                          _claim("above_ten", "sq", 10.0, period=0, expected="higher"),
                          _claim("mean_gap", "new", "sq", period="mean")])
    table = regions.evaluate(region, _toy_results()).set_index("claim")
    assert table.loc["same_at_start", "mean"] == 0 and not table.loc["same_at_start", "holds"]
    # sq at period 0 is 10, 11, 12, 13: minus the threshold 10 -> 0, 1, 2, 3
    mean, lo, hi = _t_interval([0, 1, 2, 3])
    assert table.loc["above_ten", ["mean", "ci_low", "ci_high"]].tolist() == pytest.approx([mean, lo, hi])
    assert not table.loc["above_ten", "holds"]  # the interval reaches below 0
    # mean over periods of (new - sq) = (0 + (r+1)/2 + (r+1)) / 3 = (r+1)/2
    mean, lo, hi = _t_interval([0.5, 1.0, 1.5, 2.0])
    assert table.loc["mean_gap", ["mean", "ci_low", "ci_high"]].tolist() == pytest.approx([mean, lo, hi])


def test_evaluate_trend_steps_variants_and_differences_of_differences():
    region = _toy_region([
        _claim("rises", "new", None, period="trend"),
        _claim("steps", "new_v", None, period="steps", expected="lower"),
        _claim("did", ("new_v", "sq_v"), ("new", "sq"), period="last", expected="lower"),
    ])
    table = regions.evaluate(region, _toy_results())
    rises = table[table.claim == "rises"].iloc[0]
    # new: period 2 - period 0 = 0.2 + (r + 1)
    assert rises["mean"] == pytest.approx(np.mean([1.2, 2.2, 3.2, 4.2])) and rises["holds"]
    steps = table[table.claim == "steps"]
    assert list(steps["period"]) == ["0->1", "1->2"]
    # new in variant v changes by 0.1 + 0.25 (r + 1) - 5 per period
    for _, row in steps.iterrows():
        assert row["mean"] == pytest.approx(0.1 + 0.25 * 2.5 - 5) and row["holds"]
    did = table[table.claim == "did"].iloc[0]
    # (new_v - sq_v) - (new - sq) at period 2 = 0.5 (r+1) - 10 - (r+1) = -10 - 0.5 (r+1)
    assert did["mean"] == pytest.approx(-10 - 0.5 * 2.5) and did["holds"]
    # Without a variant column every arm must belong to the preset variant.
    plain = _toy_results().query("variant == 'dasar'").drop(columns="variant")
    with pytest.raises(UserError, match="no results for arm 'new_v'"):
        regions.evaluate(region, plain)


def test_evaluate_with_one_replication_never_holds():
    region = _toy_region([_claim("up", "new", "sq")])
    one = _toy_results().query("replication == 3")
    row = regions.evaluate(region, one).iloc[0]
    assert row["mean"] == pytest.approx(4.0) and np.isnan(row["ci_low"]) and not row["holds"]


def test_figure_helpers_take_and_return_an_axes():
    from matplotlib.figure import Figure

    region = _toy_region([_claim("up", "new", "sq"), _claim("steps", "new_v", None, period="steps", expected="lower")])
    results = _toy_results()
    claims = regions.evaluate(region, results)
    ax = Figure().add_subplot()
    assert regions.plot_claims(claims, ax, "en") is ax
    assert len(ax.get_yticklabels()) == len(claims)
    summary = regions.arm_summary(region, results)
    assert set(summary["policy"]) == {"sq", "new", "new_v", "sq_v"}
    ax = Figure().add_subplot()
    assert regions.plot_over_periods(summary, "m", ax, region, "id", arms=["sq", "new"]) is ax
    assert [line.get_label() for line in ax.get_lines()] == ["sq", "new"]


# --------------------------------------------------------------------------------------------
# Every claim of the issue holds (fixed seed, reduced population, one run per region)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def region_runs(tmp_path_factory):
    cache: dict[str, regions.RegionResult] = {}

    def get(key: str) -> regions.RegionResult:
        if key not in cache:
            reps, n = TEST_RUNS[key]
            cache[key] = regions.run_region(key, reps, n_employees=n, out_dir=tmp_path_factory.mktemp(key))
        return cache[key]

    return get


@pytest.mark.slow
@pytest.mark.parametrize(("key", "claim"), ALL_CLAIMS, ids=[f"{r}-{c}" for r, c in ALL_CLAIMS])
def test_claim_holds(region_runs, key, claim):
    result = region_runs(key)
    rows = result.claims[result.claims["claim"] == claim]
    assert len(rows) >= 1
    shown = rows[["period", "compare", "against", "expected", "mean", "ci_low", "ci_high"]].to_string(index=False)
    assert rows["holds"].all(), f"{key}: claim {claim!r} does not hold:\n{shown}"
    assert (rows["replications"] == TEST_RUNS[key][0]).all()


# --------------------------------------------------------------------------------------------
# The regional-cases notebook
# --------------------------------------------------------------------------------------------

def test_notebook_declares_exactly_the_run_parameters():
    import papermill as pm

    inferred = set(pm.inspect_notebook(str(REGIONAL)))
    assert inferred == {"scenario_file", "replications", "seed", "executor", "workers", "scheduler", "periods",
                        "lang", "out_dir"} | (set(SCENARIO_KEYS) - {"seed"})


@pytest.mark.slow
def test_notebook_runs_with_papermill_from_a_scenario_file(root, tmp_path):
    import papermill as pm

    out = tmp_path / "nb"
    injected = yaml.safe_load((root / "params" / "regions" / "alak.yaml").read_text())  # as papermill -f does
    injected["population"] = {**injected["population"], "n_employees": 400}
    pm.execute_notebook(str(REGIONAL), str(tmp_path / "o.ipynb"),
                        parameters={"replications": 2, "out_dir": str(out), "lang": "en", **injected},
                        kernel_name="python3", cwd=str(root), progress_bar=False)
    claims = pd.read_csv(out / "claims.csv")
    assert set(claims["claim"]) == {c.key for c in regions.ALAK.claims}
    assert (claims["replications"] == 2).all()
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == list(regions.SUMMARY_COLUMNS)
    assert set(summary["policy"]) >= {a.key for a in regions.ALAK.arms}
    res = pd.read_parquet(out / "results.parquet")
    assert set(res["variant"]) == {v.key for v in regions.ALAK.variants} and (res["scenario"] == "alak").all()
    figures = {p.name for p in (out / "figures").iterdir()}
    assert figures == {"claims.png"} | {f"{m}.png" for m in regions.ALAK.figure_metrics()}


def test_notebook_rejects_an_unknown_parameter(root, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="unknown notebook parameter.*regoin"):
        pm.execute_notebook(str(REGIONAL), str(tmp_path / "o.ipynb"),
                            parameters={"regoin": "alak"}, kernel_name="python3", cwd=str(root), progress_bar=False)


@pytest.mark.slow
def test_kinerja_run_writes_a_regional_report(root, tmp_path):
    out = subprocess.run([sys.executable, "-m", "simulate.cli", "run", str(root / "params" / "regions" / "alak.yaml"),
                          "--replications", "2", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    folder = next((tmp_path / "alak").iterdir())
    names = {p.name for p in folder.iterdir()}
    assert {"report.html", "notebook.ipynb", "results.parquet", "summary.csv", "claims.csv", "manifest.json",
            "figures"} <= names
    html = (folder / "report.html").read_text()
    assert "Kasus daerah: Alak (Kota Kupang)" in html and "Klaim dan interval 95%" in html and "Glosarium" in html
    assert html.count("<img") == 1 + len(regions.ALAK.figure_metrics())
    assert "run_region" not in html and "check_parameters" not in html
