"""Did-you-mean hints for names a person typed (one implementation for every message)."""

from __future__ import annotations

import difflib
from typing import Iterable

__all__ = ["did_you_mean", "hint"]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6, substring: bool = False) -> str | None:
    """The choice closest to ``word`` (:func:`difflib.get_close_matches`), or None.

    With ``substring``, a choice that contains ``word`` or is contained in it wins first (the
    shortest such choice): ``ikm`` suggests ``unit_ikm``.
    """
    choices = list(choices)
    word = str(word)
    if substring:
        contains = [c for c in choices if word and (word in c or c in word)]
        if contains:
            return sorted(contains, key=len)[0]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return close[0] if close else None


def hint(word: str, choices: Iterable[str], *, cutoff: float = 0.6, substring: bool = False, otherwise: str = "") -> str:
    """``"; did you mean 'x'?"`` for the closest choice, else ``otherwise``."""
    close = did_you_mean(word, choices, cutoff=cutoff, substring=substring)
    return f"; did you mean {close!r}?" if close else otherwise
