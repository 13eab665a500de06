"""A synthetic regional civil service: OPDs, units, the appraisal hierarchy and employees.

DESIGN 3.1. Everything is vectorised: employees are rows of arrays, built by repeating and
gathering per-OPD counts; there is no Python loop over employees (only over the five OPD kinds).

The hierarchy inside an OPD of ``m`` employees, by rank ``0..m-1`` inside the OPD:

* rank 0 heads the OPD (JPT for dinas/badan, administrator for UPT such as a school,
  puskesmas or kecamatan office; appraised by the regional head, outside the simulation);
* if the OPD has more units than one administrator oversees, the next ranks are division
  heads (administrator, appraised by the OPD head);
* the next ranks are unit heads (pengawas), appraised by their division head or the OPD head;
* everyone else is staff (fungsional or pelaksana) spread over the units, appraised by the
  unit head (pejabat penilai). Staff are PNS or PPPK; structural posts are PNS only.

This is the appraiser chain of e-Kinerja BKN (domain/regulations.md 6.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulate.evidence import frame_html
from simulate.rng import RngLike, as_generator
from simulate.scenario.schema import COUNTER_KINDS, OPD_KINDS, PopulationParams
from simulate.structure import Structure

__all__ = ["Population", "generate_population", "format_nip", "LEVELS", "POSITION_TYPES"]

#: Hierarchy levels, bottom to top.
LEVELS = ("staff", "pengawas", "administrator", "jpt")
POSITION_TYPES = ("pelaksana", "fungsional", "pengawas", "administrator", "jpt")
_GOLONGAN = tuple(f"{g}/{s}" for g in ("I", "II", "III", "IV") for s in "abcd") + ("IV/e",)
#: Entry golongan by education: SMA -> II/a, D3 -> II/c, S1 -> III/a, S2 -> III/b.
_ENTRY_INDEX = np.array([4, 6, 8, 9])
_EDU_SHARES = np.array([0.20, 0.15, 0.55, 0.10])
_UPT_KINDS = ("pendidikan", "puskesmas", "kecamatan")
_PPPK_GRADES = ("V", "VI", "VII", "VIII", "IX", "X", "XI")


@dataclass(frozen=True, eq=False)
class Population:
    """Employees (one row each), and the OPD and unit tables of one region.

    ``structure`` holds what the employee table fixes for every period (who rates whom, the
    indicator layout, the service points; :mod:`simulate.structure`), derived on first use.
    """

    employees: pd.DataFrame
    opds: pd.DataFrame
    units: pd.DataFrame
    structure: Structure = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "structure", Structure(self.employees))

    @property
    def n(self) -> int:
        return len(self.employees)

    def to_frame(self) -> pd.DataFrame:
        return self.employees

    def summary(self) -> pd.DataFrame:
        e = self.employees
        rows = {
            "employees": len(e), "OPDs / UPTs": len(self.opds), "work units": len(self.units),
            "share female": float((e["sex"] == "P").mean()), "share PPPK": float((e["status"] == "PPPK").mean()),
            "mean age": float(e["age"].mean()), "mean team size": float(self.units["n_staff"].mean()),
        }
        for kind in OPD_KINDS:
            rows[f"employees in {kind}"] = int((e["opd_kind"] == kind).sum())
        return pd.DataFrame({"value": rows})

    def _repr_html_(self) -> str:
        return frame_html(f"Population of {self.n:,} ASN", self.summary())


def format_nip(nip: np.ndarray | pd.Series) -> np.ndarray:
    """18-digit NIP strings from the integer form (zero-padded)."""
    return np.char.zfill(np.asarray(nip, dtype=np.int64).astype(str), 18)


def _split_count(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    """Split ``total`` people into ``parts`` groups of at least one each, the rest at random."""
    parts = min(parts, total)
    return 1 + rng.multinomial(total - parts, np.full(parts, 1.0 / parts))


def _opd_sizes(params: PopulationParams, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Kinds and sizes of all OPDs; sizes sum to ``n_employees``."""
    kinds_present = [k for k in OPD_KINDS if params.opd_mix.get(k, 0) > 0]
    shares = np.array([params.opd_mix[k] for k in kinds_present])
    per_kind = rng.multinomial(params.n_employees, shares / shares.sum())
    kinds, sizes = [], []
    for kind, n_kind in zip(kinds_present, per_kind):  # five kinds at most
        if n_kind == 0:
            continue
        n_opd = max(1, int(round(n_kind / params.opd_size_mean[kind])))
        counts = _split_count(int(n_kind), n_opd, rng)
        kinds.append(np.full(len(counts), OPD_KINDS.index(kind), dtype=np.int8))
        sizes.append(counts)
    return np.concatenate(kinds), np.concatenate(sizes).astype(np.int64)


def generate_population(params: PopulationParams, rng: RngLike = None) -> Population:
    """Generate a region's civil service (DESIGN 3.1).

    Parameters
    ----------
    params : PopulationParams
        Size, OPD mix, team sizes and workforce shares.
    rng : None, int, SeedSequence or Generator
        Source of randomness (see :func:`simulate.rng.as_generator`).
    """
    rng = as_generator(rng)
    opd_kind_code, opd_size = _opd_sizes(params, rng)
    opd_kind = np.asarray(OPD_KINDS, dtype=object)[opd_kind_code]
    n_opd = len(opd_size)
    n = int(opd_size.sum())

    # --- structure of each OPD -------------------------------------------------------------
    team = params.team_size_mean
    n_units = np.maximum(1, np.rint((opd_size - 1) / (team + 1)).astype(np.int64))
    n_units = np.where(opd_size == 1, 0, np.minimum(n_units, np.maximum(opd_size - 1, 0)))
    n_div = np.where(n_units > params.units_per_division,
                     -(-n_units // params.units_per_division), 0)
    # Divisions are only created when there is room for them next to unit heads, and never in
    # an UPT (school, puskesmas, kecamatan office): its head is already at administrator level.
    n_div = np.minimum(n_div, np.maximum(opd_size - 1 - n_units, 0))
    n_div = np.where(np.isin(opd_kind_code, [OPD_KINDS.index(k) for k in _UPT_KINDS]), 0, n_div)

    opd_start = np.concatenate([[0], np.cumsum(opd_size)[:-1]])
    unit_offset = np.concatenate([[0], np.cumsum(n_units)[:-1]])
    opd_of = np.repeat(np.arange(n_opd), opd_size)
    rank = np.arange(n) - opd_start[opd_of]
    div_hi = 1 + n_div[opd_of]                      # ranks [1, div_hi) are division heads
    unit_hi = div_hi + n_units[opd_of]              # ranks [div_hi, unit_hi) are unit heads

    is_opd_head = rank == 0
    is_div_head = (rank >= 1) & (rank < div_hi)
    is_unit_head = (rank >= div_hi) & (rank < unit_hi)
    is_staff = rank >= unit_hi

    local_unit = np.full(n, -1, dtype=np.int64)
    local_unit[is_unit_head] = (rank - div_hi)[is_unit_head]
    units_here = np.maximum(n_units[opd_of], 1)
    local_unit[is_staff] = ((rank - unit_hi) % units_here)[is_staff]
    # OPD and division heads belong to the OPD's first unit for service purposes.
    local_unit = np.where(local_unit < 0, 0, local_unit)
    local_unit = np.where(n_units[opd_of] == 0, 0, local_unit)
    unit_id = unit_offset[opd_of] + local_unit
    unit_id = np.where(n_units[opd_of] == 0, -1, unit_id)

    # Superior (row index of the appraiser), -1 for OPD heads.
    superior = np.full(n, -1, dtype=np.int64)
    head_row = opd_start[opd_of]
    superior[is_div_head] = head_row[is_div_head]
    div_of_unit = local_unit // params.units_per_division
    div_head_row = opd_start[opd_of] + 1 + div_of_unit
    uh_reports_to = np.where(n_div[opd_of] > 0, div_head_row, head_row)
    superior[is_unit_head] = uh_reports_to[is_unit_head]
    unit_head_row = opd_start[opd_of] + div_hi + local_unit
    superior[is_staff] = unit_head_row[is_staff]

    level = np.select([is_opd_head, is_div_head, is_unit_head], [3, 2, 1], default=0).astype(np.int8)
    kind_code = opd_kind_code[opd_of]
    upt = np.isin(kind_code, [OPD_KINDS.index(k) for k in _UPT_KINDS])
    # An UPT head (school principal, puskesmas head, camat) is at administrator level.
    level = np.where(is_opd_head & upt, 2, level).astype(np.int8)

    # --- people ----------------------------------------------------------------------------
    share_func = np.array([params.share_functional.get(k, 0.3) for k in OPD_KINDS])[kind_code]
    functional = is_staff & (rng.random(n) < share_func)
    # codes into POSITION_TYPES: pelaksana, fungsional, pengawas, administrator, jpt
    position = np.select(
        [is_opd_head & ~upt, is_opd_head | is_div_head, is_unit_head, functional], [4, 3, 2, 1], default=0,
    ).astype(np.int8)
    n_staff = int(is_staff.sum())
    p_pppk = min(1.0, params.share_pppk * n / max(n_staff, 1))
    pppk = is_staff & (rng.random(n) < p_pppk)
    female = rng.random(n) < params.share_female
    local_origin = rng.random(n) < params.share_local_origin

    year = params.reference_year
    max_age = params.retirement_age - 1
    heads = level > 0
    age = np.empty(n, dtype=np.int64)
    age[~heads] = np.floor(20 + (max_age - 20) * rng.beta(2.2, 1.7, int((~heads).sum())))
    age[heads] = np.floor(35 + (max_age - 35) * rng.beta(2.5, 1.6, int(heads.sum())))
    entry_age = np.minimum(age, np.floor(21 + 9 * rng.beta(1.6, 3.0, n)).astype(np.int64))
    tenure_pns = age - entry_age
    tenure_pppk = np.minimum(age - 19, rng.integers(0, 5, n))
    tenure = np.where(pppk, tenure_pppk, tenure_pns).astype(np.int64)

    edu = rng.choice(4, size=n, p=_EDU_SHARES)
    edu = np.where(level > 0, np.maximum(edu, 2), edu)  # structural posts need a degree
    gol_idx = np.minimum(_ENTRY_INDEX[edu] + tenure // 4, len(_GOLONGAN) - 1)
    pppk_grade = np.where(edu >= 2, 9, 5) + np.minimum(tenure // 2, 2)  # PPPK grades V-XI
    golongan = np.where(pppk, len(_GOLONGAN) + pppk_grade - 5, gol_idx)

    # Synthetic NIP: birth date (8) + appointment month (6) + sex digit + 3-digit sequence.
    birth_year = year - age
    birth_month = rng.integers(1, 13, n)
    birth_day = rng.integers(1, 29, n)
    appoint_year = year - tenure
    appoint_month = rng.integers(1, 13, n)
    sex_digit = np.where(female, 2, 1)
    prefix = ((birth_year * 10_000 + birth_month * 100 + birth_day) * 1_000_000
              + appoint_year * 100 + appoint_month) * 10 + sex_digit
    # Any deterministic order within a (birth date, appointment month, sex) group gives unique
    # sequence numbers; numpy's default sort is deterministic and faster than a stable one.
    order = np.argsort(prefix)
    sorted_prefix = prefix[order]
    starts = np.r_[True, sorted_prefix[1:] != sorted_prefix[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n) - group_start + 1
    nip = prefix * 1000 + np.minimum(seq, 999)

    cat = pd.Categorical.from_codes
    employees = pd.DataFrame({
        "employee_id": np.arange(n, dtype=np.int64),
        "nip": nip.astype(np.int64),
        "sex": cat(female.astype(np.int8), categories=["L", "P"]),
        "age": age.astype(np.int16),
        "golongan": cat(golongan, categories=list(_GOLONGAN) + [f"PPPK-{g}" for g in _PPPK_GRADES]),
        "position_type": cat(position, categories=list(POSITION_TYPES)),
        "level": level,
        "is_structural": level > 0,
        "is_unit_head": is_unit_head,
        "status": cat(pppk.astype(np.int8), categories=["PNS", "PPPK"]),
        "tenure_years": tenure.astype(np.int16),
        "local_origin": local_origin,
        "opd_id": opd_of.astype(np.int32),
        "opd_kind": cat(kind_code, categories=list(OPD_KINDS)),
        "unit_id": unit_id.astype(np.int32),
        "superior_id": superior.astype(np.int32),
    })

    n_sub = np.bincount(superior[superior >= 0], minlength=n)
    employees["n_subordinates"] = n_sub.astype(np.int32)

    opds = pd.DataFrame({
        "opd_id": np.arange(n_opd, dtype=np.int64), "opd_kind": pd.Categorical.from_codes(opd_kind_code, categories=list(OPD_KINDS)),
        "n_employees": opd_size, "n_units": n_units, "n_divisions": n_div,
        "head_id": opd_start.astype(np.int64),
        "is_counter_service": np.isin(opd_kind, COUNTER_KINDS),
    })
    n_total_units = int(n_units.sum())
    unit_opd = np.repeat(np.arange(n_opd), n_units)
    unit_local = np.arange(n_total_units) - unit_offset[unit_opd]
    unit_head = opd_start[unit_opd] + 1 + n_div[unit_opd] + unit_local
    valid_unit = unit_id >= 0
    staff_count = np.bincount(unit_id[valid_unit & is_staff], minlength=n_total_units)
    units = pd.DataFrame({
        "unit_id": np.arange(n_total_units, dtype=np.int64), "opd_id": unit_opd.astype(np.int64),
        "opd_kind": pd.Categorical.from_codes(opd_kind_code[unit_opd], categories=list(OPD_KINDS)), "head_id": unit_head.astype(np.int64),
        "n_staff": staff_count.astype(np.int64),
    })
    return Population(employees=employees, opds=opds, units=units)
