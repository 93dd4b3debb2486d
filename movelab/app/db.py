"""The app's records in SQLite: clients, and analyses (one per session video, which is also the job queue).

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` holds one SQL script per version
and :func:`connect` applies the ones a database has not had yet, in order, each in one transaction.
Rows hold ids, names given by the clinician and generated file names; never a path taken from an upload.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "connect", "Status", "Client", "Analysis"]

Status = Literal["queued", "running", "done", "failed"]

#: Migration ``i`` brings a database from version ``i`` to ``i + 1``. Append; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE clients (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        sex TEXT CHECK (sex IN ('female', 'male')),
        age_years INTEGER CHECK (age_years BETWEEN 0 AND 130),
        created_at REAL NOT NULL
    );
    CREATE TABLE analyses (
        id TEXT PRIMARY KEY,
        client_id INTEGER REFERENCES clients(id) ON DELETE CASCADE,
        created_at REAL NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('upload', 'webcam')),
        movement_requested TEXT NOT NULL,
        video_file TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        progress REAL NOT NULL DEFAULT 0,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        worker_pid INTEGER,
        started_at REAL,
        finished_at REAL,
        movement TEXT,
        reps INTEGER
    );
    CREATE INDEX analyses_status ON analyses(status, created_at);
    CREATE INDEX analyses_client ON analyses(client_id, created_at);
    """,
    # 2: the person the clinician clicked in the first frame ("x,y" pixels of the upright picture, or an
    # index of the automatic ranking); NULL: the automatic rule
    """
    ALTER TABLE analyses ADD COLUMN person TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating and migrating) the app database; rows come back as :class:`sqlite3.Row`."""
    db = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    migrate(db)
    return db


def migrate(db: sqlite3.Connection) -> int:
    """Apply the migrations this database lacks; returns its version afterwards."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the database has schema version {version}, newer than this movelab ({SCHEMA_VERSION}); upgrade movelab"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] < target:  # another process may have done it
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    sex: str | None
    age_years: int | None
    created_at: float


@dataclass(frozen=True)
class Analysis:
    id: str
    client_id: int | None
    created_at: float
    source: str
    movement_requested: str
    video_file: str
    status: Status
    progress: float
    error: str | None
    attempts: int
    worker_pid: int | None
    started_at: float | None
    finished_at: float | None
    movement: str | None
    reps: int | None
    person: str | None = None

    def public(self) -> dict[str, Any]:
        """The API's view of a job: status, progress (0-100 %) and the one-line error."""
        return {
            "id": self.id,
            "status": self.status,
            "progress": round(self.progress, 1),
            "error": self.error,
            "client": self.client_id,
            "created_at": self.created_at,
            "movement": self.movement,
            "reps": self.reps,
            "person": self.person,
        }


# ----------------------------------------------------------------------------- clients


def add_client(db: sqlite3.Connection, *, name: str, sex: str | None = None, age_years: int | None = None) -> Client:
    cur = db.execute(
        "INSERT INTO clients (name, sex, age_years, created_at) VALUES (?, ?, ?, ?)",
        (name, sex, age_years, time.time()),
    )
    return get_client(db, cur.lastrowid)


def get_client(db: sqlite3.Connection, client_id: int) -> Client | None:
    row = db.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    return Client(**dict(row)) if row else None


def list_clients(db: sqlite3.Connection) -> list[Client]:
    return [Client(**dict(r)) for r in db.execute("SELECT * FROM clients ORDER BY name COLLATE NOCASE, id")]


def delete_client(db: sqlite3.Connection, client_id: int) -> None:
    db.execute("DELETE FROM clients WHERE id = ?", (client_id,))


# ----------------------------------------------------------------------------- analyses (the job queue)


def add_analysis(
    db: sqlite3.Connection,
    *,
    analysis_id: str,
    client_id: int | None,
    source: str,
    movement: str,
    video_file: str,
    person: str | None = None,
) -> Analysis:
    db.execute(
        "INSERT INTO analyses (id, client_id, created_at, source, movement_requested, video_file, status, "
        "person) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)",
        (analysis_id, client_id, time.time(), source, movement, video_file, person),
    )
    return get_analysis(db, analysis_id)


def get_analysis(db: sqlite3.Connection, analysis_id: str) -> Analysis | None:
    row = db.execute("SELECT * FROM analyses WHERE id = ?", (analysis_id,)).fetchone()
    return Analysis(**dict(row)) if row else None


def list_analyses(db: sqlite3.Connection, *, client_id: int | None = None) -> list[Analysis]:
    if client_id is None:
        rows = db.execute("SELECT * FROM analyses ORDER BY created_at DESC")
    else:
        rows = db.execute("SELECT * FROM analyses WHERE client_id = ? ORDER BY created_at DESC", (client_id,))
    return [Analysis(**dict(r)) for r in rows]


def delete_analysis(db: sqlite3.Connection, analysis_id: str) -> None:
    db.execute("DELETE FROM analyses WHERE id = ?", (analysis_id,))


def claim_next(db: sqlite3.Connection, *, worker_pid: int) -> Analysis | None:
    """Take the oldest queued job for this worker (atomically: two workers never take the same one)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT id FROM analyses WHERE status = 'queued' ORDER BY created_at LIMIT 1").fetchone()
        if row is not None:
            db.execute(
                "UPDATE analyses SET status = 'running', progress = 0, error = NULL, worker_pid = ?, "
                "started_at = ?, attempts = attempts + 1 WHERE id = ?",
                (worker_pid, time.time(), row["id"]),
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return get_analysis(db, row["id"]) if row is not None else None


def set_progress(db: sqlite3.Connection, analysis_id: str, percent: float) -> None:
    db.execute("UPDATE analyses SET progress = ? WHERE id = ? AND status = 'running'", (percent, analysis_id))


def finish(db: sqlite3.Connection, analysis_id: str, *, movement: str | None, reps: int | None) -> None:
    db.execute(
        "UPDATE analyses SET status = 'done', progress = 100, finished_at = ?, movement = ?, reps = ?, "
        "worker_pid = NULL WHERE id = ?",
        (time.time(), movement, reps, analysis_id),
    )


def fail(db: sqlite3.Connection, analysis_id: str, reason: str) -> None:
    db.execute(
        "UPDATE analyses SET status = 'failed', error = ?, finished_at = ?, worker_pid = NULL WHERE id = ?",
        (reason, time.time(), analysis_id),
    )


def requeue_interrupted(db: sqlite3.Connection, *, max_attempts: int) -> int:
    """At start: jobs left 'running' by a stopped server go back to the queue (or fail after
    ``max_attempts`` tries, so a video that kills its worker cannot loop forever). Returns how many."""
    db.execute(
        "UPDATE analyses SET status = 'failed', worker_pid = NULL, error = 'the analysis was interrupted "
        f"{max_attempts} times; the video may be too large for this machine' "
        "WHERE status = 'running' AND attempts >= ?",
        (max_attempts,),
    )
    cur = db.execute("UPDATE analyses SET status = 'queued', progress = 0, worker_pid = NULL WHERE status = 'running'")
    return cur.rowcount
