"""The live layer in a running player (fake clock, offscreen walls): holds give back what was
there, one rule for the wall a command acts on, presentations converted off the main thread."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from PIL import Image

from signage.live import LoadState
from tests.helpers import at
from tests.test_operator import player, settle  # noqa: F401 - fixture
from tests.test_player import GREEN, RED, centre

CYAN, MAGENTA, YELLOW = (0, 200, 200), (200, 0, 200), (230, 230, 0)


def near(pixel, colour, tolerance=10) -> bool:
    return max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= tolerance


def three_page_pdf(folder):
    pages = [Image.new("RGB", (160, 90), c) for c in (CYAN, MAGENTA, YELLOW)]
    pages[0].save(folder / "talk.pdf", save_all=True, append_images=pages[1:])
    return folder / "talk.pdf"


def test_black_twice_gives_back_the_loaded_deck_at_its_page(player, tmp_path):  # noqa: F811
    """GIVEN a PDF loaded on the front wall (the clicker's wall) and turned to page 3
    WHEN the clicker's blank key is pressed twice
    THEN the front wall shows page 3 of the deck again, not the schedule."""
    p, clock = player
    p.ops.load(str(three_page_pdf(tmp_path)), "front", clock.now(), "console")
    p.handle_key("PageDown")
    p.handle_key("PageDown")
    settle(p, lambda: near(centre(p.latest["front"]), YELLOW))
    p.handle_key("B")
    settle(p, lambda: centre(p.latest["front"]) == (0, 0, 0))
    p.handle_key("B")
    settle(p, lambda: centre(p.latest["front"]) != (0, 0, 0))
    assert near(centre(p.latest["front"]), YELLOW)


def test_a_freeze_for_a_while_gives_back_the_deck_when_it_expires(player, tmp_path):  # noqa: F811
    """GIVEN a deck on front at page 2, frozen for 30 s  WHEN 30 s pass  THEN page 2 is back."""
    p, clock = player
    p.ops.load(str(three_page_pdf(tmp_path)), "front", clock.now(), "console")
    p.ops.step(1, "front", clock.now(), "console")
    p.ops.hold("freeze", "front", clock.now(), "console", "30s")
    clock.advance(30)
    p.tick()
    settle(p, lambda: near(centre(p.latest["front"]), MAGENTA))
    assert p.live.deck_at("front", clock.now()).index == 1


def test_next_without_a_display_moves_only_the_clickers_wall(player):  # noqa: F811
    """GIVEN the morning loop on every wall (no deck, no manual event)
    WHEN next is asked with no display (as `signage ctl next` sends it)
    THEN only the front wall moves on; with display "all" every wall does."""
    p, clock = player
    clock.advance(2)
    result = p.ops.step(1, None, clock.now(), "api 127.0.0.1")
    assert result["displays"] == ["front"]
    settle(p, lambda: centre(p.latest["front"]) == GREEN)
    assert centre(p.latest["rear"]) == RED and centre(p.latest["pillar"]) == RED
    p.ops.step(1, "all", clock.now(), "api 127.0.0.1")
    settle(p, lambda: centre(p.latest["rear"]) == GREEN and centre(p.latest["pillar"]) == GREEN)


def test_the_clicker_and_a_command_without_a_display_pick_the_same_wall(player, tmp_path):  # noqa: F811
    """GIVEN the pillar's manual event and a deck loaded on rear
    THEN the clicker's wall is rear (first in hall order), for keys and commands alike."""
    p, clock = player
    clock.set(at("2026-12-03 14:00:01"))
    p.tick()
    assert p.key_target(clock.now()) == "pillar" == p.ops.displays(None, clock.now())[0]
    p.ops.load(str(three_page_pdf(tmp_path)), "rear", clock.now(), "console")
    assert p.key_target(clock.now()) == "rear" == p.ops.displays(None, clock.now())[0]
    p.handle_key("PageDown")
    assert p.live.deck_at("rear", clock.now()).index == 1


# ---- presentations are converted while the walls play -----------------------------------------

FAKE_SOFFICE = """#!/bin/sh
# A stand-in for LibreOffice: waits for the test to open the gate, then writes the PDF (or fails).
outdir=""; src=""
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) outdir="$2"; shift ;;
    --convert-to) shift ;;
    -*) ;;
    *) src="$1" ;;
  esac
  shift
done
i=0
while [ ! -e "$FAKE_GATE" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
if [ ! -e "$FAKE_GATE" ] || grep -q fail "$FAKE_GATE"; then echo "source file could not be loaded" >&2; exit 1; fi
base=$(basename "$src"); cp "$FAKE_PDF" "$outdir/${base%.*}.pdf"
"""


@pytest.fixture
def fake_office(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE_SOFFICE)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    gate = tmp_path / "gate"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_GATE", str(gate))
    monkeypatch.setenv("FAKE_PDF", str(three_page_pdf(tmp_path)))
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04 a presentation")
    return tmp_path / "slides.pptx", gate


def test_a_presentation_converts_while_the_walls_keep_playing(player, fake_office):  # noqa: F811
    """GIVEN a LibreOffice that takes as long as the test wants
    WHEN a presentation is loaded on front
    THEN load answers at once ("converting"), the walls keep changing pictures meanwhile, and the
    deck appears on front when the conversion ends."""
    p, clock = player
    deck, gate = fake_office
    seen = []
    p.live.subscribe(seen.append)
    result = p.ops.load(str(deck), "front", clock.now(), "console")  # the old code waited here
    assert result["state"] == "converting" and result["pages"] is None
    assert p.live.loads["front"].state is LoadState.CONVERTING
    assert p.ops.status(clock.now())["displays"]["front"]["loading"]["state"] == "converting"
    clock.advance(10)  # the loop moves on while LibreOffice works
    settle(p, lambda: centre(p.latest["rear"]) == GREEN and centre(p.latest["front"]) == GREEN)
    gate.write_text("go")
    settle(p, lambda: p.live.loads["front"].state is not LoadState.CONVERTING, limit=20)
    assert p.live.loads["front"].state is LoadState.LOADED and p.live.loads["front"].pages == 3
    settle(p, lambda: near(centre(p.latest["front"]), CYAN))
    assert [c.state for c in seen if hasattr(c, "state")] == [LoadState.CONVERTING, LoadState.LOADED]
    assert threading.current_thread() is threading.main_thread()


def test_a_failed_conversion_says_why_and_changes_nothing(player, fake_office):  # noqa: F811
    p, clock = player
    deck, gate = fake_office
    p.ops.load(str(deck), "front", clock.now(), "console")
    gate.write_text("fail")
    settle(p, lambda: p.live.loads["front"].state is not LoadState.CONVERTING, limit=20)
    load = p.live.loads["front"]
    assert load.state is LoadState.FAILED and "could not be loaded" in load.reason
    assert p.live.deck_at("front", clock.now()) is None and centre(p.latest["front"]) == RED


def test_resume_cancels_a_conversion_under_way(player, fake_office):  # noqa: F811
    p, clock = player
    deck, gate = fake_office
    p.ops.load(str(deck), "front", clock.now(), "console")
    p.ops.resume("front", clock.now(), "console")
    assert p.live.loads["front"].state is LoadState.CANCELLED and p.live.converting() == ()
    gate.write_text("go")
    p.tick()
    assert p.live.deck_at("front", clock.now()) is None


def test_refusals_come_at_once(player, tmp_path, monkeypatch):  # noqa: F811
    """Missing file, wrong type, no LibreOffice: refused before anything starts."""
    from signage.control.operations import CommandError

    p, clock = player
    (tmp_path / "slides.pptx").write_bytes(b"PK")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError) as info:
        p.ops.load(str(tmp_path / "slides.pptx"), "front", clock.now(), "console")
    assert info.value.status == 422 and p.live.converting() == ()
    with pytest.raises(CommandError) as info:
        p.ops.load(str(tmp_path / "gone.pptx"), "front", clock.now(), "console")
    assert info.value.status == 404
    with pytest.raises(CommandError) as info:
        p.ops.load(str(tmp_path / "slides.pptx"), ["front", "rear"], clock.now(), "console")
    assert info.value.status == 400


def test_ctl_says_a_presentation_is_being_converted(player, fake_office):  # noqa: F811
    """GIVEN a load answered with state converting  THEN ctl's sentence says so (no "None pages")."""
    from signage.commands.ctl import render_result
    from signage.i18n import set_language

    p, clock = player
    deck, gate = fake_office
    result = p.ops.load(str(deck), "front", clock.now(), "api 127.0.0.1")
    set_language("ko")
    try:
        line = render_result(result, p.hall)
    finally:
        set_language("en")
    assert line.startswith("전면 화면에 올릴 slides.pptx을(를) 변환하고 있습니다") and "None" not in line
    p.ops.resume("front", clock.now(), "console")


def test_ctl_says_what_resume_gave_back(player, tmp_path):  # noqa: F811
    """GIVEN a deck under a black hold on the front and nothing held on the rear
    WHEN both are resumed THEN ctl says the front got back what was under the hold and the rear
    went back on the schedule (not "back on the schedule" for both)."""
    from signage.commands.ctl import render_result
    from signage.i18n import set_language
    from tests.media_factory import write_image

    p, clock = player
    deck = tmp_path / "photos"
    deck.mkdir()
    write_image(deck / "a.png", size=(160, 90), colour=(0, 0, 255))
    p.ops.load(str(deck), "front", clock.now(), "console")
    p.ops.hold("black", "front", clock.now(), "console")
    result = p.ops.resume("front,rear", clock.now(), "console")
    set_language("ko")
    try:
        line = render_result(result, p.hall)
    finally:
        set_language("en")
    assert line == "전면 화면의 운영자 조작을 풀고 그 아래 화면으로 되돌렸습니다 / 후면 화면을 일정대로 되돌렸습니다"
