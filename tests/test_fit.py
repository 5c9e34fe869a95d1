"""Fit modes, alpha and the video fitter: pixel assertions on composed canvases."""

from __future__ import annotations

import av
import numpy as np
import pytest

from signage.media.bgra import BgraWriter, VideoPicture, can_write
from signage.media.bgrafit import FittedPicture
from signage.media.fit import fit_into, to_rgb
from signage.media.video import VideoReader
from signage.media.videofit import VideoFitter, graph_threads
from tests.media_factory import write_clip

ORANGE = (255, 128, 0)


def picture(w, h, colour=ORANGE, channels=3):
    arr = np.zeros((h, w, channels), np.uint8)
    arr[:, :, :3] = colour
    if channels == 4:
        arr[:, :, 3] = 255
    return arr


def test_contain_letterboxes_in_the_background_colour():
    canvas = fit_into(picture(400, 400), (800, 400), "contain", "#003366")
    assert canvas.shape == (400, 800, 4) and (canvas[:, :, 3] == 255).all()  # Qt's RGB32: B, G, R, 255
    assert tuple(canvas[200, 10]) == (0x66, 0x33, 0, 255)
    canvas = to_rgb(canvas)
    assert tuple(canvas[200, 10]) == (0, 0x33, 0x66)  # bar on the left
    assert tuple(canvas[200, 790]) == (0, 0x33, 0x66)  # bar on the right
    assert tuple(canvas[200, 400]) == ORANGE


def test_cover_fills_and_crops():
    src = picture(400, 200)
    src[:, :80] = (0, 255, 0)  # a green strip on the far left is cropped away on a square wall
    canvas = to_rgb(fit_into(src, (300, 300), "cover", "#000000"))
    assert canvas.shape == (300, 300, 3)
    assert (canvas == ORANGE).all()


def test_stretch_and_none():
    assert (to_rgb(fit_into(picture(10, 10), (64, 32), "stretch")) == ORANGE).all()
    canvas = to_rgb(fit_into(picture(10, 10), (64, 32), "none", "#ffffff"))
    assert tuple(canvas[16, 32]) == ORANGE and tuple(canvas[0, 0]) == (255, 255, 255)


def test_alpha_is_composited_over_the_item_background():
    src = picture(100, 100, (255, 0, 0), channels=4)
    src[:, :50, 3] = 0  # left half transparent
    src[:, 50:, 3] = 128  # right half half-transparent
    canvas = to_rgb(fit_into(src, (100, 100), "contain", "#0000ff"))
    assert tuple(canvas[50, 10]) == (0, 0, 255)
    r, g, b = canvas[50, 90]
    assert 120 <= r <= 135 and g == 0 and 120 <= b <= 135


@pytest.mark.parametrize("fit", ["contain", "cover", "stretch", "none"])
@pytest.mark.parametrize("src_size", [(1920, 1080), (1280, 720), (1080, 1920), (640, 640)])
def test_video_frames_are_fitted_like_stills(tmp_path, fit, src_size):
    """FFmpeg's filter graph places a video frame exactly where fit_into places a still."""
    clip = write_clip(tmp_path / "c.mp4", size=src_size, seconds=0.2, colour=(0, 128, 255))
    with VideoReader(clip) as reader:
        _pts, frame = reader.read()
        fitter = VideoFitter((960, 540), fit, "#102030")
        canvas = fitter(frame)
        again = fitter(frame)  # a second frame: the same graph, another pooled buffer
    assert canvas.shape == (540, 960, 4) and (canvas[:, :, 3] == 255).all()
    assert np.array_equal(canvas, again) and not np.shares_memory(canvas, again)
    expected = fit_into(frame.to_ndarray(format="rgb24"), (960, 540), fit, "#102030")
    background = (0x30, 0x20, 0x10, 255)  # "#102030" as B, G, R, 255
    bars = (expected == background).all(axis=2)
    got = (canvas == background).all(axis=2)
    assert (bars != got).mean() < 0.01  # the same area is picture, the same area is bars, exactly
    centre = expected[270, 480].astype(int)
    assert np.abs(canvas[270, 480].astype(int) - centre).max() <= 6



@pytest.mark.parametrize(("src", "wall", "threads"), [
    ((1920, 1080), (1920, 1080), 1),  # a wall's own thread converts its frames: no slice threads
    ((1080, 1920), (1080, 1920), 1),
    ((1280, 720), (1920, 1080), 1),
    ((3840, 2160), (1920, 1080), 0),  # 4K: FFmpeg picks its threads, as the decoder does
    ((1920, 1080), (3840, 2160), 0),
])
def test_graph_threads(src, wall, threads):
    assert graph_threads(src, wall) == threads


def test_a_1080p_graph_converts_on_the_callers_thread():
    # GIVEN a decoded 1080p picture WHEN a 1080p wall's fitter converts it
    frame = av.VideoFrame(1920, 1080, "yuv420p")
    for plane in frame.planes:
        np.frombuffer(plane, np.uint8)[:] = 128
    fitter = VideoFitter((1920, 1080), "contain", "#000000")
    canvas = fitter(frame)
    # THEN its graph has no thread pool of its own, and the picture is there (mid grey)
    assert fitter._graph[2].threads == 1
    assert canvas.shape == (1080, 1920, 4) and abs(int(canvas[540, 960, 1]) - 128) <= 2


@pytest.mark.parametrize(("fmt", "colorspace", "colour_range"), [
    ("yuv420p", 2, 0),  # untagged
    ("yuv420p", 1, 1),  # BT.709, video range: most HD clips
    ("yuv420p", 1, 2),  # BT.709, full range
    ("yuv420p", 5, 1),  # BT.601
    ("yuv420p", 9, 1),  # BT.2020
    ("yuvj420p", 2, 0),  # JPEG-range 4:2:0
])
def test_a_frame_written_straight_is_the_canvas_the_filter_graph_makes(fmt, colorspace, colour_range):
    # GIVEN a decoded frame of random pixels with a colour description
    rng = np.random.default_rng(7)
    frame = av.VideoFrame(322, 182, fmt)
    for plane in frame.planes:
        pixels = np.frombuffer(plane, np.uint8)
        pixels[:] = rng.integers(0, 256, pixels.size)
    frame.colorspace, frame.color_range = colorspace, colour_range
    # WHEN it is converted straight into memory (as into a window's backing store)
    direct = BgraWriter().canvas(frame)
    # THEN the bytes are the filter graph's, and a wall of its size gets it unconverted
    assert np.array_equal(direct, np.asarray(VideoFitter((322, 182), "contain", "#000000")(frame)))
    picture = VideoFitter((322, 182), "cover", "#000000", direct=True)(frame)
    assert isinstance(picture, VideoPicture) and np.array_equal(picture.canvas(), direct)


def test_frames_that_need_fitting_are_scaled_or_become_canvases():
    # GIVEN frames a wall cannot take as they are: another size, 4:2:2
    other_size = av.VideoFrame(640, 360, "yuv420p")
    other_format = av.VideoFrame(320, 180, "yuv422p")
    # WHEN a wall of 320x180 fits them THEN the 4:2:0 one comes back for the window to scale
    # into its place (``test_bgrafit``), the other a canvas of the wall's size
    fitted = VideoFitter((320, 180), "contain", "#000000", direct=True)(other_size)
    assert isinstance(fitted, FittedPicture) and fitted.canvas().shape == (180, 320, 4)
    canvas = VideoFitter((320, 180), "contain", "#000000", direct=True)(other_format)
    assert isinstance(canvas, np.ndarray) and canvas.shape == (180, 320, 4)
    assert can_write(av.VideoFrame(320, 180, "yuv420p"), (320, 180))


@pytest.mark.parametrize("width", [1080, 328, 322, 336, 8, 14])  # a pillar's 1080 is not a multiple of 16
def test_a_frame_written_straight_touches_no_byte_outside_its_rows(width):
    # GIVEN memory around the rows a frame is written into, filled with a marker
    rng = np.random.default_rng(3)
    frame = av.VideoFrame(width, 64, "yuv420p")
    for plane in frame.planes:
        pixels = np.frombuffer(plane, np.uint8)
        pixels[:] = rng.integers(0, 256, pixels.size)
    stride = width * 4 + 64
    memory = np.full(65 * stride, 0xAB, np.uint8)
    # WHEN the frame is written there
    BgraWriter().write(frame, memory.ctypes.data, stride)
    # THEN its rows hold the filter graph's pixels and every byte beyond them is untouched
    rows = memory[: 64 * stride].reshape(64, stride)
    fitted = np.asarray(VideoFitter((width, 64), "contain", "#000000")(frame))
    assert np.array_equal(rows[:, : width * 4].reshape(64, width, 4), fitted)
    assert (rows[:, width * 4 :] == 0xAB).all() and (memory[64 * stride :] == 0xAB).all()
    assert not can_write(av.VideoFrame(width, 63, "yuv420p"), (width, 63))  # odd heights take the graph


def test_a_sampled_video_picture_looks_like_its_sampled_canvas():
    # GIVEN a 1080p frame of smooth colour (as pictures are)
    frame = av.VideoFrame(1920, 1080, "yuv420p")
    for index, plane in enumerate(frame.planes):
        rows = frame.height // (1 if index == 0 else 2)
        pixels = np.frombuffer(plane, np.uint8)[: rows * plane.line_size].reshape(rows, plane.line_size)
        pixels[:] = (np.arange(plane.line_size) * (index + 1) // 16 + np.arange(rows)[:, None] // 8) % 256
    picture = VideoPicture(frame)
    # WHEN every third pixel is taken for a thumbnail, before converting
    small = picture.small_canvas(3)
    # THEN it is the whole canvas's every third pixel, but for chroma taken a pixel or two away
    sampled = picture.canvas()[::3, ::3]
    assert small.shape == sampled.shape == (360, 640, 4)
    assert np.abs(small.astype(int) - sampled.astype(int)).mean() < 3
