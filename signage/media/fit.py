"""Fit a picture into a display canvas: contain, cover, stretch, none (alpha over the background).

A canvas is ``uint8[H, W, 4]`` in B, G, R, 255 byte order: the memory layout of Qt's
``QImage.Format_RGB32`` (0xffRRGGBB on a little-endian machine) and of the window's backing store,
so painting a canvas is a plain copy.
``to_rgb`` gives the RGB pixels back (PNG files, tests). Video frames are fitted in FFmpeg
(``videofit.py``) with the same placement.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

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
    return np.ascontiguousarray(canvas[:, :, 2::-1])


def to_bgr(canvas: np.ndarray) -> np.ndarray:
    """A canvas's pixels as OpenCV's ``uint8[H, W, 3]`` BGR (a new array)."""
    return np.ascontiguousarray(canvas[:, :, :3])


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


def video_geometry(src: tuple[int, int], size: tuple[int, int], fit: str) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """Where a video frame of ``src`` (w, h) goes on a canvas of ``size``: the part of the frame
    that shows (x, y, w, h: what a fit mode cuts away is cropped before scaling, so nothing is
    scaled for nothing) and the rectangle it is scaled into (x, y, w, h). The filter graph
    (``videofit``) and the conversion straight into a window (``bgrafit``) both place it so."""
    uw, uh = src
    sw, sh = scaled_size(src, size, fit)
    (cx0, cy0, cw, ch), (dx0, dy0) = placement((sw, sh), size)
    x, y, w, h = 0, 0, uw, uh
    if (cw, ch) != (sw, sh):
        fx, fy = sw / uw, sh / uh
        x, y = min(uw - 1, round(cx0 / fx)), min(uh - 1, round(cy0 / fy))
        w, h = max(1, min(uw - x, round(cw / fx))), max(1, min(uh - y, round(ch / fy)))
    return (x, y, w, h), (dx0, dy0, cw, ch)


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
        shrinking = sw < w or sh < h  # averaging boxes when shrinking, like OpenCV's INTER_AREA
        resample = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
        src = np.asarray(Image.fromarray(src).resize((sw, sh), resample))
    # place centred; crop what falls outside (cover, none)
    (cx0, cy0, cw, ch), (dx0, dy0) = placement((sw, sh), size)
    part = src[cy0 : cy0 + ch, cx0 : cx0 + cw]
    canvas = np.empty((H, W, 4), np.uint8)
    if (cw, ch) != (W, H) or alpha:
        canvas[:, :] = hex_to_bgra(background)
    else:
        canvas[:, :, 3] = 255
    region = canvas[dy0 : dy0 + ch, dx0 : dx0 + cw]
    # written straight into the canvas: no full-size intermediate copies (three walls render
    # their next stills at the same moment, and that moment was the player's memory peak)
    if alpha:
        a = part[:, :, 3:4].astype(np.uint16)
        over = part[:, :, 2::-1].astype(np.uint16)  # RGB → B, G, R
        region[:, :, :3] = ((over * a + region[:, :, :3].astype(np.uint16) * (255 - a) + 127) // 255).astype(np.uint8)
    elif part.ndim == 2:
        region[:, :, :3] = part[:, :, None]
    else:
        region[:, :, :3] = part[:, :, 2::-1]
    return canvas
