"""Writing canvases to PNG atomically (write a temporary file, then rename)."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import numpy as np
from PIL import Image

from signage.media.fit import to_rgb


def write_png(path: Path, canvas: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.png")
    rgb = to_rgb(canvas) if canvas.shape[2] == 4 else canvas
    Image.fromarray(rgb).save(tmp, format="PNG", compress_level=3)
    os.replace(tmp, path)


def encode_png(canvas: np.ndarray, width: int | None = None) -> bytes:
    """A canvas as PNG bytes, scaled down to ``width`` pixels across when it is wider (a
    thumbnail); fast compression, since it is made again every second for the web app."""
    image = Image.fromarray(to_rgb(canvas) if canvas.shape[2] == 4 else canvas)
    if width is not None and width < image.width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.BILINEAR, reducing_gap=2.0)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
