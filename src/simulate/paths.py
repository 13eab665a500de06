"""Which files a scenario may refer to: its own folder, the shipped files, and ``--allow-path``.

A scenario file names other files: ``extends:``, ``policies[].file``, a sweep's ``scenario:``,
a regional case's ``preset:`` and a TPP scheme's ``amounts_table:``. Each is resolved (symbolic
links and ``..`` followed) and must lie inside one of the allowed folders:

* the folder of the file the user named (the scenario, the sweep, the case), where the
  reference starts;
* the shipped presets and reference tables (:func:`simulate.resources.params_dir`,
  :func:`simulate.resources.reference_dir`, and the checkout's ``params/`` and
  ``data/reference/``);
* the folders the user names with ``--allow-path DIR`` (any number of times).

Anything else is refused by name before it is opened, so its content never reaches a run,
a manifest or a message. The ``--allow-path`` folders travel in the environment variable
:data:`ENV_VAR` (folders joined by ``os.pathsep``), which the command line sets and the notebook
kernel and the worker processes it starts inherit.
"""

from __future__ import annotations

import argparse
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterable, Iterator

from simulate.errors import ScenarioError

__all__ = ["ENV_VAR", "WHERE", "add_allow_path_option", "allow", "allowed_folders", "check_inside", "is_allowed",
           "scenario_folder", "set_allowed", "shipped_folders", "user_folders"]

#: The environment variable that carries the ``--allow-path`` folders to kernels and workers.
ENV_VAR = "KINERJA_ALLOW_PATH"
#: The allowed places, as every refusal names them.
WHERE = "(the scenario's folder, the shipped presets, --allow-path)"

#: What the environment held before the command line changed it (kept under every ``--allow-path``).
_INHERITED = os.environ.get(ENV_VAR, "")
#: The folder of the file being loaded (a scenario, sweep or case), while it is loaded.
_CURRENT: ContextVar[tuple[Path, ...]] = ContextVar("kinerja_scenario_folders", default=())


def _real(path: str | Path) -> Path:
    """``path`` made absolute with symbolic links and ``..`` resolved (the file need not exist)."""
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def shipped_folders() -> list[Path]:
    """The shipped presets and reference tables (the package's copies and the checkout's)."""
    from simulate import resources

    out: list[Path] = []
    for find in (resources.params_dir, resources.reference_dir):
        try:
            out.append(_real(find()))
        except FileNotFoundError:
            continue
    root = resources.checkout_root()
    if root is not None:
        out += [_real(root / "params"), _real(root / "data" / "reference")]
    return list(dict.fromkeys(out))


def user_folders() -> list[Path]:
    """The ``--allow-path`` folders (from :data:`ENV_VAR`)."""
    return [_real(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]


def allowed_folders(own: str | Path | Iterable[str | Path] | None = None) -> list[Path]:
    """Every allowed folder: ``own`` (the referring file's folder or folders), the folders of the
    files being loaded, the shipped ones and the user's."""
    if own is None:
        owns: list[str | Path] = []
    elif isinstance(own, (str, Path)):
        owns = [own]
    else:
        owns = list(own)
    return list(dict.fromkeys([*map(_real, owns), *_CURRENT.get(), *shipped_folders(), *user_folders()]))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def is_allowed(path: str | Path, own: str | Path | Iterable[str | Path] | None = None) -> bool:
    """True when ``path``, resolved, is inside one of :func:`allowed_folders`."""
    real = _real(path)
    return any(_inside(real, folder) for folder in allowed_folders(own))


def check_inside(path: str | Path, field: str, own: str | Path | Iterable[str | Path] | None = None,
                 shown: str | None = None) -> Path:
    """``path`` resolved, or a :class:`ScenarioError` naming ``field`` and the file when it lies
    outside the allowed folders. Nothing is read: call this before opening the file."""
    if is_allowed(path, own):
        return _real(path)
    name = shown if shown is not None else str(path)
    real = _real(path)
    also = f" (which is {real})" if str(real) != os.path.abspath(name) else ""
    raise ScenarioError(f"{field}: {name}{also} is outside the allowed folders {WHERE}; "
                        "name its folder with --allow-path DIR to use it")


@contextmanager
def scenario_folder(*paths: str | Path) -> Iterator[None]:
    """While inside, the folders of ``paths`` (files being loaded) are allowed too (for the
    tables their rules read while they are checked)."""
    token = _CURRENT.set((*_CURRENT.get(), *(_real(p) for p in paths)))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def set_allowed(folders: Iterable[str | Path]) -> None:
    """Make ``folders`` (with what the environment held at start) this process's ``--allow-path``
    folders, for it and the processes it starts."""
    values = [p for p in _INHERITED.split(os.pathsep) if p.strip()] + [str(_real(f)) for f in folders]
    if values:
        os.environ[ENV_VAR] = os.pathsep.join(dict.fromkeys(values))
    else:
        os.environ.pop(ENV_VAR, None)


def allow(*folders: str | Path) -> None:
    """Add ``folders`` to the allowed ones of this process and the processes it starts (a run's
    scenario folder, for the kernel and the workers that read its tables)."""
    current = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    os.environ[ENV_VAR] = os.pathsep.join(dict.fromkeys([*current, *(str(_real(f)) for f in folders)]))


def _folder(text: str) -> str:
    if not text.strip() or "\x00" in text:
        raise argparse.ArgumentTypeError(f"--allow-path: not a folder name: {text!r}")
    try:
        if not Path(text).is_dir():
            raise argparse.ArgumentTypeError(f"--allow-path: {text} is not a folder")
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"--allow-path: cannot use {text}: {exc.strerror}") from None
    return text


def add_allow_path_option(parser: argparse.ArgumentParser) -> None:
    """The ``--allow-path DIR`` option (repeatable) of every command that reads scenario files."""
    parser.add_argument("--allow-path", action="append", type=_folder, default=[], metavar="DIR",
                        help="a folder whose files the scenario may refer to (extends:, policies[].file, "
                             "amounts_table: ...), besides its own folder and the shipped presets; repeatable")
