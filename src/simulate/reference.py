"""Reference tables that come from regulations, loaded from ``data/reference/*.csv``.

Each CSV starts with ``#`` comment lines giving its source; the numbers are never retyped in
code. In an installed wheel the folder ships as ``simulate/_reference``; in a checkout the
package reads the repository's ``data/reference`` directly.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from simulate.resources import reference_dir

__all__ = ["reference_dir", "load_table", "table_path", "table_source", "list_tables"]


def _path(name: str) -> Path:
    """The table's file; a name that leads outside the allowed folders (:mod:`simulate.paths`: the
    reference tables, the scenario's folder, ``--allow-path``), as ``/abs/path`` or ``../x`` would,
    is refused before the file is opened."""
    from simulate.errors import ScenarioError
    from simulate.paths import check_inside

    path = reference_dir() / f"{name}.csv"
    try:
        path = check_inside(path, "reference table", shown=os.path.abspath(path))
    except ScenarioError as exc:
        raise KeyError(exc.message.removeprefix("reference table: ")) from None
    if not path.is_file():
        known = ", ".join(list_tables())
        raise KeyError(f"reference table {name!r} not found; known: {known}")
    return path


def list_tables() -> list[str]:
    return sorted(p.stem for p in reference_dir().glob("*.csv"))


@lru_cache(maxsize=None)
def _load(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", skipinitialspace=True)


def table_path(name: str) -> Path:
    """The file of reference table ``name`` (``KeyError`` when missing or outside the allowed folders)."""
    return _path(name)


def load_table(name: str) -> pd.DataFrame:
    """Return a copy of reference table ``name`` (the file stem)."""
    return _load(_path(name)).copy()


def table_source(name: str) -> str:
    """The ``# source:`` lines at the top of a reference table."""
    lines = []
    with _path(name).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
    return "\n".join(lines)
