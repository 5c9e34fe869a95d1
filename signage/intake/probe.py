"""What a media file really is: run only inside the disposable child (``signage.intake.child``).

Facts, not judgements: ``signage.intake.rules`` turns them into accept or refuse. Images are sized
from their header before any pixel is decoded; videos are decoded frame by frame (PyAV) to learn
the real duration and whether they decode to the end, up to ``decode_limit`` seconds of picture,
after which packets are only demuxed so a 700-second clip still reports its true length quickly.

A file that needs more memory than the child's cap gets the error ``memory`` (too large to
check), never ``undecodable`` or ``decode_failed`` (damaged): under ``RLIMIT_AS`` an allocation
fails as Python's MemoryError, as FFmpeg's ENOMEM (``av.error.MemoryError``, itself a
MemoryError), or as EAGAIN when a decoder thread finds no room for its stack.
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from typing import Any

PDF_MAGIC = b"%PDF-"
MEMORY_ERRNOS = (errno.ENOMEM, errno.EAGAIN)  # EAGAIN: a decoder thread could not be started


def memory_error(exc: BaseException) -> bool:
    """True when ``exc`` means the memory cap, not the file: MemoryError (FFmpeg's ENOMEM is one)
    or an FFmpeg EAGAIN escaping a call (decoding itself handles EAGAIN; thread creation does not)."""
    return isinstance(exc, MemoryError) or getattr(exc, "errno", None) in MEMORY_ERRNOS


def _failed(facts: dict, error: str, exc: BaseException) -> dict:
    facts["error"] = "memory" if memory_error(exc) else error
    facts["detail"] = str(exc)[:200]
    return facts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def blank(path: Path) -> dict[str, Any]:
    return {
        "path": str(path), "kind": None, "container": None, "codec": None,
        "width": None, "height": None, "duration_s": None, "header_duration_s": None,
        "fps": None, "frames": None, "audio": False, "rotation": 0, "decodes": False,
        "size_bytes": None, "sha256": None, "error": None, "detail": None,
    }


def probe(path: Path, decode_limit: float, max_side: int, max_image_pixels: int) -> dict[str, Any]:
    facts = blank(path)
    facts["size_bytes"] = path.stat().st_size
    if facts["size_bytes"] == 0:
        facts["error"] = "empty"
        return facts
    facts["sha256"] = sha256_of(path)
    with path.open("rb") as fh:
        head = fh.read(64)
    if head.startswith(PDF_MAGIC):
        facts["kind"] = "pdf"
        return _pdf(path, facts)
    image = _image(path, facts, max_image_pixels)
    if image is not None:
        return image
    return _video(path, head, facts, decode_limit, max_side)


def _pdf(path: Path, facts: dict) -> dict:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(path))
        facts["frames"] = len(doc)
        if len(doc):
            w, h = doc[0].get_size()
            facts["width"], facts["height"] = round(w), round(h)
        facts["decodes"] = True
        doc.close()
    except Exception as exc:  # pdfium raises its own error type for every malformed file
        _failed(facts, "undecodable", exc)
    return facts


def _image(path: Path, facts: dict, max_pixels: int) -> dict | None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # we check the header size ourselves, before decoding
    try:
        im = Image.open(path)
    except UnidentifiedImageError:
        return None
    except OSError as exc:
        facts["kind"] = "image"
        return _failed(facts, "undecodable", exc)
    except MemoryError as exc:  # not even the header could be read: what it is stays unknown
        return _failed(facts, "memory", exc)
    with im:
        facts["kind"], facts["container"] = "image", (im.format or "").lower()
        w, h = im.size
        try:
            orientation = im.getexif().get(0x0112, 1)
        except Exception:  # a broken EXIF block is not a reason to refuse a picture
            orientation = 1
        if orientation in (5, 6, 7, 8):
            w, h = h, w
            facts["rotation"] = 90 if orientation in (6, 7) else 270
        facts["width"], facts["height"], facts["frames"] = w, h, getattr(im, "n_frames", 1)
        if w * h > max_pixels:
            facts["error"] = "too_many_pixels"  # refused before decoding a single pixel
            return facts
        try:
            im.load()
            ImageOps.exif_transpose(im)
            facts["decodes"] = True
        except (OSError, SyntaxError, ValueError, MemoryError) as exc:
            _failed(facts, "undecodable", exc)
    return facts


def container_name(format_name: str, head: bytes, codec: str | None) -> str:
    """A short, user-facing container name from FFmpeg's demuxer name and the file's first bytes."""
    names = format_name.split(",")
    if "mp4" in names or "mov" in names:
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if "matroska" in names or "webm" in names:
        return "webm" if b"webm" in head else "mkv"
    return names[0]


def _video(path: Path, head: bytes, facts: dict, decode_limit: float, max_side: int) -> dict:
    import av

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError, MemoryError) as exc:
        looks_mp4 = head[4:8] == b"ftyp"
        if memory_error(exc):
            facts["kind"] = "video" if looks_mp4 else None
            return _failed(facts, "memory", exc)
        facts["kind"] = "video" if looks_mp4 else None
        facts["container"] = "mp4" if looks_mp4 else None
        facts["error"] = "incomplete" if looks_mp4 else "not_media"
        facts["detail"] = str(exc)[:200]
        return facts
    with container:
        facts["audio"] = bool(container.streams.audio)
        if container.duration:
            facts["header_duration_s"] = round(container.duration / av.time_base, 3)
        if not container.streams.video:
            facts["kind"] = "audio" if facts["audio"] else None
            facts["container"] = container_name(container.format.name, head, None)
            facts["error"] = "no_video"
            return facts
        stream = container.streams.video[0]
        ctx = stream.codec_context
        facts["kind"], facts["codec"] = "video", ctx.name
        facts["container"] = container_name(container.format.name, head, ctx.name)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        facts["fps"] = round(float(rate), 3) if rate else None
        w, h = ctx.width, ctx.height
        facts["width"], facts["height"] = w, h
        if max(w, h) > max_side:
            facts["error"] = "too_large"  # refused before decoding: an 8K clip is never decoded
            return facts
        if not w or not h:
            facts["error"] = "no_picture_size"
            return facts
        _decode(container, stream, facts, decode_limit)
    return facts


def _decode(container, stream, facts: dict, decode_limit: float) -> None:
    import av

    stream.thread_type = "AUTO"
    tb = stream.time_base
    first: float | None = None
    end = 0.0  # end of the last frame (or packet), in seconds from the first
    frames = 0
    frame_step = 1.0 / facts["fps"] if facts["fps"] else 0.04
    decoding = True
    rotation_seen = False
    try:
        for packet in container.demux(stream):
            if packet.pts is not None and tb is not None:
                t = float(packet.pts * tb)
                first = t if first is None else min(first, t)
                dur = float(packet.duration * tb) if packet.duration else frame_step
                end = max(end, t + dur - first)
            if not decoding:
                if packet.size:
                    frames += 1
                continue
            for frame in packet.decode():
                frames += 1
                if not rotation_seen:
                    rotation_seen = True
                    facts["rotation"] = int(getattr(frame, "rotation", 0) or 0) % 360
                if frame.time is not None:
                    first = frame.time if first is None else min(first, frame.time)
                    end = max(end, frame.time + frame_step - first)
            if end > decode_limit:
                decoding = False
                facts["partly_decoded"] = True
        facts["decodes"] = frames > 0
    except (av.FFmpegError, MemoryError, ValueError) as exc:
        _failed(facts, "decode_failed", exc)
    facts["frames"] = frames
    facts["duration_s"] = round(end, 3) if frames else 0.0
    if facts["rotation"] in (90, 270, -90):
        facts["width"], facts["height"] = facts["height"], facts["width"]
        facts["rotation"] %= 360
    if not frames and not facts["error"]:
        facts["error"] = "no_frames"
