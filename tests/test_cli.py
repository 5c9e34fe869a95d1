"""The command line as a user types it: output, JSON shapes and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from signage.cli import main


def run(hall_dir, *args) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "signage", "--config", str(hall_dir / "config.yaml"), *args],
        capture_output=True, text=True, env={"SIGNAGE_LANG": "en", "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_check_ok_prints_one_line_per_display(hall_dir):
    code, out, _ = run(hall_dir, "check")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("OK")
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["front", "rear", "pillar"]
    assert "1080x1920" in lines[3]


def test_check_reports_problems_and_exits_1(hall_dir):
    path = hall_dir / "playlists/house-loop.yaml"
    path.write_text(path.read_text().replace("{duration: 10s", "{durations: 10s"))
    code, out, _ = run(hall_dir, "check")
    assert code == 1
    assert "house-loop.yaml:3:" in out and "did you mean 'duration'" in out


def test_timeline_json_shape(hall_dir):
    code, out, _ = run(hall_dir, "timeline", "--from", "2026-12-03 00:00", "--to", "2026-12-04 00:00",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["timezone"] == "Asia/Seoul"
    assert data["from"] == "2026-12-03T00:00:00+09:00" and data["to"] == "2026-12-04T00:00:00+09:00"
    event = [s for s in data["slots"] if s["source"] == "event" and s["display"] == "front"]
    assert event == [{
        "display": "front", "start": "2026-12-03T14:00:00+09:00", "end": "2026-12-03T17:30:00+09:00",
        "playlist": "ir-deck", "source": "event", "name": "G밸리 스타트업 IR 데모데이", "advance": "manual",
    }]
    dark = [s for s in data["slots"] if s["source"] == "dark"]
    assert dark and all(s["playlist"] is None for s in dark)
    lunch = [s for s in data["slots"] if s["source"] == "daypart" and s["display"] == "pillar"]
    assert lunch[0]["start"] == "2026-12-03T11:30:00+09:00" and lunch[0]["playlist"] == "tenant-promos"


def test_timeline_display_filter_and_table(hall_dir):
    code, out, _ = run(hall_dir, "timeline", "--from", "2026-12-03 00:00", "--to", "2026-12-04 00:00",
                       "--display", "pillar")
    assert code == 0
    body = out.strip().splitlines()[3:]
    assert body and all(line.startswith("pillar") for line in body)
    assert any("sponsors" in line and "event" in line for line in body)


def test_timeline_accepts_an_offset(hall_dir):
    code, out, _ = run(hall_dir, "timeline", "--from", "2026-12-03T05:00:00+00:00", "--to",
                       "2026-12-03T06:00:00+00:00", "--format", "json", "--display", "front")
    assert code == 0
    slots = json.loads(out)["slots"]
    assert slots[0]["start"] == "2026-12-03T14:00:00+09:00" and slots[0]["source"] == "event"


@pytest.mark.parametrize("args", [
    ["timeline", "--from", "yesterday"],
    ["timeline", "--from", "2026-12-03 10:00", "--to", "2026-12-03 09:00"],
    ["timeline", "--display", "ceiling"],
    ["nonsense"],
])
def test_usage_errors_exit_2(hall_dir, args, capsys):
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(["--config", str(hall_dir / "config.yaml"), *args]))
    assert info.value.code == 2


def test_config_option_after_the_command(hall_dir):
    assert main(["check", "--config", str(hall_dir / "config.yaml")]) == 0


def test_broken_config_exits_1_for_timeline(hall_dir):
    (hall_dir / "config.yaml").write_text("hall: [unclosed\n")
    code, _, err = run(hall_dir, "timeline")
    assert code == 1 and "config.yaml:2:1: not valid YAML" in err
