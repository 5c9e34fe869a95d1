"""Writing canvases to PNG atomically (write a temporary file, then rename)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import cv2
import numpy as np


def write_png(path: Path, canvas: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.png")
    bgr = cv2.cvtColor(canvas, cv2.COLOR_BGRA2BGR) if canvas.shape[2] == 4 else cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR)
    if not cv2.imwrite(str(tmp), bgr, [cv2.IMWRITE_PNG_COMPRESSION, 3]):
        raise OSError(f"cannot write {path}")
    os.replace(tmp, path)
