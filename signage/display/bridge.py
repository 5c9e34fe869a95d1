"""Running a function on the Qt main thread from another thread and waiting for its answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QObject, Qt, Signal


class MainThreadBridge(QObject):
    _call = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self._main = threading.get_ident()

    def submit(self, fn: Callable[[], object], timeout: float = 5.0):
        if threading.get_ident() == self._main:
            return fn()
        future: Future = Future()
        self._call.emit((fn, future))
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            raise TimeoutError("the player did not answer in time") from None

    def _run(self, job) -> None:
        fn, future = job
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            future.set_exception(exc)
