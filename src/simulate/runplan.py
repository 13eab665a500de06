"""What ``kinerja run FILE`` will do, assembled and checked before any folder is made.

``kinerja validate FILE`` and ``kinerja run FILE`` call the same function,
:func:`assemble_run`, so that validate refuses whatever run would refuse before its first draw,
and run finds every problem before it creates ``<out>/<scenario>/``:

1. the file's kind, decided from its own keys (:func:`file_kind`): a scenario, a policy file, a
   sweep file, a regional case or a reform-packages workbook; a policy file without ``policy:``
   or a sweep file without ``design:`` is checked as what it is, so the message names the key;
2. the scenario itself (:func:`simulate.assemble.load_scenario`: the schema, the policy files,
   every rule's own parameters), and the reform packages of ``--reforms``;
3. what only the run needs (:func:`run_problems`): the notebook exists and declares every
   parameter run passes (papermill's parameter inspection), the policy comparison has an arm
   with a reward scheme, a regional case has its region, ``objective_index`` weights name
   indicators the population holds;
4. the command-line options (language, executor, workers, the work budget), for run only.

Every refusal is one :class:`~simulate.errors.UserError` whose lines read ``field.path: message``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from simulate.errors import ScenarioError, UserError

__all__ = ["FILE_KINDS", "RunOptions", "RunPlan", "file_kind", "check_file", "assemble_run", "run_problems",
           "run_parameter_names"]

#: What a file given to ``kinerja validate`` can be.
FILE_KINDS: tuple[str, ...] = ("scenario", "policy", "sweep", "case", "reforms")

#: Parameters ``kinerja run`` gives every notebook (``policies`` too with ``--reforms``).
RUN_PARAMETERS: tuple[str, ...] = ("scenario_file", "replications", "seed", "executor", "workers", "scheduler",
                                   "lang", "out_dir", "periods")


def _kind_keys() -> dict[str, frozenset[str]]:
    """Top-level keys only one kind of file has (what tells the kinds apart)."""
    from simulate.policies.composed import POLICY_FILE_KEYS
    from simulate.regions.load import CASE_FILE_KEYS
    from simulate.scenario.schema import Scenario
    from simulate.sweep.spec import SweepSpec

    keys = {"scenario": set(Scenario.model_fields), "policy": set(POLICY_FILE_KEYS),
            "sweep": set(SweepSpec.model_fields), "case": set(CASE_FILE_KEYS)}
    return {kind: frozenset(own - set().union(*(v for k, v in keys.items() if k != kind))) for kind, own in keys.items()}


def file_kind(path: str | Path) -> str:
    """``'scenario'``, ``'policy'``, ``'sweep'``, ``'case'`` or ``'reforms'``, from what the file holds.

    A workbook (``.xlsx``) holds reform packages; a YAML file is the kind whose own keys (those
    no other kind has) it holds most of, a scenario when none or on a tie with a scenario's.
    A file that cannot be read is a scenario: loading it says what is wrong.
    """
    from simulate.yamlio import check_path_length, read_yaml_mapping

    path = Path(path)
    check_path_length(path, "FILE")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "reforms"
    try:
        if not path.is_file():
            return "scenario"
    except OSError:
        return "scenario"
    keys = {str(k) for k in read_yaml_mapping(path)}
    counts = {kind: len(keys & own) for kind, own in _kind_keys().items()}
    best = max(counts, key=lambda k: (counts[k], k == "scenario"))
    return best if counts[best] > counts["scenario"] else "scenario"


@dataclass(frozen=True)
class RunOptions:
    """The command-line options of ``kinerja run`` (the defaults are those of its parser)."""

    replications: int = 20
    seed: int | None = None
    executor: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    periods: int | None = None
    lang: str = "id"
    reforms: str | None = None
    force: bool = False

    @classmethod
    def from_args(cls, args: Any) -> "RunOptions":
        return cls(**{name: getattr(args, name, default) for name, default in cls().__dict__.items()})


@dataclass(frozen=True)
class RunPlan:
    """A run checked and ready: the scenario, the notebook and the parameters it will be given."""

    path: Path
    scenario: Any  #: :class:`~simulate.scenario.schema.Scenario`
    notebook: Path
    root_seed: int
    options: RunOptions
    packages: list[dict[str, Any]] | None = None  #: the reform packages (``--reforms``), as scenario policies
    parameters: dict[str, Any] = field(default_factory=dict)  #: the notebook's parameters but ``out_dir``

    def notebook_parameters(self, out_dir: Path) -> dict[str, Any]:
        return {**self.parameters, "out_dir": str(Path(out_dir).resolve())}


def _not_a_scenario(path: Path, kind: str) -> UserError:
    what = {"case": ("a regional case file (what the case compares and claims)",
                     f"run the case's preset: kinerja run params/regions/{path.stem}.yaml"),
            "policy": ("a policy file (one scoring rule)",
                       f"name it in a scenario: policies: [{{file: {path.name}}}]"),
            "sweep": ("a sweep file", f"run it with kinerja sweep {path}"),
            "reforms": ("a reform-packages workbook", f"give it to a scenario: kinerja run SCENARIO --reforms {path}")}
    noun, how = what[kind]
    return UserError(f"{path}: {noun}, not a scenario; {how}")


def assemble_run(scenario: str | Path, options: RunOptions | None = None) -> RunPlan:
    """Check everything ``kinerja run`` checks before its first draw and return the plan.

    ``options`` None checks the file alone (``kinerja validate``): what does not depend on the
    command line. Raises :class:`UserError` (one line per problem) and writes nothing.
    """
    from simulate.assemble import load_scenario
    from simulate.notebook_registry import NOTEBOOKS
    from simulate.scenario import resolve_scenario_path

    given = options or RunOptions()
    path = resolve_scenario_path(scenario)
    kind = file_kind(path)
    if kind != "scenario":
        raise _not_a_scenario(path, kind)
    sc = load_scenario(path)
    packages = None
    if given.reforms:  # reform packages from a workbook replace the scenario's arms
        from simulate.reforms import apply_reforms, read_reforms

        sc = apply_reforms(sc, read_reforms(given.reforms), Path(given.reforms).name)
        packages = [p.model_dump(mode="json") for p in sc.policies]
    problems = run_problems(sc, reforms=packages is not None)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise ScenarioError(f"{path}: {len(problems)} {noun}", problems)
    if options is not None:
        _check_options(sc, options)
    root_seed = sc.seed if given.seed is None else given.seed
    parameters: dict[str, Any] = {
        "scenario_file": str(path.resolve()), "replications": given.replications, "seed": root_seed,
        "executor": given.executor, "workers": given.workers or 0, "scheduler": given.scheduler or "",
        "lang": given.lang, "periods": given.periods or 0,
    }
    if packages is not None:
        parameters["policies"] = packages
    return RunPlan(path=path, scenario=sc, notebook=NOTEBOOKS[sc.notebook].path, root_seed=root_seed,
                   options=given, packages=packages, parameters=parameters)


def _check_options(sc: Any, options: RunOptions) -> None:
    from simulate.budget import check_budget, estimate_work
    from simulate.experiment import check_executor, machine_cores
    from simulate.report import check_language

    try:
        check_language(options.lang)
    except ValueError as exc:
        raise UserError(f"--{exc}") from None
    check_executor(options.executor, options.workers, options.scheduler)
    workers = 1 if options.executor == "local" else (options.workers or machine_cores())
    work = estimate_work([(sc.population.n_employees, options.periods or sc.dynamics.periods,
                           max(1, len(sc.policies)))], options.replications, workers)
    check_budget(work, options.force, "--replications x --periods")


# --------------------------------------------------------------------------------------------
# What only a run needs
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def run_parameter_names(notebook: Path) -> frozenset[str] | None:
    """The parameters a notebook declares (papermill's inspection of its ``parameters`` cell), or
    None when the file is missing or not a notebook papermill can read."""
    import papermill as pm

    quiet = logging.getLogger("papermill")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # papermill warns about comment lines it cannot parse
    try:
        return frozenset(pm.inspect_notebook(str(notebook)))
    except Exception:  # noqa: BLE001 - any unreadable notebook is the same refusal
        return None
    finally:
        quiet.setLevel(level)


def _notebook_problems(sc: Any, reforms: bool) -> list[str]:
    from simulate.notebook_registry import NOTEBOOKS

    nb = NOTEBOOKS[sc.notebook]  # the schema admits registered names only
    if not nb.path.is_file():
        return [f"notebook: the file of notebook {sc.notebook!r} is missing: {nb.path}"]
    declared = run_parameter_names(nb.path)
    if declared is None:
        return [f"notebook: {nb.path.name} is not a notebook papermill can read"]
    missing = [p for p in (*RUN_PARAMETERS, *(("policies",) if reforms else ())) if p not in declared]
    if missing:
        return [f"notebook: {sc.notebook!r} ({nb.file}) does not take the parameters kinerja run passes "
                f"({', '.join(missing)}); run it with papermill, or choose a notebook kinerja list shows"]
    return []


def _weights_problems(rule: str, params: dict[str, Any], where: str, known: list[str]) -> list[str]:
    """``objective_index`` weights (also as another policy's base) naming no indicator the population holds."""
    from simulate.hints import hint

    problems = []
    if rule == "objective_index":
        for name in (params.get("weights") or {}):
            if name not in known:
                extra = hint(str(name), known, cutoff=0.5, otherwise=f"; known: {', '.join(known)}")
                problems.append(f"{where}.weights.{name}: no indicator of that name in work.indicators{extra}")
    base = params.get("base")
    if isinstance(base, str) and isinstance(params.get("base_params"), dict):
        problems += _weights_problems(base, params["base_params"], f"{where}.base_params", known)
    return problems


def _region_problems(sc: Any) -> list[str]:
    """The regional-cases notebook runs the case of the scenario's region: its arms and variants."""
    from simulate.assemble import scenario_from_dict
    from simulate.regions import region_for
    from simulate.yamlio import deep_merge

    try:
        region = region_for(sc)
    except UserError as exc:
        return [f"name: the regional-cases notebook needs a region: {exc.message}"]
    names = {p.name for p in sc.policies}
    missing = sorted({a.policy for a in region.arms} - names)
    if missing:
        return [f"policies: the {region.name} case compares {', '.join(missing)}, which the scenario does not list "
                f"(it lists {', '.join(sorted(names))})"]
    problems, base = [], sc.model_dump(mode="json")
    for variant in region.variants[1:]:
        try:
            scenario_from_dict(deep_merge(base, variant.overrides), source=f"variant {variant.key}")
        except ScenarioError as exc:
            problems += [f"{p} (with the {region.name} case's variant {variant.key!r})" for p in exc.problems or [exc.message]]
    return problems


def run_problems(sc: Any, reforms: bool = False) -> list[str]:
    """What a valid scenario still lacks for ``kinerja run``: one ``field.path: message`` line each."""
    problems = _notebook_problems(sc, reforms)
    if sc.notebook == "policy-comparison":
        if not any(p.rewards if p.rewards is not None else sc.rewards for p in sc.policies):
            problems.append("rewards: the policy comparison needs a reward scheme (TPP, angka kredit, career) for at "
                            "least one arm; list one in rewards: or in an arm's policies[].rewards")
    if sc.notebook == "regional-cases":
        problems += _region_problems(sc)
    known = sorted(sc.work.indicators)  # the evidence lists every indicator, whatever kinds the population has
    for i, spec in enumerate(sc.policies):
        problems += _weights_problems(spec.rule, dict(spec.params), f"policies[{i}].params", known)
    return problems


# --------------------------------------------------------------------------------------------
# kinerja validate
# --------------------------------------------------------------------------------------------


def check_file(path: str | Path) -> str:
    """Check one file as what it is and say so in one line (what ``kinerja validate`` prints)."""
    path = Path(path)
    kind = file_kind(path)
    if kind == "policy":
        from simulate.policies.composed import load_policy_file

        name, rule, _ = load_policy_file(path)
        return f"{path}: valid policy '{name}' (rule {rule})"
    if kind == "sweep":
        from simulate.sweep import load_sweep

        return f"{path}: valid sweep: {load_sweep(path).describe()}"
    if kind == "case":
        from simulate.regions.load import check_case_file

        region, preset = check_case_file(path)
        return (f"{path}: valid regional case '{region.key}' ({len(region.variants)} variants, "
                f"{len(region.arms)} arms, {len(region.claims)} claims; preset '{preset.name}')")
    if kind == "reforms":
        from simulate.reforms import read_reforms

        packages = read_reforms(path)
        return f"{path}: valid reform packages: {', '.join(p['name'] for p in packages)}"
    sc = assemble_run(path).scenario
    return (f"{path}: valid scenario '{sc.name}' ({sc.population.n_employees:,} ASN, "
            f"{sc.appraisal.period_months}-month period, seed {sc.seed})")
