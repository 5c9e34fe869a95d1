"""``signage probe FILE [--json]``: what intake would say about a media file (probed in a sandbox)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from signage.commands.common import EXIT_BAD_INPUT, EXIT_OK, UsageError, load_or_report
from signage.config.models import PromoConfig
from signage.i18n import t
from signage.intake.rules import probe_file


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("probe", help="파일을 홍보물로 받을 수 있는지 검사 / what intake would say about a file")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="JSON으로 출력")
    p.set_defaults(func=run)


def rules_for(config: str) -> PromoConfig | None:
    """The hall's promo rules if there is a config file, else the defaults."""
    if not Path(config).exists():
        return PromoConfig()
    hall = load_or_report(config)
    return hall.config.promos if hall else None


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(t("file_missing", path=args.file))
    rules = rules_for(args.config)
    if rules is None:
        return EXIT_BAD_INPUT
    verdict = probe_file(path.absolute(), rules)
    out = verdict.to_json()
    out["path"] = args.file
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        dims = f"{out['width']}x{out['height']}" if out["width"] else "-"
        duration = f"{out['duration_s']:.2f} s" if out["duration_s"] is not None else "-"
        print(f"{args.file}: {out['kind'] or '?'} {out['container'] or ''} {out['codec'] or ''} {dims} "
              f"{duration} {out['fps'] or ''}fps audio={'yes' if out['audio'] else 'no'}")
        print(t("probe_ok") if verdict.ok else t("probe_refused"))
        for reason in out["reasons"]:
            print(f"  - {reason}")
    return EXIT_OK if verdict.ok else EXIT_BAD_INPUT
