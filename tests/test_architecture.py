"""The core never imports Qt: an import-linter contract, checked on every test run."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_contract_covers_the_core_packages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["name"] == "The core never imports Qt")
    assert {"signage.config", "signage.schedule", "signage.playback", "signage.media"} <= set(contract["source_modules"])
    assert contract["forbidden_modules"] == ["PySide6"]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" in proc.stdout and "0 broken" in proc.stdout


def test_loading_the_core_does_not_load_qt():
    code = (
        "import sys, signage.config.loader, signage.schedule, signage.cli, signage.playback.planner,"
        " signage.playback.records, signage.media.video, signage.media.images;"
        "print('PySide6' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_the_player_process_loads_only_what_it_uses():
    """OpenCV (benchmark reference only), PDFium and the holiday tables are loaded on first use,
    not by `signage run`: each is 8-16 MB resident on a player that must stay under 400 MB."""
    code = (
        "import sys, signage.cli, signage.commands.run, signage.app, signage.console.window;"
        "print(sorted(m for m in ('cv2', 'pypdfium2', 'holidays', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
