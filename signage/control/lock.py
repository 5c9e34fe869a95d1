"""One player per hall: ``var/player.lock``, held with ``flock`` while ``signage run`` plays.

The kernel releases the lock when the process ends, however it ends, so a lock left by a killed
player never blocks the next one. The file says who holds it (pid, since when, hall, config,
control port) so a second player can name the first when it refuses to start.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

from signage.i18n import t

LOCK_NAME = "player.lock"


class PlayerRunning(Exception):
    """Another process holds the hall's lock; ``str(exc)`` is the sentence to show."""

    def __init__(self, path: Path, holder: dict | None):
        self.path, self.holder = path, holder
        if holder and all(k in holder for k in ("pid", "since", "config", "port")):
            since = str(holder["since"])[:19].replace("T", " ")
            message = t("lock_held", pid=holder["pid"], since=since, config=holder["config"],
                        port=holder["port"])
        else:
            message = t("lock_held_unknown", path=path)
        super().__init__(message)


class LockUnavailable(Exception):
    """The lock file cannot be created (``var/`` not writable); ``str(exc)`` is the sentence."""


class PlayerLock:
    """Held from ``acquire`` until ``release`` or the end of the process."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, holder: dict) -> PlayerLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children
        except OSError as exc:
            raise LockUnavailable(t("lock_unavailable", path=self.path, error=exc.strerror or exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PlayerRunning(self.path, read_holder(self.path)) from None
        data = json.dumps(holder, ensure_ascii=False).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.ftruncate(fd, 0)
            os.close(fd)  # closing the file releases the flock

    @property
    def held(self) -> bool:
        return self._fd is not None


def read_holder(path: Path) -> dict | None:
    """What the lock file says about its holder (None when it is empty or unreadable)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def lock_player(hall, now) -> PlayerLock:
    """Take the hall's lock for ``signage run``, or raise ``PlayerRunning`` naming the holder."""
    from signage.control.identity import hall_identity
    from signage.timefmt import iso

    identity = hall_identity(hall)
    holder = {"pid": os.getpid(), "since": iso(now), "hall": identity["name"], "config": identity["config"],
              "port": hall.config.control.port, "bind": hall.config.control.bind}
    return PlayerLock(hall.root / "var" / LOCK_NAME).acquire(holder)
