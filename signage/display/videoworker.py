"""A decoding thread for one video step: decodes ahead, fits frames to the display off the GUI thread.

Frames come out as ``(pts, canvas)``; the runner shows each when its time comes on the monotonic
clock and drops the ones it is too late for. A clip that opens but yields no frame is a failure.
Canvases live in FFmpeg's pooled frame buffers: a buffer goes back to the pool when the last
reference to its canvas (the queue, the window, a fade) is dropped, so nothing is overwritten
while it is still on a wall.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass

import numpy as np

from signage.media import MediaError
from signage.media.video import VideoReader
from signage.playback.steps import Step

# Frames decoded ahead of the wall. Only the first of them is fitted ahead: decoding is the
# expensive part and gets the slack, while each canvas is an 8 MB buffer (1080p).
QUEUE = 2


@dataclass
class Frame:
    pts: float
    canvas: np.ndarray | object | None  # None until it is fitted; a VideoPicture at the wall's own size
    picture: object = None  # the decoded av.VideoFrame, until it is fitted


class VideoWorker:
    def __init__(self, step: Step, start: float, fit, length: float | None = None):
        """``fit(av_frame) -> canvas`` (a VideoFitter); ``start`` seconds into the clip;
        ``length`` of the clip, for loops."""
        self.step = step
        self.start = start
        self.length = length
        self._fit = fit
        self._frames: collections.deque[Frame] = collections.deque()
        self._cond = threading.Condition()
        self._stop = False
        self.ended = False
        self.error: str | None = None
        self.decoded = 0
        self.skipped_late = 0  # frames decoded after their time had passed, never fitted
        self.min_pts = 0.0  # frames before this are dropped in the worker (the runner is past them)
        # A prepared decoder holds one decoded picture until its step begins, not yet fitted: its
        # filter graph and canvas buffers are made when the step begins (memory at switches).
        # Queued frames hold the decoded picture until they are fitted (see QUEUE).
        self._limit = 1
        self._fit_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"video-{step.path.name}", daemon=True)
        self._thread.start()

    # ---- consumer side (GUI thread) ----------------------------------------------------------

    def take_due(self, position: float) -> tuple[Frame | None, int]:
        """The newest frame whose pts ≤ position, and how many older due frames were dropped."""
        with self._cond:
            newest, skipped = None, 0
            while self._frames and self._frames[0].pts <= position + 1e-4:
                if newest is not None:
                    skipped += 1
                newest = self._frames.popleft()
            self.min_pts = position
            if newest is not None:  # room in the queue; a tick that took nothing wakes no one
                self._cond.notify_all()
        if newest is not None:
            self._fit_frame(newest)  # normally done already by the decoding thread
        return newest, skipped

    def _fit_frame(self, frame: Frame) -> None:
        with self._fit_lock:  # either thread may get there first; the graph is used by one at a time
            if frame.canvas is None:
                frame.canvas, frame.picture = self._fit(frame.picture), None

    def _head_to_fit(self) -> Frame | None:
        """Under the lock: the next frame due, when it still needs a canvas and the step has begun."""
        if self._frames and self._frames[0].canvas is None and self._limit == QUEUE:
            return self._frames[0]
        return None

    def activate(self) -> None:
        """Its step began: decode ahead fully."""
        with self._cond:
            self._limit = QUEUE
            self._cond.notify_all()

    def peek_pts(self) -> float | None:
        with self._cond:
            return self._frames[0].pts if self._frames else None

    def ready(self) -> bool:
        with self._cond:
            return bool(self._frames) or self.ended or self.error is not None

    def exhausted(self) -> bool:
        with self._cond:
            return (self.ended or self.error is not None) and not self._frames

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._frames.clear()  # their buffers go back now, not when the thread has wound up
            self._cond.notify_all()

    def join(self, timeout: float = 2.0) -> None:
        self._thread.join(timeout)

    # ---- decoding thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._decode()
        except MediaError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a decoder crash must not take the player down
            self.error = f"decoder error: {exc}"
        finally:
            with self._cond:
                self.ended = True
                self._cond.notify_all()

    def _decode(self) -> None:
        base = 0.0
        reader = VideoReader(self.step.path)
        try:
            position = self.start
            if self.length and self.step.loop and position >= self.length:
                loops = int(position // self.length)
                base, position = loops * self.length, position - loops * self.length
            reader.seek(max(0.0, position - 0.05))
            frame_interval = 1.0 / reader.fps
            frames, this_pass = reader.frames(), 0
            while True:
                with self._cond:
                    while not self._stop and not self._head_to_fit() and len(self._frames) >= self._limit:
                        self._cond.wait(0.1)
                    if self._stop:
                        return
                    head = self._head_to_fit()
                    min_pts = self.min_pts
                if head is not None:
                    self._fit_frame(head)  # the next frame due gets its canvas ahead of time
                    continue
                got = next(frames, None)
                if got is None:
                    if this_pass == 0:
                        raise MediaError(f"{self.step.path.name} yields no frames")
                    if self.step.loop and self.length:
                        reader.close()
                        reader = VideoReader(self.step.path)
                        frames, this_pass = reader.frames(), 0
                        base += self.length
                        continue
                    return
                pts = got[0] + base
                self.decoded += 1
                this_pass += 1
                if pts + frame_interval < self.start:
                    continue  # decoding from the keyframe before the start point
                if pts + frame_interval < min_pts:
                    self.skipped_late += 1  # already too late to show: do not spend time fitting it
                    continue
                with self._cond:
                    self._frames.append(Frame(pts, None, got[1]))
        finally:
            reader.close()
