"""Decoded 4:2:0 frames scaled straight into their place on a wall, bars and all.

A clip whose size differs from its wall's (a 1920x1080 clip on the 1080x1920 pillar, letterboxed)
went through a canvas: the filter graph scaled and converted it into a 1080p canvas and padded
it, and the window's paint copied the whole canvas into its backing store. Here libswscale
scales and converts the frame in one pass into the fitted rectangle of the backing store itself
(same stride, the first pixel at ``y0 * stride + x0 * 4``), and the bars (the rest of the wall)
are filled with the background colour: no canvas, no copy. The part a fit mode cuts away
(``cover``) is cropped by offsetting the source planes, as the graph's crop filter does. The
placement, the crop and the scaling flags are the filter graph's (``fit.video_geometry``), so
the pixels are its bytes (the tests compare them).

The bars are filled after the picture, and whatever libswscale writes past the end of a row (a
build whose output runs whole groups of pixels) lands in a bar or in the next row's picture,
both written afterwards. A window whose backing store keeps its pixels between paints asks for
the bars only when the layout changed (``bars=False`` otherwise): then only the few pixels such
a build could have written over (``splash``) are filled again. Filling 1.4 million bar pixels a
frame on the letterboxed pillar was 2.7% of the player's CPU. Past the last row of the memory nothing may be written, so a rectangle that
reaches the end of the memory without room for its last row rounded up to a run of 16 pixels is
scaled into a scratch buffer and copied in (``cover`` on a 1080-wide pillar). That costs what
the canvas and its copy cost, so the fitter leaves such frames to the canvas path (``can_fit``);
the scratch is for canvases and backing stores narrower than the fitter supposed.

Frames that need no scaling (only padding or cropping: rare) keep the canvas path.
"""

from __future__ import annotations

import ctypes

import av
import numpy as np

from signage.media.bgra import FORMATS, RUN, BgraWriter, VideoPicture, _library, colour, context
from signage.media.fit import hex_to_bgra, video_geometry

FITS = ("contain", "cover", "stretch")


def _upright(frame: av.VideoFrame) -> bool:
    return not (int(getattr(frame, "rotation", 0) or 0) % 360)


def can_fit(frame: av.VideoFrame, size: tuple[int, int], fit: str) -> bool:
    """True when ``frame`` scales straight into a wall of ``size``: 4:2:0, upright, a fit mode
    that scales it (not already the wall's size, not only cropped or padded) and the converter
    is there."""
    if fit not in FITS or frame.format.name not in FORMATS or not _upright(frame):
        return False
    (_x, _y, w, h), (dx, dy, cw, ch) = video_geometry((frame.width, frame.height), size, fit)
    # scaled aside and copied in, a picture costs what the canvas and its copy cost: not worth it
    aside = dy + ch == size[1] and dx + _runs(cw) > size[0]
    return (w, h) != (cw, ch) and not aside and _library() is not None


def _runs(pixels: int) -> int:
    """``pixels`` rounded up to whole runs of 16."""
    return -(-pixels // RUN) * RUN


def fill(address: int, stride: int, rect: tuple[int, int, int, int], bgra: tuple[int, int, int, int]) -> None:
    """Fill ``rect`` (x, y, w, h) of rows of ``stride`` bytes at ``address`` with one colour."""
    x, y, w, h = rect
    if w <= 0 or h <= 0:
        return
    pixel = np.array(bgra, np.uint8).view(np.uint32)[0]
    memory = (ctypes.c_uint8 * (stride * (h - 1) + 4 * w)).from_address(address + y * stride + 4 * x)
    rows = np.lib.stride_tricks.as_strided(np.frombuffer(memory, np.uint32), (h, w), (stride, 4))
    rows[:] = pixel


def bars_of(size: tuple[int, int], rect: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The parts of a wall of ``size`` around ``rect`` (x, y, w, h): top, bottom, left, right."""
    (W, H), (x, y, w, h) = size, rect
    return [(0, 0, W, y), (0, y + h, W, H - y - h), (0, y, x, h), (x + w, y, W - x - w, h)]


def splash(size: tuple[int, int], rect: tuple[int, int, int, int], stride: int) -> list[tuple[int, int, int, int]]:
    """The bar pixels that a libswscale writing each row of ``rect`` on to a whole run of 16
    pixels could reach, in rows of ``stride`` bytes: right of each row, and where a row's run
    goes on into the next row (the left bar, or the bottom bar's first row)."""
    (W, H), (dx, dy, cw, ch) = size, rect
    end, row = dx + _runs(cw), stride // 4
    if row < RUN:  # a run could go on over several rows: all the bars
        return bars_of(size, rect)
    out = []
    if dx + cw < W and end > dx + cw:
        out.append((dx + cw, dy, min(end, W) - dx - cw, ch))
    wrap = end - row
    if wrap > 0:
        if ch > 1 and dx > 0:
            out.append((0, dy + 1, min(wrap, dx), ch - 1))
        if dy + ch < H:
            out.append((0, dy + ch, min(wrap, W), 1))
    return out


class FitWriter:
    """Scales frames of one size and colour description into their rectangle of a wall; one per
    window (not thread-safe)."""

    def __init__(self):
        self._ctx = None
        self._key: tuple | None = None
        self._scratch: np.ndarray | None = None

    def write(self, frame: av.VideoFrame, size: tuple[int, int], fit: str, background: str,
              address: int, stride: int, length: int, bars: bool = True) -> None:
        """``frame`` fitted into a wall of ``size`` (w, h) at ``address``: rows of ``stride``
        bytes, ``length`` bytes of memory the caller owns and keeps alive. ``bars=False``: the
        memory still holds this layout's bars from the frame before (only ``splash`` is filled)."""
        lib = _library()
        if lib is None:
            raise RuntimeError("libswscale is not available")
        W, H = size
        if stride < 4 * W or length < stride * (H - 1) + 4 * W:
            raise ValueError(f"{length} bytes in rows of {stride} cannot hold {W}x{H} pixels")
        (x, y, w, h), rect = video_geometry((frame.width, frame.height), size, fit)
        dx, dy, cw, ch = rect
        if (w, h) == (cw, ch):  # libswscale's unscaled conversion writes whole runs past the row
            raise ValueError(f"a {w}x{h} picture needs no scaling into {cw}x{ch}")
        matrix, full = colour(frame)
        key = (frame.width, frame.height, frame.format.name, size, fit, matrix, full)
        if key != self._key:
            self.close()
            self._ctx = context(lib, (w, h), frame.format.name, (cw, ch), matrix, full)
            self._key = key
        planes = frame.planes
        # the crop filter's offsets: chroma planes are half as wide and high (odd offsets round down)
        src = (ctypes.c_void_p * 4)(*(p.buffer_ptr + (x + y * p.line_size if i == 0 else x // 2 + y // 2 * p.line_size)
                                      for i, p in enumerate(planes)), None)
        src_stride = (ctypes.c_int * 4)(*(p.line_size for p in planes), 0)
        first = dy * stride + 4 * dx
        in_place = first + stride * (ch - 1) + 4 * _runs(cw) <= length  # room for the last row's runs
        if in_place:
            dst, dst_stride = address + first, stride
        else:
            rows = 4 * _runs(cw)
            if self._scratch is None or self._scratch.shape != (ch, rows):
                self._scratch = np.empty((ch, rows), np.uint8)
            dst, dst_stride = self._scratch.ctypes.data, rows
        done = lib[0].sws_scale(self._ctx, src, src_stride, 0, h, (ctypes.c_void_p * 4)(dst, None, None, None),
                                (ctypes.c_int * 4)(dst_stride, 0, 0, 0))  # ctypes lets the GIL go meanwhile
        if done != ch:
            raise RuntimeError(f"libswscale scaled {done} of {ch} rows")
        if not in_place:
            memory = (ctypes.c_uint8 * (stride * (ch - 1) + 4 * cw)).from_address(address + first)
            view = np.lib.stride_tricks.as_strided(np.frombuffer(memory, np.uint8), (ch, 4 * cw), (stride, 1))
            view[:] = self._scratch[:, : 4 * cw]
        colour_ = hex_to_bgra(background)
        for bar in bars_of(size, rect) if bars else splash(size, rect, stride):
            fill(address, stride, bar, colour_)

    def canvas(self, frame: av.VideoFrame, size: tuple[int, int], fit: str, background: str) -> np.ndarray:
        """A new canvas (B, G, R, 255) of ``size`` with ``frame`` fitted into it."""
        W, H = size
        out = np.empty((H, W, 4), np.uint8)
        self.write(frame, size, fit, background, out.ctypes.data, out.strides[0], out.nbytes)
        return out

    def close(self) -> None:
        lib = _library()
        if self._ctx and lib is not None:
            lib[0].sws_freeContext(self._ctx)
        self._ctx, self._key = None, None

    def __del__(self) -> None:
        self.close()


class FittedPicture(VideoPicture):
    """A decoded frame that a wall of ``size`` shows fitted (``fit``, bars of ``background``):
    the window scales it into its backing store; anything else gets ``canvas()``, the wall's."""

    __slots__ = ("size", "fit", "background")

    def __init__(self, frame: av.VideoFrame, size: tuple[int, int], fit: str, background: str):
        super().__init__(frame)
        self.size, self.fit, self.background = size, fit, background

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.size[1], self.size[0], 4)

    def small_canvas(self, step: int, writer: BgraWriter | None = None) -> np.ndarray:
        """Every ``step``-th pixel of the wall, near enough for a thumbnail: the frame's planes
        sampled, then fitted into a wall ``step`` times smaller."""
        if step <= 1:
            return self.canvas()
        small = self.sampled_frame(step)
        W, H = self.size
        size = (-(-W // step), -(-H // step))
        if can_fit(small, size, self.fit):
            return FitWriter().canvas(small, size, self.fit, self.background)
        from signage.media.videofit import VideoFitter

        return np.array(VideoFitter(size, self.fit, self.background)(small))

    def canvas(self) -> np.ndarray:
        if self._canvas is None:
            try:
                self._canvas = FitWriter().canvas(self.frame, self.size, self.fit, self.background)
            except RuntimeError:  # the converter failed: the filter graph makes the same canvas
                from signage.media.videofit import VideoFitter

                self._canvas = np.array(VideoFitter(self.size, self.fit, self.background)(self.frame))
        return self._canvas
