"""Files an operator uploads for an event: saved under names we make, checked by their content.

The uploaded name is never used as a path: it is kept only as a label. A refused file leaves
nothing behind. Files wait in a draft folder (``var/web/drafts/<id>/``) until the event is
saved, when the folder becomes ``assets/events/<slug>/``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from signage.config.assets import sniff
from signage.web import spool

MB = 1024 * 1024
LIMITS = {"pdf": 200 * MB, "image": 50 * MB, "video": 2048 * MB}  # per file, by kind
MAX_UPLOAD = max(LIMITS.values())
MAX_FILES_PER_WALL = 60
DRAFT_MAX_AGE_S = 24 * 3600
_CHUNK = 1024 * 1024


class UploadRefused(ValueError):
    """``key`` is a message id in messages_web; ``kw`` fills it (``label`` is the uploaded name)."""

    def __init__(self, key: str, **kw):
        super().__init__(key)
        self.key, self.kw = key, kw


@dataclass(frozen=True)
class StagedFile:
    file: str  # the name we gave it, inside the draft's folder
    kind: str  # image | video | pdf (from its content)
    label: str  # the name it was uploaded with, for people only


def _extension(path: Path, kind: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(16)
    if kind == "pdf":
        return ".pdf"
    if kind == "image":
        for magic, ext in ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG", ".png"), (b"GIF8", ".gif"),
                           (b"BM", ".bmp"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif")):
            if head.startswith(magic):
                return ext
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return ".webp"
        return ""  # AVIF/HEIF: the player cannot show them
    if head[4:8] == b"ftyp":
        return ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ".mkv"
    if head[:4] == b"RIFF":
        return ".avi"
    if head.startswith(b"\x00\x00\x01"):
        return ".mpg"
    return ".ts"


def _label(name: str | None) -> str:
    """The uploaded name as a label: its last part, printable, not too long."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:120] or "?"


def copy_in(src: BinaryIO, dest: Path, limit: int, label: str) -> int:
    """Put the upload ``src`` at ``dest``: moved when the form spooled it on this disk (no byte
    written again), else copied in blocks; its size. Refused past ``limit`` bytes."""
    written = spool.take(src, dest, limit)
    if written is None:
        written = 0
        with dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    break
                out.write(chunk)
    if written > limit:
        raise UploadRefused("up_too_big", label=label, mb=written // MB, limit=limit // MB)
    return written


def stage_upload(src: BinaryIO, name: str | None, size: int | None, folder: Path, stem: str) -> StagedFile:
    """Copy one upload into ``folder`` as ``stem`` + the extension its content calls for."""
    label = _label(name)
    if size is not None and size > MAX_UPLOAD:
        raise UploadRefused("up_too_big", label=label, mb=size // MB, limit=MAX_UPLOAD // MB)
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".part-{secrets.token_hex(8)}"
    try:
        written = copy_in(src, part, MAX_UPLOAD, label)
        if written == 0:
            raise UploadRefused("up_empty", label=label)
        kind = sniff(part)
        if kind is None:
            raise UploadRefused("up_unknown_kind", label=label)
        if written > LIMITS[kind]:
            raise UploadRefused("up_too_big", label=label, mb=written // MB, limit=LIMITS[kind] // MB)
        ext = _extension(part, kind)
        if not ext:
            raise UploadRefused("up_unknown_kind", label=label)
        final = folder / (stem + ext)
        os.replace(part, final)
        return StagedFile(final.name, kind, label)
    finally:
        part.unlink(missing_ok=True)


@dataclass
class Draft:
    """Uploaded files waiting for their event to be saved: per wall, in the order given."""

    id: str
    folder: Path  # var/web/drafts/<id>
    walls: dict[str, list[StagedFile]]

    @property
    def files(self) -> Path:
        return self.folder / "files"

    def save_manifest(self) -> None:
        data = {"walls": {w: [asdict(f) for f in files] for w, files in self.walls.items()}}
        (self.folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def drafts_dir(hall_root: Path) -> Path:
    return hall_root / "var" / "web" / "drafts"


def new_draft(hall_root: Path) -> Draft:
    draft_id = secrets.token_hex(8)
    folder = drafts_dir(hall_root) / draft_id
    (folder / "files").mkdir(parents=True)
    return Draft(draft_id, folder, {})


def open_draft(hall_root: Path, draft_id: str) -> Draft | None:
    if not draft_id or not all(c in "0123456789abcdef" for c in draft_id) or len(draft_id) != 16:
        return None
    folder = drafts_dir(hall_root) / draft_id
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    walls = {w: [StagedFile(**f) for f in files] for w, files in data.get("walls", {}).items()}
    return Draft(draft_id, folder, walls)


def sweep(folder: Path, now: float | None = None) -> None:
    """Remove drafts (or previews) in ``folder`` nobody came back to within a day."""
    now = time.time() if now is None else now
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        try:
            if now - child.stat().st_mtime > DRAFT_MAX_AGE_S:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            pass


def playlist_yaml(title: str, files: list[StagedFile], folder_rel: str) -> str:
    """The playlist of an event's uploaded files (a PDF is one step a page)."""
    lines = [
        "# signage serve 가 행사 업로드로 만든 플레이리스트 / made by signage serve from an event's uploads",
        f"name: {json.dumps(title, ensure_ascii=False)}",
        "defaults: {duration: 10s, fit: contain, transition: fade 0.5s}",
        "items:",
    ]
    for f in files:
        lines.append(f"  - {f.kind}: {folder_rel}/{f.file}    # {json.dumps(f.label, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
