"""Running a regional case: the preset and every variant on common seeds, then its claims.

:func:`run_region` runs the case's preset (or a given scenario) with every variant through
:func:`simulate.experiment.run_experiment` on the same replication seeds (common random
numbers across policies *and* variants) and evaluates the claims; :class:`RegionResult` holds
the results and gives the tables the report shows. :func:`reduced_overrides` shrinks a preset
for fast tests without changing the load of its counter-service offices.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulate.errors import UserError
from simulate.evidence import frame_html
from simulate.experiment import run_experiment
from simulate.metrics import GLOSSARY
from simulate.regions.claims import arm_summary, evaluate
from simulate.regions.load import get_region, load_region_scenario
from simulate.regions.text import RT, against_text, fmt_interval, period_text, side_text
from simulate.regions.types import Region
from simulate.report import LANGS, check_language
from simulate.assemble import scenario_from_dict
from simulate.yamlio import deep_merge
from simulate.scenario.schema import COUNTER_KINDS, Scenario

__all__ = ["RegionResult", "reduced_overrides", "run_region"]


def reduced_overrides(scenario: Scenario, n_employees: int) -> dict[str, Any]:
    """Overrides that run ``scenario`` with fewer employees but the same counter-service offices.

    A queue's load depends on the absolute size of an office (servers = counter share x staff;
    arrivals = the residents' demand shared among the kind's offices), and the generator makes
    ``round(staff of a kind / opd_size_mean)`` offices of a kind, so simply lowering
    ``n_employees`` can turn a city's two Dukcapil offices of 75 staff into one of 45 and change
    its load. For every counter-service kind this keeps the expected staff per office of the
    preset and scales the number of offices with the population (at least one); the other kinds'
    shares fill the rest in their proportions; and each kind's visits per resident are scaled so
    that every office still sees the preset's demand. Used to make tests fast; the notebook runs
    the preset as written.
    """
    pop = scenario.population
    if n_employees >= pop.n_employees:
        return {"population": {"n_employees": int(n_employees)}}
    mix = dict(pop.opd_mix)
    keep: dict[str, float] = {}
    sizes: dict[str, float] = {}
    demand: dict[str, dict[str, float]] = {}
    for kind in COUNTER_KINDS:
        share = mix.get(kind, 0.0)
        if share <= 0:
            continue
        staff = share * pop.n_employees
        offices = max(1, round(staff / pop.opd_size_mean[kind]))
        per_office = staff / offices
        offices_small = max(1, round(offices * n_employees / pop.n_employees))
        keep[kind] = offices_small * per_office / n_employees
        sizes[kind] = per_office
        if kind in scenario.citizens.services:
            # residents per office as in the preset
            factor = pop.n_employees * offices_small / (offices * n_employees)
            visits = scenario.citizens.services[kind].visits_per_resident_per_year
            demand[kind] = {"visits_per_resident_per_year": visits * factor}
    if not keep or sum(keep.values()) >= 0.9:
        return {"population": {"n_employees": int(n_employees)}}
    rest = {k: v for k, v in mix.items() if k not in keep}
    scale = (1.0 - sum(keep.values())) / sum(rest.values())
    new_mix = {**{k: v * scale for k, v in rest.items()}, **keep}
    return {"population": {"n_employees": int(n_employees), "opd_mix": new_mix,
                           "opd_size_mean": {**pop.opd_size_mean, **sizes}},
            "citizens": {"services": demand}}


@dataclass(frozen=True, eq=False)
class RegionResult:
    """A region's run: the results of every variant and policy, and the claims table.

    ``to_frame()`` is the claims table (one row per claim or step, :data:`CLAIM_COLUMNS`);
    ``summary()`` the per-arm means and intervals by period; ``results`` the raw tidy rows.
    """

    region: Region
    scenario: Scenario
    results: pd.DataFrame
    claims: pd.DataFrame
    replications: int
    seed: int
    seconds: float
    results_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.claims

    def summary(self) -> pd.DataFrame:
        return arm_summary(self.region, self.results)

    @property
    def all_hold(self) -> bool:
        return bool(self.claims["holds"].all())

    def claims_table(self, lang: str = "id") -> pd.DataFrame:
        """The claims for people: label, arm, what it is compared with, metric, period, expected
        direction, mean difference [interval], result."""
        idx = LANGS.index(check_language(lang))
        c = self.claims
        by_key = {cl.key: cl for cl in self.region.claims}
        return pd.DataFrame({
            RT("col_claim", lang): c[f"label_{lang}"],
            RT("col_arm", lang): [side_text(self.region, by_key[k].compare, lang) for k in c["claim"]],
            RT("col_against", lang): [against_text(self.region, by_key[k], p, lang) for k, p in zip(c["claim"], c["period"])],
            RT("col_metric", lang): [GLOSSARY[m][idx] for m in c["metric"]],
            RT("col_period", lang): [period_text(p, lang) for p in c["period"]],
            RT("col_expected", lang): [RT(e, lang) for e in c["expected"]],
            RT("col_mean", lang): [fmt_interval(m, a, b)[0] for m, a, b in zip(c["mean"], c["ci_low"], c["ci_high"])],
            RT("col_interval", lang): [fmt_interval(m, a, b)[1] for m, a, b in zip(c["mean"], c["ci_low"], c["ci_high"])],
            RT("col_result", lang): [RT("holds" if h else "fails", lang) for h in c["holds"]],
            RT("col_basis", lang): [RT("finding", lang) if by_key[k].basis == "finding"
                                    else RT("assumption", lang, text=by_key[k].assumption(lang)) for k in c["claim"]],
        })

    def arms_table(self, lang: str = "id") -> pd.DataFrame:
        """The arms compared: label, policy of the preset, variant."""
        labels = {v.key: (v.label_id, v.label_en)[LANGS.index(check_language(lang))] for v in self.region.variants}
        return pd.DataFrame({
            RT("col_arm", lang): [a.label(lang) for a in self.region.arms],
            RT("col_policy", lang): [a.policy for a in self.region.arms],
            RT("col_variant", lang): [labels[a.variant] for a in self.region.arms],
        })

    def _repr_html_(self) -> str:
        held = int(self.claims["holds"].sum())
        return frame_html(f"{self.region.name}: {held} of {len(self.claims)} claims hold "
                          f"({self.replications} replications, seed {self.seed}, {self.seconds:.1f} s)",
                          self.claims[["claim", "metric", "period", "compare", "against", "expected", "mean",
                                       "ci_low", "ci_high", "holds"]])


def run_region(
    region: Region | str,
    replications: int,
    seed: int | None = None,
    out_dir: str | Path | None = None,
    *,
    scenario: Scenario | None = None,
    overrides: dict[str, Any] | None = None,
    n_employees: int | None = None,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    periods: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegionResult:
    """Run a region's preset (or ``scenario``) with every variant and evaluate its claims.

    Parameters
    ----------
    region : Region or str
        One of :data:`REGIONS`.
    replications, seed :
        Monte-Carlo replications and root seed (default: the scenario's seed).
    out_dir : path, optional
        Folder for ``results.parquet`` (a temporary file when omitted).
    scenario : Scenario, optional
        The scenario to run (e.g. a notebook's, with injected parameters); default the preset.
    overrides : dict, optional
        Scenario overrides merged over the preset (ignored when ``scenario`` is given).
    n_employees : int, optional
        Run with fewer employees but the same counter-service offices (:func:`reduced_overrides`).
    executor, workers, scheduler, periods, progress :
        As in :func:`simulate.experiment.run_experiment`.
    """
    region = get_region(region) if isinstance(region, str) else region
    if scenario is None:
        scenario = load_region_scenario(region, overrides)
    if n_employees is not None:
        scenario = scenario_from_dict(deep_merge(scenario.model_dump(mode="json"),
                                                 reduced_overrides(scenario, n_employees)),
                                      source=f"{region.key} with {n_employees} employees")
    names = {p.name for p in scenario.policies}
    missing = sorted({a.policy for a in region.arms} - names)
    if missing:
        raise UserError(f"{scenario.name}: policies {', '.join(missing)} of the {region.name} case are missing; "
                        f"the scenario lists {', '.join(sorted(names))}")
    root = scenario.seed if seed is None else int(seed)
    if out_dir is None:
        out_dir = Path(tempfile.mkdtemp(prefix=f"kinerja-{region.key}-"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.parquet"
    started = time.perf_counter()
    exp = run_experiment(scenario, replications, path, seed=root, executor=executor, workers=workers,
                         scheduler=scheduler, periods=periods, variants=region.variant_list(), progress=progress)
    results = exp.results()
    claims = evaluate(region, results)
    return RegionResult(region=region, scenario=scenario, results=results, claims=claims, replications=replications,
                        seed=root, seconds=time.perf_counter() - started, results_path=path)

