"""``movelab serve``: the clinic app on this machine (web server + analysis workers), one data folder.

The server binds 127.0.0.1 unless told otherwise; bound to any other address it makes an access token,
prints it, and refuses requests without it. Worker processes (``--workers``, default 1) take queued
analyses from the database; analyses left running by an earlier stop go back to the queue first.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import multiprocessing
import os
import secrets
import socket
import sys
import threading
from pathlib import Path

from movelab.errors import ConfigError

__all__ = ["add_serve_parser", "cmd_serve", "serve"]

log = logging.getLogger("movelab.app")
#: A job whose worker died this many times is failed rather than re-run again.
MAX_ATTEMPTS = 3


def add_serve_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("serve", help="the clinic web app on this machine (http://127.0.0.1:8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; others need the token)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("movelab-data"),
        help="folder for the database, videos and reports (default ./movelab-data)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="analyses run at once (default 1; 0 only receives, analyses wait for a later start)",
    )
    parser.add_argument("--max-upload-mb", type=float, default=500.0, help="largest upload (default 500 MB)")
    return parser


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        workers=args.workers,
        max_upload_bytes=int(args.max_upload_mb * 1e6),
    )


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: str | os.PathLike = "movelab-data",
    workers: int = 1,
    max_upload_bytes: int = 500_000_000,
) -> int:
    """Run the app until Ctrl-C / SIGTERM; returns the exit code."""
    import uvicorn

    from movelab.app import db as appdb
    from movelab.app.storage import DataDir
    from movelab.app.web import AppSettings, create_app

    if workers < 0:
        raise ConfigError(f"--workers must be 0 or more, got {workers}")
    if max_upload_bytes < 1:
        raise ConfigError(f"--max-upload-mb must be positive, got {max_upload_bytes / 1e6}")
    logging.basicConfig(level=logging.INFO, format="movelab: %(message)s")
    data = DataDir.create(data_dir)
    lock = data.lock()
    database = appdb.connect(data.database)
    requeued = appdb.requeue_interrupted(database, max_attempts=MAX_ATTEMPTS)
    if requeued:
        log.info("%d interrupted analysis(es) queued again", requeued)
    data.clear_incoming()
    local = _is_loopback(host)
    token = None if local else secrets.token_urlsafe(24)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    settings = AppSettings(data_dir=data, max_upload_bytes=max_upload_bytes, token=token, local_only=local)
    pool = _WorkerPool(data, workers, database)
    pool.start()
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound_port}/"
    print(f"movelab: serving {url} (data in {data.root}; {workers} worker(s); Ctrl-C stops)", flush=True)
    if token:
        print(
            f"movelab: bound to {host}, reachable from other machines: open {url}?token={token} "
            "(the access token is required)",
            flush=True,
        )
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=3
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.stop()
        lock.close()
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror}; pick another --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class _WorkerPool:
    """The worker processes, restarted if one dies (its job goes back to the queue)."""

    def __init__(self, data, size: int, database) -> None:
        self.data, self.size, self.database = data, size, database
        self.context = multiprocessing.get_context("spawn")
        self.processes: list = []
        self.stopping = threading.Event()
        self.watch = threading.Thread(target=self._watch, name="movelab-workers", daemon=True)

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.size)]
        self.watch.start()

    def _spawn(self):
        from movelab.app.worker import run_worker

        process = self.context.Process(
            target=run_worker,
            args=(str(self.data.root),),
            kwargs={"parent_pid": os.getpid()},
            daemon=True,
            name="movelab-worker",
        )
        process.start()
        return process

    def _watch(self) -> None:
        while not self.stopping.wait(1.0):
            for i, process in enumerate(self.processes):
                if not process.is_alive() and not self.stopping.is_set():
                    self.database.execute(
                        "UPDATE analyses SET status = 'queued', worker_pid = NULL "
                        "WHERE status = 'running' AND worker_pid = ?",
                        (process.pid,),
                    )
                    log.info("worker %s stopped (exit %s); starting another", process.pid, process.exitcode)
                    self.processes[i] = self._spawn()

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        # stopped on purpose: not counted as a failed attempt
        self.database.execute(
            "UPDATE analyses SET status = 'queued', worker_pid = NULL, attempts = attempts - 1 WHERE status = 'running'"
        )
        sys.stdout.flush()
