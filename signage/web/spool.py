"""Multipart file parts spooled to a named file on the hall's disk, so that they are moved into
place afterwards, not copied: every uploaded byte is written once.

Starlette spools a file part to an anonymous temporary file in ``/tmp`` (after 1 MB in memory);
keeping it meant reading it back and writing it again. Here a file part goes straight to
``var/web/spool/.spool-<random>`` (one ``write`` per parsed block, never whole in memory), and
``take(src, dest)`` renames it to where it belongs (``os.replace``; a copy only when ``dest`` is
on another filesystem). A part nobody took is removed when the form is closed (or the file
object collected); ``sweep`` removes what a crash left.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser

PREFIX = ".spool-"
MAX_AGE_S = 24 * 3600
_BUFFER = 1024 * 1024


def spool_dir(hall_root: Path) -> Path:
    return hall_root / "var" / "web" / "spool"


class SpoolFile(io.BufferedRandom):
    """A file part on disk under a name; removed on close unless ``take`` moved it."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=PREFIX)
        super().__init__(io.FileIO(fd, "r+b"), buffer_size=_BUFFER)
        self.path: Path | None = Path(name)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.path is not None:
                self.path.unlink(missing_ok=True)
                self.path = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class SpoolingParser(MultiPartParser):
    """Starlette's multipart parser with file parts written to ``SpoolFile``s in ``folder``."""

    def __init__(self, *args, folder: Path, **kw):
        super().__init__(*args, **kw)
        self.folder = folder

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        part = getattr(self, "_current_part", None)
        upload = getattr(part, "file", None)
        if not isinstance(upload, UploadFile):
            return
        spooled = SpoolFile(self.folder)
        anonymous = upload.file
        upload.file = spooled
        to_close = getattr(self, "_files_to_close_on_error", None)
        if isinstance(to_close, list) and to_close and to_close[-1] is anonymous:
            to_close[-1] = spooled
        else:  # another Starlette: close ours on error all the same
            if isinstance(to_close, list):
                to_close.append(spooled)
        anonymous.close()


async def parse(request, folder: Path, *, max_files: int, max_fields: int) -> FormData:
    """The multipart form of ``request`` with its files spooled in ``folder``."""
    parser = SpoolingParser(request.headers, request.stream(), max_files=max_files,
                            max_fields=max_fields, folder=folder)
    return await parser.parse()


def take(src: BinaryIO, dest: Path, limit: int) -> int | None:
    """Move a spooled part ``src`` to ``dest`` (same filesystem: a rename, no byte copied); its
    size. None when ``src`` is not a spooled part (the caller copies it). A part over ``limit``
    bytes is not moved (its size is returned for the caller to refuse)."""
    if not isinstance(src, SpoolFile) or src.path is None or src.closed:
        return None
    src.flush()
    size = os.fstat(src.fileno()).st_size
    if size > limit:
        return size
    try:
        os.replace(src.path, dest)
    except OSError:  # another filesystem (EXDEV): copy once, from the start
        src.seek(0)
        with dest.open("wb") as out:
            shutil.copyfileobj(src, out, _BUFFER)
    else:
        src.path = None
    return size


def sweep(folder: Path, now: float | None = None) -> None:
    """Remove spooled parts a crashed process left (older than a day)."""
    now = time.time() if now is None else now
    if not folder.is_dir():
        return
    for child in folder.glob(PREFIX + "*"):
        with contextlib.suppress(OSError):
            if now - child.stat().st_mtime > MAX_AGE_S:
                child.unlink()
