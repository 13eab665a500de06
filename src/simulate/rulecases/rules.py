"""The rules a case can name: adapters from plain YAML values to the regulation functions."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simulate.predikat import PREDIKAT
from simulate.rulecases.fields import (
    _BAND_NAMES,
    _CREATIVITY,
    _ORG,
    _PP30,
    _PP46,
    Field,
    Rule,
    _enum,
    _opt,
)
from simulate.rules import angka_kredit, capaian, permenpanrb_2022, pp30_2019, pp46_2011, skm, tpp
from simulate.scales import EXPECTATION_NAMES

# --------------------------------------------------------------------------------------------
# Rule adapters: plain Python values in, plain Python values out
# --------------------------------------------------------------------------------------------


def _skm_ikm(responses):
    answers = np.array(
        [[np.nan if a is None else a for a in row] for row in responses], dtype=float
    )
    ikm = skm.ikm_from_responses(answers)
    converted = float(skm.convert_ikm(ikm))
    return {"ikm": ikm, "converted": converted, "grade": str(skm.ikm_grade(converted))}


def _skm_grade(converted):
    return {"grade": str(skm.ikm_grade(converted))}


def _skm_sample_size(population):
    return {"sample_size": int(skm.krejcie_morgan_sample_size(population))}


def _capaian(target, realisation, lower_is_better):
    return {"capaian": float(capaian.capaian(target, realisation, lower_is_better))}


def _capaian_value(capaian_, target_is_maximum):
    return {"value": float(capaian.capaian_value(capaian_, target_is_maximum))}


def _pp46_activity(quantity, quality, time, cost=None):
    values = {
        "quantity_value": float(
            pp46_2011.quantity_value(quantity["target"], quantity["realisation"])
        ),
        "quality_value": float(pp46_2011.quality_value(quality["target"], quality["realisation"])),
        "time_value": float(pp46_2011.time_value(time["target"], time["realisation"])),
        "cost_value": None,
    }
    if cost is not None:
        values["cost_value"] = float(pp46_2011.cost_value(cost["target"], cost["realisation"]))
    values["value"] = float(
        pp46_2011.activity_value(
            values["quantity_value"],
            values["quality_value"],
            values["time_value"],
            None if cost is None else values["cost_value"],
        )
    )
    return values


def _pp46_skp(activities, extra_tasks, creativity):
    return {
        "value": float(
            pp46_2011.skp_value(np.asarray(activities, dtype=float), extra_tasks, creativity)
        )
    }


def _pp46_final(skp, behaviour):
    score = float(pp46_2011.final_score(skp, behaviour))
    return {"score": score, "predikat": _PP46[int(pp46_2011.predikat(score))]}


def _pp46_band(score):
    return {"predikat": _PP46[int(pp46_2011.predikat(score))]}


def _pp30_final(skp, behaviour, uses_360, new_idea):
    score = float(pp30_2019.final_score(skp, behaviour, uses_360))
    return {"score": score, "predikat": _PP30[int(pp30_2019.predikat(score, new_idea))]}


def _pp30_band(score, new_idea):
    return {"predikat": _PP30[int(pp30_2019.predikat(score, new_idea))]}


def _quadrant(hasil_kerja, perilaku_kerja):
    code = permenpanrb_2022.predikat(
        EXPECTATION_NAMES.index(hasil_kerja), EXPECTATION_NAMES.index(perilaku_kerja)
    )
    return {"predikat": PREDIKAT[int(code)]}


def _rate_results(results, exceeds_above, below_under, most_share, small_share):
    achieved = np.array([[r["capaian"] for r in results]], dtype=float)
    main = np.array([[r["main"] for r in results]], dtype=bool)
    rating = permenpanrb_2022.rate_results(
        achieved, main, exceeds_above, below_under, most_share, small_share
    )
    return {"rating": EXPECTATION_NAMES[int(rating[0])]}


def _org_predikat(capaian_):
    return {"org_predikat": _ORG[int(permenpanrb_2022.org_predikat(capaian_))]}


def _count_vector(counts):
    return [counts.get(name, 0) for name in PREDIKAT]


def _curve_check(org_predikat, counts):
    valid, violations = permenpanrb_2022.curve_check(_count_vector(counts), org_predikat)
    return {"valid": bool(valid), "violations": list(violations)}


def _enforce_curve(org_predikat, employees):
    codes = np.array([PREDIKAT.index(e["predikat"]) for e in employees])
    scores = np.array([e["score"] for e in employees], dtype=float)
    groups = np.zeros(len(employees), dtype=np.int64)
    org = np.array([_ORG.index(org_predikat)])
    new, moved = permenpanrb_2022.enforce_curve(codes, scores, groups, org)
    valid = bool(permenpanrb_2022.curve_check_groups(new, groups, org)[0])
    return {"predikat": [PREDIKAT[c] for c in new], "moved": int(moved[0]), "valid": valid}


def _annual_credit(predikat, coefficient, months):
    return {
        "credit": float(angka_kredit.annual_credit(PREDIKAT.index(predikat), coefficient, months))
    }


def _tpp_deduction(late, early_leave, absent_days):
    return {"deduction": float(tpp.discipline_deduction_percent(late, early_leave, absent_days))}


def _tpp_lateness_band(minutes):
    return {"band": _BAND_NAMES[int(tpp.lateness_band(minutes))]}


def _tpp_predikat_cut(scheme, predikat):
    code = PREDIKAT.index(predikat)
    return {
        "paid_percent": float(tpp.predikat_paid_percent(code, scheme)),
        "cut_percent": float(tpp.predikat_cut_percent(code, scheme)),
    }


_ASPECT = Field("aspect")
_NUMBER = Field("number")

#: Rule name -> (function, input schema, output schema, description).
RULES: dict[str, Rule] = {
    "skm.ikm": Rule(
        _skm_ikm,
        {"responses": Field("responses")},
        {"ikm": _NUMBER, "converted": _NUMBER, "grade": _enum(("A", "B", "C", "D"))},
        "SKM index (1-4), converted index (25-100) and grade from answers, PermenPANRB 14/2017",
    ),
    "skm.grade": Rule(
        _skm_grade,
        {"converted": _NUMBER},
        {"grade": _enum(("A", "B", "C", "D"))},
        "SKM grade from the converted index, PermenPANRB 14/2017",
    ),
    "skm.sample_size": Rule(
        _skm_sample_size,
        {"population": Field("count")},
        {"sample_size": Field("count")},
        "Minimum SKM respondents, Krejcie & Morgan (1970)",
    ),
    "capaian": Rule(
        _capaian,
        {"target": _NUMBER, "realisation": _NUMBER, "lower_is_better": _opt("bool", False)},
        {"capaian": _NUMBER},
        "Indicator achievement in percent, PermenPANRB 8/2021",
    ),
    "capaian.value": Rule(
        _capaian_value,
        {"capaian": _NUMBER, "target_is_maximum": _opt("bool", False)},
        {"value": _NUMBER},
        "Value (0-120) of an achievement, PermenPANRB 8/2021 (Baik/Sangat Baik part unverified)",
    ),
    "pp46_2011.skp_activity": Rule(
        _pp46_activity,
        {"quantity": _ASPECT, "quality": _ASPECT, "time": _ASPECT, "cost": _opt("aspect", None)},
        {
            "value": _NUMBER,
            "quantity_value": _NUMBER,
            "quality_value": _NUMBER,
            "time_value": _NUMBER,
            "cost_value": _NUMBER,
        },
        "SKP activity value (mean of 3 or 4 aspects), Perka BKN 1/2013",
    ),
    "pp46_2011.skp": Rule(
        _pp46_skp,
        {
            "activities": Field("numbers"),
            "extra_tasks": _opt("count", 0),
            "creativity": _opt("enum", "none", _CREATIVITY),
        },
        {"value": _NUMBER},
        "SKP value: mean activity value plus bonuses (bonuses unverified), Perka BKN 1/2013",
    ),
    "pp46_2011.final": Rule(
        _pp46_final,
        {"skp": _NUMBER, "behaviour": _NUMBER},
        {"score": _NUMBER, "predikat": _enum(_PP46)},
        "Final score 60 % SKP + 40 % behaviour and band, PP 46/2011",
    ),
    "pp46_2011.band": Rule(
        _pp46_band,
        {"score": _NUMBER},
        {"predikat": _enum(_PP46)},
        "Band of a score, PP 46/2011",
    ),
    "pp30_2019.final": Rule(
        _pp30_final,
        {
            "skp": _NUMBER,
            "behaviour": _NUMBER,
            "uses_360": _opt("bool", False),
            "new_idea": _opt("bool", False),
        },
        {"score": _NUMBER, "predikat": _enum(_PP30)},
        "Final score 70/30 (60/40 with 360-degree input) and band, PP 30/2019 Art. 41",
    ),
    "pp30_2019.band": Rule(
        _pp30_band,
        {"score": _NUMBER, "new_idea": _opt("bool", False)},
        {"predikat": _enum(_PP30)},
        "Band of a score, PP 30/2019 Art. 41(5)",
    ),
    "permenpanrb_2022.predikat": Rule(
        _quadrant,
        {"hasil_kerja": _enum(EXPECTATION_NAMES), "perilaku_kerja": _enum(EXPECTATION_NAMES)},
        {"predikat": _enum(PREDIKAT)},
        "Employee predikat from the kuadran kinerja, PermenPANRB 6/2022",
    ),
    "permenpanrb_2022.rate_results": Rule(
        _rate_results,
        {
            "results": Field("results"),
            "exceeds_above": _opt("number", 110.0),
            "below_under": _opt("number", 100.0),
            "most_share": _opt("number", 0.5),
            "small_share": _opt("number", 1.0 / 3.0),
        },
        {"rating": _enum(EXPECTATION_NAMES)},
        "Work-result rating from indicator achievements (BKN guidance on PermenPANRB 6/2022)",
    ),
    "permenpanrb_2022.org_predikat": Rule(
        _org_predikat,
        {"capaian": _NUMBER},
        {"org_predikat": _enum(_ORG)},
        "Organisational predikat from unit achievement (default cut-offs unverified)",
    ),
    "permenpanrb_2022.curve_check": Rule(
        _curve_check,
        {"org_predikat": _enum(_ORG), "counts": Field("counts")},
        {"valid": Field("bool"), "violations": Field("text_list")},
        "Distribution curve check for one unit, PermenPANRB 6/2022 (KemenPANRB circular)",
    ),
    "permenpanrb_2022.enforce_curve": Rule(
        _enforce_curve,
        {"org_predikat": _enum(_ORG), "employees": Field("employees")},
        {"predikat": Field("predikat_list"), "moved": Field("count"), "valid": Field("bool")},
        "Move the fewest people, in score order, until the unit meets its curve",
    ),
    "angka_kredit.annual": Rule(
        _annual_credit,
        {"predikat": _enum(PREDIKAT), "coefficient": _NUMBER, "months": _opt("number", 12)},
        {"credit": _NUMBER},
        "Credit points for a period at a predikat, PerBKN 3/2023",
    ),
    "tpp.deduction": Rule(
        _tpp_deduction,
        {
            "late": _opt("band_counts", [0, 0, 0, 0]),
            "early_leave": _opt("band_counts", [0, 0, 0, 0]),
            "absent_days": _opt("count", 0),
        },
        {"deduction": _NUMBER},
        "Monthly lateness/early-leave/absence deduction in percent, Permentan 68/2012",
    ),
    "tpp.lateness_band": Rule(
        _tpp_lateness_band,
        {"minutes": _NUMBER},
        {"band": _enum(_BAND_NAMES)},
        "Lateness band TL1-TL4 of a late arrival, Permentan 68/2012",
    ),
    "tpp.predikat_cut": Rule(
        _tpp_predikat_cut,
        {"scheme": _enum(tpp.SCHEMES), "predikat": _enum(PREDIKAT)},
        {"paid_percent": _NUMBER, "cut_percent": _NUMBER},
        "Allowance paid / cut at a predikat (KLHK, Bakamla schemes)",
    ),
}
# Python keyword names that differ from the YAML field names.
_KEYWORDS = {
    ("capaian.value", "capaian"): "capaian_",
    ("permenpanrb_2022.org_predikat", "capaian"): "capaian_",
}


class RuleInfo(NamedTuple):
    """A rule's name, inputs and outputs (field -> type description) and description.

    Prints as ``name: inputs -> outputs``.
    """

    name: str
    inputs: dict[str, str]
    outputs: dict[str, str]
    description: str

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.inputs)} -> {', '.join(self.outputs)}"


def list_rules() -> list[RuleInfo]:
    """Every rule with its inputs, outputs and description, in registry order."""
    return [
        RuleInfo(
            name,
            {field: spec.describe() for field, spec in rule.inputs.items()},
            {field: spec.describe() for field, spec in rule.outputs.items()},
            rule.description,
        )
        for name, rule in RULES.items()
    ]


