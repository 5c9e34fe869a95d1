"""Images, videos and PDF pages: decoded right, refused clearly."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from signage.media import MediaError
from signage.media.fit import to_bgr
from signage.media.images import load_image
from signage.media.pdf import page_count, render_page
from signage.media.video import VideoReader, frame_at, probe_video
from tests.media_factory import write_clip

ORANGE, BLUE = (255, 128, 0), (0, 0, 255)


def half_and_half(path: Path, orientation: int | None = None, mode="RGB", **save) -> Path:
    """Orange on the left, blue on the right — as stored; EXIF may say it is turned."""
    img = Image.new("RGB", (200, 100), BLUE)
    img.paste(Image.new("RGB", (100, 100), ORANGE), (0, 0))
    if mode != "RGB":
        img = img.convert(mode)
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        save["exif"] = exif
    img.save(path, **save)
    return path


def test_exif_rotation_is_applied(tmp_path):
    # GIVEN a picture stored turned: orientation 3 = rotated 180°, so orange is stored on the right
    img = Image.new("RGB", (200, 100), ORANGE)
    img.paste(Image.new("RGB", (100, 100), BLUE), (0, 0))
    exif = Image.Exif()
    exif[0x0112] = 3
    path = tmp_path / "turned.jpg"
    img.save(path, exif=exif, quality=95)
    # WHEN it is loaded
    pixels = load_image(path)
    # THEN the orange half is on the left, as the photographer saw it
    assert np.abs(pixels[50, 20].astype(int) - ORANGE).max() < 12
    assert np.abs(pixels[50, 180].astype(int) - BLUE).max() < 12


def test_exif_quarter_turn_swaps_the_axes(tmp_path):
    path = half_and_half(tmp_path / "side.jpg", orientation=6, quality=95)
    pixels = load_image(path)
    assert pixels.shape[:2] == (200, 100)  # 100 wide, 200 tall once turned upright
    assert np.abs(pixels[20, 50].astype(int) - ORANGE).max() < 12  # orange now on top


def test_cmyk_jpeg_is_shown_in_colour(tmp_path):
    path = half_and_half(tmp_path / "cmyk.jpg", mode="CMYK", quality=95)
    pixels = load_image(path)
    assert pixels.shape == (100, 200, 3)
    assert np.abs(pixels[50, 20].astype(int) - ORANGE).max() < 20


def test_16_bit_grey_is_scaled_not_clipped(tmp_path):
    arr = np.full((50, 50), 32768, np.uint16)  # half brightness in 16 bits
    path = tmp_path / "grey16.png"
    Image.fromarray(arr).save(path)
    pixels = load_image(path)
    assert pixels.shape == (50, 50, 3)
    assert 120 <= pixels[10, 10, 0] <= 135  # not 255 (clipped), not 0


def test_palette_with_transparency_keeps_alpha(tmp_path):
    img = Image.new("P", (20, 20), 0)
    img.putpalette([255, 0, 0] + [0, 255, 0] + [0] * 762)
    img.paste(1, (10, 0, 20, 20))
    path = tmp_path / "pal.png"
    img.save(path, transparency=0)
    pixels = load_image(path)
    assert pixels.shape == (20, 20, 4)
    assert pixels[5, 5, 3] == 0 and tuple(pixels[5, 15]) == (0, 255, 0, 255)


def huge_png(path: Path, w: int, h: int) -> Path:
    """A PNG header claiming w x h pixels, with a tiny (broken) body: refused before decoding."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path


def test_pixel_bomb_is_refused_before_decoding(tmp_path):
    with pytest.raises(MediaError, match="40000x40000"):
        load_image(huge_png(tmp_path / "bomb.png", 40000, 40000))


def test_large_jpeg_is_decoded_at_reduced_size(tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (6000, 4000), ORANGE).save(path, quality=80)
    pixels = load_image(path, target=(1920, 1080), fit="contain")
    assert 1620 <= pixels.shape[1] < 6000  # draft picked a 1/2 or 1/4 scale, still ≥ what the wall needs
    assert pixels.shape[0] >= 1080 or pixels.shape[1] >= 1620


def test_truncated_jpeg_and_wrong_format_are_refused(tmp_path):
    good = tmp_path / "good.jpg"
    Image.new("RGB", (800, 600), ORANGE).save(good, quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[:300])
    with pytest.raises(MediaError):
        load_image(cut)
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    with pytest.raises(MediaError, match="not an image"):
        load_image(text)


def test_video_probe_and_frames(tmp_path):
    clip = write_clip(tmp_path / "c.mp4", size=(320, 180), seconds=2.0)
    info = probe_video(clip)
    assert (info.width, info.height, info.frames) == (320, 180, 60)
    assert info.duration_s == pytest.approx(2.0)
    with VideoReader(clip) as reader:
        pts = [reader.read()[0] for _ in range(3)]
    assert pts == pytest.approx([0.0, 1 / 30, 2 / 30], abs=1e-3)
    canvas = frame_at(clip, 1.0)
    assert canvas.shape == (180, 320, 4) and (canvas[:, :, 3] == 255).all()
    assert frame_at(clip, 1.0, (640, 640), "contain", "#ff0000").shape == (640, 640, 4)


@pytest.mark.parametrize("content", [b"", b"\x00" * 10, bytes(range(256)) * 40])
def test_broken_videos_are_refused(tmp_path, content):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(content)
    with pytest.raises(MediaError):
        probe_video(bad)


def test_truncated_video_is_refused_or_shorter(tmp_path):
    clip = write_clip(tmp_path / "c.mp4", seconds=2.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])  # mp4v puts its index at the end
    with pytest.raises(MediaError):
        probe_video(cut)


def test_pdf_pages(tmp_path):
    pages = [Image.new("RGB", (400, 300), c) for c in (ORANGE, BLUE)]
    path = tmp_path / "deck.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    assert page_count(path) == 2
    second = render_page(path, 1, (800, 800))
    assert second.shape[1] == 800 and second.shape[0] == 600  # fitted to the wall, aspect kept
    assert np.abs(second[300, 400].astype(int) - BLUE).max() < 10
    with pytest.raises(MediaError):
        render_page(path, 5, (800, 800))
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(MediaError):
        page_count(tmp_path / "bad.pdf")


@pytest.mark.skipif(__import__("shutil").which("ffmpeg") is None, reason="ffmpeg makes the rotated clip")
def test_rotation_metadata_is_honoured(tmp_path):
    # GIVEN a landscape clip, orange on the left, tagged "rotate 90" (as phones record portrait)
    import subprocess

    import cv2

    src = tmp_path / "src.mp4"
    writer = cv2.VideoWriter(str(src), cv2.VideoWriter_fourcc(*"mp4v"), 30, (320, 180))
    for _ in range(30):
        frame = np.zeros((180, 320, 3), np.uint8)
        frame[:, :160] = (0, 128, 255)  # BGR orange
        frame[:, 160:] = (255, 0, 0)  # BGR blue
        writer.write(frame)
    writer.release()
    rotated = tmp_path / "rotated.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(src), "-c", "copy",
                    "-metadata:s:v:0", "rotate=90", str(rotated)], check=True)
    reference = tmp_path / "ffmpeg.png"  # how ffmpeg itself shows it
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(rotated), "-frames:v", "1", str(reference)], check=True)
    # WHEN probed and decoded
    info = probe_video(rotated)
    frame = to_bgr(frame_at(rotated, 0.1))
    # THEN it is portrait, the way ffmpeg shows it
    assert (info.width, info.height) == (180, 320)
    expected = cv2.imread(str(reference))
    assert frame.shape == expected.shape
    assert np.abs(frame[10, 90].astype(int) - expected[10, 90]).max() < 12
    assert np.abs(frame[310, 90].astype(int) - expected[310, 90]).max() < 12


def test_a_closed_reader_is_freed_without_the_garbage_collector(tmp_path):
    import gc
    import weakref

    clip = write_clip(tmp_path / "c.mp4", size=(320, 180), seconds=0.5)
    gc.disable()
    try:
        reader = VideoReader(clip)
        frames = reader.frames()
        next(frames)
        ref = weakref.ref(reader)
        reader.close()
        del reader, frames
        assert ref() is None  # the decoding generator no longer holds the reader (and its decoder)
    finally:
        gc.enable()
