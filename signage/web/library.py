"""The media library: the files under ``assets/``, what they are, where they are used; uploads.

Facts are read where it is cheap (a header, a container's index): the kind from the content
(``signage.config.assets.sniff``), an image's pixel size from its header, a video's length and a
PDF's page count; they are cached by (size, mtime). Uploads get the same checks ``signage
check`` and the player make (type by content, size caps, the image pixel limit), a name we make
under ``assets/media/<yyyy-mm>/`` (the uploaded name is only a label, kept in
``var/web/media_labels.json``), and a refused upload leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from signage.config.assets import folder_images, sniff
from signage.config.hall import Hall
from signage.web import uploads
from signage.web.playlistdesk import uses_of

ASSETS = "assets"
UPLOAD_DIR = "assets/media"
LABELS = "var/web/media_labels.json"


@dataclass(frozen=True)
class MediaFile:
    rel: str  # path from the hall folder, as playlists write it
    folder: str
    name: str
    kind: str | None  # image | video | pdf | None (not media we show)
    size: int
    pixels: tuple[int, int] | None = None
    duration_s: float | None = None
    pages: int | None = None
    label: str = ""  # the name it was uploaded with
    used_by: tuple[str, ...] = ()  # playlist names (and "fallback")
    events: tuple[str, ...] = ()  # events whose playlists use it

    def to_json(self) -> dict:
        return {"path": self.rel, "folder": self.folder, "name": self.name, "kind": self.kind, "size": self.size,
                "width": self.pixels[0] if self.pixels else None, "height": self.pixels[1] if self.pixels else None,
                "duration_s": self.duration_s, "pages": self.pages, "label": self.label,
                "used_by": list(self.used_by), "events": list(self.events)}


@dataclass
class Facts:
    """Cheap facts about media files, cached by (size, mtime); safe to share between threads."""

    root: Path
    _cache: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _get(self, path: Path) -> dict:
        try:
            st = path.stat()
        except OSError:
            return {}
        key = (path, st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        facts = {"kind": sniff(path)}
        try:
            if facts["kind"] == "image":
                from signage.media.images import open_checked

                with open_checked(path, max_pixels=1 << 62) as img:
                    facts["pixels"] = img.size
            elif facts["kind"] == "video":
                from signage.media.video import probe_video

                info = probe_video(path)
                facts["pixels"], facts["duration_s"] = (info.width, info.height), info.duration_s
            elif facts["kind"] == "pdf":
                from signage.media.pdf import page_count

                facts["pages"] = page_count(path)
        except Exception as exc:  # noqa: BLE001 - a broken file is listed with what is wrong
            facts["error"] = str(exc)[:200]
        with self._lock:
            self._cache[key] = facts
        return facts

    def of(self, path: Path) -> dict:
        return self._get(path)

    def video_length(self, rel: str) -> float | None:
        return self._get(_resolve(self.root, rel)).get("duration_s")

    def pages(self, kind: str, rel: str, pages: tuple[int, ...] | None) -> int | None:
        path = _resolve(self.root, rel)
        if kind == "folder":
            return len(folder_images(path)) if path.is_dir() else None
        count = self._get(path).get("pages")
        if count is None:
            return None
        return len([p for p in pages if 1 <= p <= count]) if pages else count


def _resolve(root: Path, rel: str) -> Path:
    p = Path(rel).expanduser()
    return p if p.is_absolute() else root / p


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def usage(hall: Hall) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(file → playlists using it, file → events using it), files as paths from the hall folder."""
    root = hall.root
    by_file: dict[str, set[str]] = {}
    playlist_events: dict[str, set[str]] = {}
    for playlist, uses in uses_of(hall).items():
        playlist_events[playlist] = {u.name for u in uses if u.source == "event"}

    def add(path: Path, playlist: str) -> None:
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return
        by_file.setdefault(rel, set()).add(playlist)

    for name, playlist in hall.playlists.items():
        for item in playlist.items:
            if item.kind == "slide":
                for value in (item.slide.image, item.slide.logo):
                    if value:
                        add(_resolve(root, value), name)
            elif item.kind == "folder":
                folder = _resolve(root, item.folder)
                if folder.is_dir():
                    for image in folder_images(folder):
                        add(image, name)
            elif item.path:
                add(_resolve(root, item.path), name)
    if hall.config.fallback:
        add(_resolve(root, hall.config.fallback), "fallback")
    events = {f: set().union(*(playlist_events.get(p, set()) for p in ps)) for f, ps in by_file.items()}
    return by_file, events


def labels(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / LABELS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_labels(root: Path, data: dict[str, str]) -> None:
    from signage.web.events import write_atomic

    write_atomic(root / LABELS, json.dumps(data, ensure_ascii=False, indent=1))


def listing(hall: Hall, facts: Facts) -> list[MediaFile]:
    """Every file under ``assets/`` (hidden files and folders skipped), by folder then name."""
    root = hall.root
    base = root / ASSETS
    by_file, events = usage(hall)
    names = labels(root)
    out: list[MediaFile] = []
    if not base.is_dir():
        return out
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            rel = _rel(root, path)
            f = facts.of(path)
            out.append(MediaFile(rel, _rel(root, Path(folder)), name, f.get("kind"), path.stat().st_size,
                                 f.get("pixels"), f.get("duration_s"), f.get("pages"), names.get(rel, ""),
                                 tuple(sorted(by_file.get(rel, ()))), tuple(sorted(events.get(rel, ())))))
    return out


def safe_rel(root: Path, rel: str) -> Path | None:
    """``rel`` as a file under ``assets/``, or None (no ``..``, no absolute paths, no links out)."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or pure.parts[0] != ASSETS:
        return None
    path = root / pure
    try:
        path.resolve().relative_to((root / ASSETS).resolve())
    except ValueError:
        return None
    return path


# uploads ----------------------------------------------------------------------------------------

def upload(root: Path, src: BinaryIO, name: str | None, size: int | None, now: dt.datetime) -> str:
    """Check one upload and put it under ``assets/media/<yyyy-mm>/``; its path back.

    Raises ``uploads.UploadRefused`` (nothing is left behind)."""
    from signage.media import MediaError
    from signage.media.images import MAX_PIXELS, open_checked

    staging = root / "var" / "web" / "incoming" / secrets.token_hex(8)
    try:
        staged = uploads.stage_upload(src, name, size, staging, "upload")
        if staged.kind == "image":
            try:
                with open_checked(staging / staged.file, MAX_PIXELS) as img:
                    w, h = img.size
            except MediaError:
                raise uploads.UploadRefused("md_bad_image", label=staged.label, mp=MAX_PIXELS // 1_000_000) from None
            if w * h > MAX_PIXELS:
                raise uploads.UploadRefused("md_bad_image", label=staged.label, mp=MAX_PIXELS // 1_000_000)
        folder = root / UPLOAD_DIR / f"{now:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        ext = Path(staged.file).suffix
        target = folder / f"{staged.kind}-{now:%d}-{secrets.token_hex(4)}{ext}"
        os.replace(staging / staged.file, target)
        rel = _rel(root, target)
        data = labels(root)
        data[rel] = staged.label
        try:
            _write_labels(root, data)
        except OSError:
            target.unlink(missing_ok=True)
            raise
        return rel
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def delete(hall: Hall, rel: str) -> None:
    """Remove a file nobody uses; ``uploads.UploadRefused`` says who uses it otherwise."""
    path = safe_rel(hall.root, rel)
    if path is None or not path.is_file() or path.is_symlink():
        raise uploads.UploadRefused("md_no_file", label=rel)
    by_file, events = usage(hall)
    users = sorted(by_file.get(rel, ()))
    if users:
        raise uploads.UploadRefused("md_in_use", label=rel, users=", ".join(users))
    path.unlink()
    data = labels(hall.root)
    if data.pop(rel, None) is not None:
        _write_labels(hall.root, data)
