"""Resumable uploads by the tus 1.0 protocol: core, creation, termination and expiration.

Written here rather than taken from a library: the maintained Python tus server (tuspyserver)
is a FastAPI router (a second web framework beside Starlette), reads the wall clock itself
(an unfinished upload cannot be swept with a fake clock in a test) and has no owner per
upload (another company's upload id must answer 404). The protocol's core is small.

An upload is two files in ``var/web/tus/``: ``<id>.part`` (the bytes so far; its size *is* the
offset, so a connection cut mid-request keeps every byte that arrived) and ``<id>.json`` (owner,
tenant, declared length, metadata, times). Bytes are streamed to disk as they come; nothing is
ever held whole in memory. ``sweep(now)`` removes uploads untouched for ``EXPIRE_S``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import email.utils
import json
import os
import secrets
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration"
EXPIRE_S = 24 * 3600
CONTENT_TYPE = "application/offset+octet-stream"
BLOCK = 4 * 1024 * 1024  # bytes gathered before one write
IOV_MAX = 1024
_ID_CHARS = set("0123456789abcdef")


class TusError(Exception):
    """A request the protocol refuses: HTTP ``status`` and a message id (``key``, ``kw``)."""

    def __init__(self, status: int, key: str, **kw):
        super().__init__(key)
        self.status, self.key, self.kw = status, key, kw


@dataclass
class Upload:
    id: str
    owner: str  # the login that created it
    tenant: str
    length: int
    metadata: dict[str, str]
    created: float
    touched: float
    offset: int = 0
    extra: dict = field(default_factory=dict)  # what the caller attaches (e.g. the companion's main id)

    @property
    def done(self) -> bool:
        return self.offset == self.length

    def expires(self) -> float:
        return self.touched + EXPIRE_S


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


def parse_metadata(header: str | None) -> dict[str, str]:
    """``Upload-Metadata: key base64,key2 base64``; values must be UTF-8."""
    out: dict[str, str] = {}
    if not header:
        return out
    if len(header) > 8192:
        raise TusError(400, "tus_bad_metadata")
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if not parts[0] or len(parts) > 2:
            raise TusError(400, "tus_bad_metadata")
        try:
            raw = base64.b64decode(parts[1], validate=True) if len(parts) == 2 else b""
            out[parts[0]] = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise TusError(400, "tus_bad_metadata") from None
    return out


def _write_at(fd: int, blocks: list[bytes], at: int) -> int:
    """Write ``blocks`` at offset ``at`` of ``fd`` (one system call unless the disk writes
    short); the number of bytes written."""
    total = sum(len(b) for b in blocks)
    done = 0
    views = [memoryview(b) for b in blocks]
    while done < total:
        n = os.pwritev(fd, views[:IOV_MAX], at + done)
        done += n
        while views and n >= len(views[0]):
            n -= len(views[0])
            views.pop(0)
        if n:
            views[0] = views[0][n:]
    return total


def valid_id(upload_id: str) -> bool:
    return len(upload_id) == 32 and set(upload_id) <= _ID_CHARS


class TusStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def _info(self, uid: str) -> Path:
        return self.folder / f"{uid}.json"

    def data(self, uid: str) -> Path:
        return self.folder / f"{uid}.part"

    def _save(self, up: Upload) -> None:
        tmp = self.folder / f".{up.id}.json.tmp"
        info = asdict(up)
        info.pop("offset")
        tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._info(up.id))

    def create(self, owner: str, tenant: str, length: int, metadata: dict[str, str], now: float,
               extra: dict | None = None) -> Upload:
        self.folder.mkdir(parents=True, exist_ok=True)
        up = Upload(secrets.token_hex(16), owner, tenant, length, metadata, now, now, 0, extra or {})
        self.data(up.id).touch(exist_ok=False)
        self._save(up)
        return up

    def get(self, uid: str, owner: str | None = None) -> Upload | None:
        """The upload ``uid``; None when there is none, or it is someone else's (owner given)."""
        if not valid_id(uid):
            return None
        try:
            info = json.loads(self._info(uid).read_text(encoding="utf-8"))
            offset = self.data(uid).stat().st_size
        except (OSError, ValueError):
            return None
        up = Upload(offset=offset, **info)
        if owner is not None and up.owner != owner:
            return None
        return up

    def all(self) -> list[Upload]:
        if not self.folder.is_dir():
            return []
        found = (self.get(p.stem) for p in self.folder.glob("*.json"))
        return [u for u in found if u is not None]

    def open_for(self, owner: str) -> list[Upload]:
        """Unfinished uploads of one login."""
        return [u for u in self.all() if u.owner == owner and not u.done]

    def delete(self, uid: str) -> None:
        self.data(uid).unlink(missing_ok=True)
        self._info(uid).unlink(missing_ok=True)

    def touch(self, up: Upload, now: float) -> None:
        up.touched = now
        self._save(up)

    async def append(self, up: Upload, offset: int, chunks: AsyncIterator[bytes], now: float,
                     inspect: Callable[[bytes], None] | None = None, head_bytes: int = 512) -> Upload:
        """Write the request body at ``offset`` as it arrives (core PATCH). Bytes that arrived
        before a cut connection stay: the next HEAD says where to resume. ``inspect`` sees the
        upload's first ``head_bytes`` as soon as they are in (it raises TusError to refuse).

        The chunks the server hands over (64-256 KiB each) are gathered to ``BLOCK`` and written
        with one ``os.pwritev`` in a worker thread while the next block arrives (one block in
        flight, so at most two blocks are held); the event loop never waits for the disk. The
        file is fsynced once, when the last byte is in."""
        if offset != up.offset:
            raise TusError(409, "tus_offset_mismatch", have=up.offset, sent=offset)
        received = written = up.offset
        head = b""
        if inspect is not None and received < head_bytes:
            with self.data(up.id).open("rb") as fh:
                head = fh.read(received)
        batch: list[bytes] = []
        batched = 0
        pending: Future | None = None  # the block being written
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tus-write")
        fd = os.open(self.data(up.id), os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            try:
                async for chunk in chunks:
                    if not chunk:
                        continue
                    if received + len(chunk) > up.length:
                        batch.append(chunk[:up.length - received])
                        received = up.length
                        raise TusError(413, "tus_past_length", length=up.length)
                    batch.append(chunk)
                    batched += len(chunk)
                    received += len(chunk)
                    if inspect is not None and len(head) < head_bytes:
                        head += chunk[:head_bytes - len(head)]
                        if len(head) >= head_bytes or received == up.length:
                            inspect(head)
                    if batched >= BLOCK:
                        if pending is not None:
                            written += await asyncio.wrap_future(pending)
                        pending = writer.submit(_write_at, fd, batch, written)
                        batch, batched = [], 0
            finally:  # what arrived is kept, also when the connection was cut
                if pending is not None:
                    written += await asyncio.wrap_future(pending)
                    pending = None
                if batch:
                    written += await asyncio.to_thread(_write_at, fd, batch, written)
            if written == up.length:  # complete: on disk before intake is told
                await asyncio.to_thread(os.fsync, fd)
        finally:
            if pending is not None and not pending.cancel() and not pending.done():
                pending.add_done_callback(lambda _f: os.close(fd))  # cancelled: the write ends first
            else:
                os.close(fd)
            writer.shutdown(wait=False)
            up.offset = written
            with contextlib.suppress(OSError):
                self.touch(up, now)
        return up

    async def append_raw(self, up: Upload, offset: int, body, now: float,
                         inspect: Callable[[bytes], None] | None = None, head_bytes: int = 512) -> Upload:
        """``append`` for a body the kernel moves from the socket into the file
        (``signage.web.rawbody.RawBody``): same checks, same file, same answers. A body that
        would pass the declared length is refused before a byte of it is read."""
        if offset != up.offset:
            raise TusError(409, "tus_offset_mismatch", have=up.offset, sent=offset)
        if offset + body.length > up.length:
            raise TusError(413, "tus_past_length", length=up.length)
        fd = os.open(self.data(up.id), os.O_RDWR | getattr(os, "O_CLOEXEC", 0))  # read: the first bytes are sniffed
        want = min(head_bytes, up.length)

        def first() -> None:
            head = os.pread(fd, want, 0)
            if len(head) >= want:
                inspect(head)

        try:
            sniff = inspect is not None and offset < want
            await body.into(fd, offset, first=want - offset if sniff else 0, on_first=first if sniff else None)
            if os.fstat(fd).st_size == up.length:  # complete: on disk before intake is told
                await asyncio.to_thread(os.fsync, fd)
        finally:
            up.offset = os.fstat(fd).st_size
            os.close(fd)
            with contextlib.suppress(OSError):
                self.touch(up, now)
        return up

    def sweep(self, now: float) -> list[str]:
        """Remove unfinished uploads nobody touched for ``EXPIRE_S`` (and stray files); the ids."""
        gone = []
        if not self.folder.is_dir():
            return gone
        for up in self.all():
            if now >= up.expires():
                self.delete(up.id)
                gone.append(up.id)
        for path in self.folder.iterdir():  # a .part without its .json, a temporary info file
            uid = path.name.split(".")[0] or path.name.split(".")[1]
            if not self._info(uid).exists() and now - path.stat().st_mtime >= EXPIRE_S:
                path.unlink(missing_ok=True)
        return gone
