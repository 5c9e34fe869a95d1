"""The console follows the live model: toggling holds, decks given back, Korean names, the
rehearsal banner, missing screens, deck dialogs, the review queue read off the main thread."""

from __future__ import annotations

import threading

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from signage.commands.run import show_console
from signage.console import decks
from signage.console.window import ConsoleWindow
from signage.i18n import set_language
from tests.test_live_player import CYAN, MAGENTA, near, three_page_pdf
from tests.test_operator import player, settle  # noqa: F401 - fixture
from tests.test_player import RED, centre


@pytest.fixture
def console(player, qtbot):  # noqa: F811
    p, clock = player
    window = show_console(p)
    qtbot.addWidget(window)
    window.timer.stop()  # redraws come from the live model's changes (and explicit refresh)
    yield window, p, clock
    window.close()


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_black_button_toggles_and_gives_back_the_deck(console, qtbot, tmp_path):
    """GIVEN a PDF loaded on front from the console and moved to page 2
    WHEN 끄기 is clicked twice on front
    THEN front is black after the first click and shows page 2 again after the second."""
    window, p, clock = console
    window.load_deck(str(three_page_pdf(tmp_path)), "front")
    click(qtbot, window.walls["front"].buttons["next"])
    settle(p, lambda: near(centre(p.latest["front"]), MAGENTA))
    click(qtbot, window.walls["front"].buttons["black"])
    settle(p, lambda: centre(p.latest["front"]) == (0, 0, 0))
    click(qtbot, window.walls["front"].buttons["black"])
    settle(p, lambda: near(centre(p.latest["front"]), MAGENTA))


def test_resume_lifts_the_hold_then_unloads_the_deck(console, qtbot, tmp_path):
    """GIVEN a deck on front with 정지 on top
    WHEN 일정 복귀 is clicked  THEN the deck plays again (first page)
    WHEN clicked again  THEN front is back on its schedule."""
    window, p, clock = console
    window.load_deck(str(three_page_pdf(tmp_path)), "front")
    click(qtbot, window.walls["front"].buttons["freeze"])
    click(qtbot, window.walls["front"].buttons["resume"])
    settle(p, lambda: near(centre(p.latest["front"]), CYAN))
    assert p.live.deck_at("front", clock.now()) is not None
    click(qtbot, window.walls["front"].buttons["resume"])
    settle(p, lambda: centre(p.latest["front"]) == RED)


def test_the_console_redraws_when_the_model_changes(console, qtbot):
    """GIVEN the console's timer stopped
    WHEN black is put on rear by another client (the control API)
    THEN the rear box says so, without anyone calling refresh."""
    window, p, clock = console
    assert window.walls["rear"].op.text() == ""
    p.ops.hold("black", "rear", clock.now(), "api 127.0.0.1")
    qtbot.waitUntil(lambda: window.walls["rear"].op.text() != "", timeout=2000)
    assert "Black" in window.walls["rear"].op.text()


def test_walls_and_kinds_are_named_in_korean(console):
    """GIVEN the console in Korean  THEN walls read 전면/후면/기둥 everywhere and kinds read 사진."""
    window, p, clock = console
    window.set_language("ko")
    try:
        assert [w.title() for w in window.walls.values()] == ["전면", "후면", "기둥"]
        assert [cb.text() for cb in window.message_walls.values()] == ["전면", "후면", "기둥"]
        assert [window.deck_wall.itemText(i) for i in range(3)] == ["전면", "후면", "기둥"]
        assert window.deck_wall.itemData(2) == "pillar"
        assert "사진 red.png" in window.walls["front"].now.text()
        assert window.load_button.text() == "발표 자료 열기…" and window.photos_button.text() == "사진 폴더 열기…"
        assert window.clicker.text() == "리모컨: 전면"
    finally:
        set_language("en")


def test_a_rehearsal_shows_a_banner(console):
    window, p, clock = console
    window.refresh()
    assert not window.banner.isVisibleTo(window)
    p.rehearsal = True  # signage run --start-at
    window.refresh()
    assert window.banner.isVisibleTo(window) and "Rehearsal" in window.banner.text()


def test_a_wall_without_its_screen_is_marked_not_shown_as_on_air(console):
    """GIVEN the player reports rear's screen HDMI-2 missing
    THEN the rear box shows "no screen: HDMI-2" instead of a picture."""
    window, p, clock = console
    window.refresh()
    assert not window.walls["rear"].thumb.pixmap().isNull()
    p.missing_screens = {"rear": "HDMI-2"}
    window.refresh()
    assert window.walls["rear"].thumb.pixmap().isNull()
    assert window.walls["rear"].thumb.text() == "no screen: HDMI-2"
    assert not window.walls["front"].thumb.pixmap().isNull()


def test_deck_dialog_is_korean_and_opens_in_the_documents_folder(player, qtbot, monkeypatch, tmp_path):  # noqa: F811
    """GIVEN a home folder with 문서 in it, the console in Korean
    WHEN 발표 자료 열기… is clicked  THEN the dialog asks in Korean, from ~/문서."""
    p, clock = player
    home = tmp_path / "home"
    (home / "문서").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    asked = {}

    def fake_open(parent, caption, folder, filters):
        asked.update(caption=caption, folder=folder, filters=filters)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    set_language("ko")
    window = ConsoleWindow(p)
    qtbot.addWidget(window)
    try:
        click(qtbot, window.load_button)
    finally:
        set_language("en")
        window.close()
    assert asked == {"caption": "발표 자료 열기…", "folder": str(home / "문서"),
                     "filters": "발표 자료 (*.pdf *.pptx *.ppt *.odp *.fodp *.key)"}


def test_start_folder_falls_back_to_home(tmp_path):
    assert decks.start_folder(tmp_path) == tmp_path
    (tmp_path / "바탕화면").mkdir()
    assert decks.start_folder(tmp_path) == tmp_path / "바탕화면"


def test_a_folder_of_photos_can_be_loaded(console, qtbot, monkeypatch, tmp_path):
    """GIVEN a folder of two photos  WHEN it is picked with 사진 폴더 열기… for the pillar
    THEN the pillar shows the first photo and next shows the second."""
    window, p, clock = console
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (90, 160), CYAN).save(photos / "01.png")
    Image.new("RGB", (90, 160), MAGENTA).save(photos / "02.png")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(photos)))
    window.deck_wall.setCurrentIndex(2)
    click(qtbot, window.photos_button)
    settle(p, lambda: near(centre(p.latest["pillar"]), CYAN))
    assert "2 pages loaded on pillar" in window.feedback.text()
    p.handle_key("PageDown")  # the clicker now drives the pillar, the wall with the deck
    settle(p, lambda: near(centre(p.latest["pillar"]), MAGENTA))


def test_the_review_queue_is_read_off_the_main_thread(console, qtbot, monkeypatch):
    """GIVEN the intake database read through a spy  WHEN the console reads the queue
    THEN the read ran on another thread than the one that presents the walls' frames."""
    from signage.intake import store

    window, p, clock = console
    threads = []
    real = store.pending

    def spy(path):
        threads.append(threading.current_thread())
        return real(path)

    monkeypatch.setattr(store, "pending", spy)
    reads = window.queue_box.reads
    window.refresh_queue(force=True)
    qtbot.waitUntil(lambda: window.queue_box.reads > reads, timeout=3000)
    assert threads and threading.main_thread() not in threads
