"""Make the sample hall's media (photos, clips, decks) with Pillow and OpenCV.

Run from the project root: ``.venv/bin/python tools/make_sample_assets.py``. The outputs are small
and committed so that a fresh clone is a working hall; this script is how they were made.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent / "assets"
FONT = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def gradient(w: int, h: int, top: tuple, bottom: tuple) -> Image.Image:
    t = np.linspace(0, 1, h)[:, None, None]
    arr = (np.array(top)[None, None, :] * (1 - t) + np.array(bottom)[None, None, :] * t)
    return Image.fromarray(np.repeat(arr, w, axis=1).astype(np.uint8), "RGB")


def photo(path: Path, w: int, h: int, top, bottom, title: str, sub: str = "") -> None:
    img = gradient(w, h, top, bottom)
    d = ImageDraw.Draw(img)
    for i in range(6):  # some "architecture" so cover/contain differences are visible
        x = int(w * (0.1 + 0.15 * i))
        d.rectangle([x, int(h * 0.55), x + int(w * 0.08), h], fill=tuple(int(c * 0.6) for c in bottom))
    size = max(24, min(w, h) // 9)
    d.text((w // 2, h // 3), title, font=font(size), fill="white", anchor="mm")
    if sub:
        d.text((w // 2, h // 3 + size * 1.4), sub, font=font(size // 2), fill="#dddddd", anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, quality=78, optimize=True)


def clip(path: Path, w: int, h: int, seconds: float, colour: tuple, label: str, fps: int = 30) -> None:
    """A clip of a ball moving over a flat field, with a frame counter (mp4v; compresses well)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    base = Image.new("RGB", (w, h), colour)
    ImageDraw.Draw(base).text((w // 2, h // 5), label, font=font(min(w, h) // 10), fill="white", anchor="mm")
    base_arr = cv2.cvtColor(np.array(base), cv2.COLOR_RGB2BGR)
    for i in range(int(seconds * fps)):
        frame = base_arr.copy()
        x = int(w / 2 + w / 3 * math.cos(i / fps * 1.3))
        y = int(h * 0.6 + h / 6 * math.sin(i / fps * 2.1))
        cv2.circle(frame, (x, y), min(w, h) // 12, (0, 200, 255), -1)
        cv2.putText(frame, f"{i // fps:02d}.{i % fps:02d}", (20, h - 30), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)
        writer.write(frame)
    writer.release()


def deck(path: Path, pages: list[tuple[str, str]], colour: tuple) -> None:
    images = []
    for n, (title, body) in enumerate(pages, 1):
        img = Image.new("RGB", (1600, 900), "white")
        d = ImageDraw.Draw(img)
        d.rectangle([0, 0, 1600, 150], fill=colour)
        d.text((60, 75), title, font=font(64), fill="white", anchor="lm")
        d.multiline_text((80, 260), body, font=font(48), fill="#222222", spacing=24)
        d.text((1540, 860), f"{n} / {len(pages)}", font=font(32), fill="#888888", anchor="rm")
        images.append(img)
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, save_all=True, append_images=images[1:], resolution=100, quality=80)


def main() -> None:
    photo(ROOT / "house/fallback.png", 1920, 1080, (10, 30, 70), (0, 10, 30), "G밸리 기업시민청", "창조홀")
    logo = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).text((300, 100), "G밸리 기업시민청", font=font(60), fill=(255, 255, 255, 255), anchor="mm")
    logo.save(ROOT / "house/logo.png", optimize=True)
    photo(ROOT / "photos/hall.jpg", 1600, 900, (40, 80, 140), (200, 150, 90), "창조홀", "Changjo Hall")
    for i, (top, bottom) in enumerate([((120, 40, 40), (30, 10, 10)), ((40, 120, 60), (10, 30, 10)), ((90, 60, 140), (20, 10, 40))], 1):
        photo(ROOT / f"photos/event-2026-11/{i:02d}.jpg", 1200, 800, top, bottom, f"11월 행사 사진 {i}")
    for i, (top, bottom) in enumerate([((20, 60, 110), (220, 220, 240)), ((110, 40, 90), (240, 200, 160))], 1):
        photo(ROOT / f"pillar/pillar-{i:02d}.jpg", 1080, 1920, top, bottom, f"창조홀 {i}", "G-Valley")
    for name in ("sponsor-a", "sponsor-b"):
        photo(ROOT / f"sponsors/{name}.png", 800, 400, (250, 250, 250), (210, 210, 220), name.upper())
    clip(ROOT / "clips/gvalley.mp4", 1280, 720, 8, (90, 40, 10), "G밸리 소개")
    clip(ROOT / "promos/acme-15s.mp4", 360, 640, 15, (20, 90, 60), "ACME 홍보")
    clip(ROOT / "promos/nuri-15s.mp4", 360, 640, 15, (80, 30, 100), "누리소프트")
    deck(
        ROOT / "decks/intro.pdf",
        [
            ("G밸리 기업시민청", "서울 금천구 가산디지털단지\n입주기업과 근로자를 위한 공간"),
            ("창조홀", "세미나·연회·행사\n전면·후면·기둥 LED 디스플레이 3대"),
            ("상시 개방", "대관이 없을 때는\n누구나 쉬어 갈 수 있습니다"),
            ("대관 안내", "G밸리 기업시민청 운영사무국"),
        ],
        (0, 51, 102),
    )
    deck(
        ROOT / "decks/ir-deck.pdf",
        [("IR 데모데이", "G밸리 스타트업 IR 데모데이\n2026년 12월 3일"), ("발표 1", "첫 번째 팀"), ("발표 2", "두 번째 팀"), ("감사합니다", "네트워킹 시간")],
        (140, 20, 40),
    )


if __name__ == "__main__":
    main()
