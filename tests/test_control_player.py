"""The control API inside a running Player: a port in use, control settings changed while
playing, the hall's identity and live snapshots for the web app (real HTTP on loopback)."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import urllib.error
import urllib.request

import pytest
from PIL import Image

from signage.app import Player
from signage.config.loader import load_hall
from signage.control.identity import config_id
from signage.i18n import set_language
from signage.playback.clock import FakeClock
from tests.helpers import at
from tests.media_factory import hall, write_image
from tests.test_operator import free_port, over_http, request, settle
from tests.test_player import RED

PLAYLISTS = {"loop": "defaults: {duration: 10s, transition: cut}\nitems:\n  - image: m/red.png\n"}


def write_config(config, control: str) -> None:
    text = config.read_text(encoding="utf-8").split("control:")[0] + f"control: {control}\n"
    before = config.stat().st_mtime_ns
    config.write_text(text, encoding="utf-8")
    os.utime(config, ns=(before + 10**9, before + 10**9))  # the watcher sees it whatever the clock


@pytest.fixture
def make_player(qapp, tmp_path):
    made = []

    def make(control: str) -> Player:
        folder = tmp_path / f"hall{len(made)}"
        (folder / "m").mkdir(parents=True)
        write_image(folder / "m/red.png", size=(160, 90), colour=RED)
        config = hall(folder, PLAYLISTS)
        write_config(config, control)
        p = Player(load_hall(config, check_assets=False), headless=False, clock=FakeClock(at("2026-12-03 10:00:00")),
                   var_dir=folder / "var")
        p.start(timers=False)
        settle(p)
        made.append(p)
        return p

    yield make
    for p in made:
        p.stop()


def get(port, path, token=None, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read()


def test_a_port_in_use_is_named_with_its_setting_and_the_walls_play_on(make_player, caplog):
    """GIVEN another program on the control port WHEN the player opens its API
    THEN one Korean log line names the port and the setting that changes it, and the walls play."""
    set_language("ko")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        p = make_player(f"{{port: {port}}}")
        with caplog.at_level(logging.INFO, logger="signage.api"):
            p.start_api()
    assert p.api is None
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(lines) == 1 and f"포트 {port}" in lines[0] and "control: {port:" in lines[0]
    assert "화면은 계속 재생합니다" in lines[0]
    p.tick()
    assert set(p.latest) == {"front", "rear", "pillar"}


def test_a_new_token_applies_while_playing(make_player):
    """GIVEN a player whose API takes token "old" WHEN config.yaml says token "new"
    THEN after the reload "old" gets 401 and "new" works, on the same port."""
    port = free_port()
    p = make_player(f"{{port: {port}, token: old}}")
    p.start_api()
    assert over_http(p, lambda: request(port, "status", token="old"))[0] == 200
    write_config(p.hall.config_path, f"{{port: {port}, token: new}}")
    assert p.reload_if_changed()
    assert over_http(p, lambda: request(port, "status", token="old"))[0] == 401
    assert over_http(p, lambda: request(port, "status", token="new"))[0] == 200


def test_a_new_port_applies_while_playing(make_player):
    first, second = free_port(), free_port()
    p = make_player(f"{{port: {first}}}")
    p.start_api()
    write_config(p.hall.config_path, f"{{port: {second}}}")
    assert p.reload_if_changed()
    code, body = over_http(p, lambda: request(second, "black", {"display": "rear"}))
    assert code == 200 and body["displays"] == ["rear"]
    with pytest.raises(urllib.error.URLError):
        request(first, "status")


def test_a_new_port_that_is_taken_keeps_the_old_one_serving(make_player, caplog):
    set_language("ko")
    first = free_port()
    p = make_player(f"{{port: {first}}}")
    p.start_api()
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        taken = other.getsockname()[1]
        write_config(p.hall.config_path, f"{{port: {taken}}}")
        with caplog.at_level(logging.INFO, logger="signage.api"):
            assert p.reload_if_changed()
    assert over_http(p, lambda: request(first, "status"))[0] == 200
    line = next(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert f"포트 {taken}" in line and "다시 시작" in line and str(first) in line


def test_the_hall_and_live_snapshots_for_the_web_app(make_player):
    """GIVEN a playing hall WHEN the web app asks for the hall and a wall's snapshot
    THEN it gets the hall's identity, labels and sizes, and a PNG of what the wall shows now."""
    port = free_port()
    p = make_player(f"{{port: {port}}}")
    p.start_api()
    code, kind, data = over_http(p, lambda: get(port, "/api/hall"))
    info = json.loads(data)
    assert code == 200 and kind.startswith("application/json")
    assert info["hall"] == {"id": config_id(p.hall.config_path), "name": "테스트 홀",
                            "config": str(p.hall.config_path.resolve())}
    assert info["rehearsal"] is False and info["missing_screens"] == {}
    assert info["displays"]["pillar"]["size"] == [1080, 1920]
    assert info["displays"]["front"]["snapshot"] == "/api/snapshot/front.png"
    code, kind, png = over_http(p, lambda: get(port, "/api/snapshot/pillar.png"))
    assert code == 200 and kind == "image/png"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1080, 1920) and image.getpixel((540, 960)) == RED
    code, _, png = over_http(p, lambda: get(port, "/api/snapshot/front.png?width=320"))
    assert code == 200 and Image.open(io.BytesIO(png)).size == (320, 180)
    assert over_http(p, lambda: get(port, "/api/snapshot/ceiling.png"))[0] == 404
    assert over_http(p, lambda: get(port, "/api/snapshot/front.png?width=big"))[0] == 400
    code, _, data = over_http(p, lambda: get(port, "/api/status"))
    status = json.loads(data)
    assert status["hall_id"] == info["hall"]["id"] and status["config"] == info["hall"]["config"]


def test_a_command_meant_for_another_hall_changes_nothing(make_player):
    port = free_port()
    p = make_player(f"{{port: {port}}}")
    p.start_api()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/black", data=b'{"display": "all"}', method="POST",
                                 headers={"X-Signage-Hall": "0123456789abcdef"})
    with pytest.raises(urllib.error.HTTPError) as info:  # refused before it reaches the main thread
        urllib.request.urlopen(req, timeout=10)
    reply = json.loads(info.value.read())
    assert info.value.code == 421 and reply["code"] == "wrong_hall" and reply["hall"]["name"] == "테스트 홀"
    info.value.close()
    assert p.operator.holds == {}


def test_opening_the_api_to_the_network_on_the_same_port(make_player):
    """GIVEN the API on 127.0.0.1:P WHEN config.yaml opens it on 0.0.0.0:P with a token
    THEN the old server lets go of the port and the new one answers, token required."""
    port = free_port()
    p = make_player(f"{{port: {port}}}")
    p.start_api()
    write_config(p.hall.config_path, f"{{bind: 0.0.0.0, port: {port}, token: t0k}}")
    assert p.reload_if_changed()
    assert p.api is not None and p.api.address[0] == "0.0.0.0"
    assert over_http(p, lambda: request(port, "status"))[0] == 401
    assert over_http(p, lambda: request(port, "status", token="t0k"))[0] == 200


def test_opening_the_api_to_the_network_without_a_token_is_refused_and_it_stays(make_player, caplog):
    port = free_port()
    p = make_player(f"{{port: {port}}}")
    p.start_api()
    write_config(p.hall.config_path, f"{{bind: 0.0.0.0, port: {port}}}")
    with caplog.at_level(logging.INFO):
        assert not p.reload_if_changed()  # a configuration error: the last good one keeps playing
    assert p.api.address[0] == "127.0.0.1"
    assert over_http(p, lambda: request(port, "status"))[0] == 200
    assert any("control.token" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_disabling_the_api_while_playing_closes_it(make_player):
    port = free_port()
    p = make_player(f"{{port: {port}}}")
    p.start_api()
    write_config(p.hall.config_path, f"{{enabled: false, port: {port}}}")
    assert p.reload_if_changed() and p.api is None
    with pytest.raises(urllib.error.URLError):
        request(port, "status")
