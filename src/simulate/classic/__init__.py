"""Classic appraisal simulations, reimplemented (DESIGN 3.10; ``kinerja classic NAME``).

- ``scullen2005``: forced distribution with firing (Scullen, Bergey & Aiman-Smith 2005);
  ``scullen2005_id``: the same with the 2022 curve and the PP 30/2019 path to dismissal;
- ``martell1996``: a small rating bias compounding up a pyramid (Martell, Lane & Emrich 1996);
  ``martell1996_id``: on the pelaksana -> pengawas -> administrator -> JPT ladder;
- ``stack_ranking``: how often a forced curve misrates people by group size;
  ``stack_ranking_id``: the 2022 curve of a unit rated Baik.

Every model has the same entry point, ``MODELS[name].run(factors, size, seed)``, returning a
result with ``to_json()`` (the structure printed by ``--json``) and ``table()``.
"""

from __future__ import annotations

from simulate.classic import (
    martell1996,
    martell1996_id,
    scullen2005,
    scullen2005_id,
    stack_ranking,
    stack_ranking_id,
)
from simulate.classic.common import ClassicModel, Factor
from simulate.classic.command import add_parser

__all__ = ["MODELS", "ClassicModel", "Factor", "add_parser", "run"]

#: The classic models by name, originals first, each followed by its Indonesian variant.
MODELS: dict[str, ClassicModel] = {m.name: m for m in (
    scullen2005.MODEL, scullen2005_id.MODEL, martell1996.MODEL, martell1996_id.MODEL,
    stack_ranking.MODEL, stack_ranking_id.MODEL,
)}


def run(name: str, factors: dict | None = None, size: int | None = None, seed: int = 0):
    """Run the classic model ``name`` (``size`` defaults to the model's)."""
    from simulate.errors import UserError

    if name not in MODELS:
        raise UserError(f"no classic model {name!r}; choose one of " + ", ".join(MODELS))
    model = MODELS[name]
    return model.run(factors, model.default_size if size is None else size, seed)
