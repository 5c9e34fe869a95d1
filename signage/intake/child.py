"""The disposable process that opens untrusted files: ``python -m signage.intake.child MODE …``.

It prints JSON lines on stdout: progress lines ``{"progress": 0.42}`` and one final result line.
The parent (``signage.intake.sandbox``) sets its memory cap and kills it at the time limit; a
crash, a hang or an out-of-memory here costs one verdict, never the player. A MemoryError that
nothing handled ends it with ``EXIT_OUT_OF_MEMORY``, so the parent can tell the cap from a crash.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OUT_OF_MEMORY = 3


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="signage.intake.child")
    sub = p.add_subparsers(dest="mode", required=True)
    pr = sub.add_parser("probe")
    pr.add_argument("path")
    pr.add_argument("--decode-limit", type=float, default=62.0)
    pr.add_argument("--max-side", type=int, default=4096)
    pr.add_argument("--max-image-pixels", type=int, default=50_000_000)
    co = sub.add_parser("conform")
    co.add_argument("path")
    co.add_argument("--out", required=True)
    co.add_argument("--size", required=True)
    co.add_argument("--background", default="#000000")
    co.add_argument("--kind", choices=["video", "image"], required=True)
    sh = sub.add_parser("sheet")
    sh.add_argument("path")
    sh.add_argument("--out", required=True)
    sh.add_argument("--title", default="")
    po = sub.add_parser("poster")
    po.add_argument("path")
    po.add_argument("--out", required=True)
    args = p.parse_args(argv)
    try:
        _run(args)
    except MemoryError:  # unwound: what it held is freed, so these few bytes can be written
        sys.stderr.write("MemoryError: the memory cap was reached\n")
        return EXIT_OUT_OF_MEMORY
    return 0


def _run(args: argparse.Namespace) -> None:
    if args.mode == "probe":
        from signage.intake.probe import probe

        _emit({"result": probe(Path(args.path), args.decode_limit, args.max_side, args.max_image_pixels)})
    elif args.mode == "conform":
        from signage.intake.transcode import conform

        w, h = (int(v) for v in args.size.lower().split("x"))
        result = conform(Path(args.path), Path(args.out), (w, h), args.background, args.kind,
                         progress=lambda f: _emit({"progress": round(f, 4)}))
        _emit({"result": result})
    elif args.mode == "poster":
        from signage.intake.sheet import poster

        _emit({"result": poster(Path(args.path), Path(args.out))})
    else:
        from signage.intake.sheet import contact_sheet

        _emit({"result": contact_sheet(Path(args.path), Path(args.out), args.title)})


if __name__ == "__main__":
    sys.exit(main())
