"""Decks uploaded from the live page: saved under ``var/web/decks/<id>/``, checked by content.

One PDF or one presentation (PowerPoint .pptx/.ppt, OpenDocument .odp/.fodp) becomes
``deck.<ext>``; one or several photos become a folder deck (``01.jpg``, ``02.png``, … in the
order given), which the player shows as pages. Names are ours; the uploaded names are labels
only. Uploads are copied in chunks from the spooled upload (never held whole in memory); a
refused upload leaves no folder behind.
"""

from __future__ import annotations

import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from signage.config.assets import sniff
from signage.web.uploads import MB, UploadRefused, _extension, _label, copy_in

LIMITS = {"pdf": 1024 * MB, "presentation": 1024 * MB, "image": 50 * MB}
MAX_PHOTOS = 200
KEEP_S = 14 * 86400  # decks nobody loaded again for two weeks are swept at start
_CHUNK = 4 * MB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODP = b"application/vnd.oasis.opendocument.presentation"


@dataclass(frozen=True)
class SavedDeck:
    path: Path  # what the player's ``load`` is given: the file, or the photo folder
    kind: str  # pdf | presentation | photos
    labels: tuple[str, ...]  # the uploaded names, for people


def decks_dir(hall_root: Path) -> Path:
    return hall_root / "var" / "web" / "decks"


def presentation_suffix(path: Path) -> str | None:
    """``.pptx``, ``.odp``, ``.ppt`` or ``.fodp`` when the content is that presentation; else None."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "ppt/presentation.xml" in names:
                    return ".pptx"
                if "mimetype" in names and z.read("mimetype").strip() == _ODP:
                    return ".odp"
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        return None
    if head.startswith(_OLE):
        needle = "PowerPoint Document".encode("utf-16-le")
        with path.open("rb") as fh:
            tail = b""
            while chunk := fh.read(_CHUNK):
                if needle in tail + chunk:
                    return ".ppt"
                tail = chunk[-len(needle):]
        return None
    if head.lstrip().startswith(b"<?xml") and b'office:mimetype="' + _ODP + b'"' in head:
        return ".fodp"
    return None


def _kind_of(part: Path) -> tuple[str, str] | None:
    """(kind, suffix) of a staged file by its content, or None."""
    kind = sniff(part)
    if kind == "pdf":
        return "pdf", ".pdf"
    if kind == "image":
        ext = _extension(part, "image")
        return ("image", ext) if ext else None
    suffix = presentation_suffix(part)
    return ("presentation", suffix) if suffix else None


def save_deck(hall_root: Path, files: list[tuple[BinaryIO, str | None, int | None]]) -> SavedDeck:
    """Save one deck from ``files`` (``(stream, uploaded name, declared size)``, in order).

    Raises ``UploadRefused`` (and leaves nothing) for no file, an empty or oversized file, a
    type we cannot show, several files that are not all photos, or more than ``MAX_PHOTOS``."""
    if not files:
        raise UploadRefused("wl_deck_none")
    if len(files) > MAX_PHOTOS:
        raise UploadRefused("wl_deck_too_many", n=MAX_PHOTOS)
    cap = max(LIMITS.values())
    for _src, name, size in files:
        if size is not None and size > cap:
            raise UploadRefused("up_too_big", label=_label(name), mb=size // MB, limit=cap // MB)
    folder = decks_dir(hall_root) / secrets.token_hex(8)
    folder.mkdir(parents=True)
    try:
        saved, labels = [], []
        for i, (src, name, _size) in enumerate(files, 1):
            label = _label(name)
            part = folder / f".part-{i:03d}"
            if copy_in(src, part, cap, label) == 0:
                raise UploadRefused("up_empty", label=label)
            found = _kind_of(part)
            if found is None:
                raise UploadRefused("up_unknown_kind", label=label)
            kind, suffix = found
            if part.stat().st_size > LIMITS[kind]:
                raise UploadRefused("up_too_big", label=label, mb=part.stat().st_size // MB, limit=LIMITS[kind] // MB)
            if len(files) > 1 and kind != "image":
                raise UploadRefused("wl_deck_mixed", label=label)
            final = folder / (f"{i:03d}{suffix}" if kind == "image" else f"deck{suffix}")
            part.rename(final)
            saved.append((kind, final))
            labels.append(label)
        kind, path = saved[0]
        if kind == "image":
            return SavedDeck(folder, "photos", tuple(labels))
        return SavedDeck(path, kind, tuple(labels))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def discard(deck: SavedDeck, hall_root: Path) -> None:
    """Remove a saved deck (the player refused it)."""
    folder = deck.path if deck.path.is_dir() else deck.path.parent
    if folder.parent == decks_dir(hall_root):
        shutil.rmtree(folder, ignore_errors=True)


def sweep(hall_root: Path, now: float | None = None) -> None:
    now = time.time() if now is None else now
    root = decks_dir(hall_root)
    if not root.is_dir():
        return
    for child in root.iterdir():
        try:
            if now - child.stat().st_mtime > KEEP_S:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            pass
