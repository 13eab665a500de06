"""The workshop's slider values: one frozen record, its ranges, and the rater model it sets.

Every panel of the workshop (``notebooks/04-workshop.ipynb``) is a pure function of a
:class:`Settings`. The defaults are the suite's calibrated supervisor
(:class:`simulate.scenario.schema.SupervisorParams` defaults, ``kinerja calibrate``), so the
workshop opens on the civil service the other notebooks simulate.

One slider, ``noise``, moves two terms of the rater model together: the rater x ratee x
dimension noise (``noise_sd``) and the rater's general impression of a ratee
(``idiosyncratic_sd``), kept in their calibrated ratio, since a trainer shows "random error"
as one thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Literal

from simulate.scenario.schema import RaterParams, RaterSourceParams, SupervisorParams

__all__ = ["Settings", "SLIDERS", "CURVE_MODES", "supervisor_params"]

_CALIBRATED: SupervisorParams = RaterParams().supervisor
#: Calibrated ratio of the impression SD to the dimension-noise SD (0.46 / 1.49).
_IMPRESSION_PER_NOISE = _CALIBRATED.idiosyncratic_sd / _CALIBRATED.noise_sd

CURVE_MODES: tuple[str, ...] = ("off", "warn", "enforce")


@dataclass(frozen=True)
class Settings:
    """What the trainer has set (latent units: SD of true performance).

    Attributes
    ----------
    leniency : mean shift of the supervisors' ratings (positive = lenient), SD.
    leniency_sd : spread of leniency between supervisors, SD.
    halo : weight of the overall impression in each dimension's rating, 0-1.
    slope : slope on perceived performance (below 1 = central tendency, above 1 = extremity).
    noise : SD of the rater x ratee x dimension noise (the impression SD follows, see module).
    ingroup : shift for ratees who share the rater's in-group trait (local origin), SD.
    stakes : ratings decide pay (TPP): supervisors add the calibrated stakes inflation.
    team_size : people in the one team of panel 1 (marked in panel 4).
    curve : the 2022 distribution curve: 'off', 'warn' (check only) or 'enforce'.
    quota : share the forced curves put in the top category (bottom fixed at ``bottom``).
    """

    leniency: float = _CALIBRATED.leniency_mean
    leniency_sd: float = _CALIBRATED.leniency_sd
    halo: float = _CALIBRATED.halo
    slope: float = _CALIBRATED.slope_mean
    noise: float = _CALIBRATED.noise_sd
    ingroup: float = _CALIBRATED.ingroup_bias
    stakes: bool = True
    team_size: int = 8
    curve: Literal["off", "warn", "enforce"] = "warn"
    quota: float = 0.20
    bottom: float = 0.10

    def __post_init__(self) -> None:
        for name, (low, high, _) in SLIDERS.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValueError(f"{name}: must be between {low:g} and {high:g}, got {value!r}")
        if self.curve not in CURVE_MODES:
            raise ValueError(f"curve: must be one of {', '.join(CURVE_MODES)}, got {self.curve!r}")
        if not 0 <= self.bottom < 1 or self.quota + self.bottom > 1:
            raise ValueError(f"quota, bottom: must add up to at most 1, got {self.quota} + {self.bottom}")

    def update(self, **changes) -> "Settings":
        """A copy with ``changes`` (validated)."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def impression_sd(self) -> float:
        """SD of the rater's general impression of a ratee (follows ``noise``)."""
        return _IMPRESSION_PER_NOISE * self.noise


#: Slider ranges: name -> (min, max, step).
SLIDERS: dict[str, tuple[float, float, float]] = {
    "leniency": (-2.0, 2.0, 0.1),
    "leniency_sd": (0.0, 2.0, 0.05),
    "halo": (0.0, 1.0, 0.05),
    "slope": (0.1, 2.0, 0.05),
    "noise": (0.0, 3.0, 0.05),
    "ingroup": (-1.0, 1.0, 0.05),
    "team_size": (3, 30, 1),
    "quota": (0.05, 0.5, 0.05),
}


def supervisor_params(settings: Settings) -> SupervisorParams:
    """The suite's supervisor rater parameters with the settings applied (the rest calibrated)."""
    return _CALIBRATED.model_copy(update={
        "leniency_mean": settings.leniency, "leniency_sd": settings.leniency_sd, "halo": settings.halo,
        "slope_mean": settings.slope, "noise_sd": settings.noise, "idiosyncratic_sd": settings.impression_sd,
        "ingroup_bias": settings.ingroup,
        "stakes_inflation": _CALIBRATED.stakes_inflation if settings.stakes else 0.0,
    })


def source_params(settings: Settings) -> RaterSourceParams:
    """One source's parameters for the one-team panels, stakes folded into the leniency."""
    sup = supervisor_params(settings)
    return RaterSourceParams(
        leniency_mean=sup.leniency_mean + sup.stakes_inflation, leniency_sd=sup.leniency_sd,
        slope_mean=sup.slope_mean, slope_sd=sup.slope_sd, idiosyncratic_sd=sup.idiosyncratic_sd,
        noise_sd=sup.noise_sd, halo=sup.halo, ingroup_bias=sup.ingroup_bias,
    )
