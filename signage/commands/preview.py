"""``signage preview --at T --out DIR``: each wall at T as a PNG, composed by the player's code."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from signage.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    cli_time,
    load_or_report,
    now_in,
    planner_for,
)
from signage.i18n import t
from signage.playback.steps import Step
from signage.playback.visible import Fade, Visible, visible
from signage.timefmt import iso


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="특정 시각의 화면 미리보기 / what the walls show at a time")
    p.add_argument("--at", help='예: "2026-12-03 14:05" (기본: 지금)')
    p.add_argument("--out", required=True, help="PNG를 쓸 폴더")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    hall = load_or_report(args.config)
    if hall is None:
        return EXIT_BAD_INPUT
    from signage.display.qtapp import ensure_app

    ensure_app(headless=True)
    from signage.display.compositor import Compositor
    from signage.display.sheet import contact_sheet
    from signage.media.png import write_png
    from signage.playback.catalog import Catalog
    from signage.schedule import resolve

    tz = hall.tz
    at = cli_time(args.at, tz) if args.at else now_in(tz)
    out = Path(args.out)
    catalog = Catalog()
    planner = planner_for(hall, catalog)
    timeline = resolve(hall.config, at - dt.timedelta(days=1), at + dt.timedelta(days=1))
    walls, labels, report = {}, {}, {}
    for name, spec in hall.displays.items():
        showing = planner.showing(timeline, name, at)
        compositor = Compositor(spec.size, hall.root, catalog)
        canvas = compositor.compose(showing)
        png = out / f"{name}.png"
        write_png(png, canvas)
        walls[name] = canvas
        slot = showing.slot
        seen = _visible(showing, compositor, catalog)
        item = seen.step.to_json(hall.root) if seen.step else None
        failed = catalog.failed(showing.step.path) if showing.step and showing.step.path else None
        report[name] = {
            "playlist": slot.playlist if slot else None,
            "source": slot.source if slot else None,
            "name": slot.name if slot else None,
            "mode": showing.mode,
            "item": item,
            "offset_s": round(seen.offset, 3),
            "transition": _transition_json(seen.fade, hall.root),
            "png": str(png),
        }
        if failed:
            report[name]["error"] = failed
        if seen.step and seen.step.campaign is not None:
            c = planner.campaigns.by_id(seen.step.campaign)
            report[name]["campaign"] = {"id": c.id, "tenant": c.tenant, "title": c.title} if c else None
        labels[name] = _label(slot, showing.mode, seen, hall.root)
    write_png(out / "sheet.png", contact_sheet(walls, labels))
    if args.format == "json":
        print(json.dumps({"at": iso(at), "displays": report}, ensure_ascii=False, indent=2))
    else:
        for name, entry in report.items():
            print(f"{name}: {labels[name]} (+{entry['offset_s']:.1f}s) → {entry['png']}")
        print(f"sheet: {out / 'sheet.png'}")
    return EXIT_OK


def _visible(showing, compositor, catalog) -> Visible:
    """What the composed picture shows (the rule is in ``signage.playback.visible``). The
    compositor draws a fade only when the previous item could be drawn: a failed one is skipped."""
    previous = showing.previous
    shown = previous is not None and not (previous.path is not None and catalog.failed(previous.path))
    return visible(showing, compositor.fade_amount(showing.step, showing.offset), shown)


def _transition_json(fade: Fade | None, root: Path) -> dict | None:
    if fade is None:
        return None
    return {"type": "fade", "seconds": fade.seconds, "progress": round(fade.progress, 3),
            "from": fade.source.to_json(root), "to": fade.target.to_json(root)}


def _label(slot, mode: str, seen: Visible, root: Path) -> str:
    """One line for the text output and the sheet: the visible item, and the fade under way."""
    def what(step: Step) -> str:
        return step.to_json(root)["path"] or step.kind

    shown = what(seen.step) if seen.step else mode
    if seen.fade is not None:
        shown += " " + t("preview_fade", source=what(seen.fade.source), target=what(seen.fade.target),
                         percent=round(seen.fade.progress * 100))
    return f"{slot.source if slot else '-'} · {slot.playlist or 'dark' if slot else '-'} · {shown}"
