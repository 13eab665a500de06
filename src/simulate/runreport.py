"""A run's notebook executed with a progress bar, and its code-free HTML report (``kinerja run``)."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["progress_bar", "export_report", "execute_with_progress"]


def progress_bar(total: int, desc: str, enabled: bool):
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, unit="rep", disable=not enabled, file=sys.stderr, leave=False)
    return bar


def export_report(executed: Path, target: Path, lang: str) -> None:
    """A code-free HTML report from the executed notebook (setup and check cells removed)."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:  # progress bars and warnings are not for the reader
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"] if o.get("name") != "stderr"]
            for output in cell["outputs"]:  # a report has no kernel: widgets give way to their static copy
                output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
    nb.metadata.pop("widgets", None)
    tags = TagRemovePreprocessor(remove_cell_tags={"remove_cell", "injected-parameters"}, enabled=True)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(tags, enabled=True)
    from simulate.report import T

    # The notebook's own title (set by its builder), else the comparison's, in the report language.
    nb.metadata["title"] = nb.metadata.get("title_" + lang) or nb.metadata.get("title") or T("title", lang)
    body, _ = exporter.from_notebook_node(nb)
    import re

    body = re.sub(r"<html[^>]*>", f'<html lang="{lang}">', body, count=1)
    target.write_text(body, encoding="utf-8")


def _private_kernel_manager(folder: str):
    """A kernel manager that writes the kernel's connection file into ``folder`` (jupyter_client
    would otherwise make it with ``tempfile.mkstemp`` in the shared temporary folder)."""
    import os
    import uuid

    from jupyter_client import AsyncKernelManager

    class PrivateKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if not self.connection_file:
                self.connection_file = os.path.join(folder, f"kernel-{uuid.uuid4()}.json")

    return PrivateKernelManager


def execute_with_progress(notebook: Path, executed: Path, params: dict, folder: Path) -> None:
    """Run the notebook through papermill; meanwhile draw a bar of the replications it reports.

    The kernel's connection file (which holds its HMAC key) goes to a private folder made for
    this run and removed after it, whatever happens. When the wait is interrupted (Ctrl-C,
    SIGTERM: :mod:`simulate.interrupts`), the kernel and the processes it started are stopped
    before the exception goes on, so that nothing writes into the run folder once it is removed.
    """
    import os
    import shutil
    import tempfile
    import threading

    import papermill as pm

    from simulate.interrupts import children, stop_children
    from simulate.notebooks import read_progress

    failure: list[BaseException] = []

    def work() -> None:
        try:
            # The kernel's own log (e.g. its TCP transport warning) is not for the user.
            pm.execute_notebook(str(notebook), str(executed), parameters=params, kernel_name="python3",
                                cwd=str(Path.cwd()), progress_bar=False, log_output=False,
                                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                                kernel_manager_class=_private_kernel_manager(runtime))
        except BaseException as exc:  # re-raised in the main thread
            failure.append(exc)

    runtime = tempfile.mkdtemp(prefix="kinerja-kernel-")  # mode 0700: the key is this user's alone
    saved = os.environ.get("JUPYTER_RUNTIME_DIR")
    os.environ["JUPYTER_RUNTIME_DIR"] = runtime
    before = children()
    thread = threading.Thread(target=work, name="papermill", daemon=True)
    bar = progress_bar(params["replications"], "replications", sys.stderr.isatty())
    try:
        thread.start()
        while thread.is_alive():
            thread.join(timeout=0.5)
            progress = read_progress(folder)
            if progress is not None:
                bar.total = progress[1]
                bar.update(progress[0] - bar.n)
    except BaseException:
        stop_children(before)  # the kernel and its workers: nothing more is written into the folder
        thread.join(timeout=10)  # papermill sees the kernel gone and returns
        raise
    finally:
        bar.close()
        if saved is None:
            os.environ.pop("JUPYTER_RUNTIME_DIR", None)
        else:
            os.environ["JUPYTER_RUNTIME_DIR"] = saved
        shutil.rmtree(runtime, ignore_errors=True)
    if failure:
        raise failure[0]
