"""Reading parameter files: safe YAML, deep merges and ``extends:`` inheritance (one resolver).

YAML is loaded with a ``yaml.SafeLoader`` only: parameters are data, never code. Limits are
checked before any work, each refusal one line naming the file: the file's size
(:data:`MAX_FILE_BYTES`), its nesting depth (:data:`MAX_DEPTH`), what its aliases expand to
(:data:`MAX_ALIAS_EXPANSION`), duplicate keys, an empty file, over-long paths, and text that is
not Unicode (a lone surrogate such as ``"\\ud800"``, which no file name, report or JSON can hold).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from simulate.errors import ScenarioError

__all__ = ["MAX_EXTENDS_DEPTH", "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_ALIAS_EXPANSION", "MAX_PATH_CHARS",
           "MAX_NAME_CHARS", "deep_merge", "read_yaml_mapping", "load_with_extends", "parse_yaml", "check_path_length",
           "not_unicode"]

#: Levels of ``extends:`` a file may stack.
MAX_EXTENDS_DEPTH = 10
#: Largest parameter file read (bytes): the shipped ones are a few kilobytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deepest nesting of mappings and lists in a parameter file.
MAX_DEPTH = 50
#: Nodes that aliases (``*name``, ``<<: *name``) may add to a file beyond those written in it.
MAX_ALIAS_EXPANSION = 10_000
#: Longest path and longest path component (file name) accepted (the usual Linux limits).
MAX_PATH_CHARS = 4096
MAX_NAME_CHARS = 255


class _Refused(yaml.YAMLError):
    """A limit of :func:`parse_yaml` (depth, aliases, duplicate keys); ``problem`` is the message."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class _NoDuplicates:
    """Mixin of the loaders: a key given twice in one mapping is refused (not the last one kept)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # unhashable: the constructor's own error says so
                    continue
                if first is not key_node:
                    raise _Refused(f"duplicate key {key!r} (first at line {first.start_mark.line + 1}); "
                                   "give each key once", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


class _Loader(_NoDuplicates, yaml.SafeLoader):
    """``SafeLoader`` that refuses deep nesting, alias bombs and duplicate keys."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node



# YAML 1.2 numbers: ``1e-3`` and ``2E5`` are floats (YAML 1.1, PyYAML's default, reads them as
# text), and ``12:30`` is text (YAML 1.1 reads it as the base-60 number 750).
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                       r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _check_expansion(root: Any) -> None:
    """Refuse aliases that expand the document beyond :data:`MAX_ALIAS_EXPANSION` nodes, or loop."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    unique: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Refused("an alias refers to the mapping or list that contains it", node.start_mark)
        active.add(key)
        unique.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        if total - len(unique) > MAX_ALIAS_EXPANSION:
            raise _Refused(f"aliases expand the file beyond {MAX_ALIAS_EXPANSION:,} extra values; "
                           "write the values out or use extends:", node.start_mark)
        return total

    size(root)


if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(_NoDuplicates, yaml.CSafeLoader):  # type: ignore[misc]
        """libyaml's parser (several times faster) for texts that cannot nest deeply or alias."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
else:  # pragma: no cover
    _FastLoader = None  # type: ignore[assignment,misc]


def _surely_shallow(text: str) -> bool:
    """True when ``text`` has no anchors or aliases and cannot nest beyond :data:`MAX_DEPTH`.

    A generous upper bound of the depth: two levels per column of indentation, the dashes that
    open a line, and the deepest bracket nesting (brackets inside strings counted too).
    """
    if "&" in text or "*" in text:
        return False
    indent = dashes = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = max(indent, len(line) - len(stripped))
        n = 0
        while stripped.startswith("- ") or stripped == "-":
            n += 1
            stripped = stripped[2:].lstrip(" ")
        dashes = max(dashes, n)
    depth = flow = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            flow = max(flow, depth)
        elif ch in "]}":
            depth -= 1
    return 2 * (indent + 1) + dashes + flow <= MAX_DEPTH


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load`` with the limits of this module (raises ``yaml.YAMLError``).

    Texts that cannot break the limits are parsed by libyaml; the others by the pure-Python
    parser, which checks depth and aliases as it goes.
    """
    loader = _FastLoader(text) if _FastLoader is not None and _surely_shallow(text) else _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def check_path_length(path: str | Path, where: str) -> None:
    """Refuse a path longer than :data:`MAX_PATH_CHARS` or with a component over :data:`MAX_NAME_CHARS`."""
    text = str(path)
    if len(text) > MAX_PATH_CHARS:
        raise ScenarioError(f"{where}: path longer than {MAX_PATH_CHARS} characters ({len(text):,})")
    long = next((part for part in Path(text).parts if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_CHARS), None)
    if long is not None:
        raise ScenarioError(f"{where}: a file or folder name is longer than {MAX_NAME_CHARS} bytes "
                            f"({long[:20]}...)")


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base``: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def read_yaml_mapping(path: Path, what: str = "scenario") -> dict[str, Any]:
    """Read a YAML file safely into a mapping; every failure is one :class:`ScenarioError` line."""
    path = Path(path)
    check_path_length(path, f"{what} file")
    try:
        if not path.is_file():
            if path.exists():
                raise ScenarioError(f"{path}: not a file (a {what} file is a YAML file)")
            raise ScenarioError(f"{path}: {what} file not found")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: {what} file too large ({size / 2**20:.1f} MB; the limit is "
                                f"{MAX_FILE_BYTES // 2**20} MB)")
        with path.open("rb") as fh:  # read at most the limit, whatever stat said
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: {what} file too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: {what} file not found") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: cannot read the file: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    try:
        data = parse_yaml(text)
    except RecursionError:
        raise ScenarioError(f"{path}: malformed YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: malformed YAML{where}: {problem}") from None
    if data is None or data == {}:
        raise ScenarioError(f"{path}: the {what} file is empty" + (" ({} has no keys)" if data == {} else ""))
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a {what} must be a mapping of keys to values, got {type(data).__name__}")
    bad = not_unicode(data)
    if bad:
        raise ScenarioError(f"{path}: 1 problem", [f"{bad}: not valid Unicode text (a lone surrogate such as "
                                                   "\\ud800); write the character itself"])
    return data


def not_unicode(data: Any) -> str | None:
    """The field path of the first key or text in ``data`` that is not valid Unicode, else None."""
    from simulate.validation import field_path

    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        loc, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            here = (*loc, key)
            for text in (key, value):
                if isinstance(text, str):
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        return field_path(here) or "(top level)"
            if isinstance(value, (dict, list)):
                stack.append((here, value))
    return None



def load_with_extends(path: Path, seen: tuple[Path, ...] = (), root: Path | None = None) -> dict[str, Any]:
    """A YAML mapping with its ``extends:`` chain merged in (parents first, deep merge).

    ``extends:`` names a file relative to the one that says it; a cycle, a chain deeper than
    :data:`MAX_EXTENDS_DEPTH`, a missing parent or one outside the allowed folders
    (:mod:`simulate.paths`: ``root``, by default the first file's folder, the shipped presets,
    ``--allow-path``) is one :class:`ScenarioError`. The merged mapping keeps the child's
    ``extends`` value.
    """
    from simulate.paths import check_inside

    path = path.resolve()
    root = path.parent if root is None else root
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{path}: extends: circular inheritance ({chain})")
    if len(seen) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: extends: more than {MAX_EXTENDS_DEPTH} levels of inheritance")
    data = read_yaml_mapping(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: must be a file path, got {parent!r}")
    check_path_length(parent, f"{path}: extends")
    parent_path = (path.parent / parent)
    check_path_length(parent_path, f"{path}: extends")
    check_inside(parent_path, f"{path}: extends", root, shown=parent)  # before the file is opened
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {parent}")
    try:
        base = load_with_extends(parent_path, (*seen, path), root)
    except ScenarioError as exc:  # the parent itself unreadable: say which file's extends: named it
        about = f"{parent_path.resolve()}: "
        if not exc.message.startswith(about) or exc.message.startswith(about + "extends"):
            raise
        raise ScenarioError(f"{path}: extends: {exc.message}", exc.problems) from None
    merged = deep_merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["extends"] = parent
    return merged
