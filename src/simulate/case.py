"""One employee's case: ``kinerja case SCENARIO --employee ID``.

For one employee of the scenario's generated civil service (period 1, the scenario's seed unless
``--seed``), every arm's appraisal of that person: the score and predikat, the rule trail that
produced them (the inputs and intermediate values the rule records: for PermenPANRB 6/2022 the
results and behaviour levels, the quadrant cell and whether the unit's curve moved the person),
the TPP in rupiah with each cut line (predikat percent, discipline deductions, the budget cap),
the credit points, and the career follow-up. The employees are synthetic: no real person's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulate import numformat as nf
from simulate.report import lookup_text
from simulate.errors import UserError
from simulate.labels import arm_labels, scheme_labels
from simulate.policies.base import apply_policy
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT
from simulate.scenario.schema import Scenario

__all__ = ["EmployeeCase", "employee_case", "TRAIL"]

#: Plain-language names of the rule-trail values of one rule, where they differ from :data:`TRAIL`.
TRAIL_BY_RULE: dict[str, dict[str, tuple[str, str]]] = {
    "permenpanrb_2022": {
        "results_capaian": ("Tingkat hasil menurut capaian indikator (0/1/2)", "Results level from indicator achievement (0/1/2)"),
        "results_supervisor": ("Tingkat hasil menurut atasan (0/1/2)", "Results level from the superior (0/1/2)"),
        "behaviour_latent": ("Rata-rata penilaian perilaku sebelum dikelompokkan", "Mean behaviour rating before banding"),
        "org_capaian_pool": ("Capaian organisasi kelompok kurva (persen)", "Organisation achievement of the curve pool (percent)"),
    },
    "pp30_2019": {"behaviour": ("Nilai perilaku kerja", "Behaviour value"),
                  "behaviour_latent": ("Rata-rata penilaian perilaku", "Mean behaviour rating")},
    "pp46_2011": {"behaviour": ("Nilai perilaku kerja", "Behaviour value")},
}

#: Plain-language names of the rule-trail values (components) the rules record.
TRAIL: dict[str, tuple[str, str]] = {
    "results": ("Tingkat hasil kerja (0 di bawah, 1 sesuai, 2 di atas ekspektasi)",
                "Results level (0 below, 1 meets, 2 above expectation)"),
    "results_capaian": ("Capaian indikator (persen)", "Indicator achievement (percent)"),
    "results_supervisor": ("Penilaian hasil oleh atasan", "Superior's results rating"),
    "results_from_org": ("Hasil diambil dari capaian organisasi yang dipimpin", "Results taken from the led organisation"),
    "behaviour": ("Tingkat perilaku kerja (0 di bawah, 1 sesuai, 2 di atas ekspektasi)",
                  "Behaviour level (0 below, 1 meets, 2 above expectation)"),
    "predikat_quadrant": ("Predikat menurut kuadran (sebelum kurva)", "Predikat by the quadrant (before the curve)"),
    "moved_by_curve": ("Dipindah oleh kurva distribusi unit", "Moved by the unit's distribution curve"),
    "pool_size": ("Besar kelompok kurva", "Size of the curve pool"),
    "org_predikat_pool": ("Predikat organisasi kelompok kurva", "Organisation predikat of the curve pool"),
    "skp": ("Nilai SKP", "SKP value"), "skp_predikat": ("Predikat SKP", "SKP predikat"),
    "behaviour_predikat": ("Predikat perilaku", "Behaviour predikat"),
    "value_main": ("Nilai kinerja utama", "Main results value"),
    "value_additional": ("Nilai kinerja tambahan", "Additional results value"),
    "activity_mean": ("Rata-rata capaian kegiatan", "Mean activity achievement"),
    "index": ("Indeks objektif", "Objective index"),
}

_TPP_LINES = (
    ("amount_idr_per_month", ("Besaran kelas per bulan", "Class amount per month"), "rupiah"),
    ("months", ("Bulan", "Months"), "count"),
    ("predikat_paid_percent", ("Persen dibayar menurut predikat", "Percent paid by predikat"), "percent100"),
    ("productivity_paid_idr", ("Komponen produktivitas dibayar", "Productivity component paid"), "rupiah"),
    ("discipline_deduction_percent", ("Potongan disiplin (persen per bulan)", "Discipline deduction (percent a month)"),
     "percent100"),
    ("discipline_paid_idr", ("Komponen disiplin dibayar", "Discipline component paid"), "rupiah"),
    ("cap_factor", ("Faktor pagu (1 = pagu tidak mengikat)", "Budget-cap factor (1 = cap not binding)"), "number"),
    ("paid_idr", ("TPP dibayar", "TPP paid"), "rupiah"),
    ("cut_idr", ("Dipotong dibanding penuh", "Cut against the full amount"), "rupiah"),
)

_TEXT = {
    "title": ("Kasus pegawai {id} (sintetis) — skenario {name}, seed {seed}",
              "The case of employee {id} (synthetic) — scenario {name}, seed {seed}"),
    "who": ("{position}, golongan {golongan}, {status}, {kind}; {sex}", "{position}, golongan {golongan}, {status}, {kind}; {sex}"),
    "score": ("Nilai", "Score"), "predikat": ("Predikat", "Predikat"),
    "trail": ("Jejak aturan", "Rule trail"), "credit": ("Angka kredit", "Credit points"),
    "career": ("Tindak lanjut karier", "Career follow-up"), "yes": ("ya", "yes"), "no": ("tidak", "no"),
    "events": ("Peristiwa", "Events"), "none": ("tidak ada", "none"),
}


def _t(key: str, lang: str, **kw) -> str:
    return lookup_text(_TEXT, key, lang, **kw)


@dataclass
class EmployeeCase:
    """What every arm does with one employee; ``text(lang)`` and ``to_json()`` show it."""

    employee_id: int
    scenario: str
    seed: int
    person: dict[str, Any]
    arms: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        arms = [{**{k: v for k, v in arm.items() if k != "schemes"}, "label": arm["label"][0], "label_en": arm["label"][1],
                 "schemes": [{"name": s["name"], "label": s["label"][0], "values": s["values"]} for s in arm["schemes"]]}
                for arm in self.arms]
        return {"employee_id": self.employee_id, "scenario": self.scenario, "seed": self.seed,
                "person": self.person, "arms": arms}

    def text(self, lang: str = "id") -> str:
        labels = LABELS_ID if lang == "id" else LABELS_EN
        p = self.person
        lines = [_t("title", lang, id=self.employee_id, name=self.scenario, seed=self.seed),
                 _t("who", lang, position=p["position_type"], golongan=p["golongan"], status=p["status"],
                    kind=p["opd_kind"], sex=p["sex"]), ""]
        for arm in self.arms:
            lines.append(f"== {arm['label'][0 if lang == 'id' else 1]}")
            score = arm["score"]
            lines.append(f"   {_t('score', lang)}: {nf.number(score, lang, 2) if score is not None else '–'}; "
                         f"{_t('predikat', lang)}: {labels[arm['predikat']]}")
            if arm["trail"]:
                lines.append(f"   {_t('trail', lang)}:")
                names = {**TRAIL, **TRAIL_BY_RULE.get(arm["rule"], {})}
                for key, value in arm["trail"].items():
                    name = names.get(key, (key.replace("_", " "),) * 2)[0 if lang == "id" else 1]
                    lines.append(f"     - {name}: {_value(key, value, lang, labels)}")
            for scheme in arm["schemes"]:
                lines.append(f"   {scheme['label'][0 if lang == 'id' else 1]}:")
                k = 0 if lang == "id" else 1
                for name, value in scheme["lines"].items():
                    lines.append(f"     - {name[k]}: {value[k]}")
            lines.append("")
        return "\n".join(lines).rstrip()


def _value(key: str, value: Any, lang: str, labels: dict[str, str]) -> str:
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    if key in ("predikat_quadrant", "skp_predikat", "behaviour_predikat") and isinstance(value, (int, float)) \
            and 0 <= int(value) < len(PREDIKAT):
        return labels[PREDIKAT[int(value)]]
    if isinstance(value, float):
        return nf.number(value, lang, 2)
    return str(value)


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy scalars unwrapped, NaN and NaT as None, dates as ISO text."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _format(kind: str, value: Any, lang: str) -> str:
    if value is None:
        return "–"
    return {"rupiah": lambda v: nf.rupiah(v, lang, 0, unit=(1.0, "", "")), "count": lambda v: nf.integer(v, lang),
            "percent100": lambda v: nf.number(v, lang, 1) + "%", "number": lambda v: nf.number(v, lang, 3)}[kind](value)


def employee_case(scenario: Scenario, employee_id: int, seed: int | None = None) -> EmployeeCase:
    """Every arm's appraisal and follow-up of employee ``employee_id`` in the first period."""
    from simulate.cycle import simulate_period
    from simulate.replication import arm_rewards, follow_up

    seed = scenario.seed if seed is None else seed
    if seed != scenario.seed:
        scenario = scenario.model_copy(update={"seed": seed})
    period = simulate_period(scenario)
    ev = period.evidence
    ids = np.asarray(ev.employees["employee_id"])
    where = np.flatnonzero(ids == employee_id)
    if where.size == 0:
        raise UserError(f"--employee: no employee {employee_id} in scenario {scenario.name!r} "
                        f"(its ids run from {int(ids.min())} to {int(ids.max())})")
    row = int(where[0])
    people = ev.to_frame()
    person = {k: _plain(people[k].iloc[row]) for k in ("position_type", "golongan", "status", "opd_kind", "sex")}
    names_id, names_en = arm_labels(scenario, "id"), arm_labels(scenario, "en")
    schemes_id, schemes_en = scheme_labels(scenario, "id"), scheme_labels(scenario, "en")
    case = EmployeeCase(int(employee_id), scenario.name, int(seed), person)
    for spec in scenario.policies:
        appraisal = apply_policy(ev, spec.rule, spec.params, name=spec.name)
        comps = appraisal.components
        trail = {k: _plain(comps[k].iloc[row]) for k in comps.columns
                 if k in TRAIL or not k.endswith(("_key", "_priority"))}
        trail = {k: (bool(v) if k == "moved_by_curve" or k == "results_from_org" else v) for k, v in trail.items()
                 if v is not None}
        score = _plain(appraisal.score[row])
        arm = {"name": spec.name, "rule": spec.rule, "label": (names_id[spec.name], names_en[spec.name]),
               "score": score, "predikat": PREDIKAT[int(appraisal.predikat[row])], "trail": trail, "schemes": []}
        for name, f in follow_up(period, appraisal, rewards=arm_rewards(scenario, spec)).items():
            emp = f.employees
            rec = {c: _plain(emp[c].iloc[row]) for c in emp.columns if c != "employee_id"}
            lines: dict[tuple[str, str], str] = {}
            if f.rule == "tpp":
                for key, label, kind in _TPP_LINES:
                    if key in rec:
                        lines[label] = _format(kind, rec[key], "id"), _format(kind, rec[key], "en")
            elif f.rule == "angka_kredit":
                lines[("Angka kredit periode ini", "Credit points this period")] = tuple(
                    _format("number", rec.get("angka_kredit"), lang) for lang in ("id", "en"))
            else:
                for key, label in (("talent_pool", ("Masuk talent pool", "Enters the talent pool")),
                                   ("training", ("Dikirim pelatihan", "Sent to training")),
                                   ("pp30_step", ("Tahap jalur PP 30/2019", "Step on the PP 30/2019 path"))):
                    if key in rec and rec[key] is not None:
                        value = rec[key]
                        shown = tuple(_t("yes" if value else "no", lg) if isinstance(value, (bool, np.bool_))
                                      else (_t("none", lg) if str(value) in ("none", "") else str(value))
                                      for lg in ("id", "en"))
                        lines[label] = shown
            arm["schemes"].append({"name": name, "label": (schemes_id[name], schemes_en[name]),
                                   "values": rec, "lines": lines})
        case.arms.append(arm)
    return case
