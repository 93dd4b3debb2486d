"""The report's fixed costs taken off the critical path, outputs unchanged: figures drawn in one pass, dask kept out
of the command's process, ``compare`` loaded only for itself (figures drawn in a child process:
test_report_figure_worker.py)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

from movelab import plots  # noqa: E402
from movelab.report.figures import figure_png, spans_of  # noqa: E402


def _savefig_png(fig, dpi: int = 110) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _timeline_figure(analysis) -> Figure:
    fig = Figure(layout="constrained")
    plots.timeline_panels(analysis.angles, spans=spans_of(analysis.segmentation), findings=analysis.findings, fig=fig)
    return fig


def test_one_pass_figure_png_is_savefigs_png_byte_for_byte():
    """The report's figures (constrained layout, titles, legends, shaded reps, findings) come out exactly as
    ``savefig`` drew them with its extra layout pass."""
    analysis = synthetic_analysis()
    assert figure_png(_timeline_figure(analysis)) == _savefig_png(_timeline_figure(analysis))
    fig = Figure(figsize=(4.0, 3.0), layout="constrained")
    ax = fig.subplots()
    ax.plot(np.linspace(0, 1, 50), np.sin(np.linspace(0, 6, 50)), label="a line")
    ax.set_title("a title")
    ax.legend()
    twin = Figure(figsize=(4.0, 3.0), layout="constrained")
    ax2 = twin.subplots()
    ax2.plot(np.linspace(0, 1, 50), np.sin(np.linspace(0, 6, 50)), label="a line")
    ax2.set_title("a title")
    ax2.legend()
    assert figure_png(fig, dpi=80) == _savefig_png(twin, dpi=80)


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_keeping_dask_out_leaves_xarray_working_without_it():
    code = (
        "import json, sys\nfrom movelab._lazy import keep_dask_out\nkept = keep_dask_out()\n"
        "import numpy as np, xarray as xr\n"
        "a = xr.DataArray(np.arange(4.0), dims='time').astype('float32') * 2\n"
        "print(json.dumps({'kept': kept, 'sum': float(a.sum()), "
        "'dask': [m for m in sys.modules if m.startswith('dask') and sys.modules[m] is not None]}))"
    )
    assert _run(code) == {"kept": True, "sum": 12.0, "dask": []}


def test_dask_imported_before_is_left_alone():
    pytest.importorskip("dask")
    code = "import json, dask\nfrom movelab._lazy import keep_dask_out\nprint(json.dumps(keep_dask_out()))"
    assert _run(code) is False


def test_extract_loads_neither_compare_nor_dask(tmp_path):
    """``movelab extract`` (here on a missing file: its one-line error) loads no report or findings module, and
    sees dask as not installed; ``movelab compare`` still works (its own tests)."""
    code = (
        "import json, sys\nfrom movelab.cli import main\n"
        f"code = main(['extract', {str(tmp_path / 'missing.mp4')!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "print(json.dumps({'code': code, 'loaded': [m for m in ('movelab.report.compare', 'movelab.findings') "
        "if m in sys.modules], 'dask': [m for m in sys.modules if m.startswith('dask')]}))"
    )
    result = _run(code)
    # no dask module was loaded, and the marker of its absence is gone once the command returned
    assert result["code"] != 0 and result["loaded"] == [] and result["dask"] == []


def test_dask_kept_out_after_xarray_looked_for_it_leaves_xarray_working_and_comes_back():
    """xarray caches whether dask is installed (``module_available``) before it imports it; a command run later
    in the same process (a test, a notebook) kept dask out, and xarray then failed on ``dask.base`` ("'dask' is
    not a package") when it built the next index (2026-12-06: every fresh extraction in
    tests/test_fms_posture_video.py after an in-process ``movelab analyse``)."""
    pytest.importorskip("dask")
    code = (
        "import json, sys\nimport numpy as np, xarray as xr\n"
        "from xarray.namedarray.utils import module_available\nassert module_available('dask')\n"
        "assert 'dask' not in sys.modules\n"
        "from movelab._lazy import keep_dask_out, let_dask_back\nkept = keep_dask_out()\n"
        "ds = xr.Dataset(coords={'t': np.arange(4.0)})\nlet_dask_back(kept)\n"
        "ds2 = xr.Dataset(coords={'t': np.arange(5.0)})\n"
        "print(json.dumps({'kept': kept, 'sizes': [ds.sizes['t'], ds2.sizes['t']], "
        "'back': sys.modules.get('dask') is not None}))"
    )
    assert _run(code) == {"kept": True, "sizes": [4, 5], "back": True}


def test_the_extraction_module_loads_no_scipy_optimize():
    """A cached ``movelab analyse VIDEO`` imports the extraction to find its landmarks in the cache; the client
    tracker's assignment solver (scipy.optimize, 0.3 s of CPU) loads only when the tracker runs."""
    code = "import json, sys\nimport movelab.extraction\nprint(json.dumps('scipy.optimize' in sys.modules))"
    assert _run(code) is False
