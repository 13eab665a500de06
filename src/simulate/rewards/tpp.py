"""TPP / tunjangan kinerja: the allowance that follows the predikat and the attendance record.

DESIGN 3.7; domain/regulations.md 5. For each employee and the ``m`` months of the period:

1. **Class amount** ``A`` (rupiah per month) by position type and golongan group, from a
   reference table (default ``data/reference/tpp_amounts.csv``: illustrative figures
   [unverified]; PP 12/2019 Art. 58 lets each region set its own by Perkada). PPPK grades use
   the group of their PNS equivalent (``rewards_golongan.csv``). ``amount_scale`` multiplies
   every amount; employees of ``exclude_opd_kinds`` get nothing.
2. **Split** into a productivity component ``s x A`` and a discipline component ``(1 - s) x A``
   (``productivity_share`` ``s`` = 60 %, the common regional template, Kepmendagri
   900-4700/2020 [unverified]).
3. **Predikat**: the productivity component is paid at ``p(predikat)`` percent: the KLHK scheme
   (Permen LHK 6/2024: 100 / 100 / 90 / 85 / 80 %) by default, Bakamla's (Perban 1/2023: -1 % /
   -2 % for Kurang / Sangat Kurang) as an alternative, or a custom mapping
   (:func:`simulate.rules.tpp.predikat_paid_percent`). ``predikat_applies_to: total`` applies
   the percentage to the whole allowance instead, as KLHK and Bakamla do for tukin.
   *Timing*: KLHK pays next year's tukin at the percentage of this year's predikat; the
   simulation pays the period that follows the appraisal, of the same length, at it.
4. **Discipline**: the discipline component is cut by the Permentan 68/2012 table (0.5 / 1 /
   1.5 / 2 % per late arrival in bands TL1-TL4, 4 % per day absent;
   :func:`simulate.rules.tpp.discipline_deduction_percent`), monthly, capped at the whole
   discipline component. *Months*: the evidence counts late days and absences over the whole
   period, so the monthly deduction is computed on the monthly average (counts / ``m``) and
   applied in each of the ``m`` months. This equals the sum of the true monthly deductions
   unless the 100 % cap binds in some month; then it is an upper bound on the deduction (the
   cap is concave), i.e. a lower bound on pay. Early leave (PSW) is not in the evidence.
5. **Budget cap** (optional, ``budget_cap_idr``, rupiah for the whole period and all
   employees): when the payments after steps 1-4 exceed it, every payment is multiplied by the
   same factor ``cap / total`` so that the total equals the cap exactly (a proportional cut,
   as regions do when TPP is paid "sesuai kemampuan keuangan daerah"); below the cap nothing
   changes.

Cost = total paid. Baseline = every eligible employee paid the full class amount for every month
(no predikat cut, no discipline deduction, no cap): ``sum(A x m)``.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import field_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal
from simulate.predikat import PREDIKAT
from simulate.reference import load_table, table_path
from simulate.rewards.base import (
    FollowUpSignals,
    FollowUp,
    RewardParams,
    employee_derived,
    evidence_rows,
    lookup_pairs,
    map_to_categorical,
    period_of,
    register,
)
from simulate.rules.tpp import discipline_deduction_percent, paid_after_deduction, predikat_paid_percent
from simulate.scenario.schema import OPD_KINDS, param

__all__ = ["TppParams", "apply", "class_amounts", "golongan_groups"]

SRC_PP12 = "PP 12/2019 Art. 58: regions set TPP per class of position by Perkada (domain/regulations.md 5.1)"
SRC_SPLIT = "Kepmendagri 900-4700/2020 regional template, produktivitas 60 % / disiplin 40 % [unverified] (domain/regulations.md 5.1)"
SRC_CUTS = "KLHK Permen LHK 6/2024 (90/85/80 %); Bakamla Perban 1/2023 (-1/-2 %) (domain/regulations.md 5.2)"
SRC_PERMENTAN = "Permentan 68/2012 lateness and absence deductions (domain/regulations.md 5.2)"
_AMOUNT_COLUMNS = ("position_type", "golongan_group", "amount_idr_per_month")


@lru_cache(maxsize=None)  # static reference table; a read-only view is returned
def _golongan_groups() -> MappingProxyType:
    table = load_table("rewards_golongan")
    return MappingProxyType(dict(zip(table["golongan"], table["golongan_group"])))


def golongan_groups() -> dict[str, str]:
    """Golongan (PNS ``III/a`` or PPPK ``PPPK-IX``) -> group ``I``-``IV`` (``rewards_golongan.csv``)."""
    return dict(_golongan_groups())


def class_amounts(table: str = "tpp_amounts") -> dict[tuple[str, str], float]:
    """Monthly TPP (rupiah) by ``(position_type, golongan_group)`` from reference table ``table``."""
    return dict(_class_amounts(table))


@lru_cache(maxsize=None)
def _class_amounts(table: str) -> MappingProxyType:
    frame = load_table(table)
    missing = [c for c in _AMOUNT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"reference table {table!r} lacks column(s) {', '.join(missing)}")
    if (frame["amount_idr_per_month"] < 0).any():
        raise ValueError(f"reference table {table!r}: amount_idr_per_month must be >= 0")
    keys = zip(frame["position_type"].astype(str), frame["golongan_group"].astype(str))
    return MappingProxyType(dict(zip(keys, frame["amount_idr_per_month"].astype(float))))


class TppParams(RewardParams):
    amounts_table: str = param(
        "tpp_amounts", "Reference table (data/reference/<name>.csv) of the monthly TPP of each class: columns "
        "position_type, golongan_group, amount_idr_per_month. The default is illustrative [unverified].", "-",
        source=SRC_PP12)
    amount_scale: float = param(
        1.0, "Multiplier on every class amount (for example a region's fiscal-capacity adjustment).", "factor",
        ge=0, le=100)
    productivity_share: float = param(
        0.6, "Share of the class amount that is the productivity component (the rest is the discipline "
        "component) [unverified].", "share", ge=0, le=1, source=SRC_SPLIT)
    predikat_scheme: Literal["klhk", "bakamla"] = param(
        "klhk", "Predikat-linked payment scheme: klhk pays 100/100/90/85/80 %, bakamla 100/100/100/99/98 % "
        "(Sangat Baik ... Sangat Kurang).", "-", source=SRC_CUTS)
    predikat_paid_percent: dict[str, float] | None = param(
        None, "Custom percent paid at each predikat (keys sangat_baik, baik, butuh_perbaikan, kurang, "
        "sangat_kurang; 0-200, never more for a worse predikat); replaces predikat_scheme when given.", "percent")
    predikat_applies_to: Literal["productivity", "total"] = param(
        "productivity", "Component the predikat percent applies to: the productivity component (regional TPP "
        "template) or the whole allowance (KLHK, Bakamla tukin).", "-", source=SRC_CUTS)
    discipline_deductions: bool = param(
        True, "Cut the discipline component for late arrivals (TL1-TL4) and absences (Permentan 68/2012 "
        "table), capped at the component; needs the period's evidence.", "-", source=SRC_PERMENTAN)
    exclude_opd_kinds: list[str] = param(
        description="OPD kinds whose employees get no TPP (some regions exclude certified teachers, paid "
        "tunjangan profesi instead) [unverified].", unit="-", default_factory=list)
    budget_cap_idr: float | None = param(
        None, "Budget for the period's TPP of all employees; payments above it are scaled down "
        "proportionally to fit exactly (null: no cap); at most 1e16 rupiah, far beyond any region's "
        "budget.", "rupiah", ge=0, le=1e16)

    @field_validator("amounts_table")
    @classmethod
    def _table_exists(cls, value: str) -> str:
        try:
            table_path(value)  # inside the allowed folders, each time (class_amounts is memoised)
            class_amounts(value)
        except KeyError as exc:
            raise ValueError(str(exc.args[0])) from None
        return value

    @field_validator("predikat_paid_percent")
    @classmethod
    def _mapping(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        unknown = sorted(set(value) - set(PREDIKAT))
        if unknown:
            raise ValueError(f"unknown predikat {unknown[0]!r}; allowed: {' / '.join(PREDIKAT)}")
        missing = [k for k in PREDIKAT if k not in value]
        if missing:
            raise ValueError(f"missing {' / '.join(missing)}; give all five predikat")
        pct = [float(value[k]) for k in PREDIKAT]
        if any(p < 0 or p > 200 for p in pct):
            raise ValueError("each percent must be between 0 and 200")
        if any(b > a for a, b in zip(pct, pct[1:])):
            raise ValueError("a worse predikat must never be paid more than a better one "
                             "(percents must not rise from sangat_baik to sangat_kurang)")
        return value

    @field_validator("exclude_opd_kinds")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(OPD_KINDS))
        if unknown:
            raise ValueError(f"unknown OPD kind {unknown[0]!r}; allowed: {' / '.join(OPD_KINDS)}")
        return value

    def paid_percent(self, predikat: Any) -> np.ndarray:
        """Percent of the component paid at each predikat code."""
        if self.predikat_paid_percent is None:
            return predikat_paid_percent(predikat, self.predikat_scheme)
        table = np.array([self.predikat_paid_percent[k] for k in PREDIKAT], dtype=float)
        return table[np.asarray(predikat, dtype=np.int64)]


def _employee_part(attrs: pd.DataFrame, params: TppParams) -> dict[str, Any]:
    """Position type, golongan group, eligibility and monthly class amount of each employee.

    Depends on the employees' attributes and the amount parameters only, so it is memoised on the
    employee table (:func:`~simulate.rewards.base.employee_derived`).
    """
    group = map_to_categorical(attrs["golongan"], golongan_groups(), "golongan")
    # One lookup per distinct (position type, group) pair, not per employee.
    amount = lookup_pairs(attrs["position_type"], group, class_amounts(params.amounts_table),
                          f"{params.amounts_table} (position_type, golongan_group)")
    eligible = ~attrs["opd_kind"].isin(params.exclude_opd_kinds).to_numpy()
    amount = np.where(eligible, amount * params.amount_scale, 0.0)
    return {"position_type": attrs["position_type"].array, "group": group, "amount": amount, "eligible": eligible}


def _policy_independent(appraisal: Appraisal, population: Any, params: TppParams, evidence: Evidence | None,
                        months: int) -> dict[str, Any]:
    """Amounts, eligibility and discipline deductions: the same for every policy on one evidence.

    Kept with the evidence (``evidence.derived``, keyed by the parameters), so comparing many
    policies on the same period computes them once; the part that depends on the employees alone
    is kept in the employee table's structure, so the periods of a run share it. Callers must
    not change the arrays.
    """
    if evidence is None:
        return _compute_policy_independent(appraisal, population, params, evidence, months)
    key = (params.model_dump_json(), tuple(np.asarray(appraisal.employee_id)[[0, -1]]) if appraisal.n else (), appraisal.n)
    return evidence.derived.get(("tpp.policy_independent", *key),
                                lambda: _compute_policy_independent(appraisal, population, params, evidence, months))


def _compute_policy_independent(appraisal: Appraisal, population: Any, params: TppParams, evidence: Evidence | None,
                                months: int) -> dict[str, Any]:
    employee_key = ("tpp", params.amounts_table, params.amount_scale, tuple(params.exclude_opd_kinds))
    out = dict(employee_derived(appraisal, population, evidence, ["position_type", "golongan", "opd_kind"],
                                employee_key, lambda attrs: _employee_part(attrs, params)))
    baseline = out["amount"] * months
    productivity_full = baseline * params.productivity_share
    discipline_full = baseline - productivity_full
    if params.discipline_deductions:
        rows = evidence_rows(appraisal, evidence)
        late = np.asarray(evidence.late_days, dtype=float)[rows]
        absent = np.asarray(evidence.absent_days, dtype=float)[rows]
        deduction = discipline_deduction_percent(late / months, absent_days=absent / months)
    else:
        deduction = np.zeros(appraisal.n)
    out.update({"baseline": baseline, "productivity_full": productivity_full, "discipline_full": discipline_full,
                "deduction": deduction, "discipline_after": paid_after_deduction(discipline_full, deduction)})
    return out


def signals(followup: FollowUp) -> FollowUpSignals:
    """The share of the allowance each person is paid (1 where no allowance is due)."""
    base, paid = followup.column("baseline_idr").astype(float), followup.column("paid_idr").astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(base > 0, paid / base, 1.0)
    return FollowUpSignals(pay_share=share)


@register("tpp", TppParams, label="TPP (tambahan penghasilan pegawai)", label_en="TPP (performance allowance)",
          reference="PP 12/2019 Art. 58; Kepmendagri 900-4700/2020; Permentan 68/2012; Permen LHK 6/2024; Perban Bakamla 1/2023",
          signals=signals, cost_metric="tpp_cost_idr")
def apply(appraisal: Appraisal, population: Any, params: TppParams, evidence: Evidence | None = None,
          history: Any = None) -> FollowUp:
    """TPP paid to every employee for the period (see the module docstring for the steps).

    ``history`` is not used (the allowance follows the current predikat only).
    """
    if evidence is None and params.discipline_deductions:
        raise ValueError("tpp: discipline deductions need the period's evidence (late_days, absent_days); "
                         "pass evidence or set discipline_deductions: false")
    period, months = period_of(evidence)
    n = appraisal.n
    base = _policy_independent(appraisal, population, params, evidence, months)
    position_type, group, amount, eligible = base["position_type"], base["group"], base["amount"], base["eligible"]
    baseline, productivity_full, discipline_full = base["baseline"], base["productivity_full"], base["discipline_full"]
    deduction, discipline_after = base["deduction"], base["discipline_after"]
    pct = params.paid_percent(appraisal.predikat)

    productivity_paid = productivity_full * pct / 100.0
    if params.predikat_applies_to == "total":
        discipline_paid = discipline_after * pct / 100.0
    else:
        discipline_paid = discipline_after
    before_cap = productivity_paid + discipline_paid
    total_before = float(before_cap.sum())
    factor = 1.0
    if params.budget_cap_idr is not None and total_before > params.budget_cap_idr:
        factor = params.budget_cap_idr / total_before
    paid = before_cap * factor
    predikat_cut = eligible & (pct < 100.0)
    discipline_cut = eligible & (deduction > 0)

    employees = {  # the table's columns, built on first use (simulate.frames)
        "employee_id": np.asarray(appraisal.employee_id),
        "position_type": position_type,
        "golongan_group": group,
        "eligible": eligible,
        "amount_idr_per_month": amount,
        "months": np.full(n, months, dtype=np.int64),
        "baseline_idr": baseline,
        "predikat_paid_percent": pct,
        "productivity_full_idr": productivity_full,
        "productivity_paid_idr": productivity_paid,
        "discipline_deduction_percent": deduction,
        "discipline_full_idr": discipline_full,
        "discipline_paid_idr": discipline_paid,
        "paid_before_cap_idr": before_cap,
        "cap_factor": np.full(n, factor),
        "paid_idr": paid,
        "cut_idr": baseline - paid,
        "predikat_cut": predikat_cut,
        "discipline_cut": discipline_cut,
    }
    discipline_deduction = discipline_full - discipline_after
    totals = {
        "eligible_employees": int(eligible.sum()),
        "predikat_cut_idr": float((baseline - discipline_deduction - before_cap).sum()),
        "discipline_deduction_idr": float(discipline_deduction.sum()),
        "paid_before_cap_idr": total_before,
        "cap_reduction_idr": float(total_before - paid.sum()),
        "cap_factor": factor,
        "employees_with_predikat_cut": int(predikat_cut.sum()),
        "employees_with_discipline_cut": int(discipline_cut.sum()),
    }
    return FollowUp(scheme="tpp", rule="tpp", policy=appraisal.policy, employees=employees,
                    total_cost_idr=float(paid.sum()), baseline_cost_idr=float(baseline.sum()),
                    totals=totals, period=period, period_months=months, params=params)
