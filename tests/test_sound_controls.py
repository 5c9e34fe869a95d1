"""The operator's sound controls over real HTTP (the control API) and `signage ctl`: mute, unmute
and volume go through Operations, are recorded like the holds, and show in the status."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from signage.audio.hall import HallSound
from tests.test_audio import FakeEngine
from tests.test_control_api import TOKEN, Hall, ctl


def post(h: Hall, command: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{h.port}/api/{command}", method="POST",
                                     data=json.dumps(body or {}).encode(),
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def get_status(h: Hall) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{h.port}/api/status",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def sound_actions(h: Hall) -> list[tuple]:
    return [(a.by, a.action, a.displays, a.detail) for a in h.live.history if a.action in ("mute", "unmute", "volume")]


@pytest.fixture
def hall_api(tmp_path, request):
    """A hall whose config.yaml has ``audio:`` (front sounds) unless the test asks for none."""
    extra = "" if getattr(request, "param", True) is False else "audio: {display: front, volume: 80}\n"
    h = Hall(tmp_path / "hall", extra=extra)
    h.sound = HallSound(h.hall.config.audio, engine_factory=FakeEngine)
    h.ops.sound = h.sound
    h.running = h.server()
    h.running.start()
    yield h
    h.running.stop()


def test_mute_volume_and_unmute_over_http_are_recorded_and_in_the_status(hall_api):
    h = hall_api
    # GIVEN a hall sounding on front at 80% WHEN the API mutes it
    code, reply = post(h, "mute")
    # THEN the speakers are muted, the action is recorded on the sounding wall, the status says so
    assert code == 200 and reply == {"ok": True, "action": "mute", "displays": ["front"], "muted": True, "volume": 80}
    assert h.sound.engine.muted is True
    assert get_status(h)["audio"]["muted"] is True
    # WHEN the volume is set to 40 and the sound comes back
    assert post(h, "volume", {"volume": 40})[1]["volume"] == 40
    assert post(h, "unmute")[0] == 200
    # THEN the engine has it, and each change is one action in the log, by the API's client
    assert h.sound.engine.volume == pytest.approx(0.4) and h.sound.engine.muted is False
    status = get_status(h)["audio"]
    assert (status["enabled"], status["display"], status["volume"], status["muted"]) == (True, "front", 40, False)
    assert sound_actions(h) == [("api 127.0.0.1", "mute", ("front",), ""),
                                ("api 127.0.0.1", "volume", ("front",), "40%"),
                                ("api 127.0.0.1", "unmute", ("front",), "")]
    # WHEN both are sent at once (what the web app does) THEN both apply, two actions
    code, reply = post(h, "sound", {"muted": True, "volume": 55})
    assert code == 200 and (reply["muted"], reply["volume"]) == (True, 55)
    assert [a[1] for a in sound_actions(h)[-2:]] == ["volume", "mute"]


@pytest.mark.parametrize(("command", "body"), [
    ("volume", {"volume": 150}), ("volume", {"volume": "60"}), ("volume", {"volume": True}), ("volume", {}),
    ("sound", {"muted": "yes"}), ("sound", {"muted": True, "volume": -1}), ("sound", {}),
])
def test_bad_sound_requests_change_nothing(hall_api, command, body):
    # GIVEN a hall at 80% WHEN a request is wrong THEN 400 with a sentence, and nothing changes
    code, reply = post(hall_api, command, body)
    assert code == 400 and reply["ok"] is False and reply["error"]
    assert hall_api.sound.engine.volume == pytest.approx(0.8) and hall_api.sound.engine.muted is False
    assert sound_actions(hall_api) == []


@pytest.mark.parametrize("hall_api", [False], indirect=True)
def test_without_an_audio_block_sound_commands_are_refused(hall_api, capsys):
    # GIVEN a hall with no audio: block WHEN mute is asked THEN 409 no_sound, nothing recorded
    code, reply = post(hall_api, "mute")
    assert code == 409 and reply["code"] == "no_sound" and "audio:" in reply["error"]
    assert sound_actions(hall_api) == [] and get_status(hall_api)["audio"] == {"enabled": False}
    code, out, err = ctl(hall_api, capsys, "volume", "50")
    assert code != 0 and "audio:" in err


def test_ctl_mute_unmute_volume_say_it_in_korean(hall_api, capsys):
    # GIVEN a hall sounding on front WHEN the operator uses ctl THEN sentences, and the walls obey
    assert ctl(hall_api, capsys, "mute") == (0, "전면의 소리를 껐습니다 (음량 80%는 그대로)", "")
    assert ctl(hall_api, capsys, "volume", "30") == (0, "전면의 음량을 30%로 맞췄습니다 — 소리는 아직 꺼져 있습니다", "")
    assert ctl(hall_api, capsys, "unmute") == (0, "전면의 소리를 켰습니다 (음량 30%)", "")
    assert (hall_api.sound.engine.volume, hall_api.sound.engine.muted) == (pytest.approx(0.3), False)
    assert [a[:2] for a in sound_actions(hall_api)] == [("api 127.0.0.1", "mute"), ("api 127.0.0.1", "volume"),
                                                        ("api 127.0.0.1", "unmute")]
    code, out, _ = ctl(hall_api, capsys, "status")
    assert out.splitlines()[-1] == "소리: 전면, 음량 30%, 켜짐"
    code, out, err = ctl(hall_api, capsys, "volume", "loud")
    assert code != 0 and "0에서 100" in err and hall_api.sound.engine.volume == pytest.approx(0.3)
