"""The monthly 송출 확인서 of one campaign: a PDF (matplotlib, NanumGothic) signed with the hall's key.

The figures are ``report.build`` for the campaign's tenant over the month, counted up to
``until`` (only days that have passed), so they agree with the reports to the play. Every text
a tenant gave (company, file name) is drawn as plain text (no mathtext, so ``$`` stays ``$``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from pathlib import Path

from signage.playback import signing
from signage.playback.report import Row

ROWS_PER_PAGE = 34
A4 = (8.27, 11.69)


def month_window(month: str) -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` → (first day, last day); ValueError when it is not a month."""
    year, mon = (int(p) for p in month.split("-"))
    if not (2000 <= year <= 2100 and 1 <= mon <= 12) or len(month) != 7:
        raise ValueError(month)
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


def render(*, hall_name: str, company: str, tenant: str, campaign, rows: list[Row], month: str,
           until: dt.datetime, issued: dt.datetime, labels: dict[str, str], fingerprint: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from signage.media.fontfile import korean_font_file

    font = korean_font_file()
    if font:
        font_manager.fontManager.addfont(str(font))
        family = font_manager.FontProperties(fname=str(font)).get_name()
    else:
        family = "sans-serif"
    rows = [r for r in rows if r.campaign == campaign.id]
    pages = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
    totals = {k: sum(getattr(r, k) for r in rows) for k in ("planned_plays", "plays", "completed", "cut_short")}
    airtime = sum(r.airtime_s for r in rows)
    buf = io.BytesIO()
    with plt.rc_context({"font.family": family, "pdf.fonttype": 42, "axes.unicode_minus": False}), \
            PdfPages(buf, metadata={"Title": f"송출 확인서 {month} #{campaign.id}", "Creator": "signage",
                                    "CreationDate": None, "ModDate": None}) as pdf:
        for n, page in enumerate(pages, 1):
            fig = plt.figure(figsize=A4)

            def text(x, y, s, fig=fig, **kw):
                fig.text(x, y, s, parse_math=False, **kw)

            text(0.5, 0.95, "송출 확인서 · Certificate of airing", ha="center", fontsize=18, weight="bold")
            text(0.5, 0.925, f"{hall_name} · {month}", ha="center", fontsize=11)
            facts = [
                ("입주기업 / Tenant", f"{company} ({tenant})"),
                ("캠페인 / Campaign", f"#{campaign.id} {campaign.title}"),
                ("화면 / Walls", ", ".join(labels.get(d, d) for d in campaign.displays)),
                ("승인 기간 / Approved", f"{campaign.first_day} ~ {campaign.last_day}, 시간당 {campaign.per_hour}회"),
                ("집계 / Counted", f"{month}-01 00:00 ~ {until:%Y-%m-%d %H:%M} (지난 날만, 리허설 제외 / days passed, no rehearsals)"),
                ("합계 / Totals", f"계획 {totals['planned_plays']}회 · 송출 {totals['plays']}회 · 완료 {totals['completed']}회"
                                  f" · 끊김 {totals['cut_short']}회 · {airtime / 60:.1f}분"),
            ]
            y = 0.885
            for label, value in facts:
                text(0.08, y, label, fontsize=9, color="#555555")
                text(0.32, y, value, fontsize=9.5)
                y -= 0.022
            cols = [("날짜 Date", 0.08), ("화면 Wall", 0.21), ("계획 Planned", 0.36), ("송출 Aired", 0.48),
                    ("완료 Completed", 0.59), ("끊김 Cut short", 0.72), ("시간 Airtime", 0.85)]
            y -= 0.012
            for title, x in cols:
                text(x, y, title, fontsize=8.5, weight="bold")
            fig.add_artist(matplotlib.lines.Line2D([0.07, 0.95], [y - 0.006, y - 0.006], color="#333333", lw=0.6))
            y -= 0.022
            if not page:
                text(0.08, y, "이 달에 송출 기록이 없습니다 / nothing aired this month", fontsize=9)
            for r in page:
                cells = [r.date, labels.get(r.display, r.display), r.planned_plays, r.plays, r.completed,
                         r.cut_short, f"{r.airtime_s:.0f} s"]
                for (_, x), value in zip(cols, cells, strict=True):
                    text(x, y, str(value), fontsize=8.5)
                y -= 0.0205
            text(0.08, 0.06, f"발급 / Issued {issued:%Y-%m-%d %H:%M} · {hall_name} 서명 키 지문 / key fingerprint {fingerprint}",
                 fontsize=7.5, color="#333333")
            text(0.08, 0.045, "이 문서는 창조홀의 Ed25519 키로 전자서명되었습니다. 진위 확인: signage plays verify 파일.pdf",
                 fontsize=7.5, color="#333333")
            text(0.92, 0.03, f"{n}/{len(pages)}", ha="right", fontsize=7.5, color="#555555")
            pdf.savefig(fig)
            plt.close(fig)
    return buf.getvalue()


def issue(*, var: Path, out: Path | None = None, **kw) -> bytes:
    """Render and sign; written to ``out`` when given. Returns the signed bytes."""
    public = signing.load_or_make_key(var).public_key()
    pdf = render(fingerprint=signing.fingerprint(public), **kw)
    campaign = kw["campaign"]
    subject = {"hall": kw["hall_name"], "tenant": kw["tenant"], "campaign": campaign.id, "month": kw["month"],
               "text": f"{kw['company']} #{campaign.id} {campaign.title} {kw['month']}"}
    signed = signing.sign(pdf, subject, var)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(signed)
    return signed
