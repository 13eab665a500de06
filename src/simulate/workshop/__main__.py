"""``python -m simulate.workshop [--port N]`` (``make workshop``): serve the workshop as a page.

Voila runs ``notebooks/04-workshop.ipynb`` and shows its outputs without code, on this machine
only (127.0.0.1), with the template under ``page/`` (Voila's lab template without its links to a
font CDN), so the page works offline. The process becomes Voila (``exec``): stopping it stops
the server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from simulate.notebook_registry import NOTEBOOKS

PAGE = Path(__file__).resolve().parent / "page"
TEMPLATE = "kinerja"


def command(port: int) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment serving the workshop on ``port``."""
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        raise SystemExit("voila is not installed: make setup installs it (pyproject.toml lists it)")
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(PAGE), env.get("JUPYTER_PATH", "")) if p)
    cmd = [voila, str(NOTEBOOKS["workshop"].path), "--port", str(port), "--no-browser", "--Voila.ip=127.0.0.1",
           f"--template={TEMPLATE}", "--show_tracebacks=False"]
    return cmd, env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulate.workshop", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    args = parser.parse_args(argv)
    cmd, env = command(args.port)
    print(f"Workshop: open http://127.0.0.1:{args.port}/ in a browser (Ctrl-C stops it)", flush=True)
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
