"""The ``kinerja estimate`` command: options in, one summary (or JSON) out, one new run folder."""

from __future__ import annotations

import argparse
import json
import sys

from simulate.assemble import load_scenario
from simulate.estimate.report import number, percent
from simulate.estimate.run import run_estimate
from simulate.scenario.loader import resolve_scenario_path

__all__ = ["add_parser", "cmd_estimate"]


def add_parser(sub) -> None:
    p = sub.add_parser("estimate", help="estimate rater effects from a real appraisal export (CSV or Excel)")
    p.add_argument("file", metavar="FILE", help="the export: one row per rating (.csv or .xlsx)")
    p.add_argument("--sheet", default=None, help="the workbook's sheet (default: the first)")
    p.add_argument("--columns", default=None, metavar="ROLE=HEADER,...",
                   help="map headers to roles, e.g. employee='NIP Pegawai',rater='NIP Atasan',rating=Nilai")
    p.add_argument("--scale", choices=["0-100", "1-5", "levels"], default=None,
                   help="the rating scale (default: inferred from the values)")
    p.add_argument("--key-file", default=None, metavar="FILE",
                   help="secret key for the pseudonyms (default: ~/.config/kinerja/pseudonym.key, created on first use)")
    p.add_argument("--scenario", default="baseline", metavar="SCENARIO",
                   help="scenario the calibration fragment extends (default: the baseline)")
    p.add_argument("--no-calibration", action="store_true", help="skip fitting simulator rater parameters")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="report language (default: id)")
    p.add_argument("--out", default="reports", metavar="DIR", help="parent folder of the run folder")
    p.add_argument("--json", action="store_true", help="print the estimates as JSON")
    p.set_defaults(func=cmd_estimate)


def cmd_estimate(args: argparse.Namespace) -> int:
    sc = load_scenario(args.scenario)
    ref = resolve_scenario_path(args.scenario)
    result = run_estimate(args.file, args.out, scenario=sc, scenario_ref=str(ref), key_file=args.key_file,
                          sheet=args.sheet, columns=args.columns, scale=args.scale, lang=args.lang,
                          calibrate=not args.no_calibration)
    est, lang = result.estimate, args.lang
    if result.key_created:
        print(f"kinerja: created the pseudonym key {result.key_file}; keep it to get the same pseudonyms next "
              "time, and never share it with the outputs", file=sys.stderr)
    if args.json:
        print(json.dumps(est.to_json(), indent=2))
        return 0
    s = est.fit.shares
    print(f"{number(est.n_ratings, lang, 0)} ratings, {number(est.n_employees, lang, 0)} employees, "
          f"{number(est.n_raters, lang, 0)} raters; connected parts: {est.connected_parts}")
    print(f"variance shares: employee {percent(s['employee'], lang)}, rater {percent(s['rater'], lang)}, "
          f"residual {percent(s['residual'], lang)}" + (" (boundary fit)" if est.fit.boundary else ""))
    print(f"reliability of one rating {number(est.reliability['single_rating'], lang)}, "
          f"of the mean of 3 raters {number(est.reliability['absolute_k3'], lang)}")
    for note in result.ratings.notes:
        print(f"note: {note}")
    print(f"\nWritten to {result.folder}")
    return 0
