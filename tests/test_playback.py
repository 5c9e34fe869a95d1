"""Time-addressed playback: a pure function of the slot and now."""

from __future__ import annotations

import datetime as dt

import pytest

from signage.config.loader import load_hall
from signage.playback.catalog import Catalog
from signage.playback.planner import Planner
from signage.playback.sequence import Cycle
from signage.playback.steps import expand
from signage.schedule import resolve
from tests.helpers import at
from tests.media_factory import hall, write_clip, write_image


@pytest.fixture
def small_hall(tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/a.jpg")
    write_image(tmp_path / "m/b.png", colour=(0, 0, 255))
    write_clip(tmp_path / "m/clip.mp4", seconds=3.0)
    (tmp_path / "m/photos").mkdir()
    for name in ("2.jpg", "1.jpg", "10.jpg", ".hidden.jpg", "notes.txt"):
        (tmp_path / "m/photos" / name).write_bytes((tmp_path / "m/a.jpg").read_bytes())
    config = hall(
        tmp_path,
        {
            "loop": "defaults: {duration: 10s}\nitems:\n"
            "  - image: m/a.jpg\n"
            "  - video: m/clip.mp4\n"
            "  - slide: {title: 안녕하세요}\n    duration: 5s\n"
            "  - folder: m/photos\n    duration: 2s\n",
            "deck": "items:\n  - image: m/a.jpg\n  - image: m/b.png\n  - image: m/a.jpg\n",
        },
        schedule=(
            "  events:\n"
            "    - name: 발표\n"
            '      start: "2026-12-03 14:00"\n'
            '      end: "2026-12-03 15:00"\n'
            "      displays: {front: {playlist: deck, advance: manual}}\n"
        ),
    )
    return load_hall(config)


def test_steps_expand_items_with_real_video_length_and_folder_order(small_hall):
    steps = expand(small_hall.playlists["loop"], small_hall.root, Catalog())
    assert [s.kind for s in steps] == ["image", "video", "slide", "image", "image", "image"]
    assert steps[1].duration == pytest.approx(3.0)  # the clip's real length, not the default 10 s
    assert [s.path.name for s in steps[3:]] == ["1.jpg", "10.jpg", "2.jpg"]  # name order, hidden skipped
    assert [s.duration for s in steps] == pytest.approx([10, 3, 5, 2, 2, 2])


@pytest.mark.parametrize(
    ("elapsed", "index", "offset", "cycle"),
    [(0, 0, 0, 0), (9.5, 0, 9.5, 0), (10, 1, 0, 0), (12.9, 1, 2.9, 0), (13, 2, 0, 0),
     (23.5, 5, 1.5, 0), (24, 0, 0, 1), (24 * 7 + 11, 1, 1, 7)],
)
def test_locate_is_a_function_of_elapsed_time(small_hall, elapsed, index, offset, cycle):
    c = Cycle(expand(small_hall.playlists["loop"], small_hall.root, Catalog()))
    assert c.length == pytest.approx(24)
    pos = c.locate(elapsed)
    assert (pos.index, pos.cycle) == (index, cycle)
    assert pos.offset == pytest.approx(offset)


def test_two_walls_with_one_playlist_show_the_same_step(small_hall):
    planner = Planner(small_hall, Catalog())
    timeline = resolve(small_hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    for minute in range(0, 600, 7):
        when = at("2026-12-03 08:00") + dt.timedelta(seconds=minute * 13.7)
        a, b = planner.showing(timeline, "rear", when), planner.showing(timeline, "pillar", when)
        assert (a.index, a.offset, a.cycle) == (b.index, b.offset, b.cycle)


def test_restart_resumes_where_it_should(small_hall):
    # GIVEN a player that restarts: a new planner and catalog, the same configuration
    timeline = resolve(small_hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    when = at("2026-12-03 09:17:31")
    first = Planner(small_hall, Catalog()).showing(timeline, "rear", when)
    again = Planner(small_hall, Catalog()).showing(timeline, "rear", when)
    # THEN it shows the same step at the same offset
    assert (first.index, first.offset) == (again.index, again.offset)
    assert first.step_start <= when < first.step_end


def test_slot_boundary_switches_on_time(small_hall):
    planner = Planner(small_hall, Catalog())
    timeline = resolve(small_hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    before = planner.showing(timeline, "front", at("2026-12-03 13:59:59.999"))
    after = planner.showing(timeline, "front", at("2026-12-03 14:00"))
    assert before.slot.playlist == "loop" and before.step_end <= at("2026-12-03 14:00")
    assert after.slot.playlist == "deck" and after.index == 0 and after.offset == 0


def test_manual_deck_holds_until_moved(small_hall):
    planner = Planner(small_hall, Catalog())
    timeline = resolve(small_hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    late = planner.showing(timeline, "front", at("2026-12-03 14:40"))
    assert late.index == 0 and late.step_end is None  # 40 minutes in, still page one
    planner.manual.move("front", late.slot, 2, at("2026-12-03 14:41"))
    moved = planner.showing(timeline, "front", at("2026-12-03 14:42"))
    assert moved.index == 2 and moved.offset == pytest.approx(60)


def test_failed_item_is_left_out_and_fallback_when_nothing_plays(small_hall):
    catalog = Catalog()
    planner = Planner(small_hall, catalog)
    timeline = resolve(small_hall.config, at("2026-12-03 00:00"), at("2026-12-04 00:00"))
    deck_steps = len(planner.cycle("deck").steps)
    catalog.mark_failed(small_hall.root / "m/b.png", "corrupt")
    assert len(planner.cycle("deck").steps) == deck_steps - 1
    catalog.mark_failed(small_hall.root / "m/a.jpg", "corrupt")
    showing = planner.showing(timeline, "front", at("2026-12-03 14:10"))
    assert showing.mode == "fallback"
    assert showing.step.kind == "slide" and showing.step.slide.title == "테스트 홀"  # no fallback file set


def test_a_fixed_file_gets_another_chance(small_hall):
    catalog = Catalog()
    path = small_hall.root / "m/b.png"
    catalog.mark_failed(path, "corrupt")
    assert catalog.failed(path)
    write_image(path, colour=(1, 2, 3))  # replaced by the operator
    import os
    os.utime(path, ns=(1, 1))
    assert catalog.failed(path) is None


def test_missing_and_corrupt_media_never_reach_the_cycle(tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/ok.jpg")
    (tmp_path / "m/corrupt.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    config = hall(tmp_path, {"p": "items:\n  - video: m/corrupt.mp4\n  - image: m/ok.jpg\n  - image: m/gone.jpg\n"})
    h = load_hall(config, check_assets=False)
    catalog = Catalog()
    steps = expand(h.playlists["p"], h.root, catalog)
    assert [s.path.name for s in steps] == ["ok.jpg"]
    reasons = {f.path.name: f.reason for f in catalog.failures()}
    assert set(reasons) == {"corrupt.mp4", "gone.jpg"} and "does not exist" in reasons["gone.jpg"]
