"""The tenant review queue on the console, read from the intake database off the main thread.

SQLite can wait up to a second on a lock held by ``signage inbox``; the thread that presents the
walls' frames never waits for it. A worker thread reads, a queued signal brings the rows back.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QListWidget, QVBoxLayout

from signage.i18n import kind_label, t
from signage.intake import store

EVERY_S = 5.0


class ReviewQueue(QGroupBox):
    _rows_read = Signal(object)  # a Future from the reader thread → the main thread

    def __init__(self, db: Path):
        super().__init__()
        self.db = db
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        lay.addWidget(self.list)
        self.setMaximumHeight(140)
        self._pool: ThreadPoolExecutor | None = None
        self._asked_at = float("-inf")
        self._reading = False
        self._again = False
        self.reads = 0  # rows shown so far (tests wait on it)
        self._rows_read.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def refresh(self, force: bool = False) -> None:
        """Read the queue again in the background (at most every 5 s unless ``force``)."""
        if self._reading:
            self._again = self._again or force  # read once more when this read is back
            return
        if not force and time.monotonic() - self._asked_at < EVERY_S:
            return
        self._asked_at = time.monotonic()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-queue")
        self._reading = True
        future = self._pool.submit(store.pending, self.db)
        future.add_done_callback(self._rows_read.emit)

    def _show(self, future: Future) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh(force=True)
        try:
            rows = future.result()
        except Exception as exc:  # noqa: BLE001 - shown, and tried again in 5 s
            self.setTitle(t("console_queue_error", error=exc))
            return
        self.setTitle(t("console_queue", count=len(rows)))
        self.list.clear()
        for sid, tenant, filename, kind, duration, _received in rows:
            length = f" {duration:.0f}s" if duration else ""
            self.list.addItem(f"#{sid} {tenant} · {filename} ({kind_label(kind)}{length})")
        if rows:
            self.list.addItem(t("console_queue_hint"))
        self.reads += 1

    def close_reader(self) -> None:
        """Stop the reader thread (the console is closing)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
