"""Write the suite's notebooks from this script (clean JSON, no outputs, one parameters cell).

Run ``python tools/make_notebooks.py`` after editing; tests check the committed notebooks match.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

HIDE = {"tags": ["remove_cell"]}  # cells the HTML report leaves out (setup, checks)
#: (name, type, default, comment) of the policy-comparison notebook's parameters. Comments avoid
#: quotes and '=' so that papermill's parameter inference reads every line.
COMPARISON_PARAMS = [
    ("scenario_file", "str", '"params/baseline.yaml"', "scenario file, from the working folder or the repository root"),
    ("replications", "int", "20", "Monte-Carlo replications"),
    ("seed", "int", "-1", "root seed; -1 means the seed of the scenario"),
    ("executor", "str", '"local"', "local, processes or dask"),
    ("workers", "int", "0", "workers for processes or dask; 0 means all cores"),
    ("scheduler", "str", '""', "address of a Dask scheduler; empty means a LocalCluster"),
    ("periods", "int", "0", "appraisal periods per run; 0 means the periods of the scenario"),
    ("lang", "str", '"id"', "report language: id (Bahasa Indonesia) or en"),
    ("out_dir", "str", '""', "folder for results and figures; empty means a new temporary folder"),
] + [(key, {"name": "str", "description": "str", "extends": "str", "notebook": "str", "policies": "list", "rewards": "list"}.get(key, "dict"), "None",
      "scenario key injected by papermill -f params/x.yaml (overrides scenario_file)")
     for key in ("name", "description", "extends", "population", "truth", "work", "citizens", "raters",
                 "appraisal", "dynamics", "notebook", "policies", "rewards")]


def record_cell(params):
    names = ", ".join(repr(p[0]) for p in params)
    return new_code_cell(
        "# Names defined before the parameters, and the parameters declared (to reject unknown ones).\n"
        f"_before = set(globals())\n_declared = {{{names}}}", metadata=HIDE)


def params_cell(params):
    lines = [f"{name}: {typ} = {default}  # {comment}" for name, typ, default, comment in params]
    return new_code_cell("\n".join(lines), metadata={"tags": ["parameters", "remove_cell"]})


def policy_comparison():
    cells = [
        new_markdown_cell(
            "# Perbandingan kebijakan penilaian kinerja ASN / Comparison of appraisal policies\n\n"
            "This notebook compares the scoring policies of a scenario on the same synthetic civil service. "
            "Run it from JupyterLab, with `papermill` (`-p replications 5`, or `-f params/<scenario>.yaml`), or through "
            "`kinerja run SCENARIO`, which also writes the HTML report. All logic lives in the `simulate` package.",
            metadata=HIDE),
        record_cell(COMPARISON_PARAMS),
        params_cell(COMPARISON_PARAMS),

        new_code_cell(
            "_after = dict(globals())  # the parameters as injected, before this cell's imports\n"
            "from IPython.display import Markdown, display\n\n"
            "from simulate import report\n"
            "from simulate.experiment import run_experiment\n"
            "from simulate.notebooks import SCENARIO_KEYS, check_parameters, output_folder, scenario_from_parameters\n\n"
            "check_parameters(_after, _before, _declared)\n"
            "report.check_language(lang)\n"
            "sc = scenario_from_parameters(scenario_file, {k: _after[k] for k in SCENARIO_KEYS if k != 'seed'})\n"
            "root_seed = sc.seed if seed < 0 else seed\n"
            "folder = output_folder(out_dir)\n"
            "info = report.RunInfo(sc.name, sc.population.n_employees, replications, root_seed, lang)", metadata=HIDE),
        new_code_cell(
            "from tqdm.auto import tqdm\n\n"
            "from simulate.notebooks import write_progress\n\n"
            "bar = tqdm(desc='replications', unit='rep')\n"
            "def tick(done, total):\n"
            "    bar.total = total\n"
            "    bar.update(done - bar.n)\n"
            "    write_progress(folder, done, total)  # kinerja run draws its bar from this\n\n"
            "result = run_experiment(sc, replications, folder / 'results.parquet', seed=root_seed, executor=executor,\n"
            "                        workers=workers or None, scheduler=scheduler or None, periods=periods or None,\n"
            "                        progress=tick)\n"
            "bar.close()\n"
            "summary = result.summary\n"
            "summary[['policy', 'period', 'metric', 'mean', 'ci_low', 'ci_high']].to_csv(folder / 'summary.csv', index=False)",
            metadata=HIDE),
        new_code_cell(
            "display(Markdown(f\"# {report.T('title', lang)}\\n\\n{report.T('context', lang, **info.fmt())}\\n\\n\"\n"
            "                 f\"## {report.T('headline', lang)}\\n\\n{report.headline(summary, info)}\"))"),
        new_code_cell(
            "display(Markdown(f\"## {report.T('table_title', lang)}\"))\n"
            "report.key_table(summary, lang)"),
        new_code_cell(
            "from IPython.display import Image\n\n"
            "display(Markdown(f\"## {report.T('figures', lang)}\"))\n"
            "for k, fig_name in enumerate(report.FIGURES, start=1):\n"
            "    png, caption = report.save_figure(fig_name, summary, info, folder / 'figures')\n"
            "    display(Image(filename=str(png)))\n"
            "    display(Markdown(f'*{k}. {caption}*'))"),
        new_code_cell(
            "display(Markdown(f\"## {report.T('glossary', lang)}\"))\n"
            "report.glossary_table(lang).drop(columns='name').style.hide(axis='index')"),
        new_code_cell(
            "# Numbers the test-suite checks (nbval lax mode runs every cell; these assertions are the real check).\n"
            "assert set(summary['metric']) >= {'validity_spearman', 'share_baik', 'tpp_cost_idr'}\n"
            "assert summary['policy'].nunique() == len(sc.policies)\n"
            "assert (summary.loc[summary.metric == 'validity_spearman', 'mean'].abs() <= 1).all()\n"
            "print(f'results: {folder}')", metadata=HIDE),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"  # stable ids keep the committed JSON reproducible
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "title": "Perbandingan kebijakan penilaian kinerja ASN",
    })
    return nb


#: The regional-cases notebook declares the comparison notebook's parameters (kinerja run passes the
#: same ones), with a regional preset as the default scenario.
REGIONAL_PARAMS = [("scenario_file", "str", '"params/regions/alak.yaml"',
                    "regional preset: params/regions/alak, sawahlunto, medan, jambi or makassar .yaml")] + \
    [p for p in COMPARISON_PARAMS if p[0] != "scenario_file"]


def regional_cases():
    cells = [
        new_markdown_cell(
            "# Kasus daerah / Regional cases\n\n"
            "This notebook runs one of the five regional cases of the seed articles (Alak, Sawahlunto, Medan, Jambi, "
            "Makassar): the region's system against its counterfactual, every claim of the case with its 95% "
            "Monte-Carlo interval, and figures over periods. The region follows from the scenario's name: "
            "`kinerja run params/regions/alak.yaml`, or `papermill notebooks/02-regional-cases.ipynb out.ipynb "
            "-f params/regions/jambi.yaml`. All logic lives in `simulate.regions`.",
            metadata=HIDE),
        record_cell(REGIONAL_PARAMS),
        params_cell(REGIONAL_PARAMS),
        new_code_cell(
            "_after = dict(globals())  # the parameters as injected, before this cell's imports\n"
            "from IPython.display import Image, Markdown, display\n\n"
            "from simulate import regions, report\n"
            "from simulate.notebooks import SCENARIO_KEYS, check_parameters, output_folder, scenario_from_parameters\n\n"
            "check_parameters(_after, _before, _declared)\n"
            "report.check_language(lang)\n"
            "sc = scenario_from_parameters(scenario_file, {k: _after[k] for k in SCENARIO_KEYS if k != 'seed'})\n"
            "region = regions.region_for(sc)\n"
            "root_seed = sc.seed if seed < 0 else seed\n"
            "folder = output_folder(out_dir)", metadata=HIDE),
        new_code_cell(
            "from tqdm.auto import tqdm\n\n"
            "from simulate.notebooks import write_progress\n\n"
            "bar = tqdm(desc='replications x variants', unit='run')\n"
            "def tick(done, total):\n"
            "    bar.total = total\n"
            "    bar.update(done - bar.n)\n"
            "    write_progress(folder, done, total)  # kinerja run draws its bar from this\n\n"
            "result = regions.run_region(region, replications, seed=root_seed, out_dir=folder, scenario=sc,\n"
            "                            executor=executor, workers=workers or None, scheduler=scheduler or None,\n"
            "                            periods=periods or None, progress=tick)\n"
            "bar.close()\n"
            "summary = result.summary()\n"
            "summary[list(regions.SUMMARY_COLUMNS)].to_csv(folder / 'summary.csv', index=False)\n"
            "result.claims.to_csv(folder / 'claims.csv', index=False)",
            metadata=HIDE),
        new_code_cell(
            "display(Markdown(f\"# {regions.RT('title', lang, name=region.name)}\\n\\n{regions.context(result, lang)}\\n\\n\"\n"
            "                 f\"## {regions.RT('mechanism', lang)}\\n\\n{region.mechanism(lang)}\\n\\n\"\n"
            "                 f\"### {regions.RT('arms', lang)}\"))\n"
            "result.arms_table(lang).style.hide(axis='index')"),
        new_code_cell(
            "display(Markdown(f\"## {regions.RT('claims', lang)}\\n\\n{regions.RT('claims_note', lang)}\"))\n"
            "result.claims_table(lang).style.hide(axis='index')"),
        new_code_cell(
            "display(Markdown(f\"## {regions.RT('figures', lang)}\"))\n"
            "for k, (png, caption) in enumerate(regions.save_figures(result, folder / 'figures', lang), start=1):\n"
            "    display(Image(filename=str(png)))\n"
            "    display(Markdown(f'*{k}. {caption}*'))"),
        new_code_cell(
            "display(Markdown(f\"## {regions.RT('glossary', lang)}\"))\n"
            "report.glossary_table(lang).drop(columns='name').style.hide(axis='index')"),
        new_code_cell(
            "# Numbers the test-suite checks (the assertions are the real check, not the figure reprs).\n"
            "assert len(result.claims) >= len(region.claims)\n"
            "assert set(result.claims['claim']) == {c.key for c in region.claims}\n"
            "assert (folder / 'claims.csv').is_file() and (folder / 'summary.csv').is_file()\n"
            "assert (folder / 'figures' / 'claims.png').is_file()\n"
            "print(f'results: {folder}')", metadata=HIDE),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:02d}"
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "title": "Kasus daerah: penilaian kinerja ASN",
    })


NOTEBOOKS = {"01-policy-comparison.ipynb": policy_comparison, "02-regional-cases.ipynb": regional_cases}


def main(check: bool = False) -> int:
    stale = []
    for name, build in NOTEBOOKS.items():
        path = ROOT / "notebooks" / name
        text = nbformat.writes(build()) + "\n"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print("stale notebooks (run python tools/make_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
