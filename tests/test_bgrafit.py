"""Frames that need fitting, scaled straight into their place on a wall: bytes against the filter
graph's canvas, the bars, the memory around the wall, the fallbacks."""

from __future__ import annotations

import ctypes

import av
import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from signage.display.qimage import from_qimage
from signage.display.window import OutputWindow, qt_screens
from signage.media import bgra, bgrafit
from signage.media.bgra import VideoPicture
from signage.media.bgrafit import FittedPicture, FitWriter, can_fit
from signage.media.fit import hex_to_bgra, video_geometry
from signage.media.videofit import VideoFitter
from tests.media_factory import write_h264

MARK = 0xAB
RUN_MARK = 0xCD  # what a libswscale writing whole runs leaves past a row (in the test that makes one)


def noise(w: int, h: int, fmt: str = "yuv420p", colorspace: int = 1, colour_range: int = 1, seed: int = 5):
    """A decoded frame of random pixels (every pixel differs from its neighbours: the hardest to match)."""
    rng = np.random.default_rng(seed)
    frame = av.VideoFrame(w, h, fmt)
    for plane in frame.planes:
        pixels = np.frombuffer(plane, np.uint8)
        pixels[:] = rng.integers(0, 256, pixels.size)
    frame.colorspace, frame.color_range = colorspace, colour_range
    return frame


def graph_canvas(frame, size, fit, background="#000000") -> np.ndarray:
    return np.asarray(VideoFitter(size, fit, background)(frame))


@pytest.mark.parametrize(("src", "wall", "fit"), [
    ((1920, 1080), (1080, 1920), "contain"),  # the pillar, letterboxed
    ((1080, 1920), (1920, 1080), "contain"),  # a portrait clip on a wide wall, pillarboxed
    ((1920, 1080), (1080, 1920), "cover"),  # cropped at the sides (odd offsets)
    ((1080, 1920), (1920, 1080), "cover"),
    ((333, 201), (200, 301), "contain"),  # odd sizes everywhere
    ((333, 201), (99, 51), "cover"),
    ((640, 480), (322, 182), "stretch"),
    ((640, 480), (320, 180), "stretch"),
])
@pytest.mark.parametrize("background", ["#000000", "#12ab34"])
def test_a_fitted_frame_is_the_canvas_the_filter_graph_makes(src, wall, fit, background):
    # GIVEN a decoded frame whose size is not its wall's
    frame = noise(*src)
    # WHEN it is scaled straight into memory of the wall's size (as into a window's backing store)
    direct = FitWriter().canvas(frame, wall, fit, background)
    # THEN the bytes are the filter graph's, bars included, and a playing wall gets it unconverted
    # (but a picture filling the wall to its last byte, not in whole runs of 16: the graph's canvas)
    assert np.array_equal(direct, graph_canvas(frame, wall, fit, background))
    picture = VideoFitter(wall, fit, background, direct=True)(frame)
    if can_fit(frame, wall, fit):
        assert isinstance(picture, FittedPicture) and picture.shape == (wall[1], wall[0], 4)
        assert np.array_equal(picture.canvas(), direct)
    else:
        assert (fit, wall) in (("cover", (1080, 1920)), ("cover", (99, 51)), ("stretch", (322, 182)))
        assert isinstance(picture, np.ndarray) and np.array_equal(picture, direct)


@pytest.mark.parametrize(("fmt", "colorspace", "colour_range"), [
    ("yuv420p", 2, 0), ("yuv420p", 1, 2), ("yuv420p", 5, 1), ("yuv420p", 9, 1), ("yuvj420p", 2, 0),
])
def test_a_fitted_frame_keeps_its_colour_description(fmt, colorspace, colour_range):
    # GIVEN a frame with a colour matrix and range of its own
    frame = noise(640, 360, fmt, colorspace, colour_range)
    # WHEN it is letterboxed straight into memory THEN its colours are the filter graph's
    assert np.array_equal(FitWriter().canvas(frame, (180, 320), "contain", "#000000"),
                          graph_canvas(frame, (180, 320), "contain"))


@pytest.mark.parametrize(("src", "wall", "fit"), [
    ((1920, 1080), (1080, 1920), "contain"),
    ((1080, 1920), (1920, 1080), "contain"),
    ((1080, 1920), (1082, 1921), "contain"),  # scaled to 1081x1921: a bar 1 pixel wide
    ((640, 360), (201, 301), "contain"),
    ((640, 360), (201, 301), "cover"),
])
def test_a_fitted_frame_touches_no_byte_outside_its_wall(src, wall, fit):
    # GIVEN memory for a wall in longer rows than it needs, a marker in every byte
    frame, (W, H) = noise(*src), wall
    stride = 4 * W + 64
    memory = np.full((H + 1) * stride, MARK, np.uint8)
    # WHEN the frame is fitted into it
    FitWriter().write(frame, wall, fit, "#000000", memory.ctypes.data, stride, H * stride)
    # THEN the wall holds the filter graph's canvas: the picture in its rectangle, black bars
    rows = memory[: H * stride].reshape(H, stride)
    shown = rows[:, : 4 * W].reshape(H, W, 4)
    assert np.array_equal(shown, graph_canvas(frame, wall, fit))
    _crop, (x, y, w, h) = video_geometry(src, wall, fit)
    mask = np.ones((H, W), bool)
    mask[y : y + h, x : x + w] = False
    assert (shown[mask] == hex_to_bgra("#000000")).all()
    # and not a byte past the ends of the rows or past the wall's last row changed
    assert (rows[:, 4 * W :] == MARK).all() and (memory[H * stride :] == MARK).all()


@pytest.mark.parametrize(("src", "wall"), [
    ((1920, 1080), (1080, 1920)),  # 1080 pixels wide, not a multiple of 16: scaled aside, copied in
    ((1080, 1920), (1920, 1080)),  # 1920 wide: scaled in place
])
def test_a_picture_reaching_the_end_of_the_memory_writes_nothing_past_it(src, wall):
    # GIVEN a wall the picture covers to its last byte (cover: no bars), rows without a spare
    # byte, and memory after it that is not the wall's
    frame, (W, H) = noise(*src), wall
    memory = np.full(H * W * 4 + 4096, MARK, np.uint8)
    # WHEN the frame is fitted
    FitWriter().write(frame, (W, H), "cover", "#000000", memory.ctypes.data, 4 * W, H * W * 4)
    # THEN the wall is the graph's canvas and nothing after it was written
    assert np.array_equal(memory[: H * W * 4].reshape(H, W, 4), graph_canvas(frame, (W, H), "cover"))
    assert (memory[H * W * 4 :] == MARK).all()


def test_memory_too_small_for_the_wall_or_a_frame_needing_no_scaling_is_refused():
    # GIVEN memory a row short of a 320x180 wall, and memory for a wall of 1082x1920
    short = np.full(179 * 320 * 4, MARK, np.uint8)
    wide = np.full(1920 * 1082 * 4, MARK, np.uint8)
    # WHEN a frame is fitted into the first, and a 1080x1920 frame (placed there unscaled) into
    # the second THEN nothing is written: libswscale's unscaled conversion runs past its rows
    with pytest.raises(ValueError):
        FitWriter().write(noise(640, 480), (320, 180), "contain", "#000000", short.ctypes.data, 1280, short.nbytes)
    with pytest.raises(ValueError, match="needs no scaling"):
        FitWriter().write(noise(1080, 1920), (1082, 1920), "contain", "#000000", wide.ctypes.data, 4328, wide.nbytes)
    assert (short == MARK).all() and (wide == MARK).all()


def test_frames_that_need_no_scaling_keep_the_canvas_path(tmp_path):
    # GIVEN frames a wall shows without scaling (its own size, only padded, only cropped), turned
    # by metadata, or not 4:2:0
    wall = (320, 180)
    with av.open(str(write_h264(tmp_path / "phone.mp4", size=(640, 360), seconds=0.2, rotation=90))) as clip:
        rotated = next(clip.decode(video=0))
    assert rotated.rotation
    cases = [(noise(320, 180), "contain"), (noise(160, 90), "none"), (noise(640, 360), "none"),
             (rotated, "contain"), (noise(640, 360, "yuv422p"), "contain")]
    for frame, fit in cases:
        # WHEN a wall fits them THEN none is scaled straight; what the wall gets is a canvas or,
        # at the wall's own size, a picture converted unscaled
        assert not can_fit(frame, wall, fit)
        result = VideoFitter(wall, fit, "#000000", direct=True)(frame)
        assert not isinstance(result, FittedPicture)
    assert can_fit(noise(640, 360), wall, "contain") and can_fit(noise(640, 480), wall, "cover")
    # and a picture filling the wall to its last byte, 1080 pixels wide (not whole runs of 16),
    # would be scaled aside and copied in, costing what the canvas costs: the canvas it is
    assert not can_fit(noise(1920, 1080), (1080, 1920), "cover")
    assert can_fit(noise(1080, 1920), (1920, 1080), "cover") and can_fit(noise(1920, 1080), (1080, 1920), "contain")


def test_without_libswscale_fitted_frames_become_canvases(monkeypatch):
    # GIVEN a PyAV build whose libswscale cannot be found
    monkeypatch.setattr(bgra, "_lib", False)
    frame = noise(640, 360)
    # WHEN a wall of another size fits a frame THEN it is a canvas from the filter graph
    canvas = VideoFitter((180, 320), "contain", "#000000", direct=True)(frame)
    assert isinstance(canvas, np.ndarray) and np.array_equal(canvas, graph_canvas(frame, (180, 320), "contain"))
    # and a fitted picture made before still has its canvas (the filter graph's)
    assert np.array_equal(FittedPicture(frame, (180, 320), "contain", "#000000").canvas(), canvas)


def test_a_fitted_pictures_thumbnail_looks_like_its_wall():
    # GIVEN a 1080p frame of smooth colour fitted onto the pillar
    frame = av.VideoFrame(1920, 1080, "yuv420p")
    for index, plane in enumerate(frame.planes):
        rows = frame.height // (1 if index == 0 else 2)
        pixels = np.frombuffer(plane, np.uint8)[: rows * plane.line_size].reshape(rows, plane.line_size)
        pixels[:] = (np.arange(plane.line_size) * (index + 1) // 16 + np.arange(rows)[:, None] // 8) % 256
    picture = FittedPicture(frame, (1080, 1920), "contain", "#000000")
    # WHEN every third pixel is taken for a thumbnail
    small = picture.small_canvas(3)
    # THEN it is the wall's every third pixel, near enough (the picture's edges fall a pixel away)
    sampled = picture.canvas()[::3, ::3]
    assert small.shape == sampled.shape == (640, 360, 4)
    assert np.abs(small.astype(int) - sampled.astype(int)).mean() < 3


def _pillar_window(qapp) -> OutputWindow:
    _infos, screens = qt_screens()
    screen = next(s for s in screens.values() if s.name() == "DP-1")
    window = OutputWindow("pillar", (1080, 1920))
    window.place_on(screen)
    return window


def _paint(qapp, window: OutputWindow, picture) -> np.ndarray:
    """Hand the window a picture and let Qt paint it (events only: no clock, no sleeping)."""
    paints = window.paints
    window.present(picture)  # marks the window for painting; Qt's timer would ask for it later
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.UpdateRequest))  # asked for now
    assert window.paints == paints + 1, "the window did not paint"
    return from_qimage(window.screen().grabWindow(window.winId()).toImage())[:1920, :1080]


def test_a_letterboxed_clip_is_scaled_straight_into_the_window(qapp):
    # GIVEN the pillar's window, showing a still first (its whole backing store another picture)
    window = _pillar_window(qapp)
    try:
        still = np.full((1920, 1080, 4), (0, 0, 255, 255), np.uint8)
        _paint(qapp, window, still)
        # WHEN a 1080p frame arrives, letterboxed by the wall's fitter
        frame = noise(1920, 1080)
        picture = VideoFitter((1080, 1920), "contain", "#000000", direct=True)(frame)
        shown = _paint(qapp, window, picture)
        # THEN it was scaled into the backing store, not painted from a canvas, and the wall
        # shows exactly the filter graph's canvas: no trace of the still in the bars
        assert isinstance(picture, FittedPicture) and window.direct_paints == 1
        assert picture._canvas is None
        assert np.array_equal(shown, graph_canvas(frame, (1080, 1920), "contain"))
    finally:
        window.withdraw()


def test_a_window_that_cannot_scale_a_frame_paints_its_canvas_and_says_so_once(qapp, caplog):
    # GIVEN the pillar's window whose scaling converter fails
    window = _pillar_window(qapp)

    class Broken:
        def write(self, *_args, **_kw):
            raise RuntimeError("libswscale scaled 0 of 608 rows")

    window._fit_writer = Broken()
    try:
        frames = [noise(1920, 1080, seed=seed) for seed in (1, 2, 3)]
        # WHEN three frames play
        with caplog.at_level("WARNING", "signage.player"):
            for frame in frames:
                shown = _paint(qapp, window, FittedPicture(frame, (1080, 1920), "contain", "#000000"))
        # THEN the wall shows them all the same (their canvases), and the log says it once
        assert np.array_equal(shown, graph_canvas(frames[-1], (1080, 1920), "contain"))
        assert len([r for r in caplog.records if "could not be scaled into the window" in r.getMessage()]) == 1
        assert window.direct_paints == 0
        # and a clip at the wall's own size is still converted straight (its own converter)
        _paint(qapp, window, VideoPicture(noise(1080, 1920)))
        assert window.direct_paints == 1
    finally:
        window.withdraw()


def test_a_fitted_frame_failing_in_libswscale_is_an_error_not_a_half_picture(monkeypatch):
    # GIVEN a libswscale that converts no rows
    lib = bgra._library()

    class Sws:
        def __getattr__(self, name):
            return getattr(lib[0], name)

        @staticmethod
        def sws_scale(*_args):
            return 0

    monkeypatch.setattr(bgrafit, "_library", lambda: (Sws(), lib[1]))
    # WHEN a frame is fitted THEN it is an error the window can log (and paint the canvas)
    with pytest.raises(RuntimeError, match="scaled 0 of"):
        FitWriter().canvas(noise(640, 360), (180, 320), "contain", "#000000")


def _overrunning_libswscale(monkeypatch, src, wall, fit) -> None:
    """libswscale as a build whose output runs 16 pixels at a time: every row of the fitted
    picture is written on to the next multiple of 16 pixels (``RUN_MARK``)."""
    lib = bgra._library()
    (_crop, (_x, _y, cw, ch)) = video_geometry(src, wall, fit)

    class Sws:
        def __getattr__(self, name):
            return getattr(lib[0], name)

        @staticmethod
        def sws_scale(ctx, src_planes, src_strides, y, h, dst, dst_strides):
            extra = 4 * (-(-cw // 16) * 16 - cw)
            for row in range(ch):  # marked first: what the later rows write over, they would have
                ctypes.memset(dst[0] + row * dst_strides[0] + 4 * cw, RUN_MARK, extra)
            return lib[0].sws_scale(ctx, src_planes, src_strides, y, h, dst, dst_strides)

    monkeypatch.setattr(bgrafit, "_library", lambda: (Sws(), lib[1]))


@pytest.mark.parametrize(("src", "wall", "fit"), [
    ((1920, 1080), (1080, 1920), "contain"),  # 1080 wide: 8 pixels more, into the next row
    ((1000, 1920), (1920, 1080), "contain"),  # 562 wide: 14 pixels more, into the right-hand bar
    ((1920, 1080), (1080, 1920), "cover"),  # the last row at the end of the memory
])
def test_a_libswscale_writing_whole_runs_past_the_picture_leaves_the_wall_right(monkeypatch, src, wall, fit):
    # GIVEN a libswscale build whose output runs 16 pixels at a time: every row of the picture
    # is written on to the next multiple of 16 pixels (here: another marker)
    _overrunning_libswscale(monkeypatch, src, wall, fit)
    frame, (W, H) = noise(*src), wall
    memory = np.full(H * W * 4 + 4096, MARK, np.uint8)
    # WHEN a frame is fitted into memory of rows without a spare byte
    FitWriter().write(frame, wall, fit, "#000000", memory.ctypes.data, 4 * W, H * W * 4)
    # THEN the wall is the filter graph's canvas all the same (what ran past a row was a bar or
    # the next row's picture, written afterwards) and nothing past the wall was written
    assert np.array_equal(memory[: H * W * 4].reshape(H, W, 4), graph_canvas(frame, wall, fit))
    assert (memory[H * W * 4 :] == MARK).all()


@pytest.mark.parametrize(("src", "wall", "fit"), [
    ((1920, 1080), (1080, 1920), "contain"),  # letterbox: runs past the last row reach the bottom bar
    ((1080, 1920), (1920, 1080), "contain"),  # pillarbox: runs reach into the right bar
    ((1280, 720), (1000, 1000), "contain"),  # a width not a multiple of 16
])
def test_a_frame_after_the_first_of_a_layout_fills_only_what_a_run_could_reach(monkeypatch, src, wall, fit):
    # GIVEN a libswscale build whose output runs 16 pixels at a time (as above), and a wall that
    # showed one frame of this layout, bars and all
    (_crop, (_x, _y, _cw, ch)) = video_geometry(src, wall, fit)
    _overrunning_libswscale(monkeypatch, src, wall, fit)
    (W, H) = wall
    memory = np.full(H * W * 4 + 4096, MARK, np.uint8)
    writer = FitWriter()
    writer.write(noise(*src, seed=1), wall, fit, "#12ab34", memory.ctypes.data, 4 * W, H * W * 4)
    filled: list[int] = []
    real = bgrafit.fill
    monkeypatch.setattr(bgrafit, "fill", lambda a, s, rect, c: (filled.append(rect[2] * rect[3]), real(a, s, rect, c)))
    # WHEN the next frame is written without its bars
    frame = noise(*src, seed=2)
    writer.write(frame, wall, fit, "#12ab34", memory.ctypes.data, 4 * W, H * W * 4, bars=False)
    # THEN the wall is the filter graph's canvas of it all the same, having filled a sliver
    assert np.array_equal(memory[: H * W * 4].reshape(H, W, 4), graph_canvas(frame, wall, fit, "#12ab34"))
    assert sum(filled) <= 16 * (ch + 1)


def test_a_window_fills_the_bars_once_per_layout(qapp, monkeypatch):
    # GIVEN the pillar's window and a count of the bar pixels filled
    window = _pillar_window(qapp)
    filled: list[int] = []
    real = bgrafit.fill
    monkeypatch.setattr(bgrafit, "fill", lambda a, s, rect, c: (filled.append(rect[2] * rect[3]), real(a, s, rect, c)))
    fitter = VideoFitter((1080, 1920), "contain", "#000000", direct=True)
    try:
        # WHEN three letterboxed frames play, then a still, then another frame
        counts = []
        for seed in (1, 2, 3):
            filled.clear()
            _paint(qapp, window, fitter(noise(1920, 1080, seed=seed)))
            counts.append(sum(filled))
        _paint(qapp, window, np.full((1920, 1080, 4), (0, 0, 255, 255), np.uint8))
        filled.clear()
        frame = noise(1920, 1080, seed=4)
        shown = _paint(qapp, window, fitter(frame))
        # THEN the first frame filled the bars (1080 x 1312 pixels), the next two did not; after
        # the still they were filled again, and the wall shows exactly the graph's canvas
        assert counts[0] >= 1080 * 1312 and counts[1] < 1000 and counts[2] < 1000
        assert sum(filled) >= 1080 * 1312
        assert np.array_equal(shown, graph_canvas(frame, (1080, 1920), "contain"))
    finally:
        window.withdraw()
