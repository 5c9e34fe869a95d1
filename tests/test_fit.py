"""Fit modes, alpha and the video fitter: pixel assertions on composed canvases."""

from __future__ import annotations

import numpy as np
import pytest

from signage.media.fit import VideoFitter, fit_into

ORANGE = (255, 128, 0)


def picture(w, h, colour=ORANGE, channels=3):
    arr = np.zeros((h, w, channels), np.uint8)
    arr[:, :, :3] = colour
    if channels == 4:
        arr[:, :, 3] = 255
    return arr


def test_contain_letterboxes_in_the_background_colour():
    canvas = fit_into(picture(400, 400), (800, 400), "contain", "#003366")
    assert canvas.shape == (400, 800, 3)
    assert tuple(canvas[200, 10]) == (0, 0x33, 0x66)  # bar on the left
    assert tuple(canvas[200, 790]) == (0, 0x33, 0x66)  # bar on the right
    assert tuple(canvas[200, 400]) == ORANGE


def test_cover_fills_and_crops():
    src = picture(400, 200)
    src[:, :80] = (0, 255, 0)  # a green strip on the far left is cropped away on a square wall
    canvas = fit_into(src, (300, 300), "cover", "#000000")
    assert canvas.shape == (300, 300, 3)
    assert (canvas == ORANGE).all()


def test_stretch_and_none():
    assert (fit_into(picture(10, 10), (64, 32), "stretch") == ORANGE).all()
    canvas = fit_into(picture(10, 10), (64, 32), "none", "#ffffff")
    assert tuple(canvas[16, 32]) == ORANGE and tuple(canvas[0, 0]) == (255, 255, 255)


def test_alpha_is_composited_over_the_item_background():
    src = picture(100, 100, (255, 0, 0), channels=4)
    src[:, :50, 3] = 0  # left half transparent
    src[:, 50:, 3] = 128  # right half half-transparent
    canvas = fit_into(src, (100, 100), "contain", "#0000ff")
    assert tuple(canvas[50, 10]) == (0, 0, 255)
    r, g, b = canvas[50, 90]
    assert 120 <= r <= 135 and g == 0 and 120 <= b <= 135


@pytest.mark.parametrize("fit", ["contain", "cover", "stretch", "none"])
@pytest.mark.parametrize("src_size", [(1920, 1080), (1280, 720), (1080, 1920), (640, 640)])
def test_video_fitter_matches_fit_into(fit, src_size):
    rng = np.random.default_rng(1)
    bgr = rng.integers(0, 255, (src_size[1], src_size[0], 3), np.uint8)
    expected = fit_into(bgr.copy(), (960, 540), fit, "#102030", order="bgr", fast=True)
    fitter = VideoFitter((960, 540), fit, "#102030")
    out = None
    for _ in range(2):  # reusing its buffers gives the same picture
        out = fitter(bgr, out)
        assert np.array_equal(out, expected)
