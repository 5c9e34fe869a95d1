"""The player on Qt's offscreen platform with four fake named screens and a fake clock."""

from __future__ import annotations

import gc
import os
import sqlite3
import threading
import time
import weakref

import av
import numpy as np
import pytest
from PIL import Image

from signage.app import Player
from signage.config.loader import load_hall
from signage.display.qimage import from_qimage
from signage.media.bgra import VideoPicture, as_canvas
from signage.media.fade import Fader, blend, blend_into
from signage.media.videofit import VideoFitter
from signage.playback.clock import FakeClock
from tests.helpers import at
from tests.media_factory import hall, write_clip, write_image

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


@pytest.fixture
def player_factory(qapp, tmp_path):
    players = []

    def make(config, when="2026-12-03 10:00", headless=False):
        clock = FakeClock(at(when))
        p = Player(load_hall(config, check_assets=False), headless=headless, clock=clock, var_dir=tmp_path / "var")
        players.append(p)
        p.start(timers=False)
        deadline = time.monotonic() + 5
        while len(p.latest) < len(p.runners):  # first stills are rendered on a pool thread
            assert time.monotonic() < deadline, "no first frame"
            time.sleep(0.005)
            p.tick()
        return p, clock

    yield make
    for p in players:
        p.stop()


@pytest.fixture
def colours(tmp_path):
    (tmp_path / "m").mkdir(exist_ok=True)
    for name, colour in (("red", RED), ("green", GREEN), ("blue", BLUE)):
        write_image(tmp_path / f"m/{name}.png", size=(160, 90), colour=colour)
    return tmp_path


def rgb_at(canvas: np.ndarray, x: int, y: int) -> tuple:
    """The RGB colour of a canvas pixel (canvases are B, G, R, 255 in memory)."""
    b, g, r, a = (int(v) for v in canvas[y, x])
    assert a == 255
    return (r, g, b)


def centre(canvas: np.ndarray) -> tuple:
    h, w = canvas.shape[:2]
    return rgb_at(canvas, w // 2, h // 2)


def run_until(player, clock, condition, step=0.02, limit=5.0):
    """Tick with the fake clock moving in small steps until ``condition()``; real time for threads."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        clock.advance(step)
        player.tick()
        time.sleep(0.005)


def test_windows_go_to_their_named_screens(player_factory, colours):
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, _ = player_factory(config)
    for name, screen in (("front", "HDMI-1"), ("rear", "HDMI-2"), ("pillar", "DP-1")):
        window = player.windows[name]
        assert window.isVisible()
        assert window.screen().name() == screen
        assert window.geometry() == window.screen().geometry()
    # nothing on the operator's monitor
    assert all(w.screen().name() != "OPERATOR" for w in player.windows.values())


def test_unplugged_screen_shows_nothing_elsewhere_and_comes_back(player_factory, colours):
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, clock = player_factory(config)
    from signage.display.window import qt_screens

    infos, by_name = qt_screens()
    without_pillar = ([s for s in infos if s.name != "DP-1"], by_name)
    assert player.map_screens(without_pillar)["pillar"] is None
    assert not player.windows["pillar"].isVisible()
    assert player.windows["front"].isVisible() and player.windows["rear"].isVisible()
    clock.advance(1)
    player.tick()  # the other walls keep playing
    assert player.map_screens()["pillar"] == "DP-1"
    assert player.windows["pillar"].isVisible()
    assert player.windows["pillar"].geometry() == player.windows["pillar"].screen().geometry()
    assert centre(player.windows["pillar"].frame()) == RED


def test_composed_at_native_size_with_letterbox(player_factory, colours):
    config = hall(colours, {"p": 'defaults: {background: "#003366"}\nitems:\n  - image: m/red.png\n'})
    player, _ = player_factory(config)
    front, pillar = player.windows["front"].frame(), player.windows["pillar"].frame()
    assert front.shape == (1080, 1920, 4) and pillar.shape == (1920, 1080, 4)
    assert centre(pillar) == RED
    assert rgb_at(pillar, 540, 10) == (0, 0x33, 0x66)  # bars above a 16:9 picture


def test_items_advance_with_the_clock_and_slots_switch_on_time(player_factory, colours):
    config = hall(
        colours,
        {
            "p": "defaults: {duration: 5s, transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n",
            "ev": "defaults: {transition: cut}\nitems:\n  - image: m/blue.png\n",
        },
        schedule='  events:\n    - {name: 행사, start: "2026-12-03 10:00:30", end: "2026-12-03 11:00", displays: {front: ev}}\n',
    )
    player, clock = player_factory(config, when="2026-12-03 10:00:00")
    run_until(player, clock, lambda: centre(player.latest["front"]) == RED)
    clock.set(at("2026-12-03 10:00:05"))
    run_until(player, clock, lambda: centre(player.latest["front"]) == GREEN, step=0.0)
    # the event starts at 10:00:30: the tick at that instant switches
    clock.set(at("2026-12-03 10:00:29.99"))
    player.tick()
    assert centre(player.latest["front"]) != BLUE
    clock.set(at("2026-12-03 10:00:30"))
    run_until(player, clock, lambda: centre(player.latest["front"]) == BLUE, step=0.0)
    assert centre(player.latest["rear"]) in (RED, GREEN)  # the event names only front


def test_a_fade_ends_on_the_picture_itself_and_lets_the_old_one_go(player_factory, colours):
    config = hall(colours, {"p": "defaults: {duration: 5s, transition: fade 1s}\nitems:\n"
                                 "  - image: m/red.png\n  - image: m/green.png\n"})
    player, clock = player_factory(config, when="2026-12-03 10:00:04.9")
    run_until(player, clock, lambda: centre(player.latest["front"]) == RED, step=0.0)
    clock.set(at("2026-12-03 10:00:05.4"))  # half-way through the fade to green
    run_until(player, clock, lambda: centre(player.latest["front"]) not in (RED, GREEN), step=0.0)
    assert player.runners["front"].active.previous is not None
    clock.set(at("2026-12-03 10:00:06.2"))  # the fade is over: pure green, not 97% green
    run_until(player, clock, lambda: centre(player.latest["front"]) == GREEN, step=0.0)
    assert player.runners["front"].active.previous is None  # the red picture is not held any more


@pytest.mark.parametrize("wall", ["front", "pillar"])  # the clip at the wall's size; fitted into a tall wall
def test_a_fade_into_a_clip_is_drawn_in_memory_the_wall_keeps(player_factory, colours, wall):
    # GIVEN a red still for 3 s, then a blue clip fading in over 1 s
    write_clip(colours / "m/clip.mp4", size=(320, 180), seconds=2.0, colour=(255, 0, 0))
    config = hall(colours, {"p": "defaults: {transition: fade 1s}\nitems:\n"
                                 "  - image: m/red.png\n    duration: 3s\n  - video: m/clip.mp4\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n  pillar: {screen: DP-1, size: [180, 320]}\n")
    player, clock = player_factory(config, when="2026-12-03 10:00:02.9")
    run_until(player, clock, lambda: player.latest.raw(wall) is not None and centre(player.latest[wall]) == RED, step=0.0)
    # WHEN the clip fades in, a frame at a time
    frames, runner = [], player.runners[wall]
    while clock.now() < at("2026-12-03 10:00:03.9"):
        clock.advance(1 / 30)
        presented = runner.stats.frames_presented
        player.tick()
        picture = player.latest.raw(wall)
        if runner.active.previous is not None and runner.stats.frames_presented > presented:
            frames.append((picture, rgb_at(as_canvas(picture), 4, 4 if wall == "front" else 160)))
        time.sleep(0.01)  # the decoder's thread keeps up
    # THEN every frame of the fade is a mix that moves from red to blue, and all are drawn in one
    # canvas the wall keeps (no new 8 MB canvas a frame at 1080p)
    assert len(frames) >= 10
    reds = [r for _picture, (r, _g, _b) in frames]
    blues = [b for _picture, (_r, _g, b) in frames]
    assert reds == sorted(reds, reverse=True) and blues == sorted(blues)
    assert reds[0] > 200 and blues[0] < 60 and reds[-1] < 80 and blues[-1] > 170
    assert all(np.shares_memory(frames[0][0], picture) for picture, _ in frames)


def test_a_fade_cut_short_starts_the_next_from_the_picture_on_the_wall():
    # GIVEN a fade half-way from black to white, drawn in the wall's kept canvas
    fader = Fader()
    black, white, grey = (np.full((90, 160, 4), v, np.uint8) for v in (0, 255, 128))
    half = fader.mix(black, white, 0.5)
    # WHEN the next step starts from that picture and fades to grey
    previous = fader.keep(half)
    start = fader.mix(previous, grey, 0.0).copy()
    fader.mix(previous, grey, 0.5)
    # THEN the picture it fades from stays what the wall showed when it started
    assert start.max() == start.min() == 128 and previous.max() == previous.min() == 128
    assert not np.shares_memory(previous, half)


@pytest.mark.parametrize("t", [0.0, 0.1, 0.25, 1 / 3, 0.5, 0.9, 1.0])
def test_a_cross_fade_is_within_one_level_of_the_exact_mix(t):
    a = np.random.default_rng(1).integers(0, 256, (200, 64, 4), np.uint8)
    b = np.random.default_rng(2).integers(0, 256, (200, 64, 4), np.uint8)
    exact = a.astype(float) * (1 - t) + b.astype(float) * t
    for out in (blend(a, b, t), blend_into(a, b.copy(), t, np.empty_like(a))):
        assert np.abs(out - exact).max() <= 1.0
    in_place = b.copy()
    blend_into(a, in_place, t, in_place)  # drawn over the clip's own frame
    assert np.abs(in_place - exact).max() <= 1.0


def test_a_finished_clip_lets_its_decoder_and_frames_go(player_factory, colours):
    """Without the cyclic garbage collector: a clip's decoder, queue and canvases are released by
    the switch itself (each held clip was 25-50 MB on a wall)."""
    write_clip(colours / "m/clip.mp4", size=(320, 180), seconds=1.0)
    config = hall(colours, {"p": "items:\n  - video: m/clip.mp4\n  - image: m/green.png\n    duration: 2s\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    gc.disable()
    try:
        player, clock = player_factory(config, when="2026-12-03 10:00:00")
        runner = player.runners["front"]
        worker = weakref.ref(runner.active.worker)
        run_until(player, clock, lambda: runner.active.worker is None, step=1 / 30)  # the image's turn
        deadline = time.monotonic() + 2
        while worker() is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker() is None, gc.get_referrers(worker())
    finally:
        gc.enable()


def test_video_plays_paced_by_its_timestamps(player_factory, colours):
    write_clip(colours / "m/clip.mp4", size=(320, 180), seconds=2.0, colour=(0, 0, 200))
    config = hall(colours, {"p": "items:\n  - video: m/clip.mp4\n  - image: m/green.png\n    duration: 2s\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    player, clock = player_factory(config, when="2026-12-03 10:00:00")
    runner = player.runners["front"]
    for _ in range(40):  # the fake clock moves one frame at a time; the decoder gets real time to keep up
        deadline = time.monotonic() + 5
        while runner.active.worker and runner.active.worker.peek_pts() is None and not runner.active.worker.exhausted():
            assert time.monotonic() < deadline
            time.sleep(0.002)
        player.tick()
        clock.advance(1 / 30)
    stats = runner.stats
    assert stats.frames_presented >= 30
    assert stats.frames_dropped == 0 and stats.frames_late == 0
    r, g, b = centre(player.latest["front"])
    assert r > 150 and g < 60 and b < 60  # BGR (0,0,200) from OpenCV shown as red: colours are right
    run_until(player, clock, lambda: centre(player.latest["front"]) == GREEN, step=1 / 30)


def test_corrupt_clip_is_skipped_and_logged_once(player_factory, colours, caplog):
    (colours / "m/broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    config = hall(colours, {"p": "items:\n  - video: m/broken.mp4\n  - image: m/green.png\n"})
    player, clock = player_factory(config)
    for _ in range(20):
        clock.advance(0.1)
        player.tick()
    assert centre(player.latest["front"]) == GREEN
    assert sum("broken.mp4" in r.getMessage() for r in caplog.records) == 1


def test_fallback_when_nothing_can_play(player_factory, colours):
    (colours / "m/bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnonsense")
    config = hall(colours, {"p": "items:\n  - image: m/bad.png\n  - image: m/missing.jpg\n"}, fallback="m/blue.png")
    player, clock = player_factory(config)
    run_until(player, clock, lambda: "front" in player.latest and centre(player.latest["front"]) == BLUE)


def test_dark_hours_are_black(player_factory, colours):
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"}, schedule='  dark: {start: "23:00", end: "07:00"}\n')
    player, clock = player_factory(config, when="2026-12-03 23:30")
    assert centre(player.latest["front"]) == (0, 0, 0)


def test_broken_edit_keeps_the_last_good_configuration(player_factory, colours, caplog):
    config = hall(colours, {"p": "defaults: {transition: cut}\nitems:\n  - image: m/red.png\n"})
    player, clock = player_factory(config)
    playlist = colours / "playlists/p.yaml"
    playlist.write_text("defaults: {transition: cut}\nitems:\n  - image: m/green.png\n    fit: contian\n")
    assert player.reload_if_changed() is False
    assert "contian" in caplog.text and "p.yaml:4:" in caplog.text
    clock.advance(1)
    player.tick()
    assert centre(player.latest["front"]) == RED  # still the last good configuration
    playlist.write_text("defaults: {transition: cut}\nitems:\n  - image: m/green.png\n")
    assert player.reload_if_changed() is True
    run_until(player, clock, lambda: centre(player.latest["front"]) == GREEN)


def test_every_item_shown_is_a_play_record(player_factory, colours, tmp_path):
    config = hall(colours, {"p": "defaults: {duration: 1s, transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    player, clock = player_factory(config, when="2026-12-03 10:00:00")
    for _ in range(35):
        clock.advance(0.1)
        player.tick()
        time.sleep(0.002)
    player.stop()
    rows = sqlite3.connect(tmp_path / "var/plays.sqlite").execute(
        "SELECT display, kind, asset, asset_sha256, started, ended, frames_presented, outcome FROM plays ORDER BY id"
    ).fetchall()
    assert [r[2].rsplit("/", 1)[1] for r in rows[:3]] == ["red.png", "green.png", "red.png"]
    assert all(r[0] == "front" and r[1] == "image" and len(r[3]) == 64 for r in rows)
    assert rows[0][4] == "2026-12-03T10:00:00+09:00" and rows[0][5] == "2026-12-03T10:00:01+09:00"
    assert [r[7] for r in rows[:2]] == ["completed", "completed"] and rows[-1][7] == "cut"



def test_black_nobody_asked_for_is_measured(player_factory, colours):
    # GIVEN a wall that plays red
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, clock = player_factory(config)
    runner = player.runners["front"]
    stats = runner.stats
    # THEN only the moment before its first picture counted
    start_up = stats.unscheduled_black_max_s
    assert start_up < 5.0
    run_until(player, clock, lambda: clock.now() >= at("2026-12-03 10:00:03"))
    assert stats.unscheduled_black_max_s == start_up
    # WHEN its picture is the compositor's black for 3 s while it should play
    runner.last_canvas = runner.compositor.black
    runner._watch_black(runner.active, clock.monotonic())
    for _ in range(30):
        clock.advance(0.1)
        runner._watch_black(runner.active, clock.monotonic())
    # THEN the stretch is measured
    assert stats.unscheduled_black_max_s == pytest.approx(3.0, abs=0.05)


def test_black_the_schedule_asks_for_is_not_counted(player_factory, colours):
    # GIVEN dark hours now
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    config.write_text(config.read_text().replace("schedule:\n", 'schedule:\n  dark: {start: "09:00", end: "11:00"}\n'))
    player, clock = player_factory(config)
    # WHEN the walls stay black for 5 s
    run_until(player, clock, lambda: clock.now() >= at("2026-12-03 10:00:05"))
    # THEN none of it is unscheduled
    assert all(r.stats.unscheduled_black_max_s < 1.0 for r in player.runners.values())
    assert centre(player.latest["front"]) == (0, 0, 0)


def test_a_snapshot_that_cannot_be_written_is_logged_once(player_factory, colours, tmp_path, caplog):
    # GIVEN a headless player whose snapshot folder cannot be written (a file stands in its way)
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, _clock = player_factory(config, headless=True)
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    player.snapshot_dir = blocker / "snapshots"
    # WHEN snapshots are written three times
    with caplog.at_level("ERROR", "signage.player"):
        for _ in range(3):
            player.write_snapshots()
            player.snapshots.wait()
    # THEN each wall's failure is logged once, not silently lost and not every 5 s
    lines = [r.getMessage() for r in caplog.records if "snapshot" in r.getMessage()]
    assert sorted(line.split()[1] for line in lines) == ["front", "pillar", "rear"]


def test_a_snapshot_is_written_again_only_when_the_picture_changed(player_factory, colours, tmp_path):
    # GIVEN a headless player showing a still, its snapshot written once
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, _clock = player_factory(config, headless=True)
    player.snapshot_dir = tmp_path / "snaps"

    def write() -> set[str]:
        for png in player.snapshot_dir.glob("*.png"):
            png.unlink()
        player.write_snapshots()
        player.snapshots.wait()
        return {png.stem for png in player.snapshot_dir.glob("*.png")}

    assert write() == {"front", "rear", "pillar"}
    # WHEN the timer comes round again with the same pictures on the walls
    # THEN nothing is encoded again; a wall with a new picture is
    assert write() == set()
    player.latest["rear"] = player.latest["rear"].copy()
    assert write() == {"rear"}


class ThreadNoting(VideoPicture):
    """A decoded frame that notes the thread it is converted on."""

    def __init__(self, frame, threads: list):
        super().__init__(frame)
        self.threads = threads

    def canvas(self):
        self.threads.append(threading.get_ident())
        return super().canvas()


def test_snapshots_take_nothing_from_the_thread_that_presents_frames(player_factory, colours, tmp_path):
    # GIVEN a headless player whose walls show decoded frames (converted only when someone asks)
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, _clock = player_factory(config, headless=True)
    player.snapshot_dir = tmp_path / "snaps"
    threads: list[int] = []
    rgb = np.zeros((36, 64, 3), np.uint8)
    rgb[:] = (200, 30, 40)
    for wall in player.runners:
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
        player.latest[wall] = ThreadNoting(frame, threads)
    # WHEN the snapshot timer fires
    player.write_snapshots()
    player.snapshots.wait()
    # THEN every frame was converted and encoded on the writer's thread, at a lower priority
    assert len(threads) == 3 and threading.get_ident() not in threads
    writer_nice = player.snapshots.pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert writer_nice.result() > os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with Image.open(player.snapshot_dir / "front.png") as png:
        r, g, b = png.convert("RGB").getpixel((32, 18))
    assert abs(r - 200) < 8 and abs(g - 30) < 8 and abs(b - 40) < 8


def test_a_snapshot_keeps_the_picture_of_the_moment_it_was_taken(player_factory, colours, tmp_path):
    # GIVEN a headless player whose wall shows a canvas that is drawn over again and again
    # (as a clip's reused buffer is)
    config = hall(colours, {"p": "items:\n  - image: m/red.png\n"})
    player, _clock = player_factory(config, headless=True)
    player.snapshot_dir = tmp_path / "snaps"
    canvas = player.latest["front"].copy()
    player.latest["front"] = canvas
    # WHEN the snapshot is taken and the buffer is drawn over before the writer gets to it
    player.snapshots.pool.submit(time.sleep, 0.2)  # the writer is busy with something else
    player.write_snapshots()
    canvas[:] = (255, 0, 0, 255)  # blue
    player.snapshots.wait()
    # THEN the file shows what was on the wall when it was taken
    with Image.open(player.snapshot_dir / "front.png") as png:
        assert png.convert("RGB").getpixel((png.width // 2, png.height // 2)) == RED


def test_a_clip_at_the_walls_size_is_converted_straight_into_the_window(player_factory, colours, qapp):
    # GIVEN a clip made at its wall's own size (nothing to crop, scale or pad)
    write_clip(colours / "m/clip.mp4", size=(320, 180), seconds=1.0, colour=(0, 0, 200))
    config = hall(colours, {"p": "items:\n  - video: m/clip.mp4\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    player, clock = player_factory(config, when="2026-12-03 10:00:00")
    window = player.windows["front"]
    # WHEN its frames play on the wall
    deadline = time.monotonic() + 5
    while window.direct_paints < 3:
        assert time.monotonic() < deadline, "no frame was written into the window"
        clock.advance(1 / 30)
        player.tick()
        qapp.processEvents()
        time.sleep(0.002)
    # THEN the window holds the decoded frame, converted when it painted, not a canvas copied
    # in; its pixels are exactly the canvas the filter graph would have made
    picture = player.latest.raw("front")
    assert isinstance(picture, VideoPicture)
    shown = window.screen().grabWindow(window.winId()).toImage()
    fitted = VideoFitter((320, 180), "contain", "#000000")(picture.frame)
    assert np.array_equal(from_qimage(shown)[:180, :320], np.asarray(fitted))
    assert np.array_equal(player.latest["front"], np.asarray(fitted))  # what the console and API read


def test_a_window_that_cannot_write_a_frame_paints_its_canvas_and_says_so_once(player_factory, colours, qapp, caplog):
    # GIVEN a clip at its wall's size, and a converter that fails
    write_clip(colours / "m/clip.mp4", size=(320, 180), seconds=1.0, colour=(0, 0, 200))
    config = hall(colours, {"p": "items:\n  - video: m/clip.mp4\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    player, clock = player_factory(config, when="2026-12-03 10:00:00")
    window = player.windows["front"]

    class Broken:
        def write(self, *_args):
            raise RuntimeError("libswscale converted 0 of 180 rows")

    window._writer = Broken()
    # WHEN frames play
    paints = window.paints
    with caplog.at_level("WARNING", "signage.player"):
        deadline = time.monotonic() + 5
        while window.paints < paints + 3:
            assert time.monotonic() < deadline, "the window did not paint"
            clock.advance(1 / 30)
            player.tick()
            qapp.processEvents()
            time.sleep(0.002)
    # THEN the wall shows the frames all the same (their canvases), and the log says it once
    shown = from_qimage(window.screen().grabWindow(window.winId()).toImage())[:180, :320]
    assert np.array_equal(shown, player.latest["front"])
    assert len([r for r in caplog.records if "could not be converted into the window" in r.getMessage()
                or "창에 바로 변환하지 못해" in r.getMessage()]) == 1
    assert window.direct_paints == 0
