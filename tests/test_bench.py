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
