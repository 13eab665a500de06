"""kinerja case: one employee under every arm, with the rule trail and the rupiah it comes to."""

from __future__ import annotations

import json

import numpy as np

from simulate.assemble import load_scenario
from simulate.case import employee_case
from simulate.cli import main
from simulate.cycle import simulate_period
from simulate.policies.base import apply_policy
from simulate.replication import arm_rewards, follow_up


def test_the_case_matches_the_appraisal_and_the_tpp(root):
    sc = load_scenario(root / "params" / "presets" / "test.yaml")
    case = employee_case(sc, 17)
    period = simulate_period(sc)
    ids = period.evidence.employees["employee_id"].to_numpy()
    row = int(np.flatnonzero(ids == 17)[0])
    assert [a["name"] for a in case.arms] == [p.name for p in sc.policies]
    for arm, spec in zip(case.arms, sc.policies):
        appraisal = apply_policy(period.evidence, spec.rule, spec.params, name=spec.name)
        assert arm["predikat"] == ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"][
            int(appraisal.predikat[row])]
        tpp = follow_up(period, appraisal, rewards=arm_rewards(sc, spec))["tpp"]
        paid = next(s for s in arm["schemes"] if s["name"] == "tpp")["values"]["paid_idr"]
        assert paid == float(tpp.employees["paid_idr"].iloc[row])
    quadrant = case.arms[0]["trail"]
    assert {"results", "behaviour", "predikat_quadrant", "moved_by_curve"} <= set(quadrant)


def test_the_case_reads_in_each_language_and_as_json(capsys):
    assert main(["case", "test", "--employee", "5"]) == 0
    text = capsys.readouterr().out
    assert "Kasus pegawai 5 (sintetis)" in text and "Predikat menurut kuadran" in text and "TPP dibayar: Rp " in text
    assert "permenpanrb_2022" not in text  # labels, not code names
    assert main(["case", "test", "--employee", "5", "--lang", "en"]) == 0
    assert "Predikat by the quadrant (before the curve)" in capsys.readouterr().out
    assert main(["case", "test", "--employee", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["employee_id"] == 5 and data["arms"][0]["label_en"].startswith("PermenPANRB")


def test_an_unknown_employee_is_refused(capsys):
    assert main(["case", "test", "--employee", "99999"]) == 2
    err = capsys.readouterr().err
    assert "no employee 99999" in err and "from 0 to 399" in err and "Traceback" not in err
