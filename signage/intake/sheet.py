"""A contact sheet of a clip for the reviewer: nine frames spread over it, with times (child only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

COLS, ROWS, THUMB_W = 3, 3, 400


def _frames(src: Path, count: int) -> tuple[list[tuple[float, np.ndarray]], float]:
    import av

    picked: list[tuple[float, np.ndarray]] = []
    with av.open(str(src), metadata_errors="ignore") as inp:
        stream = inp.streams.video[0]
        stream.thread_type = "AUTO"
        duration = float(inp.duration / av.time_base) if inp.duration else 0.0
        marks = [duration * (i + 0.5) / count for i in range(count)] if duration else [0.0]
        k = 0
        for frame in inp.decode(stream):
            t = frame.time or 0.0
            if k < len(marks) and t >= marks[k]:
                turn = (int(getattr(frame, "rotation", 0) or 0) % 360) // 90
                h = round(THUMB_W * frame.height / frame.width) if turn % 2 == 0 else round(THUMB_W * frame.width / frame.height)
                size = (THUMB_W, h) if turn % 2 == 0 else (h, THUMB_W)
                pic = frame.reformat(width=size[0], height=size[1], format="rgb24").to_ndarray()
                picked.append((t, np.rot90(pic, k=turn) if turn else pic))
                k += 1
                if k == len(marks):
                    break
    return picked, duration


def contact_sheet(src: Path, out: Path, title: str) -> dict:
    from PIL import Image, ImageDraw

    from signage.media.fontfile import pil_font

    if src.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"):
        from PIL import ImageOps

        with Image.open(src) as im:
            im = ImageOps.exif_transpose(im).convert("RGB")
            im.thumbnail((THUMB_W * COLS, THUMB_W * COLS))
            picked = [(0.0, np.asarray(im))]
        duration = 0.0
    else:
        picked, duration = _frames(src, COLS * ROWS)
    font = pil_font(22)
    cell_h = max(p.shape[0] for _t, p in picked) + 30
    cols = min(COLS, len(picked))
    rows = (len(picked) + cols - 1) // cols
    cell_w = max(p.shape[1] for _t, p in picked)
    sheet = Image.new("RGB", (cols * (cell_w + 10) + 10, rows * (cell_h + 10) + 60), (24, 24, 24))
    draw = ImageDraw.Draw(sheet)
    draw.text((10, 15), f"{title}  ({duration:.1f} s)", fill=(255, 255, 255), font=font)
    for i, (t, pic) in enumerate(picked):
        x = 10 + (i % cols) * (cell_w + 10)
        y = 60 + (i // cols) * (cell_h + 10)
        sheet.paste(Image.fromarray(np.ascontiguousarray(pic)), (x, y))
        if duration:
            draw.text((x + 4, y + pic.shape[0] + 4), f"{int(t // 60)}:{t % 60:04.1f}", fill=(220, 220, 220), font=font)
    sheet.save(out, format="PNG")
    return {"path": str(out), "frames": len(picked)}


POSTER_MAX = 960


def poster(src: Path, out: Path) -> dict:
    """The first frame (or the still), upright, at most ``POSTER_MAX`` pixels on its longer side."""
    from PIL import Image, ImageOps

    if src.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"):
        with Image.open(src) as im:
            pic = ImageOps.exif_transpose(im).convert("RGB")
    else:
        picked, _ = _frames(src, 1)
        pic = Image.fromarray(np.ascontiguousarray(picked[0][1]))
    pic.thumbnail((POSTER_MAX, POSTER_MAX))
    pic.save(out, format="PNG")
    return {"path": str(out), "width": pic.width, "height": pic.height}
