"""The operator's console, driven with pytest-qt on the offscreen platform."""

from __future__ import annotations

import weakref

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt

from signage.commands.run import show_console
from signage.display.qimage import from_qimage, to_qimage, to_thumbnail
from signage.i18n import set_language
from signage.media.bgra import VideoPicture
from tests.test_operator import (
    player,  # noqa: F401 - fixture
    settle,
)
from tests.test_player import GREEN, RED, centre


@pytest.fixture
def console(player, qtbot):  # noqa: F811
    p, clock = player
    window = show_console(p)
    assert window is not None
    qtbot.addWidget(window)
    yield window, p, clock
    window.close()


def test_console_sits_on_the_free_screen_with_thumbnails(console, tmp_path):
    window, p, clock = console
    assert window.screen().name() == "OPERATOR"
    window.refresh()
    for name, wall in window.walls.items():
        assert not wall.thumb.pixmap().isNull(), name
    assert "house" not in window.walls["front"].now.text()
    assert window.walls["front"].next.text()
    window.grab().save(str(tmp_path / "console.png"))  # looked at by hand; never committed


def test_buttons_act_and_the_action_stays_visible(console, qtbot):
    window, p, clock = console
    qtbot.mouseClick(window.walls["rear"].buttons["black"], Qt.MouseButton.LeftButton)
    settle(p, lambda: centre(p.latest["rear"]) == (0, 0, 0))
    window.refresh()
    assert window.walls["rear"].op.text()  # visible until resumed
    assert window.walls["front"].op.text() == ""
    assert "console" in window.actions.item(0).text()
    qtbot.mouseClick(window.all_buttons["resume"], Qt.MouseButton.LeftButton)
    settle(p, lambda: centre(p.latest["rear"]) == RED)
    window.refresh()
    assert window.walls["rear"].op.text() == ""


def test_urgent_notice_in_hangul_on_chosen_walls_then_clear(console, qtbot):
    window, p, clock = console
    window.message.setText("화재 대피 훈련 중입니다")  # Hangul arrives through an input method, not key clicks
    window.message_walls["front"].setChecked(False)
    window.message_for.setCurrentIndex(2)  # 10 minutes
    qtbot.mouseClick(window.show_button, Qt.MouseButton.LeftButton)
    ov = p.live.hold_at("pillar", clock.now())
    assert ov.kind == "message" and ov.text == "화재 대피 훈련 중입니다" and ov.until is not None
    assert p.live.hold_at("front", clock.now()) is None
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert p.live.hold_at("pillar", clock.now()) is None


def test_clicker_keys_on_the_console(console, qtbot):
    window, p, clock = console
    clock.advance(2)
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # no manual deck: drives front, next item now
    settle(p, lambda: centre(p.latest["front"]) == GREEN)


def test_console_switches_to_english(console):
    window, p, clock = console
    window.set_language("en")
    assert window.all_buttons["resume"].text() == "Resume"
    window.set_language("ko")
    assert window.all_buttons["resume"].text() == "일정 복귀"
    set_language("en")


def test_deck_errors_are_shown_not_raised(console, tmp_path):
    window, p, clock = console
    window.load_deck(str(tmp_path / "missing.pdf"), "front")
    assert "does not exist" in window.feedback.text()


def test_console_shows_the_tenant_review_queue(console, qtbot):
    from signage.intake.store import Store
    from tests.helpers import at

    window, p, clock = console
    qtbot.waitUntil(lambda: window.queue_box.reads >= 1)
    assert window.queue.count() == 0 and "0 tenant promos" in window.queue_box.title()
    with Store(p.intake_db) as store:
        store.add(tenant="acme", filename="봄-홍보.mp4", size=1, mtime_ns=1, received=at("2026-12-01 09:00"),
                  status="pending", kind="video", facts={"duration_s": 30.0})
        store.add(tenant="nuri", filename="x.mp4", size=1, mtime_ns=1, received=at("2026-12-01 09:00"),
                  status="refused", kind="video")
    window.refresh_queue(force=True)
    qtbot.waitUntil(lambda: "1 tenant promos" in window.queue_box.title())
    assert window.queue.item(0).text() == "#1 acme · 봄-홍보.mp4 (video 30s)"


def _halves(w, h, left=(0, 128, 255), right=(255, 64, 0), stride=None):
    """A canvas (B, G, R, 255) with a left and a right half; rows padded to ``stride`` pixels."""
    rows = np.zeros((h, stride or w, 4), np.uint8)
    canvas = rows[:, :w]
    canvas[:, : w // 2, :3], canvas[:, w // 2 :, :3], canvas[:, :, 3] = left, right, 255
    return canvas


@pytest.mark.parametrize(("size", "stride", "thumb"), [((1920, 1080), None, (298, 168)),
                                                       ((1080, 1920), 1088, (94, 168)),  # a pillar frame's padded rows
                                                       ((200, 100), None, (300, 150))])  # small: no decimation
def test_a_thumbnail_keeps_the_picture_and_its_shape(size, stride, thumb):
    # GIVEN a wall's canvas, orange on the left, blue on the right
    canvas = _halves(*size, stride=stride)
    # WHEN it is made into a console thumbnail
    image = from_qimage(to_thumbnail(canvas, 300, 168))
    # THEN it fits the box with the wall's aspect, the halves where they were, edges smooth
    assert (image.shape[1], image.shape[0]) == thumb
    mid = image.shape[0] // 2
    assert tuple(image[mid, 2]) == tuple(canvas[0, 0]) and tuple(image[mid, -3]) == tuple(canvas[0, -1])
    full = from_qimage(to_qimage(np.ascontiguousarray(canvas)).scaled(
        thumb[0], thumb[1], Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation))
    assert np.abs(image.astype(int) - full.astype(int)).max() <= 64  # only the seam may differ
    assert (np.abs(image.astype(int) - full.astype(int)).max(axis=2) > 8).mean() < 0.02


def test_a_still_is_not_scaled_again_every_refresh(console):
    # GIVEN the console showing the walls
    window, p, clock = console
    window.refresh()
    wall = window.walls["front"]
    key = wall.thumb.pixmap().cacheKey()
    # WHEN it refreshes and the wall's canvas is the same picture (a still)
    window.refresh()
    # THEN the thumbnail is the one it had; a new canvas makes a new one
    assert wall.thumb.pixmap().cacheKey() == key
    p.latest["front"] = p.latest["front"].copy()
    window.refresh()
    assert wall.thumb.pixmap().cacheKey() != key


def test_the_console_keeps_no_frame_alive(console):
    # GIVEN a wall's picture thumbnailed on the console
    window, p, clock = console
    picture = p.latest["front"].copy()
    p.latest["front"] = picture
    window.refresh()
    gone = weakref.ref(picture)
    # WHEN the wall moves on to its next picture
    p.latest["front"] = picture.copy()
    del picture
    # THEN the old one is let go (a video frame's buffer goes back to FFmpeg's pool)
    assert gone() is None


def test_a_video_frame_the_window_converts_itself_is_thumbnailed_like_its_canvas(console):
    # GIVEN a wall showing a video frame at its own size (the window converts it when it paints)
    window, p, clock = console
    frame = av.VideoFrame(1920, 1080, "yuv420p")
    for plane, value in zip(frame.planes, (90, 40, 200), strict=True):
        np.frombuffer(plane, np.uint8)[:] = value
    picture = VideoPicture(frame)
    p.latest["front"] = picture
    # WHEN the console refreshes
    window.refresh()
    # THEN its thumbnail is the picture's, as a canvas would have given it
    thumb = from_qimage(window.walls["front"].thumb.pixmap().toImage())
    expected = from_qimage(to_thumbnail(picture.canvas(), 300, 168))
    assert np.array_equal(thumb, expected)
