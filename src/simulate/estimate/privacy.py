"""Personal data from real exports never reaches an output (UU 27/2022 on personal data protection).

Identifiers (NIP, rater NIP) are replaced on import by keyed hashes: HMAC-SHA256 with a secret
key kept in a file outside every output folder, so the same person gets the same pseudonym in
every export analysed with that key, and nobody without the key can go back from a pseudonym
to a NIP (a plain hash of an 18-digit NIP could be reversed by trying every plausible NIP).
Names are dropped on import. Tables by group suppress cells of fewer than
:data:`MIN_CELL` people.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.errors import UserError

__all__ = ["MIN_CELL", "default_key_file", "load_or_create_key", "save_key", "pseudonymise", "suppress_small"]

#: Smallest number of people a published cell may describe.
MIN_CELL = 5

_KEY_BYTES = 32


def default_key_file() -> Path:
    """``$KINERJA_KEY_FILE``, else ``$XDG_CONFIG_HOME/kinerja/pseudonym.key`` (``~/.config`` by default)."""
    env = os.environ.get("KINERJA_KEY_FILE")
    if env:
        return Path(env).expanduser()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "kinerja" / "pseudonym.key"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def load_or_create_key(path: Path | None, out_dir: Path) -> tuple[bytes, Path, bool]:
    """The secret key, its file, and whether it is new (then :func:`save_key` it once the input is clean).

    Refused when the key file would lie inside ``out_dir``: a key beside the pseudonyms would
    undo them.
    """
    path = Path(path) if path is not None else default_key_file()
    if _inside(path, out_dir):
        raise UserError(f"--key-file: the key must be kept outside the output folder {out_dir} "
                        f"(anyone holding both could recover the NIPs), got {path}")
    if path.is_dir():
        raise UserError(f"--key-file: {path} is a folder; give the key file's path")
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, UnicodeDecodeError, ValueError):
            key = b""
        if len(key) != _KEY_BYTES:
            raise UserError(f"--key-file: {path} is not a kinerja key file (64 hexadecimal characters)")
        return key, path, False
    return secrets.token_bytes(_KEY_BYTES), path, True


def save_key(key: bytes, path: Path) -> None:
    """Write a new key file readable by its owner only (mode 0600); never replaces one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    except OSError as exc:
        raise UserError(f"--key-file: cannot create the key file {path}: {exc.strerror or exc}") from None


def pseudonymise(values: pd.Series, key: bytes, prefix: str) -> pd.Series:
    """``prefix`` + the first 12 hex digits of HMAC-SHA256(key, value), one per distinct value.

    Hashing runs once per distinct identifier (a few thousand people), not per rating.
    """
    codes, uniques = pd.factorize(values, sort=False)
    digests = np.array([prefix + hmac.new(key, str(u).encode("utf-8"), hashlib.sha256).hexdigest()[:12]
                        for u in uniques], dtype=object)  # distinct people, not ratings
    return pd.Series(digests[codes], index=values.index, dtype=object)


def suppress_small(table: pd.DataFrame, count_column: str, value_columns: list[str]) -> pd.DataFrame:
    """Blank ``value_columns`` where ``count_column`` is below :data:`MIN_CELL` (the count stays, shown as "< 5")."""
    out = table.copy()
    small = out[count_column] < MIN_CELL
    for col in value_columns:
        out[col] = out[col].astype(float).where(~small)
    out[count_column] = out[count_column].astype(object).where(~small, f"< {MIN_CELL}")
    return out
