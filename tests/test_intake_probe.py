"""Intake probing: every bad input a tenant might send gets a verdict with reasons, in a sandbox."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from signage.cli import main
from signage.config.models import PromoConfig
from signage.intake.rules import probe_file
from signage.intake.sandbox import Limits, SandboxError, run_child
from tests.media_factory import png_header_only, write_audio_only, write_h264

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
    with pytest.raises(SandboxError) as err:
        run_child(["probe", str(clips / "good.mp4")], Limits(timeout_s=30, memory_mb=40))
    assert err.value.code == "crashed"
    rules = PromoConfig(probe_memory_mb=256, probe_timeout=0.01)
    verdict, why = reasons(clips / "good.mp4", rules)
    assert not verdict.ok and "longer than" in why


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
