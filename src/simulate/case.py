"""One employee's case: ``kinerja case SCENARIO --employee ID`` or ``--input person.yaml|.xlsx``.

For one employee of the scenario's generated civil service (period 1, the scenario's seed unless
``--seed``), every arm's appraisal of that person: the score and predikat, the rule trail that
produced them (the inputs and intermediate values the rule records: for PermenPANRB 6/2022 the
results and behaviour levels, the quadrant cell and whether the unit's curve moved the person),
the TPP in rupiah with each cut line (predikat percent, discipline deductions, the budget cap),
the credit points, and the career follow-up. The employees are synthetic: no real person's data.

With ``--input`` the person comes from a file (:mod:`simulate.person`, scored by
:func:`simulate.case_person.person_case`): the person becomes a
one-row :class:`~simulate.evidence.Evidence` scored by the same :func:`apply_policy` and
follow-up (:func:`simulate.replication.follow_up`) as a simulation; what a group of one means for
each rule (a curve over a unit of one, no team to calibrate against, ...) is printed with the case.
Name and NIP are never printed.
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
from simulate.case_trail import TRAIL, TRAIL_BY_RULE, shown, trail_name, trail_value  # noqa: F401 (re-exported)
from simulate.predikat import LABELS_EN, LABELS_ID, PREDIKAT
from simulate.scenario.schema import Scenario

__all__ = ["EmployeeCase", "employee_case", "TRAIL", "arm_case", "case_labels"]

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
    "title_person": ("Kasus satu pegawai dari berkas — skenario {name}", "One employee's case from a file — scenario {name}"),
    "who": ("{position}, golongan {golongan}, {status}, {kind}; {sex}", "{position}, golongan {golongan}, {status}, {kind}; {sex}"),
    "who_person": ("{position}, golongan {golongan}, {status}, OPD {kind}; periode {months} bulan",
                   "{position}, golongan {golongan}, {status}, OPD {kind}; a {months}-month period"),
    "score": ("Nilai", "Score"), "predikat": ("Predikat", "Predikat"),
    "trail": ("Jejak aturan", "Rule trail"), "credit": ("Angka kredit", "Credit points"),
    "career": ("Tindak lanjut karier", "Career follow-up"), "yes": ("ya", "yes"), "no": ("tidak", "no"),
    "events": ("Peristiwa", "Events"), "none": ("tidak ada", "none"),
    "assumptions": ("Asumsi kelompok satu orang", "Group-of-one assumptions"),
    "curve": ("Kurva distribusi", "Distribution curve"),
    "moved": ("pola distribusi untuk predikat organisasi {org} pada kelompok {n} orang tidak membolehkan predikat "
              "{before}; dipindah ke {after}",
              "the distribution pattern for organisation predikat {org} in a pool of {n} does not allow "
              "{before}; moved to {after}"),
    "kept": ("tidak memindahkan: pola distribusi untuk predikat organisasi {org} membolehkan {after} pada kelompok "
             "{n} orang", "no move: the distribution pattern for organisation predikat {org} allows {after} in a "
             "pool of {n}"),
    "warned": ("pola distribusi untuk predikat organisasi {org} dilanggar pada kelompok {n} orang, tetapi kurva "
               "hanya diperiksa (tidak ditegakkan): predikat tetap {after}",
               "the distribution pattern for organisation predikat {org} is broken in the pool of {n}, but the "
               "curve is only checked (not enforced): the predikat stays {after}"),
    "off": ("tidak diterapkan", "not applied"),
    "cell": ("Sel kuadran kinerja: hasil kerja {results} x perilaku kerja {behaviour} = {predikat}",
             "Performance-quadrant cell: results {results} x behaviour {behaviour} = {predikat}"),
    "quota": ("Kuota: kelompok {n} orang, peringkat {rank} dari {n}; kuota kelompok sebesar ini memberi {after} "
              "(menurut nilai: {before})",
              "Quota: a pool of {n}, rank {rank} of {n}; the quotas of a pool this size give {after} "
              "(by score: {before})"),
    "deduction": ("{band}: {count} kali dalam {months} bulan = {per_month} per bulan x {rate} = {pct} per bulan",
                  "{band}: {count} times in {months} months = {per_month} a month x {rate} = {pct} a month"),
    "absent": ("Tidak hadir: {count} hari dalam {months} bulan = {per_month} per bulan x {rate} = {pct} per bulan",
               "Absent: {count} days in {months} months = {per_month} a month x {rate} = {pct} a month"),
}

_STEPS = {"none": ("tidak ada", "none"), "improvement": ("masa perbaikan 6 bulan", "6-month improvement period"),
          "reassignment": ("penempatan di jabatan lain", "placement in another post"),
          "dismissal": ("pemberhentian dengan hormat", "honourable dismissal")}


def _t(key: str, lang: str, **kw) -> str:
    return lookup_text(_TEXT, key, lang, **kw)


@dataclass
class EmployeeCase:
    """What every arm does with one employee; ``text(lang)`` and ``to_json()`` show it.

    ``employee_id`` is None for a person from a file (``assumptions`` then lists, in both
    languages, what scoring a group of one means).
    """

    employee_id: int | None
    scenario: str
    seed: int | None
    person: dict[str, Any]
    arms: list[dict[str, Any]] = field(default_factory=list)
    assumptions: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        arms = [{**{k: v for k, v in arm.items() if k not in ("schemes", "why")}, "label": arm["label"][0],
                 "label_en": arm["label"][1], "why": [w[0] for w in arm.get("why", [])],
                 "why_en": [w[1] for w in arm.get("why", [])],
                 "schemes": [{"name": s["name"], "label": s["label"][0], "values": s["values"]} for s in arm["schemes"]]}
                for arm in self.arms]
        out = {"employee_id": self.employee_id, "scenario": self.scenario, "seed": self.seed,
               "person": self.person, "arms": arms}
        if self.employee_id is None:
            out.pop("employee_id")
            out.pop("seed")
            out["assumptions"] = [a[0] for a in self.assumptions]
            out["assumptions_en"] = [a[1] for a in self.assumptions]
        return out

    def text(self, lang: str = "id") -> str:
        k = 0 if lang == "id" else 1
        labels = LABELS_ID if lang == "id" else LABELS_EN
        from simulate.case_trail import OPD_KIND_LABELS, POSITION_LABELS

        p = {**self.person}
        p["position_type"] = POSITION_LABELS.get(str(p["position_type"]), (p["position_type"],) * 2)[k]
        p["opd_kind"] = OPD_KIND_LABELS.get(str(p["opd_kind"]), (p["opd_kind"],) * 2)[k]
        if self.employee_id is None:
            lines = [_t("title_person", lang, name=self.scenario),
                     _t("who_person", lang, position=p["position_type"], golongan=p["golongan"], status=p["status"],
                        kind=p["opd_kind"], months=p["months"]), ""]
        else:
            lines = [_t("title", lang, id=self.employee_id, name=self.scenario, seed=self.seed),
                     _t("who", lang, position=p["position_type"], golongan=p["golongan"], status=p["status"],
                        kind=p["opd_kind"], sex=p["sex"]), ""]
        for arm in self.arms:
            lines.append(f"== {arm['label'][k]}")
            score = arm["score"]
            lines.append(f"   {_t('score', lang)}: {nf.number(score, lang, 2) if score is not None else '–'}; "
                         f"{_t('predikat', lang)}: {labels[arm['predikat']]}")
            trail = [(key, value) for key, value in arm["trail"].items() if shown(key)]
            if trail:
                lines.append(f"   {_t('trail', lang)}:")
                for key, value in trail:
                    base = arm.get("base_rule")
                    try:
                        name = trail_name(key, arm["rule"], lang, base)
                    except KeyError:
                        continue  # a value without a label is bookkeeping, never shown by its code name
                    lines.append(f"     - {name}: {trail_value(key, value, arm['rule'], lang, base)}")
            for why in arm.get("why", []):
                lines.append(f"     - {why[k]}")
            for scheme in arm["schemes"]:
                lines.append(f"   {scheme['label'][k]}:")
                for name, value in scheme["lines"].items():
                    lines.append(f"     - {name[k]}: {value[k]}" if name[k] else f"     - {value[k]}")
            lines.append("")
        if self.assumptions:
            lines.append(f"{_t('assumptions', lang)}:")
            lines += [f"  - {a[k]}" for a in self.assumptions]
        return "\n".join(lines).rstrip()


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
            "percent100": lambda v: nf.number(v, lang, 2 if not float(v).is_integer() else 0) + "%",
            "number": lambda v: nf.number(v, lang, 3), "credit": lambda v: nf.number(v, lang, 2)}[kind](value)


def _both(kind: str, value: Any) -> tuple[str, str]:
    return _format(kind, value, "id"), _format(kind, value, "en")


def _curve_why(arm: dict[str, Any], appraisal) -> list[tuple[str, str]]:
    """Why the curve (PermenPANRB 6/2022) or the quota (forced distribution) moved the person, or did not."""
    trail = arm["trail"]
    if "final_rank" in trail and "predikat_by_score" in trail and "pool_size" in trail:
        out = []
        for lg in ("id", "en"):
            lab = LABELS_ID if lg == "id" else LABELS_EN
            out.append(_t("quota", lg, n=nf.integer(trail["pool_size"], lg), rank=nf.integer(trail["final_rank"] + 1, lg),
                          after=lab[arm["predikat"]], before=lab[PREDIKAT[int(trail["predikat_by_score"])]]))
        return [tuple(out)]
    if "moved_by_curve" not in trail or "predikat_quadrant" not in trail:
        return []
    from simulate.case_trail import ORG_LABELS
    from simulate.rules.permenpanrb_2022 import ORG_PREDIKAT

    from simulate.case_trail import LEVELS

    if not {"results", "behaviour"} <= set(trail):
        return []
    cell = tuple(_t("cell", lg, results=LEVELS[int(trail["results"])][i], behaviour=LEVELS[int(trail["behaviour"])][i],
                    predikat=(LABELS_ID if lg == "id" else LABELS_EN)[PREDIKAT[int(trail["predikat_quadrant"])]])
                 for i, lg in enumerate(("id", "en")))
    mode = getattr(appraisal.params, "curve", "warn")
    head = (_t("curve", "id"), _t("curve", "en"))
    if mode == "off":
        return [cell, tuple(f"{head[i]}: {_t('off', lg)}" for i, lg in enumerate(("id", "en")))]
    org = ORG_LABELS[ORG_PREDIKAT[int(trail["org_predikat_pool"])]]
    before, after = PREDIKAT[int(trail["predikat_quadrant"])], arm["predikat"]
    broken = len(appraisal.notes) > 0
    key = "moved" if trail["moved_by_curve"] else ("warned" if broken else "kept")
    out = []
    for i, lg in enumerate(("id", "en")):
        lab = LABELS_ID if lg == "id" else LABELS_EN
        out.append(f"{head[i]}: " + _t(key, lg, org=org[i], n=nf.integer(trail.get("pool_size", 1), lg),
                                       before=lab[before], after=lab[after]))
    return [cell, tuple(out)]


def _deduction_lines(evidence, row: int, months: int) -> dict[tuple[str, str], tuple[str, str]]:
    """Each lateness band's and the absences' share of the monthly discipline deduction (Permentan 68/2012)."""
    from simulate.rules.tpp import BANDS, discipline_deduction_percent

    late = np.asarray(evidence.late_days, dtype=float)[row]
    absent = float(np.asarray(evidence.absent_days, dtype=float)[row])
    lines: dict[tuple[str, str], tuple[str, str]] = {}
    items = [(f"TL{b + 1}", late[b], lambda c, b=b: discipline_deduction_percent(np.eye(BANDS)[b] * c))
             for b in range(BANDS)]
    items.append((None, absent, lambda c: discipline_deduction_percent(None, absent_days=c)))
    for band, count, pct in items:
        if count <= 0:
            continue
        rate, share = float(pct(1.0)), float(pct(count / months))
        texts = tuple(_t("deduction" if band else "absent", lg, band=band, count=nf.integer(count, lg),
                         months=nf.integer(months, lg), per_month=nf.number(count / months, lg, 2),
                         rate=_format("percent100", rate, lg), pct=_format("percent100", share, lg))
                      for lg in ("id", "en"))
        lines[("", "") + (band or "absent",)] = texts
    return lines


def arm_case(scenario: Scenario, spec, period, row: int, names: tuple[dict, dict], schemes: tuple[dict, dict],
             rewards: list | None = None) -> dict[str, Any]:
    """One arm's appraisal and follow-up of row ``row`` of ``period.evidence``.

    ``period`` has the ``scenario``, ``population`` and ``evidence`` that
    :func:`simulate.replication.follow_up` reads (a simulated period, or a person's one-row evidence).
    """
    from simulate.replication import arm_rewards, follow_up

    ev = period.evidence
    appraisal = apply_policy(ev, spec.rule, spec.params, name=spec.name)
    comps = appraisal.components
    trail = {k: _plain(comps[k].iloc[row]) for k in comps.columns if k in TRAIL or shown(k)}
    trail = {k: (bool(v) if k in ("moved_by_curve", "results_from_org") else v) for k, v in trail.items()
             if v is not None}
    score = _plain(appraisal.score[row])
    arm = {"name": spec.name, "rule": spec.rule, "label": (names[0][spec.name], names[1][spec.name]),
           "score": score, "predikat": PREDIKAT[int(appraisal.predikat[row])], "trail": trail, "schemes": []}
    base = getattr(appraisal.params, "base", None)
    if isinstance(base, str):
        arm["base_rule"] = base  # names the base_<key> values of a composite rule
    arm["why"] = _curve_why(arm, appraisal)
    rewards = arm_rewards(scenario, spec) if rewards is None else rewards
    for name, f in follow_up(period, appraisal, rewards=rewards).items():
        emp = f.employees
        rec = {c: _plain(emp[c].iloc[row]) for c in emp.columns if c != "employee_id"}
        lines: dict[tuple[str, ...], tuple[str, str]] = {}
        if f.rule == "tpp":
            for key, label, kind in _TPP_LINES:
                if key in rec:
                    lines[label] = _both(kind, rec[key])
                if key == "discipline_deduction_percent" and getattr(f.params, "discipline_deductions", False):
                    lines.update(_deduction_lines(ev, row, int(rec.get("months") or ev.period_months)))
        elif f.rule == "angka_kredit":
            if rec.get("is_functional"):
                lines[("Jenjang", "Grade")] = (str(rec.get("jenjang", "")).replace("_", " ").title(),) * 2
                lines[("Koefisien tahunan", "Annual coefficient")] = _both("credit", rec.get("coefficient"))
                lines[("Persen menurut predikat", "Percent by predikat")] = _both("percent100", rec.get("credit_percent"))
            lines[("Angka kredit periode ini", "Credit points this period")] = _both("credit", rec.get("angka_kredit"))
        else:
            for key, label in (("talent_pool", ("Masuk talent pool", "Enters the talent pool")),
                               ("training", ("Dikirim pelatihan", "Sent to training")),
                               ("pp30_step", ("Tahap jalur PP 30/2019", "Step on the PP 30/2019 path"))):
                if key in rec and rec[key] is not None:
                    value = rec[key]
                    if isinstance(value, (bool, np.bool_)):
                        shown_value = tuple(_t("yes" if value else "no", lg) for lg in ("id", "en"))
                    else:
                        shown_value = _STEPS.get(str(value) or "none", (str(value),) * 2)
                    lines[label] = shown_value
        arm["schemes"].append({"name": name, "label": (schemes[0][name], schemes[1][name]),
                               "values": rec, "lines": lines})
    return arm


def case_labels(scenario: Scenario) -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    return ((arm_labels(scenario, "id"), arm_labels(scenario, "en")),
            (scheme_labels(scenario, "id"), scheme_labels(scenario, "en")))


def employee_case(scenario: Scenario, employee_id: int, seed: int | None = None) -> EmployeeCase:
    """Every arm's appraisal and follow-up of employee ``employee_id`` in the first period."""
    from simulate.cycle import simulate_period

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
    names, schemes = case_labels(scenario)
    case = EmployeeCase(int(employee_id), scenario.name, int(seed), person)
    for spec in scenario.policies:
        case.arms.append(arm_case(scenario, spec, period, row, names, schemes))
    return case
