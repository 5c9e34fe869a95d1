"""``signage check``: validate config, playlists, schedule and every referenced asset."""

from __future__ import annotations

import argparse

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, day_window, now_in
from signage.config.loader import load_hall
from signage.config.problems import ConfigError
from signage.i18n import t
from signage.intake.inbox import store_path
from signage.intake.store import load_campaigns
from signage.schedule import resolve


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="설정·플레이리스트·일정·파일 검사 / validate everything")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        hall = load_hall(args.config, check_assets=True)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem)
        print(t("check_failed", count=len(exc.problems)))
        return EXIT_BAD_INPUT
    tz = hall.tz
    start, end = day_window(now_in(tz).date(), tz)
    timeline = resolve(hall.config, start, end)
    print(t("check_ok", hall=hall.name, tz=hall.config.timezone))
    for name, spec in hall.displays.items():
        default = hall.config.schedule.default.get(name)
        print(
            t(
                "check_display",
                name=name,
                w=spec.size[0],
                h=spec.size[1],
                screen=spec.screen if spec.screen is not None else "-",
                default=default.playlist if default else "-",
                slots=len(timeline.by_display[name]),
            )
        )
    _campaigns(hall, now_in(tz).date())
    return EXIT_OK


def _campaigns(hall, today) -> None:
    """Approved promos still to air: how many, and any whose conformed file has gone (a warning:
    the player skips them; the fix is to approve the clip again or withdraw it)."""
    book = load_campaigns(store_path(hall), hall.tz)
    live = [c for c in book.campaigns if c.withdrawn is None and c.last_day >= today]
    if not live:
        return
    print(t("check_campaigns", count=len(live), tenants=len({c.tenant for c in live})))
    for c in live:
        for display, media in sorted(c.media.items()):
            if not hall.asset(media).is_file():
                print(t("check_campaign_missing", id=c.id, tenant=c.tenant, display=display, path=media))
