"""``signage run``: the player. Three fullscreen walls, or headless snapshots without a screen."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, load_or_report


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="플레이어 실행 / run the player")
    p.add_argument("--headless", action="store_true", help="화면 없이 합성만 (스냅샷 저장)")
    p.add_argument("--exit-after", type=float, metavar="S", help="S초 뒤 종료")
    p.add_argument("--stats", metavar="FILE", help="종료할 때 통계 JSON을 씀")
    p.add_argument("--no-console", action="store_true", help="운영 콘솔을 띄우지 않음")
    p.add_argument("--start-at", metavar="T", help='이 시각부터 재생 (리허설): 예 "2026-12-03 13:59"')
    p.add_argument("--snapshots", metavar="DIR", help="헤드리스 스냅샷 폴더 (기본: var/snapshots)")
    p.set_defaults(func=run)


def show_console(player):
    """The operator's console on the screen no wall uses; none when every screen feeds a wall."""
    from signage.console.window import ConsoleWindow
    from signage.i18n import t

    screen = player.free_screen()
    if screen is None:
        logging.getLogger("signage.console").warning(t("console_no_screen"))
        return None
    console = ConsoleWindow(player)
    console.setScreen(screen)
    console.setGeometry(screen.availableGeometry())
    console.showMaximized()
    console.timer.start()
    return console


def run(args: argparse.Namespace) -> int:
    from signage.logs import setup_logging

    setup_logging()
    from signage.memory import steady_malloc

    steady_malloc()  # before any thread starts
    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    setup_logging(hall.tz)  # log times in the hall's zone
    from signage.commands.common import now_in
    from signage.control.lock import LockUnavailable, PlayerRunning, lock_player

    try:
        lock = lock_player(hall, now_in(hall.tz))  # one player per hall, until this process ends
    except (PlayerRunning, LockUnavailable) as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    from signage.display.qtapp import ensure_app, has_display_server

    headless = args.headless or not has_display_server()
    app = ensure_app(headless=headless, widgets=not headless and not args.no_console)
    from signage.app import Player
    from signage.i18n import t

    snapshots = Path(args.snapshots) if args.snapshots else None
    clock = None
    if args.start_at:
        from signage.commands.common import cli_time
        from signage.playback.clock import ShiftedClock

        clock = ShiftedClock(hall.tz, cli_time(args.start_at, hall.tz))
    player = Player(hall, headless=headless, clock=clock, snapshot_dir=snapshots)
    if headless:
        print(t("run_headless", folder=player.snapshot_dir, names=", ".join(f"{n}.png" for n in hall.displays)),
              flush=True)
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    if args.exit_after:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(args.exit_after * 1000), app.quit)
    player.start()
    player.start_api()
    console = None
    if not headless and not args.no_console:
        console = show_console(player)
    try:
        app.exec()
    finally:
        if console is not None:
            console.timer.stop()
            console.close()
        player.stop()
        if args.stats:
            Path(args.stats).write_text(json.dumps(player.stats(), ensure_ascii=False, indent=2))
        lock.release()
    return EXIT_OK
