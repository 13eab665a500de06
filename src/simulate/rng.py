"""The one place random number generators are made (SPEC 7).

Every stochastic function takes an argument ``rng`` accepting ``None``, an ``int``, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator`, and turns it into a
``Generator`` with :func:`as_generator`. Scoring, rewards and metrics never draw.
"""

from __future__ import annotations

from typing import Union

import numpy as np

RngLike = Union[None, int, np.integer, np.random.SeedSequence, np.random.Generator]

__all__ = ["RngLike", "as_generator", "spawn_seeds", "stream"]


def as_generator(rng: RngLike = None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``rng``.

    ``None`` gives fresh OS entropy; an ``int`` or ``SeedSequence`` gives a reproducible
    PCG64 generator; a ``Generator`` is returned as is (so callers share its stream).
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)):
        if rng < 0:
            raise ValueError(f"seed: must be >= 0, got {rng}")
        return np.random.default_rng(np.random.SeedSequence(int(rng)))
    if isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    raise TypeError(
        "rng: expected None, an int, a numpy SeedSequence or Generator, "
        f"got {type(rng).__name__}"
    )


def spawn_seeds(root: int | np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    """Spawn ``n`` independent child seed sequences from one root, in a fixed order.

    Replication ``i`` of an experiment always receives child ``i``, whatever executor runs
    it and however many workers there are.
    """
    if n < 0:
        raise ValueError(f"n: must be >= 0, got {n}")
    seq = root if isinstance(root, np.random.SeedSequence) else np.random.SeedSequence(int(root))
    return seq.spawn(n)


# Named streams give each stage of a replication its own generator, so adding draws to one
# stage (say citizens) does not shift the draws of another (say raters). The numbers are
# fixed forever: changing one changes every result.
_STREAMS = {
    "population": 1,
    "truth": 2,
    "work": 3,
    "citizens": 4,
    "raters": 5,
    "dynamics": 6,
    "calibration": 7,
    "example": 8,
}


def stream(seed: np.random.SeedSequence | int, name: str, period: int = 0) -> np.random.Generator:
    """A generator for stage ``name`` (and ``period``) derived from a replication's seed."""
    if name not in _STREAMS:
        raise ValueError(f"stream: unknown name {name!r}; known: {sorted(_STREAMS)}")
    base = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
    child = np.random.SeedSequence(
        entropy=base.entropy,
        spawn_key=tuple(base.spawn_key) + (_STREAMS[name], int(period)),
        pool_size=base.pool_size,
    )
    return np.random.default_rng(child)


def copy_generator(rng: np.random.Generator) -> np.random.Generator:
    """An independent generator in the same state as ``rng`` (it draws the same numbers next).

    Used to compose one period's shared draws with several policy arms: each arm continues the
    stream from the same point.
    """
    bit_generator = type(rng.bit_generator)()
    bit_generator.state = rng.bit_generator.state
    return np.random.Generator(bit_generator)
