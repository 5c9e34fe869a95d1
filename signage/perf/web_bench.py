"""Web benchmark: the three walls play (the playback bench's hall and clips) while 20 viewers
watch the live page of ``signage serve`` and one 500 MB deck uploads to it.

Reported: frames on time per wall over the run (target ≥ 99.5%), the upload's speed as a ratio
to a plain file copy of the same file timed in the same run, the web process's peak RSS before
and during the upload (uploads stream to disk: Starlette spools each part past 1 MB to a
temporary file and the deck is copied from it in chunks), the live panel's latency, how many
requests reached the player, and the week calendar with 50 events (target < 200 ms).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from signage.perf.playback_bench import make_clips, make_images, write_hall

VIEWERS = 20
UPLOAD_MB = 500
EVENTS = 50
WEEK = dt.date(2026, 12, 7)  # a Monday after the played day, so the events do not change what plays
PASSWORD = "bench-password-42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_big_pdf(path: Path, megabytes: int = UPLOAD_MB) -> Path:
    """A valid one-page PDF of ``megabytes`` MB: the bulk is an unreferenced stream of zeros,
    written sparse (nothing is generated in memory, and pdfium never reads it)."""
    if path.exists() and path.stat().st_size >= megabytes * 1024 * 1024:
        return path
    content = b"0 0.2 0.4 rg 0 0 1920 1080 re f"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1920 1080] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    pad = megabytes * 1024 * 1024
    offsets = []
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        for i, body in enumerate(objects, 1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
        offsets.append(fh.tell())
        fh.write(b"5 0 obj\n<< /Length %d >>\nstream\n" % pad)
        fh.seek(pad, os.SEEK_CUR)  # sparse zeros
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
        fh.write(b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return path


def add_events(config: Path, count: int = EVENTS) -> None:
    """``count`` events in the week of ``WEEK`` (seven a day, 90 minutes each), on the hall's playlists."""
    lines = ["  events:"]
    for i in range(count):
        day = WEEK + dt.timedelta(days=i % 7)
        start = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=100 * (i // 7))
        end = start + dt.timedelta(minutes=90)
        lines += [f"    - name: 벤치 행사 {i + 1}", f'      start: "{start:%Y-%m-%d %H:%M}"', f'      end: "{end:%Y-%m-%d %H:%M}"',
                  "      displays: {front: rear, rear: pillar, pillar: front}"]
    config.write_text(config.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


class Session:
    """A signed-in browser's cookies, over one keep-alive connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _keep(self, response) -> None:
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]

    def get(self, conn, path: str) -> tuple[int, bytes]:
        conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        r = conn.getresponse()
        body = r.read()
        self._keep(r)
        return r.status, body

    def login(self, name: str) -> None:
        conn = self.conn()
        _, page = self.get(conn, "/login")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf": csrf, "name": name, "password": PASSWORD, "next": "/live"})
        conn.request("POST", "/login", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        r = conn.getresponse()
        r.read()
        self._keep(r)
        conn.close()
        if r.status != 303:
            raise RuntimeError(f"login failed: {r.status}")


def _viewer(session: Session, walls: list[str], stop: threading.Event, out: dict) -> None:
    """Once a second: the live panel and every wall's thumbnail, as the page's script does."""
    conn = session.conn()
    session.get(conn, "/live")
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            status, _ = session.get(conn, "/live/panel")
            out["panel_ms"].append(1000 * (time.monotonic() - t0))
            out["ok" if status == 200 else "bad"] += 1
            for wall in walls:
                status, png = session.get(conn, f"/live/snapshot/{wall}.png?width={270 if wall == 'pillar' else 480}")
                out["ok" if status == 200 and png.startswith(b"\x89PNG") else "bad"] += 1
        except (OSError, http.client.HTTPException):
            out["bad"] += 1
            conn.close()
            conn = session.conn()
        stop.wait(max(0.0, 1.0 - (time.monotonic() - t0)))
    conn.close()


def _rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _upload(port: int, token: str, path: Path, wall: str) -> tuple[int, dict, float]:
    """Stream ``path`` as a multipart upload to the deck API; (status, answer, seconds)."""
    boundary = "benchboundary7d2f"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + path.stat().st_size + len(tail)

    def body():
        yield head
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                yield chunk
        yield tail

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.monotonic()
    conn.request("POST", f"/api/v1/walls/{wall}/deck", body=body(), headers={
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(size)})
    r = conn.getresponse()
    answer = r.read()
    seconds = time.monotonic() - t0
    conn.close()
    try:
        reply = json.loads(answer)
    except ValueError:
        reply = {"raw": answer[:200].decode(errors="replace")}
    return r.status, reply, seconds


def _copy_seconds(path: Path, dest: Path) -> float:
    t0 = time.monotonic()
    shutil.copyfile(path, dest)
    seconds = time.monotonic() - t0
    dest.unlink()
    return seconds


def _wait(url_port: int, path: str, proc: subprocess.Popen, what: str, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.2)


def run(seconds: float = 60.0, workdir: Path | None = None) -> dict:
    if not shutil.which("ffmpeg"):
        return {"skipped": "ffmpeg is needed to make H.264 clips (apt-get install ffmpeg)"}
    from signage.web import store

    workdir = workdir or Path(tempfile.gettempdir()) / "signage-bench"
    clips = make_clips(workdir / "clips", 20)
    folder = workdir / "web-hall"
    shutil.rmtree(folder, ignore_errors=True)
    config = write_hall(folder, clips, make_images(workdir))
    player_port, web_port = _free_port(), _free_port()
    add_events(config)
    config.write_text(config.read_text(encoding="utf-8") + f"control: {{port: {player_port}}}\n", encoding="utf-8")
    db = store.open_db(store.db_path(folder))
    store.add_user(db, "bench", store.Role.OPERATOR, PASSWORD, time.time())
    token = store.new_token(db, "bench", time.time())
    db.close()
    big = make_big_pdf(workdir / f"upload-{UPLOAD_MB}mb.pdf")
    copy_s = _copy_seconds(big, workdir / "copy-reference.pdf")

    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={folder / 'screens.json'}"}
    env.pop("DISPLAY", None)
    stats_file = workdir / "web-stats.json"
    stats_file.unlink(missing_ok=True)
    web = subprocess.Popen([sys.executable, "-m", "signage", "--config", str(config), "serve", "--port", str(web_port)],
                           env=env, cwd=str(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    player = None
    try:
        _wait(web_port, "/login", web, "signage serve")
        session = Session(web_port)
        session.login("bench")
        # the week calendar with 50 events, on a quiet machine (before the walls start)
        conn = session.conn()
        week_ms = []
        for _ in range(11):
            t0 = time.monotonic()
            status, page = session.get(conn, f"/schedule?week={WEEK.isoformat()}")
            week_ms.append(1000 * (time.monotonic() - t0))
        conn.close()
        blocks = page.count(b'class="block event"')
        rss_idle = _rss_mb(web.pid)

        player = subprocess.Popen(
            [sys.executable, "-m", "signage", "--config", str(config), "run", "--exit-after", str(seconds),
             "--stats", str(stats_file), "--start-at", "2026-12-03 12:00:00", "--no-console"],
            env=env, cwd=str(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(player_port, "/api/status", player, "signage run")
        started = time.monotonic()
        stop = threading.Event()
        out = {"panel_ms": [], "ok": 0, "bad": 0}
        viewers = [threading.Thread(target=_viewer, args=(session, ["front", "rear", "pillar"], stop, out), daemon=True)
                   for _ in range(VIEWERS)]
        for v in viewers:
            v.start()
        time.sleep(min(5.0, seconds / 6))
        peak = {"rss": 0.0}
        sampling = threading.Event()

        def sample():
            while not sampling.is_set():
                peak["rss"] = max(peak["rss"], _rss_mb(web.pid)[0])
                sampling.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        upload_at = time.monotonic() - started
        status, reply, upload_s = _upload(web_port, token, big, "front")
        sampling.set()
        sampler.join()
        rss_after = _rss_mb(web.pid)
        if status == 200:  # the deck is on the front wall: back to the clips for the rest of the run
            conn = http.client.HTTPConnection("127.0.0.1", web_port, timeout=10)
            conn.request("POST", "/api/v1/walls/front/resume", headers={"Authorization": f"Bearer {token}"})
            conn.getresponse().read()
            conn.close()
        player.wait(timeout=seconds + 120)
        stop.set()
        for v in viewers:
            v.join(timeout=10)
        load_s = time.monotonic() - started
    finally:
        for proc in (player, web):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {"displays": {}}
    on_time = {name: round(100 * (d["frames_presented"] - d["frames_late"]) / max(d["frames_expected"], 1), 2)
               for name, d in stats["displays"].items()}
    size_mb = big.stat().st_size / 1e6
    panel = sorted(out["panel_ms"])
    shutil.rmtree(folder / "var" / "web" / "decks", ignore_errors=True)
    return {
        "seconds": seconds, "viewers": VIEWERS, "load_s": round(load_s, 1),
        "on_time_pct": on_time, "frames": {n: {k: d[k] for k in ("frames_presented", "frames_expected", "frames_late",
                                                                 "frames_dropped")} for n, d in stats["displays"].items()},
        "requests_ok": out["ok"], "requests_failed": out["bad"],
        "panel_ms_p50": round(statistics.median(panel), 1) if panel else None,
        "panel_ms_p95": round(panel[int(0.95 * (len(panel) - 1))], 1) if panel else None,
        "upload": {"mb": round(size_mb, 1), "status": status, "state": reply.get("state"), "started_at_s": round(upload_at, 1),
                   "seconds": round(upload_s, 2), "mb_s": round(size_mb / upload_s, 1),
                   "copy_seconds": round(copy_s, 2), "copy_mb_s": round(size_mb / copy_s, 1),
                   "ratio_to_copy": round(copy_s / upload_s, 3)},
        "web_rss_mb": {"idle": round(rss_idle[0], 1), "peak_during_upload": round(peak["rss"], 1),
                       "after_upload": round(rss_after[0], 1), "process_peak": round(rss_after[1], 1)},
        "week": {"events": EVENTS, "event_blocks": blocks, "ms_median": round(statistics.median(week_ms[1:]), 1),
                 "ms_first": round(week_ms[0], 1), "ms_max": round(max(week_ms[1:]), 1)},
    }


def report(r: dict) -> None:
    if "skipped" in r:
        print(f"web: skipped — {r['skipped']}")
        return
    print(f"web: 3 walls playing 1080p30 clips for {r['seconds']:.0f} s while {r['viewers']} viewers poll /live "
          f"(panel + 3 thumbnails a second) and one {r['upload']['mb']:.0f} MB deck uploads")
    for name, pct in r["on_time_pct"].items():
        f = r["frames"][name]
        print(f"  {name}: {f['frames_presented']} presented / {f['frames_expected']} expected, {f['frames_late']} late, "
              f"{f['frames_dropped']} dropped → {pct}% on time (target ≥ 99.5%)")
    print(f"  viewers: {r['requests_ok']} answers, {r['requests_failed']} failed; panel p50 {r['panel_ms_p50']} ms, "
          f"p95 {r['panel_ms_p95']} ms")
    u = r["upload"]
    print(f"  upload: HTTP {u['status']} ({u['state']}) in {u['seconds']} s = {u['mb_s']} MB/s; a plain copy "
          f"{u['copy_seconds']} s = {u['copy_mb_s']} MB/s → {u['ratio_to_copy']}x a copy's speed")
    m = r["web_rss_mb"]
    print(f"  web process RSS: {m['idle']} MB idle, at most {m['peak_during_upload']} MB during the upload "
          f"(streamed to disk, never whole in memory), {m['after_upload']} MB after")
    w = r["week"]
    print(f"  week calendar with {w['events']} events ({w['event_blocks']} blocks): median {w['ms_median']} ms, "
          f"max {w['ms_max']} ms, first {w['ms_first']} ms (target < 200 ms)")
