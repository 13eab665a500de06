"""Do the regional claims hold whatever the seed? The claims of every case at 20 other seeds.

A claim that holds at the preset's seed may still rest on luck. :func:`seed_table` runs a case at
each of :data:`SEEDS` (none of them a preset's seed) with the configuration the tests use
(:data:`RUNS`: replications and employees, the preset's offices kept by
:func:`simulate.regions.run.reduced_overrides`) and evaluates every claim; :func:`summary` says per
claim at how many seeds it holds and its smallest margin (the mean in the expected direction over
the 95 % half-width: above 1 exactly when the claim holds).

The table is shipped with the case files (``params/regions/cases/robustness.csv``), so the
regional notebook states it without running 100 experiments; ``make robustness`` writes it again,
and a slow test recomputes it seed by seed and checks the shipped numbers (runs are reproducible
bit for bit). Regenerate it after changing a case, a preset or the model.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from simulate.errors import UserError
from simulate.regions.load import cases_dir, get_region, load_cases
from simulate.metrics import GLOSSARY
from simulate.regions.run import run_region
from simulate.regions.text import RT
from simulate.regions.types import Region
from simulate.report import LANGS, check_language

__all__ = ["SEEDS", "RUNS", "COLUMNS", "robustness_path", "seed_table", "summary", "load_table", "seed_check",
           "seed_check_note", "main"]

#: Seeds the claims are checked at: 20 seeds, none a preset's (the presets use dates such as 20240205).
SEEDS: tuple[int, ...] = tuple(range(1, 21))
#: (replications, employees) of each case's runs: the regional tests' configuration.
RUNS: dict[str, tuple[int, int]] = {"alak": (12, 1500), "sawahlunto": (10, 1500), "medan": (10, 1500),
                                    "jambi": (10, 1500), "makassar": (12, 1500)}
#: Columns of the table: one row per region, claim, period (or step) and seed.
COLUMNS: tuple[str, ...] = ("region", "claim", "basis", "period", "seed", "replications", "employees", "mean",
                            "ci_low", "ci_high", "margin", "holds")


def robustness_path() -> Path:
    """The shipped table, beside the case files."""
    return cases_dir() / "robustness.csv"


def seed_table(region: Region | str, seeds: Sequence[int] = SEEDS,
               progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Every claim of ``region`` at each seed (:data:`COLUMNS`), with the case's :data:`RUNS` configuration."""
    region = get_region(region) if isinstance(region, str) else region
    if region.key not in RUNS:
        raise UserError(f"{region.key}: no seed-check configuration; known: {', '.join(RUNS)}")
    reps, n = RUNS[region.key]
    parts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, seed in enumerate(seeds):
            result = run_region(region, reps, seed=int(seed), n_employees=n, out_dir=Path(tmp) / str(seed))
            claims = result.claims.assign(seed=int(seed), employees=n)
            parts.append(claims[list(COLUMNS)])
            if progress is not None:
                progress(i + 1)
    return pd.concat(parts, ignore_index=True)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per region and claim: seeds checked, seeds where every row of the claim holds, share, smallest margin."""
    per_seed = table.groupby(["region", "claim", "seed"], sort=False).agg(
        holds=("holds", "all"), margin=("margin", "min"), basis=("basis", "first"))
    out = per_seed.groupby(["region", "claim"], sort=False).agg(
        basis=("basis", "first"), seeds=("holds", "size"), held=("holds", "sum"), smallest_margin=("margin", "min"))
    out["share_held"] = out["held"] / out["seeds"]
    out["worst_seed"] = per_seed["margin"].groupby(["region", "claim"], sort=False).idxmin().map(lambda k: k[2])
    return out.reset_index()


def load_table() -> pd.DataFrame:
    """The shipped table (see the module docstring)."""
    path = robustness_path()
    if not path.is_file():
        raise UserError(f"{path}: the seed check of the regional claims is missing; run 'make robustness'")
    table = pd.read_csv(path)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}; run 'make robustness' again")
    return table


def seed_check(region: Region | str, lang: str = "id", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The seed check of ``region`` for people: claim, basis, seeds where it holds, smallest margin.

    Read from the shipped table unless ``table`` (:func:`seed_table`'s rows) is given.
    """
    region = get_region(region) if isinstance(region, str) else region
    idx = LANGS.index(check_language(lang))
    rows = (load_table() if table is None else table)
    s = summary(rows[rows["region"] == region.key]).set_index("claim")
    missing = [c.key for c in region.claims if c.key not in s.index]
    if missing:
        raise UserError(f"{region.key}: the seed check has no row for claim(s) {', '.join(missing)}; "
                        "run 'make robustness'")
    claims = list(region.claims)
    return pd.DataFrame({
        RT("col_claim", lang): [c.label(lang) for c in claims],
        RT("col_metric", lang): [GLOSSARY[c.metric][idx] for c in claims],
        RT("col_basis", lang): [RT(c.basis, lang, text=c.assumption(lang)) if c.basis == "assumption"
                                else RT("finding", lang) for c in claims],
        RT("col_held", lang): [RT("held_of", lang, held=int(s.at[c.key, "held"]), seeds=int(s.at[c.key, "seeds"]))
                               for c in claims],
        RT("col_margin", lang): [f"{s.at[c.key, 'smallest_margin']:.2f}" for c in claims],
    })


def seed_check_note(region: Region | str, lang: str = "id") -> str:
    """The explanation above :func:`seed_check`'s table."""
    key = region if isinstance(region, str) else region.key
    reps, n = RUNS[key]
    return RT("seeds_note", lang, k=len(SEEDS), reps=reps, n=n)


def main(argv: list[str] | None = None) -> int:
    """``python -m simulate.regions.robustness [--out FILE] [REGION ...]``: write the table."""
    parser = argparse.ArgumentParser(prog="python -m simulate.regions.robustness", description=__doc__.splitlines()[0])
    parser.add_argument("regions", nargs="*", help="regions to check (default: every case)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the table (default: the shipped file)")
    args = parser.parse_args(argv)
    keys = args.regions or list(load_cases())
    out = args.out or robustness_path()
    if out.exists() and args.out is not None:
        print(f"{out}: exists; choose another file", file=sys.stderr)
        return 2
    parts = []
    try:
        for key in keys:
            with tqdm(total=len(SEEDS), desc=key, unit="seed") as bar:
                parts.append(seed_table(key, progress=lambda i: bar.update(1)))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table = pd.concat(parts, ignore_index=True)
    tmp = out.with_suffix(".csv.tmp")
    table.to_csv(tmp, index=False, float_format="%.17g")
    tmp.replace(out)
    s = summary(table)
    print(s.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print(f"wrote {out} ({len(table)} rows); claims holding at every seed: "
          f"{int((s['held'] == s['seeds']).sum())} of {len(s)}; smallest margin {np.nanmin(s['smallest_margin']):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
