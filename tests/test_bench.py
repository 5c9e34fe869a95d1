"""The benchmark runs and reports its figures (targets are checked in BENCHMARKS.md, not here)."""

from signage.perf import schedule_bench


def test_schedule_bench_reports_figures():
    result = schedule_bench.run(repeats=1)
    assert result["slots"] > 1000
    assert result["resolve_year_s"] > 0 and result["lookup_now_us"] > 0
    assert result["resolve_over_reference"] > 0


def test_soak_refuses_a_fault_it_does_not_know(tmp_path):
    from signage.perf import soak

    # GIVEN a soak asked for one fault kind, misspelt
    # WHEN it is run
    result = soak.run(seconds=1, every=1, workdir=tmp_path, faults=("disc",))
    # THEN it stops at once and names the faults it knows
    assert "disk" in result["skipped"] and "disc" in result["skipped"]
    assert not list(tmp_path.iterdir())  # nothing was built or started


def test_the_upload_benchs_plain_copy_is_the_kernels_copy(tmp_path, monkeypatch):
    import shutil

    from signage.perf import upload_bench

    # GIVEN a file of incompressible bytes, and Python's block-by-block copy made unusable
    src = upload_bench._payload(tmp_path / "src.bin", 3 * 1024 * 1024 + 17)

    def no_python_loop(*a, **kw):
        raise AssertionError("the reference is cp's copy, not a Python read/write loop")

    monkeypatch.setattr(shutil, "copyfileobj", no_python_loop)
    # WHEN the bench's reference copy runs
    seconds = upload_bench._copy(src, tmp_path / "dst.bin")
    # THEN the copy is whole and timed
    assert (tmp_path / "dst.bin").read_bytes() == src.read_bytes()
    assert seconds > 0


def test_the_paced_reference_decodes_the_three_clips_at_once(tmp_path):
    import shutil
    import subprocess

    import pytest

    from signage.perf import playback_bench

    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is needed to make clips")
    # GIVEN three one-second 30 fps clips, one per wall
    clips = {}
    for name in ("front", "rear", "pillar"):
        clips[name] = tmp_path / f"{name}.mp4"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                        "testsrc2=size=160x90:rate=30", "-t", "1", "-pix_fmt", "yuv420p", str(clips[name])], check=True)
    # WHEN the decode-only reference paced as the walls is measured
    ref = playback_bench.paced_reference(clips)
    # THEN every frame of the three was decoded, and their CPU counted
    assert ref["frames"] == 90
    assert ref["cpu_s"] > 0 and ref["cpu_ms_per_frame"] > 0
