"""Snapshots as PNG files: written whole or not at all, and a write that fails keeps no memory.

A full ``var/`` is stood in for by a file size limit (``RLIMIT_FSIZE``) in a child process: a
write past it fails part-way, as it does on a full disk.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS and rlimits as Linux has them")

CHILD = r"""
import ctypes, json, os, resource, signal, sys
from pathlib import Path
import numpy as np
from signage.media.png import write_png

def rss_mb():
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed memory back to the system: only what is kept counts
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

folder = Path(sys.argv[1])
rng = np.random.default_rng(0)
small = np.full((90, 160, 4), 200, np.uint8)
noisy = rng.integers(0, 256, (360, 640, 4), np.uint8)  # a busy picture: its PNG is ~700 KB
write_png(folder / "wall.png", small)  # the last good snapshot
before_bytes = (folder / "wall.png").read_bytes()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
failed = 0
def attempt():
    global failed
    try:
        write_png(folder / "wall.png", noisy)
    except OSError:
        failed += 1
for _ in range(5):
    attempt()
start = rss_mb()
for _ in range(60):
    attempt()
print(json.dumps({"failed": failed, "kept_mb": rss_mb() - start,
                  "files": sorted(p.name for p in folder.iterdir()),
                  "picture_kept": (folder / "wall.png").read_bytes() == before_bytes}))
"""


@pytest.fixture(scope="module")
def failed_writes(tmp_path_factory):
    """65 snapshots of a busy picture that do not fit, after one small one that did."""
    folder = tmp_path_factory.mktemp("snapshots")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_snapshot_that_does_not_fit_keeps_no_memory(failed_writes):
    # GIVEN a wall's snapshot folder where a PNG of a busy picture does not fit
    # WHEN the player tries to write it 60 times more (five minutes of a full var/)
    # THEN every try fails, and the process keeps (almost) nothing of them: Pillow's encoder
    #      left ~0.4 MB behind each time it stopped part-way through a file (~24 MB here)
    assert failed_writes["failed"] == 65
    assert failed_writes["kept_mb"] < 4


def test_a_snapshot_that_does_not_fit_leaves_the_last_one_whole(failed_writes):
    # GIVEN a snapshot written while there was room
    # WHEN later ones fail part-way
    # THEN the last good picture is still there, unchanged, and no partial file takes up room
    assert failed_writes["picture_kept"] is True
    assert failed_writes["files"] == ["wall.png"]
