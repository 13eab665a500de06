"""Reference tables that come from regulations, loaded from ``data/reference/*.csv``.

Each CSV starts with ``#`` comment lines giving its source; the numbers are never retyped in
code. In an installed wheel the folder ships as ``simulate/_reference``; in a checkout the
package reads the repository's ``data/reference`` directly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from simulate.resources import reference_dir

__all__ = ["reference_dir", "load_table", "table_source", "list_tables"]


def _path(name: str) -> Path:
    path = reference_dir() / f"{name}.csv"
    if not path.is_file():
        known = ", ".join(list_tables())
        raise KeyError(f"reference table {name!r} not found; known: {known}")
    return path


def list_tables() -> list[str]:
    return sorted(p.stem for p in reference_dir().glob("*.csv"))


@lru_cache(maxsize=None)
def _load(name: str) -> pd.DataFrame:
    return pd.read_csv(_path(name), comment="#", skipinitialspace=True)


def load_table(name: str) -> pd.DataFrame:
    """Return a copy of reference table ``name`` (the file stem)."""
    return _load(name).copy()


def table_source(name: str) -> str:
    """The ``# source:`` lines at the top of a reference table."""
    lines = []
    with _path(name).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
    return "\n".join(lines)
