"""Video through PyAV (FFmpeg): open, probe, seek, and decode frames with their timestamps.

Frames stay FFmpeg's own YUV pictures until ``VideoFitter`` turns them into a canvas in one
pass. (OpenCV's ``VideoCapture`` was used first: it always converts to BGR into its own buffer
and copies that out, two extra full-frame passes that cost 1.4 ms a frame, 13% of the player's
CPU; see BENCHMARKS.md.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from signage.media import MediaError
from signage.media.videofit import ONE_THREAD_PIXELS, VideoFitter, upright_size


@dataclass(frozen=True)
class VideoInfo:
    width: int  # as displayed, after rotation metadata
    height: int
    fps: float
    frames: int
    duration_s: float


class VideoReader:
    """One open clip. ``frames()`` yields ``(pts_seconds, av.VideoFrame)`` from the current position."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise MediaError(f"file does not exist: {self.path.name}")
        try:
            self._container = av.open(str(self.path), metadata_errors="ignore")
        except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
            raise MediaError(f"cannot open video {self.path.name}: {exc}") from None
        if not self._container.streams.video:
            self._container.close()
            raise MediaError(f"{self.path.name} has no video stream")
        stream = self._stream = self._container.streams.video[0]
        ctx = stream.codec_context
        if ctx.width * ctx.height > ONE_THREAD_PIXELS:
            stream.thread_type = "AUTO"  # 4K: let FFmpeg use its threads
        else:
            ctx.thread_count = 1  # each wall has its own decoding thread already
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else 0.0
        self.fps = fps if 1 <= fps <= 240 else 30.0
        self.frame_count = int(stream.frames or 0)
        self._base = stream.time_base
        self._start = stream.start_time or 0
        self._index = 0
        self._iter: Iterator[tuple[float, av.VideoFrame]] | None = None

    def frames(self) -> Iterator[tuple[float, av.VideoFrame]]:
        """The one decoding iterator (frames a packet gave are never lost between calls)."""
        if self._iter is None:
            self._iter = self._decode()
        return self._iter

    def _decode(self) -> Iterator[tuple[float, av.VideoFrame]]:
        try:
            for frame in self._container.decode(self._stream):
                if frame.pts is None:
                    pts = self._index / self.fps  # containers without timestamps
                else:
                    pts = float((frame.pts - self._start) * self._base)
                self._index += 1
                yield pts, frame
        except av.FFmpegError as exc:
            raise MediaError(f"cannot decode {self.path.name}: {exc}") from None

    def read(self) -> tuple[float, av.VideoFrame] | None:
        return next(self.frames(), None)

    def seek(self, seconds: float) -> None:
        """To the keyframe at or before ``seconds``; the frames before it still come out (skip them)."""
        if seconds > 0:
            try:
                self._container.seek(int(seconds / self._base) + self._start, stream=self._stream, backward=True)
            except av.FFmpegError as exc:
                raise MediaError(f"cannot seek in {self.path.name}: {exc}") from None
            if self._iter is not None:
                self._iter.close()
                self._iter = None
            self._index = int(seconds * self.fps)

    def count_frames(self) -> int:
        """Frames in the clip, counted from its packets (no decoding)."""
        return sum(1 for packet in self._container.demux(self._stream) if packet.size)

    def close(self) -> None:
        if self._iter is not None:  # the generator refers back to the reader: break the cycle now
            self._iter.close()
            self._iter = None
        self._container.close()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def probe_video(path: Path) -> VideoInfo:
    """Size as displayed, frame rate and length, for playback. Raises MediaError when no frame
    decodes.

    The length comes from the container's frame count (a seek to check the end would decode up
    to a whole group of pictures per clip); clips without one are counted from their packets. A
    clip that ends early holds its last frame until its step ends. Tenant uploads get the full,
    decode-to-the-end check at intake, in a separate process.
    """
    with VideoReader(path) as reader:
        first = reader.read()
        if first is None:
            raise MediaError(f"{Path(path).name} opens but yields no frames")
        w, h = upright_size(first[1])
        frames = reader.frame_count
    if frames <= 1:
        with VideoReader(path) as counter:
            frames = counter.count_frames()
    return VideoInfo(w, h, reader.fps, frames, frames / reader.fps)


def frame_at(path: Path, seconds: float, size: tuple[int, int] | None = None, fit: str = "contain",
             background: str = "#000000") -> np.ndarray:
    """The canvas of the frame shown ``seconds`` into a clip (the last frame past its end), fitted
    to ``size`` (the clip's own upright size when None)."""
    with VideoReader(path) as reader:
        reader.seek(max(0.0, seconds - 0.5))
        last = None
        for pts, frame in reader.frames():
            last = frame
            if pts + 0.5 / reader.fps >= seconds:
                break
        if last is None:
            raise MediaError(f"{Path(path).name} yields no frame at {seconds:.1f}s")
        fitter = VideoFitter(size or upright_size(last), fit, background)
        return np.array(fitter(last))  # a copy: the fitter's frames are pooled
