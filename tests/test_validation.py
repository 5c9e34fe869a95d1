"""Every mistake users make gets file:line:col and a fix, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.i18n import set_language


def problems(hall_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_hall(hall_dir / "config.yaml")
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sample_hall_is_valid(hall_dir):
    hall = load_hall(hall_dir / "config.yaml")
    assert list(hall.displays) == ["front", "rear", "pillar"]
    assert hall.displays["pillar"].size == (1080, 1920)
    assert {"house-loop", "pillar-loop", "tenant-promos", "ir-deck"} <= set(hall.playlists)


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def at_line(found: list[str], file: str, line: int | None) -> list[str]:
    """Problems reported for ``file`` (label relative or absolute) at ``line`` (None: any)."""
    prefix = f"{file}:" if line is None else f"{file}:{line}:"
    return [p for p in found if p.startswith(prefix) or f"/{prefix}" in p.split(" ")[0]]


# (what, file, old text, new text, text on the line the problem must point at, words in the message)
CASES = [
    ("typo key in config", "config.yaml", "fallback:", "fallbak:", "fallbak:", ["unknown key 'fallbak'", "did you mean 'fallback'"]),
    ("typo key in playlist", "playlists/house-loop.yaml", "{duration: 10s", "{durations: 10s", "durations",
     ["unknown key 'durations'", "did you mean 'duration'"]),
    ("unquoted time", "config.yaml", 'dark: {start: "23:00"', "dark: {start: 23:00", "dark:",
     ["unquoted time 23:00", "1380", '"23:00"']),
    ("unquoted boolean", "config.yaml", "days: [mon, tue", "days: [no, tue", "days: [no", ["unquoted no", '"no"']),
    ("wrong type", "config.yaml", "priority: 10", "priority: high", "priority: high", ["must be a whole number", "high"]),
    ("unknown weekday", "config.yaml", "days: [sat, sun]", "days: [sat, sunday2]", "sunday2", ["unknown weekday 'sunday2'"]),
    ("end before start", "config.yaml", 'end: "2026-12-03 17:30"', 'end: "2026-12-03 13:30"', "2026-12-03 13:30",
     ["is before the start"]),
    ("bad date-time", "config.yaml", 'start: "2026-12-03 14:00"', 'start: "12/03 2pm"', "12/03 2pm", ["YYYY-MM-DD HH:MM"]),
    ("unknown display", "config.yaml", "rear: tenant-promos}", "reer: tenant-promos}", "reer:",
     ["unknown display 'reer'", "did you mean 'rear'"]),
    ("missing playlist", "config.yaml", "front: weekend-rest", "front: weekend-rst", "weekend-rst",
     ["playlist 'weekend-rst' does not exist", "weekend-rest"]),
    ("missing asset", "playlists/house-loop.yaml", "assets/photos/hall.jpg", "assets/photos/hal.jpg", "hal.jpg",
     ["does not exist", "hal.jpg"]),
    ("item type does not match file", "playlists/house-loop.yaml", "video: assets/clips/gvalley.mp4",
     "image: assets/clips/gvalley.mp4", "image: assets/clips", ["holds video, not image"]),
    ("invalid YAML", "playlists/ir-stage.yaml", "items:\n", "items:\n  - slide: [\n", None, ["not valid YAML"]),
    ("python tag", "config.yaml", "hall: G밸리 기업시민청 창조홀", "hall: !!python/object/apply:os.system [ls]", "!!python",
     ["tag !!python/object/apply:os.system is not allowed"]),
    ("duplicate key", "config.yaml", "timezone: Asia/Seoul", "timezone: Asia/Seoul\ntimezone: UTC", "timezone: UTC",
     ["duplicate key 'timezone'", "line 4"]),
    ("unknown timezone", "config.yaml", "timezone: Asia/Seoul", "timezone: Asia/Busan", "Busan", ["unknown time zone"]),
    ("bad duration", "playlists/house-loop.yaml", "duration: 8s", "duration: eight", "eight", ["cannot read the duration 'eight'"]),
    ("unquoted hex colour", "playlists/tenant-promos.yaml", 'background: "#101010"', "background: #101010", "#101010",
     ["quote colours"]),
    ("two kinds in one item", "playlists/pillar-loop.yaml", "  - image: assets/pillar/pillar-02.jpg",
     "  - image: assets/pillar/pillar-02.jpg\n    video: assets/clips/gvalley.mp4", "pillar-02", ["exactly one of"]),
    ("missing required key", "config.yaml", "  front:  {screen: HDMI-1, size: [1920, 1080]}",
     "  front:  {screen: HDMI-1}", "{screen: HDMI-1}", ["required key 'size' is missing"]),
]


@pytest.mark.parametrize(("what", "file", "old", "new", "needle", "words"), CASES, ids=[c[0] for c in CASES])
def test_mistake_is_reported_with_position(hall_dir, what, file, old, new, needle, words):
    # GIVEN the sample hall with one mistake
    edit(hall_dir / file, old, new)
    line = line_of(hall_dir / file, needle) if needle else None
    # WHEN it is loaded
    found = problems(hall_dir)
    # THEN one problem names the file and line and says what to do
    hits = at_line(found, file, line)
    assert hits, f"no problem at {file}:{line} in {found}"
    assert all(w in hits[0] for w in words), hits[0]


def test_overlapping_events_name_both_lines(hall_dir):
    edit(
        hall_dir / "config.yaml",
        "        pillar: sponsors\n",
        "        pillar: sponsors\n"
        "    - name: 겹치는 행사\n"
        '      start: "2026-12-03 17:00"\n'
        '      end: "2026-12-03 18:00"\n'
        "      displays: {front: ir-stage}\n",
    )
    found = problems(hall_dir)
    config = hall_dir / "config.yaml"
    assert len(found) == 1
    assert at_line(found, "config.yaml", line_of(config, "겹치는 행사"))
    first = line_of(config, "name: G밸리 스타트업 IR 데모데이")
    assert f"line {first}" in found[0] and "G밸리 스타트업 IR 데모데이" in found[0] and "front" in found[0]


def test_alias_bomb_is_refused_fast(hall_dir):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (hall_dir / "config.yaml").write_text("\n".join(lines) + "\n")
    t0 = time.perf_counter()
    found = problems(hall_dir)
    assert time.perf_counter() - t0 < 1.0
    assert any("aliases" in p for p in found)


def test_file_over_one_megabyte_is_refused(hall_dir):
    (hall_dir / "playlists" / "huge.yaml").write_text("# " + "x" * (1024 * 1024) + "\nitems: []\n")
    found = problems(hall_dir)
    assert any("too large" in p for p in at_line(found, "playlists/huge.yaml", 1))


def test_empty_and_non_mapping_files(hall_dir):
    (hall_dir / "playlists" / "empty.yaml").write_text("")
    (hall_dir / "playlists" / "list.yaml").write_text("- a\n- b\n")
    found = problems(hall_dir)
    assert any("'items' is missing" in p for p in at_line(found, "playlists/empty.yaml", 1))
    assert any("mapping" in p for p in at_line(found, "playlists/list.yaml", 1))


def test_all_problems_reported_at_once(hall_dir):
    edit(hall_dir / "config.yaml", "fallback:", "fallbak:")
    edit(hall_dir / "playlists/house-loop.yaml", "{duration: 10s", "{durations: 10s")
    edit(hall_dir / "playlists/pillar-loop.yaml", "pillar-01.jpg", "nope.jpg")
    assert len(problems(hall_dir)) == 3


def test_messages_are_korean_by_default(hall_dir):
    set_language(None)
    edit(hall_dir / "config.yaml", 'dark: {start: "23:00"', "dark: {start: 23:00")
    found = problems(hall_dir)
    assert "따옴표" in found[0]
