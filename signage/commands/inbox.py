"""``signage inbox scan|list|show|approve|reject|withdraw``: tenant submissions and their review."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, UsageError, load_or_report, now_in
from signage.config.hall import Hall
from signage.i18n import language, t
from signage.intake import review
from signage.intake.inbox import scan, store_path
from signage.intake.names import shown_name
from signage.intake.status import status_line
from signage.intake.store import Store


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="입주기업 홍보 영상 접수·검토 / tenant submissions")
    cmds = p.add_subparsers(dest="action", required=True)
    sc = cmds.add_parser("scan", help="받은편지함을 검사해 새 파일을 접수")
    sc.add_argument("--every", type=float, metavar="S", help="S초마다 계속 검사 (Ctrl-C로 멈춤)")
    ls = cmds.add_parser("list", help="접수 목록")
    ls.add_argument("--status", choices=["refused", "pending", "approved", "rejected", "withdrawn"])
    ls.add_argument("--tenant")
    show = cmds.add_parser("show", help="접수 하나의 자세한 내용과 미리보기 시트")
    show.add_argument("id", type=int)
    show.add_argument("--no-sheet", action="store_true", help="미리보기 시트를 만들지 않음")
    ap = cmds.add_parser("approve", help="승인하고 캠페인으로 송출")
    ap.add_argument("id", type=int)
    ap.add_argument("--displays", help="쉼표로 구분 (기본: 모든 디스플레이)")
    ap.add_argument("--from", dest="first", help="첫날 YYYY-MM-DD (기본: 오늘)")
    ap.add_argument("--until", help="마지막 날 YYYY-MM-DD (기본: 4주 뒤)")
    ap.add_argument("--per-hour", type=int, default=2, help="시간당 송출 횟수 (기본 2)")
    rj = cmds.add_parser("reject", help="반려")
    rj.add_argument("id", type=int)
    rj.add_argument("--reason", required=True, help="입주기업에게 전할 이유")
    wd = cmds.add_parser("withdraw", help="송출 중단 (다시는 송출되지 않음)")
    wd.add_argument("id", type=int)
    p.set_defaults(func=run)


def _date(value: str | None, default: dt.date) -> dt.date:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(t("bad_cli_time", value=value)) from None


def run(args: argparse.Namespace) -> int:
    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    now = now_in(hall.tz)
    with Store(store_path(hall)) as store:
        try:
            return ACTIONS[args.action](hall, store, args, now)
        except review.ReviewError as exc:
            print(f"signage inbox {args.action}: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT


def _scan(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    if args.every:
        while True:  # unattended: until Ctrl-C (exit 130)
            _scan_once(hall, store, now_in(hall.tz))
            time.sleep(max(1.0, args.every))
    return _scan_once(hall, store, now)


def _scan_once(hall: Hall, store: Store, now: dt.datetime) -> int:
    result = scan(hall, store, now, on_new=lambda sid: _line(store.get(sid)))
    for name in result.waiting:
        print(f"  … {shown_name(name)}: {t('st_waiting')}")
    for name, reason in result.skipped:
        print(f"  ! {shown_name(name)}: {reason.text()}")
    pending = len(store.submissions(status="pending"))
    print(t("scan_summary", new=len(result.new), waiting=len(result.waiting), refused=len(result.refused),
            pending=pending))
    return EXIT_OK


def _line(sub) -> None:
    f = sub.facts
    dims = f"{f.get('width')}x{f.get('height')}" if f.get("width") else "-"
    dur = f"{f['duration_s']:.1f}s" if f.get("duration_s") else "-"
    lang = language()
    dup = f" (= #{sub.duplicate_of})" if sub.duplicate_of else ""
    print(f"#{sub.id:<4} {sub.tenant:<12} {shown_name(sub.filename, 40):<28} {status_line(sub, lang, short=True):<10} "
          f"{sub.kind or '-':<6} {dims:<10} {dur:>7}  {sub.received[:16]}{dup}", flush=True)
    for reason in sub.reasons:
        print(f"       - {reason.text()}")


def _list(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    for sub in store.submissions(tenant=args.tenant, status=args.status):
        _line(sub)
    return EXIT_OK


def _show(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    sub = store.get(args.id)
    if sub is None:
        raise review.ReviewError(t("no_submission", id=args.id))
    _line(sub)
    keys = ("container", "codec", "width", "height", "duration_s", "fps", "frames", "audio", "rotation", "sha256")
    for key in keys:
        print(f"       {key}: {sub.facts.get(key)}")
    if sub.note:
        print(f"       note: {sub.note}")
    for row in store.campaign_rows():
        if row[1] == sub.id:
            print(f"       campaign #{row[0]}: {row[4]} {row[5]}–{row[6]} ×{row[7]}/h"
                  + (f" withdrawn {row[9]}" if row[9] else ""))
    if sub.original and not args.no_sheet:
        print(t("sheet_written", path=review.contact_sheet(hall, store, sub.id)))
    return EXIT_OK


class _Bar:
    """A progress bar on stderr for conforming (tqdm)."""

    def __init__(self, label: str):
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the bar is updated from the child's progress lines
        self.bar = tqdm(total=100, desc=label, unit="%", file=sys.stderr, leave=True,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")
        self.done = 0

    def __call__(self, fraction: float) -> None:
        target = int(fraction * 100)
        if target > self.done:
            self.bar.update(target - self.done)
            self.done = target
        if target >= 100:
            self.bar.close()


def _approve(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    displays = [d.strip() for d in (args.displays or ",".join(hall.displays)).split(",") if d.strip()]
    first = _date(args.first, now.date())
    last = _date(args.until, first + dt.timedelta(days=27))
    cid = review.approve(hall, store, args.id, displays=displays, first=first, last=last, per_hour=args.per_hour,
                         now=now, progress_for=lambda d, s: _Bar(t("conforming", display=d, size=f"{s[0]}x{s[1]}")))
    print(t("approved_done", id=args.id, campaign=cid, displays=", ".join(displays), first=first, last=last,
            per_hour=args.per_hour))
    return EXIT_OK


def _reject(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    review.reject(hall, store, args.id, args.reason, now)
    print(t("rejected_done", id=args.id, reason=args.reason))
    return EXIT_OK


def _withdraw(hall: Hall, store: Store, args, now: dt.datetime) -> int:
    review.withdraw(hall, store, args.id, now)
    print(t("withdrawn_done", id=args.id))
    return EXIT_OK


ACTIONS = {"scan": _scan, "list": _list, "show": _show, "approve": _approve, "reject": _reject,
           "withdraw": _withdraw}
