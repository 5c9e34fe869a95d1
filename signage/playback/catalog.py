"""What the player knows about media files: lengths, page counts, folder listings, failures.

Answers are cached by (path, size, mtime) so a replaced file is probed again. A file that failed
is remembered with its reason and logged once; it is left out of every playlist until it changes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from signage.config.assets import folder_images
from signage.i18n import t
from signage.media import MediaError
from signage.media.pdf import page_count
from signage.media.video import probe_video

log = logging.getLogger("signage.media")


@dataclass(frozen=True)
class Failure:
    path: Path
    reason: str


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


class Catalog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, Path], tuple[object, object]] = {}
        self._failed: dict[Path, tuple[object, str]] = {}
        self.version = 0  # bumps whenever a failure is recorded or cleared

    def _cached(self, kind: str, path: Path, compute):
        stamp = _stamp(path)
        key = (kind, path)
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
        value = compute(path)
        with self._lock:
            self._cache[key] = (stamp, value)
        return value

    def failed(self, path: Path) -> str | None:
        """The reason ``path`` is left out, or None. A file that changed since gets another chance."""
        with self._lock:
            entry = self._failed.get(path)
            if entry is None:
                return None
            if entry[0] != _stamp(path):
                del self._failed[path]
                self.version += 1
                return None
            return entry[1]

    def mark_failed(self, path: Path, reason: str) -> None:
        with self._lock:
            if path in self._failed:
                return
            self._failed[path] = (_stamp(path), reason)
            self.version += 1
        log.warning(t("pl_skip", path=path, reason=reason))

    def failures(self) -> list[Failure]:
        with self._lock:
            return [Failure(p, r) for p, (_s, r) in self._failed.items()]

    def _guard(self, path: Path, compute):
        if not path.exists():
            self.mark_failed(path, "file does not exist")
            return None
        if self.failed(path):
            return None
        try:
            return self._cached(compute.__name__, path, compute)
        except MediaError as exc:
            self.mark_failed(path, str(exc))
            return None

    def video_length(self, path: Path) -> float | None:
        info = self._guard(path, probe_video)
        return info.duration_s if info else None

    def video_fps(self, path: Path) -> float:
        info = self._guard(path, probe_video)
        return info.fps if info else 30.0

    def pdf_pages(self, path: Path) -> int | None:
        return self._guard(path, page_count)

    def folder(self, path: Path) -> list[Path]:
        if not path.is_dir():
            self.mark_failed(path, "folder does not exist")
            return []
        return [p for p in folder_images(path) if not self.failed(p)]

    def usable(self, path: Path) -> bool:
        if not path.exists():
            self.mark_failed(path, "file does not exist")
            return False
        return self.failed(path) is None
