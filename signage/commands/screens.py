"""``signage screens [--json]``: the screens Qt sees and which wall maps where (exit 1 when a wall
would show nowhere)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, load_or_report
from signage.i18n import t


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screens", help="Qt가 보는 화면과 벽 연결 / the screens Qt sees and which wall maps where")
    p.add_argument("--json", action="store_true", help="JSON으로 출력")
    p.set_defaults(func=run)


def _fake_source() -> str | None:
    """The ``configfile=`` of ``QT_QPA_PLATFORM=offscreen:configfile=…``, if any."""
    for part in os.environ.get("QT_QPA_PLATFORM", "").split(":")[1:]:
        if part.startswith("configfile="):
            return part.removeprefix("configfile=")
    return None


def run(args: argparse.Namespace) -> int:
    hall = None
    if Path(args.config).exists():
        hall = load_or_report(args.config)
        if hall is None:
            return EXIT_BAD_INPUT
    from signage.display.qtapp import ensure_app, has_display_server

    server = has_display_server()
    app = ensure_app(headless=not server)
    from signage.display.screens import assign_screens, describe, wall_title
    from signage.display.window import qt_screens

    infos, _ = qt_screens()
    platform = app.platformName()
    walls = assign_screens({n: d.screen for n, d in hall.displays.items()}, infos) if hall else {}
    notes = []
    if not server:
        notes.append(t("screens_no_server"))
    elif platform == "offscreen":
        source = _fake_source()
        notes.append(t("screens_fake", source=source) if source else t("screens_fake_default"))
    lines = {name: describe(w, wall_title(hall.label(name), name), infos) for name, w in walls.items()}
    missing = [name for name, w in walls.items() if not w.status.on_air]
    if args.json:
        out = {
            "platform": platform, "display_server": server, "fake": platform == "offscreen",
            "screens": [s.to_json() for s in infos],
            "walls": {name: _wall_json(w, hall.label(name), lines[name]) for name, w in walls.items()},
            "missing": missing,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_table(platform, notes, infos, hall, args.config, lines, missing)
    return EXIT_BAD_INPUT if missing else EXIT_OK


def _wall_json(wall, label: str, message: str) -> dict:
    return {
        "label": label, "wanted": wall.wanted_text, "status": wall.status.value,
        "screen": wall.screen.index if wall.screen else None, "screen_name": wall.screen.name if wall.screen else None,
        "rect": list(wall.rect) if wall.rect else None, "whole": wall.whole if wall.rect else None,
        "other": wall.other, "same_name": list(wall.same_name), "message": message,
    }


def _print_table(platform, notes, infos, hall, config, lines, missing) -> None:
    print(t("screens_platform", platform=platform))
    for note in notes:
        print(note)
    print(t("screens_header", count=len(infos)))
    head = [t("screens_col_index"), t("screens_col_name"), t("screens_col_size"), t("screens_col_position"),
            t("screens_col_primary")]
    rows = [[f"#{s.index}", s.name or t("screen_unnamed"), f"{s.width}x{s.height}", f"{s.x},{s.y}",
             t("screens_primary_mark") if s.primary else ""] for s in infos]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  " + "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip())
    if hall is None:
        print(t("screens_no_config", path=config))
        return
    print(t("screens_walls", count=len(lines), config=Path(config).name))
    for line in lines.values():
        print(f"  {line}")
    if missing:
        print(t("screens_some_missing", count=len(missing),
                walls=", ".join(f"{hall.label(n)}({n})" if hall.label(n) != n else n for n in missing)))
    else:
        print(t("screens_all_ok"))


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Hangul and other wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
