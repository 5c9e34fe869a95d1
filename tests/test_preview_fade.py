"""``signage preview --at`` at an item boundary names what the picture shows, not only what the
schedule has reached: the item fading out while it dominates, and the fade itself."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from signage.cli import main
from tests.media_factory import hall, write_image

RED, BLUE = (255, 0, 0), (0, 0, 255)
# The loop starts at local midnight: red 0–2 s, blue 2–4 s, red 4–6 s … each fading in over 0.5 s.
# 10:00:00 is a whole number of loops after midnight, so blue begins at 10:00:02.
BOUNDARY = "2026-12-03T10:00:02"


@pytest.fixture
def fading_hall(tmp_path):
    """GIVEN a hall whose one wall loops two stills, red then blue, with a 0.5 s fade between them."""
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/red.png", (160, 90), RED)
    write_image(tmp_path / "m/blue.png", (160, 90), BLUE)
    return hall(tmp_path, {"two": "defaults: {duration: 2s, transition: fade 0.5s}\nitems:\n"
                                  "  - image: m/red.png\n  - image: m/blue.png\n"},
                displays="  front: {screen: HDMI-1, size: [160, 90]}\n")


def preview(config, at, out, capsys, fmt="json"):
    code = main(["--config", str(config), "preview", "--at", at, "--out", str(out), "--format", fmt])
    assert code == 0
    text = capsys.readouterr().out
    return (json.loads(text)["displays"]["front"] if fmt == "json" else text), out / "front.png"


def colour(png) -> tuple[int, int, int]:
    pixels = np.asarray(Image.open(png).convert("RGB"))
    return tuple(int(v) for v in pixels[45, 80])


ITEM_RED = {"type": "image", "path": "m/red.png", "index": 0, "page": None}
ITEM_BLUE = {"type": "image", "path": "m/blue.png", "index": 1, "page": None}


def test_at_the_first_instant_of_a_fade_the_old_item_is_named_and_shown(fading_hall, tmp_path, capsys):
    # WHEN the wall is previewed at the instant blue begins (fade progress 0)
    front, png = preview(fading_hall, BOUNDARY, tmp_path / "pv", capsys)
    # THEN the picture is still red, and the preview says red, with the fade just starting
    assert colour(png) == RED
    assert front["item"] == ITEM_RED
    assert front["offset_s"] == 2.0  # red is held at its end
    assert front["transition"] == {"type": "fade", "seconds": 0.5, "progress": 0.0,
                                   "from": ITEM_RED, "to": ITEM_BLUE}


def test_mid_fade_both_items_are_named_and_the_dominant_one_is_the_item(fading_hall, tmp_path, capsys):
    # WHEN the wall is previewed 0.2 s into the fade (progress 0.4): mostly red
    early, png = preview(fading_hall, "2026-12-03T10:00:02.2", tmp_path / "a", capsys)
    # THEN the pixels are 60 % red, 40 % blue, and the item is red, fading to blue
    r, g, b = colour(png)
    assert (r, g) == (pytest.approx(153, abs=2), 0) and b == pytest.approx(102, abs=2)
    assert early["item"] == ITEM_RED
    assert early["transition"]["progress"] == pytest.approx(0.4)
    assert (early["transition"]["from"], early["transition"]["to"]) == (ITEM_RED, ITEM_BLUE)
    # WHEN 0.35 s into the fade (progress 0.7): mostly blue
    late, png = preview(fading_hall, "2026-12-03T10:00:02.35", tmp_path / "b", capsys)
    # THEN blue dominates the pixels and is the item, 0.35 s in
    r, g, b = colour(png)
    assert b > r and r == pytest.approx(77, abs=2)
    assert late["item"] == ITEM_BLUE and late["offset_s"] == pytest.approx(0.35)
    assert late["transition"]["progress"] == pytest.approx(0.7)


def test_after_the_fade_only_the_new_item(fading_hall, tmp_path, capsys):
    # WHEN the wall is previewed as the fade ends, and later in the item
    for at in ("2026-12-03T10:00:02.5", "2026-12-03T10:00:03"):
        front, png = preview(fading_hall, at, tmp_path / at[-4:], capsys)
        # THEN the picture is blue, the item is blue, and there is no transition
        assert colour(png) == BLUE
        assert front["item"] == ITEM_BLUE and front["transition"] is None


def test_the_first_item_of_the_day_does_not_fade_from_nothing(fading_hall, tmp_path, capsys):
    # WHEN the wall is previewed at the first instant of the day's loop (nothing before it)
    front, png = preview(fading_hall, "2026-12-03T00:00:00", tmp_path / "pv", capsys)
    # THEN red shows at once and no fade is claimed
    assert colour(png) == RED
    assert front["item"] == ITEM_RED and front["transition"] is None


def test_the_text_output_and_the_sheet_label_name_the_visible_item(fading_hall, tmp_path, capsys):
    # WHEN previewed as text at the boundary and mid-fade
    text, _ = preview(fading_hall, BOUNDARY, tmp_path / "a", capsys, fmt="text")
    later, _ = preview(fading_hall, "2026-12-03T10:00:02.35", tmp_path / "b", capsys, fmt="text")
    # THEN the line names the visible item first, then the fade under way
    assert "default · two · m/red.png (fading 0%: m/red.png → m/blue.png)" in text
    assert "default · two · m/blue.png (fading 70%: m/red.png → m/blue.png)" in later
    assert (tmp_path / "a/sheet.png").is_file()
