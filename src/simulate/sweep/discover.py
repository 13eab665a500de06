"""Where a policy fails: scenario discovery with PRIM on a finished sweep (``kinerja discover``).

For each design point of a sweep the mean of one metric (for one policy) over its replications
is compared with a threshold; PRIM (Friedman & Fisher 1999, the ``prim`` package, a port of the
EMA Workbench's implementation) then peels the swept parameters' space down to boxes where the
condition holds: their coverage (share of the points where it holds that fall in the box),
density (share of the box's points where it holds), mass, and the parameters they restrict.
The peeling trajectory shows the trade-off between coverage and density.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.errors import UserError
from simulate.runs import RunFolder

__all__ = ["Discovery", "discover", "write_discovery"]

#: Fewer design points than this give boxes that mean little (PRIM needs points to peel).
MIN_POINTS = 10


@dataclass(frozen=True, eq=False)
class Discovery:
    metric: str
    policy: str
    condition: str  #: "< 0.2" or "> 0.2"
    points: int
    hits: int
    box: pd.DataFrame  #: parameter, low, high, restricted (bool)
    trajectory: pd.DataFrame  #: coverage, density, mass, restricted dimensions, per peeling step
    coverage: float
    density: float
    mass: float

    def describe(self) -> str:
        restricted = self.box[self.box["restricted"]]
        limits = "; ".join(f"{r.parameter} in [{r.low:.3g}, {r.high:.3g}]" for r in restricted.itertuples())
        return (f"{self.metric} {self.condition} for {self.policy}: {self.hits} of {self.points} design points. "
                f"Box: {limits or 'no restriction'} (coverage {self.coverage:.2f}, density {self.density:.2f}, "
                f"mass {self.mass:.2f})")


def _point_values(folder: Path, metric: str, policy: str | None) -> tuple[pd.DataFrame, pd.Series, str]:
    design_path, summary_path = folder / "design.csv", folder / "summary.csv"
    if not folder.is_dir():
        raise UserError(f"{folder}: no such sweep folder (kinerja sweep writes one under reports/)")
    if not design_path.is_file() or not summary_path.is_file():
        raise UserError(f"{folder}: not a finished sweep folder (it has no design.csv and summary.csv)")
    design = pd.read_csv(design_path)
    summary = pd.read_csv(summary_path)
    factors = [c for c in design.columns if c != "variant"]
    metrics = sorted(summary["metric"].unique())
    if metric not in metrics:
        raise UserError(f"--metric: the sweep has no metric {metric!r}; it has {', '.join(metrics)}")
    rows = summary[summary["metric"] == metric]
    policies = list(dict.fromkeys(rows["policy"]))
    if policy is None:
        if len(policies) > 1:
            raise UserError(f"--policy: the sweep compares {len(policies)} policies; name one of {', '.join(policies)}")
        policy = policies[0]
    elif policy not in policies:
        raise UserError(f"--policy: the sweep has no policy {policy!r}; it has {', '.join(policies)}")
    rows = rows[rows["policy"] == policy]
    last = rows["period"].max()  # the final period of a multi-period sweep
    values = rows[rows["period"] == last].set_index("variant")["mean"]
    x = design.set_index("variant")[factors].loc[values.index]
    varying = [c for c in factors if x[c].nunique() > 1]
    if not varying:
        raise UserError(f"{folder}: no swept parameter varies between the design points")
    return x[varying].astype(float), values.astype(float), policy


def discover(folder: str | Path, metric: str, *, below: float | None = None, above: float | None = None,
             policy: str | None = None, threshold: float = 0.8, min_coverage: float = 0.8) -> Discovery:
    """PRIM's box of the sweep's parameter space where ``metric`` is below (or above) a value.

    Of the peeling trajectory, the densest box that keeps at least ``min_coverage`` of the
    points where the condition holds is reported (the whole trajectory is kept).
    """
    import prim

    if (below is None) == (above is None):
        raise UserError("give exactly one of --below and --above")
    if not 0 < threshold <= 1:
        raise UserError(f"--threshold: the density PRIM aims for, between 0 and 1, got {threshold}")
    folder = Path(folder)
    x, values, policy = _point_values(folder, metric, policy)
    if len(x) < MIN_POINTS:
        raise UserError(f"{folder}: only {len(x)} design points; PRIM needs at least {MIN_POINTS} "
                        "(use a Latin-hypercube or Sobol' sweep with more samples)")
    hit = (values < below) if below is not None else (values > above)
    hit = hit.to_numpy(bool)
    condition = f"< {below:g}" if below is not None else f"> {above:g}"
    if not hit.any():
        raise UserError(f"{metric} {condition} holds at none of the {len(x)} design points (range "
                        f"{values.min():.3g} to {values.max():.3g}); nothing to discover")
    finder = prim.Prim(x.reset_index(drop=True), hit, threshold=threshold, threshold_type=">")
    box = finder.find_box()
    traj = box.peeling_trajectory.rename(columns={"res dim": "restricted_parameters"})
    # The densest box that still covers most of the points where the condition holds.
    density, coverage = traj["density"].to_numpy(), traj["coverage"].to_numpy()
    keep = coverage >= min_coverage
    chosen = int(np.flatnonzero(keep)[np.argmax(density[keep])]) if keep.any() else int(density.argmax())
    box.select(chosen)
    limits = box.limits  # the restricted parameters of the chosen box, with their bounds
    lo, hi = x.min(), x.max()
    table = []
    for name in x.columns:  # the swept parameters, a handful
        if name in limits.index:
            low, high = float(limits.loc[name, "min"]), float(limits.loc[name, "max"])
        else:
            low, high = float(lo[name]), float(hi[name])
        table.append({"parameter": name, "low": low, "high": high,
                      "restricted": bool(low > lo[name] + 1e-12 or high < hi[name] - 1e-12)})
    row = traj.iloc[chosen]
    return Discovery(metric=metric, policy=policy, condition=condition, points=len(x), hits=int(hit.sum()),
                     box=pd.DataFrame(table), trajectory=traj.reset_index(drop=True),
                     coverage=float(row["coverage"]), density=float(row["density"]), mass=float(row["mass"]))


def write_discovery(found: Discovery, folder: Path) -> None:
    """``box.csv``, ``trajectory.csv``, ``peeling.png`` and ``discovery.html`` in ``folder``."""
    found.box.to_csv(folder / "box.csv", index=False)
    found.trajectory.to_csv(folder / "trajectory.csv", index=False)
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    t = found.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["restricted_parameters"], cmap="viridis", s=18)
    ax.plot(t["coverage"], t["density"], color="#999999", lw=0.6, zorder=0)
    ax.scatter([found.coverage], [found.density], s=120, facecolors="none", edgecolors="#c44e52", lw=1.5)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Coverage (share of the points where it holds that the box keeps)")
    ax.set_ylabel("Density (share of the box where it holds)")
    top = int(t["restricted_parameters"].max())
    fig.colorbar(points, ax=ax, label="parameters restricted", ticks=range(top + 1))
    fig.savefig(folder / "peeling.png", dpi=110, bbox_inches="tight")
    rows = "".join(f"<tr><td>{html.escape(r.parameter)}</td><td>{r.low:.4g}</td><td>{r.high:.4g}</td>"
                   f"<td>{'yes' if r.restricted else ''}</td></tr>" for r in found.box.itertuples())
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Scenario discovery</title>'
            "<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}"
            "td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left}img{max-width:100%}</style>"
            f"</head><body><h1>Where {html.escape(found.metric)} {html.escape(found.condition)}</h1>"
            f"<p>{html.escape(found.describe())}</p><table><tr><th>parameter</th><th>from</th><th>to</th>"
            f"<th>restricted</th></tr>{rows}</table><h2>Peeling trajectory</h2>"
            '<img src="peeling.png" alt="coverage against density of each peeling step"></body></html>')
    (folder / "discovery.html").write_text(page, encoding="utf-8")


def add_parser(sub) -> None:
    """The ``kinerja discover`` command."""
    p = sub.add_parser("discover", help="find where in a sweep's parameters a metric crosses a value (PRIM)")
    p.add_argument("folder", metavar="SWEEP_FOLDER", help="a finished sweep's folder (with design.csv and summary.csv)")
    p.add_argument("--metric", required=True, help="a metric of the sweep, e.g. misclassification_rate")
    side = p.add_mutually_exclusive_group(required=True)
    side.add_argument("--below", type=float, default=None, metavar="X", help="where the metric is below X")
    side.add_argument("--above", type=float, default=None, metavar="X", help="where the metric is above X")
    p.add_argument("--policy", default=None, help="the policy (needed when the sweep compares several)")
    p.add_argument("--threshold", type=float, default=0.8, help="the density PRIM peels towards (default 0.8)")
    p.set_defaults(func=cmd_discover)


def cmd_discover(args) -> int:
    found = discover(args.folder, args.metric, below=args.below, above=args.above, policy=args.policy,
                     threshold=args.threshold)
    with RunFolder(Path(args.folder), "discovery", option="FOLDER") as run:
        write_discovery(found, run.path)
    print(found.describe())
    print(f"\nWritten to {run.final_path}")
    return 0
