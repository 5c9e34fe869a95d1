"""A small client for the control API (used by ``signage ctl``)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class ClientError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def call(host: str, port: int, command: str, body: dict | None = None, token: str | None = None,
         timeout: float = 10.0) -> dict:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    url = f"http://{host}:{port}/api/{command}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read().decode()).get("error", str(exc))
        except (ValueError, AttributeError):
            message = str(exc)
        raise ClientError(exc.code, message) from None
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        raise ClientError(0, str(getattr(exc, "reason", exc))) from None
