"""Read an appraisal export (CSV or Excel) into a checked, pseudonymised table of ratings.

One row per rating: employee, rater, rating; optionally period, dimension, unit, names, sex,
status and indicator columns (``indikator_*`` / ``indicator_*``). Indonesian and English headers
are recognised (:data:`COLUMNS`); ``columns`` maps any other header to a role. Every problem is
reported at once, one line each, naming the row as a spreadsheet counts it (the header is row
1) and the column; nothing is estimated until the file is clean. Identifiers are replaced by
keyed pseudonyms as they are read and names are dropped (:mod:`simulate.estimate.privacy`);
columns with no recognised role are never read into the table.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.errors import UserError
from simulate.estimate.privacy import pseudonymise

__all__ = ["COLUMNS", "SCALES", "LEVELS", "Ratings", "read_export", "parse_columns"]

#: Recognised headers for each role (compared after lower-casing and turning spaces and
#: hyphens into underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee": ("nip", "employee_id", "employee", "nip_pegawai", "id_pegawai", "pegawai"),
    "rater": ("nip_penilai", "rater_id", "rater", "id_penilai", "penilai", "nip_atasan"),
    "rating": ("nilai", "rating", "score", "skor"),
    "period": ("periode", "period", "tahun", "year"),
    "dimension": ("dimensi", "dimension", "aspek", "perilaku", "item"),
    "unit": ("unit_kerja", "unit", "opd"),
    "name": ("nama", "name", "nama_pegawai", "employee_name"),
    "rater_name": ("nama_penilai", "rater_name", "nama_atasan"),
    "sex": ("jenis_kelamin", "sex", "gender"),
    "status": ("status", "status_kepegawaian", "employment_status"),
}
REQUIRED = ("employee", "rater", "rating")
_INDICATOR = re.compile(r"^(indikator|indicator)_.+")

#: Rating scales: the numeric range each allows.
SCALES: dict[str, tuple[float, float]] = {"0-100": (0.0, 100.0), "1-5": (1.0, 5.0), "levels": (1.0, 3.0)}
#: The three PermenPANRB 6/2022 levels, as text, and the numbers they are coded as.
LEVELS: dict[str, float] = {
    "di bawah ekspektasi": 1.0, "sesuai ekspektasi": 2.0, "di atas ekspektasi": 3.0,
    "below expectation": 1.0, "meets expectation": 2.0, "above expectation": 3.0,
}
_MAX_PROBLEMS = 20


def _norm(header: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


@dataclass(frozen=True, eq=False)
class Ratings:
    """A checked export: pseudonymised identifiers, numeric ratings, no names."""

    frame: pd.DataFrame  #: employee, rater (pseudonyms), rating, and the optional roles present
    scale: str  #: one of :data:`SCALES`
    source: str  #: the file's name (no folder)
    indicators: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.frame)


def parse_columns(text: str | None) -> dict[str, str]:
    """``employee=NIP Pegawai,rater=NIP Atasan`` -> ``{"employee": "nip_pegawai", ...}``."""
    if not text:
        return {}
    out = {}
    for part in text.split(","):
        if "=" not in part:
            raise UserError(f"--columns: expected role=header pairs separated by commas, got {part.strip()!r}")
        role, header = (s.strip() for s in part.split("=", 1))
        if role not in COLUMNS:
            raise UserError(f"--columns: unknown role {role!r}; roles are {', '.join(COLUMNS)}")
        if not header:
            raise UserError(f"--columns: no header given for {role!r}")
        out[role] = _norm(header)
    return out


def _excel_column(k: int) -> str:
    name = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        name = chr(65 + r) + name
    return name


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a NIP typed as a number
    return str(value).strip()


def _read_table(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str | None]:
    """All cells as text; the sheet's name for workbooks (None for CSV)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not an export file")
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UserError(f"{path}: cannot read it as an Excel workbook ({type(exc).__name__}); "
                            "save it again as .xlsx") from None
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise UserError(f"--sheet: {path.name} has no sheet {sheet!r}; its sheets are "
                                f"{', '.join(repr(s) for s in book.sheetnames)}")
            ws = book[sheet] if sheet is not None else book.worksheets[0]
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            name = ws.title
        finally:
            book.close()
        numbers = [k + 1 for k, r in enumerate(rows) if any(c != "" for c in r)]  # spreadsheet rows
        if not numbers:
            raise UserError(f"{path.name}: sheet {name!r} is empty")
        width = max(len(rows[k - 1]) for k in numbers)
        table = [rows[k - 1] + [""] * (width - len(rows[k - 1])) for k in numbers]
        frame = pd.DataFrame(table[1:], columns=[str(h) for h in table[0]], index=numbers[1:], dtype=object)
        return frame, name
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:
            raise UserError(f"--sheet: {path.name} is a CSV file, which has no sheets")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise UserError(f"{path}: cannot read it ({exc.strerror or exc})") from None
        if not raw.strip():
            raise UserError(f"{path.name}: the file is empty")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
        first = text.splitlines()[0]
        sep = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first and "," not in first else ",")
        import io

        try:
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise UserError(f"{path.name}: not a readable CSV table ({str(exc).splitlines()[0]})") from None
        frame = frame.apply(lambda c: c.str.strip())
        frame.index = np.arange(len(frame)) + 2  # the spreadsheet's row numbers (the header is row 1)
        return frame[(frame != "").any(axis=1)], None
    raise UserError(f"{path.name}: unknown file type {suffix or '(none)'}; give a .csv or .xlsx export")


def _roles(headers: list[str], mapping: dict[str, str], where: str) -> tuple[dict[str, str], list[str]]:
    """Role -> original header, and the indicator headers."""
    normal = {_norm(h): h for h in headers}
    roles: dict[str, str] = {}
    for role, names in COLUMNS.items():
        if role in mapping:
            if mapping[role] not in normal:
                raise UserError(f"--columns: {where} has no column {mapping[role]!r} for {role!r}; its columns are "
                                f"{', '.join(repr(h) for h in headers)}")
            roles[role] = normal[mapping[role]]
            continue
        for name in names:
            if name in normal and normal[name] not in roles.values():
                roles[role] = normal[name]
                break
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        lines = [f"no column for the {r} (looked for {', '.join(COLUMNS[r])}); name it with --columns {r}=<header>"
                 for r in missing]
        raise UserError(f"{where}: a required column is missing", lines)
    used = set(roles.values())
    indicators = [h for h in headers if h not in used and _INDICATOR.match(_norm(h))]
    return roles, indicators


def _infer_scale(values: pd.Series) -> str:
    text = values.str.lower()
    if text.isin(list(LEVELS)).all():
        return "levels"
    num = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
    num = num[num.notna()]
    if num.empty:
        return "0-100"  # every value is then reported as not a number
    if ((num % 1 == 0) & num.between(1, 5)).all():
        return "1-5"
    if num.between(0, 100).all():
        return "0-100"
    raise UserError(f"rating: values range from {num.min():g} to {num.max():g}, which is not a known scale; "
                    f"give --scale ({', '.join(SCALES)})")


def read_export(path: str | Path, key: bytes, *, sheet: str | None = None, columns: dict[str, str] | None = None,
                scale: str | None = None) -> Ratings:
    """Read, check and pseudonymise one export (see the module docstring)."""
    path = Path(path)
    raw, sheet_name = _read_table(path, sheet)
    where = f"{path.name}" + (f", sheet {sheet_name!r}" if sheet_name else "")
    headers = [str(h) for h in raw.columns]
    roles, indicators = _roles(headers, columns or {}, where)
    row_number = raw.index.to_numpy()
    raw = raw.reset_index(drop=True)
    if raw.empty:
        raise UserError(f"{where}: no rows of ratings under the header")
    if scale is not None and scale not in SCALES:
        raise UserError(f"--scale: must be one of {', '.join(SCALES)}, got {scale!r}")

    def at(i: int, role_or_header: str) -> str:
        header = roles.get(role_or_header, role_or_header)
        col = f"column {_excel_column(headers.index(header))} ({header!r})" if sheet_name else f"column {header!r}"
        return f"row {row_number[i]}, {col}"

    problems: list[str] = []
    for role in ("employee", "rater"):
        empty = np.flatnonzero(raw[roles[role]].astype(str).str.len().to_numpy() == 0)
        problems += [f"{at(i, role)}: empty; every rating needs its {role}" for i in empty[:_MAX_PROBLEMS]]
    rating_text = raw[roles["rating"]].astype(str)
    used_scale = scale or _infer_scale(rating_text[rating_text != ""])
    low, high = SCALES[used_scale]
    if used_scale == "levels":
        rating = rating_text.str.lower().map(LEVELS)
        numeric = pd.to_numeric(rating_text, errors="coerce")
        rating = rating.fillna(numeric.where(numeric.isin([1.0, 2.0, 3.0])))
        allowed = "one of the three levels (di bawah / sesuai / di atas ekspektasi, or 1, 2, 3)"
    else:
        rating = pd.to_numeric(rating_text.str.replace(",", ".", regex=False), errors="coerce")
        allowed = f"a number from {low:g} to {high:g}"
    bad = np.flatnonzero(rating.isna().to_numpy() | ~rating.between(low, high).to_numpy() | ~np.isfinite(rating.fillna(0)))
    for i in bad[:_MAX_PROBLEMS]:
        got = rating_text.iloc[i]
        problems.append(f"{at(i, 'rating')}: {'empty' if got == '' else repr(got[:40])} is not {allowed}")
    for header in indicators:
        text = raw[header].astype(str)
        num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        wrong = np.flatnonzero((text != "").to_numpy() & ~np.isfinite(num.fillna(np.inf)).to_numpy())
        problems += [f"{at(i, header)}: {text.iloc[i][:40]!r} is not a number (indicator columns may be empty)"
                     for i in wrong[:_MAX_PROBLEMS]]
    keys = [roles[r] for r in ("employee", "rater", "period", "dimension") if r in roles]
    dup = raw.duplicated(subset=keys, keep=False).to_numpy() & np.isfinite(rating.fillna(np.nan).to_numpy())
    if dup.any():
        groups = raw[dup].groupby(keys, sort=False).groups
        for rows in list(groups.values())[:_MAX_PROBLEMS]:
            listed = ", ".join(str(row_number[int(i)]) for i in rows[:5])
            problems.append(f"{where}: rows {listed} are the same rating twice (same "
                            f"{', '.join(r for r in ('employee', 'rater', 'period', 'dimension') if r in roles)})")
    if problems:
        total = len(problems)
        shown = problems[:_MAX_PROBLEMS] + ([f"... and {total - _MAX_PROBLEMS} more"] if total > _MAX_PROBLEMS else [])
        raise UserError(f"{where}: {total} problem{'s' if total > 1 else ''} found; nothing was estimated", shown)

    frame = pd.DataFrame({
        "employee": pseudonymise(raw[roles["employee"]].astype(str), key, "E"),
        "rater": pseudonymise(raw[roles["rater"]].astype(str), key, "R"),
        "rating": rating.astype(float),
    })
    # The same person as employee and as rater gets related pseudonyms only through the key.
    self_rated = raw[roles["employee"]].astype(str).to_numpy() == raw[roles["rater"]].astype(str).to_numpy()
    for role in ("period", "dimension", "unit", "sex", "status"):
        if role in roles:
            frame[role] = raw[roles[role]].astype(str).replace("", "(kosong)")
    for header in indicators:
        frame[_norm(header)] = pd.to_numeric(raw[header].astype(str).str.replace(",", ".", regex=False), errors="coerce")
    notes = []
    dropped = [r for r in ("name", "rater_name") if r in roles]
    if dropped:
        notes.append("names dropped on import: " + ", ".join(repr(roles[r]) for r in dropped))
    ignored = [h for h in headers if h not in roles.values() and h not in indicators]
    if ignored:
        notes.append(f"{len(ignored)} other column(s) not read")
    if self_rated.any():
        frame = frame[~self_rated].reset_index(drop=True)
        notes.append(f"{int(self_rated.sum())} self-rating(s) (rater = employee) left out")
    if frame.empty:
        raise UserError(f"{where}: no ratings left after leaving out self-ratings")
    return Ratings(frame=frame, scale=used_scale, source=path.name, indicators=[_norm(h) for h in indicators],
                   notes=notes)
