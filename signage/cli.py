"""``signage``: parse arguments, call a command, map errors to exit codes (0 ok, 1 bad input, 2 usage)."""

from __future__ import annotations

import argparse
import sys

from signage import __version__
from signage.commands import audio as audio_outputs  # sound: `signage audio-outputs`
from signage.commands import (
    bench,
    check,
    ctl,
    inbox,
    plays,
    preview,
    probe,
    run,
    screens,
    serve,
    timeline,
    users,
)
from signage.commands.common import EXIT_USAGE, UsageError
from signage.i18n import set_language

COMMANDS = [run, check, timeline, preview, probe, inbox, plays, ctl, bench, screens, serve, users, audio_outputs]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signage", description="G밸리 기업시민청 창조홀 LED 사이니지 스케줄러"
    )
    parser.add_argument("--version", action="version", version=f"signage {__version__}")
    parser.add_argument("--config", default="config.yaml", help="설정 파일 (기본: ./config.yaml)")
    parser.add_argument("--lang", choices=["ko", "en"], help="출력 언어 / output language (기본 ko)")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    for subparser in sub.choices.values():  # accept the global options after the command too
        subparser.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        subparser.add_argument("--lang", choices=["ko", "en"], default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"signage {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
