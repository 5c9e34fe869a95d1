"""Keeping resident memory flat over weeks of looping (glibc malloc tuning, Linux only).

Video frames and decoder buffers are megabytes each. glibc's default moves such blocks from mmap
to the heap after the first one is freed (its "dynamic mmap threshold"), and every thread gets
its own heap arena; freed frames then stay resident as fragmentation, so RSS creeps up each time
a clip changes. A fixed threshold returns big blocks to the system when freed, and two arenas
keep per-thread heaps from multiplying. Playback reuses its frame buffers, so the extra mmap
calls are rare.
"""

from __future__ import annotations

import ctypes
import sys

M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3


def steady_malloc(mmap_threshold: int = 1 << 20, arenas: int = 2) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    ok = libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1
    return libc.mallopt(M_ARENA_MAX, arenas) == 1 and ok


def give_back_free_memory() -> bool:
    """Return the free pages inside malloc's heaps to the system (``malloc_trim``).

    Freed memory in the middle of a heap stays resident until trimmed: after a clip switch the
    old decoder's small tables (under the mmap threshold) were measured at 20-66 MB held free.
    Trimming walks the heaps in about a millisecond; the player does it every few seconds.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def rss_mb() -> float:
    """Resident memory of this process now (Linux), in MB; 0 where unknown."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
