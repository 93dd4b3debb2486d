"""A real ``movelab serve`` for the app's tests: a subprocess on 127.0.0.1 and a free port.

Import as ``from appserver import Server, clip`` (pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import httpx

ROOT = Path(__file__).resolve().parents[1]
SQUAT_SIDE = ROOT / "sample_videos" / "squat_side.mp4"

__all__ = ["Server", "clip", "wait_for", "SQUAT_SIDE"]


class Server:
    """``movelab serve --port 0`` in its own process group; ``url`` is read from its first line."""

    def __init__(self, data_dir: Path, *args: str, host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir)
        self.log = self.data_dir.parent / f"{self.data_dir.name}-server.log"
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "movelab",
                "serve",
                "--host",
                host,
                "--port",
                "0",
                "--data-dir",
                str(self.data_dir),
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=open(self.log, "ab"),
            text=True,
            env=env,
            start_new_session=True,
        )
        self.lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"movelab serve stopped: {self.log.read_text()[-2000:]}")
            self.lines.append(line.strip())
            if line.startswith("movelab: serving "):
                self.url = line.split()[2].rstrip("/")
                break
        if "token" in " ".join(args) or host != "127.0.0.1":
            self.lines.append(self.process.stdout.readline().strip())
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def kill(self) -> None:
        """SIGKILL the whole process group (server and workers), as a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.http.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.http.close()

    def upload(self, path: Path, *, name: str | None = None, **fields) -> httpx.Response:
        with open(path, "rb") as handle:
            return self.http.post(
                "/api/analyses",
                files={"video": (name or path.name, handle, "video/mp4")},
                data={k: str(v) for k, v in fields.items()},
            )

    def wait_done(self, analysis_id: str, *, timeout_s: float = 180) -> dict:
        return wait_for(lambda: self._finished(analysis_id), timeout_s=timeout_s)

    def _finished(self, analysis_id: str) -> dict | None:
        job = self.http.get(f"/api/analyses/{analysis_id}").json()
        return job if job["status"] in ("done", "failed") else None


def wait_for(check, *, timeout_s: float, every_s: float = 0.25):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    raise TimeoutError(f"not within {timeout_s} s")


def clip(src: Path, dst: Path, *, n_frames: int) -> Path:
    """The first ``n_frames`` of a video, re-encoded (H.264, same size and rate)."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream_in = inp.streams.video[0]
        stream = out.add_stream("libx264", rate=stream_in.average_rate)
        stream.width, stream.height, stream.pix_fmt = stream_in.width, stream_in.height, "yuv420p"
        for i, frame in enumerate(inp.decode(stream_in)):
            if i >= n_frames:
                break
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return dst
