"""The tenant inbox end to end: scan, refuse, queue, approve (conform), reject, withdraw, status files."""

from __future__ import annotations

import datetime as dt
import os

import av
import pytest

from signage.cli import main
from signage.config.loader import load_hall
from signage.intake import review
from signage.intake.inbox import scan, store_path
from signage.intake.store import Store
from tests.helpers import at
from tests.media_factory import hall, write_h264

NOW = at("2026-11-30 10:00")


@pytest.fixture
def site(tmp_path):
    """A hall with a promo-accepting loop and an inbox with two tenants."""
    (tmp_path / "m").mkdir()
    write_h264(tmp_path / "m/base.mp4", size=(320, 180), seconds=4)
    config = hall(tmp_path, {"loop": "accepts_promos: true\ndefaults: {transition: cut}\nitems:\n  - video: m/base.mp4\n"})
    with (tmp_path / "config.yaml").open("a") as fh:
        fh.write("promos: {max_size_mb: 5, settle: 10s}\n")
    for tenant in ("acme", "nuri"):
        (tmp_path / "inbox" / tenant).mkdir(parents=True)
    return config


def drop(folder, name, age_s=3600, **clip):
    path = write_h264(folder / name, **clip)
    old = NOW.timestamp() - age_s
    os.utime(path, (old, old))
    return path


def scan_now(config, when=NOW):
    h = load_hall(config, check_assets=False)
    with Store(store_path(h)) as store:
        result = scan(h, store, when)
        return h, result, {s.id: s for s in store.submissions()}


def test_a_good_clip_is_queued_and_the_tenant_is_told(site):
    inbox = site.parent / "inbox"
    drop(inbox / "acme", "promo.mp4", seconds=6)
    h, result, subs = scan_now(site)
    (sub,) = subs.values()
    assert sub.status == "pending" and sub.tenant == "acme" and sub.kind == "video" and result.new == [sub.id]
    assert (h.root / sub.original).is_file()  # our own copy, outside the inbox
    status = (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")
    assert "검토 대기" in status and "waiting for review" in status
    assert scan_now(site)[1].new == []  # a second scan takes nothing twice


def test_a_file_still_being_copied_waits_until_it_stops_changing(site):
    inbox = site.parent / "inbox"
    path = drop(inbox / "acme", "growing.mp4", age_s=2)
    _h, result, subs = scan_now(site)
    assert result.waiting == ["acme/growing.mp4"] and not subs
    old = NOW.timestamp() - 60
    os.utime(path, (old, old))
    _h, result, subs = scan_now(site)
    assert [s.status for s in subs.values()] == ["pending"]


def test_refused_at_the_door_symlinks_hidden_and_oversize(site, tmp_path):
    inbox = site.parent / "inbox"
    outside = drop(tmp_path, "elsewhere.mp4")
    os.symlink(outside, inbox / "acme/link.mp4")
    old = NOW.timestamp() - 3600  # the link's own time too (not today's): it has settled by NOW
    os.utime(inbox / "acme/link.mp4", (old, old), follow_symlinks=False)
    drop(inbox / "acme", ".hidden.mp4")
    big = inbox / "acme/big.mp4"
    big.write_bytes(os.urandom(6_000_000))
    os.utime(big, (NOW.timestamp() - 3600,) * 2)
    (inbox / "acme/empty.mp4").write_bytes(b"")
    os.utime(inbox / "acme/empty.mp4", (NOW.timestamp() - 3600,) * 2)
    _h, _result, subs = scan_now(site)
    why = {s.filename: s.reasons[0].text("en") for s in subs.values()}
    assert "outside the inbox" in why["link.mp4"]
    assert "hidden" in why[".hidden.mp4"]
    assert "6 MB; the limit is 5 MB" in why["big.mp4"]
    assert "empty" in why["empty.mp4"]
    assert all(s.status == "refused" and s.original is None for s in subs.values())
    status = (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")
    assert "받은편지함 밖" in status and "outside the inbox" in status


def test_bad_tenant_names_and_path_tricks_in_metadata_go_nowhere(site):
    inbox = site.parent / "inbox"
    (inbox / "..sneaky").mkdir()
    drop(inbox / "..sneaky", "x.mp4")
    os.symlink(site.parent / "m", inbox / "linked-tenant")
    drop(inbox / "acme", "promo.mp4", title="../../../../tmp/evil")
    h, result, subs = scan_now(site)
    skipped = {name: reason.id for name, reason in result.skipped}
    assert skipped == {"..sneaky": "r_bad_tenant", "linked-tenant": "r_symlink"}
    (sub,) = subs.values()
    with Store(store_path(h)) as store:
        review.approve(h, store, sub.id, displays=["front"], first=NOW.date(), last=NOW.date(), per_hour=2, now=NOW)
    promos = sorted(p.name for p in (h.root / "assets/promos").iterdir())
    assert promos == [f"{sub.sha256[:16]}-1920x1080.mp4"]  # named by content, never by what a tenant wrote
    assert not (h.root.parent / "evil").exists()


def test_two_tenants_sending_the_same_file(site):
    inbox = site.parent / "inbox"
    drop(inbox / "acme", "a.mp4")
    os.link(inbox / "acme/a.mp4", inbox / "nuri/n.mp4")
    os.link(inbox / "acme/a.mp4", inbox / "acme/resend.mp4")
    _h, _r, subs = scan_now(site)
    by_name = {s.filename: s for s in subs.values()}
    assert by_name["a.mp4"].status == "pending"
    assert by_name["n.mp4"].status == "pending" and by_name["n.mp4"].duplicate_of == by_name["a.mp4"].id
    assert by_name["resend.mp4"].status == "refused" and by_name["resend.mp4"].reasons[0].id == "r_duplicate"


def test_approve_conforms_to_each_display_size_and_leaves_nothing_half_written(site):
    inbox = site.parent / "inbox"
    drop(inbox / "acme", "promo.mp4", size=(1280, 720), seconds=5)
    h, _r, subs = scan_now(site)
    (sub,) = subs.values()
    seen = []
    with Store(store_path(h)) as store:
        cid = review.approve(h, store, sub.id, displays=["pillar", "rear", "front"], first=NOW.date(),
                             last=NOW.date() + dt.timedelta(days=30), per_hour=4, now=NOW,
                             progress_for=lambda d, s: seen.append((d, s)) or (lambda f: None))
        book = store.campaigns(h.tz)
    (c,) = book.campaigns
    assert c.id == cid and c.displays == ("pillar", "rear", "front") and c.per_hour == 4
    assert c.media["rear"] == c.media["front"] != c.media["pillar"]  # one file per distinct size
    assert [d for d, _s in seen] == ["pillar", "rear"]
    for display, size in (("pillar", (1080, 1920)), ("rear", (1920, 1080))):
        with av.open(str(h.root / c.media[display])) as f:
            s = f.streams.video[0]
            assert (s.codec_context.width, s.codec_context.height) == size
            assert s.codec_context.name == "h264" and s.frames == 150
    assert sorted(p.name for p in (h.root / "assets/promos").iterdir() if p.name.startswith(".")) == []
    assert not list((h.root / "var/intake/tmp").iterdir())
    status = (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")
    assert "승인" in status and "4 times an hour" in status


def test_reject_and_withdraw_tell_the_tenant(site):
    inbox = site.parent / "inbox"
    drop(inbox / "acme", "one.mp4", seconds=5)
    drop(inbox / "acme", "two.mp4", seconds=6)
    h, _r, subs = scan_now(site)
    one, two = sorted(subs)
    with Store(store_path(h)) as store:
        review.reject(h, store, one, "로고가 잘렸습니다", NOW)
        review.approve(h, store, two, displays=["front"], first=NOW.date(), last=NOW.date(), per_hour=2, now=NOW)
        review.withdraw(h, store, two, NOW + dt.timedelta(hours=2))
        with pytest.raises(review.ReviewError):
            review.reject(h, store, one, "again", NOW)  # decided already
        book = store.campaigns(h.tz)
    status = (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")
    assert "반려" in status and "로고가 잘렸습니다" in status and "reviewer's note" in status
    assert "송출 중단" in status and "withdrawn" in status
    assert book.campaigns[0].withdrawn == NOW + dt.timedelta(hours=2)


def test_inbox_commands(site, capsys):
    inbox = site.parent / "inbox"
    path = drop(inbox / "acme", "promo.mp4", seconds=6)
    os.utime(path, (dt.datetime.now().timestamp() - 3600,) * 2)  # the command reads the real clock
    cfg = ["--config", str(site)]
    assert main([*cfg, "inbox", "scan"]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main([*cfg, "inbox", "list", "--status", "pending"]) == 0
    assert "promo.mp4" in capsys.readouterr().out
    assert main([*cfg, "inbox", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "sha256" in out and (site.parent / "var/intake/sheets/1.png").is_file()
    assert main([*cfg, "inbox", "approve", "1", "--displays", "pillar,nope"]) == 1
    assert "unknown display: nope" in capsys.readouterr().err
    assert main([*cfg, "inbox", "approve", "1", "--displays", "front", "--from", "2026-12-01", "--until",
                 "2026-12-31", "--per-hour", "3"]) == 0
    assert "campaign #1" in capsys.readouterr().out
    assert main([*cfg, "inbox", "reject", "1", "--reason", "x"]) == 1
    assert main([*cfg, "inbox", "show", "99"]) == 1


@pytest.mark.skipif(__import__("shutil").which("ffmpeg") is None, reason="ffmpeg shows the reference picture")
def test_a_phone_clip_is_conformed_upright_the_way_ffmpeg_shows_it(site, tmp_path):
    import subprocess

    import numpy as np
    from PIL import Image

    inbox = site.parent / "inbox"
    clip = drop(inbox / "acme", "phone.mp4", size=(1280, 720), seconds=5, rotation=90)
    h, _r, subs = scan_now(site)
    (sub,) = subs.values()
    with Store(store_path(h)) as store:
        review.approve(h, store, sub.id, displays=["pillar"], first=NOW.date(), last=NOW.date(), per_hour=1, now=NOW)
        media = store.campaigns(h.tz).campaigns[0].media["pillar"]
    reference = tmp_path / "ffmpeg.png"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip), "-frames:v", "1", str(reference)], check=True)
    with av.open(str(h.root / media)) as f:
        ours = next(f.decode(video=0)).to_ndarray(format="rgb24")
    want = np.asarray(Image.open(reference).convert("RGB").resize((1080, 1920)))  # 720x1280 fills the pillar
    assert ours.shape == want.shape
    assert np.abs(ours.astype(int) - want.astype(int)).mean() < 12


def test_a_still_image_promo_is_conformed_and_airs_for_the_configured_time(site):
    from PIL import Image

    inbox = site.parent / "inbox"
    Image.new("RGB", (1920, 1080), (200, 30, 30)).save(inbox / "nuri/poster.jpg", quality=90)
    os.utime(inbox / "nuri/poster.jpg", (NOW.timestamp() - 600,) * 2)
    h, _r, subs = scan_now(site)
    (sub,) = subs.values()
    assert sub.status == "pending" and sub.kind == "image"
    with Store(store_path(h)) as store:
        review.approve(h, store, sub.id, displays=["pillar"], first=NOW.date(), last=NOW.date(), per_hour=2, now=NOW)
        (c,) = store.campaigns(h.tz).campaigns
    assert c.kind == "image" and c.duration_s == 10.0  # promos.image_duration
    with Image.open(h.root / c.media["pillar"]) as im:
        assert im.size == (1080, 1920)
        assert im.getpixel((540, 100)) == (0, 0, 0)  # contained: bars in the background colour
        red = im.getpixel((540, 960))
        assert red[0] > 180 and red[1] < 60


def test_a_status_file_that_cannot_be_written_does_not_stop_the_scan(site, caplog):
    inbox = site.parent / "inbox"
    (inbox / "acme/STATUS.txt").mkdir()  # something in the way of the status file
    drop(inbox / "acme", "promo.mp4", seconds=5)
    drop(inbox / "nuri", "promo.mp4", seconds=6)
    _h, result, subs = scan_now(site)
    assert len(result.new) == 2 and all(s.status == "pending" for s in subs.values())
    assert "cannot write the status file for acme" in caplog.text
    assert (inbox / "nuri/STATUS.txt").is_file()


def test_two_scans_at_once_take_each_file_once(site):
    import threading

    inbox = site.parent / "inbox"
    drop(inbox / "acme", "promo.mp4", seconds=5)
    h = load_hall(site, check_assets=False)

    errors = []

    def one_scan():
        try:
            with Store(store_path(h)) as store:  # both open a database that does not exist yet
                scan(h, store, NOW)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one_scan) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with Store(store_path(h)) as store:
        assert [(s.filename, s.status) for s in store.submissions()] == [("promo.mp4", "pending")]


def test_an_upload_under_a_temporary_hidden_name_then_renamed_is_taken_cleanly(site):
    inbox = site.parent / "inbox"
    part = drop(inbox / "acme", ".promo.mp4.part", age_s=1, seconds=5)  # the upload tool is still writing
    _h, result, subs = scan_now(site)
    assert result.waiting == ["acme/.promo.mp4.part"] and not subs  # not refused while it is changing
    os.rename(part, inbox / "acme/promo.mp4")
    os.utime(inbox / "acme/promo.mp4", (NOW.timestamp() - 30,) * 2)
    _h, _r, subs = scan_now(site)
    assert [(s.filename, s.status) for s in subs.values()] == [("promo.mp4", "pending")]
    assert ".part" not in (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")


def test_check_counts_campaigns_and_warns_about_a_lost_file(site, capsys):
    inbox = site.parent / "inbox"
    drop(inbox / "acme", "promo.mp4", seconds=5)
    h, _r, subs = scan_now(site)
    (sub,) = subs.values()
    today = dt.date.today()
    with Store(store_path(h)) as store:
        review.approve(h, store, sub.id, displays=["front", "pillar"], first=today, last=today + dt.timedelta(days=7),
                       per_hour=2, now=NOW)
        media = store.campaigns(h.tz).campaigns[0].media
    assert main(["--config", str(site), "check"]) == 0
    out = capsys.readouterr().out
    assert "1 tenant promo campaigns live or upcoming (1 tenants)" in out and "warning" not in out
    (h.root / media["pillar"]).unlink()
    assert main(["--config", str(site), "check"]) == 0
    assert f"campaign #1 (acme, pillar) has lost its file {media['pillar']}" in capsys.readouterr().out


def old_file(path, data=b""):
    """A file (bytes or str path) that stopped changing an hour before NOW."""
    with open(path, "wb") as fh:
        fh.write(data)
    os.utime(path, (NOW.timestamp() - 3600,) * 2)
    return path


def test_a_file_name_that_is_not_utf8_is_refused_and_the_scan_goes_on(site, capsys):
    # GIVEN acme has a clip whose name is not valid UTF-8 (sorted first) and a good clip, and nuri a good clip
    inbox = site.parent / "inbox"
    good = drop(inbox / "acme", "promo.mp4", seconds=5)
    os.link(good, inbox / "nuri/promo.mp4")
    bad = os.path.join(os.fsencode(inbox / "acme"), b"b\xff\xfead.mp4")
    os.link(good, bad)
    os.mkdir(os.path.join(os.fsencode(inbox), b"t\xff"))  # and a tenant folder named so
    # WHEN the inbox is scanned
    _h, result, subs = scan_now(site)
    assert [(name, reason.id) for name, reason in result.skipped] == [("t\\xff", "r_bad_tenant")]
    # THEN every other file of every tenant gets its verdict
    by_name = {(s.tenant, s.filename): s for s in subs.values()}
    assert by_name[("acme", "promo.mp4")].status == "pending"
    assert by_name[("nuri", "promo.mp4")].status == "pending"
    # AND the unreadable name is refused unopened, shown escaped, with what to do
    refused = by_name[("acme", "b\\xff\\xfead.mp4")]
    assert refused.status == "refused" and refused.original is None
    assert "the file name cannot be read" in refused.reasons[0].text("en") and "rename" in refused.reasons[0].text("en")
    status = (inbox / "acme/STATUS.txt").read_text(encoding="utf-8")
    assert "b\\xff\\xfead.mp4" in status and "파일 이름을 바꿔서" in status
    # AND a second scan takes nothing twice, and the listing shows it safely
    assert scan_now(site)[1].new == []
    assert main(["--config", str(site), "inbox", "list"]) == 0
    assert "b\\xff\\xfead.mp4" in capsys.readouterr().out


def test_control_characters_and_long_names_never_add_lines(site, capsys):
    # GIVEN file names with a newline, a terminal escape, a right-to-left override, and a very long one
    folder = site.parent / "inbox/acme"
    names = ["two\nlines.mp4", "esc\x1b[2Jred.mp4", "evil\u202e4pm.exe", "long-" * 40 + ".mp4",
             "back\\slash.mp4"]
    for name in names:
        old_file(folder / name)  # empty: refused without being opened
    # WHEN scanned and listed
    _h, _result, subs = scan_now(site)
    assert main(["--config", str(site), "inbox", "list"]) == 0
    listing = capsys.readouterr().out
    # THEN each file is one submission under its escaped name
    stored = sorted(s.filename for s in subs.values())
    assert stored == sorted(["two\\nlines.mp4", "esc\\x1b[2Jred.mp4", "evil\\u202e4pm.exe", "long-" * 40 + ".mp4",
                             "back\\\\slash.mp4"])
    # AND STATUS.txt has exactly the lines it should: two titles, a blank, then per file one line and a reason pair
    status = (folder / "STATUS.txt").read_text(encoding="utf-8")
    lines = status.splitlines()
    assert len(lines) == 3 + 3 * len(names)
    assert all(line.startswith(("#", "    - ", "      ")) for line in lines[3:])
    assert "\x1b" not in status and "\u202e" not in status
    long_line = next(line for line in lines if "long-long" in line)
    assert "…" in long_line and ".mp4" in long_line and len(long_line) < 160
    # AND so does the command's listing
    assert all(line.startswith(("#", "       - ")) for line in listing.splitlines())
    assert len(listing.splitlines()) == 2 * len(names) and "\x1b" not in listing
