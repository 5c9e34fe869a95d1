"""``signage timeline``: the resolved slots of a window, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from signage.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UsageError,
    cli_time,
    day_window,
    load_or_report,
    now_in,
    planner_for,
)
from signage.i18n import t
from signage.schedule import Timeline, resolve
from signage.timefmt import iso


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="시간대별 재생 계획 / the resolved schedule")
    p.add_argument("--from", dest="start", help='예: "2026-12-03 00:00" (기본: 오늘 0시)')
    p.add_argument("--to", dest="end", help='예: "2026-12-04 00:00" (기본: --from + 1일)')
    p.add_argument("--display", action="append", help="이 디스플레이만 (여러 번 쓸 수 있음)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--promos", action="store_true", help="입주기업 홍보 영상 송출 시각도 표시 / list promo airings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    tz = hall.tz
    if args.start:
        start = cli_time(args.start, tz)
    else:
        start = day_window(now_in(tz).date(), tz)[0]
    end = cli_time(args.end, tz) if args.end else day_window(start.date(), tz)[1]
    if end <= start:
        raise UsageError(t("window_empty"))
    for name in args.display or []:
        if name not in hall.displays:
            raise UsageError(
                t("unknown_display", name=name, hint="", known=", ".join(hall.displays))
            )
    timeline = resolve(hall.config, start, end)
    promos = _promos(hall, start, end, args.display) if args.promos else None
    if args.display:
        timeline = Timeline(
            timeline.timezone,
            timeline.start,
            timeline.end,
            {d: s for d, s in timeline.by_display.items() if d in args.display},
        )
    if args.format == "json":
        out = timeline.to_json()
        if promos is not None:
            out["promos"] = promos
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(render_table(timeline))
        if promos is not None:
            print(render_promos(promos))
    return EXIT_OK


def _promos(hall, start, end, only) -> list[dict]:
    """Every promo airing in the window, computed by the same planner the walls use."""
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    full = resolve(hall.config, min(start, midnight), end)
    planner = planner_for(hall)
    rows = []
    for display in hall.displays:
        if only and display not in only:
            continue
        for a in planner.airings(full, display, start, end):
            rows.append({"display": display, "start": iso(a.start), "end": iso(a.end), "campaign": a.campaign.id,
                         "tenant": a.campaign.tenant, "title": a.campaign.title, "planned": iso(a.planned)})
    rows.sort(key=lambda r: (r["start"], r["display"]))
    return rows


def render_promos(rows: list[dict]) -> str:
    lines = ["", t("promo_header", count=len(rows))]
    for r in rows:
        lines.append(f"  {r['display']:<8} {r['start'][:19].replace('T', ' ')} – {r['end'][11:19]}  "
                     f"#{r['campaign']} {r['tenant']} {r['title']}")
    return "\n".join(lines)


def _cell_width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _cell_width(text))


def render_table(timeline: Timeline) -> str:
    headers = [t(k) for k in ("col_display", "col_start", "col_end", "col_source", "col_playlist", "col_name")]
    rows = []
    for slot in timeline.slots:
        rows.append(
            [
                slot.display,
                slot.start.strftime("%Y-%m-%d %H:%M"),
                slot.end.strftime("%Y-%m-%d %H:%M"),
                t("source_" + slot.source),
                (slot.playlist or "—") + (" (manual)" if slot.advance == "manual" else ""),
                slot.name or "",
            ]
        )
    widths = [max(_cell_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [f"# {timeline.timezone}  {timeline.start.isoformat()} → {timeline.end.isoformat()}"]
    lines.append("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
