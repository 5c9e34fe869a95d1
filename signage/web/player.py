"""The running player as the web app reaches it: its control API, read through short caches.

The browser never talks to the player: pages and the JSON API come here, and the control token
stays in this process. Status and each wall's snapshot are kept for ``FRESH`` seconds and fetched
by one request at a time (single flight), so twenty people watching the live page cost the
player one status and one snapshot per wall per half second. A player that is not running is
remembered for the same time, so a dead port is not hammered either.

Where the player listens comes from ``config.yaml``'s ``control:`` section (re-read when the file
changes); requests carry ``X-Signage-Hall`` so another hall's player refuses them.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from signage.config.hall import Hall
from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.control.identity import HALL_HEADER, config_id

FRESH = 0.5  # seconds a status or a snapshot is shared by every viewer
TIMEOUT = 3.0


class PlayerDown(Exception):
    """Nothing answered (the player is not running), or what answered is not this hall's player."""


class PlayerRefused(Exception):
    """The player answered with an error: ``status`` and its sentence."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    token: str | None
    hall_id: str
    enabled: bool = True

    def url(self, path: str) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{path}"


Fetch = Callable[[str, str, Address, bytes | None], tuple[int, bytes]]


def http_fetch(method: str, path: str, address: Address, body: bytes | None) -> tuple[int, bytes]:
    """One request to the player (blocking; run it in a worker thread). Raises ``PlayerDown``."""
    request = urllib.request.Request(address.url(path), data=body, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header(HALL_HEADER, address.hall_id)
    if address.token:
        request.add_header("Authorization", f"Bearer {address.token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
        raise PlayerDown(str(getattr(exc, "reason", exc))) from None


def _json(data: bytes) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise PlayerDown("not the player")  # something else listens on the port
    return value


class _Cached:
    """One value fetched at most once per ``FRESH`` seconds, by one caller at a time."""

    def __init__(self):
        self.at: float | None = None
        self.value = None
        self.error: Exception | None = None
        self.lock: asyncio.Lock | None = None

    def fresh(self, now: float) -> bool:
        return self.at is not None and 0 <= now - self.at < FRESH


class PlayerLink:
    def __init__(self, config_path: Path, clock: Callable[[], float], fetch: Fetch = http_fetch):
        self.config_path = Path(config_path).absolute()
        self.clock = clock
        self.fetch = fetch
        self.requests = 0  # made to the player (tests and the benchmark read it)
        self._hall: tuple[float, Hall | None] | None = None
        self._cache: dict[tuple, _Cached] = {}

    # ---- the hall ---------------------------------------------------------------------------

    def hall(self) -> Hall | None:
        """The hall as configured (walls, labels, sizes, control), re-read when config.yaml
        changes; the last good one while it is broken; None when it never loaded."""
        try:
            mtime = self.config_path.stat().st_mtime
        except OSError:
            return self._hall[1] if self._hall else None
        if self._hall is None or self._hall[0] != mtime:
            try:
                hall = load_hall(self.config_path, check_assets=False)
            except ConfigError:
                hall = self._hall[1] if self._hall else None
            self._hall = (mtime, hall)
        return self._hall[1]

    def address(self) -> Address:
        hall = self.hall()
        hall_id = config_id(self.config_path)
        if hall is None:
            return Address("127.0.0.1", 8765, None, hall_id)
        control = hall.config.control
        return Address(control.bind, control.port, control.token, hall_id, control.enabled)

    # ---- asking -----------------------------------------------------------------------------

    async def _request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        address = await run_in_threadpool(self.address)
        if not address.enabled:
            raise PlayerDown("control API disabled")
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        self.requests += 1
        return await run_in_threadpool(self.fetch, method, path, address, data)

    async def _shared(self, key: tuple, load: Callable[[], object]):
        entry = self._cache.setdefault(key, _Cached())
        if entry.lock is None:
            entry.lock = asyncio.Lock()
        if not entry.fresh(self.clock()):
            async with entry.lock:
                if not entry.fresh(self.clock()):  # another viewer may have fetched it meanwhile
                    try:
                        entry.value, entry.error = await load(), None
                    except (PlayerDown, PlayerRefused) as exc:
                        entry.value, entry.error = None, exc
                    entry.at = self.clock()
        if entry.error is not None:
            raise entry.error
        return entry.value

    async def status(self) -> dict:
        """``GET /api/status`` (shared for ``FRESH`` seconds)."""

        async def load():
            code, data = await self._request("GET", "/api/status")
            reply = _json(data)
            if code != 200:
                raise PlayerRefused(code, str(reply.get("error", "")), reply.get("code"))
            if reply.get("hall_id") != config_id(self.config_path):
                raise PlayerDown("another hall's player")
            return reply

        return await self._shared(("status",), load)

    async def snapshot(self, display: str, width: int) -> bytes:
        """The PNG of what ``display`` shows, ``width`` pixels across (shared for ``FRESH`` s)."""

        async def load():
            code, data = await self._request("GET", f"/api/snapshot/{display}.png?width={width}")
            if code != 200 or not data.startswith(b"\x89PNG"):
                reply = _json(data) if not data.startswith(b"\x89PNG") else {}
                raise PlayerRefused(code, str(reply.get("error", "")), reply.get("code"))
            return data

        return await self._shared(("snapshot", display, width), load)

    async def command(self, name: str, body: dict) -> dict:
        """``POST /api/<name>``; the player's answer, or ``PlayerRefused`` with its sentence."""
        code, data = await self._request("POST", f"/api/{name}", body)
        reply = _json(data)
        if code != 200:
            raise PlayerRefused(code, str(reply.get("error", "")), reply.get("code"))
        self._cache.pop(("status",), None)  # the next look shows what this did
        return reply
