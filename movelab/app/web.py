"""The clinic app's HTTP side (Starlette): HTML pages, the JSON API and the files of each session.

Every page and API call is a thin layer over :mod:`movelab.app.db` (records), :mod:`movelab.app.storage`
(files under generated names), :mod:`movelab.app.uploads` (receiving videos) and the library's report
writers; the analyses themselves run in :mod:`movelab.app.worker` processes.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.websockets import WebSocket, WebSocketClose

from movelab.app import db as appdb
from movelab.app.storage import SESSION_FILES, DataDir, is_id, new_id
from movelab.app.uploads import UploadError, check_video, receive_upload

__all__ = ["AppSettings", "create_app", "MOVEMENTS"]

log = logging.getLogger("movelab.app")
HERE = Path(__file__).resolve().parent
MOVEMENTS = ("auto", "squat", "lunge", "gait", "posture", "thomas", "aslr")
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: Sent with every answer: only this server's own scripts, styles, media and sockets; no framing by others.
_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        b"style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
        b"frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: with it Chromium sends "Origin: null" on form posts
]
#: A refused oversize body is read and dropped up to this size so the client sees the 413 (then closed).
_DRAIN_BYTES = 256 * 1024 * 1024
#: Files of a session put in its zip: the outputs (overlay faces blurred); never the original video.
_ZIP_FILES = ("report.html", "report.json", "angles.csv", "timeline.png", "overlay.mp4")


@dataclass(frozen=True)
class AppSettings:
    """How the app runs (the ``movelab serve`` options).

    Attributes
    ----------
    data_dir
        The data folder (:class:`movelab.app.storage.DataDir`).
    max_upload_bytes
        Largest video accepted; 500 MB holds about 10 min of 1080p phone video.
    token
        Access token every request must carry (cookie, ``Authorization: Bearer`` or ``?token=``);
        ``None`` when bound to the loopback address only.
    local_only
        Bound to a loopback address: requests must name a loopback host (blocks DNS rebinding).
    """

    data_dir: DataDir
    max_upload_bytes: int = 500_000_000
    token: str | None = None
    local_only: bool = True


def create_app(settings: AppSettings) -> Starlette:
    """The ASGI application."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["movements"] = MOVEMENTS
    templates.env.filters["when"] = _when
    database = appdb.connect(settings.data_dir.database)
    pages = _Pages(settings, database, templates)
    routes = [
        Route("/", pages.home),
        Route("/clients", pages.create_client, methods=["POST"]),
        Route("/clients/{client_id:int}", pages.client),
        Route("/clients/{client_id:int}/delete", pages.delete_client, methods=["GET", "POST"]),
        Route("/clients/{client_id:int}/trend.png", pages.trend_png),
        Route("/clients/{client_id:int}/compare", pages.compare),
        Route("/clients/{client_id:int}/record", pages.record),
        Route("/analyses/{analysis_id}", pages.session),
        Route("/analyses/{analysis_id}/delete", pages.delete_session, methods=["GET", "POST"]),
        Route("/analyses/{analysis_id}/files/{name}", pages.session_file),
        Route("/analyses/{analysis_id}/download.zip", pages.download_zip),
        Route("/api/analyses", pages.api_upload, methods=["POST"]),
        Route("/api/analyses", pages.api_list, methods=["GET"]),
        Route("/api/analyses/{analysis_id}", pages.api_status, methods=["GET"]),
        Route("/api/analyses/{analysis_id}", pages.api_delete, methods=["DELETE"]),
        Route("/api/analyses/{analysis_id}/report.json", pages.api_report),
        Route("/api/clients", pages.api_clients, methods=["GET", "POST"]),
        WebSocketRoute("/ws/live", pages.live),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(_Guard, settings=settings)
    app.state.settings = settings
    app.state.database = database
    return app


# ----------------------------------------------------------------------------- security


class _Guard:
    """Checks every request before the app sees it: host, access token, cross-site writes; logs ids only.

    * Bound to loopback, the Host header must name a loopback host (a rebinding DNS name cannot reach us).
    * With a token, it must come as the ``movelab_token`` cookie, an ``Authorization: Bearer`` header or
      ``?token=`` (which sets the cookie and redirects, so the token leaves the address bar).
    * Writes (POST, PUT, PATCH, DELETE) are refused when the browser says they come from another site
      (``Sec-Fetch-Site``) or an ``Origin`` other than this server.
    """

    def __init__(self, app, *, settings: AppSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        request = HTTPConnection(scope)
        refusal = self._refusal(request)
        if scope["type"] == "websocket":
            if refusal is not None or _cross_site(request, websocket=True):
                log.info("websocket %s refused", request.url.path)
                return await WebSocketClose(code=1008)(scope, receive, send)
            return await self.app(scope, receive, send)
        if refusal is None and self.settings.token and request.query_params.get("token"):
            refusal = self._token_redirect(request)
        if refusal is not None:
            log.info("%s %s -> %d", scope["method"], request.url.path, refusal.status_code)
            return await refusal(scope, receive, send)
        status = {}

        async def logged_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        await self.app(scope, receive, logged_send)
        log.info("%s %s -> %s", scope["method"], request.url.path, status.get("code"))

    def _refusal(self, request: HTTPConnection) -> Response | None:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if self.settings.local_only and host not in _LOCAL_HOSTS:
            return PlainTextResponse("this server answers only to 127.0.0.1 / localhost", status_code=421)
        if self.settings.token and not self._has_token(request):
            return PlainTextResponse(
                "this server needs its access token: open the address `movelab serve` printed (…?token=...)",
                status_code=401,
            )
        if request.scope.get("method") in _UNSAFE and _cross_site(request):
            return PlainTextResponse("cross-site request refused", status_code=403)
        return None

    def _has_token(self, request: HTTPConnection) -> bool:
        token = self.settings.token
        given = [request.cookies.get("movelab_token", ""), request.query_params.get("token", "")]
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given.append(auth[7:].strip())
        return any(g and secrets.compare_digest(g, token) for g in given)

    def _token_redirect(self, request: Request) -> Response:
        response = RedirectResponse(request.url.path, status_code=303)
        response.set_cookie("movelab_token", self.settings.token, httponly=True, samesite="strict")
        return response


def _cross_site(request: HTTPConnection, *, websocket: bool = False) -> bool:
    """A write from another site: ``Sec-Fetch-Site`` says so, or ``Origin`` names another server. A
    WebSocket must name this server as its ``Origin`` (browsers always send it; no CORS protects sockets)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # the browser's own word, which a page cannot forge
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if websocket and origin is None:
        return False  # not a browser
    if origin is not None:
        return origin == "null" or urlsplit(origin).netloc != request.headers.get("host")
    return False


# ----------------------------------------------------------------------------- pages and API


class _Pages:
    def __init__(self, settings: AppSettings, database, templates: Jinja2Templates) -> None:
        self.settings, self.db, self.templates = settings, database, templates
        self.data = settings.data_dir

    def _render(self, request: Request, name: str, status_code: int = 200, **context) -> Response:
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)

    def _not_found(self, request: Request, what: str) -> Response:
        return self._render(request, "message.html", 404, title="Not found", message=f"No such {what}.")

    # ---- clients

    async def home(self, request: Request) -> Response:
        return self._render(
            request, "home.html", clients=appdb.list_clients(self.db), analyses=appdb.list_analyses(self.db)[:20]
        )

    async def create_client(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        try:
            client = self._add_client(form.get("name"), form.get("sex"), form.get("age_years"))
        except UploadError as err:
            return self._render(request, "message.html", err.status, title="Not saved", message=err.message)
        return RedirectResponse(f"/clients/{client.id}", status_code=303)

    def _add_client(self, name, sex, age) -> appdb.Client:
        name = (name or "").strip()
        if not name or len(name) > 100:
            raise UploadError(400, "a client needs a name or initials (1-100 characters)")
        sex = (sex or None) if sex in (None, "", "female", "male") else "bad"
        if sex == "bad":
            raise UploadError(400, "sex must be female, male or not given")
        if age in (None, ""):
            age = None
        else:
            try:
                age = int(age)
            except (TypeError, ValueError):
                age = -1
            if not 0 <= age <= 130:
                raise UploadError(400, "age must be a whole number of years from 0 to 130, or not given")
        return appdb.add_client(self.db, name=name, sex=sex, age_years=age)

    async def client(self, request: Request) -> Response:
        client = appdb.get_client(self.db, request.path_params["client_id"])
        if client is None:
            return self._not_found(request, "client")
        analyses = appdb.list_analyses(self.db, client_id=client.id)
        done = [a for a in analyses if a.status == "done"]
        movements = sorted({a.movement for a in done if a.movement})
        return self._render(
            request, "client.html", client=client, analyses=analyses, done=done, trend_movements=movements
        )

    async def delete_client(self, request: Request) -> Response:
        client = appdb.get_client(self.db, request.path_params["client_id"])
        if client is None:
            return self._not_found(request, "client")
        analyses = appdb.list_analyses(self.db, client_id=client.id)
        if request.method == "GET":
            return self._render(
                request,
                "confirm.html",
                title=f"Delete client {client.name}?",
                message=f"This deletes the client and their {len(analyses)} session(s): "
                "videos, reports and overlays. It cannot be undone.",
                action=f"/clients/{client.id}/delete",
                back=f"/clients/{client.id}",
            )
        for a in analyses:
            self._delete(a)
        appdb.delete_client(self.db, client.id)
        log.info("client %d deleted", client.id)
        return RedirectResponse("/", status_code=303)

    async def trend_png(self, request: Request) -> Response:
        from movelab.app.progress import client_trend_png

        client_id = request.path_params["client_id"]
        movement = request.query_params.get("movement", "")
        png = await run_in_threadpool(client_trend_png, self.db, self.data, client_id, movement)
        if png is None:
            return PlainTextResponse("no finished session of this movement", status_code=404)
        return Response(png, media_type="image/png")

    async def compare(self, request: Request) -> Response:
        from movelab.app.progress import compare_two

        client = appdb.get_client(self.db, request.path_params["client_id"])
        ids = [request.query_params.get("a", ""), request.query_params.get("b", "")]
        rows = [appdb.get_analysis(self.db, i) if is_id(i) else None for i in ids]
        if client is None or any(r is None or r.client_id != client.id or r.status != "done" for r in rows):
            return self._not_found(request, "pair of finished sessions of this client")
        html = await run_in_threadpool(compare_two, self.data, rows[0], rows[1])
        return Response(html, media_type="text/html; charset=utf-8")

    async def record(self, request: Request) -> Response:
        client = appdb.get_client(self.db, request.path_params["client_id"])
        if client is None:
            return self._not_found(request, "client")
        return self._render(request, "record.html", client=client)

    async def live(self, websocket: WebSocket) -> None:
        """The webcam page's preview: JPEG frames in, skeleton and live rep count out (:mod:`movelab.app.live`)."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from movelab.app.live import LivePose

        await websocket.accept()
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(1, thread_name_prefix="movelab-live") as thread:  # the model stays on one thread
            pose = await loop.run_in_executor(thread, LivePose)
            try:
                while True:
                    message = await websocket.receive()
                    if message["type"] == "websocket.disconnect":
                        break
                    if message.get("text") == "reset":
                        pose.reset()
                    elif message.get("bytes"):
                        answer = await loop.run_in_executor(thread, pose.answer, message["bytes"])
                        await websocket.send_json(answer)
            finally:
                await loop.run_in_executor(thread, pose.close)

    # ---- sessions

    def _analysis(self, request: Request) -> appdb.Analysis | None:
        analysis_id = request.path_params["analysis_id"]
        return appdb.get_analysis(self.db, analysis_id) if is_id(analysis_id) else None

    async def session(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None:
            return self._not_found(request, "session")
        client = appdb.get_client(self.db, analysis.client_id) if analysis.client_id else None
        report = None
        if analysis.status == "done":
            path = self.data.session_file(analysis.id, "report.json")
            report = json.loads(path.read_text(encoding="utf-8")) if path else None
        from movelab.report.html import title_of

        return self._render(
            request,
            "session.html",
            analysis=analysis,
            client=client,
            report=report,
            title_of=title_of,
            has_overlay=self.data.session_file(analysis.id, "overlay.mp4") is not None,
        )

    async def delete_session(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None:
            return self._not_found(request, "session")
        back = f"/clients/{analysis.client_id}" if analysis.client_id else "/"
        if analysis.status == "running":
            return self._render(
                request,
                "message.html",
                409,
                title="Still running",
                message="This session is being analysed; delete it when it has finished.",
            )
        if request.method == "GET":
            return self._render(
                request,
                "confirm.html",
                title="Delete this session?",
                message="This deletes the session's video, report and overlay. It cannot be undone.",
                action=f"/analyses/{analysis.id}/delete",
                back=f"/analyses/{analysis.id}",
            )
        self._delete(analysis)
        return RedirectResponse(back, status_code=303)

    def _delete(self, analysis: appdb.Analysis) -> None:
        appdb.delete_analysis(self.db, analysis.id)
        self.data.remove(analysis.id, analysis.video_file)
        log.info("analysis %s deleted", analysis.id)

    async def session_file(self, request: Request) -> Response:
        analysis = self._analysis(request)
        name = request.path_params["name"]
        path = self.data.session_file(analysis.id, name) if analysis else None
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, media_type=SESSION_FILES[name])

    async def download_zip(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None or analysis.status != "done":
            return PlainTextResponse("no finished session with this id", status_code=404)
        data = await run_in_threadpool(self._zip, analysis.id)
        name = f"movelab-{_when(analysis.created_at, '%Y-%m-%d')}-{analysis.id[:8]}.zip"
        return Response(
            data, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    def _zip(self, analysis_id: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in _ZIP_FILES:
                path = self.data.session_file(analysis_id, name)
                if path is not None:
                    archive.write(path, arcname=name)
        return buffer.getvalue()

    # ---- JSON API

    async def api_upload(self, request: Request) -> Response:
        """POST /api/analyses: multipart ``video`` (+ ``movement``, ``client``) -> 202 {"id"}."""
        part = self.data.incoming()
        stream = request.stream()
        try:
            received = await receive_upload(
                request.headers, stream, part_path=part, max_bytes=self.settings.max_upload_bytes
            )
            movement, client_id = self._upload_options(received.fields)
            person = _person(received.fields.get("person"))
            if received.video is None:
                raise UploadError(400, "no video in the upload; send the file in the field 'video'")
            extension = await run_in_threadpool(check_video, part)
        except UploadError as err:
            part.unlink(missing_ok=True)
            log.info("upload refused (%d)", err.status)
            whole = await _discard(stream, max_bytes=_DRAIN_BYTES) if err.status == 413 else True
            return JSONResponse(
                {"error": err.message}, status_code=err.status, headers=None if whole else {"Connection": "close"}
            )
        analysis_id = new_id()
        video = self.data.video(analysis_id, extension)
        part.replace(video)
        source = "webcam" if received.fields.get("source") == "webcam" else "upload"
        appdb.add_analysis(
            self.db,
            analysis_id=analysis_id,
            client_id=client_id,
            source=source,
            movement=movement,
            video_file=video.name,
            person=person,
        )
        log.info("analysis %s queued (%d bytes)", analysis_id, received.video_bytes)
        return JSONResponse({"id": analysis_id, "status": "queued", "url": f"/analyses/{analysis_id}"}, status_code=202)

    def _upload_options(self, fields: dict[str, str]) -> tuple[str, int | None]:
        movement = fields.get("movement") or "auto"
        if movement not in MOVEMENTS:
            raise UploadError(400, f"movement must be one of {', '.join(MOVEMENTS)}, got {movement[:40]!r}")
        client = fields.get("client") or None
        if client is None:
            return movement, None
        if not client.isdigit() or appdb.get_client(self.db, int(client)) is None:
            raise UploadError(404, f"no client with id {client[:40]!r}")
        return movement, int(client)

    async def api_list(self, request: Request) -> Response:
        return JSONResponse([a.public() for a in appdb.list_analyses(self.db)])

    async def api_status(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None:
            return JSONResponse({"error": "no analysis with this id"}, status_code=404)
        return JSONResponse(analysis.public())

    async def api_report(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None:
            return JSONResponse({"error": "no analysis with this id"}, status_code=404)
        path = self.data.session_file(analysis.id, "report.json")
        if analysis.status != "done" or path is None:
            return JSONResponse({"error": f"the analysis is {analysis.status}, no report yet"}, status_code=409)
        return FileResponse(path, media_type="application/json")

    async def api_delete(self, request: Request) -> Response:
        analysis = self._analysis(request)
        if analysis is None:
            return JSONResponse({"error": "no analysis with this id"}, status_code=404)
        if analysis.status == "running":
            return JSONResponse({"error": "the analysis is running; delete it when it has finished"}, status_code=409)
        self._delete(analysis)
        return Response(status_code=204)

    async def api_clients(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse([_client_json(c) for c in appdb.list_clients(self.db)])
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": 'expected a JSON object like {"name": "A.B."}'}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": 'expected a JSON object like {"name": "A.B."}'}, status_code=400)
        try:
            client = self._add_client(body.get("name"), body.get("sex"), body.get("age_years"))
        except UploadError as err:
            return JSONResponse({"error": err.message}, status_code=err.status)
        return JSONResponse(_client_json(client), status_code=201)


def _person(text: str | None) -> str | None:
    """The ``person`` field: ``"x,y"`` (pixels of the upright first frame, where the clinician clicked)
    or an index of the automatic ranking; returned normalised, None when not given."""
    if not text:
        return None
    from movelab.app.worker import parse_person

    try:
        value = parse_person(text)
    except ValueError:
        raise UploadError(400, f"person must be a point like 320,240 or an index like 1, got {text[:40]!r}") from None
    return text.strip() if isinstance(value, int) else f"{value[0]:.1f},{value[1]:.1f}"


async def _discard(stream, *, max_bytes: int) -> bool:
    """Read and drop the rest of a refused body (up to ``max_bytes``), so the client hears the answer
    instead of a reset connection; nothing is stored. True when the body was read to its end."""
    seen = 0
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > max_bytes:
                return False
    except Exception:  # noqa: BLE001 - the client went away; nothing to answer
        return False
    return True


def _client_json(client: appdb.Client) -> dict:
    return {"id": client.id, "name": client.name, "sex": client.sex, "age_years": client.age_years}


def _when(timestamp: float | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    import datetime

    if timestamp is None:
        return ""
    return datetime.datetime.fromtimestamp(timestamp).strftime(fmt)
