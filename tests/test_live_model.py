"""The live model without Qt: layers per wall, the change feed, the clicker's wall, hold kinds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from signage.config.loader import load_hall
from signage.control.operations import CommandError, Operations
from signage.live import DeckLoad, LiveHall, LoadState, OperatorChanged, TargetChanged
from signage.playback.catalog import Catalog
from signage.playback.holds import HoldKind
from signage.schedule import resolve
from tests.helpers import at
from tests.media_factory import hall, write_image

ROOT = Path(__file__).resolve().parent.parent
RED, GREEN, BLUE = (220, 30, 30), (30, 200, 60), (30, 60, 220)
PLAYLISTS = {
    "loop": "defaults: {duration: 10s, transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n",
    "deck": "defaults: {transition: cut}\nitems:\n  - image: m/red.png\n  - image: m/green.png\n",
}
EVENT = ('  events:\n    - {name: 발표, start: "2026-12-03 14:00", end: "2026-12-03 15:00",'
         " displays: {pillar: {playlist: deck, advance: manual}}}\n")


@pytest.fixture
def model(tmp_path):
    (tmp_path / "m").mkdir()
    for name, colour in (("red", RED), ("green", GREEN)):
        write_image(tmp_path / f"m/{name}.png", size=(160, 90), colour=colour)
    pages = [Image.new("RGB", (160, 90), c) for c in (RED, GREEN, BLUE)]
    pages[0].save(tmp_path / "talk.pdf", save_all=True, append_images=pages[1:])
    h = load_hall(hall(tmp_path, PLAYLISTS, schedule=EVENT), check_assets=False)
    day = at("2026-12-03 00:00")
    timeline = resolve(h.config, day, day + dt.timedelta(days=1))
    live = LiveHall(h, Catalog(), lambda now: timeline, deck_dir=tmp_path / "decks")
    return live, Operations(live), tmp_path


def test_a_hold_on_a_loaded_deck_gives_the_deck_back_at_its_page(model):
    """GIVEN a PDF loaded on front and turned to page 3
    WHEN black is put on and lifted again (the blank key twice)
    THEN front shows the deck at page 3, not the schedule."""
    live, ops, tmp = model
    now = at("2026-12-03 10:00")
    ops.load(str(tmp / "talk.pdf"), "front", now, "console")
    ops.step(1, "front", now, "clicker")
    ops.step(1, "front", now, "clicker")
    ops.toggle("black", "front", now, "clicker")
    timeline = live.timeline(now)
    assert live.planner.showing(timeline, "front", now).operator is HoldKind.BLACK
    ops.toggle("black", "front", now, "clicker")
    showing = live.planner.showing(timeline, "front", now)
    assert showing.operator is HoldKind.DECK and showing.index == 2 and showing.step.page == 2


def test_an_expired_hold_gives_the_deck_back(model):
    """GIVEN a deck at page 2 under a message for 60 s  WHEN 60 s pass  THEN the deck is back at page 2."""
    live, ops, tmp = model
    now = at("2026-12-03 10:00")
    ops.load(str(tmp / "talk.pdf"), "front", now, "console")
    ops.step(1, "front", now, "console")
    ops.message("잠시 후 재개합니다", "front", now, "console", "60s")
    later = now + dt.timedelta(seconds=60)
    live.update(later)
    assert live.hold_at("front", later) is None
    showing = live.planner.showing(live.timeline(later), "front", later)
    assert showing.operator is HoldKind.DECK and showing.index == 1
    assert [a.action for a in live.history][-1] == "expired"


def test_resume_lifts_the_hold_first_then_returns_to_the_schedule(model):
    """GIVEN a deck with freeze on top, and rear moved ahead by next
    WHEN 일정 복귀 is pressed once  THEN the freeze is gone and the deck stays
    WHEN pressed again  THEN the deck is unloaded and rear is back on the schedule's clock."""
    live, ops, tmp = model
    now = at("2026-12-03 10:00:03")
    ops.load(str(tmp / "talk.pdf"), "front", now, "console")
    ops.hold("freeze", "front", now, "console")
    ops.step(1, "rear", now, "console")
    assert live.operator.shift_of("rear", at("2026-12-03 00:00")) != 0
    assert ops.resume("front,rear", now, "console")["result"] == {"front": "released", "rear": "schedule"}
    assert live.hold_at("front", now) is None and live.deck_at("front", now) is not None
    assert live.operator.shift_of("rear", at("2026-12-03 00:00")) == 0
    ops.resume("front", now, "console")
    assert live.deck_at("front", now) is None
    assert live.planner.showing(live.timeline(now), "front", now).operator is None


def test_explicit_unload_keeps_the_hold(model):
    live, ops, tmp = model
    now = at("2026-12-03 10:00")
    ops.load(str(tmp / "talk.pdf"), "front", now, "console")
    ops.hold("logo", "front", now, "console")
    assert ops.unload("front", now, "console")["displays"] == ["front"]
    assert live.deck_at("front", now) is None and live.hold_at("front", now).kind is HoldKind.LOGO


def test_no_display_means_the_clickers_wall_and_all_means_every_wall(model):
    """GIVEN no deck and no manual event  THEN a command without a display acts on front only;
    GIVEN the manual event on pillar  THEN on pillar; GIVEN a deck loaded on rear  THEN on rear first."""
    live, ops, tmp = model
    morning = at("2026-12-03 10:00:03")
    assert ops.step(1, None, morning, "api")["displays"] == ["front"]
    assert ops.hold("black", None, morning, "api")["displays"] == ["front"]
    assert ops.resume("all", morning, "api")["displays"] == ["front", "rear", "pillar"]
    event = at("2026-12-03 14:00:01")
    assert ops.displays(None, event) == ("pillar",)
    ops.load(str(tmp / "talk.pdf"), "rear", event, "console")
    assert ops.displays(None, event) == ("rear",)
    assert ops.displays("front,pillar", event) == ("front", "pillar")


def test_the_model_publishes_frozen_changes_to_subscribers(model):
    """GIVEN a subscriber to operator changes and one to the clicker's wall
    WHEN a hold is set, the pillar's manual event begins, and the subscriber unsubscribes
    THEN each got frozen change objects of its types only, and nothing after unsubscribing."""
    live, ops, tmp = model
    actions, targets, everything = [], [], []
    stop = live.subscribe(actions.append, OperatorChanged)
    live.subscribe(targets.append, TargetChanged)
    live.subscribe(everything.append)
    now = at("2026-12-03 10:00")
    ops.hold("black", "rear", now, "console", "5m")
    assert [c.action.action for c in actions] == ["black"] and actions[0].action.displays == ("rear",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        actions[0].action = None
    live.update(at("2026-12-03 14:00:01"))  # the black has expired; the manual event began
    assert targets == [TargetChanged("pillar", "front")]
    assert [c.action.action for c in actions] == ["black", "expired"]
    stop()
    ops.hold("logo", "front", now, "console")
    assert len(actions) == 2 and len(everything) == 4  # black, expired, target, logo


def test_a_failing_subscriber_does_not_stop_the_others(model):
    live, ops, tmp = model
    seen = []
    live.subscribe(lambda change: 1 / 0)
    live.subscribe(seen.append)
    ops.hold("black", "front", at("2026-12-03 10:00"), "console")
    assert len(seen) == 1


def test_a_deck_with_nothing_to_show_changes_nothing(model):
    live, ops, tmp = model
    (tmp / "empty").mkdir()
    Image.new("RGB", (4, 4)).save(tmp / "empty/x.txt", format="PNG")  # not an image by its name
    with pytest.raises(CommandError) as info:
        ops.load(str(tmp / "empty"), "front", at("2026-12-03 10:00"), "console")
    assert info.value.status == 422 and live.deck_at("front", at("2026-12-03 10:00")) is None


@pytest.mark.parametrize(("kind", "blanks", "toggled_by_b", "escape", "simple", "is_hold"), [
    (HoldKind.BLACK, True, True, True, True, True),
    (HoldKind.FREEZE, False, False, True, True, True),
    (HoldKind.LOGO, False, False, False, True, True),
    (HoldKind.MESSAGE, False, False, False, False, True),
    (HoldKind.DECK, False, False, False, False, False),
])
def test_hold_kinds_say_what_they_can_do(kind, blanks, toggled_by_b, escape, simple, is_hold):
    assert (kind.blanks_picture, kind.toggled_by_b_key, kind.released_by_escape, kind.is_simple_command,
            kind.is_hold) == (blanks, toggled_by_b, escape, simple, is_hold)
    assert kind.message_key == f"btn_{kind.value}" and HoldKind.find(kind.value) is kind


def test_wire_values_stay_the_same_strings(model):
    live, ops, tmp = model
    now = at("2026-12-03 10:00")
    ops.load(str(tmp / "talk.pdf"), "front", now, "console")
    ops.hold("black", "front", now, "console")
    status = ops.status(now)["displays"]["front"]
    assert status["operator"]["kind"] == "black" and status["deck"]["kind"] == "deck"
    assert status["deck"]["page"] == 1 and status["deck"]["pages"] == 3
    assert live.loads["front"] == DeckLoad("front", (tmp / "talk.pdf").resolve(), LoadState.LOADED, now, "console",
                                           pages=3, deck=(tmp / "talk.pdf").resolve())
    with pytest.raises(CommandError):
        ops.hold("deck", "front", now, "console")  # not a simple hold


def test_layers_contract_keeps_playback_and_config_below_control():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    flat = [part.strip() for layer in layers for part in layer.split("|")]
    assert flat.index("signage.control") < flat.index("signage.live") < flat.index("signage.playback")
    assert flat.index("signage.playback") < flat.index("signage.config")


def test_the_planner_does_not_load_the_control_package():
    code = "import sys, signage.playback.planner; print(any(m.startswith('signage.control') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
