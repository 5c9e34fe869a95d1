"""Micro-benchmark: CPU per frame of a clip that needs fitting, shown on a wall two ways.

``canvas+copy``: the filter graph scales, converts and pads into a canvas (``VideoFitter``), and
the paint copies the canvas into the backing store (``QPainter.drawImage``), as before.
``direct``: the paint scales and converts the frame into its rectangle of the backing store and
fills the bars (``bgrafit.FitWriter``). The backing store is an RGB32 ``QImage`` of the wall.

The two are measured in alternating rounds (this machine may be busy: a round of each side by
side is fairer than one long run of each); process CPU time, median and best of the rounds.
A few seconds in all. Run from the project root:
``QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python tools/fit_microbench.py``
"""

from __future__ import annotations

import statistics
import sys
import time

import av
import numpy as np
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from signage.display.qimage import to_qimage
from signage.media.bgrafit import FitWriter
from signage.media.videofit import VideoFitter

CASES = [((1920, 1080), (1080, 1920), "contain"),  # the pillar, letterboxed (1080x608)
         ((1080, 1920), (1920, 1080), "contain"),  # a portrait clip on a wide wall (608x1080)
         ((1080, 1920), (1920, 1080), "cover"),
         ((1920, 1080), (1080, 1920), "cover")]  # scaled aside and copied: left to the canvas path


def frames(w: int, h: int, count: int = 4) -> list[av.VideoFrame]:
    """Smooth moving colour (like a clip), a few different frames so none stays in cache."""
    out = []
    for n in range(count):
        frame = av.VideoFrame(w, h, "yuv420p")
        for i, plane in enumerate(frame.planes):
            rows = h // (1 if i == 0 else 2)
            pixels = np.frombuffer(plane, np.uint8)[: rows * plane.line_size].reshape(rows, plane.line_size)
            pixels[:] = (np.arange(plane.line_size) * (i + 1) // 8 + np.arange(rows)[:, None] // 4 + 7 * n) % 256
        frame.colorspace, frame.color_range = 1, 1
        out.append(frame)
    return out


def main(per_round: int = 30, rounds: int = 5) -> None:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for src, wall, fit in CASES:
        clip = frames(*src)
        store = QImage(*wall, QImage.Format.Format_RGB32)
        fitter, writer = VideoFitter(wall, fit, "#000000"), FitWriter()

        def canvas_copy(frame, fitter=fitter, store=store):
            canvas = fitter(frame)  # on the decoding thread, before
            painter = QPainter(store)
            painter.drawImage(0, 0, to_qimage(canvas))
            painter.end()

        def direct(frame, writer=writer, store=store, wall=wall, fit=fit):
            painter = QPainter(store)
            address = np.frombuffer(store.constBits(), np.uint8, count=1).ctypes.data
            writer.write(frame, wall, fit, "#000000", address, store.bytesPerLine(), store.sizeInBytes())
            painter.end()

        ways = {"canvas+copy": canvas_copy, "direct": direct}
        times: dict[str, list[float]] = {name: [] for name in ways}
        for fn in ways.values():  # warm up: graphs, contexts, pools
            for frame in clip:
                fn(frame)
        for _ in range(rounds):
            for name, fn in ways.items():
                start = time.process_time()
                for n in range(per_round):
                    fn(clip[n % len(clip)])
                times[name].append((time.process_time() - start) / per_round * 1e3)
        text = ", ".join(f"{name} {statistics.median(ms):.2f} ms (best {min(ms):.2f})" for name, ms in times.items())
        ratio = statistics.median(times["direct"]) / statistics.median(times["canvas+copy"])
        print(f"{src[0]}x{src[1]} on {wall[0]}x{wall[1]} {fit}: {text}; direct/canvas {ratio:.2f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
