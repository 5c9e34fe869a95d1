"""A small client for the control API (used by ``signage ctl``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from signage.control.identity import HALL_HEADER


class ClientError(Exception):
    """``status`` 0 when nothing answered; ``code`` is the API's error code, ``not_player`` when
    what answered does not speak the control API; ``reply`` is the whole JSON answer."""

    def __init__(self, status: int, message: str, code: str | None = None, reply: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.reply = status, code, reply or {}


def _json(data: bytes, status: int) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ClientError(status, "not a JSON answer", "not_player")
    return value


def call(host: str, port: int, command: str, body: dict | None = None, token: str | None = None,
         timeout: float = 10.0, hall_id: str | None = None) -> dict:
    """GET ``/api/<command>`` (no body) or POST it; with ``hall_id`` another hall's player refuses."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{port}/api/{command}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if hall_id:
        request.add_header(HALL_HEADER, hall_id)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _json(response.read(), response.status)
    except urllib.error.HTTPError as exc:
        with exc:
            reply = _json(exc.read(), exc.code)
        raise ClientError(exc.code, str(reply.get("error", exc)), reply.get("code"), reply) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        raise ClientError(0, str(getattr(exc, "reason", exc))) from None
