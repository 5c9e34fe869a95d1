"""signage serve in a real browser: Debian's Chromium, headless, driven by Playwright.

A real ``signage serve`` subprocess on a free loopback port over a copy of the sample hall.
Nothing downloads a browser: Playwright is pointed at /usr/bin/chromium (``make system``
installs it); without it these tests skip and say why.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-42"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (make system installs it: apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SIGNAGE_LANG="ko")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _signage(hall: Path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signage", "--config", str(hall / "config.yaml"), *args],
                          input=stdin, capture_output=True, text=True, env=_env(), cwd=hall, timeout=120)


@pytest.fixture
def server(hall_dir):
    """GIVEN an admin account and `signage serve` on a free loopback port."""
    assert _signage(hall_dir, "users", "add", "boss", "--role", "admin", stdin=PASSWORD + "\n").returncode == 0
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "signage", "--config", str(hall_dir / "config.yaml"), "serve",
                             "--port", str(port)], env=_env(), cwd=hall_dir,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("signage serve did not start: " + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _login(page, url):
    page.goto(url + "/schedule")
    assert "/login" in page.url
    page.fill("#name", "boss")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/schedule")


def test_create_an_event_with_a_pdf_and_see_it_everywhere(server, browser, hall_dir, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # WHEN the operator signs in and opens the form for a day
    _login(page, server)
    page.goto(server + "/schedule/events/new?date=2026-12-10")
    page.fill("#name", "G밸리 신년 네트워킹")
    page.fill("#start", "10:00")
    page.fill("#end", "12:00")
    page.check("input[name=mode_front][value=upload]")
    page.set_input_files("input[name=files_front]", str(hall_dir / "assets/decks/ir-deck.pdf"))
    page.check("input[name=manual_front]")
    page.check("input[name=mode_rear][value=playlist]")
    page.select_option("select[name=playlist_rear]", "ir-stage")
    page.fill("#preview_at", "10:05")
    # AND asks for a preview first
    page.click("#preview")
    page.wait_for_selector("#preview-result img")
    images = page.eval_on_selector_all("#preview-result img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert len(images) == 3 and all(w > 0 for _, w in images)
    if os.environ.get("SIGNAGE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIGNAGE_SCREENSHOTS"], "event-form.png"), full_page=True)
    # AND saves it (the uploaded PDF is kept by the preview's draft)
    page.click("#save")
    page.wait_for_url("**/schedule?week=2026-12-07&saved=1")
    # THEN the calendar shows the event's block on its day
    block = page.locator('.day[data-date="2026-12-10"] .block.event', has_text="G밸리 신년 네트워킹")
    assert block.count() == 2  # front and rear
    if os.environ.get("SIGNAGE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIGNAGE_SCREENSHOTS"], "calendar.png"), full_page=True)
    # AND `signage timeline` names it on the front wall, from the generated playlist
    timeline = _signage(hall_dir, "timeline", "--from", "2026-12-10 09:00", "--to", "2026-12-10 13:00",
                        "--display", "front", "--format", "json")
    slots = json.loads(timeline.stdout)["slots"]
    event = [s for s in slots if s["source"] == "event"][0]
    assert event["name"] == "G밸리 신년 네트워킹" and event["playlist"].startswith("event-20261210-1000-")
    assert event["advance"] == "manual"
    # AND `signage preview` shows the uploaded deck's first page on the front wall
    shot = _signage(hall_dir, "preview", "--at", "2026-12-10 10:05", "--out", str(tmp_path / "p"), "--format", "json")
    front = json.loads(shot.stdout)["displays"]["front"]
    assert front["item"]["type"] == "pdf" and front["item"]["path"].startswith("assets/events/20261210-1000-")
    assert (tmp_path / "p" / "front.png").stat().st_size > 1000
    assert _signage(hall_dir, "check").returncode == 0


def test_no_csrf_token_or_no_session_is_refused(server, browser, hall_dir):
    page = browser.new_page()
    _login(page, server)
    before = (hall_dir / "config.yaml").read_bytes()
    # WHEN a form is posted from the signed-in browser without its token
    forged = page.request.post(server + "/schedule/events", multipart={
        "name": "위조", "date": "2026-12-10", "start": "10:00", "end": "11:00",
        "mode_rear": "playlist", "playlist_rear": "ir-stage", "action": "save"})
    # THEN it is refused with a page a person can read, and nothing changes
    assert forged.status == 403 and "보안 확인 값" in forged.text()
    assert (hall_dir / "config.yaml").read_bytes() == before
    # WHEN someone without a session asks for a page and the API
    stranger = browser.new_context()
    anon = stranger.new_page()
    anon.goto(server + "/schedule/events/new")
    api = stranger.request.get(server + "/api/v1/events")
    # THEN the page is the login page and the API answers 401
    assert "/login" in anon.url and anon.locator("#password").count() == 1
    assert api.status == 401
    stranger.close()
