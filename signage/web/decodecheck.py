"""Does each file decode? ``python -m signage.web.decodecheck`` reads ``[[path, kind], …]`` as JSON
on stdin and prints ``{path: null | reason}``. Run as a child process by the readiness check, so
a file that crashes or hangs a decoder costs one answer, never the web app."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def check(path: Path, kind: str) -> str | None:
    from signage.config.assets import sniff

    actual = sniff(path)
    if actual != kind:
        return f"{kind} expected, the content is {actual or 'unknown'}"
    try:
        if kind == "image":
            from signage.media.images import load_image

            load_image(path, (64, 64))
        elif kind == "video":
            from signage.media.video import probe_video

            info = probe_video(path)
            if info.frames < 1:
                return "no frames"
        elif kind == "pdf":
            from signage.media.pdf import page_count, render_page

            if page_count(path) < 1:
                return "no pages"
            render_page(path, 0, (64, 64))
    except Exception as exc:  # noqa: BLE001 - any failure is the answer for this file
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def main() -> int:
    wanted = json.loads(sys.stdin.read() or "[]")
    out = {path: check(Path(path), kind) for path, kind in wanted}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
