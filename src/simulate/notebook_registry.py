"""The suite's notebooks: the one list the command line, the scenario schema and the tests read.

A scenario's ``notebook:`` key names an entry here; ``kinerja run`` executes that entry's file and
``kinerja list`` prints every entry. The ``.ipynb`` files under ``notebooks/`` are authored in
JupyterLab and committed without outputs; each file is registered here and each entry has a file.

This module imports nothing from the rest of the package but where files are, so the scenario schema can check
``notebook:`` against it without importing the notebook support (which imports the schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulate.resources import notebooks_dir

__all__ = ["NOTEBOOKS", "Notebook"]



@dataclass(frozen=True)
class Notebook:
    """One registered notebook.

    Parameters
    ----------
    name : str
        The name a scenario's ``notebook:`` key uses (e.g. ``"policy-comparison"``).
    file : str
        The file name under ``notebooks/``.
    purpose : str
        What the notebook is for, in one line (printed by ``kinerja list``).
    """

    name: str
    file: str
    purpose: str

    @property
    def path(self) -> Path:
        """The notebook's file (in the checkout, or shipped with the package)."""
        return notebooks_dir() / self.file


#: The suite's notebooks by name, in the order of their numbered files.
NOTEBOOKS: dict[str, Notebook] = {nb.name: nb for nb in (
    Notebook("policy-comparison", "01-policy-comparison.ipynb",
             "a scenario's scoring policies compared on one synthetic civil service"),
    Notebook("regional-cases", "02-regional-cases.ipynb",
             "a regional case of the seed articles: its system against the counterfactual, claim by claim"),
    Notebook("indicator-objectivity", "03-indicator-objectivity.ipynb",
             "how objective one indicator is: validity and variance shares as contamination rises, the decision "
             "study, and where it fails"),
    Notebook("real-data", "05-real-data.ipynb",
             "rater effects in your own appraisal export (pseudonymised), and a simulate-estimate recovery check"),
    Notebook("classic-models", "06-classic-models.ipynb",
             "the classic appraisal simulations (Scullen 2005, Martell 1996, stack ranking) beside their published "
             "patterns, and their Indonesian variants"),
)}
