"""User-facing errors: one clear message, never a traceback (DESIGN section 9)."""

from __future__ import annotations

__all__ = ["UserError", "ScenarioError"]


class UserError(Exception):
    """An error caused by the user's input; the CLI prints its message and exits non-zero.

    ``problems`` holds one line per problem (a field path and what is allowed).
    """

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  {p}" for p in self.problems)


class ScenarioError(UserError, ValueError):
    """A scenario file that is missing, malformed or invalid."""
