"""Execute the notebooks and write their rendered copies, plots included, to docs/notebooks/.

Usage::

    python -m scripts.assets.render_notebooks                       # all of notebooks/*.ipynb (make notebooks)
    python -m scripts.assets.render_notebooks notebooks/03_gait_cycles.ipynb

Each notebook runs top to bottom in a fresh kernel (nbclient; its folder is the working directory, as in
Jupyter) and is exported with nbconvert to ``docs/notebooks/<name>.md`` with its figures in
``docs/notebooks/<name>_files/``: markdown and PNG files that a code host shows as they are. The notebooks in
``notebooks/`` stay without outputs (small diffs); the rendered copies are committed, and CI renders them
again from a clean clone. A cell that fails stops the run with a one-line message and exit code 1; the copy
of that notebook is left as it was.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scripts import ROOT

NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "docs" / "notebooks"
#: seconds one cell may take (the first analysis of a video builds the pose model's landmark cache)
CELL_TIMEOUT_S = 600


def render(path: Path, out: Path = OUT) -> Path:
    """Execute ``path`` and write ``out/<stem>.md`` with its figures in ``out/<stem>_files/``; returns the
    markdown's path. Written through a temporary folder, so a failure leaves the previous copy whole."""
    import nbclient
    import nbformat
    from nbconvert import MarkdownExporter

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    files_dir = f"{path.stem}_files"
    body, resources = MarkdownExporter().from_notebook_node(notebook, resources={"output_files_dir": files_dir})
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        staged = Path(tmp)
        (staged / files_dir).mkdir()
        for name, data in resources.get("outputs", {}).items():
            (staged / name).write_bytes(data)
        (staged / f"{path.stem}.md").write_text(_header(path) + body, encoding="utf-8")
        shutil.rmtree(out / files_dir, ignore_errors=True)
        (staged / files_dir).replace(out / files_dir)
        (staged / f"{path.stem}.md").replace(out / f"{path.stem}.md")
    return out / f"{path.stem}.md"


def _header(path: Path) -> str:
    source = path.relative_to(ROOT).as_posix()
    return (
        f"<!-- Rendered from {source} by `make notebooks` (python -m scripts.assets.render_notebooks); "
        "edit the notebook, not this file. -->\n\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to render (default: notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the copies go ({OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"render_notebooks: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    from nbclient.exceptions import CellExecutionError

    for path in paths:
        start = time.perf_counter()
        try:
            written = render(path, args.out)
        except CellExecutionError as error:
            last = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
            print(f"render_notebooks: {path.name} failed in a cell: {last}", file=sys.stderr)
            return 1
        print(
            f"{written.relative_to(ROOT) if written.is_relative_to(ROOT) else written}: "
            f"{time.perf_counter() - start:.0f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
