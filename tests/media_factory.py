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
