"""Approving a promo in a real browser (Debian's Chromium, headless, ko-KR): scan the inbox, open
/promos, approve for the pillar 4 times an hour, watch the conforming progress finish, and see
the airings in `signage timeline --promos`."""

from __future__ import annotations

import json
import os
import time

from tests.media_factory import write_h264
from tests.test_web_browser import ARGS, CHROMIUM, _login, _signage, browser, pytestmark, server  # noqa: F401


def _shot(page, name: str) -> None:
    folder = os.environ.get("SIGNAGE_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_approve_a_promo_and_see_it_air(hall_dir, server, browser):  # noqa: F811
    # GIVEN a 6 s clip that arrived in inbox/acme/ an hour ago
    (hall_dir / "inbox/acme").mkdir(parents=True)
    clip = write_h264(hall_dir / "inbox/acme/봄 홍보.mp4", size=(1280, 720), seconds=6)
    old = time.time() - 3600
    os.utime(clip, (old, old))
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _login(page, server)
    # WHEN the operator scans the inbox from the review page
    page.goto(server + "/promos")
    page.click("#scan")
    page.wait_for_selector("#sub-1")
    assert "새 파일 1개" in page.inner_text("main")
    card = page.locator("#sub-1")
    assert "봄 홍보.mp4" in card.inner_text() and "1280×720" in card.inner_text()
    # AND sees the contact sheet
    page.wait_for_selector("#sub-1 img.sheet")
    assert page.eval_on_selector("#sub-1 img.sheet", "e => e.complete && e.naturalWidth") > 0
    # AND approves it for the pillar only, 4 times an hour, for a week
    card.locator("input[name=wall][value=front]").uncheck()
    card.locator("input[name=wall][value=rear]").uncheck()
    card.locator("input[name=from]").fill("2026-12-07")
    card.locator("input[name=until]").fill("2026-12-13")
    card.locator("input[name=per_hour]").fill("4")
    card.locator("form.approve button[type=submit]").click()
    # THEN the progress shows while the clip is conformed, and says when it is done
    page.wait_for_selector("#progress-1")
    _shot(page, "promos-conforming.png")
    page.wait_for_selector('#progress-1[data-state="done"]', timeout=180_000)
    assert "캠페인 #1" in page.inner_text("#progress-1")
    # AND signage timeline lists the pillar's airings, 4 in an hour
    out = _signage(hall_dir, "timeline", "--promos", "--from", "2026-12-08 10:00", "--to", "2026-12-08 11:00",
                   "--display", "pillar", "--format", "json")
    assert out.returncode == 0, out.stderr
    airings = json.loads(out.stdout)["promos"]
    assert len(airings) == 4 and {a["display"] for a in airings} == {"pillar"}
    assert {(a["tenant"], a["title"], a["campaign"]) for a in airings} == {("acme", "봄 홍보.mp4", 1)}
    page.goto(server + "/promos")
    assert "승인" in page.inner_text("#decided")
    _shot(page, "promos.png")
    context.close()
