"""Writing canvases to PNG atomically (write a temporary file, then rename)."""

from __future__ import annotations

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
