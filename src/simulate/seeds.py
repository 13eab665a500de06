"""Replication seeds: child ``i`` of ``SeedSequence(root)``, as a list, one at a time, or lazily.

:class:`ReplicationSeeds` computes each seed when asked, so a run of any number of replications
holds none of them up front; the numbers are those of :func:`replication_seeds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Iterator

import numpy as np

from simulate.rng import spawn_seeds

__all__ = ["MANIFEST_SEEDS", "ReplicationSeeds", "manifest_seeds", "replication_seed", "replication_seeds"]


def replication_seed(root: int, replication: int) -> int:
    """Integer seed of replication ``i``: child ``i`` of ``SeedSequence(root)`` (as ``spawn`` makes it).

    Computed on its own, so a run never holds every replication's seed at once.
    """
    parent = np.random.SeedSequence(int(root))
    child = np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, int(replication)),
                                   pool_size=parent.pool_size)
    return int(child.generate_state(1, dtype=np.uint32)[0])


class ReplicationSeeds(Sequence):
    """The seeds of replications ``0..R-1`` as a lazy sequence: equal to :func:`replication_seeds`,
    computed when asked, in constant memory whatever ``R``."""

    def __init__(self, root: int, replications: int):
        self.root, self.replications = int(root), int(replications)

    def __len__(self) -> int:
        return self.replications

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [replication_seed(self.root, i) for i in range(*index.indices(self.replications))]
        i = index + self.replications if index < 0 else index
        if not 0 <= i < self.replications:
            raise IndexError(index)
        return replication_seed(self.root, i)

    def __iter__(self) -> Iterator[int]:
        return (replication_seed(self.root, i) for i in range(self.replications))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReplicationSeeds):
            return (self.root, self.replications) == (other.root, other.replications)
        if isinstance(other, (list, tuple)):
            return len(other) == self.replications and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"ReplicationSeeds(root={self.root}, replications={self.replications})"


def replication_seeds(root: int, replications: int) -> list[int]:
    """Integer seeds of replications ``0..R-1``: child ``i`` of ``SeedSequence(root)``, fixed order."""
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in spawn_seeds(root, replications)]


#: Most replication seeds a manifest lists one by one; beyond, it records how to compute them.
MANIFEST_SEEDS = 100_000


def manifest_seeds(root: int, replications: int) -> list[int] | str:
    """What a manifest records of the replication seeds (the list, or the recipe for a huge run)."""
    if replications <= MANIFEST_SEEDS:
        return replication_seeds(root, replications)
    return (f"{replications:,} seeds: replication i has SeedSequence({int(root)}).spawn(R)[i]"
            ".generate_state(1, dtype=uint32)[0]")
