"""Test media made with the project's own tools (OpenCV, Pillow), small and in tmp folders."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image


def write_clip(path: Path, size=(320, 180), seconds=2.0, fps=30, colour=(0, 0, 255)) -> Path:
    """A clip whose frame i has the frame number drawn big, on a ``colour`` (BGR) field."""
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for i in range(int(seconds * fps)):
        frame = np.zeros((h, w, 3), np.uint8)
        frame[:] = colour
        cv2.putText(frame, str(i), (10, h - 20), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 3)
        writer.write(frame)
    writer.release()
    return path


def write_image(path: Path, size=(400, 300), colour=(255, 128, 0), **save) -> Path:
    Image.new("RGB", size, colour).save(path, **save)
    return path


def hall(folder: Path, playlists: dict[str, str], schedule: str = "", fallback: str | None = None,
         displays: str | None = None) -> Path:
    """A small hall: config.yaml plus the given playlists (name → YAML text)."""
    (folder / "playlists").mkdir(parents=True, exist_ok=True)
    for name, text in playlists.items():
        (folder / "playlists" / f"{name}.yaml").write_text(text, encoding="utf-8")
    displays = displays or (
        "  front:  {screen: HDMI-1, size: [1920, 1080]}\n"
        "  rear:   {screen: HDMI-2, size: [1920, 1080]}\n"
        "  pillar: {screen: DP-1, size: [1080, 1920]}\n"
    )
    default = next(iter(playlists))
    names = [line.split(":")[0].strip() for line in displays.splitlines() if line.strip()]
    text = (
        "hall: 테스트 홀\ntimezone: Asia/Seoul\ndisplays:\n" + displays
        + (f"fallback: {fallback}\n" if fallback else "")
        + "schedule:\n"
        + "  default: {" + ", ".join(f"{n}: {default}" for n in names) + "}\n"
        + schedule
    )
    (folder / "config.yaml").write_text(text, encoding="utf-8")
    return folder / "config.yaml"


def write_h264(path: Path, size=(1280, 720), seconds=6.0, fps=30, audio=False, faststart=True,
               title: str | None = None, rotation: int | None = None, colour=(40, 90, 200)) -> Path:
    """A real H.264 MP4 made with PyAV (the library intake itself uses)."""
    import av

    w, h = size
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format="mp4", options=options) as out:
        if title:
            out.metadata["title"] = title
        v = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast", "crf": "30"})
        v.width, v.height, v.pix_fmt = w, h, "yuv420p"
        if rotation is not None:
            v.set_display_rotation(rotation)
        a = out.add_stream("aac", rate=48000) if audio else None
        frame = np.zeros((h, w, 3), np.uint8)
        frame[:] = colour
        n = int(round(seconds * fps))
        for i in range(n):
            frame[: max(1, h // 8), :] = (i * 7) % 255  # a band that changes, so frames differ
            for packet in v.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                out.mux(packet)
        for packet in v.encode(None):
            out.mux(packet)
        if a is not None:
            _silence(out, a, seconds)
    return path


def _silence(out, stream, seconds: float) -> None:
    """``seconds`` of silent AAC into ``stream``."""
    import av

    pts = 0
    while pts < seconds * 48000:
        chunk = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        chunk.sample_rate, chunk.pts = 48000, pts
        for packet in stream.encode(chunk):
            out.mux(packet)
        pts += 1024
    for packet in stream.encode(None):
        out.mux(packet)


def write_audio_only(path: Path, seconds=3.0) -> Path:
    import av

    with av.open(str(path), "w", format="mp4") as out:
        _silence(out, out.add_stream("aac", rate=48000), seconds)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims ``width`` x ``height``, with almost no pixel data behind it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def png_blank_bilevel(path: Path, width: int, height: int) -> Path:
    """A complete, valid black PNG of one bit a pixel: a few hundred kilobytes on disk, but
    Pillow holds it at one byte a pixel (``width × height`` bytes) once decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte "none", then the row's bits
    packer = zlib.compressobj(1)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path
