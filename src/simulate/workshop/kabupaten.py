"""The workshop kabupaten (``params/presets/workshop.yaml``), simulated once, re-rated per move.

A slider changes only how supervisors rate, so everything else of the period (population,
true performance, work and indicators, citizens and service) is simulated once when the
workshop opens. Each move re-draws the supervisors' ratings from the *same* random stream as
the first period (:func:`simulate.raters.plan_ratings` on ``stream(seed, "raters", 0)``), so
the people, their truth and the raters' draws stay the same and only the slider's effect shows
(common random numbers). At the calibrated defaults the ratings are the first period's, bit for
bit.
"""

from __future__ import annotations

from dataclasses import replace

from simulate.assemble import load_scenario
from simulate.cycle import PeriodResult, simulate_period
from simulate.raters import compose_ratings, plan_ratings
from simulate.resources import params_dir
from simulate.rng import stream
from simulate.scenario.schema import Scenario
from simulate.workshop.settings import Settings, supervisor_params

__all__ = ["Kabupaten", "RATER_KEYS", "workshop_scenario"]

#: Settings that change how supervisors rate (the others do not touch the kabupaten's ratings).
RATER_KEYS: tuple[str, ...] = ("leniency", "leniency_sd", "halo", "slope", "noise", "ingroup", "stakes")


def workshop_scenario() -> Scenario:
    """The workshop preset, validated."""
    return load_scenario(params_dir() / "presets" / "workshop.yaml")


class Kabupaten:
    """One period of the workshop kabupaten, re-rated for each setting of the raters.

    Parameters
    ----------
    scenario : Scenario, optional
        Default: the workshop preset.
    seed : int
        The period's seed (the same people and draws for every setting).
    """

    def __init__(self, scenario: Scenario | None = None, seed: int = 0):
        self.scenario = workshop_scenario() if scenario is None else scenario
        self.seed = seed
        self.base = simulate_period(self.scenario, seed=seed)
        self._last: tuple[tuple, PeriodResult] | None = None  # the latest re-rating (panels 3 and 5 share it)

    @property
    def n(self) -> int:
        return self.base.evidence.n

    def period(self, settings: Settings) -> PeriodResult:
        """The period with the supervisors rating as ``settings`` say."""
        key = tuple(getattr(settings, k) for k in RATER_KEYS)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        sc = self.scenario
        raters = sc.raters.model_copy(update={"supervisor": supervisor_params(settings)})
        # Stakes are in the supervisor parameters (0 when off), so pay stays linked.
        appraisal = sc.appraisal.model_copy(update={"pay_linked": True})
        plan = plan_ratings(self.base.population, raters, appraisal, 0, stream(self.seed, "raters", 0))
        ratings = compose_ratings(plan, self.base.truth, raters, sc.truth, appraisal)
        scenario = sc.model_copy(update={"raters": raters, "appraisal": appraisal})
        result = replace(self.base, scenario=scenario, evidence=replace(self.base.evidence, **ratings))
        self._last = (key, result)
        return result
