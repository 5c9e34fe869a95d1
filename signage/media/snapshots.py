"""Each wall's picture written to ``<wall>.png`` every few seconds, without costing the walls a frame.

A headless player's snapshots are what the web app and an engineer see of the walls. Written
the plain way (each picture converted to a canvas and copied on the thread that presents frames,
then encoded), every round cost each wall about one late and one dropped frame: three 1080p
conversions and three fresh 8 MB copies on that thread (~20 ms), and 0.3 s of PNG encoding that
competed with the decoders for the two cores. Now:

- a decoded frame (``VideoPicture``) is handed over as it is: its buffer is its own for as long
  as it is referenced, so it is converted in the writer's thread (libswscale lets the GIL go);
- a canvas (a still, a fade, a fitted clip: often a reused buffer) is copied into memory kept for
  its wall, already touched, so the copy costs no fresh page faults;
- the writer's thread runs at a lower priority (``nice`` +10, Linux gives each thread its own), so
  encoding takes only CPU the walls leave idle;
- a wall whose previous snapshot is still being written skips a round instead of queueing.

An unchanged picture (a still, a hold) is not written again; a snapshot that cannot be written
(``var/`` full) is logged once, and once when it works again.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from signage.i18n import t
from signage.media.bgra import VideoPicture, as_canvas
from signage.media.png import write_png

log = logging.getLogger("signage.player")

NICE = 10  # how much lower than the walls the writer's thread runs


def _lower_priority() -> None:
    """This thread (not the process) at ``NICE`` more; where it cannot be done, as it is."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + NICE)
    except (AttributeError, OSError):
        pass


class SnapshotWriter:
    """Writes ``folder/<wall>.png`` for the pictures it is given; ``write`` is cheap for the caller."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot", initializer=_lower_priority)
        self._failing: set[str] = set()  # walls whose snapshot could not be written
        self._written: dict[str, weakref.ref] = {}  # wall → the picture its file shows
        self._busy: set[str] = set()  # walls whose snapshot is being written
        self._buffers: dict[str, np.ndarray] = {}  # wall → memory a canvas is copied into

    def write(self, pictures: dict) -> None:
        """``pictures``: wall → what it shows (a canvas or a ``VideoPicture``), as the window has it."""
        for wall, picture in list(pictures.items()):
            if picture is None or wall in self._busy:
                continue
            written = self._written.get(wall)
            if written is not None and written() is picture:
                continue
            # a weak reference: holding a video frame would keep its pooled buffer from FFmpeg
            self._written[wall] = weakref.ref(picture)
            if not isinstance(picture, VideoPicture):
                picture = self._copy(wall, picture)  # canvases of clips live in reused buffers
            self._busy.add(wall)
            future = self.pool.submit(self._encode, wall, picture)
            future.add_done_callback(lambda f, wall=wall: self._done(wall, f))

    def _copy(self, wall: str, canvas: np.ndarray) -> np.ndarray:
        buffer = self._buffers.get(wall)
        if buffer is None or buffer.shape != canvas.shape or buffer.dtype != canvas.dtype:
            buffer = self._buffers[wall] = np.empty_like(canvas)
        np.copyto(buffer, canvas)
        return buffer

    def _encode(self, wall: str, picture) -> None:
        write_png(self.folder / f"{wall}.png", as_canvas(picture))

    def _done(self, wall: str, future: Future) -> None:
        self._busy.discard(wall)
        error = future.exception()
        if error is not None:
            self._written.pop(wall, None)  # tried again next time, picture changed or not
        if error is not None and wall not in self._failing:
            self._failing.add(wall)
            log.error(t("pl_snapshot_failed", wall=wall, error=error))
        elif error is None and wall in self._failing:
            self._failing.discard(wall)
            log.info(t("pl_snapshot_back", wall=wall))

    def wait(self) -> None:
        """Until every snapshot handed over so far is written (or failed)."""
        self.pool.submit(lambda: None).result()

    def close(self, pictures: dict | None = None) -> None:
        """Stops the writer; ``pictures`` (the walls' last) are then written here and now."""
        self.pool.shutdown(wait=True)
        for wall, picture in (pictures or {}).items():
            if picture is None:
                continue
            try:
                write_png(self.folder / f"{wall}.png", as_canvas(picture))
            except OSError as exc:  # var/ full or read-only: the records and the exit still matter
                log.error(t("pl_snapshot_failed", wall=wall, error=exc))
