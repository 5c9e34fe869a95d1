"""The tenant portal end to end in Debian's Chromium (headless, ko-KR), with a real headless player.

The web app runs in this process on uvicorn with a clock that follows real time until the test
moves it to the next day (so "after the day" needs no waiting); the player runs at real time
(rehearsals are never counted), on a copy of the sample hall without its night-time dark hours
so the promo airs whenever the test runs.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from signage.intake import review
from signage.intake.inbox import store_path
from signage.intake.store import Store
from signage.web import rawbody, store, tenants
from tests.test_web_browser import ARGS, CHROMIUM, _env, _free_port, _signage

PASSWORD = "correct-horse-42"
SHOTS = os.environ.get("SIGNAGE_SCREENSHOTS")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (make system installs it)")


class ShiftClock:
    """Real time, plus an offset the test can set."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def portal_server(hall_dir):
    import uvicorn

    from signage.web.app import create_app

    cfg = hall_dir / "config.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('  dark: {start: "23:00", end: "07:00"}\n', ""),
                   encoding="utf-8")
    db = store.open_db(store.db_path(hall_dir))
    store.add_user(db, "boss", store.Role.ADMIN, PASSWORD, time.time())
    db.close()
    clock = ShiftClock()
    app = create_app(cfg, clock=clock)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           http=rawbody.http_protocol()))  # as signage serve runs it
    thread = threading.Thread(target=server.run, name="uvicorn-portal-test")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", clock, app
    server.should_exit = True
    thread.join(15)
    app.state.intaker.wait()


@pytest.fixture
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_invite_upload_resume_approve_air_report_certificate(portal_server, chromium, hall_dir, tmp_path):
    url, clock, app = portal_server
    ko = {"locale": "ko-KR", "viewport": {"width": 1300, "height": 1000}}
    # GIVEN the operator signed in, adding a company and inviting its contact
    op = chromium.new_context(**ko).new_page()
    op.goto(url + "/login")
    op.fill("#name", "boss")
    op.fill("#password", PASSWORD)
    op.click("button[type=submit]")
    op.goto(url + "/tenants")
    op.fill("#tid", "acme")
    op.fill("#tname", "에이크미 <주>")
    op.click("#add-tenant")
    op.fill('tr[data-tenant="acme"] input[name=login]', "acme-kim")
    op.click('tr[data-tenant="acme"] form[action$="/invite"] button')
    link = op.inner_text("#invite-link")
    _shot(op, "tenants.png")

    # WHEN the contact opens the link and sets a password
    ctx = chromium.new_context(**ko)
    tp = ctx.new_page()
    tp.goto(link)
    tp.fill("#password", PASSWORD)
    tp.fill("#password2", PASSWORD)
    tp.click("button[type=submit]")
    tp.wait_for_url(url + "/t/")
    assert "에이크미 &lt;주&gt;" in tp.content()  # the company name is text, not markup
    tp.goto(url + "/t/specs")
    assert "1080 × 1920" in tp.inner_text("#walls") and "소리가 나지 않습니다" in tp.inner_text("#sound")
    _shot(tp, "portal-specs.png")

    # AND uploads a clip in 256 KB chunks, the connection cut in the middle of the third
    clip = tmp_path / "봄 캠페인.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "6",
                    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p", str(clip)],
                   check=True, timeout=120)
    size = clip.stat().st_size
    assert size > 8 * 262144  # several chunks: the cut is in the middle
    sent = {"patch_bytes": 0, "patches": 0, "heads_after_cut": 0, "cut": False}

    def route(r):
        req = r.request
        if req.method == "PATCH":
            sent["patches"] += 1
            if sent["patches"] == 4 and not sent["cut"]:
                sent["cut"] = True
                return r.abort("connectionreset")
            sent["patch_bytes"] += len(req.post_data_buffer or b"")
        elif req.method == "HEAD" and sent["cut"]:
            sent["heads_after_cut"] += 1
        return r.continue_()

    tp.route("**/api/v1/uploads/**", route)
    tp.goto(url + "/t/upload?chunk=262144")
    tp.set_input_files("#file", str(clip))
    tp.click("#start")
    tp.wait_for_url("**/t/submissions/*", timeout=120_000)
    # THEN it resumed where it stopped: one cut, a HEAD to ask the offset, never the whole file twice
    assert sent["cut"] and sent["heads_after_cut"] >= 1
    assert sent["patch_bytes"] < 2 * size
    # AND the verdict with the facts and the pillar mock-up's warning
    assert "검토 대기" in tp.inner_text("#status")
    assert "1280×720" in tp.inner_text("#facts")
    pillar = tp.inner_text('figure[data-wall="pillar"]')
    assert "기둥 화면의 32%만 채웁니다 — 1080x1920 세로 버전을 올리면 화면을 가득 채웁니다" in pillar
    tp.wait_for_function("document.querySelector('figure[data-wall=pillar] img').naturalWidth > 0")
    _shot(tp, "portal-verdict.png")
    sid = int(tp.url.rsplit("/", 1)[-1])

    # WHEN the operator approves it for the three walls from this hour (the review's own function)
    from signage.config.loader import load_hall

    hall = load_hall(hall_dir / "config.yaml")
    now = dt.datetime.now(hall.tz)
    with Store(store_path(hall)) as st:
        review.approve(hall, st, sid, displays=["front", "rear", "pillar"], first=now.date(),
                       last=now.date() + dt.timedelta(days=30), per_hour=60, now=now - dt.timedelta(hours=1))
    from signage.web import portal

    campaign = portal.campaign_for(hall, sid)
    first = portal.next_airings(hall, campaign, dt.datetime.now(hall.tz))[0]["at"]
    # AND a headless player runs at real time until just after the first airing
    wait = (first - dt.datetime.now(hall.tz)).total_seconds()
    player = subprocess.run(
        [sys.executable, "-m", "signage", "--config", str(hall_dir / "config.yaml"), "run", "--headless",
         "--no-console", "--exit-after", f"{max(wait, 0) + 15:.0f}"],
        env=_env(), cwd=hall_dir, capture_output=True, text=True, timeout=200)
    assert player.returncode == 0, player.stderr[-2000:]

    # THEN the tenant sees it live, aired
    tp.unroute("**/api/v1/uploads/**")
    tp.goto(f"{url}/t/submissions/{sid}")
    assert "송출 중" in tp.inner_text("#status")
    assert "지금까지 0회" not in tp.inner_text("#aired")
    _shot(tp, "portal-live.png")

    # WHEN the day is over (the web app's clock moves to 00:30 tomorrow)
    today = dt.datetime.now(hall.tz).date()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 30), hall.tz)
    clock.offset = tomorrow.timestamp() - time.time()
    tp.goto(f"{url}/t/reports?from={today}&to={today}")
    if "/login" in tp.url:  # the session of yesterday has ended meanwhile: sign in again
        tp.fill("#name", "acme-kim")
        tp.fill("#password", PASSWORD)
        tp.click("button[type=submit]")
        tp.wait_for_url("**/t/reports*")
    # THEN its report has today's plays, and the month's certificate verifies
    report = tp.inner_text("#report")
    assert today.isoformat() in report
    _shot(tp, "portal-report.png")
    href = tp.get_attribute("#certificates a", "href")
    pdf = tp.request.get(url + href)
    assert pdf.status == 200
    cert = tmp_path / "certificate.pdf"
    cert.write_bytes(pdf.body())
    if SHOTS:
        Path(SHOTS, "certificate-browser.pdf").write_bytes(pdf.body())
    verified = _signage(hall_dir, "plays", "verify", str(cert))
    assert verified.returncode == 0 and "진본" in verified.stdout

    # AND a second company sees none of it
    db = store.open_db(store.db_path(hall_dir))
    tenants.add(db, "nuri", "누리", clock())
    tenants.redeem(db, tenants.invite(db, "nuri", "nuri-lee", clock()), PASSWORD, clock())
    db.close()
    other = chromium.new_context(**ko).new_page()
    other.goto(url + "/login")
    other.fill("#name", "nuri-lee")
    other.fill("#password", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(url + "/t/")
    assert "봄 캠페인" not in other.content()
    assert other.goto(f"{url}/t/submissions/{sid}").status == 404
    other.goto(f"{url}/t/reports?from={today}&to={today}")
    assert other.locator("#report").count() == 0 and other.locator("#certificates").count() == 0
    assert other.request.get(f"{url}/api/v1/submissions/{sid}").status == 404
    assert other.request.get(url + href).status == 404
