"""Video frames → display canvases in FFmpeg: upright, cropped, scaled, converted and padded.

One filter graph per clip does everything in as few passes as it can: turn the picture upright by
its rotation metadata, crop what a fit mode cuts away (before scaling, so nothing is scaled for
nothing), scale and convert YUV to the canvas layout (B, G, R, 255: Qt's ``Format_RGB32``) in one
libswscale pass, and pad with the background colour. Output frames come from FFmpeg's buffer
pools, so a playing clip reuses the same few buffers and never faults in fresh memory; the
canvas is a numpy view of the frame's pixels (rows may be padded: strides, not copies).

Up to 1080p a graph converts on its caller's thread. Left to itself, libavfilter gives every
graph a pool of slice threads (four more threads per wall on two cores), woken for every frame
to convert a slice each; each wall already decodes and fits on a thread of its own, so on a busy
machine the pool only adds hand-offs and cache traffic (see BENCHMARKS.md). 4K keeps it.
"""

from __future__ import annotations

import av
import numpy as np

from signage.media.bgra import VideoPicture, can_write
from signage.media.bgrafit import FittedPicture, can_fit
from signage.media.fit import hex_to_rgb, video_geometry

ONE_THREAD_PIXELS = 1920 * 1088  # up to 1080p one thread decodes and converts a wall's frames

ROTATE_FILTERS = {1: (("transpose", "cclock"),), 2: (("hflip", None), ("vflip", None)),
                  3: (("transpose", "clock"),)}


def quarter_turns(frame: av.VideoFrame) -> int:
    """How many quarter turns counter-clockwise the rotation metadata asks for (0..3)."""
    return (int(getattr(frame, "rotation", 0) or 0) % 360) // 90


def upright_size(frame: av.VideoFrame) -> tuple[int, int]:
    """The picture's size once turned upright."""
    return (frame.width, frame.height) if quarter_turns(frame) % 2 == 0 else (frame.height, frame.width)


def upright_filters(frame: av.VideoFrame) -> tuple:
    return ROTATE_FILTERS.get(quarter_turns(frame), ())


def graph_threads(picture: tuple[int, int], canvas: tuple[int, int]) -> int:
    """Threads for a clip's filter graph: 1 up to 1080p (the caller's own), 0 above (FFmpeg's choice)."""
    return 1 if max(picture[0] * picture[1], canvas[0] * canvas[1]) <= ONE_THREAD_PIXELS else 0


def link(graph: av.filter.Graph, nodes: list) -> None:
    for a, b in zip(nodes, nodes[1:], strict=False):
        a.link_to(b)
    graph.configure()


def canvas_of(frame: av.VideoFrame) -> np.ndarray:
    """A ``uint8[H, W, 4]`` view of a BGRA frame's pixels (keeps the frame alive)."""
    plane = frame.planes[0]
    w, h, stride = frame.width, frame.height, plane.line_size
    rows = np.frombuffer(plane, np.uint8, count=stride * h).reshape(h, stride)
    return rows[:, : w * 4].reshape(h, w, 4)


class VideoFitter:
    """Fits a clip's frames into canvases of ``size`` (w, h) with a fit mode and background.

    ``direct``: a frame already at the wall's size (nothing to crop, scale or pad) comes back as
    a ``VideoPicture`` for the window to convert into its backing store (``signage.media.bgra``),
    a frame the fit scales as a ``FittedPicture`` for the window to scale into its place there
    (``signage.media.bgrafit``).
    """

    def __init__(self, size: tuple[int, int], fit: str, background: str, direct: bool = False):
        self.size, self.fit, self.direct = size, fit, direct
        self._background = background
        r, g, b = hex_to_rgb(background)
        self._colour = f"0x{r:02x}{g:02x}{b:02x}"
        self._graph = None
        self._key: tuple | None = None

    def __call__(self, frame: av.VideoFrame) -> np.ndarray | VideoPicture:
        if self.direct and can_write(frame, self.size):
            return VideoPicture(frame)
        if self.direct and can_fit(frame, self.size, self.fit):
            return FittedPicture(frame, self.size, self.fit, self._background)
        key = (frame.width, frame.height, frame.format.name, quarter_turns(frame))
        if key != self._key:
            self._graph = self._build(frame)
            self._key = key
        self._graph[0].push(frame)
        return canvas_of(self._graph[1].pull())

    def _build(self, frame: av.VideoFrame):
        W, H = self.size
        graph = av.filter.Graph()
        graph.threads = graph_threads((frame.width, frame.height), self.size)
        src = graph.add_buffer(width=frame.width, height=frame.height, format=frame.format,
                               time_base=frame.time_base or av.time_base)
        nodes = [src]
        for name, arg in upright_filters(frame):
            nodes.append(graph.add(name, arg) if arg else graph.add(name))
        (x, y, w, h), (dx0, dy0, cw, ch) = video_geometry(upright_size(frame), self.size, self.fit)
        uw, uh = upright_size(frame)
        if (w, h) != (uw, uh):  # the fit cuts part of the picture away: crop it before scaling
            nodes.append(graph.add("crop", f"{w}:{h}:{x}:{y}:exact=1"))
            uw, uh = w, h
        if (uw, uh) != (cw, ch):
            nodes.append(graph.add("scale", f"{cw}:{ch}:flags=bilinear"))
        nodes.append(graph.add("format", "bgra"))
        if (cw, ch) != (W, H):
            nodes.append(graph.add("pad", f"{W}:{H}:{dx0}:{dy0}:color={self._colour}"))
        nodes.append(graph.add("buffersink"))
        link(graph, nodes)
        return src, nodes[-1], graph
