"""Benchmarks behind ``signage bench`` (no Qt here; playback benches import it lazily)."""
