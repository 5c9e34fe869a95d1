"""Bars filled once per layout (``bgrafit.splash``): whatever the rectangle, the stride and a
libswscale that writes each row on to a whole run of 16 pixels, a frame written without its bars
leaves the wall as a full write does. Random cases from fixed seeds."""

from __future__ import annotations

import random

import numpy as np
import pytest

from signage.media.bgrafit import FitWriter, _runs, splash
from signage.media.fit import video_geometry
from tests.test_bgrafit import MARK, _overrunning_libswscale, noise


def _cases(seed: int, n: int) -> list[tuple]:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        src = (rng.randrange(16, 700), rng.randrange(16, 700))
        wall = (rng.choice([16, 32, 100, 1080]) if rng.random() < 0.2 else rng.randrange(17, 500), rng.randrange(17, 500))
        fit = rng.choice(["contain", "contain", "cover", "stretch"])
        stride = 4 * wall[0] + 4 * rng.choice([0, 0, 0, 1, 3, 8, 15, 16, 40])
        (x, y, w, h), (_dx, _dy, cw, ch) = video_geometry(src, wall, fit)
        if (w, h) != (cw, ch):  # frames that need no scaling keep the canvas path
            out.append((src, wall, fit, stride, rng.choice([0, 0, 1, 5]), f"#{rng.randrange(1 << 24):06x}"))
    return out


@pytest.mark.parametrize("case", _cases(1234, 60), ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}-s{c[3]}")
def test_a_frame_written_without_its_bars_leaves_the_wall_as_a_full_write(monkeypatch, case):
    # GIVEN an overrunning libswscale and memory that showed one frame of this layout
    src, (W, H), fit, stride, extra_rows, background = case
    _overrunning_libswscale(monkeypatch, src, (W, H), fit)
    length = stride * (H + extra_rows)
    kept = np.full(length + 4096, MARK, np.uint8)
    writer = FitWriter()
    writer.write(noise(*src, seed=1), (W, H), fit, background, kept.ctypes.data, stride, length)
    # WHEN the next frame is written without its bars, and the same frame into fresh memory with them
    frame = noise(*src, seed=2)
    writer.write(frame, (W, H), fit, background, kept.ctypes.data, stride, length, bars=False)
    fresh = np.full(length + 4096, MARK, np.uint8)
    FitWriter().write(frame, (W, H), fit, background, fresh.ctypes.data, stride, length)
    # THEN the walls are the same bytes, and nothing past the memory was written

    def wall_of(memory):
        return np.lib.stride_tricks.as_strided(memory, (H, 4 * W), (stride, 1))

    assert np.array_equal(wall_of(kept), wall_of(fresh))
    assert (kept[length:] == MARK).all()


def _overrun(size, rect, stride) -> set[tuple[int, int]]:
    """Wall pixels outside the picture that runs of 16 pixels past each row reach (a later row's
    picture is written afterwards, so what lands there does not count)."""
    (W, H), (dx, dy, cw, ch) = size, rect
    hit = np.zeros((H + 64) * stride, bool)
    picture = np.zeros_like(hit)
    for r in range(ch):
        start = (dy + r) * stride + 4 * dx
        hit[start + 4 * cw:start + 4 * _runs(cw)] = True
        picture[start:start + 4 * cw] = True
    pixels = set()
    for byte in np.flatnonzero(hit & ~picture):
        y, x = divmod(int(byte), stride)
        if y < H and x // 4 < W:
            pixels.add((x // 4, y))
    return pixels


@pytest.mark.parametrize("seed", range(3))
def test_splash_covers_every_pixel_an_overrun_can_reach_and_no_picture(seed):
    rng = random.Random(seed)
    for _ in range(1500):
        # GIVEN any rectangle on any wall (1 pixel wide and up) in rows of any stride
        W, H = rng.randrange(1, 120), rng.randrange(1, 60)
        cw, ch = rng.randrange(1, W + 1), rng.randrange(1, H + 1)
        dx, dy = rng.randrange(0, W - cw + 1), rng.randrange(0, H - ch + 1)
        stride = 4 * W + 4 * rng.choice([0, 0, 1, 3, 15, 16, 40])
        # WHEN the splash zone is taken
        zone = splash((W, H), (dx, dy, cw, ch), stride)
        covered = {(i, j) for x, y, w, h in zone for i in range(x, x + w) for j in range(y, y + h)}
        # THEN it covers what an overrun reaches, inside the wall and outside the picture
        assert not _overrun((W, H), (dx, dy, cw, ch), stride) - covered, ((W, H), (dx, dy, cw, ch), stride)
        for x, y, w, h in zone:
            assert x >= 0 and y >= 0 and x + w <= W and y + h <= H
            assert x >= dx + cw or x + w <= dx or y >= dy + ch or y + h <= dy
