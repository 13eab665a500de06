"""What every workbook the project writes shares: the header look, a drop-down list of allowed
values, the checks before a template is written, and a save that leaves no half-written file."""

from __future__ import annotations

from pathlib import Path

from simulate.errors import UserError

__all__ = ["HEADER_FILL_COLOR", "header_style", "note_style", "choice_list", "check_new_template", "save_whole"]

#: Fill of every header row (a light blue).
HEADER_FILL_COLOR = "DCE6F1"


def header_style():
    """``(font, fill)`` of a header cell."""
    from openpyxl.styles import Font, PatternFill

    return Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL_COLOR)


def note_style():
    """``(font, alignment)`` of the 'allowed values' notes beside or under the cells to fill."""
    from openpyxl.styles import Alignment, Font

    return Font(italic=True, color="666666", size=9), Alignment(wrap_text=True, vertical="top")


def choice_list(ws, cells: str, choices, error: str) -> None:
    """A drop-down of ``choices`` on ``cells`` (e.g. ``"B3:B200"``) that refuses anything else with ``error``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showErrorMessage=True, error=error[:250])  # Excel's limit on the message
    dv.add(cells)
    ws.add_data_validation(dv)


def check_new_template(path: str | Path) -> Path:
    """Refuse a template target that is not ``.xlsx``, already exists (never overwritten) or has no folder."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path}: the template is an Excel workbook; give a name ending in .xlsx")
    if path.exists():
        raise UserError(f"{path}: already exists; kinerja template never overwrites a file")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such folder")
    return path


def save_whole(wb, path: str | Path) -> Path:
    """Save ``wb`` under a hidden temporary name, then rename it into place (no half-written file)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path
