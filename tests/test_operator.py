"""Operator actions: overrides, expiry on a fake clock, next/prev, the clicker, the HTTP API."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from signage.app import Player
from signage.config.loader import load_hall
from signage.control.api import ControlServer
from signage.control.operations import CommandError
from signage.live import LoadState
from signage.playback.clock import FakeClock
from tests.helpers import at
from tests.media_factory import hall, write_image
from tests.test_player import BLUE, GREEN, RED, centre

PLAYLISTS = {
    "loop": "defaults: {duration: 10s, transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n",
    "deck": "defaults: {transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n  - image: m/blue.png\n",
}
EVENT = ('  events:\n    - {name: 발표, start: "2026-12-03 14:00", end: "2026-12-03 15:00",'
         " displays: {pillar: {playlist: deck, advance: manual}}}\n")


@pytest.fixture
def player(qapp, tmp_path):
    (tmp_path / "m").mkdir()
    for name, colour in (("red", RED), ("green", GREEN), ("blue", BLUE)):
        write_image(tmp_path / f"m/{name}.png", size=(160, 90), colour=colour)
    config = hall(tmp_path, PLAYLISTS, schedule=EVENT)
    clock = FakeClock(at("2026-12-03 10:00:00"))
    p = Player(load_hall(config, check_assets=False), headless=False, clock=clock, var_dir=tmp_path / "var")
    p.start(timers=False)
    settle(p)
    yield p, clock
    p.stop()


def settle(p, condition=None, limit=5.0):
    deadline = time.monotonic() + limit
    while len(p.latest) < len(p.runners) or (condition is not None and not condition()):
        assert time.monotonic() < deadline, "not settled"
        time.sleep(0.005)
        p.tick()


def test_black_with_expiry_resumes_the_schedule_by_itself(player):
    p, clock = player
    p.ops.hold("black", ["front"], clock.now(), "console", "90s")
    settle(p, lambda: centre(p.latest["front"]) == (0, 0, 0))
    assert centre(p.latest["rear"]) == RED  # only the wall asked for
    clock.advance(89)
    p.tick()
    assert centre(p.latest["front"]) == (0, 0, 0)
    clock.advance(1)
    settle(p, lambda: centre(p.latest["front"]) != (0, 0, 0))
    assert p.ops.status(clock.now())["displays"]["front"]["operator"] is None
    assert [a.action for a in p.live.history] == ["black", "expired"]
    p.stop()  # the actions are stored with who and when
    import sqlite3

    rows = sqlite3.connect(p.var_dir / "plays.sqlite").execute(
        "SELECT at, by, action, displays, detail FROM operator_actions ORDER BY id").fetchall()
    assert rows[0] == ("2026-12-03T10:00:00+09:00", "console", "black", "front", "until 2026-12-03T10:01:30+09:00")
    assert rows[1][1:4] == ("system", "expired", "front")


def test_freeze_holds_the_frame_while_the_schedule_moves(player):
    p, clock = player
    p.ops.hold("freeze", ["rear"], clock.now(), "console")
    clock.advance(10)  # the loop moves to green
    settle(p, lambda: centre(p.latest["front"]) == GREEN)
    assert centre(p.latest["rear"]) == RED
    p.ops.resume(["rear"], clock.now(), "console")
    settle(p, lambda: centre(p.latest["rear"]) == GREEN)


def test_message_on_all_walls_then_clear(player):
    p, clock = player
    p.ops.message("긴급 안내", "all", clock.now(), "console")
    settle(p, lambda: all(centre(c) != RED for c in p.latest.values()))
    status = p.ops.status(clock.now())
    assert all(w["operator"]["kind"] == "message" and w["source"] == "operator" for w in status["displays"].values())
    p.ops.resume("all", clock.now(), "console")
    settle(p, lambda: centre(p.latest["front"]) == RED)


def test_next_and_prev_on_a_time_addressed_loop(player):
    p, clock = player
    clock.advance(3)
    p.ops.step(1, ["front"], clock.now(), "console")
    settle(p, lambda: centre(p.latest["front"]) == GREEN)
    assert centre(p.latest["rear"]) == RED  # the other walls keep their time
    p.ops.step(-1, ["front"], clock.now(), "console")
    settle(p, lambda: centre(p.latest["front"]) == RED)


def test_clicker_drives_the_manual_deck_wall(player):
    p, clock = player
    clock.set(at("2026-12-03 14:00:01"))
    settle(p, lambda: centre(p.latest["pillar"]) == RED)
    assert p.key_target(clock.now()) == "pillar"
    assert p.handle_key("PageDown") == "next"
    settle(p, lambda: centre(p.latest["pillar"]) == GREEN)
    p.handle_key("Space")
    p.handle_key("Right")  # past the last page: stays on it
    settle(p, lambda: centre(p.latest["pillar"]) == BLUE)
    p.handle_key("PageUp")
    settle(p, lambda: centre(p.latest["pillar"]) == GREEN)
    p.handle_key("B")
    settle(p, lambda: centre(p.latest["pillar"]) == (0, 0, 0))
    p.handle_key("Period")  # the blank button again: back
    settle(p, lambda: centre(p.latest["pillar"]) == GREEN)
    p.handle_key("B")
    p.handle_key("F5")  # remotes alternate F5/Esc on one button: either ends the blank
    settle(p, lambda: centre(p.latest["pillar"]) == GREEN)
    assert p.handle_key("x") is None


def test_keys_pressed_on_an_output_window_reach_the_player(player, qtbot):
    p, clock = player
    from PySide6.QtCore import Qt

    clock.set(at("2026-12-03 14:00:01"))
    settle(p, lambda: centre(p.latest["pillar"]) == RED)
    qtbot.keyClick(p.windows["front"], Qt.Key.Key_PageDown)
    settle(p, lambda: centre(p.latest["pillar"]) == GREEN)


def test_load_a_deck_and_refusals(player, tmp_path):
    p, clock = player
    from PIL import Image

    pages = [Image.new("RGB", (160, 90), c) for c in (BLUE, GREEN)]
    pages[0].save(tmp_path / "talk.pdf", save_all=True, append_images=pages[1:])
    result = p.ops.load(str(tmp_path / "talk.pdf"), "front", clock.now(), "console")
    assert result["pages"] == 2
    settle(p, lambda: max(abs(a - b) for a, b in zip(centre(p.latest["front"]), BLUE, strict=True)) < 8)
    with pytest.raises(CommandError) as info:
        p.ops.load(str(tmp_path / "nothing.pdf"), "front", clock.now(), "console")
    assert info.value.status == 404
    (tmp_path / "talk.txt").write_text("hi")
    with pytest.raises(CommandError) as info:
        p.ops.load(str(tmp_path / "talk.txt"), "front", clock.now(), "console")
    assert info.value.status == 415
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    import shutil

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        with pytest.raises(CommandError, match="LibreOffice is not installed"):
            p.ops.load(str(tmp_path / "slides.pptx"), "front", clock.now(), "console")
    else:  # a broken presentation: converted off the main thread, refused, the deck stays
        result = p.ops.load(str(tmp_path / "slides.pptx"), "front", clock.now(), "console")
        assert result["state"] == "converting"
        settle(p, lambda: p.live.loads["front"].state != LoadState.CONVERTING, limit=120)
        assert p.live.loads["front"].state == LoadState.FAILED and p.live.loads["front"].reason
        assert p.live.deck_at("front", clock.now()).path == (tmp_path / "talk.pdf").resolve()


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice converts presentations")
def test_a_powerpoint_deck_is_converted_and_shown(player):
    """tests/data/ir-deck.pptx: three slides with Hangul, made with python-pptx."""
    p, clock = player
    deck = Path(__file__).parent / "data/ir-deck.pptx"
    result = p.ops.load(str(deck), "front", clock.now(), "console")
    assert result["state"] == "converting"
    settle(p, lambda: p.live.loads["front"].state != LoadState.CONVERTING, limit=120)
    assert p.live.loads["front"].pages == 3 and p.live.loads["front"].deck.name == "ir-deck.pdf"
    settle(p, lambda: centre(p.latest["front"]) == (255, 255, 255))  # the slide's white page
    p.ops.step(1, ["front"], clock.now(), "clicker")
    assert p.live.deck_at("front", clock.now()).index == 1


# ---- the HTTP API on loopback -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, command, body=None, token=None, raw=None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/{command}", data=data,
                                 method="GET" if data is None else "POST")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def over_http(p, fn):
    """Make the HTTP call from a thread while the Qt main thread runs the player's events."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("r", fn()))
    thread.start()
    deadline = time.monotonic() + 10
    while thread.is_alive():
        assert time.monotonic() < deadline
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.processEvents()
        time.sleep(0.002)
    thread.join()
    return box["r"]


@pytest.fixture
def api(player):
    p, clock = player
    port = free_port()
    server = ControlServer(p.ops, p.bridge.submit, clock, "127.0.0.1", port, token="s3cret")
    server.start()
    yield p, clock, port
    server.stop()


def test_api_commands_over_real_http(api):
    p, clock, port = api
    code, body = over_http(p, lambda: request(port, "black", {"display": "rear", "for": "10m"}, "s3cret"))
    assert code == 200 and body["displays"] == ["rear"] and body["until"] == "2026-12-03T10:10:00+09:00"
    code, status = over_http(p, lambda: request(port, "status", token="s3cret"))
    assert code == 200 and status["displays"]["rear"]["operator"]["kind"] == "black"
    assert status["actions"][-1]["by"] == "api 127.0.0.1"
    code, _ = over_http(p, lambda: request(port, "message", {"text": "안녕하세요", "display": ["front", "pillar"]}, "s3cret"))
    assert code == 200
    assert p.live.hold_at("pillar", clock.now()).text == "안녕하세요"


@pytest.mark.parametrize(("command", "body", "raw", "token", "status"), [
    ("black", {"display": "rear"}, None, None, 401),
    ("black", {"display": "rear"}, None, "wrong", 401),
    ("black", {"display": "ceiling"}, None, "s3cret", 404),
    ("explode", {}, None, "s3cret", 404),
    ("black", None, b"{not json", "s3cret", 400),
    ("black", None, b"[1, 2]", "s3cret", 400),
    ("black", None, b"x" * 70_000, "s3cret", 413),
    ("message", {"text": ""}, None, "s3cret", 400),
    ("black", {"for": "forever"}, None, "s3cret", 400),
    ("load", {"path": "/nonexistent/deck.pdf", "display": "front"}, None, "s3cret", 404),
    ("load", {"path": "/etc/hostname", "display": ["front", "rear"]}, None, "s3cret", 400),
])
def test_bad_requests_get_4xx_and_change_nothing(api, command, body, raw, token, status):
    p, clock, port = api
    before = (dict(p.operator.holds), dict(p.operator.decks), p.operator.version)
    code, reply = over_http(p, lambda: request(port, command, body, token, raw))
    assert code == status and reply["ok"] is False and reply["error"]
    assert (dict(p.operator.holds), dict(p.operator.decks), p.operator.version) == before


def test_binding_beyond_loopback_needs_a_token(player):
    p, clock = player
    with pytest.raises(ValueError, match="token"):
        ControlServer(p.ops, p.bridge.submit, clock, "0.0.0.0", free_port(), token=None)
