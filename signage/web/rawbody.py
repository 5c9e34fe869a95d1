"""A request body moved from the socket into a file by the kernel (``splice``), for tus PATCH.

uvicorn hands a body to the app in pieces of at most 64 KiB, each copied on its way (uvloop's
bytes, httptools' slice, uvicorn's buffer, the ASGI message): for a 500 MB clip that cost more
CPU than writing the file, CPU the walls need. ``SplicingProtocol`` is uvicorn's httptools
protocol that also offers the app, as ``scope["extensions"]["signage.rawbody"]``, a ``RawBody``:
``await body.into(fd, at)`` puts the body into ``fd`` from offset ``at`` with ``splice(2)``
(socket → pipe → file) in a thread of its own; no byte of it passes through Python.

The HTTP parser never sees spliced bytes: once the whole body is in, the connection gets a
fresh parser that starts at the next byte, so the client's next request (the next chunk) can use
the same connection; a body that ended early (a cut or silent client) closes it. Offered only for a body of a
declared length (``Content-Length``, not chunked) that is not all in already, when ``os.splice``
exists (Linux) and fewer than ``MAX_ACTIVE`` bodies are being spliced; otherwise the app reads
the body as usual (``request.stream()``). A client that sends nothing for ``IDLE_S`` seconds, or
hangs up, ends the body where it stopped; what arrived stays in the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import select
import sys
import threading
from collections.abc import Callable

KEY = "signage.rawbody"
CONTENT_TYPE = b"application/offset+octet-stream"  # tus PATCH: the only bodies offered
MAX_ACTIVE = 8  # bodies spliced at once (one thread each); past that the app reads them itself
IDLE_S = 60.0  # a client silent this long has gone
PIPE_BYTES = 1 << 20
KICK_BYTES = 16 << 20  # the disk is asked to start writing every this many bytes
_POLL_MS = 1000  # how often a waiting thread looks at ``_stopping``

_active = threading.BoundedSemaphore(MAX_ACTIVE)
_stopping = threading.Event()  # set at shutdown: waiting threads give up within a second

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # no httptools: uvicorn runs h11 and nothing is offered
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


def supported() -> bool:
    return HttpToolsProtocol is not None and hasattr(os, "splice")


def http_protocol():
    """What to give ``uvicorn.Config(http=…)``: the splicing protocol where it works, else "auto"."""
    return SplicingProtocol if supported() else "auto"


def stop() -> None:
    """Shutting down: threads waiting for a slow client end within a second."""
    _stopping.set()


def _splice(sock: int, fd: int, at: int, count: int, idle_s: float) -> int:
    """Move up to ``count`` bytes from the (non-blocking) socket ``sock`` to ``fd`` at ``at``;
    the number moved (fewer when the client hung up or went silent)."""
    moved = 0
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
    r, w = os.pipe()
    try:
        with contextlib.suppress(OSError):
            import fcntl
            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        silent = 0.0
        kicked = 0
        while moved < count and not _stopping.is_set():
            try:
                n = os.splice(sock, w, min(count - moved, PIPE_BYTES),
                              flags=os.SPLICE_F_MOVE | os.SPLICE_F_NONBLOCK)
            except BlockingIOError:
                if poller.poll(_POLL_MS):
                    silent = 0.0
                    continue
                silent += _POLL_MS / 1000
                if silent >= idle_s:
                    break
                continue
            except OSError:  # reset by the client
                break
            if n == 0:  # the client hung up
                break
            left = n
            while left:  # the pipe to the file (blocks only on the disk)
                left -= os.splice(r, fd, left, offset_dst=at + moved + (n - left))
            moved += n
            if moved - kicked >= KICK_BYTES:
                _start_writeback(fd, at + kicked, moved - kicked)
                kicked = moved
        if moved > kicked:  # the tail of this body too: the next body may be a while coming
            _start_writeback(fd, at + kicked, moved - kicked)
    finally:
        os.close(r)
        os.close(w)
    return moved


def _libc_sync_file_range():
    try:
        fn = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    return fn


_SYNC_FILE_RANGE_WRITE = 2
_sync_file_range = _libc_sync_file_range() if sys.platform == "linux" else None


def _start_writeback(fd: int, at: int, count: int) -> None:
    """Ask the disk to start writing a range now (it does not wait): the fsync after the last
    byte then has little left to do, instead of the whole file."""
    if _sync_file_range is not None:
        _sync_file_range(fd, at, count, _SYNC_FILE_RANGE_WRITE)


def _in_thread(fn: Callable[[], int]) -> asyncio.Future:
    """Run ``fn`` in a daemon thread of its own (one not joined at exit); its result as a future."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def run() -> None:
        try:
            value = fn()
        except BaseException as exc:  # handed to the awaiting request
            loop.call_soon_threadsafe(lambda e=exc: fut.done() or fut.set_exception(e))
        else:
            loop.call_soon_threadsafe(lambda: fut.done() or fut.set_result(value))

    threading.Thread(target=run, name="rawbody", daemon=True).start()
    return fut


class RawBody:
    """The body of one request, ``length`` bytes, that can be spliced into a file once."""

    def __init__(self, protocol, cycle, length: int):
        self._protocol = protocol
        self._cycle = cycle
        self.length = length
        self._used = False

    async def into(self, fd: int, at: int, *, first: int = 0,
                   on_first: Callable[[], None] | None = None, idle_s: float | None = None) -> int:
        """Write the body into ``fd`` from offset ``at``; the number of bytes written (fewer
        than ``length`` when the client went away). ``on_first`` runs once ``first`` bytes are
        in (or the body ended before): it may raise to stop the body there."""
        if self._used:
            raise RuntimeError("the body was taken already")
        self._used = True
        try:
            return await self._into(fd, at, first, on_first, IDLE_S if idle_s is None else idle_s)
        finally:
            _active.release()

    async def _into(self, fd: int, at: int, first: int, on_first: Callable[[], None] | None, idle_s: float) -> int:
        cycle, protocol = self._cycle, self._protocol
        if cycle.waiting_for_100_continue and not protocol.transport.is_closing():
            protocol.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            cycle.waiting_for_100_continue = False
        protocol.flow.pause_reading()
        early = bytes(cycle.body)[:self.length]  # parsed before the app ran
        cycle.body = bytearray()
        spliced = cycle.more_body and len(early) < self.length
        if spliced:
            cycle.more_body = False
            whole = False
            try:
                written = await self._splice_rest(fd, at, first, on_first, idle_s, early)
                whole = written == self.length
            finally:
                if not whole:  # the parser cannot tell where the body ended: close after the response
                    cycle.keep_alive = False
            if cycle.keep_alive and not protocol.transport.is_closing():  # (not when shutting down)
                protocol.rearm()  # the next request on this connection starts at the next byte
            return written
        written = await asyncio.to_thread(_pwrite_all, fd, early, at) if early else 0
        if on_first is not None:
            on_first()
        return written

    async def _splice_rest(self, fd: int, at: int, first: int, on_first: Callable[[], None] | None,
                           idle_s: float, early: bytes) -> int:
        protocol = self._protocol
        written = await asyncio.to_thread(_pwrite_all, fd, early, at) if early else 0
        sock = protocol.transport.get_extra_info("socket")
        if sock is None or protocol.transport.is_closing():
            if on_first is not None:
                on_first()
            return written
        sock_fd = sock.fileno()
        left = self.length - written
        if on_first is not None and written < first:
            step = min(left, first - written)
            got = await _in_thread(lambda pos=at + written: _splice(sock_fd, fd, pos, step, idle_s))
            written += got
            left = left - got if got == step else 0
        if on_first is not None:
            on_first()
        if left:
            written += await _in_thread(lambda pos=at + written, n=left: _splice(sock_fd, fd, pos, n, idle_s))
        return written


def _pwrite_all(fd: int, data: bytes, at: int) -> int:
    view = memoryview(data)
    done = 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], at + done)
    return done


if HttpToolsProtocol is not None:
    class SplicingProtocol(HttpToolsProtocol):  # type: ignore[misc,valid-type]
        """uvicorn's httptools protocol; a request with a declared body it has not yet read
        gets a ``RawBody`` in ``scope["extensions"]``."""

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            cycle = self.cycle
            if (cycle is None or self.pipeline or cycle.scope is not self.scope or not hasattr(os, "splice")
                    or self.scope.get("method") != "PATCH"):
                return
            length = None
            for name, value in self.headers:
                if name == b"transfer-encoding":
                    return
                if name == b"content-type" and value.split(b";")[0].strip().lower() != CONTENT_TYPE:
                    return
                if name == b"content-length":
                    if not value.isdigit() or length is not None:
                        return
                    length = int(value)
            if not length or not _active.acquire(blocking=False):
                return
            body = RawBody(self, cycle, length)
            self.scope.setdefault("extensions", {})[KEY] = body  # type: ignore[typeddict-unknown-key]

        def rearm(self) -> None:
            """The body was taken whole past the parser: a fresh parser reads what follows it
            (reading is paused until the response is sent, so nothing was read past the body)."""
            import httptools

            self.parser = httptools.HttpRequestParser(self)
            with contextlib.suppress(AttributeError):  # httptools < 0.6.3
                self.parser.set_dangerous_leniencies(lenient_data_after_close=True)
else:  # pragma: no cover
    SplicingProtocol = None  # type: ignore[assignment,misc]


class GiveBack:
    """ASGI middleware: a request that ended without taking its ``RawBody`` (refused before its
    body was wanted) gives back its place among the ``MAX_ACTIVE``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        finally:
            body = (scope.get("extensions") or {}).get(KEY)
            if isinstance(body, RawBody) and not body._used:
                body._used = True
                _active.release()
