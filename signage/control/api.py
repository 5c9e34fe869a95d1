"""The local control API: HTTP + JSON (Starlette under uvicorn), in a thread of the player.

Bound to 127.0.0.1 by default. Binding any other address requires the token from the config, and
a request without the right ``Authorization: Bearer <token>`` gets 401. A request may name the
hall it means (``X-Signage-Hall: <id>``); another hall's player answers 421 and does nothing.
Commands are handed to the player's main thread through ``submit`` and answered with its result.
A body that cannot be read whole or parsed gets 400 and changes nothing; no command falls back
to every wall: a missing ``display`` is passed on as None (the clicker's wall), ``"all"`` is all.

Errors are ``{"ok": false, "error": sentence, "code": word}``; the codes are in ``ERROR_CODES``.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signage.config.network import is_loopback
from signage.control.identity import HALL_HEADER, hall_identity
from signage.control.operations import CommandError, Operations
from signage.i18n import t
from signage.playback.holds import HoldKind
from signage.timefmt import iso

log = logging.getLogger("signage.api")

MAX_BODY = 64 * 1024
HOLDS = tuple(kind.value for kind in HoldKind.simple_commands())  # black, freeze, logo
COMMANDS = ("next", "prev", *HOLDS, "resume", "message", "load", "mute", "unmute", "volume", "sound")
SNAPSHOT_FRESH = 0.5  # seconds an encoded snapshot is served again to other pollers
ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "use_post", 409: "no_sound", 413: "too_large",
    415: "unsupported", 421: "wrong_hall", 422: "cannot_show", 503: "busy",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, headers: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.headers, self.extra = status, headers or {}, extra

    def response(self) -> JSONResponse:
        body = {"ok": False, "error": str(self), "code": ERROR_CODES.get(self.status, "error"), **self.extra}
        return JSONResponse(body, self.status, headers=self.headers)


def dispatch(ops: Operations, command: str, body: dict, now, by: str) -> dict:
    """One API command → Operations (pure: no HTTP, no threads). ``display`` goes through as it
    came: None when the body has none (Operations decides what that means), never "all"."""
    display = body.get("display")
    if "display" in body and display in ("", []):
        raise CommandError(400, t("api_no_display"))
    duration = body.get("for")
    if command in HOLDS:
        return ops.hold(command, display, now, by, duration)
    if command in ("next", "prev"):
        return ops.step(1 if command == "next" else -1, display, now, by)
    if command == "resume":
        return ops.resume(display, now, by)
    if command == "message":
        return ops.message(body.get("text"), display, now, by, duration, body.get("style"))
    if command == "load":
        return ops.load(body.get("path"), display, now, by, duration)
    if command in ("mute", "unmute"):
        return ops.set_sound(now, by, muted=command == "mute")
    if command == "volume":
        return ops.volume(body.get("volume"), now, by)
    if command == "sound":  # both at once (the web app's POST /api/v1/sound)
        return ops.set_sound(now, by, muted=body.get("muted"), volume=body.get("volume"))
    if command == "status":
        return ops.status(now)
    raise CommandError(404, t("api_unknown_command", command=command, commands=", ".join(("status", *COMMANDS))))


async def read_json_body(request: Request) -> dict:
    """The whole body (also when sent in chunks) as a JSON object; an empty body is ``{}``.
    Over ``MAX_BODY`` → 413 without reading the rest. Raises ``ClientDisconnect`` on a hang-up."""
    too_large = ApiError(413, t("api_too_large", limit=MAX_BODY), headers={"Connection": "close"})
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise too_large
    if not data.strip():
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, t("api_bad_utf8")) from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(400, t("api_bad_json", error=exc)) from None
    if not isinstance(body, dict):
        raise ApiError(400, t("api_not_object"))
    return body


def _plain(value):
    """Anything the player holds, as JSON values (paths and the like become text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class ControlServer:
    """The API on ``bind:port``. The socket is bound when this is made (so a port in use raises
    ``OSError`` at once, in the caller's thread); ``start`` serves it from a thread of its own.

    ``player`` (optional, duck-typed, read on the main thread only) gives the walls' latest
    canvases (``latest``), ``rehearsal`` and ``missing_screens``; the hall comes from ``ops``.
    """

    def __init__(self, ops: Operations, submit: Callable[[Callable[[], object]], object], clock,
                 bind: str = "127.0.0.1", port: int = 8765, token: str | None = None, *, player=None):
        if not is_loopback(bind) and not token:
            raise ValueError(t("control_needs_token", bind=bind))
        self.ops, self.submit, self.clock, self.token, self.player = ops, submit, clock, token, player
        self.bind = bind
        self._snapshots: dict[str, tuple[int | None, float, bytes]] = {}
        self.socket = listen(bind, port)
        self.address = self.socket.getsockname()[:2]
        # http "auto": httptools when installed (C parser), h11 otherwise. The loop stays asyncio:
        # uvloop in a daemon thread can crash the player at exit if the thread is still running
        config = uvicorn.Config(
            self.app(), loop="asyncio", http="auto", ws="none", lifespan="off", log_config=None,
            log_level="warning", access_log=False, server_header=False, timeout_graceful_shutdown=1,
        )
        self._server = _ThreadServer(config)
        self._thread = threading.Thread(target=self._serve, name="control-api", daemon=True)

    # ---- running ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()
        log.info(t("api_started", host=self.address[0], port=self.address[1]))

    def _serve(self) -> None:
        try:
            self._server.run(sockets=[self.socket])
        except Exception:  # noqa: BLE001 - the API stops; the walls must not
            log.exception("control API stopped")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.socket.close()

    # ---- the web application -------------------------------------------------------------------

    def app(self) -> Starlette:
        routes = [
            Route("/api/status", self._status, methods=["GET"]),
            Route("/api/hall", self._hall, methods=["GET"]),
            Route("/api/snapshot/{display}.png", self._snapshot, methods=["GET"]),
            Route("/api/{command}", self._command, methods=["GET", "POST"]),
        ]

        async def http_error(_request, exc: HTTPException):
            if exc.status_code == 405:
                return ApiError(405, t("api_use_post")).response()
            return ApiError(exc.status_code, t("api_not_found")).response()

        async def api_error(_request, exc: ApiError):
            return exc.response()

        async def hung_up(request, _exc: ClientDisconnect):
            log.debug("client %s hung up mid-request", request.client.host if request.client else "?")
            return Response(status_code=400)  # nobody reads it

        handlers = {HTTPException: http_error, ApiError: api_error, ClientDisconnect: hung_up}
        return _Guard(Starlette(routes=routes, exception_handlers=handlers), self)

    def identity(self) -> dict:
        return hall_identity(self.ops.planner.hall)

    async def _call(self, fn: Callable[[], object]):
        """``fn`` on the player's main thread, waited for in a worker thread."""
        try:
            return await run_in_threadpool(self.submit, fn)
        except CommandError as exc:
            raise ApiError(exc.status, str(exc)) from None
        except TimeoutError:
            raise ApiError(503, t("api_busy"), headers={"Retry-After": "1"}) from None

    async def _status(self, request: Request) -> Response:
        result = await self._call(lambda: dispatch(self.ops, "status", {}, self.clock.now(), ""))
        identity = self.identity()
        result = {**result, "hall_id": identity["id"], "config": identity["config"],
                  "rehearsal": bool(getattr(self.player, "rehearsal", False))}
        return JSONResponse(result)

    async def _command(self, request: Request) -> Response:
        command = request.path_params["command"]
        if request.method == "GET":
            if command in COMMANDS:
                raise ApiError(405, t("api_use_post"), headers={"Allow": "POST"})
            raise ApiError(404, t("api_unknown_command", command=command,
                                  commands=", ".join(("status", "hall", *COMMANDS))))
        body = await read_json_body(request)
        by = f"api {request.client.host if request.client else '?'}"
        result = await self._call(lambda: dispatch(self.ops, command, body, self.clock.now(), by))
        return JSONResponse(result)

    def _hall_now(self) -> dict:
        """What the web app needs to know about the hall (read on the main thread)."""
        hall = self.ops.planner.hall
        player = self.player
        latest = getattr(player, "latest", {})
        missing = getattr(player, "missing_screens", {}) or {}
        return _plain({
            "ok": True,
            "hall": self.identity(),
            "at": iso(self.clock.now()),
            "timezone": hall.config.timezone,
            "rehearsal": bool(getattr(player, "rehearsal", False)),
            "displays": {
                name: {
                    "label": hall.label(name),
                    "size": list(spec.size),
                    "screen": spec.screen,
                    "missing": name in missing,
                    "has_frame": name in latest,
                    "snapshot": f"/api/snapshot/{name}.png",
                } for name, spec in hall.displays.items()
            },
            "missing_screens": missing,
        })

    async def _hall(self, request: Request) -> Response:
        return JSONResponse(await self._call(self._hall_now))

    def _canvas(self, display: str):
        canvas = getattr(self.player, "latest", {}).get(display)
        return None if canvas is None else canvas.copy()  # video frames live in reused buffers

    async def _snapshot(self, request: Request) -> Response:
        from signage.media.png import encode_png

        display = request.path_params["display"]
        names = tuple(self.ops.planner.hall.displays)
        if display not in names:
            raise ApiError(404, t("displays_unknown", unknown=display, names=", ".join(names)))
        width = request.query_params.get("width")
        if width is not None:
            if not width.isdigit() or not 16 <= int(width) <= 16384:
                raise ApiError(400, t("api_bad_width"))
            width = int(width)
        cached = self._snapshots.get(display)  # one per wall: pollers share it for half a second
        if cached is None or cached[0] != width or time.monotonic() - cached[1] > SNAPSHOT_FRESH:
            canvas = await self._call(lambda: self._canvas(display))
            if canvas is None:
                raise ApiError(503, t("api_no_frame", display=display), headers={"Retry-After": "1"})
            cached = (width, time.monotonic(), await run_in_threadpool(encode_png, canvas, width))
            self._snapshots[display] = cached
        return Response(cached[2], media_type="image/png", headers={"Cache-Control": "no-store"})


class _Guard:
    """Before any route and before any body is read: the token and the hall a client means."""

    def __init__(self, app, server: ControlServer):
        self.app, self.server = app, server

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        try:
            self.check(request)
            if not scope["path"].startswith("/api/"):
                raise ApiError(404, t("api_not_found"))
        except ApiError as exc:
            return await exc.response()(scope, receive, send)
        await self.app(scope, receive, send)

    def check(self, request: Request) -> None:
        token = self.server.token
        if token:
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                raise ApiError(401, t("api_unauthorized"),
                               headers={"WWW-Authenticate": "Bearer", "Connection": "close"})
        wanted = request.headers.get(HALL_HEADER)
        if wanted:
            identity = self.server.identity()
            if wanted != identity["id"]:
                raise ApiError(421, t("api_wrong_hall", name=identity["name"], config=identity["config"]),
                               hall=identity)


class _ThreadServer(uvicorn.Server):
    """uvicorn in a thread of the player: the player, not uvicorn, owns SIGINT and SIGTERM."""

    def install_signal_handlers(self) -> None:  # uvicorn before 0.29
        return None

    @contextlib.contextmanager
    def capture_signals(self):  # uvicorn 0.29 and later
        yield


def listen(bind: str, port: int) -> socket.socket:
    """A listening TCP socket on ``bind:port`` (``OSError`` when the port is taken)."""
    family, kind, proto, _, address = socket.getaddrinfo(bind, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart is not held up by TIME_WAIT
        sock.bind(address)
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock
