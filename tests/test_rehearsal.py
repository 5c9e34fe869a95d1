"""A rehearsal (``signage run --start-at T``) never touches the real proof of play."""

from __future__ import annotations

import sqlite3
import time

from signage.app import Player
from signage.config.loader import load_hall
from signage.playback.clock import FakeClock
from tests.helpers import at
from tests.media_factory import hall, write_image


def test_a_rehearsal_records_into_its_own_database(qapp, tmp_path, caplog):
    # GIVEN a hall, and a player started as a rehearsal of a future afternoon
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/red.png", size=(160, 90))
    config = hall(tmp_path, {"p": "defaults: {duration: 1s, transition: cut}\nitems:\n  - image: m/red.png\n"},
                  displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    clock = FakeClock(at("2026-12-24 14:00"))
    player = Player(load_hall(config, check_assets=False), headless=True, clock=clock, var_dir=tmp_path / "var",
                    rehearsal=True)
    assert player.rehearsal is True  # the console shows its 리허설 banner from this
    try:
        # WHEN it plays a few items
        player.start(timers=False)
        for _ in range(30):
            clock.advance(0.1)
            player.tick()
            time.sleep(0.002)
    finally:
        player.stop()
    # THEN its plays are in var/rehearsal/plays.sqlite and the real proof of play is untouched
    assert not (tmp_path / "var/plays.sqlite").exists()
    with sqlite3.connect(tmp_path / "var/rehearsal/plays.sqlite") as db:
        started = [r[0] for r in db.execute("SELECT started FROM plays")]
    assert started and all(s.startswith("2026-12-24T14:00") for s in started)
    assert any("rehearsal" in r.getMessage() and "var/rehearsal/plays.sqlite" in r.getMessage() for r in caplog.records)


def test_a_player_is_not_a_rehearsal_by_default(qapp, tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/red.png", size=(160, 90))
    config = hall(tmp_path, {"p": "items:\n  - image: m/red.png\n"}, displays="  front: {screen: HDMI-1, size: [320, 180]}\n")
    player = Player(load_hall(config, check_assets=False), headless=True, clock=FakeClock(at("2026-12-24 14:00")),
                    var_dir=tmp_path / "var")
    player.stop()
    assert player.rehearsal is False and player.play_log.path == tmp_path / "var/plays.sqlite"
