"""The notebooks are authored files: registered, committed clean, thin, and valid nbformat v4.

They are edited in JupyterLab, so nothing regenerates them; these checks are what keeps a hand
edit from committing outputs, a second ``parameters`` cell or logic that belongs in ``simulate``.
"""

from __future__ import annotations

import ast
import json

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from simulate.cli import main
from simulate.errors import ScenarioError
from simulate.notebook_registry import NOTEBOOKS
from simulate.resources import notebooks_dir

NOTEBOOK_DIR = notebooks_dir()
from simulate.assemble import scenario_from_dict

ON_DISK = sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb"))
REGISTERED = [nb.file for nb in NOTEBOOKS.values()]
#: Every notebook either side knows of, so that each check also runs on an unregistered file.
FILES = sorted(set(ON_DISK) | set(REGISTERED))


def _raw(file: str) -> dict:
    """The notebook's JSON as committed (not upgraded or repaired by nbformat)."""
    return json.loads((NOTEBOOK_DIR / file).read_text(encoding="utf-8"))


def _code_cells(file: str) -> list[dict]:
    return [c for c in _raw(file)["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def _syntax_tree(cell: dict) -> ast.Module:
    # IPython syntax (%magics, !shell) becomes plain Python first, as the kernel would run it.
    return ast.parse(TransformerManager().transform_cell(_source(cell)))


def test_every_file_is_registered_and_every_entry_has_a_file():
    assert len(set(REGISTERED)) == len(REGISTERED), "two entries name the same file"
    assert sorted(REGISTERED) == ON_DISK, (f"unregistered: {sorted(set(ON_DISK) - set(REGISTERED))}; "
                                           f"missing files: {sorted(set(REGISTERED) - set(ON_DISK))}")


def test_every_entry_is_named_by_its_key_and_says_its_purpose():
    for name, nb in NOTEBOOKS.items():
        assert nb.name == name
        assert nb.purpose.strip() and "\n" not in nb.purpose, name
        assert nb.path.parent == NOTEBOOK_DIR and nb.path.suffix == ".ipynb", name


@pytest.mark.parametrize("file", FILES)
def test_is_valid_nbformat_v4(file):
    raw = _raw(file)
    assert raw["nbformat"] == 4
    nbformat.validate(nbformat.from_dict(raw))


@pytest.mark.parametrize("file", FILES)
def test_is_committed_without_outputs(file):
    for cell in _code_cells(file):
        assert cell.get("outputs") == [], f"{file}: cell {cell.get('id')} has outputs"
        assert "execution_count" in cell and cell["execution_count"] is None, \
            f"{file}: cell {cell.get('id')} has an execution count"


@pytest.mark.parametrize("file", FILES)
def test_has_exactly_one_parameters_cell(file):
    tagged = [c for c in _raw(file)["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{file}: {len(tagged)} cells tagged 'parameters'"


@pytest.mark.parametrize("file", FILES)
def test_imports_its_logic_from_simulate(file):
    modules = set()
    for cell in _code_cells(file):
        for node in ast.walk(_syntax_tree(cell)):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
    assert any(m == "simulate" or m.startswith("simulate.") for m in modules), f"{file}: nothing from simulate"


@pytest.mark.parametrize("file", FILES)
def test_defines_no_functions_or_classes(file):
    for cell in _code_cells(file):
        defined = [f"{node.name} (line {node.lineno})" for node in ast.walk(_syntax_tree(cell))
                   if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        assert not defined, f"{file}: cell {cell.get('id')} defines {', '.join(defined)}; move it into simulate"


def test_a_scenario_can_name_only_a_registered_notebook():
    assert scenario_from_dict({"notebook": "regional-cases"}).notebook == "regional-cases"
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict({"notebook": "policy-comparisons"})
    assert err.value.problems == [f"notebook: unknown notebook 'policy-comparisons'; allowed: {', '.join(NOTEBOOKS)}"]


def test_kinerja_list_shows_every_registered_notebook(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name, nb in NOTEBOOKS.items():
        assert f"notebooks/{nb.file}" in out and name in out and nb.purpose in out
