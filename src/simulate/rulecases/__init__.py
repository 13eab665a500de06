"""Domain-readable rule cases: YAML files of (situation, inputs, expected outputs).

A case file is a YAML list of cases, each naming a rule from :data:`RULES`::

    - name: Both axes above expectation give Sangat Baik
      rule: permenpanrb_2022.predikat
      input: {hasil_kerja: di_atas, perilaku_kerja: di_atas}
      output: {predikat: sangat_baik}
      tolerance: 0.005        # optional, absolute, for numeric outputs

Only the outputs a case lists are checked. Numbers are compared within ``tolerance`` (default
1e-9), everything else exactly. :func:`run_files` prints one ``PASS``/``FAIL`` line per case and a
closing ``N passed, M failed`` line; it returns 0 when every case passes, 1 when any fails and 2
(with one message on stderr naming the file, the case and the field) for a malformed file, an
unknown rule or an unknown or ill-typed field (OpenFisca's YAML tests follow the same idea).

Run from the command line with ``python -m simulate.rulecases tests/rules`` (``--list`` shows
the rules with their inputs and outputs).

The package: ``fields`` (field types and checks), ``rules`` (the rules a case can name) and
``cases`` (loading and running case files); ``python -m simulate.rulecases FILE...`` runs files.
"""

from simulate.rulecases.cases import load_cases, main, run_files
from simulate.rulecases.fields import Field, Rule
from simulate.rulecases.rules import RULES, RuleInfo, list_rules

__all__ = ["Field", "Rule", "RuleInfo", "RULES", "list_rules", "load_cases", "run_files", "main"]
