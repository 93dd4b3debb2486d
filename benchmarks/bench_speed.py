"""Benchmark: movelab's extraction and whole analysis against bare decode + pose-model loops, as ratios.

Usage::

    python benchmarks/bench_speed.py videos VIDEO... [--repeats 2] [--before DIR]  # ratios to the bare loops
    python benchmarks/bench_speed.py parallel VIDEO [--jobs 2]       # --jobs N chunks vs one process
    python benchmarks/bench_speed.py cached [--minutes 10 --fps 60]  # cached landmarks: cold and warm kinematics
    python benchmarks/bench_speed.py kinematics --code OLD --code .   # kinematics + posture chain CPU, code A/B
    python benchmarks/bench_speed.py memory VIDEO_1MIN VIDEO_LONG    # peak RSS of extract vs length
    python benchmarks/bench_speed.py warm --before DIR [--minutes 10]  # warm cached analysis: this code vs DIR's
    python benchmarks/bench_speed.py post VIDEO... --before DIR      # what follows the model: this code vs DIR's
    python benchmarks/bench_speed.py segment --landmarks LONG --code OLD --code .  # segmentation CPU, code A/B
    python benchmarks/bench_speed.py key --landmarks LONG            # the kinematics cache key: XXH3 vs SHA-256
    python benchmarks/bench_speed.py split VIDEO... [--repeats 2]    # where extraction's time goes, part by part

Every timing is a fresh subprocess (imports, model loading and writing included, for movelab and the bare
loops alike), interleaved and best of ``--repeats``. The bare loops are MediaPipe's cheapest use: full
model, VIDEO mode, one pose, no masks, decoding with OpenCV (``bare_cv``) or PyAV (``bare_av``). A ratio
is ``bare seconds / movelab seconds`` (1.0: as fast as the bare loop; higher is faster). The machine is
shared with other jobs, so absolute times are noisy; the ratios, measured in the same run, are what count.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

BARE = r"""
import os, sys, time
os.environ.setdefault("GLOG_minloglevel", "2")
decoder, video, model = sys.argv[1:4]
from movelab.pose.landmarker import PoseModel
n = 0
with PoseModel(model, num_poses=1, output_masks=False) as pose:
    if decoder == "cv":
        import cv2
        cap = cv2.VideoCapture(video)
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            pose.detect(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), t)
            n += 1
    else:
        import av
        with av.open(video) as box:
            s = box.streams.video[0]
            s.thread_type = "AUTO"
            for f in box.decode(s):
                pose.detect(f.to_ndarray(format="rgb24"), float(f.pts * s.time_base))
                n += 1
print(n)
"""


def _run(args: list[str], env: dict | None = None, *, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(
        args,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    return time.perf_counter() - start


def _model() -> str:
    from movelab.pose.bundle import resolve_model

    return str(resolve_model(None))


def bench_videos(
    videos: list[Path], repeats: int, extra: list[str], *, before: Path | None = None, only: list[str] | None = None
) -> None:
    """The bare loops, ``movelab extract`` and ``movelab analyse`` (``--no-cache``) on each video, interleaved,
    best of ``repeats`` by wall time; with ``before`` also the same two commands with the older code in
    ``before/movelab`` (run from that folder), so a change is measured A/B in one run. Prints wall and CPU
    seconds (the process and its children) and the load average before and after each video. ``only`` times
    just those runs (e.g. ``["analyse"]``: this code's and the older code's ``analyse``; no ratios without a
    bare loop)."""
    model = _model()
    names = ["extract", "analyse"] + (["extract (before)", "analyse (before)"] if before is not None else [])
    print(
        "| video | frames | load | bare_cv s | bare_av s | "
        + " | ".join(f"{n} s (CPU s)" for n in names)
        + " | "
        + " | ".join(f"{n} / cheapest bare" for n in names)
        + " |"
    )
    print("|---" * (5 + 2 * len(names)) + "|")
    for video in videos:
        video = video.resolve()
        frames = _frames(video)
        out = tempfile.mkdtemp(prefix="bench_")
        command = ["--out", out, "--no-cache", "--quiet", *extra]
        runs: dict[str, tuple[list[str], Path]] = {
            "bare_cv": ([PY, "-c", BARE, "cv", str(video), model], ROOT),
            "bare_av": ([PY, "-c", BARE, "av", str(video), model], ROOT),
            "extract": ([PY, "-m", "movelab", "extract", str(video), *command], ROOT),
            "analyse": ([PY, "-m", "movelab", "analyse", str(video), *command], ROOT),
        }
        if before is not None:
            runs["extract (before)"] = ([PY, "-m", "movelab", "extract", str(video), *command], before.resolve())
            runs["analyse (before)"] = ([PY, "-m", "movelab", "analyse", str(video), *command], before.resolve())
        if only:
            runs = {k: v for k, v in runs.items() if k in only or k.removesuffix(" (before)") in only}
        best = {k: (float("inf"), float("nan")) for k in (*runs, "bare_cv", "bare_av", *names)}
        load0 = os.getloadavg()[0]
        for _ in range(repeats):
            for name, (args, cwd) in runs.items():
                cpu0 = _children_cpu()
                wall = _run(args, cwd=cwd, env={"PYTHONPATH": str(cwd)})
                if wall < best[name][0]:
                    best[name] = (wall, _children_cpu() - cpu0)
        bare = min(best["bare_cv"][0], best["bare_av"][0])
        cells = [f"{best[n][0]:.1f} ({best[n][1]:.1f})" for n in names] + [f"{bare / best[n][0]:.2f}" for n in names]
        print(
            f"| {video.name} | {frames} | {load0:.1f}-{os.getloadavg()[0]:.1f} | {best['bare_cv'][0]:.1f} "
            f"({best['bare_cv'][1]:.1f}) | {best['bare_av'][0]:.1f} ({best['bare_av'][1]:.1f}) | "
            + " | ".join(cells)
            + " |",
            flush=True,
        )


def _frames(video: Path) -> int:
    from movelab.io.video import read_frame_times

    return len(read_frame_times(video))


#: A fresh process timing one part of extraction's per-frame loop (after imports and set-up): decoding alone,
#: MediaPipe alone with 1 or 2 poses, with or without masks, and movelab's whole loop (tracker, outlines,
#: scene lines; default settings). Prints the loop's wall and CPU seconds (all threads) and the set-up's.
SPLIT = r"""
import json, os, sys, time
os.environ.setdefault("GLOG_minloglevel", "2")
part, video, model = sys.argv[1:4]
from pathlib import Path
from movelab.io.video import open_video
from movelab.pose.landmarker import PoseModel
shapes = {"decode": None, "p1": (1, False), "p2": (2, False), "p1_mask": (1, True), "p2_mask": (2, True)}
w0 = time.perf_counter()
beside = []  # CPU seconds of the thread after the model (tracker, outlines), where the code has one
if part == "movelab":
    from movelab.extraction import _run
    from movelab.pose.config import ExtractConfig
    import movelab.io.prefetch as prefetch
    if hasattr(prefetch, "HandOff"):
        work = prefetch.HandOff._work
        def timed(self):
            work(self)
            beside.append(time.thread_time())
        prefetch.HandOff._work = timed
    with open_video(video) as reader:
        w0, c0 = time.perf_counter(), time.process_time()
        rows, _ = _run(reader, Path(model), ExtractConfig(), progress=False)
        wall, cpu, n, setup = time.perf_counter() - w0, time.process_time() - c0, len(rows), 0.0
else:
    shape = shapes[part]
    pose = PoseModel(model, num_poses=shape[0], output_masks=shape[1]) if shape else None
    setup = time.perf_counter() - w0
    n = 0
    with open_video(video) as reader:
        w0, c0 = time.perf_counter(), time.process_time()
        for frame in reader:
            if pose is not None:
                pose.detect(frame.image, frame.time_s)
            n += 1
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    if pose is not None:
        pose.close()
print(json.dumps({"frames": n, "wall": wall, "cpu": cpu, "setup": setup, "beside": sum(beside)}))
"""

SPLIT_PARTS = ("decode", "p1", "p2", "p1_mask", "p2_mask", "movelab")

#: A fresh process doing what ``movelab analyse --no-cache`` does, timing its phases (wall seconds).
PHASES = r"""
import json, sys, tempfile, time
t0 = time.perf_counter()
from movelab.analysis import analyse_landmarks
from movelab.extraction import extract
from movelab.report import write_outputs
import mediapipe.tasks.python.vision
t1 = time.perf_counter()
ds = extract(sys.argv[1], use_cache=False)
t2 = time.perf_counter()
analysis = analyse_landmarks(ds)
t3 = time.perf_counter()
write_outputs(analysis, tempfile.mkdtemp(prefix="bench_"))
t4 = time.perf_counter()
phases = {"import": t1 - t0, "extract": t2 - t1, "analyse": t3 - t2, "write": t4 - t3}
print(json.dumps({**phases, "cpu": time.process_time()}))
"""


def bench_split(
    videos: list[Path],
    repeats: int,
    *,
    pin: bool = False,
    before: Path | None = None,
    parts: list[str] | None = None,
    phases: bool = True,
) -> None:
    """Each part of extraction's loop alone in a fresh process (interleaved, best of ``repeats`` by CPU), as
    CPU seconds and as a ratio to the cheapest pose loop (``p1``: one pose, no masks). ``p2`` adds the
    person detector MediaPipe runs on every frame while it tracks fewer than two people; ``_mask`` adds the
    masks; ``movelab`` is extraction's whole loop (decoding ahead, 2 poses, masks, tracker, outlines, scene
    lines). With ``pin`` the ``p1`` loop is also run on one core (``taskset -c 0``): equal CPU and a wall
    time near it tell that the bare loop keeps about one core busy. With ``before`` (a folder holding older
    code's ``movelab/``) that code's whole loop is timed too (``movelab (before)``), interleaved, for an A/B.

    *CPU on the model's path*: the loop's CPU less what runs beside the model in other threads (decoding, as
    the ``decode`` part measured it, and the hand-off thread after the model, timed in it). One process keeps
    about one core busy with the model, so on a machine with a second core free this is what the loop's wall
    time comes to; on a shared machine the wall times themselves say little."""
    model = _model()
    print(
        "| video | part | frames | loop wall s | loop CPU s | CPU / p1 CPU | cores busy | CPU on the model's path s "
        "| on the path / p1 CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for video in videos:
        names = (
            list(parts or SPLIT_PARTS) + (["p1 on one core"] if pin else []) + (["movelab (before)"] if before else [])
        )
        best: dict[str, dict] = {}
        for _ in range(repeats):
            for part in names:
                args = [PY, "-c", SPLIT, part.split()[0], str(video.resolve()), model]
                if part == "p1 on one core":
                    args = ["taskset", "-c", "0", *args]
                code = before.resolve() if part == "movelab (before)" and before is not None else ROOT
                result = _json_run(args, cwd=code)
                if part not in best or result["cpu"] < best[part]["cpu"]:
                    best[part] = result
        p1_cpu = best["p1"]["cpu"] if "p1" in best else float("nan")
        decode = best["decode"]["cpu"] if "decode" in best else 0.0
        for part in names:
            r = best[part]
            path = r["cpu"] - r.get("beside", 0.0) - (decode if part.startswith("movelab") else 0.0)
            print(
                f"| {video.name} | {part} | {r['frames']} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                f"{r['cpu'] / p1_cpu:.2f} | {r['cpu'] / r['wall']:.2f} | {path:.2f} | {path / p1_cpu:.2f} |",
                flush=True,
            )
        if not phases:
            continue
        phases = min((_json_run([PY, "-c", PHASES, str(video)]) for _ in range(repeats)), key=lambda p: p["cpu"])
        print(
            f"| {video.name} | `analyse` in one process: imports {phases['import']:.1f} s, extract "
            f"{phases['extract']:.1f} s, analysis {phases['analyse']:.1f} s, report {phases['write']:.1f} s | | | "
            f"{phases['cpu']:.2f} | | |",
            flush=True,
        )


def _json_run(args: list[str], *, cwd: Path = ROOT) -> dict:
    import json

    env = {**os.environ, "PYTHONPATH": str(cwd)}
    result = subprocess.run(args, check=True, capture_output=True, text=True, cwd=cwd, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


#: ``movelab extract ARGS`` in this process; prints its own CPU seconds and its workers' (the chunks after the
#: first run in worker processes; the first in this one).
EXTRACT_CPU = r"""
import json, resource, sys
from movelab.cli import main
main(sys.argv[1:])
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"self": me.ru_utime + me.ru_stime, "workers": workers.ru_utime + workers.ru_stime}))
"""


def bench_parallel(video: Path, jobs: int, repeats: int) -> None:
    """``extract --jobs N`` against one process: best wall seconds, and the CPU seconds (user + system, all
    processes) of the best run: their ratio is how many cores the run kept busy, and the CPU of N processes
    over that of one is what the chunks' warm-up and the extra start-ups cost. ``bound`` is the speed-up the
    work allows on N idle cores: one process's CPU over the CPU of the busiest of the N processes (the calling
    process, or a worker's average share); one process keeps about one core busy (``split``), so on a machine
    shared with other jobs the wall-clock speed-up falls short of it by what the scheduler gives."""
    out = tempfile.mkdtemp(prefix="bench_")
    args = ["extract", str(video), "--out", out, "--no-cache", "--quiet"]
    best: dict[int, tuple[float, dict]] = {}
    for _ in range(repeats):
        for n in (1, jobs):
            start = time.perf_counter()
            cpu = _json_run([PY, "-c", EXTRACT_CPU, *args, "--jobs", str(n)])
            wall = time.perf_counter() - start
            if n not in best or wall < best[n][0]:
                best[n] = (wall, cpu)
    (wall_1, cpu_1), (wall_n, cpu_n) = best[1], best[jobs]
    total_1, total_n = cpu_1["self"] + cpu_1["workers"], cpu_n["self"] + cpu_n["workers"]
    busiest = max(cpu_n["self"], cpu_n["workers"] / max(jobs - 1, 1))
    print(
        f"| {video.name} | {_frames(video)} | {wall_1:.1f} | {wall_n:.1f} | {jobs} | {wall_1 / wall_n:.2f} | "
        f"{total_1:.1f} | {total_n:.1f} | {total_1 / wall_1:.2f} | {total_n / wall_n:.2f} | "
        f"{cpu_n['self']:.1f} / {cpu_n['workers']:.1f} | {total_1 / busiest:.2f} |",
        flush=True,
    )


#: A fresh process: load landmarks, analyse (kinematics cache on), write the report; prints the phases' seconds.
#: Memory as the ``movelab`` command sets it (NumPy's huge-page advice off: movelab/_memory.py) unless the
#: environment names NUMPY_MADVISE_HUGEPAGE (``cached --numpy-huge-pages`` runs with NumPy's default); dask kept out
#: and the figures drawn apart as the command does (movelab/_lazy.py, movelab/report/figure_worker.py; older code
#: with its late timeline fork or without either runs as its command did). CPU: the process's and its children's
#: (figures drawn apart are counted).
CACHED = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from movelab._memory import no_huge_page_advice
no_huge_page_advice()
try:  # as the command does (code from before it did: neither)
    from movelab._lazy import keep_dask_out
    keep_dask_out()
except ImportError:
    pass
from movelab import load_landmarks
from movelab.analysis import analyse_landmarks
from movelab.report import write_outputs
import inspect
options = inspect.signature(write_outputs).parameters
apart = {"timeline_apart": True} if "timeline_apart" in options else {}  # older code's late timeline fork
waited = [0.0]  # seconds this process waited for the worker's figures
if "figure_worker" in options:  # as the command does: matplotlib loads in a forked child while this one analyses
    from movelab.report.figure_worker import FigureWorker
    for name in ("result", "receive"):  # where this process waits for the child (this code, older code)
        if hasattr(FigureWorker, name):
            def timed(self, *args, _wait=getattr(FigureWorker, name)):
                start = time.perf_counter()
                try:
                    return _wait(self, *args)
                finally:
                    waited[0] += time.perf_counter() - start
            setattr(FigureWorker, name, timed)
    apart["figure_worker"] = FigureWorker.start(force=sys.argv[3:] == ["force"])
staged = {}  # as the command does: the worker told each stage's result (code from before: not)
if apart.get("figure_worker") is not None and "on_stage" in inspect.signature(analyse_landmarks).parameters:
    staged["on_stage"] = apart["figure_worker"].on_stage
t1 = time.perf_counter()
ds = load_landmarks(sys.argv[1])
t2 = time.perf_counter()
a = analyse_landmarks(ds, use_cache=True, **staged)
t3 = time.perf_counter()
write_outputs(a, sys.argv[2], **apart)
if apart.get("figure_worker") is not None:
    apart["figure_worker"].close()
t4 = time.perf_counter()
phases = {"import": t1 - t0, "load": t2 - t1, "analyse": t3 - t2, "write": t4 - t3}
child = resource.getrusage(resource.RUSAGE_CHILDREN)
own = time.process_time()
print(json.dumps({**phases, "cpu": own + child.ru_utime + child.ru_stime, "own": own, "wait": waited[0]}))
"""


def _long_landmarks(minutes: float, fps: float, source: Path) -> Path:
    """A landmark file of ``minutes`` at ``fps``: the sample's landmarks repeated, times at ``fps``."""
    import numpy as np
    import xarray as xr

    from movelab import landmarks as lm
    from movelab.extraction import extract

    ds = extract(source)
    n = int(minutes * 60 * fps)
    reps = -(-n // ds.sizes["time"])
    long = xr.concat([ds] * reps, dim="time").isel(time=slice(0, n))
    long = long.assign_coords(time=np.arange(n) / fps)
    if "frame" in long:
        long["frame"] = ("time", np.arange(n))
    path = Path(tempfile.mkdtemp(prefix="bench_")) / "long.nc"
    lm.save(long, path)
    return path


def bench_warm(
    minutes: float,
    fps: float,
    source: Path,
    *,
    before: Path,
    repeats: int,
    landmarks: Path | None = None,
    force_apart: bool = False,
) -> None:
    """The warm cached analysis (landmarks and kinematics cached: load, analyse, write the report, as
    ``movelab analyse`` on a second run) with this code and with the code in ``before`` (e.g. ``git archive
    main movelab | tar -x -C BEFORE``), interleaved in fresh processes, best of ``repeats`` by wall and by CPU
    (the processes' own and their children's). The kinematics are computed once per code (cold, not timed):
    both codes share the entry when their kinematics code is the same. ``landmarks``: a long.nc made before
    (its kinematics cache beside it, in ``cache/``), instead of making one. Also the medians of the process's own CPU
    (its children's left out: what it computes itself) and of the seconds it waited for the figure worker (on an
    idle machine with two cores the wall time is about the two added). ``force_apart``: start the figure worker
    (:mod:`movelab.report.figure_worker`) even when no CPU is free (to measure its CPU on a busy machine)."""
    force = ["force"] if force_apart else []
    import json

    path = landmarks.resolve() if landmarks is not None else _long_landmarks(minutes, fps, source)
    env = {**os.environ, "MOVELAB_CACHE_DIR": str(path.parent / "cache")}
    codes = {"before": before.resolve(), "this code": ROOT}
    best: dict[str, dict] = {}
    for run in range(repeats + 1):
        for name, code in codes.items():
            start = time.perf_counter()
            result = subprocess.run(
                [PY, "-c", CACHED, str(path), str(path.parent / f"out_{run}_{name.split()[0]}"), *force],
                check=True, capture_output=True, text=True, cwd=code, env={**env, "PYTHONPATH": str(code)},
            )  # fmt: skip
            phases = {**json.loads(result.stdout.strip().splitlines()[-1]), "wall": time.perf_counter() - start}
            if run == 0:
                continue  # the first computes (or reads) the kinematics: not the warm path
            entry = best.setdefault(name, {"wall": phases, "cpu": phases, "runs": []})
            entry["runs"].append(phases)
            if phases["wall"] < entry["wall"]["wall"]:
                entry["wall"] = phases
            if phases["cpu"] < entry["cpu"]["cpu"]:
                entry["cpu"] = phases
    print(
        "| code | frames | best wall s | its CPU s | best CPU s | median wall s | median CPU s | import s | load s | "
        "analyse s | write s | median own CPU s | median wait s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    n = _landmark_frames(path)
    for name, entry in best.items():
        w = entry["wall"]
        medians = [sorted(r[k] for r in entry["runs"])[len(entry["runs"]) // 2] for k in ("wall", "cpu", "own", "wait")]
        print(
            f"| {name} | {n} | {w['wall']:.2f} | {w['cpu']:.2f} | {entry['cpu']['cpu']:.2f} | {medians[0]:.2f} | "
            f"{medians[1]:.2f} | "
            + " | ".join(f"{w[k]:.2f}" for k in ("import", "load", "analyse", "write"))
            + f" | {medians[2]:.2f} | {medians[3]:.2f} |",
            flush=True,
        )


def _landmark_frames(path: Path) -> int:
    from movelab import load_landmarks

    return int(load_landmarks(path).sizes["time"])


def bench_post(videos: list[Path], *, before: Path, repeats: int) -> None:
    """What follows the pose model: ``movelab analyse VIDEO`` with the landmarks (and kinematics) cached, with
    this code and with the code in ``before``, interleaved in fresh processes; best wall and best CPU (user +
    system of the process and its children) of ``repeats``. A first run of each fills the caches."""
    codes = {"before": before.resolve(), "this code": ROOT}
    print("| video | code | best wall s | best CPU s |")
    print("|---|---|---|---|")
    for video in videos:
        best: dict[str, list[float]] = {}
        for run in range(repeats + 1):
            for name, code in codes.items():
                out = tempfile.mkdtemp(prefix="bench_")
                args = [PY, "-m", "movelab", "analyse", str(video.resolve()), "--out", out, "--quiet"]
                before_cpu = _children_cpu()
                start = time.perf_counter()
                subprocess.run(
                    args, check=True, capture_output=True, cwd=code, env={**os.environ, "PYTHONPATH": str(code)}
                )
                wall, cpu = time.perf_counter() - start, _children_cpu() - before_cpu
                if run:
                    entry = best.setdefault(name, [wall, cpu])
                    best[name] = [min(entry[0], wall), min(entry[1], cpu)]
        for name, (wall, cpu) in best.items():
            print(f"| {video.name} | {name} | {wall:.2f} | {cpu:.2f} |", flush=True)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: The cold analysis's computing part alone: the kinematics and the posture chain (the outline's per-frame work),
#: CPU seconds after the landmarks are loaded and SciPy's modules imported.
KINEMATICS = r"""
import json, sys, time
from movelab import load_landmarks
from movelab.kinematics import compute_motion
from movelab.kinematics.posture_chain import chain_table
import scipy.ndimage, scipy.signal
ds = load_landmarks(sys.argv[1])
c0 = time.process_time()
motion = compute_motion(ds)
c1 = time.process_time()
chain_table(motion)
c2 = time.process_time()
print(json.dumps({"kinematics": c1 - c0, "chain": c2 - c1}))
"""


def bench_kinematics(minutes: float, fps: float, source: Path, codes: list[Path], repeats: int) -> None:
    """CPU seconds of ``compute_motion`` and ``chain_table`` on ``minutes`` of cached landmarks, for each folder of
    ``codes`` holding a ``movelab`` package (e.g. ``git archive main movelab | tar -x -C DIR``; ``.`` is this
    tree), each in a fresh process, interleaved ``repeats`` times (an A/B of the code in one run)."""
    import json

    path = _long_landmarks(minutes, fps, source)
    n = int(minutes * 60 * fps)
    for _ in range(repeats):
        for code in codes:
            env = {**os.environ, "PYTHONPATH": str(code.resolve())}
            result = subprocess.run(
                [PY, "-c", KINEMATICS, str(path)], check=True, capture_output=True, text=True, cwd=ROOT, env=env
            )
            t = json.loads(result.stdout.strip().splitlines()[-1])
            load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
            print(
                f"| {code} | {n} | {t['kinematics']:.1f} | {t['chain']:.1f} | {t['kinematics'] + t['chain']:.1f} "
                f"| {load} |",
                flush=True,
            )


#: The warm analysis's segmentation alone: CPU seconds of ``segment`` on cached landmarks whose kinematics are kept
#: (``MOVELAB_CACHE_DIR``), best of five in one process.
SEGMENT = r"""
import json, sys, time
from movelab._memory import no_huge_page_advice
no_huge_page_advice()
from movelab import load_landmarks
from movelab.events import segment
from movelab.motion_cache import cached_motion
motion = cached_motion(load_landmarks(sys.argv[1]))
runs = []
for _ in range(5):
    c0 = time.process_time()
    seg = segment(motion)
    runs.append(time.process_time() - c0)
print(json.dumps({"best": min(runs), "runs": runs, "reps": len(seg.reps)}))
"""


def bench_segment(landmarks: Path, codes: list[Path], repeats: int) -> None:
    """CPU seconds of ``segment`` (movement recognition, reps and their measures) on ``landmarks`` (a long.nc
    with its kinematics cache beside it in ``cache/``, as ``warm``), for each folder of ``codes`` holding a
    ``movelab`` package, each in a fresh process, interleaved ``repeats`` times."""
    import json

    path = landmarks.resolve()
    for _ in range(repeats):
        for code in codes:
            env = {**os.environ, "PYTHONPATH": str(code.resolve()), "MOVELAB_CACHE_DIR": str(path.parent / "cache")}
            result = subprocess.run(
                [PY, "-c", SEGMENT, str(path)], check=True, capture_output=True, text=True, cwd=code, env=env
            )
            t = json.loads(result.stdout.strip().splitlines()[-1])
            load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
            runs = " ".join(f"{r:.2f}" for r in t["runs"])
            print(f"| {code} | {t['reps']} | {t['best']:.2f} | {runs} | {load} |", flush=True)


#: The kinematics cache's key of a landmark file (movelab.motion_cache.dataset_digest) in a fresh process, best of
#: ``repeats``; argv: file, repeats, "sha256" to time the fallback (xxhash hidden) or "xxh3". Prints seconds, bytes.
KEY = r"""
import sys, time
if sys.argv[3] == "sha256":
    sys.modules["xxhash"] = None  # as where xxhash is not installed
from movelab import load_landmarks
from movelab.motion_cache import dataset_digest
ds = load_landmarks(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    dataset_digest(ds)
    times.append(time.perf_counter() - start)
best = min(times)
print(best, sum(v.nbytes for v in ds.variables.values()), dataset_digest(ds).split(":")[0])
"""


def bench_key(landmarks: Path, repeats: int) -> None:
    """The kinematics cache's key of ``landmarks`` (:func:`movelab.motion_cache.dataset_digest`): XXH3-128 and
    the SHA-256 fallback, each in a fresh process, best of ``repeats``."""
    for kind in ("sha256", "xxh3"):
        out = subprocess.run(
            [PY, "-c", KEY, str(landmarks), str(repeats), kind], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout.split()
        print(f"| {out[2]} | {int(out[1]) / 1e6:.0f} | {float(out[0]):.3f} | {os.getloadavg()[0]:.1f} |", flush=True)


def bench_cached(minutes: float, fps: float, source: Path, *, huge_pages: bool = False) -> None:
    """Analyse landmarks of ``minutes`` at ``fps`` (the sample's landmarks repeated, times at ``fps``) twice in
    fresh processes with an empty kinematics cache: the first computes the kinematics and keeps them
    (``cold``), the second reads them (``warm``). Wall-clock seconds of the whole process and of each phase,
    and the process's CPU seconds (less sensitive to other jobs on a shared machine)."""
    import json

    path = _long_landmarks(minutes, fps, source)
    folder = path.parent
    n = int(minutes * 60 * fps)
    env = {**os.environ, "MOVELAB_CACHE_DIR": str(folder / "cache")}
    if huge_pages:  # NumPy's default: huge pages advised (the cost the command line avoids)
        env["NUMPY_MADVISE_HUGEPAGE"] = "1"
    for run in ("cold", "warm"):
        start = time.perf_counter()
        result = subprocess.run(
            [PY, "-c", CACHED, str(path), str(folder / "out")],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        seconds = time.perf_counter() - start
        phases = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"| {minutes:g} min at {fps:g} fps, {run} | {n} | {seconds:.1f} | "
            + " | ".join(f"{phases[k]:.1f}" for k in ("cpu", "import", "load", "analyse", "write"))
            + " |",
            flush=True,
        )


def bench_memory(videos: list[Path]) -> None:
    """Peak RSS of ``movelab extract --no-cache`` (one process) on each video, and its change from the first
    video's (flat memory: the same peak however long the video; the per-frame results stream to files)."""
    print("| video | frames | peak RSS of `movelab extract` (MB) | change from the first |")
    print("|---|---|---|---|")
    first = None
    for video in videos:
        out = tempfile.mkdtemp(prefix="bench_")
        code = (
            "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        result = subprocess.run(
            [PY, "-c", code, PY, "-m", "movelab", "extract", str(video), "--out", out, "--no-cache", "--quiet"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        peak_mb = int(result.stdout.split()[-1]) / 1024
        first = first or peak_mb
        print(f"| {video.name} | {_frames(video)} | {peak_mb:.0f} | {100 * (peak_mb / first - 1):+.1f} % |", flush=True)


def make_long(video: Path, minutes: float, out: Path) -> None:
    """``video`` repeated (stream copy, ffmpeg's concat demuxer) to at least ``minutes``."""
    import imageio_ffmpeg

    n = -(-int(minutes * 60 * 30) // _frames(video))
    listing = out.with_suffix(".txt")
    listing.write_text("".join(f"file '{video.resolve()}'\n" for _ in range(n)))
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(listing),
            "-c",
            "copy",
            str(out),
        ],
        check=True,
    )
    listing.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    v = sub.add_parser("videos")
    v.add_argument("videos", nargs="+", type=Path)
    v.add_argument("--repeats", type=int, default=2)
    v.add_argument("--movelab-args", default="", help="extra options for extract/analyse, e.g. '--search-every 1'")
    v.add_argument("--before", type=Path, help="a folder holding older code's movelab/: its extract and analyse too")
    v.add_argument("--only", help="comma-separated runs to time: bare_cv, bare_av, extract, analyse (default all)")
    p = sub.add_parser("parallel")
    p.add_argument("video", type=Path)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--repeats", type=int, default=1)
    c = sub.add_parser("cached")
    c.add_argument("--minutes", type=float, default=10.0)
    c.add_argument("--fps", type=float, default=60.0)
    c.add_argument("--source", type=Path, default=ROOT / "sample_videos" / "squat_side.mp4")
    c.add_argument("--numpy-huge-pages", action="store_true", help="keep NumPy's huge-page advice (library default)")
    w = sub.add_parser("warm", help="the warm cached analysis, this code against older code (A/B in one run)")
    w.add_argument("--before", type=Path, required=True, help="a folder holding the older code's movelab/")
    w.add_argument("--minutes", type=float, default=10.0)
    w.add_argument("--fps", type=float, default=60.0)
    w.add_argument("--source", type=Path, default=ROOT / "sample_videos" / "squat_side.mp4")
    w.add_argument("--repeats", type=int, default=3)
    w.add_argument("--landmarks", type=Path, help="a long.nc made by a run before (kinematics cache beside it)")
    w.add_argument("--force-apart", action="store_true", help="start the figure worker even with no CPU free")
    pp = sub.add_parser("post", help="what follows the pose model (cached landmarks), this code against older code")
    pp.add_argument("videos", nargs="+", type=Path)
    pp.add_argument("--before", type=Path, required=True, help="a folder holding the older code's movelab/")
    pp.add_argument("--repeats", type=int, default=3)
    k = sub.add_parser("kinematics", help="CPU of the kinematics and the posture chain, code against code")
    k.add_argument("--minutes", type=float, default=10.0)
    k.add_argument("--fps", type=float, default=60.0)
    k.add_argument("--source", type=Path, default=ROOT / "sample_videos" / "squat_side.mp4")
    k.add_argument("--code", type=Path, action="append", help="a folder holding a movelab package (repeatable)")
    k.add_argument("--repeats", type=int, default=2)
    sg = sub.add_parser("segment", help="CPU of the segmentation on cached long landmarks, code against code")
    sg.add_argument("--landmarks", type=Path, required=True, help="a long.nc with its kinematics cache in cache/")
    sg.add_argument("--code", type=Path, action="append", help="a folder holding a movelab package (repeatable)")
    sg.add_argument("--repeats", type=int, default=2)
    ky = sub.add_parser("key", help="the kinematics cache's key of a landmark file: XXH3-128 against SHA-256")
    ky.add_argument("--landmarks", type=Path, required=True, help="a landmark file, e.g. the 10-minute long.nc")
    ky.add_argument("--repeats", type=int, default=5)
    m = sub.add_parser("memory")
    m.add_argument("videos", nargs="+", type=Path)
    sp = sub.add_parser("split", help="where extraction's time goes: each part of the loop alone")
    sp.add_argument("videos", nargs="+", type=Path)
    sp.add_argument("--repeats", type=int, default=2)
    sp.add_argument("--pin", action="store_true", help="also the one-pose loop on one core (taskset -c 0)")
    sp.add_argument("--before", type=Path, help="a folder holding older code's movelab/: its whole loop too (A/B)")
    sp.add_argument("--parts", help=f"comma-separated parts to time (default all: {','.join(SPLIT_PARTS)})")
    sp.add_argument("--no-phases", action="store_true", help="skip the whole analyse process's phases")
    g = sub.add_parser("long", help="write VIDEO repeated to MINUTES (for parallel and memory)")
    g.add_argument("video", type=Path)
    g.add_argument("--minutes", type=float, default=2.0)
    g.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.what == "videos":
        bench_videos(
            args.videos,
            args.repeats,
            args.movelab_args.split(),
            before=args.before,
            only=args.only.split(",") if args.only else None,
        )
    elif args.what == "parallel":
        print(
            "| video | frames | 1 process s | N processes s | N | speed-up | CPU s, 1 | CPU s, N | cores busy, 1 | "
            "cores busy, N | CPU s, calling process / workers | bound on N idle cores |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|"
        )
        bench_parallel(args.video, args.jobs, args.repeats)
    elif args.what == "cached":
        print(
            "| landmarks, kinematics cache | frames | whole process s | its CPU s | import s | load s | analyse s | "
            "write s |\n|---|---|---|---|---|---|---|---|"
        )
        bench_cached(args.minutes, args.fps, args.source, huge_pages=args.numpy_huge_pages)
    elif args.what == "warm":
        bench_warm(
            args.minutes,
            args.fps,
            args.source,
            before=args.before,
            repeats=args.repeats,
            landmarks=args.landmarks,
            force_apart=args.force_apart,
        )
    elif args.what == "post":
        bench_post(args.videos, before=args.before, repeats=args.repeats)
    elif args.what == "kinematics":
        print("| code | frames | kinematics CPU s | posture chain CPU s | both | load |\n|---|---|---|---|---|---|")
        bench_kinematics(args.minutes, args.fps, args.source, args.code or [ROOT], args.repeats)
    elif args.what == "segment":
        print("| code | reps | best CPU s | CPU s of 5 runs | load |\n|---|---|---|---|---|")
        bench_segment(args.landmarks, args.code or [ROOT], args.repeats)
    elif args.what == "key":
        print("| hash | MB hashed | best s | load |\n|---|---|---|---|")
        bench_key(args.landmarks, args.repeats)
    elif args.what == "split":
        bench_split(
            args.videos,
            args.repeats,
            pin=args.pin,
            before=args.before,
            parts=args.parts.split(",") if args.parts else None,
            phases=not args.no_phases,
        )
    elif args.what == "long":
        make_long(args.video, args.minutes, args.out)
    else:
        bench_memory(args.videos)


if __name__ == "__main__":
    main()
