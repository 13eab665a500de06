"""Person files: read ``person.yaml`` / ``person.xlsx`` and write the fill-in workbook.

``kinerja template --person FILE.xlsx`` writes a workbook with three sheets, **Pegawai** (one
field a row: label, value, what is allowed), **Indikator** (one SKP indicator a row) and
**Perilaku** (one BerAKHLAK value a row: superior, peers, subordinates), with the allowed values
beside every cell and drop-down lists for the enumerated ones, as ``kinerja template`` does for
reform packages (:mod:`simulate.reforms`). Reading either format validates with
:class:`simulate.person.Person`; every problem names the YAML field path, or for a workbook the
sheet, the row as the spreadsheet counts it and the column (letter and header); nothing is
scored until the file is clean.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulate.errors import ScenarioError, UserError
from simulate.person import GOLONGAN, INDICATOR_KINDS, Person, validate_person
from simulate.population import POSITION_TYPES
from simulate.rules.permenpanrb_2022 import ORG_PREDIKAT
from simulate.scenario.schema import BEHAVIOUR_DIMENSIONS, OPD_KINDS

__all__ = ["read_person", "write_person_template", "fill_person_workbook", "SHEETS", "FIELDS", "INDICATOR_COLUMNS", "BEHAVIOUR_COLUMNS"]

SHEETS = {"person": "Pegawai", "indicators": "Indikator", "behaviour": "Perilaku"}
_YES, _NO = ("ya", "yes", "true", "benar", "y"), ("tidak", "no", "false", "salah", "t", "n")


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]  #: where the value goes in the person's mapping
    label: str  #: the label in column A (Indonesian)
    allows: str  #: what column C says
    kind: str = "text"  #: text / number / int / bool
    choices: tuple[str, ...] = ()
    example: Any = None


_ORG = " / ".join(ORG_PREDIKAT)
#: Rows of the Pegawai sheet, from row 2.
FIELDS: tuple[Field, ...] = (
    Field(("name",), "Nama", "data pribadi: dibaca, tidak pernah dicetak atau ditulis; boleh kosong", example="(kosongkan)"),
    Field(("nip",), "NIP", "data pribadi: dibaca, tidak pernah dicetak atau ditulis; boleh kosong"),
    Field(("position_type",), "Jenis jabatan", " / ".join(POSITION_TYPES), choices=POSITION_TYPES, example="fungsional"),
    Field(("golongan",), "Golongan", "PNS: I/a ... IV/e; PPPK: PPPK-I ... PPPK-XVII", choices=GOLONGAN, example="III/b"),
    Field(("status",), "Status", "PNS / PPPK", choices=("PNS", "PPPK"), example="PNS"),
    Field(("opd_kind",), "Jenis OPD", " / ".join(OPD_KINDS), choices=OPD_KINDS, example="puskesmas"),
    Field(("unit_predikat",), "Predikat organisasi unit kerja", _ORG, choices=ORG_PREDIKAT, example="baik"),
    Field(("opd_predikat",), "Predikat organisasi OPD", _ORG + "; kosong: sama dengan unit kerja", choices=ORG_PREDIKAT),
    Field(("results_supervisor",), "Penilaian hasil kerja oleh atasan (0-100)", "angka 0-100", "number", example=85),
    Field(("new_idea",), "Ide baru diakui", "ya / tidak; kosong: tidak", "bool", choices=("ya", "tidak"), example="tidak"),
    Field(("extra_tasks",), "Tugas tambahan (jumlah)", "bilangan bulat 0-50; kosong: 0", "int", example=0),
    Field(("unit_ikm",), "IKM unit layanan (25-100)", "angka 25-100; kosong: tidak ada survei", "number"),
    Field(("tpp_amount_idr_per_month",), "Besaran TPP penuh per bulan (Rp)",
          "angka >= 0; kosong: tabel skenario (ilustratif)", "number"),
    Field(("discipline", "late_tl1"), "Terlambat TL1 (1-30 menit), kali dalam periode", "bilangan bulat >= 0; kosong: 0", "int", example=0),
    Field(("discipline", "late_tl2"), "Terlambat TL2 (31-60 menit), kali", "bilangan bulat >= 0; kosong: 0", "int", example=0),
    Field(("discipline", "late_tl3"), "Terlambat TL3 (61-90 menit), kali", "bilangan bulat >= 0; kosong: 0", "int", example=0),
    Field(("discipline", "late_tl4"), "Terlambat TL4 (91 menit atau lebih / tanpa catatan), kali",
          "bilangan bulat >= 0; kosong: 0", "int", example=0),
    Field(("discipline", "absent_days"), "Tidak hadir tanpa alasan sah (hari)", "bilangan bulat >= 0; kosong: 0", "int", example=0),
    Field(("behaviour", "n_peers"), "Jumlah rekan kerja yang menilai", "bilangan bulat >= 0; kosong: 1 bila ada nilai rekan", "int"),
    Field(("behaviour", "n_subordinates"), "Jumlah bawahan yang menilai", "bilangan bulat >= 0; kosong: 1 bila ada nilai bawahan", "int"),
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    allows: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    width: int = 16


#: Columns of the Indikator sheet (header row 1, allowed values row 2, indicators from row 3).
INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("name", "Nama indikator", "teks bebas (wajib)", width=40),
    Column("target", "Target", "angka > 0", "number"),
    Column("realisation", "Realisasi", "angka >= 0", "number"),
    Column("kind", "Jenis", "count / percent / time / budget; kosong: count", choices=INDICATOR_KINDS),
    Column("direction", "Arah", "higher / lower; kosong: lower untuk time, selain itu higher", choices=("higher", "lower")),
    Column("main", "Utama", "ya / tidak; kosong: ya", "bool", choices=("ya", "tidak")),
    Column("weight", "Bobot", "angka 0-100; kosong: 1", "number"),
    Column("unit", "Satuan", "teks bebas; boleh kosong"),
)
#: Columns of the Perilaku sheet (one BerAKHLAK value a row from row 3).
BEHAVIOUR_COLUMNS: tuple[Column, ...] = (
    Column("dimension", "Nilai BerAKHLAK", "tujuh nilai (jangan diubah)", width=26),
    Column("supervisor", "Atasan", "angka 0-100 (wajib)", "number"),
    Column("peers", "Rekan kerja", "angka 0-100 rata-rata rekan; kosong semua: tidak ada", "number"),
    Column("subordinates", "Bawahan", "angka 0-100 rata-rata bawahan; kosong semua: tidak ada", "number"),
)
FIRST_ROW = 3
_EXAMPLE_INDICATORS = (
    {"name": "Pasien dilayani", "target": 1200, "realisation": 1320, "kind": "count", "main": "ya", "unit": "pasien"},
    {"name": "Rata-rata waktu layanan", "target": 30, "realisation": 27, "kind": "time", "main": "ya", "unit": "menit"},
)


def _dimension_label(dim: str) -> str:
    """A BerAKHLAK value as the sheet shows it (``berorientasi_pelayanan`` -> ``Berorientasi Pelayanan``)."""
    return dim.replace("_", " ").title()


def _letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(k + 1)


def write_person_template(path: str | Path) -> Path:
    """Write the fill-in workbook for one person to ``path``; never overwrites a file."""
    from openpyxl import Workbook

    from simulate.xlsx import check_new_template, choice_list, header_style, note_style, save_whole

    path = check_new_template(path)
    (bold, fill), (note_font, note_align) = header_style(), note_style()

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["person"]
    for k, text in enumerate(("Isian", "Nilai", "Yang boleh diisi")):
        cell = ws.cell(1, k + 1, text)
        cell.font, cell.fill = bold, fill
    for r, f in enumerate(FIELDS, start=2):
        ws.cell(r, 1, f.label)
        ws.cell(r, 2, f.example if f.example != "(kosongkan)" else None)
        note = ws.cell(r, 3, f.allows)
        note.font, note.alignment = note_font, note_align
        if f.choices and len(",".join(f.choices)) < 250:
            choice_list(ws, f"B{r}", f.choices, f.allows)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 52, 18, 60
    ws.freeze_panes = "B2"

    for key, columns, rows in (("indicators", INDICATOR_COLUMNS, _EXAMPLE_INDICATORS),
                               ("behaviour", BEHAVIOUR_COLUMNS,
                                [{"dimension": _dimension_label(d), "supervisor": 85} for d in BEHAVIOUR_DIMENSIONS])):
        ws = wb.create_sheet(SHEETS[key])
        for k, col in enumerate(columns):
            head = ws.cell(1, k + 1, col.header)
            head.font, head.fill = bold, fill
            note = ws.cell(2, k + 1, col.allows)
            note.font, note.alignment = note_font, note_align
            ws.column_dimensions[_letter(k)].width = col.width
            if col.choices:
                choice_list(ws, f"{_letter(k)}{FIRST_ROW}:{_letter(k)}{FIRST_ROW + 19}", col.choices, col.allows)
        for r, values in enumerate(rows, start=FIRST_ROW):
            for k, col in enumerate(columns):
                if col.key in values:
                    ws.cell(r, k + 1, values[col.key])
        ws.row_dimensions[2].height = 45
        ws.freeze_panes = f"B{FIRST_ROW}"
    return save_whole(wb, path)


def fill_person_workbook(path: str | Path, data: dict[str, Any]) -> Path:
    """Write the template to ``path`` and fill it with a person's mapping (as in a YAML file).

    Makes the shipped ``data/examples/person.xlsx`` from ``person.yaml``:
    ``python -m simulate.person_files data/examples/person.yaml data/examples/person.xlsx``.
    """
    from openpyxl import load_workbook

    person = validate_person(data, Path(path).name)  # only a valid person is written
    path = write_person_template(path)
    wb = load_workbook(path)
    ws = wb[SHEETS["person"]]
    for r, f in enumerate(FIELDS, start=2):
        value: Any = data
        for key in f.path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, bool):
            value = "ya" if value else "tidak"
        ws.cell(r, 2, value)
    ws = wb[SHEETS["indicators"]]
    ws.delete_rows(FIRST_ROW, ws.max_row)
    for r, ind in enumerate(data.get("indicators", []), start=FIRST_ROW):
        for k, col in enumerate(INDICATOR_COLUMNS):
            value = ind.get(col.key)
            ws.cell(r, k + 1, ("ya" if value else "tidak") if isinstance(value, bool) else value)
    ws = wb[SHEETS["behaviour"]]
    b = person.behaviour
    for r, dim in enumerate(BEHAVIOUR_DIMENSIONS, start=FIRST_ROW):
        ws.cell(r, 1, _dimension_label(dim))
        for k, source in enumerate(("supervisor", "peers", "subordinates"), start=2):
            ratings = getattr(b, source)
            ws.cell(r, k, None if ratings is None else ratings[dim])
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_person(path: str | Path) -> Person:
    """The person of a YAML or XLSX file; a :class:`~simulate.errors.ScenarioError` lists every problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from simulate.yamlio import read_yaml_mapping

        return validate_person(read_yaml_mapping(path, "person"), path.name)
    if suffix == ".xlsx":
        data, where = _read_workbook(path)
        return validate_person(data, path.name, where)
    raise UserError(f"--input: {path.name}: give a person file ending in .yaml, .yml or .xlsx "
                    "(kinerja template --person FILE.xlsx writes one to fill in)")


def _cell(value: Any, kind: str) -> Any:
    """A workbook cell as the model reads it: text trimmed, empty as None, ya/tidak as a bool,
    whole numbers in integer fields as int; anything else is left for the model to refuse."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if kind == "bool" and value.lower() in _YES + _NO:
            return value.lower() in _YES
        return value
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)  # a golongan or NIP typed as a number
    return value


def _read_workbook(path: Path) -> tuple[dict[str, Any], Any]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.is_file():
        raise UserError(f"--input: {path.name}: no such file")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise UserError(f"--input: {path.name} is not a readable Excel workbook (.xlsx): {exc}") from None
    missing = [s for s in SHEETS.values() if s not in book.sheetnames]
    if missing:
        book.close()
        raise ScenarioError(f"--input: {path.name}: no sheet {', '.join(repr(s) for s in missing)}; "
                            "make the workbook with kinerja template --person FILE.xlsx")
    sheets = {key: list(book[name].iter_rows(values_only=True)) for key, name in SHEETS.items()}
    book.close()
    places: dict[tuple, str] = {}
    problems: list[str] = []
    data: dict[str, Any] = {}

    def put(target: dict, keys: tuple[str, ...], value: Any) -> None:
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value

    # Pegawai: a field a row, found by its label in column A.
    sheet = SHEETS["person"]
    by_label = {f.label.lower(): f for f in FIELDS} | {".".join(f.path): f for f in FIELDS}
    for r, row in enumerate(sheets["person"][1:], start=2):
        label = str(row[0]).strip() if row and row[0] is not None else ""
        value = row[1] if len(row) > 1 else None
        if not label:
            if value not in (None, ""):
                problems.append(f"sheet {sheet!r}, row {r}, column A: a value without a label; the labels are the "
                                "template's (kinerja template --person)")
            continue
        f = by_label.get(label.lower())
        if f is None:
            problems.append(f"sheet {sheet!r}, row {r}, column A ({label!r}): unknown field; use the template's labels")
            continue
        places[f.path] = f"sheet {sheet!r}, row {r}, column B ({f.label})"
        value = _cell(value, f.kind)
        if value is not None:
            put(data, f.path, value)

    # Indikator and Perilaku: header row 1, allowed values row 2, data from row 3.
    for key, columns in (("indicators", INDICATOR_COLUMNS), ("behaviour", BEHAVIOUR_COLUMNS)):
        sheet, rows = SHEETS[key], sheets[key]
        headers = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        index = {}
        for k, header in enumerate(headers):
            col = next((c for c in columns if header.lower() in (c.header.lower(), c.key)), None)
            if col is not None:
                index[col.key] = k
            elif header:
                problems.append(f"sheet {sheet!r}, column {_letter(k)} ({header!r}): unknown column; the template's "
                                f"columns are {', '.join(c.header for c in columns)}")
        for col in columns:
            if col.key not in index and col.key in ("name", "target", "realisation", "dimension", "supervisor"):
                problems.append(f"sheet {sheet!r}: column {col.header!r} is missing")
        if problems:
            continue
        col_place = {c.key: f"column {_letter(index[c.key])} ({c.header})" for c in columns if c.key in index}
        if key == "indicators":
            items = []
            for r, row in enumerate(rows[FIRST_ROW - 1:], start=FIRST_ROW):
                cells = {c.key: _cell(row[index[c.key]] if index[c.key] < len(row) else None, c.kind)
                         for c in columns if c.key in index}
                if all(v is None for v in cells.values()):
                    continue
                i = len(items)
                places[("indicators", i)] = f"sheet {sheet!r}, row {r}"
                for c, place in col_place.items():
                    places[("indicators", i, c)] = f"sheet {sheet!r}, row {r}, {place}"
                items.append({c: v for c, v in cells.items() if v is not None})
            data["indicators"] = items
            places[("indicators",)] = f"sheet {sheet!r}"
        else:
            ratings: dict[str, dict[str, Any]] = {"supervisor": {}, "peers": {}, "subordinates": {}}
            for source in ratings:
                if source in col_place:
                    places[("behaviour", source)] = f"sheet {sheet!r}, {col_place[source]}"
            for r, row in enumerate(rows[FIRST_ROW - 1:], start=FIRST_ROW):
                cells = {c.key: _cell(row[index[c.key]] if index[c.key] < len(row) else None, c.kind)
                         for c in columns if c.key in index}
                if all(v is None for v in cells.values()):
                    continue
                dim = str(cells.get("dimension") or "").strip().lower().replace(" ", "_")
                if dim not in BEHAVIOUR_DIMENSIONS:
                    problems.append(f"sheet {sheet!r}, row {r}, {col_place['dimension']}: unknown value "
                                    f"{cells.get('dimension')!r}; the seven are {', '.join(BEHAVIOUR_DIMENSIONS)}")
                    continue
                for source in ratings:
                    if cells.get(source) is not None:
                        ratings[source][dim] = cells[source]
                        places[("behaviour", source, dim)] = f"sheet {sheet!r}, row {r}, {col_place[source]}"
            behaviour = data.setdefault("behaviour", {})
            for source, values in ratings.items():
                if values or source == "supervisor":
                    behaviour[source] = values
    if problems:
        raise ScenarioError(f"--input: {path.name}: {len(problems)} problem{'s' * (len(problems) > 1)}", problems)

    def where(loc: tuple) -> str | None:
        for n in range(len(loc), 0, -1):
            if tuple(loc[:n]) in places:
                return places[tuple(loc[:n])] + ("" if n == len(loc) else f" ({'.'.join(map(str, loc[n:]))})")
        if loc and loc[0] in ("behaviour",):
            return f"sheet {SHEETS['behaviour']!r}"
        return f"sheet {SHEETS['person']!r}" + (f" ({'.'.join(map(str, loc))})" if loc else "")

    return data, where


def template_command(args) -> int:
    """``kinerja template --person FILE.xlsx``: write the person workbook."""
    if not args.person:
        raise UserError("template: give FILE.xlsx (reform packages) or --person FILE.xlsx (one person's file)")
    if args.file:
        raise UserError("template: give either FILE.xlsx (reform packages) or --person FILE.xlsx, not both")
    path = write_person_template(args.person)
    print(f"Person template: {path} (fill in the sheets {', '.join(SHEETS.values())}, then "
          f"kinerja case SCENARIO --input {path.name})")
    return 0


if __name__ == "__main__":  # pragma: no cover - the maintainers' tool for data/examples/person.xlsx
    import sys

    from simulate.yamlio import read_yaml_mapping

    fill_person_workbook(sys.argv[2], read_yaml_mapping(Path(sys.argv[1]), "person"))
