"""Fit a picture into a display canvas: contain, cover, stretch, none (alpha over the background).

A canvas is ``uint8[H, W, 3]`` in RGB order (``QImage.Format_RGB888``): Pillow's own order, a
cheap in-place swap from OpenCV's BGR, and Qt paints it with a fast path.
"""

from __future__ import annotations

import cv2
import numpy as np

FITS = ("contain", "cover", "stretch", "none")


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    if len(text) == 8:  # #AARRGGBB: alpha is ignored for a wall background
        text = text[2:]
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def solid(size: tuple[int, int], colour: str = "#000000") -> np.ndarray:
    w, h = size
    canvas = np.empty((h, w, 3), np.uint8)
    canvas[:, :] = hex_to_rgb(colour)
    return canvas


def scaled_size(src: tuple[int, int], size: tuple[int, int], fit: str) -> tuple[int, int]:
    (w, h), (W, H) = src, size
    if fit == "stretch":
        return W, H
    if fit == "none":
        return w, h
    scale = min(W / w, H / h) if fit == "contain" else max(W / w, H / h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def fit_into(
    src: np.ndarray,
    size: tuple[int, int],
    fit: str = "contain",
    background: str = "#000000",
    *,
    order: str = "rgb",
    out: np.ndarray | None = None,
    fast: bool = False,
) -> np.ndarray:
    """A ``size`` (w, h) RGB canvas with ``src`` fitted into it.

    ``src`` is RGB, RGBA, grey, or (``order="bgr"``) OpenCV's BGR. ``out`` is a canvas to reuse. ``fast`` scales bilinearly (video frames) instead of by
    area averaging (stills, rendered once).
    """
    W, H = size
    h, w = src.shape[:2]
    if src.ndim == 2:
        src = cv2.cvtColor(src, cv2.COLOR_GRAY2RGB)
    elif src.shape[2] == 3 and order == "bgr":
        src = cv2.cvtColor(src, cv2.COLOR_BGR2RGB)
    sw, sh = scaled_size((w, h), size, fit)
    alpha = src.shape[2] == 4
    if (sw, sh) == (W, H) and not alpha:
        if (w, h) == (W, H):
            if out is None:
                return src
            out[:] = src
            return out
        target = out if out is not None else np.empty((H, W, 3), np.uint8)
        cv2.resize(src, (W, H), dst=target, interpolation=_interpolation(sw < w, fast))
        return target
    if (sw, sh) != (w, h):
        src = cv2.resize(src, (sw, sh), interpolation=_interpolation(sw < w or sh < h, fast))
    # place centred; crop what falls outside (cover, none)
    x0, y0 = (W - sw) // 2, (H - sh) // 2
    cx0, cy0 = max(0, -x0), max(0, -y0)
    dx0, dy0 = max(0, x0), max(0, y0)
    cw, ch = min(sw - cx0, W - dx0), min(sh - cy0, H - dy0)
    part = src[cy0 : cy0 + ch, cx0 : cx0 + cw]
    canvas = out if out is not None else np.empty((H, W, 3), np.uint8)
    canvas[:, :] = hex_to_rgb(background)
    region = canvas[dy0 : dy0 + ch, dx0 : dx0 + cw]
    if alpha:
        a = part[:, :, 3:4].astype(np.uint16)
        region[:] = ((part[:, :, :3].astype(np.uint16) * a + region.astype(np.uint16) * (255 - a) + 127) // 255).astype(np.uint8)
    else:
        region[:] = part
    return canvas


class VideoFitter:
    """Fits a stream of same-sized BGR frames into RGB canvases, reusing every buffer it needs.

    Converting colour into a separate buffer is ~15x cheaper than in place (OpenCV clones the
    source for an in-place swap), and reused buffers never fault in fresh pages.
    """

    def __init__(self, size: tuple[int, int], fit: str, background: str):
        self.size, self.fit, self.background = size, fit, background
        self._scaled: np.ndarray | None = None
        self._scaled_rgb: np.ndarray | None = None
        self._laid_out: set[int] = set()

    def __call__(self, bgr: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        W, H = self.size
        h, w = bgr.shape[:2]
        sw, sh = scaled_size((w, h), self.size, self.fit)
        if out is None or out.shape != (H, W, 3):
            out = np.empty((H, W, 3), np.uint8)
        if (sw, sh) == (W, H):
            src = bgr if (w, h) == (W, H) else self._resize(bgr, W, H)
            cv2.cvtColor(src, cv2.COLOR_BGR2RGB, dst=out)
            return out
        scaled = bgr if (sw, sh) == (w, h) else self._resize(bgr, sw, sh)
        if self._scaled_rgb is None or self._scaled_rgb.shape != scaled.shape:
            self._scaled_rgb = np.empty_like(scaled)
        cv2.cvtColor(scaled, cv2.COLOR_BGR2RGB, dst=self._scaled_rgb)
        x0, y0 = (W - sw) // 2, (H - sh) // 2
        cx0, cy0, dx0, dy0 = max(0, -x0), max(0, -y0), max(0, x0), max(0, y0)
        cw, ch = min(sw - cx0, W - dx0), min(sh - cy0, H - dy0)
        if id(out) not in self._laid_out:  # the bars are the same every frame: paint them once
            out[:, :] = hex_to_rgb(self.background)
            self._laid_out.add(id(out))
        out[dy0 : dy0 + ch, dx0 : dx0 + cw] = self._scaled_rgb[cy0 : cy0 + ch, cx0 : cx0 + cw]
        return out

    def _resize(self, bgr: np.ndarray, w: int, h: int) -> np.ndarray:
        if self._scaled is None or self._scaled.shape[:2] != (h, w):
            self._scaled = np.empty((h, w, 3), np.uint8)
        cv2.resize(bgr, (w, h), dst=self._scaled, interpolation=cv2.INTER_LINEAR)
        return self._scaled


def _interpolation(shrinking: bool, fast: bool) -> int:
    return cv2.INTER_AREA if shrinking and not fast else cv2.INTER_LINEAR


def blend(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Cross-fade from ``a`` to ``b`` (t in 0..1)."""
    t = min(1.0, max(0.0, t))
    return cv2.addWeighted(a, 1.0 - t, b, t, 0.0)
