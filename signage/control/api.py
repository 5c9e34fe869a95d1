"""The local control API: HTTP + JSON, in a thread of the player process.

Bound to 127.0.0.1 by default. Binding any other address requires the token from the config, and
a request without the right ``Authorization: Bearer <token>`` gets 401. Commands are handed to
the player's main thread through ``submit`` and answered with its result; a bad request gets a
4xx JSON error and changes nothing.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from signage.config.network import is_loopback
from signage.control.operations import CommandError, Operations
from signage.playback.holds import HoldKind

log = logging.getLogger("signage.api")

MAX_BODY = 64 * 1024
HOLDS = tuple(kind.value for kind in HoldKind.simple_commands())  # black, freeze, logo


def dispatch(ops: Operations, command: str, body: dict, now, by: str) -> dict:
    """One API command → Operations (pure: no HTTP, no threads)."""
    display = body.get("display")
    duration = body.get("for")
    if command in HOLDS:
        return ops.hold(command, display, now, by, duration)
    if command in ("next", "prev"):
        return ops.step(1 if command == "next" else -1, display, now, by)
    if command == "resume":
        return ops.resume(display, now, by)
    if command == "message":
        return ops.message(body.get("text"), display, now, by, duration)
    if command == "load":
        return ops.load(body.get("path"), display, now, by, duration)
    if command == "status":
        return ops.status(now)
    raise CommandError(404, f"unknown command {command!r}; commands: status, next, prev, black, freeze, "
                            "logo, resume, message, load")


class ControlServer:
    def __init__(self, ops: Operations, submit: Callable[[Callable[[], dict]], dict], clock,
                 bind: str = "127.0.0.1", port: int = 8765, token: str | None = None):
        if not is_loopback(bind) and not token:
            raise ValueError(f"binding the control API to {bind} needs control.token in the config")
        self.ops, self.submit, self.clock, self.token = ops, submit, clock, token
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):  # noqa: N802 - quiet; actions are logged by the state
                log.debug("%s " + fmt, self.client_address[0], *args)

            def do_GET(self):  # noqa: N802
                self._handle("GET")

            def do_POST(self):  # noqa: N802
                self._handle("POST")

            def _reply(self, status: int, payload: dict) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                if server.token:
                    given = self.headers.get("Authorization", "")
                    if not hmac.compare_digest(given.encode(), f"Bearer {server.token}".encode()):
                        self.close_connection = True
                        return self._reply(401, {"ok": False, "error": "missing or wrong token"})
                path = self.path.split("?", 1)[0].rstrip("/")
                if not path.startswith("/api/"):
                    return self._reply(404, {"ok": False, "error": "not found; the API is under /api/"})
                command = path[len("/api/"):]
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    return self._reply(400, {"ok": False, "error": "bad Content-Length"})
                if length > MAX_BODY:
                    self.close_connection = True
                    return self._reply(413, {"ok": False, "error": f"body over {MAX_BODY} bytes"})
                raw = self.rfile.read(length) if length else b""
                if method == "GET" and command != "status":
                    return self._reply(405, {"ok": False, "error": "use POST for commands"})
                try:
                    body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    return self._reply(400, {"ok": False, "error": f"malformed JSON: {exc}"})
                if not isinstance(body, dict):
                    return self._reply(400, {"ok": False, "error": "the body must be a JSON object"})
                by = f"api {self.client_address[0]}"
                try:
                    result = server.submit(lambda: dispatch(server.ops, command, body, server.clock.now(), by))
                except CommandError as exc:
                    return self._reply(exc.status, {"ok": False, "error": str(exc)})
                except TimeoutError:
                    return self._reply(503, {"ok": False, "error": "the player is busy; try again"})
                return self._reply(200, result)

        self.httpd = ThreadingHTTPServer((bind, port), Handler)
        self.httpd.daemon_threads = True
        self.address = self.httpd.server_address
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="control-api", daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("control API on http://%s:%d/api/", *self.address[:2])

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
