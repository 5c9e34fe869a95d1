"""Conform an accepted promo to one display's native size (runs inside the disposable child).

Videos are decoded with PyAV, turned upright by their rotation metadata, scaled to fit inside
the display (contain) on the configured background, and encoded as H.264 MP4 with the index at
the front. Stills become a JPEG at the display's size. The parent renames the result into place.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

MAX_FPS = 60


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def contained(src: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The largest even size with ``src``'s aspect ratio that fits in ``box``."""
    sw, sh = src
    bw, bh = box
    scale = min(bw / sw, bh / sh)
    w = max(2, min(bw, round(sw * scale / 2) * 2))
    h = max(2, min(bh, round(sh * scale / 2) * 2))
    return w, h


def conform(src: Path, out: Path, size: tuple[int, int], background: str, kind: str,
            progress: Callable[[float], None]) -> dict:
    if kind == "image":
        return _conform_image(src, out, size, background)
    return _conform_video(src, out, size, background, progress)


def _conform_image(src: Path, out: Path, size: tuple[int, int], background: str) -> dict:
    from PIL import Image, ImageOps

    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        fitted = ImageOps.contain(im, size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, _rgb(background))
    canvas.paste(fitted, ((size[0] - fitted.width) // 2, (size[1] - fitted.height) // 2))
    canvas.save(out, format="JPEG", quality=92)
    return {"path": str(out), "width": size[0], "height": size[1], "frames": 1, "duration_s": None}


def _graph(vin, first, size: tuple[int, int], background: str):
    """FFmpeg filters: upright by the rotation metadata, scaled to fit, padded, yuv420p."""
    import av

    from signage.media.videofit import link, upright_filters, upright_size

    W, H = size
    bw, bh = contained(upright_size(first), size)
    graph = av.filter.Graph()
    nodes = [graph.add_buffer(template=vin)]
    for name, arg in upright_filters(first):
        nodes.append(graph.add(name, arg) if arg else graph.add(name))
    nodes.append(graph.add("scale", f"{bw}:{bh}:flags=bicubic"))
    nodes.append(graph.add("pad", f"{W}:{H}:{(W - bw) // 2}:{(H - bh) // 2}:color={background}"))
    nodes.append(graph.add("format", "yuv420p"))
    nodes.append(graph.add("buffersink"))
    link(graph, nodes)
    return graph


def _conform_video(src: Path, out: Path, size: tuple[int, int], background: str,
                   progress: Callable[[float], None]) -> dict:
    import av

    W, H = size
    frames = 0
    with av.open(str(src), metadata_errors="ignore") as inp, \
            av.open(str(out), "w", format="mp4", options={"movflags": "+faststart"}) as dst:
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        rate = vin.average_rate or vin.guessed_rate or Fraction(30)
        rate = Fraction(rate).limit_denominator(1001)
        if rate > MAX_FPS:
            rate = Fraction(MAX_FPS)
        total = float(inp.duration / av.time_base) if inp.duration else 0.0
        vout = dst.add_stream("libx264", rate=rate, options={"crf": "20", "preset": "veryfast"})
        vout.width, vout.height, vout.pix_fmt = W, H, "yuv420p"
        step = 1.0 / float(rate)
        next_t = None
        last_report = -1.0
        graph = None
        for frame in inp.decode(vin):
            t = frame.time if frame.time is not None else frames * step
            if next_t is not None and t + 1e-6 < next_t:
                continue  # above MAX_FPS: drop to the output rate
            next_t = (next_t or t) + step
            if graph is None:
                graph = _graph(vin, frame, size, background)
            graph.push(frame)
            picture = graph.pull()
            picture.pts, picture.time_base = frames, Fraction(1) / rate
            for packet in vout.encode(picture):
                dst.mux(packet)
            frames += 1
            if total and t - last_report >= 0.5:
                last_report = t
                progress(min(1.0, t / total))
        for packet in vout.encode(None):
            dst.mux(packet)
    progress(1.0)
    return {"path": str(out), "width": W, "height": H, "frames": frames,
            "duration_s": round(frames / float(rate), 3)}
