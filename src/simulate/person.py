"""One person's appraisal file (``kinerja case SCENARIO --input person.yaml|person.xlsx``).

The file holds what an appraisal system records of one ASN for one period: the SKP indicators
(target, realisation, kind, direction, main or additional, weight), the behaviour ratings of the
superior and the peers on the 0-100 scale, lateness and absence as the discipline deductions
read them, the organisational predikat of the work unit and of the OPD, the position type,
golongan and status, and optionally the region's own monthly TPP amount. :class:`Person`
validates it strictly (finite numbers, no ``true`` where a number belongs, unknown keys
refused); :meth:`Person.to_evidence` turns it into a one-row
:class:`~simulate.evidence.Evidence` that the same policies and reward schemes as a simulation
score. ``name`` and ``nip`` are personal data (UU 27/2022): they are read so a filled-in form
validates, and never printed or written.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulate.errors import ScenarioError
from simulate.population import POSITION_TYPES
from simulate.rules.capaian import capaian as capaian_percent
from simulate.rules.permenpanrb_2022 import ORG_PREDIKAT
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS, COUNTER_KINDS, OPD_KINDS, ScaleParams

__all__ = ["Person", "Indicator", "Behaviour", "Discipline", "GOLONGAN", "INDICATOR_KINDS", "validate_person",
           "STRUCTURAL", "org_capaian_of"]

#: PNS golongan ruang and PPPK grades (``data/reference/rewards_golongan.csv``).
GOLONGAN: tuple[str, ...] = tuple(f"{g}/{s}" for g in ("I", "II", "III", "IV") for s in "abcd") + ("IV/e",) + tuple(
    f"PPPK-{g}" for g in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
                          "XV", "XVI", "XVII"))
#: What an indicator measures, as the rules tell them apart: a count or level, a share in percent
#: (on time, to standard), a time (lower is better by default) or budget realisation (percent).
INDICATOR_KINDS: tuple[str, ...] = ("count", "percent", "time", "budget")
#: Position types that hold a structural post (the PP 46/2011 kepemimpinan dimension).
STRUCTURAL: tuple[str, ...] = ("pengawas", "administrator", "jpt")
OrgPredikat = Literal["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]


class _Strict(BaseModel):
    # strict: no silent coercion (true is not 1, "5" is not 5); finite: no .nan or .inf
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Indicator(_Strict):
    """One SKP indicator (indikator kinerja individu)."""

    name: str = Field(..., min_length=1, max_length=200, description="What is measured (free text).")
    target: float = Field(..., gt=0, description="Target in the indicator's unit (> 0).")
    realisation: float = Field(..., ge=0, description="Realisation in the same unit (>= 0).")
    kind: Literal["count", "percent", "time", "budget"] = Field(
        "count", description="count (documents, patients), percent (a share: on time, to standard), time "
                             "(processing time) or budget (budget realisation, percent).")
    direction: Literal["higher", "lower"] | None = Field(
        None, description="higher or lower is better; default lower for time, higher otherwise.")
    main: bool = Field(True, description="A main result (hasil kerja utama); false: additional (tambahan).")
    weight: float = Field(1.0, ge=0, le=100, description="Relative weight (rules that weight single indicators).")
    unit: str = Field("", max_length=60, description="Unit shown beside the numbers (optional).")

    @property
    def lower_is_better(self) -> bool:
        return (self.direction or ("lower" if self.kind == "time" else "higher")) == "lower"


Ratings = dict[Literal[BEHAVIOUR_DIMENSIONS], Annotated[float, Field(ge=0, le=100)]]  # type: ignore[valid-type]


def _expand(value):
    """A single number stands for the same rating on all seven BerAKHLAK values."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {dim: value for dim in BEHAVIOUR_DIMENSIONS}
    return value


class Behaviour(_Strict):
    """Behaviour ratings (perilaku kerja) on the 0-100 scale, per BerAKHLAK value or one for all."""

    supervisor: Ratings = Field(..., description="The direct superior's ratings (0-100).")
    peers: Ratings | None = Field(None, description="Mean rating of the peers (0-100); optional.")
    n_peers: int | None = Field(None, ge=0, le=100, description="Peers who rated (default 1 when peers is given).")
    subordinates: Ratings | None = Field(None, description="Mean rating of the direct subordinates (0-100); optional.")
    n_subordinates: int | None = Field(None, ge=0, le=1000, description="Subordinates who rated (default 1 when given).")

    _expand_ratings = field_validator("supervisor", "peers", "subordinates", mode="before")(
        classmethod(lambda cls, v: _expand(v)))

    @field_validator("supervisor", "peers", "subordinates")
    @classmethod
    def _complete(cls, value):
        if value is None:
            return value
        missing = [d for d in BEHAVIOUR_DIMENSIONS if d not in value]
        if missing:
            raise ValueError(f"give one number for all seven values or each of them; missing {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _counts(self) -> "Behaviour":
        for source, count in (("peers", "n_peers"), ("subordinates", "n_subordinates")):
            if getattr(self, source) is None and (getattr(self, count) or 0) > 0:
                raise ValueError(f"{count}: {getattr(self, count)} raters but no {source} ratings; give {source}")
            if getattr(self, source) is not None and getattr(self, count) == 0:
                raise ValueError(f"{count}: 0 raters but {source} ratings are given; give the count (>= 1)")
        return self

    def count(self, source: str) -> int:
        ratings, n = getattr(self, source), getattr(self, f"n_{source}")
        return 0 if ratings is None else (1 if n is None else n)


class Discipline(_Strict):
    """Lateness and absence over the appraisal period, as the TPP discipline deductions read them."""

    late_tl1: int = Field(0, ge=0, le=400, description="Late arrivals of 1 to under 31 minutes (TL1).")
    late_tl2: int = Field(0, ge=0, le=400, description="Late arrivals of 31 to under 61 minutes (TL2).")
    late_tl3: int = Field(0, ge=0, le=400, description="Late arrivals of 61 to under 91 minutes (TL3).")
    late_tl4: int = Field(0, ge=0, le=400, description="Late arrivals of 91 minutes or more, or no record (TL4).")
    absent_days: int = Field(0, ge=0, le=400, description="Days absent without a valid reason.")

    @property
    def late(self) -> list[int]:
        return [self.late_tl1, self.late_tl2, self.late_tl3, self.late_tl4]


class Person(_Strict):
    """One ASN's appraisal file for one period (see ``docs/person-file.md``)."""

    name: str | None = Field(None, max_length=200, description="Personal data: read, never printed or written.")
    nip: str | None = Field(None, max_length=40, description="Personal data: read, never printed or written.")
    position_type: Literal[POSITION_TYPES] = Field(..., description="Jabatan: " + " / ".join(POSITION_TYPES))  # type: ignore[valid-type]
    golongan: Literal[GOLONGAN] = Field(..., description="PNS golongan (III/b) or PPPK grade (PPPK-IX).")  # type: ignore[valid-type]
    status: Literal["PNS", "PPPK"] = Field("PNS", description="PNS or PPPK.")
    opd_kind: Literal[OPD_KINDS] = Field(..., description="Kind of OPD: " + " / ".join(OPD_KINDS))  # type: ignore[valid-type]
    unit_predikat: OrgPredikat = Field(..., description="Organisational predikat of the work unit.")
    opd_predikat: OrgPredikat | None = Field(None, description="Organisational predikat of the OPD (default: the unit's).")
    results_supervisor: float = Field(..., ge=0, le=100, description="The superior's judgement of the work results (0-100).")
    indicators: list[Indicator] = Field(default_factory=list, max_length=20, description="SKP indicators.")
    behaviour: Behaviour
    discipline: Discipline = Field(default_factory=Discipline)
    new_idea: bool = Field(False, description="Credited with a new idea or method in the period (PP 30/2019).")
    extra_tasks: int = Field(0, ge=0, le=50, description="Additional tasks (tugas tambahan) in the period.")
    unit_ikm: float | None = Field(None, ge=25, le=100, description="Converted IKM (25-100) of the service point; optional.")
    tpp_amount_idr_per_month: float | None = Field(
        None, ge=0, le=1e9, description="The region's full monthly TPP of the person's class (default: the scenario's table).")

    @model_validator(mode="after")
    def _golongan_status(self) -> "Person":
        if (self.status == "PPPK") != self.golongan.startswith("PPPK-"):
            raise ValueError(f"golongan, status: a {self.status} has a {'PPPK grade (PPPK-IX)' if self.status == 'PPPK' else 'PNS golongan (III/b)'}, got {self.golongan!r}")
        return self

    # ----------------------------------------------------------------------------------------
    # The person as a one-row Evidence
    # ----------------------------------------------------------------------------------------

    def employees(self) -> pd.DataFrame:
        """The one-row observable employee table (no name, no NIP): a unit of one, rated by an outside rater."""
        cat = lambda v, cats: pd.Categorical([v], categories=list(cats))  # noqa: E731
        level = {"pengawas": 1, "administrator": 2, "jpt": 3}.get(self.position_type, 0)
        return pd.DataFrame({
            "employee_id": np.array([0], dtype=np.int64), "sex": cat("-", ("L", "P", "-")),
            "age": np.array([0], dtype=np.int16), "golongan": cat(self.golongan, GOLONGAN),
            "position_type": cat(self.position_type, POSITION_TYPES), "level": np.array([level], dtype=np.int8),
            "is_structural": np.array([self.position_type in STRUCTURAL]), "is_unit_head": np.array([False]),
            "status": cat(self.status, ("PNS", "PPPK")), "tenure_years": np.array([0], dtype=np.int16),
            "local_origin": np.array([True]), "opd_id": np.array([0], dtype=np.int32),
            "opd_kind": cat(self.opd_kind, OPD_KINDS), "unit_id": np.array([0], dtype=np.int32),
            "superior_id": np.array([-1], dtype=np.int32), "n_subordinates": np.array([0], dtype=np.int32),
            "is_counter_staff": np.array([self.opd_kind in COUNTER_KINDS and self.unit_ikm is not None]),
            "service_point_id": np.array([-1], dtype=np.int32),
        })

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator in the layout the policies read (code names; the label is the person's name)."""
        rows = []
        for j, ind in enumerate(self.indicators):
            rows.append({
                "slot": j, "name": f"indikator_{j + 1}" + ("_anggaran" if ind.kind == "budget" else ""),
                "label": ind.name, "unit": ind.unit or ("persen" if ind.kind in ("percent", "budget") else ""),
                "lower_is_better": ind.lower_is_better,
                "scale": "logit_percent" if ind.kind in ("percent", "budget") else "log",
                "main": ind.main, "opd_kind": self.opd_kind,
            })
        columns = ["slot", "name", "label", "unit", "lower_is_better", "scale", "main", "opd_kind"]
        return pd.DataFrame(rows, columns=columns)

    def to_evidence(self, scales: ScaleParams, period_months: int, org_capaian: float) -> "Evidence":
        """The person as a one-row :class:`~simulate.evidence.Evidence` for the policies.

        Ratings on 0-100 become the latent ratings the rules read by inverting the scenario's
        0-100 map (``score = center + per_sd x latent``), so a rule's own 0-100 mapping gives the
        numbers back; ``org_capaian`` (percent) stands for the organisational predikat
        (:func:`org_capaian_of`). Achievement (capaian) comes from the PermenPANRB 8/2021 rule.
        """
        from simulate.evidence import Evidence

        k = max(len(self.indicators), 1)
        target = np.full((1, k), np.nan)
        real = np.full((1, k), np.nan)
        lower = np.zeros((1, k), dtype=bool)
        main = np.zeros((1, k), dtype=bool)
        for j, ind in enumerate(self.indicators):
            target[0, j], real[0, j], lower[0, j], main[0, j] = ind.target, ind.realisation, ind.lower_is_better, ind.main
        held = ~np.isnan(target)
        cap = np.full((1, k), np.nan)
        cap[held] = capaian_percent(target[held], real[held], lower[held])

        def latent(ratings) -> np.ndarray:
            if ratings is None:
                return np.full((1, 7), np.nan)
            values = np.array([[ratings[d] for d in BEHAVIOUR_DIMENSIONS]], dtype=float)
            return (values - scales.score_center) / scales.score_per_sd

        b = self.behaviour
        sup = latent(b.supervisor)
        d = self.discipline
        return Evidence(
            employees=self.employees(), indicators=self.indicator_table(), realisation=real, target=target,
            capaian=cap, lower_is_better=lower, main=main, supervisor_behaviour=sup,
            supervisor_results=np.array([(self.results_supervisor - scales.score_center) / scales.score_per_sd]),
            peer_behaviour=latent(b.peers), n_peers=np.array([b.count("peers")], dtype=np.int64),
            subordinate_behaviour=latent(b.subordinates), n_subordinates=np.array([b.count("subordinates")], dtype=np.int64),
            self_behaviour=sup.copy(), self_results=np.zeros(1), daily_log_points=np.ones(1),
            citizen_rating=np.full(1, np.nan),
            unit_ikm=np.array([np.nan if self.unit_ikm is None else self.unit_ikm]),
            unit_complaints_per_1000=np.full(1, np.nan), org_capaian=np.array([float(org_capaian)]),
            late_days=np.array([d.late], dtype=np.int64), absent_days=np.array([d.absent_days], dtype=np.int64),
            new_idea=np.array([self.new_idea]), extra_tasks=np.array([self.extra_tasks], dtype=np.int64),
            rater_rotates=np.zeros(1, dtype=bool), turn_order=np.zeros(1, dtype=np.int64),
            service_points=pd.DataFrame(), scales=scales, period=0, period_months=int(period_months),
        )


def org_capaian_of(predikat: str, thresholds=None) -> float:
    """A unit achievement (percent) whose organisational predikat is ``predikat``.

    The inclusive lower bound of the predikat's band (``thresholds``: istimewa, baik, butuh
    perbaikan, kurang; default the rules table 110 / 90 / 70 / 50 [unverified]); for sangat
    kurang half the kurang bound. The rules then band it back to the same predikat.
    """
    from simulate.rules.permenpanrb_2022.organisation import _default_org_thresholds

    bounds = list(_default_org_thresholds() if thresholds is None else thresholds)
    i = ORG_PREDIKAT.index(predikat)
    return float(bounds[i]) if i < 4 else float(bounds[3]) / 2.0


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_of(exc: ValidationError, where=None) -> list[str]:
    """One line per problem, naming the field path (``indicators[1].target``) or, through
    ``where(loc)``, the place in a workbook."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err.get("loc", ()) if not (isinstance(p, str) and ("[" in p or p in ("float", "int"))))
        msg = err.get("msg", "").removeprefix("Value error, ").replace("Input should be", "must be")
        kind = err.get("type", "")
        got = err.get("input")
        if kind == "extra_forbidden":
            msg = "unknown field"
        elif kind == "literal_error":
            msg = msg.replace("must be", "must be one of", 1)
        shown = "" if kind in ("extra_forbidden", "missing") or isinstance(got, (dict, list)) else f", got {got!r}"
        place = where(loc) if where is not None else None
        lines.append(f"{place or _path(loc) or 'file'}: {msg}{shown}")
    return list(dict.fromkeys(lines))


def validate_person(data: object, source: str, where=None) -> Person:
    """``Person`` from parsed file contents; a :class:`~simulate.errors.ScenarioError` lists every problem."""
    if not isinstance(data, dict):
        raise ScenarioError(f"--input: {source}: the file must hold a mapping of fields (position_type: ..., "
                            f"golongan: ..., ...), got {type(data).__name__}")
    try:
        return Person.model_validate(data)
    except ValidationError as exc:
        lines = problems_of(exc, where)
        raise ScenarioError(f"--input: {source}: {len(lines)} problem{'s' * (len(lines) > 1)}", lines) from None
