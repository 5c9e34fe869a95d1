from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from signage.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read English messages unless they ask for Korean."""
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def hall_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped sample hall (config, playlists, assets)."""
    dest = tmp_path / "hall"
    dest.mkdir()
    shutil.copy(ROOT / "config.yaml", dest / "config.yaml")
    shutil.copytree(ROOT / "playlists", dest / "playlists")
    shutil.copytree(ROOT / "assets", dest / "assets")
    return dest
