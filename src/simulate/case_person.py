"""What scoring one person from a file means for each arm (``kinerja case --input``).

The arms' own policies and reward schemes score the person's one-row evidence
(:meth:`simulate.person.Person.to_evidence`); three things are fixed here, per arm, and stated
in the output by :func:`assumptions`:

- **Organisational predikat**: the evidence carries a unit achievement in percent; the person's
  ``unit_predikat`` (or ``opd_predikat`` for an arm whose curve pool is the OPD) becomes the
  lower bound of that predikat's band under the arm's own thresholds
  (:func:`simulate.person.org_capaian_of`), so the rule bands it back to the same predikat.
- **TPP amount**: with ``tpp_amount_idr_per_month`` the scheme's ``amount_scale`` is set so that
  the class amount of the scenario's table becomes the person's amount; the scheme's budget cap
  (a total for the whole region) is left out, since one person's pay cannot show it.
- **Weights** of single indicators go to the rules that weight indicators by name (the objective
  index); the others weight main and additional results by their own shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulate import numformat as nf
from simulate.person import Person, org_capaian_of
from simulate.policies.base import validate_policy_params
from simulate.scenario.schema import RewardSpec, Scenario

__all__ = ["person_case", "case_command", "OnePeriod", "arm_evidence", "arm_rewards_for", "arm_spec", "assumptions", "curve_settings"]


@dataclass(frozen=True)
class OnePeriod:
    """What :func:`simulate.replication.follow_up` reads of a period: the scenario, the population
    (``None``: the evidence's employee table stands for it) and the evidence."""

    scenario: Scenario
    population: Any
    evidence: Any


def curve_settings(rule: str, params: dict[str, Any]) -> tuple[str, Any]:
    """``(curve_pool, org_thresholds)`` of an arm, following a composite policy to its base rule."""
    for _ in range(5):  # a base of a base of ...: a few levels at most
        p = validate_policy_params(rule, params)
        if hasattr(p, "curve_pool"):
            return p.curve_pool, getattr(p, "org_thresholds", None)
        base = getattr(p, "base", None)
        if not isinstance(base, str) or not isinstance(getattr(p, "base_params", None), dict):
            break
        rule, params = base, p.base_params
    return "unit", None


def arm_evidence(scenario: Scenario, spec, person: Person, made: dict | None = None):
    """The person's one-row evidence as ``spec``'s arm sees it (its curve pool's predikat).

    ``made`` keeps the evidence already built for other arms by unit achievement: arms that see
    the same achievement share one evidence (and what is derived from it), as arms of a run do.
    """
    pool, thresholds = curve_settings(spec.rule, spec.params)
    predikat = person.opd_predikat or person.unit_predikat if pool == "opd" else person.unit_predikat
    org = org_capaian_of(predikat, thresholds)
    made = {} if made is None else made
    if org not in made:
        made[org] = person.to_evidence(scenario.raters.scales, scenario.appraisal.period_months, org)
    return made[org]


def _table_amount(person: Person, params: dict[str, Any]) -> float:
    from simulate.rewards.tpp import TppParams, class_amounts, golongan_groups

    p = TppParams.model_validate(params)
    return class_amounts(p.amounts_table)[(person.position_type, golongan_groups()[person.golongan])]


def arm_rewards_for(scenario: Scenario, spec, person: Person) -> list[RewardSpec]:
    """The arm's reward schemes with the person's TPP amount and without the region's budget cap."""
    from simulate.replication import arm_rewards

    out = []
    for r in arm_rewards(scenario, spec):
        if r.rule == "tpp":
            params = {k: v for k, v in r.params.items() if k != "budget_cap_idr"}
            if person.tpp_amount_idr_per_month is not None:
                table = _table_amount(person, params)
                params["amount_scale"] = person.tpp_amount_idr_per_month / table if table > 0 else 0.0
            r = r.model_copy(update={"params": params})
        out.append(r)
    return out


def arm_spec(spec, person: Person):
    """``spec`` with the person's indicator weights given to an objective-index arm (by the indicators'
    names in the evidence, :meth:`simulate.person.Person.indicator_table`)."""
    if spec.rule != "objective_index" or not person.indicators:
        return spec
    names = person.indicator_table()["name"].tolist()
    weights = {**spec.params.get("weights", {}), **{n: i.weight for n, i in zip(names, person.indicators)}}
    return spec.model_copy(update={"params": {**spec.params, "weights": weights}})


def assumptions(scenario: Scenario, person: Person) -> list[tuple[str, str]]:
    """What a group of one means for the rules, in both languages (printed with the case)."""
    s = scenario.raters.scales
    below = s.score_center + s.score_per_sd * s.expectation_below
    above = s.score_center + s.score_per_sd * s.expectation_above
    months = scenario.appraisal.period_months
    b = person.behaviour
    out = [
        ("Dinilai sebagai unit satu orang: kurva distribusi, kuota, standardisasi dan kalibrasi penilai berlaku atas "
         "kelompok yang hanya berisi pegawai ini (indeks objektif = rata-rata kelompok, tanpa koreksi kemurahan "
         "penilai, log harian = rata-rata OPD).",
         "Scored as a unit of one: the distribution curve, quotas, standardisation and rater calibration apply to a "
         "pool holding this employee alone (objective index = the pool average, no rater-leniency correction, "
         "daily log = the OPD mean)."),
        (f"Penilaian 0-100 dibaca dengan skala skenario: di bawah {nf.number(below, 'id', 1)} = di bawah ekspektasi, "
         f"di atas {nf.number(above, 'id', 1)} = di atas ekspektasi, selebihnya sesuai ekspektasi.",
         f"Ratings on 0-100 are read with the scenario's scale: below {nf.number(below, 'en', 1)} = below "
         f"expectation, above {nf.number(above, 'en', 1)} = above expectation, otherwise meets expectation."),
        ("Predikat organisasi unit/OPD diwakili batas bawah capaian predikat itu (aturan membaliknya ke predikat "
         "yang sama).",
         "The unit's / OPD's organisation predikat stands as the lower bound of that predikat's achievement band "
         "(the rule bands it back to the same predikat)."),
        (f"Penilaian rekan kerja: {nf.integer(b.count('peers'), 'id')} orang; bawahan: "
         f"{nf.integer(b.count('subordinates'), 'id')} orang (hanya aturan 360 derajat yang membacanya).",
         f"Peer ratings: {nf.integer(b.count('peers'), 'en')} people; subordinates: "
         f"{nf.integer(b.count('subordinates'), 'en')} (read only by the 360-degree rule)."),
        (f"Keterlambatan dan ketidakhadiran dihitung atas periode {months} bulan; potongan bulanan memakai rata-rata "
         "per bulan. Pagu TPP daerah tidak diterapkan (berlaku atas total seluruh pegawai).",
         f"Lateness and absence count over the {months}-month period; the monthly deduction uses the monthly "
         "average. The region's TPP budget cap is not applied (it caps the total of all staff)."),
        ("Kepala unit dinilai seperti pegawai lain: hasil dari capaian organisasi yang dipimpin memerlukan anggota "
         "unitnya, yang tidak ada dalam berkas. Tindak lanjut karier tanpa riwayat periode sebelumnya.",
         "A unit head is rated like other staff: results from the led organisation need the unit's members, who "
         "are not in the file. Career follow-up without earlier periods' history."),
    ]
    if person.tpp_amount_idr_per_month is None:
        out.append(("Besaran TPP dari tabel skenario (angka ilustratif, bukan Perkada daerah Anda).",
                    "TPP amount from the scenario's table (illustrative figures, not your region's Perkada)."))
    else:
        out.append(("Besaran TPP per bulan dari berkas.", "Monthly TPP amount from the file."))
    return out


def person_case(scenario: Scenario, person) -> EmployeeCase:
    """Every arm's appraisal and follow-up of one person from a file (:class:`simulate.person.Person`).

    The person is a one-row evidence (:meth:`simulate.person.Person.to_evidence`) scored by the
    arms' own policies and reward schemes; :func:`assumptions` states what a group of one means.
    """
    from simulate.case import EmployeeCase, arm_case, case_labels

    names, schemes = case_labels(scenario)
    months = scenario.appraisal.period_months
    info = {"position_type": person.position_type, "golongan": person.golongan, "status": person.status,
            "opd_kind": person.opd_kind, "months": months}
    case = EmployeeCase(None, scenario.name, None, info)
    made: dict = {}
    for spec in scenario.policies:
        spec = arm_spec(spec, person)
        period = OnePeriod(scenario, None, arm_evidence(scenario, spec, person, made))
        case.arms.append(arm_case(scenario, spec, period, 0, names, schemes,
                                  rewards=arm_rewards_for(scenario, spec, person)))
    case.assumptions = assumptions(scenario, person)
    return case


def case_command(args) -> int:
    """``kinerja case SCENARIO --employee ID | --input FILE``: print the case (text or ``--json``)."""
    import json

    from simulate.assemble import load_scenario
    from simulate.case import employee_case
    from simulate.errors import UserError

    if (args.employee is None) == (args.input is None):
        raise UserError("case: give either --employee ID (a generated employee) or --input FILE (a person file)")
    if args.input is not None and args.seed is not None:
        raise UserError("case: --seed applies to --employee only (a person from a file draws nothing)")
    if args.input is not None:
        from simulate.person_files import read_person

        person = read_person(args.input)  # checked before the scenario is loaded: no work on a bad file
        case = person_case(load_scenario(args.scenario), person)
    else:
        case = employee_case(load_scenario(args.scenario), args.employee, seed=args.seed)
    print(json.dumps(case.to_json(), indent=1, ensure_ascii=False) if args.json else case.text(args.lang))
    return 0
