"""Parameter sweeps: a design over scenario parameters, run as one experiment (DESIGN 4).

A sweep file (YAML) names a scenario, a design and the factors it varies::

    scenario: ../presets/test.yaml        # relative to the sweep file, or a preset name
    design: sobol                         # grid | lhs | sobol | morris
    factors:
      - {path: raters.supervisor.leniency_sd, low: 0.5, high: 1.5}
      - {path: raters.supervisor.halo, low: 0.2, high: 0.8}
    samples: 8                            # lhs: points; sobol: base N (a power of 2); morris: trajectories
    replications: 3                       # per design point (the same seeds at every point)
    seed: 11                              # root seed (default: the scenario's)
    metrics: [validity_spearman]          # analysed by sobol/morris and shown by summary()
    policies: [pp30_2019, permenpanrb_2022]   # optional subset of the scenario's policies

* Every design point is a *variant* of the scenario (``p0000``, ``p0001``, ...): an overrides
  mapping deep-merged over it. All points run with the same replication seeds (common random
  numbers), so differences between points come from the parameters, not from the draws.
* Designs: full factorial ``grid`` (``itertools.product`` of the levels, first factor slowest);
  Latin hypercube ``lhs`` (``scipy.stats.qmc.LatinHypercube``, McKay, Beckman & Conover 1979);
  ``sobol`` (Saltelli's scheme, ``SALib.sample.sobol.sample`` with ``calc_second_order=False``:
  ``N (D + 2)`` points; Saltelli 2002, Saltelli et al. 2010) and ``morris`` (elementary effects,
  ``SALib.sample.morris.sample``: ``r (D + 1)`` points; Morris 1991, Campolongo et al. 2007).
* Integer parameters (detected from the schema field type) are sampled on ``[low - 0.5,
  high + 0.5]`` and rounded half up, so every whole number in ``[low, high]`` is equally likely.
* Randomness: the design draws from ``SeedSequence([seed, 1])`` and SALib's bootstrap from
  ``SeedSequence([seed, 2])``, both independent of the replication seeds (children of
  ``SeedSequence(seed)``). The same sweep file gives the same design, results and indices.
* Everything is validated before anything runs: the file, every factor path (with the closest
  valid name), the bounds, the sizes, and every design point as a scenario.

The package: ``spec`` (the file's schema and factors), ``design`` (the designs), ``load``
(loading and validation), ``analysis`` (SALib) and ``run`` (running a sweep).
"""

from simulate.sweep.analysis import analyse_sensitivity, morris_indices, sobol_indices
from simulate.sweep.design import Design, make_design
from simulate.sweep.load import Sweep, check_sweep_budget, design_points, load_sweep, sweep_from_dict
from simulate.sweep.run import SweepResult, run_sweep, sweep_command
from simulate.sweep.spec import (
    DESIGNS,
    SENSITIVITY_COLUMNS,
    Factor,
    FactorSpec,
    SweepSpec,
    parameter_paths,
)

__all__ = [
    "check_sweep_budget",
    "DESIGNS",
    "SENSITIVITY_COLUMNS",
    "SweepSpec",
    "FactorSpec",
    "Factor",
    "Design",
    "Sweep",
    "SweepResult",
    "parameter_paths",
    "load_sweep",
    "sweep_from_dict",
    "make_design",
    "design_points",
    "sobol_indices",
    "morris_indices",
    "analyse_sensitivity",
    "run_sweep",
    "sweep_command",
]
