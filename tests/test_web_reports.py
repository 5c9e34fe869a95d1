"""Proof of play in the web app: the operator's /reports and the tenant's own, the Excel CSV, and
the signed monthly certificate that `signage plays verify` checks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest

from signage.cli import main
from signage.intake.store import Store
from signage.playback.records import PlayLog, PlayRecord
from tests.tenant_helpers import tenant_client
from tests.web_helpers import SEOUL, FakeClock, add_user, login, make_client


@pytest.fixture
def aired(hall_dir):
    """GIVEN campaigns of acme and nuri in December, and plays recorded on 1 and 2 December
    (plus a rehearsal's play, kept in its own file, and a play 'dated' in the future)."""
    with Store(hall_dir / "var/intake.sqlite") as st:
        for tenant in ("acme", "nuri"):
            sid = st.add(tenant=tenant, filename=f"{tenant} <b>$x$</b>.png", size=1, mtime_ns=1,
                         received=dt.datetime(2026, 11, 1, 9, tzinfo=SEOUL), status="pending", kind="image")
            st.add_campaign(st.get(sid), title=f"{tenant} <b>$x$</b>.png", displays=["front", "pillar"],
                            first_day=dt.date(2026, 12, 1), last_day=dt.date(2026, 12, 31), per_hour=2,
                            created=dt.datetime(2026, 11, 1, 9, tzinfo=SEOUL), kind="image", duration_s=10.0,
                            media={"front": "assets/house/fallback.png", "pillar": "assets/house/fallback.png"})

    def play(log, display, start, campaign, seconds=10.0, outcome="completed"):
        begin = dt.datetime.fromisoformat(start).replace(tzinfo=SEOUL)
        log.add(PlayRecord(display, "house-loop", "default", None, -1, "image", "assets/house/fallback.png", None,
                           begin.isoformat(), (begin + dt.timedelta(seconds=seconds)).isoformat(), seconds, 10.0,
                           1, 0, outcome, None, campaign))

    log = PlayLog(hall_dir / "var/plays.sqlite")
    play(log, "front", "2026-12-01 10:07:30", 1)
    play(log, "front", "2026-12-01 10:37:30", 1, seconds=4.0, outcome="cut")
    play(log, "pillar", "2026-12-01 10:07:30", 1)
    play(log, "front", "2026-12-02 09:15:00", 2)
    play(log, "front", "2026-12-03 09:15:00", 1)  # "today" for the clock below: not counted yet
    log.close()
    rehearsal = PlayLog(hall_dir / "var/rehearsal/plays.sqlite")
    play(rehearsal, "front", "2026-12-02 11:00:00", 1)
    rehearsal.close()
    return hall_dir


@pytest.fixture
def dec3():
    return FakeClock(dt.datetime(2026, 12, 3, 12, 0, tzinfo=SEOUL))


def test_tenant_report_counts_only_its_own_passed_days_without_rehearsals(aired, dec3):
    client = tenant_client(aired, dec3, "acme")
    try:
        page = client.get("/t/reports?from=2026-12-01&to=2026-12-31").text
        got = client.get("/t/reports.csv?from=2026-12-01&to=2026-12-31")
    finally:
        client.__exit__(None, None, None)
    # THEN the CSV opens in Korean Excel: a BOM, Korean headers, CRLF
    assert got.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["날짜", "화면", "입주기업", "캠페인", "홍보물"] and b"\r\n" in got.content
    aired_rows = {(r[0], r[1]): r for r in rows[1:]}
    # AND only acme's rows of 1 and 2 December (not the 3rd, which is today; not nuri's)
    assert {r[2] for r in rows[1:]} == {"acme"}
    assert {d for d, _ in aired_rows} == {"2026-12-01", "2026-12-02"}
    front1 = aired_rows[("2026-12-01", "전면")]
    assert front1[6:9] == ["2", "1", "1"]  # aired, completed, cut short
    assert aired_rows[("2026-12-02", "전면")][6] == "0"  # the rehearsal's play is not there
    assert "&lt;b&gt;$x$&lt;/b&gt;" in page and "<b>$x$</b>" not in page


def test_operator_report_has_every_tenant_with_its_chart(aired, dec3):
    add_user(aired, "op", "operator")
    with make_client(aired, dec3) as op:
        login(op, "op")
        page = op.get("/reports?from=2026-12-01&to=2026-12-02")
        assert page.status_code == 200
        assert 'data-tenant="acme"' in page.text and 'data-tenant="nuri"' in page.text
        chart = page.text.split('class="chart" src="')[1].split('"')[0]
        assert op.get(chart).headers["content-type"] == "image/png"
        body = op.get("/reports.csv?from=2026-12-01&to=2026-12-02&tenant=nuri").content.decode("utf-8-sig")
        assert {r[2] for r in list(csv.reader(io.StringIO(body)))[1:]} == {"nuri"}


def test_the_certificate_is_signed_and_verify_tells_genuine_from_altered(aired, dec3, tmp_path, capsys):
    client = tenant_client(aired, dec3, "acme")
    try:
        page = client.get("/t/reports").text
        assert "/t/certificates/1/2026-12.pdf" in page
        pdf = client.get("/t/certificates/1/2026-12.pdf")
        assert client.get("/t/certificates/2/2026-12.pdf").status_code == 404  # nuri's campaign
        assert client.get("/t/certificates/1/2027-01.pdf").status_code == 404  # no day of it has passed
    finally:
        client.__exit__(None, None, None)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # the hall's key was made once, readable by its owner only
    key = aired / "var/keys/hall-ed25519.pem"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    good = tmp_path / "cert.pdf"
    good.write_bytes(pdf.content)
    config = str(aired / "config.yaml")
    assert main(["--config", config, "plays", "verify", str(good)]) == 0
    assert "genuine" in capsys.readouterr().out
    # WHEN one figure is changed in the file
    altered = tmp_path / "altered.pdf"
    data = bytearray(pdf.content)
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    # THEN verify says so, exit 1; and a file with no signature is not a certificate
    assert main(["--config", config, "plays", "verify", str(altered)]) == 1
    assert "altered" in capsys.readouterr().err
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf.content.split(b"\n%SIGNAGE-SIGNATURE")[0])
    assert main(["--config", config, "plays", "verify", str(plain)]) == 1
    # AND one signed by another hall's key is not genuine here
    other = tmp_path / "other"
    (other / "var").mkdir(parents=True)
    from signage.playback import signing

    forged = signing.sign(pdf.content.split(b"\n%SIGNAGE-SIGNATURE")[0], {"hall": "x", "text": "x"}, other / "var")
    (tmp_path / "forged.pdf").write_bytes(forged)
    assert main(["--config", config, "plays", "verify", str(tmp_path / "forged.pdf")]) == 1
    assert "another key" in capsys.readouterr().err


def test_the_certificate_pdf_shows_hangul_and_the_figures(aired, dec3):
    pdfium = pytest.importorskip("pypdfium2")
    client = tenant_client(aired, dec3, "acme")
    try:
        pdf = client.get("/t/certificates/1/2026-12.pdf").content
    finally:
        client.__exit__(None, None, None)
    if os.environ.get("SIGNAGE_SCREENSHOTS"):
        (Path(os.environ["SIGNAGE_SCREENSHOTS"]) / "certificate.pdf").write_bytes(pdf)
    doc = pdfium.PdfDocument(pdf)
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    assert "송출 확인서" in text and "acme 주식회사" in text and "<b>$x$</b>" in text
    assert "2026-12-01" in text and "2026-12-03" not in text.split("집계")[0]
