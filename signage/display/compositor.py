"""The one compositor: a display's frame as an RGB canvas, for windows, preview PNGs and thumbnails."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from signage.display.slides import render_slide
from signage.media import MediaError
from signage.media.bgra import as_canvas
from signage.media.fade import Fader, blend
from signage.media.fit import fit_into, solid
from signage.media.images import load_image
from signage.media.pdf import render_page
from signage.media.video import frame_at
from signage.media.videofit import VideoFitter
from signage.playback.catalog import Catalog
from signage.playback.planner import Showing
from signage.playback.steps import Step


class Compositor:
    def __init__(self, size: tuple[int, int], root: Path, catalog: Catalog, cache: int = 0):
        """``cache``: stills kept rendered beyond the ones on or for the wall. None by default:
        a 1080p canvas is 8 MB, and a still renders in tens of milliseconds two seconds before
        it is due (a PDF page going back in a deck: a tenth of a second)."""
        self.size = size
        self.root = root
        self.catalog = catalog
        self._stills: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._cache_size = cache
        self._lock = threading.Lock()
        self.black = solid(size, "#000000")
        self.black.setflags(write=False)

    def still(self, step: Step) -> np.ndarray:
        """Image, PDF page or slide, rendered (or from the cache). Raises MediaError (and records it)."""
        with self._lock:
            hit = self._stills.get(step.key)
            if hit is not None:
                self._stills.move_to_end(step.key)
                return hit
        try:
            canvas = self._render(step)
        except MediaError as exc:
            if step.path is not None:
                self.catalog.mark_failed(step.path, str(exc))
            raise
        canvas.setflags(write=False)
        with self._lock:
            self._stills[step.key] = canvas
            while len(self._stills) > self._cache_size:
                self._stills.popitem(last=False)
        return canvas

    def _render(self, step: Step) -> np.ndarray:
        if step.kind == "slide":
            try:
                return render_slide(step.slide, self.size, step.background, self.root)
            except MediaError:
                raise
            except OSError as exc:
                raise MediaError(str(exc)) from None
        if step.kind == "image":
            return fit_into(load_image(step.path, self.size, step.fit), self.size, step.fit, step.background)
        if step.kind == "pdf":
            page = render_page(step.path, step.page, self.size)
            return fit_into(page, self.size, step.fit, step.background)
        if step.kind == "video":  # a still of a video: its first frame
            return self.video_canvas_at(step, 0.0)
        raise MediaError(f"unknown step kind {step.kind}")

    def video_canvas_at(self, step: Step, seconds: float) -> np.ndarray:
        return frame_at(step.path, seconds, self.size, step.fit, step.background)

    def video_fitter(self, step: Step) -> VideoFitter:
        """For a decoding thread: fits its frames into canvases from FFmpeg's buffer pool; a frame
        at the wall's own size stays a ``VideoPicture`` that the window converts when it paints."""
        return VideoFitter(self.size, step.fit, step.background, direct=True)

    @staticmethod
    def fade_amount(step: Step | None, offset: float) -> float | None:
        """0..1 while the step fades in, None when no fade applies."""
        if step is None:
            return None
        kind, seconds = step.transition
        if kind != "fade" or seconds <= 0 or offset >= seconds:
            return None
        return max(0.0, offset / seconds)

    def mix(self, previous: np.ndarray | None, current, step: Step | None, offset: float,
            fader: Fader | None = None):
        """``current`` (a canvas or a ``VideoPicture``) with ``previous`` faded out over it, while
        ``step`` fades in; ``fader``: the wall's, whose kept canvases the mix is drawn into."""
        amount = self.fade_amount(step, offset)
        if amount is None or previous is None or previous.shape != current.shape:
            return current
        if fader is not None:
            return fader.mix(previous, current, amount)
        return blend(previous, as_canvas(current), amount)

    # ---- still composition of any moment: preview and tests ---------------------------------

    def _step_canvas_at(self, step: Step, offset: float) -> np.ndarray:
        if step.kind == "video":
            length = self.catalog.video_length(step.path) or step.duration
            position = offset % length if step.loop else min(offset, max(0.0, length - 0.001))
            return self.video_canvas_at(step, position)
        return self.still(step)

    def compose(self, showing: Showing) -> np.ndarray:
        """The frame at the moment ``showing`` describes (decodes what it needs, no state)."""
        if showing.mode == "dark" or showing.step is None:
            return self.black.copy()
        try:
            current = self._step_canvas_at(showing.step, showing.offset)
        except MediaError:
            return self.black.copy()  # the live player skips the step; the preview says so in JSON
        previous = None
        if self.fade_amount(showing.step, showing.offset) is not None and showing.previous is not None:
            try:
                previous = self._step_canvas_at(showing.previous, showing.previous.duration)
            except MediaError:
                previous = None
        return self.mix(previous, current, showing.step, showing.offset)
