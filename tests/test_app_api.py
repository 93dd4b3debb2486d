"""The clinic app's JSON API against a real ``movelab serve`` (subprocess, 127.0.0.1, random port).

Fast tests run the server with ``--workers 0`` (uploads are received and queued, no pose model); the
slow ones let a worker analyse short clips.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from appserver import SQUAT_SIDE, Server, clip, wait_for  # noqa: E402
from videos import make_text_file, make_truncated  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A receive-only server (no worker) whose upload limit is 1 MB."""
    srv = Server(tmp_path_factory.mktemp("app") / "data", "--workers", "0", "--max-upload-mb", "1")
    yield srv
    srv.stop()
    assert "Traceback" not in srv.log.read_text(), "the server hit an error while answering"


def _stored(server: Server) -> list[str]:
    root = server.data_dir
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(("movelab.sqlite3", "server.lock"))
    )


def _rows(server: Server) -> int:
    return len(server.http.get("/api/analyses").json())


def _bad_upload(server: Server, path: Path, name: str) -> tuple[int, str]:
    before = (_stored(server), _rows(server))
    response = server.upload(path, name=name)
    assert (_stored(server), _rows(server)) == before, "a refused upload left a file or a session"
    return response.status_code, response.json()["error"]


def test_a_text_file_named_mp4_is_refused_by_its_content(server, tmp_path):
    status, error = _bad_upload(server, make_text_file(tmp_path / "notes.mp4"), "notes.mp4")
    assert status == 415 and "not a video" in error


def test_an_empty_file_is_refused(server, tmp_path):
    (tmp_path / "empty.mp4").write_bytes(b"")
    status, error = _bad_upload(server, tmp_path / "empty.mp4", "empty.mp4")
    assert status == 400 and "empty" in error


def test_a_truncated_video_is_refused(server, tmp_path):
    cut = make_truncated(SQUAT_SIDE, tmp_path / "cut.mp4", 0.5)
    status, error = _bad_upload(server, cut, "cut.mp4")
    assert status == 422 and "cut short" in error and str(tmp_path) not in error


def test_an_oversize_upload_is_refused_from_its_declared_length(server, tmp_path):
    big = tmp_path / "big.mp4"
    big.write_bytes(SQUAT_SIDE.read_bytes() * 13)  # 1.2 MB > the 1 MB limit
    status, error = _bad_upload(server, big, "big.mp4")
    assert status == 413 and "limit of 1 MB" in error


def test_an_oversize_upload_without_length_is_cut_off_while_streaming(server):
    """Chunked transfer (no Content-Length): the server counts the bytes and stops at the limit."""
    boundary = "b0undary"
    sent = {"bytes": 0}

    def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="video"; filename="x.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        for _ in range(300):  # 300 x 16 kB = 4.9 MB, far beyond the limit
            sent["bytes"] += 16384
            yield b"\0" * 16384
        yield f"\r\n--{boundary}--\r\n".encode()

    before = (_stored(server), _rows(server))
    try:
        response = server.http.post(
            "/api/analyses", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        assert response.status_code == 413
    except Exception as err:  # the server may close the connection before the client finished sending
        assert "httpx" in type(err).__module__, err
    assert (_stored(server), _rows(server)) == before


def test_an_upload_named_dot_dot_lands_inside_the_data_dir(server, tmp_path):
    short = clip(SQUAT_SIDE, tmp_path / "short.mp4", n_frames=10)
    response = server.upload(short, name="../../x.mp4")
    assert response.status_code == 202, response.text
    analysis_id = response.json()["id"]
    assert not (server.data_dir.parent.parent / "x.mp4").exists()
    assert not (server.data_dir.parent / "x.mp4").exists()
    assert f"videos/{analysis_id}.mp4" in _stored(server)
    job = server.http.get(f"/api/analyses/{analysis_id}").json()
    assert job == {**job, "status": "queued", "progress": 0.0, "error": None}
    assert server.http.get(f"/api/analyses/{analysis_id}/report.json").status_code == 409
    assert server.http.delete(f"/api/analyses/{analysis_id}").status_code == 204
    assert f"videos/{analysis_id}.mp4" not in _stored(server)
    assert server.http.get(f"/api/analyses/{analysis_id}").status_code == 404


def test_clients_are_created_listed_and_checked(server):
    created = server.http.post("/api/clients", json={"name": "J.D.", "sex": "male", "age_years": 47})
    assert created.status_code == 201
    client = created.json()
    assert client == {"id": client["id"], "name": "J.D.", "sex": "male", "age_years": 47}
    assert client in server.http.get("/api/clients").json()
    for bad, message in (
        ({"name": ""}, "name"),
        ({"name": "A", "sex": "x"}, "sex"),
        ({"name": "A", "age_years": 400}, "age"),
    ):
        response = server.http.post("/api/clients", json=bad)
        assert response.status_code == 400 and message in response.json()["error"]


def test_an_upload_for_an_unknown_client_or_movement_is_refused(server, tmp_path):
    short = clip(SQUAT_SIDE, tmp_path / "short.mp4", n_frames=5)
    before = (_stored(server), _rows(server))
    assert server.upload(short, client=99999).status_code == 404
    assert server.upload(short, movement="dance").status_code == 400
    assert (_stored(server), _rows(server)) == before


@pytest.mark.parametrize(
    "path",
    [
        "/analyses/..%2F..%2Fmovelab.sqlite3",
        "/static/..%2Fmovelab.sqlite3",
        "/static/../../movelab.sqlite3",
        "/analyses/" + "0" * 32 + "/files/..%2F..%2Fmovelab.sqlite3",
        "/analyses/" + "0" * 32 + "/files/movelab.sqlite3",
    ],
)
def test_nothing_outside_the_data_and_static_folders_is_served(server, path):
    response = server.http.get(path)
    assert response.status_code == 404 and b"SQLite" not in response.content


def test_cross_site_writes_are_refused(server):
    for headers in (
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:1"},
    ):
        response = server.http.post("/api/clients", json={"name": "X"}, headers=headers)
        assert response.status_code == 403, headers
    same = server.http.post(
        "/api/clients", json={"name": "Y"}, headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 201


def test_a_foreign_host_name_is_refused_on_loopback(server):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends Host: evil.example."""
    assert server.http.get("/api/clients", headers={"Host": "evil.example:8000"}).status_code == 421


def test_the_log_holds_ids_not_client_names(server):
    server.http.post("/api/clients", json={"name": "Zebediah Quux"})
    server.http.post("/clients", data={"name": "Xanthippe Roe"})
    assert "Zebediah" not in server.log.read_text() and "Xanthippe" not in server.log.read_text()


def test_a_non_local_bind_requires_the_printed_token(tmp_path):
    srv = Server(tmp_path / "data", "--workers", "0", host="0.0.0.0")
    try:
        line = next(x for x in srv.lines if "token=" in x)
        token = line.split("token=")[1].split()[0]
        local = srv.url.replace("0.0.0.0", "127.0.0.1")
        import httpx

        with httpx.Client(base_url=local, follow_redirects=True) as http:
            assert http.get("/api/clients").status_code == 401
            assert http.get("/api/clients", headers={"Authorization": f"Bearer {token}"}).status_code == 200
            visit = http.get(f"/?token={token}")  # sets the cookie, then the page opens without the token
            assert visit.status_code == 200 and http.cookies.get("movelab_token") == token
            assert http.get("/api/clients").status_code == 200
    finally:
        srv.stop()


def test_the_database_is_schema_versioned_and_migrated(tmp_path):
    from movelab.app import db as appdb

    path = tmp_path / "m.sqlite3"
    database = appdb.connect(path)
    assert database.execute("PRAGMA user_version").fetchone()[0] == appdb.SCHEMA_VERSION == 2
    database.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {appdb.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(RuntimeError, match="newer than this movelab"):
        appdb.connect(path)


# ----------------------------------------------------------------------------- with the pose model


@pytest.mark.slow
def test_three_uploads_at_once_all_finish(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    short = clip(SQUAT_SIDE, tmp_path / "short.mp4", n_frames=30)
    srv = Server(tmp_path / "data")
    try:
        client = srv.http.post("/api/clients", json={"name": "T"}).json()["id"]
        with ThreadPoolExecutor(3) as pool:
            answers = list(pool.map(lambda _: srv.upload(short, client=client), range(3)))
        assert [a.status_code for a in answers] == [202] * 3
        jobs = [srv.wait_done(a.json()["id"]) for a in answers]
        assert [j["status"] for j in jobs] == ["done"] * 3, jobs
        report = srv.http.get(f"/api/analyses/{jobs[0]['id']}/report.json").json()
        assert report["schema"] == "movelab.report/1" and report["video"]["frames"] == 30
    finally:
        srv.stop()


def _running(srv: Server, analysis_id: str) -> bool:
    job = srv.http.get(f"/api/analyses/{analysis_id}").json()
    return job["status"] == "running" and job["progress"] > 0


@pytest.mark.slow
def test_a_job_killed_with_its_worker_or_the_server_still_finishes(tmp_path):
    """First its worker dies (the server starts another, which takes the job again), then the whole server
    is killed mid-analysis; the next start finishes the job."""
    import os
    import signal

    video = clip(SQUAT_SIDE, tmp_path / "long.mp4", n_frames=90)
    srv = Server(tmp_path / "data")
    analysis_id = srv.upload(video).json()["id"]
    wait_for(lambda: _running(srv, analysis_id), timeout_s=120, every_s=0.1)
    with sqlite3.connect(srv.data_dir / "movelab.sqlite3") as raw:
        (worker,) = raw.execute("SELECT worker_pid FROM analyses WHERE id = ?", (analysis_id,)).fetchone()
    os.kill(worker, signal.SIGKILL)
    wait_for(lambda: "starting another" in srv.log.read_text(), timeout_s=20)
    wait_for(lambda: _running(srv, analysis_id), timeout_s=120, every_s=0.1)
    srv.kill()
    again = Server(tmp_path / "data")
    try:
        job = again.wait_done(analysis_id)
        assert job["status"] == "done", job
        assert (again.data_dir / "sessions" / analysis_id / "overlay.mp4").is_file()
        assert "1 interrupted analysis(es) queued again" in again.log.read_text()
    finally:
        again.stop()


def test_client_page_shows_trends_and_compares_two_sessions(server):
    """Three finished squat sessions with known values (written as a worker would), then the pages."""
    import json

    from test_trends import SESSIONS

    from movelab.app import db as appdb
    from movelab.app.storage import DataDir, new_id

    client = server.http.post("/api/clients", json={"name": "Trend"}).json()["id"]
    data = DataDir(server.data_dir)
    database = appdb.connect(data.database)
    ids = []
    for i, (_, report) in enumerate(SESSIONS):
        analysis_id = new_id()
        appdb.add_analysis(
            database,
            analysis_id=analysis_id,
            client_id=client,
            source="upload",
            movement="squat",
            video_file=f"{analysis_id}.mp4",
        )
        database.execute("UPDATE analyses SET created_at = ? WHERE id = ?", (1.77e9 + i * 86400 * 28, analysis_id))
        appdb.finish(database, analysis_id, movement="squat", reps=2)
        out = data.session(analysis_id)
        out.mkdir()
        if i == 2:  # the last video was cut short: its page says so
            report = {**report, "video": {"truncated": True, "truncation": "the stream ends at 3.2 s of 6.7 s"}}
        (out / "report.json").write_text(json.dumps(report))
        (out / "angles.csv").write_text("time_s,frame,trunk_lean\n0.0,0,10.0\n0.1,1,20.0\n")
        ids.append(analysis_id)
    page = server.http.get(f"/clients/{client}")
    assert page.status_code == 200 and 'id="trend-squat"' in page.text
    assert '<option value="auto">auto</option>' in page.text  # every movement is offered for uploads
    png = server.http.get(f"/clients/{client}/trend.png", params={"movement": "squat"})
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert server.http.get(f"/clients/{client}/trend.png", params={"movement": "gait"}).status_code == 404
    compared = server.http.get(f"/clients/{client}/compare", params={"a": ids[0], "b": ids[2]})
    assert compared.status_code == 200 and "Session comparison" in compared.text
    assert "max_thigh_angle_right_deg" in compared.text and "max_thigh_angle_left_deg" not in compared.text
    assert server.http.get(f"/clients/{client}/compare", params={"a": ids[0], "b": "x"}).status_code == 404
    assert "ends early (the stream ends at 3.2 s of 6.7 s)" in server.http.get(f"/analyses/{ids[2]}").text
    assert "ends early" not in server.http.get(f"/analyses/{ids[0]}").text


def test_pages_allow_only_their_own_scripts_and_are_not_framed_by_others(server):
    page = server.http.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "http://" not in page.text.replace(server.url, "") and "https://" not in page.text  # no CDN


def test_a_version_1_database_is_migrated_keeping_its_rows(tmp_path):
    from movelab.app import db as appdb

    path = tmp_path / "v1.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(appdb.MIGRATIONS[0] + "PRAGMA user_version = 1;")
    raw.execute("INSERT INTO clients (name, created_at) VALUES ('Old', 0)")
    raw.commit()
    raw.close()
    database = appdb.connect(path)
    assert database.execute("PRAGMA user_version").fetchone()[0] == appdb.SCHEMA_VERSION == 2
    assert [c.name for c in appdb.list_clients(database)] == ["Old"]
    assert "person" in [r[1] for r in database.execute("PRAGMA table_info(analyses)")]


def test_the_clicked_person_is_kept_with_the_upload(server, tmp_path):
    short = clip(SQUAT_SIDE, tmp_path / "short.mp4", n_frames=5)
    before = (_stored(server), _rows(server))
    refused = server.upload(short, person="left of centre")
    assert refused.status_code == 400 and "person" in refused.json()["error"]
    assert (_stored(server), _rows(server)) == before
    accepted = server.upload(short, person="320,240").json()["id"]
    assert server.http.get(f"/api/analyses/{accepted}").json()["person"] == "320.0,240.0"
    assert server.http.delete(f"/api/analyses/{accepted}").status_code == 204


def test_a_video_is_known_by_its_content_whatever_its_name(server, tmp_path):
    short = clip(SQUAT_SIDE, tmp_path / "short.mp4", n_frames=5)
    response = server.upload(short, name="notes.txt")
    assert response.status_code == 202
    analysis_id = response.json()["id"]
    assert f"videos/{analysis_id}.mp4" in _stored(server)
    assert server.http.delete(f"/api/analyses/{analysis_id}").status_code == 204


def test_the_queue_gives_each_job_once_and_fails_one_interrupted_too_often(tmp_path):
    from movelab.app import db as appdb

    database = appdb.connect(tmp_path / "q.sqlite3")
    for name in ("a" * 32, "b" * 32):
        appdb.add_analysis(
            database, analysis_id=name, client_id=None, source="upload", movement="auto", video_file=f"{name}.mp4"
        )
    first, second = appdb.claim_next(database, worker_pid=1), appdb.claim_next(database, worker_pid=2)
    assert {first.id, second.id} == {"a" * 32, "b" * 32} and appdb.claim_next(database, worker_pid=3) is None
    appdb.finish(database, second.id, movement="squat", reps=2)
    for attempt in (1, 2):  # the server stops twice while the first job runs: it is queued again
        assert appdb.requeue_interrupted(database, max_attempts=3) == 1
        assert appdb.claim_next(database, worker_pid=4).attempts == attempt + 1
    appdb.requeue_interrupted(database, max_attempts=3)
    job = appdb.get_analysis(database, first.id)
    assert job.status == "failed" and "interrupted 3 times" in job.error
    assert appdb.get_analysis(database, second.id).status == "done"


def test_an_upload_that_is_not_a_form_or_has_no_video_is_refused(server):
    before = (_stored(server), _rows(server))
    not_form = server.http.post("/api/analyses", json={"video": "x"})
    assert not_form.status_code == 400 and "multipart/form-data" in not_form.json()["error"]
    no_video = server.http.post("/api/analyses", files={"other": ("a.mp4", b"123", "video/mp4")})
    assert no_video.status_code == 400 and "'video'" in no_video.json()["error"]
    fields_only = server.http.post("/api/analyses", data={"movement": "squat"}, files={"note": (None, b"hello")})
    assert fields_only.status_code == 400 and "no video" in fields_only.json()["error"]
    assert (_stored(server), _rows(server)) == before
