"""The web app's sound controls: ``POST /api/v1/sound`` and the /live page's sound card, through
the player's control API over real HTTP; each change audited, and recorded by the player."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from signage.audio.hall import HallSound
from signage.config.loader import load_hall
from signage.control.api import ControlServer
from signage.control.operations import Operations
from signage.live import LiveHall
from signage.playback.catalog import Catalog
from signage.playback.clock import FakeClock as PlayClock
from signage.schedule import resolve
from tests.helpers import at
from tests.test_audio import FakeEngine
from tests.test_web_live import TOKEN, Walls, audit_actions, bearer, free_port
from tests.web_helpers import admin_client, clock, make_client  # noqa: F401


def start_player(hall_dir, audio: str):
    port = free_port()
    config = hall_dir / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\ncontrol: {{port: {port}, token: {TOKEN}}}\n" + audio,
                      encoding="utf-8")
    hall = load_hall(config, check_assets=False)
    play_clock = PlayClock(at("2026-12-03 10:00:00"))
    timeline = resolve(hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    live = LiveHall(hall, Catalog(), lambda now: timeline, deck_dir=hall_dir / "var/decks")
    sound = HallSound(hall.config.audio, engine_factory=FakeEngine)
    server = ControlServer(Operations(live, sound), lambda fn: fn(), play_clock, "127.0.0.1", port, TOKEN,
                           player=Walls(live, play_clock))
    server.start()
    return SimpleNamespace(live=live, sound=sound, server=server)


@pytest.fixture
def player(hall_dir):
    """GIVEN the sample hall, its front wall sounding at 80%, its control API on a free port."""
    p = start_player(hall_dir, "audio: {display: front, volume: 80}\n")
    yield p
    p.server.stop()


@pytest.fixture
def silent_player(hall_dir):
    p = start_player(hall_dir, "")
    yield p
    p.server.stop()


def sound_actions(live) -> list[tuple]:
    return [(a.action, a.displays, a.detail) for a in live.history if a.action in ("mute", "unmute", "volume")]


def test_sound_api_mutes_and_sets_the_volume_and_is_audited(player, hall_dir, clock):  # noqa: F811
    headers = bearer(hall_dir)
    with make_client(hall_dir, clock) as client:
        # WHEN a tool mutes the hall and sets 60% in one request
        done = client.post("/api/v1/sound", headers=headers, json={"muted": True, "volume": 60})
        # AND bad requests are refused with a reason
        bad = [client.post("/api/v1/sound", headers=headers, json=body).status_code
               for body in ({"volume": 101}, {"muted": "no"}, {}, {"volume": "60"})]
        walls = client.get("/api/v1/walls", headers=headers).json()
    # THEN the player has it, recorded as operator actions, audited by the web app, in the status
    assert done.status_code == 200 and (done.json()["muted"], done.json()["volume"]) == (True, 60)
    assert player.sound.engine.muted is True and player.sound.engine.volume == pytest.approx(0.6)
    assert bad == [400, 400, 400, 400]
    assert sound_actions(player.live) == [("volume", ("front",), "60%"), ("mute", ("front",), "")]
    assert [a for a in audit_actions(hall_dir) if a[1] == "live_sound"] == [
        ("op", "live_sound", "muted=True, volume=60 (front)")]
    assert walls["audio"] == {"enabled": True, "display": "front", "volume": 60, "muted": True, "output_ok": True}


def test_the_live_page_has_a_sound_card_that_mutes_and_sets_the_volume(player, admin_client):  # noqa: F811
    page = admin_client.get("/live")
    # GIVEN the hall sounds on front: the card is there with its state
    assert 'id="sound-card"' in page.text and "소리 나는 벽: 전면 · 소리 켜짐, 음량 80%" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # WHEN 소리 끄기 is pressed, then the volume set to 35 (as htmx sends the form)
    muted = admin_client.post("/live/sound", data={"csrf": csrf, "action": "mute"}, headers={"HX-Request": "true"})
    level = admin_client.post("/live/sound", data={"csrf": csrf, "action": "volume", "volume": "35"},
                              headers={"HX-Request": "true"})
    wrong = admin_client.post("/live/sound", data={"csrf": csrf, "action": "volume", "volume": "loud"},
                              headers={"HX-Request": "true"})
    # THEN Korean sentences, the player obeys, and the panel shows the new state
    assert "소리를 껐습니다 (전면)" in muted.text and muted.headers["HX-Trigger"] == "live-refresh"
    assert "음량을 35%로 맞췄습니다 (전면)" in level.text
    assert "0에서 100" in wrong.text and player.sound.engine.volume == pytest.approx(0.35)
    assert player.sound.engine.muted is True
    assert "소리 나는 벽: 전면 · 소리 꺼짐" in admin_client.get("/live/panel").text
    forged = admin_client.post("/live/sound", data={"action": "unmute"})
    assert forged.status_code == 403 and player.sound.engine.muted is True


def test_without_an_audio_block_there_is_no_sound_card_and_the_api_refuses(silent_player, admin_client, hall_dir):  # noqa: F811
    assert 'id="sound-card"' not in admin_client.get("/live").text
    reply = admin_client.post("/api/v1/sound", headers=bearer(hall_dir), json={"muted": True})
    assert reply.status_code == 409 and "audio:" in reply.json()["message"]
