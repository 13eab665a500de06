"""Functional credit points (angka kredit) earned from the predikat: PermenPANRB 1/2023, PerBKN 3/2023.

DESIGN 3.7; domain/regulations.md 1.7. Only functional officials (``position_type ==
'fungsional'``, PNS and PPPK) earn credit:
``credit = months / 12 x percent(predikat) / 100 x coefficient(jenjang)``, with 150 / 100 / 75 /
50 / 25 % for Sangat Baik ... Sangat Kurang (:func:`simulate.rules.angka_kredit.annual_credit`),
rounded half-up to 2 decimals per period as in the PerBKN 3/2023 examples (Ahli Pertama a year at
Sangat Baik = 18.75; 2 months at Baik = 2.08).

*Jenjang*: the population records the golongan, not the jenjang, so the jenjang is read from it
(``data/reference/rewards_golongan.csv``): III/a-b Ahli Pertama, III/c-d Ahli Muda, IV/a-c Ahli
Madya, IV/d-e Ahli Utama; golongan II on the skilled ladder (II/a Pemula, II/b-d Terampil).
PPPK grades take the jenjang of their PNS equivalent (IX-X ~ III/a-b Ahli Pertama, XI-XII Ahli
Muda, XIII-XV Ahli Madya, XVI-XVII Ahli Utama; V Pemula, VI-VIII Terampil) [unverified].
Annual coefficients: ``data/reference/rewards_angka_kredit_coefficients.csv`` (Ahli Pertama
12.5, Ahli Muda 25, Ahli Madya 37.5, Ahli Utama 50; Pemula 3.75, Terampil 5, Mahir 12.5,
Penyelia 25), overridable per jenjang.

Credit points cost no rupiah: ``total_cost_idr`` and the baseline are 0. The credit totals are in
:attr:`FollowUp.totals`: ``angka_kredit_total`` and, as the credit baseline, what everyone would
earn at Baik (100 %), ``angka_kredit_baseline``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pydantic import field_validator

from simulate.evidence import Evidence
from simulate.policies.base import Appraisal
from simulate.reference import load_table
from simulate.rewards.base import (
    FollowUp,
    RewardParams,
    employee_derived,
    map_categories,
    map_to_categorical,
    period_of,
    register,
)
from simulate.rules.angka_kredit import CREDIT_DECIMALS, annual_credit, credit_percent
from simulate.scenario.schema import param

__all__ = ["AngkaKreditParams", "apply", "coefficients", "golongan_jenjang", "FUNCTIONAL"]

FUNCTIONAL = "fungsional"
SRC_COEF = "PermenPANRB 1/2023 annual coefficients by jenjang; Ahli Pertama 12.5 confirmed (domain/regulations.md 1.7)"
SRC_ROUND = "PerBKN 3/2023 worked examples print 2 decimals (2 months at Baik -> 2.08) (domain/regulations.md 1.7)"


def coefficients() -> dict[str, float]:
    """Annual credit coefficient by jenjang (``rewards_angka_kredit_coefficients.csv``)."""
    table = load_table("rewards_angka_kredit_coefficients")
    return dict(zip(table["jenjang"], table["coefficient"].astype(float)))


def golongan_jenjang() -> dict[str, str]:
    """Golongan (PNS or PPPK grade) -> functional jenjang (``rewards_golongan.csv``)."""
    table = load_table("rewards_golongan")
    return dict(zip(table["golongan"], table["jenjang"]))


class AngkaKreditParams(RewardParams):
    coefficients: dict[str, float] = param(
        description="Annual credit coefficient of a jenjang, overriding the reference table for the jenjang "
        "named (pemula, terampil, mahir, penyelia, ahli_pertama, ahli_muda, ahli_madya, ahli_utama).",
        unit="credit points per year", default_factory=dict, source=SRC_COEF)
    decimals: int | None = param(
        CREDIT_DECIMALS, "Round each period's credit half-up to this many decimals (null: full precision).",
        "decimals", ge=0, le=6, source=SRC_ROUND)

    @field_validator("coefficients")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        known = coefficients()
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(f"unknown jenjang {unknown[0]!r}; allowed: {' / '.join(known)}")
        if any(v < 0 for v in value.values()):
            raise ValueError("each coefficient must be >= 0")
        return value


def _employee_part(attrs: pd.DataFrame, params: AngkaKreditParams, months: int) -> dict[str, Any]:
    """Who is functional, the jenjang, coefficient and baseline credit (at Baik) of each employee.

    Depends on the employees' attributes, the coefficients, the period's length and the rounding
    alone, so it is memoised on the employee table (:func:`~simulate.rewards.base.employee_derived`).
    """
    functional = (attrs["position_type"] == FUNCTIONAL).to_numpy()
    jenjang = map_to_categorical(attrs["golongan"], golongan_jenjang(), "golongan")
    coef_table = {**coefficients(), **params.coefficients}
    coefficient = map_categories(jenjang, coef_table, "jenjang", dtype=float)
    coefficient = np.where(functional, coefficient, 0.0)
    baseline = annual_credit(np.ones(len(attrs), dtype=np.int64), coefficient, months=months, decimals=params.decimals)
    return {"functional": functional, "jenjang": pd.Series(jenjang).where(functional).array,
            "coefficient": coefficient, "baseline": baseline}


@register("angka_kredit", AngkaKreditParams, label="Angka kredit jabatan fungsional", label_en="Credit points of functional officials",
          reference="PermenPANRB 1/2023; PerBKN 3/2023")
def apply(appraisal: Appraisal, population: Any, params: AngkaKreditParams, evidence: Evidence | None = None,
          history: Any = None) -> FollowUp:
    """Credit points each functional official earns in the period (0 for everyone else).

    The period's length comes from ``evidence.period_months`` (12 without evidence); ``history``
    is not used (each period's credit is added to the record on its own).
    """
    period, months = period_of(evidence)
    key = ("angka_kredit", tuple(sorted(params.coefficients.items())), months, params.decimals)
    part = employee_derived(appraisal, population, evidence, ["position_type", "golongan"], key,
                            lambda attrs: _employee_part(attrs, params, months))
    functional, coefficient, baseline = part["functional"], part["coefficient"], part["baseline"]
    predikat = np.asarray(appraisal.predikat)
    credit = annual_credit(predikat, coefficient, months=months, decimals=params.decimals)

    employees = {  # the table's columns, built on first use (simulate.frames)
        "employee_id": np.asarray(appraisal.employee_id),
        "is_functional": functional,
        "jenjang": part["jenjang"],
        "coefficient": coefficient,
        "credit_percent": np.where(functional, credit_percent(predikat), 0.0),
        "months": np.full(appraisal.n, months, dtype=np.int64),
        "angka_kredit": credit,
        "angka_kredit_baseline": baseline,
    }
    n_func = int(functional.sum())
    totals = {
        "functional_officials": n_func,
        "angka_kredit_total": float(credit.sum()),
        "angka_kredit_baseline": float(baseline.sum()),
        "angka_kredit_mean_functional": float(credit[functional].mean()) if n_func else 0.0,
        "functional_above_baik_share": float((credit[functional] > baseline[functional]).mean()) if n_func else 0.0,
    }
    return FollowUp(scheme="angka_kredit", rule="angka_kredit", policy=appraisal.policy, employees=employees,
                    total_cost_idr=0.0, baseline_cost_idr=0.0, totals=totals, period=period,
                    period_months=months, params=params)
