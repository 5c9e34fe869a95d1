"""``signage plays report``: proof of play per day and display, from the player's play records."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

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
from signage.playback.records import plays_db_path
from signage.playback.report import COLUMNS, build, totals
from signage.timefmt import iso


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plays", help="송출 기록 보고서 / proof of play")
    cmds = p.add_subparsers(dest="action", required=True)
    r = cmds.add_parser("report", help="기간별·디스플레이별 송출 실적")
    r.add_argument("--from", dest="first", required=True, help="첫날 YYYY-MM-DD")
    r.add_argument("--to", dest="last", required=True, help="마지막 날 YYYY-MM-DD (포함)")
    r.add_argument("--tenant", help="이 입주기업만")
    r.add_argument("--format", choices=["csv", "json", "png"], default="csv")
    r.add_argument("--out", help="png 파일 경로 (기본: var/reports/plays-<기간>.png)")
    r.add_argument("--as-of", metavar="T", help="이 시각까지 센다 (기본: 지금) / count up to T (default: now)")
    v = cmds.add_parser("verify", help="송출 확인서(PDF)가 진본이고 바뀌지 않았는지 확인 / check a certificate")
    v.add_argument("file", help="송출 확인서 PDF")
    p.set_defaults(func=run)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise UsageError(t("bad_cli_time", value=value)) from None


def verify(args: argparse.Namespace) -> int:
    """Exit 0 when the certificate is genuine (signed with this hall's key) and unaltered, else 1."""
    from signage.playback import signing

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(t("verify_unreadable", error=exc.strerror or exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    verdict = signing.verify(data, Path(args.config).absolute().parent / "var")
    print(t(verdict.key, **verdict.kw), file=sys.stdout if verdict.ok else sys.stderr)
    return EXIT_OK if verdict.ok else EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    if args.action == "verify":
        return verify(args)
    first, last = _day(args.first), _day(args.last)
    if last < first:
        raise UsageError(t("window_empty"))
    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    planner = planner_for(hall)
    # Only what has aired: days to come count nothing, today counts up to now. Rehearsals write
    # their own file (var/rehearsal/plays.sqlite), which is never read here.
    until = min(cli_time(args.as_of, hall.tz) if args.as_of else now_in(hall.tz), day_window(last, hall.tz)[1])
    rows = build(planner, plays_db_path(hall.root / "var"), first, last, args.tenant, until=until)
    if until < day_window(last, hall.tz)[1]:
        print(t("report_until", until=iso(until)), file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"from": first.isoformat(), "to": last.isoformat(), "until": iso(until),
                          "tenant": args.tenant,
                          "rows": [r.to_json() for r in rows], "totals": totals(rows)}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow(r.to_json())
        print(buf.getvalue(), end="")
    else:
        from signage.playback.chart import draw

        who = args.tenant or hall.name
        out = Path(args.out) if args.out else hall.root / "var" / "reports" / (
            f"plays-{args.tenant + '-' if args.tenant else ''}{first}-{last}.png")
        draw(rows, first, last, f"{who} 홍보 송출 실적 / proof of play", out)
        print(t("report_written", path=out))
    if not rows:
        print(t("report_empty"), file=sys.stderr)
    return EXIT_OK
