"""The ``kinerja classic NAME`` command: run one classic model, print a table or JSON."""

from __future__ import annotations

import argparse
import json
import textwrap

from simulate.errors import UserError

__all__ = ["add_parser", "cmd_classic"]

_SIZE_OPTIONS = ("organisations", "simulations", "people")


def _whole(name: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}: must be a whole number, got {text!r}") from None
        if value < (0 if name == "--seed" else 1):
            raise argparse.ArgumentTypeError(f"{name}: must be >= {0 if name == '--seed' else 1}, got {value}")
        return value
    return parse


def add_parser(sub) -> None:
    """Register ``kinerja classic``."""
    from simulate.classic import MODELS

    names = ", ".join(MODELS)
    lines = []
    for m in MODELS.values():
        keys = ", ".join(f"{f.name} ({','.join(str(v) for v in f.default)})" for f in m.factors)
        lines.append(textwrap.fill(f"{m.name}: {m.label}. --{m.size_option} (default {m.default_size}); "
                                   f"--set keys (defaults): {keys}", width=96, subsequent_indent="    "))
    p = sub.add_parser("classic", help="run a classic appraisal simulation (Scullen 2005, Martell 1996, stack ranking)",
                       description=f"Run a classic appraisal simulation. Models: {names}.",
                       epilog="\n\n".join(lines), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", metavar="NAME", choices=list(MODELS), help=f"the model: {names}")
    p.add_argument("--organisations", type=_whole("--organisations"), default=None,
                   help="organisations simulated (scullen2005*, default 1000)")
    p.add_argument("--simulations", type=_whole("--simulations"), default=None,
                   help="simulations run (martell1996*, default 100)")
    p.add_argument("--people", type=_whole("--people"), default=None,
                   help="people simulated per condition (stack_ranking*, default 100000)")
    p.add_argument("--seed", type=_whole("--seed"), default=0, help="root seed (default 0)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="set a factor, e.g. --set turnover=0.1 or --set reliability=0.5,0.9 (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_classic)


def cmd_classic(args: argparse.Namespace) -> int:
    from simulate.classic import MODELS
    from simulate.classic.common import apply_sets

    model = MODELS[args.name]
    for option in _SIZE_OPTIONS:
        if option != model.size_option and getattr(args, option) is not None:
            raise UserError(f"--{option}: {model.name} takes --{model.size_option}, not --{option}")
    levels = apply_sets(model, args.sets)
    size = getattr(args, model.size_option)
    result = model.run(levels, model.default_size if size is None else size, args.seed)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(result.table())
    return 0
