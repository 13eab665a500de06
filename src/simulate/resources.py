"""Where the files that ship with the package are: scenario presets, notebooks, reference tables.

An installed wheel carries them inside the package (``simulate/_params``, ``simulate/_notebooks``,
``simulate/_reference``: see ``pyproject.toml``); a checkout installed in editable mode reads the
repository's own ``params/``, ``notebooks/`` and ``data/reference/`` beside ``src/``. This module
is the one place that knows both layouts.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["params_dir", "notebooks_dir", "reference_dir", "checkout_root"]

_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The repository root when the package runs from a checkout (``src/simulate``), else None."""
    root = _PACKAGE.parent.parent
    return root if _PACKAGE.parent.name == "src" and (root / "pyproject.toml").is_file() else None


def _find(shipped: str, in_checkout: str) -> Path:
    candidates = [_PACKAGE / shipped]
    root = checkout_root()
    if root is not None:
        candidates.append(root / in_checkout)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{in_checkout} not found (looked in {', '.join(map(str, candidates))})")


def params_dir() -> Path:
    """The scenario presets: ``baseline.yaml``, ``presets/``, ``regions/``, ``policies/``, ``sweeps/``."""
    return _find("_params", "params")


def notebooks_dir() -> Path:
    """The suite's notebooks."""
    return _find("_notebooks", "notebooks")


def reference_dir() -> Path:
    """The regulation tables (CSV files with their sources)."""
    return _find("_reference", "data/reference")
