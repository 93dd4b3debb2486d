"""The report's fixed costs taken off the critical path, outputs unchanged: figures drawn in one pass, the timeline
drawn in a forked process, dask kept out of the command's process, ``compare`` loaded only for itself."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from test_report import synthetic_analysis  # noqa: E402

import movelab.report.write as write_module  # noqa: E402
from movelab import plots  # noqa: E402
from movelab.io.outputs import BytesApart  # noqa: E402
from movelab.report import OUTPUT_FILES, write_outputs  # noqa: E402
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


@pytest.fixture
def forks(monkeypatch):
    """Counts the forks of this process (the test process, not the children) and lets the timeline go apart
    whatever the CPUs this test runs on."""
    made = []
    real_fork = os.fork

    def fork():
        made.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(write_module, "can_work_apart", lambda: True)
    return made


def test_the_timeline_drawn_apart_gives_the_same_files(tmp_path, forks):
    analysis = synthetic_analysis()
    here = write_outputs(analysis, tmp_path / "here")
    assert forks == []
    apart = write_outputs(analysis, tmp_path / "apart", timeline_apart=True)
    assert forks == [1]
    assert [f.name for f in apart] == [f.name for f in here] == list(OUTPUT_FILES[:4])
    for a, b in zip(here, apart):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_nothing_is_written_when_the_timeline_fails_apart(tmp_path, forks, monkeypatch):
    """The child's failure is the parent's: the timeline is drawn again here, raises the same error, and the
    output folder is not created."""

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(write_module, "timeline_png", broken)
    with pytest.raises(RuntimeError, match="no fonts"):
        write_outputs(synthetic_analysis(), tmp_path / "out", timeline_apart=True)
    assert forks == [1]
    assert not (tmp_path / "out").exists()


def test_bytes_made_apart_arrive_whole():
    parent = os.getpid()
    data = bytes(range(256)) * 4096  # 1 MB: many times a pipe's buffer
    import gc

    frozen = gc.get_freeze_count()
    made = BytesApart(lambda: data if os.getpid() != parent else b"made here")
    assert gc.get_freeze_count() > frozen  # this moment's objects out of collection while the child runs
    assert made.result() == data
    assert made.result() == data  # asked again: the same bytes, no second child
    assert gc.get_freeze_count() == frozen


def test_a_child_killed_leaves_the_work_to_this_process():
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return b"made here"

    with BytesApart(make) as made:
        assert made.result() == b"made here"


def test_a_child_stuck_is_killed_and_the_work_done_here():
    """A child that never finishes (as one stuck on a lock another thread held at the fork would) is killed
    after the timeout and the bytes are made in this process."""
    parent = os.getpid()

    def make() -> bytes:
        if os.getpid() != parent:
            time.sleep(60)
        return b"made here"

    started = time.monotonic()
    with BytesApart(make, timeout_s=0.5) as made:
        assert made.result() == b"made here"
    assert time.monotonic() - started < 30


def test_a_child_that_raises_leaves_the_error_to_this_process():
    calls = []

    def make() -> bytes:
        calls.append(os.getpid())
        raise ValueError("bad figure")

    made = BytesApart(make)
    with pytest.raises(ValueError, match="bad figure"):
        made.result()
    assert calls == [os.getpid()]  # the child's call is not seen here: the error raised is this process's own


def test_without_apart_the_bytes_are_made_here_when_asked():
    calls = []
    made = BytesApart(lambda: calls.append(1) or b"x", apart=False)
    assert calls == []
    assert made.result() == b"x" and made.result() == b"x" and calls == [1]
    made.close()


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


def test_a_fork_refused_leaves_the_work_to_this_process(monkeypatch):
    def refused():
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    import gc

    frozen = gc.get_freeze_count()
    made = BytesApart(lambda: b"made here")
    assert made.result() == b"made here"
    assert gc.get_freeze_count() == frozen


def test_work_goes_apart_only_with_a_cpu_to_spare(monkeypatch):
    import movelab.io.outputs as outputs

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert outputs.can_work_apart()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    assert not outputs.can_work_apart()  # two CPUs, one and a half busy: no gain, only the extra CPU
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not outputs.can_work_apart()
