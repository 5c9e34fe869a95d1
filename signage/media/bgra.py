"""Decoded 4:2:0 video frames converted straight into B, G, R, 255 pixels in memory we are given.

A wall's window keeps its picture in a backing store that Qt owns. Through a canvas, every frame
of a clip crossed memory twice: the filter graph converted YUV into a canvas (8 MB at 1080p) and
the window's paint copied the canvas into the backing store (another 8 MB). For a clip already at
the wall's size nothing needs fitting, so the window converts the decoded frame into its backing
store itself, and neither the canvas nor the copy is made (``signage.display.window``).

The conversion is libswscale's, called through ctypes in the very library PyAV loaded, with the
colour matrix and range the filter graph uses: the pixels are the same bytes as
``VideoFitter``'s canvas (the tests compare them). Where that library cannot be found (not
Linux, an unusual PyAV build), ``available()`` is False and frames take the canvas path.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

import av
import numpy as np

SWS_BILINEAR = 2  # the filter graph scales with flags=bilinear; an unscaled conversion is the
# same for every flag
SWS_CS_DEFAULT = 5
SWS_MATRICES = {1, 4, 5, 6, 7, 9}  # AVColorSpace values libswscale has a matrix for (same numbers)
AVCOL_RANGE_JPEG = 2
FORMATS = ("yuv420p", "yuvj420p")
RUN = 16  # pixels libswscale's fast conversion writes at a time

_lock = threading.Lock()
_lib: object = None  # None: not looked for yet; False: not available


def _loaded(name: str) -> Path | None:
    """PyAV's copy of an FFmpeg library, as this process loaded it: the one in PyAV's wheel
    (``av.libs``), else the only one loaded (OpenCV, in tests, brings copies of its own)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return None
    paths = {Path(line.split()[-1]) for line in maps.splitlines()
             if f"/{name}" in line and line.split()[-1].startswith("/")}
    wheel = Path(av.__file__).resolve().parent.parent / "av.libs"
    ours = [path for path in paths if path.parent == wheel]
    if len(ours) == 1:
        return ours[0]
    return paths.pop() if len(paths) == 1 else None


def _bind():
    swscale, avutil = _loaded("libswscale"), _loaded("libavutil")
    if swscale is None or avutil is None:
        return False
    try:
        sws, util = ctypes.CDLL(str(swscale)), ctypes.CDLL(str(avutil))
        ptr, cint = ctypes.c_void_p, ctypes.c_int
        sws.sws_getContext.restype = ptr
        sws.sws_getContext.argtypes = [cint, cint, cint, cint, cint, cint, cint, ptr, ptr, ptr]
        sws.sws_freeContext.argtypes = [ptr]
        sws.sws_getCoefficients.restype = ptr
        sws.sws_getCoefficients.argtypes = [cint]
        sws.sws_setColorspaceDetails.argtypes = [ptr, ptr, cint, ptr, cint, cint, cint, cint]
        sws.sws_scale.argtypes = [ptr, ctypes.POINTER(ptr), ctypes.POINTER(cint), cint, cint,
                                  ctypes.POINTER(ptr), ctypes.POINTER(cint)]
        util.av_get_pix_fmt.argtypes = [ctypes.c_char_p]
        formats = {name: util.av_get_pix_fmt(name.encode()) for name in (*FORMATS, "bgra")}
    except (OSError, AttributeError):
        return False
    if min(formats.values()) < 0:
        return False
    return sws, formats


def _library():
    global _lib
    with _lock:
        if _lib is None:
            av.VideoFrame(16, 16, "yuv420p")  # PyAV's libraries are loaded by now
            _lib = _bind()
        return _lib or None


def available() -> bool:
    return _library() is not None


def colour(frame: av.VideoFrame) -> tuple[int, bool]:
    """The libswscale matrix and full range (JPEG) flag the filter graph converts ``frame`` with."""
    matrix = frame.colorspace if frame.colorspace in SWS_MATRICES else SWS_CS_DEFAULT
    return matrix, frame.color_range == AVCOL_RANGE_JPEG or frame.format.name == "yuvj420p"


def context(lib, src: tuple[int, int], fmt: str, dst: tuple[int, int], matrix: int, full: bool) -> int:
    """A libswscale context from ``src`` (w, h) pixels of ``fmt`` to ``dst`` B, G, R, 255 pixels,
    bilinear as the filter graph scales; free it with ``sws_freeContext``."""
    sws, formats = lib
    ctx = sws.sws_getContext(*src, formats[fmt], *dst, formats["bgra"], SWS_BILINEAR, None, None, None)
    if not ctx:
        raise RuntimeError("libswscale refused the conversion")
    sws.sws_setColorspaceDetails(ctx, sws.sws_getCoefficients(matrix), int(full),
                                 sws.sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    return ctx


def can_write(frame: av.VideoFrame, size: tuple[int, int]) -> bool:
    """True when ``frame`` converts straight into a wall of ``size``: 4:2:0, upright, exactly the
    wall's size (nothing to crop, scale or pad), an even height (libswscale converts odd ones
    another way) and the converter is there."""
    return (frame.format.name in FORMATS and (frame.width, frame.height) == size and frame.width >= RUN
            and frame.height % 2 == 0 and not (int(getattr(frame, "rotation", 0) or 0) % 360) and available())


class BgraWriter:
    """Converts frames of one size and colour description; one per window (not thread-safe).

    libswscale's fast conversion writes whole runs of 16 pixels: a row whose width is not a
    multiple of 16 (a 1080-wide pillar) would be written past its end, into the next row and,
    after the last one, past the memory we were given. So the widest multiple of 16 is converted
    in place, and the few columns right of it (an even column: the chroma lines up) into a small
    scratch buffer with room to spare, then copied in (the tests check every byte and the bytes
    around them).
    """

    def __init__(self):
        self._ctx: list = []  # (context, first column, columns) for the wide part and the rest
        self._key: tuple | None = None
        self._scratch: np.ndarray | None = None

    def write(self, frame: av.VideoFrame, address: int, stride: int) -> None:
        """``frame`` as B, G, R, 255 into ``frame.height`` rows of ``stride`` bytes at ``address``
        (memory the caller owns and keeps alive: at least ``stride * height`` bytes)."""
        lib = _library()
        if lib is None:
            raise RuntimeError("libswscale is not available")
        sws = lib[0]
        w, h = frame.width, frame.height
        if stride < 4 * w:
            raise ValueError(f"rows of {stride} bytes cannot hold {w} pixels")
        matrix, full = colour(frame)
        key = (w, h, frame.format.name, matrix, full)
        if key != self._key:
            self.close()
            wide = w - w % RUN
            for first, columns in ((0, wide), (wide, w - wide)):
                if columns == 0:
                    continue
                try:
                    ctx = context(lib, (columns, h), frame.format.name, (columns, h), matrix, full)
                except RuntimeError:
                    self.close()
                    raise
                self._ctx.append((ctx, first, columns))
            self._scratch = np.empty((h, 2 * RUN * 4), np.uint8) if w % RUN else None
            self._key = key
        planes = frame.planes
        src_stride = (ctypes.c_int * 4)(*(p.line_size for p in planes), 0)
        for ctx, first, columns in self._ctx:
            # chroma planes are half as wide: ``first`` is a multiple of 16, so even
            src = (ctypes.c_void_p * 4)(*(p.buffer_ptr + (first if i == 0 else first // 2)
                                          for i, p in enumerate(planes)), None)
            whole_runs = columns % RUN == 0
            if whole_runs:
                dst, dst_stride = address + 4 * first, stride
            else:
                dst, dst_stride = self._scratch.ctypes.data, self._scratch.strides[0]
            done = sws.sws_scale(ctx, src, src_stride, 0, h, (ctypes.c_void_p * 4)(dst, None, None, None),
                                 (ctypes.c_int * 4)(dst_stride, 0, 0, 0))  # ctypes lets the GIL go meanwhile
            if done != h:
                raise RuntimeError(f"libswscale converted {done} of {h} rows")
            if not whole_runs:
                target = np.ctypeslib.as_array((ctypes.c_uint8 * (stride * (h - 1) + 4 * w)).from_address(address))
                view = np.lib.stride_tricks.as_strided(target[4 * first:], (h, 4 * columns), (stride, 1))
                view[:] = self._scratch[:, : 4 * columns]

    def canvas(self, frame: av.VideoFrame) -> np.ndarray:
        """A new canvas (B, G, R, 255) of ``frame``."""
        out = np.empty((frame.height, frame.width, 4), np.uint8)
        self.write(frame, out.ctypes.data, out.strides[0])
        return out

    def close(self) -> None:
        lib = _library()
        for ctx, _first, _columns in self._ctx:
            if lib is not None:
                lib[0].sws_freeContext(ctx)
        self._ctx, self._key = [], None

    def __del__(self) -> None:
        self.close()


class VideoPicture:
    """A decoded frame on its way to a wall, not yet a canvas: the window converts it into its
    backing store; anything else that wants the picture (a fade, the console, a snapshot) asks
    for ``canvas()``, converted once."""

    __slots__ = ("frame", "_canvas", "__weakref__")

    def __init__(self, frame: av.VideoFrame):
        self.frame = frame
        self._canvas: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.frame.height, self.frame.width, 4)

    def small_canvas(self, step: int, writer: BgraWriter | None = None) -> np.ndarray:
        """Every ``step``-th pixel of the picture as a canvas, for a thumbnail: the planes are
        sampled first (chroma too, still one sample to 2 x 2 pixels), so only the small picture
        is converted (``writer``: one kept by the caller for the next picture of that size)."""
        if step <= 1:
            return self.canvas()
        return (writer or BgraWriter()).canvas(self.sampled_frame(step))

    def sampled_frame(self, step: int) -> av.VideoFrame:
        """A new frame of every ``step``-th pixel of this one (chroma: one sample to 2 x 2 pixels)."""
        frame = self.frame
        planes = [_plane(frame, i)[::step, ::step] for i in range(3)]
        h, w = planes[0].shape
        h -= h % 2  # an even height, as 4:2:0 wants
        small = av.VideoFrame(w, h, frame.format.name)
        small.colorspace, small.color_range = frame.colorspace, frame.color_range
        for i in range(3):
            target = _plane(small, i)
            sampled = planes[i][: target.shape[0], : target.shape[1]]
            short = (target.shape[0] - sampled.shape[0], target.shape[1] - sampled.shape[1])
            target[:] = np.pad(sampled, ((0, short[0]), (0, short[1])), mode="edge") if any(short) else sampled
        return small

    def canvas(self) -> np.ndarray:
        if self._canvas is None:
            try:
                self._canvas = BgraWriter().canvas(self.frame)
            except RuntimeError:  # the converter failed: the filter graph makes the same canvas
                from signage.media.videofit import VideoFitter

                size = (self.frame.width, self.frame.height)
                self._canvas = np.array(VideoFitter(size, "contain", "#000000")(self.frame))
        return self._canvas


def _plane(frame: av.VideoFrame, index: int) -> np.ndarray:
    """Plane ``index`` of a 4:2:0 frame as ``uint8[rows, columns]`` (a view; rows keep their stride)."""
    plane = frame.planes[index]
    rows = frame.height if index == 0 else (frame.height + 1) // 2
    columns = frame.width if index == 0 else (frame.width + 1) // 2
    data = np.frombuffer(plane, np.uint8)
    return np.lib.stride_tricks.as_strided(data, (rows, columns), (plane.line_size, 1))


def as_canvas(picture):
    """A canvas for what a wall shows (a canvas already, a VideoPicture, or None)."""
    return picture.canvas() if isinstance(picture, VideoPicture) else picture


class Pictures(dict):
    """Wall → what it shows now. Reading gives canvases (a ``VideoPicture`` is converted then, and
    only then: the console, a snapshot, the API); ``raw`` gives what the window was handed."""

    def raw(self, wall: str):
        return dict.get(self, wall)

    def __getitem__(self, wall: str):
        return as_canvas(dict.__getitem__(self, wall))

    def get(self, wall: str, default=None):
        return as_canvas(dict.get(self, wall, default))

    def values(self):
        return [self[wall] for wall in self]

    def items(self):
        return [(wall, self[wall]) for wall in self]
