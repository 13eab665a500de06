"""Service delivery and citizens: queues, the SKM survey, complaints and citizen ratings (DESIGN 3.4).

This is how appraisal reaches citizens: better (or harder-working) counter staff serve faster,
shorter waits and better staff raise citizens' latent satisfaction, and the satisfaction survey
(SKM, PermenPANRB 14/2017) and complaints make part of it visible to the appraisal system.
Everything is vectorised over service points (and over respondents); the only Python loops run
over the 9 SKM elements, over the number of servers ``k`` in the Erlang recursion, over the
steps of the wait-quantile solver and over the surveys of the period. All draws come from the
``rng`` handed in.

The package follows the stages of a period's service:

* :mod:`simulate.citizens.points` -- which OPDs are service points and who serves at their
  counters (derived once per population);
* :mod:`simulate.citizens.queue` -- M/M/c waits over a period that starts empty, overload
  backlogs, and wait quantiles pooled over many points;
* :mod:`simulate.citizens.survey` -- satisfaction, the SKM survey's answers, complaints, and
  citizens' ratings of individual counter staff;
* :mod:`simulate.citizens.service` -- one period at every point put together
  (:func:`plan_service` / :func:`compose_service`, :class:`ServiceOutcome`).
"""

from simulate.citizens.points import PointStructure, point_performance, point_structure, service_points
from simulate.citizens.queue import erlang_c, pooled_wait_quantiles, queue_metrics
from simulate.citizens.service import (
    HIDDEN_COLUMNS,
    POINT_COLUMNS,
    POINT_INPUT_COLUMNS,
    ServiceOutcome,
    ServicePlan,
    compose_service,
    plan_service,
    simulate_service,
)
from simulate.citizens.survey import (
    ELEMENT_EXTRA_LOADINGS,
    ELEMENT_NAMES,
    GRADES,
    answer_probabilities,
    citizen_ratings,
    complaint_probability,
    satisfaction_level,
    selective_response_cdf,
    selective_response_draws,
    surveys_in_period,
    wait_penalty,
)

__all__ = [
    "ELEMENT_NAMES", "ELEMENT_EXTRA_LOADINGS", "POINT_INPUT_COLUMNS", "POINT_COLUMNS", "HIDDEN_COLUMNS", "GRADES",
    "erlang_c", "queue_metrics", "pooled_wait_quantiles", "wait_penalty", "satisfaction_level", "selective_response_draws",
    "selective_response_cdf", "surveys_in_period", "complaint_probability", "answer_probabilities",
    "simulate_service", "plan_service", "compose_service", "ServicePlan", "ServiceOutcome", "citizen_ratings",
    "PointStructure", "point_structure", "point_performance", "service_points",
]
