"""The live page in a real browser against a real player: Debian's Chromium (headless, Playwright)
on ``signage serve``, which reaches a headless ``signage run`` through its control API.

GIVEN a small hall whose three walls show bright photos, the player and the web app each on a
free loopback port; WHEN the operator presses 끄기 on the rear wall, THEN its thumbnail (read
pixel by pixel from the page's <img> through a canvas) turns black, and 일정 복귀 brings it back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.media_factory import hall, write_image
from tests.test_web_browser import ARGS, CHROMIUM, PASSWORD, _env, _free_port, browser  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (make system installs it: apt-get install chromium)")

PLAYLIST = "defaults: {duration: 1h, transition: cut}\nitems:\n  - image: m/bright.png\n"

# the centre pixel of a wall's <img>, drawn on a canvas (the picture comes from our own origin)
CENTRE = """img => { const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  return Array.from(g.getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data).slice(0, 3); }"""


def _start(args: list[str], cwd: Path, url: str, what: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "signage", *args], env=_env(), cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc
        except urllib.error.HTTPError:
            return proc  # it answers (a 503 before the first frame is an answer)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{what} did not start: " + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


@pytest.fixture
def live_hall(tmp_path):
    """GIVEN a small hall (bright photos on every wall), a headless player and `signage serve`."""
    folder = tmp_path / "hall"
    (folder / "m").mkdir(parents=True)
    write_image(folder / "m/bright.png", size=(320, 180), colour=(250, 200, 40))
    config = hall(folder, {"loop": PLAYLIST})
    player_port, web_port = _free_port(), _free_port()
    config.write_text(config.read_text(encoding="utf-8") + f"control: {{port: {player_port}}}\n", encoding="utf-8")
    adding = subprocess.run([sys.executable, "-m", "signage", "--config", str(config), "users", "add", "boss",
                             "--role", "admin"], input=PASSWORD + "\n", capture_output=True, text=True, env=_env(),
                            cwd=folder, timeout=60)
    assert adding.returncode == 0, adding.stderr
    player = _start(["--config", str(config), "run", "--headless"], folder,
                    f"http://127.0.0.1:{player_port}/api/status", "signage run")
    url = f"http://127.0.0.1:{web_port}"
    web = _start(["--config", str(config), "serve", "--port", str(web_port)], folder, url + "/login", "signage serve")
    yield url
    _stop(web)
    _stop(player)


def _rear_centre(page) -> list[int] | None:
    img = page.locator('img.snap[data-display="rear"]')
    if not img.evaluate("img => img.complete && img.naturalWidth > 0"):
        return None
    return img.evaluate(CENTRE)


def _wait_for(page, wanted, seconds=20.0) -> list[int] | None:
    """The rear thumbnail's centre, once ``wanted(rgb)`` holds (the page refreshes it every second)."""
    deadline = time.monotonic() + seconds
    rgb = None
    while time.monotonic() < deadline:
        rgb = _rear_centre(page)
        if rgb is not None and wanted(rgb):
            return rgb
        page.wait_for_timeout(250)
    return rgb


def test_black_on_the_live_page_turns_the_thumbnail_black_then_resume_brings_it_back(live_hall, browser):  # noqa: F811
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.goto(live_hall + "/live")
    page.fill("#name", "boss")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_hall + "/live")
    # the walls play: the rear thumbnail shows the bright photo, and the words say what plays
    bright = _wait_for(page, lambda rgb: min(rgb) > 30 and rgb[0] > 200)
    assert bright is not None and bright[0] > 200, bright
    page.wait_for_selector("#state-rear .now:has-text('사진')")
    if os.environ.get("SIGNAGE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIGNAGE_SCREENSHOTS"], "live-ko.png"), full_page=True)
    # WHEN 끄기 is pressed on the rear wall (htmx: the page does not reload)
    page.evaluate("window.__same_page = true")
    page.locator('section[data-display="rear"] button[data-action="black"]').click()
    # THEN the answer says so, the rear thumbnail turns black, the others keep playing
    page.wait_for_selector("#flash:has-text('후면: 끄기')")
    dark = _wait_for(page, lambda rgb: max(rgb) < 10)
    assert dark is not None and max(dark) < 10, dark
    page.wait_for_selector('#state-rear [data-hold="black"]')
    front = page.locator('img.snap[data-display="front"]').evaluate(CENTRE)
    assert front[0] > 200
    # WHEN 일정 복귀 is pressed THEN the photo comes back
    page.locator('section[data-display="rear"] button[data-action="resume"]').click()
    back = _wait_for(page, lambda rgb: rgb[0] > 200)
    assert back is not None and back[0] > 200, back
    assert page.evaluate("window.__same_page") is True  # no reload all along
    if os.environ.get("SIGNAGE_SCREENSHOTS"):
        page.goto(live_hall + "/live?lang=en")
        _wait_for(page, lambda rgb: rgb[0] > 200)
        page.screenshot(path=os.path.join(os.environ["SIGNAGE_SCREENSHOTS"], "live-en.png"), full_page=True)
    context.close()
