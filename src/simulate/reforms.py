"""Reform packages from Excel: ``kinerja template FILE.xlsx`` and ``kinerja run SCENARIO --reforms FILE.xlsx``.

A policymaker fills in one row per reform package: a scoring policy with its curve mode and other
parameters, the TPP cut table and budget cap, and labels. Row 2 lists, under every header, what
the column allows (and the enumerated columns carry a drop-down list), so the workbook explains
itself. Reading it applies the same validation as a YAML scenario (the packages become the
scenario's ``policies``, each with its own ``rewards``); every problem names the sheet, the row as
the spreadsheet counts it, and the column (letter and header); nothing is run until the workbook
is clean.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulate.errors import ScenarioError, UserError
from simulate.policies import list_policies
from simulate.predikat import PREDIKAT

__all__ = ["COLUMNS", "SHEET", "write_template", "read_reforms", "apply_reforms"]

SHEET = ("Paket reformasi", "Reform packages")
FIRST_ROW = 3  # row 1: headers, row 2: what each column allows


@dataclass(frozen=True)
class Column:
    key: str
    header: tuple[str, str]
    allows: tuple[str, str]
    choices: tuple[str, ...] = ()
    width: int = 18


_PAID = tuple(Column(f"paid_{p}", (f"Dibayar % {p.replace('_', ' ')}", f"Paid % {p.replace('_', ' ')}"),
                     ("0-200; kosong: tabel skema", "0-200; empty: the scheme's table"), width=14) for p in PREDIKAT)

COLUMNS: tuple[Column, ...] = (
    Column("name", ("Kode paket", "Package code"), ("huruf kecil, angka, _ (unik)", "lower-case letters, digits, _ (unique)")),
    Column("label", ("Nama paket", "Package name"), ("teks bebas (Bahasa Indonesia)", "free text (Bahasa Indonesia)"), width=40),
    Column("label_en", ("Nama (Inggris)", "Name (English)"), ("teks bebas; boleh kosong", "free text; may be empty"), width=32),
    Column("policy", ("Kebijakan penilaian", "Scoring policy"), ("lihat daftar", "see the list"), tuple(), width=24),
    Column("curve", ("Kurva distribusi", "Distribution curve"),
           ("off / warn / enforce (hanya permenpanrb_2022); kosong: warn",
            "off / warn / enforce (permenpanrb_2022 only); empty: warn"), ("off", "warn", "enforce")),
    Column("curve_pool", ("Kelompok kurva", "Curve pool"), ("unit / opd; kosong: unit", "unit / opd; empty: unit"),
           ("unit", "opd")),
    Column("policy_params", ("Parameter lain", "Other parameters"),
           ("YAML satu baris, mis. {weight_supervisor: 0.6}", "one-line YAML, e.g. {weight_supervisor: 0.6}"), width=30),
    Column("tpp_scheme", ("Skema potongan TPP", "TPP cut scheme"),
           ("klhk / bakamla / custom (isi kolom Dibayar %)", "klhk / bakamla / custom (fill the Paid % columns)"),
           ("klhk", "bakamla", "custom")),
    *_PAID,
    Column("applies_to", ("Persen berlaku pada", "Percent applies to"),
           ("productivity / total; kosong: productivity", "productivity / total; empty: productivity"),
           ("productivity", "total")),
    Column("budget_cap_idr", ("Pagu TPP per periode (Rp)", "TPP budget cap per period (IDR)"),
           ("angka >= 0; kosong: tanpa pagu", "a number >= 0; empty: no cap"), width=22),
    Column("amount_scale", ("Pengali besaran TPP", "TPP amount multiplier"), ("angka >= 0; kosong: 1", "a number >= 0; empty: 1")),
)

_EXAMPLE = (
    {"name": "status_quo", "label": "Aturan kini: PermenPANRB 6/2022", "label_en": "Today's rule: PermenPANRB 6/2022",
     "policy": "permenpanrb_2022", "curve": "warn", "tpp_scheme": "klhk"},
    {"name": "curve_and_cut", "label": "Kurva ditegakkan + TPP dipotong", "label_en": "Curve enforced + TPP cut",
     "policy": "permenpanrb_2022", "curve": "enforce", "tpp_scheme": "custom", "paid_sangat_baik": 110,
     "paid_baik": 100, "paid_butuh_perbaikan": 80, "paid_kurang": 60, "paid_sangat_kurang": 40,
     "budget_cap_idr": 175_000_000_000},
)


def _letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(k + 1)


def write_template(path: str | Path, lang: str = "id") -> Path:
    """Write the reform-package workbook (two example packages) to ``path``; never overwrites."""
    from openpyxl import Workbook

    from simulate.xlsx import check_new_template, choice_list, header_style, note_style, save_whole

    path = check_new_template(path)
    (bold, fill), (note_font, note_align) = header_style(), note_style()
    i = 0 if lang == "id" else 1
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET[i]
    policies = tuple(list_policies())
    for k, col in enumerate(COLUMNS):
        letter = _letter(k)
        head = ws.cell(1, k + 1, col.header[i])
        head.font, head.fill = bold, fill
        allows = ", ".join(policies) if col.key == "policy" else col.allows[i]
        note = ws.cell(2, k + 1, allows)
        note.font, note.alignment = note_font, note_align
        ws.column_dimensions[letter].width = col.width
        choices = policies if col.key == "policy" else col.choices
        if choices:
            choice_list(ws, f"{letter}{FIRST_ROW}:{letter}200", choices, allows)
    for r, package in enumerate(_EXAMPLE, start=FIRST_ROW):
        for k, col in enumerate(COLUMNS):
            if col.key in package:
                ws.cell(r, k + 1, package[col.key])
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = f"B{FIRST_ROW}"
    return save_whole(wb, path)


def _number(value: Any, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or value is None:
        raise ValueError("must be a number")
    try:
        x = float(str(value).replace(" ", "")) if isinstance(value, str) else float(value)
    except ValueError:
        raise ValueError(f"must be a number, got {value!r}") from None
    if x != x or x in (float("inf"), float("-inf")) or x < low or (high is not None and x > high):
        raise ValueError(f"must be between {low:g} and {high:g}, got {value!r}" if high is not None
                         else f"must be >= {low:g}, got {value!r}")
    return x


def _package(cells: dict[str, Any], where) -> tuple[dict[str, Any], list[str]]:
    """One row as a policy entry of a scenario (with its rewards), and the row's problems."""
    problems: list[str] = []

    def bad(key: str, text: str) -> None:
        problems.append(f"{where(key)}: {text}")

    name = str(cells.get("name") or "").strip()
    if not re.fullmatch(r"[a-z0-9_]+", name):
        bad("name", f"required: lower-case letters, digits and '_', got {cells.get('name')!r}")
    policy = str(cells.get("policy") or "").strip()
    if policy not in list_policies():
        bad("policy", f"unknown policy {policy!r}; allowed: {', '.join(list_policies())}")
    params: dict[str, Any] = {}
    raw = cells.get("policy_params")
    if raw not in (None, ""):
        try:
            extra = yaml.safe_load(str(raw))
        except yaml.YAMLError:
            extra = None
        if not isinstance(extra, dict):
            bad("policy_params", f"must be one-line YAML mapping such as {{weight_supervisor: 0.6}}, got {raw!r}")
        else:
            params.update(extra)
    for key in ("curve", "curve_pool"):
        value = cells.get(key)
        if value in (None, ""):
            continue
        col = next(c for c in COLUMNS if c.key == key)
        if policy != "permenpanrb_2022":
            bad(key, f"applies to permenpanrb_2022 only (this package's policy is {policy or 'empty'}); leave it empty")
        elif str(value).strip() not in col.choices:
            bad(key, f"must be one of {' / '.join(col.choices)}, got {value!r}")
        else:
            params[key] = str(value).strip()
    tpp: dict[str, Any] = {}
    scheme = str(cells.get("tpp_scheme") or "klhk").strip()
    paid = {p: cells.get(f"paid_{p}") for p in PREDIKAT}
    if scheme == "custom":
        table = {}
        for p, value in paid.items():
            try:
                table[p] = _number(value, 0, 200)
            except ValueError as exc:
                bad(f"paid_{p}", f"{exc} (a custom cut table needs all five percents)")
        if len(table) == len(PREDIKAT):
            if any(b > a for a, b in zip(table.values(), list(table.values())[1:])):
                bad("paid_sangat_baik", "a worse predikat must never be paid more than a better one")
            tpp["predikat_paid_percent"] = table
    elif scheme in ("klhk", "bakamla"):
        tpp["predikat_scheme"] = scheme
        for p, value in paid.items():
            if value not in (None, ""):
                bad(f"paid_{p}", f"only with TPP cut scheme 'custom' (this package's is {scheme!r}); leave it empty")
    else:
        bad("tpp_scheme", f"must be one of klhk / bakamla / custom, got {scheme!r}")
    applies = cells.get("applies_to")
    if applies not in (None, ""):
        if str(applies).strip() not in ("productivity", "total"):
            bad("applies_to", f"must be one of productivity / total, got {applies!r}")
        else:
            tpp["predikat_applies_to"] = str(applies).strip()
    for key, field in (("budget_cap_idr", "budget_cap_idr"), ("amount_scale", "amount_scale")):
        value = cells.get(key)
        if value not in (None, ""):
            try:
                tpp[field] = _number(value, 0)
            except ValueError as exc:
                bad(key, str(exc))
    entry: dict[str, Any] = {"name": name, "policy": policy, "params": params,
                             "rewards": [{"name": "tpp", "params": tpp}, {"name": "angka_kredit"}, {"name": "career"}]}
    for key in ("label", "label_en"):
        if cells.get(key) not in (None, ""):
            entry[key] = str(cells[key]).strip()
    return entry, problems


def read_reforms(path: str | Path) -> list[dict[str, Any]]:
    """The packages of a filled-in workbook as scenario ``policies`` entries (first = status quo)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise UserError(f"--reforms: {path}: no such file")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise UserError(f"--reforms: {path.name} is not a readable Excel workbook (.xlsx): {exc}") from None
    sheet = next((s for s in SHEET if s in book.sheetnames), None)
    if sheet is None:
        raise UserError(f"--reforms: {path.name} has no sheet {SHEET[0]!r} (or {SHEET[1]!r}); make one with "
                        "kinerja template FILE.xlsx")
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    headers = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    by_header = {h: c for c in COLUMNS for h in c.header}
    index: dict[str, int] = {}
    problems: list[str] = []
    for k, header in enumerate(headers):
        if header in by_header:
            index[by_header[header].key] = k
        elif header:
            problems.append(f"sheet {sheet!r}, column {_letter(k)} ({header!r}): unknown column; the template's "
                            f"columns are {', '.join(c.header[0] for c in COLUMNS)}")
    for required in ("name", "policy"):
        if required not in index:
            col = next(c for c in COLUMNS if c.key == required)
            problems.append(f"sheet {sheet!r}: column {col.header[0]!r} is missing")
    if problems:
        raise ScenarioError(f"--reforms: {path.name}: {len(problems)} problem{'s' * (len(problems) > 1)}", problems)
    packages: list[dict[str, Any]] = []
    for r, row in enumerate(rows[FIRST_ROW - 1:], start=FIRST_ROW):
        cells = {key: (row[k] if k < len(row) else None) for key, k in index.items()}
        if all(v in (None, "") for v in cells.values()):
            continue

        def where(key: str, r=r) -> str:
            k = index.get(key)
            header = next(c for c in COLUMNS if c.key == key).header[0 if sheet == SHEET[0] else 1]
            return f"sheet {sheet!r}, row {r}, column {_letter(k) if k is not None else '?'} ({header})"

        entry, row_problems = _package(cells, where)
        problems += row_problems
        if entry["name"] in {p["name"] for p in packages}:
            problems.append(f"{where('name')}: package code {entry['name']!r} is used twice")
        entry["_row"] = r
        packages.append(entry)
    if not packages and not problems:
        problems.append(f"sheet {sheet!r}: no package filled in (from row {FIRST_ROW})")
    if problems:
        raise ScenarioError(f"--reforms: {path.name}: {len(problems)} problem{'s' * (len(problems) > 1)}", problems)
    return packages


def apply_reforms(scenario, packages: list[dict[str, Any]], source: str):
    """``scenario`` with its policies replaced by ``packages``, validated as a YAML scenario is;
    a problem in a package's parameters names its row."""
    from simulate.assemble import scenario_from_dict

    rows = [p.pop("_row", None) for p in packages]
    data = {**scenario.model_dump(mode="json"), "policies": packages}
    try:
        return scenario_from_dict(data, source=source)
    except ScenarioError as exc:
        lines = []
        for line in exc.problems or [exc.message]:
            m = re.match(r"policies\[(\d+)\]\.(.*)", line)
            lines.append(f"row {rows[int(m.group(1))]}: {m.group(2)}" if m and rows[int(m.group(1))] else line)
        raise ScenarioError(f"--reforms: {source}: {len(lines)} problem{'s' * (len(lines) > 1)}", lines) from None
