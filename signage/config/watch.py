"""Noticing edits: a fingerprint of config.yaml and the playlist files, compared on each poll."""

from __future__ import annotations

from pathlib import Path


def fingerprint(config_path: Path, playlist_dir: Path) -> tuple:
    entries = []
    for path in [config_path, *sorted(playlist_dir.glob("*.y*ml"))] if playlist_dir.is_dir() else [config_path]:
        try:
            st = path.stat()
            entries.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            entries.append((str(path), -1, -1, -1))
    return tuple(entries)


class ConfigWatcher:
    def __init__(self, config_path: Path, playlist_dir: Path):
        self.config_path, self.playlist_dir = config_path, playlist_dir
        self._last = fingerprint(config_path, playlist_dir)

    def changed(self) -> bool:
        """True once per change (a broken edit is reported once, not on every poll)."""
        now = fingerprint(self.config_path, self.playlist_dir)
        if now == self._last:
            return False
        self._last = now
        return True
