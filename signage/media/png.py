"""Writing canvases to PNG atomically (write a temporary file, then rename).

A PNG is encoded in memory and only then written to its file. Pillow's zlib encoder frees its
compressor (about 0.4 MB of native memory: deflate window, hash chains, row filters) only when it
reaches the end of the image; if the file write fails part-way (``var/`` full, a quota), the
encoding stops there and that memory is never given back. The player writes three snapshots
every five seconds, so every minute of a full ``var/`` kept up to ~14 MB for good.
"""

from __future__ import annotations

import io
import os
import threading
from contextlib import suppress
from pathlib import Path

import numpy as np
from PIL import Image

from signage.media.fit import to_rgb


def write_png(path: Path, canvas: np.ndarray) -> None:
    """``canvas`` (RGB or BGRA) as ``path``; when the write fails, ``path`` keeps its old
    picture, no partial file is left behind and the error is raised."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rgb = to_rgb(canvas) if canvas.shape[2] == 4 else canvas
    data = io.BytesIO()
    Image.fromarray(rgb).save(data, format="PNG", compress_level=3)  # never a file: see above
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.png")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data.getbuffer())
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)  # a partial file would hold what little room is left
        raise


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
