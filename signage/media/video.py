"""Video through OpenCV (FFmpeg backend): open, probe, seek, read frames with their timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from signage.media import MediaError


@dataclass(frozen=True)
class VideoInfo:
    width: int  # as displayed, after rotation metadata
    height: int
    fps: float
    frames: int
    duration_s: float


class VideoReader:
    """One open clip. ``read()`` gives ``(pts_seconds, bgr_frame)`` or None at the end."""

    def __init__(self, path: Path, threads: int = 0):
        self.path = Path(path)
        if not self.path.is_file():
            raise MediaError(f"file does not exist: {self.path.name}")
        params = [cv2.CAP_PROP_N_THREADS, threads] if threads else []  # only honoured at open
        cap = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG, params)
        if not cap.isOpened():
            raise MediaError(f"cannot open video {self.path.name}")
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)  # honour rotation metadata
        self._cap = cap
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if 1 <= fps <= 240 else 30.0
        self.frame_count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
        self.height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
        self._index = 0

    def read(self, out: np.ndarray | None = None) -> tuple[float, np.ndarray] | None:
        """The next frame (BGR), decoded into ``out`` when it has the right shape."""
        ok, frame = self._cap.read(out) if out is not None else self._cap.read()
        if not ok or frame is None:
            return None
        pts = self._cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if pts <= 0 and self._index > 0:
            pts = self._index / self.fps  # containers without timestamps
        self._index += 1
        return pts, frame

    def grab(self) -> bool:
        """Decode and drop one frame (cheaper than read: no colour conversion)."""
        ok = self._cap.grab()
        if ok:
            self._index += 1
        return ok

    def seek(self, seconds: float) -> None:
        if seconds > 0:
            self._cap.set(cv2.CAP_PROP_POS_MSEC, seconds * 1000.0)
            self._index = int(seconds * self.fps)

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def probe_video(path: Path) -> VideoInfo:
    """Size as displayed, frame rate and length, for playback. Raises MediaError when no frame
    decodes.

    The length comes from the container's frame count (a seek to check the end would decode up
    to a whole group of pictures per clip); clips without one are counted by decoding. A clip
    that ends early holds its last frame until its step ends. Tenant uploads get the full,
    decode-to-the-end check at intake, in a separate process.
    """
    with VideoReader(path, threads=1) as reader:
        first = reader.read()
        if first is None:
            raise MediaError(f"{Path(path).name} opens but yields no frames")
        h, w = first[1].shape[:2]
        frames = reader.frame_count
    if frames <= 1:
        with VideoReader(path, threads=1) as counter:
            frames = 0
            while counter.grab():
                frames += 1
    return VideoInfo(w, h, reader.fps, frames, frames / reader.fps)


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """The BGR frame shown ``seconds`` into a clip (the last frame past its end)."""
    with VideoReader(path) as reader:
        reader.seek(max(0.0, seconds - 0.5))
        last = None
        while True:
            got = reader.read()
            if got is None:
                break
            last = got[1]
            if got[0] + 0.5 / reader.fps >= seconds:
                break
        if last is None:
            raise MediaError(f"{Path(path).name} yields no frame at {seconds:.1f}s")
        return last
