"""The benchmark runs and reports its figures (targets are checked in BENCHMARKS.md, not here)."""

from signage.perf import schedule_bench


def test_schedule_bench_reports_figures():
    result = schedule_bench.run(repeats=1)
    assert result["slots"] > 1000
    assert result["resolve_year_s"] > 0 and result["lookup_now_us"] > 0
    assert result["resolve_over_reference"] > 0
