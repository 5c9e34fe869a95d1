"""Cross-fades drawn into memory a wall keeps, fast enough for three walls fading at once.

A fade is drawn on the thread that presents frames, for every frame of it. Made the plain way
(the decoded frame converted into a new canvas, then Pillow's ``Image.blend`` into another new
canvas and ``np.asarray`` copying that), one frame of a 1080p fade cost 25–45 ms on this kind of
machine, most of it first touches of fresh memory; the three walls of the hall fade at the same
moment, so every fade dropped frames on all three. Here a wall's ``Fader`` keeps its memory: the
decoded frame is converted (and fitted, when it is not the wall's size) into one kept canvas (its
libswscale context kept too) and mixed there, a band of rows at a time so the arithmetic stays in
the cache; the picture it fades from is copied into another kept canvas when the step starts.
About 5 ms a frame in all, and 16 MB a wall, taken at the wall's first fade and kept.

The mix is ``(a * (256 - w) + b * w + 128) >> 8`` with ``w = round(t * 256)``: within one level of
an exact cross-fade, and the same numbers for the live walls and ``signage preview``.
"""

from __future__ import annotations

import numpy as np

from signage.media.bgra import BgraWriter, VideoPicture
from signage.media.bgrafit import FittedPicture, FitWriter

BAND_ROWS = 64  # rows mixed at a time: 0.5 MB of 16-bit sums at 1920 wide stays in the cache


def weight(t: float) -> int:
    """``t`` (0..1) in 256ths."""
    return int(round(min(1.0, max(0.0, t)) * 256))


def blend_into(a: np.ndarray, b: np.ndarray, t: float, out: np.ndarray,
               scratch: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The cross-fade from ``a`` to ``b`` at ``t`` written into ``out`` (same shape; may be ``a``
    or ``b`` itself); ``scratch``: two ``uint16`` arrays of ``BAND_ROWS`` rows, kept by the caller."""
    if a.shape != b.shape or out.shape != a.shape:
        raise ValueError(f"cannot mix {a.shape} with {b.shape} into {out.shape}")
    w = weight(t)
    rows = a.shape[0]
    if scratch is None or scratch[0].shape[1:] != a.shape[1:]:
        scratch = tuple(np.empty((BAND_ROWS, *a.shape[1:]), np.uint16) for _ in range(2))
    for top in range(0, rows, BAND_ROWS):
        n = min(BAND_ROWS, rows - top)
        sa, sb = scratch[0][:n], scratch[1][:n]
        np.multiply(a[top:top + n], 256 - w, out=sa, dtype=np.uint16, casting="unsafe")
        np.multiply(b[top:top + n], w, out=sb, dtype=np.uint16, casting="unsafe")
        sa += sb
        sa += 128
        sa >>= 8
        out[top:top + n] = sa
    return out


def blend(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """The cross-fade from ``a`` to ``b`` at ``t`` (0..1) as a new canvas."""
    return blend_into(a, b, t, np.empty_like(a))


class Fader:
    """One wall's fades: two kept canvases (the picture a fade starts from, and the one it is
    drawn on), a converter and scratch. Not thread-safe: one per wall, used on the thread that
    presents frames. A mix is good until the next one: a window painting it later paints the
    newer mix, never half of one (both happen on that thread)."""

    def __init__(self):
        self._writer = BgraWriter()
        self._fit = FitWriter()
        self._work: np.ndarray | None = None  # a decoded frame converted, then mixed, here
        self._previous: np.ndarray | None = None  # the picture a fade starts from
        self._scratch: tuple[np.ndarray, np.ndarray] | None = None

    def mix(self, previous: np.ndarray, current, t: float) -> np.ndarray:
        """``previous`` faded into ``current`` (a canvas or a ``VideoPicture``) at ``t``, drawn on
        this wall's kept canvas."""
        picture = current
        current = self._canvas(picture)
        out = current if current is self._work else self._room(current.shape)
        if self._scratch is None or self._scratch[0].shape[1:] != current.shape[1:]:
            self._scratch = tuple(np.empty((BAND_ROWS, *current.shape[1:]), np.uint16) for _ in range(2))
        return blend_into(previous, current, t, out, self._scratch)

    def keep(self, picture) -> np.ndarray:
        """What the wall showed last (a canvas or a ``VideoPicture``), copied into this fader's kept
        memory: the picture the next step fades in from, whatever happens to its own buffer."""
        canvas = self._canvas(picture)
        if self._previous is None or self._previous.shape != canvas.shape:
            self._previous = np.empty_like(canvas)
        np.copyto(self._previous, canvas)
        return self._previous

    def _room(self, shape: tuple) -> np.ndarray:
        if self._work is None or self._work.shape != shape:
            self._work = np.empty(shape, np.uint8)
        return self._work

    def _canvas(self, picture) -> np.ndarray:
        """A decoded frame as a canvas in this fader's kept memory (fitted to the wall when it is a
        ``FittedPicture``); a canvas as it is."""
        if not isinstance(picture, VideoPicture):
            return picture
        frame = picture.frame
        out = self._room(picture.shape)
        try:
            if isinstance(picture, FittedPicture):
                self._fit.write(frame, picture.size, picture.fit, picture.background, out.ctypes.data,
                                out.strides[0], out.nbytes)
            elif (frame.height, frame.width, 4) == out.shape:
                self._writer.write(frame, out.ctypes.data, out.strides[0])
            else:
                return picture.canvas()
        except (RuntimeError, ValueError):  # a frame libswscale will not convert here: the picture's own way
            return picture.canvas()
        return out

    def close(self) -> None:
        self._writer.close()
        self._fit.close()
        self._work = self._previous = self._scratch = None
