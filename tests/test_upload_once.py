"""Uploads write every byte once and never hold a file whole in memory: tus bodies go to disk in
large blocks with one fsync, a finished upload is moved (not copied) into intake, multipart files
are spooled on the hall's disk and moved into place. Checked by counting writes and comparing
inodes, never by timing."""

from __future__ import annotations

import asyncio
import os

import pytest

from signage.intake.inbox import store_path
from signage.intake.store import Store
from signage.web import spool, tus
from signage.web.tus import TusStore
from tests.media_factory import write_h264, write_image
from tests.tenant_helpers import create, patch, tenant_client
from tests.web_desk_helpers import form_fields
from tests.web_helpers import admin_client, clock  # noqa: F401

CHUNK = 64 * 1024


def test_a_tus_body_is_written_in_large_blocks_with_one_fsync(tmp_path, monkeypatch):
    # GIVEN a 20 MiB upload whose body arrives in 64 KiB pieces, writes and fsyncs counted
    size = 20 * 1024 * 1024
    data = os.urandom(size)
    writes, syncs = [], []
    real_write, real_fsync = tus._write_at, os.fsync
    monkeypatch.setattr(tus, "_write_at", lambda fd, blocks, at: writes.append(sum(map(len, blocks))) or real_write(fd, blocks, at))
    monkeypatch.setattr(os, "fsync", lambda fd: syncs.append(fd) or real_fsync(fd))
    store = TusStore(tmp_path)
    up = store.create("a", "acme", size, {}, now=0.0)

    async def body():
        for i in range(0, size, CHUNK):
            yield data[i:i + CHUNK]

    # WHEN it is appended
    done = asyncio.run(store.append(up, 0, body(), now=1.0))
    # THEN the file holds exactly the bytes, written in a handful of blocks none past one block
    # and a piece (so at most two blocks are ever held), and synced to disk once
    assert done.done and store.data(up.id).read_bytes() == data
    assert sum(writes) == size and len(writes) <= size // tus.BLOCK + 1
    assert max(writes) <= tus.BLOCK + CHUNK
    assert len(syncs) == 1


def test_an_unfinished_tus_request_is_not_synced_and_resumes_at_what_was_written(tmp_path, monkeypatch):
    # GIVEN 6 MiB of a 10 MiB upload arriving, then the connection cut
    syncs = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: syncs.append(fd) or real_fsync(fd))
    store = TusStore(tmp_path)
    up = store.create("a", "acme", 10 * 1024 * 1024, {}, now=0.0)

    async def cut():
        for _ in range(96):
            yield b"z" * CHUNK
        raise ConnectionResetError("gone")

    # WHEN it is appended
    with pytest.raises(ConnectionResetError):
        asyncio.run(store.append(up, 0, cut(), now=1.0))
    # THEN every byte that arrived is on disk (the block in flight and the last partial one) and
    # the offset says so; nothing was synced before the end
    assert store.get(up.id).offset == 96 * CHUNK
    assert syncs == []


def test_a_finished_tus_upload_is_moved_into_intake_not_copied(hall_dir, clock):  # noqa: F811
    # GIVEN a tenant sending a clip by tus, all but its last byte
    clip = write_h264(hall_dir.parent / "clip.mp4", size=(1280, 720), seconds=6.0).read_bytes()
    client = tenant_client(hall_dir, clock, "acme")
    try:
        location = create(client, len(clip), "clip.mp4").headers["location"]
        assert patch(client, location, 0, clip[:-1]).status_code == 204
        part = hall_dir / "var/web/tus" / (location.rsplit("/", 1)[-1] + ".part")
        inode = part.stat().st_ino
        # WHEN the last byte arrives and intake takes the file
        assert patch(client, location, len(clip) - 1, clip[-1:]).status_code == 204
        client.app.state.intaker.wait()
    finally:
        client.__exit__(None, None, None)
    # THEN the original kept for review is the very file the bytes were written to (renamed)
    from signage.config.loader import load_hall

    with Store(store_path(load_hall(hall_dir / "config.yaml"))) as st:
        (sub,) = [s for s in st.submissions(tenant="acme")]
    original = hall_dir / sub.original
    assert original.read_bytes() == clip and original.stat().st_ino == inode


def test_a_multipart_file_is_spooled_on_the_hall_disk_and_moved_into_place(admin_client, hall_dir, tmp_path, monkeypatch):  # noqa: F811
    # GIVEN the inodes of the files the form parser spools parts into
    spooled = []
    real_init = spool.SpoolFile.__init__

    def init(self, folder):
        real_init(self, folder)
        spooled.append((self.path, os.fstat(self.fileno()).st_ino))

    monkeypatch.setattr(spool.SpoolFile, "__init__", init)
    csrf = form_fields(admin_client.get("/media").text, "upload")["csrf"]
    png = write_image(tmp_path / "poster.png", size=(320, 200)).read_bytes()
    # WHEN the operator uploads a picture to the media library
    ok = admin_client.post("/media/files", data={"csrf": csrf},
                           files={"file": ("poster.png", png, "image/png")}, follow_redirects=False)
    # THEN the part was spooled under var/web/spool and the saved file is that same file
    assert ok.status_code == 303
    ((path, inode),) = spooled
    assert path.parent == spool.spool_dir(hall_dir)
    (saved,) = [p for p in (hall_dir / "assets/media").rglob("*") if p.is_file()]
    assert saved.read_bytes() == png and saved.stat().st_ino == inode
    # WHEN a refused upload follows (text calling itself a JPEG)
    bad = admin_client.post("/media/files", data={"csrf": csrf}, files={"file": ("x.jpg", b"hello" * 1000, "image/jpeg")})
    # THEN no spooled part and no stray file remain
    assert bad.status_code == 422
    assert list(spool.spool_dir(hall_dir).iterdir()) == []
    assert [p for p in (hall_dir / "assets/media").rglob("*") if p.is_file()] == [saved]


def test_spooled_parts_left_by_a_crash_are_swept_after_a_day(tmp_path):
    # GIVEN a part a crashed server left, and one being written now
    old = tmp_path / (spool.PREFIX + "old")
    new = tmp_path / (spool.PREFIX + "new")
    for p in (old, new):
        p.write_bytes(b"x")
    os.utime(old, (1000.0, 1000.0))
    os.utime(new, (1000.0 + spool.MAX_AGE_S, 1000.0 + spool.MAX_AGE_S))
    # WHEN a sweep runs a day and a second after the old one
    spool.sweep(tmp_path, now=1001.0 + spool.MAX_AGE_S)
    # THEN only the old one is gone
    assert not old.exists() and new.exists()
