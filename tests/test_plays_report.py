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
from signage.playback.records import PlayLog, PlayRecord
from tests.helpers import at
from tests.media_factory import hall, write_image


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
    assert main(["--config", str(site), "plays", "report", "--from", "2026-12-01", "--to", "2026-12-02",
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
    assert main(["--config", str(site), "plays", "report", "--from", "2026-12-01", "--to", "2026-12-03",
                 "--tenant", "acme", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["tenant"] for r in out["rows"]} == {"acme"}
    assert out["totals"]["acme"]["plays"] == 3 and out["totals"]["acme"]["cut_short"] == 1
    assert out["totals"]["acme"]["planned_plays"] == 3 * 2 * 32


def test_png_chart(site, tmp_path, capsys):
    out = tmp_path / "acme.png"
    assert main(["--config", str(site), "plays", "report", "--from", "2026-12-01", "--to", "2026-12-07",
                 "--tenant", "acme", "--format", "png", "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert im.width > 600 and im.height > 300
        colours = {c for _n, c in im.convert("RGB").getcolors(1 << 20)}
    assert (0x1F, 0x6F, 0x8B) in colours  # the bars for front were drawn


def test_bad_dates_are_a_usage_error(site):
    assert main(["--config", str(site), "plays", "report", "--from", "2026-12-05", "--to", "2026-12-01"]) == 2
    assert main(["--config", str(site), "plays", "report", "--from", "soon", "--to", "2026-12-01"]) == 2
