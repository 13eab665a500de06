"""The policy report's pieces on a summary built by hand: labels, locale numbers, honest charts,
the headline's choices, per-scheme costs, periods and caveats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from simulate import numformat as nf
from simulate import report
from simulate.caveats import caveats
from simulate.labels import arm_labels, scheme_labels, unique
from simulate.metrics import ALL_METRICS
from simulate.predikat import PREDIKAT
from simulate.assemble import scenario_from_dict

ARMS = ("permenpanrb_2022", "pp46_2011", "forced_distribution")


def summary_by_hand(periods: int = 1, costs: dict[str, list[float]] | None = None,
                    shares: dict[str, list[float]] | None = None) -> pd.DataFrame:
    """Every metric for three arms; validity .2/.5/.4, costs and shares as given."""
    rng = np.random.default_rng(0)
    shares = shares or {"permenpanrb_2022": [.05, .94, .01, 0, 0], "pp46_2011": [0, 0, 1, 0, 0],
                        "forced_distribution": [.15, .70, .10, .05, 0]}
    costs = costs or {"tpp": [175.2e9, 175.3e9, 174.3e9]}
    rows = []
    for t in range(periods):
        for k, arm in enumerate(ARMS):
            values = {m: float(rng.uniform(0, 1)) for m in ALL_METRICS}
            values.update(validity_spearman=(.2, .5, .4)[k], rater_variance_share=(.08, .29, .03)[k],
                          wait_minutes_p90=9.6, ikm=83.3)
            values.update({f"share_{p}": s for p, s in zip(PREDIKAT, shares[arm])})
            values["tpp_cost_idr"] = sum(c[k] for name, c in costs.items() if name.startswith("tpp"))
            values.update({f"scheme_cost_idr.{name}": c[k] for name, c in costs.items()})
            for m, v in values.items():
                rows.append({"policy": arm, "period": t, "metric": m, "mean": v, "ci_low": v * 0.98, "ci_high": v * 1.02})
    return pd.DataFrame(rows)


def scenario(**extra):
    return scenario_from_dict({"name": "s", "policies": [{"name": a} for a in ARMS], **extra})


# -- numbers in the reader's locale --------------------------------------------------------

@pytest.mark.parametrize(("fn", "args", "id_text", "en_text"), [
    (nf.number, (1234.5, 1), "1.234,5", "1,234.5"),
    (nf.integer, (4500,), "4.500", "4,500"),
    (nf.percent, (0.7, 0), "70%", "70%"),
    (nf.rupiah, (173.515e9,), "Rp 173,5 miliar", "IDR 173.5 billion"),
    (nf.rupiah, (5.2e6,), "Rp 5,2 juta", "IDR 5.2 million"),
    (nf.rupiah, (-2.5e12,), "−Rp 2,5 triliun", "−IDR 2.5 trillion"),
    (nf.signed, (-0.004, 2), "±0,00", "±0.00"),
    (nf.signed_percent, (0.0149,), "+1,5%", "+1.5%"),
    (nf.number, (-0.001, 2), "0,00", "0.00"),
    (nf.interval, (0.7, 0.65, 0.75), "0,70 [0,65–0,75]", "0.70 [0.65–0.75]"),
])
def test_numbers_in_each_locale(fn, args, id_text, en_text):
    for lang, text in (("id", id_text), ("en", en_text)):
        got = fn(*args, lang=lang) if fn is nf.interval else fn(args[0], lang, *args[1:])
        assert got == text


def test_a_shared_magnitude_keeps_numbers_comparable():
    unit = nf.rupiah_unit([173.5e9, 2.1e6])
    assert nf.rupiah(2.1e6, "id", unit=unit) == "Rp 0,0 miliar" and unit[1] == "miliar"


def test_axis_ticks_share_their_decimals():
    fmt = nf.axis_formatter("id")
    assert fmt.format_ticks([83.0, 83.1, 83.2]) == ["83,0", "83,1", "83,2"]
    assert fmt.format_ticks([0, 50, 100]) == ["0", "50", "100"]
    assert nf.axis_formatter("en", percent_axis=True).format_ticks([0, 0.05, 0.1]) == ["0%", "5%", "10%"]


# -- labels, never code names --------------------------------------------------------------

def test_arms_show_their_labels_in_each_language():
    sc = scenario_from_dict({"name": "s", "policies": [
        {"name": "sq", "policy": "permenpanrb_2022", "label": "Aturan kini", "label_en": "Today's rule"},
        {"name": "old", "policy": "pp46_2011"}]})
    assert arm_labels(sc, "id") == {"sq": "Aturan kini", "old": "PP 46/2011 (dicabut): SKP 60% + perilaku 40%"}
    assert arm_labels(sc, "en") == {"sq": "Today's rule", "old": "PP 46/2011 (repealed): SKP 60% + behaviour 40%"}
    assert scheme_labels(sc, "id")["tpp"].startswith("TPP")


def test_one_rule_twice_gets_two_labels():
    sc = scenario_from_dict({"name": "s", "policies": [
        {"name": "curve_warn", "policy": "permenpanrb_2022"},
        {"name": "curve_enforce", "policy": "permenpanrb_2022", "params": {"curve": "enforce"}}]})
    labels = arm_labels(sc, "en")
    assert len(set(labels.values())) == 2 and labels["curve_enforce"].endswith("(2)")
    assert unique({"a": "x", "b": "x", "c": "x"}) == {"a": "x", "b": "x (2)", "c": "x (3)"}


def test_the_default_status_quo_is_todays_rule():
    sc = scenario_from_dict({"name": "s"})
    assert sc.policies[0].rule == "permenpanrb_2022"
    assert {"pp30_2019", "pp46_2011"} <= {p.rule for p in sc.policies}  # older rules stay as arms


def test_tables_and_headline_speak_in_labels_and_the_locale():
    sc = scenario()
    shown = report.relabel(summary_by_hand(), arm_labels(sc, "id"))
    info = report.RunInfo("s", 4500, 3, 1, "id")
    text = report.headline(shown, info, scheme_labels(sc, "id"))
    table = report.key_table(shown, "id")
    for name in ARMS:
        assert name not in text and name not in " ".join(table.index)
    assert "0,50 [0,49–0,51]" in text  # validity of the best arm, Indonesian decimals
    assert "Rp 175,2 miliar" in text and "Rp175" not in text
    assert "Biaya TPP (Rp miliar)" in table.columns
    assert table.iloc[0]["Porsi Baik"] == "94,0%"
    assert "4.500" in report.T("context", "id", **info.fmt())


def test_widest_spread_is_the_most_even_distribution_not_the_most_people_low():
    # pp46_2011 rates everyone Butuh Perbaikan: the most people low, but no spread at all.
    shown = report.relabel(summary_by_hand(), arm_labels(scenario(), "en"))
    text = report.headline(shown, report.RunInfo("s", 100, 3, 1, "en"))
    widest = next(line for line in text.splitlines() if "spreads predikat the most" in line)
    assert "Forced distribution" in widest


def test_each_scheme_costs_on_its_own():
    costs = {"tpp": [175.2e9, 175.3e9, 174.3e9], "tpp_reform": [150.0e9, 151.0e9, 149.0e9]}
    shown = report.relabel(summary_by_hand(costs=costs), arm_labels(scenario(), "en"))
    text = report.headline(shown, report.RunInfo("s", 100, 3, 1, "en"), {"tpp": "TPP", "tpp_reform": "TPP reform"})
    assert "TPP: IDR 175.2 billion" in text and "TPP reform: IDR 150.0 billion" in text
    assert "each scheme's cost is shown on its own" in text
    assert "325.2" not in text  # never one added figure passed off as a single scheme's cost


def test_cost_bars_start_at_zero_and_say_the_difference():
    shown = report.relabel(summary_by_hand(), arm_labels(scenario(), "id"))
    ax = report.plot_cost(shown, Figure().add_subplot(), report.RunInfo("s", 100, 3, 1, "id"))
    assert ax.get_xlim()[0] == 0
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "status quo" and "−0,5%" in texts  # 174.3 against 175.2
    assert ax.get_xlabel() == "Biaya TPP (Rp miliar)"


def test_points_that_coincide_share_one_numbered_marker():
    summary = summary_by_hand()
    summary.loc[(summary.policy == "forced_distribution") & (summary.metric == "validity_spearman"), "mean"] = 0.5
    summary.loc[(summary.policy == "forced_distribution") & (summary.metric == "rater_variance_share"), "mean"] = 0.29
    ax = report.plot_validity_vs_rater(summary, Figure().add_subplot(), report.RunInfo("s", 100, 3, 1, "en"))
    marks = [t.get_text() for t in ax.texts][:-1]  # the last text is the key
    assert sorted(marks) == ["1", "2, 3"]


def test_multi_period_runs_say_which_period_and_draw_the_trajectory(tmp_path):
    shown = report.relabel(summary_by_hand(periods=3), arm_labels(scenario(), "en"))
    info = report.RunInfo("s", 100, 3, 1, "en")
    assert "appraisal period 3 (the last) of 3" in report.headline(shown, info)
    assert report.figure_names(shown)[-1] == "trajectory"
    assert "trajectory" not in report.figure_names(summary_by_hand(periods=1))
    path, caption = report.save_figure("trajectory", shown, info, tmp_path)
    assert path.stat().st_size > 10_000 and "period" in caption


# -- caveats from the parameters actually used ---------------------------------------------

def test_caveats_follow_the_parameters():
    plain = " ".join(caveats(scenario(), "en", periods=1))
    assert "illustrative" in plain and "Permen LHK 6/2024" in plain and "One appraisal period" in plain
    assert "budget cap" not in plain
    capped = scenario(rewards=[{"name": "tpp", "params": {"budget_cap_idr": 1.5e11, "predikat_scheme": "bakamla"}}])
    text = " ".join(caveats(capped, "id", periods=3))
    assert "pagu Rp 150,0 miliar" in text and "Bakamla" in text and "Permen LHK" not in text
    assert "3 periode penilaian" in text
    enforced = scenario(policies=[{"name": "permenpanrb_2022", "params": {"curve": "enforce"}}])
    assert "enforced per appraisal team" in " ".join(caveats(enforced, "en"))


# -- report.xlsx ---------------------------------------------------------------------------

def test_the_workbook_holds_numbers_labels_and_each_scheme(tmp_path):
    import openpyxl

    from simulate.workbook import write_workbook

    sc = scenario()
    costs = {"tpp": [175.2e9, 175.3e9, 174.3e9], "tpp_reform": [150.0e9, 151.0e9, 149.0e9]}
    shown = report.relabel(summary_by_hand(periods=2, costs=costs), arm_labels(sc, "id"))
    path = write_workbook(tmp_path / "report.xlsx", shown, report.RunInfo("s", 100, 3, 1, "id"),
                          {"tpp": "TPP", "tpp_reform": "TPP baru"})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Per kebijakan", "Biaya per skema", "Glosarium"]
    assert not list(tmp_path.glob(".*"))  # written under a temporary name, then renamed
    costs_ws = wb["Biaya per skema"]
    assert costs_ws.freeze_panes == "B2" and costs_ws["A1"].font.bold
    rows = list(costs_ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Biaya TPP"] * 3 + ["TPP"] * 3 + ["TPP baru"] * 3  # the total, then each scheme
    assert rows[6][2] == 150.0e9 and rows[7][5] == pytest.approx(1.0e9)  # numbers, not text
    cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    for name in ARMS:
        assert name not in cells, name
    assert "Biaya skema: TPP baru" in cells


# -- reform packages: an arm with its own schemes ------------------------------------------

def test_an_arm_brings_its_own_reward_schemes():
    from simulate.experiment import run_experiment  # noqa: F401  (the same road kinerja run takes)
    from simulate.replication import run_arms, scheme_cost_names

    sc = scenario_from_dict({"name": "pkg", "population": {"n_employees": 300}, "rewards": [{"name": "tpp"}],
                             "policies": [
                                 {"name": "status_quo", "policy": "permenpanrb_2022"},
                                 {"name": "reform", "policy": "permenpanrb_2022", "params": {"curve": "enforce"},
                                  "label": "Kurva ditegakkan + TPP dipotong",
                                  "rewards": [{"name": "tpp_cut", "scheme": "tpp",
                                               "params": {"predikat_paid_percent": {
                                                   "sangat_baik": 100, "baik": 100, "butuh_perbaikan": 50,
                                                   "kurang": 25, "sangat_kurang": 0}}}]}]})
    assert scheme_cost_names(sc) == ["scheme_cost_idr.tpp", "scheme_cost_idr.tpp_cut"]
    rows = {policy: metrics for _, policy, metrics in run_arms(sc, 11, periods=1)}
    assert "scheme_cost_idr.tpp" in rows["status_quo"] and "scheme_cost_idr.tpp_cut" not in rows["status_quo"]
    assert rows["reform"]["scheme_cost_idr.tpp_cut"] == rows["reform"]["tpp_cost_idr"]
    assert rows["reform"]["tpp_cost_idr"] < rows["status_quo"]["tpp_cost_idr"]  # the enforced curve cuts pay
    assert any("tpp_cut" not in line and "TPP" in line for line in caveats(sc, "id"))


def test_an_arms_scheme_is_validated_with_its_path():
    from simulate.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        scenario_from_dict({"name": "pkg", "policies": [
            {"name": "reform", "policy": "pp30_2019", "rewards": [{"name": "tpp", "params": {"amount_scale": -1}}]}]})
    assert err.value.problems == ["policies[0].rewards[0].params.amount_scale: must be >= 0.0, got -1"]


# -- who gains and who loses ---------------------------------------------------------------

def test_the_summary_says_who_gains_who_loses_and_what_it_costs():
    from simulate import report_distribution as rd

    labels = arm_labels(scenario(), "en")
    shown = report.relabel(summary_by_hand(), labels)
    rows = []
    values = {"forced_distribution": {"tpp_gain_share": 0.02, "tpp_loss_share": 0.11, "predikat_up_share": 0.14,
                                      "predikat_down_share": 0.12, "tpp_budget_impact_idr": -81.8e6,
                                      "misjudgement_top_fifth_loss_idr": 2.8e6, "misjudgement_bottom_fifth_gain_idr": 181.2e6},
              "permenpanrb_2022": {"tpp_gain_share": 0.0, "tpp_loss_share": 0.0, "predikat_up_share": 0.0,
                                   "predikat_down_share": 0.0, "tpp_budget_impact_idr": 0.0,
                                   "misjudgement_top_fifth_loss_idr": 0.0, "misjudgement_bottom_fifth_gain_idr": 213.2e6}}
    for arm, measures in values.items():
        for measure, v in measures.items():
            rows.append({"arm": labels[arm], "period": 0, "group_kind": "all", "group": "all", "measure": measure,
                         "mean": v, "ci_low": v, "ci_high": v, "replications": 3, "n": 400})
    dist = pd.DataFrame(rows)
    lines = rd.summary_lines(shown, dist, report.RunInfo("s", 400, 3, 1, "en"))
    forced = next(line for line in lines if line.startswith("**Forced distribution"))
    assert "14.0% of staff get a better predikat and 12.0% a worse one" in forced
    assert "2.0% gain more than 5% of TPP and 11.0% lose more than 5%" in forced
    assert "−IDR 81.8 million per period (±0.0%)" in forced  # 81.8 million of 175.2 billion rounds to 0.0%
    assert "p90 wait" not in forced  # service is the same as the status quo's: not repeated
    assert "true bottom fifth IDR 213.2 million more" in lines[-1] and "least under **Forced distribution" in lines[-1]
    table = rd.arm_table(dist, "en", [labels["permenpanrb_2022"], labels["forced_distribution"]])
    assert table.loc[labels["forced_distribution"], "TPP down >5%"] == "11.0%"
