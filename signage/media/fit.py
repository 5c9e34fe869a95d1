"""Fit a picture into a display canvas: contain, cover, stretch, none (alpha over the background).

A canvas is ``uint8[H, W, 4]`` in B, G, R, 255 byte order: the memory layout of Qt's
``QImage.Format_RGB32`` (0xffRRGGBB on a little-endian machine) and of the window's backing store,
so painting a canvas is a plain copy, and OpenCV's BGR frames become canvases in one pass.
``to_rgb`` gives the RGB pixels back (PNG files, tests). Video frames are fitted in FFmpeg
(``videofit.py``) with the same placement.
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


def hex_to_bgra(colour: str) -> tuple[int, int, int, int]:
    r, g, b = hex_to_rgb(colour)
    return (b, g, r, 255)


def solid(size: tuple[int, int], colour: str = "#000000") -> np.ndarray:
    w, h = size
    canvas = np.empty((h, w, 4), np.uint8)
    canvas[:, :] = hex_to_bgra(colour)
    return canvas


def to_rgb(canvas: np.ndarray) -> np.ndarray:
    """A canvas's pixels as ``uint8[H, W, 3]`` RGB (a new array)."""
    return cv2.cvtColor(canvas, cv2.COLOR_BGRA2RGB)


def to_bgr(canvas: np.ndarray) -> np.ndarray:
    """A canvas's pixels as OpenCV's ``uint8[H, W, 3]`` BGR (a new array)."""
    return cv2.cvtColor(canvas, cv2.COLOR_BGRA2BGR)


def scaled_size(src: tuple[int, int], size: tuple[int, int], fit: str) -> tuple[int, int]:
    (w, h), (W, H) = src, size
    if fit == "stretch":
        return W, H
    if fit == "none":
        return w, h
    scale = min(W / w, H / h) if fit == "contain" else max(W / w, H / h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def placement(scaled: tuple[int, int], size: tuple[int, int]) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """Centre a picture of size ``scaled`` on a canvas of ``size``: the part of the picture that
    shows (x, y, w, h) and where it goes on the canvas (x, y)."""
    (sw, sh), (W, H) = scaled, size
    x0, y0 = (W - sw) // 2, (H - sh) // 2
    cx0, cy0 = max(0, -x0), max(0, -y0)
    dx0, dy0 = max(0, x0), max(0, y0)
    return (cx0, cy0, min(sw - cx0, W - dx0), min(sh - cy0, H - dy0)), (dx0, dy0)


def fit_into(
    src: np.ndarray,
    size: tuple[int, int],
    fit: str = "contain",
    background: str = "#000000",
) -> np.ndarray:
    """A ``size`` (w, h) canvas with ``src`` (RGB, RGBA or grey pixels) fitted into it; shrinking
    averages areas (stills are rendered once, so quality wins over speed)."""
    W, H = size
    h, w = src.shape[:2]
    alpha = src.ndim == 3 and src.shape[2] == 4
    sw, sh = scaled_size((w, h), size, fit)
    if (sw, sh) != (w, h):
        src = cv2.resize(src, (sw, sh), interpolation=cv2.INTER_AREA if sw < w or sh < h else cv2.INTER_LINEAR)
    # place centred; crop what falls outside (cover, none)
    (cx0, cy0, cw, ch), (dx0, dy0) = placement((sw, sh), size)
    part = src[cy0 : cy0 + ch, cx0 : cx0 + cw]
    canvas = np.empty((H, W, 4), np.uint8)
    if (cw, ch) != (W, H) or alpha:
        canvas[:, :] = hex_to_bgra(background)
    region = canvas[dy0 : dy0 + ch, dx0 : dx0 + cw]
    if alpha:
        a = part[:, :, 3:4].astype(np.uint16)
        over = cv2.cvtColor(np.ascontiguousarray(part), cv2.COLOR_RGBA2BGRA)[:, :, :3].astype(np.uint16)
        region[:, :, :3] = ((over * a + region[:, :, :3].astype(np.uint16) * (255 - a) + 127) // 255).astype(np.uint8)
    else:
        region[:] = _to_bgra(np.ascontiguousarray(part))
    return canvas


def _to_bgra(src: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(src, cv2.COLOR_GRAY2BGRA if src.ndim == 2 else cv2.COLOR_RGB2BGRA)


def blend(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Cross-fade from ``a`` to ``b`` (t in 0..1)."""
    t = min(1.0, max(0.0, t))
    return cv2.addWeighted(a, 1.0 - t, b, t, 0.0)
