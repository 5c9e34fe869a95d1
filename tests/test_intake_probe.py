"""Intake probing: every bad input a tenant might send gets a verdict with reasons, in a sandbox."""

from __future__ import annotations

import errno
import json
from types import SimpleNamespace

import av
import pytest
from PIL import Image

from signage.cli import main
from signage.config.models import PromoConfig
from signage.intake.probe import _decode, blank
from signage.intake.rules import judge, probe_file
from signage.intake.sandbox import Limits, SandboxError, out_of_memory, run_child
from tests.media_factory import png_blank_bilevel, png_header_only, write_audio_only, write_h264

RULES = PromoConfig()


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    d = tmp_path_factory.mktemp("clips")
    write_h264(d / "good.mp4", seconds=6, audio=True)
    write_h264(d / "index_at_end.mp4", seconds=6, faststart=False)
    write_h264(d / "index_at_start.mp4", seconds=8, faststart=True)
    return d


def reasons(path, rules=RULES):
    verdict = probe_file(path, rules)
    return verdict, " | ".join(r.text("en") for r in verdict.reasons)


def test_a_good_clip_is_accepted_with_its_real_facts(clips):
    verdict, why = reasons(clips / "good.mp4")
    assert verdict.ok, why
    f = verdict.to_json("en")
    assert (f["kind"], f["container"], f["codec"], f["width"], f["height"]) == ("video", "mp4", "h264", 1280, 720)
    assert f["duration_s"] == pytest.approx(6.0, abs=0.05) and f["frames"] == 180 and f["fps"] == 30
    assert f["audio"] is True and f["decodes"] is True and len(f["sha256"]) == 64


def test_empty_file(tmp_path):
    (tmp_path / "empty.mp4").write_bytes(b"")
    verdict, why = reasons(tmp_path / "empty.mp4")
    assert not verdict.ok and "empty" in why


def test_random_bytes_with_a_video_extension(tmp_path):
    (tmp_path / "noise.mp4").write_bytes(bytes(range(256)) * 40)
    verdict, why = reasons(tmp_path / "noise.mp4")
    assert not verdict.ok and "not a video or image" in why


def test_truncated_mp4_with_its_index_at_the_end(clips, tmp_path):
    data = (clips / "index_at_end.mp4").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    verdict, why = reasons(tmp_path / "cut.mp4")
    assert not verdict.ok and "incomplete" in why


def test_truncated_mp4_with_its_index_at_the_start_cut_short(clips, tmp_path):
    data = (clips / "index_at_start.mp4").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    verdict, why = reasons(tmp_path / "cut.mp4")
    assert not verdict.ok and "stops at" in why and "of 8.0 s" in why
    assert verdict.facts["duration_s"] < 6  # the real duration, decoded, not the header's 8 s


def test_audio_only_file(tmp_path):
    verdict, why = reasons(write_audio_only(tmp_path / "song.mp4"))
    assert not verdict.ok and "no picture" in why and verdict.facts["audio"]


def test_8k_clip_is_refused_without_decoding(tmp_path):
    verdict, why = reasons(write_h264(tmp_path / "8k.mp4", size=(7680, 4320), seconds=0.2, fps=10))
    assert not verdict.ok and "7680x4320" in why and "4096" in why
    assert verdict.facts["frames"] is None  # not one frame was decoded


def test_40000_square_png_is_refused_before_decoding(tmp_path):
    # The header claims 1.6 gigapixels; decoding would need 4.8 GB. The verdict comes from the header.
    verdict, why = reasons(png_header_only(tmp_path / "huge.png", 40000, 40000))
    assert not verdict.ok and "40000x40000" in why and "1600 MP" in why


def test_truncated_jpeg(tmp_path):
    Image.effect_noise((1280, 720), 60).convert("RGB").save(tmp_path / "full.jpg", quality=90)
    data = (tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    verdict, why = reasons(tmp_path / "cut.jpg")
    assert not verdict.ok and "damaged" in why


def test_a_700_second_clip_reports_its_length_and_is_refused(tmp_path):
    verdict, why = reasons(write_h264(tmp_path / "long.mp4", size=(1280, 720), seconds=700, fps=1))
    assert not verdict.ok and "clip is 700 s; the limit is 60 s" in why
    assert verdict.facts["duration_s"] == pytest.approx(700, abs=1.5)


def test_reasons_come_in_korean_too(tmp_path):
    verdict, _ = reasons(write_h264(tmp_path / "long.mp4", size=(1280, 720), seconds=75, fps=2))
    assert "영상 길이 75초: 최대 60초" in [r.text("ko") for r in verdict.reasons]
    assert "clip is 75 s; the limit is 60 s" in [r.text("en") for r in verdict.reasons]


def test_rotation_metadata_gives_the_displayed_size(tmp_path):
    verdict, why = reasons(write_h264(tmp_path / "phone.mp4", size=(1280, 720), rotation=90))
    assert verdict.ok, why
    assert (verdict.facts["width"], verdict.facts["height"]) == (720, 1280)


def test_rules_come_from_the_config(tmp_path):
    rules = PromoConfig(min_lines=1080, codecs=("hevc",), containers=("mkv",))
    verdict, why = reasons(write_h264(tmp_path / "c.mp4"), rules)
    assert "shorter side must be at least 1080" in why and "h264 video codec" in why and "mp4 format" in why


def test_a_probe_past_its_time_limit_is_killed(clips):
    with pytest.raises(SandboxError) as err:
        run_child(["probe", str(clips / "good.mp4")], Limits(timeout_s=0.01))
    assert err.value.code == "timeout"


def test_a_probe_over_its_memory_cap_costs_one_verdict_not_the_caller(clips):
    # GIVEN a cap too small for the child even to load its libraries
    memory_rules = PromoConfig.model_construct(**{**RULES.model_dump(), "probe_memory_mb": 40})
    # WHEN a good clip is probed under it
    verdict, why = reasons(clips / "good.mp4", memory_rules)
    # THEN the verdict blames the cap, not the clip
    assert [r.id for r in verdict.reasons] == ["r_memory"], why
    rules = PromoConfig(probe_memory_mb=256, probe_timeout=0.01)
    verdict, why = reasons(clips / "good.mp4", rules)
    assert not verdict.ok and "longer than" in why


def test_a_picture_too_large_for_the_memory_cap_is_too_large_to_check_not_damaged(tmp_path):
    # GIVEN a valid 20000x20000 PNG (400 MB once decoded) and rules that would take its size,
    # with the smallest memory cap the config allows (256 MB)
    rules = PromoConfig(probe_memory_mb=256, max_image_pixels=10**9, max_side=40000, min_lines=1)
    big = png_blank_bilevel(tmp_path / "big.png", 20000, 20000)
    # WHEN it is probed
    verdict, why = reasons(big, rules)
    # THEN the tenant is told it is too large to check, in Korean first, and not that it is damaged
    assert not verdict.ok and "too large to check within the memory limit (256 MB)" in why
    assert "damaged" not in why and "failed" not in why
    assert "파일이 너무 커서 메모리 한도(256MB) 안에서 검사할 수 없습니다" in verdict.reasons[0].text("ko")
    assert (verdict.facts["width"], verdict.facts["height"]) == (20000, 20000)  # what was learnt is kept
    # AND the same picture at a tenth of the size passes under the same cap: the cap, not the child
    small, why = reasons(png_blank_bilevel(tmp_path / "small.png", 2000, 2000), rules)
    assert small.ok, why


class _Container:
    """Stands in for a PyAV container whose demuxing fails with ``error``."""

    def __init__(self, error):
        self.error = error

    def demux(self, stream):
        raise self.error


@pytest.mark.parametrize(("error", "expected"), [
    (av.error.MemoryError(errno.ENOMEM, "Cannot allocate memory"), "r_memory"),  # FFmpeg's ENOMEM
    (MemoryError(), "r_memory"),  # Python's
    (av.error.FFmpegError(errno.EAGAIN, "Resource temporarily unavailable"), "r_memory"),  # no room for a thread
    (av.error.InvalidDataError(-1094995529, "Invalid data found when processing input"), "r_decode_failed"),
])
def test_decoding_tells_the_memory_cap_from_a_broken_stream(error, expected):
    # GIVEN a clip whose decoding stops with ``error``
    facts = dict(blank(None), fps=30.0, kind="video", container="mp4", codec="h264", width=1280, height=720)
    # WHEN it is decoded and judged
    _decode(_Container(error), SimpleNamespace(time_base=None, thread_type=None), facts, 62.0)
    # THEN running out of memory says "too large to check", a broken stream says where it breaks
    assert [r.id for r in judge(facts, RULES)] == [expected]


@pytest.mark.parametrize(("code", "stderr", "peak_mb", "memory"), [
    (3, "MemoryError: the memory cap was reached", 100, True),  # the child's own exit code
    (1, "Traceback …\nMemoryError", 30, True),
    (1, "ImportError: libavcodec.so: failed to map segment from shared object", 30, True),
    (-6, "terminate called after throwing an instance of 'std::bad_alloc'", 50, True),
    (-9, "", 10, True),  # the kernel's OOM killer
    (-11, "", 1900, True),  # a fault with the resident memory near the 2048 MB cap
    (-11, "", 40, False),  # a fault far below the cap: the file crashed the decoder
    (1, "ValueError: bad header", 30, False),
    (1, "", 30, False),
])
def test_a_child_stopped_by_the_cap_is_told_apart_from_a_crash(code, stderr, peak_mb, memory):
    assert out_of_memory(code, stderr, peak_mb, 2048) is memory


def test_signage_probe_json(clips, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config.yaml here: the default rules apply
    assert main(["probe", str(clips / "good.mp4"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"path", "ok", "kind", "width", "height", "duration_s", "fps", "frames", "audio", "reasons"} <= set(out)
    assert out["ok"] is True and out["reasons"] == []
    (tmp_path / "bad.mp4").write_bytes(b"\0" * 100)
    assert main(["probe", "bad.mp4", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main(["probe", "missing.mp4"]) == 2
