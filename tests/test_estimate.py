"""``kinerja estimate``: reading exports, refusing bad ones, keeping personal data out, recovering rater effects."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from simulate.assemble import load_scenario
from simulate.cli import main
from simulate.errors import UserError
from simulate.estimate.example import synthetic_export
from simulate.estimate.model import estimate
from simulate.estimate.privacy import pseudonymise
from simulate.estimate.read import Ratings, read_export
from simulate.raters import RaterDraws, rate
from simulate.scenario.schema import RaterSourceParams

KEY = bytes(range(32))


@pytest.fixture(scope="module")
def export():
    return synthetic_export(load_scenario("test"), seed=11)


@pytest.fixture()
def export_csv(tmp_path, export):
    path = tmp_path / "ekspor.csv"
    export.export.to_csv(path, index=False)
    return path


def _run(capsys, *args):
    code = main(["estimate", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _runs(out_dir):
    folder = out_dir / "estimate"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


# --------------------------------------------------------------------------------------------
# Personal data
# --------------------------------------------------------------------------------------------


def test_no_nip_or_name_reaches_any_output(tmp_path, capsys):
    # A smaller export than the module's (the calibration fit re-estimates it some 40 times).
    export = synthetic_export(load_scenario("test", {"population": {"n_employees": 160}}), seed=11)
    export_csv = tmp_path / "ekspor.csv"
    export.export.to_csv(export_csv, index=False)
    out, key = tmp_path / "out", tmp_path / "secret" / "k.key"
    code, stdout, stderr = _run(capsys, export_csv, "--out", out, "--key-file", key, "--scenario", "test")
    assert code == 0, stderr
    (run,) = _runs(out)
    secrets = set(export.export["nip"]) | set(export.export["nip_penilai"])
    names = set(export.export["nama"]) | set(export.export["nama_penilai"])
    assert len(secrets) > 150 and len(names) > 50
    blobs = [stdout.encode(), stderr.encode()] + [p.read_bytes() for p in run.rglob("*") if p.is_file()]
    assert {p.name for p in run.iterdir()} >= {"estimate.html", "raters.csv", "estimate.json", "calibration.yaml",
                                               "manifest.json", "variance.csv", "reliability.csv", "parts.csv"}
    for blob in blobs:
        for value in secrets | names:
            assert value.encode() not in blob, value
    # The NIPs are really there to find in the input, and the key sits outside the run folder.
    assert next(iter(secrets)).encode() in export_csv.read_bytes()
    assert key.is_file() and not str(key.resolve()).startswith(str(out.resolve()))
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_key_inside_the_output_folder_is_refused(tmp_path, export_csv, capsys):
    out = tmp_path / "out"
    code, _, err = _run(capsys, export_csv, "--out", out, "--key-file", out / "k.key", "--no-calibration")
    assert code == 2 and "--key-file" in err and "Traceback" not in err
    assert not out.exists() or not _runs(out)


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another():
    nips = pd.Series(["199001012020121001", "199202022021012002", "199001012020121001"])
    a, b = pseudonymise(nips, KEY, "E"), pseudonymise(nips, KEY, "E")
    assert a.tolist() == b.tolist() and a[0] == a[2] and a[0] != a[1]
    assert pseudonymise(nips, bytes(32), "E")[0] != a[0]
    assert all(len(v) == 13 and v.startswith("E") for v in a)


def test_group_tables_hide_cells_of_fewer_than_five(tmp_path, capsys):
    rows = []
    for unit, size in (("Unit Besar", 12), ("Unit Kecil", 3)):
        for i in range(size):
            for r in range(3):
                rows.append({"nip": f"{unit}{i}", "nip_penilai": f"{unit}R{(i + r) % 4}", "nilai": 70 + (i * 7 + r * 3) % 11,
                             "unit_kerja": unit})
    path = tmp_path / "u.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    code, _, err = _run(capsys, path, "--out", tmp_path / "o", "--key-file", tmp_path / "k", "--no-calibration")
    assert code == 0, err
    (run,) = _runs(tmp_path / "o")
    html = (run / "estimate.html").read_text()
    small = html[html.index("Unit Kecil"):]
    assert small.split("</tr>")[0].count("&lt; 5") == 1  # the count shown as "< 5", no figures
    big = html[html.index("Unit Besar"):].split("</tr>")[0]
    assert "12" in big


# --------------------------------------------------------------------------------------------
# Bad input: one message per problem, row and column named, exit 2, nothing written
# --------------------------------------------------------------------------------------------


def _bad(tmp_path, name, text):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


BAD = {
    "missing_column": ("a.csv", "nip,nilai\n1,80\n", ["rater", "nip_penilai", "--columns"]),
    "not_a_number": ("b.csv", "nip,nip_penilai,nilai\n1,2,80\n3,2,delapan\n", ["row 3", "'nilai'", "'delapan'"]),
    "empty_file": ("c.csv", "", ["empty"]),
    "header_only": ("d.csv", "nip,nip_penilai,nilai\n", ["no rows"]),
    "duplicate_rows": ("e.csv", "nip,nip_penilai,nilai\n1,2,80\n3,2,70\n1,2,75\n", ["rows 2, 4", "twice"]),
    "empty_rater": ("f.csv", "nip,nip_penilai,nilai\n1,,80\n3,2,70\n", ["row 2", "'nip_penilai'", "empty"]),
    "unknown_scale": ("g.csv", "nip,nip_penilai,nilai\n1,2,-3\n3,2,250\n", ["--scale", "-3", "250"]),
    "bad_workbook": ("h.xlsx", b"this is not a workbook", ["Excel workbook"]),
    "unknown_type": ("i.pdf", b"%PDF-1.4", [".pdf", ".csv or .xlsx"]),
    "bad_indicator": ("j.csv", "nip,nip_penilai,nilai,indikator_x\n1,2,80,abc\n3,2,70,5\n", ["row 2", "indikator_x", "not a number"]),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_export_is_refused_cleanly(tmp_path, capsys, case):
    name, text, expected = BAD[case]
    path = _bad(tmp_path, name, text)
    key = tmp_path / "key"
    code, out, err = _run(capsys, path, "--out", tmp_path / "out", "--key-file", key, "--no-calibration")
    assert code == 2, err
    assert "Traceback" not in err and out == ""
    for piece in expected:
        assert piece in err, (piece, err)
    assert not (tmp_path / "out").exists() or not _runs(tmp_path / "out")
    assert not key.exists()  # a new key is only kept once an export was read


def test_out_of_scale_rating_names_the_row_with_a_given_scale(tmp_path, capsys):
    path = _bad(tmp_path, "s.csv", "nip,nip_penilai,nilai\n1,2,4\n3,2,7\n4,2,2\n")
    code, _, err = _run(capsys, path, "--scale", "1-5", "--out", tmp_path / "o", "--key-file", tmp_path / "k",
                        "--no-calibration")
    assert code == 2 and "row 3" in err and "from 1 to 5" in err


def test_unreadable_workbook_names_the_sheet_and_cell(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Nilai"
    ws.append(["NIP", "NIP Penilai", "Nilai"])
    ws.append(["1", "2", 80])
    ws.append(["3", "2", "tinggi"])
    path = tmp_path / "w.xlsx"
    book.save(path)
    code, _, err = _run(capsys, path, "--out", tmp_path / "o", "--key-file", tmp_path / "k", "--no-calibration")
    assert code == 2
    assert "sheet 'Nilai'" in err and "row 3" in err and "column C" in err and "'tinggi'" in err
    code, _, err = _run(capsys, path, "--sheet", "Lain", "--out", tmp_path / "o", "--key-file", tmp_path / "k")
    assert code == 2 and "'Lain'" in err and "'Nilai'" in err


def test_columns_option_maps_other_headers(tmp_path, capsys):
    path = _bad(tmp_path, "m.csv", "Pegawai ID;Atasan;Skor Akhir\n1;9;80\n2;9;70\n3;8;75\n4;8;60\n1;8;78\n")
    with pytest.raises(UserError, match="rating"):
        read_export(path, KEY)
    r = read_export(path, KEY, columns={"employee": "pegawai_id", "rater": "atasan", "rating": "skor_akhir"})
    assert r.n == 5 and r.scale == "0-100"
    code, _, err = _run(capsys, path, "--columns", "employee=Pegawai ID,boss=Atasan", "--out", tmp_path / "o",
                        "--key-file", tmp_path / "k")
    assert code == 2 and "unknown role 'boss'" in err


def test_scales_are_inferred():
    assert _scale("1\n2\n5\n4") == "1-5"
    assert _scale("78.5\n90\n12") == "0-100"
    assert _scale("Sesuai Ekspektasi\nDi Atas Ekspektasi\ndi bawah ekspektasi") == "levels"


def _scale(values: str, tmp=None) -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        lines = values.split("\n")
        text = "nip,nip_penilai,nilai\n" + "".join(f"{i},{i % 2 + 100},{v}\n" for i, v in enumerate(lines))
        p = Path(d) / "x.csv"
        p.write_text(text)
        return read_export(p, KEY).scale


# --------------------------------------------------------------------------------------------
# The same export as CSV and Excel; JSON; never overwriting
# --------------------------------------------------------------------------------------------


def test_csv_and_excel_twins_give_the_same_estimates(root):
    a = estimate(read_export(root / "data" / "examples" / "penilaian_perilaku_sintetis.csv", KEY))
    b = estimate(read_export(root / "data" / "examples" / "penilaian_perilaku_sintetis.xlsx", KEY))
    assert a.fit.variances == pytest.approx(b.fit.variances, rel=1e-12)
    assert a.raters["rater"].tolist() == b.raters["rater"].tolist()


def test_json_output_and_a_second_run_in_a_new_folder(tmp_path, export_csv, capsys):
    args = (export_csv, "--out", tmp_path / "o", "--key-file", tmp_path / "k", "--no-calibration")
    code, out, _ = _run(capsys, *args, "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"n_ratings", "n_employees", "n_raters", "connected_parts", "variance", "shares", "reliability"}
    assert set(doc["shares"]) == {"employee", "rater", "residual"} and sum(doc["shares"].values()) == pytest.approx(1)
    code, _, _ = _run(capsys, *args, "--lang", "en")
    first, second = _runs(tmp_path / "o")
    assert first != second
    assert '<html lang="en">' in (second / "estimate.html").read_text()
    assert '<html lang="id">' in (first / "estimate.html").read_text()


# --------------------------------------------------------------------------------------------
# Estimation: connectedness, recovery of a known design
# --------------------------------------------------------------------------------------------


def test_disconnected_raters_are_reported_as_parts(tmp_path):
    rng = np.random.default_rng(5)
    rows = []
    for group in ("A", "B"):
        for i in range(30):
            for r in rng.choice(6, 2, replace=False):
                rows.append({"employee": f"{group}{i}", "rater": f"{group}R{r}", "rating": 70 + rng.normal(0, 5)})
    est = estimate(Ratings(frame=pd.DataFrame(rows), scale="0-100", source="t"))
    assert est.connected_parts == 2
    assert est.parts["raters"].tolist() == [6, 6] and est.parts["employees"].tolist() == [30, 30]
    assert set(est.raters["part"]) == {1, 2}


def test_a_designed_study_recovers_the_generating_rater_effects():
    """Simulate, estimate, compare: 300 employees each rated by 3 of 60 raters drawn at random."""
    rng = np.random.default_rng(20240101)
    n, n_raters, per = 1500, 150, 3
    params = RaterSourceParams(leniency_sd=0.6, slope_mean=1.0, slope_sd=0.0, idiosyncratic_sd=0.0, noise_sd=0.8)
    draws = RaterDraws(leniency=params.leniency_sd * rng.standard_normal(n_raters), slope=np.ones(n_raters),
                       local_origin=np.zeros(n_raters, dtype=bool))
    true_employee = rng.standard_normal(n)
    ratee = np.repeat(np.arange(n), per)
    rater = np.concatenate([rng.choice(n_raters, per, replace=False) for _ in range(n)])
    latent = rate(true_employee[ratee][:, None], draws, rater, params, np.zeros(len(ratee), dtype=bool), rng)[:, 0]
    frame = pd.DataFrame({"employee": ratee.astype(str), "rater": rater.astype(str), "rating": latent.astype(float)})
    est = estimate(Ratings(frame=frame, scale="0-100", source="t"))
    v = est.fit.variances
    assert v["employee"] == pytest.approx(np.var(true_employee), rel=0.12)
    assert v["rater"] == pytest.approx(np.var(draws.leniency), rel=0.25)
    assert v["residual"] == pytest.approx(params.noise_sd**2, rel=0.08)
    lenient = est.raters.set_index("rater")["leniency"]
    truth = pd.Series(draws.leniency - draws.leniency.mean(), index=np.arange(n_raters).astype(str))
    assert np.corrcoef(lenient.reindex(truth.index), truth)[0, 1] > 0.9
    assert est.connected_parts == 1


def test_spread_tells_compressing_raters_from_stretching_ones():
    rng = np.random.default_rng(8)
    n, n_raters = 2000, 40
    slope = np.where(np.arange(n_raters) < 20, 0.5, 1.5)
    emp = rng.standard_normal(n)
    ratee = np.repeat(np.arange(n), 3)
    rater = np.concatenate([rng.choice(n_raters, 3, replace=False) for _ in range(n)])
    y = 70 + 5 * slope[rater] * emp[ratee] + rng.normal(0, 1, len(ratee))
    est = estimate(Ratings(frame=pd.DataFrame({"employee": ratee.astype(str), "rater": rater.astype(str), "rating": y}),
                           scale="0-100", source="t"))
    spread = est.raters.set_index("rater")["spread"]
    low = spread[[str(i) for i in range(20)]]
    high = spread[[str(i) for i in range(20, 40)]]
    # The alternating fit recovers the slopes themselves (0.5 and 1.5 around a mean of 1).
    assert 0.4 < low.min() and low.max() < 0.6 and 1.4 < high.min() and high.max() < 1.6


@pytest.mark.slow
def test_calibration_fragment_reproduces_the_export_in_calibrate(tmp_path, root, capsys):
    code, _, err = _run(capsys, root / "data" / "examples" / "penilaian_perilaku_sintetis.csv", "--out", tmp_path / "o",
                        "--key-file", tmp_path / "k", "--scenario", root / "params" / "presets" / "workshop.yaml")
    assert code == 0, err
    (run,) = _runs(tmp_path / "o")
    fragment = run / "calibration.yaml"
    sc = load_scenario(fragment)
    assert sc.raters.observed is not None
    code = main(["calibrate", str(fragment), "--replications", "3", "--json"])
    rows = {r["target"]: r for r in json.loads(capsys.readouterr().out)}
    assert code == 0
    for part in ("employee", "rater", "residual"):
        assert rows[f"observed_{part}_share"]["ok"], rows[f"observed_{part}_share"]


def test_export_zip_that_is_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    code, _, err = _run(capsys, path, "--out", tmp_path / "o", "--key-file", tmp_path / "k", "--no-calibration")
    assert code == 2 and "Excel workbook" in err and "Traceback" not in err


@pytest.mark.slow
def test_real_data_notebook_runs_and_shows_no_nip(tmp_path, root):
    import papermill as pm

    out = tmp_path / "nb.ipynb"
    pm.execute_notebook(str(root / "notebooks" / "05-real-data.ipynb"), str(out), cwd=str(root),
                        parameters={"key_file": str(tmp_path / "k.key"), "lang": "en"}, progress_bar=False)
    text = out.read_text()
    assert "Where the variation comes from" in text and '"ename"' not in text
    source = pd.read_csv(root / "data" / "examples" / "penilaian_perilaku_sintetis.csv", dtype=str)
    for value in set(source["nip"]) | set(source["nip_penilai"]) | set(source["nama"]):
        assert value not in text, value
