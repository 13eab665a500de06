"""The five regional cases of the seed articles, as runnable claims (DESIGN 7; issue 5).

Each region (Alak, Sawahlunto, Medan, Jambi, Makassar) is a preset under ``params/regions/``
whose policies list the status quo first and the region's system after it, and a **case file**
``params/regions/cases/<region>.yaml`` (data, not code; described in the README beside it)
that says what the case compares and claims:

* **variants**: named scenario overrides (e.g. a development-minded culture or yearly instead
  of monthly citizen ratings) that :func:`run_region` runs with
  :func:`simulate.experiment.run_experiment` on the same replication seeds (common random
  numbers across policies *and* variants); the first is the preset itself (:data:`BASE`);
* **arms**: one (variant, policy) pair each;
* **claims**: one sentence of the article turned into a number per replication
  (:mod:`simulate.regions.claims`); a claim **holds** when its 95 % interval over replications
  excludes 0 in the expected direction.

The cases (each preset documents, setting by setting, and each case file, entry by entry, the
sentence of its article it encodes):

* **Alak**: a yearly SKM in the results rating, the 2022 quadrant with the curve enforced,
  versus today's appraisal; variant ``budaya_pengembangan`` (culture 0.5).
* **Sawahlunto**: monthly citizen ratings and SKM in a quantitative plus qualitative score,
  socialisation; variants ``penilaian_tahunan`` and ``tanpa_sosialisasi``.
* **Medan**: superior-only scores versus scores with objective indicators, the e-performance
  self-report, training for all; variant ``tanpa_pelatihan``.
* **Jambi**: an objective index on low-contamination, real-time indicators versus today's
  appraisal; variants ``kontaminasi_tinggi`` and ``mudah_dimanipulasi``. "Measured indicators
  rise" is read from ``capaian_mean`` (the mean reported achievement), next to
  ``gaming_share`` (the effort diverted to the indicators) that lifts it.
* **Makassar**: cascaded targets, daily logs and achievement-linked TPP with accountability for
  missed targets, quarterly, at an overloaded Dukcapil; variant ``tanpa_akuntabilitas`` (where
  the counterfactual status quo lives).

:data:`REGIONS` maps each key to its :class:`Region`, read from the case files on first use
(:mod:`simulate.regions.load`); each region is also an upper-case attribute (``ALAK``).
The modules: :mod:`~simulate.regions.types` (the objects), :mod:`~simulate.regions.load`
(case files), :mod:`~simulate.regions.claims` (evaluation), :mod:`~simulate.regions.run`
(running a case), :mod:`~simulate.regions.plots` (figures and captions) and
:mod:`~simulate.regions.text` (the report's words).
"""

from __future__ import annotations

from typing import Any

from simulate.regions.claims import CLAIM_COLUMNS, SUMMARY_COLUMNS, arm_frame, arm_summary, evaluate
from simulate.regions.load import get_region, load_cases, load_region_scenario, region_for
from simulate.regions.plots import (
    arms_for_metric,
    caption,
    context,
    plot_claims,
    plot_over_periods,
    save_figures,
)
from simulate.regions.run import RegionResult, reduced_overrides, run_region
from simulate.regions.text import RT
from simulate.regions.types import BASE, Arm, Claim, Region, Variant

__all__ = [
    "BASE", "CLAIM_COLUMNS", "REGIONS", "SUMMARY_COLUMNS", "Arm", "Claim", "Region", "RegionResult", "RT",
    "Variant", "arm_frame", "arm_summary", "arms_for_metric", "caption", "context", "evaluate", "get_region",
    "load_region_scenario", "plot_claims", "plot_over_periods", "reduced_overrides", "region_for", "run_region",
    "save_figures",
]


def __getattr__(name: str) -> Any:
    # The cases are data: read them when first asked for, so that importing the package never
    # fails on a case file being edited (kinerja validate reads that file on its own).
    if name == "REGIONS":
        return load_cases()
    if name.isupper() and name.lower() in load_cases():
        return load_cases()[name.lower()]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
