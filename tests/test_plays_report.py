"""Proof of play: numbers from the play records the player wrote, next to the plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from PIL import Image

from signage.cli import main
from signage.intake.store import Store
from signage.playback.records import Outcome, PlayLog, PlayRecord, plays_db_path
from tests.helpers import at
from tests.media_factory import hall, write_image

AFTER = "2027-01-01 00:00"  # the report is made after the plays below (they are in December 2026)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "m").mkdir()
    write_image(tmp_path / "m/base.png", size=(160, 90))
    write_image(tmp_path / "m/p.png", size=(160, 90), colour=(200, 0, 0))
    config = hall(tmp_path, {"loop": "accepts_promos: true\ndefaults: {duration: 10s}\nitems:\n  - image: m/base.png\n"},
                  schedule='  dark: {start: "23:00", end: "07:00"}\n')
    with Store(tmp_path / "var/intake.sqlite") as store:
        for tenant, per_hour in (("acme", 2), ("nuri", 1)):
            sid = store.add(tenant=tenant, filename=f"{tenant}.png", size=1, mtime_ns=1, received=at("2026-11-01 09:00"),
                            status="pending", kind="image")
            store.add_campaign(store.get(sid), title=f"{tenant}.png", displays=["front", "pillar"],
                               first_day=dt.date(2026, 12, 1), last_day=dt.date(2026, 12, 31), per_hour=per_hour,
                               created=at("2026-11-01 09:00"), kind="image", duration_s=10.0,
                               media={"front": "m/p.png", "pillar": "m/p.png"})
    log = PlayLog(tmp_path / "var/plays.sqlite")

    def play(display, start, campaign, seconds=10.0, outcome="completed"):
        begin = at(start)
        log.add(PlayRecord(display, "loop", "default", None, -1, "image", str(tmp_path / "m/p.png"), None,
                           begin.isoformat(), (begin + dt.timedelta(seconds=seconds)).isoformat(), seconds, 10.0,
                           1, 0, outcome, None, campaign))

    play("front", "2026-12-01 10:07:30", 1)
    play("front", "2026-12-01 10:37:30", 1, seconds=4.0, outcome="cut")
    play("pillar", "2026-12-01 10:07:30", 1)
    play("front", "2026-12-02 09:15:00", 2)
    play("front", "2026-12-05 09:15:00", 2)  # outside the report window
    log.add(PlayRecord("front", "loop", "default", None, 0, "image", str(tmp_path / "m/base.png"), None,
                       at("2026-12-01 10:00").isoformat(), at("2026-12-01 10:00:10").isoformat(), 10.0, 10.0,
                       1, 0, "completed"))  # not a promo: not in the report
    log.close()
    return config


def test_csv_per_day_and_display_with_planned_and_actual(site, capsys):
    assert main(["--config", str(site), "plays", "report", "--as-of", AFTER, "--from", "2026-12-01", "--to", "2026-12-02",
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    key = {(r["date"], r["display"], r["tenant"]): r for r in rows}
    front = key[("2026-12-01", "front", "acme")]
    assert (front["plays"], front["completed"], front["cut_short"], front["airtime_s"]) == ("2", "1", "1", "14.0")
    assert front["planned_plays"] == "32"  # 2 an hour, 07:00–23:00 (dark hours air nothing)
    assert key[("2026-12-01", "pillar", "acme")]["plays"] == "1"
    assert key[("2026-12-02", "front", "nuri")]["plays"] == "1"
    assert key[("2026-12-02", "front", "nuri")]["planned_plays"] == "16"
    assert key[("2026-12-01", "front", "nuri")]["plays"] == "0"  # planned, never aired: still listed
    assert not any(r["date"] == "2026-12-05" for r in rows)


def test_json_for_one_tenant_has_totals(site, capsys):
    assert main(["--config", str(site), "plays", "report", "--as-of", AFTER, "--from", "2026-12-01", "--to", "2026-12-03",
                 "--tenant", "acme", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["tenant"] for r in out["rows"]} == {"acme"}
    assert out["totals"]["acme"]["plays"] == 3 and out["totals"]["acme"]["cut_short"] == 1
    assert out["totals"]["acme"]["planned_plays"] == 3 * 2 * 32


def test_png_chart(site, tmp_path, capsys):
    out = tmp_path / "acme.png"
    assert main(["--config", str(site), "plays", "report", "--as-of", AFTER, "--from", "2026-12-01", "--to", "2026-12-07",
                 "--tenant", "acme", "--format", "png", "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert im.width > 600 and im.height > 300
        colours = {c for _n, c in im.convert("RGB").getcolors(1 << 20)}
    assert (0x1F, 0x6F, 0x8B) in colours  # the bars for front were drawn


def test_bad_dates_are_a_usage_error(site):
    assert main(["--config", str(site), "plays", "report", "--as-of", AFTER, "--from", "2026-12-05", "--to", "2026-12-01"]) == 2
    assert main(["--config", str(site), "plays", "report", "--as-of", AFTER, "--from", "soon", "--to", "2026-12-01"]) == 2


def report_json(site, capsys, *extra):
    assert main(["--config", str(site), "plays", "report", "--from", "2026-12-01", "--to", "2026-12-03",
                 "--tenant", "nuri", "--format", "json", *extra]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_rehearsal_plays_are_never_counted(site, capsys):
    # GIVEN a rehearsal recorded a nuri promo on 2026-12-03 (its own file, as `run --start-at` writes it)
    log = PlayLog(plays_db_path(site.parent / "var", rehearsal=True))
    begin = at("2026-12-03 09:15")
    log.add(PlayRecord("front", "loop", "default", None, -1, "image", None, None, begin.isoformat(),
                       (begin + dt.timedelta(seconds=10)).isoformat(), 10.0, 10.0, 1, 0, "completed", None, 2))
    log.close()
    # WHEN the report is made after that day
    out, _ = report_json(site, capsys, "--as-of", AFTER)
    # THEN only the real play of 2026-12-02 counts
    assert out["totals"]["nuri"]["plays"] == 1


def test_only_what_has_aired_is_counted(site, capsys, monkeypatch):
    # GIVEN real plays on 12-02 at 09:15 and (a clock set wrong) at 15:00, and on 12-03
    log = PlayLog(site.parent / "var/plays.sqlite")
    for when in ("2026-12-02 15:00", "2026-12-03 09:15"):
        begin = at(when)
        log.add(PlayRecord("front", "loop", "default", None, -1, "image", None, None, begin.isoformat(),
                           (begin + dt.timedelta(seconds=10)).isoformat(), 10.0, 10.0, 1, 0, "completed", None, 2))
    log.close()
    # WHEN the report for 12-01..12-03 is made on 12-02 at noon (the command's "now")
    monkeypatch.setattr("signage.commands.plays.now_in", lambda tz: at("2026-12-02 12:00"))
    out, err = report_json(site, capsys)
    # THEN today counts up to noon, the plan too (nuri: once an hour from 07:00), tomorrow not at all
    days = {r["date"]: r for r in out["rows"] if r["display"] == "front"}
    assert days["2026-12-02"]["plays"] == 1 and days["2026-12-02"]["planned_plays"] == 5
    assert "2026-12-03" not in days
    assert out["until"] == "2026-12-02T12:00:00+09:00" and "2026-12-02T12:00:00+09:00" in err


def test_a_play_on_the_wall_is_counted_as_playing_not_failed(site, capsys):
    # GIVEN an open row: the promo is on the wall as the report is made
    log = PlayLog(site.parent / "var/plays.sqlite")
    begin = at("2026-12-03 10:00")
    log.add(PlayRecord("pillar", "loop", "default", None, -1, "image", None, None, begin.isoformat(),
                       (begin + dt.timedelta(seconds=4)).isoformat(), 4.0, 10.0, 1, 0, Outcome.PLAYING, None, 2))
    log.close()
    out, _ = report_json(site, capsys, "--as-of", "2026-12-03 10:00:05")
    (row,) = [r for r in out["rows"] if r["date"] == "2026-12-03" and r["display"] == "pillar"]
    assert (row["plays"], row["playing"], row["failed"], row["airtime_s"]) == (1, 1, 0, 4.0)
