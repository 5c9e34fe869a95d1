"""Sound without a sound card: which steps sound, cue envelopes, the runner hooks, and the engine
feeding a fake output on a fake clock (time is passed in; nothing waits for real time)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from signage.audio import RATE
from signage.audio.hall import HallSound
from signage.audio.nullsink import onsets
from signage.audio.output import OutputError
from signage.audio.plan import HOLD_FADE_S, RAMP_S, Cue, Rules, sounds
from signage.config.models import AudioConfig, HallConfig
from signage.playback.planner import Showing
from signage.playback.steps import Step
from signage.schedule.timeline import Slot
from tests.helpers import at

NOON = at("2026-12-03 12:00")


def video(path="clip.mp4", transition=("cut", 0.0), campaign=None, index=0):
    return Step(index, "video", Path(path), None, 10.0, "contain", transition, "#000000", campaign=campaign)


def showing(step, source="event", operator=None, mode="play", offset=0.0, start=NOON, index=0):
    slot = Slot("front", NOON - dt.timedelta(hours=1), NOON + dt.timedelta(hours=1), "p", source, "n")
    return Showing("front", mode, slot, step, index, offset, start, start + dt.timedelta(seconds=10), operator=operator)


# ---- which steps sound ------------------------------------------------------------------------

@pytest.mark.parametrize(("step", "source", "operator", "expected"), [
    (video(), "event", None, True),  # events aloud by default
    (video(), "default", None, False),  # the house loop stays quiet
    (video(), "daypart", None, False),
    (video(campaign=3), "event", None, False),  # promos silent unless asked
    (Step(0, "image", Path("a.png"), None, 5.0, "contain", ("cut", 0.0), "#000"), "event", None, False),
    (video(), "event", "freeze", False),  # a hold never sounds
])
def test_which_showings_sound(step, source, operator, expected):
    # GIVEN the default rules WHEN a wall shows a step THEN it sounds only as the hall asked
    assert sounds(showing(step, source, operator), Rules()) is expected


def test_house_and_promos_can_play_aloud():
    rules = Rules(events=False, house=True, promos=True)
    assert sounds(showing(video(), "default"), rules) and sounds(showing(video(campaign=1), "default"), rules)
    assert not sounds(showing(video(), "event"), rules)


# ---- envelopes --------------------------------------------------------------------------------

def test_a_cut_is_a_short_ramp_with_no_jump():
    # GIVEN a cue cut at t=10 WHEN its gain is sampled THEN it reaches 0 within RAMP_S, in small steps
    cue = Cue(("a",), Path("a"), zero=0.0, start=0.0, fade_in=RAMP_S)
    cue.ending(10.0, RAMP_S, head=0.0)
    t = 9.99 + np.arange(int(0.03 * RATE)) / RATE
    g = cue.gain(t)
    assert g[0] == 1.0 and g[-1] == 0.0
    assert np.abs(np.diff(g)).max() <= 1.0 / (RAMP_S * RATE) + 1e-9
    assert t[np.argmax(g == 0)] <= 10.0 + RAMP_S + 1 / RATE


def test_an_ending_never_reaches_back_before_what_the_output_already_has():
    # GIVEN the output holds sound up to head=5.06 WHEN a hold ends the cue "at 5.0" THEN the fade
    # starts at the head (what is written cannot change) and lasts HOLD_FADE_S
    cue = Cue(("a",), Path("a"), zero=0.0, start=0.0, fade_in=RAMP_S)
    cue.ending(5.0, HOLD_FADE_S, head=5.06)
    assert cue.end == pytest.approx(5.06 + HOLD_FADE_S)
    cue.ending(9.0, RAMP_S, head=5.1)  # a later ending does not extend it
    assert cue.end == pytest.approx(5.06 + HOLD_FADE_S)


# ---- hooks from the runner --------------------------------------------------------------------

class FakeEngine:
    def __init__(self, device=None, volume=1.0):
        self.lock = threading.Lock()
        self.cues: list[Cue] = []
        self.head = None
        self.volume, self.muted, self.playing = volume, False, True
        self.stats = {"corrections": 0, "underruns": 0, "cpu_s": 0.0}

    def wake(self):
        pass

    def set_volume(self, v):
        self.volume = v

    def close(self):
        pass


def sound(**kw):
    return HallSound(AudioConfig(**kw), engine_factory=FakeEngine)


def test_a_hold_fades_out_and_resuming_comes_back_where_the_picture_is():
    hall = sound()
    clip = showing(video())
    # GIVEN a clip playing aloud from mono 100
    hall.switched("front", clip, zero=100.0, now=NOON, mono=100.0)
    (cue,) = hall.engine.cues
    assert cue.zero == 100.0 and cue.end is None
    # WHEN the operator blacks the wall at mono 104 (the output holds sound up to 104.05)
    hall.engine.head = 104.05
    black = Showing("front", "dark", clip.slot, None, step_start=NOON, operator="black")
    hall.switched("front", black, zero=104.0, now=NOON + dt.timedelta(seconds=4), mono=104.0)
    # THEN the sound fades out from what is already written, over HOLD_FADE_S
    assert cue.end == pytest.approx(104.05 + HOLD_FADE_S) and cue.fade_out == HOLD_FADE_S
    # WHEN it resumes at mono 110, 10 s into the clip's schedule (time-addressed)
    hall.engine.head = 110.05
    back = showing(video(), offset=10.0, start=NOON)
    hall.switched("front", back, zero=100.0, now=NOON + dt.timedelta(seconds=10), mono=110.0)
    new = hall.engine.cues[-1]
    # THEN the sound comes back at the picture's position, fading in
    assert new is not cue and new.zero == 100.0 and new.fade_in == HOLD_FADE_S and new.start == 110.0


def test_a_planned_cut_lands_on_the_boundary_and_a_cross_fade_fades_both():
    hall = sound()
    first = showing(video("a.mp4"))
    hall.switched("front", first, zero=100.0, now=NOON, mono=100.0)
    (a,) = hall.engine.cues
    # GIVEN the next item (a cut) is prepared a second early WHEN the runner announces it
    nxt = showing(video("b.mp4", index=1), start=NOON + dt.timedelta(seconds=10), index=1)
    hall.upcoming("front", nxt, NOON + dt.timedelta(seconds=10))
    b = hall.engine.cues[-1]
    # THEN a ramps out at the boundary (mono 110) and b starts there, placed on the clock
    assert a.end == pytest.approx(110.0 + RAMP_S) and b.start == pytest.approx(110.0)
    assert b.zero == pytest.approx(110.0) and b.fade_in == RAMP_S
    # WHEN the runner switches to it THEN the planned cue is kept (no second copy)
    hall.switched("front", nxt, zero=110.0, now=NOON + dt.timedelta(seconds=10), mono=110.0)
    assert hall.engine.cues[-1] is b and len(hall.engine.cues) == 2
    # GIVEN a third item that fades in over 1 s WHEN it is announced THEN both sounds fade over 1 s
    third = showing(video("c.mp4", ("fade", 1.0), index=2), start=NOON + dt.timedelta(seconds=20), index=2)
    hall.upcoming("front", third, NOON + dt.timedelta(seconds=20))
    c = hall.engine.cues[-1]
    assert b.end == pytest.approx(121.0) and b.fade_out == 1.0 and c.fade_in == 1.0


def test_other_walls_make_no_sound_and_no_block_means_no_engine():
    hall = sound(display="front", house=True)
    rear = Showing("rear", "play", None, video(), offset=0.0)
    hall.switched("rear", rear, zero=0.0, now=NOON, mono=0.0)
    assert hall.engine.cues == []
    silent = HallSound(None)
    assert not silent.enabled and silent.status() == {"enabled": False}
    silent.switched("front", showing(video()), 0.0, NOON, 0.0)  # harmless


def test_mute_volume_and_status():
    hall = sound(volume=80)
    assert hall.status()["volume"] == 80
    hall.mute()
    assert hall.status()["muted"] is True
    hall.unmute()
    hall.set_volume(30)
    status = hall.status()
    assert {k: status[k] for k in ("enabled", "display", "device", "volume", "muted", "output_ok", "sounding")} == {
        "enabled": True, "display": "front", "device": None, "volume": 30, "muted": False, "output_ok": True,
        "sounding": False}


# ---- config -----------------------------------------------------------------------------------

def test_audio_block_is_optional_and_checked(tmp_path):
    from signage.config.loader import load_hall
    from signage.config.problems import ConfigError
    from tests.media_factory import hall as make_hall
    from tests.media_factory import write_image

    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/a.png")
    config = make_hall(tmp_path, {"p": "items:\n  - image: m/a.png\n"})
    assert load_hall(config).config.audio is None  # no block: silent walls, as before
    text = config.read_text()
    config.write_text(text + "audio: {device: hall, volum: 50, display: frnt}\n")
    with pytest.raises(ConfigError) as err:
        load_hall(config)
    messages = "\n".join(str(p) for p in err.value.problems)
    assert "'volum'" in messages and "did you mean 'volume'" in messages
    config.write_text(text + "audio: {device: hall, volume: 50, display: frnt}\n")
    with pytest.raises(ConfigError) as err:
        load_hall(config)
    assert "unknown display 'frnt'" in str(err.value.problems[0]) and "did you mean 'front'" in str(err.value.problems[0])
    config.write_text(text + "audio: {volume: 150}\n")
    with pytest.raises(ConfigError):
        load_hall(config)
    config.write_text(text + "audio: {device: hall, volume: 50}\n")
    audio = load_hall(config).config.audio
    assert (audio.display, audio.volume, audio.events, audio.house, audio.promos) == ("front", 50, True, False, False)
    assert HallConfig.model_fields["audio"].default is None


# ---- the engine on a fake output and a fake clock ---------------------------------------------
#
# The engine runs without its thread: the test calls ``step()`` (one iteration of the sound
# thread) and the fake output moves the fake clock by exactly the length of what is written, so
# time, latency changes and failures happen at exact samples, however loaded the machine is.

class FakeTime:
    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t


class FakeServer:
    """The sound server the engine sees: its latency (a function of the fake clock), whether it is
    down, and everything written (as (time heard, left channel)) to its one output."""

    def __init__(self, latency=lambda t: 0.05):
        self.clock, self.record = FakeTime(1000.0), []
        self.latency_at = latency
        self.fail: str | None = None

    def output(self, device):
        if self.fail:
            raise OutputError(self.fail)
        return FakeOutput(self)

    def engine(self, cues=()):
        from signage.audio.engine import SoundEngine

        engine = SoundEngine(None, 1.0, monotonic=self.clock, output=self.output, outputs=lambda: ("fake", []),
                             thread=False)
        engine.cues.extend(cues)
        return engine

    def run(self, engine, until):
        """Step the engine until the fake clock reaches ``until`` (it moves only as sound is written)."""
        for _ in range(100_000):
            if self.clock.t >= until:
                return engine
            engine.step()
        raise AssertionError("the engine stopped writing")


class FakeOutput:
    """Plays what is written ``latency`` later; every write moves the fake clock by its length."""

    def __init__(self, server):
        self.server = server

    def latency(self):
        return self.server.latency_at(self.server.clock.t)

    def write(self, samples):
        server = self.server
        server.record.append((server.clock.t + self.latency(), samples[:, 0].copy()))
        server.clock.t += len(samples) / RATE

    def close(self):
        pass


@pytest.fixture
def beep_clip(tmp_path_factory):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (Debian: apt-get install ffmpeg)")
    from signage.perf.audio_bench import make_clip

    return make_clip(tmp_path_factory.mktemp("clips") / "beep-4s.mp4", 4.0)


def heard(record, since=0.0):
    """The written sound as (samples, time of sample 0), from the first chunk at or after ``since``."""
    chunks = [(t, s) for t, s in record if t >= since]
    return np.concatenate([s for _, s in chunks]), chunks[0][0]


def test_each_beep_is_heard_when_its_flash_is_due(beep_clip):
    # GIVEN a clip placed at mono 1000.5 (its beeps at 1000.5, 1001.5, ...) and an output 50 ms deep
    server = FakeServer()
    cue = Cue(("c",), beep_clip, zero=1000.5, start=1000.5, fade_in=RAMP_S)
    # WHEN the engine feeds it through 4 seconds of (fake) time
    server.run(server.engine([cue]), 1004.0).close()
    samples, zero = heard(server.record)
    # THEN each beep is heard within a millisecond of its place on the clock (the first one rises
    # through the cut's 5 ms ramp-in, so it crosses the detection level a little later)
    beeps = onsets(samples, zero)
    assert len(beeps) >= 3
    assert 0 <= beeps[0] - 1000.5 < 0.002
    assert all(abs(b - (1000.5 + i)) < 0.001 for i, b in enumerate(beeps[1:], 1))
    assert cue.heard_s > 2.5


def test_drift_is_corrected_by_skipping_not_resampling(beep_clip):
    # GIVEN an output that reports 20 ms more latency (its clock drifted) from mono 1001.2 on
    server = FakeServer(latency=lambda t: 0.05 if t < 1001.2 else 0.07)
    cue = Cue(("c",), beep_clip, zero=1000.5, start=1000.5, fade_in=RAMP_S)
    # WHEN the engine feeds the clip through it
    engine = server.run(server.engine([cue]), 1004.2)
    engine.close()
    # THEN one correction, and the later beeps are again where the clock says (within 1 ms)
    assert engine.stats["corrections"] == 1
    samples, zero = heard(server.record, since=1001.8)
    beeps = onsets(samples, zero)
    assert len(beeps) >= 2 and all(abs(b - round(b - 0.5) - 0.5) < 0.001 for b in beeps)


def test_no_output_is_logged_once_and_sound_comes_back_by_itself(beep_clip, caplog):
    from signage.audio.engine import RETRY_S

    # GIVEN no sound server
    server = FakeServer()
    server.fail = "server"
    cue = Cue(("c",), beep_clip, zero=1000.0 + 5 * RETRY_S, start=1000.0, fade_in=RAMP_S)  # beeps from 1010
    engine = server.engine([cue])
    with caplog.at_level(logging.WARNING, "signage.audio"):
        try:
            # WHEN the engine tries for five retry periods (stepped often in between)
            for _ in range(5 * 4):
                engine.step()
                server.clock.t += RETRY_S / 4
            # THEN it is logged once and nothing is written
            assert [r.getMessage() for r in caplog.records].count(
                "cannot reach the sound server (PulseAudio/PipeWire) — the walls keep playing, silent; "
                "sound returns with the server") == 1
            assert server.record == [] and not engine.playing
            # WHEN the server comes back THEN the engine reopens at its next retry and the sound flows
            server.fail = None
            server.clock.t += RETRY_S
            engine.step()
            assert engine.playing and "sound output is back" in caplog.text
            server.run(engine, server.clock.t + 1.5)
            assert onsets(*heard(server.record))
        finally:
            engine.close()


def test_a_corrupt_track_is_silence_logged_once(tmp_path, caplog):
    # GIVEN two cues of a clip whose track cannot be read
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8)
    server = FakeServer()
    cues = [Cue((i,), bad, zero=1000.0 + i, start=1000.0 + i, fade_in=RAMP_S) for i in range(2)]
    # WHEN the engine feeds both
    with caplog.at_level(logging.WARNING, "signage.audio"):
        server.run(server.engine(cues), 1002.5).close()
    # THEN the problem is logged once, and what is written is silence
    assert sum("bad.mp4" in r.getMessage() for r in caplog.records) == 1
    assert np.abs(heard(server.record)[0]).max() == 0.0


# ---- the player's runners drive the sound -----------------------------------------------------

def test_the_player_hooks_follow_the_sounding_wall_through_a_hold(qapp, tmp_path, monkeypatch):
    """GIVEN a hall whose house loop plays aloud on front WHEN a clip plays, the operator blacks
    the wall and resumes THEN the cue is placed at the picture's clock, fades on the hold, comes
    back at the picture's position; the rear wall (same playlist) never makes a cue."""
    from signage.app import Player
    from signage.audio import engine as engine_module
    from signage.config.loader import load_hall
    from signage.playback.clock import FakeClock
    from tests.media_factory import hall as make_hall
    from tests.media_factory import write_clip

    monkeypatch.setattr(engine_module, "SoundEngine", FakeEngine)
    (tmp_path / "m").mkdir()
    write_clip(tmp_path / "m/clip.mp4", size=(160, 90), seconds=4.0)
    config = make_hall(tmp_path, {"p": "items:\n  - video: m/clip.mp4\n"},
                       displays="  front: {screen: HDMI-1, size: [160, 90]}\n  rear: {screen: HDMI-2, size: [160, 90]}\n")
    config.write_text(config.read_text() + "audio: {display: front, house: true}\n")
    clock = FakeClock(at("2026-12-03 10:00:01"))
    player = Player(load_hall(config, check_assets=False), headless=True, clock=clock, var_dir=tmp_path / "var")
    try:
        player.start(timers=False)
        deadline = time.monotonic() + 5
        while not any(not c.pending for c in player.audio.engine.cues):  # the cold decoder places its first frame
            assert time.monotonic() < deadline
            time.sleep(0.005)
            player.tick()
        (cue,) = player.audio.engine.cues
        runner = player.runners["front"]
        assert cue.zero == pytest.approx(runner.active.zero_mono) and cue.end is None
        assert all(c.key[0] == "play" for c in player.audio.engine.cues)
        clock.advance(1.0)
        player.ops.hold("black", ["front"], clock.now(), "test")
        player.tick()
        assert cue.end == pytest.approx(clock.monotonic() + HOLD_FADE_S)
        clock.advance(1.0)
        player.ops.resume(["front"], clock.now(), "test")
        player.tick()
        back = [c for c in player.audio.engine.cues if c.key == runner.active.showing.identity][-1]
        assert back is not cue and back.fade_in == HOLD_FADE_S
        # the wall picks the clip up at the schedule's position (the clip loops every 4 s from 10:00:00)
        assert back.pending or back.zero == pytest.approx(runner.active.zero_mono)
        assert player.audio.aloud_s("rear", cue.key) is None
    finally:
        player.stop()
    # THEN proof of play says how long each front item was heard (the fake engine writes nothing: 0),
    # and NULL for the rear wall, which makes no sound
    import sqlite3

    with sqlite3.connect(tmp_path / "var" / "plays.sqlite") as conn:
        aloud = conn.execute("SELECT display, aloud_s FROM plays").fetchall()
    assert {d for d, _ in aloud} == {"front", "rear"}
    assert all((s is None) == (d == "rear") for d, s in aloud), aloud
